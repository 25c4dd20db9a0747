"""The build cache (site/pagecache.py): a repeated build reuses pages, and never when anything that
shapes a page changed (mkdocs.yml, a template, the theme, a version)."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest
from conftest import copy_fixture, write
from mkdocs.commands.build import build
from mkdocs.config import load_config

from pilotguide.site import pagecache

pytestmark = pytest.mark.slow  # each case builds a small site a few times


def built(root: Path, site: str = "site") -> tuple[int, int]:
    """Build the project like `pilotguide build` does; return (pages reused, pages built)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / site))
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does (plugins live on)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config.plugins["pilotguide"].cache_report


def pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


@pytest.fixture
def project(tmp_path) -> Path:
    root = copy_fixture("minimal", tmp_path)
    reused, made = built(root, "first")
    assert reused == 0 and made > 5
    return root


def test_a_second_build_reuses_every_page_and_writes_the_same_site(project):
    total = built(project, "first")  # same site folder: nothing changed
    reused, made = built(project, "second")
    assert (reused, made) == (total[0], 0) and reused > 5
    assert pages(project / "first") == pages(project / "second")
    assert (project / pagecache.CACHE_DIR / ".gitignore").read_text() == "*\n"


def test_one_changed_record_rebuilds_only_pages_whose_text_changed(project):
    case = next((project / "case-studies").glob("*.yaml"))
    text = case.read_text(encoding="utf-8").replace("\nsummary: ", "\nsummary: 新增一句。", 1)
    case.write_text(text, encoding="utf-8")
    reused, made = built(project, "second")
    assert made >= 1 and reused >= 1  # the case page and the pages listing it; not the rest
    os.rename(project / pagecache.CACHE_DIR, project / "old-cache")  # a cold build of the same content
    built(project, "cold")
    assert pages(project / "second") == pages(project / "cold")  # footers carry the new edition stamp


def test_a_config_change_invalidates_every_page(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "extra:\n  note: 1\n", encoding="utf-8")
    assert built(project, "second")[0] == 0


def test_a_template_override_rebuilds_the_pages_it_shapes(project):
    packaged = Path(pagecache.__file__).resolve().parent.parent / "templates" / "case-study.md.j2"
    write(project / "templates" / "case-study.md.j2", packaged.read_text(encoding="utf-8") + "\n覆盖模板的标记\n")
    reused, made = built(project, "second")
    assert made >= 1
    cases = [p for p in (project / "second" / "case-studies").glob("*/index.html")]  # directory URLs here
    assert cases and all("覆盖模板的标记" in p.read_text(encoding="utf-8") for p in cases)


def test_a_theme_change_invalidates_every_page(project):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("theme: {", "theme: {custom_dir: overrides, ")
    config.write_text(text, encoding="utf-8")
    write(project / "overrides" / "main.html",
          '{% extends "base.html" %}\n{% block footer %}<p>页脚一</p>{% endblock %}\n')
    assert built(project, "second")[0] == 0
    assert built(project, "third")[1] == 0  # unchanged again: all reused
    write(project / "overrides" / "main.html",
          '{% extends "base.html" %}\n{% block footer %}<p>页脚二</p>{% endblock %}\n')
    assert built(project, "fourth")[0] == 0  # only the theme file changed, not mkdocs.yml
    assert "页脚二" in (project / "fourth" / "index.html").read_text(encoding="utf-8")


def test_a_version_change_invalidates_every_page(project, monkeypatch):
    versions = pagecache._versions()
    monkeypatch.setattr(pagecache, "_versions", lambda: versions.replace("mkdocs-material=", "mkdocs-material=0"))
    assert built(project, "second")[0] == 0


def test_the_cache_can_be_switched_off(project):
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("pilotguide]", "{pilotguide: {build_cache: false}}]")
    config.write_text(text, encoding="utf-8")
    assert built(project, "second") is None


def test_a_nav_page_heading_change_invalidates_every_page(project):
    """Nav entries without a title take the page's heading, and every page shows the nav."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "nav: [index.md, glossary.md]\n", encoding="utf-8")
    built(project, "second")
    assert built(project, "third")[1] == 0
    packaged = Path(pagecache.__file__).resolve().parent.parent / "templates" / "glossary-index.md.j2"
    text = packaged.read_text(encoding="utf-8")
    heading = next(line for line in text.splitlines() if line.startswith("# "))
    write(project / "templates" / "glossary-index.md.j2", text.replace(heading, "# 名词解释", 1))
    assert built(project, "fourth")[0] == 0
    assert "名词解释" in (project / "fourth" / "index.html").read_text(encoding="utf-8")


def test_a_page_that_warned_is_never_reused_so_strict_still_fails(project):
    write(project / "docs" / "index.md", "# 首页\n\n见[说明](nope.md)。\n")
    built(project, "second")  # warns about nope.md
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "strict"), strict=True)
    with pytest.raises(Exception, match="strict"):
        build(config)


def lexicon(site: Path) -> list[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return index["config"]["pilotguide"]["lexicon"].split()


def test_search_cuts_are_kept_and_reused_only_for_runs_without_a_changed_word(project):
    """jieba's cuts of the search text (most of a warm build's time at 10,000 cases) are kept with
    the pages; a build reads them back for the runs that hold no user word added or removed since
    (a run's cut depends only on the user words inside it: engine.tokenizer)."""
    store = project / pagecache.CACHE_DIR / pagecache.CUTS_NAME
    first = lexicon(project / "first")
    data = json.loads(zlib.decompress(store.read_bytes()).decode("utf-8"))
    data["runs"] = {run: "只在存档里的词" for run in data["runs"]}  # a cut only the store can bring
    store.write_bytes(zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8")))
    built(project, "second")
    assert "只在存档里的词" in lexicon(project / "second")

    term = project / "glossary" / "g2.yaml"  # another user word, inside a run of the text (step s2's task)
    term.write_text((project / "glossary" / "g1.yaml").read_text(encoding="utf-8")
                    .replace("id: g1", "id: g2").replace("term: 观察点", "term: 建立观察点")
                    .replace("aliases: [试点]", "aliases: []").replace("related: [g1]", "related: []"),
                    encoding="utf-8")
    built(project, "third")
    assert "只在存档里的词" in lexicon(project / "third")  # runs without the new word: the store's cuts
    runs = json.loads(zlib.decompress(store.read_bytes()).decode("utf-8"))["runs"]
    holding = {run: words for run, words in runs.items() if "建立观察点" in run}
    assert holding and all("建立观察点" in words.split() for words in holding.values())  # cut again
    term.unlink()

    store.write_bytes(b"not zlib at all")  # a damaged store is only a missed shortcut
    built(project, "fourth")
    assert lexicon(project / "fourth") == first
