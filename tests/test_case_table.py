"""Light pages at any size (pages/case_table.py): the case table's first rows and its data file,
long lists cut to their first cases with a link to the filtered table. Page sizes are small here
(monkeypatched) so that a guide of a few cases behaves like one of thousands."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from pilotguide.content.gather import load_content
from pilotguide.pages import case_table
from pilotguide.pages.render import render_pages
from pilotguide.pages.taxonomy import taxonomy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import generate  # noqa: E402


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(case_table, "PAGE_ROWS", 3)
    monkeypatch.setattr(case_table, "LIST_LIMIT", 2)
    monkeypatch.setattr(case_table, "INDEX_TERMS", 4)


@pytest.fixture
def guide(tmp_path) -> Path:
    return generate(tmp_path / "guide", 12, seed=4)


def data_of(pages: dict[str, str]) -> dict:
    text = pages[case_table.DATA_FILE]
    return json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))


def test_a_big_table_carries_its_first_rows_and_a_data_file_with_all(guide, small_pages):
    content = load_content(guide)
    pages = render_pages(content)
    index = pages["case-studies/index.md"]
    assert index.count("<tr markdown=\"1\" data-pg-") == 3
    assert 'data-pg-rows="case-table.js"' in index and 'data-pg-total="12"' in index
    cases = content.all("case-study")
    data = data_of(pages)
    assert [r[0] for r in data["rows"]] == [c.id for c in cases]
    facets = {f["key"]: f for f in data["facets"]}
    assert list(facets) == ["region", "area", "activity", "role", "support", "year", "step", "policy"]
    # Each row's option numbers decode to exactly the case's own facets and references.
    for case, row in zip(cases, data["rows"]):
        codes = dict(zip(facets, row[4]))
        steps = [facets["step"]["options"][n][0] for n in codes["step"]]
        assert steps == list(dict.fromkeys(case.data["steps"]))
        areas = [facets["area"]["options"][n][0] for n in codes["area"]]
        assert areas == [case.data["area"]] and row[1] == case.title
    # The page's own facet list stops at cities; the data file has the districts.
    page_spec = json.loads(re.search(r'data-pg-facets="([^"]*)"', index).group(1).replace("&quot;", '"'))
    assert max(o[2] for o in page_spec[0]["options"]) == 1
    assert max(o[2] for o in facets["region"]["options"]) == 2


def test_a_small_table_is_whole_and_has_no_data_file(guide):
    pages = render_pages(load_content(guide))
    assert case_table.DATA_FILE not in pages
    assert pages["case-studies/index.md"].count("<tr markdown=\"1\" data-pg-") == 12
    assert "data-pg-rows" not in pages["case-studies/index.md"]


def test_long_lists_name_their_first_cases_and_link_to_the_table(guide, small_pages):
    content = load_content(guide)
    pages = render_pages(content)
    step = max(content.all("step"), key=lambda s: len(content.cited_by(s, "case-study")))
    citing = content.cited_by(step, "case-study")
    assert len(citing) > 2
    page = pages[f"steps/{step.id}.md"]
    listed = re.findall(r"\(\.\./case-studies/(case-\d+)\.md\)", page)
    assert listed == [c.id for c in citing[:2]]
    assert f"全部 {len(citing)} 个案例" in page and f"../case-studies/index.md#filter:step={step.id}" in page
    facet_pages = [p for p in pages if p.startswith("topics/area/")]
    for path in facet_pages:
        assert len(re.findall(r"\]\(\.\./\.\./case-studies/case-", pages[path])) <= 2
    assert any("#filter:area=" in pages[p] and "全部" in pages[p] for p in facet_pages)


def test_past_the_limit_the_topics_index_leaves_districts_to_their_city(guide, small_pages):
    content = load_content(guide)
    pages = render_pages(content)
    region = next(f for f in taxonomy(content) if f.key == "region")
    district = next(t for t in region.terms if t.depth == 2)
    city = next(t for t in region.terms if district in t.children)
    assert f"region/{district.slug}.md" not in pages["topics/index.md"]
    assert f"region/{city.slug}.md" in pages["topics/index.md"]
    assert f"[{district.label}]({district.slug}.md)" in pages[f"topics/region/{city.slug}.md"]


def test_the_data_file_is_one_assignment_whatever_a_title_holds(guide, small_pages):
    case = guide / "case-studies" / "case-00003.yaml"
    lines = case.read_text(encoding="utf-8").splitlines()
    lines = [('title: "</script><b>x</b>村"' if line.startswith("title: ") else
              '  district: "长\\u2028县"' if line.startswith("  district: ") else line) for line in lines]
    case.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = render_pages(load_content(guide))[case_table.DATA_FILE]
    assert "\u2028" not in script and script.count("\n") == 1  # one line: no separator can end it early
    row = next(r for r in data_of({case_table.DATA_FILE: script})["rows"] if r[0] == "case-00003")
    assert row[1] == "</script><b>x</b>村"  # text, which filter.js only ever sets as text
    region = data_of({case_table.DATA_FILE: script})["facets"][0]
    assert any(o[1] == "长\u2028县" for o in region["options"])  # escaped in the file, intact once read


def test_a_preview_keeps_rows_and_terms_and_still_writes_the_same_files(guide, small_pages):
    """With a PageMemo (pilotguide serve), each case's terms and table row are kept between saves;
    the data file must stay the text of dumping the whole table at once, and follow an edit."""
    from pilotguide.content.cache import RecordCache
    from pilotguide.pages.memo import PageMemo

    cache, memo = RecordCache(), PageMemo()
    plain = render_pages(load_content(guide))
    text = plain[case_table.DATA_FILE]
    whole = json.dumps(data_of(plain), ensure_ascii=False, separators=(",", ":"))
    assert text == f"window.{case_table.DATA_GLOBAL}={whole};\n"
    assert render_pages(load_content(guide, cache=cache), memo=memo) == plain
    assert render_pages(load_content(guide, cache=cache), memo=memo) == plain  # from what was kept
    case = sorted((guide / "case-studies").glob("*.yaml"))[5]
    case.write_text(case.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: 新名", 1), encoding="utf-8")
    kept = render_pages(load_content(guide, cache=cache), memo=memo)
    assert kept == render_pages(load_content(guide))
    assert kept[case_table.DATA_FILE] != text and "新名" in kept[case_table.DATA_FILE]
