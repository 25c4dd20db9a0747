"""Pinyin keys: typing the guide's words without an input method (yanglao, yl)."""

from __future__ import annotations

from typing import Iterable

from .. import engine
from .cuts import HAN, _jieba


def pinyin_keys(words: Iterable[str]) -> dict[str, list[str]]:
    """{pinyin: words} for typing without an input method: each word's full pinyin (yanglao) and
    its initials (yl), lowercase ASCII without tones. Words sharing a key are listed most common
    first (jieba's word frequencies: general usage), so a vague key tries the likely word first."""
    from pypinyin import lazy_pinyin

    freq = engine.frequencies()
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


PLACE_SUFFIXES = ("自治区", "街道", "社区", "省", "市", "区", "县", "镇", "乡", "村")  # typed without, too


def pinyin_words(content, cut: dict | None = None) -> list[str]:
    """The words pinyin finds: words of record titles, glossary terms and aliases, the synonyms
    (the guide's terms and the everyday words that stand for them), and case studies' place names,
    whole and without their 省/市/区/县/镇/村 (gaochaocun and gaochao both find 高潮村)."""
    texts = [str(r.title) for kind, rs in content.records.items() for r in rs
             if kind != "case-study" or len(rs) <= PINYIN_CASE_TITLES]
    for term in content.records.get("glossary", []):
        texts += [str(a) for a in (term.data.get("aliases") or [])]
    synonyms = getattr(content, "synonyms", None) or {}
    texts += [*synonyms.values(), *synonyms]
    words: set[str] = set()
    cases = content.records.get("case-study", [])
    if len(cases) <= PINYIN_CASE_TITLES:
        for place in {v for r in cases if isinstance(r.data.get("location"), dict)
                      for v in r.data["location"].values() if isinstance(v, str)}:
            words.update(_place_names(place))
    cut = cut if cut is not None else {}  # run -> its words (an OfflineSearch keeps them)
    for text in texts:
        for run in HAN.findall(text):
            if run not in cut:
                cut[run] = [w for w in _jieba().lcut(run) if len(w) >= 2]
            words.update(cut[run])
            if len(run) <= 8:
                words.add(run)
    return sorted(words)


def _place_names(place: str) -> set[str]:
    """A place name as typed: whole, and without its administrative suffix when two characters remain."""
    names = {run for run in HAN.findall(place) if 2 <= len(run) <= 8}
    for name in list(names):
        for suffix in PLACE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                names.add(name[: -len(suffix)])
                break
    return names
