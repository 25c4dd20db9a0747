#!/usr/bin/env python3
"""Hash the sentences of a source article for the no-copy test (tests/test_no_verbatim.py).

The repo must not carry the article's text, so this script keeps only a SHA-256 digest and the
length of each normalised sentence (and of each clause) of 20 characters or more. Run it again
whenever the source article changes:

    .venv/bin/python tests/tools/hash_seed.py ../shared/seed/000_ce94ddb454137af2.txt

Normalisation (shared with the test, which imports `normalise` from here): Unicode NFKC, case
folded, then every character that is not a letter or digit (punctuation, spaces, line breaks,
symbols) is dropped. So a copy with other punctuation or spacing still matches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

MIN_LENGTH = 20
# A sentence ends at these marks (and at a line break); a clause also ends at a comma or colon.
SENTENCE_ENDS = "。！？；!?;\n"
CLAUSE_ENDS = SENTENCE_ENDS + "，,：:"
# The publishing site's copyright notice that follows the article is not content: stop there.
STOP_MARKERS = ("版权及免责声明",)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "seed_sentences.json"


def normalise(text: str) -> str:
    """NFKC, case-folded, letters and digits only."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def digest(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def split(text: str, ends: str) -> list[str]:
    return re.split("[" + re.escape(ends) + "]", text)


def article_body(text: str) -> str:
    """The article without the site's notice that follows it."""
    for marker in STOP_MARKERS:
        at = text.find(marker)
        if at >= 0:
            text = text[: text.rfind("\n", 0, at) + 1]
    return text


def entries(text: str, min_length: int = MIN_LENGTH) -> list[dict]:
    """One entry per distinct normalised sentence or clause of `min_length`+ characters.

    The first non-empty line is the title (kind "title"): records cite it, so the test does not
    treat it as copied text.
    """
    body = article_body(text)
    found: dict[str, dict] = {}
    title = next((line for line in body.splitlines() if line.strip()), "")

    def add(piece: str, kind: str) -> None:
        norm = normalise(piece)
        if len(norm) >= min_length:
            found.setdefault(digest(norm), {"sha256": digest(norm), "length": len(norm), "kind": kind})

    add(title, "title")
    for sentence in split(body, SENTENCE_ENDS):
        add(sentence, "sentence")
    for clause in split(body, CLAUSE_ENDS):
        add(clause, "clause")
    return sorted(found.values(), key=lambda e: (e["length"], e["sha256"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seed", type=Path, help="path of the source article (UTF-8 text)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help=f"JSON to write (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    text = args.seed.read_text(encoding="utf-8")
    data = {
        "about": "SHA-256 and length of each normalised sentence/clause (20+ characters) of the source "
        "article; no text. Regenerate with tests/tools/hash_seed.py.",
        "source": args.seed.name,
        "normalisation": "NFKC, casefold, keep only characters for which str.isalnum() is true",
        "min_length": MIN_LENGTH,
        "entries": entries(text),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # One entry per line keeps diffs readable when the article is re-hashed.
    head = json.dumps({k: v for k, v in data.items() if k != "entries"}, ensure_ascii=False, indent=1)[:-2]
    rows = ",\n".join("  " + json.dumps(e, ensure_ascii=False) for e in data["entries"])
    args.output.write_text(f'{head},\n "entries": [\n{rows}\n ]\n}}\n', encoding="utf-8")
    print(f"{args.output}: {len(data['entries'])} entries", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
