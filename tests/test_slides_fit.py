"""Slides that fit, judged against the rendered slide: the shipped deck goes through LibreOffice
Impress (headless) to PDF, and pdftotext -bbox-layout gives every line's box. No text runs out of
its box, and no continuation slide ("（续）") holds text that would have fitted on the slide before
it at the standard body size (measured with Noto Sans CJK SC's real glyph widths, by a line model
that is itself checked against the render). Also: 16:9, one title size, slide numbers, glossary
slides that are not walls of text, quiz options never broken.

Debian packages: libreoffice-impress-nogui, poppler-utils, fonts-noto-cjk (.ci/apt-packages.txt).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import subprocess

import pytest
from conftest import REPO, copy_shipped
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu
from test_slides_qr_book import _font, _noto_file, soffice_pdf

from pilotguide.content.gather import load_content
from pilotguide.courses import fit, slides
from pilotguide.courses.formats import selected
from pilotguide.courses.pack import course_files
from pilotguide.pages.paths import SiteAddress
from pilotguide.pages.render import render_pages

COURSE = "guanchadian-fuzhi-tuiguang"
SITE = SiteAddress("城乡社区社会组织培育指南", "http://intranet.example/guide/")
STANDARD = max(slides.BODY_SIZES)  # pt: the body size a slide has when nothing forces it smaller
NO_LINE_START = set("，。、；：？！）」』”’》〉】%,.;:?!)")  # Chinese line breaking: these never start a line
HANGING = set("，。、,.")  # Impress lets these hang past the right edge at a line's end
TOLERANCE = 1.5  # pt


def pt(emu) -> float:
    return Emu(emu).pt


@pytest.fixture(scope="module")
def deck_bytes() -> bytes:
    content = load_content(REPO)
    made = course_files(content, render_pages(content, site=SITE), selected(["slides"]), site=SITE)
    return made[f"courses/{COURSE}-slides.pptx"]


@pytest.fixture(scope="module")
def deck(deck_bytes):
    return Presentation(io.BytesIO(deck_bytes))


@pytest.fixture(scope="module")
def rendered(deck_bytes, tmp_path_factory) -> list[list[tuple[float, float, float, float, str]]]:
    """Per slide, the lines Impress set: (xMin, yMin, xMax, yMax, text) in pt from the top left."""
    folder = tmp_path_factory.mktemp("deck")
    source = folder / "deck.pptx"
    source.write_bytes(deck_bytes)
    pdf = soffice_pdf(source, folder)
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                         timeout=120).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        lines = []
        for x0, y0, x1, y1, body in re.findall(
                r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S):
            text = "".join(html.unescape(w) for w in re.findall(r">([^<]*)</word>", body))
            lines.append((float(x0), float(y0), float(x1), float(y1), text))
        pages.append(lines)
    return pages


def boxes(slide) -> list[tuple[str, float, float, float, float]]:
    return [(shape.name, pt(shape.left), pt(shape.top), pt(shape.left + shape.width), pt(shape.top + shape.height))
            for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]


def body(slide):
    return next(s for s in slide.placeholders if s.placeholder_format.idx == 1)


# ---- the model of a line, checked against Impress ----

def tokens(text: str) -> list[str]:
    """Units a line does not break inside: a Latin word or number, else one character; a
    character that may not start a line sticks to the unit before it."""
    out: list[str] = []
    for piece in re.findall(r"[A-Za-z0-9.\-/#:]+|.", text):
        if out and (piece[0] in NO_LINE_START):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def wrapped_lines(text: str, width: float, size: float) -> int:
    """Lines `text` takes in a column `width` pt wide at `size` pt, with Noto Sans CJK's widths
    ("\v": a line break in the paragraph)."""
    if "\v" in text:
        return sum(wrapped_lines(part, width, size) for part in text.split("\v"))
    font, count, line = _font(size), 1, ""
    for unit in tokens(text):
        candidate = line + unit
        if candidate[-1] in HANGING:
            candidate = candidate[:-1]
        if line and font.getlength(candidate) / 10 > width:
            count, line = count + 1, unit.lstrip()
        else:
            line += unit
    return count


def paragraphs(shape) -> list[tuple[str, int]]:
    return [(p.text, p.level) for p in shape.text_frame.paragraphs]  # a line break reads "\v"


def size_of(shape) -> float:
    return shape.text_frame.paragraphs[0].runs[0].font.size.pt


def model_lines(items, width: float, size: float) -> int:
    return sum(wrapped_lines(text, width - fit.INSET_X - fit.BODY_INDENTS[level], size) for text, level in items)


def model_height(items, width: float, size: float) -> float:
    return model_lines(items, width, size) * size * fit.LINE + (len(items) - 1) * size * fit.SPACE_BEFORE


def baselines(lines, box) -> int:
    """Distinct text lines Impress set inside `box` (pdftotext may cut one line in pieces)."""
    _, left, top, right, bottom = box
    inside = [y1 for x0, y0, x1, y1, _ in lines if x0 >= left - TOLERANCE and top - TOLERANCE <= y0 < bottom]
    return len({round(y) for y in inside})


@pytest.fixture(scope="module")
def noto():
    if _noto_file() is None:
        pytest.skip("Noto Sans CJK SC is not installed (apt-get install fonts-noto-cjk)")


@pytest.mark.slow
def test_line_model_counts_the_lines_impress_sets(deck, rendered, noto):
    checked = 0
    for n, (slide, lines) in enumerate(zip(deck.slides, rendered), 1):
        if slide.slide_layout.name != "Title and Content":
            continue
        shape = body(slide)
        box = next(b for b in boxes(slide) if b[0] == shape.name)
        expected = model_lines(paragraphs(shape), pt(shape.width), size_of(shape))
        assert baselines(lines, box) == expected, (n, slide.shapes.title.text)
        checked += 1
    assert checked > 30


# ---- what a trainer sees ----

@pytest.mark.slow
def test_libreoffice_renders_16_9_and_no_text_leaves_its_box(deck, rendered):
    assert len(rendered) == len(deck.slides)
    assert round(deck.slide_width / deck.slide_height, 2) == round(16 / 9, 2)
    for n, (slide, lines) in enumerate(zip(deck.slides, rendered), 1):
        shapes = boxes(slide)
        for x0, y0, x1, y1, text in lines:
            hang = (y1 - y0) if text[-1] in HANGING else 0  # a full stop may hang past the edge
            home = [name for name, left, top, right, bottom in shapes
                    if left - TOLERANCE <= x0 and x1 <= right + TOLERANCE + hang and top - TOLERANCE <= y0
                    and y1 <= bottom + TOLERANCE]
            assert home, (n, slide.shapes.title.text, text, (x0, y0, x1, y1), shapes)


@pytest.mark.slow
def test_no_continuation_slide_would_fit_on_the_one_before(deck, noto):
    slides_ = list(deck.slides)
    continued = 0
    for before, slide in zip(slides_, slides_[1:]):
        if not slide.shapes.title.text.endswith("（续）"):
            continue
        continued += 1
        shape = body(before)
        items = paragraphs(shape) + paragraphs(body(slide))
        height = model_height(items, pt(shape.width), STANDARD)
        if slide.shapes.title.text.startswith("术语"):  # a glossary slide may also be full by its budget
            if fit.em_width("".join(text for text, _ in items)) > slides.GLOSSARY_BUDGET:
                continue
        assert height > pt(shape.height) - fit.INSET_Y, (slide.shapes.title.text, height)
    assert continued  # the deck has long lists: the case is tested, not vacuous


@pytest.mark.slow
def test_every_title_has_one_size_and_every_slide_but_the_first_a_number(deck, rendered):
    sizes = {r.font.size.pt for s in list(deck.slides)[1:] for p in s.shapes.title.text_frame.paragraphs
             for r in p.runs}
    assert sizes == {max(slides.TITLE_SIZES)}
    for n, (slide, lines) in enumerate(zip(deck.slides, rendered), 1):
        fields = [f for f in slide.element.iter(qn("a:fld")) if f.get("type") == "slidenum"]
        if n == 1:
            assert not fields
            continue
        assert len(fields) == 1, n
        bottom = [text for x0, y0, x1, y1, text in lines if y0 > pt(deck.slide_height) - 60]
        assert bottom == [str(n)], (n, bottom)


@pytest.mark.slow
def test_glossary_runs_over_slides_not_walls(deck):
    glossary = [s for s in deck.slides if s.shapes.title.text.removesuffix("（续）") == "术语"]
    assert len(glossary) > 4
    for slide in glossary:
        text = body(slide).text_frame.text
        assert fit.em_width(text) <= slides.GLOSSARY_BUDGET or len(body(slide).text_frame.paragraphs) == 1, text
        assert size_of(body(slide)) >= min(slides.GLOSSARY_SIZES)


@pytest.mark.slow
def test_quiz_options_are_never_broken(deck, rendered):
    content = load_content(REPO)
    options = [o for s in content.get("course", COURSE).sessions for q in s.quiz or () for o in q.options or ()]
    assert options
    quiz_lines = [re.sub(r"\s+", "", text) for slide, lines in zip(deck.slides, rendered)
                  if slide.shapes.title.text.startswith("小测验") for *_, text in lines]
    for option in options:
        assert any(re.sub(r"\s+", "", option) in line for line in quiz_lines), option


def test_widened_template_keeps_its_margins_and_4_3_stays_possible():
    day = dt.date(2026, 1, 1)
    wide, narrow = slides.Deck(day), slides.Deck(day, aspect="4:3")
    assert narrow.prs.slide_width == Emu(9144000) and wide.prs.slide_width == Emu(12192000)
    for deck in (wide, narrow):
        body_box = deck.prs.slide_layouts[slides.CONTENT].placeholders[1]
        margin = pt(body_box.left)
        assert margin == pytest.approx(pt(deck.prs.slide_width - body_box.left - body_box.width))


def test_fit_keeps_a_heading_with_its_first_point():
    items = [("要点", 0)] + [("城乡社区社会组织" * 5, 1)] * 6 + [("检查清单", 0)] + [("□ 一项", 1)] * 3
    width, height = 864, 356
    pages = fit.paginate(items, width, height, (24,))
    assert len(pages) > 1
    assert all(page[-1][1] >= 1 or page is pages[-1][1] for _, page in pages)  # no page ends on a heading
    assert [item for _, page in pages for item in page] == items


def test_tokens_keep_closing_punctuation_with_the_character_before():
    assert tokens("做法。2018 年") == ["做", "法。", "2018", " ", "年"]



@pytest.mark.slow
@pytest.mark.parametrize(("setting", "width"), [("", 12192000), ('      slides_aspect: "4:3"\n', 9144000)])
def test_mkdocs_yml_chooses_the_aspect(tmp_path, run, setting, width):
    root = copy_shipped(tmp_path)
    config = root / "mkdocs.yml"
    only_slides = "      book: false\n      pdf: false\n      docx: false\n" + setting
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      book: true      # the whole guide as guide.pdf and guide.docx (linked from the home page)\n",
        only_slides), encoding="utf-8")
    result = run(root, "generate", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    deck = Presentation(str(tmp_path / "out" / "courses" / f"{COURSE}-slides.pptx"))
    assert deck.slide_width == width and deck.slide_height == 6858000
    assert not list((tmp_path / "out").glob("guide.*"))


def test_a_wrong_aspect_is_a_located_error(tmp_path, run):
    root = copy_shipped(tmp_path)
    config = root / "mkdocs.yml"
    wrong = '      slides_aspect: "16:10"\n      book: true'
    text = config.read_text(encoding="utf-8").replace("      book: true", wrong)
    config.write_text(text, encoding="utf-8")
    result = run(root, "check")
    assert result.exit_code == 1
    assert "mkdocs.yml:" in result.output and "slides_aspect" in result.output and "Traceback" not in result.output


def test_a_budget_spreads_a_glossary_evenly():
    terms = [("术语：" + "定义的文字" * 13, 0)] * 3 + [("短：" + "一句话" * 16, 0)]  # 68, 68, 68, 50 ems
    pages = fit.paginate(terms, 864, 356, (24, 20), budget=240)
    assert [item for _, page in pages for item in page] == terms
    assert len(pages) == 2 and all(sum(fit.em_width(t) for t, _ in page) <= 240 for _, page in pages)
    assert len(pages[-1][1]) > 1  # the short last term is not left alone on a slide of its own
