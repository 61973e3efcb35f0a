"""B9 班子空缺: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...blindspots import _blind_spot, DIRECTOR, SECRETARY, _spot, UNLED_BY_SECRETARY
from ...coverage import OWNERS
from ...embedded import GraphIndex, is_current_committee
from ...question import Reason


def fetch_b9(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B9 rows: PartyOrgs of every kind but 党小组 (``group``: led by a 组长, not a 书记) with no
    current 书记 post (``no_secretary``); current 业委会 with no current 主任 post (``no_director``)."""
    day = dt.date.fromisoformat(as_of)
    rows = [_spot(index, key, attrs, as_of, "no_secretary") for key, attrs in index.nodes("PartyOrg")
            if attrs["kind"] not in UNLED_BY_SECRETARY and not index.has_role(key, SECRETARY, day)]
    rows.extend(_spot(index, key, attrs, as_of, "no_director")
                for key, attrs in index.nodes("OwnerCommittee")
                if attrs["kind"] in OWNERS and is_current_committee(attrs, day)
                and not index.has_role(key, DIRECTOR, day))
    return rows


QUESTION = _blind_spot("B9", "班子空缺", "Organisations without a leader", fetch_b9, "PartyOrg / OwnerCommittee",
                       Reason("no_secretary", "无书记", "no current secretary",
                              "a PartyOrg of any kind except `group` with no current post of role `secretary` (a 党小组 "
                              "is led by a 组长, not a 书记, so asking it for one would flag every group and drown the "
                              "real gaps)"),
                       Reason("no_director", "无主任", "no current director",
                              "a current OwnerCommittee of kind `owners_committee` with no current post of role "
                              "`director`"),
                       seed="each organisation led: a 书记, a 业委会 主任")
