"""The broken and hostile input corpus: every case gives its expected, located outcome.

Each folder in tests/corpus/ is laid over a copy of tests/fixtures/minimal (its files replace or
join the fixture's) and holds an `expected.yaml`:

    about:    what the case is (one line)
    exit:     expected exit code of `pilotguide check`
    messages: fragments that must each appear in the output, most of them `path:line:col: ...`
    absent:   fragments that must not appear (optional)
    expand:   {file, marker, text, bytes}: replace `marker` in `file` by `text` repeated to `bytes`
              bytes of UTF-8 (large inputs are made here, not committed)
    created_nothing: a file name that a payload would create if it ran (optional)
    build:    {site page: [fragments]}: also build the site and find each fragment in the page
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, pilotguide

from pilotguide.content.gather import load_content
from pilotguide.errors import ContentError

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yaml").is_file())
LOCATED = re.compile(r"^[^:\n]+\.ya?ml:\d+:\d+: \S")


def expected(case: str) -> dict:
    return yaml.safe_load((CORPUS / case / "expected.yaml").read_text(encoding="utf-8"))


def make_project(case: str, parent: Path) -> Path:
    """The minimal fixture with the case's files laid over it."""
    root = parent / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    shutil.copytree(CORPUS / case, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.yaml"))
    spec = expected(case).get("expand")
    if spec:
        path = root / spec["file"]
        unit = spec["text"]
        text = unit * (spec["bytes"] // len(unit.encode("utf-8")) + 1)
        path.write_text(path.read_text(encoding="utf-8").replace(spec["marker"], text), encoding="utf-8")
    return root


def run(root: Path, *args: str, monkeypatch=None):
    return pilotguide(root, *args, catch_exceptions=True)


def test_every_case_has_files_and_says_what_it_is():
    assert len(CASES) >= 20
    for case in CASES:
        spec = expected(case)
        assert spec["about"] and spec["messages"], case
        assert any(p.is_file() and p.name != "expected.yaml" for p in (CORPUS / case).rglob("*")), case


@pytest.mark.parametrize("case", CASES)
def test_check_gives_the_expected_located_outcome(case, tmp_path, monkeypatch):
    spec = expected(case)
    root = make_project(case, tmp_path)
    result = run(root, "check", monkeypatch=monkeypatch)
    output = result.output
    assert result.exit_code == spec["exit"], output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    for fragment in spec["messages"]:
        assert fragment in output, f"{case}: {fragment!r} not in\n{output}"
    for fragment in spec.get("absent", []):
        assert fragment not in output, f"{case}: {fragment!r} in\n{output}"
    if spec["exit"]:
        problems = output.strip().splitlines()[:-1]  # the last line counts the errors
        assert problems and all(LOCATED.match(line) for line in problems), output
    if spec.get("created_nothing"):
        assert not list(tmp_path.rglob(spec["created_nothing"])) and not Path(spec["created_nothing"]).exists()


def test_an_alias_bomb_fails_fast_in_little_memory(tmp_path):
    root = make_project("billion-laughs", tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(ContentError) as info:
            load_content(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "别名" in info.value.format()
    assert peak < 64 * 1024 * 1024  # expanded, it would be a billion nodes: tens of gigabytes


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if expected(c).get("build")])
def test_accepted_cases_build_and_render_as_written(case, tmp_path, monkeypatch):
    root = make_project(case, tmp_path)
    before = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    result = run(root, "build", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    for page, fragments in expected(case)["build"].items():
        html = (root / "site" / page).read_text(encoding="utf-8")
        for fragment in fragments:
            assert fragment in html, f"{case}: {fragment!r} not in {page}"
    added = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")} - before
    assert all(p.parts[:2] in {("project", "site"), ("project", ".pilotguide-cache")} for p in added), sorted(added)[:5]


def test_the_installed_command_reports_everything_without_a_traceback(tmp_path):
    """The real console script, in its own process: all problems on stderr, exit 1, no traceback."""
    root = make_project("all-together", tmp_path)
    command = Path(sys.executable).parent / "pilotguide"
    result = subprocess.run([str(command), "check"], cwd=root, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 1
    for fragment in expected("all-together")["messages"]:
        assert fragment in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
