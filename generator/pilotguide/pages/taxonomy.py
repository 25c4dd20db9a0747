"""Facets of case studies: region, urban/rural, activity type, role, support measure, year.

One place decides which facets exist and which terms a case carries; the term pages, the
filterable case table and the statistics page all read the result, so they always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from pypinyin import lazy_pinyin

from ..content.model import Content, Record

REGION_LEVELS = ("province", "city", "district")  # deeper levels are too fine to browse by
REGION_SEP = "/"


@dataclass
class Term:
    """One value of a facet and the cases that carry it."""

    key: str  # what the case table filters on (a region is its path: 省/市/区)
    label: str  # shown to readers
    slug: str  # ASCII file name of the term page
    depth: int = 0  # region level (0 province, 1 city, 2 district); 0 elsewhere
    records: list[Record] = field(default_factory=list)
    children: list["Term"] = field(default_factory=list)  # a region's regions one level down
    _ids: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def ids(self) -> frozenset[str]:
        """The ids of its cases (the topics index crosses every pair of terms of two facets)."""
        if self._ids is None:
            self._ids = frozenset(r.id for r in self.records)
        return self._ids


@dataclass
class Facet:
    key: str
    label: str
    terms: list[Term]

    def used(self) -> list[Term]:
        """Terms at least one case carries: the ones worth a page, a filter option, a bar."""
        return [t for t in self.terms if t.records]


@dataclass(frozen=True)
class FacetSpec:
    key: str
    label: str
    values: Callable[[Record], list[str]]  # the term keys of one case
    vocabulary: str | None = None  # term order comes from vocabularies.yaml when set


def _listed(name: str) -> Callable[[Record], list[str]]:
    def values(record: Record) -> list[str]:
        value = record.data.get(name)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return values


def region_keys(record: Record) -> list[str]:
    """'黑龙江省', '黑龙江省/哈尔滨市', ...: a case belongs to every region above it too."""
    location = record.data.get("location") or {}
    parts = [str(location[level]) for level in REGION_LEVELS if location.get(level)]
    return [REGION_SEP.join(parts[:i]) for i in range(1, len(parts) + 1)]


def year_keys(record: Record) -> list[str]:
    started = record.data.get("started")
    return [str(started)[:4]] if started else []


def source_keys(record: Record) -> list[str]:
    """沿用《…》 / 本地补充 / 本地修改 in a guide built on a base (content/layers.py); none otherwise."""
    return [record.provenance_label] if record.provenance else []


# The provenance facet exists only in a guide built on a base: a guide of its own has no such filter.
SOURCE = FacetSpec("source", "出处", source_keys)

FACETS = (
    FacetSpec("region", "地区", region_keys),
    FacetSpec("area", "城乡", _listed("area"), "areas"),
    FacetSpec("activity", "活动类型", _listed("activity_types"), "activity_types"),
    FacetSpec("role", "发挥作用", _listed("roles"), "roles"),
    FacetSpec("support", "扶持措施", _listed("support_measures"), "support_measures"),
    FacetSpec("year", "开始年份", year_keys),
)


@lru_cache(maxsize=65536)
def _pinyin(text: str) -> tuple[str, ...]:
    # pypinyin costs ~0.1 ms a call, and the same place names recur in every region path and in
    # every rebuild under `pilotguide serve`.
    return tuple(lazy_pinyin(text))


def slugify(text: str) -> str:
    """An ASCII slug from Chinese text via pinyin: 农村社区 -> nong-cun-she-qu."""
    words = " ".join(_pinyin(text)).lower()
    return re.sub(r"[^a-z0-9]+", "-", words).strip("-") or "term"


def _label(spec: FacetSpec, key: str) -> str:
    if spec.key == "region":
        return key.rsplit(REGION_SEP, 1)[-1]
    if spec.key == "year":
        return f"{key} 年"
    return key


def _order(spec: FacetSpec, keys: set[str], content: Content) -> list[str]:
    """Vocabulary order (every term, used or not); regions as a tree; years ascending."""
    if spec.vocabulary:
        terms = content.vocabularies.get(spec.vocabulary, [])
        return list(terms) + sorted(keys - set(terms), key=lambda k: (_pinyin(k), k))  # not listed: by pinyin
    if spec.key == "region":
        # the key itself breaks ties between homophones, so slugs do not depend on set order
        return sorted(keys, key=lambda k: ([_pinyin(p) for p in k.split(REGION_SEP)], k))
    return sorted(keys)


def _unique_slugs(terms: list[Term]) -> None:
    """Homophones get a numeric suffix, in term order, so slugs stay stable and distinct."""
    seen: dict[str, int] = {}
    for term in terms:
        count = seen.get(term.slug, 0)
        seen[term.slug] = count + 1
        if count:
            term.slug = f"{term.slug}-{count + 1}"


def facet(spec: FacetSpec, content: Content, memo=None) -> Facet:
    """One facet of the content's case studies. `memo` (pages.memo.PageMemo, under `pilotguide
    serve`) keeps each case's terms of every facet, worked out once per record object."""
    index = FACETS.index(spec) if spec in FACETS else None
    if memo is None or index is None:
        cases = [(record, spec.values(record)) for record in content.all("case-study")]
    else:
        cases = [(r, memo.derived("facets", r, lambda r=r: _all_values(r))[index]) for r in content.all("case-study")]
    keys = {k for _, values in cases for k in values}
    terms = [Term(k, _label(spec, k), slugify(k), k.count(REGION_SEP) if spec.key == "region" else 0)
             for k in _order(spec, keys, content)]
    by_key = {t.key: t for t in terms}
    parents: dict[str, str] = {}
    for record, keys in cases:
        for key in dict.fromkeys(keys):
            by_key[key].records.append(record)
        if spec.key == "region":  # a case's region keys run from province down, each inside the last
            parents.update(zip(keys[1:], keys))
    _unique_slugs(terms)
    for term in terms:
        if term.key in parents:
            by_key[parents[term.key]].children.append(term)
    return Facet(spec.key, spec.label, terms)


def _all_values(record: Record) -> tuple[list[str], ...]:
    return tuple(spec.values(record) for spec in FACETS)


def taxonomy(content: Content, memo=None) -> list[Facet]:
    """Every facet of the content's case studies, terms in reading order (render_pages works it
    out once and hands it to the templates' globals and the term pages)."""
    layered = any(r.provenance for r in content.all("case-study"))
    return [facet(spec, content, memo) for spec in FACETS + ((SOURCE,) if layered else ())]


def case_facets(record: Record) -> dict[str, list[str]]:
    """The term keys of one case, per facet (what the filterable table puts on its row)."""
    specs = FACETS + ((SOURCE,) if record.provenance else ())
    return {spec.key: list(dict.fromkeys(spec.values(record))) for spec in specs}


def term_page(facet_key: str, term: Term) -> str:
    return f"topics/{facet_key}/{term.slug}.md"
