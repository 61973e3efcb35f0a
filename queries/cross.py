"""Cross-appointment questions (X…): who holds posts in several organisations, and where that
links — or compromises — the party organisation, owner committee and property company of a compound.

The library of the cross-appointment questions (``queries/questions/X1/`` …): their assembly and
what their fetches share. Fetch steps return flat rows (shapes in each docstring); the places are
ids (``community_id``, ``street_id``, ``district_id``, lowest known level required). A person is
in a scope when any of the listed posts is in an organisation in that scope, and takes the place
of the first such organisation (by label, then id). Definitions: docs/definitions.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.rules import CROSS_APPOINTMENT_LABELS
from graphmodel.schema import PartyOrgKind, role_zh as _uncached_role_zh

from .context import AssembleContext
from .coverage import _groups, _header, compound_party_orgs
from .embedded import GraphIndex
from .question import Parameter, Question, Reason
from .results import (CommitteeMembers, ConcentrationResult, Conflict, ConflictResult,
                      CrossAppointmentResult, GroupCount, GroupRate, Item, Linkage, LinkageResult, PartTimeMember,
                      PartTimeResult, PartTimeSource, PersonPosts, PersonRef, Post, LISTING_REASONS, trusted)

__all__ = ["post_rows", "people_posts", "party_side", "assemble_cross_appointments", "assemble_linkage",
           "assemble_part_time", "assemble_conflicts", "assemble_concentration", "ORGANISATION_KINDS",
           "BIG_COMMITTEE_AREAS", "LINKAGE_SIDES"]

ORGANISATION_KINDS = CROSS_APPOINTMENT_LABELS
#: X3's 大党委 and 大工委: party organisation kind -> the label of the area it must be BASED_IN.
BIG_COMMITTEE_AREAS = {PartyOrgKind.COMMITTEE.value: "Community", PartyOrgKind.GENERAL_BRANCH.value: "Community",
                       PartyOrgKind.WORKING_COMMITTEE.value: "Street"}
role_zh = lru_cache(maxsize=None)(_uncached_role_zh)  # roles repeat; unknown ones are slow to look up
_ORGANISATION_KIND_SET = frozenset(ORGANISATION_KINDS)
#: Why X2 cannot assess a compound, one reason per side it lacks, in this order (its ``lacks``).
LINKAGE_SIDES = (Reason("no_party_side", "无党组织(含业委会、社区党组织)", "no party side",
                        "no PartyOrg on its party side"),
                 Reason("no_committee", "无业委会(物管会、自管会)", "no owner committee",
                        "no current OwnerCommittee of any kind REPRESENTS it"),
                 Reason("no_company", "无物业服务合同", "no property company", "no current MANAGES into it"))


def party_side(index: GraphIndex, compound: NodeKey, community: NodeKey | None, day: dt.date) -> list[NodeKey]:
    """X2's party side of a compound: its own party organisations (C1's: BASED_IN it or in its
    current owner committee) and those BASED_IN its community."""
    own = compound_party_orgs(index, compound, day)
    if community is None or community[0] != "Community":
        return own
    return [*own, *index.based_in.get(community, [])]


def assemble_cross_appointments(rows: list[dict[str, Any]], ctx: AssembleContext) -> CrossAppointmentResult:
    """X1: people in scope with the organisation kinds their posts reach and every post."""
    people = people_posts(rows, ctx, with_kinds=True)
    return CrossAppointmentResult(**_header(ctx), people=people, groups=_group_counts(ctx, people))


def assemble_concentration(rows: list[dict[str, Any]], ctx: AssembleContext) -> ConcentrationResult:
    """X5: people in scope with more than ``n`` current posts, each with every post."""
    people = people_posts(rows, ctx, with_kinds=False)
    return ConcentrationResult(**_header(ctx), n=ctx.params["n"], people=people,
                               groups=_group_counts(ctx, people))


def assemble_linkage(rows: list[dict[str, Any]], ctx: AssembleContext) -> LinkageResult:
    """X2: each assessed compound's status — ``complete`` (both links), ``partial`` (one) or
    ``none``; the rate complete / every compound in scope; the compounds not assessed, one item
    per side they lack."""
    linkers: dict[str, dict[str, list[PersonRef]]] = defaultdict(lambda: defaultdict(list))
    compounds, unassessed = [], []
    counted, complete = Counter(), Counter()
    for row in rows:
        if row["link"] is not None:
            linkers[row["id"]][row["link"]].append(
                trusted(PersonRef, {"id": row["person_id"], "name": row["person_name"], "phone": row["phone"]}))
    for row in rows:
        place = ctx.place(row)
        if row["link"] is not None or not ctx.in_scope(place):
            continue
        group = ctx.group_of(place)
        counted[group] += 1
        if row["lacks"]:
            unassessed.extend(trusted(Item, {**place.located, "label": "Compound", "id": row["id"], "name": row["name"],
                                             "reason": side, "reason_zh": ctx.question.reason(side).zh,
                                             "detail": None})
                              for side in row["lacks"])
            continue
        links = linkers[row["id"]]
        committee = sorted(links["party_committee"], key=lambda p: p.id)
        company = sorted(links["party_company"], key=lambda p: p.id)
        status = "complete" if committee and company else "partial" if committee or company else "none"
        complete[group] += status == "complete"
        compounds.append(trusted(Linkage, {
            **place.located, "id": row["id"], "name": row["name"], "status": status,
            "party_committee": bool(committee), "party_company": bool(company),
            "party_committee_people": committee, "party_company_people": company}))
    compounds.sort(key=_place_order)
    unassessed.sort(key=_place_order)  # stable: a compound's sides stay in LINKAGE_SIDES order
    counts = {status: 0 for status in ("complete", "partial", "none")}
    counts.update(Counter(linkage.status for linkage in compounds))
    return LinkageResult(**_header(ctx), compounds=compounds, counts=counts,
                         groups=_group_counts(ctx, compounds), numerator=sum(complete.values()),
                         denominator=sum(counted.values()), unassessed=unassessed,
                         rate_groups=[GroupRate(id=group, name=name, numerator=complete[group],
                                                denominator=counted[group]) for group, name in _groups(ctx, counted)])


def assemble_part_time(rows: list[dict[str, Any]], ctx: AssembleContext) -> PartTimeResult:
    """X3: each community party committee in scope with its part-time members and where they come from."""
    members: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        if row["person_id"] is None:
            continue
        member = members[row["id"]].setdefault(row["person_id"], {"row": row, "roles": set(), "sources": set()})
        member["roles"].add(row["role"])
        if row["source_id"] is not None:
            member["sources"].add((row["source_label"], row["source_id"], row["source_name"], row["source_role"]))
    committees = []
    for row in rows:
        if row["person_id"] is not None or not ctx.in_scope(place := ctx.place(row)):
            continue
        people = [trusted(PartTimeMember, {
            "person_id": person_id, "name": m["row"]["person_name"], "phone": m["row"]["phone"],
            "role": min(m["roles"]), "role_zh": role_zh(min(m["roles"])),
            "sources": [trusted(PartTimeSource, {"org_label": label, "org_id": org_id, "org_name": name,
                                                 "role": role, "role_zh": role_zh(role)})
                        for label, org_id, name, role in sorted(m["sources"])]})
            for person_id, m in sorted(members.get(row["id"], {}).items())]
        committees.append(trusted(CommitteeMembers, {**place.located, "id": row["id"], "name": row["name"],
                                                     "members": people}))
    committees.sort(key=_place_order)
    return PartTimeResult(**_header(ctx), committees=committees, groups=_group_counts(ctx, committees))


def assemble_conflicts(rows: list[dict[str, Any]], ctx: AssembleContext) -> ConflictResult:
    """X4: one entry per (person, compound, committee, company) in scope, roles joined with 、."""
    merged: dict[tuple, dict] = {}
    for row in rows:
        place = ctx.place(row)
        if not ctx.in_scope(place):
            continue
        key = (row["person_id"], row["compound_id"], row["committee_id"], row["company_id"])
        entry = merged.setdefault(key, {"row": row, "place": place, "committee": set(), "company": set()})
        entry["committee"].add(row["committee_role"])
        entry["company"].add(row["company_role"])
    conflicts = []
    for entry in merged.values():
        row = entry["row"]
        fields = {name: row[name] for name in ("person_id", "person_name", "phone", "compound_id",
                                               "compound_name", "committee_id", "committee_name",
                                               "company_id", "company_name")}
        conflicts.append(Conflict(**fields, **entry["place"].located,
                                  committee_role_zh=_roles_zh(entry["committee"]),
                                  company_role_zh=_roles_zh(entry["company"])))
    conflicts.sort(key=lambda c: (c.street_id or "", c.community_id or "", c.compound_id, c.person_id,
                                  c.committee_id, c.company_id))
    return ConflictResult(**_header(ctx), conflicts=conflicts, groups=_group_counts(ctx, conflicts))


# -- helpers ------------------------------------------------------------------------------------
def post_rows(index: GraphIndex, day: dt.date, keep) -> list[dict[str, Any]]:
    attrs_of, place_fields = index.attrs, index.place_fields
    rows = []
    for person, current in index.people_with_current_posts(day).items():
        if not keep(current):
            continue
        node = attrs_of[person]
        person_id, name, phone = person[1], node["name"], node.get("phone")
        for org, props in current:
            rows.append({"person_id": person_id, "person_name": name, "phone": phone,
                         "org_label": org[0], "org_id": org[1], "org_name": attrs_of[org]["name"],
                         "role": props["role"], "part_time": bool(props.get("part_time")),
                         "start": _iso(props.get("start")), "end": _iso(props.get("end")),
                         **place_fields(org, day)})
    return rows


def _holders(index: GraphIndex, orgs, day: dt.date) -> set[NodeKey]:
    return {person for org in orgs for person, _ in index.current_posts_in(org, day)}


def people_posts(rows: list[dict[str, Any]], ctx: AssembleContext, *, with_kinds: bool) -> list[PersonPosts]:
    posts: dict[str, list[tuple[dict, Any]]] = defaultdict(list)
    for row in rows:
        posts[row["person_id"]].append((row, ctx.place(row)))
    people = []
    for person_id, held in posts.items():
        held.sort(key=lambda pair: (pair[0]["org_label"], pair[0]["org_id"], pair[0]["role"]))
        home = next((place for _, place in held if ctx.in_scope(place)), None)
        if home is None:
            continue
        first = held[0][0]
        kinds = sorted({row["org_label"] for row, _ in held} & _ORGANISATION_KIND_SET) if with_kinds else []
        people.append(trusted(PersonPosts, {
            **home.located, "person_id": person_id, "name": first["person_name"], "phone": first["phone"],
            "kinds": kinds, "posts": [_post(row, place) for row, place in held]}))
    people.sort(key=lambda p: (p.street_id or "", p.community_id or "", p.person_id))
    return people


def _post(row: dict[str, Any], place) -> Post:
    return trusted(Post, {**place.located, "org_label": row["org_label"], "org_id": row["org_id"],
                          "org_name": row["org_name"], "role": row["role"], "role_zh": role_zh(row["role"]),
                          "part_time": bool(row["part_time"]), "start": _date(row["start"]),
                          "end": _date(row["end"])})


def _group_counts(ctx: AssembleContext, things: list) -> list[GroupCount]:
    counted = Counter(ctx.group_of(thing) for thing in things)
    return [GroupCount(id=group, name=name, count=counted[group]) for group, name in _groups(ctx, counted)]


def _place_order(thing) -> tuple:
    return (thing.street_id or "", thing.community_id or "", thing.id)


def _roles_zh(roles: set[str]) -> str:
    return "、".join(sorted(role_zh(role) for role in roles))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@lru_cache(maxsize=4096)
def _date(value: str | dt.date | None) -> dt.date | None:
    """A post row's ISO date (a backend may hand back a date) as the date a ``Post`` holds."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# -- the questions ------------------------------------------------------------------------------
def _cross(code: str, zh: str, en: str, fetch, assemble, result_type, rule: str, reasons: tuple[str, ...],
           more_reasons: tuple[Reason, ...] = (), seed: str = "", **parameters: Parameter) -> Question:
    return Question(code=code, fetch=fetch, title_zh=zh, title_en=en, kind="cross", assemble=assemble,
                    result_type=result_type, counted="Person", rule=rule, parameters=parameters, seed=seed,
                    reasons=tuple(Reason(reason, *LISTING_REASONS[reason]) for reason in reasons) + more_reasons)
