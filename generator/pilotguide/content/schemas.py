"""The JSON Schemas shipped in the package: the single source of truth for fields.

Each record kind has `schemas/<kind>.schema.json` (draft-07, so editors' YAML language servers
accept them), with shared definitions in `common.schema.json`. Two extension keywords carry what
JSON Schema alone cannot say:
- `x-ref: <kind>`: the string is the id of a record of that kind (checked when resolving);
- `x-vocabulary: <name>`: the string must be a term of the project's vocabularies.yaml.
`x-expected` gives, in Chinese, what a value should look like, for error messages.

The record kinds are the schemas that say `x-kind` (with `x-folder`, `x-label` and `x-order`):
adding a kind is adding a schema file. The caches below hold the shipped schema files, which do
not change while the process runs; they are keyed by nothing and owned by the process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from referencing import Registry, Resource



@dataclass(frozen=True)
class Kind:
    name: str  # "case-study"
    folder: str  # "case-studies"
    label: str  # "试点案例"
    schema: dict


def _schema_dir():
    return resources.files("pilotguide") / "schemas"


@cache
def raw_schemas() -> dict[str, dict]:
    """All schema files by file name, as shipped."""
    out = {}
    for entry in _schema_dir().iterdir():
        if entry.name.endswith(".schema.json"):
            out[entry.name] = json.loads(entry.read_text(encoding="utf-8"))
    return out


@cache
def kinds() -> dict[str, Kind]:
    """The record kinds (schemas with `x-kind`), in reading order (`x-order`)."""
    found = [s for s in raw_schemas().values() if "x-kind" in s]
    found.sort(key=lambda s: s.get("x-order", 99))
    return {s["x-kind"]: Kind(s["x-kind"], s["x-folder"], s["x-label"], s) for s in found}


def label(kind: str) -> str:
    """A kind's Chinese name (政策, 试点案例 ...); the kind itself when unknown."""
    found = kinds().get(kind)
    return found.label if found is not None else kind


def field_names(schema: dict) -> frozenset[str] | None:
    """The property names an object schema allows; None when it is not an object with properties."""
    node = resolve_ref(schema)
    props = node.get("properties")
    return frozenset(props) if isinstance(props, dict) else None


def item_schema(schema: dict, key: str | None = None) -> dict:
    """The schema of property `key` of an object schema, or of the items of an array schema."""
    node = resolve_ref(schema)
    child = node.get("items") if key is None else node.get("properties", {}).get(key)
    if not isinstance(child, dict):
        return {}
    base = node.get("x-base") or node.get("$id")
    return {**child, "x-base": base} if base and "x-base" not in child else child


@cache
def registry() -> Registry:
    resources_ = [(name, Resource.from_contents(s)) for name, s in raw_schemas().items()]
    return Registry().with_resources(resources_)


def resolve_ref(schema: dict) -> dict:
    """Follow `$ref`s to the schema they name. The result carries `x-base` (the file it came
    from), so a relative `#/definitions/...` inside it resolves against the right file."""
    node = schema
    while isinstance(node.get("$ref"), str):
        file, _, pointer = node["$ref"].partition("#")
        file = file or node.get("x-base") or schema.get("$id", "")
        target: Any = raw_schemas()[file]
        for part in filter(None, pointer.split("/")):
            target = target[part]
        node = {**target, "x-base": file}
    return node


def properties(schema: dict) -> dict[str, Any]:
    return resolve_ref(schema).get("properties", {})


def write_schemas(out: Path, vocabularies: dict[str, list[str]] | None = None) -> list[Path]:
    """Write every schema into `out`; vocabulary fields get an `enum` so editors can complete them."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in sorted(raw_schemas().items()):
        if vocabularies:
            schema = with_enums(schema, vocabularies)
        target = out / name
        target.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(target)
    return written


def with_enums(node: Any, vocabularies: dict[str, list[str]]) -> Any:
    """A schema with an `enum` beside every `x-vocabulary`, from the project's vocabularies."""
    if isinstance(node, dict):
        new = {k: with_enums(v, vocabularies) for k, v in node.items()}
        if node.get("x-vocabulary") in vocabularies:
            new["enum"] = list(vocabularies[node["x-vocabulary"]])
        return new
    if isinstance(node, list):
        return [with_enums(v, vocabularies) for v in node]
    return node
