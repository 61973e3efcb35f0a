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

from loaders.problems import Problem

__all__ = ["problem_lines", "warning_lines", "unusable_files", "COLLAPSE_OVER", "EXAMPLES"]

COLLAPSE_OVER = 5  # a group this large or smaller is listed whole
EXAMPLES = 3       # rows shown of a larger group


def problem_lines(problems: Sequence[Problem], *, collapse: bool = True) -> list[str]:
    """One line per problem, or with ``collapse`` the real problems first and repeats counted."""
    if not collapse:
        return [str(problem) for problem in problems]
    groups: dict[tuple, list[Problem]] = defaultdict(list)
    for problem in problems:
        groups[(problem.file, problem.sheet, problem.column, problem.reason)].append(problem)
    # dicts keep insertion order, so equal sizes stay in the order a clerk walks the files
    ordered = sorted(groups.values(), key=lambda group: (group[0].row is not None, len(group)))
    lines = []
    for group in ordered:
        if len(group) <= COLLAPSE_OVER:
            lines += [str(problem) for problem in group]
            continue
        lines += [str(problem) for problem in group[:EXAMPLES]]
        first = group[0]
        where = f"{first.file}[{first.sheet}]" if first.sheet else first.file
        column = f"{first.column} " if first.column else ""
        lines.append(f"{where}: {column}另有 {len(group) - EXAMPLES:,} 行同样的问题: {first.reason}")
    return lines


def unusable_files(problems: Sequence[Problem]) -> set[str]:
    """The files (``file[sheet]`` as a follow-on's cause names them) with a problem of their own: a
    missing column, no header, unreadable. None of their rows loads, and that problem says why."""
    return {f"{problem.file}[{problem.sheet}]" if problem.sheet else problem.file
            for problem in problems if problem.row is None}


def warning_lines(warnings: Sequence[Problem], *, collapse: bool = True, unusable: Collection[str] = ()) -> list[str]:
    """Warnings as lines; with ``collapse`` the follow-ons of one bad ledger are one line, and those of
    a file in ``unusable`` (:func:`unusable_files`) none: its own problem is their one cause."""
    if not collapse:
        return [str(warning) for warning in warnings]
    lines = []
    follow_ons: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for warning in warnings:
        if warning.cause is None:
            lines.append(str(warning))
        elif warning.cause[0] not in unusable:
            follow_ons[(warning.cause[0], warning.file)].append(warning)
    for (bad_file, file), group in follow_ons.items():
        rows = sorted({warning.cause[1] for warning in group})
        if len(rows) == 1:
            bad = f"{bad_file} 第{rows[0]}行有误"
        else:
            shown = "、".join(str(row) for row in rows[:EXAMPLES]) + ("…" if len(rows) > EXAMPLES else "")
            bad = f"{bad_file} 有 {len(rows):,} 行有误（第{shown}行）"
        lines.append(f"{bad}: {file} 中 {len(group):,} 条关系未载入 ({len(group):,} relationships dropped)")
    return lines
