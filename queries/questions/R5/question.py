"""R5 楼长人选: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...candidates import _candidates, _gap_rows, _People
from ...coverage import NO_BUILDING_LEADER
from ...embedded import GraphIndex
from ..C10.question import fetch_c10


def fetch_r5(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R5 rows, for each building C10 does not count (``no_building_leader``): the people who live
    in it (``building_leader`` of it)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    rows = []
    for row in fetch_c10(index, as_of):
        if row["covered"]:
            continue
        building = ("Building", row["id"])
        gap = {**row, "label": "Building", "reason": NO_BUILDING_LEADER.code}
        rows.extend(_gap_rows(people, gap, [(person, "building_leader", building, None)
                                                for person in index.residents.get(building, ())]))
    return rows


QUESTION = _candidates("R5", "楼长人选", "Candidates for building leader", fetch_r5, "Building",
                       "for each Building C10 does not count: the people who LIVE_IN it, party members first, then "
                       "those with the fewest current posts",
                       NO_BUILDING_LEADER.where("not counted in C10"),
                       gaps_of="C10",
                       seed="莒南: 楼长单元长 (who lives in the building)")
