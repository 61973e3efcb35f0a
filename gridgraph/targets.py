"""Targets (目标): the rates a district means to reach by a deadline, and whether it is on track.

A targets file (CSV or XLSX, first sheet) has the columns 指标/code, 区域编码/area (empty: the
whole graph), 目标/target (0.95 or 95%) and 期限/deadline. ``read_targets`` validates it as the
loaders validate a ledger (every problem names the file, row, column and value); ``check_targets``
asks each target's question of the source on one or more dates and says, per target, the rate now,
what is still to cover (and the things its question lists), and the status:

- ``met``: the rate now reaches the target;
- ``open``: not yet, the deadline is still ahead (or is today);
- ``behind``: the deadline has passed and the target is not met.

With several dates, the pace since the first (rate points per day) says whether the target would
be reached by its deadline at that pace.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import queries
from graphmodel.errors import LedgerError, QueryError
from graphmodel.schema import NODE_MODELS, parse_date
from loaders.problems import Problem
from queries.results import Item, RateLine, label_en
from queries.tables import Column, Table, Words

__all__ = ["Target", "TargetStatus", "TargetsResult", "read_targets", "check_targets", "chart_targets",
           "TARGET_COLUMNS"]

#: Field -> the headers a targets file may give it (Chinese first).
TARGET_COLUMNS = {"code": ("指标", "code"), "area": ("区域编码", "area"), "target": ("目标", "target"),
                  "deadline": ("期限", "deadline")}
STATUS_ZH = {"met": "已达成", "open": "进行中", "behind": "已逾期未达成"}
_STATUS = {status: Words(zh, status) for status, zh in STATUS_ZH.items()}
_EVERYTHING, _ON_PACE = Words("全部", "everything"), (Words("不能", "no"), Words("能", "yes"))


@dataclass(frozen=True)
class Target:
    row: int  # the file's row number (the header is row 1)
    code: str  # a question code, or CODE:part for a question with a rate per part (C16:comprehensive, O1:none)
    area: str | None
    target: float
    deadline: dt.date


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    title: Words
    counted: Words  # what the rate counts: 小区 / compound, 楼栋 / building …
    rates: tuple[RateLine, ...]  # on each date asked, oldest first
    missing: tuple[Item, ...]  # what the question names on the last date: the things still to cover
    dates: tuple[dt.date, ...]  # the dates of ``rates``

    @property
    def now(self) -> RateLine:
        return self.rates[-1]

    @property
    def to_cover(self) -> int | None:
        """How many more counted things reach the target; None when nothing is counted."""
        if not self.now.denominator:
            return None
        return max(0, math.ceil(self.target.target * self.now.denominator - self.now.numerator - 1e-9))

    @property
    def status(self) -> str:
        if self.now.rate is not None and self.now.rate >= self.target.target - 1e-9:
            return "met"
        return "open" if self.target.deadline >= self.dates[-1] else "behind"

    @property
    def on_pace(self) -> bool | None:
        """With two dates or more: whether the rate, moving as it has since the first date, reaches
        the target by the deadline. None with one date, or when a rate is not applicable."""
        first, last = self.rates[0].rate, self.now.rate
        days = (self.dates[-1] - self.dates[0]).days
        if len(self.rates) < 2 or first is None or last is None or days <= 0:
            return None
        if last >= self.target.target:
            return True
        per_day = (last - first) / days
        return per_day > 0 and last + per_day * (self.target.deadline - self.dates[-1]).days >= self.target.target


@dataclass(frozen=True)
class TargetsResult:
    dates: tuple[dt.date, ...]
    statuses: tuple[TargetStatus, ...]

    @property
    def behind(self) -> list[TargetStatus]:
        return [status for status in self.statuses if status.status == "behind"]

    def tables(self) -> list[Table]:
        paced = len(self.dates) > 1
        columns = [Column("code", "指标", "Code"), Column("title", "名称", "Title"),
                   Column("area", "区域编码", "Area"), Column("numerator", "达标数", "Numerator"),
                   Column("denominator", "总数", "Denominator"), Column("rate", "当前比率", "Rate now"),
                   Column("target_rate", "目标", "Target"), Column("to_cover", "尚需", "Still to cover"),
                   Column("deadline", "期限", "Deadline"), Column("status", "状态", "Status")]
        if paced:
            columns += [Column("first_rate", f"{self.dates[0].isoformat()}比率", f"Rate on {self.dates[0].isoformat()}"),
                        Column("on_pace", "按当前进度能否按期达成", "On pace")]
        rows = []
        for status in self.statuses:
            count = status.to_cover
            row = {"code": status.target.code, "title": status.title, "area": status.target.area or _EVERYTHING,
                   "numerator": status.now.numerator, "denominator": status.now.denominator, "rate": status.now.rate,
                   "target_rate": status.target.target,
                   "to_cover": None if count is None else Words(f"{count} {status.counted.zh}",
                                                                f"{count} {status.counted.en}{'' if count == 1 else 's'}"),
                   "deadline": status.target.deadline, "status": _STATUS[status.status]}
            if paced:
                row.update(first_rate=status.rates[0].rate,
                           on_pace=None if status.on_pace is None else _ON_PACE[status.on_pace])
            rows.append(row)
        items = [{"code": status.target.code, "label": NODE_MODELS[item.label].zh, "id": item.id, "name": item.name,
                  "community": item.community, "street": item.street, "reason": item.reason_zh}
                 for status in self.statuses if status.status != "met" for item in status.missing]
        return [Table("targets", f"目标进度（{self.dates[-1].isoformat()}）", f"Targets ({self.dates[-1].isoformat()})",
                      columns, rows),
                Table("targets-to-cover", "尚需覆盖", "Still to cover",
                      [Column("code", "指标", "Code"), Column("label", "类型", "Kind"), Column("id", "编码", "Code"),
                       Column("name", "名称", "Name"), Column("community", "社区", "Community"),
                       Column("street", "街道", "Street"), Column("reason", "问题", "Reason")], items)]


def read_targets(path: str | Path) -> list[Target]:
    """The targets of a CSV or XLSX file; ``LedgerError`` listing every problem (file, row,
    column, value) when any row is wrong, so that nothing is checked against a half-read file."""
    path = Path(path)
    header, rows = _read_rows(path)
    problems: list[Problem] = []
    where = {}
    for field, names in TARGET_COLUMNS.items():
        found = [index for index, cell in enumerate(header) if str(cell or "").strip() in names]
        if not found and field != "area":
            problems.append(Problem(path.name, 1, names[0], None, f"缺少列 (missing column {names[0]}/{names[1]})"))
        where[field] = (found[0], str(header[found[0]]).strip()) if found else None
    if problems:
        raise LedgerError(f"{path.name}: not a targets file", problems,
                          hint="columns 指标, 区域编码, 目标, 期限 (or code, area, target, deadline)")
    targets = []
    for number, cells in rows:
        if not any(str(cell or "").strip() for cell in cells):
            continue
        values = {field: (str(cells[index]).strip() if index < len(cells) and cells[index] is not None else "", column)
                  for field, (index, column) in ((f, w) for f, w in where.items() if w)}
        checked = _check_row(path.name, number, values, problems)
        if checked:
            targets.append(Target(number, *checked))
    if problems:
        raise LedgerError(f"{path.name}: {len(problems)} problem(s) in the targets", problems)
    if not targets:
        raise LedgerError(f"{path.name}: no targets", hint="one row per target under the header")
    return targets


def _check_row(file: str, number: int, values: dict[str, tuple[str, str]], problems: list[Problem]):
    def problem(field: str, message: str) -> None:
        value, column = values[field]
        problems.append(Problem(file, number, column, value, message))

    code, _ = values["code"]
    question = queries.QUESTIONS.get(code.split(":")[0].upper())
    if question is None or not question.gives_rates:
        problem("code", "不是比率指标 (not a question that gives a rate: "
                        f"{', '.join(c for c, q in queries.QUESTIONS.items() if q.gives_rates)})")
        code = None
    else:
        code = question.code + code[len(question.code):]
    area = values["area"][0] if "area" in values else ""
    target_text, _ = values["target"]
    target = _fraction(target_text)
    if target is None:
        problem("target", "目标应为0到1之间的小数或百分比 (a target is 0.95 or 95%)")
    try:
        deadline = parse_date(values["deadline"][0])
    except (ValueError, TypeError):
        problem("deadline", "期限不是日期 (not a date: 2026-12-31, 2026/12/31 or 2026年12月31日)")
        deadline = None
    if code is None or target is None or deadline is None:
        return None
    return code, area or None, target, deadline


def _fraction(text: str) -> float | None:
    try:
        value = float(text[:-1]) / 100 if text.endswith(("%", "％")) else float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 1 and not math.isnan(value) else None


def _read_rows(path: Path) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    if not path.is_file():
        raise LedgerError(f"{path}: no such targets file")
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        lines = list(csv.reader(text.splitlines()))
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        lines = [[_cell(cell) for cell in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
    else:
        raise LedgerError(f"{path.name}: a targets file is .csv or .xlsx")
    if not lines:
        raise LedgerError(f"{path.name}: empty targets file")
    return lines[0], [(number, cells) for number, cells in enumerate(lines[1:], 2)]


def _cell(value: Any) -> Any:
    return value.date().isoformat() if isinstance(value, dt.datetime) else value


def check_targets(targets: Sequence[Target], source: Any, dates: Sequence[dt.date]) -> TargetsResult:
    """Each target's question asked of ``source`` (a graph or a backend) over its area on each
    date (oldest first; the status is the last date's)."""
    dates = tuple(sorted(set(dates)))
    statuses = []
    for target in targets:
        code = target.code.split(":")[0]
        try:
            answers = [queries.run(code, source, scope=target.area, as_of=day) for day in dates]
        except QueryError as error:  # an area the source does not know: name the row that gives it
            raise QueryError(f"target row {target.row}: {error}", hint=error.hint) from error
        lines = []
        for answer in answers:
            line = next((line for line in answer.rates() if line.total and line.series == target.code), None)
            if line is None:
                parts = sorted({line.series for line in answer.rates() if line.total})
                raise LedgerError(f"target row {target.row}: {target.code} gives no such rate",
                                  hint=f"name one of: {', '.join(parts) or 'none on this date'}")
            lines.append(line)
        missing = _still_to_cover(answers[-1])
        # what the rate counts: the kind of thing it lists as missing (X2 counts compounds, not people)
        label = missing[0].label if missing else queries.QUESTIONS[code].counted
        counted = Words(NODE_MODELS[label].zh, label_en(label).lower()) if label in NODE_MODELS else Words(label, label)
        statuses.append(TargetStatus(target, Words(answers[-1].title_zh, answers[-1].title_en), counted,
                                     tuple(lines), tuple(missing), dates))
    return TargetsResult(dates, tuple(statuses))


def _still_to_cover(answer: Any) -> list[Item]:
    """What the answer names as not yet counted: a coverage question's missing things, else what
    it lists other than what it counts (X2: the compounds not completely linked)."""
    return list(getattr(answer, "missing", ())) or [item for item in answer.listed() if item.reason != "complete"]


def chart_targets(targets: Sequence[Target], scope: str | None) -> dict[str, float]:
    """The targets of the area ``scope`` (``None``: everything) by the rate they are set on
    (``C1``, ``C16:comprehensive``): what a report's charts draw as dashed lines."""
    return {target.code: target.target for target in targets if target.area == scope}
