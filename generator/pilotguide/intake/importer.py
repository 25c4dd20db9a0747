"""`pilotguide import`: a filled workbook to YAML records, checked like `pilotguide check`, all or nothing.

1. Read every sheet (read.py) and turn rows into records with the cell of each value (records.py).
2. Validate each record with the same schema validation as a YAML file, through a Document whose
   positions are cells; then the cross-record checks (ids, references, step order) on the guide as
   it would be after the import. Every problem is reported at once, located at its cell.
3. Plan each record: create, update (only with --update), unchanged, or skip (exists, no --update).
4. Write nothing if anything is wrong; else write each file to a temporary file, then rename all.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..content import schemas
from ..content.documents import Document
from ..content.gather import load_content
from ..content.model import BASE, Content, Record, fields
from ..content.references import check_ids, check_references, check_step_order
from ..content.scaffold import schema_link
from ..content.validate import suggest, validate
from ..errors import ContentError, Problem, Problems
from ..pages.taxonomy import slugify
from .changes import Edit, apply, edits
from .columns import DATE, REF, for_cells, WORKBOOK_KINDS, Layout, layout, normal_header, schema_signature
from .read import SheetData, read_workbook
from .records import ID_LIKE, Cell, References, Row, read_sheet, records_of
from .workbook import GUIDE_SHEET, LISTS_SHEET, META_SHEET
from .yamlfile import new_text, updated_text

MAX_ID = 60


@dataclass
class Planned:
    plan: Layout
    id: str
    row: Row
    changes: list[Edit]
    existing: Record | None
    action: str = ""  # "create", "update", "unchanged", "skip"
    data: dict = field(default_factory=dict)
    target: Path | None = None

    @property
    def kind(self) -> str:
        return self.plan.kind


@dataclass
class Report:
    planned: list[Planned]
    warnings: list[Problem]
    written: list[Path] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for p in self.planned if p.action == action)

    def summary(self) -> str:
        return (f"新建 {self.count('create')} 条，更新 {self.count('update')} 条，"
                f"未变 {self.count('unchanged')} 条，跳过 {self.count('skip')} 条。")


def import_workbook(root: Path, path: Path, update: bool = False, dry_run: bool = False,
                    csv_kind: str = "case-study") -> Report:
    """Import `path` into the guide at `root`. Raises ContentError (nothing written) or ReadError."""
    content = load_content(root)
    file = path.name
    problems = Problems()
    layouts = {kind: layout(kind) for kind in WORKBOOK_KINDS}
    sheets = read_workbook(path, layouts[csv_kind].main.name)
    _check_layout(sheets, file, problems)
    refs = References({k: {str(r.title): r.id for r in content.all(k)} for k in content.records})
    planned = []
    for kind, read in _by_kind(sheets, layouts, file, refs, problems).items():
        planned += _plan_kind(layouts[kind], read, content, refs, update, file, problems)
    if not planned and not problems.errors:
        problems.add(file, 0, 0, "工作簿中没有可导入的记录：请检查工作表名称（如“试点案例”）和列名是否与收集表一致。")
    _validate(planned, content, file, problems)
    warnings = [p for p in problems.items if p.warning]
    problems.raise_if_any()
    report = Report(planned, warnings)
    if not dry_run:
        report.written = _write(root, planned)
    return report


def _check_layout(sheets: list[SheetData], file: str, problems: Problems) -> None:
    """A workbook made by an older version says so, and which columns changed since."""
    meta = next((s for s in sheets if s.name == META_SHEET), None)
    if meta is None:
        return
    stored = {str(r[0]): r[1] for r in meta.rows if len(r) > 1}
    try:
        old = json.loads(stored.get("layout") or "{}")
    except ValueError:
        return
    for kind, columns in schema_signature().items():
        if kind not in old:
            continue
        added = [c for c in columns if c not in old[kind]]
        removed = [c for c in old[kind] if c not in columns]
        if added or removed:
            what = "；".join(filter(None, [f"新增 {'、'.join(added)}" if added else "",
                                           f"去掉了 {'、'.join(removed)}" if removed else ""]))
            problems.add(file, 0, 0, f"这份工作簿由较早的版本（pilotguide {stored.get('pilotguide', '?')}）生成，"
                                     f"之后{schemas.kinds()[kind].label}的表格有变化：{what}。"
                                     "请用 pilotguide workbook 生成新表格。",
                         warning=True)


def _by_kind(sheets: list[SheetData], layouts: dict[str, Layout], file: str, refs: References,
             problems: Problems) -> dict:
    known = {normal_header(s.name): s for plan in layouts.values() for s in plan.sheets}
    out: dict[str, dict] = {}
    for data in sheets:
        sheet = known.get(normal_header(data.name))
        if sheet is None:
            if data.name not in (GUIDE_SHEET, LISTS_SHEET, META_SHEET) and not data.hidden:
                problems.add(file, 0, 0, f"工作表“{data.name}”不是收集表的一部分，已忽略。", warning=True)
            continue
        out.setdefault(sheet.kind, {})[sheet.name] = read_sheet(data, sheet, file, refs, problems)
    return out


def _plan_kind(plan: Layout, read: dict, content: Content, refs: References, update: bool,
               file: str, problems: Problems) -> list[Planned]:
    titles = {(r.kind, r.id): str(r.title) for rs in content.records.values() for r in rs}
    taken = {r.id for r in content.all(plan.kind)}
    by_title = {str(r.title): r for r in content.all(plan.kind)}
    out = []
    for row in records_of(plan, read, file, problems):
        id_ = row.values.get(("id",))
        title = row.values.get(("title",)) or row.values.get(("term",))
        if not id_ and isinstance(title, str):
            id_ = by_title[title].id if title in by_title else _new_id(title, taken)
        id_ = id_ if isinstance(id_, str) else ""
        taken.add(id_)
        existing = _existing(content, plan.kind, id_)
        row.values[("id",)] = id_ or None
        changes = edits(plan, row, existing.data if existing else None, titles, refs)
        out.append(Planned(plan, id_, row, changes, existing, _action(existing, changes, update)))
    return out


def _existing(content: Content, kind: str, id_: str) -> Record | None:
    try:
        return content.get(kind, id_)
    except KeyError:
        return None


def _action(existing: Record | None, changes: list[Edit], update: bool) -> str:
    if existing is None:
        return "create"
    if not changes:
        return "unchanged"
    return "update" if update else "skip"


def _new_id(title: str, taken: set) -> str:
    """A pinyin slug of the title, cut at a syllable to fit, made unique with -2, -3 ..."""
    slug = slugify(title)
    while len(slug) > MAX_ID - 4 and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    slug = slug[:MAX_ID - 4] or "case"
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


# Validation ----------------------------------------------------------------------------------

def _validate(planned: list[Planned], content: Content, file: str, problems: Problems) -> None:
    """Each record against its schema, then the guide as it would be, problems at their cells."""
    batch: list[Record] = []
    for item in planned:
        if item.action == "skip":
            continue
        base = dict(item.existing.data) if item.existing else {}
        item.data = apply(_plain(base), item.changes, item.kind)
        doc = RowDocument(f"{file} › {item.row.cell.sheet} › 第 {item.row.cell.row} 行", item.data, file=file,
                          cells=_cells(item.row))
        _unknown_references(item, doc, content, problems)
        found = validate(doc, schemas.kinds()[item.kind], content.vocabularies, problems)
        refs = [r for r in found if r.at not in doc.broken]
        batch.append(Record(item.kind, item.id, fields(item.data), doc, refs))
    replaced = {(r.kind, r.id) for r in batch}
    records = {k: [r for r in rs if (r.kind, r.id) not in replaced] for k, rs in content.records.items()}
    old = [r for rs in records.values() for r in rs]  # the guide's records that the import leaves alone
    for record in batch:
        records.setdefault(record.kind, []).append(record)
    after = Content(content.root, content.vocabularies, records)
    check_ids(old + [r for r in batch if r.id], problems)  # a clash names the new row; a missing id: reported
    check_references(after, problems)
    check_step_order(after, problems)


def _unknown_references(item: Planned, doc: Document, content: Content, problems: Problems) -> None:
    """A reference typed as a title that matches no record: say so, with the nearest title."""
    for column in item.plan.main.columns:
        if column.type != REF or not isinstance(item.data.get(column.path[0]), (str, list)):
            continue
        value = item.data[column.path[0]]
        for index, typed in enumerate(value if isinstance(value, list) else [value]):
            if ID_LIKE.match(str(typed)):
                continue  # an id: check_references says whether it exists
            at = column.path + ((index,) if isinstance(value, list) else ())
            doc.broken.add(at)
            titles = [str(r.title) for r in content.all(column.ref)]
            kind = schemas.kinds()[column.ref].label
            doc.report(problems, at, f"找不到名为“{typed}”的{kind}{suggest(typed, titles)}："
                                     "请从下拉列表中选择，或填写它的编号。")


def _plain(data):
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _cells(row: Row) -> dict[tuple, Cell]:
    """The cell of each value of a row's record: its columns and its subsheets' rows and columns."""
    cells: dict[tuple, Cell] = {(): row.cell}
    for path, cell in row.cells.items():
        cells[path] = cell
        for depth in range(1, len(path)):  # a missing `location` points at its first column (省)
            cells.setdefault(path[:depth], cell)
    for key, items in row.values.items():
        if isinstance(key, str) and key.endswith("[]"):
            sheet_field = key[:-2]
            for i, item in enumerate(items):
                index = item.sheet.start + i
                cells[(sheet_field, index)] = item.cell
                for path, cell in item.cells.items():
                    if path != ("",):
                        cells[(sheet_field, index) + path] = cell
    return cells


@dataclass
class RowDocument(Document):
    """A workbook row as the checks see a record: every value stands in a cell, and a problem is
    reported at that cell (`FILE › 试点案例 › 第 7 行 D 列（活动类型）`), read by `validate` and the
    cross-record checks like any YAML file."""

    file: str = ""
    cells: dict = field(default_factory=dict)  # path into the record -> Cell

    def cell(self, at: tuple) -> Cell:
        at = tuple(at)
        while at and at not in self.cells:
            at = at[:-1]
        return self.cells[at]

    def where(self, at: tuple, key: bool = False) -> tuple[int, int]:
        cell = self.cell(at)
        return (cell.row, cell.col)

    def place(self, at: tuple, key: bool = False) -> str:
        return self.cell(at).place(self.file)

    def report(self, problems: Problems, at: tuple, message: str, *, key: bool = False, warning: bool = False) -> None:
        cell = self.cell(at)
        problems.add(f"{self.file} › {cell.sheet}", cell.row, cell.col, for_cells(message), warning,
                     cell.place(self.file))

    @property
    def is_file(self) -> bool:
        return False  # we name the files ourselves: no file name to match the id


# Writing -----------------------------------------------------------------------------------

def _write(root: Path, planned: list[Planned]) -> list[Path]:
    """Every new or changed file to a temporary file first, then all renamed into place."""
    staged: list[tuple[Path, Path]] = []
    modelines: dict[str, str] = {}  # per kind: schema_link may write the schemas, once is enough
    try:
        for item in planned:
            if item.action not in ("create", "update"):
                continue
            target, text = _file_text(root, item, modelines)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            os.chmod(temp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
            staged.append((Path(temp), target))
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        for temp, _target in staged:
            if temp.exists():
                temp.unlink()
    return [target for _temp, target in staged]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _file_text(root: Path, item: Planned, modelines: dict[str, str]) -> tuple[Path, str]:
    dates = {c.path[0] for c in item.plan.main.columns if c.type == DATE}
    if item.existing is not None and item.existing.provenance != BASE:
        target = root / item.existing.path
        return target, updated_text(target, item.changes, item.kind, dates)
    # a new record, or a base guide's record changed here: the local layer gets its own file (an
    # override, content/layers.py); the base guide's files are never written
    kind = schemas.kinds()[item.kind]
    target = root / kind.folder / f"{item.id}.yaml"
    if target.exists() or target.with_suffix(".yml").exists():
        raise ContentError([Problem(target.relative_to(root).as_posix(), 0, 0,
                                    "文件已存在但不是这条记录：为避免覆盖，已停止导入，未写入任何文件。")])
    if item.kind not in modelines:
        modelines[item.kind] = f"# yaml-language-server: $schema={schema_link(root, target.parent, item.kind)}\n"
    modeline = modelines[item.kind]
    order = list(kind.schema["properties"])
    data = {k: item.data[k] for k in sorted(item.data, key=lambda k: order.index(k) if k in order else len(order))}
    return target, new_text(data, modeline, dates)
