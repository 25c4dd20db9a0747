"""Real MkDocs builds: the plugin inside `mkdocs build --strict`, and `pilotguide build`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build_project, pilotguide, write


BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), *args], cwd=root, env=ENV, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_mkdocs_build_strict_with_the_plugin(minimal):
    result = mkdocs(minimal, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = minimal / "site"
    page = (site / "case-studies" / "c1" / "index.html").read_text(encoding="utf-8")
    assert "黑龙江省哈尔滨市平房区平盛街道高潮村" in page
    assert 'href="../../steps/s2/"' in page  # links between generated pages resolve
    assert '<html lang="zh"' in (site / "index.html").read_text(encoding="utf-8")
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert 'id="g1"' in glossary


@pytest.mark.slow
def test_a_generated_page_never_overwrites_a_hand_written_one(minimal):
    write(minimal / "docs" / "glossary.md", "# 手写的术语表\n")
    result = mkdocs(minimal, "build")
    assert result.returncode == 1
    assert "glossary.md" in result.stderr and "docs/glossary.md" in result.stderr


@pytest.mark.slow
def test_mkdocs_reports_content_problems_located(minimal):
    path = minimal / "steps" / "s1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("policies: [p1]", "policies: [p9]"), encoding="utf-8")
    result = mkdocs(minimal, "build")
    assert result.returncode == 1
    assert "steps/s1.yaml:9:12: 字段 `policies[0]` 引用了不存在的政策 `p9`" in result.stderr


@pytest.mark.slow
def test_pilotguide_build_of_the_shipped_guide(shipped, monkeypatch):
    result = pilotguide(shipped, "build", "--strict")
    assert result.exit_code == 0, result.output
    home = (shipped / "site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in home
    sections = {"首页": "index.html", "政策": "policies/index.html", "培育步骤": "steps/index.html",
                "试点案例": "case-studies/index.html", "培训课程": "courses/index.html", "术语表": "glossary.html"}
    for label, link in sections.items():
        # a tab in the header links each section by its Chinese name
        assert re.search(rf'<a href="(\./)?{re.escape(link)}" class="md-tabs__link">\s*{label}\s*</a>', home), label
        assert (shipped / "site" / link).is_file()


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_site_alone(shipped, monkeypatch):
    assert pilotguide(shipped, "build", catch_exceptions=True).exit_code == 0
    site = shipped / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    step = sorted((shipped / "steps").glob("*.yaml"))[0]
    step.write_text(step.read_text(encoding="utf-8") + "\nbroken: [\n", encoding="utf-8")
    result = pilotguide(shipped, "build", catch_exceptions=True)
    assert result.exit_code == 1
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in shipped.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.slow
@pytest.mark.parametrize(("template", "where", "words"), [
    ("# {{ record.title }}\n\n{{ record.sumary }}\n", "templates/case-study.md.j2:3:", ["sumary", "summary"]),
    ("# {{ record.title }}\n\n{% for x in %}\n", "templates/case-study.md.j2:3:", ["模板语法错误"]),
])
def test_a_bad_template_override_fails_the_build_located(minimal, template, where, words):
    assert pilotguide(minimal, "build").exit_code == 0
    site = {p: p.read_bytes() for p in (minimal / "site").rglob("*") if p.is_file()}
    write(minimal / "templates" / "case-study.md.j2", template)
    result = pilotguide(minimal, "build", catch_exceptions=True)
    assert result.exit_code == 1, result.output
    assert where in result.output and all(w in result.output for w in words), result.output
    assert "内部错误" not in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in (minimal / "site").rglob("*") if p.is_file()} == site  # left as it was
    generated = pilotguide(minimal, "generate", "--out", str(minimal.parent / "out"), catch_exceptions=True)
    assert generated.exit_code == 1 and where in generated.output
    assert not (minimal.parent / "out").exists()


@pytest.mark.slow
def test_content_handed_to_a_build_is_for_that_build_only(minimal):
    """`pilotguide build` hands its checked content to the build on the engine's config
    (recipe.BuildInputs); MkDocs reuses plugin instances between loads of one config, so nothing
    may stay on the plugin: a later build in the same process loads the content again."""
    from pilotguide.content.gather import load_content
    from pilotguide.site import engine
    from pilotguide.site.build import build_site
    from pilotguide.site.recipe import INPUTS

    content = load_content(minimal)
    build_site(minimal / "mkdocs.yml", content=content)
    config = engine.load_config(minimal / "mkdocs.yml")
    plugin = config.plugins["pilotguide"]
    assert INPUTS not in config and not any(value is content for value in vars(plugin).values())
    plugin.on_config(config)
    assert plugin.guide.content is not content and plugin.guide.content.records.keys() == content.records.keys()


@pytest.mark.slow
def test_no_generator_notice_and_a_chinese_404_under_a_subpath(minimal):
    """No link out of the site on any page (a sealed intranet), and a 404 page that speaks Chinese
    and finds its styles and the home page when the guide lives under a subpath (site_url)."""
    config = minimal / "mkdocs.yml"
    config.write_text("site_url: http://intranet.example/guide/\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    site = build_project(minimal)
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert pages and not [p for p in pages if "Made with" in p or "squidfunk" in p]
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert "404 - Not found" not in missing
    assert "<h1>找不到这个页面</h1>" in missing and "<title>找不到这个页面 - " in missing
    assert '<a href="/guide/index.html">回到首页</a>' in missing
    assert re.search(r'<link rel="stylesheet" href="/guide/assets/stylesheets/main\.[0-9a-f]+\.min\.css"', missing)


@pytest.mark.slow
def test_a_guide_may_keep_the_generator_notice_and_its_own_404(minimal):
    """mkdocs.yml's own choices win: `extra.generator: true` and a 404.html in `custom_dir`."""
    write(minimal / "overrides" / "404.html", '{% extends "main.html" %}{% block content %}<h1>本单位的 404</h1>'
                                               '{% endblock %}')
    config = minimal / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("theme: {name: material,",
                                                      "theme: {custom_dir: overrides, name: material,")
    config.write_text(text + "extra:\n  generator: true\n", encoding="utf-8")
    site = build_project(minimal)
    assert "<h1>本单位的 404</h1>" in (site / "404.html").read_text(encoding="utf-8")
    assert "Made with" in (site / "index.html").read_text(encoding="utf-8")
