"""X2 三方联动: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...cross import assemble_linkage, _cross, _holders, LINKAGE_SIDES, party_side
from ...embedded import GraphIndex
from ...results import LinkageResult


def fetch_x2(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """X2 rows for each Compound: assessed when it has a party side, a current OwnerCommittee
    (any kind) REPRESENTING it and a current MANAGES into it.

    The party side of a compound is :func:`party_side`. One compound row ``{id, name,
    community_id, street_id, district_id, lacks, link: None, person_id: None, person_name: None,
    phone: None}`` with ``lacks`` the codes of the ``LINKAGE_SIDES`` it has none of (in their
    order; empty when assessed); plus, when assessed, one row per linking person (``lacks`` empty) with ``link``
    ``"party_committee"`` (a current post in a party-side PartyOrg and in such a committee) or
    ``"party_company"`` (a current post in a party-side PartyOrg or in the compound's Community,
    and in such a company).
    """
    day = dt.date.fromisoformat(as_of)
    rows = []
    for key, attrs, fields in index.placed_nodes("Compound", day):
        community = index.parent.get(key)
        orgs = party_side(index, key, community, day)
        companies = index.current_companies(key, day)
        committees = index.current_committees(key, day)
        base = {"id": key[1], "name": attrs["name"], **fields}
        lacks = [side.code for side, present in zip(LINKAGE_SIDES, (orgs, committees, companies)) if not present]
        rows.append({**base, "lacks": lacks, "link": None, "person_id": None, "person_name": None, "phone": None})
        if lacks:
            continue
        party = _holders(index, orgs, day)
        links = {"party_committee": party & _holders(index, committees, day),
                 "party_company": (party | _holders(index, [community] if community else [], day))
                 & _holders(index, companies, day)}
        for link, people in links.items():
            for person in sorted(people):
                node = index.attrs[person]
                rows.append({**base, "lacks": [], "link": link, "person_id": person[1], "person_name": node["name"],
                             "phone": node.get("phone")})
    return rows


QUESTION = _cross("X2", "三方联动", "Party–committee–company linkage", fetch_x2, assemble_linkage, LinkageResult,
                  "the *party side* of a Compound is every PartyOrg BASED_IN the compound, BASED_IN an OwnerCommittee "
                  "that currently REPRESENTS it (贺州's 业委会党支部) or BASED_IN its Community (the community "
                  "党委/党总支: in 新源社区 the 业委会 directors are its part-time members). For each Compound with a "
                  "party side, a current OwnerCommittee (any kind) REPRESENTING it and a current MANAGES contract: "
                  "`party_committee` link when one person has a current post in a party-side PartyOrg and a current "
                  "post in such a committee; `party_company` link when one person has a current post in a party-side "
                  "PartyOrg or in the compound's Community and a current post in such a company. Status `complete` "
                  "(both), `partial` (one), `none` (neither). The rate is complete / every Compound in scope (莒南 "
                  "reports 双向进入 across all 148 compounds), and each Compound it cannot assess is listed once per "
                  "side it lacks: " + "; ".join(f"`{reason.code}` ({reason.zh}): {reason.rule}"
                                               for reason in LINKAGE_SIDES),
                  ("complete", "partial", "none"), LINKAGE_SIDES,
                  seed="新源社区's 三方交叉任职; 莒南's 双向进入 across all 148 compounds (the rate)")
