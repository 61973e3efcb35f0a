"""Sheet rows written by gridgraph are the bytes XlsxWriter itself writes for the same cells."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
import xlsxwriter

from gridgraph import sheet_rows
from gridgraph.reports import write_workbook
from gridgraph.sheet_rows import (DATE_STYLE, RATE_STYLE, SpooledSheet, column_letters, date_serial,
                                  number_cell, splice_rows, text_cell)
from queries.tables import Column, Table

TEXTS = ["幸福小区", " leading space", "trailing space ", "a & b < c > d", 'say "hi"', "two\nlines",
         "ends with newline\n", "_x0041_ looks like an escape", "bell \x07 and tab \t", "\ufffe\uffff",
         "x" * 40000, "", "=1+1", "emoji 🏠", "\u3000全角空格开头", "结尾不换行空格\xa0", "\r carriage", "end &"]
NUMBERS = [0, 1, -5, 0.1234567890123456789, 12345678901234567890, 1e-300, 2.5e20, 0.5]
DATES = [dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(2026, 3, 31),
         dt.date(9999, 12, 31)]


def _xlsxwriter_sheet_data(write) -> tuple[str, dict]:
    """The <sheetData> XlsxWriter writes in constant-memory mode for the cells ``write`` puts."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"constant_memory": True}) as workbook:
        formats = {"rate": workbook.add_format({"num_format": "0.0%"}),
                   "date": workbook.add_format({"num_format": "yyyy-mm-dd"})}
        write(workbook.add_worksheet(), formats)
    xml = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode("utf-8")
    return re.search("<sheetData>(.*)</sheetData>", xml, re.S)[1], formats


def test_text_number_and_date_cells_are_the_bytes_xlsxwriter_writes():
    def write(sheet, formats):
        for row, text in enumerate(TEXTS):
            sheet.write_string(row, 0, text)
            if row < len(NUMBERS):
                sheet.write_number(row, 1, NUMBERS[row])
                sheet.write_number(row, 2, NUMBERS[row], formats["rate"])
            if row < len(DATES):
                sheet.write_datetime(row, 3, DATES[row], formats["date"])

    expected, formats = _xlsxwriter_sheet_data(write)
    ours = []
    for row, text in enumerate(TEXTS, 1):
        cells = [text_cell(f"A{row}", text)]
        if row <= len(NUMBERS):
            cells += [number_cell(f"B{row}", NUMBERS[row - 1]),
                      number_cell(f"C{row}", NUMBERS[row - 1], RATE_STYLE)]
        if row <= len(DATES):
            cells.append(number_cell(f"D{row}", date_serial(DATES[row - 1]), DATE_STYLE))
        ours.append(f'<row r="{row}">{"".join(cells)}</row>')
    written = "".join(ours).replace(RATE_STYLE, str(formats["rate"].xf_index))
    assert written.replace(DATE_STYLE, str(formats["date"].xf_index)) == expected


def test_column_letters_run_past_z():
    letters = column_letters(703)
    assert letters[:3] == ["A", "B", "C"] and letters[25:28] == ["Z", "AA", "AB"]
    assert letters[701:] == ["ZZ", "AAA"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 2**20])
def test_placeholders_cut_by_a_chunk_end_are_still_replaced(monkeypatch, chunk):
    monkeypatch.setattr(sheet_rows, "_CHUNK", chunk)
    rows = "".join(f'<row r="{row}">{number_cell(f"A{row}", 0.5, RATE_STYLE)}'
                   f'{number_cell(f"B{row}", 46082, DATE_STYLE)}</row>' for row in range(2, 40)).encode()
    spool = io.BytesIO(b"other sheet" + rows + b"next sheet")
    frame = io.BytesIO()
    with xlsxwriter.Workbook(frame, {"constant_memory": True}) as workbook:
        workbook.add_worksheet().write_string(0, 0, "header")
    target = io.BytesIO()
    sheet = SpooledSheet(1, len(b"other sheet"), len(b"other sheet") + len(rows), "B39")
    splice_rows(frame.getvalue(), target, spool, [sheet], {RATE_STYLE: 7, DATE_STYLE: 8})
    xml = zipfile.ZipFile(target).read("xl/worksheets/sheet1.xml")
    expected = rows.replace(RATE_STYLE.encode(), b"7").replace(DATE_STYLE.encode(), b"8")
    assert b'<dimension ref="A1:B39"/>' in xml
    assert xml.split(b"</row>", 1)[1].split(b"</sheetData>")[0] == expected
    assert b"\x00" not in xml


def test_a_report_sheet_reads_back_with_its_formats_widths_and_filter(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    columns = [Column("id", "编号", "Code"), Column("name", "名称", "Name"),
               Column("rate", "覆盖率", "Rate"), Column("start", "开始", "Start")]
    rows = [{"id": "XQ1", "name": "幸福小区" * 4, "rate": 0.5, "start": dt.date(2026, 3, 31)},
            {"id": "XQ2", "name": None, "rate": None, "start": None}]
    path = tmp_path / "r.xlsx"
    write_workbook([Table("C1", "覆盖", "Coverage", columns, rows)], path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["编号", "名称", "覆盖率", "开始"],
        ["XQ1", "幸福小区" * 4, 0.5, dt.datetime(2026, 3, 31)],
        ["XQ2", None, "不适用", None]]
    assert sheet["C2"].number_format == "0.0%" and sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet.dimensions == "A1:D3" and sheet.auto_filter.ref == "A1:D3"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
