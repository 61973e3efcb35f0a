"""Outcomes (成效): cases (工单) of groups of compounds side by side — O1 by X2's linkage status,
O2 by C1, O3 by B17's poorly rated companies.

Their records are in ``queries/questions/O1/`` …; the one fetch they share and their assembly are
here. The groups are not decided here: each question names the question that groups (``needs``), the
session answers it on the same backend, date and scope, and ``groups_of`` reads that answer. The
fetch gives one row per Compound with its households and the cases of its window; assembly adds
them up per group (and per street or community with ``--by``).

These questions compare groups; they show no cause.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from typing import Any

from graphmodel.rules import one_year_before

from .context import AssembleContext
from .coverage import _groups, _header, date_param
from .embedded import GraphIndex
from .question import Question
from .results import OutcomeGroup, OutcomeResult, Result

__all__ = ["fetch_outcomes", "assemble_outcomes", "window_start"]


def window_start(as_of: dt.date, since: dt.date | str | None) -> dt.date:
    """The first day of the window: ``since``, else one year before the as-of date."""
    return date_param(since) or one_year_before(as_of)


def fetch_outcomes(index: GraphIndex, as_of: str, since: dt.date | str | None = None) -> list[dict[str, Any]]:
    """Rows of O1–O3: one per Compound, ``{id, name, community_id, street_id, district_id,
    households, cases, closed, days}``: its 户数 (``None`` when unknown); the Cases received from
    the window's start to ``as_of`` (both included) ABOUT it or one of its Buildings (a case about
    both counts once); those closed on or before ``as_of``; and their days from received to
    closed, in ascending order."""
    day = dt.date.fromisoformat(as_of)
    first = window_start(day, since)
    parent = index.parent
    received: dict = defaultdict(list)  # compound -> (closed by as_of, days) of each case in the window
    for key, attrs in index.nodes("Case"):
        if first <= attrs["received"] <= day:
            closed = attrs.get("closed")
            done = closed is not None and closed <= day
            for compound in {target if target[0] == "Compound" else parent.get(target)
                             for target in index.about.get(key, ()) if target[0] in ("Compound", "Building")} - {None}:
                received[compound].append((done, (closed - attrs["received"]).days if done else None))
    rows = []
    for key, attrs, fields in index.placed_nodes("Compound", day):
        cases = received.get(key, [])
        rows.append({"id": key[1], "name": attrs["name"], **fields, "households": attrs.get("households"),
                     "cases": len(cases), "closed": sum(done for done, _ in cases),
                     "days": sorted(days for done, days in cases if done)})
    return rows


#: How an outcome question groups compounds: from the answer it needs, the group of a compound.
Grouping = Callable[[Result], Callable[[str], str]]


def assemble_outcomes(rows: list[dict[str, Any]], ctx: AssembleContext, *, grouping: Grouping,
                      groups: tuple[str, ...]) -> OutcomeResult:
    """Each compound in scope into its group (``grouping`` of the needed answer), then the measures
    per group (``groups``, in display order): over the whole scope, and per street or community
    with ``by``."""
    question = ctx.question
    group_of = grouping(ctx.answers[question.needs[0]])
    totals: dict[str, list[dict]] = defaultdict(list)
    by_area: dict[tuple[str | None, str], list[dict]] = defaultdict(list)
    seen = defaultdict(int)
    for row in rows:
        place = ctx.place(row)
        if not ctx.in_scope(place):
            continue
        group = group_of(row["id"])
        totals[group].append(row)
        area = ctx.group_of(place)
        seen[area] += 1
        by_area[(area, group)].append(row)
    whole = [_measures(code, None, None, totals[code]) for code in groups]
    areas = [_measures(code, area, name, by_area[(area, code)])
             for area, name in (_groups(ctx, seen) if ctx.by else []) for code in groups]
    return OutcomeResult(**_header(ctx), since=window_start(ctx.as_of, ctx.params.get("since")),
                         groups=whole, area_groups=areas)


def _measures(code: str, area_id: str | None, area_name: str | None, rows: list[dict]) -> OutcomeGroup:
    known = [row for row in rows if row["households"] is not None]
    households = sum(row["households"] for row in known) if known else None
    days = [day for row in rows for day in row["days"]]
    return OutcomeGroup(group=code, group_id=area_id, group_name=area_name, compounds=len(rows),
                        households=households, cases=sum(row["cases"] for row in rows),
                        cases_of_known=sum(row["cases"] for row in known),
                        closed=sum(row["closed"] for row in rows),
                        median_days_to_close=float(statistics.median(days)) if days else None)


_MEASURES = ("compounds; households (the sum of 小区 户数 over the compounds that give one; none when "
             "none does); cases (Case received from the window's start, `--since` or else one year before "
             "the as-of date, to the as-of date, both included, ABOUT the compound or one of its Buildings, "
             "a case about both once); cases per 100 households (the cases of the compounds with a 户数 over "
             "their households; not applicable without households); share closed (closed on or before the "
             "as-of date, over the cases; not applicable without cases); median days from received to "
             "closed of those closed. A group with no compounds or no households is not applicable, never 0. "
             "It compares groups; it shows no cause")


def _outcome(code: str, zh: str, en: str, needs: str, grouping: Grouping, groups: tuple[str, ...],
             rule: str, seed: str) -> Question:
    return Question(code=code, fetch=fetch_outcomes, title_zh=zh, title_en=en, kind="outcomes",
                    assemble=partial(assemble_outcomes, grouping=grouping, groups=groups), result_type=OutcomeResult, counted="Compound", rule=rule + ". Per group: "
                    + _MEASURES, needs=(needs,), defaults={"since": None}, cypher="outcomes", seed=seed)
