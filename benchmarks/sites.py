"""The sites the benchmark compares, all made from one synthetic project.

- ours: `pilotguide build` of the project (section index pages in the nav, case pages not);
- naive: the very same Markdown pages, hand-written style, built by plain MkDocs + Material with
  every page listed in the nav (what a guide of hand-written pages usually looks like);
- plain: the same pages and nav as ours but built by plain MkDocs + Material, no plugin: its
  search_index.json is "Material's default" for these pages;
- pagefind: ours with `search_backend: pagefind`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml


def markdown_project(project: Path, out: Path, full_nav: bool) -> Path:
    """Write the project's pages as a plain MkDocs project (no pilotguide plugin) into `out`."""
    if out.exists():
        shutil.rmtree(out)
    pilotguide = Path(sys.executable).with_name("pilotguide")
    subprocess.run([str(pilotguide), "generate", "--out", str(out / "docs")], cwd=project, check=True,
                   capture_output=True)
    (out / "docs" / ".pilotguide-generated").unlink()
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    if full_nav:
        config["nav"] = full_nav_of(out / "docs")
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def full_nav_of(docs: Path) -> list:
    """Every page in the nav: top-level pages, then one section per folder listing all its pages."""
    top = sorted(docs.glob("*.md"), key=lambda p: (p.name != "index.md", p.name))
    nav: list = [{_title(page): page.name} for page in top]
    for folder in sorted(p for p in docs.iterdir() if p.is_dir()):
        pages = sorted(folder.rglob("*.md"), key=lambda p: (p.name != "index.md", p.as_posix()))
        if pages:
            nav.append({folder.name: [{_title(p): p.relative_to(docs).as_posix()} for p in pages]})
    return nav


def _title(page: Path) -> str:
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return page.stem


def with_search_backend(project: Path, out: Path, backend: str) -> Path:
    """A copy of the project whose mkdocs.yml picks another search backend."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(project, out, ignore=shutil.ignore_patterns("site"))
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    option = f"      search_backend: {backend}\n"
    if "  - pilotguide:\n" in config:  # the plugin already has options (the shipped guide: `book: true`)
        config = config.replace("  - pilotguide:\n", "  - pilotguide:\n" + option)
    else:
        config = config.replace("  - pilotguide\n", "  - pilotguide:\n" + option)
    assert f"search_backend: {backend}" in config, "mkdocs.yml lists the pilotguide plugin in an unknown form"
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return out


def size_of(folder: Path) -> int:
    """Bytes of all files under folder."""
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)
