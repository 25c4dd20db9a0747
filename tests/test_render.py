"""Rendering: golden Markdown for a fixture project, links, literal content, template overrides."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from conftest import FIXTURES, write

from pilotguide.content.gather import load_content
from pilotguide.errors import ContentError
from pilotguide.courses.formats import FORMATS
from pilotguide.pages.render import cell, relative, render_pages

DOWNLOADS = tuple(FORMATS.values())  # the course pages link to every download format

GOLDEN = Path(__file__).resolve().parent / "golden"


PROJECTS = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
GOLDEN_FILES = [(name, p.relative_to(GOLDEN / name).as_posix())
                for name in PROJECTS for p in sorted((GOLDEN / name).rglob("*")) if p.is_file()]


@pytest.fixture(scope="module")
def rendered():
    """Each golden fixture project rendered once, with fixed edition and review dates."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
        return {name: render_pages(load_content(FIXTURES / name), downloads=DOWNLOADS) for name in PROJECTS}


@pytest.mark.parametrize("project", PROJECTS)
def test_golden_pages_are_the_rendered_pages(project, rendered, update_golden):
    """Each fixture project under fixtures/ with a golden/<name>/ folder renders exactly to it:
    the same set of files (pages and chart SVGs). `pytest --update-golden` rewrites the folder
    from the render, removing stale files; review the diff."""
    pages, folder = rendered[project], GOLDEN / project
    if update_golden:
        for path, markdown in pages.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(markdown, encoding="utf-8")
        for stale in [p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).as_posix() not in pages]:
            stale.unlink()
    expected = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert sorted(pages) == expected


@pytest.mark.parametrize(("project", "path"), GOLDEN_FILES, ids=[f"{n}/{p}" for n, p in GOLDEN_FILES])
def test_golden_page(project, path, rendered, update_golden):
    if update_golden:
        pytest.skip("golden files being rewritten")
    expected = (GOLDEN / project / path).read_text(encoding="utf-8")
    assert rendered[project].get(path) == expected, f"{project}/{path} differs (pytest --update-golden)"


def test_content_text_is_never_a_template(minimal):
    # `{` is escaped in the Markdown (no attribute lists from content); readers see the braces.
    pages = render_pages(load_content(minimal))
    assert "# 政策一 \\{\\{ 不是模板 }}" in pages["policies/p1.md"]
    assert "[政策一 \\{\\{ 不是模板 }}](../policies/p1.md)" in pages["steps/s1.md"]
    html = markdown.markdown(pages["steps/s1.md"], extensions=["attr_list", "tables"])
    assert '<a href="../policies/p1.md">政策一 {{ 不是模板 }}</a>' in html


def test_project_templates_override_packaged_ones(minimal):
    write(minimal / "templates" / "glossary-index.md.j2", "# 我们的术语 {{ records | length }}\n")
    pages = render_pages(load_content(minimal), minimal / "templates")
    assert pages["glossary.md"] == "# 我们的术语 1\n"
    assert pages["policies/p1.md"].startswith("# 政策一")  # others still packaged


def test_a_template_typo_fails_loudly(minimal):
    write(minimal / "templates" / "glossary-index.md.j2", "# 术语\n\n{{ no_such_variable }}\n")
    with pytest.raises(ContentError) as info:
        render_pages(load_content(minimal), minimal / "templates")
    assert "templates/glossary-index.md.j2:3:" in info.value.format()
    assert "no_such_variable" in info.value.format()


@pytest.mark.parametrize("target,page,expected", [
    ("policies/p1.md", "steps/s1.md", "../policies/p1.md"),
    ("glossary.md#g1", "glossary.md", "#g1"),
    ("glossary.md#g1", "steps/s1.md", "../glossary.md#g1"),
    ("steps/s2.md", "steps/s1.md", "s2.md"),
])
def test_relative_links(target, page, expected):
    assert relative(target, page) == expected


def test_table_cells_cannot_break_rows():
    assert cell("a|b\nc") == "a\\|b c"
    assert cell(["为民服务", "公益慈善"]) == "为民服务、公益慈善"
    assert cell(None) == ""


@pytest.mark.parametrize(("template", "line", "words"), [
    ("# {{ record.title }}\n\n{{ record.sumary }}\n", 3, ["sumary", "summary"]),  # a misspelt field
    ("# {{ record.title }}\n\n\n{% if record.location.provnce %}x{% endif %}\n", 4, ["provnce", "province"]),
    ("# {{ record.title }}\n{% if %}\n", 2, ["模板语法错误"]),  # a syntax error
    ("# {{ record.title }}\n\n{{ recrd.title }}\n", 3, ["recrd"]),  # an unknown variable
])
def test_template_mistakes_are_located_problems(minimal, template, line, words):
    write(minimal / "templates" / "case-study.md.j2", template)
    with pytest.raises(ContentError) as info:
        render_pages(load_content(minimal), minimal / "templates")
    message = info.value.format()
    assert f"templates/case-study.md.j2:{line}:" in message
    assert all(w in message for w in words), message


def test_optional_fields_still_read_as_empty(minimal):
    """A field the schema has but the record leaves out is None, not an error."""
    write(minimal / "templates" / "case-study.md.j2",
          "# {{ record.title }}{{ record.area or '' }}{{ record.lessons or '' }}\n")
    pages = render_pages(load_content(minimal), minimal / "templates")
    assert pages["case-studies/c1.md"].startswith("# 高潮村")


def test_a_template_not_saved_as_utf8_is_a_located_problem(minimal):
    (minimal / "templates").mkdir()
    (minimal / "templates" / "case-study.md.j2").write_bytes("# {{ record.title }} 案例\n".encode("gbk"))
    with pytest.raises(ContentError) as info:
        render_pages(load_content(minimal), minimal / "templates")
    assert "templates/case-study.md.j2: 模板文件不是 UTF-8 编码" in info.value.format()


def test_an_include_of_a_missing_template_is_located(minimal):
    write(minimal / "templates" / "case-study.md.j2", "# {{ record.title }}\n\n{% include 'nosuch.md.j2' %}\n")
    with pytest.raises(ContentError) as info:
        render_pages(load_content(minimal), minimal / "templates")
    assert "templates/case-study.md.j2:3: 找不到模板 `nosuch.md.j2`" in info.value.format()


def test_an_undefined_variable_gets_a_suggestion(minimal):
    write(minimal / "templates" / "case-study.md.j2", "# {{ recrd.title }}\n")
    with pytest.raises(ContentError) as info:
        render_pages(load_content(minimal), minimal / "templates")
    assert "（是否指 `record`？）" in info.value.format()


def test_glossary_and_policies_are_listed_by_pinyin_the_same_on_the_site_and_in_the_book():
    """Code-point order put 乡村振兴 before 党建引领; readers look titles up by pinyin."""
    import re

    from conftest import REPO
    from pypinyin import lazy_pinyin

    from pilotguide.courses.pack import _book_source

    content = load_content(REPO)
    pages = render_pages(content)
    terms = re.findall(r"^## (.+?) \{#", pages["glossary.md"], re.M)
    assert len(terms) >= 20
    assert terms.index("党建引领") < terms.index("观察点") < terms.index("乡村振兴") < terms.index("政府购买服务")
    assert terms == sorted(terms, key=lambda t: (lazy_pinyin(t), t))
    policies = [r.title for r in content.all("policy")]
    rows = [title for title in policies if title in pages["policies/index.md"]]
    assert rows == policies == sorted(policies, key=lambda t: (lazy_pinyin(t), t))
    index = pages["policies/index.md"]
    assert [index.index(t) for t in policies] == sorted(index.index(t) for t in policies)
    book = _book_source(content, None, None, None)[1].source
    glossary = book[book.index("# 五、术语表"):]
    assert [glossary.index(f"**{t}**") for t in terms] == sorted(glossary.index(f"**{t}**") for t in terms)
    steps = [r.data["order"] for r in content.all("step")]
    assert steps == sorted(steps)  # steps keep the framework's order
