"""libyaml's complaints, said in words an office editor can act on, at the place to fix.

libyaml often notices a mistake a line late (a full-width colon, a wrong indent): `explain`
looks at the lines around its mark and returns the line and column the author has to change.
"""

from __future__ import annotations

import re

import yaml

# Matched by substring against libyaml's problem text.
YAML_REASONS = [
    ("found undefined alias", "用了未定义的别名（`*名称`）：请先用 `&名称` 定义，或直接写出内容。"),
    ("found another document", "一个文件只能有一条记录：请删除 `---` 之后的第二部分，或把它放进另一个文件。"),
    ("mapping values are not allowed", ("这里不能出现“冒号+空格”："
                                        "值里有冒号时请给整段文字加引号（如 \"目标: 先试点\"），或检查上一行的缩进。")),
    ("expected ',' or ']'", "方括号 `[...]` 列表没有闭合：缺少 `]`，或两项之间缺少逗号。"),
    ("expected ',' or '}'", "花括号 `{...}` 映射没有闭合：缺少 `}`，或两项之间缺少逗号。"),
    ("found unexpected end of stream", "引号没有闭合：文件结束了还没有找到配对的引号。"),
    ("could not find expected ':'", "缺少冒号：每行应为 `字段: 值`（冒号后有一个空格），或多行文字的缩进不够。"),
    ("did not find expected key", "缩进不一致：这一行与上面同一层的字段或列表项没有对齐。"),
    ("did not find expected '-' indicator", "列表项缩进不一致：同一列表的每个 `- ` 应对齐。"),
    ("cannot start any token", "值不能以 `@`、`` ` ``、`%` 开头：请给这段文字加引号。"),
    ("found unknown escape character", "双引号中的反斜杠 `\\` 用法不对：请改用单引号，或把 `\\` 写成 `\\\\`。"),
]

# A field name followed by a full-width colon (what Chinese input methods type), maybe in a list item.
FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)*)([A-Za-z_][\w-]*)\s*：")
LIST_ITEM = re.compile(r"^(\s*)((?:-\s+)*)")
FIELD_LINE = re.compile(r"^\s*(?:-\s+)*[A-Za-z_][\w-]*\s*:(\s|$)")
INDENT_PROBLEMS = ("mapping values are not allowed", "did not find expected key", "could not find expected ':'")


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, Chinese reason) for a YAML syntax error."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    if 0 < line <= len(lines) and "\t" in lines[line - 1]:
        col = lines[line - 1].index("\t") + 1
        return line, col, "使用了制表符（Tab）缩进；YAML 只能用空格缩进，请把 Tab 换成空格。"
    start = exc.context_mark.line + 1 if exc.context_mark else line
    colon = _full_width_colon(lines, min(start, line - 1), line)
    if colon:
        return colon
    problem = exc.problem or exc.context or ""
    if any(key in problem for key in INDENT_PROBLEMS):
        indent = _indentation(lines, line)
        if indent:
            return indent
    reason = next((words for key, words in YAML_REASONS if key in problem),
                  f"无法解析（{problem}）；请检查缩进、冒号和引号。")
    if exc.context_mark is not None and exc.problem_mark is not None and start != line:
        reason = reason.rstrip("。") + f"（从第 {start} 行第 {exc.context_mark.column + 1} 列开始）。"
    return line, col, reason


def _full_width_colon(lines: list[str], first: int, last: int) -> tuple[int, int, str] | None:
    """The nearest line at or before `last` (back to `first`) whose field name ends in '：'."""
    for number in range(last, max(first, 1) - 1, -1):
        if not 0 < number <= len(lines):
            continue
        match = FULL_WIDTH_COLON.match(lines[number - 1])
        if match:
            where = "列表项中" if "-" in match.group(1) else ""
            col = lines[number - 1].index("：") + 1
            return number, col, (f"{where}字段名 `{match.group(2)}` 后用了中文全角冒号“：”："
                                 "请改成英文冒号加一个空格“: ”。")
    return None


def _key_column(text: str) -> int:
    """Where the first field of a line starts: after its indent and any `- ` list markers."""
    match = LIST_ITEM.match(text)
    return len(match.group(1)) + len(match.group(2))


def _indentation(lines: list[str], line: int) -> tuple[int, int, str] | None:
    """A line whose indent matches neither the line above nor anything it could belong to."""
    if not 0 < line <= len(lines):
        return None
    previous = next((n for n in range(line - 1, 0, -1)
                     if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")), None)
    if previous is None:
        return None
    above = lines[previous - 1].rstrip()
    here = lines[line - 1]
    indent = len(here) - len(here.lstrip(" "))
    expected = _key_column(above)
    if above.endswith(":") or indent == expected or not FIELD_LINE.match(here):
        return None  # a field that opens a block, aligned, or text with a colon: not an indent mistake
    return line, indent + 1, (f"缩进不对：这一行的字段从第 {indent + 1} 列开始，上一行（第 {previous} 行）的字段"
                              f"从第 {expected + 1} 列开始；同一层的字段应左对齐：请让这一行从第 {expected + 1} 列开始"
                              "（或与更外层的字段对齐），只用空格缩进。")
