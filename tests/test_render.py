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


def test_golden_pages(update_golden, monkeypatch):
    """Each fixture project under fixtures/ with a golden/<name>/ folder renders exactly to it.

    Run `pytest --update-golden` after an intended change, and review the diff."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: edition and review dates are fixed
    for expected_dir in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        pages = render_pages(load_content(FIXTURES / expected_dir.name), downloads=DOWNLOADS)
        if update_golden:
            for path, markdown in pages.items():
                write(expected_dir / path, markdown)
        expected = {p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
                    for p in expected_dir.rglob("*") if p.is_file()}  # pages and chart SVGs
        assert sorted(pages) == sorted(expected)
        for path, markdown in pages.items():
            assert markdown == expected[path], f"{expected_dir.name}/{path} differs (pytest --update-golden)"


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
