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


def schema_link(root: Path, target_dir: Path, kind: str, made: list[str] | None = None) -> str:
    """Relative path from the new file to its kind's schema, for the editor modeline.

    The project's own `schemas/` folder (written by `pilotguide schema --out schemas`) wins; else
    the packaged copy when it lies inside the project (a source checkout); else we write the
    schemas into `schemas/` so the link never points at a path outside the project (and add
    `schemas/` to `made`, for the command to announce).
    """
    name = f"{kind}.schema.json"
    candidates = [root / "schemas" / name, Path(str(resources.files("pilotguide") / "schemas" / name))]
    for path in candidates:
        if path.is_file() and path.resolve().is_relative_to(root.resolve()):
            return Path(os.path.relpath(path.resolve(), target_dir.resolve())).as_posix()
    if made is not None and not (root / "schemas").exists():
        made.append("schemas/")
    schemas.write_schemas(root / "schemas")
    return Path(os.path.relpath((root / "schemas" / name).resolve(), target_dir.resolve())).as_posix()


PLACEHOLDER = "【待填写】"
VOCABULARIES = "vocabularies.yaml"
PACKAGED_VOCABULARIES = ("# 本指南没有自己的 vocabularies.yaml：下面“可选”后的词语来自 pilotguide 自带的词表。"
                         "要改用本地词表，把自带的 vocabularies.yaml\n# 复制到 mkdocs.yml 旁再修改"
                         "（运行 new 时会显示它在本机的位置）。")


def new_record(root: Path, kind_name: str, id_: str, vocabularies: dict[str, list[str]],
               made: list[str] | None = None) -> Path:
    """Write `<folder>/<id>.yaml` for a new record; raise ScaffoldError rather than overwrite.
    Folders it has to make (the kind's folder, `schemas/`) are added to `made`, to be announced."""
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
    if made is not None and not target_dir.is_dir():
        made.append(f"{kind.folder}/")
    target_dir.mkdir(parents=True, exist_ok=True)
    known = {"id": id_, "updated": build_date().isoformat(), "order": str(len(list(target_dir.glob("*.y*ml"))) + 1)}
    body = scaffold_text(kind, known, vocabularies, local=(root / VOCABULARIES).is_file())
    modeline = f"# yaml-language-server: $schema={schema_link(root, target_dir, kind_name, made)}\n"
    with open(target, "x", encoding="utf-8") as handle:  # "x": fail if it appeared meanwhile
        handle.write(modeline + body)
    return target


def scaffold_text(kind: schemas.Kind, known: dict[str, str], vocabularies: dict[str, list[str]],
                  local: bool = True) -> str:
    """A record of `kind` to fill in, generated from its schema: required fields with 【待填写】
    (which `check` rejects), every optional field commented out, each with its Chinese description.
    `known` holds the values the command can fill in itself (id, updated, a step's order)."""
    header = f"# {kind.label}：把所有【待填写】换成真实内容；用到 # 开头的可选字段时，删掉行首的 “# ” 再填写。\n"
    lines = _Writer(vocabularies, known).fields(kind.schema, f"{kind.name}.schema.json", 0)
    if not local and any(VOCABULARIES in line for line in lines):
        header += PACKAGED_VOCABULARIES + "\n"
    return header + "\n".join(lines) + "\n"


class _Writer:
    """Walks a schema (following `$ref`s between our files) and writes the YAML lines."""

    def __init__(self, vocabularies: dict[str, list[str]], known: dict[str, str]):
        self.vocabularies, self.known = vocabularies, known

    def fields(self, schema: dict, base: str, indent: int) -> list[str]:
        required = [*schema.get("required", []), *(self.known if indent == 0 else ())]
        lines: list[str] = []
        props = schema.get("properties", {})
        for name, prop in sorted(props.items(), key=lambda kv: kv[0] not in required):
            block = self.field(name, prop, base, indent)
            if name not in required:
                block = [" " * indent + "# " + line[indent:] for line in block]
            lines.extend(block)
        return lines

    def field(self, name: str, prop: dict, base: str, indent: int) -> list[str]:
        pad = " " * indent
        target, where = _target(prop, base)
        note = self.describe(prop, target, where)
        if indent == 0 and name in self.known:
            return [f"{pad}{name}: {self.known[name]}{note}"]
        if target.get("type") == "object":
            return [f"{pad}{name}:{note}", *self.fields(target, where, indent + 2)]
        if target.get("type") == "array":
            items, items_base = _target(target.get("items", {}), where)
            if items.get("type") == "object":
                inner = self.fields(items, items_base, indent + 4)
                inner[0] = f"{pad}  - {inner[0].lstrip()}"
                return [f"{pad}{name}:{note}", *inner]
            return [f"{pad}{name}:{note}", f"{pad}  - {PLACEHOLDER}"]
        return [f"{pad}{name}: {PLACEHOLDER}{note}"]

    def describe(self, prop: dict, target: dict, base: str) -> str:
        text = prop.get("description") or target.get("description") or target.get("x-expected", "")
        items = _target(target.get("items", {}), base)[0] if target.get("type") == "array" else target
        choices = self.vocabularies.get(items.get("x-vocabulary", "")) or items.get("enum")
        if choices:
            text = text.rstrip("。") + f"。可选：{'、'.join(map(str, choices))}。"
        return f"  # {text}" if text else ""


def _target(prop: dict, base: str) -> tuple[dict, str]:
    """What a property is, and the schema file it sits in, through `$ref` and the `allOf` our
    schemas use to add a minimum to a shared definition."""
    if "allOf" in prop:
        prop = {**prop["allOf"][0], **{k: v for k, v in prop.items() if k != "allOf"}}
    if "$ref" not in prop:
        return prop, base
    ref = prop["$ref"]
    ref = base + ref if ref.startswith("#") else ref  # "#/definitions/x" is relative to its own file
    merged = {**schemas.resolve_ref({"$ref": ref}), **{k: v for k, v in prop.items() if k != "$ref"}}
    return merged, ref.partition("#")[0]
