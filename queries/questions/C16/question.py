"""C16 网格类型覆盖: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from graphmodel.graph import NodeKey

from ...coverage import assemble_grid_types, NO_GRID_OF_TYPE
from ...embedded import GraphIndex
from ...question import Parameter, Question
from ...results import GridTypeCoverageResult


def fetch_c16(index: GraphIndex, as_of: str, grid_type: str | None = None) -> list[dict[str, Any]]:
    """C16 rows: one per Compound, ``{label: "Compound", id, name, community_id, street_id,
    district_id, grid_types}`` with the sorted types of the Grids that COVER it or one of its
    Buildings; and one per Grid, ``{label: "Grid", …, grid_types: [its own type]}``, which makes
    its type present where it is. ``grid_type`` is applied by the assemble step.
    """
    day = dt.date.fromisoformat(as_of)
    attrs_of, parent = index.attrs, index.parent
    covering: dict[NodeKey, set[str]] = defaultdict(set)
    for target, grids in index.covered_by.items():
        compound = target if target[0] == "Compound" else parent.get(target)
        if compound is not None:
            covering[compound].update(attrs_of[grid]["grid_type"] for grid in grids)
    rows = [{"label": "Compound", "id": key[1], "name": attrs["name"], **fields,
             "grid_types": sorted(covering.get(key, ()))}
            for key, attrs, fields in index.placed_nodes("Compound", day)]
    rows.extend({"label": "Grid", "id": key[1], "name": attrs["name"], **fields, "grid_types": [attrs["grid_type"]]}
                for key, attrs, fields in index.placed_nodes("Grid", day))
    return rows


QUESTION = Question(code="C16", fetch=fetch_c16, title_zh="网格类型覆盖", title_en="Compounds per grid type (one network)",
                    kind="coverage", assemble=assemble_grid_types, result_type=GridTypeCoverageResult, counted="Compound",
                    denominator="Compound, once per grid type present in the scope (a Grid of that type is in it; "
                                "with `--grid-type T` only T, present or not); a rate per type, not one rate",
                    rule="a Grid of that grid_type COVERS it or one of its Buildings (types compared exactly, as in "
                         "B5: grid types are open); with `--grid-type` the compounds outside are listed",
                    reasons=(NO_GRID_OF_TYPE,),
                    parameters={"grid_type": Parameter(None, "--grid-type", "text", help=(
                        "only this grid type (as a ledger writes it: 应急管理网格, 全科网格 …), listing the compounds "
                        "no grid of it covers."), metavar="TYPE")},
                    seed='莒南: 党建、综合执法、市场监管、生态环境、应急管理等18类网格统一合并为"一张网"')
