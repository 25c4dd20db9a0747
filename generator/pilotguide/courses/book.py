"""The whole guide as one book (guide.pdf, guide.docx at the site root): the `book` switch.

Its Markdown comes from the `book.md.j2` template (overridable like every page template) and goes
through the same cleaned HTML tree as the handouts (pack.py), then through pdf.py (WeasyPrint:
bookmarks from headings, "见第 N 页" and the contents' page numbers from `target-counter()`) or
word.py (heading styles, bookmarks and internal links, a contents field Word can update).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.resources import files
from typing import TYPE_CHECKING

from ..pages.paper import pdf_css
from . import pdf, word

if TYPE_CHECKING:
    from .formats import Handout


def build_pdf(book: Handout) -> bytes:
    css = (files("pilotguide") / "assets" / "book-pdf.css").read_text(encoding="utf-8")
    # the cover carries no page number (book-pdf.css); the edition runs along every page's foot
    css = pdf_css(book.paper()) + css + "@page :first { @bottom-right { content: none; } }\n"
    return pdf.pdf_bytes(ET.tostring(book.tree, "unicode", method="html"), book.font, extra_css=css, engine=book.engine)


def build_docx(book: Handout) -> bytes:
    return word.docx_bytes(book.tree, book.title, book.content.today, internal_links=True, paper=book.paper())
