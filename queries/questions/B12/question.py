"""B12 无阵地小区: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, _day, _placed_spot
from ...coverage import NO_VENUE, venue_compounds
from ...embedded import GraphIndex


def fetch_b12(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B12 rows: Compounds with no open Venue LOCATED_IN them or in one of their buildings (``no_venue``)."""
    with_venue = venue_compounds(index)
    return [_placed_spot(key, attrs, fields, "no_venue")
            for key, attrs, fields in index.placed_nodes("Compound", _day(as_of)) if key not in with_venue]


QUESTION = _blind_spot("B12", "无阵地小区", "Compounds without a venue", fetch_b12, "Compound",
                       NO_VENUE.where("not counted in C13: no open Venue LOCATED_IN it or in one of its Buildings (a venue "
                                      "marked closed, 是否开放 否, counts in no question)"),
                       seed="莒南's 同心驿: the compounds without an open one")
