"""Every word the CLI says to staff is Chinese: each command's --help and the common mistakes
(unknown command or option, missing argument or option, a bad or too small number, an unknown
choice) are read for English words; only names the user types (commands, options, choices, file
names) and a few proper names may be Latin letters."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from pilotguide.cli import main

# Names that stay as they are in Chinese text: products, formats, keys.
PROPER = {"pilotguide", "MkDocs", "YAML", "JSON", "Schema", "draft", "Excel", "WPS", "PDF", "Word", "CSV",
          "DOCX", "PPTX", "ID", "IP", "Ctrl", "C", "Python", "Markdown", "HTML", "WeasyPrint", "Pango", "body",
          "site_dir", "site_url", "docs", "Chromium", "Edge", "PowerPoint", "A",  # A4 paper
          "xlsx", "xls", "ods"}
# mkdocs.yml's names for the download switches (`pdf: false`), and the example id in `new --help`.
SWITCHES = {"pdf", "docx", "slides", "book"}
EXAMPLES = {"gaochao", "village"}
# The words `init --base` takes as they are (guide.yaml's `base: model`).
VALUES = {"model", "none"}
# What the mistakes below type on purpose (echoed back in backticks).
TYPED = {"buidl", "foo", "polcy", "zz", "abc", "nope", "stirct", "extra"}


def _allowed() -> set[str]:
    words = set(PROPER) | TYPED | SWITCHES | EXAMPLES | VALUES
    for name, command in main.commands.items():
        words.update(re.findall(r"[A-Za-z]+", name))
        for param in command.params:
            for opt in [*param.opts, *param.secondary_opts]:
                words.update(re.findall(r"[A-Za-z]+", opt))
            if isinstance(param.type, click.Choice):
                for choice in param.type.choices:
                    words.update(re.findall(r"[A-Za-z]+", str(choice)))
    return words


def _english(text: str) -> list[str]:
    """Latin words outside the allow-list, after file names, paths and option names are set aside."""
    text = re.sub(r"\S*[./\\]\S*", " ", text)  # mkdocs.yml, site/, .venv/bin/pilotguide, editions.json
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)  # --jobs, -j
    allowed = _allowed()
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*", text) if w not in allowed]


def _run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="pilotguide")


def _commands() -> list[list[str]]:
    return [[]] + [[name] for name in main.commands]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "pilotguide")
def test_every_help_page_is_chinese(command):
    result = _run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "用法：" in result.output and "选项：" in result.output
    assert _english(result.output) == [], result.output


MISTAKES = {
    "unknown command": (["buidl"], "没有命令 `buidl`（是否指 `build`？）"),
    "missing argument": (["new"], "缺少参数 `类型`。可选：policy（政策）"),
    "missing file": (["import"], "缺少参数 `文件`"),
    "missing option": (["generate"], "缺少选项 `--out`"),
    "not a number": (["build", "--jobs", "abc"], "参数 `--jobs` 的值不可用：`abc` 不是整数"),
    "not a whole number": (["check", "-j", "1.5"], "`1.5` 不是整数"),
    "out of range": (["build", "-j", "-1"], "`-1` 太小：应为 0 或更大的整数"),
    "unknown choice": (["new", "polcy", "x"], "`polcy` 不是可选的类型（是否指 `policy`？）"),
    "unknown workbook kind": (["workbook", "--kind", "zz", "--out", "a.xlsx"], "可选：case-study（试点案例）"),
    "unknown import kind": (["import", "--kind", "foo", "a.csv"], "`foo` 不是可选的类型"),
    "unknown option": (["build", "--stirct"], "没有选项 `--stirct`（是否指 `--site-dir`、`--strict`？）"),
    "option without value": (["serve", "--dev-addr"], "选项 `--dev-addr` 后面需要一个值"),
    "extra argument": (["check", "extra"], "多余的参数：extra"),
    "a flag given a value": (["check", "--strict=yes"], "选项 `--strict` 不带值"),
    "a file for a folder": (["build", "--site-dir", "pyproject.toml"], "`pyproject.toml` 是文件，这里需要文件夹"),
    "a folder for a file": (["import", "."], "`.` 是文件夹，这里需要文件"),
}


@pytest.mark.parametrize("args, says", MISTAKES.values(), ids=MISTAKES.keys())
def test_common_mistakes_are_told_in_chinese(args, says):
    result = _run(*args)
    assert result.exit_code == 2, result.output
    assert says in result.output, result.output
    assert "错误：" in result.output
    assert _english(result.output) == [], result.output


def test_the_allow_list_does_not_hide_english():
    """The checker itself finds click's old English (the words of issue 23)."""
    for old in ("-j, --jobs 整数 RANGE", "[x>=0]", "-1 is not in the range x>=0.", "应为 a valid integer range",
                "Missing argument '类型'. Choose from:", "No such command 'buidl'. Did you mean 'build'?"):
        assert _english(old), old


def test_a_path_type_says_what_is_wrong_from_the_path_itself(tmp_path):
    """FilePath decides from the file system (not from click's sentence) what to say."""
    from pilotguide.cli_text import FilePath

    missing = tmp_path / "没有的文件.xlsx"
    with pytest.raises(click.BadParameter) as caught:
        FilePath(exists=True).convert(str(missing), None, None)
    assert caught.value.message == f"`{missing}` 不存在：请检查路径是否写对。"
    with pytest.raises(click.BadParameter) as caught:
        FilePath(dir_okay=False).convert(str(tmp_path), None, None)
    assert caught.value.message == f"`{tmp_path}` 是文件夹，这里需要文件。"
    assert FilePath(exists=True).convert(str(tmp_path), None, None) == str(tmp_path)
