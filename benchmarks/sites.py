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

SECTIONS = (("政策", "policies"), ("培育步骤", "steps"), ("试点案例", "case-studies"))


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
        config["nav"] = [{"首页": "index.md"}, *(_section(out / "docs", label, folder) for label, folder in SECTIONS),
                         {"术语表": "glossary.md"}]
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _section(docs: Path, label: str, folder: str) -> dict:
    items: list = [f"{folder}/index.md"]
    for page in sorted((docs / folder).glob("*.md")):
        if page.name != "index.md":
            title = page.read_text(encoding="utf-8").split("\n", 1)[0].lstrip("# ").strip()
            items.append({title: f"{folder}/{page.name}"})
    return {label: items}


def with_search_backend(project: Path, out: Path, backend: str) -> Path:
    """A copy of the project whose mkdocs.yml picks another search backend."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(project, out, ignore=shutil.ignore_patterns("site"))
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - pilotguide\n", f"  - pilotguide:\n      search_backend: {backend}\n")
    (out / "mkdocs.yml").write_text(config, encoding="utf-8")
    return out


def size_of(folder: Path) -> int:
    """Bytes of all files under folder."""
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(folder) for f in files)
