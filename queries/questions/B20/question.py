"""B20 单元长空缺: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, _day, _placed_spot, UNIT_LEADER, UNIT_LEADERS
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b20(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B20 rows: Buildings with units — ``units`` above 1, or a post with role 单元长 (of any date)
    held in a Building of the same compound or in the compound itself — and no current 单元长 post
    in the building (``no_unit_leader``; detail its ``units`` when known)."""
    day = _day(as_of)
    parent = index.parent
    organised = set()  # compounds where some 单元长 post is or was held
    for org, posts in index.posts_in.items():
        if org[0] in ("Building", "Compound") and any(props["role"] == UNIT_LEADER for _, props in posts):
            organised.add(org if org[0] == "Compound" else parent.get(org))
    organised.discard(None)
    rows = []
    for key, attrs, fields in index.placed_nodes("Building", day):
        units = attrs.get("units")
        if ((units or 0) > 1 or parent.get(key) in organised) and not index.has_role(key, UNIT_LEADERS, day):
            rows.append(_placed_spot(key, attrs, fields, "no_unit_leader", None if units is None else str(units)))
    return rows


QUESTION = _blind_spot("B20", "单元长空缺", "Buildings with units but no unit leader", fetch_b20, "Building",
                       Reason("no_unit_leader", "有单元无单元长", "units but no unit leader",
                              "a Building with units — its `units` (单元数) above 1, or a post with role `unit_leader` "
                              "(单元长, of any date) held in a Building of its compound or in the compound — and no "
                              "current post with role `unit_leader` in it (莒南's \"楼长单元长\"); its `units` in the "
                              "detail when known"),
                       seed="莒南: 楼长单元长")
