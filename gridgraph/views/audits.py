"""What the audit questions say about the nodes of a view: blind spots, cross-appointments, rates.

The questions live in ``queries`` (downstream of the graph); views ask them by code through
``queries.run`` so a view marks exactly what the reports list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import queries
from graphmodel.graph import GovernanceGraph, NodeKey
from graphmodel.schema import NODE_MODELS
from queries.embedded import EmbeddedBackend

__all__ = ["Mark", "Marks", "blind_spot_marks", "cross_appointment_marks", "coverage_by_group"]


@dataclass(frozen=True)
class Mark:
    """One finding about one node: the question code and its reason in Chinese."""

    code: str
    text: str


Marks = dict[NodeKey, list[Mark]]


def blind_spot_marks(source: GovernanceGraph | EmbeddedBackend, *, scope: str | None = None,
                     as_of: dt.date | None = None) -> Marks:
    """Every blind spot (B1, B2 …, B12 无阵地小区 …) in ``scope``, keyed by the node it names.

    ``source`` is the graph, or the backend a view already placed its nodes with (one index).
    """
    marks: Marks = defaultdict(list)
    for code, result in queries.run_group("blindspots", source, scope=scope, as_of=as_of).items():
        title = queries.QUESTIONS[code].title_zh
        for item in result.items:
            marks[(item.label, item.id)].append(Mark(code, f"{title}：{item.reason_zh}"))
    return dict(marks)


def cross_appointment_marks(source: GovernanceGraph | EmbeddedBackend, *, scope: str | None = None,
                            as_of: dt.date | None = None) -> Marks:
    """People named by X1 (交叉任职) and X4 (利益冲突) in ``scope``, keyed by person."""
    backend = queries.backend_for(source)  # once, so both questions share its index
    marks: Marks = defaultdict(list)
    for person in queries.run("X1", backend, scope=scope, as_of=as_of).people:
        kinds = "、".join(NODE_MODELS[label].zh for label in person.kinds)
        marks[("Person", person.person_id)].append(Mark("X1", f"交叉任职：{kinds}"))
    for conflict in queries.run("X4", backend, scope=scope, as_of=as_of).conflicts:
        marks[("Person", conflict.person_id)].append(Mark(
            "X4", f"利益冲突：{conflict.compound_name} 的{conflict.committee_name}（{conflict.committee_role}）"
                  f"与其物业 {conflict.company_name}（{conflict.company_role}）"))
    return dict(marks)


def coverage_by_group(source: GovernanceGraph | EmbeddedBackend, code: str, *, by: str,
                      scope: str | None = None, as_of: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """``{group id: (numerator, denominator)}`` of coverage question ``code`` grouped ``by``."""
    result = queries.run(code, source, scope=scope, as_of=as_of, by=by)
    return {group.id: (group.numerator, group.denominator) for group in result.groups
            if group.id is not None}
