"""A checker for HTML that must be inert: what in it could run script or load active content."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ACTIVE_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
               "base", "meta", "link", "form", "template", "noscript", "textarea", "select", "button"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster"}
TEXT_ALIGN = re.compile(r"\s*(text-align:\s*[a-z]+;?)?\s*")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")  # as a browser reads one
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style" and not TEXT_ALIGN.fullmatch(value or ""):
                self.found.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value is not None:
                probe = re.sub(r"[\x00-\x20]", "", html.unescape(value))
                scheme = SCHEME.match(probe)
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    self.found.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def dangers(markup: str) -> list[str]:
    """Every tag, event handler or URL in `markup` that could run something; [] when inert."""
    finder = _Finder()
    finder.feed(markup)
    finder.close()
    return finder.found


def article(page_html: str) -> str:
    """The content part of a Material page (the rest is the theme's own, trusted markup)."""
    start = page_html.index('<article class="md-content__inner')
    return page_html[start:page_html.index("</article>", start)]
