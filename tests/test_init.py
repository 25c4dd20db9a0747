"""`pilotguide init` (issue 22): a new guide that check, build and serve accept at once, made from
flags or Chinese prompts, in folders whose names have Chinese characters and spaces, never
overwriting anything; and the home page made from guide.yaml when docs/index.md is absent."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import pilotguide

from pilotguide.cli import main
from pilotguide.content import schemas
from pilotguide.content.guidefile import load_guide_settings
from pilotguide.errors import Problems

NAME = "某某县城乡社区社会组织培育指南"
OFFICE = "某某县民政局"
REGION = "吉林省某某县"
FLAGS = ["--name", NAME, "--office", OFFICE, "--region", REGION, "--yes"]


def init(*args: str, input: str | None = None):
    return CliRunner().invoke(main, ["init", *args], input=input, catch_exceptions=False)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def settings(folder: Path):
    problems = Problems()
    found = load_guide_settings(folder, problems)
    assert not problems.items, problems.items
    return found


def test_init_writes_a_guide_that_check_accepts(tmp_path):
    folder = tmp_path / "吉林 某某县 指南"
    result = init(str(folder), *FLAGS, "--base", "none", "--site-url", "http://内网服务器/guide/")
    assert result.exit_code == 0, result.output
    assert f"已新建指南《{NAME}》" in result.output and "下一步" in result.output
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    for kind in schemas.kinds().values():
        assert f"{kind.folder}/说明.md" in written
        note = (folder / kind.folder / "说明.md").read_text(encoding="utf-8")
        assert kind.label in note and f"new {kind.name}" in note
    assert {"guide.yaml", "mkdocs.yml", ".gitignore", "docs"} <= written
    got = settings(folder)
    assert (got.name, got.office, got.region, got.base) == (NAME, OFFICE, REGION, None)
    assert "# base: model" in (folder / "guide.yaml").read_text(encoding="utf-8")  # there to switch on
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == NAME and config["site_url"] == "http://内网服务器/guide/"
    assert config["use_directory_urls"] is False and config["theme"]["name"] == "material"
    assert config["theme"]["language"] == "zh" and config["plugins"] == ["search", "pilotguide"]
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").split()
    assert {"site/", ".pilotguide-cache/"} <= set(ignored)
    checked = pilotguide(folder, "check")
    assert checked.exit_code == 0, checked.output
    assert "政策 0 条" in checked.output  # the 说明.md files are not records
    # the only remark is that the guide has no records yet: no warning about mkdocs.yml itself
    assert "mkdocs.yml" not in checked.output and "guide.yaml: 警告：这份指南还没有任何记录" in checked.output


def test_init_with_base_model_writes_the_base(tmp_path):
    result = init(str(tmp_path / "g"), *FLAGS)
    assert result.exit_code == 0, result.output
    assert settings(tmp_path / "g").base == "model"
    assert "site_url" not in yaml.safe_load((tmp_path / "g" / "mkdocs.yml").read_text(encoding="utf-8"))


def test_init_asks_in_chinese(tmp_path):
    answers = "\n".join([NAME, OFFICE, "", "", "none"]) + "\n"
    result = init(str(tmp_path / "问 答"), input=answers)
    assert result.exit_code == 0, result.output
    for prompt in ("指南名称", "编写单位", "适用地区", "发布后的完整地址", "基础指南"):
        assert prompt in result.output
    got = settings(tmp_path / "问 答")
    assert (got.name, got.office, got.region, got.base) == (NAME, OFFICE, None, None)


@pytest.mark.parametrize("name", ["某县: 指南 #1", "'引号' 和 \"双引号\"", "- 开头是连字符", "true"])
def test_names_yaml_would_misread_are_kept_as_typed(tmp_path, name):
    result = init(str(tmp_path / "g"), "--name", name, "--yes", "--base", "none")
    assert result.exit_code == 0, result.output
    assert settings(tmp_path / "g").name == name
    assert yaml.safe_load((tmp_path / "g" / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"] == name


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path):
    folder = tmp_path / "旧 文件夹"
    folder.mkdir()
    (folder / "笔记.txt").write_text("别动我", encoding="utf-8")
    before = snapshot(folder)
    result = init(str(folder), *FLAGS)
    assert result.exit_code == 1
    assert "不是空的（有 笔记.txt）" in result.output and "--force" in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert snapshot(folder) == before


def test_init_into_a_file_is_refused(tmp_path):
    (tmp_path / "g").write_text("x", encoding="utf-8")
    result = init(str(tmp_path / "g"), *FLAGS, "--force")
    assert result.exit_code == 1 and "是一个文件，不是文件夹" in result.output
    assert (tmp_path / "g").read_text(encoding="utf-8") == "x"


def test_a_folder_with_only_git_and_a_venv_counts_as_empty(tmp_path):
    folder = tmp_path / "g"
    (folder / ".git").mkdir(parents=True)
    (folder / ".venv").mkdir()
    assert init(str(folder), *FLAGS).exit_code == 0
    assert (folder / "guide.yaml").is_file()


def test_force_writes_only_what_is_missing(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "mkdocs.yml").write_text("site_name: 我自己的\n", encoding="utf-8")
    (folder / "steps").mkdir()
    (folder / "steps" / "说明.md").write_text("我的说明", encoding="utf-8")
    result = init(str(folder), *FLAGS, "--force")
    assert result.exit_code == 0, result.output
    assert "已存在，未改动：mkdocs.yml、steps/说明.md" in result.output
    assert (folder / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: 我自己的\n"
    assert (folder / "steps" / "说明.md").read_text(encoding="utf-8") == "我的说明"
    assert settings(folder).name == NAME


@pytest.mark.parametrize("args,message", [
    (["--yes"], "用了 --yes 时必须用 --name 给出指南名称"),
    (["--name", "长" * 61, "--yes"], "指南名称最多 60 个字，现在有 61 个字"),
    (["--name", NAME, "--site-url", "内网", "--yes"], "站点地址 `内网` 不是网址"),
])
def test_unusable_answers_are_refused_before_anything_is_written(tmp_path, args, message):
    result = init(str(tmp_path / "g"), *args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert not (tmp_path / "g").exists()


def test_python_m_pilotguide_init_works_the_same(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pilotguide", "init", "新 指南", *FLAGS, "--base", "none"],
                          cwd=tmp_path, capture_output=True, timeout=120)
    out = done.stdout.decode("utf-8")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert 'cd "新 指南"' in out and "-m pilotguide check" in out  # the next steps work in this shell
    assert settings(tmp_path / "新 指南").name == NAME


def test_home_page_is_made_from_guide_yaml_with_only_the_sections_that_exist(minimal):
    (minimal / "docs" / "index.md").unlink()
    (minimal / "guide.yaml").write_text(f"name: {NAME}\noffice: {OFFICE}\nintro: |\n  本县的**导语**。\n",
                                        encoding="utf-8")
    (minimal / "mkdocs.yml").write_text(f"site_name: {NAME}\nuse_directory_urls: false\n"
                                        "theme: {name: material, language: zh}\nplugins: [search, pilotguide]\n",
                                        encoding="utf-8")
    out = minimal.parent / "out"
    result = pilotguide(minimal, "generate", "--out", str(out))
    assert result.exit_code == 0, result.output
    home = (out / "index.md").read_text(encoding="utf-8")
    assert home.startswith(f"# {NAME}\n") and f"编写单位：{OFFICE}" in home and "本县的**导语**。" in home
    assert "适用地区" not in home  # not given
    links = re.findall(r"\]\(([^)]+)\)", home)
    sections = {"policies/index.md", "steps/index.md", "case-studies/index.md", "glossary.md", "topics/index.md"}
    assert sections <= set(links)
    assert "courses/index.md" not in links  # the fixture has no course
    assert not (minimal / "docs" / "index.md").exists()


def test_hand_written_home_page_wins(minimal):
    out = minimal.parent / "out"
    assert pilotguide(minimal, "generate", "--out", str(out)).exit_code == 0
    assert (out / "index.md").read_text(encoding="utf-8") == "# 首页\n"


@pytest.mark.slow
def test_init_then_check_and_build_in_a_chinese_folder_with_a_space(tmp_path):
    """Done when (issue 22): the built site carries the given name and office and nothing of another guide."""
    folder = tmp_path / "吉林 某某县 指南"
    assert init(str(folder), *FLAGS, "--base", "none").exit_code == 0
    checked = pilotguide(folder, "check")
    assert checked.exit_code == 0, checked.output
    built = pilotguide(folder, "build")
    assert built.exit_code == 0, built.output
    home = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert NAME in home and OFFICE in home and REGION in home
    assert re.search(rf"<title>[^<]*{NAME}", home)
    pages = [p for p in (folder / "site").rglob("*") if p.suffix in (".html", ".json", ".js", ".xml", ".md", ".txt")]
    assert len(pages) > 5
    for page in pages:
        assert "黑龙江" not in page.read_text(encoding="utf-8", errors="replace"), page


@pytest.mark.slow
def test_serve_accepts_a_new_guide_at_once_and_follows_guide_yaml(tmp_path):
    """A fresh guide (its empty docs/ lost, as git loses empty folders) previews its settings-made
    home page; a saved guide.yaml shows on it."""
    from test_preview_server import Preview, free_port

    folder = tmp_path / "新 指南"
    assert init(str(folder), *FLAGS, "--base", "none").exit_code == 0
    (folder / "docs").rmdir()
    port = free_port()
    preview = Preview(folder, tmp_path / "tmp", port)
    try:
        home = preview.get(f"http://127.0.0.1:{port}/")
        assert NAME in home and f"编写单位：{OFFICE}" in home
        settings_file = folder / "guide.yaml"
        settings_file.write_text(settings_file.read_text(encoding="utf-8").replace(OFFICE, "另一个局"),
                                 encoding="utf-8")
        deadline = time.monotonic() + 60
        while "编写单位：另一个局" not in home and time.monotonic() < deadline:
            time.sleep(0.3)
            home = preview.get(f"http://127.0.0.1:{port}/")
        assert "编写单位：另一个局" in home
    finally:
        err = preview.stop()
    assert "已新建空文件夹 docs/" in err and "Traceback" not in err and "错误" not in err


@pytest.mark.slow
def test_a_guide_on_the_model_with_no_local_records_checks_and_builds(tmp_path):
    """`--base model`, the default: check and build accept it at once (its home page is its own)."""
    folder = tmp_path / "县 指南"
    assert init(str(folder), *FLAGS).exit_code == 0
    assert (folder / "base-edition.json").is_file()  # the base's edition it starts from, accepted
    checked = pilotguide(folder, "check", "--strict")
    assert checked.exit_code == 0, checked.output
    built = pilotguide(folder, "build")
    assert built.exit_code == 0, built.output
    home = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert NAME in home and OFFICE in home


def test_home_page_links_the_book_only_when_it_is_made(minimal):
    from pilotguide.content.gather import load_content
    from pilotguide.courses.formats import FORMATS
    from pilotguide.pages.home import home_page
    from pilotguide.pages.render import render_pages
    from pilotguide.pages.templates import Templates

    content = load_content(minimal)
    pages = render_pages(content)
    without = home_page(content, Templates(), pages, (), site_name="t")
    assert without.startswith("# t\n") and "guide.pdf" not in without  # no guide.yaml: site_name
    book = tuple(f for name, f in FORMATS.items() if name.startswith("book-"))
    with_book = home_page(content, Templates(), pages, book, site_name="t")
    assert "[整本指南 PDF](guide.pdf)" in with_book and "[整本指南 Word](guide.docx)" in with_book
