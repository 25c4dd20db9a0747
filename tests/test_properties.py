"""Property tests (hypothesis): any text in any string field renders inertly or is a located error.

Never a crash, never a traceback, never active HTML: whatever office staff (or an attacker) type.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inert import dangers

from pilotguide.content.documents import load_file, load_text
from pilotguide.content.gather import load_content
from pilotguide.errors import ContentError, Problems
from pilotguide.pages.render import render_pages
from pilotguide.pages.sanitize import clean_page, inert_markdown

OTHER_ENGINE = ["tables", "attr_list", "admonition", "toc", "md_in_html", "pymdownx.tasklist"]
MKDOCS_LIKE = ["tables", "attr_list", "admonition", "toc", "pymdownx.tasklist"]

# Pieces that matter to YAML, Markdown, HTML and Jinja, mixed with any other characters.
TRICKY = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<a href='",
          "javascript:", "&#106;avascript:", "[a](", "](", "]: ", ")", "{: onclick=alert(1)}", "{#x}", "{{", "}}",
          "{%", "%}", "&lt;", "&", "<", ">", "<!--", "-->", "\n", "\r\n", "\t", "|", "`", "```", "# ", "- ", "- [ ] ",
          "!!! note", ":", ": ", "\\", '"', "'", "*", "_", "---", "\x00", "\ufeff", "\u2028", "𠀀", "😀", "高潮村",
          "<b>",
          "</b>", "<table><tr><td>", "<details open ontoggle=alert(1)>", "style=", "data:", "\x85", "%"]
any_char = st.characters(exclude_categories=("Cs",))
tricky_text = st.lists(st.sampled_from(TRICKY) | st.text(any_char, max_size=4), max_size=25).map("".join)
text = st.text(any_char) | tricky_text


def _string_fields(value, at=()):
    """Paths to every string in loaded content data."""
    if isinstance(value, str):
        yield at
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _string_fields(v, at + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _string_fields(v, at + (i,))


MINIMAL = FIXTURES / "minimal"
FILES = {p.relative_to(MINIMAL).as_posix(): yaml.safe_load(p.read_text(encoding="utf-8"))
         for p in sorted(MINIMAL.rglob("*.yaml"))}
FIELDS = [(name, at) for name, data in FILES.items() for at in _string_fields(data)]


def _set(data, at, value):
    for key in at[:-1]:
        data = data[key]
    data[at[-1]] = value


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("property") / "project"
    shutil.copytree(MINIMAL, root)
    return root


@settings(max_examples=300, deadline=None)
@given(text)
def test_the_loader_returns_data_or_located_problems(source):
    problems = Problems()
    doc = load_text(source, "x.yaml", problems)
    assert doc is not None or problems.errors
    assert all(p.line >= 1 and p.col >= 1 and p.message for p in problems.items)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_load_or_give_located_problems(tmp_path, raw):
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    problems = Problems()
    doc = load_file(path, "x.yaml", problems)
    assert doc is not None or problems.errors
    assert all(p.line >= 1 for p in problems.items)


@settings(max_examples=400, deadline=None)
@given(text)
def test_inert_markdown_is_inert_in_any_engine(source):
    assert dangers(markdown.markdown(inert_markdown(source), extensions=OTHER_ENGINE)) == []


@settings(max_examples=300, deadline=None)
@given(text)
def test_clean_page_leaves_nothing_active(source):
    raw = markdown.markdown(source, extensions=MKDOCS_LIKE)  # not inert: content's HTML passes through
    assert dangers(clean_page(raw)) == []


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=text)
def test_any_text_in_any_string_field_renders_or_is_a_located_error(project, field, value):
    name, at = field
    data = yaml.safe_load(yaml.safe_dump(FILES[name]))  # a fresh copy
    _set(data, at, value)
    path = project / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        try:
            content = load_content(project)
        except ContentError as error:
            assert error.problems and all(p.line >= 1 and p.path.endswith(".yaml") for p in error.problems)
            return
        pages = render_pages(content)
        for page, text_ in pages.items():
            assert not page.startswith(("/", "..")) and ".." not in page.split("/"), page
            html = clean_page(markdown.markdown(text_, extensions=MKDOCS_LIKE))
            assert dangers(html) == [], page
    finally:
        path.write_text(yaml.safe_dump(FILES[name], allow_unicode=True), encoding="utf-8")
