"""Scale, end to end: edits under `pilotguide serve`, and the Pagefind backend at N = 1,000."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from conftest import build_project
from mkdocs.exceptions import PluginError

from pilotguide.site.search import pagefind as pagefind_search

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import edit  # noqa: E402
from benchmarks.corpus import generate  # noqa: E402
from benchmarks.sites import with_search_backend  # noqa: E402


def test_backend_choice():
    assert pagefind_search.choose("material", 50_000, 2000) == "material"
    assert pagefind_search.choose("auto", 1999, 2000) == "material"
    expected = "pagefind" if pagefind_search.pagefind_installed() else "material"
    assert pagefind_search.choose("auto", 2000, 2000) == expected
    if pagefind_search.pagefind_installed():
        assert pagefind_search.choose("pagefind", 1, 2000) == "pagefind"
    else:
        with pytest.raises(PluginError, match="pagefind"):
            pagefind_search.choose("pagefind", 1, 2000)


def test_pages_are_marked_for_pagefind():
    html = ('<html lang="zh"><header class="md-header"><nav class="md-header__inner">标题</nav></header>'
            '<article class="md-content__inner md-typeset"><h1>案例</h1></article><nav>页脚</nav></html>')
    out = pagefind_search.mark_page(html, "case-studies/case-1.html")
    assert '<article data-pagefind-body class="md-content__inner' in out
    header = out[out.index("<header"):out.index("</header>")]
    assert 'id="pilotguide-search"' in header and '../pagefind/pagefind-ui.js' in header
    assert '"placeholder": "搜索"' in header


@pytest.mark.slow
def test_editing_a_case_under_serve_updates_its_page_and_the_index(tmp_path):
    root = generate(tmp_path / "guide", 30, seed=5)
    result = edit.measure(root, "case-00004", edits=1, fields=("title", "body"))  # polls until pages show it
    assert len(result["title"]["edits"]) == len(result["body"]["edits"]) == 1
    assert "\ntitle: 修改" not in (root / "case-studies" / "case-00004.yaml").read_text(encoding="utf-8")  # restored


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory) -> Path:
    if not pagefind_search.pagefind_installed():
        pytest.skip("pagefind is not installed (pip install 'pilotguide[pagefind]')")
    work = tmp_path_factory.mktemp("pagefind")
    project = with_search_backend(generate(work / "guide", 1000, seed=11), work / "pf", "pagefind")
    shutil.rmtree(work / "guide")
    return build_project(project)


@pytest.mark.slow
@pytest.mark.browser
def test_pagefind_finds_chinese_text_at_1000_cases(pagefind_site, static_server, page):
    assert (pagefind_site / "pagefind" / "pagefind.js").is_file()
    assert not (pagefind_site / "search" / "search_index.json").exists()  # Material's index is off
    server = static_server(pagefind_site)
    page.goto(server.url + "case-studies/case-00010.html")
    assert page.locator(".md-search").count() == 0
    box = page.locator("#pilotguide-search input")
    assert box.get_attribute("placeholder") == "搜索"
    box.fill("邻里纠纷")
    first = page.locator(".pagefind-ui__result-link").first
    first.wait_for(timeout=60_000)
    assert "找到" in page.locator(".pagefind-ui__message").inner_text()
    excerpts = page.locator(".pagefind-ui__result-excerpt mark").all_inner_texts()
    assert any(text in {"邻里", "纠纷", "邻里纠纷"} for text in excerpts), excerpts
    href = first.get_attribute("href")
    assert href.startswith("/") and href.endswith(".html")  # a page of the site, from its root
    first.click()
    page.wait_for_url(server.url.rstrip("/") + href)
    assert "纠纷" in page.locator("article").inner_text()
