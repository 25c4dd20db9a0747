"""What clerks type into cells, made into the values a YAML record holds.

Anything that cannot be understood is passed on as typed, so the record's schema validation
says what is wrong with it, in the same words `pilotguide check` uses.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .columns import DATE, INTEGER, PARTIAL_DATE, Column

SPACES = str.maketrans({"\u3000": " ", "\xa0": " ", "\u2002": " ", "\u2003": " ", "\u200b": ""})
TERM_SEPARATORS = re.compile(r"[、，,；;\n]+")  # between words or ids: 为民服务、公益慈善
LINE_SEPARATORS = re.compile(r"\n+")  # between sentences, which have commas of their own
ITEM_NUMBER = re.compile(r"^(?:[(（]?\d{1,2}[)）.、．]|[•●▪\-–])\s*")  # "1. ", "（2）", "• " before a list item
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial day 1 is 1900-01-01 (Excel counts a 29 Feb 1900 that never was)
# 2018年12月26日, 2018.12.26, 2018/12/26, 2018-12-26, 2018年12月, 2018.12, 2018年
QUOTES = "\"'“”‘’「」『』"  # around a date typed with quotes (full-width ＂ and ＇ are NFKC-normalised)
DATE_FORMS = re.compile(r"^(\d{4})\s*(?:[年./\-]\s*(\d{1,2})\s*(?:[月./\-]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?$")


def text(value) -> str | None:
    """A cell as text: spaces of every width trimmed, numbers without a stray `.0`, None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    lines = str(value).translate(SPACES).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cleaned = "\n".join(line.strip() for line in lines).strip()
    return cleaned or None


def items(value, terms: bool) -> list[str]:
    """A list cell's items: words and ids split on 、，,；; or line breaks; sentences on line breaks only."""
    cleaned = text(value)
    if cleaned is None:
        return []
    parts = (TERM_SEPARATORS if terms else LINE_SEPARATORS).split(cleaned)
    return [item for item in (ITEM_NUMBER.sub("", p).strip() for p in parts) if item]


def date(value, partial: bool):
    """A date cell as `YYYY-MM-DD` (or `YYYY` / `YYYY-MM` where partial dates are allowed).

    Accepts Excel date cells, serial numbers, 2018年12月26日, 2018.12.26, 2018/12/26 and a year
    alone; anything else is returned as typed for validation to explain."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1000 <= value <= 2999 and float(value).is_integer():
            return str(int(value))  # a year typed into a number cell
        if 1 <= value < 2958466:
            return (EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    typed = text(value)
    if typed is None:
        return None
    # "2020" typed with its quotes (advice meant for YAML files, which a clerk may have read)
    match = DATE_FORMS.match(unicodedata.normalize("NFKC", typed).strip(QUOTES).strip())
    if not match:
        return typed
    year, month, day = match.groups()
    parts = [year] + [f"{int(p):02d}" for p in (month, day) if p]
    return "-".join(parts)


def integer(value):
    """A whole number from a number cell or typed digits (full-width too); else the text as typed."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    typed = text(value)
    if typed is not None and unicodedata.normalize("NFKC", typed).isdigit():
        return int(unicodedata.normalize("NFKC", typed))
    return typed


def cell_value(column: Column, value):
    """One non-list cell as the record's value (None: the field is left out)."""
    if column.type in (DATE, PARTIAL_DATE):
        return date(value, column.type == PARTIAL_DATE)
    if column.type == INTEGER:
        return integer(value)
    return text(value)
