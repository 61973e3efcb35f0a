"""C10 楼长配备率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import BUILDING_LEADER, NO_BUILDING_LEADER, _rate, _rows
from ...embedded import GraphIndex


def fetch_c10(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C10 rows: one per Building (shape of C1); ``covered``: a current 楼长 post in it."""
    return _rows(index, "Building", as_of, lambda key, day: index.has_role(key, BUILDING_LEADER, day))


QUESTION = _rate("C10", "楼长配备率", "Buildings with a building leader", fetch_c10, "Building",
                 "a Person HOLDS a current post with role `building_leader` (楼长) in it", NO_BUILDING_LEADER,
                 seed="莒南: 楼长单元长")
