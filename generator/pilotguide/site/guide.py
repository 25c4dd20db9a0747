"""One MkDocs build of a guide, as a recipe: load, render, make downloads, configure, add files.

The MkDocs plugin (plugin.py) only forwards events to a `GuideBuild`. Everything a build holds
lives on it (the content, the pages, the downloads, the search and glossary helpers); everything
kept between rebuilds of one `pilotguide serve` lives on a `PreviewSession` that the plugin owns
and passes in. No module keeps state.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..content.gather import VOCABULARIES_FILE, load_content
from ..content.synonyms import SYNONYMS_FILE
from ..content.model import Content
from ..content.schemas import kinds
from ..courses.formats import Format, selected, switches
from ..courses.pack import course_files
from ..errors import ContentError, PackError, Problem
from ..pages.paper import paper_lines, print_css
from ..pages.paths import SiteAddress
from ..pages.render import render_pages
from ..pages.sanitize import clean_page, safe_title
from ..pages.templates import Templates
from . import pagecache
from .search import pagefind as pagefind_search
from .build import clash_problems, site_address
from .extras import asset_files, configure_mkdocs
from .glossary_links import GlossaryTermsExtension
from .preview.session import PreviewSession, error_page
from .search.offline import OfflineSearch

log = logging.getLogger("mkdocs.plugins.pilotguide")


class ContentPluginError(PluginError):
    """A PluginError that keeps the located problems, for the CLI to print."""

    def __init__(self, error: ContentError, heading: str = "内容检查未通过："):
        self.problems = error.problems
        super().__init__(heading + "\n" + error.format())


class GuideBuild:
    """The generated part of one MkDocs build."""

    def __init__(self, root: Path, options, content: Content | None = None,
                 session: PreviewSession | None = None):
        self.root, self.options, self.session = root, options, session
        # Under serve, problems become a page in the browser instead of a failed rebuild.
        self.problems: list[Problem] | None = None
        # a preview renders few pages per save; forking for them would cost more than it saves
        self.jobs = 1 if session is not None else max(1, options.get("jobs") or 1)
        self.content = content if content is not None else self._load()
        self.formats: tuple[Format, ...] = selected(name for name in switches() if options.get(name))
        self.search = session.search if session is not None else OfflineSearch()
        # A preview keeps Material's search: no Pagefind indexing on every save.
        self.backend = "material" if session is not None else None
        self.pages: dict[str, str] = {}
        self.downloads: dict[str, bytes] = {}
        self.terms: GlossaryTermsExtension | None = None
        self.site: SiteAddress | None = None  # from MkDocs' config, in prepare()
        self.copyright: str | None = None  # mkdocs.yml's copyright line, before the edition stamp
        self.pagecache: pagecache.PageCache | None = None  # this build's, opened once files are known
        self.cache_report: tuple[int, int] | None = None  # pages reused, pages built and stored

    def _load(self) -> Content:
        try:
            # a preview keeps its RecordCache and loads in this process; a build loads in self.jobs
            return load_content(self.root, cache=self.session.records if self.session else None, jobs=self.jobs)
        except ContentError as error:
            if self.session is None:
                raise ContentPluginError(error) from None
            self.problems = error.problems
            return None

    def prepare(self, config) -> None:
        """Render every page and download, then make every change the guide needs to `config`."""
        if self.problems or not self.render(config):
            return self._pause(config)
        if self.backend is None:
            self.backend = pagefind_search.choose(self.options.search_backend, len(self.pages),
                                                  self.options.pagefind_threshold)
        self.terms = configure_mkdocs(config, self)

    def render(self, config) -> bool:
        """Every page and download; False when a preview met problems (kept in self.problems)."""
        templates = self._templates()
        # `mkdocs serve` replaces site_url with the preview's own address: paper made from a
        # preview would lead to 127.0.0.1, so a preview makes no QR codes.
        self.site = site_address(config) if self.session is None else replace(site_address(config), url=None)
        try:
            self.pages = render_pages(self.content, templates, downloads=self.formats,
                                      memo=self.session.memo if self.session else None, jobs=self.jobs,
                                      site=self.site)
        except ContentError as error:
            if self.session is None:
                raise ContentPluginError(error, "页面生成失败：") from None
            self.problems = error.problems
            return False
        try:
            self.downloads = course_files(self.content, self.pages, self.formats,
                                          cache=self.session.downloads if self.session else None,
                                          templates=templates, site=self.site, jobs=self.jobs)
        except PackError as error:
            if self.session is None:
                raise PluginError(str(error)) from None
            self.problems = [Problem("mkdocs.yml", 0, 0, str(error))]
            return False
        except ContentError as error:
            if self.session is None:
                raise ContentPluginError(error, "下载文件生成失败：") from None
            self.problems = error.problems
            return False
        return True

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
        self._open_cache(files, config)
        return files

    def _open_cache(self, files: Files, config) -> None:
        """The build cache, for `pilotguide build` (a preview's dirty builds skip pages already)."""
        if self.session is not None or not self.options.get("build_cache", True) or not pagecache.usable(config):
            return
        stamp = config.copyright if self.content.edition is not None else None
        docs = sorted(f.src_uri for f in files.documentation_pages())
        glossary = sorted(repr(t) for t in self.terms.by_text.values()) if self.terms is not None else []
        nav = [pagecache.title_part(self.pages.get(p) or _read(Path(config.docs_dir) / p))
               for p in pagecache.nav_pages(config.nav)]
        fingerprint = pagecache.fingerprint(config, docs, glossary, nav, stamp)
        self.pagecache = pagecache.PageCache(self.root, fingerprint, stamp)
        self.search.cuts.store = self.root / pagecache.CACHE_DIR / pagecache.CUTS_NAME  # jieba's cuts too
        for plugin in config.plugins.values():
            if hasattr(plugin, "search_index"):  # Material's search: reused pages bring their entries
                self.pagecache.index_with(plugin.search_index)

    def reuse(self, markdown: str, page) -> None:
        """A page the build cache holds skips Markdown, search indexing and the theme template."""
        if self.pagecache is not None and (entry := self.pagecache.lookup(page.file.src_uri, markdown)) is not None:
            self.pagecache.replay(page, entry)

    def theme_env(self, env):
        if self.pagecache is not None:  # the template that prints a reused page as it was
            printed = jinja2.DictLoader({pagecache.TEMPLATE: "{{ page.pilotguide_output }}"})
            env.loader = jinja2.ChoiceLoader([printed, env.loader])
        return env

    def keep(self, page, output: str) -> None:
        if self.pagecache is not None:
            self.pagecache.store(page, output)

    def abandon(self) -> None:
        if self.pagecache is not None:
            self.pagecache.abandon()
            self.pagecache = None

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
        if self.pagecache is not None:
            self.pagecache.converted(page.file.src_uri)
        if page.file.src_uri not in self.pages or (self.pagecache and page.file.src_uri in self.pagecache.hits):
            return html  # not generated, or reused from the build cache (cleaned when it was made)
        page.title = safe_title(page.title)  # taken from the first heading, which holds content text
        return clean_page(html)

    def post_page(self, output: str, url: str | None) -> str:
        if self.problems:
            return error_page(self.problems)
        output = self.search.on_post_page(output)
        output = self.paper_stamp(output, url)
        if url is not None and self.backend == "pagefind":
            return pagefind_search.mark_page(output, url)
        return output

    def paper_stamp(self, output: str, url: str | None) -> str:
        """Every printed sheet of a page says which guide and edition it is, and where the page
        lives when `site_url` is set (pages/paper.py; not 404.html, whose address is any)."""
        from .engine import add_head_style

        edition = self.content.edition if self.content is not None else None
        site = self.site or SiteAddress()
        address = site.file(url) if url is not None else None
        return add_head_style(output, print_css(paper_lines(site, edition, address)))

    def post_build(self, site_dir: str) -> None:
        if self.session is not None:
            self.session.settle()
        if self.pagecache is not None:
            self.cache_report = (self.pagecache.reused, self.pagecache.built)
            self.pagecache.close()
            self.pagecache = None
        if self.problems:
            return
        # A preview serves its search index from memory (search.PreviewIndex), made when asked for.
        self.search.on_post_build(Path(site_dir), index=self.session is None)
        if self.backend == "pagefind":
            pagefind_search.index_site(site_dir)

    def watched(self) -> list[Path]:
        """What `serve` watches beside docs/ and mkdocs.yml: content folders, vocabularies, synonyms, templates."""
        paths = [self.root / kind.folder for kind in kinds().values()]
        paths += [self.root / VOCABULARIES_FILE, self.root / SYNONYMS_FILE, self.root / self.options.templates_dir]
        return [p for p in paths if p.exists()]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
