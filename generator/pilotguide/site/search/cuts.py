"""jieba's cuts of the guide's text: the lexicon the browser cuts with, and a store of the cuts."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import zlib
from pathlib import Path
from typing import Iterable

from .. import engine

log = logging.getLogger("mkdocs.plugins.pilotguide.search")

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # as HAN in worker.js
ZWSP = "\u200b"
TAG = re.compile(r"<[^>]*>")


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
    """The jieba module with its default dictionary loaded (engine.jieba_ready)."""
    return engine.jieba_ready()


def tokenizer(terms: Iterable[str]):
    """A jieba tokenizer with `terms` as its user dictionary, leaving jieba's global one alone
    (Material cuts with the global one; one build's terms must not leak into the next)."""
    return engine.tokenizer(terms)


def parts(word: str, known) -> set[str]:
    """Every shorter word (two characters or more) inside `word` that `known` contains."""
    n = len(word)
    return {word[i:j] for i in range(n) for j in range(i + 2, n + 1) if j - i < n and word[i:j] in known}


class Cuts:
    """jieba's cuts of each distinct run, kept across changes of the user dictionary: a run's cut
    depends only on the user words inside it (engine.tokenizer pins jieba's total frequency), so a
    new or removed word (a retitled record) drops the cuts of the runs that contain it and no other.
    Owned by an OfflineSearch, which `pilotguide serve` keeps across rebuilds; a build reads and
    writes the store in its build cache folder.

    `pilotguide serve` rewrites the index on every save; without this it would cut the whole
    guide's text again each time (about three seconds at 1,000 case studies)."""

    def __init__(self, store: Path | None = None) -> None:
        self.terms: list[str] | None = None
        self.tk = None
        self.runs: dict[str, tuple[str, ...]] = {}
        self.store = store  # a build's: the cuts of the last build, in the build cache folder
        self.cut_runs: set[str] = set()  # the runs jieba cut since the user words last changed
        self._cut = 0  # runs cut by jieba since the store was last written

    def tokenizer_for(self, terms: list[str]):
        """The tokenizer for `terms`; the cuts kept (the store's, or this object's under a preview)
        stay for every run that holds no word added or removed since they were made."""
        if terms != self.terms:
            made_with, runs = (self.terms, self.runs) if self.store is None else self._stored()
            self.tk, self.cut_runs, self._cut = tokenizer(terms), set(), 0
            self.runs = untouched(runs, set(made_with) ^ set(terms)) if made_with is not None else {}
            self.terms = terms
        return self.tk

    def _key(self) -> str:
        """What every cut depends on besides its run and the user words inside it: jieba, its
        dictionary and how the tokenizer is made (engine.tokenizer; TOKENIZER says which way)."""
        jieba = _jieba()
        text = f"{TOKENIZER}\0{getattr(jieba, '__version__', '')}\0{engine.dictionary_total()}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _stored(self) -> tuple[list[str] | None, dict[str, tuple[str, ...]]]:
        """The user words and cuts a previous build kept; none if the store is missing, unreadable
        or made with another jieba or tokenizer (it is only ever a shortcut)."""
        if self.store is None or not self.store.is_file():
            return None, {}
        try:
            data = json.loads(zlib.decompress(self.store.read_bytes()).decode("utf-8"))
            if data.get("key") != self._key() or not isinstance(data.get("terms"), list):
                return None, {}
            return [str(t) for t in data["terms"]], {run: tuple(words.split()) for run, words in data["runs"].items()}
        except (OSError, ValueError, zlib.error, KeyError, AttributeError, TypeError):
            return None, {}

    def keep(self, runs: set[str]) -> None:
        """Write this build's runs and their cuts to the store, if any run had to be cut."""
        if self.store is None or self.terms is None or not self._cut:
            return
        data = {"key": self._key(), "terms": self.terms,
                "runs": {run: " ".join(self.runs[run]) for run in runs}}
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
            self.cut_runs.add(run)
            self._cut += 1
        return words


TOKENIZER = "pinned-total-1"  # engine.tokenizer's way; another value makes every stored cut stale


def untouched(runs: dict[str, tuple[str, ...]], changed: set[str]) -> dict[str, tuple[str, ...]]:
    """The cuts of `runs` that hold none of the `changed` user words (added or removed): those are
    the same under the new words (engine.tokenizer), the others must be cut again.

    Each changed word is looked for in each run, or each run's substrings of a changed word's
    length in the set of them, whichever means fewer steps: about 10 ms for one retitled record and
    at most 0.6 s (a few hundred changed words) at 34,000 runs, against 1.5 s to cut them all
    (benchmarks/README.md; an Aho-Corasick automaton would save under 0.5 s there)."""
    if not changed:
        return runs
    lengths = sorted({len(word) for word in changed})
    if len(changed) * len(runs) <= len(lengths) * sum(map(len, runs)):
        words = sorted(changed)
        return {run: cut for run, cut in runs.items() if not any(word in run for word in words)}
    return {run: cut for run, cut in runs.items()
            if not any(run[i:i + n] in changed for n in lengths for i in range(len(run) - n + 1))}


def han_runs(texts: Iterable[str]) -> set[str]:
    """The distinct runs of Chinese characters in `texts`: what jieba cuts."""
    return {run for text in texts for run in HAN.findall(text)}


def lexicon(texts: Iterable[str], terms: Iterable[str] = (), cuts: Cuts | None = None,
            runs: set[str] | None = None, whole: Iterable[str] = ()) -> list[str]:
    """The words the browser cuts Chinese with, for `texts` (plain text, any language mixed).
    `cuts` keeps jieba's work between calls (a preview's rebuilds); a fresh one when not given.
    `runs`: han_runs(texts) when the caller keeps them already (then `texts` is not read).
    `whole`: words kept whole, without their parts, unless the text holds them: the everyday
    words of the synonyms, which the browser swaps for the guide's term (the parts of 放学没人管
    are not words of the guide, and the browser would search them)."""
    own, whole = list(terms), sorted(set(whole))
    terms = [*own, *whole]  # in a fixed order: a tokenizer is made again only when they change
    cuts = cuts if cuts is not None else Cuts()
    tk = cuts.tokenizer_for(terms)
    words = set(own)
    runs = runs if runs is not None else han_runs(texts)  # each distinct run cut once
    for run in runs:
        words.update(cuts.cut(run))
    only_whole = set(whole) - words  # not in the text: no parts
    words.update(whole)
    cuts.keep(runs)
    if len(cuts.runs) > 2 * len(runs):  # a long preview session: forget text no longer in the guide
        cuts.runs = {run: cuts.runs[run] for run in runs}
        cuts.cut_runs &= runs

    class Known:  # a word jieba knows (frequency > 0: jieba also stores bare prefixes) or has cut
        def __contains__(self, word: str) -> bool:
            return word in words or engine.known_word(tk, word)

    known = Known()
    for word in list(words):
        if word not in only_whole:
            words |= parts(word, known)
    return sorted(words)
