"""Finding and trusting content without a browser: taxonomy, case table data, charts, status,
review dates, glossary links, editions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import pytest
from conftest import copy_fixture, pilotguide, write

from pilotguide.content.gather import load_content
from pilotguide.pages import charts
from pilotguide.pages.render import render_pages
from pilotguide.pages.taxonomy import slugify, taxonomy
from pilotguide.site.glossary_links import GlossaryTermsExtension, glossary_terms

PAST = "1767225600"  # 2026-01-01


@pytest.fixture
def finding(tmp_path) -> Path:
    """A writable copy of tests/fixtures/finding: six made-up cases across every facet."""
    return copy_fixture("finding", tmp_path, "finding")


def terms_of(content, key):
    facet = next(f for f in taxonomy(content) if f.key == key)
    return {t.key: sorted(r.id for r in t.records) for t in facet.terms}


def test_facets_collect_cases_per_term(finding):
    content = load_content(finding)
    assert terms_of(content, "role")["矛盾化解"] == ["rural-mediation-a", "rural-mediation-b", "urban-mediation"]
    assert terms_of(content, "area") == {"城市社区": ["urban-mediation", "urban-service"],
                                         "农村社区": ["rural-culture", "rural-mediation-a", "rural-mediation-b",
                                                      "rural-tech"]}
    assert list(terms_of(content, "activity")) == ["为民服务", "公益慈善", "邻里互助", "文体娱乐", "农村生产技术服务"]
    assert terms_of(content, "year") == {"2018": ["rural-mediation-a"], "2019": ["rural-culture", "urban-mediation"],
                                         "2020": ["rural-tech", "urban-service"], "2021": ["rural-mediation-b"]}
    regions = terms_of(content, "region")
    assert len(regions["黑龙江省"]) == 3 and len(regions["吉林省/长春市"]) == 2
    assert regions["吉林省/长春市/双阳区"] == ["rural-mediation-b"]


def test_term_pages_list_their_cases_and_empty_terms_get_none(finding):
    write(finding / "vocabularies.yaml", """
        phases: [培育发展]
        areas: [城市社区, 农村社区]
        activity_types: [为民服务, 公益慈善, 邻里互助, 文体娱乐, 农村生产技术服务, 养老服务]
        roles: [政治引领, 矛盾化解, 公共服务, 文化建设]
        support_measures: [发展基金与孵化, 政府购买服务, 表彰激励]
    """)
    pages = render_pages(load_content(finding))
    page = pages["topics/role/mao-dun-hua-jie.md"]
    assert page.startswith("# 发挥作用：矛盾化解")
    assert "共 3 个" in page and "[双阳区乡贤调解室](../../case-studies/rural-mediation-b.md)" in page
    assert "[平房区](region/hei-long-jiang-sheng-ha-er-bin-shi-ping-fang-qu.md)（1）" in pages["topics/index.md"]
    assert "- 养老服务（0）" in pages["topics/index.md"]  # listed, but no page for a term no case carries
    assert not any("yang-lao" in p for p in pages)


def test_cross_table_links_open_the_case_table_filtered(finding):
    index = render_pages(load_content(finding))["topics/index.md"]
    rural = next(line for line in index.splitlines() if line.startswith("| 农村社区 |") and "矛盾化解" not in line)
    link = ("[2](../case-studies/index.md#filter:area=%E5%86%9C%E6%9D%91%E7%A4%BE%E5%8C%BA"
            "&role=%E7%9F%9B%E7%9B%BE%E5%8C%96%E8%A7%A3)")
    assert link in rural


def test_slugs_are_ascii_and_homophones_stay_distinct(finding):
    assert slugify("农村社区") == "nong-cun-she-qu"
    for i, name in enumerate(("城市", "程式")):  # both "cheng shi"
        write(finding / "case-studies" / f"x{i}.yaml", f"""
            id: x{i}
            title: {name}
            summary: 测试
            location: {{province: {name}}}
            sources: [{{title: 测试}}]
        """)
    pages = render_pages(load_content(finding))
    assert "topics/region/cheng-shi.md" in pages and "topics/region/cheng-shi-2.md" in pages


def test_case_rows_carry_their_facets_and_content_is_escaped(finding):
    path = finding / "case-studies" / "rural-tech.yaml"
    text = path.read_text(encoding="utf-8").replace("city: 四平市", 'city: "四平<b>市</b>\\""')
    path.write_text(text, encoding="utf-8")
    index = render_pages(load_content(finding))["case-studies/index.md"]
    row = next(line for line in index.splitlines() if "rural-tech.md" in line)
    assert 'data-pg-role="[&quot;公共服务&quot;]"' in row
    assert "<b>" not in row and "四平&lt;b&gt;市&lt;/b&gt;&quot;" in row
    spec = re.search(r'data-pg-facets="([^"]*)"', index).group(1)
    facets = json.loads(spec.replace("&quot;", '"'))
    assert [f["key"] for f in facets] == ["region", "area", "activity", "role", "support", "year"]


def test_charts_are_static_svg_with_text_and_reproducible(finding):
    content = load_content(finding)
    first = charts.figures(taxonomy(content), 6)
    again = charts.figures(taxonomy(load_content(finding)), 6)
    assert [f.svg for f in first] == [f.svg for f in again]
    role = next(f for f in first if f.key == "role")
    assert "<script" not in role.svg and "<text" in role.svg and ">矛盾化解<" in role.svg
    assert not re.search(r"(src|href)=\"(https?:)?//", role.svg)  # nothing loaded from the network
    assert role.rows == [("政治引领", 1), ("矛盾化解", 3), ("公共服务", 3), ("文化建设", 1)]
    years = next(f for f in first if f.key == "year")
    assert [label for label, _ in years.rows] == ["2018", "2019", "2020", "2021"]


def test_a_facet_nobody_carries_gets_a_sentence_not_a_chart(minimal):
    pages = render_pages(load_content(minimal))
    assert "暂无案例注明发挥作用。" in pages["statistics.md"]
    assert "statistics/role.svg" not in pages and "statistics/area.svg" in pages


def test_policy_status_badge_and_replacement(finding):
    pages = render_pages(load_content(finding))
    old = pages["policies/p-old.md"]
    assert "**已废止**{ .pg-badge .pg-badge--repealed }" in old
    assert '!!! danger "本政策已废止"\n\n    本政策已废止，请以现行文件为准：[新的扶持办法](p-new.md)。' in old
    assert "**现行有效**{ .pg-badge .pg-badge--current }" in pages["policies/p-new.md"]
    assert '!!! info "本政策征求意见中"\n\n    这是征求意见稿，尚未正式施行。' in pages["policies/p-draft.md"]
    assert "**征求意见**{ .pg-badge .pg-badge--draft }" in pages["policies/index.md"]


def test_pages_past_review_by_show_a_notice(finding, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PAST)
    pages = render_pages(load_content(finding))
    assert '!!! warning "内容待复核"' in pages["policies/p-old.md"]
    assert "本页应于 2020-01-01 前复核" in pages["policies/p-old.md"]
    assert "内容待复核" not in pages["policies/p-new.md"]  # due in 2999
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")  # 2017: nothing is due yet
    assert "内容待复核" not in render_pages(load_content(finding))["policies/p-old.md"]


def test_check_lists_overdue_pages_as_warnings_and_strict_fails(finding, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PAST)
    result = pilotguide(finding, "check", catch_exceptions=True)
    assert result.exit_code == 0
    assert "policies/p-old.yaml:10:12: 警告：政策「旧的扶持办法」应于 2020-01-01 前复核，已过期" in result.output
    strict = pilotguide(finding, "check", "--strict", catch_exceptions=True)
    assert strict.exit_code == 1 and "警告按错误处理" in strict.output


def convert(text: str, page: str, content) -> str:
    terms = GlossaryTermsExtension(glossary_terms(content))
    terms.page = page
    return markdown.markdown(text, extensions=[terms])


def test_glossary_terms_link_to_their_entry_once_per_page(finding):
    content = load_content(finding)
    html = convert("# 社区社会组织\n\n培育城乡社区社会组织，先行先试。社区社会组织再次出现。\n\n`社区社会组织`\n",
                   "steps/s1.md", content)
    links = re.findall(r'<a class="pg-term" href="([^"]+)" title="([^"]+)">([^<]+)</a>', html)
    assert links == [("../glossary.md#shequ-shehui-zuzhi",
                      "社区社会组织：由社区居民发起、在社区开展活动的社会组织（测试释义）。", "城乡社区社会组织"),
                     ("../glossary.md#xianxing-xianshi",
                      "先行先试：在部分地方先试起来，积累经验（测试释义）。", "先行先试")]
    assert "<h1>社区社会组织</h1>" in html and "<code>社区社会组织</code>" in html
    assert convert("先行先试", "glossary.md", content) == "<p>先行先试</p>"  # not on the glossary itself


def test_glossary_terms_leave_existing_links_alone(finding):
    html = convert("[先行先试](x.md)，然后先行先试。", "index.md", load_content(finding))
    assert html.count("<a ") == 2 and '<a href="x.md">先行先试</a>' in html


def build(root: Path, *args: str):
    return pilotguide(root, "build", *args, catch_exceptions=True)


@pytest.mark.slow
def test_editions_are_recorded_only_when_asked_and_list_changes(minimal, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PAST)
    manifest = minimal / "editions.json"
    assert build(minimal).exit_code == 0 and not manifest.exists()  # plain builds never write it
    result = build(minimal, "--record-edition")
    assert result.exit_code == 0 and "已把本版记入 editions.json" in result.output
    first = json.loads(manifest.read_text(encoding="utf-8"))["editions"][0]
    assert first["date"] == "2026-01-01" and first["first"] is True
    footer = (minimal / "site" / "index.html").read_text(encoding="utf-8")
    assert f"本版 2026-01-01 · 内容指纹 {first['hash']}" in footer

    policy = minimal / "policies" / "p1.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("summary: 摘要", "summary: 新摘要"), encoding="utf-8")
    (minimal / "glossary" / "g1.yaml").unlink()
    write(minimal / "glossary" / "g2.yaml", "id: g2\nterm: 新术语\ndefinition: 释义\nsources: [{title: 文章}]\n")
    steps = minimal / "steps" / "s2.yaml"
    steps.write_text(steps.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767312000")  # a day later
    assert build(minimal, "--record-edition").exit_code == 0
    changes = (minimal / "site" / "changes" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", changes)
    assert f"与上一版（2026-01-01，{first['hash']}）相比" in text
    assert "术语：新术语" in text and "术语：观察点" in text  # added, removed
    assert "政策：政策一 {{ 不是模板 }}（摘要）" in text
    editions = json.loads(manifest.read_text(encoding="utf-8"))["editions"]
    assert [e["date"] for e in editions] == ["2026-01-02", "2026-01-01"]


@pytest.mark.slow
def test_a_failed_build_does_not_record_an_edition(minimal):
    build(minimal, "--record-edition")
    manifest = minimal / "editions.json"
    before = manifest.read_bytes()
    write(minimal / "docs" / "broken.md", "[坏链接](nowhere.md)\n")  # strict mode fails on it
    result = build(minimal, "--strict", "--record-edition")
    assert result.exit_code == 1
    assert manifest.read_bytes() == before
    assert not list(minimal.glob(".editions.json.*"))


def test_a_damaged_manifest_is_a_located_problem(minimal, monkeypatch):
    (minimal / "editions.json").write_text("{不是 JSON", encoding="utf-8")
    result = pilotguide(minimal, "check", catch_exceptions=True)
    assert result.exit_code == 1 and "editions.json: 版本记录文件损坏" in result.output


def test_the_content_hash_text_is_the_snapshot_serialised_whole(shipped):
    """snapshot_json builds the hashed text from one piece per record (kept between a preview's
    saves); it must be the very text of serialising the snapshot at once, or every recorded
    edition's hash would stop matching unchanged content."""
    from pilotguide.content import editions
    from pilotguide.content.gather import load_content

    content = load_content(shipped)
    whole = json.dumps([editions.snapshot(content), content.vocabularies], ensure_ascii=False,
                       sort_keys=True, separators=(",", ":"))
    kept: dict = {}
    assert editions.snapshot_json(content) == whole
    assert editions.snapshot_json(content, kept) == whole and len(kept) == sum(map(len, content.records.values()))
    assert editions.snapshot_json(content, kept) == whole  # from the kept pieces
    case = content.records["case-study"][0]
    case.data["title"] = "改了题目"  # a new record object would come from the file; same effect here
    kept.pop(id(case))
    assert editions.snapshot_json(content, kept) != whole


@pytest.mark.slow
def test_the_region_tree_on_find_a_case_nests_city_under_province_and_district_under_city(finding):
    """Read from the built HTML: Python-Markdown nests a list item only when it is indented by 4
    spaces (2 would make 哈尔滨市 a sibling of 黑龙江省)."""
    import lxml.html

    result = build(finding)
    assert result.exit_code == 0, result.output
    page = lxml.html.fromstring((finding / "site" / "topics" / "index.html").read_bytes())
    heading = next(h for h in page.iter("h2") if h.text_content().strip() == "地区")
    tree = heading.getnext()
    assert tree.tag == "ul"

    provinces = tree.xpath("./li")
    assert {li.xpath("string(./a)") for li in provinces} == {"黑龙江省", "吉林省"}
    heilongjiang = next(li for li in provinces if li.xpath("string(./a)") == "黑龙江省")
    cities = heilongjiang.xpath("./ul/li")
    assert {li.xpath("string(./a)") for li in cities} == {"哈尔滨市", "齐齐哈尔市"}
    harbin = next(li for li in cities if li.xpath("string(./a)") == "哈尔滨市")
    assert {li.xpath("string(./a)") for li in harbin.xpath("./ul/li")} == {"平房区", "南岗区"}
    assert not tree.xpath("./li[a='哈尔滨市']")  # not flattened beside its province


JAN_2027, JAN_2028 = "1798761600", "1830297600"  # SOURCE_DATE_EPOCH of 2027-01-01 and 2028-01-01


def newest_update(root: Path) -> str:
    content = load_content(root)
    return max(r.data["updated"] for rs in content.records.values() for r in rs if "updated" in r.data)


def test_the_edition_date_is_the_last_content_change_not_the_build_day(shipped, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2027)
    first = load_content(shipped).edition
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2028)  # the same content, a year later
    again = load_content(shipped).edition
    newest = newest_update(shipped)
    assert (first.date, first.hash) == (again.date, again.hash) == (newest, first.hash)
    assert first.date < "2027-01-01"
    step = next((shipped / "steps").glob("*.yaml"))
    step.write_text(re.sub(r"(?m)^updated: .*$", "updated: 2027-06-01", step.read_text(encoding="utf-8")),
                    encoding="utf-8")
    assert load_content(shipped).edition.date == "2027-06-01"  # a record changed and says when
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2027)
    assert load_content(shipped).edition.date == newest  # an update dated after today is not believed


def test_an_undated_change_after_a_recorded_edition_is_dated_by_the_build(minimal, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PAST)
    content = load_content(minimal)
    assert content.edition.date == "2026-01-01"  # no record says when it changed: the build's day
    from pilotguide.content.editions import record_edition

    record_edition(content)
    policy = minimal / "policies" / "p1.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("summary: 摘要", "summary: 新摘要"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", JAN_2027)
    edition = load_content(minimal).edition
    assert edition.date == "2027-01-01" and edition.previous.date == "2026-01-01"


@pytest.mark.slow
def test_an_unchanged_guide_rebuilt_on_another_day_keeps_its_edition_date(shipped, monkeypatch):
    stamps = []
    for epoch in (JAN_2027, JAN_2028):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        assert build(shipped).exit_code == 0
        footer = (shipped / "site" / "steps" / "index.html").read_text(encoding="utf-8")
        stamps.append(re.search(r"本版 [\d-]+ · 内容指纹 [0-9a-f]+", footer).group(0))
    assert stamps[0] == stamps[1] == stamps[0].replace(stamps[0][3:13], newest_update(shipped))
