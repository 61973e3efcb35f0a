"""C14 社区阵地面积达标率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.rules import VENUE_AREA_TARGET_M2

from ...coverage import assemble_venue_area, CENTRE, _rate, VENUE_AREA_SHORT
from ...embedded import GraphIndex
from ...question import Parameter
from ...results import VenueAreaResult


def fetch_c14(index: GraphIndex, as_of: str, min_area: float) -> list[dict[str, Any]]:
    """C14 rows: one per Community (shape of C1, ``community_id`` its own id) with ``area_m2``, the
    total ``area_m2`` of the open Venues LOCATED_IN the community, its grids, its compounds and their
    buildings (a venue without an area counts 0), and ``centre_m2``, the largest ``area_m2`` of those
    of kind 党群服务中心 (0 when none); ``covered``: ``area_m2 >= min_area``."""
    parent, attrs = index.parent, index.attrs
    totals: dict[NodeKey, float] = defaultdict(float)
    centres: dict[NodeKey, float] = defaultdict(float)
    for place, venues in index.venues_at.items():
        community = place if place[0] == "Community" else parent.get(place)
        if place[0] == "Building" and community is not None:
            community = parent.get(community)
        if community is None or community[0] != "Community":
            continue  # in a company or a resident unit, or a place outside any community
        for venue in venues:
            area = attrs[venue].get("area_m2") or 0.0
            totals[community] += area
            if attrs[venue]["kind"] == CENTRE:
                centres[community] = max(centres[community], area)
    return [{"id": key[1], "name": row_attrs["name"], **fields, "area_m2": totals.get(key, 0.0),
             "centre_m2": centres.get(key, 0.0), "covered": totals.get(key, 0.0) >= min_area}
            for key, row_attrs, fields in index.placed_nodes("Community", dt.date.fromisoformat(as_of))]


QUESTION = _rate("C14", "社区阵地面积达标率", "Communities whose venues reach the area target", fetch_c14, "Community",
                 "the open Venues LOCATED_IN it, its Grids, its Compounds and their Buildings have a total `area_m2` of "
                 f"at least N m², N = {VENUE_AREA_TARGET_M2} by default (`--min-area`); a venue without `area_m2` counts "
                 "0; a short community's total is in the detail. The result also counts the communities with one open "
                 "Venue of kind `centre` (党群服务中心) of N m² or more on its own (`single_centre`, per group too: "
                 "阳泉's \"500平米以上的活动场所高达94.5%\" is per centre)", VENUE_AREA_SHORT, assemble=assemble_venue_area,
                 result_type=VenueAreaResult,
                 min_area=Parameter(VENUE_AREA_TARGET_M2, "--min-area", "number", 0,
                                    "a community counts when its venues total at least this many m²."),
                 seed='阳泉: "500平米以上的活动场所高达94.5%" (the single-centre count)')
