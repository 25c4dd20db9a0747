"""MkDocs plugin: inject the generated pages at build time; watch content under `mkdocs serve`.

Only adapts MkDocs events: each handler forwards to a GuideBuild (guide.py), which makes the guide
with the one recipe (recipe.py). Content that `pilotguide build` has already checked reaches the
build on the engine's config (recipe.BuildInputs), never set on this instance.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import InclusionLevel

from ..courses.formats import ASPECTS, switches
from ..courses.pack import BOOK_FULL_CASES
from ..pages.render import TEMPLATES_DIR
from . import engine
from .guide import ContentPluginError, GuideBuild
from .recipe import INPUTS
from .preview import quick
from .preview.quick import LastBuild
from .preview.session import PreviewSession

__all__ = ["ContentPluginError", "PilotguideConfig", "PilotguidePlugin", "pilotguide_plugin"]

log = logging.getLogger("mkdocs.plugins.pilotguide")

_OPTIONS = dict(
    # Content folders (policies/, steps/ ...) sit beside mkdocs.yml: the project root.
    templates_dir=c.Type(str, default=TEMPLATES_DIR),  # template overrides, relative to the root
    # Search: Material's one-file index (default: small guides, works from file://) or Pagefind's
    # chunked index for big guides (needs a web server); `auto` picks Pagefind from the threshold.
    search_backend=c.Choice(("material", "pagefind", "auto"), default="material"),
    pagefind_threshold=c.Type(int, default=2000),  # generated pages; used by `auto`
    # Repeated builds reuse unchanged pages from .pilotguide-cache/ (site/pagecache.py).
    build_cache=c.Type(bool, default=True),
    # No longer used: the build runs in one process (forked workers gained nothing measurable,
    # benchmarks/pools.py). Still accepted, so that an older mkdocs.yml builds unchanged.
    jobs=c.Type(int, default=1),
    # The book (`book: true`) prints each case in full up to this many cases; beyond, a register
    # of one row per case (place, area, roles, web page). A large number asks for full pages always.
    book_full_cases=c.Type(int, default=BOOK_FULL_CASES),
    # One switch per download format (courses/formats.py): `pdf: false` builds without WeasyPrint.
    # Formats may share a switch (`book` makes guide.pdf and guide.docx).
    **{name: c.Type(bool, default=f.default) for name, f in switches().items()},
    # Slides are 16:9; `slides_aspect: "4:3"` for an old projector (courses/formats.py SETTINGS).
    slides_aspect=c.Choice(ASPECTS, default="16:9"),
)
PilotguideConfig = type("PilotguideConfig", (Config,), _OPTIONS)


class PilotguidePlugin(BasePlugin[PilotguideConfig]):  # type: ignore[valid-type]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.session: PreviewSession | None = None  # kept between rebuilds under `serve`
        self.guide: GuideBuild | None = None
        self.cache_report: tuple[int, int] | None = None  # the last build's pages reused, pages stored
        self._built: dict = {}  # this build's files, navigation and theme environment (for quick.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # MkDocs keeps plugin instances for the process: a build after a preview that was never shut
        # down (a test, a library caller) must not run as that preview
        if self.session is not None:
            self.session.close()
        self.session = PreviewSession() if command == "serve" else None

    def on_shutdown(self) -> None:
        # MkDocs keeps plugin instances for the life of the process: a build after this (tests do
        # that) must not find the preview's session
        if self.session is not None:
            self.session.close()
            self.session = None

    def on_config(self, config):
        root = Path(config.config_file_path).parent.resolve()
        self.guide = GuideBuild(root, self.config, config.get(INPUTS), session=self.session)
        self.cache_report = None  # MkDocs keeps this instance across the builds of one process
        self.guide.prepare(config)
        return config

    def on_files(self, files, config):
        self._built = {"files": self.guide.add_files(files, config)}
        return self._built["files"]

    def on_nav(self, nav, config, files):
        self._built["nav"] = nav
        # pages whose title mkdocs.yml's nav gives (before clean() sets the others from headings)
        self._built["titled"] = {id(page) for page in nav.pages if "title" in vars(page)}
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        self.guide.start_page(page.file.src_uri)
        markdown = self.guide.unlink_unmade(markdown, page.file.src_uri)  # no link to a PDF not made
        self.guide.reuse(markdown, page)  # from the build cache, when nothing that shapes it changed
        return markdown

    def on_env(self, env, config, files):
        self._built["env"] = self.guide.theme_env(env)
        return self._built["env"]

    @event_priority(-100)  # after Material's search plugin has taken the page's entries
    def on_page_context(self, context, page, config, nav):
        if self.session is not None and (index := engine.material_index(config)) is not None:
            self.session.index.page_built(page.url, index)
        return context

    @event_priority(100)  # first, so the search index and other plugins only ever see clean HTML
    def on_page_content(self, html: str, page, config, files) -> str:
        return self.guide.clean(html, page)

    # Search and offline use (search/offline.py): our worker, the local iframe-worker shim, a UTF-8 index.
    # With the Pagefind backend (search/pagefind.py), pages get its search box and the site its index.
    def on_post_page(self, output: str, page, config) -> str:
        self.guide.keep(page, output)  # into the build cache
        return self.guide.post_page(output, page.url)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return self.guide.post_page(output_content, None)  # 404.html is a theme template, not a page

    @event_priority(-50)  # after Material's search plugin writes the index, before `offline` copies it
    def on_post_build(self, config) -> None:
        self.guide.post_build(config.site_dir)
        self.cache_report = self.guide.cache_report
        if self.session is not None:
            self._keep_build(config)

    def _keep_build(self, config) -> None:
        """A preview keeps what this build made, for quick rebuilds of the pages a save changes."""
        files = self._built.get("files")
        self.session.last = None
        if self.guide.problems or files is None or "nav" not in self._built or "env" not in self._built:
            return
        pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        self.session.index.keep_only([f.page.url for f in pages if f.page is not None], engine.material_index(config))
        self.session.last = LastBuild(config, files, self._built["nav"], self._built["env"], self.guide,
                                      self._built.get("titled", set()))

    def quick_rebuild(self, changed: set[str]) -> bool:
        """Under serve: rebuild only what a save changed, when it changed only records (quick.py).
        False: MkDocs' build has to run (the caller runs it)."""
        last = self.session.last if self.session is not None else None
        if last is None or not quick.records_only(last.guide.root, changed):
            if last is not None:  # kept again only once MkDocs' build has run through
                self.session.last = None
            return False
        material = engine.material_search(last.config)
        restore = None
        if material is not None:  # pages are parsed for search when the index is asked for
            restore = engine.swap_index(material, self.session.index.deferring)
        try:
            done = quick.rebuild(last, lambda: GuideBuild(last.guide.root, self.config, session=self.session),
                                 lambda guide: setattr(self, "guide", guide))
        except Exception as error:  # never wrong, only slower: MkDocs' build does it instead
            log.warning("预览的快速更新失败（%s: %s），已改为重新构建整个站点；这只会变慢，页面仍是正确的。"
                        "如果每次保存都出现这条提示，请把它报告给 pilotguide 的维护人员。", type(error).__name__, error)
            done = None
        finally:
            if restore is not None:
                restore()
        if done is None:
            self.session.last = None
            return False
        self.session.index.changed()
        log.info("已更新 %d 个文件。", len(done))
        return True

    def served_file(self, path: str) -> bytes | None:
        """What the preview's server answers from memory instead of the site folder (the search index)."""
        if self.session is None or self.guide is None:
            return None
        download = self.guide.served_download(path)  # made only now, never while saving
        if download is not None:
            return download
        if self.session.last is None or self.guide.backend != "material":
            return None
        return self.session.index.served(path)

    def on_build_error(self, error) -> None:
        if self.guide is not None:
            self.guide.abandon()

    def on_serve(self, server, config, builder):
        for path in self.guide.watched():
            server.watch(str(path))
        return server


def pilotguide_plugin(config) -> PilotguidePlugin | None:
    """The pilotguide plugin instance of a loaded MkDocs config, if it lists the plugin."""
    return next((p for p in config.plugins.values() if isinstance(p, PilotguidePlugin)), None)
