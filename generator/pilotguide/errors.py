"""Problems found in content, each with a location, and the error that carries them.

The library raises `ContentError`; the CLI and the MkDocs plugin turn it into readable output.
No traceback reaches a user for bad content.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as `path:line:col`."""

    path: str
    line: int
    col: int
    message: str
    warning: bool = False
    place: str = ""  # how to show the location when it is not `path:line:col` (a spreadsheet cell)

    def __str__(self) -> str:
        where = self.place or self.path
        if not self.place and self.line > 0:
            where += f":{self.line}" + (f":{self.col}" if self.col > 0 else "")
        prefix = "警告：" if self.warning else ""
        return f"{where}: {prefix}{self.message}"


class ContentError(Exception):
    """Raised when content has problems; carries every problem found, sorted by place."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.format())

    def format(self) -> str:
        lines = [str(p) for p in self.problems]
        errors = sum(1 for p in self.problems if not p.warning)
        lines.append(f"共发现 {errors} 个错误。")
        return "\n".join(lines)


class Problems:
    """Collects problems during a run, so all of them are reported together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str, line: int, col: int, message: str, warning: bool = False, place: str = "") -> None:
        self.items.append(Problem(path, line, col, message, warning, place))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if not p.warning]

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentError(self.items)


class PackError(Exception):
    """A course download (PDF, DOCX) cannot be made on this machine; the message says what to install."""


class SetupError(Exception):
    """The project or a command's arguments are not usable as given (an output folder that is not
    ours, a missing configuration file). The message is Chinese and says what to do."""
