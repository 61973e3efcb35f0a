"""C5 楼栋党小组覆盖率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import NO_PARTY_GROUP, _rate, _rows
from ...embedded import GraphIndex


def fetch_c5(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C5 rows: one per Building (shape of C1); ``covered``: a PartyOrg is BASED_IN it."""
    return _rows(index, "Building", as_of, lambda key, day: key in index.based_in)


QUESTION = _rate("C5", "楼栋党小组覆盖率", "Buildings with a party group", fetch_c5, "Building",
                 "≥1 PartyOrg BASED_IN it", NO_PARTY_GROUP,
                 seed='阳泉: "734个楼栋党小组"')
