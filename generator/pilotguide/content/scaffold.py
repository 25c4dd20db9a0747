"""`pilotguide new KIND ID`: a new record file from a packaged scaffold, never overwriting."""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

from . import schemas
from .review import build_date

ID_PATTERN = re.compile(schemas.raw_schemas()["common.schema.json"]["definitions"]["id"]["pattern"])


class ScaffoldError(Exception):
    pass


def schema_link(root: Path, target_dir: Path, kind: str) -> str:
    """Relative path from the new file to its kind's schema, for the editor modeline.

    The project's own `schemas/` folder (written by `pilotguide schema --out schemas`) wins; else
    the packaged copy when it lies inside the project (a source checkout); else we write the
    schemas into `schemas/` so the link never points at a path outside the project.
    """
    name = f"{kind}.schema.json"
    candidates = [root / "schemas" / name, Path(str(resources.files("pilotguide") / "schemas" / name))]
    for path in candidates:
        if path.is_file() and path.resolve().is_relative_to(root.resolve()):
            return Path(os.path.relpath(path.resolve(), target_dir.resolve())).as_posix()
    schemas.write_schemas(root / "schemas")
    return Path(os.path.relpath((root / "schemas" / name).resolve(), target_dir.resolve())).as_posix()


def new_record(root: Path, kind_name: str, id_: str, vocabularies: dict[str, list[str]]) -> Path:
    """Write `<folder>/<id>.yaml` for a new record; raise ScaffoldError rather than overwrite."""
    kind = schemas.kinds().get(kind_name)
    if kind is None:
        raise ScaffoldError(f"未知的记录类型 `{kind_name}`；可用：{', '.join(schemas.kinds())}。")
    if not ID_PATTERN.fullmatch(id_) or len(id_) > 64:
        raise ScaffoldError(f"id `{id_}` 不可用：只能由小写字母、数字和单个连字符组成（如 gaochao-village）。")
    target_dir = root / kind.folder
    target = target_dir / f"{id_}.yaml"
    existing = [p for p in (target, target.with_suffix(".yml")) if p.exists()]
    if existing:
        raise ScaffoldError(f"{existing[0].relative_to(root).as_posix()} 已存在，不会覆盖。")
    target_dir.mkdir(parents=True, exist_ok=True)
    text = (resources.files("pilotguide") / "scaffolds" / f"{kind_name}.yaml").read_text(encoding="utf-8")

    def first(name: str) -> str:
        return (vocabularies.get(name) or ["【待填写】"])[0]

    values = {"id": id_, "today": build_date().isoformat(), "phase": first("phases"),
              "order": len(list(target_dir.glob("*.y*ml"))) + 1,
              "area": first("areas"), "activity": first("activity_types"), "role": first("roles"),
              "measure": first("support_measures")}
    body = text.format(**values)
    modeline = f"# yaml-language-server: $schema={schema_link(root, target_dir, kind_name)}\n"
    with open(target, "x", encoding="utf-8") as handle:  # "x": fail if it appeared meanwhile
        handle.write(modeline + body)
    return target
