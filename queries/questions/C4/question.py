"""C4 业委会或物管会覆盖率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import NO_OWNER_COMMITTEE, OWNERS_OR_MANAGEMENT, _rate, _rows
from ...embedded import GraphIndex


def fetch_c4(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C4 rows: one per Compound (shape of C1); ``covered``: a current 业委会 or 物管会 REPRESENTS it."""
    return _rows(index, "Compound", as_of,
                 lambda key, day: bool(index.current_committees(key, day, OWNERS_OR_MANAGEMENT)))


QUESTION = _rate("C4", "业委会或物管会覆盖率", "Compounds with an owners' or management committee", fetch_c4, "Compound",
                 "a current OwnerCommittee of kind `owners_committee` or `management_committee` REPRESENTS it",
                 NO_OWNER_COMMITTEE,
                 seed="贺州: 27 compounds, 9 业委会 and 11 物管会")
