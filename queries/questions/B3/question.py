"""B3 无业委会(物管会)小区: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...blindspots import _blind_spot, _placed_spot
from ...coverage import NO_OWNER_COMMITTEE, OWNERS_OR_MANAGEMENT
from ...embedded import GraphIndex


def fetch_b3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B3 rows: Compounds with no current 业委会 or 物管会 (``no_owner_committee``)."""
    day = dt.date.fromisoformat(as_of)
    return [_placed_spot(key, attrs, fields, "no_owner_committee")
            for key, attrs, fields in index.placed_nodes("Compound", day)
            if not index.current_committees(key, day, OWNERS_OR_MANAGEMENT)]


QUESTION = _blind_spot("B3", "无业委会(物管会)小区", "Compounds without an owners' or management committee", fetch_b3,
                       "Compound", NO_OWNER_COMMITTEE.where("not counted in C4"),
                       seed="the compounds outside 贺州's 9 业委会 and 11 物管会")
