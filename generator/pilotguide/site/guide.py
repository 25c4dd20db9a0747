"""One MkDocs build of a guide, as a recipe: load, render, make downloads, configure, add files.

The MkDocs plugin (plugin.py) only forwards events to a `GuideBuild`. Everything a build holds
lives on it (the content, the pages, the downloads, the search and glossary helpers); everything
kept between rebuilds of one `pilotguide serve` lives on a `PreviewSession` that the plugin owns
and passes in. No module keeps state.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..content.gather import VOCABULARIES_FILE, load_content
from ..content.guidefile import GUIDE_FILE
from ..content.layers import BASE_EDITION
from ..content.synonyms import SYNONYMS_FILE
from ..content.model import Content
from ..content.schemas import kinds
from ..courses.cache import DownloadCache
from ..courses.formats import Format
from ..courses.pack import BOOK_FULL_CASES, LazyDownloads
from ..errors import ContentError, PackError, Problem
from ..pages.paper import paper_lines, print_css
from ..pages.paths import SiteAddress
from ..pages.sanitize import clean_page, safe_title
from ..pages.templates import Templates
from . import engine, pagecache
from .search import pagefind as pagefind_search
from .build import site_address
from .extras import asset_files, configure_mkdocs
from .glossary_links import GlossaryTermsExtension
from .preview.session import PreviewSession, error_page
from .recipe import BuildInputs, DownloadProblems, GuideOptions, GuideOutput, check_clashes, formats_on, make_guide
from .search.offline import OfflineSearch

log = logging.getLogger("mkdocs.plugins.pilotguide")
DOWNLOADS_DIR = "downloads"  # made downloads, by key, inside the build cache folder


class ContentPluginError(PluginError):
    """A PluginError that keeps the located problems, for the CLI to print."""

    def __init__(self, error: ContentError, heading: str = "内容检查未通过："):
        self.problems = error.problems
        super().__init__(heading + "\n" + error.format())


class OneBuild:
    """How a plain build (`pilotguide build`, `mkdocs build`) does what a preview does its own way.

    GuideBuild asks its mode, never whether it is a preview: this class and the preview's
    PreviewSession (preview/session.py) answer the same questions."""

    records = memo = downloads = None  # nothing kept between builds (downloads: in the build cache)
    lazy_downloads = False  # every download made (or read from the build cache) before the pages
    backend = None  # the search backend, chosen from the number of pages (search/pagefind.py)
    build_cache = True  # pages reused from .pilotguide-cache/
    writes_index = True  # the search index is written into the site

    def __init__(self) -> None:
        self.search = OfflineSearch()

    def failed(self, error: ContentError | PackError, heading: str) -> list[Problem]:
        """Problems stop a build: raised for MkDocs to abort with (the CLI prints them)."""
        if isinstance(error, PackError):
            raise PluginError(str(error)) from None
        raise ContentPluginError(error, heading) from None

    def site(self, address: SiteAddress) -> SiteAddress:
        return address

    def templates(self, folder: Path) -> Templates:
        return Templates(folder)

    def staged(self, pages: dict[str, str]) -> None:
        """A build hands MkDocs its pages in memory."""

    def file(self, config, path: str, data: str | bytes, page: bool) -> File:
        return File.generated(config, path, content=data)

    def settle(self) -> None:
        """Nothing outlives a build."""

    def theme(self, config) -> None:
        """The theme as MkDocs makes it."""


class GuideBuild:
    """The generated part of one engine build: the recipe's output handed to MkDocs."""

    def __init__(self, root: Path, options, inputs: BuildInputs | None = None,
                 session: PreviewSession | None = None):
        self.root, self.options = root, options
        self.mode = session if session is not None else OneBuild()
        self.session = session  # the preview's, for the quick path (preview/quick.py); None in a build
        inputs = inputs or BuildInputs()
        # Under serve, problems become a page in the browser instead of a failed rebuild.
        self.problems: list[Problem] | None = None
        self.content = inputs.content if inputs.content is not None else self._load()
        self.formats: tuple[Format, ...] = formats_on(options)
        self.unmade: set[str] = set()  # downloads not made (switched off, no PDF engine) nor in docs/
        self.search = self.mode.search
        self.backend = self.mode.backend
        self.pages: dict[str, str] = {}
        self.downloads: dict[str, bytes] = {}
        self.terms: GlossaryTermsExtension | None = None
        self.site: SiteAddress | None = None  # from MkDocs' config, in prepare()
        self.copyright: str | None = None  # mkdocs.yml's copyright line, before the edition stamp
        self.pagecache: pagecache.PageCache | None = None  # this build's, opened once files are known
        self.cache_report: tuple[int, int] | None = None  # pages reused, pages built and stored
        self.download_report: tuple[int, int] | None = None  # downloads reused, downloads made
        self.lazy: LazyDownloads | None = None  # a preview's downloads, made when asked for

    def _load(self) -> Content:
        try:
            return load_content(self.root, cache=self.mode.records)  # a preview keeps its RecordCache
        except ContentError as error:
            self.problems = self.mode.failed(error, "内容检查未通过：")
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
        folder = self.root / self.options.templates_dir
        templates = self.mode.templates(folder)
        self.site = self.mode.site(site_address(config))
        options = GuideOptions(folder, self.formats, self.site,
                               self.options.get("book_full_cases", BOOK_FULL_CASES), docs=Path(config.docs_dir))
        # a build keeps made downloads in the build cache; a preview in memory, made when asked for
        cache = self.mode.downloads or DownloadCache(
            self.root / pagecache.CACHE_DIR / DOWNLOADS_DIR if self.options.get("build_cache", True) else None)
        try:
            output = make_guide(self.content, options, templates, memo=self.mode.memo,
                                downloads_cache=cache, lazy_downloads=self.mode.lazy_downloads)
            self.pages, self.downloads, self.lazy = output.pages, output.downloads, output.lazy
            self._pdf_notice(output, Path(config.docs_dir))
            if not self.mode.lazy_downloads:
                cache.close()  # the folder keeps this build's downloads only
                self.download_report = (len(cache.used) - len(cache.made), len(cache.made))
        except ContentError as error:
            heading = "下载文件生成失败：" if isinstance(error, DownloadProblems) else "页面生成失败："
            self.problems = self.mode.failed(error, heading)
            return False
        except PackError as error:
            self.problems = self.mode.failed(error, "")
            return False
        return True

    def _pdf_notice(self, output: GuideOutput, docs: Path) -> None:
        """The PDF engine's warning (PDFs from a browser, or none made), once per build, under the
        engine's own logger name (its strict mode counts only those: `--strict` fails on it); and
        the downloads this build did not make that docs/ does not hold either (unlink_unmade)."""
        if output.notice:
            logging.getLogger(f"{engine.engine_name()}.plugins.pilotguide").warning(output.notice)
        self.unmade = {path for path in output.unmade if not (docs / path).is_file()}

    def unlink_unmade(self, markdown: str, src_uri: str) -> str:
        """A hand-written page's links to downloads this build did not make, as plain text."""
        if not self.unmade or src_uri in self.pages:
            return markdown
        return unlink(markdown, src_uri, self.unmade)

    def served_download(self, path: str) -> bytes | None:
        """A preview's download, made now if what it is made from changed since it was last made."""
        if self.lazy is None:
            return None
        try:
            return self.lazy.get(path)
        except (PackError, ContentError) as error:
            log.error("无法生成 %s：%s", path, error.format() if isinstance(error, ContentError) else error)
            return None

    def _pause(self, config) -> None:
        """A preview with errors: say them in the terminal; every page will show them (post_page)
        until the next good save, instead of a failed rebuild that leaves the browser waiting."""
        for problem in ContentError(self.problems).format().splitlines():
            log.error(problem)
        self.pages, self.downloads = {}, {}
        self.terms = configure_mkdocs(config, self)

    def add_files(self, files: Files, config) -> Files:
        """Pages, then course downloads and their print CSS, then the packaged assets."""
        if self.problems:
            return files
        try:
            check_clashes(Path(config.docs_dir), GuideOutput(self.pages, self.downloads))
        except ContentError as error:
            raise ContentPluginError(error, "生成的页面与手写文件冲突：") from None
        self.mode.staged(self.pages)
        for path, data in {**self.pages, **self.downloads}.items():
            files.append(self.mode.file(config, path, data, path in self.pages))
        for asset in asset_files(config):
            files.append(asset)
        self._open_cache(files, config)
        return files

    def _open_cache(self, files: Files, config) -> None:
        """The build cache, for `pilotguide build` (a preview's dirty builds skip pages already)."""
        if not self.mode.build_cache or not self.options.get("build_cache", True) or not pagecache.usable(config):
            return
        stamp = config.copyright if self.content.edition is not None else None
        docs = sorted(f.src_uri for f in files.documentation_pages())
        glossary = sorted(repr(t) for t in self.terms.by_text.values()) if self.terms is not None else []
        nav = [pagecache.title_part(self.pages.get(p) or _read(Path(config.docs_dir) / p))
               for p in pagecache.nav_pages(config.nav)]
        fingerprint = pagecache.fingerprint(config, docs, glossary, nav, stamp)
        self.pagecache = pagecache.PageCache(self.root, fingerprint, stamp)
        self.search.cuts.store = self.root / pagecache.CACHE_DIR / pagecache.CUTS_NAME  # jieba's cuts too
        index = engine.material_index(config)
        if index is not None:  # Material's search: reused pages bring their entries
            self.pagecache.index_with(index)

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

    def start_page(self, src_uri: str) -> None:
        """The page about to be converted: glossary links are made relative to it."""
        if self.terms is not None:
            self.terms.page = src_uri

    def clean(self, html: str, page) -> str:
        """Sanitise the HTML of generated pages (their text comes from content files).

        Hand-written pages in docs/ are the publisher's own and pass untouched."""
        self.search.note_page(page.url, page.meta)
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
        self.mode.settle()
        if self.pagecache is not None:
            self.cache_report = (self.pagecache.reused, self.pagecache.built)
            self.pagecache.close()
            self.pagecache = None
        if self.problems:
            return
        # A preview serves its search index from memory (search.PreviewIndex), made when asked for.
        self.search.on_post_build(Path(site_dir), index=self.mode.writes_index)
        if self.backend == "pagefind":
            pagefind_search.index_site(site_dir)

    def watched(self) -> list[Path]:
        """What `serve` watches beside docs/ and mkdocs.yml: content folders, vocabularies, synonyms, templates,
        guide.yaml (the settings-made home page)."""
        paths = [self.root / kind.folder for kind in kinds().values()]
        paths += [self.root / VOCABULARIES_FILE, self.root / SYNONYMS_FILE, self.root / self.options.templates_dir]
        paths += [self.root / GUIDE_FILE, self.root / BASE_EDITION]
        # a base guide's folders too (a save there changes this guide: content/layers.py); an
        # unpacked .zip base is gone once loaded, so it is not watched
        base = self.content.base if self.content is not None else None
        while base is not None:
            paths += [base.root / kind.folder for kind in kinds().values()]
            paths += [base.root / name for name in (GUIDE_FILE, VOCABULARIES_FILE, SYNONYMS_FILE)]
            base = base.content.base
        return [p for p in paths if p.exists()]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


MARKDOWN_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
UNMADE_NOTE = "（本版未生成）"


def unlink(markdown: str, src_uri: str, missing: set[str]) -> str:
    """Inline Markdown links of the page `src_uri` whose target is in `missing` (site paths),
    replaced by their text and a note."""
    folder = posixpath.dirname(src_uri)

    def replace_link(match: re.Match) -> str:
        target = match.group(2).partition("#")[0].partition("?")[0]
        if "://" in target or target.startswith(("/", "mailto:")):
            return match.group(0)
        path = posixpath.normpath(posixpath.join(folder, target))
        return match.group(1) + UNMADE_NOTE if path in missing else match.group(0)

    return MARKDOWN_LINK.sub(replace_link, markdown)
