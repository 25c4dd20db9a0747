"""Loaded records kept between rebuilds of one `pilotguide serve` session.

`RecordCache`: a file's loaded and validated record, with the problems it raised, keyed by its
modification time, size and inode. An edit to one case study re-reads and re-validates that file
only; cross-record checks (ids, references, back-links) are cheap and always run on the whole
guide. Owned by whoever runs the preview (the MkDocs plugin instance) and passed to load_content.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from ..errors import Problem, Problems


class RecordCache:
    """path -> (stamp, vocabularies, result, problems) of the last time the file was loaded."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[tuple, Any, Any, list[Problem]]] = {}
        self.hits = self.misses = 0
        # id(record) -> (record, its field hashes) for the edition's content hash (editions.snapshot)
        self.digests: dict[int, tuple[Any, dict[str, str]]] = {}

    @staticmethod
    def stamp(path: Path | str) -> tuple:
        try:
            st = os.stat(path)
        except OSError:
            return ()
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def get_or_load(self, path: Path | str, kind: str, vocabularies: Any, problems: Problems,
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
