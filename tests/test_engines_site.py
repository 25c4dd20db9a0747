"""The same guide through both engines the seam supports (site/engine.py): MkDocs 1.6 and ProperDocs
1.6, each chosen by PILOTGUIDE_ENGINE in a fresh process. The shipped guide's site is the same,
file for file and byte for byte; warnings come out in Chinese under both."""

from __future__ import annotations

import filecmp
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_fixture, copy_shipped

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("properdocs") is None, reason="ProperDocs is not installed"),
]
ENGINES = ("mkdocs", "properdocs")
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def build(project: Path, out: Path, engine: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PILOTGUIDE_ENGINE": engine, "SOURCE_DATE_EPOCH": "1764806400"}
    return subprocess.run([sys.executable, "-m", "pilotguide", "build", "--config", str(project / "mkdocs.yml"),
                           "--site-dir", str(out), *args], capture_output=True, text=True, env=env, timeout=900)


def files_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_the_shipped_guide_is_the_same_on_both_engines(tmp_path):
    project = copy_shipped(tmp_path)
    sites = {}
    for engine in ENGINES:
        sites[engine] = tmp_path / f"site-{engine}"
        done = build(project, sites[engine], engine)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "WARNING" not in done.stderr
    names = files_of(sites["mkdocs"])
    assert len(names) > 40 and names == files_of(sites["properdocs"])
    _, mismatch, errors = filecmp.cmpfiles(sites["mkdocs"], sites["properdocs"], names, shallow=False)
    assert not errors
    for name in mismatch:  # only the generator tag may differ: "mkdocs-1.6.1" / "mkdocs-ProperDocs 1.6.7"
        texts = [GENERATOR.sub("", (sites[e] / name).read_text(encoding="utf-8")) for e in ENGINES]
        assert texts[0] == texts[1], name
    tags = {GENERATOR.search((sites[e] / "index.html").read_text(encoding="utf-8")).group(0) for e in ENGINES}
    assert len(tags) == 2 and any("ProperDocs" in tag for tag in tags)  # both engines really ran


@pytest.mark.parametrize("engine", ENGINES)
def test_warnings_are_chinese_on_both_engines(tmp_path, engine):
    project = copy_fixture("minimal", tmp_path)
    docs = project / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "extra.md").write_text("# 附页\n\n见[不存在的页面](missing.md)。\n", encoding="utf-8")
    done = build(project, tmp_path / "site", engine, "--strict")
    assert done.returncode == 1
    assert "docs/extra.md: 警告：链接 `missing.md` 指向的页面不存在" in done.stderr, done.stderr
    assert "使用了 --strict" in done.stderr or "构建失败" in done.stderr, done.stderr
    for english in ("WARNING", "Doc file", "contains a link", "Aborted", "Traceback"):
        assert english not in done.stderr, (english, done.stderr)
