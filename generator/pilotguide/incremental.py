"""Fast edits under `pilotguide serve`: redo only what an edit touched.

Two pieces, both kept by the (persistent) MkDocs plugin between rebuilds of one serve session:
- `RecordCache`: a file's loaded and validated record, with the problems it raised, keyed by its
  modification time and size. An edit to one case study re-reads and re-validates that file only;
  cross-record checks (ids, references, back-links) are cheap and always run on the whole guide.
- `PageStage`: generated pages written to a private folder, and rewritten only when their
  Markdown changed. MkDocs' dirty builds (`mkdocs serve --dirty`) re-render a page only when its
  source is newer than its output, so an edit re-renders exactly the pages whose text it changed:
  the case's own page, its section index, and the step and policy pages that list it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

import jinja2

from .errors import Problem, Problems


class RecordCache:
    """path -> (stamp, vocabularies, result, problems) of the last time the file was loaded."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[tuple, Any, Any, list[Problem]]] = {}
        self.hits = self.misses = 0

    @staticmethod
    def stamp(path: Path) -> tuple:
        try:
            st = path.stat()
        except OSError:
            return ()
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def get_or_load(self, path: Path, kind: str, vocabularies: Any, problems: Problems,
                    load: Callable[[Problems], Any]) -> Any:
        """The cached result of load() for this file, or a fresh one; its problems re-added either way."""
        key, stamp = (str(path), kind), self.stamp(path)
        entry = self._entries.get(key)
        if entry is not None and stamp and entry[0] == stamp and entry[1] == vocabularies:
            self.hits += 1
            problems.items.extend(entry[3])
            return entry[2]
        self.misses += 1
        own = Problems()
        result = load(own)
        problems.items.extend(own.items)
        self._entries[key] = (stamp, vocabularies, result, own.items)
        return result


class PageMemo:
    """Each generated page's Markdown with the inputs it was rendered from (see render_pages)."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[Any, str]] = {}
        self.reused = self.rendered = 0

    def get(self, page: str, key: Any) -> str | None:
        entry = self._pages.get(page)
        if entry is not None and entry[0] == key:
            self.reused += 1
            return entry[1]
        return None

    def put(self, page: str, key: Any, markdown: str) -> None:
        self.rendered += 1
        self._pages[page] = (key, markdown)


class PageStage:
    """Generated pages on disk, rewritten only when their text changes (mtimes drive dirty builds)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="pilotguide-pages-"))
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

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def share_bytecode(theme, cache: jinja2.BytecodeCache) -> None:
    """Make every environment this theme creates use `cache`."""
    if getattr(theme, "_pilotguide_bytecode", None) is cache:
        return
    make_env = theme.get_env

    def get_env():
        env = make_env()
        env.bytecode_cache = cache
        return env

    theme.get_env = get_env
    theme._pilotguide_bytecode = cache
