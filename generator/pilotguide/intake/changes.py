"""What a sheet row changes in a record, as a list of edits that apply to plain data and to
ruamel.yaml's round-trip maps alike (so an update keeps the file's comments and other fields)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from ..content import schemas
from .columns import Layout
from .records import References, Row, parse
from .workbook import cell_of, value_at


@dataclass(frozen=True)
class Edit:
    path: tuple  # ("title",), ("location", "city"), ("sources", 0, "title"); for "tail": (field,)
    value: object = None  # None: delete the field
    start: int = -1  # >= 0: replace the list's items from `start` on (a subsheet's rows)


def edits(plan: Layout, row: Row, existing: dict | None, titles: dict, refs: References) -> list[Edit]:
    """The edits that make `existing` (None for a new record) hold what the row says.

    A cell whose value reads back the same as the record's (a date cell for a date string, a joined
    list for a list, text with a trailing line break) changes nothing, so an exported workbook
    imports as a no-op."""
    existing = existing or {}
    out = []
    for column in plan.main.columns:
        if column.path not in row.values:
            continue  # the sheet does not have this column: keep what the record has
        new, old = row.values[column.path], value_at(existing, column.path)
        if new == (None if old is None else parse(column, cell_of(column, old, titles), refs)):
            continue
        out.append(Edit(column.path, new))
    for sheet in plan.subsheets:
        items = row.values.get(sheet.field + "[]")
        if items is None:
            continue  # the workbook has no such sheet
        new = [_item(sheet, item) for item in items]
        old = (existing.get(sheet.field) or [])[sheet.start:]
        if new != [_item(sheet, _as_row(sheet, item, titles, refs)) for item in old]:
            out.append(Edit((sheet.field,), new, sheet.start))
    return out


def _item(sheet, row: Row) -> dict:
    return {c.path[0]: row.values[c.path] for c in sheet.columns[1:] if row.values.get(c.path) is not None}


def _as_row(sheet, item: dict, titles: dict, refs: References) -> Row:
    """An existing list item as if it had been read from the sheet."""
    row = Row(sheet, None)
    for column in sheet.columns[1:]:
        value = item.get(column.path[0]) if isinstance(item, dict) else None
        row.values[column.path] = None if value is None else parse(column, cell_of(column, value, titles), refs)
    return row


def apply(data: dict, changes: list[Edit], kind: str, new_map=dict) -> dict:
    """Apply edits in place (to a dict or a ruamel CommentedMap); returns `data`."""
    for change in changes:
        if change.start >= 0:
            _tail(data, change, new_map)
        elif change.value is None:
            _delete(data, change.path)
        else:
            _set(data, change.path, copy.deepcopy(change.value), kind, new_map)
    return data


def _set(data, path: tuple, value, kind: str, new_map) -> None:
    for depth, part in enumerate(path[:-1]):
        following = path[depth + 1]
        if isinstance(part, int):
            while len(data) <= part:
                data.append(new_map())
            data = data[part]
            continue
        if part not in data or data[part] is None:
            _insert(data, part, [] if isinstance(following, int) else new_map(), kind if depth == 0 else "")
        data = data[part]
    last = path[-1]
    if isinstance(last, int):
        while len(data) <= last:
            data.append(None)
        data[last] = value
    elif last in data:
        data[last] = value
    else:
        _insert(data, last, value, kind if len(path) == 1 else "")


def _insert(data, key: str, value, kind: str) -> None:
    """A new key goes where the schema puts it (after the fields that come before it)."""
    order = list(schemas.kinds()[kind].schema["properties"]) if kind else []
    if key in order and hasattr(data, "insert"):
        rank = order.index(key)
        position = sum(1 for k in data if k in order and order.index(k) < rank)
        data.insert(position, key, value)
    else:
        data[key] = value


def _delete(data, path: tuple) -> None:
    parents = []
    for part in path[:-1]:
        if isinstance(part, int):
            if not isinstance(data, list) or len(data) <= part:
                return
        elif not isinstance(data, dict) or part not in data:
            return
        parents.append((data, part))
        data = data[part]
    if isinstance(data, dict):
        data.pop(path[-1], None)
    for parent, part in reversed(parents):  # an object left empty goes too (location: {})
        if isinstance(part, int):
            break  # never drop a list item: the ones after it would move up
        if parent[part] in ({}, []):
            del parent[part]


def _tail(data, change: Edit, new_map) -> None:
    field = change.path[0]
    head = list(data.get(field) or [])[:change.start]
    if change.value and len(head) < change.start:  # further sources without a first one: keep the place
        head += [new_map() for _ in range(change.start - len(head))]
    items = [_mapped(item, new_map) for item in change.value]
    if not head and not items:
        data.pop(field, None)
        return
    current = data.get(field)
    if current is not None and hasattr(current, "clear") and len(current) >= change.start:
        del current[change.start:]
        current.extend(items)
    else:
        data[field] = head + items


def _mapped(item: dict, new_map):
    out = new_map()
    for key, value in item.items():
        out[key] = copy.deepcopy(value)
    return out
