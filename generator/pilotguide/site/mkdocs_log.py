"""MkDocs' log, as a publisher reads it: each message once, in Chinese where we know it, located
where MkDocs gives a place (a docs/ file; mkdocs.yml problems are found earlier, with lines, by
site/project.py, so MkDocs' own unlocated versions of them are dropped).

Why patterns over English text here, when elsewhere we read structured data: MkDocs (and
ProperDocs) log these messages as finished f-strings (`log.warning(f"Doc file '{...}' contains a
link ...")` in structure/pages.py and nav.py), so the LogRecord carries no arguments and no
exception object: the text is all there is. Config errors are the exception: `pilotguide check`
and `build` check mkdocs.yml themselves first (site/project.py, with lines and columns), so these
patterns only meet what MkDocs finds beyond that. A wording change in the engine leaves a message
in English, never a wrong one; the patterns are MkDocs 1.6's and ProperDocs 1.6's (identical).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from ..content.documents import load_file
from ..errors import Problems

# (MkDocs 1.6 wording, Chinese). {0}, {1}... are the pattern's groups.
TRANSLATIONS = [
    (r"A reference to '(.+)' is included in the 'nav' configuration, which is not found in the documentation files\.?",
     "mkdocs.yml: 导航（nav）中的 `{0}` 找不到对应的页面：请改正路径或删除这一项。"),
    (r"Doc file '(.+?)' contains a link '(.+?)', but the target(?: '(.+?)')? "
     r"is not found among documentation files\.(.*)",
     "{docs}/{0}: 链接 `{1}` 指向的页面不存在：请改正链接，或补上这个页面。{3}"),
    (r"Doc file '(.+?)' contains a link '(.+?)', but the doc '(.+?)' does not contain an anchor '#?(.+?)'\.?",
     "{docs}/{0}: 链接 `{1}` 指向的页面 `{2}` 中没有小标题锚点 `#{3}`：请改正链接。"),
    (r"Doc file '(.+?)' contains an unrecognized relative link '(.+?)', it was left as is\.(.*)",
     "{docs}/{0}: 无法识别的相对链接 `{1}`，已原样保留：请改成指向 {docs}/ 中某个 .md 文件的相对路径。{2}"),
    (r"Doc file '(.+?)' contains an absolute link '(.+?)', it was left as is\.(.*)",
     "{docs}/{0}: 绝对路径链接 `{1}` 已原样保留：放到子路径下时它会失效，请改成相对路径。{2}"),
    (r"Excluding '(.+?)' from the site because it conflicts with '(.+?)'\.?",
     "{docs}/{0}: 与 `{1}` 生成同一个网页，已略过：请删除或改名其中一个。"),
    (r"Config value '(.+?)': (.*)", "mkdocs.yml: 配置项 `{0}` 有问题（MkDocs 的说明：{1}）"),
    (r"\[[\d:]+\] \"GET (\S+) HTTP/[\d.]+\" code 404", "预览中没有这个网址：{0}（浏览器看到的是“找不到这个页面”）。"),
    (r"An error happened during the rebuild\. The server will appear stuck until build errors are resolved\.",
     "预览没能重新生成（原因见上方）：改正后保存，页面会自动恢复。"),
    (r"Aborted with (\d+) configuration errors?!", "mkdocs.yml 中有 {0} 个配置错误，构建已停止。"),
    (r"Aborted with (\d+) warnings? in strict mode!", "使用了 --strict：有 {0} 个警告，构建已停止。"),
]
# Already reported by `pilotguide check` with a line and column, or said once in Chinese elsewhere.
DROPPED = (r"Config value '.+?': Unrecognised configuration name: .*", r"Aborted with a BuildError!",
           r"A 'dirty' build is being performed.*",
           r"\[[\d:]+\] \"\w+ \S+ HTTP/[\d.]+\" code 30\d")  # the preview's redirects (`/` to site_url's path)
# What a preview's visitor asked for that has no page: a note, not a warning (nothing is wrong with the guide).
NOTES = (r"\[[\d:]+\] \"\w+ \S+ HTTP/[\d.]+\" code 404",)
LEVELS = {logging.WARNING: "警告：", logging.ERROR: "错误：", logging.CRITICAL: "错误："}


def translate(message: str, docs: str = "docs") -> str | None:
    """MkDocs' message in Chinese; None for a message that must not be shown again."""
    text = message.strip()
    if any(re.fullmatch(pattern, text, re.S) for pattern in DROPPED):
        return None
    for pattern, words in TRANSLATIONS:
        match = re.fullmatch(pattern, text, re.S)
        if match:
            groups = [_did_you_mean(g or "") for g in match.groups()]
            return words.format(*groups, docs=docs)
    return text


def _did_you_mean(text: str) -> str:
    """MkDocs appends " Did you mean 'x'?" to link warnings: keep the suggestion, in Chinese."""
    match = re.fullmatch(r"\s*Did you mean '(.+)'\?\s*", text)
    return f"（是否指 `{match.group(1)}`？）" if match else text


class ChineseHandler(logging.Handler):
    """Shows each MkDocs message once per build, translated where known."""

    _pilotguide = True

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()
        self.docs = "docs"
        self.config_file: Path | None = None

    def start(self, docs: str = "docs", config_file: Path | None = None) -> None:
        """A new build: forget what the previous one said."""
        self.seen = set()
        self.docs, self.config_file = docs, config_file

    def locate(self, message: str, text: str) -> str:
        """`mkdocs.yml: ...` about a config name becomes `mkdocs.yml:LINE:COL: ...`."""
        match = re.match(r"Config value '([^'.]+)", message)
        if not match or self.config_file is None or not text.startswith("mkdocs.yml: "):
            return text
        doc = load_file(self.config_file, "mkdocs.yml", Problems(), foreign_tags=True)
        if doc is None or not isinstance(doc.data, dict) or match.group(1) not in doc.data:
            return text
        line, col = doc.where((match.group(1),), key=True)
        return f"mkdocs.yml:{line}:{col}: " + text.removeprefix("mkdocs.yml: ")

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        text = translate(message, self.docs)
        if text is None or text in self.seen:
            return
        self.seen.add(text)
        text = self.locate(message, text)
        level = "提示：" if any(re.fullmatch(p, message.strip()) for p in NOTES) else LEVELS.get(record.levelno, "")
        if text.startswith(("mkdocs.yml:", f"{self.docs}/")):  # located: `place: 警告：message`
            where, _, rest = text.partition(": ")
            text = f"{where}: {level}{rest}"
        else:
            text = level + text
        try:  # sys.stderr at the time of writing (click's test runner swaps it)
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - logging must never break a build
            self.handleError(record)


def setup(verbose: bool = False, docs: str = "docs", config_file: Path | None = None) -> ChineseHandler:
    """The one ChineseHandler on the engine's loggers (MkDocs' `mkdocs`, ProperDocs' `properdocs`;
    plugins log as `mkdocs.plugins.*` under either), reset for a new build."""
    from .engine import LOGGERS

    loggers = [logging.getLogger(name) for name in LOGGERS]
    handler = next((h for h in loggers[0].handlers if isinstance(h, ChineseHandler)), None)
    if handler is None:
        handler = ChineseHandler()
    for logger in loggers:
        for old in [h for h in logger.handlers if getattr(h, "_pilotguide", False) and h is not handler]:
            logger.removeHandler(old)
        if handler not in logger.handlers:
            logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    handler.start(docs, config_file)
    return handler
