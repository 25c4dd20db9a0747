"""The search synonyms vocabulary: the everyday words readers type for the guide's terms.

`synonyms.yaml` at the project root maps a term the guide uses to the words people say for it:

    纠纷: [吵架, 闹矛盾]

A project without the file gets the packaged one (general Chinese usage). `load_synonyms` checks
it against `synonyms.schema.json` and that no everyday word is listed twice or is itself a term
(search would not know which term it means); every problem is located. The result is
{everyday word: term}, which the search index carries to the browser (site/search/).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problems
from .documents import Document
from .settings import load_settings

SYNONYMS_FILE = "synonyms.yaml"


def load_synonyms(root: Path, problems: Problems) -> dict[str, str]:
    """{everyday word: term} from the project's synonyms.yaml (or the packaged default)."""
    doc, valid = load_settings(root, SYNONYMS_FILE, "synonyms.schema.json", "同义词表", problems)
    if doc is None or not valid or not isinstance(doc.data, dict):
        return {}
    return _mapping(doc, problems)


def _mapping(doc: Document, problems: Problems) -> dict[str, str]:
    terms = {str(t) for t in doc.data}
    words: dict[str, str] = {}
    for term, everyday in doc.data.items():
        for i, word in enumerate(everyday):
            word = str(word).strip()
            line, col = doc.where((term, i))
            if word in terms:
                problems.add(doc.path, line, col, f"“{word}”已经是同义词表里的词条，不能再作为“{term}”的常用说法。"
                             "请从其中一处删去。")
            elif word in words:
                problems.add(doc.path, line, col, f"常用说法“{word}”同时列在“{words[word]}”和“{term}”下，"
                             "搜索无法判断指哪一个。请只保留一处。")
            else:
                words[word] = str(term)
    return words
