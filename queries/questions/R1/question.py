"""R1 三方联动候选人: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...candidates import (_candidates, _gap_rows, _holders, NO_PARTY_COMMITTEE_LINK, NO_PARTY_COMPANY_LINK,
                           _People)
from ...cross import party_side
from ...embedded import GraphIndex
from ..X2.question import fetch_x2


def fetch_r1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R1 rows, for each link X2 finds missing in a compound (``no_party_committee_link``,
    ``no_party_company_link``). The party-side organisation proposed is the compound's own first
    (by id), else its community's first.

    Missing party–committee link: people with a current post in a current committee of the compound
    (``part_time_member`` of that organisation); people with a current post in a party-side
    organisation who live in the compound (``committee_member`` of its first current committee,
    ``until`` its term end). Missing party–company link: people with a current post in a current
    company of the compound (``part_time_member``); people with a current post in a party-side
    organisation or in the compound's community (``instructor`` of its first current company).
    """
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    x2 = fetch_x2(index, as_of)
    linked = {(row["id"], row["link"]) for row in x2 if row["link"] is not None}
    rows = []
    for row in x2:
        if row["link"] is not None or row["lacks"]:  # a linking person's row, or a compound X2 cannot assess
            continue
        compound = ("Compound", row["id"])
        community = index.parent.get(compound)
        side = party_side(index, compound, community, day)
        own = sorted(index.based_in.get(compound, ()))
        party_org = own[0] if own else min(side)
        party = _holders(index, side, day)
        gap = {**row, "label": "Compound"}
        if (row["id"], "party_committee") not in linked:
            committees = index.current_committees(compound, day)
            until = index.attrs[committees[0]].get("term_end")
            residents = {person for building in index.parts.get(compound, ()) if building[0] == "Building"
                         for person in index.residents.get(building, ())}
            rows.extend(_gap_rows(people, {**gap, "reason": NO_PARTY_COMMITTEE_LINK.code}, [
                *((person, "part_time_member", party_org, None) for person in _holders(index, committees, day)),
                *((person, "committee_member", committees[0], until) for person in party & residents)]))
        if (row["id"], "party_company") not in linked:
            companies = index.current_companies(compound, day)
            community_staff = _holders(index, [community] if community else [], day)
            rows.extend(_gap_rows(people, {**gap, "reason": NO_PARTY_COMPANY_LINK.code}, [
                *((person, "part_time_member", party_org, None) for person in _holders(index, companies, day)),
                *((person, "instructor", companies[0], None) for person in party | community_staff)]))
    return rows


QUESTION = _candidates("R1", "三方联动候选人", "Candidates for the party–committee–company links", fetch_r1, "Compound",
                       "for each link X2 finds missing in a compound. Missing party–committee link: party members with "
                       "a current post in a current committee of the compound (proposed: `part_time_member` of the "
                       "compound's first party organisation by id, else its community's first), and holders of a current "
                       "party-side post who LIVE_IN one of its buildings (proposed: stand for its first current "
                       "committee by id, with its term end). Missing party–company link: party members with a current "
                       "post in a current company of the compound (proposed: `part_time_member`, as above), and party "
                       "members with a current party-side post or a current post in the compound's Community (proposed: "
                       "`instructor` of its first current company by id)",
                       NO_PARTY_COMMITTEE_LINK, NO_PARTY_COMPANY_LINK,
                       gaps_of="X2",
                       seed='莒南: "全面推行小区党支部与业委会、物业服务企业\'双向进入、交叉任职\'"')
