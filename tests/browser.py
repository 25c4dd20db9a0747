"""Shared pytest fixtures for tests that need a built site, a web server or a real browser.

Browser tests drive Debian's Chromium (/usr/bin/chromium) through Playwright; no browser is ever
downloaded. Import the fixtures in a test module with `from browser import *  # noqa: F403`, or
rely on conftest.py, which re-exports them.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped guide, built once per test session into a temporary folder (read-only use)."""
    from conftest import build_project, copy_shipped

    root = copy_shipped(tmp_path_factory.mktemp("shipped-site"))
    return build_project(root)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class StaticServer:
    """A static file server on loopback, in a thread; `url` ends with '/'."""

    def __init__(self, directory: Path):
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def static_server():
    """Factory: static_server(path) -> StaticServer serving that folder; all closed after the test."""
    servers: list[StaticServer] = []

    def start(directory: Path) -> StaticServer:
        server = StaticServer(directory)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's Chromium via Playwright; skipped (not failed) only where Chromium is absent."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (own context), closed after the test."""
    context = browser.new_context()
    pg = context.new_page()
    yield pg
    context.close()
