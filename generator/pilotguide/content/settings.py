"""Guide-wide settings files at the project root (vocabularies.yaml, synonyms.yaml): the
project's own file, or the packaged default when it has none, read with positions and checked
against its schema like any record."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..errors import Problems
from . import schemas
from .documents import Document, load_file, load_text
from .validate import validate


def load_settings(root: Path, name: str, schema: str, label: str,
                  problems: Problems, partial: bool = False) -> tuple[Document | None, bool]:
    """The document of settings file `name` (None when it cannot be read) and whether it passed
    its schema; every problem is added to `problems`, located. `partial`: no key is required (a
    guide built on a base names only what it changes; content/layers.py)."""
    path = Path(root) / name
    if path.is_file():
        doc = load_file(path, name, problems)
    else:
        text = (resources.files("pilotguide") / name).read_text(encoding="utf-8")
        doc = load_text(text, f"(pilotguide)/{name}", problems)
    if doc is None:
        return None, False
    before = len(problems.errors)
    checked = schemas.raw_schemas()[schema]
    if partial:
        checked = {k: v for k, v in checked.items() if k != "required"}
    validate(doc, schemas.Kind(name.partition(".")[0], "", label, checked), {}, problems)
    return doc, len(problems.errors) == before
