"""B16 诉求高发小区: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from graphmodel.rules import CASE_MONTH_DAYS, MANY_CASES_DEFAULT, RECENT_CASE_DAYS

from ...blindspots import assemble_recent_cases, _day, _placed_spot
from ...embedded import GraphIndex
from ...question import Parameter, Question, Reason
from ...results import RecentCasesResult


def fetch_b16(index: GraphIndex, as_of: str, min_cases: int) -> list[dict[str, Any]]:
    """B16 rows: Compounds with ``min_cases`` or more Cases received in the ``RECENT_CASE_DAYS``
    days up to ``as_of`` (both ends included) ABOUT the compound or one of its Buildings
    (``frequent_cases``, detail the number of such cases); a case about both counts once. Each row
    also has ``monthly``: those cases in each ``CASE_MONTH_DAYS``-day month of the window, the
    last one ending on ``as_of``, oldest first."""
    day = _day(as_of)
    first = day - dt.timedelta(days=RECENT_CASE_DAYS - 1)
    months = RECENT_CASE_DAYS // CASE_MONTH_DAYS
    parent, cases = index.parent, defaultdict(lambda: [0] * months)
    for key, attrs in index.nodes("Case"):
        if first <= attrs["received"] <= day:
            month = months - 1 - (day - attrs["received"]).days // CASE_MONTH_DAYS
            for compound in {target if target[0] == "Compound" else parent.get(target)
                             for target in index.about.get(key, ()) if target[0] in ("Compound", "Building")} - {None}:
                cases[compound][month] += 1
    return [{**_placed_spot(compound, index.attrs[compound], index.place_fields(compound, day), "frequent_cases",
                            str(sum(monthly))), "monthly": monthly}
            for compound, monthly in cases.items() if sum(monthly) >= min_cases]


QUESTION = Question(code="B16", fetch=fetch_b16, title_zh="诉求高发小区", title_en="Compounds with many recent cases",
                    kind="blindspots", assemble=assemble_recent_cases, result_type=RecentCasesResult, counted="Compound",
                    reasons=(Reason("frequent_cases", f"近{RECENT_CASE_DAYS}天诉求多发", f"many cases in the last "
                                    f"{RECENT_CASE_DAYS} days",
                                    f"`min_cases` (N, default {MANY_CASES_DEFAULT}) or more Cases received from as-of − {RECENT_CASE_DAYS - 1} days to the as-of date "
                                    f"(both included: {RECENT_CASE_DAYS} days; one received exactly {RECENT_CASE_DAYS} "
                                    "days before is not counted) are ABOUT it or one of its Buildings (a case about both "
                                    "counts once); the number of cases in the detail, and in the result's `monthly` the "
                                    f"cases of each {CASE_MONTH_DAYS}-day month of the window, the last ending on the "
                                    "as-of date, oldest first (莒南 counts monthly: \"每月不到10件\")"),),
                    parameters={"min_cases": Parameter(MANY_CASES_DEFAULT, "--min-cases", "count", 1, (
                        f"list compounds with at least N cases (工单) received in the {RECENT_CASE_DAYS} days up to "
                        "--as-of."))},
                    seed='莒南: 爱琴海小区 "每月不到10件" (the cases per month)')
