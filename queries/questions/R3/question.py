"""R3 党员中心户人选: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...candidates import _candidates, _gap_rows, _People
from ...embedded import GraphIndex
from ..B15.question import fetch_b15, QUESTION as B15


def fetch_r3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R3 rows, for each B15 党小组: its members and the people who live in a building it is
    BASED_IN (``central_household`` in the group)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    rows = []
    for gap in fetch_b15(index, as_of):
        group = ("PartyOrg", gap["id"])
        found = set(index.members.get(group, ()))
        found.update(person for base in index.bases.get(group, ()) if base[0] == "Building"
                     for person in index.residents.get(base, ()))
        rows.extend(_gap_rows(people, gap, [(person, "central_household", group, None) for person in found]))
    return rows


QUESTION = _candidates("R3", "党员中心户人选", "Candidates for central household", fetch_r3, "PartyOrg",
                       "for each B15 党小组: party members who are its members or LIVE_IN a Building it is BASED_IN and "
                       "hold no current `central_household` post anywhere",
                       B15.reasons[0], gaps_of="B15",
                       seed='阳泉: 518 households chosen as 党员中心户')
