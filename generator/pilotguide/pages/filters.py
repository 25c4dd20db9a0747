"""Jinja filters that print content text into Markdown, inert (see sanitize.py), and small helpers."""

from __future__ import annotations

import re
from typing import Any

from .sanitize import inert_markdown


def cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: no pipes or newlines break the row."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    return " ".join(inert_markdown(str(value)).split()).replace("|", "\\|")


def inline(value: Any) -> str:
    """One line of text, for list items and headings."""
    return " ".join(inert_markdown(str(value)).split()) if value is not None else ""


def block(value: Any, indent: int = 0) -> str:
    """Multi-line Markdown, indented to sit inside a list item or admonition."""
    text = inert_markdown(str(value)).strip("\n") if value is not None else ""
    pad = " " * indent
    return "\n".join((pad + line) if line.strip() else "" for line in text.splitlines())


_NOT_IN_AUTOLINK = re.compile(r"[\x00-\x20<>\"'{}|\\^`\x7f]")


def autolink(value: Any) -> str:
    """A web address for an autolink `<...>`: characters that could end it are percent-encoded."""
    return _NOT_IN_AUTOLINK.sub(lambda m: f"%{ord(m.group(0)):02X}", str(value))


def place(location: dict | None) -> str:
    """A location from province down to village, as one Chinese place name."""
    if not location:
        return ""
    parts = ("province", "city", "district", "street", "community")
    return "".join(str(location[p]) for p in parts if location.get(p))


def squeeze(markdown: str) -> str:
    """Collapse the blank lines that optional sections leave behind (never inside code fences)."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line)
    return "\n".join(out).rstrip() + "\n"
