"""Cross-appointment questions (X…): who holds posts in several organisations, and where that
links — or compromises — the party organisation, owner committee and property company of a compound.

Fetch steps return flat rows (shapes in each docstring); the places are ids (``community_id``,
``street_id``, ``district_id``, lowest known level required). A person is in a scope when any of
the listed posts is in an organisation in that scope, and takes the place of the first such
organisation (by label, then id). Definitions: docs/definitions.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.rules import CROSS_APPOINTMENT_LABELS, MANY_POSTS_DEFAULT
from graphmodel.schema import PART_TIME_ROLES, PartyOrgKind, role_zh as _uncached_role_zh

from .context import AssembleContext
from .coverage import _groups, _header, compound_party_orgs
from .embedded import GraphIndex, is_current_committee
from .question import Parameter, Question, Reason
from .results import (CommitteeMembers, ConcentrationResult, Conflict, ConflictResult,
                      CrossAppointmentResult, GroupCount, GroupRate, Item, Linkage, LinkageResult, PartTimeMember,
                      PartTimeResult, PartTimeSource, PersonPosts, PersonRef, Post, LISTING_REASONS, trusted)

__all__ = ["post_rows", "people_posts", "fetch_x1", "fetch_x2", "fetch_x3", "fetch_x4", "fetch_x5", "party_side", "assemble_cross_appointments",
           "assemble_linkage", "assemble_part_time", "assemble_conflicts", "assemble_concentration",
           "ORGANISATION_KINDS", "BIG_COMMITTEE_AREAS", "LINKAGE_SIDES", "QUESTIONS"]

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


def fetch_x1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """X1 rows: every current post of each person whose current posts reach ≥2 organisation kinds.

    Row (a "post row", shared with X5): ``{person_id, person_name, phone, org_label, org_id,
    org_name, role, part_time, start, end, community_id, street_id, district_id}`` — dates ISO or
    ``None``, the place is the organisation's.
    """
    day = dt.date.fromisoformat(as_of)
    return post_rows(index, day, lambda posts: len(posts) >= 2
                      and len({org[0] for org, _ in posts} & _ORGANISATION_KIND_SET) >= 2)


def fetch_x5(index: GraphIndex, as_of: str, n: int) -> list[dict[str, Any]]:
    """X5 rows: every current post (post rows, as X1) of each person with more than ``n`` current posts."""
    day = dt.date.fromisoformat(as_of)
    return post_rows(index, day, lambda posts: len(posts) > n)


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


def party_side(index: GraphIndex, compound: NodeKey, community: NodeKey | None, day: dt.date) -> list[NodeKey]:
    """X2's party side of a compound: its own party organisations (C1's: BASED_IN it or in its
    current owner committee) and those BASED_IN its community."""
    own = compound_party_orgs(index, compound, day)
    if community is None or community[0] != "Community":
        return own
    return [*own, *index.based_in.get(community, [])]


def fetch_x3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """X3 rows for each 大党委 and 大工委: a PartyOrg of kind 党委 or 党总支 BASED_IN a Community, or
    of kind 党工委 BASED_IN a Street, placed in the first such area by id.

    One committee row ``{id, name, community_id, street_id, district_id, person_id: None,
    person_name: None, phone: None, role: None, source_label: None, source_id: None,
    source_name: None, source_role: None}``, plus for each part-time member (a current post in it
    with role 兼职委员 or 兼职副书记, or ``part_time`` true) one row per current post of theirs in
    another organisation (``source_*``), or one row with ``source_*`` ``None`` when they hold none.
    ``role`` is the member's post in the committee.
    """
    day = dt.date.fromisoformat(as_of)
    rows = []
    empty_source = {"source_label": None, "source_id": None, "source_name": None, "source_role": None}
    for key, attrs in index.nodes("PartyOrg"):
        area_label = BIG_COMMITTEE_AREAS.get(attrs["kind"])
        areas = [target for target in index.bases.get(key, ()) if target[0] == area_label]
        if not areas:
            continue
        base = {"id": key[1], "name": attrs["name"], **index.place_fields(areas[0], day)}
        rows.append({**base, "person_id": None, "person_name": None, "phone": None, "role": None,
                     **empty_source})
        for person, props in index.current_posts_in(key, day):
            if props["role"] not in PART_TIME_ROLES and not props.get("part_time"):
                continue
            node = index.attrs[person]
            member = {**base, "person_id": person[1], "person_name": node["name"],
                      "phone": node.get("phone"), "role": props["role"]}
            sources = [(org, other) for org, other in index.current_posts_of(person, day) if org != key]
            rows.extend({**member, "source_label": org[0], "source_id": org[1],
                         "source_name": index.attrs[org]["name"], "source_role": other["role"]}
                        for org, other in sources)
            if not sources:
                rows.append({**member, **empty_source})
    return rows


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


QUESTIONS = (
    _cross("X1", "交叉任职人员", "People with cross-appointments", fetch_x1, assemble_cross_appointments,
           CrossAppointmentResult, "people whose current posts reach ≥2 of those kinds; every current post listed",
           ("cross_appointed",),
           seed="交叉任职: people serving the party organisation, the committee and the company at once"),
    _cross("X2", "三方联动", "Party–committee–company linkage", fetch_x2, assemble_linkage, LinkageResult,
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
           seed="新源社区's 三方交叉任职; 莒南's 双向进入 across all 148 compounds (the rate)"),
    _cross("X3", "兼职委员", "Part-time members of street and community party committees", fetch_x3,
           assemble_part_time, PartTimeResult,
           "for each PartyOrg of kind `committee` or `general_branch` BASED_IN a Community (大党委) or of kind "
           "`working_committee` BASED_IN a Street (大工委), placed in the first such area by id: the people "
           "with a current post in it whose role is `part_time_member` or `part_time_deputy_secretary` or "
           "whose `part_time` is true, each with the organisations of their other current posts",
           ("serves_part_time",),
           seed="大党委/大工委: the 业委会 director as 兼职委员 of the community 党总支 (新源社区)"),
    _cross("X4", "利益冲突", "Conflicts of interest", fetch_x4, assemble_conflicts, ConflictResult,
           "a person with a current post in a current OwnerCommittee that REPRESENTS compound c and a "
           "current post in a PropertyCompany with a current MANAGES into c; one row per (person, compound)",
           ("conflict_of_interest",),
           seed="the committee supervises the company: one person on both sides of one compound"),
    _cross("X5", "职务集中", "People with many posts", fetch_x5, assemble_concentration, ConcentrationResult,
           "people with more than N current posts (HOLDS relationships)", ("many_posts",),
           n=Parameter(MANY_POSTS_DEFAULT, "--max-posts", "count", 0, "list people holding more than N current posts."),
           seed="no seed figure: the load of the few who hold many posts"),
)
