"""The collection workbook's layout, derived from the JSON Schemas: sheets, Chinese columns, and back.

Every column is a path into a record. A kind's main sheet holds one record per row: its scalar
fields, its flat objects (location as 省 / 市 / 区县 ...; a quotation as 引文 / 引文出处), its lists
of words or ids as one cell, and its first source. Lists of records (a case's timeline, its
organisations, a step's tasks, further sources) go on sheets of their own, one item per row,
keyed by the record's 编号 (id) or, when a new record has none yet, its title.

Fields a cell cannot hold (Markdown `body`) are left out: an update keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content import schemas
from ..content.editions import FIELD_LABELS

# Chinese column names. Top-level fields use the labels the changes page already shows
# (editions.FIELD_LABELS); this table adds the id and the parts of nested records. A test checks
# that every column the schemas produce has a label and that no label names a field that is gone.
NESTED_LABELS = {
    ("id",): "编号",
    ("location", "province"): "省",
    ("location", "city"): "市",
    ("location", "district"): "区县",
    ("location", "street"): "街道乡镇",
    ("location", "community"): "村社区",
    ("quotation", "text"): "引文",
    ("quotation", "source"): "引文出处",
    ("sources", "title"): "来源标题",
    ("sources", "issuer"): "发布单位",
    ("sources", "author"): "作者",
    ("sources", "date"): "来源日期",
    ("sources", "url"): "来源网址",
    ("sources", "note"): "引用部分",
    ("timeline", "date"): "日期",
    ("timeline", "event"): "事件",
    ("organisations", "name"): "组织名称",
    ("organisations", "description"): "组织简介",
    ("tasks", "what"): "做什么",
    ("tasks", "who"): "谁负责",
    ("tasks", "output"): "产出",
}
SUBSHEET_TITLES = {"sources": "更多来源"}  # sources[0] is on the main sheet; the rest here
KEY_LABEL = "所属记录（编号或标题）"
WORKBOOK_KINDS = ("case-study", "policy", "step", "glossary")  # a course's sessions nest lists in lists
TEXT, INTEGER, DATE, PARTIAL_DATE, CHOICE, REF = "text", "integer", "date", "partial_date", "choice", "ref"
# Advice that is about YAML files (a year alone must be quoted there, or YAML reads a number): a
# spreadsheet cell needs no quotes, so neither 填表说明 nor an import's messages give it.
YAML_ONLY = ('；只有年份时请加引号，如 "2009"',)


def for_cells(text: str) -> str:
    """A schema's `x-expected` text as a clerk at a spreadsheet needs it: without YAML advice."""
    for advice in YAML_ONLY:
        text = text.replace(advice, "")
    return text


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: the path it fills in a record (or in one item of a list) and how."""

    path: tuple  # ("title",), ("location", "province"), ("sources", 0, "title"); in a subsheet, inside the item
    label: str
    type: str = TEXT  # TEXT, INTEGER, DATE, PARTIAL_DATE, CHOICE, REF
    many: bool = False  # a list of values in one cell
    required: bool = False
    choices: tuple = ()  # allowed values of an `enum`
    vocabulary: str = ""  # name of the vocabulary of an `x-vocabulary` field
    ref: str = ""  # kind referred to by an `x-ref` field
    schema: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def header(self) -> str:
        return f"*{self.label}" if self.required else self.label


@dataclass(frozen=True)
class Sheet:
    """A worksheet: a kind's main sheet, or the sheet of one list-of-records field."""

    kind: str
    name: str
    columns: tuple
    field: str = ""  # for a subsheet: the list field its rows fill
    start: int = 0  # for a subsheet: index of the first list item it holds (sources: 1)

    @property
    def is_main(self) -> bool:
        return not self.field


@dataclass(frozen=True)
class Layout:
    kind: str
    label: str
    main: Sheet
    subsheets: tuple

    @property
    def sheets(self) -> tuple:
        return (self.main, *self.subsheets)


def _resolve(schema: dict) -> dict:
    """A property's schema with its `$ref` and `allOf` parts merged (our schemas nest one level)."""
    merged: dict = {}
    for part in schema.get("allOf", []):
        merged.update(_resolve(part))
    ref = schema.get("$ref", "")
    if ref.startswith("#"):  # a reference inside common.schema.json (text_list's items)
        ref = "common.schema.json" + ref
    target = schemas.resolve_ref({"$ref": ref}) if ref else {}
    if target is not schema and target:
        merged.update(_resolve(target))
    merged.update({k: v for k, v in schema.items() if k not in ("$ref", "allOf")})
    return merged


def _definition(name: str) -> dict:
    return schemas.raw_schemas()["common.schema.json"]["definitions"][name]


def _is_markdown(schema: dict) -> bool:
    return schema.get("$ref", "").endswith("/markdown")


def _scalar(path: tuple, label: str, schema: dict, required: bool, many: bool = False) -> Column:
    resolved = _resolve(schema)
    kind = TEXT
    if resolved.get("type") == "integer":
        kind = INTEGER
    elif resolved.get("format") == "date":
        kind = DATE
    elif resolved.get("pattern") == _definition("partial_date")["pattern"]:
        kind = PARTIAL_DATE
    elif "x-ref" in resolved:
        kind = REF
    elif "x-vocabulary" in resolved or "enum" in resolved:
        kind = CHOICE
    return Column(path, label, kind, many, required, tuple(resolved.get("enum", ())),
                  resolved.get("x-vocabulary", ""), resolved.get("x-ref", ""), resolved)


def label_of(path: tuple) -> str:
    """The Chinese name of a field path such as ("location", "province") (list indexes ignored)."""
    key = tuple(p for p in path if isinstance(p, str))
    if key in NESTED_LABELS:
        return NESTED_LABELS[key]
    if len(key) == 1 and key[0] in FIELD_LABELS:
        return FIELD_LABELS[key[0]]
    raise KeyError(f"no Chinese label for field {'.'.join(key)}: add it to intake/columns.py NESTED_LABELS")


def _object_columns(prefix: tuple, name: str, schema: dict, required: bool) -> list[Column]:
    own_required = set(schema.get("required", []))
    return [_scalar(prefix + (sub,), label_of((name, sub)), sub_schema, required and sub in own_required)
            for sub, sub_schema in schema.get("properties", {}).items()]


def layout(kind_name: str) -> Layout:
    """The sheets and columns of one kind, from its schema (about a millisecond: callers keep it)."""
    kind = schemas.kinds()[kind_name]
    required = set(kind.schema.get("required", []))
    main: list[Column] = []
    subsheets: list[Sheet] = []
    for name, prop in kind.schema["properties"].items():
        if _is_markdown(prop):
            continue
        resolved = _resolve(prop)
        is_required = name in required
        if resolved.get("type") == "object":
            main += _object_columns((name,), name, resolved, is_required)
        elif resolved.get("type") == "array":
            item = _resolve(resolved.get("items", {}))
            if item.get("type") != "object":
                main.append(_scalar((name,), label_of((name,)), resolved.get("items", {}), is_required, many=True))
                continue
            start = 1 if name == "sources" else 0
            if start:  # the first source fills main-sheet columns: most records cite one
                main += _object_columns((name, 0), name, item, is_required)
            columns = [Column(("",), KEY_LABEL, required=True)] + _object_columns((), name, item, True)
            title = SUBSHEET_TITLES.get(name, label_of((name,)))
            subsheets.append(Sheet(kind_name, f"{kind.label}·{title}", tuple(columns), name, start))
        else:  # an id is not required here: a new record without one gets one from its title
            main.append(_scalar((name,), label_of((name,)), prop, is_required and name != "id"))
    return Layout(kind_name, kind.label, Sheet(kind_name, kind.label, tuple(main)), tuple(subsheets))


def normal_header(text: str) -> str:
    """A header cell as typed, compared without required marks, spaces and full-width forms."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(text or ""))
    for mark in ("*", "（必填）", "(必填)"):
        text = text.replace(mark, "")
    return "".join(text.split())


def header_index(sheet: Sheet) -> dict[str, Column]:
    """Header text (normalised) -> column; the Chinese label and the YAML field path both work."""
    index = {}
    for column in sheet.columns:
        index[normal_header(column.label)] = column
        dotted = ".".join(str(p) for p in column.path if p != "")
        if dotted:
            index[normal_header(dotted)] = column
    return index


def schema_signature() -> dict[str, list[str]]:
    """Per kind, the columns of each sheet as `sheet/path=label`: stored in a workbook, compared on import."""
    out = {}
    for kind in WORKBOOK_KINDS:
        if kind in schemas.kinds():
            out[kind] = [f"{s.name}/{'.'.join(map(str, c.path))}" for s in layout(kind).sheets for c in s.columns]
    return out
