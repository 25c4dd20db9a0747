"""YAML text for imported records: new files like `pilotguide new` writes them, and updates that
keep the file's comments, key order and the fields a workbook cannot hold (ruamel.yaml round-trip).

New files are written with PyYAML's libyaml emitter (0.5 ms a record against ruamel's 7 ms and
pure PyYAML's 3 ms, measured on this machine: it matters for a 10,000-row import), in the shipped
files' style: lists indented under their key, text with line breaks as `|` blocks, dates unquoted."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from .changes import Edit, apply


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments and quoting survive
    yaml.indent(mapping=2, sequence=4, offset=2)  # the shipped files' style: "  - item"
    yaml.width = 100_000  # never fold a long Chinese line
    yaml.preserve_quotes = True
    return yaml


def _date(value):
    """A full ISO date string as a date (written unquoted); anything else as it is."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return value


def _styled(value, date_keys: set, key: str = ""):
    """Plain data as ruamel nodes: multi-line text as `|` blocks, full dates unquoted."""
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _styled(v, date_keys, k)
        return out
    if isinstance(value, list):
        return CommentedSeq(_styled(v, date_keys) for v in value)
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value + "\n")
    return _date(value) if key in date_keys else value


def _dump(data) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


try:  # libyaml's emitter: a tenth of the pure-Python one's time
    _Base = pyyaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = pyyaml.SafeDumper  # type: ignore[misc]


class _NewFileDumper(_Base):
    pass


def _text(dumper, value: str) -> pyyaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_NewFileDumper.add_representer(str, _text)


BLOCK_SCALAR = re.compile(r"(?:^\s*|:\s|-\s)[|>][-+0-9]*$")  # a line whose value is a block of text


def indent_lists(text: str) -> str:
    """libyaml writes a list at its key's indentation ("key:\n- a"); the shipped files indent it
    ("key:\n  - a"). Shift every line of such a list (its items and everything nested in them) by
    two spaces; relative indentation, and so block text, is unchanged."""
    out: list[str] = []
    open_at = -1  # indentation of the list being shifted, -1 when none
    block_at = -1  # indentation of the line that opened a block scalar (`key: |-`), -1 when none
    previous = ""
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.strip()
        if block_at >= 0 and (not stripped or indent > block_at):  # text, never structure ("- 0" in it)
            out.append(("  " + line) if open_at >= 0 and stripped else line)
            continue
        block_at = -1
        if open_at >= 0 and stripped and indent <= open_at and not line[indent:].startswith("- "):
            open_at = -1  # a line at the list's level that is not an item: the list has ended
        if open_at < 0 and line[indent:].startswith("- ") and previous.rstrip().endswith(":") \
                and len(previous) - len(previous.lstrip(" ")) == indent:
            open_at = indent
        out.append(("  " + line) if open_at >= 0 and stripped else line)
        if stripped:
            previous = line
        if BLOCK_SCALAR.search(line):
            block_at = indent
    return "\n".join(out)


def _dates(value, date_keys: set, key: str = ""):
    if isinstance(value, dict):
        return {k: _dates(v, date_keys, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates(v, date_keys) for v in value]
    return _date(value) if key in date_keys else value


def new_text(data: dict, modeline: str, date_keys: set) -> str:
    """A new record file: the editor modeline, then the fields in schema order."""
    text = pyyaml.dump(_dates(data, date_keys), Dumper=_NewFileDumper, allow_unicode=True,
                       sort_keys=False, width=100_000, default_flow_style=False)
    return modeline + indent_lists(text)


def updated_text(path: Path, changes: list[Edit], kind: str, date_keys: set) -> str:
    """The file at `path` with `changes` applied; everything else in it, comments too, unchanged."""
    document = _yaml().load(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    styled = [Edit(c.path, _styled(c.value, date_keys, str(c.path[-1])), c.start) for c in changes]
    apply(document, styled, kind, new_map=CommentedMap)
    return _dump(document)
