"""Pages and template helpers that help readers find and trust content.

Taxonomy term pages, the "找案例" index with its cross tables, the statistics page and the
更新记录 page, plus the data the filterable case table carries. Called from render.py; pure
functions of the content, like the rest of rendering.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

import jinja2

from ..content.model import Content, Record
from ..content.review import is_overdue
from . import case_table, charts
from .filters import place
from .taxonomy import Facet, Term, case_facets, term_page

# Cross tables on the topics index: the questions cadres ask most ("rural cases about mediation").
STATUS_CLASSES = {"现行有效": "current", "已修订": "revised", "已废止": "repealed", "征求意见": "draft"}
CROSSES = (("area", "role"), ("area", "activity"))
FILTER_PREFIX = "filter:"  # the URL hash that presets the case table: #filter:area=农村社区&role=矛盾化解


@dataclass
class Cross:
    rows: Facet
    columns: Facet

    @property
    def any(self) -> bool:
        """Whether any case carries a term of both facets (else the table would be all zeros)."""
        return any(both(r, c) for r in self.rows.terms for c in self.columns.terms)


def h(value: Any) -> str:
    """HTML-escaped text, for content placed inside raw HTML."""
    return html.escape("" if value is None else str(value), quote=True)


def filter_spec(facets: list[Facet], brief: bool = False) -> str:
    """The facets and their options (used terms only, with counts), as JSON for filter.js."""
    return json.dumps(case_table.spec(facets, brief), ensure_ascii=False, separators=(",", ":"))


def filter_attrs(record: Record) -> str:
    """` data-pg-role='["矛盾化解"]'` ...: the facets of one table row, for filter.js."""
    parts = []
    for key, values in case_facets(record).items():
        data = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
        parts.append(f' data-pg-{key}="{h(data)}"')
    return "".join(parts)


def filter_hash(selection: dict[str, str]) -> str:
    """The URL hash that opens the case table with these filters already chosen."""
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in selection.items())
    return FILTER_PREFIX + query


def both(a: Term, b: Term) -> int:
    """How many cases carry both terms."""
    return len(a.ids() & b.ids())


def crosses(facets: list[Facet]) -> list[Cross]:
    by_key = {f.key: f for f in facets}
    return [Cross(by_key[r], by_key[c]) for r, c in CROSSES if by_key[r].terms and by_key[c].terms]


@jinja2.pass_context
def record_link(context, change) -> str:
    """A link to a changed record if it still exists; a removed record's title otherwise."""
    try:
        record = context["content"].get(change.kind, change.id)
    except KeyError:
        return " ".join(str(change.title).split())
    return context.call(context["link"], record)


def template_globals(content: Content, facets: list[Facet]) -> dict[str, Any]:
    """What the templates of these pages (and the case index) may call."""
    return dict(facets=facets, filter_spec=filter_spec, filter_attrs=filter_attrs,
                filter_hash=filter_hash, both=both, term_page=term_page,
                overdue=lambda record: is_overdue(record, content.today),
                record_link=record_link, list_limit=case_table.LIST_LIMIT, index_terms=case_table.INDEX_TERMS,
                case_table=dict(paged=case_table.is_paged(content), page_rows=case_table.PAGE_ROWS,
                                data_file=case_table.DATA_FILE),
                status_class=lambda status: STATUS_CLASSES.get(status, "other"))


def render_finding_pages(content: Content, facets: list[Facet], render: Callable[..., None],
                         pages: dict[str, str], memo=None) -> None:
    """Add the topics, statistics and changes pages (and the chart SVGs, the case table's data
    file) to `pages`. `memo`: a preview's PageMemo (the data file's rows)."""
    if case_table.is_paged(content):
        pages[case_table.DATA_FILE] = case_table.data_file(content, facets, place, memo)
    render("topics-index.md.j2", "topics/index.md", crosses=crosses(facets))
    for f in facets:
        for term in f.used():
            # inputs: what the page shows, for pilotguide serve's page memo (render.py)
            children = tuple((c.key, c.slug, len(c.records)) for c in term.children)
            inputs = (f.key, f.label, term.key, term.label, term.slug, len(term.records), children,
                      *term.records[:case_table.LIST_LIMIT])
            render("topic.md.j2", term_page(f.key, term), inputs, facet=f, term=term)
    figures = charts.figures(facets, len(content.all("case-study")))
    render("statistics.md.j2", "statistics.md", figures=figures)
    for figure in figures:
        if figure.svg:
            pages[figure.path] = figure.svg
    if content.edition is not None:
        base = content.base
        render("changes.md.j2", "changes.md", edition=content.edition, base=base,
               upstream=base.updates() if base is not None else [])
