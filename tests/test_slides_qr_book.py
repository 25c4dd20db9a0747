"""Take-aways read back as trainers and readers get them: the course slides (python-pptx, LibreOffice
Impress), QR codes on paper (decoded with zxing-cpp from pages poppler renders), and the whole
guide as a book (guide.pdf: bookmarks, fonts, contents page numbers; guide.docx: headings, links).

Debian packages: poppler-utils, libreoffice-impress-nogui, fonts-noto-cjk (.ci/apt-packages.txt).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import zxingcpp
from conftest import REPO, copy_shipped
from PIL import Image, ImageFont
from pptx import Presentation
from pptx.oxml.ns import qn

from pilotguide.content.gather import load_content
from pilotguide.courses import fit, fonts
from pilotguide.courses.formats import FORMATS, selected, switches
from pilotguide.courses.pack import course_files
from pilotguide.courses.plain import paragraphs, plain
from pilotguide.pages.paths import SiteAddress
from pilotguide.pages.render import render_pages

COURSE = "guanchadian-fuzhi-tuiguang"
SITE = SiteAddress("城乡社区社会组织培育指南", "http://intranet.example/guide/")
CJK = re.compile(r"[\u4e00-\u9fff]")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout


def decode(png: Path | bytes) -> list[str]:
    image = Image.open(io.BytesIO(png) if isinstance(png, bytes) else png)
    return [r.text for r in zxingcpp.read_barcodes(image)]


def soffice_pdf(source: Path, tmp_path: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-impress-nogui)")
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"  # never the user's own profile
    result = subprocess.run([soffice, "--headless", "--norestore", profile, "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    out = tmp_path / (source.stem + ".pdf")
    assert out.is_file(), result.stdout + result.stderr
    return out


def make(content, names, site=SITE) -> dict[str, bytes]:
    return course_files(content, render_pages(content, site=site), selected(names), site=site)


@pytest.fixture(scope="module")
def content():
    return load_content(REPO)


@pytest.fixture(scope="module")
def course(content):
    return content.get("course", COURSE)


@pytest.fixture(scope="module")
def deck(content) -> Presentation:
    return Presentation(io.BytesIO(make(content, ["slides"])[f"courses/{COURSE}-slides.pptx"]))


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def notes_text(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


# ---- the registry ----

def test_every_format_has_one_switch_and_book_shares_one():
    assert {f.scope for f in FORMATS.values()} == {"handout", "course", "guide"}
    assert [f.name for f in selected(["book"])] == ["book-pdf", "book-docx"]
    assert set(switches()) == {"pdf", "docx", "slides", "book"}
    assert not switches()["book"].default and switches()["slides"].default


def test_site_address_follows_mkdocs_urls():
    assert SITE.page("steps/x.md", "checklist") == "http://intranet.example/guide/steps/x.html#checklist"
    folders = SiteAddress("", "http://h/g", directory_urls=True)
    assert folders.page("steps/x.md") == "http://h/g/steps/x/" and folders.page("index.md") == "http://h/g/"
    assert SiteAddress("guide").page("steps/x.md") is None


# ---- slides ----

def test_fit_splits_a_long_list_over_slides_and_keeps_every_item():
    items = [(f"第 {i} 项：" + "城乡社区社会组织" * 6, 1) for i in range(40)]
    pages = fit.paginate(items, 648, 356, (24, 20, 18))
    assert len(pages) > 1
    assert [item for _, page in pages for item in page] == items
    assert all(fit.fits(page, 648, 356, size) for size, page in pages)


@pytest.mark.slow
def test_slides_titles_follow_the_course_in_order(deck, course, content):
    titles = [s.shapes.title.text for s in deck.slides]
    expected = [plain(course.title), "课程目标", "课程安排"]
    for n, s in enumerate(course.sessions, 1):
        expected.append(f"第 {n} 节　{plain(s.title)}（{s.minutes} 分钟）")
        steps = [content.get("step", i) for i in s.steps or ()]
        expected += [f"第 {step.order} 步　{plain(step.title)}" for step in steps]
        expected += [f"政策：{plain(content.get('policy', i).title)}" for i in s.policies or ()]
        expected += [f"案例：{plain(content.get('case-study', i).title)}" for i in s.case_studies or ()]
        expected += ["术语"] * bool(s.glossary) + ["讨论题"] * bool(s.discussion)
        expected += ["练习"] * bool(s.exercises) + ["小测验"] * bool(s.quiz)
    expected.append("课后继续学习")
    assert [t for t in titles if not t.endswith("（续）")] == expected
    assert all(t.removesuffix("（续）") in expected for t in titles)


@pytest.mark.slow
def test_every_slide_is_chinese_in_a_real_layout_with_an_east_asian_font(deck):
    for slide in deck.slides:
        assert CJK.search(slide_text(slide)), slide.shapes.title.text
        assert slide.slide_layout.name in ("Title Slide", "Title and Content")
        # text goes in the layout's placeholders; the one other text box is the slide number
        others = [shape for shape in slide.shapes if shape.has_text_frame and not shape.is_placeholder]
        assert [s.name for s in others] in ([], ["Slide Number"])
        assert all(any(f.get("type") == "slidenum" for f in s.element.iter(qn("a:fld"))) for s in others)
        frames = [shape.text_frame for shape in slide.shapes if shape.has_text_frame and shape.is_placeholder]
        frames += [slide.notes_slide.notes_text_frame] if slide.has_notes_slide else []
        runs = [r for frame in frames for p in frame.paragraphs for r in p.runs]
        for run in runs:
            ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
            assert ea is not None and ea.get("typeface") == "Noto Sans CJK SC", run.text


@pytest.mark.slow
def test_teaching_notes_and_answers_are_in_speaker_notes_only(deck, course):
    shown = squash("\n".join(slide_text(s) for s in deck.slides))
    notes = squash("\n".join(notes_text(s) for s in deck.slides))
    secrets = [p for s in course.sessions for p in paragraphs(s.notes)]
    secrets += [plain(q.answer) for s in course.sessions for q in s.quiz or ()]
    secrets += [plain(e.guidance) for s in course.sessions for e in s.exercises or () if e.guidance]
    assert len(secrets) > 10
    for secret in secrets:
        assert squash(secret) in notes, secret
        assert squash(secret) not in shown, secret
    for s in course.sessions:  # questions are on the slides, for everyone
        assert all(squash(plain(q.question)) in shown for q in s.quiz or ())


def _noto_file() -> tuple[str, int] | None:
    """The Noto Sans CJK SC file the slides name, as fontconfig finds it (file, face index)."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", "Noto Sans CJK SC"], capture_output=True,
                           text=True, timeout=30).stdout.split("|")
    return (found[0], int(found[1])) if len(found) == 3 and "Noto Sans CJK SC" in found[2] else None


def _font(size: float) -> ImageFont.FreeTypeFont:
    file, index = _noto_file()
    return ImageFont.truetype(file, size=round(size * 10), index=index)


@pytest.mark.slow
def test_libreoffice_shows_every_slide_and_the_closing_qr_code(deck, course, tmp_path):
    source = tmp_path / "deck.pptx"
    deck.save(str(source))
    pdf = soffice_pdf(source, tmp_path)
    pages = pdftotext(pdf).split("\f")[:-1]
    assert len(pages) == len(deck.slides)
    assert squash(plain(course.title)) in squash(pages[0])
    closing = tmp_path / "closing"
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(len(pages)), "-l", str(len(pages)), str(pdf),
                    str(closing)], check=True, timeout=120)
    url = SITE.page(f"courses/{COURSE}-handout.md")  # the participants' handout, never the lesson plan
    assert decode(next(tmp_path.glob("closing*.png"))) == [url]
    assert url in squash(pages[-1])  # printed whole: broken only after a slash, no hyphen lost


@pytest.mark.slow
def test_without_site_url_the_closing_slide_has_no_code_and_no_address(content):
    deck = Presentation(io.BytesIO(make(content, ["slides"], site=None)[f"courses/{COURSE}-slides.pptx"]))
    closing = deck.slides[-1]
    assert not [s for s in closing.shapes if s.shape_type == 13]  # no picture
    assert "http" not in slide_text(closing) and CJK.search(slide_text(closing))


@pytest.mark.slow
def test_changing_a_step_changes_the_slides(tmp_path):
    root = copy_shipped(tmp_path)
    path = root / "steps" / "zhengce-xianxing.yaml"
    text = path.read_text(encoding="utf-8").replace("- 政策中写明了发展重点。", "- 政策中写明了本县的发展重点。")
    path.write_text(text, encoding="utf-8")
    deck = Presentation(io.BytesIO(make(load_content(root), ["slides"])[f"courses/{COURSE}-slides.pptx"]))
    text = squash("\n".join(slide_text(s) for s in deck.slides))
    assert "政策中写明了本县的发展重点。" in text and "□政策中写明了发展重点。" not in text


# ---- QR codes on paper ----

@pytest.mark.slow
@pytest.mark.parametrize("site", [SITE, None], ids=["site_url", "no-site_url"])
def test_each_handout_session_carries_the_qr_code_of_its_page(content, course, tmp_path, site):
    files = make(content, ["pdf", "docx"], site=site)
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(files[f"courses/{COURSE}-handout.pdf"])
    pages = pdftotext(pdf).split("\f")
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "p")], check=True, timeout=300)
    found = [code for png in sorted(tmp_path.glob("p-*.png")) for code in decode(png)]
    document = docx.Document(io.BytesIO(files[f"courses/{COURSE}-handout.docx"]))
    if site is None:
        assert found == [] and "http" not in "".join(pages)
        assert document.inline_shapes == [] or len(document.inline_shapes) == 0
        return
    expected = [SITE.page(f"courses/{COURSE}-handout.md", f"session-{n}") for n in range(1, len(course.sessions) + 1)]
    assert found == expected
    printed = squash("".join(pages))
    assert all(url in printed for url in expected)  # the address is printed beside it, whole
    assert len(document.inline_shapes) == len(course.sessions)
    assert all(url in "\n".join(p.text for p in document.paragraphs) for url in expected)


def test_pages_print_qr_codes_only_with_site_url(content):
    pages = render_pages(content, site=SITE)
    step = pages["steps/zhengce-xianxing.md"]
    assert "![本页二维码](zhengce-xianxing-qr.svg){: .pg-qr-code }" in step
    assert "http://intranet.example/guide/steps/zhengce-xianxing.html" in step
    assert pages["steps/zhengce-xianxing-qr.svg"].startswith("<svg")
    assert len([p for p in pages if p.endswith("-qr.svg") or "-qr-" in p]) == len(content.all("step")) + 2 * sum(
        len(c.sessions) for c in content.all("course"))
    plain_pages = render_pages(content)
    assert not [p for p in plain_pages if "-qr" in p]
    assert "pg-qr" not in plain_pages["steps/zhengce-xianxing.md"]


# ---- the book ----

@pytest.fixture(scope="module")
def book(content, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("book")
    out = {}
    made = make(content, ["book"])
    assert sorted(made) == ["assets/pilotguide/course-print.css", "guide.docx", "guide.pdf"]  # CSS: handout pages
    for path in ("guide.docx", "guide.pdf"):
        out[path] = folder / path
        out[path].write_bytes(made[path])
    return out


def outline(pdf: Path) -> list[tuple[int, str]]:
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf)], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return [(int(page), title) for page, title in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)]


@pytest.mark.slow
def test_book_pdf_has_a_bookmark_for_every_part_step_and_policy(book, content):
    marks = dict((title, page) for page, title in outline(book["guide.pdf"]))
    for title in ("目录", "一、三段框架", "二、培育步骤", "三、政策", "四、试点案例", "五、术语表", "资料来源"):
        assert title in marks, title
    for step in content.all("step"):
        assert f"第 {step.order} 步　{plain(step.title)}" in marks
    for policy in content.all("policy"):
        assert plain(policy.title) in marks
    pages = pdftotext(book["guide.pdf"]).split("\f")
    for title, page in marks.items():  # each bookmark leads to the page its heading is on
        assert squash(title) in squash(pages[page - 1]), (title, page)


@pytest.mark.slow
def test_book_contents_page_numbers_match_the_pages(book, content):
    pdf = book["guide.pdf"]
    pages = pdftotext(pdf, "-layout").split("\f")
    cover = squash(pages[0])
    assert "城乡社区社会组织培育指南" in cover and content.edition.hash in cover and str(content.edition.date) in cover
    entries = re.findall(r"^\s*(\S.*?\S)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.M)
    assert len(entries) >= len(content.all("step")) + len(content.all("policy")) + 5
    for title, number in entries:
        assert squash(title) in squash(pages[int(number) - 1]), (title, number)
    footer = squash(pages[3])
    assert re.search(r"第4页/共(\d+)页", footer).group(1) == str(len(pages) - 1)


@pytest.mark.slow
def test_book_cross_references_say_the_page(book, content):
    pages = pdftotext(book["guide.pdf"]).split("\f")
    marks = {title: page for page, title in outline(book["guide.pdf"])}
    step = content.all("step")[0]
    policy = content.get("policy", step.policies[0])
    text = squash("".join(pages))
    assert squash(f"{plain(policy.title)}（见第 {marks[plain(policy.title)]} 页）") in text


@pytest.mark.slow
def test_book_pdf_embeds_only_the_free_cjk_font(book):
    out = subprocess.run(["pdffonts", str(book["guide.pdf"])], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), out
    names = [row[0].split("+", 1)[-1] for row in rows]
    assert all(any(k in n for k in ("CJK", "SC", fonts.EMBEDDED_FAMILY, "WenQuanYi")) for n in names), names


@pytest.mark.slow
def test_book_docx_has_heading_styles_and_working_internal_links(book, content, tmp_path):
    document = docx.Document(str(book["guide.docx"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "二、培育步骤") in headings
    for step in content.all("step"):
        assert ("Heading 2", f"第 {step.order} 步　{plain(step.title)}") in headings
    body = document.element.body
    names = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    anchors = [h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))]
    assert len(anchors) > len(content.all("step")) and set(anchors) <= names
    assert any("TOC" in (t.text or "") for t in body.iter(qn("w:instrText")))
    source = tmp_path / "guide.docx"
    shutil.copy(book["guide.docx"], source)
    converted = squash(pdftotext(soffice_pdf(source, tmp_path)))
    for step in content.all("step"):
        assert squash(plain(step.title)) in converted


def test_generate_reads_site_url_from_mkdocs_yml(tmp_path, run):
    root = copy_shipped(tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("# site_url: http://server/guide/",
                                                                 "site_url: http://intranet.example/guide/"),
                      encoding="utf-8")
    result = run(root, "generate", "--out", str(tmp_path / "out"), "--no-downloads")
    assert result.exit_code == 0, result.output
    step = (tmp_path / "out" / "steps" / "zhengce-xianxing.md").read_text(encoding="utf-8")
    assert "http://intranet.example/guide/steps/zhengce-xianxing.html" in step
    assert (tmp_path / "out" / "steps" / "zhengce-xianxing-qr.svg").read_bytes().startswith(b"<svg")
