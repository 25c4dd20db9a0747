"""Rendered pages kept between rebuilds of one `pilotguide serve` session.

`PageMemo`: each generated page's Markdown with the inputs it was rendered from; render_pages
reuses a page whose inputs are the very same record objects as last time. Owned by the preview
(the MkDocs plugin instance) and passed to render_pages.
"""

from __future__ import annotations

from typing import Any


class PageMemo:
    """Each generated page's Markdown with the inputs it was rendered from (see render_pages)."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[Any, str]] = {}
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
