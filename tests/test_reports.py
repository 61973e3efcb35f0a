"""Report renderers on hand-made tables: exact text, CJK alignment, CSV/XLSX safety, PII masking."""

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from pydantic import BaseModel

from gridgraph.reports import (STREAM_BLOCK, ReportError, display_width, render, render_tables, stream_table,
                               write_report, write_workbook)
from graphmodel.atomic import atomic_write_bytes
from graphmodel.errors import OutputError
from graphmodel.spreadsheet import safe_cell
from queries.results import Result
from queries.tables import Column, Table

RATE_COLUMNS = [Column("id", "街道编码", "Street code"), Column("name", "街道", "Street"),
                Column("numerator", "达标数", "Numerator"), Column("denominator", "总数", "Denominator"),
                Column("rate", "覆盖率", "Rate")]


def coverage_table() -> Table:
    return Table("C1", "C1 小区党组织覆盖率", "C1 Compound party coverage", RATE_COLUMNS, [
        {"id": "JD01", "name": "幸福街道", "numerator": 9, "denominator": 10, "rate": 0.9},
        {"id": "JD02", "name": "Riverside", "numerator": 0, "denominator": 0, "rate": None},
    ])


def people_table(count: int = 2) -> Table:
    columns = [Column("person_id", "人员编码", "Person code"), Column("person_name", "姓名", "Name"),
               Column("phone", "联系电话", "Phone", pii="phone"),
               Column("id_hash", "身份证摘要", "ID hash", pii="secret")]
    rows = [{"person_id": f"RY{i}", "person_name": "张三", "phone": "13812345678", "id_hash": "9f3a"}
            for i in range(count)]
    return Table("X1", "X1 交叉任职人员", "X1 Cross-appointed people", columns, rows)


class FakeResult(Result):
    """Stands in for a question result: a result with tables and nothing else to say of itself."""

    code: str
    title_zh: str = "问题"
    title_en: str = "question"
    as_of: dt.date = dt.date(2026, 6, 30)
    phone: str | None = None
    id_hash: str | None = None
    numerator: int = 0

    def tables(self) -> list[Table]:
        return [people_table(1)] if self.code == "X1" else [coverage_table()]


def results() -> dict:
    return {"C1": FakeResult(code="C1", numerator=9),
            "X1": FakeResult(code="X1", phone="13812345678", id_hash="9f3a")}


# -- terminal ---------------------------------------------------------------------------------
def test_table_format_exact_and_aligned_with_cjk():
    text = render_tables([coverage_table()], "table")
    assert text == (
        "C1 小区党组织覆盖率\n"
        "街道编码  街道       达标数  总数  覆盖率\n"
        "--------  ---------  ------  ----  ------\n"
        "JD01      幸福街道        9    10   90.0%\n"
        "JD02      Riverside       0     0  不适用\n"
    )
    lines = text.splitlines()[1:]
    assert len({display_width(line) for line in lines}) == 1


def test_table_format_english_titles_and_na():
    text = render_tables([coverage_table()], "table", lang="en")
    assert text.splitlines()[0] == "C1 Compound party coverage"
    assert text.splitlines()[1].split() == ["Street", "code", "Street", "Numerator", "Denominator", "Rate"]
    assert text.splitlines()[-1].endswith("  n/a")


def test_table_format_truncates_long_lists_but_not_rates():
    many = Table("C1", "C1 小区党组织覆盖率", "C1", RATE_COLUMNS,
                 [{"id": f"JD{i}", "name": "街道", "numerator": 1, "denominator": 1, "rate": 1.0}
                  for i in range(5)])
    text = render_tables([many, people_table(5)], "table", limit=3)
    blocks = text.split("\n\n")
    assert len(blocks[0].splitlines()) == 3 + 5
    people = blocks[1].splitlines()
    assert len(people) == 3 + 3 + 1
    assert people[-1] == "… 还有 2 行未显示（用 -o FILE 输出全部）"
    assert render_tables([people_table(5)], "table", lang="en", limit=3).splitlines()[-1] == \
        "… 2 more (use -o FILE for all rows)"


def test_a_cut_table_keeps_a_column_only_its_hidden_rows_fill():
    columns = [Column("id", "编码", "Code"), Column("note", "说明", "Note")]
    rows = [{"id": f"B{i}", "note": "空缺" if i == 4 else None} for i in range(5)]
    lines = render_tables([Table("B5", "B5 盲区", "B5", columns, rows)], "table", limit=3).splitlines()
    assert lines[1].split() == ["编码", "说明"]  # the columns of the whole list, shown or not
    assert len(lines) == 3 + 3 + 1


def test_table_format_empty_table_and_multiline_cells():
    empty = Table("B1", "B1 无党组织小区", "B1 No party org", [Column("id", "编码", "Code")], [])
    assert render_tables([empty], "table") == "B1 无党组织小区\n（无）\n"
    table = Table("B1", "B1 无党组织小区", "B1", [Column("name", "名称", "Name")],
                  [{"name": "阳光小区\n二期"}, {"name": "x"}])
    lines = render_tables([table], "table").splitlines()
    assert lines[3].rstrip() == "阳光小区 二期"
    assert len({display_width(line) for line in lines[1:]}) == 1


def test_values_booleans_lists_dates():
    columns = [Column("flag", "兼职", "Part-time"), Column("kinds", "类型", "Kinds"),
               Column("start", "开始", "Start")]
    table = Table("X9", "X9 测试", "X9 test", columns,
                  [{"flag": True, "kinds": ["党组织", "业委会"], "start": dt.date(2024, 3, 1)}])
    assert render_tables([table], "csv").splitlines()[1] == "是,党组织；业委会,2024-03-01"
    assert render_tables([table], "csv", lang="en").splitlines()[1] == "yes,Party Org; Owner Committee,2024-03-01"


# -- markdown ---------------------------------------------------------------------------------
def test_markdown_exact_and_escaped():
    table = Table("B1", "B1 无党组织|小区", "B1", [Column("name", "名称", "Name"), Column("n", "数", "N")],
                  [{"name": "阳光|小区\n二期", "n": 3}])
    assert render_tables([table], "md") == (
        "### B1 无党组织\\|小区\n\n"
        "| 名称 | 数 |\n"
        "|---|---:|\n"
        "| 阳光\\|小区<br>二期 | 3 |\n"
    )
    assert render_tables([coverage_table()], "md").splitlines()[-1] == "| JD02 | Riverside | 0 | 0 | 不适用 |"


# -- CSV --------------------------------------------------------------------------------------
def test_csv_single_table_text():
    assert render_tables([coverage_table()], "csv") == (
        "街道编码,街道,达标数,总数,覆盖率\r\n"
        "JD01,幸福街道,9,10,90.0%\r\n"
        "JD02,Riverside,0,0,不适用\r\n"
    )


def test_csv_several_tables_share_one_with_table_column():
    rows = list(csv.reader(io.StringIO(render_tables([coverage_table(), people_table(1)], "csv"))))
    assert rows[0] == ["表", "街道编码", "街道", "达标数", "总数", "覆盖率", "人员编码", "姓名", "联系电话"]
    assert rows[1][0] == "C1" and rows[3] == ["X1", "", "", "", "", "", "RY0", "张三", "138****5678"]


def test_csv_file_has_bom_and_directory_gets_one_file_per_table(tmp_path):
    [single] = write_report({"C1": FakeResult(code="C1")}, "csv", tmp_path / "c1.csv")
    assert single.read_bytes().startswith(b"\xef\xbb\xbf")
    assert single.read_text("utf-8-sig").splitlines()[1] == "JD01,幸福街道,9,10,90.0%"
    written = write_report(results(), "csv", tmp_path / "out")
    assert [path.name for path in written] == ["C1.csv", "X1.csv"]
    assert all(path.read_bytes().startswith(b"\xef\xbb\xbf") for path in written)
    assert "138****5678" in written[1].read_text("utf-8-sig")
    dotted = write_report(results(), "csv", str(tmp_path / "v1.2") + "/")
    assert [path.parent.name for path in dotted] == ["v1.2", "v1.2"]


def test_csv_neutralises_formulas_but_keeps_numbers():
    columns = [Column("v", "值", "Value")]
    values = ["=1+1", "+86 138 1234 5678", "-5", -5, "@SUM(A1)", "\t=cmd", "-2+3+cmd|' /C calc'!A0"]
    table = Table("T", "T 测试", "T", columns, [{"v": value} for value in values])
    rows = list(csv.reader(io.StringIO(render_tables([table], "csv", show_pii=True))))  # the phone as is
    assert [row[0] for row in rows[1:]] == [
        "'=1+1", "'+86 138 1234 5678", "-5", "-5", "'@SUM(A1)", "'\t=cmd", "'-2+3+cmd|' /C calc'!A0"]


# -- formula neutralisation -------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"),
    ("+86 138 1234 5678", "'+86 138 1234 5678"),
    ("-5", "-5"),
    ("-3.5e2", "-3.5e2"),
    (-5, -5),
    (2.5, 2.5),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=cmd", "'\t=cmd"),
    ("\r=cmd", "'\r=cmd"),
    ("-", "'-"),
    ("幸福小区", "幸福小区"),
    ("a=b", "a=b"),
    (None, None),
    (True, True),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


# -- PII --------------------------------------------------------------------------------------
def test_phone_masked_and_secret_dropped_unless_show_pii():
    masked = list(csv.reader(io.StringIO(render_tables([people_table(1)], "csv"))))
    assert masked == [["人员编码", "姓名", "联系电话"], ["RY0", "张三", "138****5678"]]
    shown = list(csv.reader(io.StringIO(render_tables([people_table(1)], "csv", show_pii=True))))
    assert shown == [["人员编码", "姓名", "联系电话", "身份证摘要"], ["RY0", "张三", "13812345678", "9f3a"]]
    assert "13812345678" not in render_tables([people_table(1)], "table")
    assert "9f3a" not in render_tables([people_table(1)], "md")


def test_json_results_masked_in_tables_and_model_dump():
    document = json.loads(render(results(), "json", meta={"as_of": "2026-06-30"}))
    assert document["meta"] == {"as_of": "2026-06-30"}
    assert [entry["code"] for entry in document["results"]] == ["C1", "X1"]
    person = document["results"][1]
    assert person["result"] == {"code": "X1", "title_zh": "问题", "title_en": "question", "as_of": "2026-06-30",
                                "scope": None, "by": None, "phone": "138****5678", "numerator": 0}
    assert [column["key"] for column in person["tables"][0]["columns"]] == ["person_id", "person_name", "phone"]
    assert all("rows" not in table for entry in document["results"] for table in entry["tables"])
    shown = json.loads(render(results(), "json", show_pii=True))
    assert shown["results"][1]["result"]["id_hash"] == "9f3a"
    assert shown["results"][1]["result"]["phone"] == "13812345678"


def test_json_file_is_the_rendered_document_written_piece_by_piece(tmp_path):
    # Each result is dumped on its own; the file must still be the one compact document.
    meta = {"as_of": "2026-06-30", "questions": ["C1", "X1"]}
    expected = json.dumps({"meta": meta, "results": [
        {"code": code, "result": result, "tables": tables} for code, result, tables in (
            (entry["code"], entry["result"], entry["tables"])
            for entry in json.loads(render(results(), "json", meta=meta))["results"])]},
        ensure_ascii=False, separators=(",", ":")) + "\n"
    [path] = write_report(results(), "json", tmp_path / "r.json", meta=meta)
    assert path.read_bytes() == expected.encode("utf-8")
    assert render(results(), "json", meta=meta) == expected
    [path] = write_report({}, "json", tmp_path / "none.json")
    assert path.read_text(encoding="utf-8") == '{"meta":{},"results":[]}\n'


# -- XLSX -------------------------------------------------------------------------------------
def test_xlsx_sheets_header_widths_values(tmp_path):
    long_title = Table("B5-overlap", "B5 网格盲区与重叠：同一类型的两个网格覆盖同一楼栋的情况", "B5", [
        Column("v", "值", "Value"), Column("when", "日期", "Date")],
        [{"v": "=HYPERLINK(\"http://x\")", "when": dt.date(2024, 3, 1)}, {"v": -5, "when": None},
         {"v": "bell\x07", "when": None}])
    twin = Table("B5-overlap", long_title.title_zh, "B5", long_title.columns, [])
    [path] = write_report({"C1": FakeResult(code="C1")}, "xlsx", tmp_path / "r.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["汇总", "C1 小区党组织覆盖率"]  # the summary first
    sheet = workbook["C1 小区党组织覆盖率"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert [cell.value for cell in sheet[1]] == ["街道编码", "街道", "达标数", "总数", "覆盖率"]
    assert [cell.value for cell in sheet[2]] == ["JD01", "幸福街道", 9, 10, 0.9]
    assert sheet["E2"].number_format == "0.0%" and sheet["E3"].value == "不适用"
    # The widest cell plus a margin; CJK characters count double. The file stores the width as
    # Excel does, with the font's padding (10 characters: 10.71).
    assert int(sheet.column_dimensions["A"].width) == display_width("街道编码") + 2 == 10
    assert int(sheet.column_dimensions["B"].width) == len("Riverside") + 2
    assert all(sheet.column_dimensions[letter].width > 0 for letter in "ABCDE")

    write_workbook([long_title, twin, people_table(1)], tmp_path / "t.xlsx", lang="zh")
    workbook = openpyxl.load_workbook(tmp_path / "t.xlsx")
    names = workbook.sheetnames
    assert all(len(name) <= 31 for name in names) and len({n.lower() for n in names}) == 3
    assert names[0].startswith("B5-overlap 网格盲区") and names[1].endswith("~2")
    first = workbook[names[0]]
    assert first["A2"].value == "'=HYPERLINK(\"http://x\")" and first["A2"].data_type == "s"
    assert first["A3"].value == -5 and first["B2"].value.date() == dt.date(2024, 3, 1)
    assert first["B2"].number_format == "yyyy-mm-dd"
    assert first["A4"].value == "bell"  # control characters cannot be stored in XLSX
    assert [cell.value for cell in workbook[names[2]][2]] == ["RY0", "张三", "138****5678"]


def test_xlsx_cannot_be_text():
    with pytest.raises(ReportError, match="binary"):
        render_tables([coverage_table()], "xlsx")


def test_unknown_format_and_language():
    with pytest.raises(ReportError, match="unknown report format"):
        render_tables([], "html")
    with pytest.raises(ReportError, match="language"):
        render_tables([], "table", lang="fr")


# -- files ------------------------------------------------------------------------------------
def test_failed_write_leaves_previous_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("old")

    class Broken(FakeResult):
        def tables(self):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_report({"C1": Broken(code="C1")}, "md", target)
    with pytest.raises(RuntimeError):
        write_report({"C1": Broken(code="C1")}, "xlsx", tmp_path / "new.xlsx")
    monkeypatch.setattr("os.fsync", lambda fd: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OutputError, match="disk full"):
        atomic_write_bytes(target, b"new")
    assert target.read_text() == "old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.md"]


def test_write_report_to_a_folder_is_refused_for_single_file_formats(tmp_path):
    with pytest.raises(ReportError, match="folder"):
        write_report(results(), "md", tmp_path)


def test_a_long_english_sheet_name_is_cut_after_a_whole_word():
    from gridgraph.reports import _sheet_name

    table = Table("C1-missing", "C1 小区党组织覆盖率（缺项）", "C1 Compounds with a party organisation (missing)", [])
    taken: set[str] = set()
    assert _sheet_name(table, "en", taken) == "C1-missing Compounds with a"  # not "… with a par"
    assert _sheet_name(table, "en", taken) == "C1-missing Compounds with a~2"
    assert _sheet_name(table, "zh", taken) == "C1-missing 小区党组织覆盖率（缺项）"


# -- streamed tables (the console) ------------------------------------------------------------
NUMBER_TABLE = Table("cypher", "查询结果", "Result", [Column("x", "x", "x"), Column("note", "note", "note")])


class CountingRows:
    """Rows ``{"x": 1}`` … ``{"x": count}`` made one at a time, counting how many were made."""

    def __init__(self, count: int, note=lambda number: "备注"):
        self.count, self.note, self.made = count, note, 0

    def __iter__(self):
        for number in range(1, self.count + 1):
            self.made = number
            yield {"x": number, "note": self.note(number)}


def streamed(fmt: str, rows, **options) -> list[tuple[int, str]]:
    """What ``stream_table`` writes, each piece with how many rows had been made when it was written."""
    written = []
    stream_table(NUMBER_TABLE, rows, fmt, lambda text: written.append((rows.made, text)), **options)
    return written


def row_written(written: list[tuple[int, str]], fmt: str, number: int) -> int:
    """How many rows had been made when row ``number`` was written."""
    pattern = {"table": f"^ *{number}  ", "md": f"^\\| {number} \\|", "csv": f"^{number},",
               "json": f'^,?\\{{"x":{number},'}[fmt]
    return next(made for made, text in written if re.search(pattern, text))


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "json"])
def test_a_streamed_table_writes_rows_before_its_source_is_exhausted(fmt):
    rows = CountingRows(1000)
    written = streamed(fmt, rows)
    # Row 1 is out while the source is at most one block (100 rows) in; CSV and JSON at once.
    assert row_written(written, fmt, 1) == (STREAM_BLOCK if fmt in ("table", "md") else 1)
    assert row_written(written, fmt, 150) == 150
    assert row_written(written, fmt, 1000) == 1000
    assert rows.made == 1000


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_a_streamed_table_is_the_rendered_text(fmt):
    rows = [{"x": number, "note": f"第{number}行"} for number in range(1, 251)]
    text = "".join(piece for _, piece in streamed(fmt, CountingRows(250, lambda number: f"第{number}行")))
    assert text == render_tables([Table("cypher", "查询结果", "Result", NUMBER_TABLE.columns, rows)], fmt)
    if fmt == "json":
        assert json.loads(text)["tables"][0]["rows"][-1] == {"x": 250, "note": "第250行"}


def test_a_streamed_terminal_table_sets_its_widths_on_the_first_block_and_widens_after():
    wide = "很长的一段说明文字"  # 18 columns
    rows = CountingRows(150, lambda number: wide if number == 120 else "短")
    lines = [line.rstrip() for line in "".join(piece for _, piece in streamed("table", rows)).splitlines()]
    assert lines[:3] == ["查询结果", "  x  note", "---  ----"]
    assert lines[3] == "  1  短"
    assert lines[3 + 99] == "100  短"  # the first block, as a whole table would show it
    assert lines[3 + 119] == f"120  {wide}"  # not cut: the column widens from here on
    assert lines[3 + 149] == "150  短"
    assert len(lines) == 3 + 150


def test_a_small_streamed_terminal_table_is_the_whole_table():
    rows = [{"x": number, "note": "备注"} for number in range(1, 6)]
    text = "".join(piece for _, piece in streamed("table", CountingRows(5)))
    assert text == render_tables([Table("cypher", "查询结果", "Result", NUMBER_TABLE.columns, rows)], "table")


def test_a_streamed_table_masks_phones_unless_asked():
    def note(number):
        return "请回电 13812345678"
    masked = "".join(piece for _, piece in streamed("csv", CountingRows(2, note)))
    assert "请回电 138****5678" in masked and "13812345678" not in masked
    assert "13812345678" in "".join(piece for _, piece in streamed("csv", CountingRows(2, note), show_pii=True))


def test_a_streamed_table_without_rows_says_so():
    assert "".join(piece for _, piece in streamed("table", CountingRows(0))) == "查询结果\n（无）\n"
    assert json.loads("".join(piece for _, piece in streamed("json", CountingRows(0))))["tables"][0]["rows"] == []
