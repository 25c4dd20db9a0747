"""Material's search index rewritten: UTF-8, plain titles and text, the lexicon, synonyms, pinyin."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .cuts import TAG, ZWSP, Cuts, lexicon
from .pinyin import pinyin_keys

INDEX = "search/search_index.json"
INDEX_SCRIPT = "search/search_index.js"  # what Material's pages load from file:// (no fetch there)


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
                  synonyms: dict[str, str] | None = None, pinyin_from: Iterable[str] = (),
                  staff: Iterable[str] = ()) -> bool:
    """Rewrite Material's index in place (see the module doc); False when there is no index.
    `synonyms` ({everyday word: term}) and the pinyin of `pinyin_from` go with the lexicon, for
    the worker to turn a query's everyday words and pinyin into the guide's terms; `staff`: the
    pages for publishing staff, which the worker lists last, marked."""
    path = site_dir / INDEX
    if not path.is_file():
        return False
    index = json.loads(path.read_text(encoding="utf-8"))
    data = finish_index(index, terms, cuts, synonyms, pinyin_keys(pinyin_from) if pinyin_from else None,
                        staff=staff)
    path.write_text(data, encoding="utf-8")
    (site_dir / INDEX_SCRIPT).write_text(index_script(data), encoding="utf-8")
    return True


def index_script(data: str) -> str:
    """search_index.js: the index as a script, for pages opened from file:// (no fetch there)."""
    return f"var __index = {data}"


def finish_index(index: dict, terms: Iterable[str] = (), cuts: Cuts | None = None,
                 synonyms: dict[str, str] | None = None, pinyin: dict[str, list[str]] | None = None,
                 words: list[str] | None = None, staff: Iterable[str] = ()) -> str:
    """Material's index (a dict: config, docs) as our UTF-8 JSON: titles and text without U+200B,
    and our lexicon, synonyms and pinyin keys in config.pilotguide. `words`: the lexicon when the
    caller already has it (a preview keeps it per page), else it is cut here from the docs. `staff`:
    page addresses (as the docs' locations before '#') that are for publishing staff."""
    docs = index.get("docs", [])
    for doc in docs:
        for key in ("title", "text"):
            if isinstance(doc.get(key), str):
                doc[key] = doc[key].replace(ZWSP, "")
    synonyms = dict(synonyms or {})
    if words is None:
        words = lexicon(doc_texts(docs), [*terms, *synonyms.values()], cuts, whole=synonyms)
    extra: dict = {"lexicon": " ".join(words)}
    if synonyms:
        extra["synonyms"] = synonyms
    if pinyin:
        extra["pinyin"] = pinyin
    staff = sorted(staff)
    if staff:
        extra["staff"] = staff
    index.setdefault("config", {})["pilotguide"] = extra
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def doc_texts(docs: Iterable[dict]) -> list[str]:
    """The plain text of index entries (title and text), as the lexicon is cut from it."""
    return [TAG.sub(" ", f"{doc.get('title', '')} {doc.get('text', '')}") for doc in docs]
