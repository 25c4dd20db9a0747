"""The paged case table at 1,000 cases, in Chromium: every case findable though the page holds 50 rows."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import build_project

from pilotguide.pages import case_table

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import generate  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    return build_project(generate(tmp_path_factory.mktemp("big-table") / "guide", 1000, seed=3))


def table_data(site: Path) -> dict:
    text = (site / case_table.DATA_FILE).read_text(encoding="utf-8")
    prefix = f"window.{case_table.DATA_GLOBAL}="
    assert text.startswith(prefix)
    return json.loads(text[len(prefix):].rstrip().rstrip(";"))


def visible_titles(page) -> list[str]:
    return page.locator("table[data-pg-facets] tbody tr:visible td:first-child").all_inner_texts()


def shown(page) -> int:
    return int(page.locator(".pg-filter__count").get_attribute("data-pg-shown"))


def a_late_case(site: Path) -> list:
    """A case far past the first page of rows, whose title no other case shares."""
    rows = table_data(site)["rows"]
    titles = [r[1] for r in rows]
    late = next(r for r in rows[700:] if titles.count(r[1]) == 1)
    assert late[1] not in (site / "case-studies" / "index.html").read_text(encoding="utf-8")
    return late


def finds_by_text(page, url: str, late: list) -> None:
    page.goto(url)
    page.locator(".pg-filter__search").wait_for()
    assert len(visible_titles(page)) == case_table.PAGE_ROWS
    assert "共 1000 个案例" in page.locator(".pg-filter__count").inner_text()
    page.locator(".pg-filter__search").fill(late[1])
    assert visible_titles(page) == [late[1]] and shown(page) == 1
    page.locator("table[data-pg-facets] tbody a", has_text=late[1]).click()
    page.wait_for_url(f"**/case-studies/{late[0]}.html")
    assert late[1] in page.locator("article h1").inner_text()


def test_the_page_holds_only_the_first_rows_and_the_data_file_every_row(big_site):
    html = (big_site / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert html.count("<tr data-pg-") == case_table.PAGE_ROWS
    assert len(html.encode()) < 300_000
    data = table_data(big_site)
    assert len(data["rows"]) == 1000 and len({r[0] for r in data["rows"]}) == 1000
    step = next(f for f in data["facets"] if f["key"] == "step")
    assert sum(o[3] for o in step["options"]) >= 1000  # every case followed at least one step


def test_text_filter_finds_a_case_past_the_first_page_over_http(big_site, static_server, page):
    finds_by_text(page, static_server(big_site).url + "case-studies/index.html", a_late_case(big_site))


def test_text_filter_finds_a_case_past_the_first_page_from_file_urls(big_site, page):
    finds_by_text(page, (big_site / "case-studies" / "index.html").as_uri(), a_late_case(big_site))


def test_facets_from_the_data_file_and_pages_of_rows(big_site, static_server, page):
    data = table_data(big_site)
    region = data["facets"][0]
    district = next(o for o in region["options"] if o[2] == 2)  # not among the page's own options
    server = static_server(big_site)
    page.goto(server.url + "case-studies/index.html#filter:region=" + district[0])
    page.locator(".pg-filter__search").wait_for()
    assert shown(page) == district[3] == len(visible_titles(page))
    page.locator(".pg-filter__reset").click()
    first = visible_titles(page)
    assert page.locator(".pg-pager__status").inner_text() == "第 1 / 20 页"
    page.locator(".pg-pager__next").click()
    assert page.locator(".pg-pager__status").inner_text() == "第 2 / 20 页"
    second = visible_titles(page)
    assert len(second) == case_table.PAGE_ROWS and not set(first) & set(second)
    assert second == [r[1] for r in data["rows"][50:100]]
    # Rows made from the data file get their column names too (phone.js), for the phone's cards.
    place = page.locator("table[data-pg-facets] tbody tr").first.locator("td").nth(1)
    place.wait_for()
    assert place.get_attribute("data-pg-label") == "地点"


def test_a_step_page_links_to_all_its_cases_in_the_table(big_site, static_server, page):
    server = static_server(big_site)
    page.goto(server.url + "steps/step-01.html")
    link = page.locator("article a", has_text="试点案例表格")
    total = int(page.locator("article").inner_text().split("全部 ")[1].split(" ")[0])
    assert total > case_table.LIST_LIMIT
    link.click()
    page.locator(".pg-filter__search").wait_for()
    assert shown(page) == total
    assert page.locator("select[data-pg-facet=step]").input_value() == "step-01"
