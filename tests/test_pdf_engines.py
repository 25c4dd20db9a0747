"""Which PDF engine a build uses, what it drops without one, and the switches per file kind
(courses/engines.py, courses/formats.py). Whole builds without WeasyPrint: test_no_pango_site.py."""

from __future__ import annotations

import os
import stat

import pytest

from pilotguide.courses import engines
from pilotguide.site.recipe import formats_on as enabled
from pilotguide.errors import PackError
from pilotguide.site.guide import UNMADE_NOTE, unlink


def names(formats) -> list[str]:
    return [f.name for f in formats]


# ---- switches per file kind ----

def test_pdf_false_turns_off_every_pdf_but_keeps_the_books_word_file():
    assert names(enabled({"book": True, "pdf": False})) == ["docx", "slides", "book-docx"]
    assert names(enabled({"book": True})) == ["pdf", "docx", "slides", "book-pdf", "book-docx"]
    assert names(enabled({"book": True, "docx": False})) == ["pdf", "slides", "book-pdf"]
    assert names(enabled({})) == ["pdf", "docx", "slides"]  # the book is off unless asked for
    assert names(enabled({"book": False, "pdf": True})) == ["pdf", "docx", "slides"]


# ---- finding a browser ----

def _program(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_edge_is_found_where_windows_installs_it(tmp_path):
    edge = _program(tmp_path / "x86" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    env = {"PATH": str(tmp_path / "empty"), "ProgramFiles(x86)": str(tmp_path / "x86"),
           "ProgramFiles": str(tmp_path / "nothing-here")}
    assert engines.find_browser(env) == edge
    assert engines.find_browser({"PATH": str(tmp_path / "empty")}) is None


def test_a_browser_on_path_and_the_environment_setting(tmp_path):
    chromium = _program(tmp_path / "bin" / "chromium")
    other = _program(tmp_path / "opt" / "my-chrome")
    assert engines.find_browser({"PATH": str(tmp_path / "bin")}) == chromium
    assert engines.find_browser({"PATH": str(tmp_path / "bin"), engines.BROWSER_ENV: str(other)}) == other
    assert engines.find_browser({"PATH": str(tmp_path / "bin"), engines.BROWSER_ENV: "none"}) is None
    assert engines.find_browser({"PATH": str(tmp_path / "bin"), engines.BROWSER_ENV: str(tmp_path / "gone")}) is None


# ---- the plan of a build ----

def test_with_weasyprint_nothing_changes_and_nothing_is_said():
    formats = enabled({"book": True})
    kept, engine, notice = engines.plan(formats, env={"PATH": ""})
    assert kept == formats and engine.name == "weasyprint" and notice is None


def test_without_weasyprint_or_a_browser_the_pdfs_are_dropped_with_one_chinese_warning(monkeypatch, tmp_path):
    monkeypatch.setattr(engines, "weasyprint_problem", lambda: "cannot load library 'libgobject-2.0-0'")
    kept, engine, notice = engines.plan(enabled({"book": True}), env={"PATH": str(tmp_path)})
    assert engine is None and names(kept) == ["docx", "slides", "book-docx"]
    assert "课程讲义 PDF" in notice and "guide.pdf" in notice and "`pdf: false`" in notice
    assert "Edge" in notice and "libgobject" in notice  # what is missing, the reason, how to get it
    assert "http" not in notice  # no website the intranet cannot reach


def test_without_weasyprint_a_browser_makes_them_and_the_warning_says_what_differs(monkeypatch, tmp_path):
    monkeypatch.setattr(engines, "weasyprint_problem", lambda: "no Pango")
    edge = _program(tmp_path / "bin" / "msedge")
    kept, engine, notice = engines.plan(enabled({"book": True}), env={"PATH": str(tmp_path / "bin")})
    assert names(kept) == names(enabled({"book": True})) and engine.browser == edge
    assert str(edge) in notice and "见第 N 页" in notice and "目录不带页码" in notice


def test_no_pdf_switched_on_means_no_engine_is_looked_for(monkeypatch):
    def fail():
        raise AssertionError("WeasyPrint was probed for a build that makes no PDF")
    monkeypatch.setattr(engines, "weasyprint_problem", fail)
    kept, engine, notice = engines.plan(enabled({"pdf": False}))
    assert names(kept) == ["docx", "slides"] and engine is None and notice is None


def test_a_browser_that_fails_is_a_chinese_error(tmp_path):
    broken = tmp_path / "broken-browser"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    with pytest.raises(PackError, match="没能生成 PDF") as caught:
        engines.browser_pdf(broken, "<html><body>测试</body></html>")
    assert "pdf: false" in str(caught.value)


@pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Debian's Chromium is not installed")
def test_the_browser_prints_the_handout_css_to_a4_pdf(tmp_path):
    from pilotguide.courses import pdf
    from pilotguide.courses.fonts import cjk_font

    html = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>讲义</title></head><body>'
            '<h1>培育步骤</h1><p>第一页</p><h2 class="pg-session">第二节</h2><p>第二页</p></body></html>')
    data = pdf.pdf_bytes(html, cjk_font(), engine=engines.PdfEngine("browser", engines.find_browser()))
    out = tmp_path / "a.pdf"
    out.write_bytes(data)
    import subprocess
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info and "(A4)" in info  # .pg-session breaks the page
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "培育步骤" in text and "第1页/共2页" in text.replace(" ", "")  # the page numbers of the handout CSS


# ---- no link to a file that was not made ----

def test_links_to_files_not_made_become_text():
    page = ("- [整本指南 PDF](guide.pdf)：A4\n- [整本指南 Word](guide.docx)\n"
            "[讲义](../courses/a-handout.pdf#top \"标题\") ![图](guide.pdf) [外](http://x/guide.pdf)\n")
    out = unlink(page, "sub/page.md", {"guide.pdf", "courses/a-handout.pdf"})
    assert "[整本指南 PDF](guide.pdf)" in out  # relative to sub/: sub/guide.pdf, not the missing file
    assert f"讲义{UNMADE_NOTE}" in out and "a-handout.pdf" not in out
    assert "![图](guide.pdf)" in out and "[外](http://x/guide.pdf)" in out
    top = unlink(page, "index.md", {"guide.pdf"})
    assert top.startswith(f"- 整本指南 PDF{UNMADE_NOTE}：A4\n- [整本指南 Word](guide.docx)")
