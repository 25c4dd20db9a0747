"""The JSON Schemas shipped in the package: the single source of truth for fields.

Each record kind has `schemas/<kind>.schema.json` (draft-07, so editors' YAML language servers
accept them), with shared definitions in `common.schema.json`. Two extension keywords carry what
JSON Schema alone cannot say:
- `x-ref: <kind>`: the string is the id of a record of that kind (checked when resolving);
- `x-vocabulary: <name>`: the string must be a term of the project's vocabularies.yaml.
`x-expected` gives, in Chinese, what a value should look like, for error messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from referencing import Registry, Resource

KINDS = ("policy", "step", "case-study", "glossary", "course")
KIND_NAMES = {"policy": "政策", "step": "培育步骤", "case-study": "试点案例", "glossary": "术语", "course": "培训课程"}


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
    """The record kinds that have a schema, in reading order."""
    schemas = raw_schemas()
    found = {}
    for name in KINDS:
        schema = schemas.get(f"{name}.schema.json")
        if schema is not None:
            found[name] = Kind(name, schema["x-folder"], KIND_NAMES[name], schema)
    return found


@cache
def registry() -> Registry:
    resources_ = [(name, Resource.from_contents(s)) for name, s in raw_schemas().items()]
    return Registry().with_resources(resources_)


def resolve_ref(schema: dict) -> dict:
    """Follow a `$ref` (one level is all our schemas use) to the schema it names."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    return registry().resolver().lookup(ref).contents


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
