"""`pilotguide serve` at the edges: a free port, and stopping cleanly on any signal.

MkDocs' serve removes its temporary site folder, and the plugin its page stage (preview.py),
when the server stops with KeyboardInterrupt. Ctrl+C sends that; SIGTERM (a service manager,
`kill`) and SIGHUP (a closed terminal window) would kill the process on the spot and leave the
folders behind, so for the time of the preview they raise KeyboardInterrupt too.
"""

from __future__ import annotations

import os
import signal
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

TRIES = 20  # ports tried after the requested one


class AddressError(Exception):
    """The preview address cannot be used; the message (Chinese) says what to do."""


def split_address(dev_addr: str) -> tuple[str, int]:
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise AddressError(f"预览地址 `{dev_addr}` 不对：应写成“IP:端口”，如 127.0.0.1:8000。")
    return host.strip("[]"), int(port)


def is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def pick_address(dev_addr: str) -> tuple[str, int, bool]:
    """(host, port, moved): the requested port, or the next free one after it."""
    host, port = split_address(dev_addr)
    for candidate in range(port, min(port + TRIES + 1, 65536)):
        if is_free(host, candidate):
            return host, candidate, candidate != port
    raise AddressError(f"端口 {port} 到 {port + TRIES} 都被占用了：请关闭之前打开的预览，"
                       "或用 --dev-addr 指定其他端口，如 --dev-addr 127.0.0.1:8100。")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the preview like Ctrl+C does (cleanly) while inside this block."""
    names = [n for n in ("SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, n)]
    previous = {}
    for name in names:
        number = getattr(signal, name)
        previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def preview(config_file: Path, host: str, port: int, full_rebuild: bool = False) -> None:
    """MkDocs' live-reloading server for the project, until Ctrl+C or a stop signal.

    Dirty builds re-render only pages whose source changed: the plugin rewrites a generated page
    only when its text changes, so one edited case re-renders a handful of pages. livereload is
    passed explicitly: with click > 8.2.1 the mkdocs CLI flag defaults off (mkdocs#4032)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve as mkdocs_serve

    from .build import _mkdocs_logging, quiet_dirty_warning

    _mkdocs_logging(verbose=False)
    if not full_rebuild:
        quiet_dirty_warning()  # said once, in Chinese, by the command instead
    try:
        with stop_on_signals():  # SIGTERM/SIGHUP clean up like Ctrl+C: no temporary folders left
            mkdocs_serve(str(config_file), livereload=True, dev_addr=f"{host}:{port}",
                         build_type=None if full_rebuild else "dirty")
    except KeyboardInterrupt:  # a signal that arrived outside MkDocs' own loop
        pass
