"""C1 小区党组织覆盖率: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import compound_party_orgs, NO_PARTY_ORG, _rate, _rows
from ...embedded import GraphIndex


def fetch_c1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C1 rows: one per Compound, ``{id, name, community_id, street_id, district_id, covered}``.

    ``covered``: it has a party organisation of its own (:func:`compound_party_orgs`).
    """
    return _rows(index, "Compound", as_of, lambda key, day: bool(compound_party_orgs(index, key, day)))


QUESTION = _rate("C1", "小区党组织覆盖率", "Compounds with a party organisation", fetch_c1, "Compound",
                 "≥1 PartyOrg (any kind) BASED_IN it, or BASED_IN an OwnerCommittee (any kind) that currently "
                 "REPRESENTS it (贺州's \"成立业委会党支部5个\": a compound whose only party organisation is its "
                 "业委会's branch has one)", NO_PARTY_ORG,
                 seed='莒南: 148 compounds, party organisation coverage 100%; 贺州: "成立业委会党支部5个" (a compound covered by '
                      'the branch of its 业委会)')
