"""C18 诉求结案率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...coverage import assemble_case_closure, date_param, NOT_CLOSED
from ...embedded import GraphIndex
from ...question import Parameter, Question
from ...results import CaseClosureResult


def fetch_c18(index: GraphIndex, as_of: str, since: dt.date | str | None = None) -> list[dict[str, Any]]:
    """C18 rows: one per Case received on or before ``as_of`` (and on or after ``since`` when
    given), shape of C1, placed where what it is ABOUT is; ``covered``: closed on or before ``as_of``;
    ``days``: the days from received to closed when covered, else None.
    """
    day, first = dt.date.fromisoformat(as_of), date_param(since)
    rows = []
    for key, attrs, fields in index.placed_nodes("Case", day):
        received = attrs["received"]
        if received <= day and (first is None or received >= first):
            closed = attrs.get("closed")
            covered = closed is not None and closed <= day
            rows.append({"id": key[1], "name": attrs["name"], **fields, "covered": covered,
                         "days": (closed - received).days if covered else None})
    return rows


QUESTION = Question(code="C18", fetch=fetch_c18, title_zh="诉求结案率", title_en="Cases closed", kind="coverage",
                    assemble=assemble_case_closure, result_type=CaseClosureResult, counted="Case",
                    denominator="Case received on or before the as-of date (and, with `--since DATE`, on or after "
                                "DATE), placed where the Community, Compound or Building it is ABOUT is",
                    rule="its `closed` date is on or before the as-of date; the result also gives the median days from "
                         "`received` to `closed` of those cases (over the scope and per group; none when none is closed)",
                    reasons=(NOT_CLOSED,),
                    parameters={"since": Parameter(None, "--since", "date",
                                                   help="count only the cases received on or after this date.")},
                    seed="阳泉: 收集信息18925条，处置18807条; 莒南: 爱琴海小区 473 工单 in 2022")
