"""R6 党员入组去向: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...candidates import _candidates, _gap_rows, _People
from ...coverage import NOT_IN_GROUP
from ...embedded import GraphIndex
from ..B13.question import fetch_b13


def fetch_r6(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R6 rows, for each B13 party member: the party organisations BASED_IN the nearest place
    where they live that has one — a Building they LIVE_IN, else its Compound, else a Grid that
    COVERS the building or its compound (``join`` each)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    rows = []
    for gap in fetch_b13(index, as_of):
        person = ("Person", gap["id"])
        homes = index.lives_in.get(person, ())
        compounds = {index.parent[home] for home in homes if home in index.parent}
        levels = (homes, compounds, {grid for place in (*homes, *compounds) for grid in index.covered_by.get(place, ())})
        orgs = next(({org for place in places for org in index.based_in.get(place, ())}
                     for places in levels if any(place in index.based_in for place in places)), set())
        rows.extend(_gap_rows(people, gap, [(person, "join", org, None) for org in orgs]))
    return rows


QUESTION = _candidates("R6", "党员入组去向", "Where members in no organisation could join", fetch_r6, "Person",
                       "for each B13 party member: the PartyOrgs BASED_IN the nearest place they live that has one — a "
                       "Building they LIVE_IN, else its Compound, else a Grid that COVERS the building or its compound",
                       NOT_IN_GROUP.where("as B13"), gaps_of="B13",
                       seed="no seed figure: every member in an organisation (党员入组)")
