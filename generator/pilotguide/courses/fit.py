"""How much text fits a slide's text box: an estimate from font size and box size.

Chinese wraps at any character and each character is one em wide, so a line holds about
(box width - insets - indent) / size characters; Latin letters and digits count about 0.6 em.
Each paragraph takes its lines at 1.45 x the size (Noto CJK's ascent + descent) plus the 20%
space before that python-pptx's default master sets. A safety margin covers punctuation that may not start a line.
"""

from __future__ import annotations

import math
import unicodedata

INSET_X, INSET_Y = 14.4, 7.2  # pt: a text frame's default insets (0.1 in left + right, 0.05 in top + bottom)
BODY_INDENTS = (27.0, 58.5, 90.0)  # pt: the default master's left margin of body levels 1-3
LINE, SPACE_BEFORE, SAFETY = 1.45, 0.2, 0.92

Items = list[tuple[str, int]]  # (text, outline level)


def em_width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def lines(text: str, width: float, size: float) -> int:
    """How many lines `text` takes in a column `width` pt wide at `size` pt."""
    per_line = max(1, math.floor((width - INSET_X) / size))
    return max(1, math.ceil(em_width(text) / per_line))


def height(items: Items, width: float, size: float, indents=BODY_INDENTS) -> float:
    return sum(lines(text, width - indents[min(level, len(indents) - 1)], size) * size * LINE + size * SPACE_BEFORE
               for text, level in items)


def fits(items: Items, width: float, box_height: float, size: float, indents=BODY_INDENTS) -> bool:
    return height(items, width, size, indents) <= (box_height - INSET_Y) * SAFETY


def largest(items: Items, width: float, box_height: float, sizes, indents=BODY_INDENTS) -> int:
    """The largest of `sizes` at which `items` fit, else the smallest."""
    return next((s for s in sorted(sizes, reverse=True) if fits(items, width, box_height, s, indents)), min(sizes))


def paginate(items: Items, width: float, box_height: float, sizes, indents=BODY_INDENTS) -> list[tuple[int, Items]]:
    """Split `items` over as few boxes as fit, each with the largest size that fits it."""
    if not items or any(fits(items, width, box_height, s, indents) for s in sizes):
        return [(largest(items, width, box_height, sizes, indents), items)]
    small, pages, page = min(sizes), [], []
    for item in _pieces(items, width, box_height, small, indents):
        if page and not fits(page + [item], width, box_height, small, indents):
            pages.append(page)
            page = []
        page.append(item)
    pages.append(page)
    return [(largest(p, width, box_height, sizes, indents), p) for p in pages]


def _pieces(items: Items, width: float, box_height: float, size: int, indents) -> Items:
    """Items, with any that would not fit a box alone cut into pieces that do."""
    out: Items = []
    for text, level in items:
        while not fits([(text, level)], width, box_height, size, indents):
            cut = _longest_prefix(text, level, width, box_height, size, indents)
            out.append((text[:cut], level))
            text = text[cut:]
        out.append((text, level))
    return out


def _longest_prefix(text: str, level: int, width: float, box_height: float, size: int, indents) -> int:
    low, high = 1, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if fits([(text[:mid], level)], width, box_height, size, indents):
            low = mid
        else:
            high = mid - 1
    return low
