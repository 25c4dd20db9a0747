"""`pilotguide serve` as a process: a taken port, content errors shown in the browser (and gone
once fixed), and no temporary folders left after Ctrl+C (SIGINT) or SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts a preview server (MkDocs builds the fixture)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    """`python -m pilotguide serve` in `root`, with its own TMPDIR to count leftovers in."""

    def __init__(self, root: Path, tmp: Path, port: int, *options: str):
        self.tmp = tmp
        tmp.mkdir(exist_ok=True)
        env = {**os.environ, "TMPDIR": str(tmp), "LANG": "C.UTF-8"}
        command = [sys.executable, "-m", "pilotguide", "serve", "--dev-addr", f"127.0.0.1:{port}", *options]
        self.process = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def get(self, url: str, timeout: float = 120) -> str:
        """The page at `url`, once the server answers (a 404 page counts as an answer)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    return response.read().decode("utf-8")
            except urllib.error.HTTPError as error:
                return error.read().decode("utf-8")
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"preview not answering at {url}: {self.stop()}")
                time.sleep(0.3)

    def retitle(self, case: Path, title: str, url: str, timeout: float = 60) -> None:
        """Save `case` with a new title, then wait until the page at `url` shows it."""
        text = case.read_text(encoding="utf-8")
        old = re.search(r"^title: (.+)$", text, re.MULTILINE).group(1)
        case.write_text(text.replace(f"title: {old}", f"title: {title}", 1), encoding="utf-8")
        deadline = time.monotonic() + timeout
        while title not in self.get(url) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert title in self.get(url)

    def stop(self, sig: int = signal.SIGTERM) -> str:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.stderr.read().decode("utf-8", "replace")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stopping_the_preview_leaves_no_temporary_folders(minimal, tmp_path, sig):
    port = free_port()
    preview = Preview(minimal, tmp_path / "tmp", port)
    page = preview.get(f"http://127.0.0.1:{port}/steps/s1/")
    assert "<html" in page and "404" not in page

    def folders() -> list[Path]:  # jieba keeps a cache *file* there on purpose; folders are leftovers
        return [p for p in preview.tmp.iterdir() if p.is_dir()]
    assert len(folders()) == 2  # MkDocs' site folder and the plugin's page stage, while serving
    err = preview.stop(sig)
    assert preview.process.returncode == 0, err
    assert folders() == [], err
    assert "Traceback" not in err and "预览已停止" in err


def test_a_taken_port_moves_to_the_next_free_one_and_says_so(minimal, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        preview = Preview(minimal, tmp_path / "tmp", port)
        try:
            deadline = time.monotonic() + 60
            moved = None
            while moved is None and time.monotonic() < deadline:
                for candidate in range(port + 1, port + 21):
                    try:
                        socket.create_connection(("127.0.0.1", candidate), timeout=0.5).close()
                        moved = candidate
                        break
                    except OSError:
                        continue
                time.sleep(0.3)
            assert moved is not None
            assert "<html" in preview.get(f"http://127.0.0.1:{moved}/")
        finally:
            err = preview.stop()
    assert f"端口 {port} 已被占用" in err and f"改用端口 {moved}" in err, err
    assert "Errno" not in err and "内部错误" not in err


def test_a_content_error_is_a_page_in_the_browser_until_fixed(minimal, tmp_path):
    case = minimal / "case-studies" / "c1.yaml"
    good = case.read_text(encoding="utf-8")
    case.write_text(good.replace("steps: [s2]", "steps: [s9]"), encoding="utf-8")
    port = free_port()
    preview = Preview(minimal, tmp_path / "tmp", port)
    try:
        page = preview.get(f"http://127.0.0.1:{port}/case-studies/c1/")
        assert "内容有错误，预览暂停" in page
        assert "case-studies/c1.yaml:9:9" in page and "不存在的培育步骤 `s9`" in page
        case.write_text(good, encoding="utf-8")
        deadline = time.monotonic() + 90
        while "内容有错误" in page and time.monotonic() < deadline:
            time.sleep(0.5)
            page = preview.get(f"http://127.0.0.1:{port}/case-studies/c1/")
        assert "内容有错误" not in page and "高潮村" in page
    finally:
        err = preview.stop()
    assert "case-studies/c1.yaml:9:9" in err  # the terminal says it too
    assert "Traceback" not in err and "appear stuck" not in err


@pytest.mark.parametrize("poll", [False, True], ids=["notices", "poll"])
def test_a_saved_title_shows_on_its_page_and_in_the_search_index(minimal, tmp_path, poll):
    """A records-only save takes the quick path (test_preview_quick.py); the search index the preview
    serves from memory has the new title too. `--poll` watches by listing the folders instead."""
    port = free_port()
    preview = Preview(minimal, tmp_path / "tmp", port, *(["--poll"] if poll else []))
    base = f"http://127.0.0.1:{port}/"
    try:
        assert "高潮村" in preview.get(base + "case-studies/c1/")
        index = json.loads(preview.get(base + "search/search_index.json"))
        assert index["config"]["pilotguide"]["lexicon"] and index["docs"]
        preview.retitle(minimal / "case-studies" / "c1.yaml", "新题目庚辛壬", base + "case-studies/c1/")
        index = json.loads(preview.get(base + "search/search_index.json"))
        assert any(doc["title"] == "新题目庚辛壬" for doc in index["docs"])
        assert "新题目庚辛壬" in preview.get(base + "search/search_index.js")
    finally:
        err = preview.stop()
    assert "Traceback" not in err, err


def test_without_change_notices_the_preview_lists_the_folders(tmp_path, caplog):
    """Linux limits how many folders one user may watch: the preview then polls, and says so."""
    import threading

    import watchdog.observers.polling

    from pilotguide.site.engine import PreviewServer

    server = PreviewServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    assert server.native

    def refuse():
        raise OSError(28, "inotify watch limit reached")
    server.observer.start = refuse
    server.watch(str(tmp_path))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.serve_thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert isinstance(server.observer, watchdog.observers.polling.PollingObserver) and not server.native
        (tmp_path / "x.yaml").write_text("a: 1\n", encoding="utf-8")
        deadline = time.monotonic() + 10
        changes = set()
        while not changes and time.monotonic() < deadline:
            time.sleep(0.2)
            changes = server.take_changes()
        assert str(tmp_path / "x.yaml") in changes
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert "改为每 0.5 秒检查一次文件" in caplog.text


def _watching(server, timeout: float = 10) -> None:
    """Until the server's observer thread runs (its watches are then in place)."""
    deadline = time.monotonic() + timeout
    while not (server.observer.is_alive() and server.serve_thread.is_alive()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.observer.is_alive()


def _changes_seen(server, path: Path, timeout: float = 10) -> set[str]:
    deadline, seen = time.monotonic() + timeout, set()
    while str(path) not in seen and time.monotonic() < deadline:
        time.sleep(0.1)
        seen |= server.take_changes()
    return seen


def test_a_watched_file_saved_by_renaming_over_it_is_seen_every_time(tmp_path):
    """Editors that save by writing a new file and renaming it over the old one (vim, JetBrains,
    gedit, git checkout) end a watch on the file itself; the preview watches its folder."""
    import threading

    from pilotguide.site.engine import PreviewServer

    watched = tmp_path / "vocabularies.yaml"
    watched.write_text("a: []\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("x", encoding="utf-8")
    server = PreviewServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    server.watch(str(watched))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        _watching(server)
        for n in range(2):
            new = tmp_path / f".vocabularies.yaml.tmp{n}"
            new.write_text(f"a: [{n}]\n", encoding="utf-8")
            os.replace(new, watched)
            assert str(watched) in _changes_seen(server, watched), n
        (tmp_path / "other.txt").write_text("y", encoding="utf-8")  # a file beside it is not watched
        watched.write_text("a: [9]\n", encoding="utf-8")  # the next event, after other.txt's
        seen = _changes_seen(server, watched)
        assert str(watched) in seen and str(tmp_path / "other.txt") not in seen
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_when_no_change_notices_can_be_had_at_all_the_preview_polls(tmp_path, monkeypatch, caplog):
    """inotify refuses a new instance past 128 per user (EMFILE), before any folder is watched."""
    import threading

    import watchdog.observers
    import watchdog.observers.polling

    from pilotguide.site.engine import PreviewServer

    def refuse():
        raise OSError(24, "inotify instance limit reached")
    monkeypatch.setattr(watchdog.observers, "Observer", refuse)
    server = PreviewServer(builder=lambda: None, host="127.0.0.1", port=free_port(), root=str(tmp_path))
    assert isinstance(server.observer, watchdog.observers.polling.PollingObserver) and not server.native
    server.watch(str(tmp_path))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        _watching(server)
        (tmp_path / "x.yaml").write_text("a: 1\n", encoding="utf-8")
        assert str(tmp_path / "x.yaml") in _changes_seen(server, tmp_path / "x.yaml")
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert "改为每 0.5 秒检查一次文件" in caplog.text


@pytest.mark.browser
def test_search_in_the_preview_finds_a_title_saved_a_moment_ago(minimal, tmp_path, page):
    """Search keeps working in the preview: the index it serves from memory is what Material's
    search loads in Chromium, and a saved title is found once the open page has reloaded itself."""
    from site_search import search

    port = free_port()
    preview = Preview(minimal, tmp_path / "tmp", port)
    base = f"http://127.0.0.1:{port}/"
    try:
        assert "高潮村" in preview.get(base + "case-studies/c1/")
        page.goto(base)
        assert any("case-studies/c1" in hit for hit in search(page, "高潮村"))
        with page.expect_navigation(timeout=60_000):  # the open page reloads itself (live reload)
            preview.retitle(minimal / "case-studies" / "c1.yaml", "庚辛壬互助社", base + "case-studies/c1/")
        page.wait_for_load_state()
        assert any("case-studies/c1" in hit for hit in search(page, "庚辛壬互助社"))
    finally:
        err = preview.stop()
    assert "Traceback" not in err, err


def _time_wait_on(port: int) -> bool:
    """Whether the port holds lingering connections only: a bind without SO_REUSEADDR refuses."""
    with socket.socket() as plain:
        try:
            plain.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def test_a_restart_right_after_a_stop_takes_the_same_port(minimal, tmp_path):
    port = free_port()
    first = Preview(minimal, tmp_path / "tmp", port)
    assert "<html" in first.get(f"http://127.0.0.1:{port}/steps/s1/")  # the server closes: TIME_WAIT here
    err = first.stop(signal.SIGTERM)
    assert first.process.returncode == 0, err
    assert _time_wait_on(port), "no lingering connection: the restart below would prove nothing"
    second = Preview(minimal, tmp_path / "tmp", port)
    try:
        assert "<html" in second.get(f"http://127.0.0.1:{port}/steps/s1/")
    finally:
        err = second.stop()
    assert "已被占用" not in err and f"预览地址：http://127.0.0.1:{port}/ " in err, err


def test_a_preview_removes_the_folders_of_a_killed_one_and_nothing_else(minimal, tmp_path):
    tmp = tmp_path / "tmp"
    port = free_port()
    killed = Preview(minimal, tmp, port)
    assert "<html" in killed.get(f"http://127.0.0.1:{port}/")
    killed.process.kill()  # SIGKILL: no chance to clean up
    killed.process.wait()
    left = sorted(p.name for p in tmp.iterdir() if p.is_dir())
    assert [re.sub(r"-\w+$", "", n) for n in left] == [f"pilotguide-pages-{killed.process.pid}",
                                                       f"pilotguide-site-{killed.process.pid}"]
    # not ours to remove: a running process's folder, a folder without our marker, MkDocs' own
    running = tmp / f"pilotguide-site-{os.getpid()}-abc"
    running.mkdir()
    (running / ".pilotguide-preview").write_text(str(os.getpid()), encoding="ascii")
    unmarked = tmp / f"pilotguide-pages-{killed.process.pid}-xyz"
    unmarked.mkdir()
    foreign = tmp / "mkdocs_q1w2e3"
    foreign.mkdir()
    port = free_port()
    second = Preview(minimal, tmp, port)
    try:
        assert "<html" in second.get(f"http://127.0.0.1:{port}/")
        for name in left:
            assert not (tmp / name).exists(), name
        assert running.is_dir() and unmarked.is_dir() and foreign.is_dir()
    finally:
        err = second.stop()
    assert "已删除之前被强行结束的预览留下的 2 个临时文件夹" in err, err
    assert sorted(p for p in tmp.iterdir() if p.is_dir()) == sorted([running, unmarked, foreign])


def test_with_site_url_the_address_printed_is_where_the_pages_live(minimal, tmp_path):
    config = minimal / "mkdocs.yml"
    config.write_text("site_url: http://intranet.example/guide/\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    port = free_port()
    preview = Preview(minimal, tmp_path / "tmp", port)
    try:
        home = preview.get(f"http://127.0.0.1:{port}/guide/")
        assert "<html" in home and "找不到这个页面" not in home
        assert "<h1>找不到这个页面</h1>" in preview.get(f"http://127.0.0.1:{port}/guide/no-such-page.html")
        preview.get(f"http://127.0.0.1:{port}/")  # the bare address redirects: not worth a warning
    finally:
        err = preview.stop()
    assert f"预览地址：http://127.0.0.1:{port}/guide/ " in err, err
    assert "提示：预览中没有这个网址：/guide/no-such-page.html" in err, err
    assert "警告" not in err and "code 302" not in err, err
