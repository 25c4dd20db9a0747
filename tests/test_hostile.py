"""Hostile content (tests/fixtures/hostile) builds into pages where nothing runs.

Every payload in the fixture would set `window.__pwned`, open a dialog or request a URL containing
`__pwned` if it ran. The browser test visits every page in Debian's Chromium, hovers and clicks
the content's links, searches, and checks none of that happened; the static tests check the HTML
of the site and the Markdown of `pilotguide generate` (rendered as another engine would).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from conftest import FIXTURES, build_project, pilotguide
from inert import article, dangers


GENERATED = ["policies/p1.html", "steps/s1.html", "case-studies/c1.html", "glossary.html",
             "policies/index.html", "steps/index.html", "case-studies/index.html"]
# What another engine might enable: everything MkDocs' own pages use, plus raw HTML inside blocks.
OTHER_ENGINE_EXTENSIONS = ["tables", "attr_list", "admonition", "toc", "md_in_html", "pymdownx.tasklist"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(FIXTURES / "hostile", root)
    return build_project(root)


@pytest.mark.slow
@pytest.mark.parametrize("path", GENERATED)
def test_generated_pages_hold_nothing_active(hostile_site, path):
    page_html = (hostile_site / path).read_text(encoding="utf-8")
    assert dangers(article(page_html)) == []
    head = page_html[:page_html.index("<body")]
    assert "<script>window" not in head  # a heading's entities never become markup in <title>


@pytest.mark.slow
def test_content_text_stays_literal_in_the_site(hostile_site):
    policy = article((hostile_site / "policies/p1.html").read_text(encoding="utf-8"))
    assert "政策 {{ 7*7 }} {% if true %}模板{% endif %}" in policy  # Jinja in content is text
    step = article((hostile_site / "steps/s1.html").read_text(encoding="utf-8"))
    assert "{{ config }} {% raw %}原样{% endraw %}" in step
    assert '<h2>__config</h2>' in step  # no heading id may shadow Material's own elements
    assert "<td>提交任务</td>" in step  # the text around removed markup is kept


@pytest.mark.slow
def test_generated_markdown_is_inert_in_another_engine(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "hostile", root)
    out = tmp_path / "out"
    result = pilotguide(root, "generate", "--out", str(out))
    assert result.exit_code == 0, result.output
    pages = sorted(out.rglob("*.md"))
    assert len(pages) >= 5
    for path in pages:
        rendered = markdown.markdown(path.read_text(encoding="utf-8"), extensions=OTHER_ENGINE_EXTENSIONS)
        assert dangers(rendered) == [], path.relative_to(out)


def _pwned(page) -> object:
    return page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")


@pytest.mark.browser
@pytest.mark.slow
def test_no_script_from_content_runs_in_a_browser(hostile_site, static_server, page):
    server = static_server(hostile_site)
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in GENERATED:
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        assert _pwned(page) is None, path
        assert page.locator("article h1").is_visible(), path  # no injected style hid the page
        for link in page.locator("article a").all():
            link.hover()
            href = link.get_attribute("href")
            if href is None or href.startswith("#"):  # links that stay on the page: click them too
                link.click()
        page.wait_for_timeout(300)  # let timers, toggles and animations (svg onbegin) fire
        assert _pwned(page) is None, path
    page.goto(server.url + "index.html")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("config", delay=20)  # a word of the step's body
    page.locator(".md-search-result__item").first.wait_for()  # results drawn from a hostile page
    page.wait_for_timeout(300)
    assert _pwned(page) is None
    assert dialogs == []
    assert [u for u in requests if "pwned" in u or not u.startswith(server.url)] == []
