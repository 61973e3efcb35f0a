"""B6 空网格: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...blindspots import _blind_spot, _spot
from ...coverage import GRID_STAFF, NO_GRID_WORKER, NO_PARTY_BRANCH
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b6(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B6 rows: Grids with ``no_party_branch`` (no PartyOrg BASED_IN), ``no_grid_worker`` (no current
    网格员/网格长 post) or ``covers_nothing`` (no COVERS); one row per (grid, reason)."""
    day = dt.date.fromisoformat(as_of)
    rows = []
    for key, attrs in index.nodes("Grid"):
        if key not in index.based_in:
            rows.append(_spot(index, key, attrs, as_of, "no_party_branch"))
        if not index.has_role(key, GRID_STAFF, day):
            rows.append(_spot(index, key, attrs, as_of, "no_grid_worker"))
        if not index.covers.get(key):
            rows.append(_spot(index, key, attrs, as_of, "covers_nothing"))
    return rows


QUESTION = _blind_spot("B6", "空网格", "Empty grids", fetch_b6, "Grid",
                       NO_PARTY_BRANCH.where("no PartyOrg BASED_IN it"), NO_GRID_WORKER.where("not counted in C11"),
                       Reason("covers_nothing", "网格未覆盖任何楼栋或小区", "covers nothing", "no COVERS"),
                       seed="阳泉's grids each with a 网格党支部 and a grid worker")
