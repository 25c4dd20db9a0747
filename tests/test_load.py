"""The loader: safe, located, strict about duplicates, bounded against alias bombs."""

from __future__ import annotations

import time

from pilotguide.content.documents import decode, load_file, load_text
from pilotguide.errors import Problems


def load(text: str):
    problems = Problems()
    doc = load_text(text, "x.yaml", problems)
    return doc, [str(p) for p in problems.items]


def test_positions_of_values_and_keys():
    doc, problems = load("id: a\nlist:\n  - one\n  - {k: v}\n")
    assert problems == []
    assert doc.data == {"id": "a", "list": ["one", {"k": "v"}]}
    assert doc.where(("list", 1, "k")) == (4, 9)
    assert doc.where(("list",), key=True) == (2, 1)
    assert doc.where(("missing", 3)) == (1, 1)  # falls back to the nearest known parent


def test_duplicate_key_is_an_error_naming_both_lines_and_keeps_the_first():
    doc, problems = load("title: 第一\nsummary: s\ntitle: 第二\n")
    assert problems == ["x.yaml:3:1: 字段 `title` 重复出现（第一次在第 1 行）；YAML 只会保留其中一个，请合并或删除。"]
    assert doc.data["title"] == "第一"


def test_dates_become_iso_strings_and_impossible_dates_are_located():
    doc, problems = load("a: 2018-12-26\nb: 2018-13-45\n")
    assert doc.data["a"] == "2018-12-26"
    assert problems == ["x.yaml:2:4: `2018-13-45` 不是有效的日期：应为 YYYY-MM-DD 格式的真实日期。"]


def test_python_tags_never_construct_objects():
    doc, problems = load("a: !!python/object/apply:os.system ['echo hacked']\nb: !custom x\n")
    assert doc.data == {"a": None, "b": None}
    assert len(problems) == 2 and all("不支持的 YAML 标签" in p for p in problems)
    assert doc.broken == {("a",), ("b",)}


def test_alias_bomb_fails_fast():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    doc, problems = load("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 10  # a generous bound: expanded fully it would never end
    assert doc is None
    assert "别名" in problems[0]


def test_tabs_syntax_errors_and_empty_files_are_located():
    assert load("a:\n\t- x\n")[1][0].startswith("x.yaml:2:1: YAML 语法错误：使用了制表符（Tab）缩进")
    _, problems = load("a: [1, 2\nb: 3\n")
    assert problems[0].startswith("x.yaml:") and "YAML 语法错误" in problems[0]
    assert load("")[1] == ["x.yaml:1:1: 文件是空的：应为一条记录（以 `id:`、`title:` 等字段组成的映射）。"]


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_bytes("\ufeffid: a\r\ntitle: 标题\r\n".encode("utf-8"))
    problems = Problems()
    doc = load_file(path, "r.yaml", problems)
    assert problems.items == []
    assert doc.data == {"id": "a", "title": "标题"}


def test_gbk_file_is_a_clear_error_not_mojibake():
    problems = Problems()
    raw = "id: a\ntitle: 高潮村\n".encode("gbk")
    assert decode(raw, "r.yaml", problems) is None
    (problem,) = problems.items
    assert (problem.line, problem.col) == (2, 8)
    assert "GBK" in problem.message and "UTF-8" in problem.message


def test_an_over_indented_list_item_is_not_silently_merged():
    _, problems = load("checklist:\n  - 第一项\n    - 第二项\n")
    assert problems == ["x.yaml:3:5: 这一行像是新的列表项，但缩进比上一项深，被并进了上一项的文字："
                        "请让这里的 `- ` 与上一项的 `- ` 对齐（若确是正文，请给整段文字加引号）。"]
    doc, problems = load("body: |\n  - 第一项\n    - 子项\nnote: \"甲\n  - 乙\"\n")
    assert problems == [] and doc.data["body"] == "- 第一项\n  - 子项\n"  # block and quoted text are fine


def test_full_width_colon_is_named_at_its_own_line_and_column():
    # libyaml notices it a line later (3:1); the message points at the colon itself.
    _, problems = load("id: a\ngoal：先试点\nsummary: s\n")
    assert problems == ["x.yaml:2:5: YAML 语法错误：字段名 `goal` 后用了中文全角冒号“：”："
                        "请改成英文冒号加一个空格“: ”。"]


def test_full_width_colon_in_a_list_item_is_named():
    _, problems = load("tasks:\n  - what： 建立\n    who: x\n")
    assert problems == ["x.yaml:2:9: YAML 语法错误：列表项中字段名 `what` 后用了中文全角冒号“：”："
                        "请改成英文冒号加一个空格“: ”。"]


def test_wrong_indentation_talks_about_indentation_and_the_expected_column():
    _, problems = load("id: a\nlocation:\n  province: p\n   city: c\n")
    (problem,) = problems
    assert problem.startswith("x.yaml:4:4: YAML 语法错误：缩进不对")
    assert "应左对齐：请让这一行从第 3 列开始" in problem and "引号" not in problem
    _, problems = load("tasks:\n  - what: a\n     who: b\n")
    assert problems[0].startswith("x.yaml:3:6: YAML 语法错误：缩进不对") and "从第 5 列开始" in problems[0]
    # a colon inside text is still a quoting matter, not an indentation one
    _, problems = load("id: a\ntitle: 目标: 先试点\n")
    assert "加引号" in problems[0] and "缩进不对" not in problems[0]


def test_record_files_are_read_in_path_order(tmp_path):
    """content_files lists files with os.scandir and sorts strings; the order must stay Path's
    (part by part: `a/b.yaml` before `a-c.yaml`), which decides the order of problems and ties."""
    from pilotguide.content.gather import content_files, near_misses

    names = ["a/b.yaml", "a-c.yaml", "a.yaml", "a/b/c.yaml", "a b.yml", "a!.yaml", "ab/x.yaml", "a/a.yaml",
             "z.yaml", "A.yaml", ".yaml", "x.yaml.txt", "d/y.YAML"]
    for name in names:
        path = tmp_path / "steps" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("id: x\n", encoding="utf-8")
    (tmp_path / "steps" / "linked").symlink_to(tmp_path / "steps" / "a")  # not entered, as Path.rglob
    every = sorted(p for p in (tmp_path / "steps").rglob("*") if p.is_file())
    assert not any("linked" in p.parts for p in every)
    assert content_files(tmp_path, "steps") == [p for p in every if p.suffix in (".yaml", ".yml")]
    assert near_misses(tmp_path, "steps") == [p for p in every if p.suffix not in (".yaml", ".yml")]
    assert [p.name for p in near_misses(tmp_path, "steps")] == [".yaml", "y.YAML", "x.yaml.txt"]
