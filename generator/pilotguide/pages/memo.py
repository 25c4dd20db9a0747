"""Rendered pages kept between rebuilds of one `pilotguide serve` session.

`PageMemo`: each generated page's Markdown with the inputs it was rendered from; render_pages
reuses a page whose inputs are the very same record objects as last time. Owned by the preview
(the MkDocs plugin instance) and passed to render_pages.
"""

from __future__ import annotations

from typing import Any, Callable


class PageMemo:
    """Each generated page's Markdown with the inputs it was rendered from (see render_pages)."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[Any, str]] = {}
        self._derived: dict[tuple[str, int], tuple[Any, Any, Any]] = {}
        self.reused = self.rendered = 0

    def get(self, page: str, key: Any) -> str | None:
        entry = self._pages.get(page)
        if entry is not None and entry[0] == key:
            self.reused += 1
            return entry[1]
        return None

    def put(self, page: str, key: Any, markdown: str) -> None:
        self.rendered += 1
        self._pages[page] = (key, markdown)

    def derived(self, name: str, record: Any, compute: Callable[[], Any], extra: Any = None) -> Any:
        """compute(): something worked out from one record (its facet terms, its case table row),
        kept while the record is the very same object (an unchanged file keeps its object) and
        `extra` is equal. Callers must not change what it returns."""
        key = (name, id(record))
        entry = self._derived.get(key)
        if entry is not None and entry[0] is record and entry[1] == extra:
            return entry[2]
        value = compute()
        self._derived[key] = (record, extra, value)
        return value

    def forget_others(self, records: list) -> None:
        """Drop what was worked out from records that are gone (edited files make new objects)."""
        alive = {id(r) for r in records}
        if len(self._derived) > 8 * len(alive):  # only now and then: this costs a pass over all
            self._derived = {k: v for k, v in self._derived.items() if k[1] in alive}
