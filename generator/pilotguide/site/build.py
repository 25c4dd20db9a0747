"""Building the site with MkDocs: into a temporary folder, then swapped into place.

A build that fails (bad content, a broken template, a strict-mode warning) leaves the previous
site exactly as it was. Nothing is written outside the output folder and its temporary sibling.
`generate` (Markdown for any engine) shares the same staging and swap, and the one clash check
between generated pages and hand-written files in docs/.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from ..errors import SetupError
from ..pages.paths import SiteAddress
from . import engine, mkdocs_log
from .recipe import INPUTS, BuildInputs, GuideOptions, check_clashes, make_guide

GENERATED_MARK = ".pilotguide-generated"  # marks a folder `generate` wrote, which it may replace


def _mkdocs_logging(verbose: bool, docs: str = "docs", config_file: Path | None = None) -> None:
    mkdocs_log.setup(verbose, docs, config_file)  # each message once, in Chinese where known


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def quiet_dirty_warning() -> None:
    """MkDocs warns in English on every dirty rebuild; `pilotguide serve` says it once, in Chinese."""
    for logger in engine.dirty_warning_loggers():
        logger.addFilter(_DropDirtyWarning())


def build_site(config_file: Path, site_dir: Path | None = None, strict: bool = False,
               verbose: bool = False, content=None,
               configured_site_dir: str = "site") -> Path:
    """Build the site of `config_file` with the engine; return the site folder. Raises on failure.

    `content`, when given, is the already checked content of the project (loaded only once):
    it travels on the engine's config (recipe.BuildInputs), which MkDocs hands to the plugin.
    `configured_site_dir`: mkdocs.yml's site_dir as the project read it, so that the engine loads
    mkdocs.yml once, into the build's temporary folder."""
    _mkdocs_logging(verbose, config_file=Path(config_file))
    config_file = config_file.resolve()
    target = Path(site_dir).resolve() if site_dir else (config_file.parent / configured_site_dir).resolve()

    def fill(staging: Path) -> None:
        config = engine.load_config(config_file, site_dir=str(staging), strict=strict)
        config[INPUTS] = BuildInputs(content)
        # as `mkdocs build` does around its build: plugin instances live for the process, and a
        # preview's (never shut down by a test or library caller) must not reach this build
        config.plugins.on_startup(command="build", dirty=False)
        engine.forget_previous_index(config)  # nor the search index Material kept from a preview
        try:
            engine.build(config)
        finally:
            config.plugins.on_shutdown()

    write_atomically(target, fill, "building-")
    return target


def write_atomically(target: Path, fill, tag: str = "") -> None:
    """Make `target` by filling a temporary sibling folder, then swapping it into place; on any
    failure (Ctrl+C included) the temporary folder is removed and `target` is left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.{tag}", dir=target.parent))
    try:
        fill(staging)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def site_address(config) -> SiteAddress:
    """Where a loaded MkDocs config says the guide is published (QR codes, slides, the book)."""
    return SiteAddress(config.site_name or "", config.site_url or None, bool(config.use_directory_urls))


def generate(config_file: Path, content, out: Path, downloads: bool = True,
             project=None) -> tuple[int, int, str | None]:
    """Write docs/ plus the generated Markdown (and course downloads) to `out`, for any Markdown
    engine, as `mkdocs.yml` sets it up (docs_dir, site_url for QR codes; the pilotguide plugin's
    templates_dir and format switches). `out` must be empty, missing, or an earlier output of this
    function. Returns the number of pages and of other files written, and the PDF engine's warning
    (PDFs from a browser, or none made; None when WeasyPrint made them). Raises ContentError,
    PackError or SetupError."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / GENERATED_MARK).exists())):
        raise SetupError(f"{out} 不是空目录，也不是 pilotguide 生成的目录：为避免覆盖，请换一个输出目录。")
    if project is None:
        from .project import load_project

        project = load_project(Path(config_file).resolve())
    data = project.data
    site = SiteAddress(str(data.get("site_name") or ""), data.get("site_url") or None,
                       bool(data.get("use_directory_urls", True)))
    docs = project.root / str(data.get("docs_dir") or "docs")
    options = GuideOptions.of(project.root, project.options(), site, downloads=downloads, docs=docs)
    output = make_guide(content, options)
    pages, files = output.pages, output.downloads
    check_clashes(docs, output)

    def fill(staging: Path) -> None:
        if docs.is_dir():
            shutil.copytree(docs, staging, dirs_exist_ok=True)
        for path, data in {**pages, **files}.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        (staging / GENERATED_MARK).write_text("pilotguide generate\n", encoding="utf-8")

    try:
        write_atomically(out, fill)
    except OSError as error:
        raise SetupError(f"无法写入 {out}：{error.strerror or error}。请检查目录权限和磁盘空间。") from None
    return len(pages), len(files), output.notice


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
