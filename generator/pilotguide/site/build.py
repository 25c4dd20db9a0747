"""Building the site with MkDocs: into a temporary folder, then swapped into place.

A build that fails (bad content, a broken template, a strict-mode warning) leaves the previous
site exactly as it was. Nothing is written outside the output folder and its temporary sibling.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's banner about MkDocs 2.0, on every build

from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from .plugin import preloaded  # noqa: E402


def _mkdocs_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_pilotguide", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._pilotguide = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def quiet_dirty_warning() -> None:
    """MkDocs warns in English on every dirty rebuild; `pilotguide serve` says it once, in Chinese."""
    logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = False,
               verbose: bool = False, content=None, jobs: int | None = None) -> Path:
    """Build the MkDocs site of `config_file`; return the site folder. Raises on failure.

    `content`, when given, is the already checked content of the project (loaded only once).
    `jobs`: processes for the parts of the build that are parallel by nature (None: mkdocs.yml's)."""
    _mkdocs_logging(verbose)
    config_file = config_file.resolve()
    probe = load_config(str(config_file))
    target = Path(site_dir).resolve() if site_dir else Path(probe.site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        if jobs is not None and "pilotguide" in config.plugins:
            config.plugins["pilotguide"].config.jobs = jobs
        if content is not None:
            with preloaded(content.root, content):
                mkdocs_build(config)
        else:
            mkdocs_build(config)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _swap(new: Path, target: Path) -> None:
    """Put `new` where `target` is, keeping the old one until the new one is in place."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def zip_site(site: Path, out_dir: Path, name: str = "guide", today: dt.date | None = None) -> Path:
    """A dated archive of the site (`<name>-site-YYYY-MM-DD.zip`), for an intranet web server."""
    stamp = (today or dt.date.today()).isoformat()
    archive = out_dir / f"{name}-site-{stamp}.zip"
    partial = archive.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(site.rglob("*")):
            if path.is_file():
                zf.write(path, Path(name) / path.relative_to(site))
    partial.replace(archive)
    return archive
