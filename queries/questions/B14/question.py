"""B14 报到不在居住社区: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, _day, _placed_spot
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b14(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B14 rows: one per (Person, Community it is REGISTERED_WITH) when the person LIVES_IN a Building
    whose compound's community is known and no such community is the registered one
    (``registered_elsewhere``, detail the registered community's id); placed where the first
    Building they LIVE_IN (by id) is."""
    day = _day(as_of)
    rows = []
    for person, communities in index.registered_with.items():
        buildings = sorted(index.lives_in.get(person, ()))
        homes = {index.parent.get(index.parent.get(building)) for building in buildings} - {None}
        if person[0] != "Person" or not homes:
            continue
        place = index.place_fields(buildings[0], day)
        rows.extend(_placed_spot(person, index.attrs[person], place, "registered_elsewhere", community[1])
                    for community in communities if community not in homes)
    return rows


QUESTION = _blind_spot("B14", "报到不在居住社区", "Registered away from home", fetch_b14, "Person",
                       Reason("registered_elsewhere", "报到社区非居住社区", "registered with a community they do not live in",
                              "REGISTERED_WITH a Community that is not the community of any compound of a Building they "
                              "LIVE_IN (at least one known); the registered community in the detail; placed where their "
                              "first Building (by id) is"),
                       seed="平武, 莒南: 双报到 到居住地社区 — those registered elsewhere")
