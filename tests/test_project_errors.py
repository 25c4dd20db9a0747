"""The publisher's journey (issue 13): every edge around the content answers in Chinese, with a
location, exit 1 and nothing written; each test reproduces one thing a new user ran into."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO, write

from pilotguide.content import schemas

ENGLISH_BOILERPLATE = re.compile(r"Usage|Options|Commands|Show this|Error|Invalid value|No such|Missing|"
                                 r"default|required|Traceback|while parsing|expected <|Config value|Aborted")


@pytest.fixture
def run(monkeypatch):
    """run(folder, *args): `pilotguide` started in `folder`, as a user types it (no --config:
    these tests are about finding the project from where the user stands)."""
    from click.testing import CliRunner

    from pilotguide.cli import main

    def invoke(folder, *args: str):
        monkeypatch.chdir(folder)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    return invoke


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def set_config(root, text: str) -> None:
    write(root / "mkdocs.yml", text)


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not ENGLISH_BOILERPLATE.search(result.output), result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


# -- 1. the project is found or refused -----------------------------------------------------------

def test_check_inside_a_content_folder_checks_the_whole_project(run, minimal):
    result = run(minimal / "case-studies", "check")
    assert result.exit_code == 0, result.output
    assert "试点案例 1 条" in result.output and "培育步骤 2 条" in result.output


def test_check_in_a_folder_without_a_project_is_refused(run, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_refused(run(empty, "check"), "找不到 mkdocs.yml", "--config")
    assert list(empty.iterdir()) == []


def test_check_with_a_config_that_does_not_exist_is_refused(run, minimal):
    before = snapshot(minimal)
    assert_refused(run(minimal, "check", "-f", "nonexist.yml"), "找不到配置文件 nonexist.yml")
    assert snapshot(minimal) == before


def test_new_inside_a_content_folder_writes_into_the_project(run, minimal):
    result = run(minimal / "case-studies", "new", "case-study", "foo")
    assert result.exit_code == 0, result.output
    assert (minimal / "case-studies" / "foo.yaml").is_file()
    assert not (minimal / "case-studies" / "case-studies").exists()
    assert not (minimal / "case-studies" / "schemas").exists()


def test_a_project_with_no_records_is_an_error(run, tmp_path):
    project = tmp_path / "p"
    set_config(project, "site_name: t\nplugins: [search, pilotguide]\n")
    assert_refused(run(project, "check"), "mkdocs.yml: 项目中没有任何记录")


def test_build_without_the_plugin_is_refused_and_keeps_the_site(run, minimal):
    set_config(minimal, "site_name: t\ntheme: {name: material, language: zh, font: false}\nplugins:\n  - search\n")
    before = snapshot(minimal)
    assert_refused(run(minimal, "build"), "mkdocs.yml:3:1: 没有启用 pilotguide 插件", "  - pilotguide")
    assert snapshot(minimal) == before  # no site/ written, nothing else either
    assert_refused(run(minimal, "check"), "mkdocs.yml:3:1: 没有启用 pilotguide 插件")


# -- 2. mkdocs.yml checked like content -----------------------------------------------------------

def test_indented_site_url_is_located_and_about_indentation(run, minimal):
    set_config(minimal, "site_name: t\n  site_url: http://x/guide/\nplugins: [search, pilotguide]\n")
    result = run(minimal, "build")
    assert_refused(result, "mkdocs.yml:2:3: YAML 语法错误：缩进不对", "从第 1 列开始")
    assert str(minimal) not in result.output  # no absolute paths


def test_plugin_option_at_the_plugin_name_indent_is_located(run, minimal):
    set_config(minimal, "site_name: t\nplugins:\n  - search\n  - pilotguide:\n    pdf: false\n")
    assert_refused(run(minimal, "build"), "mkdocs.yml:5:5: 插件选项 `pdf` 与插件名 `pilotguide`（第 4 行）缩进相同",
                   "缩进到第 7 列")


def test_misspelt_option_bad_value_and_nav_entry_are_errors_reported_once(run, minimal):
    set_config(minimal, """
        site_name: t
        theme:
          name: material
          icon:
            logo: !!python/name:material.extensions.emoji.twemoji
        plugins:
          - search
          - pilotguide:
              pfd: false
              search_backend: pagefin
        nav:
          - 首页: index.md
          - 政策: policy/index.md
          - 外部: https://example.org/
        """)
    result = run(minimal, "check")
    assert_refused(result, "mkdocs.yml:9:7: pilotguide 插件没有选项 `pfd`（是否指 `pdf`？）",
                   "mkdocs.yml:10:23: pilotguide 选项 `search_backend` 的值 `pagefin` 不可用（是否指 `pagefind`？）",
                   "mkdocs.yml:13:9: 导航（nav）中的 `policy/index.md` 找不到对应的页面"
                   "（是否指 `policies/index.md`？）")
    assert result.output.count("pfd") == 1
    assert "共发现 3 个错误" in result.output
    before = snapshot(minimal)
    assert_refused(run(minimal, "build"), "mkdocs.yml:9:7:")
    assert snapshot(minimal) == before


def test_unknown_top_level_name_is_a_located_warning(run, minimal):
    set_config(minimal, "site_name: t\nsite_ulr: http://x/\nplugins: [search, pilotguide]\n")
    result = run(minimal, "check")
    assert result.exit_code == 0, result.output
    assert "mkdocs.yml:2:1: 警告：MkDocs 不认识配置项 `site_ulr`（是否指 `site_url`？）" in result.output
    assert run(minimal, "check", "--strict").exit_code == 1


@pytest.mark.slow
def test_build_zip_without_site_url_warns_in_chinese(run, minimal):
    result = run(minimal, "build", "--zip")
    assert result.exit_code == 0, result.output
    assert "mkdocs.yml: 警告：没有设置 site_url" in result.output
    assert "WARNING" not in result.output and "INFO" not in result.output


def test_mkdocs_messages_are_translated_located_and_deduplicated(capsys):
    import logging

    from pilotguide.site import mkdocs_log

    mkdocs_log.setup(docs="docs")
    log = logging.getLogger("mkdocs.structure.pages")
    message = ("Doc file 'index.md' contains a link 'nope.md', but the target 'nope.md' is not found "
               "among documentation files.")
    log.warning(message)
    log.warning(message)
    logging.getLogger("mkdocs.config").warning("Config value 'site_ulr': Unrecognised configuration name: site_ulr")
    err = capsys.readouterr().err
    assert err == "docs/index.md: 警告：链接 `nope.md` 指向的页面不存在：请改正链接，或补上这个页面。\n"


# -- 6. files and scaffolds -----------------------------------------------------------------------

@pytest.mark.parametrize("name", ["c2.yaml.txt", "c2.YAML", "c2.yaml.bak"])
def test_near_miss_file_names_are_named_in_a_warning(run, minimal, name):
    text = (minimal / "case-studies" / "c1.yaml").read_text(encoding="utf-8").replace("id: c1", "id: c2")
    (minimal / "case-studies" / name).write_text(text, encoding="utf-8")
    result = run(minimal, "check")
    assert result.exit_code == 0, result.output
    assert f"case-studies/{name}: 警告：这个文件没有被读取" in result.output and "改名为 `c2.yaml`" in result.output
    assert run(minimal, "check", "--strict").exit_code == 1


def test_yml_files_are_accepted(run, minimal):
    (minimal / "case-studies" / "c1.yaml").rename(minimal / "case-studies" / "c1.yml")
    result = run(minimal, "check")
    assert result.exit_code == 0 and "试点案例 1 条" in result.output, result.output


@pytest.mark.parametrize("kind", list(schemas.kinds()))
def test_scaffold_lists_every_field_and_an_unedited_file_fails(run, minimal, kind):
    assert run(minimal, "new", kind, "demo").exit_code == 0
    path = minimal / schemas.kinds()[kind].folder / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    for field in schemas.properties(schemas.kinds()[kind].schema):
        assert re.search(rf"^(# )?{field}:.*  # \S", text, re.M), (kind, field)  # listed, with a description
    for line in text.splitlines()[2:]:  # after the modeline and the how-to line: no example values
        value = re.sub(r"^[#\s]*(- )?", "", line).split("  # ")[0]
        if value.startswith(("id:", "updated:", "order:")):
            continue  # filled in by `new` itself
        if ": " in value:
            assert value.split(": ", 1)[1] == "【待填写】", line
        elif value and not value.endswith(":"):
            assert value == "【待填写】", line
    result = run(minimal, "check")
    assert result.exit_code == 1 and "仍是占位内容" in result.output
    # uncommenting an optional field without editing it still fails
    uncommented = re.sub(r"^# ((?:reviewed|body): )", r"\1", text, flags=re.M)
    path.write_text(uncommented, encoding="utf-8")
    assert "字段 `reviewed`" in run(minimal, "check").output


def test_case_study_scaffold_mentions_the_fields_users_missed(run, minimal):
    assert run(minimal, "new", "case-study", "demo").exit_code == 0
    text = (minimal / "case-studies" / "demo.yaml").read_text(encoding="utf-8")
    for field in ("body", "timeline", "outcomes", "organisations", "reviewed", "review_by", "city", "area", "roles"):
        assert re.search(rf"^\s*# {field}: ", text, re.M), field
    assert "可选：城市社区、农村社区" in text


# -- 8. all-Chinese CLI ---------------------------------------------------------------------------

COMMANDS = ["", "check", "build", "serve", "generate", "new", "schema", "workbook", "export", "import"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_english_boilerplate(run, minimal, command):
    result = run(minimal, *([command] if command else []), "--help")
    assert result.exit_code == 0
    assert "用法：" in result.output and "选项：" in result.output and "显示本帮助并退出" in result.output
    assert not ENGLISH_BOILERPLATE.search(result.output), result.output
    assert not re.search(r"\b(TEXT|PATH|FILE|DIRECTORY|INTEGER)\b", result.output), result.output


@pytest.mark.parametrize("args,fragment", [
    (["nope"], "错误：没有命令 `nope`；可用命令：accept-base、build、check"),
    (["new", "stepp", "x"], "错误：参数 `类型` 的值不可用：`stepp` 不是可选的类型（是否指 `step`？）"),
    (["build", "--sitedir", "x"], "错误：没有选项 `--sitedir`（是否指 `--site-dir`？）"),
    (["generate"], "错误：缺少选项 `--out`"),
    (["new", "step"], "错误：缺少参数 `ID`"),
])
def test_usage_errors_are_chinese(run, minimal, args, fragment):
    result = run(minimal, *args)
    assert result.exit_code == 2
    assert fragment in result.output and "用法：" in result.output, result.output
    assert not ENGLISH_BOILERPLATE.search(result.output), result.output


def test_debug_is_accepted_after_the_subcommand(run, minimal):
    result = run(minimal, "check", "--debug")
    assert result.exit_code == 0, result.output
    assert run(minimal, "--debug", "check").exit_code == 0


def test_schema_descriptions_are_chinese(run, minimal, tmp_path):
    assert run(minimal, "schema", "--out", str(tmp_path / "s")).exit_code == 0
    for path in (tmp_path / "s").glob("*.json"):
        def descriptions(node):
            if isinstance(node, dict):
                if isinstance(node.get("description"), str):
                    yield node["description"]
                for value in node.values():
                    yield from descriptions(value)
            elif isinstance(node, list):
                for value in node:
                    yield from descriptions(value)
        for text in descriptions(json.loads(path.read_text(encoding="utf-8"))):
            chinese = re.search(r"[\u4e00-\u9fff]", text)
            assert chinese and not re.search(r"\b[a-z]+ [a-z]+ [a-z]+\b", text), (path.name, text)


# -- 3. the command that works in the user's shell ------------------------------------------------

def test_hint_names_python_m_when_started_that_way(monkeypatch):
    import sys

    from pilotguide import cli_text

    monkeypatch.setattr(sys, "argv", [str(REPO / "generator" / "pilotguide" / "__main__.py"), "new"])
    assert cli_text.invocation("check").endswith("-m pilotguide check")


def test_hint_names_the_script_path_when_it_is_not_on_path(monkeypatch, tmp_path):
    import sys

    from pilotguide import cli_text

    script = tmp_path / ".venv" / "bin" / "pilotguide"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(sys, "argv", [".venv/bin/pilotguide", "new"])
    assert cli_text.invocation("check") == ".venv/bin/pilotguide check"
    monkeypatch.setenv("PATH", str(script.parent))
    script.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(script), "new"])
    assert cli_text.invocation("check") == "pilotguide check"


@pytest.mark.slow
def test_mkdocs_warnings_reach_the_user_once_in_chinese_with_their_file(run, minimal):
    write(minimal / "docs" / "index.md", "# 首页\n\n见[说明](nope.md)。\n")
    result = run(minimal, "build")
    assert result.exit_code == 0, result.output
    message = "docs/index.md: 警告：链接 `nope.md` 指向的页面不存在"
    assert result.output.count(message) == 1, result.output
    assert "WARNING" not in result.output and "Doc file" not in result.output
    strict = run(minimal, "build", "--strict")
    assert strict.exit_code == 1 and message in strict.output and "构建失败（原有的站点目录保持不变）" in strict.output


def test_misspelt_plugin_name_is_named(run, minimal):
    set_config(minimal, "site_name: t\nplugins:\n  - search\n  - pilotguid:\n      pdf: false\n")
    assert_refused(run(minimal, "check"),
                   "mkdocs.yml:2:1: 没有启用 pilotguide 插件（`pilotguid` 是否应为 `pilotguide`？）")


def test_mkdocs_config_errors_we_do_not_check_are_located_by_their_name(run, minimal):
    set_config(minimal, "site_name: t\nplugins: [search, pilotguide]\ntheme:\n  name: materal\n")
    before = snapshot(minimal)
    result = run(minimal, "build")
    assert result.exit_code == 1
    assert result.output.count("mkdocs.yml:3:1: 错误：配置项 `theme` 有问题") == 1, result.output
    assert "构建失败（原有的站点目录保持不变）" in result.output and "Traceback" not in result.output
    assert snapshot(minimal) == before
