"""Shared fixtures: the repo root, a copy of a fixture project, helpers to write records."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite expected golden Markdown files")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def minimal(tmp_path) -> Path:
    """A writable copy of tests/fixtures/minimal: a small valid project."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


@pytest.fixture
def shipped(tmp_path) -> Path:
    """A writable copy of the shipped guide (content, docs, mkdocs.yml), without site/ or .venv."""
    target = tmp_path / "guide"
    target.mkdir()
    for name in ("mkdocs.yml", "vocabularies.yaml"):
        shutil.copy(REPO / name, target / name)
    for folder in ("docs", "policies", "steps", "case-studies", "glossary", "courses", "templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path
