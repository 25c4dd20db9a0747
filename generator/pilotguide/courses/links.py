"""Links inside one Word document (the book): bookmarks on headings, internal hyperlinks to them,
and a contents field (TOC) whose entries are links until Word or WPS updates it with page numbers.
"""

from __future__ import annotations

import hashlib
import re
from xml.etree.ElementTree import Element

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor

TOC_ID = "toc"  # the id of the contents heading in book.md.j2
LINK_COLOUR = RGBColor(0x1A, 0x4E, 0x8A)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an HTML id: a letter first, letters, digits and _ only, 40 at most."""
    name = "pg_" + re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if len(name) > 40:
        name = name[:31] + "_" + hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:8]
    return name


class Links:
    """Bookmarks and internal links of one document being written by word._Writer."""

    def __init__(self, document) -> None:
        self.document = document
        self.next_id = 1
        self.after_toc = False
        settings = document.settings.element  # ask Word/WPS to fill in the contents' page numbers
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    def heading(self, paragraph, element: Element, tag: str) -> None:
        anchor = element.get("id")
        self.after_toc = anchor == TOC_ID
        if not anchor:
            return
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), bookmark_name(anchor))
        end.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        p = paragraph._p
        p.insert(1 if p.pPr is not None else 0, start)
        p.append(end)
        if tag == "h1":
            paragraph.paragraph_format.page_break_before = True  # each part on a new page, as in the PDF

    def link(self, paragraph, anchor: str, write) -> None:
        """Call `write` (which adds runs to `paragraph`) and wrap the runs it added in a link to `anchor`."""
        p = paragraph._p
        before = len(p.findall(qn("w:r")))
        write()
        runs = p.findall(qn("w:r"))[before:]
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("w:anchor"), bookmark_name(anchor))
        hyperlink.set(qn("w:history"), "1")
        for run in runs:
            p.remove(run)
            rpr = run.get_or_add_rPr()
            colour = OxmlElement("w:color")
            colour.set(qn("w:val"), str(LINK_COLOUR))
            rpr.append(colour)
            hyperlink.append(run)
        p.append(hyperlink)

    def takes(self, element: Element) -> bool:
        """Whether `element` is the contents list (the list right after the #toc heading)."""
        return self.after_toc and element.tag == "ul"

    def contents(self, element: Element, writer) -> None:
        """The contents as a TOC field: the entries are its current result (links to the headings);
        updating the field in Word or WPS adds page numbers."""
        self.after_toc = False
        entries = [(a, depth) for a, depth in _entries(element)]
        paragraphs = []
        for a, depth in entries:
            paragraph = writer.paragraph()
            paragraph.paragraph_format.left_indent = Cm(1.2 * depth)
            self.link(paragraph, a.get("href", "#")[1:], lambda a=a, p=paragraph: writer.inline(p, a, bold=depth == 0))
            paragraphs.append(paragraph)
        if paragraphs:
            _field(paragraphs[0], paragraphs[-1], 'TOC \\o "1-2" \\h \\z')


def _entries(element: Element, depth: int = 0):
    for item in element.findall("li"):
        a = item.find("a")
        if a is not None:
            yield a, depth
        for sub in item.findall("ul"):
            yield from _entries(sub, depth + 1)


def _field(first, last, instruction: str) -> None:
    """Make the paragraphs from `first` to `last` the current result of a complex field."""
    def char(kind: str):
        run = OxmlElement("w:r")
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        run.append(mark)
        return run

    code = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code.append(text)
    p = first._p
    position = 1 if p.pPr is not None else 0
    for offset, run in enumerate((char("begin"), code, char("separate"))):
        p.insert(position + offset, run)
    last._p.append(char("end"))
