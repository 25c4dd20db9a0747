"""Content Markdown as plain text, for formats that are not HTML (slide text, speaker notes)."""

from __future__ import annotations

import html
import re

import markdown
import nh3


def plain(text) -> str:
    """One field's inline Markdown as plain text: markup dropped, entities decoded, one line."""
    if text is None:
        return ""
    rendered = markdown.markdown(str(text), output_format="html")
    return " ".join(html.unescape(nh3.clean(rendered, tags=set())).split())


def paragraphs(text) -> list[str]:
    """A block field (blank-line separated paragraphs) as a list of plain paragraphs."""
    return [p for p in (plain(part) for part in re.split(r"\n\s*\n", str(text or ""))) if p]
