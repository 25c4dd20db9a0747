"""Course handouts as PDF, with WeasyPrint and an embedded free Chinese font.

WeasyPrint is imported only when a PDF is made: it needs the system's Pango library, and a
machine without it should still be able to check content and build a site. Where it cannot load,
a Chromium-family browser prints the same HTML and CSS (engines.py says what differs).
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from importlib.resources import files
from typing import TYPE_CHECKING

from ..errors import PackError
from ..pages.paper import pdf_css
from .engines import BROWSER_CSS, PdfEngine, browser_pdf
from .fonts import CJKFont

if TYPE_CHECKING:
    from .formats import Handout

PANGO_HINT = (
    "无法加载 WeasyPrint（生成 PDF 所需）：{error}\n"
    "WeasyPrint 需要系统中的 Pango 库。Debian/Ubuntu：apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0。\n"
    "或在 mkdocs.yml 的 pilotguide 插件下设置 `pdf: false`，不生成 PDF。"
)


def stylesheet(font: CJKFont, extra_css: str = "") -> str:
    """The handout print CSS (plus `extra_css`), set in `font` (generic sans-serif only for what it lacks)."""
    family = f'"{font.family}", sans-serif'
    css = (files("pilotguide") / "assets" / "handout-pdf.css").read_text(encoding="utf-8") + extra_css
    # @page margin boxes do not inherit from html, so the page numbers name the font too.
    return font.css() + css + f"html, h1, h2, h3, h4 {{ font-family: {family}; }}\n@page {{ font-family: {family}; }}\n"


def _weasyprint():
    try:
        import weasyprint
    except (OSError, ImportError) as error:  # OSError: cffi could not load libpango/libgobject
        raise PackError(PANGO_HINT.format(error=error)) from None
    return weasyprint


def _fetcher_class(weasyprint):
    class OnlyTheFont(weasyprint.URLFetcher):
        """Fetch nothing but the font file: a handout never reaches the network or other files."""

        def __init__(self, allowed: set[str]):
            super().__init__(allowed_protocols=["file", "data"], timeout=5)
            self.allowed = allowed

        def fetch(self, url, headers=None):
            if url.startswith("data:image/png;base64,"):  # QR codes pack.py made, inside the document
                return super().fetch(url, headers)
            if url not in self.allowed:
                raise ValueError(f"handouts load no external resources: {url}")
            return super().fetch(url, headers)

    return OnlyTheFont


def pdf_bytes(html: str, font: CJKFont, extra_css: str = "", engine: PdfEngine | None = None) -> bytes:
    """Render a handout's HTML (already cleaned by pack.py) to PDF bytes, with WeasyPrint unless
    `engine` is a browser."""
    if engine is not None and engine.browser is not None:
        style = f"<style>{stylesheet(font, extra_css)}{BROWSER_CSS}</style>"
        head_end = html.find("</head>")
        document = html[:head_end] + style + html[head_end:] if head_end >= 0 else style + html
        return browser_pdf(engine.browser, document)
    weasyprint = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher_class(weasyprint)({font.path.as_uri()} if font.path else set())
    font_config = FontConfiguration()
    css = weasyprint.CSS(string=stylesheet(font, extra_css), font_config=font_config, url_fetcher=fetcher)
    # WeasyPrint logs every CSS property it ignores; only real errors matter to a build.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=[css], font_config=font_config)


def build(handout: Handout) -> bytes:
    """The registry's builder (formats.py): the handout set in type with the guide's CJK font."""
    return pdf_bytes(ET.tostring(handout.tree, "unicode", method="html"), handout.font, pdf_css(handout.paper()),
                     engine=handout.engine)
