"""What `pilotguide serve` keeps between rebuilds on the MkDocs side.

- `PageStage`: generated pages written to a private folder, and rewritten only when their
  Markdown changed. MkDocs' dirty builds re-render a page only when its source is newer than its
  output, so an edit re-renders exactly the pages whose text it changed.
- `MemoryBytecodeCache`: Material's compiled templates, kept in memory across rebuilds.
- `PreviewSession`: everything kept between rebuilds (these two, the record, page and download
  caches, the search index served from memory, the last build for the quick path).

The session is owned by the MkDocs plugin instance, which lives for the whole serve session.
"""

from __future__ import annotations

import gc
import html
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from ...content.cache import RecordCache
from ...courses.cache import DownloadCache
from ...errors import ContentError, Problem
from ...pages.memo import PageMemo
from ...pages.paths import SiteAddress
from ...pages.templates import Templates
from ..search.offline import OfflineSearch
from . import tempdirs
from .index import PreviewIndex
from .quick import LastBuild


class PageStage:
    """Generated pages on disk, rewritten only when their text changes (mtimes drive dirty builds)."""

    def __init__(self) -> None:
        self.root = tempdirs.make("pages")  # marked with our process id (tempdirs.py)
        self._written: dict[str, str] = {}
        self.changed: list[str] = []

    def update(self, pages: dict[str, str]) -> None:
        self.changed = []
        for path, markdown in pages.items():
            if self._written.get(path) == markdown:
                continue
            target = self.root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".part")
            partial.write_text(markdown, encoding="utf-8")
            os.replace(partial, target)  # never a half-written page for MkDocs to read
            self._written[path] = markdown
            self.changed.append(path)
        for gone in set(self._written) - set(pages):
            (self.root / gone).unlink(missing_ok=True)
            del self._written[gone]

    def path(self, page: str) -> str:
        return str(self.root / page)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory between rebuilds (checked against their source).

    MkDocs builds a new theme environment on every rebuild, and compiling Material's templates
    again costs about half a second of each save."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        # The theme's template names, per loader search path: MkDocs lists Material's thousands
        # of files on every rebuild to find its static templates; they do not change while serving.
        self.listings: dict[tuple, list[str]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


ERROR_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="2">
<title>内容有错误，预览暂停</title>
<style>body{{font-family:sans-serif;margin:1.5rem;line-height:1.6;color:#1a1a1a}}
h1{{color:#b00020;font-size:1.4rem}}li{{margin:.4rem 0;overflow-wrap:anywhere}}code{{background:#f3f3f3}}</style>
</head><body><main>
<h1>内容有错误，预览暂停</h1>
<p>下面的问题改好并保存后，本页会自动刷新，显示最新的页面（终端里也列出了同样的问题）。</p>
<ol>
{items}
</ol>
</main></body></html>
"""


def error_page(problems) -> str:
    """What the browser shows while the content has errors: every located problem, in Chinese.

    It reloads itself every two seconds, so it gives way to the guide as soon as the fix is saved
    (MkDocs' live-reload script is not added to its 404 page)."""
    items = "\n".join(f"<li><code>{html.escape(_where(p))}</code> {html.escape(p.message)}</li>" for p in problems)
    return ERROR_PAGE.format(items=items)


def _where(problem) -> str:
    return problem.path if problem.line <= 0 else f"{problem.path}:{problem.line}:{problem.col}"


@dataclass
class PreviewSession:
    """What `pilotguide serve` keeps between rebuilds; owned by the plugin instance."""

    lazy_downloads = True  # downloads made when a browser asks for them, never while saving (not a field)

    records: RecordCache = field(default_factory=RecordCache)
    stage: PageStage = field(default_factory=PageStage)
    memo: PageMemo = field(default_factory=PageMemo)
    bytecode: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    downloads: DownloadCache = field(default_factory=DownloadCache)
    search: OfflineSearch = field(default_factory=OfflineSearch)
    templates_kept: Templates | None = None
    frozen: bool = False  # long-lived objects moved out of the garbage collector's way
    index: PreviewIndex = field(init=False)  # the search index, served from memory (index.py)
    last: LastBuild | None = None  # what the last full build made, for the quick path (quick.py)

    # How a preview does what a build does (GuideBuild asks; site/guide.py OneBuild is the build's).
    backend = "material"  # Material's search: no Pagefind indexing on every save
    build_cache = False  # dirty rebuilds skip the pages a save left alone already
    writes_index = False  # the search index is served from memory (index.py), made when asked for

    def __post_init__(self) -> None:
        self.index = PreviewIndex(self.search)

    def failed(self, error, heading: str) -> list[Problem]:
        """Problems do not stop a preview: every page shows them until the next good save."""
        if isinstance(error, ContentError):
            return list(error.problems)
        return [Problem("mkdocs.yml", 0, 0, str(error))]

    def site(self, address: SiteAddress) -> SiteAddress:
        """`serve` replaces site_url with the preview's own address: paper made from a preview would
        lead to 127.0.0.1, so a preview makes no QR codes."""
        return replace(address, url=None)

    def templates(self, folder: Path) -> Templates:
        self.templates_kept = self.templates_kept.reuse(folder) if self.templates_kept else Templates(folder)
        return self.templates_kept

    def theme(self, config) -> None:
        """Material's compiled templates kept between saves (engine.share_bytecode)."""
        from ..engine import share_bytecode

        share_bytecode(config.theme, self.bytecode)

    def staged(self, pages: dict[str, str]) -> None:
        self.stage.update(pages)

    def file(self, config, path: str, data: str | bytes, page: bool):
        """Pages on disk, rewritten only when changed: dirty rebuilds then skip the pages an edit left alone."""
        from mkdocs.structure.files import File

        if not page:
            return File.generated(config, path, content=data)
        return File.generated(config, path, abs_src_path=self.stage.path(path))

    def settle(self) -> None:
        """After the first build: the loaded guide, the theme and jieba's dictionary live as long as
        the preview; out of the collector's sight, later saves do not pay to scan them again."""
        if not self.frozen:
            gc.collect()
            gc.freeze()
            self.frozen = True

    def close(self) -> None:
        self.stage.close()
