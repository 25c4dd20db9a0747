"""Finding and trusting content in real Chromium: the case filter (http, file://, no JS, phone),
the statistics charts, glossary tooltips and the printable checklist."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import build_project
from conftest import FIXTURES

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
RURAL_MEDIATION = {"平房区高潮村调解会", "双阳区乡贤调解室"}  # made-up cases in fixtures/finding


@pytest.fixture(scope="module")
def finding_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("finding") / "project"
    shutil.copytree(FIXTURES / "finding", root)
    return build_project(root)


def visible_cases(page) -> set[str]:
    rows = page.locator("table[data-pg-facets] tbody tr:visible td:first-child")
    return set(rows.all_inner_texts())


def choose(page, label: str, value: str) -> None:
    page.locator("label.pg-filter__field", has_text=label).locator("select").select_option(value)


def test_facets_and_text_combine_and_the_count_follows(finding_site, static_server, page):
    page.goto(static_server(finding_site).url + "case-studies/index.html")
    count = page.locator(".pg-filter__count")
    assert count.inner_text() == "共 6 个案例，显示 6 个"
    choose(page, "城乡", "农村社区")
    assert len(visible_cases(page)) == 4
    choose(page, "发挥作用", "矛盾化解")
    assert visible_cases(page) == RURAL_MEDIATION
    assert count.inner_text() == "共 6 个案例，显示 2 个"
    assert "role=%E7%9F%9B%E7%9B%BE%E5%8C%96%E8%A7%A3" in page.url  # the state is in the link
    page.locator(".pg-filter__search").fill("双阳")
    assert visible_cases(page) == {"双阳区乡贤调解室"}
    choose(page, "地区", "黑龙江省")
    assert visible_cases(page) == set() and page.locator(".pg-filter__empty").is_visible()
    page.locator(".pg-filter__reset").click()
    assert len(visible_cases(page)) == 6
    choose(page, "地区", "吉林省/长春市")  # a city includes its districts
    assert visible_cases(page) == {"朝阳区为老服务社", "双阳区乡贤调解室"}
    choose(page, "扶持措施", "政府购买服务")
    assert visible_cases(page) == {"朝阳区为老服务社"}


def test_filters_work_from_file_urls_and_links_preset_them(finding_site, page):
    url = (finding_site / "case-studies" / "index.html").as_uri()
    page.goto(url + "#filter:area=%E5%9F%8E%E5%B8%82%E7%A4%BE%E5%8C%BA&year=2019")
    assert visible_cases(page) == {"南岗区邻里议事会"}
    assert page.locator("label.pg-filter__field", has_text="城乡").locator("select").input_value() == "城市社区"


def test_without_javascript_the_whole_table_is_there(finding_site, static_server, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(static_server(finding_site).url + "case-studies/index.html")
        assert page.locator("table[data-pg-facets] tbody tr").count() == 6
        assert len(visible_cases(page)) == 6
        assert page.locator(".pg-filter").count() == 0
    finally:
        context.close()


def test_phone_reader_reaches_rural_mediation_cases_in_two_taps(finding_site, static_server, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(static_server(finding_site).url + "index.html")
        page.locator("article a", has_text="找案例").tap()  # 1
        page.wait_for_url("**/topics/index.html")
        table = page.locator("table", has_text="矛盾化解").first
        row = table.locator("tr", has_text="农村社区")
        row.locator("td").nth(2).locator("a").tap()  # 2: the 农村社区 × 矛盾化解 cell
        page.wait_for_url("**/case-studies/index.html#filter:*")
        assert visible_cases(page) == RURAL_MEDIATION
        # Everything the reader needs fits the phone's width: the filter form does not overflow.
        box = page.locator(".pg-filter").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    finally:
        context.close()


def test_statistics_charts_show_their_labels(finding_site, static_server, page, tmp_path):
    server = static_server(finding_site)
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(server.url + "statistics.html")
    images = page.locator("article img")
    assert images.count() == 6
    for i in range(images.count()):
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=str(tmp_path / "statistics.png"), full_page=True)
    # Inside the SVG the labels are text: each is rendered, and inside the picture (not cut off).
    for chart, terms in (("role", ("政治引领", "矛盾化解", "公共服务", "文化建设")),
                         ("activity", ("为民服务", "农村生产技术服务"))):
        assert page.goto(f"{server.url}statistics/{chart}.svg").ok
        labels = {text: (left, right) for text, left, right in page.evaluate(LABEL_BOXES)}
        for term in terms:
            left, right = labels[term]
            assert left >= 0 and right - left >= 14 * len(term) * 0.9, term


# Each <text> of the SVG: its content and horizontal extent, relative to the picture's own box.
LABEL_BOXES = """() => {
    const frame = document.documentElement.getBoundingClientRect();
    const scale = frame.width / document.documentElement.viewBox.baseVal.width;
    return Array.from(document.querySelectorAll('text')).map(t => {
        const r = t.getBoundingClientRect();
        return [t.textContent, (r.left - frame.left) / scale, (r.right - frame.left) / scale];
    });
}"""


def test_glossary_terms_show_their_definition_and_link_to_the_glossary(finding_site, static_server, page):
    page.goto(static_server(finding_site).url + "steps/long-checklist.html")
    term = page.locator("article a.pg-term", has_text="社区社会组织").first
    assert term.get_attribute("href") == "../glossary.html#shequ-shehui-zuzhi"
    term.hover()
    tooltip = page.locator(".md-tooltip2", has_text="由社区居民发起")
    tooltip.wait_for(state="visible", timeout=5000)
    term.click()
    page.wait_for_url("**/glossary.html#shequ-shehui-zuzhi")


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_a_step_checklist_prints_on_one_a4_page_with_boxes(finding_site, static_server, page, tmp_path):
    page.goto(static_server(finding_site).url + "steps/long-checklist.html")
    page.evaluate("window.print = () => {}")  # headless Chromium has no print dialog
    page.locator(".pg-print-button").click()
    assert page.evaluate("document.body.classList.contains('pg-print-checklist')")
    page.emulate_media(media="print")
    assert page.locator("article h1").is_visible() and page.locator("#checklist").is_visible()
    assert page.locator("article .task-list-item").count() == 12
    assert not page.locator("article h2", has_text="任务").is_visible()
    box = page.evaluate("""() => getComputedStyle(document.querySelector('.task-list-indicator'), '::before')
                               .borderTopWidth""")
    assert box != "0px"  # an empty square to tick by hand, drawn as a border so it prints
    pdf = page.pdf(format="A4", print_background=False)  # (printing ends the checklist-only mode)
    (tmp_path / "checklist.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1


def test_without_the_button_the_checklist_is_kept_whole_not_forced_onto_a_new_page(finding_site, static_server, page):
    # A forced page break before the checklist left page 1 of every step page half blank (#14).
    page.goto(static_server(finding_site).url + "steps/long-checklist.html")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.getElementById('checklist')).breakBefore") != "page"
    assert page.evaluate("getComputedStyle(document.getElementById('checklist')).breakAfter") == "avoid"
    assert page.evaluate("getComputedStyle(document.querySelector('ul.task-list')).breakInside") == "avoid"
