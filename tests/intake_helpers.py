"""Helpers for the collection workbook tests: make a blank workbook, fill it like a clerk would."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl

from pilotguide.intake.columns import layout


def headers(ws) -> dict[str, int]:
    """Column label (without the required mark) -> column number, from the header row."""
    return {str(c.value).lstrip("*"): c.column for c in ws[1] if c.value}


def fill(blank: Path, out: Path, rows: dict[str, list[dict]]) -> Path:
    """Copy `blank` to `out` with `rows` (sheet name -> rows as {label: value}) typed in from row 2."""
    book = openpyxl.load_workbook(blank)
    for sheet, values in rows.items():
        ws = book[sheet]
        columns = headers(ws)
        for number, row in enumerate(values, start=2):
            for label, value in row.items():
                ws.cell(number, columns[label], value)
    book.save(out)
    return out


def tree(root: Path) -> dict[str, str]:
    """Every file under root with a hash of its bytes: to tell that nothing was written."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.suffix not in (".xlsx", ".xls", ".ods", ".csv")}


CASE = layout("case-study").main.name  # 试点案例
TIMELINE = next(s.name for s in layout("case-study").subsheets if s.field == "timeline")


def good_case(title: str = "平房区新村社区", **extra) -> dict:
    row = {"标题": title, "摘要": "一个试点社区的做法", "省": "黑龙江省", "市": "哈尔滨市",
           "城乡类型": "城市社区", "活动类型": "为民服务、公益慈善", "来源标题": "某篇文章"}
    row.update(extra)
    return row
