"""`pilotguide serve` at the edges: a free port, and stopping cleanly on any signal.

MkDocs' serve removes its temporary site folder, and the plugin its page stage (preview.py),
when the server stops with KeyboardInterrupt. Ctrl+C sends that; SIGTERM (a service manager,
`kill`) and SIGHUP (a closed terminal window) would kill the process on the spot and leave the
folders behind, so for the time of the preview they raise KeyboardInterrupt too.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from . import tempdirs

log = logging.getLogger("mkdocs.pilotguide.serve")

TRIES = 20  # ports tried after the requested one


class AddressError(Exception):
    """The preview address cannot be used; the message (Chinese) says what to do."""


def split_address(dev_addr: str) -> tuple[str, int]:
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise AddressError(f"预览地址 `{dev_addr}` 不对：应写成“IP:端口”，如 127.0.0.1:8000。")
    return host.strip("[]"), int(port)


def is_free(host: str, port: int) -> bool:
    """Whether the preview's server could listen on this port now.

    The probe binds as the server does (Python's HTTP server sets SO_REUSEADDR): connections of a
    preview that just stopped linger in TIME_WAIT for a minute, which SO_REUSEADDR ignores, so a
    restart takes the same port; a port another program listens on still refuses. Windows gives
    SO_REUSEADDR another meaning (taking a port in use) and needs it for no TIME_WAIT: not there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if os.name != "nt" and hasattr(socket, "SO_REUSEADDR"):
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
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


def preview_url(host: str, port: int, site_url: str | None) -> str:
    """The address the preview's pages live under: with site_url's path (`/guide/`), as MkDocs
    serves them; the bare `/` would only answer with a redirect."""
    path = urlsplit(site_url or "/").path or "/"
    path = path if path.endswith("/") else path + "/"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the preview like Ctrl+C does (cleanly) while inside this block; so
    does SIGINT itself, also when the preview was started with it ignored (a shell script's
    background job inherits SIGINT ignored, and Python then leaves it so: Ctrl+C or `kill -INT`
    would do nothing)."""
    names = [n for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK") if hasattr(signal, n)]
    previous = {}
    for name in names:
        number = getattr(signal, name)
        previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def preview(config_file: Path, host: str, port: int, full_rebuild: bool = False, poll: bool = False) -> None:
    """A live-reloading preview of the project, until Ctrl+C or a stop signal.

    Like `mkdocs serve` (mkdocs.commands.serve, which this follows), with PreviewServer: a save
    that changed only records rebuilds only the pages whose text changed (quick.py); any other
    save runs MkDocs' dirty build, which re-renders only pages whose source changed (the plugin
    rewrites a generated page only when its text changes). `full_rebuild`: every save rebuilds
    the whole site. `poll`: list the watched folders every half second instead of system notices."""
    from .. import engine
    from ..build import _mkdocs_logging, quiet_dirty_warning
    from ..plugin import pilotguide_plugin

    _mkdocs_logging(verbose=False)
    if not full_rebuild:
        quiet_dirty_warning()  # said once, in Chinese, by the command instead
    site_dir = str(tempdirs.make("site"))  # marked with our process id: a killed run's is removed later

    def get_config():
        return engine.load_config(config_file, site_dir=site_dir, dev_addr=f"{host}:{port}")

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=not full_rebuild)
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = engine.serve_url(host, port, mount_path)
    current = [config]  # the config of the last full build (its plugin keeps what that build made)

    def answer(path: str) -> bytes | None:
        plugin = pilotguide_plugin(current[0])
        return plugin.served_file(path) if plugin is not None else None

    def builder(config=None) -> None:
        changes = server.take_changes()
        if config is None:
            plugin = pilotguide_plugin(current[0])
            if not full_rebuild and plugin is not None and plugin.quick_rebuild(changes):
                return
            config = get_config()
            config.site_url = serve_url
        current[0] = config
        engine.build(config, serve_url=serve_url, dirty=not full_rebuild)

    server = engine.PreviewServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path,
                           poll=poll, answer=answer)
    server.error_handler = lambda code: _error_page(site_dir, code)
    try:
        with stop_on_signals():  # SIGTERM/SIGHUP clean up like Ctrl+C: no temporary folders left
            builder(config)
            server.watch(config.docs_dir)
            if config.config_file_path:
                server.watch(config.config_file_path)
            server = config.plugins.on_serve(server, config=config, builder=builder)
            for item in config.watch:
                server.watch(item)
            try:
                server.serve()
            finally:
                server.shutdown()
    except KeyboardInterrupt:  # Ctrl+C, or a signal turned into one
        pass
    finally:
        current[0].plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def _error_page(site_dir: str, code: int) -> bytes | None:
    page = Path(site_dir) / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
