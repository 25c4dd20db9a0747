"""Schema validation and cross-record checks: every problem located, in Chinese, with a hint."""

from __future__ import annotations

import pytest
from conftest import write
from jsonschema import Draft7Validator

from pilotguide.content import schemas
from pilotguide.content.gather import load_content
from pilotguide.errors import ContentError


def problems_of(root) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_content(root)
    return [str(p) for p in info.value.problems]


def test_fixture_project_is_valid(minimal):
    content = load_content(minimal)
    assert [r.id for r in content.all("step")] == ["s1", "s2"]


def test_every_schema_is_valid_draft07():
    for name, schema in schemas.raw_schemas().items():
        Draft7Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#", name


def test_unknown_field_suggests_the_close_one(minimal):
    path = minimal / "policies" / "p1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "sumary: 多余\n", encoding="utf-8")
    (problem,) = problems_of(minimal)
    assert problem.startswith("policies/p1.yaml:10:1: 未知字段 `sumary`（是否指 `summary`？）")


def test_missing_field_wrong_type_and_bad_vocabulary_are_all_reported(minimal):
    write(minimal / "case-studies" / "c2.yaml", """
        id: c2
        title: [不是, 文字]
        location: {province: 黑龙江省}
        area: 农村社
        activity_types: [邻里互助, 文体娱东]
        sources: [{title: 文章}]
        """)
    problems = problems_of(minimal)
    assert "case-studies/c2.yaml:1:1: 缺少必填字段 `summary`。" in problems
    assert "case-studies/c2.yaml:2:8: 字段 `title` 应为一段不为空的文字，实际是列表。" in problems
    assert any(p.startswith("case-studies/c2.yaml:4:7: 字段 `area` 的值 `农村社` 不在词表 `areas` 中"
                            "（是否指 `农村社区`？）")
               for p in problems)
    assert any(p.startswith("case-studies/c2.yaml:5:24: 字段 `activity_types[1]`") and "文体娱乐" in p
               for p in problems)


def test_quoted_impossible_date_and_unquoted_year(minimal):
    write(minimal / "glossary" / "g2.yaml", """
        id: g2
        term: 术语
        definition: 释义
        updated: "2018-02-30"
        sources: [{title: 文章, date: 2009}]
        """)
    problems = problems_of(minimal)
    assert any(p.startswith("glossary/g2.yaml:4:10: 字段 `updated` 的值 `2018-02-30` 不符合要求：应为日期")
               for p in problems)
    assert any(p.startswith("glossary/g2.yaml:5:29: 字段 `sources[0].date` 应为日期，格式 YYYY") for p in problems)


def test_dangling_reference_names_the_id_and_suggests(minimal):
    path = minimal / "case-studies" / "c1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("steps: [s2]", "steps: [s3]"), encoding="utf-8")
    (problem,) = problems_of(minimal)
    assert problem == "case-studies/c1.yaml:9:9: 字段 `steps[0]` 引用了不存在的培育步骤 `s3`（是否指 `s2`？）。"


def test_duplicate_id_is_reported_at_the_copy_and_names_the_original(minimal):
    text = (minimal / "steps" / "s2.yaml").read_text(encoding="utf-8")
    # "s2 (2).yaml" sorts before "s2.yaml": the copy, not the original, must take the blame
    (minimal / "steps" / "s2 (2).yaml").write_text(text, encoding="utf-8")
    problems = [p for p in problems_of(minimal) if "id `s2` 重复" in p]
    assert problems == ["steps/s2 (2).yaml:1:5: 培育步骤 id `s2` 重复：已在 steps/s2.yaml:1:5 使用"
                        "（这个文件像是副本：请改用新的 id，或删除多余的文件）。"]


def test_duplicate_id_between_misnamed_files_blames_the_later_file(minimal):
    import os
    text = (minimal / "steps" / "s2.yaml").read_text(encoding="utf-8")
    (minimal / "steps" / "s2.yaml").unlink()
    older, newer = minimal / "steps" / "zz-first.yaml", minimal / "steps" / "aa-later.yaml"
    older.write_text(text, encoding="utf-8")
    newer.write_text(text, encoding="utf-8")
    os.utime(older, (1_500_000_000, 1_500_000_000))
    problems = [p for p in problems_of(minimal) if "id `s2` 重复" in p]
    assert len(problems) == 1
    assert problems[0].startswith("steps/aa-later.yaml:1:5: 培育步骤 id `s2` 重复：已在 steps/zz-first.yaml")


def test_chinese_comma_in_a_flow_list_is_named(minimal):
    path = minimal / "case-studies" / "c1.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("activity_types: [为民服务]", "activity_types: [邻里互助，为民服务]")
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(minimal)
    assert problem.startswith("case-studies/c1.yaml:8:18: 字段 `activity_types[0]` 的值 `邻里互助，为民服务` 不在词表")
    assert "中文逗号“，”" in problem and "[邻里互助, 为民服务]" in problem
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("area: 农村社区", "area: 农村社区、城市社区"), encoding="utf-8")
    assert any("area" in p and "中文逗号“、”" in p for p in problems_of(minimal))


def test_not_a_mapping(minimal):
    write(minimal / "policies" / "list.yaml", "- id: x\n- id: y\n")
    assert "policies/list.yaml:1:1: 字段 `（整个文件）` 应为映射（字段: 值），实际是列表。" in problems_of(minimal)


def test_placeholders_block_publishing(minimal):
    write(minimal / "glossary" / "g3.yaml",
          "id: g3\nterm: 【待填写】术语\ndefinition: 释义\nsources: [{title: 文章}]\n")
    assert problems_of(minimal) == ["glossary/g3.yaml:2:7: 字段 `term` 仍是占位内容 【待填写】，请填写后再发布。"]


def test_back_links(minimal):
    content = load_content(minimal)
    p1 = content.get("policy", "p1")
    assert [(r.kind, r.id) for r in content.cited_by(p1)] == [("step", "s1"), ("case-study", "c1")]
    assert content.cited_by(content.get("glossary", "g1")) == []  # a self-reference is no back-link


def test_step_numbers_are_unique_and_follow_the_phases(minimal):
    path = minimal / "steps" / "s2.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 2", "order: 1"), encoding="utf-8")
    assert problems_of(minimal) == ["steps/s2.yaml:5:8: 步骤序号 `order: 1` 重复：已在 steps/s1.yaml:5:8 使用。"]
    text = path.read_text(encoding="utf-8").replace("order: 1", "order: 2")
    path.write_text(text.replace("phase: 培育发展", "phase: 引导作用"), encoding="utf-8")
    load_content(minimal)  # a later phase with a later number is fine
    s1 = minimal / "steps" / "s1.yaml"
    s1.write_text(s1.read_text(encoding="utf-8").replace("order: 1", "order: 3"), encoding="utf-8")
    (problem,) = problems_of(minimal)
    assert problem.startswith("steps/s1.yaml:5:8: 步骤序号 `order: 3` 属于阶段“培育发展”，"
                              "却排在阶段“引导作用”的第 2 步")


def test_messages_come_from_the_error_values_not_jsonschema_english(minimal):
    """Several missing fields are each named (jsonschema names one per English message); a wrong
    value of a keyword without a Chinese `x-expected` still reads in Chinese."""
    write(minimal / "case-studies" / "c3.yaml", """
        id: c3
        sources: []
    """)
    found = problems_of(minimal)
    missing = [p for p in found if "缺少必填字段" in p]
    named = {p.split("缺少必填字段 ")[1].split("。")[0] for p in missing}
    assert len(missing) >= 2 and {"`title`", "`summary`"} <= named
    english = ("is a required", "does not match", "is not valid", "is too")
    for problem in found:
        assert not any(word in problem for word in english), problem
