"""C2 专业化物业覆盖率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import NO_CONTRACT, _rate, _rows
from ...embedded import GraphIndex


def fetch_c2(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C2 rows: one per Compound (shape of C1); ``covered``: a current MANAGES into it."""
    return _rows(index, "Compound", as_of, lambda key, day: bool(index.current_companies(key, day)))


QUESTION = _rate("C2", "专业化物业覆盖率", "Compounds with a property company", fetch_c2, "Compound",
                 "≥1 current MANAGES into it", NO_CONTRACT,
                 seed="莒南: 148 compounds, professional property management 100%")
