"""C9 业委会党组织覆盖率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...coverage import NO_PARTY_ORG, OWNERS, _rate, _row
from ...embedded import GraphIndex, is_current_committee


def fetch_c9(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C9 rows: one per current OwnerCommittee of kind 业委会 (shape of C1, the compound's place).

    ``covered``: a PartyOrg is BASED_IN the committee.
    """
    day = dt.date.fromisoformat(as_of)
    return [_row(index, key, attrs, day, key in index.based_in)
            for key, attrs in index.nodes("OwnerCommittee")
            if attrs["kind"] in OWNERS and is_current_committee(attrs, day)]


QUESTION = _rate("C9", "业委会党组织覆盖率", "Owners' committees with a party organisation", fetch_c9, "OwnerCommittee",
                 "≥1 PartyOrg BASED_IN it", NO_PARTY_ORG, denominator="current OwnerCommittee of kind `owners_committee`",
                 seed='贺州: "成立业委会党支部5个"')
