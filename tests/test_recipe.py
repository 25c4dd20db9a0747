"""The one recipe (site/recipe.py): `build`, `serve` (a save) and `generate` all make the guide
with `make_guide`, and nothing else in the package renders pages or makes downloads."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import copy_fixture, pilotguide

from pilotguide.site import recipe

PACKAGE = Path(recipe.__file__).resolve().parent.parent
MAKERS = {"render_pages", "course_files"}  # what turns content into pages and downloads
OWNERS = {"site/recipe.py", "pages/render.py", "courses/pack.py"}  # the recipe, and where they live


def callers(name: str) -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if called == name and rel not in OWNERS:
                    found.append(f"{rel}:{node.lineno}")
    return found


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_only_the_recipe_renders_and_makes_downloads(name):
    assert not callers(name), f"{name} called outside the recipe: {callers(name)}"


def test_the_check_finds_a_second_renderer(tmp_path, monkeypatch):
    rogue = PACKAGE / "site" / "_rogue_for_test.py"
    monkeypatch.setattr(Path, "rglob", lambda self, pattern: [rogue] if self == PACKAGE else [])
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: "render_pages(content, templates)\n")
    assert callers("render_pages") == ["site/_rogue_for_test.py:1"]


@pytest.fixture
def counted(monkeypatch):
    """Every call of the recipe, by the command that made it."""
    calls: list[tuple[bool, int]] = []
    real = recipe.render_pages

    def render_pages(content, *args, **kwargs):
        calls.append((bool(kwargs.get("downloads")), len(content.records.get("course", []))))
        return real(content, *args, **kwargs)
    monkeypatch.setattr(recipe, "render_pages", render_pages)
    return calls


@pytest.mark.slow
def test_build_generate_and_a_preview_save_all_call_the_recipe(tmp_path, counted):
    from pilotguide.site import engine
    from pilotguide.site.plugin import pilotguide_plugin

    project = copy_fixture("course", tmp_path)
    assert pilotguide(project, "build").exit_code == 0
    assert len(counted) == 1
    assert pilotguide(project, "generate", "--out", str(tmp_path / "out")).exit_code == 0
    assert len(counted) == 2 and (tmp_path / "out" / "index.md").is_file()
    preview = copy_fixture("finding", tmp_path, "preview-project")  # records whose save takes the quick path
    config = engine.load_config(preview / "mkdocs.yml", site_dir=str(tmp_path / "preview"))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        engine.build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        assert len(counted) == 3
        case = preview / "case-studies" / "rural-tech.yaml"
        text = case.read_text(encoding="utf-8")
        case.write_text(text.replace("\nsources:", "\nbody: 新加的一段正文。\nsources:", 1), encoding="utf-8")
        assert pilotguide_plugin(config).quick_rebuild({str(case)})  # the quick path took the save
        assert len(counted) == 4
    finally:
        config.plugins.on_shutdown()
    assert [with_downloads for with_downloads, _ in counted[:2]] == [True, True]  # the course fixture's formats
