"""R2 组建党组织: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.schema import PartyOrgKind

from ...candidates import BRANCH_MINIMUM, _candidates, _gap_rows, _People, _residents
from ...coverage import NO_PARTY_ORG
from ...embedded import GraphIndex
from ..B1.question import fetch_b1


def fetch_r2(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R2 rows, for each B1 compound: everyone who LIVES_IN one of its buildings. With
    ``BRANCH_MINIMUM`` or more party members living there the proposal is ``branch`` (in the
    compound), else ``joint_branch`` with the other compound of its community that has the fewest
    party members living in it (ties: the first by id; none: no organisation named)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    counts: dict[NodeKey, int] = {}

    def members_living_in(compound: NodeKey) -> int:
        if compound not in counts:
            counts[compound] = sum(1 for person in _residents(index, compound)
                                   if index.attrs[person].get("party_member"))
        return counts[compound]

    rows = []
    for gap in fetch_b1(index, as_of):
        compound = ("Compound", gap["id"])
        residents = _residents(index, compound)
        if members_living_in(compound) >= BRANCH_MINIMUM:
            proposal, org = PartyOrgKind.BRANCH.value, compound
        else:
            community = index.parent.get(compound)
            neighbours = [other for other in index.parts.get(community, ()) if other[0] == "Compound"
                          and other != compound] if community else []
            proposal = PartyOrgKind.JOINT_BRANCH.value
            org = min(neighbours, key=lambda other: (members_living_in(other), other[1]), default=None)
        rows.extend(_gap_rows(people, gap, [(person, proposal, org, None) for person in residents]))
    return rows


QUESTION = _candidates("R2", "组建党组织", "Who could form the missing party organisation", fetch_r2, "Compound",
                       "for each B1 compound: the party members who LIVE_IN one of its buildings. With "
                       f"{BRANCH_MINIMUM} or more the proposal is a `branch` (党支部) of their own; with fewer, a "
                       "`joint_branch` (联合党支部) with the other compound of the same community that has the fewest "
                       "party members living in it (a tie: the first by id), named",
                       NO_PARTY_ORG.where("as B1"),
                       gaps_of="B1",
                       seed='莒南: "选派62名经验丰富的老干部担任小区党支部书记" (who could lead a new branch)')
