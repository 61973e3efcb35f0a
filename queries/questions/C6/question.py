"""C6 网格党支部覆盖率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import NO_PARTY_BRANCH, _rate, _rows
from ...embedded import GraphIndex


def fetch_c6(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C6 rows: one per Grid (shape of C1); ``covered``: a PartyOrg is BASED_IN it."""
    return _rows(index, "Grid", as_of, lambda key, day: key in index.based_in)


QUESTION = _rate("C6", "网格党支部覆盖率", "Grids with a party branch", fetch_c6, "Grid",
                 "≥1 PartyOrg BASED_IN it", NO_PARTY_BRANCH,
                 seed='阳泉: "295个网格党支部"')
