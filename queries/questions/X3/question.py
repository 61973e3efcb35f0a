"""X3 兼职委员: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graphmodel.schema import PART_TIME_ROLES

from ...cross import assemble_part_time, BIG_COMMITTEE_AREAS, _cross
from ...embedded import GraphIndex
from ...results import PartTimeResult


def fetch_x3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """X3 rows for each 大党委 and 大工委: a PartyOrg of kind 党委 or 党总支 BASED_IN a Community, or
    of kind 党工委 BASED_IN a Street, placed in the first such area by id.

    One committee row ``{id, name, community_id, street_id, district_id, person_id: None,
    person_name: None, phone: None, role: None, source_label: None, source_id: None,
    source_name: None, source_role: None}``, plus for each part-time member (a current post in it
    with role 兼职委员 or 兼职副书记, or ``part_time`` true) one row per current post of theirs in
    another organisation (``source_*``), or one row with ``source_*`` ``None`` when they hold none.
    ``role`` is the member's post in the committee.
    """
    day = dt.date.fromisoformat(as_of)
    rows = []
    empty_source = {"source_label": None, "source_id": None, "source_name": None, "source_role": None}
    for key, attrs in index.nodes("PartyOrg"):
        area_label = BIG_COMMITTEE_AREAS.get(attrs["kind"])
        areas = [target for target in index.bases.get(key, ()) if target[0] == area_label]
        if not areas:
            continue
        base = {"id": key[1], "name": attrs["name"], **index.place_fields(areas[0], day)}
        rows.append({**base, "person_id": None, "person_name": None, "phone": None, "role": None,
                     **empty_source})
        for person, props in index.current_posts_in(key, day):
            if props["role"] not in PART_TIME_ROLES and not props.get("part_time"):
                continue
            node = index.attrs[person]
            member = {**base, "person_id": person[1], "person_name": node["name"],
                      "phone": node.get("phone"), "role": props["role"]}
            sources = [(org, other) for org, other in index.current_posts_of(person, day) if org != key]
            rows.extend({**member, "source_label": org[0], "source_id": org[1],
                         "source_name": index.attrs[org]["name"], "source_role": other["role"]}
                        for org, other in sources)
            if not sources:
                rows.append({**member, **empty_source})
    return rows


QUESTION = _cross("X3", "兼职委员", "Part-time members of street and community party committees", fetch_x3,
                  assemble_part_time, PartTimeResult,
                  "for each PartyOrg of kind `committee` or `general_branch` BASED_IN a Community (大党委) or of kind "
                  "`working_committee` BASED_IN a Street (大工委), placed in the first such area by id: the people "
                  "with a current post in it whose role is `part_time_member` or `part_time_deputy_secretary` or "
                  "whose `part_time` is true, each with the organisations of their other current posts",
                  ("serves_part_time",),
                  seed="大党委/大工委: the 业委会 director as 兼职委员 of the community 党总支 (新源社区)")
