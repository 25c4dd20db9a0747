"""Courses: records, checks, the lesson plan and handout pages, fonts and the safe handout tree.

The files themselves (PDF, DOCX, LibreOffice, printing) are in test_course_files.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_fixture, write

from pilotguide.content.gather import load_content
from pilotguide.courses import fonts
from pilotguide.courses.pack import handout_tree
from pilotguide.errors import PackError
from pilotguide.courses.formats import FORMATS
from pilotguide.pages.render import render_pages

DOWNLOADS = tuple(FORMATS.values())  # the course pages link to every download format

SHIPPED_COURSE = REPO / "courses" / "guanchadian-fuzhi-tuiguang.yaml"


@pytest.fixture
def course_project(tmp_path) -> Path:
    """A writable copy of tests/fixtures/course: the minimal project plus course k1."""
    return copy_fixture("course", tmp_path, "project")


def test_a_course_that_references_a_missing_step_fails_check_located(run, shipped):
    course = shipped / "courses" / SHIPPED_COURSE.name
    text = course.read_text(encoding="utf-8")
    course.write_text(text.replace("      - zhengce-xianxing\n", "      - zhengce-xianxin\n", 1), encoding="utf-8")
    line = text[: text.index("      - zhengce-xianxing\n")].count("\n") + 1
    result = run(shipped, "check")
    assert result.exit_code == 1
    assert re.search(rf"courses/{course.name}:{line}:9: 字段 `sessions\[\d+\]\.steps\[\d+\]` 引用了不存在的培育步骤 "
                     r"`zhengce-xianxin`（是否指 `zhengce-xianxing`？）", result.output), result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("field,value,message", [
    ("id: k1", "id: k1-handout", "不以 -handout 或 -trainer 结尾"),
    ("    minutes: 30", "    minutes: 0", "字段 `sessions[0].minutes` 应不小于 1"),
    ("    steps: [s1]", "    steps: [s1]\n    homework: [x]", "未知字段 `sessions[0].homework`"),
    ("        answer: B。出台政策。\n", "", "缺少必填字段 `sessions[0].quiz[0].answer`"),
])
def test_course_schema_errors_are_located(course_project, field, value, message):
    path = course_project / "courses" / "k1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(field, value, 1), encoding="utf-8")
    from pilotguide.errors import ContentError
    with pytest.raises(ContentError) as error:
        load_content(course_project)
    assert any(message in str(p) and p.path == "courses/k1.yaml" and p.line > 0 for p in error.value.problems), \
        error.value.format()


def test_new_course_scaffold_passes_once_filled(run, shipped):
    assert run(shipped, "new", "course", "demo-course").exit_code == 0
    path = shipped / "courses" / "demo-course.yaml"
    assert run(shipped, "check").exit_code == 1  # 【待填写】 placeholders are not publishable
    text = path.read_text(encoding="utf-8").replace("minutes: 【待填写】", "minutes: 45")  # a number, not text
    path.write_text(text.replace("【待填写】", "示例"), encoding="utf-8")
    result = run(shipped, "check")
    assert result.exit_code == 0, result.output
    assert "培训课程 2 条" in result.output


def test_course_pages_and_back_links(course_project):
    pages = render_pages(load_content(course_project), downloads=DOWNLOADS)
    assert {"courses/index.md", "courses/k1.md", "courses/k1-handout.md", "courses/k1-trainer.md"} <= set(pages)
    assert "[观察点课程](../courses/k1.md)" in pages["steps/s1.md"]
    assert "## 讨论本案例的培训课程" in pages["case-studies/c1.md"]
    plan = pages["courses/k1.md"]
    # the lesson plan summarises and links each referenced record, by kind
    assert "- 培育步骤：[第 1 步 出台政策](../steps/s1.md)：先出台政策" in plan
    assert "- 术语：[观察点](../glossary.md#g1)：试点的地方" in plan
    assert "[PDF](k1-handout.pdf)" in plan and "[Word](k1-trainer.docx)" in plan


def test_answers_are_only_in_the_trainers_version(course_project):
    pages = render_pages(load_content(course_project), downloads=DOWNLOADS)
    plan, handout, trainer = (pages[f"courses/k1{s}.md"] for s in ("", "-handout", "-trainer"))
    for secret in ("B。出台政策。", "对照检查清单。"):
        assert secret in trainer
        assert secret not in handout and secret not in plan
    assert "先讲政策。" in trainer and "先讲政策。" in plan and "先讲政策。" not in handout  # teaching notes
    assert "A. 建观察点　　B. 出台政策" in handout  # participants still see the choices


def test_handouts_are_print_pages(course_project):
    handout = render_pages(load_content(course_project), downloads=DOWNLOADS)["courses/k1-handout.md"]
    assert handout.startswith("---\nhide:\n  - navigation\n  - toc\nsearch:\n  exclude: true\n---\n")
    sessions = re.findall(r"^## (.+) \{: \.pg-session #session-\d+ \}$", handout, re.M)
    assert sessions == ["第 1 节　政策先行（30 分钟）", "第 2 节　建立观察点（45 分钟）"]
    assert "- [ ] 已起草" in handout  # the step's checklist, to tick on paper


def test_without_downloads_pages_link_none(course_project):
    plan = render_pages(load_content(course_project), downloads=())["courses/k1.md"]
    assert ".pdf" not in plan and ".docx" not in plan
    assert "[打开](k1-handout.md)" in plan


def test_handout_tree_drops_what_could_fetch_or_run(course_project):
    source = ("# 标题\n\n正文<img src=\"http://192.0.2.1/x.png\">后文<script>alert(1)</script>\n\n"
              "<iframe src=\"file:///etc/passwd\"></iframe>\n\n[链接](../steps/s1.md)\n\n- [ ] 要打勾\n")
    root = handout_tree(source)
    tags = {e.tag for e in root.iter()}
    assert not tags & {"img", "script", "iframe"}
    assert root.find(".//title").text == "标题"
    assert "正文后文" in "".join(root.find(".//p").itertext())  # the text around a removed element stays
    assert all(not a.attrib for a in root.iter("a"))
    assert [s.text for s in root.iter("span") if s.get("class") == "checkbox"] == ["□"]


def test_font_lookup_prefers_free_system_fonts(tmp_path):
    font = fonts.find_cjk_font({"SimHei", "Noto Serif CJK SC", "Noto Sans CJK SC"}, fallback=None)
    assert font.family == "Noto Sans CJK SC" and font.origin == "fontconfig" and font.css() == ""
    fake = write(tmp_path / "NotoSansSC-Regular.otf", "x")
    font = fonts.find_cjk_font({"SimHei"}, fallback=fake)  # a non-free system font is never used
    assert font.origin == "pip" and font.path == fake
    assert f'src: url("{fake.as_uri()}")' in font.css()


def test_no_free_font_is_a_clear_error_naming_what_to_install():
    with pytest.raises(PackError) as error:
        fonts.find_cjk_font(set(), fallback=None)
    message = str(error.value)
    assert "apt-get install fonts-noto-cjk" in message and "pip install 'pilotguide[fonts]'" in message
    assert "pdf: false" in message


def test_pip_font_is_found_in_its_package(tmp_path, monkeypatch):
    package = tmp_path / fonts.PIP_MODULE
    write(package / "__init__.py", "")
    write(package / fonts.PIP_FILE, "font bytes")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, fonts.PIP_MODULE, raising=False)
    assert fonts.pip_font() == package / fonts.PIP_FILE


def test_missing_pango_is_a_clear_error(monkeypatch):
    from pilotguide.courses import pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without libpango
    with pytest.raises(PackError) as error:
        pdf.pdf_bytes("<html></html>", fonts.CJKFont("Noto Sans CJK SC", "fontconfig"))
    assert "libpango-1.0-0" in str(error.value) and "pdf: false" in str(error.value)


@pytest.mark.slow
def test_handouts_stay_out_of_search(shipped_site):
    """Handouts repeat whole steps; search should lead to the steps and the lesson plan instead."""
    import json

    docs = json.loads((shipped_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    pages = {d["location"].split("#")[0] for d in docs}
    assert f"courses/{SHIPPED_COURSE.stem}.html" in pages
    assert not [p for p in pages if p.endswith(("-handout.html", "-trainer.html"))]


def test_docx_is_reproducible_and_carries_our_metadata(monkeypatch):
    from xml.etree.ElementTree import fromstring

    import docx as python_docx

    from pilotguide.content.review import build_date
    from pilotguide.courses.word import docx_bytes

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    html = fromstring("<html><body><h1>课程</h1><p>内容</p></body></html>")
    today = build_date()  # what load_content puts in content.today
    first, second = docx_bytes(html, "课程", today), docx_bytes(html, "课程", today)
    assert first == second
    import io

    props = python_docx.Document(io.BytesIO(first)).core_properties
    assert (props.author, props.title, props.created.date().isoformat()) == ("pilotguide", "课程", "2023-11-14")
    import zipfile

    # Equal bytes from two quick calls could be luck (zip times have 2-second steps): the members
    # themselves must carry the build date, not the clock's.
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time[:3] for info in archive.infolist()} == {(2023, 11, 14)}
