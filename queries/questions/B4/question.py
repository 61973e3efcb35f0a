"""B4 业委会逾期未换届: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...blindspots import _blind_spot, _spot
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b4(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B4 rows: OwnerCommittees (any kind) whose ``term_end`` < as-of (``term_expired``).

    ``detail``: the term end, ISO date.
    """
    day = dt.date.fromisoformat(as_of)
    return [_spot(index, key, attrs, as_of, "term_expired", attrs["term_end"].isoformat())
            for key, attrs in index.nodes("OwnerCommittee")
            if attrs.get("term_end") is not None and attrs["term_end"] < day]


QUESTION = _blind_spot("B4", "业委会逾期未换届", "Owner committees past their term", fetch_b4, "OwnerCommittee",
                       Reason("term_expired", "任期届满未换届", "term expired", "term_end < as-of"),
                       seed="业委会 terms (届期) that have run out")
