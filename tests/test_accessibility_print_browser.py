"""The reader's guide in real Chromium: accessibility (axe-core), search input routes and everyday
words, tickable checklists, phone layout, and printing (page.pdf() read back with poppler).

axe-core comes bundled in the axe-playwright-python package: nothing is downloaded at run time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import build_project, copy_fixture, copy_shipped
from site_search import relative, search, site_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVERYDAY = Path(__file__).resolve().parent / "search_everyday.yaml"
STEPS = ["biaozhang-jili", "canyu-gonggong-fuwu", "canyu-maodun-huajie", "canyu-wenhua-jianshe",
         "guanchadian-xianxing-xianshi", "jijin-yu-fuhua", "shifan-fuzhi-tuiguang", "tuijin-goumai-fuwu",
         "zhengce-xianxing", "zhengzhi-yinling", "zongjie-xingcheng-moshi"]
# One page of every type the guide generates (and the hand-written ones).
PAGE_TYPES = ["index.html", "policies/index.html", "policies/hlj-dangjian-yinling.html", "steps/index.html",
              "steps/canyu-maodun-huajie.html", "case-studies/index.html", "case-studies/gaochao-village.html",
              "topics/index.html", "topics/area/nong-cun-she-qu.html", "statistics.html", "glossary.html",
              "changes.html", "courses/index.html", "courses/guanchadian-fuzhi-tuiguang.html",
              "courses/guanchadian-fuzhi-tuiguang-handout.html", "courses/guanchadian-fuzhi-tuiguang-trainer.html",
              "publishing.html", "404.html"]
A4_HEIGHT_PT = 842


@pytest.fixture
def served(shipped_site, static_server) -> str:
    return static_server(shipped_site).url


def new_page(browser, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height})
    return context, context.new_page()


# ---- 1. WCAG 2.2 AA (axe on every page at three widths: test_wcag22_paper_browser.py) ----

def test_tick_boxes_are_named_and_the_search_dialog_too(browser, served):
    context, page = new_page(browser)
    page.goto(served + "steps/canyu-maodun-huajie.html")
    boxes = page.get_by_role("checkbox")
    assert boxes.count() >= 3
    assert "邻里纠纷" in boxes.first.evaluate("b => b.closest('label').textContent")
    assert page.get_by_role("dialog", name="搜索本站").count() == 1
    assert page.locator("a.md-skip").count() == 1  # Material's skip link to the content
    context.close()


# ---- 2. Search reacts to text that arrives without a key ----

META = "document.querySelector('.md-search-result__meta').textContent"


def open_search(page):
    page.locator("input.md-search__input").click()
    page.wait_for_function(f"{META}.length > 0", timeout=15_000)  # the worker has answered once
    page.evaluate(f"{META} = ''")


def results_for(page) -> list[str]:
    page.wait_for_function("document.querySelectorAll('li.md-search-result__item').length > 0", timeout=2_000)
    return page.eval_on_selector_all("li.md-search-result__item > a", "as => as.map(a => a.href)")


@pytest.mark.parametrize("mode", ["http", "file"])
@pytest.mark.parametrize("route", ["insert", "paste-event", "composition"])
def test_search_shows_results_without_a_keyup(browser, shipped_site, served, mode, route):
    base = served if mode == "http" else site_url(shipped_site)
    context, page = new_page(browser)
    page.goto(base + "index.html")
    open_search(page)
    box = page.locator("input.md-search__input")
    if route == "insert":  # what a candidate tap or voice input does: text in, no key
        box.focus()
        page.keyboard.insert_text("纠纷")
    elif route == "paste-event":  # paste from a context menu: value set, one input event
        box.evaluate("b => { b.value = '纠纷'; "
                     "b.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); }")
    else:  # an input method: composing input events, then the commit
        box.evaluate("""b => {
            b.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true}));
            b.value = 'jiu';
            b.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
            b.value = '纠纷';
            b.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true}));
            b.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '纠纷'}));
        }""")
    found = [relative(h.split("?")[0], base) for h in results_for(page)]
    assert found[0] == "steps/canyu-maodun-huajie.html"
    context.close()


def test_pagefind_backend_reacts_to_input_too(browser, tmp_path, static_server):
    import sys

    from conftest import REPO
    from pilotguide.site.search import pagefind as pagefind_search

    sys.path.insert(0, str(REPO))
    from benchmarks.sites import with_search_backend

    if not pagefind_search.pagefind_installed():
        pytest.skip("pagefind is not installed (pip install 'pilotguide[pagefind]')")
    project = with_search_backend(copy_shipped(tmp_path), tmp_path / "pf", "pagefind")
    server = static_server(build_project(project))
    context, page = new_page(browser, 390, 844)
    page.goto(server.url + "index.html")
    box = page.locator("#pilotguide-search input")
    box.focus()
    page.keyboard.insert_text("纠纷")  # no key event at all
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    context.close()


# ---- 3. Everyday words and pinyin ----

def test_everyday_words_and_pinyin_find_the_formal_pages(browser, served):
    cases = yaml.safe_load(EVERYDAY.read_text(encoding="utf-8"))
    assert len(cases) >= 30
    context, page = new_page(browser)
    page.goto(served + "index.html")
    ranks = {}
    for case in cases:
        found = [relative(h, served) for h in search(page, case["query"])]
        ranks[case["query"]] = found.index(case["page"]) + 1 if case["page"] in found else None
    context.close()
    for kind in ("everyday", "pinyin", None):
        rs = [ranks[c["query"]] for c in cases if kind is None or c["kind"] == kind]
        r1 = sum(r == 1 for r in rs) / len(rs)
        r5 = sum(r is not None and r <= 5 for r in rs) / len(rs)
        print(f"\neveryday set ({kind or 'all'}): {len(rs)} queries, recall@1 = {r1:.2f}, recall@5 = {r5:.2f}")
    print("  missed:", [q for q, r in ranks.items() if r is None or r > 5])
    all_r5 = sum(r is not None and r <= 5 for r in ranks.values()) / len(ranks)
    assert all_r5 >= 0.85


# ---- 4. Tickable checklists with progress kept on this device ----

def tick_two_and_reload(page, url: str) -> None:
    page.goto(url)
    boxes = page.locator("article ul.task-list input[type=checkbox]")
    boxes.nth(0).locator("xpath=..").click()
    boxes.nth(2).locator("xpath=..").click()
    page.reload()
    boxes = page.locator("article ul.task-list input[type=checkbox]")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True, False, True]


@pytest.mark.parametrize("mode", ["http", "file"])
def test_ticks_survive_a_reload_and_show_on_the_steps_index(browser, shipped_site, served, mode):
    base = served if mode == "http" else site_url(shipped_site)
    context, page = new_page(browser)
    tick_two_and_reload(page, base + "steps/canyu-maodun-huajie.html")
    page.goto(base + "steps/index.html")
    row = page.locator("tr", has=page.locator("a[href='canyu-maodun-huajie.html']"))
    assert row.locator(".pg-progress").inner_text() == "已完成 2/4"
    assert page.locator(".pg-progress", has_text="已完成 0/").count() == len(STEPS) - 1
    page.get_by_role("button", name="清除全部勾选记录").click()
    assert row.locator(".pg-progress").inner_text() == "已完成 0/4"
    page.goto(base + "steps/canyu-maodun-huajie.html")
    assert page.locator("article ul.task-list input:checked").count() == 0
    context.close()


def test_handout_checklists_are_tickable(browser, served):
    context, page = new_page(browser)
    tick_two_and_reload(page, served + "courses/guanchadian-fuzhi-tuiguang-handout.html")
    context.close()


# ---- 5. Printing ----

# What every printed sheet carries at its foot (pages/paper.py) and page numbers: not the page's body.
MARGINALIA = re.compile(r"第\d+页(/共\d+页)?|.*内容指纹[0-9a-f]+.*|https?://\S+")


def pdf_pages(pdf: bytes, tmp_path: Path, name: str) -> list[dict]:
    """Per page of a PDF: its text, how far down the page its body reaches, its body's lines and
    the last of them (the running footer and page numbers are not the body)."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S):
        words = re.findall(r'yMax="([\d.]+)"[^>]*>([^<]*)</word>', page)
        lines: dict[int, str] = {}
        for y, w in words:
            lines[round(float(y))] = lines.get(round(float(y)), "") + w
        body = [(y, text) for y, text in sorted(lines.items()) if not MARGINALIA.fullmatch(text)]
        pages.append({"text": "".join(w for _, w in words), "bottom": max((y for y, _ in body), default=0),
                      "lines": len(body), "last": body[-1][1] if body else ""})
    return pages


def test_step_pages_print_without_a_half_blank_page_or_a_split_checklist(browser, served, tmp_path):
    context, page = new_page(browser)
    report = []
    for step in STEPS:
        page.goto(served + f"steps/{step}.html")
        items = [re.sub(r"\s", "", t) for t in page.locator("article ul.task-list li").all_inner_texts()]
        pages = pdf_pages(page.pdf(format="A4"), tmp_path, step)
        fills = [round(p["bottom"] / A4_HEIGHT_PT, 2) for p in pages]
        report.append((step, len(pages), fills))
        assert len(pages) <= 2, (step, fills)
        if len(pages) > 1:
            assert fills[0] >= 0.75, (step, fills)  # page 1 is not left half blank
        assert any(all(i in p["text"] for i in items) for p in pages), step  # the checklist on one page
        assert min(p["lines"] for p in pages) >= 3, (step, [p["lines"] for p in pages])  # no stranded line
    print("\nstep pages (pages, fill per page):", report)
    context.close()


def test_print_button_prints_the_checklist_on_one_page_with_ticks(browser, served, tmp_path):
    context, page = new_page(browser)
    page.goto(served + "steps/canyu-maodun-huajie.html")
    page.evaluate("window.print = () => {}")
    page.locator("article ul.task-list label").first.click()
    page.get_by_role("button", name="打印检查清单").click()
    pages = pdf_pages(page.pdf(format="A4"), tmp_path, "button")
    assert len(pages) == 1
    assert "✓" in pages[0]["text"]  # the ticked box prints ticked
    context.close()


def test_handout_printed_from_the_browser_keeps_checklists_whole(browser, served, tmp_path):
    context, page = new_page(browser)
    page.goto(served + "courses/guanchadian-fuzhi-tuiguang-handout.html")
    lists = page.eval_on_selector_all(
        "article ul.task-list", "ls => ls.map(l => [...l.querySelectorAll('li')].map(li => li.textContent))")
    headings = {re.sub(r"\s", "", h) for h in page.locator("article h2, article h3, article h4").all_inner_texts()}
    pages = pdf_pages(page.pdf(format="A4"), tmp_path, "handout")
    assert min(p["lines"] for p in pages) >= 3, [p["lines"] for p in pages]  # no line alone
    # no heading, nor a label that introduces a list ("检查清单："), stranded at a page foot
    assert [p["last"] for p in pages[:-1] if p["last"] in headings or p["last"].endswith("：")] == []
    for items in lists:
        items = [re.sub(r"\s", "", i) for i in items]
        assert any(all(i in p["text"] for i in items) for p in pages), items[0]
    context.close()


# ---- 6. Phones ----

@pytest.mark.parametrize("width", [360, 390])
def test_no_page_scrolls_sideways_on_a_phone(browser, served, width):
    context, page = new_page(browser, width, 800)
    wide = []
    for path in PAGE_TYPES:
        page.goto(served + path)
        page.wait_for_load_state("load")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide.append((path, scroll))
    page.goto(served + "case-studies/index.html")
    table = page.locator("table[data-pg-facets]")
    assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")  # cards, not a wide table
    context.close()
    assert wide == []


def test_filter_form_folds_and_its_controls_are_44px(browser, served):
    context, page = new_page(browser, 390, 844)
    page.goto(served + "case-studies/index.html")
    fold = page.locator("details.pg-filter-fold")
    assert fold.evaluate("d => d.open") is False
    fold.locator("summary").click()
    for control in page.locator(".pg-filter select, .pg-filter input, .pg-filter button").all():
        assert control.bounding_box()["height"] >= 44
    assert page.locator("details.pg-filter-fold summary").bounding_box()["height"] >= 44
    context.close()


@pytest.fixture
def finding_site(tmp_path) -> Path:
    """The finding fixture (made-up mediation cases), with one case following the step that has a checklist."""
    root = copy_fixture("finding", tmp_path)
    case = root / "case-studies" / "rural-mediation-a.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "steps: [long-checklist]\n", encoding="utf-8")
    return build_project(root)


def test_phone_path_home_to_a_mediation_case_to_its_checklist(browser, finding_site, static_server):
    server = static_server(finding_site)
    context, page = new_page(browser, 390, 844)
    page.goto(server.url + "index.html")
    page.locator("article a", has_text="找案例").click()                        # tap 1
    page.locator("article a", has_text="矛盾化解").first.click()                # tap 2: a filtered list
    page.wait_for_url(re.compile(r"(mao-dun-hua-jie\.html|role=)"))
    page.locator("article a", has_text="高潮村调解会").first.click()             # a case
    page.wait_for_url("**/rural-mediation-a.html")
    page.locator("article a[href*='long-checklist']").first.click()             # its step
    page.wait_for_url("**/long-checklist.html")
    tick_two_and_reload(page, page.url)
    context.close()


# ---- the handout PDF from WeasyPrint (the same build) ----

def test_handout_pdf_splits_no_checklist(shipped_site, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    import html as html_lib

    handout = shipped_site / "courses" / "guanchadian-fuzhi-tuiguang-handout.html"
    lists = re.findall(r'<ul class="task-list">(.*?)</ul>', handout.read_text(encoding="utf-8"), re.S)
    assert lists
    pdf = (shipped_site / "courses" / "guanchadian-fuzhi-tuiguang-handout.pdf").read_bytes()
    pages = pdf_pages(pdf, tmp_path, "weasy")
    assert min(p["lines"] for p in pages) >= 3, [p["lines"] for p in pages]  # the running title + 2 lines at least
    assert [p["last"] for p in pages[:-1] if p["last"].endswith("：")] == []  # no list label at a page foot
    for block in lists:
        items = [re.sub(r"\s|<[^>]*>", "", html_lib.unescape(li))
                 for li in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]
        assert any(all(i in p["text"] for i in items) for p in pages), items[0]
