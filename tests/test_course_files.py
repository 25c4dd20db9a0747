"""Course downloads as a trainer gets them: the shipped guide's PDF and DOCX, read back with
poppler (pdftotext, pdffonts, pdftoppm), python-docx and LibreOffice, and the handout page as
Chromium prints it. Debian packages: poppler-utils, libreoffice-writer-nogui (.ci/apt-packages.txt)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import FIXTURES, REPO, pilotguide
from PIL import Image

from pilotguide.content.gather import load_content
from pilotguide.courses import fonts
from pilotguide.courses import pack as coursepack

COURSE = "guanchadian-fuzhi-tuiguang"
pytestmark = pytest.mark.slow


def squash(text: str) -> str:
    """Text without any whitespace: PDF extraction and layout differ in spaces and line breaks."""
    return re.sub(r"\s+", "", text)


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout


@pytest.fixture(scope="module")
def course():
    return load_content(REPO).get("course", COURSE)


@pytest.fixture(scope="module")
def pack(shipped_site) -> Path:
    return shipped_site / "courses"


def test_the_course_page_links_its_handouts_and_downloads(pack):
    page = (pack / f"{COURSE}.html").read_text(encoding="utf-8")
    for name in ("handout", "trainer"):
        for ext in ("html", "pdf", "docx"):
            assert f'href="{COURSE}-{name}.{ext}"' in page
            assert (pack / f"{COURSE}-{name}.{ext}").stat().st_size > 1000
    index = (pack / "index.html").read_text(encoding="utf-8")
    assert f'href="{COURSE}.html"' in index
    home = (pack.parent / "index.html").read_text(encoding="utf-8")
    assert 'href="courses/index.html"' in home


@pytest.mark.parametrize("name", ["handout", "trainer"])
def test_pdf_text_has_the_course_headings_in_order(pack, course, name):
    text = squash(pdftotext(pack / f"{COURSE}-{name}.pdf"))
    headings = [course.title] + [f"第{i}节{s.title}" for i, s in enumerate(course.sessions, 1)] + ["资料来源"]
    positions = [text.find(squash(h)) for h in headings]
    assert -1 not in positions, list(zip(headings, positions))
    assert positions == sorted(positions)
    assert ("答案：" in text) == (name == "trainer")


def test_pdf_embeds_a_free_cjk_font_and_nothing_else(pack):
    out = subprocess.run(["pdffonts", str(pack / f"{COURSE}-handout.pdf")], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    names = [row[0].split("+", 1)[-1] for row in rows]
    assert all(any(key in n for key in ("CJK", "SC", fonts.EMBEDDED_FAMILY, "WenQuanYi")) for n in names), names
    # columns: name type [type...] encoding emb sub uni object ID: emb is 5th from the end
    assert all(row[-5] == "yes" for row in rows), out


def test_pdf_pages_break_between_sessions_and_are_numbered(pack, course):
    pdf = pack / f"{COURSE}-handout.pdf"
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True, check=True).stdout).group(1))
    running_title = squash(f"{course.title}（学员讲义）")  # in the top margin from page 2 on
    starts = []
    for number in range(1, pages + 1):
        page = squash(pdftotext(pdf, "-f", str(number), "-l", str(number)))
        assert squash(f"第 {number} 页 / 共 {pages} 页") in page
        starts.append(page.removeprefix(running_title) if number > 1 else page)
    for i, session in enumerate(course.sessions, 1):
        assert any(start.startswith(squash(f"第{i}节{session.title}")) for start in starts), (i, starts)


def test_a_pdf_page_renders_as_chinese_text(pack, tmp_path):
    """A page as an image: look at it (the PNG is kept in pytest's tmp folder); here, it has ink."""
    subprocess.run(["pdftoppm", "-r", "60", "-f", "2", "-l", "2", "-png", str(pack / f"{COURSE}-handout.pdf"),
                    str(tmp_path / "page")], check=True, timeout=120)
    png = next(tmp_path.glob("page*.png"))
    image = Image.open(png).convert("L")
    assert abs(image.height / image.width - 297 / 210) < 0.02  # A4
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert 0.005 < dark < 0.3, dark


def test_docx_reopens_with_headings_lists_tables_and_east_asian_font(pack, course):
    document = docx.Document(str(pack / f"{COURSE}-trainer.docx"))
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs if p.style.name == "Title"] == [f"{course.title}（讲师版）"]
    sessions = [p for p in paragraphs if p.style.name == "Heading 1" and p.text.startswith("第 ")]
    assert [p.text for p in sessions] == [f"第 {i} 节　{s.title}（{s.minutes} 分钟）"
                                          for i, s in enumerate(course.sessions, 1)]
    assert all(p.paragraph_format.page_break_before for p in sessions)
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "课程目标" and headings[-1] == "资料来源"
    assert "学习材料" in [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert sum(p.style.name == "List Bullet" for p in paragraphs) >= 20
    assert any(p.style.name == "List Number" and p.text.startswith("按本指南") for p in paragraphs)
    assert document.tables[0].cell(1, 0).text == "培训对象"
    fonts_ = document.styles["Normal"].element.rPr.rFonts
    assert fonts_.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "Noto Sans CJK SC"
    assert any("答案：" in p.text for p in paragraphs)
    handout = docx.Document(str(pack / f"{COURSE}-handout.docx"))
    assert not any("答案：" in p.text for p in handout.paragraphs)


def test_libreoffice_converts_the_docx(pack, course, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    source = tmp_path / "in.docx"
    shutil.copy(pack / f"{COURSE}-handout.docx", source)
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"  # never the user's own profile
    result = subprocess.run([soffice, "--headless", "--norestore", profile,
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    converted = squash(pdftotext(tmp_path / "in.pdf"))
    for i, session in enumerate(course.sessions, 1):
        assert squash(f"第 {i} 节　{session.title}") in converted


@pytest.mark.browser
def test_the_handout_page_prints_a_session_per_page(shipped_site, static_server, page, course, tmp_path):
    server = static_server(shipped_site)
    page.goto(server.url + f"courses/{COURSE}-handout.html")
    assert page.locator(".md-sidebar--primary").is_hidden()  # `hide: [navigation, toc]`
    page.emulate_media(media="print")
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = pdftotext(pdf).split("\f")
    for i, session in enumerate(course.sessions, 1):
        assert any(squash(p).startswith(squash(f"第 {i} 节　{session.title}")) for p in pages), i
    assert "第1页" in squash(pages[0])
    # the page numbers belong to handouts only: other printouts keep their own page rules
    page.goto(server.url + "steps/zhengce-xianxing.html")
    page.pdf(path=str(pdf), format="A4")
    assert not re.search(r"第\d+页", squash(pdftotext(pdf)))


def test_no_font_fails_the_build_clearly_and_pdf_false_builds_without(tmp_path, monkeypatch):
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "course", project)
    # A machine without fontconfig's fc-list (so no system font is found) and without the pip copy.
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": str(bin_dir), "NO_MKDOCS_2_WARNING": "1"}
    assert fonts.pip_font() is None, "this test expects the `fonts` extra not to be installed"
    result = subprocess.run([str(bin_dir / "pilotguide"), "build"], cwd=project, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 1
    assert "apt-get install fonts-noto-cjk" in result.stderr and "pilotguide[fonts]" in result.stderr
    assert "Traceback" not in result.stderr and not (project / "site").exists()

    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("pilotguide]", "pilotguide: {pdf: false}]"),
                      encoding="utf-8")
    result = pilotguide(project, "build", "--strict", catch_exceptions=True)
    assert result.exit_code == 0, result.output
    courses = project / "site" / "courses"
    assert not list(courses.glob("*.pdf")) and (courses / "k1-handout.docx").is_file()
    assert ".pdf" not in (courses / "k1" / "index.html").read_text(encoding="utf-8")  # directory URLs


def test_generate_writes_the_downloads_too(tmp_path, monkeypatch):
    out = tmp_path / "out"
    result = pilotguide(FIXTURES / "course", "generate", "--out", str(out), catch_exceptions=True)
    assert result.exit_code == 0, result.output
    assert (out / "courses" / "k1-trainer.pdf").read_bytes().startswith(b"%PDF")
    assert (out / coursepack.SITE_CSS).is_file()


def test_a_font_file_is_embedded_and_nothing_else_is_fetched(tmp_path):
    """The pip fallback's path: a font loaded from a file with @font-face, through the fetcher
    that refuses every other URL (here an image on disk that raw HTML asks for)."""
    from pilotguide.courses.pdf import pdf_bytes

    listed = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True).stdout.split()
    files = [f.rstrip(":") for f in listed if "CJK" in f]
    if not files:
        pytest.skip("no Noto CJK font file on this machine (apt-get install fonts-noto-cjk)")
    image = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(image)
    font = fonts.CJKFont(fonts.EMBEDDED_FAMILY, "pip", Path(files[0]))
    html = f'<html lang="zh-CN"><body><h1>培训讲义</h1><p>先行先试<img src="{image.as_uri()}"></p></body></html>'
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(pdf_bytes(html, font))
    assert squash(pdftotext(pdf)) == "培训讲义先行先试第1页/共1页"
    used = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert fonts.EMBEDDED_FAMILY in used, used
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) == 2, images  # the header lines only: no image was fetched
