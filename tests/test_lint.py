"""The code base passes ruff's pyflakes and syntax rules (undefined or unused names, bad syntax) and
keeps to the line length configured in pyproject.toml (`[tool.ruff] line-length`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_ruff_finds_nothing():
    ruff = Path(sys.executable).parent / "ruff"
    folders = [str(REPO / d) for d in ("generator", "tests", "benchmarks", "scripts") if (REPO / d).is_dir()]
    result = subprocess.run([str(ruff), "check", "--select", "F,E9,E501", "--no-cache", *folders],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
