"""Hostile and careless ledgers (issue 11, items 2–4, 10, 11 and 17).

Nothing a ledger holds may be lost silently: empty ledgers, quotes that swallow rows, formulas
without a saved value, merged cells, hidden sheets and IDs stored as numbers are each either
reported at their row and cell or (merged cells) read as a clerk reads them. Damaged or hostile
workbooks are a located problem, never a traceback. A hypothesis generator builds hostile
workbooks mixing all of these.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from gridgraph.cli import main
from graphmodel.errors import LedgerError
from ledger_factory import minimal_ledgers, table, write_ledgers
from loaders import LEDGERS_BY_NAME, load_ledgers
from loaders.reading import MAX_COLUMNS, MAX_XLSX_CELL_CHARS
from test_privacy_leaks import id_number


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def _problems(path, **options) -> list[str]:
    try:
        result = load_ledgers(path, skip_invalid=options.get("skip_invalid", False))
    except LedgerError as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in result.problems]


def _workbook(path: Path, ledgers: dict | None = None) -> tuple[Path, openpyxl.Workbook]:
    """The ledgers as a workbook (one sheet each), not saved yet, so a test can spoil it."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for ledger, rows in (ledgers or minimal_ledgers()).items():
        sheet = workbook.create_sheet(LEDGERS_BY_NAME[ledger].zh)
        for values in table(ledger, rows):
            sheet.append([value if value != "" else None for value in values])
    return path, workbook


def _column(sheet, header: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == header)


# -- 2. empty ledgers -------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["zero bytes", "header only"])
def test_empty_ledgers_never_replace_a_snapshot(tmp_path, how):
    folder = write_ledgers(tmp_path / "ledgers")
    snapshot = tmp_path / "g.snapshot.json.gz"
    assert run("load", folder, "-o", snapshot).exit_code == 0
    before = snapshot.read_bytes()
    for path in folder.iterdir():
        path.write_bytes(b"" if how == "zero bytes" else path.read_bytes().splitlines()[0] + b"\r\n")
    result = run("load", folder, "-o", snapshot)
    assert result.exit_code == 1
    assert "台账没有数据行: 行政区划 (areas has no data rows)" in result.stderr
    assert snapshot.read_bytes() == before


def test_an_empty_optional_ledger_is_a_warning(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["lists"] = []
    result = load_ledgers(write_ledgers(tmp_path / "l", ledgers))
    assert result.problems == []
    assert any("lists has no data rows" in str(warning) for warning in result.warnings)


# -- 3. an unbalanced quote -------------------------------------------------------------------

def test_an_unbalanced_quote_that_swallows_rows_is_reported_at_its_row(tmp_path):
    folder = write_ledgers(tmp_path / "l")
    units = folder / "驻区单位.csv"
    units.write_text(units.read_text(encoding="utf-8") +
                     'U9,新单位,"学校,C1\r\nU10,卫生院,事业单位,C1\r\nU11,银行,企业,C2\r\n',
                     encoding="utf-8")
    result = run("validate", folder)
    assert result.exit_code == 1
    assert re.search(r"驻区单位\.csv:3: 单位类型=学校,C1.*: 引号不配对: 此单元格跨3行", result.output)


def test_a_genuine_line_break_in_a_cell_is_kept(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0]["name"] = "和平小区\n（东区, 西区）"  # a comma, not a row
    result = load_ledgers(write_ledgers(tmp_path / "l", ledgers))
    assert result.graph.node(("Compound", "X1"))["name"] == "和平小区\n（东区, 西区）"


# -- 4. workbooks -----------------------------------------------------------------------------

def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell(tmp_path):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    sheet = workbook["物业服务"]
    sheet.cell(2, _column(sheet, "结束日期"), "=DATE(2020,1,1)")  # openpyxl saves no value
    workbook.save(path)
    problems = _problems(path)
    assert any(problem.startswith("台账.xlsx[物业服务]:2: 结束日期=: 公式没有计算结果 (D2:")
               for problem in problems), problems


def test_a_formula_with_a_saved_value_is_read_as_that_value(tmp_path):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    sheet = workbook["小区"]
    sheet.cell(2, _column(sheet, "小区名称"), '="和平"&"小区"')
    workbook.save(path)
    _replace_in_member(path, "xl/worksheets/sheet3.xml",
                       lambda xml: xml.replace('<v /></c>', '<v>和平小区</v></c>', 1).replace(
                           '<c r="B2">', '<c r="B2" t="str">', 1))
    result = load_ledgers(path)
    assert result.graph.node(("Compound", "X1"))["name"] == "和平小区"


def test_merged_cells_are_filled_with_their_top_left_value(tmp_path):
    ledgers = minimal_ledgers()
    for person in ledgers["people"]:
        person["party_org_id"] = "P2"
    path, workbook = _workbook(tmp_path / "台账.xlsx", ledgers)
    sheet = workbook["人员"]
    column = get_column_letter(_column(sheet, "所在党组织编码"))
    for row in (3, 4):
        sheet[f"{column}{row}"] = None
    sheet.merge_cells(f"{column}2:{column}4")
    workbook.save(path)
    result = load_ledgers(path)
    assert result.graph.relationship_counts()["MEMBER_OF"] == 3
    assert any("1 merged range(s)" in str(warning) for warning in result.warnings)


def test_a_hidden_sheet_is_skipped_with_a_warning(tmp_path):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    old = workbook.create_sheet("小区(旧)")
    for values in table("compounds", [{"id": "OLD1", "name": "已拆除小区", "community_id": "C1"}]):
        old.append(values)
    old.sheet_state = "hidden"
    workbook.save(path)
    result = load_ledgers(path)
    assert ("Compound", "OLD1") not in result.graph.nx
    assert any("hidden sheet" in str(warning) and "小区(旧)" in str(warning)
               for warning in result.warnings)


def test_an_id_number_stored_as_a_number_is_refused(tmp_path):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    sheet = workbook["人员"]
    sheet.cell(2, _column(sheet, "身份证号"), 110101199003074518)  # as typed into Excel: a float
    workbook.save(path)
    problems = _problems(path)
    assert any("人员]:2: 身份证号=" in p and "存成了数字" in p for p in problems), problems
    assert not any("110101199003074518" in p or "1.10101" in p for p in problems)


# -- 10, 11. damaged, hostile and huge workbooks ------------------------------------------------

def _replace_in_member(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents[member] = change(contents[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


_BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                   + "".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
                             for n in range(1, 10))
                   + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                     '</sheetData></worksheet>')
_XXE = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("attack", ["malformed", "billion laughs", "xxe"])
def test_hostile_xml_is_one_error_line(tmp_path, attack):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    workbook.save(path)
    replace = {"malformed": lambda xml: xml[: len(xml) // 2],
               "billion laughs": lambda xml: _BILLION_LAUGHS, "xxe": lambda xml: _XXE}[attack]
    _replace_in_member(path, "xl/worksheets/sheet1.xml", replace)
    result = run("validate", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "台账.xlsx: 无法读取文件" in result.output
    assert "lollol" not in result.output


def _inflate(path: Path, size: int) -> None:
    """Every ``HUGE`` cell made ``size`` characters long: Excel and openpyxl cut cells at 32,767,
    so a longer one only comes from a hand-made file."""
    with zipfile.ZipFile(path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
    for name in sheets:
        _replace_in_member(path, name, lambda xml: xml.replace(">HUGE<", ">" + "长" * size + "<"))


def test_a_cell_over_the_size_limit_is_refused_naming_it(tmp_path):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    workbook["小区"]["B3"] = "HUGE"
    workbook.save(path)
    _inflate(path, MAX_XLSX_CELL_CHARS + 1)
    problems = _problems(path)
    assert any("小区]:3: 小区名称=长长" in p and "单元格过长" in p and "B3" in p for p in problems)
    assert max(map(len, problems)) < 500


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing(tmp_path):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    workbook.save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/padding.xml", "w", force_zip64=True) as handle:
            block = b" " * (1 << 20)
            for _ in range(1025):  # 1 GiB and a bit, a megabyte or so on disk
                handle.write(block)
    result = run("validate", path)
    assert result.exit_code == 1 and "工作簿解压后过大" in result.output


def test_a_row_wider_than_a_ledger_is_refused_at_once(tmp_path):
    path, workbook = _workbook(tmp_path / "台账.xlsx")
    workbook["小区"].cell(3, 16384, "x")  # column XFD
    workbook.save(path)
    problems = _problems(path)
    assert any(f"XFD; a ledger has at most {MAX_COLUMNS} columns" in p for p in problems), problems


# -- 17. encodings and invisible characters -------------------------------------------------------

def test_a_stray_byte_in_a_gb18030_file_names_its_row(tmp_path):
    folder = write_ledgers(tmp_path / "l", encoding="gb18030")
    compounds = folder / "小区.csv"
    lines = compounds.read_bytes().split(b"\r\n")
    lines[2] = lines[2] + b"\xff"
    compounds.write_bytes(b"\r\n".join(lines))
    problems = _problems(folder)
    assert any(p.startswith("小区.csv:3: 第3行有无法识别的字节 0xFF") for p in problems), problems


def test_a_stray_byte_in_a_utf8_file_names_its_row_instead_of_reading_gibberish(tmp_path):
    folder = write_ledgers(tmp_path / "l")
    compounds = folder / "小区.csv"
    lines = compounds.read_bytes().split(b"\r\n")
    lines[2] = lines[2].replace("幸福".encode(), "幸福".encode()[:-1])
    compounds.write_bytes(b"\r\n".join(lines))
    problems = _problems(folder)
    assert any(p.startswith("小区.csv:3: 第3行有无法识别的字节") and "UTF-8" in p for p in problems)


def test_zero_width_characters_and_a_bom_inside_a_cell_are_removed(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0]["id"] = "X\u200b1"
    ledgers["compounds"][1]["name"] = "\ufeff幸福\u200d家园"
    ledgers["buildings"][0]["compound_id"] = "\u2060X1"
    result = load_ledgers(write_ledgers(tmp_path / "l", ledgers))
    assert result.graph.node(("Compound", "X1"))["name"] == "和平小区"
    assert result.graph.node(("Compound", "X2"))["name"] == "幸福家园"


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x07", "\x85"])
def test_control_characters_in_a_cell_are_refused_with_a_reason(tmp_path, control):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0]["id"] = f"X{control}1"
    problems = _problems(write_ledgers(tmp_path / "l", ledgers))
    assert f"小区.csv:2: 小区编码=X{chr(0x2400 + ord(control)) if ord(control) < 32 else f'<U+{ord(control):04X}>'}1: " \
           f"含有控制字符 U+{ord(control):04X}" in "\n".join(problems), problems


# -- the hostile workbook generator ----------------------------------------------------------------

_SHEETS = [name for name in minimal_ledgers() if minimal_ledgers()[name]]


@st.composite
def hostile_workbooks(draw):
    """The minimal ledgers as a workbook, with 1–6 hostile features and what each must cause."""
    ledgers = minimal_ledgers()
    path_holder, workbook = _workbook(Path("unused.xlsx"), ledgers)
    expected: list[tuple[str, str]] = []  # (kind, text that must appear in a problem/warning)
    taken: set[tuple[str, int, int]] = set()  # cells already spoiled: one feature per cell
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["formula", "merged", "hidden", "numeric id", "huge cell",
                                     "cached formula"]))
        ledger = draw(st.sampled_from(_SHEETS))
        sheet = workbook[LEDGERS_BY_NAME[ledger].zh]
        row = draw(st.integers(2, sheet.max_row))
        column = draw(st.integers(1, sheet.max_column))
        coordinate = f"{get_column_letter(column)}{row}"
        if (sheet.title, row, column) in taken:
            continue
        taken.add((sheet.title, row, column))
        if kind == "formula":
            sheet[coordinate] = draw(st.sampled_from(["=DATE(2020,1,1)", "=A1&B1", "=SUM(1,2)"]))
            expected.append(("problem", f"公式没有计算结果 ({coordinate}:"))
        elif kind == "merged" and row < sheet.max_row:
            last = draw(st.integers(row + 1, sheet.max_row))
            below_cells = {(sheet.title, below, column) for below in range(row + 1, last + 1)}
            if below_cells & taken:
                continue
            taken |= below_cells
            for below in range(row + 1, last + 1):
                sheet.cell(below, column, None)
            try:
                sheet.merge_cells(f"{coordinate}:{get_column_letter(column)}{last}")
            except ValueError:
                continue
            expected.append(("warning", "merged range(s)"))
        elif kind == "hidden":
            title = f"{sheet.title}(旧){len(workbook.sheetnames)}"
            copy = workbook.copy_worksheet(sheet)
            copy.title = title
            copy.sheet_state = draw(st.sampled_from(["hidden", "veryHidden"]))
            expected.append(("warning", f"[{title}]: 隐藏的工作表"))
        elif kind == "numeric id":
            people = workbook["人员"]
            row = draw(st.integers(2, people.max_row))
            if ("人员", row, _column(people, "身份证号")) in taken:
                continue
            taken.add(("人员", row, _column(people, "身份证号")))
            people.cell(row, _column(people, "身份证号"), float(id_number(row)[:17] + "0"))
            expected.append(("problem", f"[人员]:{row}: 身份证号="))
        elif kind == "huge cell":
            sheet[coordinate] = "HUGE"  # made long in the saved file (_inflate)
            expected.append(("problem", "单元格过长"))
    return workbook, expected


def _located(text: str) -> bool:
    return bool(re.match(r"^[^:]+(\[[^\]]+\])?(:\d+)?: ", text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile=hostile_workbooks())
def test_hostile_workbooks_are_reported_never_silently_taken(hostile):
    workbook, expected = hostile
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "台账.xlsx"
        workbook.save(path)
        _inflate(path, MAX_XLSX_CELL_CHARS + 1)
        result = load_ledgers(path, skip_invalid=True)  # never raises on a readable workbook
        said = [str(item) for item in (*result.problems, *result.warnings)]
        for kind, text in expected:
            found = result.problems if kind == "problem" else result.warnings
            assert any(text in str(item) for item in found), (kind, text, said)
        assert all(_located(text) for text in said), said
        hidden = {title for title in workbook.sheetnames if workbook[title].sheet_state != "visible"}
        assert not any(f"[{title}]" in entry for title in hidden for entry in result.files)
        validate = run("validate", path)
        assert validate.exit_code in (0, 1) and "Traceback" not in validate.output
        assert (validate.exit_code == 1) == bool(result.problems)
