"""Bytes a reader's first search downloads, measured in Debian's Chromium over loopback HTTP.

Opens a case page, types a Chinese query into the search box and waits for the first result;
every response the search needed (Material: search/ and its search worker; Pagefind: pagefind/)
is counted from page load to that result. Raw bytes are what a plain static server sends;
gzip bytes estimate a server that compresses (Pagefind's index chunks are already compressed).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"  # Debian's; never a downloaded browser
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SEARCH_URLS = {"material": ("/search/", "/workers/search"), "pagefind": ("/pagefind/",)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def search(page, backend: str, query: str) -> None:
    """Type the query into the backend's search box and wait until a result is shown."""
    if backend == "material":
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").fill(query)
        # The whole index is fetched whatever the query finds: wait for the query's answer, which
        # replaces the "initialising" and "type to search" notes. Material's Chinese answers all end
        # in 结果: "找到 1 个符合条件的结果", "1.7k 个符合条件的结果", "没有找到符合条件的结果".
        page.wait_for_function("""() => {
            const meta = document.querySelector('.md-search-result__meta');
            return meta && /结果/.test(meta.textContent);
        }""", timeout=120_000)
    else:
        page.locator("#pilotguide-search input").fill(query)
        page.locator(".pagefind-ui__result").first.wait_for(timeout=120_000)


def first_query_bytes(site: Path, backend: str, query: str = "志愿服务", start_page: str = "index.html") -> dict:
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    counted: list[tuple[str, int, int]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()

            responses: list = []
            page.on("response", lambda response: responses.append(response))
            page.goto(base + start_page)
            search(page, backend, query)
            page.wait_for_load_state("networkidle")
            for response in responses:
                if any(part in response.url for part in SEARCH_URLS[backend]) and response.ok:
                    body = response.body()
                    counted.append((response.url, len(body), len(gzip.compress(body, 6))))
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return {"requests": len(counted), "bytes": sum(c[1] for c in counted), "gzip": sum(c[2] for c in counted)}
