"""B2 无人管理小区: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...blindspots import _blind_spot, _placed_spot, SELF_MANAGEMENT
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b2(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B2 rows: Compounds with no current MANAGES and no current 自管会 (``unmanaged``)."""
    day = dt.date.fromisoformat(as_of)
    return [_placed_spot(key, attrs, fields, "unmanaged")
            for key, attrs, fields in index.placed_nodes("Compound", day)
            if not index.current_companies(key, day)
            and not index.current_committees(key, day, SELF_MANAGEMENT)]


QUESTION = _blind_spot("B2", "无人管理小区", "Unmanaged compounds", fetch_b2, "Compound",
                       Reason("unmanaged", "无物业且无自管会", "no property company and no self-management group",
                              "no current MANAGES and no current OwnerCommittee of kind `self_management`"),
                       seed="the compounds no company and no 自管会 look after")
