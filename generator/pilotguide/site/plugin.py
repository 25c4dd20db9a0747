"""MkDocs plugin: inject the generated pages at build time; watch content under `mkdocs serve`.

Only adapts MkDocs events: each handler forwards to a GuideBuild (guide.py), the recipe of one
build. Content that `pilotguide build` has already checked reaches the plugin through its
`content` attribute (site/build.py sets it on the instance MkDocs created), never a global.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority

from ..courses.formats import switches
from ..pages.render import TEMPLATES_DIR
from .guide import ContentPluginError, GuideBuild, PreviewSession

__all__ = ["ContentPluginError", "PilotguideConfig", "PilotguidePlugin"]

_OPTIONS = dict(
    # Content folders (policies/, steps/ ...) sit beside mkdocs.yml: the project root.
    templates_dir=c.Type(str, default=TEMPLATES_DIR),  # template overrides, relative to the root
    # Search: Material's one-file index (default: small guides, works from file://) or Pagefind's
    # chunked index for big guides (needs a web server); `auto` picks Pagefind from the threshold.
    search_backend=c.Choice(("material", "pagefind", "auto"), default="material"),
    pagefind_threshold=c.Type(int, default=2000),  # generated pages; used by `auto`
    # Repeated builds reuse unchanged pages from .pilotguide-cache/ (site/pagecache.py).
    build_cache=c.Type(bool, default=True),
    # Processes for loading records, rendering record pages and making course documents (`--jobs`).
    jobs=c.Type(int, default=1),
    # One switch per download format (courses/formats.py): `pdf: false` builds without WeasyPrint.
    # Formats may share a switch (`book` makes guide.pdf and guide.docx).
    **{name: c.Type(bool, default=f.default) for name, f in switches().items()},
)
PilotguideConfig = type("PilotguideConfig", (Config,), _OPTIONS)


class PilotguidePlugin(BasePlugin[PilotguideConfig]):  # type: ignore[valid-type]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.content = None  # checked content handed over by `pilotguide build` (site/build.py)
        self.session: PreviewSession | None = None  # kept between rebuilds under `serve`
        self.guide: GuideBuild | None = None
        self.cache_report: tuple[int, int] | None = None  # the last build's pages reused, pages stored

    def on_startup(self, *, command: str, dirty: bool) -> None:
        if command == "serve":
            self.session = PreviewSession()

    def on_shutdown(self) -> None:
        if self.session is not None:
            self.session.close()

    def on_config(self, config):
        root = Path(config.config_file_path).parent.resolve()
        self.guide = GuideBuild(root, self.config, content=self.content, session=self.session)
        self.cache_report = None  # MkDocs keeps this instance across the builds of one process
        self.guide.prepare(config)
        return config

    def on_files(self, files, config):
        return self.guide.add_files(files, config)

    def on_page_markdown(self, markdown, page, config, files):
        self.guide.start_page(page.file.src_uri)
        self.guide.reuse(markdown, page)  # from the build cache, when nothing that shapes it changed
        return markdown

    def on_env(self, env, config, files):
        return self.guide.theme_env(env)

    @event_priority(100)  # first, so the search index and other plugins only ever see clean HTML
    def on_page_content(self, html: str, page, config, files) -> str:
        return self.guide.clean(html, page)

    # Search and offline use (search.py): our worker, the local iframe-worker shim, a UTF-8 index.
    # With the Pagefind backend (pagefind_search.py), pages get its search box and the site its index.
    def on_post_page(self, output: str, page, config) -> str:
        self.guide.keep(page, output)  # into the build cache
        return self.guide.post_page(output, page.url)

    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return self.guide.post_page(output_content, None)  # 404.html is a theme template, not a page

    @event_priority(-50)  # after Material's search plugin writes the index, before `offline` copies it
    def on_post_build(self, config) -> None:
        self.guide.post_build(config.site_dir)
        self.cache_report = self.guide.cache_report

    def on_build_error(self, error) -> None:
        if self.guide is not None:
            self.guide.abandon()

    def on_serve(self, server, config, builder):
        for path in self.guide.watched():
            server.watch(str(path))
        return server
