"""The preview's restarts, without a server: the port probe beside lingering connections, the
stale temporary folders of a killed preview, the address printed for a guide under a subpath."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from pilotguide.site.preview import tempdirs
from pilotguide.site.preview.server import is_free, pick_address, preview_url


def _lingering_port() -> int:
    """A port whose server closed its side of a connection first: TIME_WAIT, nothing listening."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Python's HTTP server binds
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port))
        accepted, _ = server.accept()
        accepted.close()  # the server's side closes first and keeps the TIME_WAIT
        client.recv(1)
        client.close()
    return port


def test_a_port_with_only_lingering_connections_is_free():
    port = _lingering_port()
    with socket.socket() as plain:  # the old probe's way: refused, although nothing listens
        try:
            plain.bind(("127.0.0.1", port))
            lingering = False
        except OSError:
            lingering = True
    assert lingering, "the system let the port go at once: nothing to test here"
    assert is_free("127.0.0.1", port)
    assert pick_address(f"127.0.0.1:{port}") == ("127.0.0.1", port, False)


def test_a_port_someone_listens_on_is_not_free():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        assert not is_free("127.0.0.1", port)
        host, moved_to, moved = pick_address(f"127.0.0.1:{port}")
        assert moved and moved_to > port


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_folders_of_dead_previews_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # tempfile caches the folder it found first
    mine = tempdirs.make("site")
    assert mine.parent == tmp_path and mine.name.startswith(f"pilotguide-site-{os.getpid()}-")
    dead = _dead_pid()
    stale = tmp_path / f"pilotguide-pages-{dead}-abc"
    stale.mkdir()
    (stale / tempdirs.MARKER).write_text(str(dead), encoding="ascii")
    (stale / "page.md").write_text("# 页", encoding="utf-8")
    unmarked = tmp_path / f"pilotguide-site-{dead}-def"
    unmarked.mkdir()
    lying = tmp_path / f"pilotguide-site-{dead}-ghi"  # the marker names another process
    lying.mkdir()
    (lying / tempdirs.MARKER).write_text(str(os.getpid()), encoding="ascii")
    a_file = tmp_path / f"pilotguide-site-{dead}-jkl"
    a_file.write_text("", encoding="utf-8")
    assert tempdirs.remove_stale(tmp_path) == [stale]
    assert not stale.exists()
    assert mine.is_dir() and unmarked.is_dir() and lying.is_dir() and a_file.is_file()


def test_the_address_printed_is_under_site_urls_path():
    assert preview_url("127.0.0.1", 8000, None) == "http://127.0.0.1:8000/"
    assert preview_url("127.0.0.1", 8000, "http://intranet/guide/") == "http://127.0.0.1:8000/guide/"
    assert preview_url("127.0.0.1", 8001, "http://intranet/guide") == "http://127.0.0.1:8001/guide/"
    assert preview_url("::1", 8000, "http://intranet/a/b/") == "http://[::1]:8000/a/b/"
