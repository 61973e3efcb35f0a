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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphmodel.errors import LedgerError

from .problems import Problem
from .specs import LEDGERS, LedgerSpec

__all__ = ["Source", "find_sources", "match_ledger", "row_ceiling", "LEDGER_SUFFIXES",
           "MAX_ROWS_VARIABLE", "DEFAULT_MAX_ROWS"]

CSV_SUFFIXES = {".csv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
LEDGER_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES
MAX_ROWS_VARIABLE = "GRIDGRAPH_MAX_ROWS"
# The embedded graph takes about 2.6 KB of memory per ledger row at city scale (benchmarks/
# RESULTS.md): two million rows is about 5 GB, past which Neo4j is the better home.
DEFAULT_MAX_ROWS = 2_000_000
_GB_PER_ROW = 2.6e3 / 1e9


@dataclass
class Source:
    """One CSV file or worksheet holding (part of) a ledger."""

    spec: LedgerSpec
    path: Path
    sheet: str | None = None
    rows: list[tuple[int, Sequence[Any]]] = field(default_factory=list)  # (row number, cells)

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
    for file in files:
        try:
            if file.suffix.lower() in CSV_SUFFIXES:
                sources += _csv_source(file, warnings)
            else:
                sources += _xlsx_sources(file, warnings, budget)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            # openpyxl reports damaged workbooks as BadZipFile, KeyError or ValueError.
            problems.append(Problem(file.name, None, None, None,
                                    f"无法读取文件 (cannot read: {error})"))
    return sources


def _unrecognised(name: str, file: str, sheet: str | None = None) -> Problem:
    return Problem(file, None, None, None,
                   f"无法识别为台账, 已忽略 (no ledger name in {name!r}; expected e.g. 小区, compounds)",
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


def _csv_source(file: Path, warnings: list[Problem]) -> list[Source]:
    spec = match_ledger(file.stem)
    if spec is None:
        warnings.append(_unrecognised(file.stem, file.name))
        return []
    raw = file.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # what Excel on a Chinese Windows writes (a superset of GBK)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(enumerate(reader, start=1))
    except csv.Error as error:  # e.g. a cell over the csv module's 131,072-character limit
        raise ValueError(f"第{reader.line_num}行 (line {reader.line_num}): {error}") from None
    return [Source(spec, file, None, rows)]


def _xlsx_sources(file: Path, warnings: list[Problem], budget: _RowBudget) -> list[Source]:
    import openpyxl  # only needed for workbooks

    workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        by_sheet = {sheet.title: match_ledger(sheet.title) for sheet in workbook.worksheets}
        file_spec = match_ledger(file.stem)
        if any(by_sheet.values()):
            chosen = [(title, spec) for title, spec in by_sheet.items() if spec]
            warnings += [_unrecognised(title, file.name, title)
                         for title, spec in by_sheet.items() if spec is None
                         and _has_rows(workbook[title])]
        elif file_spec is not None:
            chosen = [(workbook.worksheets[0].title, file_spec)]
        else:
            warnings.append(_unrecognised(file.stem, file.name))
            return []
        sources = []
        for title, spec in chosen:  # a sheet holds at most 1,048,576 rows: counted once read
            sources.append(Source(spec, file, title, list(_sheet_rows(workbook[title]))))
            budget.take(len(sources[-1].rows))
        return sources
    finally:
        workbook.close()


def _sheet_rows(sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    sheet.reset_dimensions()  # some writers record wrong dimensions, which truncates reading
    for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, cells


def _has_rows(sheet) -> bool:
    return any(any(cell not in (None, "") for cell in row)
               for _, row in zip(range(5), sheet.iter_rows(values_only=True)))
