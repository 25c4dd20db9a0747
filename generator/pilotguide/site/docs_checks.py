"""The hand-written pages in docs/, checked with the content (located, in Chinese) before MkDocs
reads them: the folder itself, their encoding, and what a guide copied from another one keeps
(a home page titled with the other guide's name, links to records that no longer exist).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from ..content.documents import decode
from ..content.guidefile import GUIDE_FILE
from ..content.validate import suggest
from ..errors import Problems
from ..pages.home import HOME_PAGE
from ..pages.paths import PAGES

DEFAULT_DOCS = "docs"
LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def docs_folder(project) -> Path:
    return project.root / str(project.data.get("docs_dir", DEFAULT_DOCS))


def missing_docs(project) -> bool:
    """docs/ (the default) is missing: build and serve make it, empty (a guide needs no hand-written page)."""
    return _default_docs(project) and not docs_folder(project).exists()


def _default_docs(project) -> bool:
    return str(project.data.get("docs_dir", DEFAULT_DOCS)).strip("/") == DEFAULT_DOCS


def check_docs(project, content, known: set[str], problems: Problems) -> None:
    """docs/ and its Markdown pages. `known`: the generated pages known without rendering."""
    docs = docs_folder(project)
    if not docs.is_dir():
        if not _default_docs(project):
            line, col = project.doc.where(("docs_dir",))
            others = [p.name for p in project.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
            problems.add(project.config.name, line, col, f"docs_dir 指向的文件夹 `{docs.name}` 不存在"
                         f"{suggest(docs.name, others, 0.6)}：请改正文件夹名，或新建这个文件夹（可以是空的）。")
        return
    texts = {}
    for path in sorted(docs.rglob("*.md")):
        page = path.relative_to(docs).as_posix()
        try:
            raw = path.read_bytes()
        except OSError as error:
            problems.add(f"{docs.name}/{page}", 0, 0,
                         f"无法读取这个文件（{error.strerror or error}）：请检查文件权限。")
            continue
        text = decode(raw, f"{docs.name}/{page}", problems)
        if text is not None:
            texts[page] = text
    written = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    for page, text in texts.items():
        _stale_links(f"{docs.name}/{page}", page, text, known | written, problems)
    _other_guides_home(project, content, docs, texts.get(HOME_PAGE), problems)


def _stale_links(shown: str, page: str, text: str, existing: set[str], problems: Problems) -> None:
    """Links from a hand-written page to record pages that do not exist (records deleted, or a
    page copied from another guide): located warnings."""
    record_folders = tuple(pattern.partition("{")[0] for _, pattern in PAGES.values() if "#" not in pattern)
    for match in LINK.finditer(text):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), match.group(1)))
        if target.startswith(record_folders) and target not in existing:
            line = text.count("\n", 0, match.start(1)) + 1
            col = match.start(1) - (text.rfind("\n", 0, match.start(1)) + 1) + 1
            problems.add(shown, line, col, f"链接 `{match.group(1)}` 指向的记录页面不存在（记录已删除或改了 id，"
                         "或者这一页是从别的指南复制来的）：请改正或删除这个链接。", warning=True)


def _other_guides_home(project, content, docs: Path, home: str | None, problems: Problems) -> None:
    """A guide copied from another one keeps its home page and site_name: say so when they do not
    carry the name in guide.yaml."""
    settings = getattr(content, "settings", None)
    if settings is None:
        return
    site_name = project.data.get("site_name")
    if isinstance(site_name, str) and site_name.strip() != settings.name:
        line, col = project.doc.where(("site_name",))
        problems.add(project.config.name, line, col, f"site_name `{site_name}` 与 {GUIDE_FILE} 的名称"
                     f"“{settings.name}”不同：页眉显示 site_name，首页显示 {GUIDE_FILE} 的名称。请改成一样。",
                     warning=True)
    heading = HEADING.search(home) if home is not None else None
    if heading is not None and settings.name not in heading.group(1):
        line = home.count("\n", 0, heading.start()) + 1
        problems.add(f"{docs.name}/{HOME_PAGE}", line, 1, f"首页标题“{heading.group(1)}”里没有本指南的名称"
                     f"“{settings.name}”（{GUIDE_FILE}）：这可能是从别的指南复制来的首页，其中的话说的是那份指南。"
                     f"请改写它；或者删除 {docs.name}/{HOME_PAGE}，改用按 {GUIDE_FILE} 生成的首页。", warning=True)
