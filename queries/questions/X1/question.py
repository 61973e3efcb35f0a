"""X1 交叉任职人员: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...cross import assemble_cross_appointments, _cross, _ORGANISATION_KIND_SET, post_rows
from ...embedded import GraphIndex
from ...results import CrossAppointmentResult


def fetch_x1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """X1 rows: every current post of each person whose current posts reach ≥2 organisation kinds.

    Row (a "post row", shared with X5): ``{person_id, person_name, phone, org_label, org_id,
    org_name, role, part_time, start, end, community_id, street_id, district_id}`` — dates ISO or
    ``None``, the place is the organisation's.
    """
    day = dt.date.fromisoformat(as_of)
    return post_rows(index, day, lambda posts: len(posts) >= 2
                      and len({org[0] for org, _ in posts} & _ORGANISATION_KIND_SET) >= 2)


QUESTION = _cross("X1", "交叉任职人员", "People with cross-appointments", fetch_x1, assemble_cross_appointments,
                  CrossAppointmentResult, "people whose current posts reach ≥2 of those kinds; every current post listed",
                  ("cross_appointed",),
                  seed="交叉任职: people serving the party organisation, the committee and the company at once")
