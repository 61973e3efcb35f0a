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

__all__ = ["Mark", "Marks", "blind_spot_marks", "cross_appointment_marks", "coverage_by_group"]


@dataclass(frozen=True)
class Mark:
    """One finding about one node: the question code and its reason in Chinese."""

    code: str
    text: str


Marks = dict[NodeKey, list[Mark]]


def blind_spot_marks(graph: GovernanceGraph, *, scope: str | None = None,
                     as_of: dt.date | None = None) -> Marks:
    """Every blind spot (B1…B11) in ``scope``, keyed by the node it names."""
    marks: Marks = defaultdict(list)
    for code, question in queries.QUESTIONS.items():
        if question.kind != "blindspots":
            continue
        result = queries.run(code, graph, scope=scope, as_of=as_of)
        title = question.title_zh
        for item in result.items:
            marks[(item.label, item.id)].append(Mark(code, f"{title}：{item.reason_zh}"))
    return dict(marks)


def cross_appointment_marks(graph: GovernanceGraph, *, scope: str | None = None,
                            as_of: dt.date | None = None) -> Marks:
    """People named by X1 (交叉任职) and X4 (利益冲突) in ``scope``, keyed by person."""
    marks: Marks = defaultdict(list)
    for person in queries.run("X1", graph, scope=scope, as_of=as_of).people:
        kinds = "、".join(NODE_MODELS[label].zh for label in person.kinds)
        marks[("Person", person.person_id)].append(Mark("X1", f"交叉任职：{kinds}"))
    for conflict in queries.run("X4", graph, scope=scope, as_of=as_of).conflicts:
        marks[("Person", conflict.person_id)].append(Mark(
            "X4", f"利益冲突：{conflict.compound_name} 的{conflict.committee_name}（{conflict.committee_role}）"
                  f"与其物业 {conflict.company_name}（{conflict.company_role}）"))
    return dict(marks)


def coverage_by_group(graph: GovernanceGraph, code: str, *, by: str, scope: str | None = None,
                      as_of: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """``{group id: (numerator, denominator)}`` of coverage question ``code`` grouped ``by``."""
    result = queries.run(code, graph, scope=scope, as_of=as_of, by=by)
    return {group.id: (group.numerator, group.denominator) for group in result.groups
            if group.id is not None}
