"""The shipped guide in real Chromium over http: the home page, a section, a step page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_reader_walks_from_home_to_a_step(shipped_site, static_server, page):
    server = static_server(shipped_site)
    page.goto(server.url + "index.html")
    assert page.locator("html").get_attribute("lang") == "zh"
    page.locator(".md-tabs__link", has_text="培育步骤").click()
    page.wait_for_url("**/steps/index.html")
    first_step = page.locator("article table a").first
    first_step.click()
    assert page.locator("article h1").inner_text().startswith("第 1 步")
    assert page.locator("article .task-list-item").count() >= 1  # the checklist has tick boxes
