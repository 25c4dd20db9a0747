"""Case collection workbooks: the blank workbook, import with cell-located errors, export round trip."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import openpyxl
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from conftest import build_project
from intake_helpers import CASE, TIMELINE, fill, good_case, headers, tree

from pilotguide.content import schemas
from pilotguide.content.gather import load_content
from pilotguide.intake import values
from pilotguide.intake.columns import NESTED_LABELS, WORKBOOK_KINDS, _resolve, layout
from pilotguide.intake.read import read_csv
from pilotguide.intake.yamlfile import new_text
from pilotguide.pages.render import render_pages


@pytest.fixture
def blank(minimal, run):
    result = run(minimal, "workbook", "--out", str(minimal / "收集表.xlsx"))
    assert result.exit_code == 0, result.output
    return minimal / "收集表.xlsx"


# The blank workbook ---------------------------------------------------------------------------

def test_blank_workbook_has_the_sheets_headers_and_hidden_layout(blank):
    book = openpyxl.load_workbook(blank)
    assert book.sheetnames[:2] == ["填表说明", CASE]
    assert {"试点案例·时间线", "试点案例·参与组织", "试点案例·更多来源"} <= set(book.sheetnames)
    ws = book[CASE]
    assert ws.freeze_panes == "A2"
    labels = [c.value for c in ws[1]]
    assert labels[:4] == ["编号", "*标题", "*摘要", "*省"]  # the id may be left empty: made from the title
    assert {"市", "区县", "街道乡镇", "村社区", "*来源标题", "发布单位", "来源日期"} <= set(labels)
    assert "正文" not in labels and "body" not in labels  # Markdown bodies stay in YAML
    assert ws["B1"].font.color.rgb.endswith("C00000")  # required columns stand out
    assert book["选项"].sheet_state == "hidden" and book["_pilotguide"].sheet_state == "hidden"
    meta = {r[0].value: r[1].value for r in book["_pilotguide"].iter_rows()}
    assert "case-study" in json.loads(meta["layout"])


def test_drop_downs_for_vocabularies_and_references(blank):
    book = openpyxl.load_workbook(blank)
    ws, lists = book[CASE], book["选项"]
    columns = headers(ws)
    rules = {str(rule.sqref).split(":")[0]: rule for rule in ws.data_validations.dataValidation}

    def options(label):
        rule = rules[f"{openpyxl.utils.get_column_letter(columns[label])}2"]
        sheet, cells = rule.formula1.split("!")
        first, last = cells.replace("$", "").split(":")
        return rule, [c.value for (c,) in lists[first:last]]

    rule, area = options("城乡类型")
    assert area == ["城市社区", "农村社区"] and rule.showErrorMessage  # one value: anything else is refused
    rule, activities = options("活动类型")
    assert "为民服务" in activities and not rule.showErrorMessage  # several values: 、 between them
    _, steps = options("培育步骤")
    assert "出台政策 (s1)" in steps and "观察点 (s2)" in steps
    _, policies = options("政策")
    assert policies == ["政策一 {{ 不是模板 }} (p1)"]


def test_date_columns_are_formatted_as_dates_and_partial_dates_as_text(blank):
    ws = openpyxl.load_workbook(blank)[CASE]
    columns = headers(ws)
    letter = openpyxl.utils.get_column_letter
    assert ws.column_dimensions[letter(columns["更新日期"])].number_format == "yyyy-mm-dd"
    # "2018-12" typed into a General cell would become 1 Dec 2018: a partial date stays text
    assert ws.column_dimensions[letter(columns["开始时间"])].number_format == "@"


def test_exported_dates_are_date_cells(shipped, run):
    assert run(shipped, "export", "--out", str(shipped / "现有.xlsx")).exit_code == 0
    ws = openpyxl.load_workbook(shipped / "现有.xlsx")[CASE]
    column = headers(ws)["更新日期"]
    cell = next(ws.cell(r, column) for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "gaochao-village")
    assert cell.is_date and cell.number_format == "yyyy-mm-dd" and cell.value.date() == dt.date(2026, 11, 26)


def test_instructions_explain_every_column(blank):
    ws = openpyxl.load_workbook(blank)["填表说明"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    table = {(r[0], r[1]): r for r in rows if r[0] and r[1]}
    for sheet in layout("case-study").sheets:
        for column in sheet.columns:
            assert (sheet.name, column.label) in table, column.label
    area = table[(CASE, "城乡类型")]
    assert area[2] == "否" and area[4] == "城市社区、农村社区"
    assert table[(CASE, "标题")][2] == "是"
    assert "2018-12-26" in table[(CASE, "更新日期")][5]


def test_every_column_label_names_a_schema_field():
    for kind in WORKBOOK_KINDS:
        layout(kind)  # raises when a field has no Chinese label
    fields = set()
    for kind in WORKBOOK_KINDS:
        for name, prop in schemas.kinds()[kind].schema["properties"].items():
            fields.add((name,))
            resolved = _resolve(prop)
            item = _resolve(resolved.get("items", {})) if resolved.get("type") == "array" else resolved
            fields |= {(name, sub) for sub in item.get("properties", {})}
    stale = [path for path in NESTED_LABELS if path not in fields]
    assert not stale, f"labels for fields the schemas no longer have: {stale}"


# What clerks type ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, partial, expected", [
    (dt.datetime(2018, 12, 26), False, "2018-12-26"),
    (dt.date(2018, 12, 26), True, "2018-12-26"),
    (43460, False, "2018-12-26"),  # an Excel serial number
    (43460.0, True, "2018-12-26"),
    ("2018年12月26日", False, "2018-12-26"),
    ("2018.12.26", False, "2018-12-26"),
    ("2018/12/26", False, "2018-12-26"),
    ("２０１８年１２月", True, "2018-12"),
    ("2018年", True, "2018"),
    (2018, True, "2018"),
    (" 2018.1 ", True, "2018-01"),
    ("去年", True, "去年"),  # passed on: validation says what a date looks like
])
def test_dates_in_the_forms_clerks_type(typed, partial, expected):
    assert values.date(typed, partial) == expected


def test_lists_split_on_chinese_and_western_separators_and_line_breaks():
    assert values.items("为民服务、公益慈善，邻里互助,文体娱乐；农村生产技术服务;x\ny", terms=True) == [
        "为民服务", "公益慈善", "邻里互助", "文体娱乐", "农村生产技术服务", "x", "y"]
    # sentences keep their commas: only line breaks (and item numbers) separate them
    items = values.items("1. 先试点，再推广\r\n2、总结经验；形成模式\n\n", terms=False)
    assert items == ["先试点，再推广", "总结经验；形成模式"]
    assert values.text("\u3000高潮村 \xa0") == "高潮村"


# Import ---------------------------------------------------------------------------------------

def test_valid_rows_import_into_records_that_check_accepts(minimal, blank, run):
    rows = {CASE: [good_case(**{"开始时间": 2019, "培育步骤": "出台政策 (s1)\n观察点 (s2)", "政策": "p1",
                                "经验启示": "先试点，再推广\n总结经验", "来源日期": "2018年12月26日",
                                "更新日期": dt.date(2026, 11, 1)}),
                   good_case("平房区新村社区", **{"摘要": "同名的第二个案例"}),
                   {"编号": "jilin-case", "标题": "吉林某村", "摘要": "概况", "省": "吉林省", "来源标题": "文章二",
                    "开始时间": "2018.12", "更新日期": "2026/11/02"}],
            TIMELINE: [{"所属记录（编号或标题）": "jilin-case", "日期": 43460, "事件": "记者走访"},
                       {"所属记录（编号或标题）": "吉林某村", "日期": "2019年3月", "事件": "成立"}]}
    filled = fill(blank, minimal / "filled.xlsx", rows)
    result = run(minimal, "import", str(minimal / "filled.xlsx"))
    assert result.exit_code == 0, result.output
    assert "新建 3 条，更新 0 条，未变 0 条，跳过 0 条" in result.output
    new = minimal / "case-studies" / "ping-fang-qu-xin-cun-she-qu.yaml"
    text = new.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert (minimal / "case-studies" / "ping-fang-qu-xin-cun-she-qu-2.yaml").is_file()  # unique id from the title
    assert new.stat().st_mode & 0o777 == (minimal / "case-studies" / "c1.yaml").stat().st_mode & 0o777
    content = load_content(minimal)
    case = content.get("case-study", "ping-fang-qu-xin-cun-she-qu")
    assert case.data["steps"] == ["s1", "s2"] and case.data["policies"] == ["p1"]
    assert case.data["activity_types"] == ["为民服务", "公益慈善"]
    assert case.data["started"] == "2019" and case.data["sources"][0]["date"] == "2018-12-26"
    assert case.data["lessons"] == ["先试点，再推广", "总结经验"]
    jilin = content.get("case-study", "jilin-case")
    assert jilin.data["timeline"] == [{"date": "2018-12-26", "event": "记者走访"}, {"date": "2019-03", "event": "成立"}]
    assert jilin.data["started"] == "2018-12" and jilin.data["updated"] == "2026-11-02"
    assert run(minimal, "check").exit_code == 0
    assert filled.exists()


def test_imported_cases_appear_in_the_case_table_topics_and_statistics(minimal, blank, run):
    rows = {CASE: [good_case("新村社区", **{"活动类型": "邻里互助", "开始时间": 2020}),
                   good_case("旧村社区", **{"省": "吉林省", "活动类型": "邻里互助"})]}
    fill(blank, minimal / "filled.xlsx", rows)
    assert run(minimal, "import", str(minimal / "filled.xlsx")).exit_code == 0
    pages = render_pages(load_content(minimal))
    table = next(text for path, text in pages.items() if path.startswith("case-studies/index"))
    assert "新村社区" in table and "旧村社区" in table
    topic = "\n".join(text for path, text in pages.items() if path.startswith("topics/") and "邻里互助" in text)
    assert "新村社区" in topic and "旧村社区" in topic
    statistics = pages["statistics.md"]
    assert "吉林省" in statistics and "邻里互助" in statistics


BAD_CELLS = [
    ({"城乡类型": "农村社"}, "I", "城乡类型", "是否指 `农村社区`"),
    ({"活动类型": "为民服务、文体活动"}, "K", "活动类型", "不在词表 `activity_types` 中"),
    ({"开始时间": "2018-13"}, "J", "开始时间", "应为日期"),
    ({"培育步骤": "建立观察站"}, "N", "培育步骤", "找不到名为“建立观察站”的培育步骤"),
    ({"政策": "p9"}, "O", "政策", "引用了不存在的政策 `p9`（是否指 `p1`？）"),
    ({"更新日期": "2018"}, "X", "更新日期", "YYYY-MM-DD"),
    ({"省": None}, "D", "省", "缺少必填字段"),
    ({"编号": "Bad_ID"}, "A", "编号", "小写字母、数字和单个连字符"),
    ({"编号": "c1", "标题": "高潮村"}, "", "", None),  # an existing record: skipped without --update, no error
    ({"来源网址": "www.example.cn"}, "V", "来源网址", "http://"),
]


def test_each_bad_cell_is_named_by_sheet_row_column_and_field_and_nothing_is_written(minimal, blank, run):
    rows = []
    for number, (cells, *_rest) in enumerate(BAD_CELLS, start=2):
        row = good_case(f"案例{number}")
        row.update(cells)
        rows.append({k: v for k, v in row.items() if v is not None} | ({"省": None} if "省" in cells else {}))
    fill(blank, minimal / "bad.xlsx", {CASE: rows})
    before = tree(minimal)
    result = run(minimal, "import", str(minimal / "bad.xlsx"))
    assert result.exit_code == 1
    assert tree(minimal) == before
    for number, (_cells, letter, label, message) in enumerate(BAD_CELLS, start=2):
        if message is None:
            assert f"第 {number} 行" not in result.output
            continue
        place = f"bad.xlsx › 试点案例 › 第 {number} 行 {letter} 列（{label}）: "
        line = next((ln for ln in result.output.splitlines() if ln.startswith(place)), None)
        assert line is not None and message in line, (place, result.output)
    assert "Traceback" not in result.output and "没有写入任何文件" in result.output


def test_a_clash_between_two_rows_names_the_other_rows_cell(minimal, blank, run):
    """A message that names another place (an id used twice) names that row's cell, never a file or a token."""
    fill(blank, minimal / "twice.xlsx", {CASE: [good_case("甲村", **{"编号": "same-id"}),
                                                good_case("乙村", **{"编号": "same-id"})]})
    before = tree(minimal)
    result = run(minimal, "import", str(minimal / "twice.xlsx"))
    assert result.exit_code == 1 and tree(minimal) == before
    clash = [ln for ln in result.output.splitlines() if "重复" in ln]
    assert len(clash) == 1, result.output
    assert clash[0].startswith("twice.xlsx › 试点案例 › 第 3 行 A 列（编号）: ")
    assert "已在 twice.xlsx › 试点案例 › 第 2 行 A 列（编号） 使用" in clash[0]
    assert "\x00" not in result.output and "与 id" not in result.output  # no file-name advice for a row


def test_reordered_columns_extra_column_blank_rows_and_merged_cells(minimal, blank, run):
    book = openpyxl.load_workbook(blank)
    ws = book[CASE]
    ws.move_range("B1:C600", cols=30)  # 标题 and 摘要 moved to the far right
    columns = headers(ws)
    ws.cell(1, 40, "备注")
    for number in (4, 7):
        values = good_case(f"案例{number}", **{"省": None})
        for label, value in values.items():
            ws.cell(number, columns[label], value)
        ws.cell(number, 40, "内部备注")
    ws.cell(4, columns["省"], "黑龙江省")
    ws.merge_cells(start_row=4, end_row=7, start_column=columns["省"], end_column=columns["省"])
    book.save(minimal / "moved.xlsx")
    result = run(minimal, "import", str(minimal / "moved.xlsx"))
    assert result.exit_code == 0, result.output
    assert "AN 列（备注）" in result.output and "已忽略" in result.output  # a warning, not an error
    content = load_content(minimal)
    assert content.get("case-study", "an-li-7").data["location"]["province"] == "黑龙江省"
    assert "新建 2 条" in result.output


def test_a_subsheet_row_for_no_record_is_located(minimal, blank, run):
    fill(blank, minimal / "orphan.xlsx", {CASE: [good_case()], TIMELINE: [
        {"所属记录（编号或标题）": "别的村", "日期": 2019, "事件": "成立"}]})
    result = run(minimal, "import", str(minimal / "orphan.xlsx"))
    assert result.exit_code == 1
    assert ("orphan.xlsx › 试点案例·时间线 › 第 2 行 A 列（所属记录（编号或标题））: "
            "找不到编号或标题为“别的村”的记录") in result.output


def test_dry_run_says_what_would_happen_and_writes_nothing(minimal, blank, run):
    fill(blank, minimal / "filled.xlsx", {CASE: [good_case(), good_case("高潮村", **{"编号": "c1"})]})
    before = tree(minimal)
    result = run(minimal, "import", str(minimal / "filled.xlsx"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "新建：试点案例 ping-fang-qu-xin-cun-she-qu" in result.output
    assert "跳过" in result.output and "新建 1 条，更新 0 条，未变 0 条，跳过 1 条" in result.output
    assert tree(minimal) == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_the_encodings_excel_and_wps_save(minimal, run, encoding):
    text = "标题,摘要,省,活动类型,来源标题,开始时间\n“社区”互助站,一个案例,黑龙江省,为民服务、邻里互助,文章,2018年\n"
    (minimal / "cases.csv").write_bytes(text.encode(encoding))
    result = run(minimal, "import", str(minimal / "cases.csv"))
    assert result.exit_code == 0, result.output
    record = load_content(minimal).get("case-study", "she-qu-hu-zhu-zhan")
    assert record.data["activity_types"] == ["为民服务", "邻里互助"] and record.data["started"] == "2018"


def test_csv_reader_decodes_gbk_with_quoted_line_breaks():
    rows = read_csv('标题,经验启示\n甲,"第一条\n第二条"\n'.encode("gbk"))
    assert rows[1] == ["甲", "第一条\n第二条"]


# Export and update --------------------------------------------------------------------------------

def _all_kinds():
    return [arg for kind in WORKBOOK_KINDS for arg in ("--kind", kind)]


@pytest.mark.parametrize("project", ["minimal", "shipped"])
def test_export_then_import_update_changes_no_file(project, request, run):
    root = request.getfixturevalue(project)
    assert run(root, "export", "--out", str(root / "现有.xlsx"), *_all_kinds()).exit_code == 0
    before = tree(root)
    result = run(root, "import", str(root / "现有.xlsx"), "--update")
    assert result.exit_code == 0, result.output
    assert tree(root) == before
    count = sum(len(load_content(root).all(k)) for k in WORKBOOK_KINDS)
    assert f"新建 0 条，更新 0 条，未变 {count} 条，跳过 0 条" in result.output


def test_exported_records_removed_and_imported_again_come_back_the_same(shipped, run):
    # Step titles hold 、 and ，: references written as "title (id)" must still give the ids.
    before = {r.id: dict(r.data) for r in load_content(shipped).all("case-study")}
    assert run(shipped, "export", "--out", str(shipped / "现有.xlsx")).exit_code == 0
    shutil.rmtree(shipped / "courses")  # its sessions cite the cases: the guide stays valid without them
    for path in (shipped / "case-studies").glob("*.yaml"):
        path.unlink()
    result = run(shipped, "import", str(shipped / "现有.xlsx"))
    assert result.exit_code == 0, result.output
    after = {r.id: dict(r.data) for r in load_content(shipped).all("case-study")}
    assert after == {id_: {k: v for k, v in data.items() if k != "body"} for id_, data in before.items()}


def test_update_changes_only_the_sheets_fields_and_keeps_body_and_comments(shipped, run):
    path = shipped / "case-studies" / "gaochao-village.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("area: 农村社区", "area: 农村社区  # 来源明确写了“农村”"),
                    encoding="utf-8")
    assert run(shipped, "export", "--out", str(shipped / "现有.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(shipped / "现有.xlsx")
    ws = book[CASE]
    columns = headers(ws)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "gaochao-village")
    ws.cell(row, columns["活动类型"], "邻里互助")
    ws.cell(row, columns["村社区"]).value = None
    for column in ("摘要", "省", "市"):  # a workbook without these columns leaves them alone
        ws.delete_cols(headers(ws)[column])
    book.save(shipped / "改.xlsx")
    before = path.read_text(encoding="utf-8")
    skipped = run(shipped, "import", str(shipped / "改.xlsx"))
    assert skipped.exit_code == 0 and "跳过 1 条" in skipped.output
    assert path.read_text(encoding="utf-8") == before
    result = run(shipped, "import", str(shipped / "改.xlsx"), "--update")
    assert result.exit_code == 0, result.output
    assert "更新 1 条" in result.output
    after = path.read_text(encoding="utf-8")
    assert "# 来源明确写了“农村”" in after and after.startswith("# yaml-language-server:")
    record = load_content(shipped).get("case-study", "gaochao-village")
    assert record.data["activity_types"] == ["邻里互助"]
    assert "community" not in record.data["location"] and record.data["location"]["city"] == "哈尔滨市"
    assert record.data["body"].startswith("## 文章讲了什么")
    old = before.splitlines()
    unchanged = [line for line in old if "community" not in line and "activity_types" not in line]
    assert all(line in after.splitlines() for line in unchanged)


def test_a_workbook_from_an_older_layout_says_what_changed(minimal, blank, run):
    book = openpyxl.load_workbook(blank)
    meta = book["_pilotguide"]
    for row in meta.iter_rows():
        if row[0].value == "layout":
            layout_ = json.loads(row[1].value)
            kept = [c for c in layout_["case-study"] if not c.endswith("/area")]
            layout_["case-study"] = kept + ["试点案例/old_field"]
            row[1].value = json.dumps(layout_, ensure_ascii=False)
    fill_book = minimal / "old.xlsx"
    book.save(fill_book)
    fill(fill_book, fill_book, {CASE: [good_case()]})
    result = run(minimal, "import", str(minimal / "old.xlsx"), "--dry-run")
    assert result.exit_code == 0
    assert "较早的版本" in result.output and "新增 试点案例/area" in result.output
    assert "去掉了 试点案例/old_field" in result.output


# New YAML files ------------------------------------------------------------------------------------

_words = st.text(alphabet=st.sampled_from(list("ab：:- \n|#'\"、，2018年社区")), min_size=1, max_size=12)
_keys = st.text(alphabet="abcdefgh_", min_size=1, max_size=6)
_records = st.dictionaries(_keys, st.one_of(
    _words, st.integers(1, 9), st.lists(_words, min_size=1, max_size=3),
    st.lists(st.dictionaries(_keys, _words, min_size=1, max_size=3), min_size=1, max_size=3),
    st.dictionaries(_keys, _words, min_size=1, max_size=3)), min_size=1, max_size=5)


@given(_records)
@example({"_": ":\n- 0"})  # found by CI: a line of block text that looked like a list under a key
@example({"a": [{"b": "q:\n  - 1\n- 2"}]})
@settings(max_examples=300, deadline=None)
def test_new_files_read_back_as_the_data_written(record):
    text = new_text(record, "# modeline\n", set())
    assert yaml.safe_load(text) == record


def test_new_files_indent_lists_under_their_key_like_the_shipped_files():
    text = new_text({"id": "x", "steps": ["a", "b"], "sources": [{"title": "t", "date": "2018"}],
                     "summary": "第一行\n- 不是列表项"}, "", set())
    assert "steps:\n  - a\n  - b\n" in text and "sources:\n  - title: t\n    date: '2018'\n" in text
    assert yaml.safe_load(text)["summary"] == "第一行\n- 不是列表项"


@pytest.mark.slow
def test_imported_cases_are_in_the_built_site(shipped, run):
    assert run(shipped, "workbook", "--out", str(shipped / "收集表.xlsx")).exit_code == 0
    rows = {CASE: [good_case("松北区示范社区", **{"市": "哈尔滨市", "活动类型": "邻里互助、文体娱乐",
                                              "发挥作用": "文化建设",
                                              "培育步骤": "建立观察点，先行先试 (guanchadian-xianxing-xianshi)"})]}
    fill(shipped / "收集表.xlsx", shipped / "filled.xlsx", rows)
    assert run(shipped, "import", str(shipped / "filled.xlsx")).exit_code == 0
    site = build_project(shipped)
    case_id = "song-bei-qu-shi-fan-she-qu"
    assert (site / "case-studies" / f"{case_id}.html").is_file()
    assert "松北区示范社区" in (site / "case-studies" / "index.html").read_text(encoding="utf-8")
    topic = next(p for p in (site / "topics").rglob("*.html") if "邻里互助" in p.read_text(encoding="utf-8")
                 and "activity" in p.as_posix())
    assert "松北区示范社区" in topic.read_text(encoding="utf-8")
    statistics = (site / "statistics" / "index.html")
    statistics = statistics if statistics.is_file() else site / "statistics.html"
    assert "文化建设" in statistics.read_text(encoding="utf-8")
    step = (site / "steps" / "guanchadian-xianxing-xianshi.html").read_text(encoding="utf-8")
    assert "松北区示范社区" in step  # the step page links back to the imported case
