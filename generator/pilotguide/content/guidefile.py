"""The guide's own settings: `guide.yaml` at the project root (guide.schema.json).

What a guide says about itself (its name, the office that writes it, its region, the home page's
intro) and the base guide it builds on come from this file, never from another guide's files.
The file is optional: the shipped model guide has one; a project without it has no base, and its
home page is its own docs/index.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problems
from . import schemas
from .documents import load_file
from .validate import validate

GUIDE_FILE = "guide.yaml"
MODEL = "model"  # `base: model`: the model guide packaged with pilotguide


@dataclass(frozen=True)
class GuideSettings:
    name: str
    office: str | None = None
    region: str | None = None
    intro: str | None = None
    base: str | None = None  # "model", or a folder or .zip path relative to the project root
    base_at: tuple[int, int] = (0, 0)  # line and column of `base` in guide.yaml, for located problems
    hide: tuple[tuple[str, tuple[int, int]], ...] = ()  # base records to hide: ("folder/id", (line, col))


def load_guide_settings(root: Path, problems: Problems) -> GuideSettings | None:
    """The project's guide.yaml, checked against its schema; None when the project has none or it
    has problems (each added to `problems`, located)."""
    path = Path(root) / GUIDE_FILE
    if not path.is_file():
        return None
    doc = load_file(path, GUIDE_FILE, problems)
    if doc is None:
        return None
    before = len(problems.errors)
    validate(doc, schemas.Kind("guide", "", "指南设置", schemas.raw_schemas()["guide.schema.json"]), {}, problems)
    if len(problems.errors) != before or not isinstance(doc.data, dict):
        return None
    data = {k: str(v).strip() for k, v in doc.data.items() if k != "hide"}
    base_at = doc.where(("base",)) if "base" in data else (0, 0)
    hide = tuple((str(v).strip(), doc.where(("hide", i))) for i, v in enumerate(doc.data.get("hide") or []))
    return GuideSettings(data["name"], data.get("office"), data.get("region"), data.get("intro"), data.get("base"),
                         base_at, hide)
