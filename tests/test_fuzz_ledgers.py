"""Property-based tests: random and malformed ledgers either load cleanly or fail with located problems.

Every example starts from the minimal valid folder of ``ledger_factory`` and spoils it a few ways
at once, as real ledgers arrive: wrong values, empty files, header-only files, blank rows, cells
left empty below a merged cell, huge cells, a GBK file among UTF-8 ones, control characters,
formulas, workbooks with extra sheets and typed cells. Whatever happens, the loader must answer
with a graph or a ``LedgerError`` whose problems say where, never another exception; a failed
``load_to_snapshot`` must leave no file behind, and the CLI must exit 0 or 1 without a traceback.

The property runs take seconds each, so they are marked slow (``make test`` runs them, ``make
test-fast`` does not); the regressions they found run every time.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgraph.cli import main
from graphmodel.errors import LedgerError
from graphmodel.snapshot import load_snapshot, save_snapshot
from ledger_factory import minimal_ledgers, table, write_csv
from loaders import LEDGERS_BY_NAME, load_ledgers, load_to_snapshot

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEEP = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_IDS = sorted({row[key] for rows in minimal_ledgers().values() for row in rows
               for key in row if key.endswith("id") and row[key]})
_CONTROL = st.text(st.characters(min_codepoint=0, max_codepoint=31), min_size=1, max_size=4)
# Values a ledger cell may hold; CSV cells are text, workbook cells also numbers, dates, booleans.
TEXT_VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "　", "=SUM(A1)", "=A1&B1", "+1", "-1", "#N/A", "NULL", "None", "nan",
                     "0", "1.0", "1e308", "2024-02-30", "2024/13/1", "1900年1月0日", "是", "否",
                     "\u200b", "\ufeffX1", "X1\r\nX2", '"', "；；", "、", "党委；党支部", "N/A"]),
    st.sampled_from(_IDS),
    _CONTROL.map(lambda chars: f"X{chars}1"),
    st.sampled_from([100_000, 140_000]).map(lambda size: "长" * size),  # over csv's field limit too
)
CELL_VALUES = st.one_of(
    TEXT_VALUES, st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
LEDGER_NAMES = sorted(minimal_ledgers())


def _tables() -> dict[str, list[list]]:
    return {ledger: table(ledger, rows) for ledger, rows in minimal_ledgers().items()}


@st.composite
def spoiled_tables(draw, values=TEXT_VALUES) -> dict[str, list[list] | None]:
    """The minimal ledgers as header + rows, spoiled one to five ways; ``None``: file left out."""
    tables: dict[str, list[list] | None] = _tables()
    for _ in range(draw(st.integers(1, 5))):
        ledger = draw(st.sampled_from(LEDGER_NAMES))
        rows = tables[ledger]
        if not rows:  # left out or already emptied
            continue
        kind = draw(st.sampled_from(["cell", "cell", "cell", "empty", "header only", "blank rows",
                                     "merged", "ragged", "drop column", "duplicate row", "missing",
                                     "header cell", "title row"]))
        height, width = len(rows), max(len(row) for row in rows)
        if kind == "cell" and height > 1:
            row = rows[draw(st.integers(1, height - 1))]
            if row:  # rows may be ragged by now
                row[draw(st.integers(0, len(row) - 1))] = draw(values)
        elif kind == "empty":
            tables[ledger] = []
        elif kind == "header only":
            del rows[1:]
        elif kind == "blank rows":
            at, blanks = draw(st.integers(1, height)), ["", " ", None] if values is CELL_VALUES else ["", " "]
            for _ in range(draw(st.integers(1, 3))):
                rows.insert(at, [draw(st.sampled_from(blanks)) for _ in range(width)])
        elif kind == "merged" and height > 2:  # Excel leaves cells empty below a merged value
            column = draw(st.integers(0, width - 1))
            for row in rows[2:]:
                if column < len(row):  # rows may be ragged by now
                    row[column] = ""
        elif kind == "ragged" and height > 1:
            row = rows[draw(st.integers(1, height - 1))]
            if row and draw(st.booleans()):
                del row[draw(st.integers(0, len(row) - 1)):]
            else:
                row += [draw(values) for _ in range(draw(st.integers(1, 3)))]
        elif kind == "drop column" and width:
            column = draw(st.integers(0, width - 1))
            for row in rows:
                del row[column:column + 1]
        elif kind == "duplicate row" and height > 1:
            rows.append(list(rows[draw(st.integers(1, height - 1))]))
        elif kind == "missing":
            tables[ledger] = None
        elif kind == "header cell" and rows[0]:
            rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(values)
        elif kind == "title row":
            rows.insert(0, [draw(values)] + [""] * (width - 1))
    return tables


def write_csv_folder(folder: Path, tables: dict, gbk: frozenset = frozenset()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for ledger, rows in tables.items():
        if rows is not None:
            text_rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
            write_csv(folder / f"{LEDGERS_BY_NAME[ledger].zh}.csv", text_rows,
                      "gb18030" if ledger in gbk else "utf-8")
    return folder


def _xlsx_value(value):
    if isinstance(value, str):  # control characters cannot be stored in a workbook at all
        return "".join(char for char in value if char in "\t\n\r" or ord(char) >= 32) or None
    return value


def write_workbook_file(path: Path, tables: dict, extra_sheets: list[str]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for ledger, rows in tables.items():
        if rows is not None:
            sheet = workbook.create_sheet(LEDGERS_BY_NAME[ledger].zh)
            for row in rows:
                sheet.append([_xlsx_value(value) for value in row])
    for number, title in enumerate(extra_sheets):
        sheet = workbook.create_sheet(f"{title[:20]}{number}")
        sheet.append(["说明", "=SUM(A1)", 3.5, dt.datetime(2024, 1, 1), True])
    workbook.save(path)
    return path


def assert_clean_outcome(path: Path, *, skip_invalid: bool = False):
    """Load ``path``: a result, or a LedgerError whose every problem names a file and a place."""
    try:
        result = load_ledgers(path, skip_invalid=skip_invalid)
    except LedgerError as error:
        assert not skip_invalid, "skip_invalid never refuses a readable folder"
        assert error.problems, str(error)
        for problem in error.problems:
            assert isinstance(problem.file, str) and problem.file
            assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1)
            assert problem.column is None or isinstance(problem.column, str)
            assert problem.reason and str(problem)
        return error
    if not skip_invalid:
        assert result.problems == []
    assert result.files
    snapshot = save_snapshot(result.graph, path.parent / f"{path.name}.snapshot.json.gz")
    assert load_snapshot(snapshot) == result.graph  # whatever loaded is whole enough to store
    return result


@pytest.mark.slow
@FAST
@given(tables=spoiled_tables(), gbk=st.frozensets(st.sampled_from(LEDGER_NAMES), max_size=3))
def test_spoiled_csv_folders_load_or_fail_cleanly(tables, gbk):
    with tempfile.TemporaryDirectory() as work:
        folder = write_csv_folder(Path(work) / "ledgers", tables, gbk)
        assert_clean_outcome(folder)
        assert_clean_outcome(folder, skip_invalid=True)


@pytest.mark.slow
@FAST
@given(tables=spoiled_tables(CELL_VALUES),
       extra_sheets=st.lists(st.sampled_from(["Sheet", "说明", "汇总", "小区备份", "数据"]), max_size=2))
def test_spoiled_workbooks_with_typed_cells_load_or_fail_cleanly(tables, extra_sheets):
    with tempfile.TemporaryDirectory() as work:
        workbook = write_workbook_file(Path(work) / "台账.xlsx", tables, extra_sheets)
        assert_clean_outcome(workbook)
        assert_clean_outcome(workbook, skip_invalid=True)


@pytest.mark.slow
@FAST
@given(tables=spoiled_tables())
def test_failed_load_to_snapshot_leaves_no_file(tables):
    with tempfile.TemporaryDirectory() as work:
        folder = write_csv_folder(Path(work) / "ledgers", tables)
        out_dir = Path(work) / "out"
        out_dir.mkdir()
        output = out_dir / "city.snapshot.json.gz"
        try:
            result = load_to_snapshot(folder, output)
        except LedgerError:
            assert list(out_dir.iterdir()) == []  # neither the snapshot nor a temporary file
        else:
            assert [path.name for path in out_dir.iterdir()] == [output.name]
            assert load_snapshot(output) == result.graph


@pytest.mark.slow
@FAST
@given(tables=spoiled_tables())
def test_failed_load_keeps_the_earlier_snapshot(tables):
    with tempfile.TemporaryDirectory() as work:
        good = write_csv_folder(Path(work) / "good", _tables())
        output = Path(work) / "out.json.gz"
        load_to_snapshot(good, output)
        before = output.read_bytes()
        try:
            load_to_snapshot(write_csv_folder(Path(work) / "spoiled", tables), output)
        except LedgerError:
            assert output.read_bytes() == before
        assert sorted(path.name for path in Path(work).iterdir()) == ["good", "out.json.gz", "spoiled"]


@pytest.mark.slow
@settings(max_examples=8, deadline=None)
@given(tables=spoiled_tables(), skip_invalid=st.booleans())
def test_cli_load_exits_0_or_1_without_traceback(tables, skip_invalid):
    with tempfile.TemporaryDirectory() as work:
        folder = write_csv_folder(Path(work) / "ledgers", tables)
        args = ["load", str(folder), "-o", str(Path(work) / "g.json.gz")]
        outcome = CliRunner().invoke(main, args + (["--skip-invalid"] if skip_invalid else []))
        assert outcome.exit_code in (0, 1), outcome.output
        assert "Traceback" not in outcome.output
        assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
        assert (outcome.exit_code == 0) == (Path(work) / "g.json.gz").exists()


# -- regressions found by the properties above --------------------------------------------------

def test_cell_over_the_csv_field_limit_is_a_problem_not_a_crash(tmp_path):
    tables = _tables()
    tables["compounds"][1][1] = "长" * 140_000
    folder = write_csv_folder(tmp_path / "ledgers", tables)
    with pytest.raises(LedgerError) as caught:
        load_ledgers(folder)
    unreadable = [problem for problem in caught.value.problems if problem.file == "小区.csv"]
    assert len(unreadable) == 1 and "line 2" in unreadable[0].reason
    assert "field limit" in unreadable[0].reason


# -- deeper runs ----------------------------------------------------------------------------------

@pytest.mark.slow
@DEEP
@given(tables=spoiled_tables(), gbk=st.frozensets(st.sampled_from(LEDGER_NAMES), max_size=3))
def test_spoiled_csv_folders_deep(tables, gbk):
    test_spoiled_csv_folders_load_or_fail_cleanly.hypothesis.inner_test(tables, gbk)


@pytest.mark.slow
@DEEP
@given(tables=spoiled_tables(CELL_VALUES),
       extra_sheets=st.lists(st.sampled_from(["Sheet", "说明", "汇总", "小区备份"]), max_size=2))
def test_spoiled_workbooks_deep(tables, extra_sheets):
    test_spoiled_workbooks_with_typed_cells_load_or_fail_cleanly.hypothesis.inner_test(
        tables, extra_sheets)
