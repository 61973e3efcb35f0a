"""Candidate questions R1–R6 (建议人选): who already in the ledgers could close each gap.

The library of the candidate questions (``queries/questions/R1/`` …). Each question takes the gaps
of another question (its fetch imported from that question's folder, never restated: X2's missing
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

from .context import AssembleContext
from .coverage import _groups, _header
from .cross import role_zh
from .embedded import GraphIndex
from .question import Question, Reason
from .results import Candidate, CandidateResult, GroupCount, Item, trusted

__all__ = ["assemble_candidates", "qualifies", "PROPOSALS", "Proposal", "HEAD_ROLES", "BRANCH_MINIMUM"]


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
_GAP_KEYS = ("label", "id", "name", "community_id", "street_id", "district_id", "reason")
_NO_CANDIDATE = {"person_id": None, "person_name": None, "phone": None, "party_member": False,
                 "proposal": None, "org_label": None, "org_id": None, "org_name": None, "until": None,
                 "homes": [], "posts": [], "member_of": []}


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
    return CandidateResult(**_header(ctx), gap_question=question.gaps_of, items=items, unfilled=unfilled,
                           groups=groups)


def _evidence_words(row: dict[str, Any]) -> dict[str, Any]:
    """A candidate's evidence in words: where they live, their current posts, their organisations."""
    homes = sorted(row["homes"], key=lambda home: home["building_id"])
    posts = sorted(row["posts"], key=lambda post: (post["org_label"], post["org_id"], post["role"]))
    return {"lives_in": "、".join(f"{home['compound_name'] or ''}{home['building_name']}" for home in homes),
            "current_posts_zh": "；".join(f"{post['org_name']}{role_zh(post['role'])}" for post in posts),
            "current_posts_en": "; ".join(f"{post['org_name']} ({post['role'].replace('_', ' ')})" for post in posts),
            "party_orgs": "、".join(org["name"] for org in sorted(row["member_of"], key=lambda org: org["id"])),
            "post_count": len(posts)}


def _candidate(row: dict[str, Any], place, question: Question, words: dict[str, Any]) -> Candidate:
    until = row["until"]
    return trusted(Candidate, {
        **place.located, "gap_question": question.gaps_of, "gap_label": row["label"],
        "gap_id": row["id"], "gap_name": row["name"], "reason": row["reason"],
        "reason_zh": question.reason(row["reason"]).zh, "person_id": row["person_id"],
        "person_name": row["person_name"], "phone": row["phone"], "party_member": bool(row["party_member"]),
        "proposal": row["proposal"], "proposal_zh": PROPOSALS[row["proposal"]].zh,
        "org_label": row["org_label"], "org_id": row["org_id"], "org_name": row["org_name"],
        "until": dt.date.fromisoformat(until) if isinstance(until, str) else until, **words})


# -- the questions ------------------------------------------------------------------------------


def _candidates(code: str, zh: str, en: str, fetch, counted: str, rule: str, *reasons: Reason, gaps_of: str,
                seed: str) -> Question:
    return Question(code=code, fetch=fetch, title_zh=zh, title_en=en, kind="candidates",
                    assemble=assemble_candidates, result_type=CandidateResult, counted=counted, rule=rule,
                    reasons=reasons, gaps_of=gaps_of, seed=seed)
