"""How much text fits a slide's text box: an estimate from font size and box size, calibrated
against LibreOffice Impress rendering the deck in Noto Sans CJK SC (tests/test_slides_fit.py
renders the shipped deck and measures every line with pdftotext -bbox).

Chinese wraps at any character and each character is one em wide, so a line holds about
(box width - insets - indent) / size characters; Latin letters and digits count about 0.6 em.
Impress sets lines 1.2 x the size apart (single spacing) and puts the master's 20% space before
each paragraph but the first. A small safety margin covers punctuation that may not start a line.
"""

from __future__ import annotations

import math
import unicodedata

INSET_X, INSET_Y = 14.4, 7.2  # pt: a text frame's default insets (0.1 in left + right, 0.05 in top + bottom)
BODY_INDENTS = (27.0, 58.5, 90.0)  # pt: the default master's left margin of body levels 1-3
NO_INDENTS = (0.0,)  # titles and subtitles: no bullets, no margin
LINE, SPACE_BEFORE, SAFETY = 1.2, 0.2, 0.96

Items = list[tuple[str, int]]  # (text, outline level)


def em_width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def per_line(width: float, size: float) -> int:
    """Characters (ems) a line of a column `width` pt wide holds at `size` pt."""
    return max(1, math.floor((width - INSET_X) / size))


def lines(text: str, width: float, size: float) -> int:
    """How many lines `text` takes in a column `width` pt wide at `size` pt ("\n": a line break)."""
    return sum(max(1, math.ceil(em_width(part) / per_line(width, size))) for part in text.split("\n"))


def height(items: Items, width: float, size: float, indents=BODY_INDENTS) -> float:
    total = sum(lines(text, width - indents[min(level, len(indents) - 1)], size) * size * LINE for text, level in items)
    return total + max(0, len(items) - 1) * size * SPACE_BEFORE


def fits(items: Items, width: float, box_height: float, size: float, indents=BODY_INDENTS) -> bool:
    return height(items, width, size, indents) <= (box_height - INSET_Y) * SAFETY


def largest(items: Items, width: float, box_height: float, sizes, indents=BODY_INDENTS) -> int:
    """The largest of `sizes` at which `items` fit, else the smallest."""
    return next((s for s in sorted(sizes, reverse=True) if fits(items, width, box_height, s, indents)), min(sizes))


def paginate(items: Items, width: float, box_height: float, sizes, indents=BODY_INDENTS,
             budget: float | None = None) -> list[tuple[int, Items]]:
    """Split `items` over as few boxes as fit, each with the largest size that fits it.

    A box never ends with an item whose next item is one of its own (deeper) points: a heading
    ("检查清单", a quiz question) moves to the next box with them. `budget` (ems of text per box,
    optional; for a flat list such as the glossary) keeps a box from becoming a wall of text even
    where the text would fit, and then the text is spread evenly over the boxes it takes."""
    within = budget is None or sum(em_width(t) for t, _ in items) <= budget
    if not items or (within and any(fits(items, width, box_height, s, indents) for s in sizes)):
        return [(largest(items, width, box_height, sizes, indents), items)]
    small, pages, page = min(sizes), [], []
    pieces = _pieces(items, width, box_height, small, indents)
    for item in pieces:
        full = page and (not fits(page + [item], width, box_height, small, indents)
                         or (budget is not None and sum(em_width(t) for t, _ in page + [item]) > budget))
        if full:
            carry: Items = []
            while len(page) > 1 and page[-1][1] < (carry[0][1] if carry else item[1]):
                carry.insert(0, page.pop())  # keep a heading with its first point
            pages.append(page)
            page = carry
        page.append(item)
    pages.append(page)
    if budget is not None and len(pages) > 1:
        pages = _balanced(pieces, len(pages), width, box_height, small, indents, budget) or pages
    return [(largest(p, width, box_height, sizes, indents), p) for p in pages]


def _balanced(items: Items, count: int, width: float, box_height: float, size: int, indents,
              budget: float) -> list[Items] | None:
    """`items` over `count` boxes with about the same amount of text in each (the least ems a
    box needs), so the last box is not left with one short item; None if none is found."""
    def packed(cap: float) -> list[Items] | None:
        pages: list[Items] = [[]]
        for item in items:
            page = pages[-1] + [item]
            over = sum(em_width(t) for t, _ in page) > cap or not fits(page, width, box_height, size, indents)
            if pages[-1] and over:
                pages.append([item])
            else:
                pages[-1] = page
        return pages if len(pages) <= count else None

    low, high = max(em_width(t) for t, _ in items), budget
    if packed(high) is None:
        return None
    while high - low > 1:
        middle = (low + high) / 2
        low, high = (low, middle) if packed(middle) is not None else (middle, high)
    return packed(high)


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
