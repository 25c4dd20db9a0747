"""Review dates: which records are past their `review_by` date, and today's date for a build.

A page past `review_by` shows a notice (templates call `overdue`), and `pilotguide check` lists
it as a warning (an error with `--strict`). "Today" honours SOURCE_DATE_EPOCH, the reproducible
builds convention, so a build can be repeated exactly and tests can fix the date.
"""

from __future__ import annotations

import datetime as dt
import os

from ..errors import Problem
from .schemas import label


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def is_overdue(record, today: dt.date) -> bool:
    due = _date(record.data.get("review_by"))
    return due is not None and due < today


def overdue_warnings(records, today: dt.date) -> list[Problem]:
    """One located warning per record whose review date has passed."""
    problems = []
    for record in records:
        if is_overdue(record, today):
            line, col = record.doc.where(("review_by",))
            name = label(record.kind)
            problems.append(Problem(record.path, line, col,
                                    f"{name}「{record.title}」应于 {record.data['review_by']} 前复核，已过期："
                                    "请核实内容后更新 `reviewed` 和 `review_by`。",
                                    warning=True))
    return problems
