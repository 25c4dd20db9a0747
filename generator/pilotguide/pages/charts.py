"""Static SVG charts of case studies per facet, drawn at build time with pygal.

Text stays text in the SVG (`<text>` elements), so Chinese labels render with the reader's own
fonts and remain selectable; no JavaScript is embedded (pygal's tooltip script, loaded from the
internet by default, is switched off). Output is deterministic: the same content gives the same
bytes, so a rebuild does not change the site for nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pygal
from pygal.style import Style

from .taxonomy import Facet, Term

FONTS = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif"
LABEL_SIZE = 14
STYLE = Style(font_family=FONTS, background="white", plot_background="white", colors=("#c62828",),
              foreground="#333", foreground_strong="#111", foreground_subtle="#ccc",
              label_font_size=LABEL_SIZE, major_label_font_size=LABEL_SIZE, value_font_size=LABEL_SIZE,
              title_font_size=16)
WIDTH = 640
ROW = 36  # height of one bar row in a horizontal chart
TITLES = {"region": "各地区的案例数", "area": "城市与农村的案例数", "activity": "各活动类型的案例数",
          "role": "发挥各类作用的案例数", "support": "各扶持措施的案例数", "year": "各年份开始的案例数",
          "source": "各出处的案例数"}


@dataclass
class Figure:
    """One chart: its SVG (None when no case carries the facet) and the numbers as a table."""

    key: str
    label: str
    title: str
    path: str
    rows: list[tuple[str, int]] = field(default_factory=list)
    svg: str | None = None


def text_width(text: str, size: int = LABEL_SIZE) -> float:
    """Rough rendered width: CJK characters are a full em, others about 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)


def _extra_margin(labels: list[str]) -> int:
    # pygal sizes its margins as if every character were 0.6 em wide; Chinese ones are 1 em, so
    # without this the longest labels are cut off at the left edge.
    estimate = max((len(label) * 0.6 * LABEL_SIZE for label in labels), default=0)
    actual = max((text_width(label) for label in labels), default=0)
    return int(actual - estimate) + 8


def _ticks(highest: int) -> list[int]:
    """Whole-number axis ticks (cases are counted, never fractional), at most about ten."""
    step = max(1, -(-highest // 10))
    return list(range(0, highest + step, step))


def _clean(svg: str) -> str:
    """Drop pygal's comments (they carry today's date) and its inline config script (dead weight:
    an SVG shown as an image runs no script), so output is static and depends on content only."""
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.S)
    return svg if svg.endswith("\n") else svg + "\n"


XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # lxml refuses these in SVG text


@lru_cache(maxsize=64)  # pygal takes about 20 ms a chart; under `serve` most saves leave the counts alone
def _chart(key: str, title: str, rows: tuple[tuple[str, int], ...], horizontal: bool) -> str:
    labels = [XML_UNSAFE.sub("", label) for label, _ in rows]
    values = [count for _, count in rows]
    options = dict(style=STYLE, js=[], show_legend=False, width=WIDTH, truncate_label=-1,
                   print_values=True, print_zeroes=False, disable_xml_declaration=True, title=title,
                   y_labels=_ticks(max(values, default=0)), show_minor_y_labels=True)
    if horizontal:
        # pygal draws the first category at the bottom; reverse so the chart reads top-down.
        chart = pygal.HorizontalBar(height=90 + ROW * len(rows), margin_left=_extra_margin(labels), **options)
        labels, values = labels[::-1], values[::-1]
    else:
        chart = pygal.Bar(height=320, x_label_rotation=0, **options)
    chart.uuid = f"pg-{key}"  # pygal's default id is random; a fixed one keeps builds reproducible
    chart.x_labels = labels
    chart.add("案例数", values)
    return _clean(chart.render(is_unicode=True))


def _year_rows(terms: list[Term]) -> list[tuple[str, int]]:
    """Every year from the first to the last, gaps as zero, so the time axis is honest."""
    counts = {int(t.key): len(t.records) for t in terms if t.key.isdigit()}
    if not counts:
        return []
    return [(str(y), counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)]


def _rows(facet: Facet) -> list[tuple[str, int]]:
    if facet.key == "year":
        return _year_rows(facet.used())
    if facet.key == "region":
        # Provinces and their cities; districts would make a very long chart.
        return [(t.key.replace("/", " "), len(t.records)) for t in facet.used() if t.depth <= 1]
    return [(t.label, len(t.records)) for t in facet.terms]


def figures(facets: list[Facet], total: int) -> list[Figure]:
    """One figure per facet; a facet no case carries gets no SVG, only a sentence saying so."""
    out = []
    for facet in facets:
        figure = Figure(facet.key, facet.label, TITLES.get(facet.key, facet.label), f"statistics/{facet.key}.svg")
        figure.rows = _rows(facet)
        if total and any(count for _, count in figure.rows):
            figure.svg = _chart(facet.key, figure.title, tuple(figure.rows), horizontal=facet.key != "year")
        out.append(figure)
    return out
