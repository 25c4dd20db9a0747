"""The preview's search index: kept in memory, made when a browser asks for it."""

from __future__ import annotations

import threading
from types import SimpleNamespace

from .. import engine
from ..search.cuts import ZWSP, han_runs, lexicon
from ..search.index import INDEX, INDEX_SCRIPT, doc_texts, finish_index, index_script
from ..search.offline import OfflineSearch
from ..search.pinyin import pinyin_keys


class DeferredIndex:
    """Material's search index while a quick save builds its pages: its plugin hands each page to
    `add_entry_from_context`, which only takes a snapshot (PreviewIndex.defer); the parse (about
    15 ms a page, a title save rebuilds 10 to 20 pages) waits until a browser asks for the index,
    so the saved page shows sooner. It has no `entries`, so it is never taken for a build's index."""

    def __init__(self, preview: PreviewIndex, material_index) -> None:
        self.preview, self.material_index = preview, material_index

    def add_entry_from_context(self, page) -> None:
        self.preview.defer(page, self.material_index)


class PreviewIndex:
    """The search index of a `pilotguide serve` preview: kept in memory, made when asked for.

    Each page's entries are taken from Material's index as the page is built (a preview rebuilds
    only the pages a save changed, so Material alone would forget the others'), and the JSON is
    made when a browser asks for it: a save shows its page without waiting for the whole guide's
    index (about 11 MB at 1,000 case studies) to be cut and written again. Owned by the
    PreviewSession; pages are built in the server's build thread, the index asked for in its
    request threads, hence the lock."""

    def __init__(self, search: OfflineSearch) -> None:
        self.search = search
        self.pages: dict[str, list[dict]] = {}  # page url -> its entries, in build order
        self.runs: dict[str, set[str]] = {}  # page url -> the Chinese runs of its entries
        self.config: dict = {}
        self._source, self._list, self._seen = None, None, 0
        self._data: str | None = None
        self._pinyin: tuple[tuple, dict] = ((), {})
        self._pending: dict[str, tuple[type, dict, SimpleNamespace]] = {}  # page url -> parse later
        self._lock = threading.Lock()

    def page_built(self, url: str, material_index) -> None:
        """Material's index has just taken this page's entries (its on_page_context ran first)."""
        with self._lock:
            built = engine.entries_of(material_index)
            if material_index is not self._source or built is not self._list:
                self._source, self._list, self._seen = material_index, built, 0  # a new build
            entries = built[self._seen:]
            self._seen = len(built)
            self._pending.pop(url, None)
            self._take(url, entries)
            self.config = engine.index_config(material_index)
            self._data = None

    def _take(self, url: str, entries: list[dict]) -> None:
        for entry in entries:  # as finish_index does, before the words are cut
            for key in ("title", "text"):
                if isinstance(entry.get(key), str):
                    entry[key] = entry[key].replace(ZWSP, "")
        self.pages[url] = entries
        self.runs[url] = han_runs(doc_texts(entries))

    def deferring(self, material_index) -> DeferredIndex:
        """A stand-in for Material's index while a quick save builds its pages (see DeferredIndex)."""
        return DeferredIndex(self, material_index)

    def defer(self, page, material_index) -> None:
        """Keep what Material's index reads of a page (its HTML as it is now, before Material's
        plugin strips the data-search attributes, its table of contents, address, meta and title)
        to parse when the index is next asked for."""
        snapshot = SimpleNamespace(content=page.content, toc=page.toc, url=page.url, meta=dict(page.meta),
                                   title=page.title)
        with self._lock:
            self._pending[page.url] = (*engine.index_class_and_config(material_index), snapshot)
            self._data = None

    def _parse_pending(self) -> None:
        """Material's parse of the pages quick saves built since the index was last asked for."""
        for url, (cls, config, snapshot) in self._pending.items():
            if url in self.pages:
                self._take(url, engine.parse_page(cls, config, snapshot))
        self._pending = {}

    def keep_only(self, urls: list[str], material_index=None) -> None:
        """After a full build: the site's pages in order; entries of pages gone are dropped. Material's
        index may have swapped its list of entries at the end of the build (a dirty build merges the
        previous index in): the next quick save's pages are counted from its end."""
        with self._lock:
            if material_index is not None:
                self._source, self._list = material_index, engine.entries_of(material_index)
                self._seen = len(self._list)
            self.pages = {u: self.pages[u] for u in urls if u in self.pages}
            self.runs = {u: self.runs[u] for u in self.pages}
            self._pending = {}  # the build indexed every page itself
            self._data = None

    def changed(self) -> None:
        with self._lock:
            self._data = None

    def data(self) -> str:
        """search_index.json as the build would write it (finish_index), for the current pages."""
        with self._lock:
            if self._data is None:
                self._parse_pending()
                s = self.search
                synonyms = dict(s.synonyms)
                runs = set().union(*self.runs.values()) if self.runs else set()
                words = lexicon((), [*s.terms, *synonyms.values()], s.cuts, runs=runs, whole=synonyms)
                docs = [entry for entries in self.pages.values() for entry in entries]
                self._data = finish_index({"config": dict(self.config), "docs": docs}, synonyms=synonyms,
                                          pinyin=self._pinyin_keys(), words=words, staff=s.staff)
            return self._data

    def _pinyin_keys(self) -> dict[str, list[str]]:
        key = tuple(self.search.pinyin_from)
        if self._pinyin[0] != key:
            self._pinyin = (key, pinyin_keys(key) if key else {})
        return self._pinyin[1]

    def served(self, path: str) -> bytes | None:
        """The bytes of a search file the preview makes itself; None for any other path, and for
        every path while no page has been indexed (a site without Material's search has no index)."""
        if self._source is None:
            return None
        if path == INDEX:
            return self.data().encode("utf-8")
        if path == INDEX_SCRIPT:
            return index_script(self.data()).encode("utf-8")
        return None
