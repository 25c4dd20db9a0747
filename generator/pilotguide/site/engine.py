"""The seam around the engine: every use of an undocumented MkDocs, Material or jieba name.

MkDocs 1.x is no longer maintained and Material for MkDocs is in maintenance, so this is where the
project breaks first when either changes. Nothing else in the package may use such a name (the
architecture test forbids it); everything here is imported inside functions, so a module that
does not build a site never imports the engine. Each internal has a canary test
(tests/test_engine_seam.py, fast lane) that fails with the engine's version when it changes.

The engine: ProperDocs (a maintained fork of MkDocs 1.6) when it is installed, else MkDocs 1.6;
`PILOTGUIDE_ENGINE=mkdocs` or `=properdocs` chooses one (activate, called when `pilotguide.site`
is first imported). Both load the same plugins and give the same pages: under ProperDocs every
`mkdocs.*` import is answered by ProperDocs' module of the same name, so the plugin's public API
(BasePlugin, config options, File, Files) and Material work unchanged.

Internals used, and why:
- `<engine>.commands.build._populate_page` and `_build_page` (preview_pages): the preview's quick
  path builds only the pages a save changed, with the files, navigation and theme of the last
  full build; MkDocs has no public function for one page.
- `<engine>.livereload.LiveReloadServer` private members `_watched_paths`, `_watch_refs`,
  `_rebuild_cond`, `_want_rebuild`, `_epoch_cond`, `_visible_epoch`, `_wanted_epoch`,
  `_serve_request`, `_guess_type`, `_build_loop`, `serve_thread`, `observer`, and
  `<engine>.livereload._serve_url` (PreviewServer): change notices instead of polling, the paths
  of a save kept for the quick path, the search index answered from memory.
- `page.render` replaced and `page._title_from_render` read and set (replay_page, page_record): the
  build cache gives back a stored page without converting its Markdown.
- `theme.get_env` wrapped (share_bytecode): a preview keeps Material's compiled templates and its
  template listing between saves; MkDocs makes a new environment on every rebuild.
- Material's search plugin: its `search_index` attribute, the index's `entries` list, `config`
  and `add_entry_from_context` (material_index, entries_of, hook_entries, parse_page): reused
  pages bring their stored entries, the preview keeps each page's entries and parses later.
- Material's search plugin's `search_index_prev` set to None (forget_previous_index): the engine
  keeps plugin instances with `on_startup` for the whole process, and after a dirty (preview)
  build Material merges that index into every later one, another guide's pages included, even
  after `on_startup(dirty=False)`; a build forgets it first.
- Material's search module global `jieba` set to None (skip_material_segmenting): Material would
  cut every page with jieba only for our worker to ignore it.
- Material's page HTML edited as text (point_search_worker, pagefind_mark): the `"search":` worker
  path in the `__config` script, `<article class="md-content__inner` and `<header class="md-header"`.
- Material's search worker messages (assets/search/worker.js, browser side): SETUP 0, READY 1,
  QUERY 2, RESULT 3, and its worker file under assets/javascripts/workers (material_worker_from):
  our worker wraps Material's to cut Chinese the same way at build and query time. The result
  items' `terms` map (which query terms each result holds) orders pages holding every word
  first; a message of another type (our NOTE, 1001) is ignored by Material's page side.
- Material's base template's `extra.polyfills`, scripts in the head before its bundle
  (add_head_script), and its bundle creating the search worker with `new Worker(config.search)`
  as it starts: assets/search-note.js wraps `Worker` there to hear our worker's NOTE, and puts
  the note after `.md-search-result__meta`.
- MkDocs Config classes' `_schema` and `config_options.Type._type` (config_schema, option_type):
  mkdocs.yml is checked like content, with every known setting and option type, before MkDocs runs.
- jieba's `dt` (default tokenizer) with `FREQ`, `total`, `initialized`, `check_initialized`
  (jieba_ready, tokenizer, dictionary_total, known_word, frequencies): a tokenizer with the
  guide's user words that shares the default dictionary without reloading it. Its `total` is set
  back to the default dictionary's after `add_word` (which raises it) and each word's frequency is
  `suggest_freq`'s at that total, so a run's cut depends only on the user words inside the run
  (search.Cuts re-cuts only the runs holding a new or removed word).
- `theme.dirs` (add_theme_templates): the theme's template search path, to which the plugin adds
  its own theme templates (a Chinese 404 page) after a `custom_dir` and before Material's.
- A page's HTML as the theme wrote it, edited as text (add_head_style): the paper stamp, a
  `<style>` for print that differs per page (its address), goes before the page's `</head>`.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import posixpath
import re
import sys
import warnings

ENGINE_VARIABLE = "PILOTGUIDE_ENGINE"
ENGINES = ("properdocs", "mkdocs")
LOGGERS = ("mkdocs", "properdocs")  # both engines' loggers: plugins log as mkdocs.*, ProperDocs as properdocs.*

log = logging.getLogger("mkdocs.pilotguide.serve")


# -- the engine: MkDocs or ProperDocs ------------------------------------------------------------

def wanted_engine() -> str:
    """The engine asked for: PILOTGUIDE_ENGINE, else ProperDocs when it is installed, else MkDocs."""
    chosen = os.environ.get(ENGINE_VARIABLE, "").strip().lower()
    if chosen in ENGINES:
        return chosen
    return "properdocs" if importlib.util.find_spec("properdocs") is not None else "mkdocs"


def activate() -> str:
    """Choose the engine for this process; returns the one in use. ProperDocs runs MkDocs plugins
    and themes (Material, ours) by answering every `mkdocs.*` import with its own module
    (`properdocs.replacement`), so it has to be chosen before anything imports MkDocs: the
    package `pilotguide.site` calls this first. When MkDocs itself is already loaded, it stays."""
    if wanted_engine() == "properdocs" and "properdocs.replacement" not in sys.modules:
        if "mkdocs" not in sys.modules:
            importlib.import_module("properdocs.replacement")
    return engine_name()


def engine_name() -> str:
    """The engine this process builds with: 'properdocs' or 'mkdocs' (see activate)."""
    return "properdocs" if "properdocs.replacement" in sys.modules else "mkdocs"


def engine_version() -> str:
    from importlib import metadata

    name = engine_name()
    return f"{name} {metadata.version(name)}"


def _engine(module: str = ""):
    """An engine module by its MkDocs name (under ProperDocs, `mkdocs.*` is ProperDocs' module)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2.0, on every build
    return importlib.import_module(f"mkdocs.{module}" if module else "mkdocs")


def load_config(config_file, **options):
    """The engine's config of `config_file` (public API of both engines)."""
    return _engine("config").load_config(config_file=str(config_file), **options)


def build(config, **options) -> None:
    """The engine's whole build (`<engine>.commands.build.build`, what `mkdocs build` runs)."""
    _engine("commands.build").build(config, **options)


def serve_url(host: str, port: int, path: str) -> str:
    """The address `mkdocs serve` prints and pages live under (its `_serve_url`)."""
    return _engine("livereload")._serve_url(host, port, path)


def dirty_warning_loggers() -> list[logging.Logger]:
    """The loggers that say "A 'dirty' build is being performed" on every rebuild."""
    return [logging.getLogger(f"{name}.commands.build") for name in LOGGERS]


# -- the preview's server ----------------------------------------------------------------------------

class PreviewServer:
    """The engine's live-reloading server, made for quick saves (a factory: the engine is imported late).

    Three changes to mkdocs.livereload.LiveReloadServer: the folders are watched with the
    system's change notices (inotify, ReadDirectoryChangesW, FSEvents) instead of listing them every
    half second, unless `poll` (network drives and shared folders of virtual machines send no
    notices); the paths each save changed are kept for the builder (`take_changes`), which
    rebuilds only those pages when it can (quick.py); and the plugin may answer some paths from
    memory (the search index, made when a browser asks for it)."""

    def __new__(cls, *args, poll: bool = False, answer=None, **kwargs):
        LiveReloadServer = _engine("livereload").LiveReloadServer

        class Server(_PreviewMixin, LiveReloadServer):
            pass
        server = Server(*args, **kwargs)
        server.setup(poll, answer)
        return server


class _PreviewMixin:
    def setup(self, poll: bool, answer) -> None:
        import watchdog.observers

        self.answer = answer  # path inside the site -> bytes, or None for "from the site folder"
        self._changes: set[str] = set()
        self.native = not poll
        if self.native:
            try:  # inotify opens an instance here: Linux allows a user 128 of them
                self.observer = watchdog.observers.Observer()
            except OSError as error:
                self._say_polling(error)

    def _say_polling(self, error: OSError) -> None:
        log.warning("无法使用系统的文件变化通知（%s），改为每 0.5 秒检查一次文件。", error)
        self.native = False

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """Watch a folder (with its subfolders) or a file. A file is watched through its folder:
        editors that save by writing another file and renaming it over the old one would end a
        watch on the file itself, and Windows reports nothing for a watched file."""
        import watchdog.events

        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        handler = watchdog.events.FileSystemEventHandler()
        if os.path.isdir(path):
            handler.on_any_event = self._changed
            self._watch_refs[path] = (self.observer.schedule(handler, path, recursive=recursive), handler)
        else:
            handler.on_any_event = lambda event: self._changed(event, only=path)
            folder = os.path.dirname(path)
            self._watch_refs[path] = (self.observer.schedule(handler, folder, recursive=False), handler)

    def unwatch(self, path: str) -> None:
        path = os.path.abspath(path)
        self._watched_paths[path] -= 1
        if self._watched_paths[path] <= 0:
            self._watched_paths.pop(path)
            watch, handler = self._watch_refs.pop(path)
            self.observer.remove_handler_for_watch(handler, watch)

    def _changed(self, event, only: str | None = None) -> None:
        # inotify also reports files opened and closed without writing (the build reads them) and
        # every folder whose files change; a folder made, removed or moved is a change
        if event.event_type not in ("created", "modified", "deleted", "moved"):
            return
        if event.is_directory and event.event_type == "modified":
            return
        paths = {os.fsdecode(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p}
        if only is not None and only not in paths:
            return
        with self._rebuild_cond:
            self._changes.update(paths)
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def take_changes(self) -> set[str]:
        with self._rebuild_cond:
            changes, self._changes = self._changes, set()
        return changes

    def serve(self, *, open_in_browser: bool = False) -> None:
        """LiveReloadServer.serve, falling back to listing the folders when the system's change
        notices cannot be had (Linux limits how many folders one user may watch)."""
        self.server_bind()
        self.server_activate()
        if self._watched_paths:
            try:
                self.observer.start()
            except OSError as error:
                if not self.native:
                    raise
                self._say_polling(error)
                self._use_polling()
                self.observer.start()
        log.debug("preview serving on %s", self.url)  # the command says the address, in Chinese
        self.serve_thread.start()
        if open_in_browser:
            import webbrowser

            webbrowser.open(self.url)
        self._build_loop()

    def _use_polling(self) -> None:
        import watchdog.observers.polling

        paths = dict(self._watched_paths)
        try:  # the watches it did set up hold the very resource that ran out
            self.observer.unschedule_all()
            self.observer.stop()
        except Exception:  # noqa: BLE001 - whatever state it failed in, it is dropped
            pass
        self.observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
        self._watched_paths, self._watch_refs = {}, {}
        for path in paths:
            self.watch(path)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if self.answer is not None and (path + "/").startswith(self.mount_path):
            with self._epoch_cond:  # not while a rebuild runs: the answer would be half old
                self._epoch_cond.wait_for(lambda: self._visible_epoch == self._wanted_epoch)
            data = self.answer(posixpath.normpath("/" + path[len(self.mount_path):]).lstrip("/"))
            if data is not None:
                start_response("200 OK", [("Content-Type", self._guess_type(path)),
                                          ("Content-Length", str(len(data)))])
                return [data]
        return super()._serve_request(environ, start_response)


# -- one page at a time (the preview's quick path) ----------------------------------------------

def preview_pages(pages, config, files, nav, env, doc_files, stale) -> bool:
    """Populate (read and convert) `pages` as MkDocs' build does; True, building none, when
    `stale(page)` says a populated page makes the navigation of every page stale (a retitled
    page the nav shows), else build them all with the last full build's files, navigation and
    theme environment and return False."""
    build_module = _engine("commands.build")
    for page in pages:
        build_module._populate_page(page, config, files)
        if stale(page):
            return True
    for page in pages:
        build_module._build_page(page, config, doc_files, nav, env)
    return False


# -- the build cache: a stored page given back without converting its Markdown --------------------

def page_record(page) -> dict:
    """What the build cache keeps of a converted page (its title as the render found it too)."""
    return {"content": page.content, "toc": _toc_tokens(page.toc), "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ())}


def _toc_tokens(items) -> list[dict]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


def replay_page(page, entry: dict) -> None:
    """Make the engine's render of `page` give back a stored `page_record` instead of converting."""
    from mkdocs.structure.toc import get_toc

    def render(config, files) -> None:
        page.content = entry["content"]
        page.toc = get_toc(entry["toc"])
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        page.links_to_anchors = {}
    page.render = render


# -- the theme --------------------------------------------------------------------------------------

def share_bytecode(theme, cache) -> None:
    """Make every environment this theme creates use `cache` (a jinja2.BytecodeCache)."""
    if getattr(theme, "_pilotguide_bytecode", None) is cache:
        return
    make_env = theme.get_env

    def get_env():
        env = make_env()
        env.bytecode_cache = cache
        listings = getattr(cache, "listings", None)
        if listings is not None:
            key = tuple(getattr(env.loader, "searchpath", ()))
            list_templates = env.list_templates

            def listed(extensions=None, filter_func=None):
                if extensions is not None or filter_func is None:
                    return list_templates(extensions, filter_func)
                # MkDocs' filter is the same code on every rebuild (its patterns come from the
                # theme, which a preview does not reload: see ARCHITECTURE.md)
                full = (key, filter_func.__code__)
                if full not in listings:
                    listings[full] = list_templates(extensions, filter_func)
                return listings[full]
            env.list_templates = listed
        return env
    theme.get_env = get_env
    theme._pilotguide_bytecode = cache


# -- Material's search ------------------------------------------------------------------------------

def material_index(config):
    """Material's search index object of this build, if its search plugin is on."""
    plugin = material_search(config)
    return plugin.search_index if plugin is not None else None


def material_search(config):
    """Material's search plugin of this build (the one holding a search index), if it is on."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and hasattr(index, "entries"):
            return plugin
    return None


def forget_previous_index(config) -> None:
    """Material's search plugin forgets the index a dirty (preview) build kept for the next one:
    plugin instances live for the process, and Material merges the kept index into every later
    build's (`generate_search_index(self.search_index_prev)`), whichever guide it builds."""
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index_prev"):
            plugin.search_index_prev = None


def swap_index(plugin, make):
    """Put `make(index)` in place of the search plugin's index (the preview defers parsing pages);
    returns the function that puts the index back."""
    original = plugin.search_index
    plugin.search_index = make(original)

    def restore() -> None:
        plugin.search_index = original
    return restore


def entries_of(index) -> list[dict]:
    """The entries (title, location, text) Material's index holds so far."""
    return index.entries


def index_config(index) -> dict:
    return {k: index.config[k] for k in ("lang", "separator", "pipeline", "fields")}


def hook_entries(index, add_entry) -> None:
    """Route every page Material's index is given through `add_entry(page, add)`, where `add` is
    Material's own `add_entry_from_context`."""
    add = index.add_entry_from_context
    index.add_entry_from_context = lambda page: add_entry(page, add)


def parse_page(index_class, config: dict, page) -> list[dict]:
    """The entries Material's index makes of one page (a snapshot with content, toc, url, meta, title)."""
    index = index_class(**config)
    index.add_entry_from_context(page)
    return index.entries


def index_class_and_config(index) -> tuple[type, dict]:
    return type(index), index.config


def skip_material_segmenting() -> None:
    """Material cuts every page with jieba when it can import it, only for the worker to split
    on U+200B; our index is cut in the browser and rewritten without U+200B, so that pass would
    double the build's jieba time. Only saves time: should Material rename its `jieba` global,
    the index comes out the same."""
    try:
        from material.plugins.search import plugin as material_search_module
    except ImportError:  # pragma: no cover - Material is a dependency
        return
    if getattr(material_search_module, "jieba", None) is not None:
        material_search_module.jieba = None


MATERIAL_WORKER = re.compile(r'("search":\s*"[^"]*?)assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)"')


def point_search_worker(html: str, worker: str) -> tuple[str, str | None]:
    """The page with its search worker (`__config.search`) pointing at `worker`, and the file
    name of Material's worker it pointed at (None when the page names none)."""
    found: list[str] = []

    def swap(match: re.Match) -> str:
        found.append(match.group(2))
        return f'{match.group(1)}{worker}"'
    html = MATERIAL_WORKER.sub(swap, html, count=1)
    return html, (found[0] if found else None)


def material_worker_from(worker: str, name: str) -> str:
    """The address of Material's worker file `name` relative to our worker at `worker`."""
    return posixpath.relpath(f"assets/javascripts/workers/{name}", posixpath.dirname(worker))


def add_head_script(config, path: str) -> None:
    """Load the script at `path` in every page's head, before Material's bundle: Material's base
    template writes `extra.polyfills` there (the offline plugin puts the iframe-worker shim
    there). assets/search-note.js must wrap `Worker` before the bundle creates its search worker."""
    polyfills = config.extra.setdefault("polyfills", [])
    if path not in [str(p) for p in polyfills]:
        polyfills.append(path)


def pagefind_mark(html: str, box: str) -> str:
    """Material's page with Pagefind's markers: only the article indexed, `box` (Pagefind's search
    box) at the end of the header's navigation; a page without Material's header is only marked."""
    html = html.replace('<article class="md-content__inner', '<article data-pagefind-body class="md-content__inner', 1)
    header = html.find('<header class="md-header')  # "md-header md-header--shadow" too
    end = html.find("</nav>", header) if header >= 0 else -1
    if end < 0:
        return html
    return html[:end] + box + html[end:]


# -- jieba --------------------------------------------------------------------------------------------

def jieba_ready():
    """The jieba module with its default dictionary loaded, once (about a second, from jieba's cache)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba 0.42 imports the deprecated pkg_resources
        import jieba
    jieba.setLogLevel(logging.WARNING)  # "Building prefix dict..." on every build otherwise
    jieba.dt.check_initialized()
    return jieba


def tokenizer(terms):
    """A jieba tokenizer with `terms` as its user dictionary that shares the default dictionary,
    leaving jieba's global one alone (one build's terms must not leak into the next).

    Its total frequency stays the default dictionary's (jieba's `add_word` raises it by every
    word's frequency, which would change the cut of every text with every new word), and each
    word's frequency is jieba's `suggest_freq` against the default dictionary and the shorter
    user words (shortest first, at that same total). So the cut of a run of text depends only on
    the default dictionary and the user words inside the run: a new record title changes the cut
    of the runs that contain it and of no other (search.Cuts keeps the others)."""
    jieba = jieba_ready()
    tk = jieba.Tokenizer()
    total = jieba.dt.total
    tk.FREQ, tk.total, tk.initialized = dict(jieba.dt.FREQ), total, True
    for term in sorted(set(terms), key=lambda t: (len(t), t)):
        tk.total = total
        tk.add_word(term, tk.suggest_freq(term))  # high enough for the term to stay whole
    tk.total = total
    return tk


def dictionary_total() -> int:
    """The total frequency of jieba's default dictionary: changes when the dictionary does."""
    return jieba_ready().dt.total


def known_word(tk, word: str) -> bool:
    """A word the tokenizer's dictionary holds (frequency > 0: jieba also stores bare prefixes)."""
    return bool(tk.FREQ.get(word))


def frequencies() -> dict[str, int]:
    """jieba's default word frequencies (general usage)."""
    return jieba_ready().dt.FREQ


# -- MkDocs' config schema (mkdocs.yml checked like content, site/project.py) ----------------------

def config_schema(config_class) -> list[tuple[str, object]]:
    """(name, option) of every setting a MkDocs Config class declares (its `_schema`)."""
    return list(config_class._schema)


def option_type(option) -> type | None:
    """The Python type a `config_options.Type` option wants (its `_type`), else None."""
    return getattr(option, "_type", None)


def add_theme_templates(theme, folder: str) -> None:
    """Let `folder`'s templates override the theme's: right after mkdocs.yml's `custom_dir` (so a
    guide's own override still wins), before Material's own templates. Idempotent."""
    dirs = theme.dirs
    if folder in dirs:
        return
    custom = getattr(theme, "custom_dir", None)
    dirs.insert(1 if custom and dirs and dirs[0] == custom else 0, folder)


# -- Paper -------------------------------------------------------------------------------------------

def add_head_style(html: str, css: str) -> str:
    """`html` with a `<style>` holding `css` at the end of its <head> (unchanged without a head)."""
    if not css:
        return html
    end = html.find("</head>")
    if end < 0:
        return html
    return f"{html[:end]}<style>{css}</style>\n{html[end:]}"
