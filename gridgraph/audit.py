"""The audit as a library: choose questions, run them, and check coverage rates against thresholds.

``gridgraph audit`` is a thin shell over these functions and :mod:`gridgraph.reports`.

Examples
--------
>>> codes = select_questions("coverage", only="C1,C2")          # doctest: +SKIP
>>> results = run_audit(graph, codes, as_of=dt.date(2026, 6, 30))  # doctest: +SKIP
>>> check_thresholds(results, parse_thresholds("C1=0.95,C2=90%"))  # doctest: +SKIP
[ThresholdCheck(code='C1', ..., rate=0.9, threshold=0.95), ThresholdCheck(code='C2', ...)]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import queries
from graphmodel.errors import QueryError
from graphmodel.schema import NODE_MODELS
from loaders.reading import MAX_ROWS_VARIABLE, row_ceiling

__all__ = ["select_questions", "parse_thresholds", "run_audit", "check_thresholds",
           "ThresholdCheck", "check_listing", "listing_ceiling"]
_THRESHOLD = re.compile(r"^\s*([A-Za-z]+\d+)\s*=\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$")


def _codes(text: str) -> list[str]:
    codes = [part.strip().upper() for part in re.split(r"[,，]", text) if part.strip()]
    unknown = [code for code in codes if code not in queries.QUESTIONS]
    if unknown:
        raise QueryError(f"unknown question {', '.join(unknown)}", hint=queries.codes_hint())
    if not codes:
        raise QueryError("no question named", hint=queries.codes_hint())
    return codes


def select_questions(what: str, only: str | None = None) -> list[str]:
    """Codes of the questions to ask: codes named one by one in the order asked (a code named
    twice once), a group or ``all`` in registry order.

    Parameters
    ----------
    what : str
        A group (``coverage``, ``cross``, ``blindspots``), ``all``, or codes separated by
        commas (``C1`` or ``S1,C13``; case does not matter).
    only : str, optional
        Codes separated by commas that narrow ``what`` down; each must belong to it.

    Raises
    ------
    QueryError
        An unknown group or code, or an ``only`` code outside ``what``.
    """
    name = what.strip().lower()
    if name == "all":
        chosen = list(queries.QUESTIONS)
    elif name in queries.KINDS:
        chosen = [code for code, question in queries.QUESTIONS.items() if question.kind == name]
    else:
        chosen = list(dict.fromkeys(_codes(what)))  # a clerk who names S1 first reads it first
    if only:
        narrowed = _codes(only)
        outside = [code for code in narrowed if code not in chosen]
        if outside:
            raise QueryError(f"{', '.join(outside)} not among the questions of {what!r}",
                             hint="ask `all` to combine --only codes from several groups")
        chosen = [code for code in chosen if code in narrowed]
    return chosen


def parse_thresholds(text: str | None, asked: list[str] | None = None) -> dict[str, float]:
    """``"C1=0.95,C2=90%"`` → ``{"C1": 0.95, "C2": 0.9}``.

    Parameters
    ----------
    text : str or None
        CODE=RATE pairs separated by commas; a rate is a fraction or a percentage.
    asked : list of str, optional
        The questions that will be asked; a threshold for any other is refused.

    Raises
    ------
    QueryError
        Bad syntax, a rate above 100%, an unknown code, one without a rate or one not asked.
    """
    thresholds: dict[str, float] = {}
    for part in filter(str.strip, re.split(r"[,，]", text or "")):
        match = _THRESHOLD.match(part)
        if not match:
            raise QueryError(f"--fail-under: cannot read {part.strip()!r}",
                             hint="write CODE=RATE pairs separated by commas: C1=0.95,C2=90%")
        code, number, percent = match.group(1).upper(), float(match.group(2)), match.group(3)
        rate = number / 100 if percent else number
        if rate > 1:
            raise QueryError(f"--fail-under: {part.strip()!r} is above 100%",
                             hint="a rate is a fraction (0.95) or a percentage (95%)")
        _codes(code)
        if not queries.QUESTIONS[code].has_rate:
            rates = queries.code_span(queries.RATE_CODES)
            raise QueryError(f"--fail-under: {code} has no rate", hint=f"thresholds apply to the coverage rates {rates}")
        if asked is not None and code not in asked:
            raise QueryError(f"--fail-under names {code}, which is not being asked",
                             hint="ask it too (e.g. `gridgraph audit all` or `--only C1,C2`)")
        thresholds[code] = rate
    return thresholds


def run_audit(backend: Any, codes: list[str], *, scope: str | None = None, by: str | None = None,
              as_of: dt.date | None = None, progress: Callable[[str, int, int], None] | None = None,
              **params: Any) -> dict[str, Any]:
    """Ask each question in ``codes`` of ``backend``; returns code → result, in order.

    ``backend`` is a ``GovernanceGraph`` or a query backend (see ``queries.backend_for``);
    ``params`` are question parameters by name (X5's ``n``, C14's ``min_area``), each given to the questions that take it.
    ``progress(step, done, total)`` is told of each question answered. The questions share one
    session: one index, and one areas fetch (one round trip to Neo4j) for them all.
    """
    backend = queries.backend_for(backend)  # once: the listing check and every question share its index
    check_listing(backend, codes, scope=scope, as_of=as_of)
    return queries.run_many(codes, backend, scope=scope, by=by, as_of=as_of, progress=progress, **params)


#: What one listed thing of a blind-spot answer costs in memory, through to its report rows
#: (measured: 1.99 million buildings listed by B5 peaked at 4.2 GB).
LISTED_ITEM_BYTES = 2_100


def listing_ceiling() -> int:
    """The most things one blind-spot question may list: an eighth of the row ceiling
    (``GRIDGRAPH_MAX_ROWS``): 250,000 by default, about half a GB of answers (200,000 buildings
    listed by B5 peaked at 700 MB with their graph)."""
    return max(row_ceiling() // 8, 1)


def check_listing(backend: Any, codes: list[str], *, scope: str | None = None,
                  as_of: dt.date | None = None) -> None:
    """Refuse, before any question runs, the blind-spot and coverage questions of ``codes`` that
    could list more than :func:`listing_ceiling` things (a blind spot's items, a rate's missing
    ones): at most every node of the label they count, in ``scope``. Only the embedded store is
    estimated (a Neo4j answer is counted by the server)."""
    index = getattr(backend, "index", None)
    if index is None:
        return
    day, ceiling = as_of or dt.date.today(), listing_ceiling()
    for code in codes:
        question = queries.QUESTIONS[code]
        if question.kind not in ("blindspots", "coverage") or not question.counted:
            continue
        labels = [label for label in question.counted.split(" / ") if label in NODE_MODELS]  # B9: two labels
        if not labels:
            continue
        count = sum(index.graph.count(label) for label in labels)  # no node dicts made to count them
        if count > ceiling and scope is not None:  # placed only when the whole graph is too many
            count = sum(scope in fields.values() for label in labels
                        for _, _, fields in index.placed_nodes(label, day))
        if count > ceiling:
            raise QueryError(
                f"{code} could list up to {count:,} {question.counted} (about "
                f"{count * LISTED_ITEM_BYTES / 1e9:.1f} GB in memory); one question lists at most "
                f"{ceiling:,} here (an eighth of {MAX_ROWS_VARIABLE})",
                hint="narrow --scope to a street or community, or raise "
                     f"{MAX_ROWS_VARIABLE} on a machine with the memory")


@dataclass(frozen=True)
class ThresholdCheck:
    """A coverage rate checked against its threshold: met, below it, or not applicable (rate None)."""

    code: str
    title_zh: str
    title_en: str
    numerator: int
    denominator: int
    rate: float | None
    threshold: float

    @property
    def failed(self) -> bool:
        return self.rate is not None and self.rate < self.threshold


def check_thresholds(results: dict[str, Any], thresholds: dict[str, float]) -> list[ThresholdCheck]:
    """Every thresholded rate checked, in the order of ``thresholds``: met, short, or not to be
    judged (empty denominator).

    ``thresholds`` name questions in ``results`` (see :func:`parse_thresholds`). A rate of
    ``None`` is reported (``failed`` false) but is not a failure.
    """
    return [ThresholdCheck(code, results[code].title_zh, results[code].title_en, results[code].numerator,
                           results[code].denominator, results[code].rate, threshold)
            for code, threshold in thresholds.items()]
