"""Course handouts as Word (DOCX), with python-docx: editable in Word and WPS.

Built from the same cleaned HTML tree as the PDF, so both say the same thing. Trainers edit these
files, so structure is real Word structure: heading styles (the navigation pane works), list
styles with Word numbering, tables, and an East Asian font on every style we use.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph

from . import links

if TYPE_CHECKING:
    from .formats import Handout

# Free (OFL) and what the PDF embeds; Word/WPS substitute an installed Chinese font without it.
EAST_ASIAN_FONT = "Noto Sans CJK SC"
PNG_DATA = "data:image/png;base64,"
BLOCKS = ("p", "div", "table", "blockquote", "pre", "ul", "ol")
HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 4}  # 0 is Word's Title style
BOOK_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}  # the book: parts are Heading 1
STYLED = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Heading 6",
          "List Bullet",
          "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3",
          "List Continue", "List Continue 2", "Quote", "Footer")


def build(handout: Handout) -> bytes:
    """The registry's builder (formats.py): the handout as a Word document dated by the build."""
    return docx_bytes(handout.tree, handout.title, handout.content.today, paper=handout.paper())


def docx_bytes(root: Element, title: str, today: dt.date, font: str = EAST_ASIAN_FONT,
               internal_links: bool = False, paper: list[str] = ()) -> bytes:
    """A DOCX of the handout whose HTML tree is `root` (an <html> element), dated `today`; the
    `paper` lines (guide, edition, address: pages/paper.py) in every page's footer.

    `internal_links` (the book): headings with an id get a bookmark, links to `#id` become
    internal hyperlinks, and the list after the `#toc` heading becomes a contents field."""
    document = docx.Document()
    _page_setup(document, paper)
    _east_asian_styles(document, font)
    _properties(document, title, today)
    writer = _Writer(document, links.Links(document) if internal_links else None)
    body = root.find("body")
    for element in (body if body is not None else root):
        writer.block(element)
    out = io.BytesIO()
    document.save(out)
    return reproducible(out.getvalue(), today)


def _properties(document, title: str, today: dt.date) -> None:
    """Our own metadata, dated by the build: python-docx's template says "python-docx", 2013."""
    stamp = dt.datetime.combine(today, dt.time())
    props = document.core_properties
    props.title, props.language = title, "zh-CN"
    props.author = props.last_modified_by = "pilotguide"
    props.comments = ""
    props.created = props.modified = stamp
    props.revision = 1


def reproducible(data: bytes, today: dt.date) -> bytes:
    """Re-pack the DOCX with every member dated by the build, so the same content gives the same bytes."""
    stamp = today.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def _page_setup(document, paper: list[str] = ()) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    footer = section.footer.paragraphs[0]
    for line in paper:  # which guide and edition, and where it lives online, above the page number
        stamp = footer.insert_paragraph_before()
        stamp.alignment = WD_ALIGN_PARAGRAPH.LEFT
        stamp.add_run(line).font.size = Pt(7.5)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    field = OxmlElement("w:fldSimple")  # Word fills in the page number when it lays out the page
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" 页")


def _east_asian_styles(document, font: str) -> None:
    """Set the font (and zh-CN language) on the defaults and every style we use: for Chinese
    (w:eastAsia) and for Latin letters and digits too (w:ascii, w:hAnsi), so a number in a
    sentence is set in the same sans-serif face, not in the template's serif.

    The default template's theme attributes (w:eastAsiaTheme, w:asciiTheme ...) win over a named
    font, so they go."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    targets = [defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))]
    targets += [document.styles[name].element.get_or_add_rPr() for name in STYLED]
    # and every other style that names fonts (linked character styles such as "Heading 1 Char")
    targets += [fonts.getparent() for fonts in document.styles.element.iter(qn("w:rFonts"))]
    for rpr in targets:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for theme in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        for script in ("w:eastAsia", "w:ascii", "w:hAnsi"):
            fonts.set(qn(script), font)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")


class _Writer:
    """Walks the HTML tree and appends the matching Word structure."""

    def __init__(self, document, links=None):
        self.document = document
        self.links = links  # links.Links for the book; None: links are plain text
        self.levels = HEADINGS if links is None else BOOK_HEADINGS
        self.style_ids: dict[str, str] = {}
        self.section = None  # the body's w:sectPr, which paragraphs go before
        self.heading_level = 0  # the last heading's Word level: the next may go at most one deeper

    def paragraph(self, style: str | None = None) -> Paragraph:
        """A new paragraph at the end of the body, in `style`.

        Not `document.add_paragraph`: it finds the body's section properties by scanning all the
        body's children, and looks the style name up by scanning every style, on each call; a
        1,000-case book (40,000 paragraphs) spent minutes there. Both are looked up once here."""
        body = self.document.element.body
        if self.section is None:
            self.section = body.sectPr
        element = OxmlElement("w:p")
        if self.section is not None:
            self.section.addprevious(element)
        else:
            body.append(element)
        paragraph = Paragraph(element, self.document._body)
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.document.styles[style].style_id
            paragraph._p.style = self.style_ids[style]
        return paragraph

    def block(self, element: Element, list_level: int = 0, quote: bool = False) -> None:
        tag = element.tag
        if tag in HEADINGS:
            # Never skip a level (Heading 2 -> Heading 4): the navigation pane and screen readers
            # show the outline as it is, and a record's own body headings may jump.
            level = min(self.levels[tag], self.heading_level + 1) if self.levels[tag] else 0
            self.heading_level = level
            heading = self.paragraph("Title" if level == 0 else f"Heading {level}")
            self.inline(heading, element)
            if "pg-session" in element.get("class", "").split():
                heading.paragraph_format.page_break_before = True  # a session per page, as in the PDF
            if self.links is not None:
                self.links.heading(heading, element, tag)
        elif self.links is not None and self.links.takes(element):
            self.links.contents(element, self)
        elif tag == "p" and "pg-book-title" in element.get("class", ""):
            self.inline(self.paragraph("Title"), element)  # the book's cover
        elif tag == "p":
            self.inline(self.paragraph("Quote" if quote else None), element)
        elif tag in ("ul", "ol"):
            self.list(element, list_level + 1)
        elif tag == "table":
            self.table(element)
        elif tag == "blockquote":
            for child in element:
                self.block(child, list_level, quote=True)
        elif tag in ("div", "section"):
            for child in element:
                if "admonition-title" in child.get("class", ""):
                    self.inline(self.paragraph(), child, bold=True)
                else:
                    self.block(child, list_level)
        elif tag == "pre":
            paragraph = self.paragraph()
            paragraph.add_run("".join(element.itertext())).font.name = "Courier New"
        # hr, script and anything unknown: nothing (pack.py has removed unsafe elements)

    def list(self, element: Element, level: int) -> None:
        if "task-list" in element.get("class", "").split():
            self.checklist(element)
            return
        kind = "List Number" if element.tag == "ol" else "List Bullet"
        style = kind if level == 1 else f"{kind} {min(level, 3)}"
        num_id = _restart_numbering(self.document, style) if element.tag == "ol" else None
        for item in element.findall("li"):
            paragraph = self.paragraph(style)
            if num_id is not None:
                _set_num(paragraph, num_id)
            self.list_item(paragraph, item, level)

    def checklist(self, element: Element) -> None:
        """One paragraph per item in the Checklist style: the item's □ and no bullet; the items
        keep together on one page (keep-with-next on all but the last, as the heading has)."""
        style = _checklist_style(self.document)
        paragraphs = self.document.paragraphs
        if paragraphs:  # the checklist's label ("检查清单：") or heading stays with its first item
            paragraphs[-1].paragraph_format.keep_with_next = True
        items = element.findall("li")
        for i, item in enumerate(items):
            paragraph = self.document.add_paragraph(style=style)
            paragraph.paragraph_format.keep_with_next = i < len(items) - 1
            self.list_item(paragraph, item, 1)

    def list_item(self, paragraph: Paragraph, item: Element, level: int) -> None:
        """The item's own text goes in its list paragraph; blocks inside it follow, indented."""
        self.inline_text(paragraph, item.text)
        for child in item:
            if child.tag in ("ul", "ol"):
                self.list(child, level + 1)
            elif child.tag == "p" and not paragraph.text:
                self.inline(paragraph, child)  # a loose list: its first paragraph is the item's text
            elif child.tag == "p":
                more = "List Continue" if level == 1 else "List Continue 2"  # indented under the item
                self.inline(self.paragraph(more), child)
            elif child.tag in BLOCKS:
                self.block(child, level)
            else:
                self.inline_child(paragraph, child, False, False)
                self.inline_text(paragraph, child.tail)

    def table(self, element: Element) -> None:
        rows = [tr for tr in element.iter("tr")]
        if not rows:
            return
        width = max(len(tr.findall("th") + tr.findall("td")) for tr in rows)
        table = self.document.add_table(rows=len(rows), cols=width)
        table.style = self.document.styles["Table Grid"]
        # row by row: python-docx's table.cell(r, c) lists every cell of the table on each call,
        # quadratic in a long table (the book's case register: 1,000 rows took 7 s)
        for tr, row in zip(rows, table.rows):
            cells = [c for c in tr if c.tag in ("th", "td")]
            for cell, target in zip(cells, row.cells):
                self.inline(target.paragraphs[0], cell, bold=cell.tag == "th")
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never splits
            if all(c.tag == "th" for c in cells):
                _repeat_header(row)

    def inline(self, paragraph: Paragraph, element: Element, bold: bool = False, italic: bool = False) -> None:
        self.inline_text(paragraph, element.text, bold, italic)
        for child in element:
            self.inline_child(paragraph, child, bold, italic)
            self.inline_text(paragraph, child.tail, bold, italic)

    def inline_child(self, paragraph: Paragraph, child: Element, bold: bool, italic: bool) -> None:
        if child.tag == "br":
            paragraph.add_run().add_break()
        elif child.tag in ("strong", "b"):
            self.inline(paragraph, child, True, italic)
        elif child.tag in ("em", "i"):
            self.inline(paragraph, child, bold, True)
        elif child.tag == "code":
            paragraph.add_run("".join(child.itertext())).font.name = "Courier New"
        elif child.tag == "img" and child.get("src", "").startswith(PNG_DATA):
            # Only images pack.py made (QR codes): pack.py removes every image from content.
            data = base64.b64decode(child.get("src")[len(PNG_DATA):])
            paragraph.add_run().add_picture(io.BytesIO(data), width=Cm(2.5))
            paragraph.add_run("　")
        elif child.tag == "a" and self.links is not None and child.get("href", "").startswith("#"):
            self.links.link(paragraph, child.get("href")[1:], lambda: self.inline(paragraph, child, bold, italic))
        else:  # a, span, label ...: their text, in the surrounding style
            self.inline(paragraph, child, bold, italic)

    @staticmethod
    def inline_text(paragraph: Paragraph, text: str | None, bold: bool = False, italic: bool = False) -> None:
        if not text:
            return
        # Whitespace from the HTML's line breaks is layout, not content; Chinese needs no spaces.
        text = " ".join(text.split("\n"))
        if not paragraph.runs:
            text = text.lstrip()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.italic = italic or None


CHECKLIST_STYLE = "Checklist"


def _checklist_style(document) -> str:
    """The paragraph style of checklist items (made once per document): Normal, indented, kept
    together. Its East Asian font comes from Normal, which it is based on."""
    if CHECKLIST_STYLE not in [s.name for s in document.styles]:
        style = document.styles.add_style(CHECKLIST_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_together = True
    return CHECKLIST_STYLE


def _restart_numbering(document, style: str) -> int:
    """A new Word numbering for one <ol>, so each numbered list starts again at 1."""
    numbering = document.part.numbering_part.element
    style_num = document.styles[style].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _set_num(paragraph: Paragraph, num_id: int) -> None:
    """Number `paragraph` in list `num_id` (level 0: each List Number style has its own list)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id


def _repeat_header(row) -> None:
    """Mark a header row to repeat at the top of each page a table runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)

