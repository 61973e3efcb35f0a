"""Candidate questions R1–R6 (建议人选): who already in the ledgers could close each gap.

Each question takes the gaps of another question (its fetch imported, never restated: X2's missing
links, B1, B15, B18, C10's buildings without a 楼长, B13) and looks for people in the right places:
those who live there, serve on its committee or company, or lead a unit of its area. Every fetch
step returns, per gap, one *gap row* (the person and proposal fields ``None``, the lists empty) and
one *candidate row* per (person, proposal)::

    {"label", "id", "name", "community_id", "street_id", "district_id", "reason",   # the gap
     "person_id", "person_name", "phone", "party_member",                          # the person
     "proposal", "org_label", "org_id", "org_name", "until",                       # the post proposed
     "homes": [{building_id, building_name, compound_name}],                       # the evidence
     "posts": [{org_label, org_id, org_name, role}],  # current posts only
     "member_of": [{id, name}]}

The fetch finds people by place; ``assemble_candidates`` applies the rules that hold for every
question, on both backends alike: never a non-member for a post that needs a party member
(``Proposal.needs_member``), never a post the person already holds. Definitions:
docs/definitions.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.schema import PartyOrgKind, Role

from .blindspots import QUESTIONS as BLIND_SPOTS, fetch_b1, fetch_b13, fetch_b15, fetch_b18
from .context import AssembleContext
from .coverage import NO_BUILDING_LEADER, NO_PARTY_ORG, NOT_IN_GROUP, _groups, _header, fetch_c10
from .cross import fetch_x2, party_side, role_zh
from .embedded import GraphIndex
from .question import Question, Reason
from .results import GAP_QUESTIONS, Candidate, CandidateResult, GroupCount, Item, trusted

__all__ = ["fetch_r1", "fetch_r2", "fetch_r3", "fetch_r4", "fetch_r5", "fetch_r6", "assemble_candidates",
           "qualifies", "PROPOSALS", "Proposal", "HEAD_ROLES", "BRANCH_MINIMUM", "GAP_QUESTIONS", "QUESTIONS"]


@dataclass(frozen=True)
class Proposal:
    """A post proposed: its words, the role it is (for "already holds it"), and whether only a
    party member may take it. ``held_anywhere``: holding the role in any organisation counts."""

    zh: str
    en: str
    role: str | None = None
    needs_member: bool = True
    held_anywhere: bool = False


#: Proposal code -> what it is. Codes that are roles are the role's code.
PROPOSALS = {
    "part_time_member": Proposal("兼职委员", "part-time member", Role.PART_TIME_MEMBER.value),
    "committee_member": Proposal("参选业委会委员", "stand for the owner committee", Role.MEMBER.value,
                                 needs_member=False),
    "instructor": Proposal("党建指导员", "party-building instructor", Role.INSTRUCTOR.value),
    PartyOrgKind.BRANCH.value: Proposal("组建小区党支部", "form a compound party branch"),
    PartyOrgKind.JOINT_BRANCH.value: Proposal("组建联合党支部", "form a joint party branch"),
    "central_household": Proposal("党员中心户", "central household", Role.CENTRAL_HOUSEHOLD.value,
                                  held_anywhere=True),
    "building_leader": Proposal("楼长", "building leader", Role.BUILDING_LEADER.value, needs_member=False),
    "join": Proposal("编入党组织", "join a party organisation"),
}
#: R4: the head posts of a resident unit, owner committee or property company (负责人, 书记, 主任, 经理).
HEAD_ROLES = frozenset({Role.SECRETARY.value, Role.DIRECTOR.value, Role.PROJECT_MANAGER.value})
#: R2: members living in a compound that make a 党支部 of their own (党章: 正式党员三人以上).
BRANCH_MINIMUM = 3

NO_PARTY_COMMITTEE_LINK = Reason("no_party_committee_link", "党组织与业委会无交叉任职",
                                 "no party–committee link")
NO_PARTY_COMPANY_LINK = Reason("no_party_company_link", "党组织与物业无交叉任职", "no party–company link")
_B = {question.code: question for question in BLIND_SPOTS}
_GAP_KEYS = ("label", "id", "name", "community_id", "street_id", "district_id", "reason")
_NO_CANDIDATE = {"person_id": None, "person_name": None, "phone": None, "party_member": False,
                 "proposal": None, "org_label": None, "org_id": None, "org_name": None, "until": None,
                 "homes": [], "posts": [], "member_of": []}


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


def fetch_r3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R3 rows, for each B15 党小组: its members and the people who live in a building it is
    BASED_IN (``central_household`` in the group)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    rows = []
    for gap in fetch_b15(index, as_of):
        group = ("PartyOrg", gap["id"])
        found = set(index.members.get(group, ()))
        found.update(person for base in index.bases.get(group, ()) if base[0] == "Building"
                     for person in index.residents.get(base, ()))
        rows.extend(_gap_rows(people, gap, [(person, "central_household", group, None) for person in found]))
    return rows


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


def fetch_r5(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R5 rows, for each building C10 does not count (``no_building_leader``): the people who live
    in it (``building_leader`` of it)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    rows = []
    for row in fetch_c10(index, as_of):
        if row["covered"]:
            continue
        building = ("Building", row["id"])
        gap = {**row, "label": "Building", "reason": NO_BUILDING_LEADER.code}
        rows.extend(_gap_rows(people, gap, [(person, "building_leader", building, None)
                                                for person in index.residents.get(building, ())]))
    return rows


def fetch_r6(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """R6 rows, for each B13 party member: the party organisations BASED_IN the nearest place
    where they live that has one — a Building they LIVE_IN, else its Compound, else a Grid that
    COVERS the building or its compound (``join`` each)."""
    day = dt.date.fromisoformat(as_of)
    people = _People(index, day)
    rows = []
    for gap in fetch_b13(index, as_of):
        person = ("Person", gap["id"])
        homes = index.lives_in.get(person, ())
        compounds = {index.parent[home] for home in homes if home in index.parent}
        levels = (homes, compounds, {grid for place in (*homes, *compounds) for grid in index.covered_by.get(place, ())})
        orgs = next(({org for place in places for org in index.based_in.get(place, ())}
                     for places in levels if any(place in index.based_in for place in places)), set())
        rows.extend(_gap_rows(people, gap, [(person, "join", org, None) for org in orgs]))
    return rows


def _holders(index: GraphIndex, orgs, day: dt.date) -> set[NodeKey]:
    return {person for org in orgs for person, _ in index.current_posts_in(org, day)}


def _residents(index: GraphIndex, compound: NodeKey) -> set[NodeKey]:
    return {person for building in index.parts.get(compound, ()) if building[0] == "Building"
            for person in index.residents.get(building, ())}


class _People:
    """Who a person is and the evidence for them, worked out once per person and fetch (a community
    cadre is a candidate for many compounds); the lists are shared between rows, never mutated."""

    def __init__(self, index: GraphIndex, day: dt.date):
        self.index, self.day, self._seen = index, day, {}

    def __call__(self, person: NodeKey) -> dict[str, Any]:
        found = self._seen.get(person)
        if found is None:
            index, attrs = self.index, self.index.attrs
            node = attrs[person]
            self._seen[person] = found = {
                "person_id": person[1], "person_name": node["name"], "phone": node.get("phone"),
                "party_member": bool(node.get("party_member")),
                "homes": [{"building_id": home[1], "building_name": attrs[home]["name"],
                           "compound_name": attrs[index.parent[home]]["name"] if home in index.parent else None}
                          for home in index.lives_in.get(person, ())],
                "posts": [{"org_label": held[0], "org_id": held[1], "org_name": attrs[held]["name"],
                           "role": post["role"]} for held, post in index.current_posts_of(person, self.day)],
                "member_of": [{"id": org[1], "name": attrs[org]["name"]} for org in index.member_of.get(person, ())]}
        return found


def _gap_rows(people: _People, gap: dict[str, Any], candidates) -> list[dict[str, Any]]:
    """The gap row, then one row per ``(person, proposal, org, until)`` with the person's evidence."""
    base = {key: gap[key] for key in _GAP_KEYS}
    rows = [{**base, **_NO_CANDIDATE}]
    attrs = people.index.attrs
    for person, proposal, org, until in candidates:
        rows.append({**base, **people(person), "proposal": proposal,
                     "org_label": org[0] if org else None, "org_id": org[1] if org else None,
                     "org_name": attrs[org]["name"] if org else None,
                     "until": until.isoformat() if until else None})
    return rows


# -- assembling ---------------------------------------------------------------------------------
def qualifies(row: dict[str, Any]) -> bool:
    """The rules of every candidate: a party member where the post needs one, and not a post the
    person already holds (the same role in the same organisation; for a 党员中心户, anywhere)."""
    proposal = PROPOSALS[row["proposal"]]
    if proposal.needs_member and not row["party_member"]:
        return False
    return not any(post["role"] == proposal.role
                   and (proposal.held_anywhere or (post["org_label"], post["org_id"]) == (row["org_label"], row["org_id"]))
                   for post in row["posts"])


def assemble_candidates(rows: list[dict[str, Any]], ctx: AssembleContext) -> CandidateResult:
    """The candidates of every gap in scope, party members first, then those with the fewest
    current posts; and the gaps left with no candidate."""
    question = ctx.question
    gaps: dict[tuple, tuple[dict, Any]] = {}
    for row in rows:
        if row["person_id"] is None and ctx.in_scope(place := ctx.place(row)):
            gaps[(row["label"], row["id"], row["reason"])] = (row, place)
    chosen: dict[tuple, Candidate] = {}
    words: dict[str, dict[str, Any]] = {}
    for row in rows:
        gap = (row["label"], row["id"], row["reason"])
        if row["person_id"] is None or gap not in gaps or not qualifies(row):
            continue
        key = (*gap, row["person_id"], row["proposal"], row["org_label"], row["org_id"])
        if key not in chosen:
            if row["person_id"] not in words:
                words[row["person_id"]] = _evidence_words(row)
            chosen[key] = _candidate(row, gaps[gap][1], question, words[row["person_id"]])
    reason_order = {reason.code: i for i, reason in enumerate(question.reasons)}
    items = sorted(chosen.values(), key=lambda c: (
        c.street_id or "", c.community_id or "", c.gap_label, c.gap_id, reason_order[c.reason],
        not c.party_member, c.post_count, c.person_id, c.proposal, c.org_id or ""))
    filled = {(c.gap_label, c.gap_id, c.reason) for c in items}
    unfilled = [trusted(Item, {**place.located, "label": row["label"], "id": row["id"], "name": row["name"],
                               "reason": row["reason"], "reason_zh": question.reason(row["reason"]).zh,
                               "detail": None})
                for key, (row, place) in gaps.items() if key not in filled]
    unfilled.sort(key=lambda item: (item.street_id or "", item.community_id or "", item.label, item.id,
                                    reason_order[item.reason]))
    counted = Counter(ctx.group_of(place) for _, place in gaps.values())
    with_candidates = Counter(ctx.group_of(gaps[(c.gap_label, c.gap_id, c.reason)][1]) for c in items)
    groups = [GroupCount(id=group, name=name, count=with_candidates[group]) for group, name in _groups(ctx, counted)]
    return CandidateResult(**_header(ctx), items=items, unfilled=unfilled, groups=groups)


def _evidence_words(row: dict[str, Any]) -> dict[str, Any]:
    """A candidate's evidence in words: where they live, their current posts, their organisations."""
    homes = sorted(row["homes"], key=lambda home: home["building_id"])
    posts = sorted(row["posts"], key=lambda post: (post["org_label"], post["org_id"], post["role"]))
    return {"lives_in": "、".join(f"{home['compound_name'] or ''}{home['building_name']}" for home in homes),
            "current_posts": "；".join(f"{post['org_name']}{role_zh(post['role'])}" for post in posts),
            "current_posts_en": "; ".join(f"{post['org_name']} ({post['role'].replace('_', ' ')})" for post in posts),
            "party_orgs": "、".join(org["name"] for org in sorted(row["member_of"], key=lambda org: org["id"])),
            "post_count": len(posts)}


def _candidate(row: dict[str, Any], place, question: Question, words: dict[str, Any]) -> Candidate:
    until = row["until"]
    return trusted(Candidate, {
        **place.located, "gap_question": GAP_QUESTIONS[question.code], "gap_label": row["label"],
        "gap_id": row["id"], "gap_name": row["name"], "reason": row["reason"],
        "reason_zh": question.reason(row["reason"]).zh, "person_id": row["person_id"],
        "person_name": row["person_name"], "phone": row["phone"], "party_member": bool(row["party_member"]),
        "proposal": row["proposal"], "proposal_zh": PROPOSALS[row["proposal"]].zh,
        "org_label": row["org_label"], "org_id": row["org_id"], "org_name": row["org_name"],
        "until": dt.date.fromisoformat(until) if isinstance(until, str) else until, **words})


# -- the questions ------------------------------------------------------------------------------
#: Candidate question -> the question whose gaps it answers.


def _candidates(code: str, zh: str, en: str, fetch, counted: str, rule: str, *reasons: Reason, seed: str) -> Question:
    return Question(code=code, fetch=fetch, title_zh=zh, title_en=en, kind="candidates",
                    assemble=assemble_candidates, result_type=CandidateResult, counted=counted, rule=rule,
                    reasons=reasons, seed=seed)


QUESTIONS = (
    _candidates("R1", "三方联动候选人", "Candidates for the party–committee–company links", fetch_r1, "Compound",
                "for each link X2 finds missing in a compound. Missing party–committee link: party members with "
                "a current post in a current committee of the compound (proposed: `part_time_member` of the "
                "compound's first party organisation by id, else its community's first), and holders of a current "
                "party-side post who LIVE_IN one of its buildings (proposed: stand for its first current "
                "committee by id, with its term end). Missing party–company link: party members with a current "
                "post in a current company of the compound (proposed: `part_time_member`, as above), and party "
                "members with a current party-side post or a current post in the compound's Community (proposed: "
                "`instructor` of its first current company by id)",
                NO_PARTY_COMMITTEE_LINK, NO_PARTY_COMPANY_LINK,
                seed='莒南: "全面推行小区党支部与业委会、物业服务企业\'双向进入、交叉任职\'"'),
    _candidates("R2", "组建党组织", "Who could form the missing party organisation", fetch_r2, "Compound",
                "for each B1 compound: the party members who LIVE_IN one of its buildings. With "
                f"{BRANCH_MINIMUM} or more the proposal is a `branch` (党支部) of their own; with fewer, a "
                "`joint_branch` (联合党支部) with the other compound of the same community that has the fewest "
                "party members living in it (a tie: the first by id), named",
                NO_PARTY_ORG.where("as B1"),
                seed='莒南: "选派62名经验丰富的老干部担任小区党支部书记" (who could lead a new branch)'),
    _candidates("R3", "党员中心户人选", "Candidates for central household", fetch_r3, "PartyOrg",
                "for each B15 党小组: party members who are its members or LIVE_IN a Building it is BASED_IN and "
                "hold no current `central_household` post anywhere",
                _B["B15"].reasons[0], seed='阳泉: 518 households chosen as 党员中心户'),
    _candidates("R4", "兼职委员人选", "Candidates for part-time members of the big committees", fetch_r4,
                "PartyOrg",
                "for each B18 大党委/大工委: party members with a current post of role "
                f"{', '.join(f'`{role}`' for role in sorted(HEAD_ROLES))} in a ResidentUnit REGISTERED_WITH, a "
                "current OwnerCommittee REPRESENTING a compound of, or a PropertyCompany with a current MANAGES "
                "into a compound of, a community of its area (the communities it is BASED_IN; for a 大工委, "
                "those of its streets); proposed: `part_time_member` of it",
                _B["B18"].reasons[0],
                seed='阳泉: "109个驻区单位、业委会、物业公司负责人" as 兼职委员; 新源: 业委会 directors in the community 党总支'),
    _candidates("R5", "楼长人选", "Candidates for building leader", fetch_r5, "Building",
                "for each Building C10 does not count: the people who LIVE_IN it, party members first, then "
                "those with the fewest current posts",
                NO_BUILDING_LEADER.where("not counted in C10"),
                seed="莒南: 楼长单元长 (who lives in the building)"),
    _candidates("R6", "党员入组去向", "Where members in no organisation could join", fetch_r6, "Person",
                "for each B13 party member: the PartyOrgs BASED_IN the nearest place they live that has one — a "
                "Building they LIVE_IN, else its Compound, else a Grid that COVERS the building or its compound",
                NOT_IN_GROUP.where("as B13"), seed="no seed figure: every member in an organisation (党员入组)"),
)
