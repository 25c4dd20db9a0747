"""Validate loaded documents against their kind's JSON Schema; every problem is located.

jsonschema is extended with the two keywords of our schemas: `x-vocabulary` checks a term
against the project's vocabularies, and `x-ref` reports each reference it meets (as a marker
"error" that carries its path), so that one schema-driven walk finds both problems and links.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from typing import Any, Iterator

from jsonschema import Draft7Validator, FormatChecker, ValidationError, validators

from ..errors import Problems
from . import schemas
from .documents import Document
from .model import Reference
from .quickcheck import quick_check
from .regions import check_regions

PLACEHOLDER = "【待填写】"
TYPE_NAMES = {"string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否",
              "array": "列表", "object": "映射（字段: 值）", "null": "空值"}




class _RefMarker(ValidationError):
    """Not a problem: a reference found during validation."""


def _x_ref(validator, kind, instance, schema) -> Iterator[ValidationError]:
    if isinstance(instance, str):
        marker = _RefMarker(instance)
        marker.ref_kind = kind  # type: ignore[attr-defined]
        yield marker


def validator_class(vocabularies: dict[str, list[str]]):
    """A Draft-07 validator that also knows our keywords and this project's vocabularies."""
    return _validator_class(json.dumps(vocabularies, sort_keys=True, ensure_ascii=False))


@lru_cache(maxsize=8)
def _validator_class(vocabularies_json: str):
    # Building the class costs about a millisecond: once per project, not once per file.
    vocabularies = json.loads(vocabularies_json)

    def x_vocabulary(validator, name, instance, schema) -> Iterator[ValidationError]:
        terms = vocabularies.get(name)
        if isinstance(instance, str) and terms is not None and instance not in terms:
            error = ValidationError(f"`{instance}` 不在词表 `{name}` 中")
            error.terms = terms  # type: ignore[attr-defined]
            yield error

    return validators.extend(Draft7Validator, {"x-ref": _x_ref, "x-vocabulary": x_vocabulary})


# Chinese terms of one vocabulary share characters (农村社区/城市社区 score 0.5): only suggest a term
# that is a near miss, not its opposite.
TERM_CUTOFF = 0.6


def suggest(word: str, choices, cutoff: float = 0.5) -> str:
    """'（是否指 `x`？）' when a close match exists, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=cutoff)
    return f"（是否指 `{close[0]}`？）" if close else ""


def field_name(path) -> str:
    """A path into a record as authors read it: `sessions[1].steps[0]`."""
    parts = [str(p) if isinstance(p, str) else f"[{p}]" for p in path]
    return ".".join(parts).replace(".[", "[") or "（整个文件）"


def _type_of(value: Any) -> str:
    for name, py in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                     ("array", list), ("object", dict)):
        if isinstance(value, py):
            return TYPE_NAMES[name]
    return TYPE_NAMES["null"]


def _message(error: ValidationError) -> tuple[str, tuple, bool]:
    """Chinese message for one schema error, the path it belongs to, and whether to point at a key."""
    path = tuple(error.absolute_path)
    field = f"字段 `{field_name(path)}`"
    expected = error.schema.get("x-expected") if isinstance(error.schema, dict) else None
    kind = error.validator
    if kind == "required":  # one error per missing field (see _leaves), read from the error's values
        (missing,) = error.validator_value
        # located at the missing field: a YAML file has no place for it and shows its parent (where()),
        # a workbook row shows the field's column
        return f"缺少必填字段 `{field_name(path + (missing,))}`。", path + (missing,), False
    if kind == "additionalProperties":
        # One error per unknown key (see _split_extras), pointing at the key itself.
        allowed = list(schemas.properties(error.schema))
        key = next(k for k in error.instance if k not in allowed)
        message = f"未知字段 `{field_name(path + (key,))}`{suggest(key, allowed)}；可用字段：{', '.join(allowed)}。"
        return message, path + (key,), True
    if kind == "x-vocabulary":
        terms = error.terms  # type: ignore[attr-defined]
        return (f"{field} 的值 `{error.instance}` 不在词表 `{error.validator_value}` 中"
                f"{suggest(error.instance, terms, TERM_CUTOFF)}；{_comma_hint(error.instance)}"
                f"可选：{'、'.join(terms)}。"), path, False
    if kind == "type":
        want = expected or "、".join(TYPE_NAMES.get(t, t) for t in _as_list(error.validator_value))
        return f"{field} 应为{want}，实际是{_type_of(error.instance)}。", path, False
    if kind == "enum":
        options = "、".join(str(v) for v in error.validator_value)
        hint = suggest(error.instance, error.validator_value, TERM_CUTOFF)
        comma = _comma_hint(error.instance)
        return f"{field} 的值 `{error.instance}` 不可用{hint}；{comma}可选：{options}。", path, False
    if kind in ("minItems", "minLength") and not error.instance:
        return f"{field} 不能为空" + (f"：应为{expected}。" if expected else "。"), path, False
    if kind == "maxLength":
        return f"{field} 太长（上限 {error.validator_value} 个字符）。", path, False
    if kind == "minimum":
        return f"{field} 应不小于 {error.validator_value}。", path, False
    if kind == "uniqueItems":
        return f"{field} 中有重复的项。", path, False
    want = expected or _wanted(kind, error.validator_value)
    return f"{field} 的值 `{_short(error.instance)}` 不符合要求：{_comma_hint(error.instance)}应为{want}。", path, False


def _wanted(kind: str, value: Any) -> str:
    """What a schema keyword asks for, in Chinese, from the keyword's value (never jsonschema's
    English message)."""
    if kind == "pattern":
        return f"符合格式 `{value}` 的文字"
    if kind == "format":
        return {"date": "日期，如 2018-12-26", "uri": "完整网址，如 http://example.gov.cn/"}.get(value, f"{value} 格式")
    if kind == "maxItems":
        return f"不超过 {value} 项的列表"
    if kind == "maximum":
        return f"不大于 {value} 的数"
    if kind == "const":
        return f"`{value}`"
    return "字段说明中要求的值（见 pilotguide new 生成的说明）"


CHINESE_COMMAS = "，、"


def _comma_hint(value: Any) -> str:
    """A value with a Chinese comma is usually two list items typed with the wrong comma."""
    found = [c for c in CHINESE_COMMAS if isinstance(value, str) and c in value]
    if not found:
        return ""
    parts = [p.strip() for p in re.split(f"[{CHINESE_COMMAS}]", value) if p.strip()]
    return (f"值里有中文逗号“{found[0]}”：列表中的多项要用英文逗号加空格分开，"
            f"如 [{', '.join(parts)}]，或每项单独一行写成 `- 项`。")


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def validate(doc: Document, kind: schemas.Kind, vocabularies: dict[str, list[str]],
             problems: Problems) -> list[Reference]:
    """Check one document against its schema; add problems, return the references it makes."""
    quick = quick_check(doc.data, kind, vocabularies)
    if quick is not None:  # valid: no message to write, only references to return
        _placeholders(doc, doc.data, (), problems)
        refs = [Reference(ref_kind, ref_id, at) for ref_kind, ref_id, at in quick]
    else:
        refs = validate_reference(doc, kind, vocabularies, problems)
    for name in region_fields(kind):
        check_regions(doc, name, problems)
    return refs


def region_fields(kind: schemas.Kind) -> list[str]:
    """Fields whose schema says `x-regions`: a location whose names are checked (regions.py)."""
    return [name for name, prop in kind.schema.get("properties", {}).items()
            if isinstance(prop, dict) and prop.get("x-regions")]


def validate_reference(doc: Document, kind: schemas.Kind, vocabularies: dict[str, list[str]],
                       problems: Problems) -> list[Reference]:
    """validate() on jsonschema alone: every problem with its Chinese message (and the yardstick
    the quick path is tested against)."""
    cls = validator_class(vocabularies)
    validator = cls(kind.schema, registry=schemas.registry(), format_checker=FormatChecker())
    refs: list[Reference] = []
    seen: set[tuple] = set()
    invalid: set[tuple] = set()
    for error in validator.iter_errors(doc.data):
        if isinstance(error, _RefMarker):
            refs.append(Reference(error.ref_kind, error.instance, tuple(error.absolute_path)))  # type: ignore[attr-defined]
            continue
        for leaf in _leaves(error):
            if any(tuple(leaf.absolute_path)[:len(b)] == b for b in doc.broken):
                continue  # the loader already reported why this value is missing
            message, at, key = _message(leaf)
            if (at, message) in seen:
                continue
            seen.add((at, message))
            doc.report(problems, at, message, key=key)
            invalid.add(tuple(leaf.absolute_path))
    _placeholders(doc, doc.data, (), problems)
    # A reference that is not even a well-formed id is reported once, by the schema, not again as missing.
    return [r for r in refs if r.at not in invalid]


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """allOf/anyOf wrap the useful errors; report those, or the wrapper when it has none.

    An `additionalProperties` error names all unknown keys at once; split it, one per key. A
    `required` error is made one per missing field, with that field as its only required name
    (jsonschema says which field only in its English message)."""
    if error.context:
        for sub in error.context:
            yield from _leaves(sub)
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = schemas.properties(error.schema)
        for key in [k for k in error.instance if k not in allowed]:
            single = ValidationError(error.message, validator="additionalProperties", path=error.absolute_path,
                                     instance={key: error.instance[key]}, schema=error.schema)
            yield single
    elif error.validator == "required" and isinstance(error.instance, dict):
        for key in [k for k in error.validator_value if k not in error.instance]:
            yield ValidationError(error.message, validator="required", validator_value=[key], path=error.absolute_path,
                                  instance=error.instance, schema=error.schema)
    else:
        yield error


def _placeholders(doc: Document, value: Any, at: tuple, problems: Problems) -> None:
    if isinstance(value, str) and PLACEHOLDER in value:
        doc.report(problems, at, f"字段 `{field_name(at)}` 仍是占位内容 {PLACEHOLDER}，请填写后再发布。")
    elif isinstance(value, dict):
        for k, v in value.items():
            _placeholders(doc, v, at + (k,), problems)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _placeholders(doc, v, at + (i,), problems)
