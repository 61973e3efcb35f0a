"""C11 网格员配备率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import GRID_STAFF, NO_GRID_WORKER, _rate, _rows
from ...embedded import GraphIndex


def fetch_c11(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C11 rows: one per Grid (shape of C1); ``covered``: a current 网格员 or 网格长 post in it."""
    return _rows(index, "Grid", as_of, lambda key, day: index.has_role(key, GRID_STAFF, day))


QUESTION = _rate("C11", "网格员配备率", "Grids with a grid worker", fetch_c11, "Grid",
                 "a Person HOLDS a current post with role `grid_worker` or `grid_leader` in it", NO_GRID_WORKER,
                 seed="every grid staffed: 网格长/网格员 (the seeds' grid workers)")
