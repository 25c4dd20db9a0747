"""The preview's quick path (site/preview/quick.py): a records-only save rebuilds only the pages it
changed, with the very output a full build gives, and steps aside whenever it cannot vouch for that.

Each test runs MkDocs' build in this process as `pilotguide serve` does (dirty builds, a plugin
instance that lives across saves), then saves a record and calls the quick path directly; the
reference is `pilotguide build` of the same project in a fresh process.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from pilotguide.site.plugin import pilotguide_plugin
from pilotguide.site.search.index import INDEX, INDEX_SCRIPT

from conftest import copy_fixture

pytestmark = pytest.mark.slow  # MkDocs builds of a fixture (a few seconds each)

FINGERPRINT = re.compile(r"内容指纹 [0-9a-f]+")  # the footer's edition stamp: see the README (preview)


class Preview:
    """MkDocs' side of `pilotguide serve` for `root`, without the HTTP server."""

    def __init__(self, root: Path, site: Path):
        self.root, self.site = root, site
        self.config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
        self.config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = pilotguide_plugin(self.config)
        build(self.config, serve_url="http://127.0.0.1:8000/", dirty=True)

    def save(self, path: Path, text: str) -> bool:
        """Write a record the way an editor does, then let the quick path take it if it can."""
        path.write_text(text, encoding="utf-8")
        return self.plugin.quick_rebuild({str(path)})

    def pages(self) -> dict[str, str]:
        return {p.relative_to(self.site).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(self.site.rglob("*.html"))}

    def build(self) -> None:
        """What the server does when the quick path declines: MkDocs' dirty build, config reloaded."""
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        self.config = config

    def same_as_built(self, parent: Path, touched: set[str]) -> None:
        """Every page as `pilotguide build` of the project makes it, and the served search index
        as the build's. Pages a save did not touch keep the fingerprint of the edition the preview
        last built in full (the README says so); the touched ones carry the new one."""
        site = reference(self.root, parent)
        pages = self.pages()
        built = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}
        assert pages.keys() == built.keys()
        for path in pages:
            mine, theirs = pages[path], built[path]
            if path not in touched:
                mine, theirs = FINGERPRINT.sub("", mine), FINGERPRINT.sub("", theirs)
            assert mine == theirs, path
        served = json.loads(self.plugin.served_file(INDEX))
        assert served == json.loads((site / INDEX).read_text(encoding="utf-8"))

    def close(self) -> None:
        self.config.plugins.on_shutdown()


@pytest.fixture
def preview(tmp_path):
    project = copy_fixture("finding", tmp_path)
    p = Preview(project, tmp_path / "served")
    yield p
    p.close()


def reference(root: Path, parent: Path) -> Path:
    """`pilotguide build` of the project as it is now, in another folder and process."""
    copy = parent / "reference"
    shutil.copytree(root, copy)
    # another process: MkDocs keeps plugin instances per process, and this one's is a preview's
    done = subprocess.run([sys.executable, "-m", "pilotguide", "build", "--config", str(copy / "mkdocs.yml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return copy / "site"


def test_a_retitled_case_rebuilds_its_pages_as_a_full_build_would(preview, tmp_path):
    case = preview.root / "case-studies" / "urban-service.yaml"
    before = {p: (preview.site / p).stat().st_mtime_ns for p in preview.pages()}
    text = case.read_text(encoding="utf-8")
    title = re.search(r"^title: (.+)$", text, re.M).group(1)
    assert preview.save(case, text.replace(f"title: {title}", "title: 改过的题目甲乙丙", 1))

    pages = preview.pages()
    touched = {p for p in pages if (preview.site / p).stat().st_mtime_ns != before[p]}
    assert "case-studies/urban-service.html" in touched and "case-studies/index.html" in touched
    assert any(p.startswith("topics/") for p in touched)  # the topic pages listing it
    assert len(touched) < len(pages) / 2  # not a rebuild of everything
    assert "改过的题目甲乙丙" in pages["case-studies/urban-service.html"]
    assert FINGERPRINT.search(pages["changes.html"]).group(0) in pages["changes.html"].split("md-copyright")[-1]

    preview.same_as_built(tmp_path, touched)
    served = json.loads(preview.plugin.served_file(INDEX))
    assert any("改过的题目甲乙丙" in d["title"] for d in served["docs"])
    compact = json.dumps(served, ensure_ascii=False, separators=(",", ":"))
    assert preview.plugin.served_file(INDEX_SCRIPT).decode("utf-8") == f"var __index = {compact}"
    assert preview.plugin.served_file("index.html") is None  # pages come from the site folder


def test_a_body_edit_rebuilds_only_that_case_page(preview):
    case = preview.root / "case-studies" / "rural-tech.yaml"
    before = {p: (preview.site / p).stat().st_mtime_ns for p in preview.pages()}
    text = case.read_text(encoding="utf-8")
    edited = text.replace("\nsources:", "\nbody: 新加的一段正文丁戊己。\nsources:", 1)
    assert edited != text
    assert preview.save(case, edited)
    touched = [p for p in preview.pages() if (preview.site / p).stat().st_mtime_ns != before[p]]
    # the case page, and the changes page (which lists the fields changed since the last edition)
    assert touched == ["case-studies/rural-tech.html", "changes.html"]
    assert "新加的一段正文丁戊己" in (preview.site / touched[0]).read_text(encoding="utf-8")
    assert "新加的一段正文丁戊己" in preview.plugin.served_file(INDEX).decode("utf-8")


@pytest.mark.parametrize("change", ["glossary", "new case", "error", "docs page"])
def test_what_the_quick_path_cannot_vouch_for_goes_to_mkdocs(preview, change):
    """Each of these returns False: the server then runs MkDocs' build (test_preview_server.py)."""
    root = preview.root
    if change == "glossary":  # terms become links on every page
        path = next((root / "glossary").glob("*.yaml"))
        text = path.read_text(encoding="utf-8") + "\n# 注释\n"
    elif change == "new case":  # a page more: the navigation and indexes change
        path = root / "case-studies" / "rural-tech-2.yaml"
        text = (root / "case-studies" / "rural-tech.yaml").read_text(encoding="utf-8").replace(
            "id: rural-tech", "id: rural-tech-2", 1)
    elif change == "error":  # the preview shows the problems instead
        path = root / "case-studies" / "rural-tech.yaml"
        text = path.read_text(encoding="utf-8").replace("\ntitle:", "\ntitel:", 1)
    else:  # a hand-written page
        path = root / "docs" / "index.md"
        text = path.read_text(encoding="utf-8") + "\n新的一段。\n"
    assert not preview.save(path, text)
    assert preview.plugin.session.last is None  # until MkDocs' build has run again


def test_a_title_shown_in_the_navigation_goes_to_mkdocs(tmp_path):
    """A page listed in mkdocs.yml's nav without a label takes its heading, the record's title,
    into the navigation of every page: only MkDocs' build can redo them all."""
    project = copy_fixture("finding", tmp_path)
    step = project / "steps" / "long-checklist.yaml"
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "nav:\n  - 首页: index.md\n  - steps/long-checklist.md\n", encoding="utf-8")
    preview = Preview(project, tmp_path / "served")
    try:
        text = step.read_text(encoding="utf-8")
        summary = re.sub(r"^(summary: )(.*)$", r"\1\2另加一句。", text, count=1, flags=re.M)
        assert summary != text and preview.save(step, summary)  # same title: quick
        title = re.sub(r"^(title: )(.*)$", r"\1新的步骤名称", summary, count=1, flags=re.M)
        assert title != summary and not preview.save(step, title)
    finally:
        preview.close()


def test_a_quick_save_after_mkdocs_built_again_keeps_the_index_whole(preview, tmp_path):
    """A save MkDocs had to build (a hand-written page) merges Material's index anew; a quick save
    after it must still index each page once, as a build of the guide does."""
    page = preview.root / "docs" / "index.md"
    assert not preview.save(page, page.read_text(encoding="utf-8") + "\n另一段说明。\n")
    preview.build()
    assert preview.plugin.session.last is not None
    case = preview.root / "case-studies" / "rural-tech.yaml"
    before = {p: (preview.site / p).stat().st_mtime_ns for p in preview.pages()}
    text = case.read_text(encoding="utf-8")
    assert preview.save(case, text.replace("title: 四平市农技服务队", "title: 四平农技队", 1))
    touched = {p for p in preview.pages() if (preview.site / p).stat().st_mtime_ns != before[p]}
    preview.same_as_built(tmp_path, touched)
    served = json.loads(preview.plugin.served_file(INDEX))
    locations = [d["location"] for d in served["docs"]]
    assert len(locations) == len(set(locations))


def test_search_parses_a_quick_save_s_pages_when_the_index_is_asked_for(preview, monkeypatch):
    """A save shows its pages without waiting for Material's parse of them for search: that runs
    when a browser next asks for the index, and reads each page as its last save left it."""
    from pilotguide.site.preview import quick

    material = next(p for p in preview.config.plugins.values() if hasattr(getattr(p, "search_index", None), "entries"))
    real = material.search_index
    entries = len(real.entries)
    case = preview.root / "case-studies" / "rural-tech.yaml"
    text = case.read_text(encoding="utf-8")
    assert preview.save(case, text.replace("title: 四平市农技服务队", "title: 第一回改名庚辛", 1))
    assert material.search_index is real and len(real.entries) == entries  # nothing parsed yet
    assert preview.save(case, text.replace("title: 四平市农技服务队", "title: 第二回改名壬癸", 1))
    served = preview.plugin.served_file(INDEX).decode("utf-8")
    assert "第二回改名壬癸" in served and "第一回改名庚辛" not in served
    assert served == preview.plugin.served_file(INDEX).decode("utf-8")  # parsed once, then kept

    def broken(*args):
        raise RuntimeError("a quick path that fails half-way")
    monkeypatch.setattr(quick, "rebuild", broken)
    assert not preview.save(case, text)  # MkDocs' build then runs, with Material's own index
    assert material.search_index is real


def test_a_build_after_a_preview_in_the_same_process_indexes_only_its_own_pages(preview, tmp_path):
    """The engine keeps plugin instances for the process, and Material's search plugin keeps a dirty
    (preview) build's index to merge into the next: a build of another guide afterwards must not
    carry the previewed guide's pages in its search index (they leaked into a county's index)."""
    from conftest import build_project

    other = copy_fixture("minimal", tmp_path, "other")
    config = other / "mkdocs.yml"  # pages as files (`index.html`, as the shipped guide has them): Material
    # then merges a kept index into the build's instead of replacing it (its first entry names a page)
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    alone = reference(other, tmp_path / "alone")  # the same guide built in a process of its own
    site = build_project(other)

    def entries(folder: Path) -> list[tuple[str, str]]:
        index = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
        return sorted((doc["location"], doc["title"]) for doc in index["docs"])

    assert entries(site) == entries(alone)
