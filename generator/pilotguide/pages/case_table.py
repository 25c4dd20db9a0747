"""The case table and long lists of cases, kept light at any size of guide.

A guide of 10,000 cases would make the case table megabytes of HTML, which a phone on a county
network downloads and lays out before it shows the first row. So the table page carries only its
first `PAGE_ROWS` rows (it works without JavaScript and from file://), and every row goes into a
compact data file, `case-studies/case-table.js`, which filter.js loads with a script tag (fetch
does not work from file://) and renders page by page, filtered by every facet and by text. The
facets in the page's `data-pg-facets` keep regions down to cities only; the data file has them all,
plus the steps and policies a case followed, so a step or policy page can link to "all its cases".

Long lists elsewhere (a topic page, a step or policy page citing hundreds of cases) name their
first `LIST_LIMIT` cases and link to the table filtered to the rest.
"""

from __future__ import annotations

import json
from typing import Any

from ..content.model import Content, Record
from .taxonomy import Facet

PAGE_ROWS = 50  # rows in the table page's HTML; filter.js shows this many a page
LIST_LIMIT = 100  # cases named on a topic, step or policy page before "see the table"
DATA_FILE = "case-studies/case-table.js"  # beside the table page: `data-pg-rows` names it relatively
DATA_GLOBAL = "pilotguideCaseTable"  # what the data file assigns (read by filter.js)
INDEX_TERMS = 300  # terms of a facet on the topics index before districts move to their city's page
BRIEF_DEPTH = 1  # region options in the page itself: provinces and cities
# Facets only the data file carries: which steps and policies a case followed.
LINKED = (("step", "培育步骤", "steps"), ("policy", "相关政策", "policies"))


def is_paged(content: Content) -> bool:
    """Whether the table has more rows than fit on its first page (then it gets a data file)."""
    return len(content.all("case-study")) > PAGE_ROWS


def spec(facets: list[Facet], brief: bool = False) -> list[dict[str, Any]]:
    """The facets and their options (used terms only, with counts), as filter.js reads them.

    `brief`: the page's copy, regions down to cities (4,500 district options at 10,000 cases
    would be half a megabyte of HTML); the data file has every option."""
    return [{"key": f.key, "label": f.label,
             "options": [[t.key, t.label, t.depth, len(t.records)] for t in f.used()
                         if not brief or t.depth <= BRIEF_DEPTH]}
            for f in facets]


def _linked_facets(content: Content, memo=None) -> list[tuple[dict[str, Any], dict[int, list[int]]]]:
    """The step and policy facets, each with its option numbers per case (keyed by id(case)).
    `memo` (a preview's PageMemo) keeps each case's step and policy ids."""
    cases = content.all("case-study")
    if memo is None:
        linked = [(case, _linked_ids(case)) for case in cases]
    else:
        linked = [(case, memo.derived("linked", case, lambda case=case: _linked_ids(case))) for case in cases]
    out = []
    for n, (key, label, field) in enumerate(LINKED):
        members: dict[str, list[Record]] = {}
        for case, ids in linked:
            for ref in ids[n]:
                members.setdefault(ref, []).append(case)
        targets = [r for r in content.all(key) if r.id in members]
        codes: dict[int, list[int]] = {}
        for n, target in enumerate(targets):
            for case in members[target.id]:
                codes.setdefault(id(case), []).append(n)
        options = [[r.id, _text(r.title), 0, len(members[r.id])] for r in targets]
        out.append(({"key": key, "label": label, "options": options}, codes))
    return out


def _linked_ids(case: Record) -> tuple[tuple[str, ...], ...]:
    """The ids of the steps and of the policies a case followed (LINKED order), each once."""
    return tuple(tuple(dict.fromkeys(str(ref) for ref in case.data.get(field) or [])) for _, _, field in LINKED)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _term_codes(facet: Facet) -> dict[int, list[int]]:
    """Option numbers per case (keyed by id(case)), from the terms' own lists of cases."""
    codes: dict[int, list[int]] = {}
    for n, term in enumerate(facet.used()):
        for case in term.records:
            codes.setdefault(id(case), []).append(n)
    return codes


def data_file(content: Content, facets: list[Facet], place, memo=None) -> str:
    """Every row of the case table as a script: `window.pilotguideCaseTable = {...};`.

    A row is [id, title, place, started, [option numbers per facet]]: the cells of the area,
    activity, role and support columns are the labels of those options, so they are not repeated.
    `memo` (a preview's PageMemo) keeps each row's JSON while its case and option numbers stay."""
    linked = _linked_facets(content, memo)
    full = spec(facets) + [f for f, _ in linked]
    codes = [_term_codes(f) for f in facets] + [c for _, c in linked]

    def row(r: Record, numbers: list) -> str:
        return _json([r.id, _text(r.title), _text(place(r.data.get("location"))), _text(r.data.get("started")),
                      numbers])
    rows = []
    for r in content.all("case-study"):
        numbers = [c.get(id(r), []) for c in codes]
        rows.append(row(r, numbers) if memo is None else
                    memo.derived("case-row", r, lambda r=r, n=numbers: row(r, n), extra=numbers))
    # the same text as dumping the whole object at once, made from the rows' own texts
    data = f'{{"facets":{_json(full)},"rows":[{",".join(rows)}],"pageRows":{_json(PAGE_ROWS)}}}'
    # Line and paragraph separators end a string literal in JavaScript engines older than ES2019.
    data = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.{DATA_GLOBAL}={data};\n"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
