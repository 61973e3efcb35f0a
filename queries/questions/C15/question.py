"""C15 党员入组率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import NOT_IN_GROUP, party_member_rows, _rate
from ...embedded import GraphIndex


def fetch_c15(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C15 rows: one per Person with ``party_member`` true, shape of C1 (placed as
    :func:`party_member_rows` says); ``covered``: a MEMBER_OF a PartyOrg."""
    return party_member_rows(index, as_of, lambda orgs: True)


QUESTION = _rate("C15", "党员入组率", "Party members in an organisation", fetch_c15, "Person",
                 "a MEMBER_OF to a PartyOrg", NOT_IN_GROUP,
                 denominator="Person with `party_member` true, placed where the first PartyOrg they are a MEMBER_OF "
                             "is (by id), else the first Building they LIVE_IN, else the first Community they are "
                             "REGISTERED_WITH",
                 seed="阳泉: 流动党员和在职党员全部登记入组")
