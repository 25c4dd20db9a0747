"""A record's facts read back from every output a reader gets: the web page, the participants'
handout (PDF), the slides (PPTX), the book (guide.pdf, guide.docx). Each says the same rows in
the same order with the same values: 提出机关 for a measure an article only proposes, 来源未说明
for whatever the source does not state. And the book's print defects, each read back as a reader
meets it: the facts line apart from the summary, task notes without doubled punctuation, the PDF
title and cover bookmark, printed addresses that pdftotext gives back whole, the DOCX's Latin font
and heading levels.

Expected values come from the YAML files, by the rule, not from pilotguide's formatter.
Debian packages: poppler-utils, libreoffice-writer-nogui, fonts-noto-cjk (.ci/apt-packages.txt).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPO
from docx.oxml.ns import qn
from pptx import Presentation
from test_slides_qr_book import pdftotext, soffice_pdf

from pilotguide.content.gather import load_content
from pilotguide.courses.formats import selected
from pilotguide.courses.pack import course_files
from pilotguide.courses.plain import plain
from pilotguide.pages.paths import SiteAddress
from pilotguide.pages.render import render_pages

COURSE = "guanchadian-fuzhi-tuiguang"
SITE = SiteAddress("城乡社区社会组织培育指南", "http://intranet.example/guide/")
# A long address with hyphens in every part, as a county's intranet may have.
LONG_SITE = SiteAddress("某县城乡社区社会组织培育指南",
                        "http://intranet-server.example/minzheng-ju/shehui-zuzhi-guanli/peiyu-zhinan-2026/")
LABELS = ("提出机关", "发布机关", "层级", "文号", "发布时间", "状态")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def expected_rows(policy_id: str) -> list[tuple[str, str]]:
    """A policy's facts by the rule, from its YAML file."""
    data = yaml.safe_load((REPO / "policies" / f"{policy_id}.yaml").read_text(encoding="utf-8"))

    def stated(field):
        value = data.get(field)
        return str(value) if value not in (None, "", "未说明") else "来源未说明"

    issuer = "提出机关" if data["status"] == "文章提出的措施" else "发布机关"
    return [(issuer, stated("issuer")), ("层级", stated("level")), ("文号", stated("number")),
            ("发布时间", stated("issued")), ("状态", stated("status"))]


def policy_ids() -> list[str]:
    return sorted(p.stem for p in (REPO / "policies").glob("*.yaml"))


def body_text(pdf: Path) -> str:
    """An A4 PDF's text without its page furniture (running header, 第 N 页 footer): only the
    area inside the page margins, so text that runs over a page break reads on; in layout order
    (a line of facts is read as a line, not as columns)."""
    return pdftotext(pdf, "-layout", "-x", "0", "-y", "50", "-W", "595", "-H", "730")


def line_of(rows) -> str:
    """The rows as squashed text, as every paper output prints them: 标签：值 in order."""
    return "".join(f"{label}：{value}" for label, value in rows)


@pytest.fixture(scope="module")
def content():
    return load_content(REPO)


@pytest.fixture(scope="module")
def outputs(content, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("outputs")
    made = course_files(content, render_pages(content, site=SITE), selected(["pdf", "docx", "slides", "book"]),
                        site=SITE)
    out = {}
    for path, data in made.items():
        out[path] = folder / path.replace("/", "_")
        out[path].write_bytes(data)
    return out


# ---- the same facts everywhere ----

def test_the_shipped_guide_has_proposed_measures_and_unstated_statuses():
    """What makes the other tests here meaningful: both kinds of policy are shipped."""
    statuses = [yaml.safe_load((REPO / "policies" / f"{i}.yaml").read_text(encoding="utf-8"))["status"]
                for i in policy_ids()]
    assert statuses.count("文章提出的措施") >= 6 and "未说明" in statuses


def test_web_page_rows(content):
    pages = render_pages(content)
    for policy_id in policy_ids():
        page = pages[f"policies/{policy_id}.md"]
        rows = re.findall(r"^\| ([^|]+?) \| (.*?) \|$", page, re.M)
        rows = [(label, re.sub(r"\*\*(.*?)\*\*\{.*?\}", r"\1", value)) for label, value in rows if label in LABELS]
        assert rows == expected_rows(policy_id), policy_id


@pytest.mark.slow
def test_handout_pdf_slides_and_book_give_the_same_rows(content, outputs):
    handout = squash(body_text(outputs[f"courses/{COURSE}-handout.pdf"]))
    book_pdf = squash(body_text(outputs["guide.pdf"]))
    deck = Presentation(str(outputs[f"courses/{COURSE}-slides.pptx"]))
    book_docx = docx.Document(str(outputs["guide.docx"]))
    paragraphs = [p.text for p in book_docx.paragraphs]
    for policy_id in policy_ids():
        policy = content.get("policy", policy_id)
        title, summary = squash(plain(policy.title)), squash(plain(policy.summary))
        line = line_of(expected_rows(policy_id))
        # handout and book PDF: the title, then the facts in order, then the summary
        assert f"政策：{title}{line}{summary[:20]}" in handout, policy_id
        assert f"{title}{line}{summary[:20]}" in book_pdf, policy_id
        # slides: the policy's slide (and any continuation) starts with the facts
        slide = next(s for s in deck.slides if squash(s.shapes.title.text) == squash(f"政策：{policy.title}"))
        assert squash(slide.placeholders[1].text_frame.text).startswith(line), policy_id
        # book DOCX: the paragraph after the heading is the facts line, the summary its own paragraph
        at = next(i for i, p in enumerate(book_docx.paragraphs)
                  if p.style.name.startswith("Heading") and squash(p.text) == title)
        assert squash(paragraphs[at + 1]) == line and squash(paragraphs[at + 2]).startswith(summary[:20]), policy_id
    for text in (handout, book_pdf, squash("".join(paragraphs))):
        assert not re.search(r"(?<!来源)未说明", text)  # never a bare 未说明
    assert "发布机关：黑龙江省民政厅" not in book_pdf + handout  # the six measures were proposed, not issued


# ---- the book's print defects ----

@pytest.mark.slow
def test_book_pdf_facts_line_ends_before_the_summary(content, outputs):
    lines = [squash(line) for line in pdftotext(outputs["guide.pdf"], "-layout").splitlines()]
    for policy in content.all("policy"):
        start = squash(plain(policy.summary))[:18]
        found = [line for line in lines if start in line]
        assert found and all(line.startswith(start) for line in found), (policy.id, found)


def expected_task_notes() -> list[str]:
    """Each shipped task as the book prints it, from the YAML: what（负责：…；产出：…）。"""
    notes = []
    for path in sorted((REPO / "steps").glob("*.yaml")):
        for task in yaml.safe_load(path.read_text(encoding="utf-8"))["tasks"]:
            who = (task.get("who") or "来源未说明").rstrip("。")
            output = f"；产出：{task['output'].rstrip('。')}" if task.get("output") else ""
            notes.append(f"{task['what'].rstrip('。')}（负责：{who}{output}）。")
    return notes


@pytest.mark.slow
def test_task_notes_never_double_their_punctuation(outputs):
    texts = {"handout": squash(body_text(outputs[f"courses/{COURSE}-handout.pdf"])),
             "book-pdf": squash(body_text(outputs["guide.pdf"])),
             "book-docx": squash("".join(p.text for p in docx.Document(str(outputs["guide.docx"])).paragraphs))}
    notes = expected_task_notes()
    assert any("）；产出" in n for n in notes)  # a responsible party in brackets, then an output: the hard case
    for name, text in texts.items():
        assert not re.search(r"[。；，][；。）]", text), (name, re.search(r".{20}[。；，][；。）].{10}", text))
        assert all(squash(n) in text for n in notes if name != "handout"), name
    assert sum(squash(n) in texts["handout"] for n in notes) >= 6  # the course's steps


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-enc", "UTF-8", str(pdf)], capture_output=True, text=True, check=True,
                         timeout=60).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def outline(pdf: Path) -> list[tuple[int, str]]:
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf)], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return [(int(page), title) for page, title in re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)]


@pytest.mark.slow
def test_book_pdf_is_titled_by_the_guide_and_the_cover_has_a_bookmark(outputs):
    assert pdfinfo(outputs["guide.pdf"])["Title"].strip() == SITE.name
    assert outline(outputs["guide.pdf"])[0] == (1, SITE.name)
    assert docx.Document(str(outputs["guide.docx"])).core_properties.title == SITE.name


def printed_addresses(text: str, head: str) -> list[list[str]]:
    """Each address starting with `head` in pdftotext output, as the lines it is printed on: it
    goes on to the next line when a line ends with a slash (the only place it may break)."""
    lines = [line.strip() for line in text.splitlines()]
    found = []
    for i, line in enumerate(lines):
        if head in line:
            parts = [line[line.index(head):].split()[0]]
            while parts[-1].endswith("/") and i + len(parts) < len(lines) and lines[i + len(parts)]:
                parts.append(lines[i + len(parts)].split()[0])
            found.append(parts)
    return found


@pytest.mark.slow
def test_printed_addresses_read_back_whole_and_break_only_after_a_slash(content, tmp_path):
    made = course_files(content, render_pages(content, site=LONG_SITE), selected(["pdf", "book"]), site=LONG_SITE)
    urls = {"guide.pdf": [LONG_SITE.url],
            f"courses/{COURSE}-handout.pdf": [LONG_SITE.page(f"courses/{COURSE}-handout.md", f"session-{n}")
                                              for n in range(1, 5)]}
    head = LONG_SITE.url[: LONG_SITE.url.index("/", len("http://")) + 1]
    broken = 0
    for path, expected in urls.items():
        pdf = tmp_path / Path(path).name
        pdf.write_bytes(made[path])
        printed = printed_addresses(pdftotext(pdf), head)
        whole = ["".join(parts) for parts in printed]
        # each address it prints (QR captions, the cover), and the paper stamp at every page's foot
        # (#25: the guide's address on the book, the handout page's own on the handout), read back whole
        stamp = LONG_SITE.url if path == "guide.pdf" else LONG_SITE.page(f"courses/{COURSE}-handout.md")
        assert set(expected) <= set(whole) and set(whole) <= {*expected, stamp}, (path, printed)
        broken += sum(len(parts) > 1 for parts in printed)
    assert broken  # the handout's long addresses do run over a line: the case that went wrong


def rfonts(element) -> list:
    return list(element.iter(qn("w:rFonts")))


@pytest.mark.slow
@pytest.mark.parametrize("path", ["guide.docx", f"courses/{COURSE}-handout.docx"])
def test_docx_sets_the_latin_font_too(outputs, path):
    document = docx.Document(str(outputs[path]))
    fonts = rfonts(document.styles.element)
    assert fonts
    for f in fonts:  # defaults and every style: the same sans-serif for Chinese, Latin and digits
        assert {f.get(qn(a)) for a in ("w:eastAsia", "w:ascii", "w:hAnsi")} == {"Noto Sans CJK SC"}, f.attrib
        assert not any(f.get(qn(a)) for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"))


@pytest.mark.slow
def test_docx_digits_render_in_the_sans_serif_font(outputs, tmp_path):
    source = tmp_path / "handout.docx"
    source.write_bytes(outputs[f"courses/{COURSE}-handout.docx"].read_bytes())
    pdf = soffice_pdf(source, tmp_path)
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    names = [line.split()[0].split("+", 1)[-1] for line in out.splitlines()[2:] if line.strip()]
    fonts = [n for n in names if n != "OpenSymbol"]  # OpenSymbol: LibreOffice's list bullets
    assert fonts and all("Sans" in n and "Serif" not in n for n in fonts), names


@pytest.mark.slow
@pytest.mark.parametrize("path", ["guide.docx", f"courses/{COURSE}-handout.docx", f"courses/{COURSE}-trainer.docx"])
def test_docx_heading_levels_never_skip(outputs, path):
    levels = [0 if p.style.name == "Title" else int(p.style.name.split()[1])
              for p in docx.Document(str(outputs[path])).paragraphs
              if p.style.name == "Title" or p.style.name.startswith("Heading ")]
    assert max(levels) >= 3
    skips = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not skips, skips


def test_a_body_heading_that_jumps_still_gives_a_docx_outline_without_gaps():
    from pilotguide.courses.pack import handout_tree
    from pilotguide.courses.word import docx_bytes
    import datetime as dt

    tree = handout_tree("# 书\n\n## 部分\n\n#### 跳了一级\n\n###### 又跳\n\n## 下一部分\n\n### 小节\n")
    document = docx.Document(io.BytesIO(docx_bytes(tree, "书", dt.date(2026, 1, 1), internal_links=True)))
    styles = [p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert styles == ["Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 2", "Heading 3"]
