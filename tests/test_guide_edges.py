"""The edges a new guide meets (issue 22, item 4): each answered in Chinese, located, with what to
do; errors exit 1 and leave every file as it was; warnings pass `check` and fail `check --strict`."""

from __future__ import annotations

from importlib import resources

import pytest
from conftest import pilotguide, write
from test_project_errors import ENGLISH_BOILERPLATE

from pilotguide.content.scaffold import PACKAGED_VOCABULARIES

GOOD = "site_name: t\nuse_directory_urls: false\ntheme: {name: material, language: zh}\nplugins: [search, pilotguide]\n"


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def refused(root, *fragments: str, commands=("check", "build")) -> None:
    """Each command exits 1 with the fragments, in Chinese, and writes nothing."""
    before = snapshot(root)
    for command in commands:
        result = pilotguide(root, command)
        assert result.exit_code == 1, (command, result.output)
        assert "内部错误" not in result.output and not ENGLISH_BOILERPLATE.search(result.output), result.output
        for fragment in fragments:
            assert fragment in result.output, (command, result.output)
        assert snapshot(root) == before, command


def warned(root, *fragments: str) -> None:
    result = pilotguide(root, "check")
    assert result.exit_code == 0, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output
    assert pilotguide(root, "check", "--strict").exit_code == 1


THEME_LINES = "theme:\n  name: material\n  language: zh\n  font: false"


def test_no_theme_says_the_plugin_needs_material_with_the_lines_to_add(minimal):
    write(minimal / "mkdocs.yml", "site_name: t\nuse_directory_urls: false\nplugins: [search, pilotguide]\n")
    refused(minimal, "mkdocs.yml:1:1: 没有设置主题（theme）", "Material for MkDocs", THEME_LINES,
            commands=("check", "build", "serve"))


def test_another_theme_is_refused_at_its_name(minimal):
    write(minimal / "mkdocs.yml", GOOD.replace("{name: material, language: zh}", "\n  name: readthedocs"))
    refused(minimal, "mkdocs.yml:4:9: 主题 `readthedocs`不可用", THEME_LINES)


def test_misspelt_theme_gets_a_did_you_mean(minimal):
    write(minimal / "mkdocs.yml", GOOD.replace("material", "materail"))
    refused(minimal, "mkdocs.yml:3:15: 主题 `materail`（是否指 `material`？）不可用")


def test_theme_in_english_is_a_warning(minimal):
    write(minimal / "mkdocs.yml", GOOD.replace(", language: zh", ""))
    warned(minimal, "mkdocs.yml:3:1: 警告：主题的界面语言不是中文（language: zh）")


@pytest.mark.parametrize("line,where", [("", "mkdocs.yml:1:1"), ("use_directory_urls: true\n", "mkdocs.yml:4:21")])
def test_directory_urls_warn_that_opening_from_disk_will_not_work(minimal, line, where):
    write(minimal / "mkdocs.yml", GOOD.replace("use_directory_urls: false\n", "") + line)
    warned(minimal, f"{where}: 警告：use_directory_urls 不是 false：站点从磁盘直接打开", "`use_directory_urls: false`")


def test_search_plugin_removed_warns_there_is_no_search(minimal):
    write(minimal / "mkdocs.yml", GOOD.replace("[search, pilotguide]", "[pilotguide]"))
    warned(minimal, "mkdocs.yml:4:1: 警告：没有启用 search 插件：指南将没有搜索框", "- search")


def test_search_plugin_not_needed_with_pagefind(minimal):
    write(minimal / "mkdocs.yml", GOOD.replace("plugins: [search, pilotguide]",
                                               "plugins:\n  - pilotguide:\n      search_backend: pagefind"))
    result = pilotguide(minimal, "check", "--strict")
    assert result.exit_code == 0, result.output


def test_docs_page_not_utf8_is_located_like_yaml(minimal):
    write(minimal / "mkdocs.yml", GOOD)
    (minimal / "docs" / "guide").mkdir()
    (minimal / "docs" / "guide" / "说明.md").write_bytes("# 说明\n\n记事本保存的页面\n".encode("gbk"))
    refused(minimal, "docs/guide/说明.md:1:5: 文件不是 UTF-8 编码：看起来是 GBK/GB18030 编码", "另存")


def test_misspelt_docs_dir_is_named_with_a_did_you_mean(minimal):
    write(minimal / "mkdocs.yml", GOOD + "docs_dir: dosc\n")
    refused(minimal, "mkdocs.yml:5:11: docs_dir 指向的文件夹 `dosc` 不存在（是否指 `docs`？）")


def test_nav_entry_pointing_nowhere_is_named_with_its_line(minimal):
    write(minimal / "mkdocs.yml", GOOD + "nav:\n  - 首页: index.md\n  - 步骤: step/index.md\n")
    refused(minimal, "mkdocs.yml:7:9: 导航（nav）中的 `step/index.md` 找不到对应的页面（是否指 `steps/index.md`？）")


def test_no_docs_folder_passes_check_and_writes_nothing(minimal):
    write(minimal / "mkdocs.yml", GOOD)
    (minimal / "docs" / "index.md").unlink()
    (minimal / "docs").rmdir()
    before = snapshot(minimal)
    result = pilotguide(minimal, "check", "--strict")
    assert result.exit_code == 0, result.output
    assert snapshot(minimal) == before


@pytest.mark.slow
def test_no_docs_folder_is_made_by_build_and_the_home_page_comes_from_the_settings(minimal):
    write(minimal / "mkdocs.yml", GOOD.replace("site_name: t", "site_name: 某县指南"))
    (minimal / "docs" / "index.md").unlink()
    (minimal / "docs").rmdir()
    result = pilotguide(minimal, "build")
    assert result.exit_code == 0, result.output
    assert "已新建空文件夹 docs/" in result.output and (minimal / "docs").is_dir()
    assert not any((minimal / "docs").iterdir())
    assert "<h1" in (home := (minimal / "site" / "index.html").read_text(encoding="utf-8")) and "某县指南" in home
    assert "导航（nav）" not in result.output  # no warning about a nav the user never wrote


def test_links_to_records_that_no_longer_exist_are_located_warnings(minimal):
    write(minimal / "mkdocs.yml", GOOD)
    write(minimal / "docs" / "index.md", "# 首页\n\n先读[第一步](steps/s1.md)，再读[旧的一步](steps/gone.md#x)。\n")
    warned(minimal, "docs/index.md:3:31: 警告：链接 `steps/gone.md` 指向的记录页面不存在")
    assert "steps/s1.md" not in pilotguide(minimal, "check").output


def test_a_home_page_and_site_name_of_another_guide_are_warned(minimal):
    write(minimal / "mkdocs.yml", GOOD.replace("site_name: t", "site_name: 城乡社区社会组织培育指南"))
    write(minimal / "guide.yaml", "name: 某县城乡社区社会组织培育指南\n")
    write(minimal / "docs" / "index.md", "# 城乡社区社会组织培育指南\n\n别的指南的话。\n")
    warned(minimal, "mkdocs.yml:1:12: 警告：site_name `城乡社区社会组织培育指南` 与 guide.yaml 的名称",
           "docs/index.md:1:1: 警告：首页标题“城乡社区社会组织培育指南”里没有本指南的名称", "删除 docs/index.md")


def test_new_announces_every_folder_it_makes_and_the_packaged_vocabularies(tmp_path):
    root = tmp_path / "g"
    write(root / "mkdocs.yml", GOOD)
    write(root / "guide.yaml", "name: 某县指南\n")
    (root / "docs").mkdir()
    result = pilotguide(root, "new", "case-study", "first-case")
    assert result.exit_code == 0, result.output
    made = {p.relative_to(root).as_posix() for p in root.iterdir() if p.is_dir()} - {"docs"}
    for folder in made:
        assert f"已新建文件夹 {folder}/" in result.output
    assert "case-studies" in made
    assert "提示：本指南没有自己的 vocabularies.yaml" in result.output and "vocabularies.yaml" in result.output
    text = (root / "case-studies" / "first-case.yaml").read_text(encoding="utf-8")
    assert PACKAGED_VOCABULARIES in text
    # a guide with its own vocabularies gets no such note, and a second record no folder announcement
    packaged = resources.files("pilotguide") / "vocabularies.yaml"
    (root / "vocabularies.yaml").write_text(packaged.read_text(encoding="utf-8"), encoding="utf-8")
    again = pilotguide(root, "new", "case-study", "second-case")
    assert again.exit_code == 0, again.output
    assert "已新建文件夹" not in again.output and "提示" not in again.output
    assert PACKAGED_VOCABULARIES not in (root / "case-studies" / "second-case.yaml").read_text(encoding="utf-8")
