"""Publishing as 发布指南 (docs/publishing.md) describes: `pilotguide build --zip`, unzip on the server, and Debian's
nginx serving the guide under /guide/ with the page's own server block (loopback only; the test
starts and stops its nginx)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, pilotguide
from site_search import RequestLog, relative, search


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PAGE_ROOT = "/srv/www/"  # where the page's server block expects the unzipped archive
PAGE_LISTEN = "listen 80;"


def readme_server_block() -> str:
    """The nginx server block of 发布指南 (docs/publishing.md), the staff's one copy of the steps."""
    page = (REPO / "docs" / "publishing.md").read_text(encoding="utf-8")
    match = re.search(r"```nginx\n(.*?)```", page, re.S)
    assert match, "docs/publishing.md shows an nginx server block"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx:
    """Debian's nginx with the page's server block, on a loopback port, in the foreground."""

    def __init__(self, www: Path, work: Path, block: str | None = None, port: int | None = None,
                 mime_types: bool = True):
        self.port = port or free_port()
        block = block or readme_server_block()
        assert PAGE_LISTEN in block and PAGE_ROOT in block
        block = block.replace(PAGE_LISTEN, f"listen 127.0.0.1:{self.port};").replace(PAGE_ROOT, f"{www}/")
        temp = " ".join(f"{kind}_temp_path {work}/{kind};" for kind in
                        ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # As root, nginx's workers would drop to nobody, who cannot read pytest's private folders.
        user = "user root;" if os.geteuid() == 0 else ""
        conf = work / "nginx.conf"
        # the page's `include mime.types;` is relative to nginx.conf's folder, as /etc/nginx/ on a server
        shutil.copy("/etc/nginx/mime.types", work / "mime.types")
        # `mime_types=False`: a main config that does not include the table (the page's block must)
        http_types = "include /etc/nginx/mime.types;" if mime_types else ""
        conf.write_text(f"""{user}
daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{ {http_types} default_type application/octet-stream;
       access_log {work}/access.log; {temp}
{block}
}}
""", encoding="utf-8")
        self.process = subprocess.Popen([NGINX, "-p", str(work), "-e", f"{work}/error.log", "-c", str(conf)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not start: {(work / 'error.log').read_text(errors='replace')}")
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def published(shipped, monkeypatch, tmp_path):
    """The shipped guide built with --zip (site_url set to a /guide/ address, as the README
    advises for a subpath) and unzipped into a web root; returns (archive, web root)."""
    config = shipped / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_url: http://intranet.invalid/guide/\n",
                      encoding="utf-8")
    result = pilotguide(shipped, "build", "--zip")
    assert result.exit_code == 0, result.output
    archive = shipped / f"guide-site-{dt.date.today().isoformat()}.zip"
    assert f"压缩包已生成：{archive}" in result.output
    assert re.search(r"搜索索引 search/search_index.json：[\d,]+ 字节，\d+ 页，每页约 [\d,]+ 字节", result.output)
    www = tmp_path / "www"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(www)
    return archive, www


@pytest.mark.slow
def test_zip_holds_the_whole_site_under_one_folder(published, shipped):
    archive, www = published
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert all(name.startswith("guide/") for name in names)
    site = shipped / "site"
    site_files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert sorted(name.removeprefix("guide/") for name in names) == site_files
    for needed in ("index.html", "search/search_index.json", "search/search_index.js",
                   "assets/pilotguide/search-worker.js", "assets/pilotguide/vendor/iframe-worker/shim.js"):
        assert (www / "guide" / needed).is_file(), needed


@pytest.mark.slow
@pytest.mark.browser
def test_guide_works_under_a_subpath_behind_nginx(published, tmp_path, browser):
    if not Path(NGINX).exists():
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    _, www = published
    work = tmp_path / "nginx"
    work.mkdir()
    server = Nginx(www, work)
    context = browser.new_context()
    try:
        base = server.url + "guide/"
        request = urllib.request.Request(server.url + "guide", method="HEAD")
        with pytest.raises(urllib.error.HTTPError) as redirect:  # urllib follows to /guide/, so forbid it
            urllib.request.build_opener(NoRedirect).open(request)
        assert redirect.value.code == 301 and redirect.value.headers["Location"].endswith("/guide/")

        log = RequestLog(context)
        page = context.new_page()
        page.goto(base)
        page.locator(".md-tabs__link", has_text="培育步骤").click()
        page.wait_for_url("**/guide/steps/index.html")
        page.locator("article table a").first.click()
        assert page.locator("article h1").inner_text().startswith("第 1 步")
        found = search(page, "释放人员")  # search works under the subpath: the step is among the first results
        assert "steps/canyu-maodun-huajie.html" in [relative(url, base) for url in found[:5]], found[:5]

        missing = page.goto(base + "steps/no-such-step.html")
        assert missing.status == 404
        # the 404 page finds its styles and scripts under /guide/ (site_url), so search works there too
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert search(page, "高潮村")
        page.wait_for_load_state("networkidle")
        assert log.outside(base) == []
    finally:
        context.close()
        server.stop()


@pytest.mark.slow
def test_the_pages_server_block_gives_scripts_their_type_without_the_main_configs_table(published, tmp_path):
    """A main nginx.conf without `include mime.types` would send the search worker as
    application/octet-stream, and the browser would never start it (search hangs at 正在初始化搜索引擎):
    the page's server block includes the table itself."""
    if not Path(NGINX).exists():
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    _, www = published
    work = tmp_path / "nginx"
    work.mkdir()
    expected = {"assets/pilotguide/search-worker.js": "application/javascript",
                "search/search_index.json": "application/json", "index.html": "text/html",
                "assets/pilotguide/pilotguide.css": "text/css"}
    server = Nginx(www, work, mime_types=False)
    try:
        for path, kind in expected.items():
            with urllib.request.urlopen(server.url + "guide/" + path, timeout=10) as response:
                assert response.headers.get_content_type() == kind, path
    finally:
        server.stop()
    bare = readme_server_block().replace("include mime.types;", "")  # what happens without the line
    work = tmp_path / "nginx-bare"
    work.mkdir()
    server = Nginx(www, work, block=bare, mime_types=False)
    try:
        with urllib.request.urlopen(server.url + "guide/assets/pilotguide/search-worker.js", timeout=10) as response:
            assert response.headers.get_content_type() == "application/octet-stream"
    finally:
        server.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
