"""B19 多网未合一: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, _covering_grids, _day, _placed_spot
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b19(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B19 rows: Buildings covered (as in B5) by grids of two or more grid types (``unmerged_grids``),
    detail the types, sorted, joined by ``"; "``."""
    attrs_of = index.attrs
    rows = []
    for key, attrs, fields in index.placed_nodes("Building", _day(as_of)):
        grids = _covering_grids(index, key)
        if len(grids) > 1:
            types = sorted({attrs_of[grid]["grid_type"] for grid in grids})
            if len(types) > 1:
                rows.append(_placed_spot(key, attrs, fields, "unmerged_grids", "; ".join(types)))
    return rows


QUESTION = _blind_spot("B19", "多网未合一", "Buildings in grids of several types (one network not yet merged)", fetch_b19,
                       "Building",
                       Reason("unmerged_grids", "多网未合一", "in grids of several types",
                              "grids of two or more different `grid_type` cover it (COVERS it or its Compound, as in B5): "
                              "the grids are not yet merged into one network (莒南: 党建、综合执法、市场监管、生态环境、"
                              "应急管理等18类网格统一合并为“一张网”); the types, sorted and joined by `; `, in the detail"),
                       seed="莒南: 18类网格统一合并为“一张网”")
