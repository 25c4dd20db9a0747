"""The build cache: pages whose Markdown and surroundings did not change skip MkDocs' work.

A repeated `pilotguide build` of a big guide redoes, for every page, Python-Markdown, Material's
search indexing of the HTML and the theme template: most of the build. The cache keeps, per page,
what those steps produced (the HTML body, its table of contents, title and anchors, the search
entries, the finished page) in `.pilotguide-cache/pages.sqlite` under the project (ignored by git,
safe to delete at any time: the next build simply does everything again).

An entry is found by a key made of the page's own Markdown and path and a *fingerprint* of
everything else that shapes a page: the versions of pilotguide (and a hash of its package files),
MkDocs, Material, Python-Markdown, pymdown-extensions and Jinja; mkdocs.yml, the resolved settings
that reach a page and the resolved Markdown extensions; the theme's override folder (custom_dir),
every file of it; the site's list of documentation files (links resolve against it); the Markdown
of the pages in the nav (their headings title the nav on every page); the glossary terms. Change any
of them and no page is reused. The edition stamp in every footer changes with any edit, so it is
stored as a placeholder and put back when a page is reused.

Beside the pages, `search-cuts.json.z` keeps jieba's cuts of the search text for the lexicon
(search.Cuts): keyed by jieba and its dictionary, with the user words they were cut with; a run
holding a user word added or removed since is cut again, every other run's cut is read back.

Owned by the plugin of one `pilotguide build` (never by `serve`, whose dirty builds already skip
unchanged pages); nothing here is global.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import zlib
from importlib import metadata
from pathlib import Path
from typing import Any

from . import engine

CACHE_DIR = ".pilotguide-cache"
DB_NAME = "pages.sqlite"
CUTS_NAME = "search-cuts.json.z"  # jieba's cuts of the search text (search.Cuts): the lexicon's work
TEMPLATE = "pilotguide-cached-page.html"  # a theme template that prints a reused page as it was
STAMP = "\x00pilotguide-edition\x00"
VERSIONED = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "nh3")
SAFE_PLUGINS = {"search", "material/search", "pilotguide", "offline", "material/offline"}


def _hash(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _tree_hash(folder: Path | None, pattern: str = "*") -> str:
    if folder is None or not folder.is_dir():
        return ""
    files = sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return _hash(*(part for p in files for part in (p.relative_to(folder).as_posix(), p.read_bytes())))


def _versions() -> str:
    out = [f"engine={engine.engine_version()}"]  # pages MkDocs made are not reused by ProperDocs
    for name in VERSIONED:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return ";".join(out)


SETTINGS = ("site_name", "site_url", "site_description", "repo_url", "edit_uri", "nav", "use_directory_urls",
            "extra", "extra_css", "extra_javascript", "docs_dir")


def _settings(config, stamp: str | None) -> str:
    """The resolved settings that reach a page (also when they come from INHERIT or !ENV)."""
    chosen = {key: config.get(key) for key in SETTINGS}
    chosen["theme"] = dict(config.theme)
    copyright = config.copyright or ""
    chosen["copyright"] = copyright.replace(stamp, "") if stamp else copyright
    return json.dumps(chosen, sort_keys=True, default=str, ensure_ascii=False)


def nav_pages(nav) -> list[str]:
    """The pages named in `nav`: their first headings title the nav entries every page shows."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_pages(value)]
    if isinstance(nav, list):
        return [p for item in nav for p in nav_pages(item)]
    return []


def title_part(markdown: str) -> str:
    """What of a page can title its nav entry: its front matter and its first heading."""
    front = markdown.split("\n---", 1)[0] if markdown.startswith("---") else ""
    heading = next((line for line in markdown.splitlines() if line.startswith("# ")), "")
    return front + "\n" + heading


def fingerprint(config, doc_paths: list[str], glossary: list[str], nav_sources: list[str] = (),
                stamp: str | None = None) -> str:
    """Everything besides a page's own Markdown that shapes its HTML (see the module docstring)."""
    package = Path(__file__).resolve().parent.parent
    extensions = [e if isinstance(e, str) else f"{type(e).__module__}.{type(e).__name__}"
                  for e in config.markdown_extensions]
    custom_dir = config.theme.custom_dir if hasattr(config.theme, "custom_dir") else None
    config_file = Path(config.config_file_path) if config.config_file_path else None
    config_bytes = config_file.read_bytes() if config_file and config_file.is_file() else b""
    return _hash(_versions(), _tree_hash(package), config_bytes,
                 json.dumps(extensions), json.dumps(config.mdx_configs, sort_keys=True, default=str),
                 json.dumps([str(p) for p in config.extra_css + config.extra_javascript]),
                 _tree_hash(Path(custom_dir)) if custom_dir else "", "\n".join(doc_paths), "\n".join(glossary),
                 _settings(config, stamp), *nav_sources)


def usable(config) -> bool:
    """Only with plugins whose page output the cache knows how to replay."""
    return set(config.plugins) <= SAFE_PLUGINS


class _Count(logging.Handler):
    """Counts MkDocs' warnings, so a page whose conversion warned (a broken link) is not stored:
    reused, it would skip the conversion and the warning, and `--strict` would pass."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class PageCache:
    """Reused pages of one build: look up by key, store what a built page produced, forget the rest."""

    def __init__(self, root: Path, fingerprint: str, stamp: str | None) -> None:
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        self.db = sqlite3.connect(str(folder / DB_NAME))
        self.db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, value BLOB)")
        self.fingerprint = fingerprint
        self.stamp = stamp
        self.used: set[str] = set()
        self.hits: dict[str, dict] = {}  # src_uri -> the reused entry
        self.keys: dict[str, str] = {}  # src_uri -> key, for pages built this time
        self.entries: dict[str, list] = {}  # src_uri -> search entries made this time
        self.reused = self.built = 0
        self.warned: set[str] = set()  # pages whose conversion logged a warning: never stored
        self._counter = _Count()
        self._converting: tuple[str, int] | None = None
        for name in engine.LOGGERS:
            logging.getLogger(name).addHandler(self._counter)

    def converting(self, src_uri: str) -> None:
        """A page is about to be converted (a miss): watch for warnings until `converted`."""
        self._converting = (src_uri, self._counter.count)

    def converted(self, src_uri: str) -> None:
        converting = self._converting
        if converting is not None and converting[0] == src_uri and self._counter.count != converting[1]:
            self.warned.add(src_uri)
        self._converting = None

    def key(self, src_uri: str, markdown: str) -> str:
        return _hash(self.fingerprint, src_uri, markdown)

    def lookup(self, src_uri: str, markdown: str) -> dict | None:
        key = self.key(src_uri, markdown)
        self.used.add(key)
        row = self.db.execute("SELECT value FROM pages WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.keys[src_uri] = key
            self.converting(src_uri)
            return None
        entry = json.loads(zlib.decompress(row[0]))
        if self.stamp:
            entry["output"] = entry["output"].replace(STAMP, self.stamp)
        self.hits[src_uri] = entry
        self.reused += 1
        return entry

    def replay(self, page, entry: dict) -> None:
        """Make MkDocs' render of `page` give back the stored result instead of converting Markdown."""
        engine.replay_page(page, entry)
        page.meta["template"] = TEMPLATE
        page.pilotguide_output = entry["output"]

    def store(self, page, output: str) -> None:
        key = self.keys.pop(page.file.src_uri, None)
        if key is None or page.file.src_uri in self.warned:
            self.hits.pop(page.file.src_uri, None)
            return
        if self.stamp:
            if output.count(self.stamp) != 1:
                return  # the footer is not where we expect it: do not risk a stale stamp
            output = output.replace(self.stamp, STAMP)
        entry = {**engine.page_record(page), "output": output, "entries": self.entries.pop(page.file.src_uri, [])}
        blob = zlib.compress(json.dumps(entry, ensure_ascii=False).encode("utf-8"), 1)
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?)", (key, blob))
        self.built += 1

    def index_with(self, search_index) -> None:
        """Feed Material's search index the stored entries of reused pages, and note new ones."""
        def add_entry(page, add) -> None:
            entries = engine.entries_of(search_index)
            hit = self.hits.get(page.file.src_uri)
            if hit is not None:
                entries.extend(hit["entries"])
                return
            before = len(entries)
            add(page)
            self.entries[page.file.src_uri] = entries[before:]
        engine.hook_entries(search_index, add_entry)

    def abandon(self) -> None:
        """A failed build: keep what was there (entries are keyed by content, so never wrong)."""
        self._unhook()
        self.db.rollback()
        self.db.close()

    def close(self) -> None:
        """Forget entries this build did not use (the cache holds one build's pages), then save."""
        self._unhook()
        self.db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")
        self.db.executemany("INSERT OR IGNORE INTO used VALUES (?)", ((k,) for k in self.used))
        self.db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM used)")
        self.db.commit()
        self.db.close()

    def _unhook(self) -> None:
        for name in engine.LOGGERS:
            logging.getLogger(name).removeHandler(self._counter)
