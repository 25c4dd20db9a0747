"""No sentence of the source article may appear verbatim in the guide's content.

The guide is written from ../shared/seed/000_ce94ddb454137af2.txt, but in our own words. The repo
does not carry that article: tests/data/seed_sentences.json holds only a SHA-256 digest and the
length of each normalised sentence and clause of 20+ characters (made by tests/tools/hash_seed.py).
For every content file we normalise the text the same way, slide a window of each recorded length
over it and fail, naming the file, if any window's digest is one of the article's.

Not scanned: `quotation` values (a short official quotation, shown marked as such with its source,
is allowed) and the article's title (records cite it in `sources`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "seed_sentences.json"
CONTENT_DIRS = ("policies", "steps", "case-studies", "glossary", "courses")
DOCS_DIR = "docs"

_spec = importlib.util.spec_from_file_location("hash_seed", ROOT / "tests" / "tools" / "hash_seed.py")
hash_seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hash_seed)
normalise = hash_seed.normalise


# --- the detector -------------------------------------------------------------------------------


def build_index(entries: list[dict]) -> dict[int, set[str]]:
    """Digests grouped by length; titles are left out (citing the title is not copying)."""
    index: dict[int, set[str]] = {}
    for entry in entries:
        if entry.get("kind") != "title":
            index.setdefault(entry["length"], set()).add(entry["sha256"])
    return index


def find_verbatim(text: str, index: dict[int, set[str]]) -> list[str]:
    """Normalised windows of `text` whose digest is in `index` (empty list: nothing copied)."""
    norm = normalise(text)
    hits = []
    for length, digests in index.items():
        for start in range(len(norm) - length + 1):
            window = norm[start : start + length]
            if hashlib.sha256(window.encode("utf-8")).hexdigest() in digests:
                hits.append(window)
    return hits


def drop_quotations(value):
    """The data without any `quotation` value, at any depth."""
    if isinstance(value, dict):
        return {k: drop_quotations(v) for k, v in value.items() if k != "quotation"}
    if isinstance(value, list):
        return [drop_quotations(v) for v in value]
    return value


def strings(value) -> list[str]:
    """Every string (and date) value in loaded YAML, each checked on its own."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    if value is None or isinstance(value, (bool, int, float)):
        return []
    return [str(value)]


def texts_of(path: Path) -> list[str]:
    """The texts of one content file that must not copy the article."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return [raw]
    return strings(drop_quotations(yaml.safe_load(raw)))


def content_files() -> list[Path]:
    files = []
    for folder in CONTENT_DIRS:
        base = ROOT / folder
        if base.is_dir():
            files += sorted(p for p in base.rglob("*") if p.suffix in (".yaml", ".yml"))
    docs = ROOT / DOCS_DIR
    if docs.is_dir():
        files += sorted(docs.rglob("*.md"))
    return files


@pytest.fixture(scope="module")
def seed_index() -> dict[int, set[str]]:
    return build_index(json.loads(DATA.read_text(encoding="utf-8"))["entries"])


# --- the detector works -------------------------------------------------------------------------

PLANTED = "这是一句只在测试里出现的示例句子，用来检验比对程序能否发现照抄"


def planted_index() -> dict[int, set[str]]:
    norm = normalise(PLANTED)
    return build_index([{"sha256": hash_seed.digest(norm), "length": len(norm), "kind": "sentence"}])


def test_detector_finds_a_copied_sentence_despite_other_punctuation_and_spacing():
    index = planted_index()
    assert len(normalise(PLANTED)) >= 20
    text = "前面的文字。 这是一句 只在测试里出现的示例句子——用来检验比对程序\n能否发现照抄！后面的文字"
    assert find_verbatim(text, index) == [normalise(PLANTED)]


def test_detector_ignores_a_reworded_sentence():
    index = planted_index()
    assert find_verbatim("这是一句只在测试里出现的示例语句，用来检验比对程序能否发现照抄", index) == []
    assert find_verbatim("", index) == []


def test_quotations_are_not_scanned_but_other_fields_are(tmp_path):
    index = planted_index()
    quoted = tmp_path / "quoted.yaml"
    quoted.write_text(f"id: a\nquotation:\n  text: {PLANTED}\n  source: 某文件\nsummary: 自己的话\n", encoding="utf-8")
    assert [h for t in texts_of(quoted) for h in find_verbatim(t, index)] == []
    copied = tmp_path / "copied.yaml"
    copied.write_text(f"id: a\nsummary: 自己的话\ntasks:\n  - what: {PLANTED}\n", encoding="utf-8")
    assert [h for t in texts_of(copied) for h in find_verbatim(t, index)] == [normalise(PLANTED)]


def test_title_entries_are_not_treated_as_copies():
    norm = normalise(PLANTED)
    index = build_index([{"sha256": hash_seed.digest(norm), "length": len(norm), "kind": "title"}])
    assert find_verbatim(PLANTED, index) == []


def test_hash_seed_records_sentences_and_clauses_without_text(tmp_path):
    article = ("示例标题：一篇只用于测试的文章标题写得足够长\n\n短句。" + PLANTED
               + "。另一句，由两个分句组成的第二句在这里足够长二十个字以上。\n版权及免责声明：这一段不计入\n")
    seed = tmp_path / "seed.txt"
    seed.write_text(article, encoding="utf-8")
    out = tmp_path / "out.json"
    assert hash_seed.main([str(seed), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "测试" not in out.read_text(encoding="utf-8")  # digests only, no text
    kinds = {e["sha256"]: e["kind"] for e in data["entries"]}
    assert kinds[hash_seed.digest(normalise(PLANTED))] == "sentence"
    assert kinds[hash_seed.digest(normalise("示例标题：一篇只用于测试的文章标题写得足够长"))] == "title"
    assert kinds[hash_seed.digest(normalise("由两个分句组成的第二句在这里足够长二十个字以上"))] == "clause"
    assert all(e["length"] >= 20 for e in data["entries"])
    assert hash_seed.digest(normalise("版权及免责声明：这一段不计入")) not in kinds


# --- the guide's content ------------------------------------------------------------------------


def test_seed_data_holds_only_digests_and_lengths():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert len(data["entries"]) > 10
    for entry in data["entries"]:
        assert set(entry) == {"sha256", "length", "kind"}
        assert len(entry["sha256"]) == 64 and int(entry["sha256"], 16) >= 0
        assert entry["length"] >= data["min_length"] >= 20


def test_there_is_content_to_check():
    folders = {p.relative_to(ROOT).parts[0] for p in content_files()}
    assert {"policies", "steps", "case-studies", "glossary", "docs"} <= folders


@pytest.mark.parametrize("path", content_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_article_sentence_is_copied(path: Path, seed_index):
    hits = [h for text in texts_of(path) for h in find_verbatim(text, seed_index)]
    assert not hits, (
        f"{path.relative_to(ROOT)} copies the source article word for word "
        f"(punctuation ignored); rewrite in your own words: {hits}"
    )
