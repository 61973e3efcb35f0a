"""Finding and reading ledger files: which file or sheet is which ledger, and its raw rows.

A source is one CSV file or one worksheet. Rows keep the spreadsheet row number a clerk sees
(the first line of a file is row 1), so problems can point at them.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from xml.etree.ElementTree import ParseError

from graphmodel.atomic import LEDGER_SUFFIXES
from graphmodel.errors import LedgerError
from graphmodel.words import Words

from .problems import Problem
from .specs import LEDGERS, LedgerSpec

__all__ = ["Source", "find_sources", "match_ledger", "row_ceiling", "LEDGER_SUFFIXES",
           "MAX_ROWS_VARIABLE", "DEFAULT_MAX_ROWS", "MAX_XLSX_CELL_CHARS", "MAX_COLUMNS",
           "MAX_XLSX_UNPACKED"]

CSV_SUFFIXES = {".csv"}
XLSX_SUFFIXES = LEDGER_SUFFIXES - CSV_SUFFIXES
MAX_ROWS_VARIABLE = "GRIDGRAPH_MAX_ROWS"
# A city command peaks at about 1.4 KB of memory per ledger row (benchmarks/RESULTS.md): two
# million rows is about 3 GB, past which Neo4j is the better home.
DEFAULT_MAX_ROWS = 2_000_000
_GB_PER_ROW = 1.4e3 / 1e9
# Limits that keep a small hostile file from taking huge memory or time. A workbook cell holds
# at most what Excel allows (32,767 characters; a CSV cell what the csv module allows, 131,072);
# a ledger has a few dozen columns at most; a workbook unpacks to at most 1 GiB of XML, of
# which 256 MiB shared strings (a city's ledgers in one workbook unpack to a few hundred MB).
MAX_XLSX_CELL_CHARS = 32_767
MAX_COLUMNS = 256
MAX_XLSX_UNPACKED = 1 << 30
_MAX_SHARED_STRINGS = 256 << 20
_MAX_MERGED_CELLS = 10_000_000  # overlapping whole-sheet ranges must not multiply the work
# Invisible characters copied in from web pages and Word: removed from every cell.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Control characters (other than tab and line breaks) have no place in a ledger: they hide
# text in terminals and cannot be written to XML. A cell holding one is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class Source:
    """One CSV file or worksheet holding (part of) a ledger."""

    spec: LedgerSpec
    path: Path
    sheet: str | None = None
    rows: list[tuple[int, Sequence[Any]]] = field(default_factory=list)  # (row number, cells)
    # Cells that cannot be taken as they are: row number -> [(cell index, reason)].
    flaws: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    def flaw(self, row: int, index: int, reason: str) -> None:
        self.flaws.setdefault(row, []).append((index, reason))

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def display(self) -> str:
        return f"{self.file}[{self.sheet}]" if self.sheet else self.file


def _fold_name(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


_ALIASES = sorted(((_fold_name(alias), spec) for spec in LEDGERS for alias in spec.file_aliases()),
                  key=lambda pair: -len(pair[0]))


def match_ledger(name: str) -> LedgerSpec | None:
    """The ledger whose longest alias the file or sheet name contains, or None.

    >>> match_ledger("03-小区台账").name, match_ledger("grid-coverage").name
    ('compounds', 'grid_coverage')
    """
    folded = _fold_name(name)
    matches = [(alias, spec) for alias, spec in _ALIASES if alias in folded]
    if not matches:
        return None
    longest = len(matches[0][0])
    specs = {spec.name: spec for alias, spec in matches if len(alias) == longest}
    return next(iter(specs.values())) if len(specs) == 1 else None


def row_ceiling() -> int:
    """The most ledger rows one embedded load takes: ``$GRIDGRAPH_MAX_ROWS``, else 2,000,000."""
    text = os.environ.get(MAX_ROWS_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MAX_ROWS
    try:
        ceiling = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        ceiling = 0
    if ceiling <= 0:
        raise LedgerError(f"{MAX_ROWS_VARIABLE}={text!r} is not a positive whole number of rows",
                          hint=f"unset it for the default of {DEFAULT_MAX_ROWS:,}")
    return ceiling


class _RowBudget:
    """Counts rows and refuses the load once they pass the ceiling: CSV lines are counted before
    any file is parsed, workbook rows as each sheet is read, so memory stays bounded."""

    def __init__(self, path: Path, ceiling: int):
        self.path, self.ceiling, self.rows = path, ceiling, 0

    def take(self, rows: int) -> None:
        self.rows += rows
        if self.rows > self.ceiling:
            raise LedgerError(
                f"{self.path}: about {self.rows:,} ledger rows or more, over the embedded graph's ceiling of "
                f"{self.ceiling:,} ({MAX_ROWS_VARIABLE}); in memory they would need about "
                f"{self.rows * _GB_PER_ROW:.1f} GB or more",
                hint="at this size use Neo4j: split the ledgers by district (区县) and load each folder "
                     "with `gridgraph load FOLDER --neo4j` (each load replaces only its own districts); "
                     f"or raise {MAX_ROWS_VARIABLE} on a machine with the memory")


def find_sources(path: str | os.PathLike, problems: list[Problem],
                 warnings: list[Problem], *, max_rows: int | None = None) -> list[Source]:
    """Every ledger source under ``path`` (a folder, a workbook or one CSV), rows read.

    Unreadable files become problems; files and sheets that match no ledger become warnings.
    ``LedgerError`` once more than ``max_rows`` rows (default :func:`row_ceiling`) are found.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(child for child in path.iterdir()
                       if child.suffix.lower() in LEDGER_SUFFIXES
                       and not child.name.startswith((".", "~$")) and child.is_file())
    elif path.is_file() and path.suffix.lower() in LEDGER_SUFFIXES:
        files = [path]
    elif path.exists():
        raise LedgerError(f"{path}: not a ledger folder, CSV file or XLSX workbook",
                          hint="pass a folder of ledgers or an .xlsx workbook")
    else:
        raise LedgerError(f"{path}: no such ledger folder or workbook")
    budget = _RowBudget(path, row_ceiling() if max_rows is None else max_rows)
    budget.take(sum(_count_lines(file) for file in files
                    if file.suffix.lower() in CSV_SUFFIXES and match_ledger(file.stem)))
    sources: list[Source] = []
    texts: dict[str, str] = {}  # one object per distinct cell text, shared by every CSV file
    for file in files:
        try:
            if file.suffix.lower() in CSV_SUFFIXES:
                sources += _csv_source(file, warnings, texts)
            else:
                sources += _xlsx_sources(file, warnings, budget)
        except _UnreadableRow as error:
            problems.append(Problem(file.name, error.row, None, None, str(error)))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, ParseError) as error:
            # openpyxl reports damaged workbooks as BadZipFile, KeyError or ValueError, and XML
            # that is malformed or declares entities (billion laughs, XXE) as ParseError.
            why = Words.of_message(str(error))  # a library's English, or a check of ours in both languages
            problems.append(Problem(file.name, None, None, None, f"无法读取文件: {why.zh} (cannot read: {why.en})"))
    return sources


class _UnreadableRow(ValueError):
    """A file that cannot be read past one row (a stray byte, an oversized cell)."""

    def __init__(self, row: int, reason: str):
        super().__init__(reason)
        self.row = row


def _unrecognised(name: str, file: str, sheet: str | None = None) -> Problem:
    return Problem(file, None, None, None,
                   f"无法识别为台账, 已忽略; 文件名应为台账名, 如 小区 (no ledger name in {name!r}; expected e.g. compounds)",
                   sheet=sheet)


def _count_lines(file: Path) -> int:
    """Lines in a file, read in blocks: the row count of a CSV without parsing it."""
    lines, last = 0, b"\n"
    try:
        with file.open("rb") as handle:
            while block := handle.read(1 << 20):
                lines, last = lines + block.count(b"\n"), block[-1:]
    except OSError:
        return 0  # reported when the file is read
    return lines + (last != b"\n")


def _csv_source(file: Path, warnings: list[Problem], texts: dict[str, str]) -> list[Source]:
    """The CSV file's rows, each cell text kept once in ``texts``: a city's 3.5 million cells
    hold 0.6 million distinct texts (dates, kinds, the ids other rows refer to), and the rows,
    records and graph share them, about 200 MB less at city scale."""
    spec = match_ledger(file.stem)
    if spec is None:
        warnings.append(_unrecognised(file.stem, file.name))
        return []
    text = _without_invisible(_decode(file.read_bytes()))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        keep = texts.setdefault
        rows = [(number, list(map(keep, cells, cells)))
                for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:  # e.g. a cell over the csv module's 131,072-character limit
        raise _UnreadableRow(reader.line_num, f"第{reader.line_num}行: {error} (line {reader.line_num}: "
                                              f"{error})") from None
    source = Source(spec, file, None, rows)
    if reader.line_num > len(rows):  # some quoted cell runs over several lines
        width = len(rows[0][1])  # the header's, as a rule
        for number, cells in rows:
            _check_spanning_cells(source, number, cells, width)
    if _CONTROL.search(text):
        for number, cells in rows:
            _check_controls(source, number, cells)
    return [source]


def _without_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text  # search: no copy


def _decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which Excel on a Chinese Windows writes.

    A stray byte is reported with its line: in a file that is UTF-8 but for a byte or two (GBK
    text read as UTF-8 fails on nearly every character), or anywhere in a GB18030 one.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first = error
    lenient = raw.decode("utf-8", errors="replace")
    stray = lenient.count("\ufffd")
    if stray <= 3 and sum(char > "\x7f" for char in lenient) >= 10 * stray + 10:
        _stray_byte(raw, first, Words("UTF-8", "UTF-8"))
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as error:
        _stray_byte(raw, error, Words("UTF-8 或 GB18030", "UTF-8 or GB18030"))


def _stray_byte(raw: bytes, error: UnicodeDecodeError, encoding: Words) -> NoReturn:
    line = raw[:error.start].count(b"\n") + 1
    raise _UnreadableRow(line, f"第{line}行有无法识别的字节 0x{raw[error.start]:02X}, 不是有效的 "
                               f"{encoding.zh} 文本 (line {line}: a byte that is not {encoding.en}; "
                               "re-save the file as UTF-8)")


def _check_spanning_cells(source: Source, row: int, cells: list[str], width: int) -> None:
    """A cell running over lines, one of which holds as many commas as a whole row of ``width``
    cells: an unbalanced quote that swallowed the rows below it (``DW9,新单位,"学校,…`` takes
    DW10 and DW11 with it). An address on two lines, with a comma or two, is left alone."""
    for index, cell in enumerate(cells):
        if "\n" in cell and any(line.count(",") >= max(width - 1, 1)
                                for line in cell.splitlines()[1:]):
            lines = len(cell.splitlines())
            source.flaw(row, index, f"引号不配对: 此单元格跨{lines}行并含有整行的逗号, 下面的行可能被吞并 "
                                    f"(unbalanced quote: the cell runs over {lines} lines, one "
                                    "holding a whole row; rows may have been swallowed)")


def _check_controls(source: Source, row: int, cells: Sequence[Any]) -> None:
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and (found := _CONTROL.search(cell)):
            source.flaw(row, index, f"含有控制字符 U+{ord(found[0]):04X} (a control character: "
                                    "remove it)")


def _xlsx_sources(file: Path, warnings: list[Problem], budget: _RowBudget) -> list[Source]:
    import openpyxl  # only needed for workbooks

    _check_unpacked_size(file)
    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        visible = []
        for sheet in workbook.worksheets:
            if sheet.sheet_state == "visible":
                visible.append(sheet)
            elif match_ledger(sheet.title) or _has_rows(sheet):
                warnings.append(Problem(file.name, None, None, None,
                                        "隐藏的工作表, 已忽略 (a hidden sheet is not loaded; unhide it "
                                        "to load it)", sheet=sheet.title))
        by_sheet = {sheet.title: match_ledger(sheet.title) for sheet in visible}
        file_spec = match_ledger(file.stem)
        if any(by_sheet.values()):
            chosen = [(title, spec) for title, spec in by_sheet.items() if spec]
            warnings += [_unrecognised(title, file.name, title)
                         for title, spec in by_sheet.items() if spec is None
                         and _has_rows(workbook[title])]
        elif file_spec is not None and visible:
            chosen = [(visible[0].title, file_spec)]
        else:
            warnings.append(_unrecognised(file.stem, file.name))
            return []
        sources = []
        for title, spec in chosen:
            source = Source(spec, file, title)
            merged = _read_sheet(workbook[title], source, budget)
            if merged:
                warnings.append(Problem(file.name, None, None, None,
                                        f"{merged}处合并单元格已按左上角的值填充 ({merged} merged "
                                        "range(s): every cell takes the top-left value)", sheet=title))
            sources.append(source)
        return sources
    finally:
        workbook.close()


def _check_unpacked_size(file: Path) -> None:
    """Refuse a workbook that unpacks to more than the limits, before any of it is parsed (the
    sizes a zip declares are upper bounds: zipfile stops reading a member at its declared size)."""
    with zipfile.ZipFile(file) as archive:
        members = archive.infolist()
    total = sum(member.file_size for member in members)
    shared = sum(member.file_size for member in members
                 if member.filename.lower().endswith("sharedstrings.xml"))
    if total > MAX_XLSX_UNPACKED or shared > _MAX_SHARED_STRINGS:
        raise ValueError(f"工作簿解压后过大, 请拆分或另存为 CSV (the workbook unpacks to {total:,} bytes, "
                         f"{shared:,} of them shared strings, over the limits of "
                         f"{MAX_XLSX_UNPACKED:,} and {_MAX_SHARED_STRINGS:,}: split it, or save "
                         "the ledgers as CSV)")


def _read_sheet(sheet, source: Source, budget: _RowBudget) -> int:
    """Fill ``source.rows`` from ``sheet`` and note its flaws; returns how many merged ranges
    were filled in.

    Cells come from openpyxl's own sheet parser, driven here so that a formula without a
    cached result (openpyxl gives None) is told apart from an empty cell, merged ranges can be
    filled in (read-only mode drops them), and rows are taken as they are, not padded out to
    the widest row of the sheet.
    """
    from openpyxl.utils import get_column_letter

    parser = _sheet_parser(sheet)
    rows: dict[int, list[Any]] = {}
    with sheet._get_source() as xml:  # noqa: SLF001 - read-only sheets expose no other stream
        parser.source = xml
        for number, cells in parser.parse():
            cells = [cell for cell in cells if cell["value"] is not None]  # not styled blanks
            if not cells:
                continue
            width = max(cell["column"] for cell in cells)
            if width > MAX_COLUMNS:
                raise _UnreadableRow(number, f"第{number}行有{width}列, 台账最多{MAX_COLUMNS}列 (row "
                                             f"{number} reaches column {get_column_letter(width)}; "
                                             f"a ledger has at most {MAX_COLUMNS} columns)")
            row = [None] * width
            for cell in cells:
                row[cell["column"] - 1] = cell["value"]
            rows[number] = row
            if len(rows) % 65_536 == 0:
                budget.take(65_536)
    budget.take(len(rows) % 65_536)
    merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else ()
    filled = 0
    for merge in merged:
        filled += _fill_merged(rows, merge.ref)
        if filled > _MAX_MERGED_CELLS:
            raise ValueError(f"合并单元格过多 (merged ranges cover over {_MAX_MERGED_CELLS:,} cells)")
    for row, column in parser.uncalculated:
        source.flaw(row, column - 1, f"公式没有计算结果 ({get_column_letter(column)}{row}: a formula "
                                     "without a saved value; open and save the workbook in Excel or "
                                     "WPS, or paste the values)")
    source.rows = sorted(rows.items())
    for number, cells in source.rows:
        for index, cell in enumerate(cells):
            if isinstance(cell, str):
                if len(cell) > MAX_XLSX_CELL_CHARS:
                    source.flaw(number, index, f"单元格过长: {len(cell):,} 字符, 最多 "
                                               f"{MAX_XLSX_CELL_CHARS:,} (cell "
                                               f"{get_column_letter(index + 1)}{number} is too long)")
                    cells[index] = cell[:MAX_XLSX_CELL_CHARS]
                else:
                    cells[index] = _without_invisible(cell)
        _check_controls(source, number, cells)
    return len(merged)


def _fill_merged(rows: dict[int, list[Any]], ref: str) -> int:
    """Every cell of a merged range takes its top-left value, as a reader of the sheet sees it;
    returns how many cells that is. The range is clipped to rows and columns that exist, so a
    range over the whole sheet costs no more than the sheet."""
    from openpyxl.utils import range_boundaries

    first_column, first_row, last_column, last_row = range_boundaries(ref)
    top = rows.get(first_row)
    value = top[first_column - 1] if top is not None and first_column <= len(top) else None
    last_row = min(last_row, max(rows, default=0))
    last_column = min(last_column, MAX_COLUMNS)
    for number in range(first_row, last_row + 1):
        row = rows.setdefault(number, [])
        if len(row) < last_column:
            row += [None] * (last_column - len(row))
        row[first_column - 1:last_column] = [value] * (last_column - first_column + 1)
    return max(last_row - first_row + 1, 0) * (last_column - first_column + 1)


def _sheet_parser(sheet):
    """openpyxl's parser for one read-only sheet, noting formulas that have no cached value."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class LedgerSheetParser(WorkSheetParser):
        def __init__(self):
            workbook = sheet.parent
            super().__init__(None, sheet._shared_strings, data_only=True,  # noqa: SLF001
                             epoch=workbook.epoch, date_formats=workbook._date_formats,  # noqa: SLF001
                             timedelta_formats=workbook._timedelta_formats)  # noqa: SLF001
            self.uncalculated: list[tuple[int, int]] = []

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            # No saved value: no <v>, or an empty one on a formula that does not give text
            # (an empty text result is <v></v> with t="str"; openpyxl itself writes <v />).
            if element.find(FORMULA_TAG) is not None and not element.findtext(VALUE_TAG) \
                    and (element.find(VALUE_TAG) is None or element.get("t") != "str"):
                self.uncalculated.append((cell["row"], cell["column"]))
                cell["value"] = ""  # kept as a cell, so the row is there to be refused
            return cell

    return LedgerSheetParser()


def _has_rows(sheet) -> bool:
    return any(any(cell not in (None, "") for cell in row)
               for _, row in zip(range(5), sheet.iter_rows(values_only=True)))
