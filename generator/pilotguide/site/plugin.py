"""MkDocs plugin: inject the generated pages at build time; watch content under `mkdocs serve`.

Only adapts MkDocs events; the logic lives in project (load) and render (pages).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

import jinja2

from . import pagecache, pagefind_search
from ..courses.pack import SITE_CSS, course_files
from ..errors import ContentError, PackError
from ..content.cache import RecordCache
from ..pages.memo import PageMemo
from .preview import MemoryBytecodeCache, PageStage, share_bytecode
from ..content.gather import VOCABULARIES_FILE, load_content
from ..pages.render import TEMPLATES_DIR, render_pages
from ..pages.sanitize import clean_page, safe_title
from ..content.schemas import kinds
from .search import OfflineSearch
from .extras import asset_files, configure

# Markdown features the generated pages use; added when mkdocs.yml does not list them.
REQUIRED_EXTENSIONS = ["tables", "attr_list", "admonition", "pymdownx.tasklist"]
DEFAULT_NAV = [{"首页": "index.md"}, {"政策": "policies/index.md"}, {"培育步骤": "steps/index.md"},
               {"试点案例": "case-studies/index.md"}, {"找案例": "topics/index.md"}, {"统计": "statistics.md"},
               {"培训课程": "courses/index.md"}, {"术语表": "glossary.md"}, {"更新记录": "changes.md"}]


_preloaded: dict[Path, object] = {}


@contextmanager
def preloaded(root: Path, content) -> Iterator[None]:
    """Hand content the CLI has already checked to the plugin, so a build loads it only once."""
    _preloaded[root.resolve()] = content
    try:
        yield
    finally:
        _preloaded.pop(root.resolve(), None)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


class PilotguideConfig(Config):
    # Content folders (policies/, steps/ ...) sit beside mkdocs.yml: the project root.
    templates_dir = c.Type(str, default=TEMPLATES_DIR)  # template overrides, relative to the root
    # Course handouts as downloads. PDF needs WeasyPrint's Pango and a free Chinese font; `pdf: false`
    # builds a site without them (course pages then offer only what is made).
    pdf = c.Type(bool, default=True)
    docx = c.Type(bool, default=True)
    # Search: Material's one-file index (default: small guides, works from file://) or Pagefind's
    # chunked index for big guides (needs a web server); `auto` picks Pagefind from the threshold.
    search_backend = c.Choice(("material", "pagefind", "auto"), default="material")
    pagefind_threshold = c.Type(int, default=2000)  # generated pages; used by `auto`
    # Repeated builds reuse unchanged pages from .pilotguide-cache/ (site/pagecache.py).
    build_cache = c.Type(bool, default=True)
    # Processes for rendering record pages and making course documents (`pilotguide build --jobs`).
    jobs = c.Type(int, default=1)


class ContentPluginError(PluginError):
    """A PluginError that keeps the located problems, for the CLI to print."""

    def __init__(self, error: ContentError):
        self.problems = error.problems
        super().__init__("内容检查未通过：\n" + error.format())


class PilotguidePlugin(BasePlugin[PilotguideConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.downloads: dict[str, bytes] = {}
        self.terms = None
        self.root = Path(".")
        self.search = OfflineSearch()
        self.backend = "material"  # or "pagefind" (pagefind_search.py)
        # Under `mkdocs serve` the plugin lives across rebuilds (it has on_startup): these keep
        # what an edit did not touch (content/cache.py, pages/memo.py, site/preview.py).
        self.cache: RecordCache | None = None
        self.stage: PageStage | None = None
        self.memo: PageMemo | None = None
        self.pagecache: pagecache.PageCache | None = None  # one build's, made in on_files
        self.stamp: str | None = None
        self.cache_report: tuple[int, int] | None = None  # pages reused, pages built and stored
        self.frozen = False  # serve: long-lived objects moved out of the garbage collector's way

    def on_startup(self, *, command: str, dirty: bool) -> None:
        if command == "serve":
            self.cache = RecordCache()
            self.stage = PageStage()
            self.bytecode = MemoryBytecodeCache()
            self.memo = PageMemo()

    def on_shutdown(self) -> None:
        if self.stage is not None:
            self.stage.close()

    def on_config(self, config):
        self.root = Path(config.config_file_path).parent.resolve()
        for ext in REQUIRED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)
        if config.nav is None:
            config.nav = DEFAULT_NAV
        content = _preloaded.get(self.root)
        if content is None:
            try:
                content = load_content(self.root, cache=self.cache)
            except ContentError as error:
                raise ContentPluginError(error) from None
        formats = tuple(f for f in ("pdf", "docx") if self.config[f])
        jobs = 1 if self.stage is not None else max(1, self.config.jobs)  # a preview renders few pages
        self.pages = render_pages(content, self.root / self.config.templates_dir, downloads=formats, memo=self.memo, jobs=jobs)
        self.terms = configure(config, content)  # assets, glossary tooltips, edition stamp
        try:
            self.downloads = course_files(content, self.pages, formats, jobs=jobs)
        except PackError as error:
            raise PluginError(str(error)) from None
        if SITE_CSS in self.downloads and SITE_CSS not in config.extra_css:
            config.extra_css.append(SITE_CSS)
        self.search.on_config(config, content)
        self.stamp = config.copyright if content.edition is not None else None
        self.cache_report = None  # MkDocs keeps this plugin instance across builds in one process
        if self.stage is not None:
            share_bytecode(config.theme, self.bytecode)
        else:  # a preview keeps Material's search: no indexing on every save
            self.backend = pagefind_search.choose(self.config.search_backend, len(self.pages), self.config.pagefind_threshold)
        if self.backend == "pagefind":
            pagefind_search.disable_material_search(config)
        return config

    def on_files(self, files: Files, config) -> Files:
        if self.stage is not None:
            self.stage.update(self.pages)
        # Pages, then course downloads (PDF, DOCX) and their print CSS.
        for path, data in {**self.pages, **self.downloads}.items():
            existing = files.get_file_from_path(path)
            if existing is not None and existing.generated_by is None:
                raise PluginError(
                    f"生成的页面 `{path}` 与手写文件 `{Path(config.docs_dir).name}/{path}` 冲突："
                    "请改名或删除手写文件（生成的页面来自 YAML 内容）。")
            files.append(self._generated(config, path, data))
        for asset in asset_files(config):
            files.append(asset)
        self._open_cache(files, config)
        return files

    def _open_cache(self, files: Files, config) -> None:
        """The build cache, for `pilotguide build` (a preview's dirty builds skip pages already)."""
        if self.pagecache is not None:
            self.pagecache.abandon()
        self.pagecache = None
        if self.stage is not None or not self.config.build_cache or not pagecache.usable(config):
            return
        docs = sorted(f.src_uri for f in files.documentation_pages())
        glossary = sorted(repr(t) for t in self.terms.by_text.values()) if self.terms is not None else []
        nav = [pagecache.title_part(self.pages.get(p) or _read(Path(config.docs_dir) / p)) for p in pagecache.nav_pages(config.nav)]
        key = pagecache.fingerprint(config, docs, glossary, nav, self.stamp)
        self.pagecache = pagecache.PageCache(self.root, key, self.stamp)
        for plugin in config.plugins.values():
            if hasattr(plugin, "search_index"):  # Material's search: reused pages bring their entries
                self.pagecache.index_with(plugin.search_index)

    def on_env(self, env, config, files):
        if self.pagecache is not None:
            env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({pagecache.TEMPLATE: "{{ page.pilotguide_output }}"}), env.loader])
        return env

    def _generated(self, config, path: str, data: str | bytes) -> File:
        if self.stage is None or path not in self.pages:
            return File.generated(config, path, content=data)
        # On disk, rewritten only when changed: dirty rebuilds then skip the pages an edit left alone.
        return File.generated(config, path, abs_src_path=self.stage.path(path))

    def on_page_markdown(self, markdown, page, config, files):
        self.terms.page = page.file.src_uri  # glossary links are relative to the page being converted
        if self.pagecache is not None and (entry := self.pagecache.lookup(page.file.src_uri, markdown)) is not None:
            self.pagecache.replay(page, entry)
        return markdown

    @event_priority(100)  # first, so the search index and other plugins only ever see clean HTML
    def on_page_content(self, html: str, page, config, files) -> str:
        """Sanitise the HTML of generated pages (their text comes from content files).

        Hand-written pages in docs/ are the publisher's own and pass untouched."""
        if page.file.src_uri not in self.pages or (self.pagecache and page.file.src_uri in self.pagecache.hits):
            return html  # not generated, or reused from the build cache (cleaned when it was made)
        page.title = safe_title(page.title)  # taken from the first heading, which holds content text
        return clean_page(html)

    # Search and offline use (search.py): our worker, the local iframe-worker shim, a UTF-8 index.
    # With the Pagefind backend (pagefind_search.py), pages get its search box and the site its index.
    def on_post_page(self, output: str, page, config) -> str:
        if self.pagecache is not None:
            self.pagecache.store(page, output)
        output = self.search.on_post_page(output)
        return pagefind_search.mark_page(output, page.url) if self.backend == "pagefind" else output

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return self.search.on_post_page(output_content)  # 404.html is a theme template, not a page

    @event_priority(-50)  # after Material's search plugin writes the index, before `offline` copies it
    def on_post_build(self, config) -> None:
        if self.stage is not None and not self.frozen:
            # A preview keeps the loaded guide, the theme and jieba's dictionary for its whole life:
            # moved out of the collector's sight once, later saves do not pay to scan them again.
            gc.collect()
            gc.freeze()
            self.frozen = True
        if self.pagecache is not None:
            self.cache_report = (self.pagecache.reused, self.pagecache.built)
            self.pagecache.close()
            self.pagecache = None
        self.search.on_post_build(Path(config.site_dir))
        if self.backend == "pagefind":
            pagefind_search.index_site(config.site_dir)

    def on_build_error(self, error) -> None:
        if self.pagecache is not None:
            self.pagecache.abandon()
            self.pagecache = None

    def on_serve(self, server, config, builder):
        for kind in kinds().values():
            if (self.root / kind.folder).is_dir():
                server.watch(str(self.root / kind.folder))
        for extra in (VOCABULARIES_FILE, self.config.templates_dir):
            if (self.root / extra).exists():
                server.watch(str(self.root / extra))
        return server
