"""Sheets of cells to records: every value keeps the cell it came from, for located messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problems
from .columns import CHOICE, REF, Column, Layout, Sheet, header_index, normal_header
from .read import MAX_CELL_CHARS, SheetData, column_letter
from .values import cell_value, items, text

HEADER_SEARCH_ROWS = 10  # a title line or two above the header row is fine
REF_ID = re.compile(r"[(（]\s*([a-z0-9]+(?:-[a-z0-9]+)*)\s*[)）]")  # the `(id)` of `title (id)`
ID_LIKE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Cell:
    """Where a value was typed: shown as `FILE › 试点案例 › 第 7 行 D 列（活动类型）`."""

    sheet: str
    row: int
    col: int = 0  # 0: the row as a whole
    label: str = ""

    def place(self, file: str) -> str:
        where = f"第 {self.row} 行" + (f" {column_letter(self.col)} 列（{self.label}）" if self.col else "")
        return f"{file} › {self.sheet} › {where}"


@dataclass
class Row:
    """One record (main sheet) or one list item (subsheet) as read, with each value's cell."""

    sheet: Sheet
    cell: Cell  # the row
    values: dict = field(default_factory=dict)  # column path -> value (None: the cell is empty)
    cells: dict = field(default_factory=dict)  # column path -> Cell


@dataclass
class ReadSheet:
    sheet: Sheet
    columns: list[Column]  # the columns this sheet holds, in any order
    rows: list[Row]


class References:
    """Turns what a clerk picked or typed for a reference (`title (id)`, an id, a title) into an id."""

    def __init__(self, titles: dict[str, dict[str, str]]):
        self.titles = titles  # kind -> title -> id

    def resolve(self, kind: str, typed: str) -> str:
        found = REF_ID.search(typed)
        if found:
            return found.group(1)
        return self.titles.get(kind, {}).get(typed, typed)


def read_sheet(data: SheetData, sheet: Sheet, file: str, refs: References, problems: Problems) -> ReadSheet:
    """The rows of one sheet, with unknown columns warned about and blank rows skipped."""
    blank = {i + 1 for i, cells in enumerate(data.rows) if _blank(cells)}
    _fill_merged(data)  # after finding blank rows: a merged cell running past the last record adds none
    header_row, columns = _header(data, sheet, file, problems)
    rows = []
    for number in range(header_row + 1, len(data.rows) + 1):
        cells = data.rows[number - 1]
        if number in blank:
            continue
        rows.append(_row(sheet, number, cells, columns, file, refs, problems))
    return ReadSheet(sheet, [c for c in columns.values()], rows)


def _blank(cells: list) -> bool:
    # Fast for the common case (empty strings from the reader): only what is left goes through text().
    return all(text(v) is None for v in cells if v != "" and v is not None)


def _fill_merged(data: SheetData) -> None:
    """A cell merged over several rows gives its value to each of them (its first column only)."""
    for (top, left), (bottom, _right) in data.merged:
        if top >= len(data.rows) or left >= len(data.rows[top]):
            continue
        value = data.rows[top][left]
        for number in range(top + 1, min(bottom, len(data.rows) - 1) + 1):
            if left < len(data.rows[number]):
                data.rows[number][left] = value


def _header(data: SheetData, sheet: Sheet, file: str, problems: Problems) -> tuple[int, dict[int, Column]]:
    index = header_index(sheet)
    best, best_row = {}, 0
    for number, cells in enumerate(data.rows[:HEADER_SEARCH_ROWS], start=1):
        found = {j + 1: index[normal_header(v)] for j, v in enumerate(cells) if normal_header(v) in index}
        if len(found) > len(best):
            best, best_row = found, number
    if not best:
        problems.add(f"{file} › {sheet.name}", 1, 0,
                     "找不到列名行：第一行应是列名（如“标题”“省”），请从 pilotguide workbook 生成的表格复制。",
                     place=f"{file} › {sheet.name}")
        return len(data.rows), {}
    _check_header(data.rows[best_row - 1], best, best_row, sheet, file, problems)
    return best_row, best


def _check_header(cells, found: dict, number: int, sheet: Sheet, file: str, problems: Problems) -> None:
    seen: dict[Column, int] = {}
    for j, value in enumerate(cells, start=1):
        column = found.get(j)
        where = Cell(sheet.name, number, j, text(value) or "")
        if column is None and text(value) is not None:
            _add(problems, file, where, f"不认识的列“{text(value)}”，已忽略这一列的内容。", warning=True)
        elif column is not None and column in seen:
            _add(problems, file, where,
                 f"列“{column.label}”出现了两次（另一处在 {column_letter(seen[column])} 列）：请删除其中一列。")
        elif column is not None:
            seen[column] = j
    for column in sheet.columns:
        if column.required and column not in seen:
            _add(problems, file, Cell(sheet.name, number),  # fine for updates; a new record will say what it lacks
                 f"没有必填列“{column.header}”：已有记录的这一项保持不变，新记录则必须有这一列。", warning=True)


def _add(problems: Problems, file: str, cell: Cell, message: str, warning: bool = False) -> None:
    problems.add(f"{file} › {cell.sheet}", cell.row, cell.col, message, warning, place=cell.place(file))


def _row(sheet: Sheet, number: int, cells: list, columns: dict[int, Column], file: str,
         refs: References, problems: Problems) -> Row:
    row = Row(sheet, Cell(sheet.name, number))
    for j, column in columns.items():
        raw = cells[j - 1] if j - 1 < len(cells) else None
        cell = Cell(sheet.name, number, j, column.label)
        row.cells[column.path] = cell
        if isinstance(raw, str) and len(raw) >= MAX_CELL_CHARS:  # the reader cuts longer text at the limit
            _add(problems, file, cell, f"单元格内容过长（达到 {MAX_CELL_CHARS} 个字符的上限，超出的部分读不到）："
                                       "请精简；长篇正文请写在 YAML 文件的 body 中。")
            row.values[column.path] = None
            continue
        row.values[column.path] = parse(column, raw, refs)
    return row


def parse(column: Column, raw, refs: References):
    """One cell as the value a record holds: None when empty, a list for list columns."""
    if column.type == REF and column.many:
        return _references(column, raw, refs) or None
    if column.many:
        return items(raw, terms=column.type == CHOICE) or None
    if column.type == REF:
        typed = text(raw)
        return None if typed is None else refs.resolve(column.ref, typed)
    return cell_value(column, raw)


def _references(column: Column, raw, refs: References) -> list[str]:
    """Ids from a cell of references. Titles may hold 、 and ，: a line with `(id)`s gives those ids;
    a line that is a whole title gives its id; anything else is split like a list of words."""
    ids = []
    for line in items(raw, terms=False):
        found = REF_ID.findall(line)
        if found:
            ids += found
        elif refs.resolve(column.ref, line) != line:
            ids.append(refs.resolve(column.ref, line))
        else:
            ids += [refs.resolve(column.ref, word) for word in items(line, terms=True)]
    return ids


def records_of(plan: Layout, sheets: dict[str, ReadSheet], file: str, problems: Problems) -> list[Row]:
    """Main-sheet rows with their subsheet items attached (in `row.values`, by list field)."""
    main = sheets.get(plan.main.name)
    if main is None:
        return []
    by_key: dict[str, Row] = {}
    for row in main.rows:
        for key in (row.values.get(("id",)), row.values.get(("title",)), row.values.get(("term",))):
            if isinstance(key, str):
                by_key.setdefault(key, row)
    for sheet in plan.subsheets:
        read = sheets.get(sheet.name)
        if read is None:
            continue
        for row in main.rows:
            row.values.setdefault(sheet.field + "[]", [])
        for item in read.rows:
            key = item.values.get(("",))
            owner = by_key.get(key) if isinstance(key, str) else None
            if owner is None:
                _add(problems, file, item.cells.get(("",), item.cell),
                     f"找不到编号或标题为“{key or ''}”的记录：第一列应填写“{plan.main.name}”表中某条记录的编号或标题。")
                continue
            owner.values[sheet.field + "[]"].append(item)
    return main.rows
