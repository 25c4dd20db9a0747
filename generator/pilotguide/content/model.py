"""Typed records and the content of a whole guide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import Document
from .review import build_date
from .schemas import field_names, item_schema


@dataclass(frozen=True)
class Reference:
    """A reference by id from one record to another, with where it stands."""

    kind: str  # kind of the record referred to
    id: str
    at: tuple  # path inside the document


class UnknownField(AttributeError):
    """A template asked for a field its schema does not have (a typo such as `record.sumary`)."""

    def __init__(self, name: str, allowed: frozenset[str], what: str):
        self.name, self.allowed, self.what = name, allowed, what
        super().__init__(name)


def _lookup(data: dict, name: str, allowed: frozenset[str] | None, what: str) -> Any:
    """A field read as an attribute: None when optional and absent; an error when no such field."""
    if name.startswith("_") or (allowed is not None and name not in allowed and name not in data):
        raise UnknownField(name, allowed or frozenset(), what)
    return data.get(name)


class Fields(dict):
    """A mapping from content whose optional fields read as None in templates when absent.

    Only the fields its schema allows can be read: any other name raises UnknownField, so a
    misspelt field in a template fails the build instead of printing nothing."""

    def __init__(self, items=(), allowed: frozenset[str] | None = None, what: str = ""):
        super().__init__(items)
        self._allowed, self._what = allowed, what

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_allowed", "_what"):
            raise AttributeError(name)
        return _lookup(self, name, self._allowed, self._what)


def fields(value: Any, schema: dict | None = None, what: str = "") -> Any:
    """Nested content data with every mapping made a Fields that knows its schema's field names."""
    if isinstance(value, dict):
        allowed = field_names(schema) if schema is not None else None
        return Fields(((k, fields(v, item_schema(schema, k) if schema else None, k)) for k, v in value.items()),
                      allowed, what)
    if isinstance(value, list):
        return [fields(v, item_schema(schema) if schema else None, what) for v in value]
    return value


BASE, ADDED, CHANGED = "base", "added", "changed"  # Record.provenance in a guide built on a base


def provenance_label(provenance: str, origin: str = "") -> str:
    """The reader's words for a provenance; "" in a guide without a base."""
    if provenance == BASE:
        return f"沿用《{origin}》"
    return {ADDED: "本地补充", CHANGED: "本地修改"}.get(provenance, "")


@dataclass(eq=False)
class Record:
    """One validated record: a policy, step, case study, glossary term or course."""

    kind: str
    id: str
    data: dict[str, Any]
    doc: Document
    refs: list[Reference] = field(default_factory=list)
    # Where the record comes from in a guide built on a base (content/layers.py): "" in a guide
    # without a base; else BASE (kept from the base guide named `origin`), ADDED or CHANGED (local).
    provenance: str = ""
    origin: str = ""  # name of the guide whose layer wrote this version of the record

    def __repr__(self) -> str:
        return f"<{self.kind} {self.id} ({self.doc.path})>"

    @property
    def title(self) -> str:
        return self.data.get("title") or self.data.get("term") or self.id

    @property
    def provenance_label(self) -> str:
        """沿用《…》 / 本地补充 / 本地修改: the one wording of a record's provenance, on every output."""
        return provenance_label(self.provenance, self.origin)

    @property
    def path(self) -> str:
        """The content file, relative to the project root (for messages)."""
        return self.doc.path

    def __getattr__(self, name: str) -> Any:
        # Templates read fields as attributes (record.summary); a missing optional field is None,
        # so templates test `{% if record.number %}`. A name the kind's schema does not have
        # raises UnknownField: with StrictUndefined the template then fails, located (templates.py).
        if name.startswith("_") or name in ("kind", "id", "data", "doc", "refs", "provenance", "origin"):
            raise AttributeError(name)
        allowed = self.data._allowed if isinstance(self.data, Fields) else None
        return _lookup(self.data, name, allowed, self.kind)


@dataclass
class Content:
    """Everything a guide holds, checked and resolved, ready to render."""

    root: Path
    vocabularies: dict[str, list[str]]
    records: dict[str, list[Record]]  # kind -> records in reading order
    backlinks: dict[tuple[str, str], list[Record]] = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # Problems that do not stop a build
    today: dt.date = field(default_factory=build_date)  # the build's date (SOURCE_DATE_EPOCH): reviews, editions
    edition: Any = None  # editions.Edition of this build, when the project keeps editions
    synonyms: dict = field(default_factory=dict)  # search: everyday word -> the guide's term (synonyms.py)
    settings: Any = None  # guidefile.GuideSettings: the guide's own guide.yaml (None without one)
    base: Any = None  # layers.Base: the base guide this one is built on, with its upstream changes (None without)
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def all(self, kind: str) -> list[Record]:
        return self.records.get(kind, [])

    def get(self, kind: str, id_: str) -> Record:
        # An index instead of a scan: templates look records up by id once per reference, and a
        # scan would make a guide of N cases cost N x N.
        key = (kind, id_)
        if key not in self._index:
            self._index = {(r.kind, r.id): r for rs in self.records.values() for r in rs}
        return self._index[key]

    def cited_by(self, record: Record, kind: str | None = None) -> list[Record]:
        """Records that refer to `record`, optionally only those of one kind."""
        found = self.backlinks.get((record.kind, record.id), [])
        return [r for r in found if kind is None or r.kind == kind]
