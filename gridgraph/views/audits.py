"""What the audit questions say about the nodes of a view: blind spots, cross-appointments, rates.

The questions live in ``queries`` (downstream of the graph); views ask them through
``queries.run_group`` and mark what each answer lists (``Result.listed``), so a view marks
exactly what the reports list without naming a question.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import queries
from graphmodel.graph import GovernanceGraph, NodeKey
from graphmodel.words import Words
from queries.embedded import EmbeddedBackend
from queries.results import CONCERNS

from ..reports import value_text

__all__ = ["Mark", "Marks", "blind_spot_marks", "cross_appointment_marks", "candidate_lines", "coverage_by_group"]


@dataclass(frozen=True)
class Mark:
    """One finding about one node: the question code, its reason (in the view's language), and whether
    it is a problem (a blind spot, a conflict) rather than what the questions look for (a cross-appointment)."""

    code: str
    text: str
    problem: bool = True


Marks = dict[NodeKey, list[Mark]]


def blind_spot_marks(source: GovernanceGraph | EmbeddedBackend, *, scope: str | None = None,
                     as_of: dt.date | None = None, lang: str = "zh") -> Marks:
    """Every blind spot (B1, B2 …, B12 无阵地小区 …) in ``scope``, keyed by the node it names.

    ``source`` is the graph, or the backend a view already placed its nodes with (one index).
    """
    return _listed_marks("blindspots", source, scope, as_of, lang)


def cross_appointment_marks(source: GovernanceGraph | EmbeddedBackend, *, scope: str | None = None,
                            as_of: dt.date | None = None, lang: str = "zh") -> Marks:
    """The people the cross-appointment questions name in ``scope`` (交叉任职, 利益冲突 …), keyed by person."""
    return {key: marks for key, marks in _listed_marks("cross", source, scope, as_of, lang).items()
            if key[0] == "Person"}


_MARK = Words("{title}：{reason}", "{title}: {reason}")
_MARK_DETAIL = Words("{title}：{reason}（{detail}）", "{title}: {reason} ({detail})")  # a person's post named


def _listed_marks(group: str, source, scope: str | None, as_of: dt.date | None, lang: str) -> Marks:
    """Every thing the questions of ``group`` list in ``scope``, keyed by node: ``title：reason（detail）``."""
    marks: Marks = defaultdict(list)
    for code, result in queries.run_group(group, source, scope=scope, as_of=as_of).items():
        title = result.title_zh if lang == "zh" else result.title_en
        for item in result.listed():
            words = _MARK_DETAIL if item.detail and item.label == "Person" else _MARK
            text = words.format(title=title, reason=value_text(item.reason_zh, lang),
                                detail=value_text(item.detail, lang)).text(lang)
            marks[(item.label, item.id)].append(Mark(code, text, group == "blindspots" or item.reason in CONCERNS))
    return dict(marks)


_PROPOSED = Words("{code} {reason}：{person}（{proposal}）", "{code} {reason}: {person} ({proposal})")


def candidate_lines(source: GovernanceGraph | EmbeddedBackend, *, scope: str | None = None,
                    as_of: dt.date | None = None, lang: str = "zh") -> dict[NodeKey, list[str]]:
    """Who the candidate questions (建议人选) propose for each gap in ``scope``, keyed by the thing
    that has the gap: ``R2 无党组织：覃鹏（组建小区党支部）``. Phones are left out."""
    lines: dict[NodeKey, list[str]] = defaultdict(list)
    for code, result in queries.run_group("candidates", source, scope=scope, as_of=as_of).items():
        for candidate in result.items:
            lines[(candidate.gap_label, candidate.gap_id)].append(_PROPOSED.format(
                code=code, reason=value_text(candidate.reason_zh, lang), person=candidate.person_name,
                proposal=value_text(candidate.proposal_zh, lang)).text(lang))
    return dict(lines)


def coverage_by_group(source: GovernanceGraph | EmbeddedBackend, code: str, *, by: str,
                      scope: str | None = None, as_of: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """``{group id: (numerator, denominator)}`` of coverage question ``code`` grouped ``by``."""
    result = queries.run(code, source, scope=scope, as_of=as_of, by=by)
    return {group.id: (group.numerator, group.denominator) for group in result.groups
            if group.id is not None}
