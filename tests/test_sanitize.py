"""The sanitiser on its own: what content Markdown keeps, what it loses, what a page keeps."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from conftest import FIXTURES, REPO

from pilotguide.content.gather import load_content
from pilotguide.errors import ContentError
from pilotguide.pages.render import autolink, render_pages
from pilotguide.pages.sanitize import clean_page, inert_markdown, safe_title


@pytest.mark.parametrize("source,expected", [
    ("普通文字 **加粗** [链接](../steps/s1.md)", "普通文字 **加粗** [链接](../steps/s1.md)"),
    ("<b>加粗</b>、<sub>2</sub>、<br>", "<b>加粗</b>、<sub>2</sub>、<br>"),
    ("<script>alert(1)</script>之后", "之后"),
    ('<img src="a.png" onerror="alert(1)">', '<img src="a.png">'),
    ('<a href="javascript:alert(1)" title="t">x</a>', '<a title="t">x</a>'),
    ("<table><tr><td colspan=2 onclick=x>格</td></tr></table>", '<table><tr><td colspan="2">格</td></tr></table>'),
    ("<iframe src=x></iframe>框", "框"),
    ("a < b", "a &lt; b"),
    ("[x](javascript:alert(1))", "[x](#javascript:alert(1))"),
    ("[x](java<x>script:alert(1))", "[x](#javascript:alert(1))"),  # a removed tag cannot join a scheme
    ("[x]: &#106;avascript:alert(1)", "[x]: #&#106;avascript:alert(1)"),
    ("<https://example.org/a?b=1&c=2>", "<https://example.org/a?b=1&c=2>"),
    ("<javascript:alert(1)>", "&lt;javascript:alert(1)>"),
    ("{{ x }} {: onclick=y}", r"\{\{ x }} \{: onclick=y}"),
    (r"\{: onclick=y}", r"\&#123;: onclick=y}"),  # a backslash cannot cancel the escape
    ("<!-- 注释 -->文字", "文字"),
])
def test_inert_markdown(source, expected):
    assert inert_markdown(source) == expected


def test_clean_page_keeps_what_markdown_makes_for_a_guide():
    source = ("# 标题\n\n| 左 | 右 |\n|:--|--:|\n| a | b |\n\n- [x] 已完成\n- [ ] 未完成\n\n"
              '!!! note "提示"\n\n    内容\n\n*[HTML]: 超文本\n\n`代码` HTML [链接](https://example.org)\n')
    raw = markdown.markdown(source, extensions=["tables", "admonition", "toc", "abbr", "pymdownx.tasklist"])
    assert _tree(clean_page(raw)) == _tree(raw)
    assert "task-list-item" in raw and "admonition" in raw and "<abbr" in raw and 'id="_1"' in raw


def _tree(markup: str) -> list[tuple]:
    """Elements, attributes and text, ignoring how they are spelt (`disabled` vs `disabled=""`)."""
    events: list[tuple] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            events.append((tag, sorted((k, re.sub(r"[\s;]", "", v or "")) for k, v in attrs)))

        def handle_endtag(self, tag):
            if tag not in ("input", "br", "img", "hr"):
                events.append(("/" + tag,))

        def handle_data(self, data):
            events.append((data,))

    Parser().feed(markup)
    return events


@pytest.mark.parametrize("root", [REPO, FIXTURES / "finding", FIXTURES / "course", FIXTURES / "minimal"],
                         ids=["shipped", "finding", "course", "minimal"])
def test_clean_page_keeps_every_feature_of_the_packaged_templates(root):
    """Templates are trusted: whatever HTML they emit must survive the page sanitiser (add new tags
    or attributes to PAGE_TAGS / PAGE_ATTRIBUTES in sanitize.py)."""
    pages = render_pages(load_content(root), root / "templates")
    for path, text in pages.items():
        if path.endswith(".md"):
            raw = markdown.markdown(text, extensions=["tables", "attr_list", "admonition", "toc", "md_in_html",
                                                      "pymdownx.tasklist"])
            assert _tree(clean_page(raw)) == _tree(raw), path


def test_clean_page_drops_ids_that_shadow_material():
    assert clean_page('<h2 id="__config">x</h2><h2 id="ok">y</h2>') == '<h2>x</h2><h2 id="ok">y</h2>'


def test_safe_title_never_gives_markup_back():
    assert safe_title("a &lt;/title&gt;&lt;script&gt; &amp; b") == "a ＜/title&gt;＜script&gt; &amp; b"
    assert safe_title("普通标题 &amp; 其他") == "普通标题 &amp; 其他"
    assert safe_title(None) is None


def test_url_filter_keeps_an_autolink_closed():
    assert autolink('https://example.org/a b"><script>') == "https://example.org/a%20b%22%3E%3Cscript%3E"
    assert autolink("https://example.org/路径?q=1") == "https://example.org/路径?q=1"


def test_a_page_path_outside_the_output_is_refused():
    content = load_content(FIXTURES / "minimal")
    step = content.all("step")[0]
    step.id = "../../escape"  # what no schema-valid id can be; the renderer still refuses it
    with pytest.raises(ContentError) as info:
        render_pages(content)
    (problem,) = info.value.problems
    assert problem.path == "steps/s1.yaml" and "输出目录之外" in problem.message
