"""Downloads made once per content: each PDF, DOCX and PPTX kept under a key of what it is made from.

A download's key (`download_key`) hashes everything that shapes its bytes: the format, the
Markdown it is made from (a handout page or the book: the records it includes, as the templates
printed them, with the download links and QR addresses that `site_url` gives), the embedded font,
the build date that dates the file, where the guide is published, and the tool itself (a hash of
pilotguide's package files: code, templates, print CSS; the versions of the libraries that set the
files: WeasyPrint, python-docx, python-pptx, segno, Python-Markdown, tinyhtml5). Change any of them
and that file is made again; leave them and it is read back.

`DownloadCache` holds made files in memory (a preview keeps one for its session) and, given a
folder, on disk: `pilotguide build` keeps them in `.pilotguide-cache/downloads/` (safe to delete),
so an unchanged rebuild makes no download and a one-case edit makes only the files that print
that case. Owned by whoever builds (GuideBuild, PreviewSession); nothing here is global.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path
from typing import Callable

# the libraries whose output ends up in a download's bytes
VERSIONED = ("weasyprint", "pydyf", "python-docx", "python-pptx", "segno", "markdown", "pymdown-extensions",
             "tinyhtml5", "nh3", "jinja2")


def _hash(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def tool_fingerprint() -> str:
    """pilotguide's package files (code, templates, CSS, fonts list) and the versions of the libraries
    that make the files: a new release or a local change of any of them makes every download again."""
    package = Path(__file__).resolve().parent.parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    versions = []
    for name in VERSIONED:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return _hash(";".join(versions), *(part for p in files for part in (p.relative_to(package).as_posix(),
                                                                         p.read_bytes())))


def font_identity(font) -> str:
    """The embedded font as far as it shapes a file: its family and, for a font file, the file itself."""
    if font is None:
        return ""
    path = getattr(font, "path", None)
    stat = path.stat() if path is not None and path.exists() else None
    return f"{font!r};{stat.st_size if stat else ''};{stat.st_mtime_ns if stat else ''}"


def download_key(tool: str, fmt: str, source: str, font: str, today, site) -> str:
    return _hash(tool, fmt, source, font, today, repr(site))


class DownloadCache:
    """Made files by key: in memory, and on disk when given a folder.

    `made` lists the keys made (not found) since the cache was opened; `close()` removes files on
    disk that this build did not ask for, so the folder holds one build's downloads."""

    def __init__(self, folder: Path | None = None, limit: int = 64) -> None:
        self.folder, self.limit = folder, limit
        self._files: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.made: list[str] = []
        self.tool = tool_fingerprint()

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        if key in self._files:
            return self._files[key]
        if self.folder is not None:
            try:
                return (self.folder / key).read_bytes()
            except OSError:
                return None
        return None

    def put(self, key: str, data: bytes) -> None:
        self.used.add(key)
        self.made.append(key)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f"{key}.part"
            partial.write_bytes(data)
            os.replace(partial, self.folder / key)  # never half a file under a key
            return
        if len(self._files) >= self.limit:
            self._files.clear()
        self._files[key] = data

    def get_or_make(self, key: str, make: Callable[[], bytes]) -> bytes:
        data = self.get(key)
        if data is None:
            data = make()
            self.put(key, data)
        return data

    def close(self) -> None:
        """Forget files on disk that this build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
