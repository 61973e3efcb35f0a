"""B5 网格盲区与重叠: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ...blindspots import _blind_spot, _covering_grids, _day, _placed_spot
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b5(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B5 rows: Buildings in no grid, in two grids of one type, or in another community's grid.

    A grid covers a building when it COVERS the building or the building's compound.
    ``uncovered``: no such grid (detail ``None``). ``overlap``: one row per grid of every grid type
    with two or more such grids, detail ``"<grid_type>:<grid id>"``. ``cross_community``: one row per
    such grid PART_OF another community than the building's compound, detail
    ``"<grid id>@<grid's community id>"`` (both communities must be known).
    """
    parent, attrs_of = index.parent, index.attrs
    rows = []
    for key, attrs, fields in index.placed_nodes("Building", _day(as_of)):
        grids = _covering_grids(index, key)
        if not grids:
            rows.append(_placed_spot(key, attrs, fields, "uncovered"))
            continue
        if len(grids) > 1:  # most buildings lie in exactly one grid
            by_type = defaultdict(list)
            for grid in grids:
                by_type[attrs_of[grid]["grid_type"]].append(grid)
            for grid_type, same_type in by_type.items():
                if len(same_type) > 1:
                    rows.extend(_placed_spot(key, attrs, fields, "overlap", f"{grid_type}:{grid[1]}")
                                for grid in same_type)
        compound = parent.get(key)
        home = parent.get(compound) if compound is not None else None
        if home is None:
            continue
        for grid in grids:
            grid_community = parent.get(grid)
            if grid_community is not None and grid_community != home:
                rows.append(_placed_spot(key, attrs, fields, "cross_community", f"{grid[1]}@{grid_community[1]}"))
    return rows


QUESTION = _blind_spot("B5", "网格盲区与重叠", "Grid gaps and overlaps", fetch_b5, "Building",
                       Reason("uncovered", "未纳入网格", "in no grid", "no Grid COVERS it or its compound"),
                       Reason("overlap", "同类网格重叠", "in two grids of one type",
                              "≥2 grids of one grid_type cover it (directly or via its compound), one item per "
                              "building with the types in the detail; types are compared exactly (grid types are "
                              "open: two grids of different unnamed types, 全科网格 and 安全生产网格, never overlap)"),
                       Reason("cross_community", "网格跨社区", "grid in another community",
                              "a covering grid is PART_OF another community than the building's compound"),
                       seed="一张网: every building in exactly one grid of each kind")
