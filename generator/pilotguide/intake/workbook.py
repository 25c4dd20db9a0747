"""Write the collection workbook (blank, or filled with the current content) with openpyxl.

Sheets: 填表说明 (every column explained, from the schema), one main sheet per kind and one per
list of records, a hidden 选项 sheet with the drop-down lists, and a hidden `_pilotguide` sheet
that records the layout the workbook was made with, so an import can say what changed since.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from ..content.model import Content
from ..content import schemas
from ..content.regions import province_names
from ..content.validate import region_fields
from .columns import (CHOICE, DATE, INTEGER, PARTIAL_DATE, REF, Column, Layout, Sheet, for_cells, layout,
                      schema_signature)
from .read import column_letter

GUIDE_SHEET = "填表说明"
LISTS_SHEET = "选项"
META_SHEET = "_pilotguide"
BLANK_ROWS = 500  # rows with drop-downs and formats below the last filled one
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
WIDE = {"summary": 48, "title": 36, "definition": 48, "goal": 36, "event": 48, "note": 30, "text": 48}
TERM_JOIN, LINE_JOIN = "、", "\n"
FORMATS = {DATE: "yyyy-mm-dd", PARTIAL_DATE: "@", INTEGER: "0"}  # "@": text, so 2018-12 stays 2018-12


def ref_label(title: str, id_: str) -> str:
    """How a reference is shown in cells and drop-downs: `title (id)`."""
    return f"{title} ({id_})"


def write_workbook(out: Path, kinds: list[str], content: Content, filled: bool) -> Path:
    """Write the workbook for `kinds` to `out` (atomically); with `filled`, one row per record."""
    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    lists = _Lists(book.create_sheet(LISTS_SHEET), content)
    layouts = [layout(kind) for kind in kinds]
    for plan in layouts:
        rows = _rows(plan, content) if filled else {s.name: [] for s in plan.sheets}
        for sheet in plan.sheets:
            _write_sheet(book.create_sheet(sheet.name), sheet, rows[sheet.name], lists)
    _write_guide(guide, layouts, content)
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    lists.sheet.sheet_state = "hidden"
    _write_meta(book.create_sheet(META_SHEET), kinds)
    return _save(book, out)


def _save(book: Workbook, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent)
    os.close(handle)
    try:
        book.save(temp)
        os.replace(temp, out)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return out


class _Lists:
    """The hidden sheet of drop-down values: one column per vocabulary, enum or kind referred to."""

    def __init__(self, sheet, content: Content):
        self.sheet, self.content = sheet, content
        self.ranges: dict[str, str] = {}

    def formula(self, column: Column, kind: str = "") -> str | None:
        key, values = self._values(column, kind)
        if not values:
            return None
        if key not in self.ranges:
            index = len(self.ranges) + 1
            letter = column_letter(index)
            self.sheet.cell(1, index, key)
            for row, value in enumerate(values, start=2):
                self.sheet.cell(row, index, value)
            self.ranges[key] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[key]

    def _values(self, column: Column, kind: str) -> tuple[str, list[str]]:
        if kind and is_province(column, kind):
            return "regions:province", province_names()
        if column.type == REF:
            return f"ref:{column.ref}", [ref_label(str(r.title), r.id) for r in self.content.all(column.ref)]
        if column.vocabulary:
            return f"vocabulary:{column.vocabulary}", list(self.content.vocabularies.get(column.vocabulary, []))
        return f"enum:{column.label}", [str(v) for v in column.choices]


def _write_sheet(ws, sheet: Sheet, rows: list[dict], lists: _Lists) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, index, column.header)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[column_letter(index)].width = _width(column)
    ws.freeze_panes = "A2"
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(sheet.columns, start=1):
            value = row.get(column.path)
            if value is not None:
                ws.cell(number, index, value)
    last = len(rows) + 1 + BLANK_ROWS
    for index, column in enumerate(sheet.columns, start=1):
        _format_column(ws, column, column_letter(index), last, lists, sheet.kind)


def _width(column: Column) -> float:
    name = next((p for p in reversed(column.path) if isinstance(p, str)), "")
    if column.many and column.type not in (CHOICE, REF):
        return 40
    return WIDE.get(name, max(12, len(column.header) * 2 + 4))


def is_province(column: Column, kind: str) -> bool:
    """The 省 column of a location whose names are checked (content/regions.py)."""
    return (len(column.path) == 2 and column.path[1] == "province"
            and column.path[0] in region_fields(schemas.kinds()[kind]))


def _format_column(ws, column: Column, letter: str, last: int, lists: _Lists, kind: str) -> None:
    cells = f"{letter}2:{letter}{last}"
    if is_province(column, kind):  # the 34 provincial names; another name is let through, with a warning
        rule = DataValidation(type="list", formula1=lists.formula(column, kind), allow_blank=True,
                              showErrorMessage=True, errorStyle="warning", errorTitle="不在省级行政区名单中",
                              error="请从下拉列表中选择省、自治区、直辖市的全称（如“吉林省”）。确实要保留，请点“是”。",
                              promptTitle=column.label, prompt="请从下拉列表中选择全称，如“吉林省”。",
                              showInputMessage=True)
        rule.add(cells)
        ws.add_data_validation(rule)
    elif column.type in (CHOICE, REF):
        formula = lists.formula(column)
        if formula:
            single = column.type == CHOICE and not column.many
            rule = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=single,
                                  errorTitle="不在可选范围内", error="请从下拉列表中选择。",
                                  promptTitle=column.label, prompt=_prompt(column), showInputMessage=True)
            rule.add(cells)
            ws.add_data_validation(rule)
    # The column's own style: what Excel, WPS and LibreOffice give a cell typed into it later.
    dimension = ws.column_dimensions[letter]
    dimension.number_format = FORMATS.get(column.type, "@")
    wrap = column.many or column.type not in (DATE, PARTIAL_DATE, INTEGER, CHOICE)
    if wrap:
        dimension.alignment = Alignment(wrap_text=True, vertical="top")
    for (cell,) in ws[f"{letter}2:{letter}{max(ws.max_row, 2)}"]:  # cells written already (export)
        cell.number_format = dimension.number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _prompt(column: Column) -> str:
    if column.many:
        return "可填多项：从下拉列表选一项后，可再用 、 或换行接着填写其他项。"
    return "请从下拉列表中选择。"


# What each column takes, in the staff's words; the example shows the form, never an invented case.
TYPE_HELP = {
    "text": ("文字", ""),
    "integer": ("正整数", "3"),
    "date": ("日期", "2018-12-26（也可写 2018年12月26日、2018/12/26、2018.12.26）"),
    "partial_date": ("年份、年月或完整日期", "2018、2018-12 或 2018-12-26（也可写 2018年12月）"),
    "choice": ("从下拉列表选择", ""),
    "ref": ("从下拉列表选择“名称 (编号)”，也可只填编号", ""),
}


def _describe(column: Column, content: Content) -> list[str]:
    kind, example = TYPE_HELP[column.type]
    if column.many and column.type in (CHOICE, REF):
        kind += "；可填多项，用 、 或换行分隔"
    elif column.many:
        kind = "文字，每项一行（单元格内换行：Alt+Enter；WPS 相同）"
    if column.path == ("id",):
        kind, example = "留空时按标题自动生成（拼音）；已有记录请保持不变", ""
    allowed = ""
    if column.vocabulary:
        allowed = "、".join(content.vocabularies.get(column.vocabulary, []))
    elif column.choices:
        allowed = "、".join(map(str, column.choices))
    elif column.type == REF:
        count = len(content.all(column.ref))
        allowed = f"本指南中已有的{schemas.kinds()[column.ref].label}（见下拉列表，共 {count} 项）"
    expected = for_cells(column.schema.get("x-expected", ""))
    return ["是" if column.required else "否", kind, allowed, example, expected]


def _write_guide(ws, layouts: list[Layout], content: Content) -> None:
    intro = [
        "本工作簿用于收集本指南的记录（如试点案例），由 pilotguide workbook 命令按数据格式自动生成。",
        "每个工作表的第一行是列名，请不要修改列名；列的顺序可以调整，多余的列会被忽略。",
        ("列名前带 * 的是必填列。每条记录填一行；“时间线”“参与组织”“更多来源”等工作表每行填一项，"
         "第一列填写该记录的编号或标题，以便对应。"),
        "填好后交给省级管理员，用 pilotguide import 导入；有问题时会指出工作表、行、列和原因。",
        "可以用 Excel 或 WPS 表格填写；保存为 .xlsx（推荐）、.xls、.ods 或 CSV 均可。",
    ]
    for row, line in enumerate(intro, start=1):
        ws.cell(row, 1, line)
    header = ["工作表", "列名", "必填", "填写方式", "可选值", "格式示例", "要求"]
    start = len(intro) + 2
    for index, title in enumerate(header, start=1):
        cell = ws.cell(start, index, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    row = start + 1
    for plan in layouts:
        for sheet in plan.sheets:
            for column in sheet.columns:
                values = [sheet.name, column.label] + _describe(column, content)
                for index, value in enumerate(values, start=1):
                    ws.cell(row, index, value).alignment = Alignment(wrap_text=True, vertical="top")
                row += 1
    for letter, width in zip("ABCDEFG", (18, 18, 6, 36, 40, 36, 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(start + 1, 1).coordinate


def _write_meta(ws, kinds: list[str]) -> None:
    ws.append(["pilotguide", version("pilotguide")])
    ws.append(["kinds", json.dumps(kinds)])
    ws.append(["layout", json.dumps(schema_signature(), ensure_ascii=False)])
    ws.sheet_state = "hidden"


# Filling rows from records ------------------------------------------------------------------

def _rows(plan: Layout, content: Content) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {s.name: [] for s in plan.sheets}
    titles = {(r.kind, r.id): str(r.title) for rs in content.records.values() for r in rs}
    for record in content.all(plan.kind):
        rows[plan.main.name].append(record_row(plan.main, record.data, titles))
        for sheet in plan.subsheets:
            for item in (record.data.get(sheet.field) or [])[sheet.start:]:
                row = record_row(sheet, item, titles)
                row[("",)] = record.id
                rows[sheet.name].append(row)
    return rows


def record_row(sheet: Sheet, data: dict, titles: dict) -> dict:
    """Cell values of one record (or list item) by column path."""
    row = {}
    for column in sheet.columns:
        value = value_at(data, column.path)
        if value is not None and value != []:
            row[column.path] = cell_of(column, value, titles)
    return row


def value_at(data, path: tuple):
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and len(data) > part else None
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def cell_of(column: Column, value, titles: dict):
    """A record's value as a cell: dates as dates, lists joined, references as `title (id)`."""
    if column.type == REF:
        shown = [ref_label(titles[(column.ref, v)], v) if (column.ref, v) in titles else str(v)
                 for v in (value if isinstance(value, list) else [value])]
        return LINE_JOIN.join(shown)
    if isinstance(value, list):
        return (TERM_JOIN if column.type == CHOICE else LINE_JOIN).join(str(v) for v in value)
    if column.type == DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value
