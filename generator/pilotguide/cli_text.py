"""click, in Chinese: help pages, usage lines and click's own errors (without forking click).

- `ChineseFormatter` (click.Context.formatter_class) writes the usage prefix, section headings,
  metavars and `[default: ...]` in Chinese;
- `ChineseCommand` / `ChineseGroup` give the help option a Chinese text and use the formatter;
- `ChineseGroup.main` shows click's usage errors in Chinese, from the exception's own data (which
  command, option or parameter; which choices) where click gives it, and accepts `--debug`
  anywhere before `--` (it is a group option, but people type it after the subcommand too);
- `Count` and `LabelledChoice` are parameter types whose help and errors are Chinese themselves
  (click's IntRange and Choice would say `INTEGER RANGE`, `[x>=0]`, `Choose from:`);
- `invocation()` is the command that works in the user's shell, for messages that say
  "run ... next".
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import click

HEADINGS = {"Options": "选项", "Commands": "命令", "Positional arguments": "参数", "Arguments": "参数"}
METAVARS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]...", "FILE": "文件", "DIRECTORY": "目录",
            "PATH": "路径", "TEXT": "文字", "INTEGER": "整数"}
HELP_TEXT = "显示本帮助并退出。"
CLOSING = "）。，；：、”’】」』"  # never at the start of a line

# The usage errors whose exception carries nothing but click's sentence (click 8.x wording): a
# bare UsageError (no command given; extra arguments, named only inside the text), and the
# parser's BadOptionUsage, raised without a context, so the option's name is known but not whether
# a value was missing or given to a flag. Every other error is told from the exception's data
# (`reason`) or by our own parameter types (Count, FilePath, LabelledChoice).
MESSAGES = [
    (r"Missing command\.", "缺少命令。"),
    (r"Got unexpected extra arguments? \((.*)\)", "多余的参数：{0}（含空格的路径请加引号）。"),
    (r"Option '(.+)' requires an argument\.", "选项 `{0}` 后面需要一个值。"),
    (r"Option '(.+)' requires (\d+) arguments\.", "选项 `{0}` 后面需要 {1} 个值。"),
    (r"Option '(.+)' does not take a value\.", "选项 `{0}` 不带值。"),
]


def translate(message: str) -> str:
    """One of click's data-less messages (MESSAGES) in Chinese; any other text as it is."""
    for pattern, words in MESSAGES:
        match = re.fullmatch(pattern, message.strip(), re.S)
        if match:
            return words.format(*(g or "" for g in match.groups()))
    return message


class Count(click.ParamType):
    """A whole number not below `minimum` (`--jobs`), said in Chinese in help and errors."""

    name = "整数"

    def __init__(self, minimum: int = 0) -> None:
        self.minimum = minimum

    def get_metavar(self, param, ctx=None) -> str:
        return "整数"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = unicodedata.normalize("NFKC", str(value)).strip()
            if not re.fullmatch(r"[+-]?\d+", text):
                self.fail(f"`{value}` 不是整数：请写 {self.minimum} 或更大的整数，如 {self.minimum + 2}。", param, ctx)
            number = int(text)
        if number < self.minimum:
            self.fail(f"`{value}` 太小：应为 {self.minimum} 或更大的整数。", param, ctx)
        return number


class FilePath(click.Path):
    """click's Path, saying in Chinese what is wrong with the path given, from the path itself
    (whether it exists, is a file or a folder, may be read or written), not from click's text."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            path = os.fsdecode(value) if isinstance(value, bytes) else str(value)
            if not os.path.exists(path):
                self.fail(f"`{path}` 不存在：请检查路径是否写对。", param, ctx)
            if os.path.isfile(path) and not self.file_okay:
                self.fail(f"`{path}` 是文件，这里需要文件夹。", param, ctx)
            if os.path.isdir(path) and not self.dir_okay:
                self.fail(f"`{path}` 是文件夹，这里需要文件。", param, ctx)
            self.fail(f"`{path}` 没有读写权限：请换一个位置，或请管理员开放权限。", param, ctx)


class LabelledChoice(click.Choice):
    """A choice among English names (record kinds) shown with their Chinese labels:
    `policy（政策）`, in help, in a missing value's message and in a wrong value's."""

    def __init__(self, labels: dict[str, str], metavar: str = "类型") -> None:
        super().__init__(list(labels))
        self.labels, self.metavar = labels, metavar

    def listed(self) -> str:
        return "、".join(f"{name}（{label}）" for name, label in self.labels.items())

    def get_metavar(self, param, ctx=None) -> str:
        return self.metavar

    def get_missing_message(self, param, ctx=None) -> str:
        return f"可选：{self.listed()}。"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            close = difflib.get_close_matches(str(value), list(self.labels), n=1)
            hint = f"（是否指 `{close[0]}`？）" if close else ""
            self.fail(f"`{value}` 不是可选的{self.metavar}{hint}；可选：{self.listed()}。", param, ctx)


class ChineseFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _metavars(args), prefix="用法：")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        """Two columns, the second wrapped by display width (a Chinese character takes two)."""
        rows = [(_metavars(term), _extras(text)) for term, text in rows]
        first = min(max((_width(term) for term, _ in rows), default=0), col_max) + col_spacing
        for term, text in rows:
            indent = " " * self.current_indent
            lines = _wrap(text, max(self.width - first - self.current_indent, 20)) or [""]
            if _width(term) <= first - col_spacing:
                self.write(f"{indent}{term}{' ' * (first - _width(term))}{lines[0]}\n")
            else:
                self.write(f"{indent}{term}\n{indent}{' ' * first}{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{indent}{' ' * first}{line}\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        for paragraph in text.split("\n\n"):
            joined = re.sub(r"(?<=[^\x00-\x7f])\n\s*", "", paragraph).replace("\n", " ")  # no space inside Chinese
            for line in _wrap(joined, max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n")
            self.write("\n")
        self.buffer.pop()  # no blank line after the last paragraph


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by display width: breaks between Chinese characters or at spaces, never
    inside a Latin word or an option name."""
    tokens = re.findall(r"\[[^\]]*\]|[\x21-\x7e]+|\s+|.", text.strip())
    lines, line = [], ""
    for token in tokens:
        if _width(line + token) > width and line.strip() and token not in CLOSING:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _metavars(text: str) -> str:
    for english, chinese in METAVARS.items():
        text = re.sub(rf"(?<![\w-]){re.escape(english)}(?![\w-])", chinese, text)
    return text


def _extras(text: str) -> str:
    text = text.replace("[default: ", "[默认：").replace("[required]", "[必填]").replace("; required]", "；必填]")
    return re.sub(r"\[默认：\((.*?)\)", r"[默认：\1", text)  # click brackets a default given as text


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


class _ChineseHelp:
    context_class = ChineseContext

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option


class ChineseCommand(_ChineseHelp, click.Command):
    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence, ended by a Chinese full stop (click only knows '.')."""
        text = (self.short_help or self.help or "").strip()
        return text.split("。", 1)[0] + "。" if "。" in text else text


class ChineseGroup(_ChineseHelp, click.Group):
    command_class = ChineseCommand

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _debug_first(args))

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            if not standalone_mode:
                raise
            _show(error)
            sys.exit(error.exit_code)
        except click.Abort:
            if not standalone_mode:
                raise
            click.echo("已中止。", err=True)
            sys.exit(1)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


def _debug_first(args: list[str]) -> list[str]:
    """`--debug` anywhere before `--` moves to the front, where the group option is parsed."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" not in args[:end]:
        return args
    return ["--debug", *[a for i, a in enumerate(args) if not (a == "--debug" and i < end)]]


def _show(error: click.ClickException) -> None:
    """A usage error as click shows it, in Chinese: usage line, where to get help, the reason."""
    ctx = getattr(error, "ctx", None)
    lines = []
    if ctx is not None and isinstance(error, click.UsageError):
        lines.append(ctx.get_usage())
        lines.append(f"查看帮助：{ctx.command_path} --help")
        lines.append("")
    message = reason(error)
    possibilities = getattr(error, "possibilities", None)
    if possibilities:
        message = message.rstrip("。") + f"（是否指 `{'`、`'.join(sorted(possibilities))}`？）。"
    elif ctx is not None and message.startswith("没有命令") and isinstance(ctx.command, click.Group):
        message = message.rstrip("。") + f"；可用命令：{'、'.join(ctx.command.list_commands(ctx))}。"
    lines.append(f"错误：{message}")
    click.echo("\n".join(lines), err=True)


def reason(error: click.ClickException) -> str:
    """What went wrong, in Chinese, from the exception's data: which command, option or parameter,
    and the type's own (Chinese) message. click's English sentence is translated only for the
    errors that carry no data (MESSAGES)."""
    if isinstance(error, click.exceptions.NoSuchCommand):
        return f"没有命令 `{error.command_name}`。"
    if isinstance(error, click.NoSuchOption):
        return f"没有选项 `{error.option_name}`。"
    if isinstance(error, click.MissingParameter) and error.param is not None:
        param = error.param
        what = "选项" if isinstance(param, click.Option) else "参数"
        extra = param.type.get_missing_message(param, error.ctx) if isinstance(param.type, LabelledChoice) else ""
        return f"缺少{what} `{_param_name(param)}`。" + extra
    if isinstance(error, click.BadParameter) and error.param is not None:
        return f"参数 `{_param_name(error.param)}` 的值不可用：{error.message}"
    return translate(error.format_message())


def _param_name(param: click.Parameter) -> str:
    """`--jobs` for an option (its long name), `类型` for an argument (its metavar, in Chinese)."""
    if isinstance(param, click.Option) and param.opts:
        return max(param.opts, key=len)
    return _metavars(param.metavar or (param.name or "").upper())


def invocation(subcommand: str = "") -> str:
    """How to run pilotguide in this shell: `pilotguide` when that is on PATH and is this very
    program, else `python -m pilotguide` (or the path the user typed, e.g. `.venv/bin/pilotguide`)."""
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("pilotguide")
    name = program.name.lower()
    if name == "__main__.py" or sys.argv[0] == "-m":
        base = f"{_python()} -m pilotguide"
    elif name.removesuffix(".exe") == "pilotguide":
        on_path = shutil.which("pilotguide")
        same = on_path and program.exists() and os.path.samefile(on_path, program)
        base = "pilotguide" if same or str(program) == "pilotguide" else str(sys.argv[0])
    else:
        base = "pilotguide"  # run from another program (tests, a script): the documented name
    return f"{base} {subcommand}".strip()


def _python() -> str:
    """`python` when that name runs this interpreter (an activated environment), else its path."""
    found = shutil.which("python")
    try:
        if found and os.path.samefile(found, sys.executable):
            return "python"
    except OSError:
        pass
    return f'"{sys.executable}"' if " " in sys.executable else sys.executable
