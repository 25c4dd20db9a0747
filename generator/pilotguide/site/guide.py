"""One MkDocs build of a guide, as a recipe: load, render, make downloads, configure, add files.

The MkDocs plugin (plugin.py) only forwards events to a `GuideBuild`. Everything a build holds
lives on it (the content, the pages, the downloads, the search and glossary helpers); everything
kept between rebuilds of one `pilotguide serve` lives on a `PreviewSession` that the plugin owns
and passes in. No module keeps state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..content.cache import RecordCache
from ..content.gather import VOCABULARIES_FILE, load_content
from ..content.synonyms import SYNONYMS_FILE
from ..content.model import Content
from ..content.schemas import kinds
from ..courses.formats import Format, selected, switches
from ..courses.pack import DownloadCache, course_files
from ..errors import ContentError, PackError, Problem
from ..pages.memo import PageMemo
from ..pages.paths import SiteAddress
from ..pages.render import render_pages
from ..pages.sanitize import clean_page, safe_title
from ..pages.templates import Templates
from . import pagefind_search
from .build import clash_problems, site_address
from .extras import asset_files, configure_mkdocs
from .glossary_links import GlossaryTermsExtension
from .preview import MemoryBytecodeCache, PageStage, error_page
from .search import OfflineSearch

log = logging.getLogger("mkdocs.plugins.pilotguide")


class ContentPluginError(PluginError):
    """A PluginError that keeps the located problems, for the CLI to print."""

    def __init__(self, error: ContentError, heading: str = "内容检查未通过："):
        self.problems = error.problems
        super().__init__(heading + "\n" + error.format())


@dataclass
class PreviewSession:
    """What `pilotguide serve` keeps between rebuilds; owned by the plugin instance."""

    records: RecordCache = field(default_factory=RecordCache)
    stage: PageStage = field(default_factory=PageStage)
    memo: PageMemo = field(default_factory=PageMemo)
    bytecode: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    downloads: DownloadCache = field(default_factory=DownloadCache)
    search: OfflineSearch = field(default_factory=OfflineSearch)
    templates: Templates | None = None

    def close(self) -> None:
        self.stage.close()


class GuideBuild:
    """The generated part of one MkDocs build."""

    def __init__(self, root: Path, options, content: Content | None = None,
                 session: PreviewSession | None = None):
        self.root, self.options, self.session = root, options, session
        # Under serve, problems become a page in the browser instead of a failed rebuild.
        self.problems: list[Problem] | None = None
        self.content = content if content is not None else self._load()
        self.formats: tuple[Format, ...] = selected(name for name in switches() if options.get(name))
        self.search = session.search if session is not None else OfflineSearch()
        # A preview keeps Material's search: no Pagefind indexing on every save.
        self.backend = "material" if session is not None else None
        self.pages: dict[str, str] = {}
        self.downloads: dict[str, bytes] = {}
        self.terms: GlossaryTermsExtension | None = None
        self.site: SiteAddress | None = None  # from MkDocs' config, in prepare()

    def _load(self) -> Content:
        try:
            return load_content(self.root, cache=self.session.records if self.session else None)
        except ContentError as error:
            if self.session is None:
                raise ContentPluginError(error) from None
            self.problems = error.problems
            return None

    def prepare(self, config) -> None:
        """Render every page and download, then make every change the guide needs to `config`."""
        if self.problems:
            return self._pause(config)
        templates = self._templates()
        # `mkdocs serve` replaces site_url with the preview's own address: paper made from a
        # preview would lead to 127.0.0.1, so a preview makes no QR codes.
        self.site = site_address(config) if self.session is None else replace(site_address(config), url=None)
        try:
            self.pages = render_pages(self.content, templates, downloads=self.formats,
                                      memo=self.session.memo if self.session else None, site=self.site)
        except ContentError as error:
            if self.session is None:
                raise ContentPluginError(error, "页面生成失败：") from None
            self.problems = error.problems
            return self._pause(config)
        try:
            self.downloads = course_files(self.content, self.pages, self.formats,
                                          cache=self.session.downloads if self.session else None,
                                          templates=templates, site=self.site)
        except PackError as error:
            if self.session is None:
                raise PluginError(str(error)) from None
            self.problems = [Problem("mkdocs.yml", 0, 0, str(error))]
            return self._pause(config)
        except ContentError as error:
            if self.session is None:
                raise ContentPluginError(error, "下载文件生成失败：") from None
            self.problems = error.problems
            return self._pause(config)
        if self.backend is None:
            self.backend = pagefind_search.choose(self.options.search_backend, len(self.pages),
                                                  self.options.pagefind_threshold)
        self.terms = configure_mkdocs(config, self)

    def _pause(self, config) -> None:
        """A preview with errors: say them in the terminal; every page will show them (post_page)
        until the next good save, instead of a failed rebuild that leaves the browser waiting."""
        for problem in ContentError(self.problems).format().splitlines():
            log.error(problem)
        self.pages, self.downloads = {}, {}
        self.terms = configure_mkdocs(config, self)

    def _templates(self) -> Templates:
        folder = self.root / self.options.templates_dir
        if self.session is None:
            return Templates(folder)
        current = self.session.templates
        self.session.templates = current.reuse(folder) if current is not None else Templates(folder)
        return self.session.templates

    def add_files(self, files: Files, config) -> Files:
        """Pages, then course downloads and their print CSS, then the packaged assets."""
        if self.problems:
            return files
        problems = clash_problems(Path(config.docs_dir), [*self.pages, *self.downloads])
        if problems:
            raise ContentPluginError(ContentError(problems), "生成的页面与手写文件冲突：")
        if self.session is not None:
            self.session.stage.update(self.pages)
        for path, data in {**self.pages, **self.downloads}.items():
            files.append(self._file(config, path, data))
        for asset in asset_files(config):
            files.append(asset)
        return files

    def _file(self, config, path: str, data: str | bytes) -> File:
        if self.session is None or path not in self.pages:
            return File.generated(config, path, content=data)
        # On disk, rewritten only when changed: dirty rebuilds then skip the pages an edit left alone.
        return File.generated(config, path, abs_src_path=self.session.stage.path(path))

    def start_page(self, src_uri: str) -> None:
        """The page about to be converted: glossary links are made relative to it."""
        if self.terms is not None:
            self.terms.page = src_uri

    def clean(self, html: str, page) -> str:
        """Sanitise the HTML of generated pages (their text comes from content files).

        Hand-written pages in docs/ are the publisher's own and pass untouched."""
        if page.file.src_uri not in self.pages:
            return html
        page.title = safe_title(page.title)  # taken from the first heading, which holds content text
        return clean_page(html)

    def post_page(self, output: str, url: str | None) -> str:
        if self.problems:
            return error_page(self.problems)
        output = self.search.on_post_page(output)
        if url is not None and self.backend == "pagefind":
            return pagefind_search.mark_page(output, url)
        return output

    def post_build(self, site_dir: str) -> None:
        if self.problems:
            return
        self.search.on_post_build(Path(site_dir))
        if self.backend == "pagefind":
            pagefind_search.index_site(site_dir)

    def watched(self) -> list[Path]:
        """What `serve` watches beside docs/ and mkdocs.yml: content folders, vocabularies, synonyms, templates."""
        paths = [self.root / kind.folder for kind in kinds().values()]
        paths += [self.root / VOCABULARIES_FILE, self.root / SYNONYMS_FILE, self.root / self.options.templates_dir]
        return [p for p in paths if p.exists()]
