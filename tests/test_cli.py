"""The command line, as a publisher uses it (click's CliRunner, in a copy of a project)."""

from __future__ import annotations

import json
import re

import click
import pytest
from click.testing import CliRunner
from conftest import REPO
from jsonschema import Draft7Validator

from pilotguide.cli import main


def test_check_passes_on_the_shipped_guide(run):
    result = run(REPO, "check")
    assert result.exit_code == 0, result.output
    assert "内容检查通过" in result.output


def test_broken_reference_exits_1_with_location_and_id(run, shipped):
    case = sorted((shipped / "case-studies").glob("*.yaml"))[0]
    text = case.read_text(encoding="utf-8")
    match = re.search(r"^policies:\s*\n\s*- (\S+)|^policies: \[([^,\]]+)", text, re.M)
    assert match, "the shipped case studies cite policies"
    bad = (match.group(1) or match.group(2)).strip()
    case.write_text(text.replace(bad, bad + "-typo", 1), encoding="utf-8")
    result = run(shipped, "check")
    assert result.exit_code == 1
    line = text[: text.index(bad)].count("\n") + 1
    assert re.search(rf"^case-studies/{case.name}:{line}:\d+: .*`{bad}-typo`", result.output, re.M), result.output
    assert "Traceback" not in result.output


def test_duplicate_key_exits_1_naming_the_line(run, shipped):
    step = sorted((shipped / "steps").glob("*.yaml"))[0]
    text = step.read_text(encoding="utf-8")
    lines = text.count("\n")
    step.write_text(text + "title: 又一个标题\n", encoding="utf-8")
    result = run(shipped, "check")
    assert result.exit_code == 1
    assert f"steps/{step.name}:{lines + 1}:1: 字段 `title` 重复出现" in result.output


def test_new_scaffolds_a_record_that_passes_once_filled(run, shipped):
    result = run(shipped, "new", "case-study", "demo")
    assert result.exit_code == 0, result.output
    path = shipped / "case-studies" / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    modeline = text.splitlines()[0]
    assert modeline.startswith("# yaml-language-server: $schema=")
    schema_path = (path.parent / modeline.split("=", 1)[1]).resolve()
    assert schema_path.name == "case-study.schema.json" and schema_path.is_file()
    assert run(shipped, "check").exit_code == 1  # placeholders are not publishable
    path.write_text(text.replace("【待填写】", "示例"), encoding="utf-8")
    result = run(shipped, "check")
    assert result.exit_code == 0, result.output
    again = run(shipped, "new", "case-study", "demo")
    assert again.exit_code == 1 and "已存在，不会覆盖" in again.output
    assert path.read_text(encoding="utf-8") == text.replace("【待填写】", "示例")


@pytest.mark.parametrize("args,message", [
    (("new", "step", "Bad_ID"), "不可用"),
    (("new", "step", "../escape"), "不可用"),
])
def test_new_refuses_bad_ids(run, minimal, args, message):
    result = run(minimal, *args)
    assert result.exit_code == 1 and message in result.output
    assert not any(minimal.parent.glob("*.yaml"))


def test_schema_writes_draft07_schemas_with_vocabularies(run, minimal, tmp_path):
    out = tmp_path / "schemas"
    result = run(minimal, "schema", "--out", str(out))
    assert result.exit_code == 0, result.output
    case = json.loads((out / "case-study.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(case)
    assert case["properties"]["area"]["enum"] == ["城市社区", "农村社区"]
    assert (out / "common.schema.json").is_file()


def test_generate_writes_markdown_for_any_engine(run, minimal, tmp_path):
    out = tmp_path / "x"
    result = run(minimal, "generate", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "index.md").read_text(encoding="utf-8") == (minimal / "docs" / "index.md").read_text(encoding="utf-8")
    assert (out / "case-studies" / "c1.md").read_text(encoding="utf-8").startswith("# 高潮村")
    assert run(minimal, "generate", "--out", str(out)).exit_code == 0  # its own output may be replaced


def test_generate_refuses_to_overwrite_a_foreign_folder(run, minimal, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run(minimal, "generate", "--out", str(out))
    assert result.exit_code == 1
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def command_sections(page: str) -> dict[str, str]:
    """The sections of docs/commands.md by command name (its `## `pilotguide NAME`` headings)."""
    parts = re.split(r"^## `pilotguide ([a-z-]+)`$", page, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_command_and_option_is_documented_on_the_commands_page():
    """docs/commands.md (命令一览) is where CONTRIBUTING.md says commands are documented: each
    command has its section there, with every option it takes; options all commands share are in
    the page's first table; every command and option has Chinese help."""
    page = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    sections = command_sections(page)
    shared = page.split("\n## `pilotguide", 1)[0]
    for opt in [o for p in main.params for o in p.opts] + ["--config", "--help"]:
        assert f"`{opt}`" in shared, f"docs/commands.md: shared option {opt} missing"
    assert set(sections) == set(main.commands), "docs/commands.md sections differ from the commands"
    for name, command in main.commands.items():
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and command.help, name
        for param in command.params:
            if isinstance(param, click.Option) and "--config" not in param.opts and not param.hidden:
                assert param.help, (name, param.opts)
                for opt in param.opts + param.secondary_opts:
                    assert f"`{opt}`" in sections[name], f"docs/commands.md: `pilotguide {name}` lacks {opt}"


def test_the_retired_jobs_option_is_still_accepted_and_no_longer_offered(run, minimal):
    """`--jobs` (worker processes, removed with the fork pool) must not break an older script."""
    assert run(minimal, "check", "--jobs", "2").exit_code == 0
    assert run(minimal, "check", "-j", "1").exit_code == 0
    assert "--jobs" not in CliRunner().invoke(main, ["build", "--help"]).output


def test_unexpected_errors_are_one_line_unless_debug(monkeypatch, capsys):
    from pilotguide import cli

    def boom(*a, **k):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli, "main", boom)
    monkeypatch.setattr("sys.argv", ["pilotguide", "check"])
    with pytest.raises(SystemExit) as info:
        cli.run()
    assert info.value.code == 1
    assert "内部错误：RuntimeError: kaboom" in capsys.readouterr().err
    monkeypatch.setattr("sys.argv", ["pilotguide", "--debug", "check"])
    with pytest.raises(RuntimeError):
        cli.run()
