"""``validate -o problems.xlsx``: the offending rows, to be fixed in Excel.

A first sheet lists every problem (file, row, column, value, reason); then one sheet per ledger
file with a problem: its header, a 行号 column (the row in the original file) first, only the
rows with a problem, every bad cell filled and the reasons in a 问题 column beside the row.
ID-card numbers are not copied unless the problem is in that very cell (a new file must not
spread them). Every cell goes through ``safe_cell``; the file is written atomically.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from graphmodel.atomic import atomic_open
from graphmodel.spreadsheet import safe_cell
from graphmodel.words import Words
from loaders.problems import Problem
from loaders.reading import find_sources
from loaders.specs import LEDGERS

__all__ = ["write_problem_workbook"]

_BAD_FILL = "FFC7CE"   # Excel's own "bad" red
_REASON_FILL = "FFEB9C"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ID_NUMBER_HEADERS = {header for spec in LEDGERS for column in spec.columns if column.key == "id_number"
                      for header in column.headers()}
_HIDDEN = Words("（已隐去）", "(hidden)")
_ALL_PROBLEMS = Words("全部问题", "All problems")
_HEADERS = (Words("文件", "File"), Words("行号", "Row"), Words("列", "Column"), Words("值", "Value"))
_ROW, _PROBLEM = _HEADERS[1], Words("问题", "Problem")
_JOIN = Words("；", "; ")


def write_problem_workbook(ledgers: str | os.PathLike, problems: Sequence[Problem],
                           path: str | os.PathLike, lang: str = "zh") -> Path:
    """Write the problems found in ``ledgers`` and their rows to the workbook ``path``, its own words and
    the reasons in ``lang`` (zh or en)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill

    bad = PatternFill("solid", fgColor=_BAD_FILL)
    reason_fill = PatternFill("solid", fgColor=_REASON_FILL)
    bold = Font(bold=True)

    def cell(value):
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value))) if value not in (None, "") else None

    workbook = Workbook()
    summary = workbook.active
    summary.title = _ALL_PROBLEMS.text(lang)
    summary.append([*(words.text(lang) for words in _HEADERS), _PROBLEM.text(lang)])
    for problem in problems:
        where = f"{problem.file}[{problem.sheet}]" if problem.sheet else problem.file
        summary.append([cell(where), problem.row, cell(problem.column), cell(problem.value),
                        cell(problem.reason_in(lang))])
    _style_header(summary, bold, (24, 8, 16, 24, 60))

    by_source: dict[tuple[str, str | None], dict[int, list[Problem]]] = defaultdict(lambda: defaultdict(list))
    for problem in problems:
        if problem.row is not None:
            by_source[(problem.file, problem.sheet)][problem.row].append(problem)
    sources = {(source.file, source.sheet): source for source in find_sources(ledgers, [], [])}
    taken = {summary.title}
    for key, rows in by_source.items():
        source = sources.get(key)
        if source is None or not source.rows:
            continue
        header = [str(value).strip() if value is not None else "" for value in source.rows[0][1]]
        secret = {index for index, title in enumerate(header) if title in _ID_NUMBER_HEADERS}
        sheet = workbook.create_sheet(_sheet_name(source.display, taken))
        sheet.append([_ROW.text(lang), *(cell(title) for title in header), _PROBLEM.text(lang)])
        cells_of = dict(source.rows)
        for row_number in sorted(rows):
            found = rows[row_number]
            flagged = {header.index(p.column) for p in found if p.column in header}
            values = [_HIDDEN.text(lang) if index in secret and index not in flagged and value not in (None, "") else value
                      for index, value in enumerate(cells_of.get(row_number, ()))]
            sheet.append([row_number, *(cell(value) for value in values[:len(header)]),
                          *([None] * (len(header) - len(values))),
                          cell(_JOIN.text(lang).join(f"{p.column}: {p.reason_in(lang)}" if p.column else p.reason_in(lang)
                                                     for p in found))])
            excel_row = sheet.max_row
            for index in flagged:
                sheet.cell(excel_row, index + 2).fill = bad
            reason = sheet.cell(excel_row, len(header) + 2)
            reason.fill = reason_fill
            reason.alignment = Alignment(wrap_text=True, vertical="top")
        _style_header(sheet, bold, (8, *([16] * len(header)), 60))
    path = Path(path)
    with atomic_open(path, inputs=(ledgers,)) as handle:  # never over the ledgers it describes
        workbook.save(handle)
    return path


def _style_header(sheet, bold, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for header_cell in sheet[1]:
        header_cell.font = bold
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


def _sheet_name(display: str, taken: set[str]) -> str:
    name = _SHEET_FORBIDDEN.sub("_", display)[:31] or "ledger"
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name[:28]}~{number}"
    taken.add(candidate)
    return candidate
