"""What ``validate`` and ``load`` print for a clerk: the real problems first, repeats collapsed.

One bad header can make thousands of rows elsewhere point at nothing. Problems are grouped by
file, column and reason: problems with a whole file come first, then groups from the smallest
(a typo in one row) to the largest (the echo of a bad ledger), and a group of more than
``COLLAPSE_OVER`` rows shows its first rows and one line with the count of the rest. Follow-on
warnings (relationships dropped because they point at a bad row) become one line per cause.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from graphmodel.words import Words
from loaders.problems import Problem, counted

__all__ = ["problem_lines", "warning_lines", "unusable_files", "COLLAPSE_OVER", "EXAMPLES"]

COLLAPSE_OVER = 5  # a group this large or smaller is listed whole
EXAMPLES = 3       # rows shown of a larger group

_MORE_ROWS = Words("{where}: {column}另有 {count} 行同样的问题: {reason}", "{where}: {column}{count} more rows: {reason}")
_BAD_ROW = Words("{file} 第{row}行有误", "{file} row {row} is wrong")
_BAD_ROWS = Words("{file} 有 {count} 行有误（第{rows}行）", "{file} has {count} wrong rows (rows {rows})")
_ROWS_JOIN = Words("、", ", ")
_DROPPED = Words("{bad}: {file} 中 {count} 条关系未载入", "{bad}: {relationships} of {file} dropped")


def problem_lines(problems: Sequence[Problem], *, collapse: bool = True, lang: str = "zh") -> list[str]:
    """One line per problem in ``lang`` (zh or en), or with ``collapse`` the real problems first and
    repeats counted."""
    if not collapse:
        return [problem.text(lang) for problem in problems]
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[(problem.file, problem.sheet, problem.column, problem.reason)].append(problem)
    # dicts keep insertion order, so equal sizes stay in the order a clerk walks the files
    ordered = sorted(groups.values(), key=lambda group: (group[0].row is not None, len(group)))
    lines = []
    for group in ordered:
        if len(group) <= COLLAPSE_OVER:
            lines += [problem.text(lang) for problem in group]
            continue
        lines += [problem.text(lang) for problem in group[:EXAMPLES]]
        first = group[0]
        where = f"{first.file}[{first.sheet}]" if first.sheet else first.file
        column = f"{first.column} " if first.column else ""
        lines.append(_MORE_ROWS.text(lang).format(where=where, column=column, count=f"{len(group) - EXAMPLES:,}",
                                                  reason=first.reason_in(lang)))
    return lines


def unusable_files(problems: Sequence[Problem]) -> set[str]:
    """The files (``file[sheet]`` as a follow-on's cause names them) with a problem of their own: a
    missing column, no header, unreadable. None of their rows loads, and that problem says why."""
    return {f"{problem.file}[{problem.sheet}]" if problem.sheet else problem.file
            for problem in problems if problem.row is None}


def warning_lines(warnings: Sequence[Problem], *, collapse: bool = True, unusable: Collection[str] = (),
                  lang: str = "zh") -> list[str]:
    """Warnings as lines (in ``lang``, as :func:`problem_lines`); with ``collapse`` the follow-ons of one bad
    ledger are one line, and those of a file in ``unusable`` (:func:`unusable_files`) none: its own problem
    is their one cause."""
    if not collapse:
        return [warning.text(lang) for warning in warnings]
    lines = []
    follow_ons: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for warning in warnings:
        if warning.cause is None:
            lines.append(warning.text(lang))
        elif warning.cause[0] not in unusable:
            follow_ons[(warning.cause[0], warning.file)].append(warning)
    for (bad_file, file), group in follow_ons.items():
        rows = sorted({warning.cause[1] for warning in group})
        if len(rows) == 1:
            bad = _BAD_ROW.text(lang).format(file=bad_file, row=rows[0])
        else:
            shown = _ROWS_JOIN.text(lang).join(map(str, rows[:EXAMPLES])) + ("…" if len(rows) > EXAMPLES else "")
            bad = _BAD_ROWS.text(lang).format(file=bad_file, count=f"{len(rows):,}", rows=shown)
        lines.append(_DROPPED.text(lang).format(bad=bad, file=file, count=f"{len(group):,}",
                                                relationships=counted(len(group), "relationship")))
    return lines
