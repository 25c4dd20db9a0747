"""The shipped guide's search and offline behaviour in real Chromium, over http and from file://.

- recall: every query of tests/search_queries.yaml must find its page in the top five (recall@5
  >= 0.95 asserted, recall@1 printed), in both modes; result titles and snippets carry no U+200B;
- no request leaves the site, on any page, in either mode (the search box is used on each page,
  so the index, the worker and, from file://, the iframe-worker shim are all loaded);
- from file://: navigation works and search returns results;
- tests/search_cases.yaml: a word the guide lacks finds nothing and says 没有找到 (never pages
  holding one of its characters), partly absent queries find only pages holding a searched word
  and name the absent ones, everyday phrases and whole-word pinyin reach their pages; pages for
  publishing staff come last, marked.
"""

from __future__ import annotations

import pytest
from site_search import RequestLog, cases, note, queries, relative, result_titles, search, site_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODES = ["http", "file"]


@pytest.fixture
def base(request, shipped_site, static_server) -> str:
    """The shipped site's address in the mode the test is parametrised with."""
    if request.param == "http":
        return static_server(shipped_site).url
    return site_url(shipped_site)


@pytest.fixture
def context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.mark.parametrize("base", MODES, indirect=True)
def test_recall_of_cadre_queries(base, context):
    page = context.new_page()
    page.goto(base + "index.html")
    cases = queries()
    assert len(cases) >= 30
    ranks, misses = [], []
    for case in cases:
        found = [relative(href, base) for href in search(page, case["query"])]
        rank = found.index(case["page"]) + 1 if case["page"] in found else None
        ranks.append(rank)
        if rank is None or rank > 5:
            misses.append(f"{case['query']} -> {case['page']} (rank {rank}; top 5: {found[:5]})")
        assert "\u200b" not in page.inner_html(".md-search-result"), case["query"]
    recall1 = sum(r == 1 for r in ranks) / len(ranks)
    recall5 = sum(r is not None and r <= 5 for r in ranks) / len(ranks)
    print(f"\n{base.split(':')[0]}: {len(ranks)} queries, recall@1 = {recall1:.2f}, recall@5 = {recall5:.2f}")
    for miss in misses:
        print("  missed:", miss)
    # Regression: every formal query kept its page in the first five (all 55 were before the
    # search learnt to say 没有找到), and as many stay first (42 of 55 then, 0.76).
    assert recall5 == 1.0, misses
    assert recall1 >= 0.72  # 0.76 when search landed, 0.745 with the 我的进度 page and facts lines (#25)


@pytest.mark.parametrize("base", MODES, indirect=True)
def test_a_part_of_a_word_is_found_and_highlighted(base, context):
    page = context.new_page()
    page.goto(base + "index.html")
    found = search(page, "纠纷")  # only ever inside 邻里纠纷, 离婚纠纷 in the text
    assert relative(found[0], base) == "steps/canyu-maodun-huajie.html"
    assert "<mark>纠纷</mark>" in page.inner_html(".md-search-result__list")


@pytest.mark.parametrize("base", MODES, indirect=True)
def test_no_page_makes_a_request_outside_the_site(base, context, shipped_site):
    log = RequestLog(context)
    pages = sorted(p.relative_to(shipped_site).as_posix() for p in shipped_site.rglob("*.html"))
    assert len(pages) >= 20 and "404.html" in pages
    if base.startswith("file:"):
        # A web server shows 404.html for a missing address at any depth, so MkDocs links its
        # assets from the server root; from disk there is no server to show it.
        pages.remove("404.html")
    page = context.new_page()
    for path in pages:
        page.goto(base + path)
        assert search(page, "社区"), (path, page.inner_text(".md-search-result__meta"))
        page.wait_for_load_state("networkidle")
        assert log.outside(base) == [], path
    # The log sees what the worker itself loads, so a request from inside it would be caught too.
    assert any(p.endswith("/assets/pilotguide/search-worker.js") for p in log.paths())
    assert any("/assets/javascripts/workers/search." in p for p in log.paths())


def test_from_file_navigation_works_and_search_finds(shipped_site, context):
    page = context.new_page()
    base = site_url(shipped_site)
    page.goto(base + "index.html")
    page.locator(".md-tabs__link", has_text="试点案例").click()
    page.wait_for_url("**/case-studies/index.html")
    page.locator("article table a", has_text="高潮村").first.click()
    page.wait_for_url("**/case-studies/gaochao-village.html")
    assert "高潮村" in page.locator("article h1").inner_text()
    page.goto(base + "index.html")
    found = [relative(href, base) for href in search(page, "平房区")]
    assert "case-studies/gaochao-village.html" in found[:5]
    page.locator("li.md-search-result__item > a.md-search-result__link[href*='gaochao-village']").first.click()
    page.wait_for_url("**/case-studies/gaochao-village.html*")
    assert "高潮村" in page.locator("article h1").inner_text()


def page_text(context, url: str) -> str:
    page = context.new_page()
    page.goto(url)
    text = page.inner_text("article")
    page.close()
    return text


@pytest.mark.parametrize("base", MODES, indirect=True)
def test_a_word_the_guide_lacks_finds_nothing_and_says_so(base, context, shipped_site):
    page = context.new_page()
    page.goto(base + "index.html")
    absent = [c for c in cases() if c["kind"] == "absent"]
    assert len(absent) >= 5
    site_text = "".join(p.read_text(encoding="utf-8") for p in shipped_site.rglob("*.html"))
    for case in absent:  # a page that starts to mention one makes it a word of the guide
        assert case["query"] not in site_text, f"the guide now holds {case['query']}: pick another absent word"
    for case in absent:
        assert search(page, case["query"]) == [], case["query"]
        assert "没有找到" in page.inner_text(".md-search-result__meta")
        said = note(page)
        assert said.startswith(f"没有找到“{case['query']}”"), (case["query"], said)
        assert "指南里" in said


def test_partly_absent_queries_find_only_pages_holding_a_searched_word(shipped_site, static_server, context):
    base = static_server(shipped_site).url
    page = context.new_page()
    page.goto(base + "index.html")
    texts: dict[str, str] = {}
    for case in [c for c in cases() if c["kind"] == "partial"]:
        found = search(page, case["query"])
        assert found, case["query"]
        said = note(page)
        assert all(f"“{word}”" in said for word in case["missing"]), (case["query"], said)
        for href in found:  # every result page holds a searched word: none was found on a single character
            text = texts.setdefault(href, page_text(context, href))
            assert any(word in text for word in case["holds"]), (case["query"], href)
            assert not any(word in text for word in case["missing"]), (case["query"], href)


def test_everyday_phrases_and_whole_word_pinyin_reach_their_pages(shipped_site, static_server, context):
    base = static_server(shipped_site).url
    page = context.new_page()
    page.goto(base + "index.html")
    reached = [c for c in cases() if c["kind"] in ("everyday", "pinyin")]
    assert len(reached) >= 15
    ranks, misses = {}, []
    for case in reached:
        found = [relative(href, base) for href in search(page, case["query"])]
        rank = ranks[case["query"]] = found.index(case["page"]) + 1 if case["page"] in found else None
        if rank is None or rank > 5:
            misses.append(f"{case['query']} -> {case['page']} (rank {rank}; top 5: {found[:5]})")
    for kind in ("everyday", "pinyin"):
        rs = [ranks[c["query"]] for c in reached if c["kind"] == kind]
        print(f"\nsearch cases, {kind}: {len(rs)} queries, recall@1 = {sum(r == 1 for r in rs) / len(rs):.2f}, "
              f"recall@5 = {sum(r is not None and r <= 5 for r in rs) / len(rs):.2f}")
    assert misses == []


def test_pages_for_publishing_staff_come_last_and_marked(shipped_site, static_server, context):
    base = static_server(shipped_site).url
    page = context.new_page()
    page.goto(base + "index.html")
    found = [relative(href, base) for href in search(page, "吵架")]  # the synonyms example on the publishing page
    assert "publishing.html" in found and found[0] == "steps/canyu-maodun-huajie.html"
    assert found[-1] == "publishing.html"
    titles = result_titles(page)
    assert titles[-1].endswith("（供发布人员）") and not any("供发布人员" in t for t in titles[:-1])
    assert note(page) == "已按指南用词“纠纷”查找。"
    # a query only the publishing page answers still finds it, first
    assert [relative(href, base) for href in search(page, "生成压缩包")][0] == "publishing.html"
