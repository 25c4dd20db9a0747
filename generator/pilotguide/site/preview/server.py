"""`pilotguide serve` at the edges: a free port, and stopping cleanly on any signal.

MkDocs' serve removes its temporary site folder, and the plugin its page stage (preview.py),
when the server stops with KeyboardInterrupt. Ctrl+C sends that; SIGTERM (a service manager,
`kill`) and SIGHUP (a closed terminal window) would kill the process on the spot and leave the
folders behind, so for the time of the preview they raise KeyboardInterrupt too.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import signal
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

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


class PreviewServer:
    """MkDocs' live-reloading server, made for quick saves (a factory: MkDocs is imported late).

    Three changes to mkdocs.livereload.LiveReloadServer: the folders are watched with the
    system's change notices (inotify, ReadDirectoryChangesW, FSEvents) instead of listing them every
    half second, unless `poll` (network drives and shared folders of virtual machines send no
    notices); the paths each save changed are kept for the builder (`take_changes`), which
    rebuilds only those pages when it can (quick.py); and the plugin may answer some paths from
    memory (the search index, made when a browser asks for it)."""

    def __new__(cls, *args, poll: bool = False, answer=None, **kwargs):
        from mkdocs.livereload import LiveReloadServer

        class Server(_PreviewMixin, LiveReloadServer):
            pass
        server = Server(*args, **kwargs)
        server.setup(poll, answer)
        return server


class _PreviewMixin:
    def setup(self, poll: bool, answer) -> None:
        import watchdog.observers

        self.answer = answer  # path inside the site -> bytes, or None for "from the site folder"
        self._changes: set[str] = set()
        self.native = not poll
        if self.native:
            try:  # inotify opens an instance here: Linux allows a user 128 of them
                self.observer = watchdog.observers.Observer()
            except OSError as error:
                self._say_polling(error)

    def _say_polling(self, error: OSError) -> None:
        log.warning("无法使用系统的文件变化通知（%s），改为每 0.5 秒检查一次文件。", error)
        self.native = False

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """Watch a folder (with its subfolders) or a file. A file is watched through its folder:
        editors that save by writing another file and renaming it over the old one would end a
        watch on the file itself, and Windows reports nothing for a watched file."""
        import watchdog.events

        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        handler = watchdog.events.FileSystemEventHandler()
        if os.path.isdir(path):
            handler.on_any_event = self._changed
            self._watch_refs[path] = (self.observer.schedule(handler, path, recursive=recursive), handler)
        else:
            handler.on_any_event = lambda event: self._changed(event, only=path)
            folder = os.path.dirname(path)
            self._watch_refs[path] = (self.observer.schedule(handler, folder, recursive=False), handler)

    def unwatch(self, path: str) -> None:
        path = os.path.abspath(path)
        self._watched_paths[path] -= 1
        if self._watched_paths[path] <= 0:
            self._watched_paths.pop(path)
            watch, handler = self._watch_refs.pop(path)
            self.observer.remove_handler_for_watch(handler, watch)

    def _changed(self, event, only: str | None = None) -> None:
        # inotify also reports files opened and closed without writing (the build reads them) and
        # every folder whose files change; a folder made, removed or moved is a change
        if event.event_type not in ("created", "modified", "deleted", "moved"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = {os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p}
        if only is not None and only not in paths:
            return
        with self._rebuild_cond:
            self._changes.update(paths)
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def take_changes(self) -> set[str]:
        with self._rebuild_cond:
            changes, self._changes = self._changes, set()
        return changes

    def serve(self, *, open_in_browser: bool = False) -> None:
        """LiveReloadServer.serve, falling back to listing the folders when the system's change
        notices cannot be had (Linux limits how many folders one user may watch)."""
        self.server_bind()
        self.server_activate()
        if self._watched_paths:
            try:
                self.observer.start()
            except OSError as error:
                if not self.native:
                    raise
                self._say_polling(error)
                self._use_polling()
                self.observer.start()
        log.info(f"Serving on {self.url}")
        self.serve_thread.start()
        if open_in_browser:
            import webbrowser

            webbrowser.open(self.url)
        self._build_loop()

    def _use_polling(self) -> None:
        import watchdog.observers.polling

        paths = dict(self._watched_paths)
        try:  # the watches it did set up hold the very resource that ran out
            self.observer.unschedule_all()
            self.observer.stop()
        except Exception:  # noqa: BLE001 - whatever state it failed in, it is dropped
            pass
        self.observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
        self._watched_paths, self._watch_refs = {}, {}
        for path in paths:
            self.watch(path)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if self.answer is not None and (path + "/").startswith(self.mount_path):
            with self._epoch_cond:  # not while a rebuild runs: the answer would be half old
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            data = self.answer(posixpath.normpath("/" + path[len(self.mount_path):]).lstrip("/"))
            if data is not None:
                start_response("200 OK", [("Content-Type", self._guess_type(path)),
                                          ("Content-Length", str(len(data)))])
                return [data]
        return super()._serve_request(environ, start_response)


def preview(config_file: Path, host: str, port: int, full_rebuild: bool = False, poll: bool = False) -> None:
    """A live-reloading preview of the project, until Ctrl+C or a stop signal.

    Like `mkdocs serve` (mkdocs.commands.serve, which this follows), with PreviewServer: a save
    that changed only records rebuilds only the pages whose text changed (quick.py); any other
    save runs MkDocs' dirty build, which re-renders only pages whose source changed (the plugin
    rewrites a generated page only when its text changes). `full_rebuild`: every save rebuilds
    the whole site. `poll`: list the watched folders every half second instead of system notices."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.livereload import _serve_url

    from ..build import _mkdocs_logging, quiet_dirty_warning
    from ..plugin import pilotguide_plugin

    _mkdocs_logging(verbose=False)
    if not full_rebuild:
        quiet_dirty_warning()  # said once, in Chinese, by the command instead
    site_dir = tempfile.mkdtemp(prefix="mkdocs_")

    def get_config():
        return load_config(config_file=str(config_file), site_dir=site_dir, dev_addr=f"{host}:{port}")

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=not full_rebuild)
    mount_path = urlsplit(config.site_url or "/").path
    config.site_url = serve_url = _serve_url(host, port, mount_path)
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
        build(config, serve_url=serve_url, dirty=not full_rebuild)

    server = PreviewServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path,
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
