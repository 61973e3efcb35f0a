"""B13 未入组党员: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot
from ...coverage import NOT_IN_GROUP, party_member_rows
from ...embedded import GraphIndex


def fetch_b13(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B13 rows: party members (Person, ``party_member`` true) with no MEMBER_OF (``not_in_group``),
    placed as C15 places them."""
    return [{"label": "Person", **{k: v for k, v in row.items() if k != "covered"},
             "reason": "not_in_group", "detail": None}
            for row in party_member_rows(index, as_of, lambda orgs: not orgs)]


QUESTION = _blind_spot("B13", "未入组党员", "Party members in no organisation", fetch_b13, "Person",
                       NOT_IN_GROUP.where("not counted in C15 (placed as C15 places them)"),
                       seed="阳泉: 流动党员和在职党员全部登记入组 — those not yet")
