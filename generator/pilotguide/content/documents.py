"""Safe YAML loading that keeps where every value came from.

PyYAML composes the document into nodes (libyaml's C parser where present); we then build plain
data ourselves, so that:
- only plain YAML types are ever constructed (no Python objects, whatever the tags say);
- every value and key keeps its line and column, for located errors later;
- duplicate keys are an error (PyYAML's own constructor silently keeps the last one);
- alias expansion is bounded (a "billion laughs" file fails fast instead of eating memory).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from ..errors import Problems
from .yaml_reasons import explain

try:  # libyaml's parser is several times faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_NODES = 100_000  # nodes visited per document, aliases expanded
YAML_TAG = "tag:yaml.org,2002:"
SCALAR_TAGS = {YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
STR_TAG = YAML_TAG + "str"  # most scalars of a guide: text
COLLECTION_TAGS = {YAML_TAG + "seq", YAML_TAG + "map"}

Path_ = tuple  # a path into the data: keys and list indexes


@dataclass
class Document:
    """One loaded YAML file: its data and where each part of it stands."""

    path: str  # as shown to users: relative to the project root, with forward slashes
    data: Any
    broken: set = field(default_factory=set)  # paths whose value could not be read (already reported)
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    mtime: float = 0.0  # when the file was last saved: tells an original from a later copy

    def where(self, at: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `at` (or of its key), else of its nearest parent."""
        table = self.key_positions if key else self.positions
        at = tuple(at)
        if at in table:
            return table[at]
        while at:
            at = at[:-1]
            if at in self.positions:
                return self.positions[at]
        return (1, 1)

    def place(self, at: Path_, key: bool = False) -> str:
        """Where the value at `at` stands, as a message naming this place writes it: `path:line:col`."""
        line, col = self.where(at, key)
        return f"{self.path}:{line}:{col}"

    def report(self, problems: Problems, at: Path_, message: str, *, key: bool = False, warning: bool = False) -> None:
        """A problem with the value at `at` (or its key), located where that value stands."""
        line, col = self.where(at, key)
        problems.add(self.path, line, col, message, warning)

    @property
    def is_file(self) -> bool:
        """Whether this document is a file of its own (a record's file name should then match its id)."""
        return True


class _TooBig(Exception):
    pass


def decode(raw: bytes, shown: str, problems: Problems) -> str | None:
    """Bytes to text: UTF-8 (a BOM is fine); anything else is a located error, never mojibake."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        hint = ""
        try:
            raw.decode("gb18030")
            hint = "看起来是 GBK/GB18030 编码（Windows 记事本、WPS 的常见默认），"
        except UnicodeDecodeError:
            pass
        problems.add(shown, line, col, f"文件不是 UTF-8 编码：{hint}请用“UTF-8”编码另存后再试。")
        return None


def load_text(text: str, shown: str, problems: Problems, foreign_tags: bool = False) -> Document | None:
    """Parse YAML text into a Document; problems are added, None returned on failure.

    `foreign_tags`: keep tagged values (mkdocs.yml's `!!python/name:...`, `!ENV`) as their plain
    text or collection instead of refusing them; nothing is ever constructed from a tag."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, col, reason = explain(exc, text)
        problems.add(shown, line, col, f"YAML 语法错误：{reason}")
        return None
    except yaml.reader.ReaderError as exc:
        line, col = _position(text, exc.position)
        problems.add(shown, line, col,
                     f"文件中有不允许的控制字符 U+{exc.character:04X}：请删除它（常见于从别处复制的文字）。")
        return None
    except yaml.YAMLError as exc:
        problems.add(shown, 1, 1, f"YAML 语法错误：{exc}")
        return None
    doc = Document(shown, None)
    if node is None:
        problems.add(shown, 1, 1, "文件是空的：应为一条记录（以 `id:`、`title:` 等字段组成的映射）。")
        return None
    builder = _Builder(doc, problems, text.splitlines(), foreign_tags)
    try:
        doc.data = builder.build(node, ())
    except _TooBig:
        line, col = _mark(node)
        problems.add(shown, line, col,
                     f"YAML 别名（*引用）展开后超过 {MAX_NODES} 个节点，已停止读取；请不要用别名复制大段内容。")
        return None
    return doc


def load_file(path: Path, shown: str, problems: Problems, foreign_tags: bool = False) -> Document | None:
    """Read and parse one YAML file. Oversized, undecodable or broken files add a problem."""
    try:
        stat = path.stat()
        size = stat.st_size
        if size > MAX_FILE_BYTES:
            problems.add(shown, 0, 0, f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES} 字节）。")
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(shown, 0, 0, f"无法读取文件：{exc.strerror}")
        return None
    text = decode(raw, shown, problems)
    doc = None if text is None else load_text(text, shown, problems, foreign_tags)
    if doc is not None:
        doc.mtime = stat.st_mtime
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


class _Builder:
    """Turns a node tree into plain data, recording positions and refusing anything unsafe."""

    def __init__(self, doc: Document, problems: Problems, lines: list[str], foreign_tags: bool = False):
        self.doc, self.problems, self.lines = doc, problems, lines
        self.foreign_tags = foreign_tags
        self.constructor = SafeConstructor()
        self.count = 0

    def error(self, node: yaml.Node, message: str, at: Path_ | None = None) -> None:
        message = message.replace(f"`{YAML_TAG}", "`!!")  # tags as they are written: !!python/...
        if at is not None:
            self.doc.broken.add(at)
        line, col = _mark(node)
        self.problems.add(self.doc.path, line, col, message)

    def build(self, node: yaml.Node, at: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        self.doc.positions[at] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, at)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in COLLECTION_TAGS and not self.foreign_tags:
                return self.error(node, f"不支持的 YAML 标签 `{node.tag}`：内容文件只能使用普通的列表和映射。", at)
            return [self.build(item, at + (i,)) for i, item in enumerate(node.value)]
        return self.scalar(node, at)

    def mapping(self, node: yaml.MappingNode, at: Path_) -> dict | None:
        if node.tag not in COLLECTION_TAGS and not self.foreign_tags:
            return self.error(node, f"不支持的 YAML 标签 `{node.tag}`：内容文件只能使用普通的列表和映射。", at)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, None) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.error(key_node, "字段名应为文字（如 `title`）。", at)
                continue
            if key in out:
                first = self.doc.key_positions[at + (key,)]
                self.error(key_node, f"字段 `{key}` 重复出现（第一次在第 {first[0]} 行）；"
                                     "YAML 只会保留其中一个，请合并或删除。")
                continue
            self.doc.key_positions[at + (key,)] = _mark(key_node)
            out[key] = self.build(value_node, at + (key,))
        return out

    def scalar(self, node: yaml.ScalarNode, at: Path_ | None) -> Any:
        if node.tag == STR_TAG:  # what SafeConstructor returns for a string, without its dispatch
            if not node.style and node.end_mark.line > node.start_mark.line:  # plain (unquoted) text
                self._merged_list_item(node, at)
            return node.value
        if node.tag not in SCALAR_TAGS:
            if self.foreign_tags:
                return node.value  # e.g. `!!python/name:material.extensions.emoji.twemoji`, as text
            return self.error(node, f"不支持的 YAML 标签 `{node.tag}`：请去掉 `!!` 或 `!` 开头的标签，直接写文字。", at)
        try:
            value = self.constructor.construct_object(node)
        except (ConstructorError, ValueError, OverflowError):
            # PyYAML raises ValueError, not a YAMLError, for dates such as 2018-13-45.
            return self.error(node, f"`{node.value}` 不是有效的日期：应为 YYYY-MM-DD 格式的真实日期。", at)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if not node.style and node.end_mark.line > node.start_mark.line:  # plain (unquoted) text
            self._merged_list_item(node, at)
        return value

    def _merged_list_item(self, node: yaml.ScalarNode, at: Path_ | None) -> None:
        """A `- item` indented deeper than its siblings folds silently into the item above: refuse it."""
        for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            if self.lines[number].lstrip().startswith("- "):
                column = len(self.lines[number]) - len(self.lines[number].lstrip()) + 1
                self.problems.add(self.doc.path, number + 1, column,
                                  "这一行像是新的列表项，但缩进比上一项深，被并进了上一项的文字："
                                  "请让这里的 `- ` 与上一项的 `- ` 对齐（若确是正文，请给整段文字加引号）。")
                return
