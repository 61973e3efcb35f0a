"""B18 大党委无兼职委员: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from graphmodel.schema import PART_TIME_ROLES

from ...blindspots import _blind_spot, _day, _placed_spot
from ...cross import BIG_COMMITTEE_AREAS
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b18(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B18 rows: the 大党委 and 大工委 X3 asks about (placed as X3 places them) with no current
    part-time member — no current post in it whose role is part-time or that is marked part-time
    (``no_part_time_member``)."""
    day = _day(as_of)
    rows = []
    for key, attrs in index.nodes("PartyOrg"):
        areas = [target for target in index.bases.get(key, ()) if target[0] == BIG_COMMITTEE_AREAS.get(attrs["kind"])]
        if areas and not any(props["role"] in PART_TIME_ROLES or props.get("part_time")
                             for _, props in index.current_posts_in(key, day)):
            rows.append(_placed_spot(key, attrs, index.place_fields(areas[0], day), "no_part_time_member"))
    return rows


QUESTION = _blind_spot("B18", "大党委无兼职委员", "Big party committees without a part-time member", fetch_b18,
                       "PartyOrg",
                       Reason("no_part_time_member", "无兼职委员", "no part-time member",
                              "a PartyOrg X3 asks about (a `committee` or `general_branch` BASED_IN a Community, a "
                              "`working_committee` BASED_IN a Street; placed in the first such area by id) with no "
                              "current post in it whose role is `part_time_member` or `part_time_deputy_secretary` or "
                              "whose `part_time` is true"),
                       seed="大党委 with 兼职委员 (新源社区)")
