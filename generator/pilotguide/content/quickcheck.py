"""A quick "yes" for valid documents, so a big guide is not validated at jsonschema's pace.

The reference validator (validate.py, on jsonschema) walks a document in Python and costs a few
milliseconds a record: most of a cold build's generator time at 1,000 case studies. Almost every
document of a guide is valid, and a valid one needs no message, only its references. So:
- `quick_check` asks a compiled validator (jsonschema-rs, in Rust) whether the document is valid,
  with the project's vocabularies injected as `enum`s and `format: date` checked by jsonschema's
  own format checker (same answer as the reference validator);
- when it is, the references are collected by one walk of the schema beside the data;
- when it is not (or the compiled validator cannot read the value at all), the caller runs the
  reference validator, which produces the located Chinese messages. The quick path can therefore
  only ever say "valid" where the reference validator does too; tests check both agree.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs
from jsonschema import FormatChecker

from . import schemas
from .schemas import Kind, with_enums

if TYPE_CHECKING:
    from referencing._core import Resolver

_FORMATS = FormatChecker(["date"])


def _is_date(value: str) -> bool:
    return _FORMATS.conforms(value, "date")


def inline(node: Any, resolver: Resolver) -> Any:
    """The schema with every `$ref` replaced by what it names (our schemas have no cycles)."""
    if isinstance(node, list):
        return [inline(item, resolver) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        resolved = resolver.lookup(node["$ref"])
        # draft-07 ignores a $ref's siblings (descriptions here): so does the reference validator.
        return inline(resolved.contents, resolved.resolver)
    return {k: inline(v, resolver) for k, v in node.items()}


@lru_cache(maxsize=32)
def _compiled(kind: str, vocabularies_json: str) -> tuple[Any, dict]:
    """(compiled validator, self-contained schema) for a kind and a project's vocabularies."""
    root = schemas.kinds()[kind].schema
    resolver = schemas.registry().resolver(base_uri=root.get("$id", ""))
    flat = inline({k: v for k, v in root.items() if k != "$id"}, resolver)
    flat = with_enums(flat, json.loads(vocabularies_json))
    validator = jsonschema_rs.validator_for(flat, formats={"date": _is_date}, validate_formats=True)
    return validator, flat


def references(schema: dict, value: Any, at: tuple = ()) -> list[tuple[str, str, tuple]]:
    """(kind, id, path) of every `x-ref` string in `value`, walking the schema beside it."""
    found: list[tuple[str, str, tuple]] = []
    if "x-ref" in schema and isinstance(value, str):
        found.append((schema["x-ref"], value, at))
    for part in schema.get("allOf", ()):
        found += references(part, value, at)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                found += references(props[key], item, at + (key,))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            found += references(schema["items"], item, at + (i,))
    return found


def quick_check(data: Any, kind: Kind, vocabularies: dict[str, list[str]]) -> list | None:
    """The references of a valid document, or None when it needs the reference validator."""
    if kind.name not in schemas.kinds():
        return None  # e.g. vocabularies.yaml: small, validated once, not worth a compiled schema
    validator, flat = _compiled(kind.name, json.dumps(vocabularies, sort_keys=True, ensure_ascii=False))
    try:
        valid = validator.is_valid(data)
    except Exception:  # noqa: BLE001 - a value Rust cannot represent: let the reference validator say why
        return None
    return references(flat, data) if valid else None
