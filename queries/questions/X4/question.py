"""X4 利益冲突: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...cross import assemble_conflicts, _cross
from ...embedded import GraphIndex, is_current_committee
from ...results import ConflictResult


def fetch_x4(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """X4 rows: one per (person, compound, committee post, company post) where the person holds a
    current post in a current OwnerCommittee REPRESENTING the compound and a current post in a
    PropertyCompany with a current MANAGES into it.

    Row: ``{person_id, person_name, phone, compound_id, compound_name, community_id, street_id,
    district_id, committee_id, committee_name, committee_role, company_id, company_name,
    company_role}`` — the place is the compound's.
    """
    day = dt.date.fromisoformat(as_of)
    rows = []
    for committee, attrs in index.nodes("OwnerCommittee"):
        if not is_current_committee(attrs, day):
            continue
        for compound in index.represents.get(committee, ()):
            companies = set(index.current_companies(compound, day))
            if not companies:
                continue
            place = index.place_fields(compound, day)
            for person, committee_post in index.current_posts_in(committee, day):
                for company, company_post in index.current_posts_of(person, day):
                    if company not in companies:
                        continue
                    node = index.attrs[person]
                    rows.append({"person_id": person[1], "person_name": node["name"], "phone": node.get("phone"),
                                 "compound_id": compound[1], "compound_name": index.attrs[compound]["name"],
                                 **place, "committee_id": committee[1], "committee_name": attrs["name"],
                                 "committee_role": committee_post["role"], "company_id": company[1],
                                 "company_name": index.attrs[company]["name"], "company_role": company_post["role"]})
    return rows


QUESTION = _cross("X4", "利益冲突", "Conflicts of interest", fetch_x4, assemble_conflicts, ConflictResult,
                  "a person with a current post in a current OwnerCommittee that REPRESENTS compound c and a "
                  "current post in a PropertyCompany with a current MANAGES into c; one row per (person, compound)",
                  ("conflict_of_interest",),
                  seed="the committee supervises the company: one person on both sides of one compound")
