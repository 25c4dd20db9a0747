"""Shared fixtures: the repo root, a copy of a fixture project, helpers to write records."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

import pilotguide.site  # noqa: F401 - chooses the engine (MkDocs or ProperDocs) before a test imports it

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite expected golden Markdown files")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def copy_fixture(name: str, parent: Path, as_name: str = "project") -> Path:
    """A writable copy of tests/fixtures/<name> at parent/<as_name>."""
    target = parent / as_name
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture
def minimal(tmp_path) -> Path:
    """A writable copy of tests/fixtures/minimal: a small valid project."""
    return copy_fixture("minimal", tmp_path)


SHIPPED_FILES = ("mkdocs.yml", "guide.yaml", "vocabularies.yaml", "synonyms.yaml")
SHIPPED_FOLDERS = ("docs", "policies", "steps", "case-studies", "glossary", "courses", "templates")


def copy_shipped(parent: Path) -> Path:
    """Copy the shipped guide (content, docs, mkdocs.yml; not site/ or .venv) into parent/guide."""
    target = parent / "guide"
    target.mkdir()
    for name in SHIPPED_FILES:
        if (REPO / name).is_file():
            shutil.copy(REPO / name, target / name)
    for folder in SHIPPED_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.fixture
def shipped(tmp_path) -> Path:
    """A writable copy of the shipped guide."""
    return copy_shipped(tmp_path)


def pilotguide(root: Path, *args: str, catch_exceptions: bool = False):
    """The `pilotguide` CLI (click's CliRunner) on the project at `root`, named with --config so
    that no test changes the working folder. `catch_exceptions=True` to look at a crash's result."""
    from click.testing import CliRunner

    from pilotguide.cli import main

    return CliRunner().invoke(main, [*args, "--config", str(root / "mkdocs.yml")], catch_exceptions=catch_exceptions)


def build_project(root: Path, *args: str) -> Path:
    """Build a project's site with `pilotguide build`; return the site folder."""
    result = pilotguide(root, "build", *args)
    assert result.exit_code == 0, result.output
    return root / "site"


@pytest.fixture
def run():
    """run(root, *args): the `pilotguide` CLI on the project at `root` (see `pilotguide`)."""
    return pilotguide


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# Fixtures for built sites, servers and the browser live in browser.py.
from browser import browser, page, shipped_site, static_server  # noqa: E402,F401
