"""Chinese search that finds what cadres type, on a site that needs nothing from outside.

Material for MkDocs cuts Chinese with jieba's accurate mode and joins the words with U+200B, so a
part of a longer word (纠纷 in 邻里纠纷) is never found, and its worker segments queries its own
way. Here the build side only prepares data; the browser side (assets/search/worker.js) cuts
documents and queries with one and the same function:

- `lexicon`: the words the browser cuts with: what jieba finds in the indexed text (accurate
  mode, with a user dictionary of the guide's glossary terms, aliases, record titles and place
  names), plus the dictionary words inside each of them, so compounds can be cut into parts.
- `rewrite_index`: Material's search_index.json again, as UTF-8 (Material escapes every Chinese
  character as \\uXXXX), with plain titles and text (no U+200B) and the lexicon; plus
  search_index.js, which pages opened from file:// load instead of fetching the JSON.
- `OfflineSearch`: the MkDocs side: the worker and the vendored iframe-worker shim (which runs
  the worker from file://) are written into the site, so no page asks another host for anything.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
import warnings
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Iterable

log = logging.getLogger("mkdocs.plugins.pilotguide.search")

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # as HAN in worker.js
ZWSP = "\u200b"
TAG = re.compile(r"<[^>]*>")

INDEX = "search/search_index.json"
INDEX_SCRIPT = "search/search_index.js"  # what Material's pages load from file:// (no fetch there)
WORKER = "assets/pilotguide/search-worker.js"
VENDOR = "assets/pilotguide/vendor"  # third-party browser assets, with their licences (vendor.json)
SHIM = f"{VENDOR}/iframe-worker/shim.js"
MATERIAL_WORKER = re.compile(r'("search":\s*"[^"]*?)assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)"')
UNPKG_SHIM = "https://unpkg.com/iframe-worker/shim"  # what Material's offline plugin would add


def user_terms(content, kept: dict | None = None) -> list[str]:
    """The guide's own words, kept whole by jieba: record titles, glossary aliases, place names.
    `kept` (an OfflineSearch's, under `pilotguide serve`): each record's words, by record object;
    replaced by this guide's."""
    terms: set[str] = set()
    seen = {}
    for records in content.records.values():
        for record in records:
            entry = kept.get(id(record)) if kept is not None else None
            if entry is None or entry[0] is not record:
                entry = (record, _record_terms(record))
            seen[id(record)] = entry
            terms.update(entry[1])
    if kept is not None:
        kept.clear()
        kept.update(seen)
    return sorted(terms)


def _record_terms(record) -> frozenset[str]:
    texts = [record.title, *(record.data.get("aliases") or [])]
    location = record.data.get("location")
    if isinstance(location, dict):
        texts += [v for v in location.values() if isinstance(v, str)]
    return frozenset(run for text in texts for run in HAN.findall(str(text)) if len(run) >= 2)


def _jieba():
    """The jieba module with its default dictionary loaded, once (about a second, from jieba's cache)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba 0.42 imports the deprecated pkg_resources
        import jieba
    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict..." on every build otherwise
    jieba.dt.check_initialized()
    return jieba


def skip_material_segmenting() -> None:
    """Material cuts every page with jieba when it can import it, only for the worker to split
    on U+200B; our index is cut in the browser and rewritten without U+200B, so that pass would
    double the build's jieba time (jieba cuts about 130,000 characters a second). Only saves
    time: should Material rename its `jieba` global, the index comes out the same."""
    try:
        from material.plugins.search import plugin as material_search
    except ImportError:  # pragma: no cover - Material is a dependency
        return
    if getattr(material_search, "jieba", None) is not None:
        material_search.jieba = None


def tokenizer(terms: Iterable[str]):
    """A jieba tokenizer with `terms` as its user dictionary, leaving jieba's global one alone
    (Material cuts with the global one; one build's terms must not leak into the next)."""
    jieba = _jieba()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    for term in terms:
        tk.add_word(term)  # jieba picks a frequency high enough for the term to stay whole
    return tk


def parts(word: str, known) -> set[str]:
    """Every shorter word (two characters or more) inside `word` that `known` contains."""
    n = len(word)
    return {word[i:j] for i in range(n) for j in range(i + 2, n + 1) if j - i < n and word[i:j] in known}


class Cuts:
    """jieba's cuts of each distinct run, kept for as long as the user dictionary is the same.
    Owned by an OfflineSearch, which `pilotguide serve` keeps across rebuilds.

    `pilotguide serve` rewrites the index on every save; without this it would cut the whole
    guide's text again each time (about three seconds at 1,000 case studies)."""

    def __init__(self, store: Path | None = None) -> None:
        self.terms: list[str] | None = None
        self.tk = None
        self.runs: dict[str, tuple[str, ...]] = {}
        self.store = store  # a build's: the cuts of the last build, in the build cache folder
        self._cut = 0  # runs cut by jieba (not found in the store) since the store was read

    def tokenizer_for(self, terms: list[str]):
        if terms != self.terms:
            self.terms, self.tk, self.runs = terms, tokenizer(terms), self._stored(terms)
        return self.tk

    def _key(self, terms: list[str]) -> str:
        """What a run's cut depends on besides the run: jieba and its dictionary, the user words."""
        jieba = _jieba()
        h = hashlib.sha256(f"{getattr(jieba, '__version__', '')}\0{jieba.dt.total}\0".encode("utf-8"))
        h.update("\n".join(terms).encode("utf-8"))
        return h.hexdigest()

    def _stored(self, terms: list[str]) -> dict[str, tuple[str, ...]]:
        """The cuts a previous build kept for the same tokenizer; none if the store is missing,
        unreadable or made with other words or another jieba (it is only ever a shortcut)."""
        self._cut = 0
        if self.store is None or not self.store.is_file():
            return {}
        try:
            data = json.loads(zlib.decompress(self.store.read_bytes()).decode("utf-8"))
            if data.get("key") != self._key(terms):
                return {}
            return {run: tuple(words.split()) for run, words in data["runs"].items()}
        except (OSError, ValueError, zlib.error, KeyError, AttributeError, TypeError):
            return {}

    def keep(self, runs: set[str]) -> None:
        """Write this build's runs and their cuts to the store, if any run had to be cut."""
        if self.store is None or self.terms is None or not self._cut:
            return
        data = {"key": self._key(self.terms), "runs": {run: " ".join(self.runs[run]) for run in runs}}
        blob = zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            part = self.store.with_name(self.store.name + ".part")
            part.write_bytes(blob)
            os.replace(part, self.store)
        except OSError as error:  # a read-only project: the next build cuts again
            log.debug("search cuts not kept: %r", error)
        self._cut = 0

    def cut(self, run: str) -> tuple[str, ...]:
        words = self.runs.get(run)
        if words is None:
            words = self.runs[run] = tuple(w for w in self.tk.cut(run) if len(w) >= 2)
            self._cut += 1
        return words



def han_runs(texts: Iterable[str]) -> set[str]:
    """The distinct runs of Chinese characters in `texts`: what jieba cuts."""
    return {run for text in texts for run in HAN.findall(text)}


def lexicon(texts: Iterable[str], terms: Iterable[str] = (), cuts: Cuts | None = None,
            runs: set[str] | None = None) -> list[str]:
    """The words the browser cuts Chinese with, for `texts` (plain text, any language mixed).
    `cuts` keeps jieba's work between calls (a preview's rebuilds); a fresh one when not given.
    `runs`: han_runs(texts) when the caller keeps them already (then `texts` is not read)."""
    terms = list(terms)
    cuts = cuts if cuts is not None else Cuts()
    tk = cuts.tokenizer_for(terms)
    words = set(terms)
    runs = runs if runs is not None else han_runs(texts)  # each distinct run cut once
    for run in runs:
        words.update(cuts.cut(run))
    cuts.keep(runs)
    if len(cuts.runs) > 2 * len(runs):  # a long preview session: forget text no longer in the guide
        cuts.runs = {run: cuts.runs[run] for run in runs}

    class Known:  # a word jieba knows (frequency > 0: jieba also stores bare prefixes) or has cut
        def __contains__(self, word: str) -> bool:
            return word in words or bool(tk.FREQ.get(word))

    known = Known()
    for word in list(words):
        words |= parts(word, known)
    return sorted(words)


def pinyin_keys(words: Iterable[str]) -> dict[str, list[str]]:
    """{pinyin: words} for typing without an input method: each word's full pinyin (yanglao) and
    its initials (yl), lowercase ASCII without tones. Words sharing a key are listed most common
    first (jieba's word frequencies: general usage), so a vague key tries the likely word first."""
    from pypinyin import lazy_pinyin

    freq = _jieba().dt.FREQ
    keys: dict[str, set[str]] = {}
    for word in {w for w in words if HAN.fullmatch(w) and len(w) >= 2}:
        syllables = lazy_pinyin(word)
        if not all(s.isascii() and s.isalpha() for s in syllables):
            continue
        for key in ("".join(syllables), "".join(s[0] for s in syllables)):
            keys.setdefault(key.lower(), set()).add(word)
    return {k: sorted(ws, key=lambda w: (-freq.get(w, 0), w))[:PINYIN_WORDS] for k, ws in sorted(keys.items())}


PINYIN_WORDS = 6  # at most this many words per pinyin key: an initials key such as "sh" is vague
PINYIN_CASE_TITLES = 500  # above this many case studies their titles (place names) stay out: index size


def pinyin_words(content, cut: dict | None = None) -> list[str]:
    """The words pinyin finds: words of record titles, glossary terms and aliases, synonym terms."""
    texts = [str(r.title) for kind, rs in content.records.items() for r in rs
             if kind != "case-study" or len(rs) <= PINYIN_CASE_TITLES]
    for term in content.records.get("glossary", []):
        texts += [str(a) for a in (term.data.get("aliases") or [])]
    texts += list((getattr(content, "synonyms", None) or {}).values())
    words: set[str] = set()
    cut = cut if cut is not None else {}  # run -> its words (an OfflineSearch keeps them)
    for text in texts:
        for run in HAN.findall(text):
            if run not in cut:
                cut[run] = [w for w in _jieba().lcut(run) if len(w) >= 2]
            words.update(cut[run])
            if len(run) <= 8:
                words.add(run)
    return sorted(words)


@dataclass
class IndexReport:
    """The size of a built site's search index, for the build's output and for benchmarks."""

    pages: int
    entries: int
    words: int
    bytes: int

    @property
    def bytes_per_page(self) -> int:
        return self.bytes // self.pages if self.pages else 0

    def __str__(self) -> str:
        return (f"搜索索引 {INDEX}：{self.bytes:,} 字节，{self.pages} 页，每页约 {self.bytes_per_page:,} 字节"
                f"（{self.entries} 个条目，词表 {self.words} 个词）。")


def index_report(site_dir: Path) -> IndexReport | None:
    """Measure the search index of a built site; None when it has none."""
    path = Path(site_dir) / INDEX
    if not path.is_file():
        return None
    data = path.read_bytes()
    index = json.loads(data)
    docs = index.get("docs", [])
    lexicon = index.get("config", {}).get("pilotguide", {}).get("lexicon", "")
    pages = len({doc.get("location", "").partition("#")[0] for doc in docs})
    return IndexReport(pages, len(docs), len(lexicon.split()), len(data))


def rewrite_index(site_dir: Path, terms: Iterable[str] = (), cuts: Cuts | None = None,
                  synonyms: dict[str, str] | None = None, pinyin_from: Iterable[str] = ()) -> bool:
    """Rewrite Material's index in place (see the module doc); False when there is no index.
    `synonyms` ({everyday word: term}) and the pinyin of `pinyin_from` go with the lexicon, for
    the worker to turn a query's everyday words and pinyin into the guide's terms."""
    path = site_dir / INDEX
    if not path.is_file():
        return False
    index = json.loads(path.read_text(encoding="utf-8"))
    data = finish_index(index, terms, cuts, synonyms, pinyin_keys(pinyin_from) if pinyin_from else None)
    path.write_text(data, encoding="utf-8")
    (site_dir / INDEX_SCRIPT).write_text(index_script(data), encoding="utf-8")
    return True


def index_script(data: str) -> str:
    """search_index.js: the index as a script, for pages opened from file:// (no fetch there)."""
    return f"var __index = {data}"


def finish_index(index: dict, terms: Iterable[str] = (), cuts: Cuts | None = None,
                 synonyms: dict[str, str] | None = None, pinyin: dict[str, list[str]] | None = None,
                 words: list[str] | None = None) -> str:
    """Material's index (a dict: config, docs) as our UTF-8 JSON: titles and text without U+200B,
    and our lexicon, synonyms and pinyin keys in config.pilotguide. `words`: the lexicon when the
    caller already has it (a preview keeps it per page), else it is cut here from the docs."""
    docs = index.get("docs", [])
    for doc in docs:
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = doc[key].replace(ZWSP, "")
    synonyms = dict(synonyms or {})
    if words is None:
        words = lexicon(doc_texts(docs), [*terms, *synonyms, *synonyms.values()], cuts)
    extra: dict = {"lexicon": " ".join(words)}
    if synonyms:
        extra["synonyms"] = synonyms
    if pinyin:
        extra["pinyin"] = pinyin
    index.setdefault("config", {})["pilotguide"] = extra
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def doc_texts(docs: Iterable[dict]) -> list[str]:
    """The plain text of index entries (title and text), as the lexicon is cut from it."""
    return [TAG.sub(" ", f"{doc.get('title', '')} {doc.get('text', '')}") for doc in docs]


def asset_text(name: str) -> str:
    return (resources.files("pilotguide") / "assets" / name).read_text(encoding="utf-8")


def vendored_files() -> list[str]:
    """The shipped third-party files (paths under assets/vendor/), as vendor.json lists them."""
    manifest = json.loads(asset_text("vendor/vendor.json"))
    return [target for entry in manifest.values() for target in entry["files"]]


def offline_polyfills(polyfills: list) -> list:
    """Material's `extra.polyfills` with the shipped iframe-worker shim instead of the CDN copy.

    The shim lets Material start its worker from file://; shipped locally, Material's offline
    plugin (if listed) sees an iframe-worker polyfill and adds no CDN copy."""
    kept = [p for p in polyfills if str(p) != UNPKG_SHIM]
    if not any("iframe-worker" in str(p) for p in kept):
        kept.append(SHIM)
    return kept


class OfflineSearch:
    """What the pilotguide plugin does for search and offline use, one method per MkDocs event."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self.synonyms: dict[str, str] = {}
        self.pinyin_from: list[str] = []
        self.material_worker: str | None = None
        self.cuts = Cuts()
        self._record_terms: dict = {}  # what user_terms and pinyin_words keep between a preview's saves
        self._title_words: dict = {}

    def prepare(self, content) -> None:
        """Before the build: the guide's own words for the lexicon; Material's jieba pass off."""
        self.terms = user_terms(content, self._record_terms)
        self.synonyms = dict(getattr(content, "synonyms", None) or {})
        if len(self._title_words) > 100_000:
            self._title_words.clear()
        self.pinyin_from = pinyin_words(content, self._title_words)
        skip_material_segmenting()

    def on_post_page(self, output: str) -> str:
        """Point the page's search worker (`__config.search`) at ours, which loads Material's."""
        def swap(match: re.Match) -> str:
            self.material_worker = match.group(2)
            return f'{match.group(1)}{WORKER}"'
        return MATERIAL_WORKER.sub(swap, output, count=1)

    def on_post_build(self, site_dir: Path, index: bool = True) -> None:
        """The worker and vendored files; with `index`, Material's index rewritten (rewrite_index)."""
        for name in vendored_files():
            target = site_dir / VENDOR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(asset_text(f"vendor/{name}"), encoding="utf-8")
        if self.material_worker:
            worker = asset_text("search/worker.js").replace(
                "__MATERIAL_WORKER__", f"../javascripts/workers/{self.material_worker}")
            (site_dir / WORKER).write_text(worker, encoding="utf-8")
        if index and rewrite_index(site_dir, self.terms, self.cuts, self.synonyms, self.pinyin_from):
            log.info(str(index_report(site_dir)))


class DeferredIndex:
    """Material's search index while a quick save builds its pages: its plugin hands each page to
    `add_entry_from_context`, which only takes a snapshot (PreviewIndex.defer); the parse (about
    15 ms a page, a title save rebuilds 10 to 20 pages) waits until a browser asks for the index,
    so the saved page shows sooner. It has no `entries`, so it is never taken for a build's index."""

    def __init__(self, preview: "PreviewIndex", material_index) -> None:
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
            if material_index is not self._source or material_index.entries is not self._list:
                self._source, self._list, self._seen = material_index, material_index.entries, 0  # a new build
            entries = material_index.entries[self._seen:]
            self._seen = len(material_index.entries)
            self._pending.pop(url, None)
            self._take(url, entries)
            self.config = {k: material_index.config[k] for k in ("lang", "separator", "pipeline", "fields")}
            self._data = None

    def _take(self, url: str, entries: list[dict]) -> None:
        for entry in entries:  # as finish_index does, before the words are cut
            for key in ("title", "text"):
                if isinstance(entry.get(key), str):
                    entry[key] = entry[key].replace(ZWSP, "")
        self.pages[url] = entries
        self.runs[url] = han_runs(doc_texts(entries))

    def deferring(self, material_index) -> "DeferredIndex":
        """A stand-in for Material's index while a quick save builds its pages (see DeferredIndex)."""
        return DeferredIndex(self, material_index)

    def defer(self, page, material_index) -> None:
        """Keep what Material's index reads of a page (its HTML as it is now, before Material's
        plugin strips the data-search attributes, its table of contents, address, meta and title)
        to parse when the index is next asked for."""
        snapshot = SimpleNamespace(content=page.content, toc=page.toc, url=page.url, meta=dict(page.meta),
                                   title=page.title)
        with self._lock:
            self._pending[page.url] = (type(material_index), material_index.config, snapshot)
            self._data = None

    def _parse_pending(self) -> None:
        """Material's parse of the pages quick saves built since the index was last asked for."""
        for url, (cls, config, snapshot) in self._pending.items():
            index = cls(**config)
            index.add_entry_from_context(snapshot)
            if url in self.pages:
                self._take(url, index.entries)
        self._pending = {}

    def keep_only(self, urls: list[str], material_index=None) -> None:
        """After a full build: the site's pages in order; entries of pages gone are dropped. Material's
        index may have swapped its list of entries at the end of the build (a dirty build merges the
        previous index in): the next quick save's pages are counted from its end."""
        with self._lock:
            if material_index is not None:
                self._source, self._list = material_index, material_index.entries
                self._seen = len(material_index.entries)
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
                words = lexicon((), [*s.terms, *synonyms, *synonyms.values()], s.cuts, runs=runs)
                docs = [entry for entries in self.pages.values() for entry in entries]
                self._data = finish_index({"config": dict(self.config), "docs": docs}, synonyms=synonyms,
                                          pinyin=self._pinyin_keys(), words=words)
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
