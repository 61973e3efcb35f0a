"""C7 物业企业党组织覆盖: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import _company_rows, NO_PARTY_ORG, _rate
from ...embedded import GraphIndex


def fetch_c7(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C7 rows: one per (PropertyCompany, Compound it currently MANAGES).

    Row: ``{id, name, compound_id, community_id, street_id, district_id, covered}`` — the place
    is the compound's; ``covered`` (same on every row of one company): a PartyOrg is BASED_IN
    the company. Companies without a current contract give no row.
    """
    return _company_rows(index, as_of, lambda key, day: key in index.based_in)


QUESTION = _rate("C7", "物业企业党组织覆盖", "Property companies with a party organisation", fetch_c7, "PropertyCompany",
                 "≥1 PartyOrg BASED_IN it (its own, or a joint branch based in several)", NO_PARTY_ORG,
                 denominator="PropertyCompany with ≥1 current MANAGES",
                 seed="红色物业: a company's own or joint party organisation (组织覆盖, 单建/联建)")
