"""What paper says about itself: which guide, which edition, and where the page lives online.

Every printed output carries the same lines, formatted here once: the browser's print of any
page (a running footer from `print_css`), the checklist printout, the handouts and the book.
"""

from __future__ import annotations

from .paths import SiteAddress


def paper_lines(site: SiteAddress | None, edition, address: str | None = None) -> list[str]:
    """['<guide name> · 本版 <date> · 内容指纹 <hash>', '<address>'] (the address only when known)."""
    first = " · ".join(part for part in [site.name if site else "", edition.stamp if edition else ""] if part)
    return [line for line in [first, address or ""] if line]


def _css_string(text: str) -> str:
    """`text` as a CSS string that cannot end the string, the rule or the <style> element."""
    escaped = []
    for char in text:
        if char in '"\\<>&' or ord(char) < 32:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def print_css(lines: list[str]) -> str:
    """Print CSS that runs `lines` along the foot of every printed sheet (a CSS page-margin box;
    handouts keep their page number in the middle)."""
    if not lines:
        return ""
    text = ' "\\a" '.join(_css_string(line) for line in lines)
    return ("@media print { @page { @bottom-left {"
            f" content: {text}; white-space: pre-wrap; font-size: 7.5pt; line-height: 1.4; color: #333;"
            " vertical-align: top; padding-top: 4mm; } } }")


def pdf_css(lines: list[str]) -> str:
    """The same lines for WeasyPrint's handouts and book (their page number moves to the right)."""
    if not lines:
        return ""
    text = ' "\\a" '.join(_css_string(line) for line in lines)
    # `pre`: each line whole, never broken inside: a page address broken at a hyphen reads back (pdftotext,
    # a person typing it) without the hyphen, a wrong address. Small enough for a long address to fit.
    return ("@page { @bottom-left { content: " + text + "; white-space: pre; font-size: 6.5pt;"
            " line-height: 1.4; color: #444; width: 80%; vertical-align: top; padding-top: 3mm; }"
            " @bottom-center { content: none; }"
            ' @bottom-right { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font-size: 8pt;'
            " color: #444; vertical-align: top; padding-top: 3mm; } }\n")
