"""R4 兼职委员人选: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...candidates import _candidates, _gap_rows, HEAD_ROLES, _People
from ...embedded import GraphIndex
from ..B18.question import fetch_b18, QUESTION as B18


def fetch_r4(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R4 rows, for each B18 大党委/大工委: the holders of a current head post (``HEAD_ROLES``) in a
    ResidentUnit REGISTERED_WITH, a current OwnerCommittee REPRESENTING a compound of, or a
    PropertyCompany with a current MANAGES into a compound of, a community of its area (the
    communities it is BASED_IN; for a 大工委 those PART_OF the streets it is BASED_IN)
    (``part_time_member`` of it)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    rows = []
    for gap in fetch_b18(index, as_of):
        committee = ("PartyOrg", gap["id"])
        communities = {area for area in index.bases.get(committee, ()) if area[0] == "Community"}
        communities.update(part for area in index.bases.get(committee, ()) if area[0] == "Street"
                           for part in index.parts.get(area, ()) if part[0] == "Community")
        orgs = set()
        for community in communities:
            orgs.update(unit for unit in index.registered.get(community, ()) if unit[0] == "ResidentUnit")
            for compound in index.parts.get(community, ()):
                if compound[0] == "Compound":
                    orgs.update(index.current_committees(compound, day))
                    orgs.update(index.current_companies(compound, day))
        heads = {person for org in orgs for person, post in index.current_posts_in(org, day)
                 if post["role"] in HEAD_ROLES}
        rows.extend(_gap_rows(people, gap, [(person, "part_time_member", committee, None) for person in heads]))
    return rows


QUESTION = _candidates("R4", "兼职委员人选", "Candidates for part-time members of the big committees", fetch_r4,
                       "PartyOrg",
                       "for each B18 大党委/大工委: party members with a current post of role "
                       f"{', '.join(f'`{role}`' for role in sorted(HEAD_ROLES))} in a ResidentUnit REGISTERED_WITH, a "
                       "current OwnerCommittee REPRESENTING a compound of, or a PropertyCompany with a current MANAGES "
                       "into a compound of, a community of its area (the communities it is BASED_IN; for a 大工委, "
                       "those of its streets); proposed: `part_time_member` of it",
                       B18.reasons[0],
                       gaps_of="B18",
                       seed='阳泉: "109个驻区单位、业委会、物业公司负责人" as 兼职委员; 新源: 业委会 directors in the community 党总支')
