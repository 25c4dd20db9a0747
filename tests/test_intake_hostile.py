"""Hostile workbooks get a clear Chinese error or are read safely: no formula evaluated, no request
made, nothing written outside the content folders."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from intake_helpers import CASE, fill, good_case, headers, tree

from pilotguide.content.gather import load_content
from pilotguide.intake.columns import layout


@pytest.fixture
def blank(minimal, run):
    assert run(minimal, "workbook", "--out", str(minimal / "收集表.xlsx")).exit_code == 0
    return minimal / "收集表.xlsx"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the import tried to open a network connection")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _rewrite(path: Path, member: str, change) -> None:
    """Rewrite one member of an xlsx (a zip) with `change(text) -> text`."""
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    temp.replace(path)


def _sheet_member(path: Path, name: str) -> str:
    book = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{book.sheetnames.index(name) + 1}.xml"


def test_formulas_are_never_evaluated_only_their_saved_values_read(minimal, blank, run, no_network):
    path = fill(blank, minimal / "formulas.xlsx", {CASE: [good_case(**{"市": "=1+1", "开始时间": "=1+1",
                                                                      "区县": '=HYPERLINK("http://127.0.0.1:9/__pwned","点")'})]})
    # The office suite saved 2019 as the result of =1+1 in 开始时间: that (not 2) is what is read.
    member = _sheet_member(path, CASE)
    columns = headers(openpyxl.load_workbook(path)[CASE])
    letter = openpyxl.utils.get_column_letter(columns["开始时间"])

    def cache(xml: str) -> str:
        return re.sub(rf'(<c r="{letter}2"[^>]*>)<f>1\+1</f><v\s*/?>(</v>)?', r"\1<f>1+1</f><v>2019</v>", xml)
    _rewrite(path, member, cache)
    result = run(minimal, "import", str(minimal / "formulas.xlsx"))
    assert result.exit_code == 0, result.output
    case = load_content(minimal).get("case-study", "ping-fang-qu-xin-cun-she-qu")
    assert case.data["started"] == "2019"
    assert "city" not in case.data["location"] and "district" not in case.data["location"]  # no saved value: empty


def test_a_10_mb_cell_is_refused_at_its_cell(minimal, blank, run):
    fill(blank, minimal / "huge.xlsx", {CASE: [good_case(**{"摘要": "长" * (10 * 1024 * 1024)})]})
    before = tree(minimal)
    result = run(minimal, "import", str(minimal / "huge.xlsx"))
    assert result.exit_code == 1
    assert "huge.xlsx › 试点案例 › 第 2 行 C 列（摘要）: 单元格内容过长（达到 32767 个字符的上限" in result.output
    assert tree(minimal) == before


def test_100000_blank_rows_are_skipped(minimal, run):
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(CASE)
    labels = [c.label for c in layout("case-study").main.columns]
    ws.append(labels)
    row = good_case()
    ws.append([row.get(label) for label in labels])
    for _ in range(100_000):
        ws.append(["", None, " "])  # formatted, empty: what a clerk's "select to the end" leaves
    book.save(minimal / "long.xlsx")
    result = run(minimal, "import", str(minimal / "long.xlsx"))
    assert result.exit_code == 0, result.output
    assert "新建 1 条" in result.output


def test_an_external_link_is_never_followed(minimal, blank, run, no_network):
    path = fill(blank, minimal / "linked.xlsx", {CASE: [good_case(**{"市": "='http://127.0.0.1:9/[__pwned.xlsx]Sheet1'!A1"})]})
    member = _sheet_member(path, CASE)
    _rewrite(path, member, lambda xml: re.sub(r"(<f>[^<]*__pwned[^<]*</f>)<v\s*/?>(</v>)?",
                                              r'\1<v>哈尔滨市</v>', xml).replace('<c r="E2"', '<c t="str" r="E2"', 1))
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
            'Target="http://127.0.0.1:9/__pwned.xlsx" TargetMode="External"/></Relationships>')
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", rels)
        archive.writestr("xl/externalLinks/externalLink1.xml",
                         '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         '<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
                         "</externalLink>")
    result = run(minimal, "import", str(minimal / "linked.xlsx"))
    assert result.exit_code == 0, result.output
    assert load_content(minimal).get("case-study", "ping-fang-qu-xin-cun-she-qu").data["location"]["city"] == "哈尔滨市"


def test_a_macro_enabled_workbook_renamed_to_xlsx_is_refused(minimal, blank, run):
    path = fill(blank, minimal / "macro.xlsx", {CASE: [good_case()]})
    _rewrite(path, "[Content_Types].xml", lambda xml: xml.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml"))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 512)
    before = tree(minimal)
    result = run(minimal, "import", str(minimal / "macro.xlsx"))
    assert result.exit_code == 1
    assert "macro.xlsx: 这是启用宏的工作簿" in result.output and "另存为" in result.output
    assert tree(minimal) == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(minimal, run):
    path = minimal / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(310):  # 310 MB of zeros, 300 kB packed
                member.write(zeros)
    assert path.stat().st_size < 1024 * 1024
    before = tree(minimal)
    result = run(minimal, "import", str(minimal / "bomb.xlsx"))
    assert result.exit_code == 1
    assert "解压后过大" in result.output and "已拒绝读取" in result.output
    assert tree(minimal) == before


def test_a_sheet_reaching_the_last_cell_is_refused(minimal, blank, run):
    book = openpyxl.load_workbook(blank)
    book[CASE]["XFD1048576"] = "角落"  # calamine would allocate every cell in between
    book.save(minimal / "corner.xlsx")
    result = run(minimal, "import", str(minimal / "corner.xlsx"))
    assert result.exit_code == 1
    assert "工作表的范围过大（1048576 行 × 16384 列" in result.output


@pytest.mark.parametrize("name, data, message", [
    ("broken.xlsx", b"PK\x03\x04 not really a zip", "工作簿"),
    ("text.xlsx", "标题\n甲\n".encode(), "不是有效的 .xlsx 工作簿"),
    ("cases.docx", b"x", "不支持的文件类型"),
])
def test_files_that_are_not_workbooks_get_a_clear_message(minimal, run, name, data, message):
    (minimal / name).write_bytes(data)
    result = run(minimal, "import", str(minimal / name))
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_a_workbook_converted_by_libreoffice_imports_to_the_same_records(tmp_path, blank, run):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui)")
    minimal = blank.parent
    rows = {CASE: [good_case(**{"开始时间": "2018-12", "经验启示": "先试点\n再推广", "来源日期": "2018年12月26日",
                                "培育步骤": "出台政策 (s1)"}),
                   good_case("第二个村", **{"编号": "di-er", "省": "吉林省"})]}
    fill(blank, minimal / "filled.xlsx", rows)
    results = {}
    for suffix in ("xlsx", "ods", "xls"):
        project = tmp_path / suffix
        shutil.copytree(minimal, project)
        if suffix != "xlsx":
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                            "--convert-to", suffix, "--outdir", str(project), str(project / "filled.xlsx")],
                           check=True, capture_output=True, timeout=180)
        result = run(project, "import", str(project / f"filled.{suffix}"))
        assert result.exit_code == 0, result.output
        results[suffix] = {p.name: p.read_text(encoding="utf-8") for p in (project / "case-studies").iterdir()}
    assert len(results["xlsx"]) == 3
    assert results["ods"] == results["xlsx"] and results["xls"] == results["xlsx"]


ODS_CONTENT = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="试点案例"><table:table-row table:number-rows-repeated="{rows}">'
               '<table:table-cell table:number-columns-repeated="{cols}" office:value-type="string"><text:p>x</text:p>'
               '</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')


@pytest.mark.parametrize("rows, cols", [(1_000_000, 1), (1, 16_000)])
def test_an_ods_repeating_a_value_a_million_times_is_refused(minimal, run, rows, cols):
    path = minimal / "repeat.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", ODS_CONTENT.format(rows=rows, cols=cols))
    result = run(minimal, "import", str(path))
    assert result.exit_code == 1 and f"工作表的范围过大（{rows} 行 × {cols} 列" in result.output
