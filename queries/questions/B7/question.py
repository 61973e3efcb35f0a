"""B7 物业企业党建空白: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...blindspots import _blind_spot
from ...coverage import INSTRUCTOR, NO_PARTY_COVERAGE
from ...embedded import GraphIndex


def fetch_b7(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B7 rows: companies with a current contract, no PartyOrg BASED_IN them and no current
    党建指导员 post (``no_party_coverage``); one row per compound they currently manage, with
    ``compound_id`` and the compound's place."""
    day = dt.date.fromisoformat(as_of)
    rows = []
    for company, compounds in index.managed_companies(day).items():
        if company in index.based_in or index.has_role(company, INSTRUCTOR, day):
            continue
        attrs = index.attrs[company]
        for compound in compounds:
            rows.append({"label": "PropertyCompany", "id": company[1], "name": attrs["name"],
                         "compound_id": compound[1], **index.place_fields(compound, day),
                         "reason": "no_party_coverage", "detail": None})
    return rows


QUESTION = _blind_spot("B7", "物业企业党建空白", "Property companies without party coverage", fetch_b7, "PropertyCompany",
                       NO_PARTY_COVERAGE.where("in the C8 denominator, not in its numerator"),
                       seed="红色物业's 两个覆盖, missing both")
