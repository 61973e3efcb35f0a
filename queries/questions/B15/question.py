"""B15 无中心户党小组: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, CENTRAL_HOUSEHOLD, _day, GROUP, _spot
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b15(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B15 rows: 党小组 (PartyOrg of kind ``group``) with no current 党员中心户 post held in the group
    itself or in a place it is BASED_IN (its building) — ``no_central_household``."""
    day = _day(as_of)
    return [_spot(index, key, attrs, as_of, "no_central_household") for key, attrs in index.nodes("PartyOrg")
            if attrs["kind"] == GROUP
            and not any(index.has_role(held, CENTRAL_HOUSEHOLD, day) for held in (key, *index.bases.get(key, ())))]


QUESTION = _blind_spot("B15", "无中心户党小组", "Party groups without a central household", fetch_b15, "PartyOrg",
                       Reason("no_central_household", "未设党员中心户", "no central household",
                              "a PartyOrg of kind `group` with no current post with role `central_household` (党员中心户) "
                              "in it or in a place it is BASED_IN (its building)"),
                       seed='阳泉: "4271个党员中心户" — the 党小组 without one')
