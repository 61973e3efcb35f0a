"""C3 业委会组建率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import NO_OWNERS_COMMITTEE, OWNERS, _rate, _rows
from ...embedded import GraphIndex


def fetch_c3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C3 rows: one per Compound (shape of C1); ``covered``: a current 业委会 REPRESENTS it."""
    return _rows(index, "Compound", as_of,
                 lambda key, day: bool(index.current_committees(key, day, OWNERS)))


QUESTION = _rate("C3", "业委会组建率", "Compounds with an owners' committee", fetch_c3, "Compound",
                 "a current OwnerCommittee of kind `owners_committee` REPRESENTS it", NO_OWNERS_COMMITTEE,
                 seed="莒南: owners' committees in all 148 compounds; 贺州: 9 业委会 in 27 compounds")
