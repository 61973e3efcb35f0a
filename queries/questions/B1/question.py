"""B1 无党组织小区: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, _day, _placed_spot
from ...coverage import compound_party_orgs, NO_PARTY_ORG
from ...embedded import GraphIndex


def fetch_b1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B1 rows: Compounds C1 does not count — no party organisation of their own, see
    :func:`compound_party_orgs` (``no_party_org``, no detail)."""
    day = _day(as_of)
    return [_placed_spot(key, attrs, fields, "no_party_org")
            for key, attrs, fields in index.placed_nodes("Compound", day) if not compound_party_orgs(index, key, day)]


QUESTION = _blind_spot("B1", "无党组织小区", "Compounds without a party organisation", fetch_b1, "Compound",
                       NO_PARTY_ORG.where("not counted in C1: no PartyOrg BASED_IN it or in an OwnerCommittee that "
                                          "currently REPRESENTS it"),
                       seed="the compounds 莒南's and 贺州's party coverage leaves out")
