"""Commands that make no download import no download library: `pilotguide --help` and `check`
start in a fraction of a second (WeasyPrint, python-docx and python-pptx are most of a second to
import). Measured with `python -X importtime`, which lists every module a process imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_fixture

HEAVY = ("weasyprint", "docx", "pptx")


def imported(*args: str, cwd: Path | None = None) -> set[str]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "pilotguide", *args], cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    lines = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert len(lines) > 50, done.stderr[-2000:]  # importtime did report
    return {name.split(".")[0] for name in lines}


@pytest.mark.parametrize("args", [("--help",), ("build", "--help"), ("import", "--help")])
def test_help_imports_no_download_library(args):
    assert not set(HEAVY) & imported(*args)


def test_check_imports_no_download_library(tmp_path):
    project = copy_fixture("course", tmp_path)
    modules = imported("check", "--config", str(project / "mkdocs.yml"))
    assert "yaml" in modules and not set(HEAVY) & modules
