"""Builds are atomic and commands touch only their declared output.

A build that fails part-way (a page already written to the temporary folder) leaves the previous
site/ byte for byte; no command writes outside its output, and only `new` adds content files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import pilotguide, write
from mkdocs.exceptions import MkDocsException


# A MkDocs hook that fails while pages are being written, after at least one page is on disk.
HOOK = '''
from pathlib import Path
from mkdocs.exceptions import PluginError

def on_post_page(output, page, config):
    written = list(Path(config.site_dir).rglob("*.html"))
    if len(written) >= 2:
        message = f"中途失败：临时目录里已有 {len(written)} 个页面"
        raise {error}(message)
    return output
'''
FAILURES = {"plugin-error": "PluginError", "crash": "RuntimeError", "interrupt": "KeyboardInterrupt"}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `folder`."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k, 0) != after.get(k, 0)}


def cli(root: Path, *args: str, monkeypatch=None):
    return pilotguide(root, *args, catch_exceptions=True)


@pytest.mark.slow
@pytest.mark.parametrize("failure", FAILURES)
def test_a_build_broken_midway_leaves_the_site_byte_for_byte(minimal, failure, monkeypatch, caplog):
    from pilotguide.site.build import build_site

    assert cli(minimal, "build", monkeypatch=monkeypatch).exit_code == 0
    write(minimal / "hooks" / "fail.py", HOOK.replace("{error}", FAILURES[failure]))
    config = minimal / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks: [hooks/fail.py]\n", encoding="utf-8")
    before = snapshot(minimal.parent)
    # MkDocs turns a PluginError into Abort (after logging it); other errors and Ctrl+C pass through.
    with pytest.raises((MkDocsException, RuntimeError, KeyboardInterrupt)) as info:
        build_site(config)
    assert "中途失败：临时目录里已有" in str(info.value) + caplog.text  # it failed part-way through writing
    assert changed(before, snapshot(minimal.parent)) == set()  # site/ as it was; no temporary folder left
    if failure == "plugin-error":
        result = cli(minimal, "build", monkeypatch=monkeypatch)
        assert result.exit_code == 1 and "构建失败" in result.output and "Traceback" not in result.output
        assert changed(before, snapshot(minimal.parent)) == set()


@pytest.mark.slow
def test_a_template_error_fails_the_build_and_keeps_the_site(minimal, monkeypatch):
    assert cli(minimal, "build", monkeypatch=monkeypatch).exit_code == 0
    write(minimal / "templates" / "step.md.j2", "# {{ record.title | inline }}\n{{ record.missing_field.oops }}\n")
    before = snapshot(minimal.parent)
    result = cli(minimal, "build", monkeypatch=monkeypatch)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert changed(before, snapshot(minimal.parent)) == set()


def _today_zip() -> str:
    return f"project/guide-site-{dt.date.today().isoformat()}.zip"


# command -> the paths (relative to the folder holding the project) it may add or change.
COMMANDS = {
    ("check",): set(),
    ("check", "--strict"): set(),
    ("schema", "--out", "../schemas"): {"schemas"},
    ("generate", "--out", "../out"): {"out"},
    # the build cache (site/pagecache.py) is a declared output of build too
    ("build",): {"project/site", "project/.pilotguide-cache"},
    ("build", "--zip"): {"project/site", "project/.pilotguide-cache", "zip"},
    ("build", "--record-edition"): {"project/site", "project/.pilotguide-cache", "project/editions.json"},
    ("new", "step", "s9"): {"project/steps/s9.yaml", "project/schemas"},
}


@pytest.mark.slow
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_commands_write_only_their_output(minimal, args, monkeypatch):
    config = minimal / "mkdocs.yml"  # as `init` writes it: `check --strict` then has no warning to fail on
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n", encoding="utf-8")
    parent = minimal.parent
    before = snapshot(parent)
    result = cli(minimal, *args, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    allowed = {_today_zip() if a == "zip" else a for a in COMMANDS[args]}
    for path in changed(before, snapshot(parent)):
        assert path in before or any(path == a or path.startswith(a + "/") for a in allowed), path
        assert path not in before or before[path] is None, f"{path} was modified"  # nothing existing rewritten


@pytest.mark.parametrize("args", [a for a in COMMANDS if a[0] != "new"], ids=" ".join)
def test_commands_on_broken_content_write_nothing(minimal, args, monkeypatch):
    step = minimal / "steps" / "s1.yaml"
    step.write_text(step.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    before = snapshot(minimal.parent)
    result = cli(minimal, *args, monkeypatch=monkeypatch)
    if args[0] == "schema":  # needs only the vocabularies, so it still works
        assert result.exit_code == 0
        return
    assert result.exit_code == 1 and "steps/s1.yaml:" in result.output
    assert changed(before, snapshot(minimal.parent)) == set()
