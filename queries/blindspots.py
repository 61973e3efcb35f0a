"""Blind-spot questions (B…): the compounds, buildings, grids, companies, organisations and
committees that are missing something, each with a reason code (docs/definitions.md).

Every fetch step returns one row per (thing, reason, detail)::

    {"label": str, "id": str, "name": str, "community_id", "street_id", "district_id",
     "reason": str, "detail": str | None}

(B7 rows also carry ``compound_id``: a company comes once per compound it currently manages, and
takes the place of the first one in scope.) ``assemble_blind_spots`` merges rows of one
(thing, reason) into one item, joining their details, and counts the items by reason and group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.rules import CASE_MONTH_DAYS, MANY_CASES_DEFAULT, POOR_RATINGS, RECENT_CASE_DAYS
from graphmodel.schema import PART_TIME_ROLES, ListKind, OwnerCommitteeKind, PartyOrgKind, RatingResult, Role

from .context import AssembleContext
from .cross import BIG_COMMITTEE_AREAS
from .coverage import (GRID_STAFF, INSTRUCTOR, NO_GRID_WORKER, NO_OWNER_COMMITTEE, NO_PARTY_BRANCH, compound_party_orgs,
                       NO_PARTY_COVERAGE, NO_PARTY_ORG, NO_VENUE, NOT_IN_GROUP, party_member_rows, OWNERS,
                       OWNERS_OR_MANAGEMENT, _groups, _header, _item_order, venue_compounds)
from .embedded import GraphIndex, is_current_committee
from .question import Parameter, Question, Reason
from .results import BlindSpotResult, GroupCount, Item, RecentCasesResult, trusted

__all__ = ["fetch_b1", "fetch_b2", "fetch_b3", "fetch_b4", "fetch_b5", "fetch_b6", "fetch_b7",
           "fetch_b8", "fetch_b9", "fetch_b10", "fetch_b11", "fetch_b12", "fetch_b13", "fetch_b14", "fetch_b15",
           "fetch_b16", "fetch_b17", "fetch_b18", "fetch_b19", "fetch_b20", "assemble_blind_spots",
           "assemble_recent_cases",
           "QUESTIONS"]

SELF_MANAGEMENT = frozenset({OwnerCommitteeKind.SELF_MANAGEMENT.value})
SECRETARY = frozenset({Role.SECRETARY.value})
#: A 党小组 has a 组长, not a 书记: B9 does not ask it for one.
UNLED_BY_SECRETARY = frozenset({PartyOrgKind.GROUP.value})
DIRECTOR = frozenset({Role.DIRECTOR.value})
CENTRAL_HOUSEHOLD = frozenset({Role.CENTRAL_HOUSEHOLD.value})
GROUP = PartyOrgKind.GROUP.value
UNIT_LEADER = Role.UNIT_LEADER.value
UNIT_LEADERS = frozenset({UNIT_LEADER})
DEMAND, RESOURCE, PROJECT = ListKind.DEMAND.value, ListKind.RESOURCE.value, ListKind.PROJECT.value


def fetch_b1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B1 rows: Compounds C1 does not count — no party organisation of their own, see
    :func:`compound_party_orgs` (``no_party_org``, no detail)."""
    day = _day(as_of)
    return [_placed_spot(key, attrs, fields, "no_party_org")
            for key, attrs, fields in index.placed_nodes("Compound", day) if not compound_party_orgs(index, key, day)]


def fetch_b2(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B2 rows: Compounds with no current MANAGES and no current 自管会 (``unmanaged``)."""
    day = dt.date.fromisoformat(as_of)
    return [_placed_spot(key, attrs, fields, "unmanaged")
            for key, attrs, fields in index.placed_nodes("Compound", day)
            if not index.current_companies(key, day)
            and not index.current_committees(key, day, SELF_MANAGEMENT)]


def fetch_b3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B3 rows: Compounds with no current 业委会 or 物管会 (``no_owner_committee``)."""
    day = dt.date.fromisoformat(as_of)
    return [_placed_spot(key, attrs, fields, "no_owner_committee")
            for key, attrs, fields in index.placed_nodes("Compound", day)
            if not index.current_committees(key, day, OWNERS_OR_MANAGEMENT)]


def fetch_b4(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B4 rows: OwnerCommittees (any kind) whose ``term_end`` < as-of (``term_expired``).

    ``detail``: the term end, ISO date.
    """
    day = dt.date.fromisoformat(as_of)
    return [_spot(index, key, attrs, as_of, "term_expired", attrs["term_end"].isoformat())
            for key, attrs in index.nodes("OwnerCommittee")
            if attrs.get("term_end") is not None and attrs["term_end"] < day]


def fetch_b5(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B5 rows: Buildings in no grid, in two grids of one type, or in another community's grid.

    A grid covers a building when it COVERS the building or the building's compound.
    ``uncovered``: no such grid (detail ``None``). ``overlap``: one row per grid of every grid type
    with two or more such grids, detail ``"<grid_type>:<grid id>"``. ``cross_community``: one row per
    such grid PART_OF another community than the building's compound, detail
    ``"<grid id>@<grid's community id>"`` (both communities must be known).
    """
    parent, attrs_of = index.parent, index.attrs
    rows = []
    for key, attrs, fields in index.placed_nodes("Building", _day(as_of)):
        grids = _covering_grids(index, key)
        if not grids:
            rows.append(_placed_spot(key, attrs, fields, "uncovered"))
            continue
        if len(grids) > 1:  # most buildings lie in exactly one grid
            by_type = defaultdict(list)
            for grid in grids:
                by_type[attrs_of[grid]["grid_type"]].append(grid)
            for grid_type, same_type in by_type.items():
                if len(same_type) > 1:
                    rows.extend(_placed_spot(key, attrs, fields, "overlap", f"{grid_type}:{grid[1]}")
                                for grid in same_type)
        compound = parent.get(key)
        home = parent.get(compound) if compound is not None else None
        if home is None:
            continue
        for grid in grids:
            grid_community = parent.get(grid)
            if grid_community is not None and grid_community != home:
                rows.append(_placed_spot(key, attrs, fields, "cross_community", f"{grid[1]}@{grid_community[1]}"))
    return rows


def _covering_grids(index: GraphIndex, building: NodeKey):
    """The grids that cover ``building``: those that COVER it or its compound, each once."""
    compound = index.parent.get(building)
    grids = index.covered_by.get(building, ())  # each grid once: a grid COVERS a thing at most once
    inherited = index.covered_by.get(compound, ()) if compound is not None else ()
    if inherited:
        grids = set(grids).union(inherited) if grids else inherited
    return grids


def fetch_b6(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B6 rows: Grids with ``no_party_branch`` (no PartyOrg BASED_IN), ``no_grid_worker`` (no current
    网格员/网格长 post) or ``covers_nothing`` (no COVERS); one row per (grid, reason)."""
    day = dt.date.fromisoformat(as_of)
    rows = []
    for key, attrs in index.nodes("Grid"):
        if key not in index.based_in:
            rows.append(_spot(index, key, attrs, as_of, "no_party_branch"))
        if not index.has_role(key, GRID_STAFF, day):
            rows.append(_spot(index, key, attrs, as_of, "no_grid_worker"))
        if not index.covers.get(key):
            rows.append(_spot(index, key, attrs, as_of, "covers_nothing"))
    return rows


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


def fetch_b8(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B8 rows: PartyOrgs on an UNDER ``cycle``; with an ``impossible_parent`` (one row per such
    parent, detail ``"<parent id>:<parent kind>"``); or with ``no_path_to_street``: not on a cycle,
    not street-level, and no chain of UNDER reaches a street-level organisation (kind 党工委, or
    BASED_IN a Street). The place is the organisation's (its first BASED_IN target)."""
    orgs = dict(index.nodes("PartyOrg"))
    children: dict[NodeKey, list[NodeKey]] = defaultdict(list)
    for org, parents in index.under.items():
        for parent in parents:
            children[parent].append(org)
    on_cycle = _on_cycle(orgs, index.under, children)
    based_in_street = {org for street, _ in index.nodes("Street") for org in index.based_in.get(street, ())}
    street_level = [org for org, attrs in orgs.items()
                    if attrs["kind"] == PartyOrgKind.WORKING_COMMITTEE.value or org in based_in_street]
    reaches_street = set(street_level)
    frontier = list(street_level)
    while frontier:  # walk down: the children of an organisation that reaches a street reach it too
        for child in children.get(frontier.pop(), ()):
            if child not in reaches_street:
                reaches_street.add(child)
                frontier.append(child)
    rows = []
    for key, attrs in orgs.items():
        if key in on_cycle:
            rows.append(_spot(index, key, attrs, as_of, "cycle"))
        allowed = _allowed_parents(attrs["kind"])
        for parent in index.under.get(key, ()):
            parent_kind = index.attrs[parent]["kind"]
            if parent_kind not in allowed:
                rows.append(_spot(index, key, attrs, as_of, "impossible_parent", f"{parent[1]}:{parent_kind}"))
        if key not in on_cycle and key not in reaches_street:
            rows.append(_spot(index, key, attrs, as_of, "no_path_to_street"))
    return rows


def fetch_b9(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B9 rows: PartyOrgs of every kind but 党小组 (``group``: led by a 组长, not a 书记) with no
    current 书记 post (``no_secretary``); current 业委会 with no current 主任 post (``no_director``)."""
    day = dt.date.fromisoformat(as_of)
    rows = [_spot(index, key, attrs, as_of, "no_secretary") for key, attrs in index.nodes("PartyOrg")
            if attrs["kind"] not in UNLED_BY_SECRETARY and not index.has_role(key, SECRETARY, day)]
    rows.extend(_spot(index, key, attrs, as_of, "no_director")
                for key, attrs in index.nodes("OwnerCommittee")
                if attrs["kind"] in OWNERS and is_current_committee(attrs, day)
                and not index.has_role(key, DIRECTOR, day))
    return rows


def fetch_b10(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B10 rows: Communities with no ResidentUnit REGISTERED_WITH them (``no_resident_unit``)."""
    return [_spot(index, key, attrs, as_of, "no_resident_unit") for key, attrs in index.nodes("Community")
            if not any(source[0] == "ResidentUnit" for source in index.registered.get(key, ()))]


def fetch_b11(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B11 rows: ListItems of kind demand that no ListItem of kind project MATCHES
    (``unmatched_demand``); of kind resource that no such project MATCHES together with a demand
    (``unused_resource``: no demand uses it)."""
    attrs_of, matches = index.attrs, index.matches
    projects = {key for key, attrs in index.nodes("ListItem") if attrs["kind"] == PROJECT}
    meeting = {project for project in projects
               if any(attrs_of[target]["kind"] == DEMAND for target in matches.get(project, ()))}
    rows = []
    for key, attrs in index.nodes("ListItem"):
        matched_by = index.matched.get(key, ())
        if attrs["kind"] == DEMAND and not any(source in projects for source in matched_by):
            rows.append(_spot(index, key, attrs, as_of, "unmatched_demand"))
        elif attrs["kind"] == RESOURCE and not any(source in meeting for source in matched_by):
            rows.append(_spot(index, key, attrs, as_of, "unused_resource"))
    return rows


def fetch_b12(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B12 rows: Compounds with no open Venue LOCATED_IN them or in one of their buildings (``no_venue``)."""
    with_venue = venue_compounds(index)
    return [_placed_spot(key, attrs, fields, "no_venue")
            for key, attrs, fields in index.placed_nodes("Compound", _day(as_of)) if key not in with_venue]


def fetch_b13(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B13 rows: party members (Person, ``party_member`` true) with no MEMBER_OF (``not_in_group``),
    placed as C15 places them."""
    return [{"label": "Person", **{k: v for k, v in row.items() if k != "covered"},
             "reason": "not_in_group", "detail": None}
            for row in party_member_rows(index, as_of, lambda orgs: not orgs)]


def fetch_b14(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B14 rows: one per (Person, Community it is REGISTERED_WITH) when the person LIVES_IN a Building
    whose compound's community is known and no such community is the registered one
    (``registered_elsewhere``, detail the registered community's id); placed where the first
    Building they LIVE_IN (by id) is."""
    day = _day(as_of)
    rows = []
    for person, communities in index.registered_with.items():
        buildings = sorted(index.lives_in.get(person, ()))
        homes = {index.parent.get(index.parent.get(building)) for building in buildings} - {None}
        if person[0] != "Person" or not homes:
            continue
        place = index.place_fields(buildings[0], day)
        rows.extend(_placed_spot(person, index.attrs[person], place, "registered_elsewhere", community[1])
                    for community in communities if community not in homes)
    return rows


def fetch_b15(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B15 rows: 党小组 (PartyOrg of kind ``group``) with no current 党员中心户 post held in the group
    itself or in a place it is BASED_IN (its building) — ``no_central_household``."""
    day = _day(as_of)
    return [_spot(index, key, attrs, as_of, "no_central_household") for key, attrs in index.nodes("PartyOrg")
            if attrs["kind"] == GROUP
            and not any(index.has_role(held, CENTRAL_HOUSEHOLD, day) for held in (key, *index.bases.get(key, ())))]


def fetch_b18(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B18 rows: the 大党委 and 大工委 X3 asks about (placed as X3 places them) with no current
    part-time member — no current post in it whose role is part-time or that is marked part-time
    (``no_part_time_member``)."""
    day = _day(as_of)
    rows = []
    for key, attrs in index.nodes("PartyOrg"):
        areas = [target for target in index.bases.get(key, ()) if target[0] == BIG_COMMITTEE_AREAS.get(attrs["kind"])]
        if areas and not any(props["role"] in PART_TIME_ROLES or props.get("part_time")
                             for _, props in index.current_posts_in(key, day)):
            rows.append(_placed_spot(key, attrs, index.place_fields(areas[0], day), "no_part_time_member"))
    return rows


def fetch_b16(index: GraphIndex, as_of: str, min_cases: int) -> list[dict[str, Any]]:
    """B16 rows: Compounds with ``min_cases`` or more Cases received in the ``RECENT_CASE_DAYS``
    days up to ``as_of`` (both ends included) ABOUT the compound or one of its Buildings
    (``frequent_cases``, detail the number of such cases); a case about both counts once. Each row
    also has ``monthly``: those cases in each ``CASE_MONTH_DAYS``-day month of the window, the
    last one ending on ``as_of``, oldest first."""
    day = _day(as_of)
    first = day - dt.timedelta(days=RECENT_CASE_DAYS - 1)
    months = RECENT_CASE_DAYS // CASE_MONTH_DAYS
    parent, cases = index.parent, defaultdict(lambda: [0] * months)
    for key, attrs in index.nodes("Case"):
        if first <= attrs["received"] <= day:
            month = months - 1 - (day - attrs["received"]).days // CASE_MONTH_DAYS
            for compound in {target if target[0] == "Compound" else parent.get(target)
                             for target in index.about.get(key, ()) if target[0] in ("Compound", "Building")} - {None}:
                cases[compound][month] += 1
    return [{**_placed_spot(compound, index.attrs[compound], index.place_fields(compound, day), "frequent_cases",
                            str(sum(monthly))), "monthly": monthly}
            for compound, monthly in cases.items() if sum(monthly) >= min_cases]


def fetch_b17(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B17 rows: companies with a current contract whose latest rating on or before ``as_of`` is
    poor: ``black_listed`` when a 黑榜 is among the ratings of that latest date, else
    ``poorly_rated`` when a 1星 or 2星 is. One row per compound they currently manage, with
    ``compound_id``, the compound's place and the compound's id as detail."""
    day = _day(as_of)
    rows = []
    for company, compounds in index.managed_companies(day).items():
        rated = [(props["date"], props["result"]) for _, props in index.ratings.get(company, ()) if props["date"] <= day]
        if not rated:
            continue
        latest = max(date for date, _ in rated)
        results = {result for date, result in rated if date == latest}
        if not results & POOR_RATINGS:
            continue
        reason = "black_listed" if RatingResult.BLACK_LIST.value in results else "poorly_rated"
        name = index.attrs[company]["name"]
        rows.extend({"label": "PropertyCompany", "id": company[1], "name": name, "compound_id": compound[1],
                     **index.place_fields(compound, day), "reason": reason, "detail": compound[1]}
                    for compound in compounds)
    return rows


def fetch_b20(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B20 rows: Buildings with units — ``units`` above 1, or a post with role 单元长 (of any date)
    held in a Building of the same compound or in the compound itself — and no current 单元长 post
    in the building (``no_unit_leader``; detail its ``units`` when known)."""
    day = _day(as_of)
    parent = index.parent
    organised = set()  # compounds where some 单元长 post is or was held
    for org, posts in index.posts_in.items():
        if org[0] in ("Building", "Compound") and any(props["role"] == UNIT_LEADER for _, props in posts):
            organised.add(org if org[0] == "Compound" else parent.get(org))
    organised.discard(None)
    rows = []
    for key, attrs, fields in index.placed_nodes("Building", day):
        units = attrs.get("units")
        if ((units or 0) > 1 or parent.get(key) in organised) and not index.has_role(key, UNIT_LEADERS, day):
            rows.append(_placed_spot(key, attrs, fields, "no_unit_leader", None if units is None else str(units)))
    return rows


def assemble_blind_spots(rows: list[dict[str, Any]], ctx: AssembleContext) -> BlindSpotResult:
    """One item per (thing, reason) in scope, details joined with "; ", counted by reason and group."""
    if rows and "compound_id" in rows[0]:  # B7: a company takes the place of its first compound
        rows = sorted(rows, key=lambda r: r["compound_id"] or "")
    details: dict[tuple, set[str]] = defaultdict(set)
    chosen: dict[tuple, tuple[dict, Any]] = {}
    for row in rows:
        key = (row["label"], row["id"], row["reason"])
        place = ctx.place(row)
        if not ctx.in_scope(place):
            continue  # a company's compounds outside the scope are not its details here (B17)
        if row["detail"] is not None:
            details[key].add(row["detail"])
        if key not in chosen:
            chosen[key] = (row, place)
    items = [trusted(Item, {**place.located, "label": row["label"], "id": row["id"], "name": row["name"],
                            "reason": row["reason"], "reason_zh": ctx.question.reason(row["reason"]).zh,
                            "detail": "; ".join(sorted(details[key])) if key in details else None})
             for key, (row, place) in chosen.items()]
    # Reasons in display order, so items come out the same whatever order a backend's rows had.
    reason_order = {reason.code: i for i, reason in enumerate(ctx.question.reasons)}
    items.sort(key=lambda item: (*_item_order(item), reason_order[item.reason]))
    counts = dict.fromkeys(reason_order, 0)
    counts.update(Counter(item.reason for item in items))
    by_group = Counter(ctx.group_of(place) for _, place in chosen.values())
    groups = [GroupCount(id=group, name=name, count=by_group[group]) for group, name in _groups(ctx, by_group)]
    return BlindSpotResult(**_header(ctx), items=items, counts=counts, groups=groups)


def assemble_recent_cases(rows: list[dict[str, Any]], ctx: AssembleContext) -> RecentCasesResult:
    """B16: the blind spots, saying how many recent cases make a compound listed, with each listed
    compound's cases per month of the window."""
    result = assemble_blind_spots(rows, ctx)
    listed = {item.id for item in result.items}
    return RecentCasesResult(**dict(result), min_cases=ctx.params["min_cases"],
                             monthly={row["id"]: list(row["monthly"]) for row in rows if row["id"] in listed})


def _spot(index: GraphIndex, key: NodeKey, attrs: dict, as_of: str, reason: str,
          detail: str | None = None) -> dict[str, Any]:
    return _placed_spot(key, attrs, index.place_fields(key, _day(as_of)), reason, detail)


def fetch_b19(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B19 rows: Buildings covered (as in B5) by grids of two or more grid types (``unmerged_grids``),
    detail the types, sorted, joined by ``"; "``."""
    attrs_of = index.attrs
    rows = []
    for key, attrs, fields in index.placed_nodes("Building", _day(as_of)):
        grids = _covering_grids(index, key)
        if len(grids) > 1:
            types = sorted({attrs_of[grid]["grid_type"] for grid in grids})
            if len(types) > 1:
                rows.append(_placed_spot(key, attrs, fields, "unmerged_grids", "; ".join(types)))
    return rows


def _placed_spot(key: NodeKey, attrs: dict, place_fields: dict[str, str | None], reason: str,
                 detail: str | None = None) -> dict[str, Any]:
    """A blind-spot row of a node whose ``place_fields`` are known (see ``GraphIndex.placed_nodes``)."""
    return {"label": key[0], "id": key[1], "name": attrs["name"], **place_fields, "reason": reason, "detail": detail}


@lru_cache(maxsize=16)
def _day(as_of: str) -> dt.date:
    return dt.date.fromisoformat(as_of)


def _on_cycle(orgs: dict[NodeKey, dict], under: dict[NodeKey, list[NodeKey]],
              children: dict[NodeKey, list[NodeKey]]) -> set[NodeKey]:
    """The organisations on an UNDER cycle (a self-loop included).

    Peels off, again and again, every organisation with no parent left: none of those can be on
    a cycle, and in a sound hierarchy that is all of them. Strongly connected components are
    searched only among the few that remain.
    """
    parents_left = {org: len(under.get(org, ())) for org in orgs}
    peeled = [org for org, count in parents_left.items() if count == 0]
    while peeled:
        for child in children.get(peeled.pop(), ()):
            parents_left[child] -= 1
            if parents_left[child] == 0:
                peeled.append(child)
    import networkx as nx  # a second of import for every command otherwise; B8's cycles only

    remaining = nx.DiGraph()
    remaining.add_edges_from((org, parent) for org, count in parents_left.items() if count
                             for parent in under.get(org, ()) if parents_left.get(parent))
    return {org for component in nx.strongly_connected_components(remaining)
            for org in component if len(component) > 1 or remaining.has_edge(org, org)}


@lru_cache(maxsize=None)
def _allowed_parents(kind: str) -> frozenset[str]:
    return frozenset(parent.value for parent in PartyOrgKind(kind).allowed_parents)


# -- the questions ------------------------------------------------------------------------------
def _blind_spot(code: str, zh: str, en: str, fetch, counted: str, *reasons: Reason, seed: str = "") -> Question:
    return Question(code=code, fetch=fetch, title_zh=zh, title_en=en, kind="blindspots",
                    assemble=assemble_blind_spots, result_type=BlindSpotResult, counted=counted, reasons=reasons,
                    seed=seed)


QUESTIONS = (
    _blind_spot("B1", "无党组织小区", "Compounds without a party organisation", fetch_b1, "Compound",
                NO_PARTY_ORG.where("not counted in C1: no PartyOrg BASED_IN it or in an OwnerCommittee that "
                                   "currently REPRESENTS it"),
                seed="the compounds 莒南's and 贺州's party coverage leaves out"),
    _blind_spot("B2", "无人管理小区", "Unmanaged compounds", fetch_b2, "Compound",
                Reason("unmanaged", "无物业且无自管会", "no property company and no self-management group",
                       "no current MANAGES and no current OwnerCommittee of kind `self_management`"),
                seed="the compounds no company and no 自管会 look after"),
    _blind_spot("B3", "无业委会(物管会)小区", "Compounds without an owners' or management committee", fetch_b3,
                "Compound", NO_OWNER_COMMITTEE.where("not counted in C4"),
                seed="the compounds outside 贺州's 9 业委会 and 11 物管会"),
    _blind_spot("B4", "业委会逾期未换届", "Owner committees past their term", fetch_b4, "OwnerCommittee",
                Reason("term_expired", "任期届满未换届", "term expired", "term_end < as-of"),
                seed="业委会 terms (届期) that have run out"),
    _blind_spot("B5", "网格盲区与重叠", "Grid gaps and overlaps", fetch_b5, "Building",
                Reason("uncovered", "未纳入网格", "in no grid", "no Grid COVERS it or its compound"),
                Reason("overlap", "同类网格重叠", "in two grids of one type",
                       "≥2 grids of one grid_type cover it (directly or via its compound), one item per "
                       "building with the types in the detail; types are compared exactly (grid types are "
                       "open: two grids of different unnamed types, 全科网格 and 安全生产网格, never overlap)"),
                Reason("cross_community", "网格跨社区", "grid in another community",
                       "a covering grid is PART_OF another community than the building's compound"),
                seed="一张网: every building in exactly one grid of each kind"),
    _blind_spot("B6", "空网格", "Empty grids", fetch_b6, "Grid",
                NO_PARTY_BRANCH.where("no PartyOrg BASED_IN it"), NO_GRID_WORKER.where("not counted in C11"),
                Reason("covers_nothing", "网格未覆盖任何楼栋或小区", "covers nothing", "no COVERS"),
                seed="阳泉's grids each with a 网格党支部 and a grid worker"),
    _blind_spot("B7", "物业企业党建空白", "Property companies without party coverage", fetch_b7, "PropertyCompany",
                NO_PARTY_COVERAGE.where("in the C8 denominator, not in its numerator"),
                seed="红色物业's 两个覆盖, missing both"),
    _blind_spot("B8", "组织体系断链", "Broken party hierarchy", fetch_b8, "PartyOrg",
                Reason("cycle", "上下级成环", "on an UNDER cycle", "on an UNDER cycle"),
                Reason("impossible_parent", "上级组织层级不符", "parent of an impossible level",
                       "its parent's kind is not in `PartyOrgKind.allowed_parents`"),
                Reason("no_path_to_street", "未接入街道党工委", "no path to a street-level organisation",
                       "not in a cycle, and following UNDER never reaches a street-level organisation (kind "
                       "`working_committee`, or BASED_IN a Street) — a street-level organisation itself is fine"),
                seed="阳泉's 五级架构 from 街道大工委 down, unbroken"),
    _blind_spot("B9", "班子空缺", "Organisations without a leader", fetch_b9, "PartyOrg / OwnerCommittee",
                Reason("no_secretary", "无书记", "no current secretary",
                       "a PartyOrg of any kind except `group` with no current post of role `secretary` (a 党小组 "
                       "is led by a 组长, not a 书记, so asking it for one would flag every group and drown the "
                       "real gaps)"),
                Reason("no_director", "无主任", "no current director",
                       "a current OwnerCommittee of kind `owners_committee` with no current post of role "
                       "`director`"),
                seed="each organisation led: a 书记, a 业委会 主任"),
    _blind_spot("B10", "双报到空白", "Communities without registered units", fetch_b10, "Community",
                Reason("no_resident_unit", "无驻区单位报到", "no resident unit registered",
                       "no ResidentUnit REGISTERED_WITH it"),
                seed="双报到: communities no unit has registered with"),
    _blind_spot("B11", "需求资源未对接", "Unmatched demands and unused resources", fetch_b11, "ListItem",
                Reason("unmatched_demand", "需求未对接项目", "demand matched by no project",
                       "kind `demand` and no ListItem of kind `project` (a 治理 item is one) MATCHES it"),
                Reason("unused_resource", "资源未被需求使用", "resource no demand uses",
                       "kind `resource` and no ListItem of kind `project` MATCHES both it and a `demand`. Listed "
                       "here rather than in C17's result because an idle resource is a thing to act on, one by "
                       "one, as an unmet demand is — B11 holds both ends of 对接; C17 is a rate over demands"),
                seed="三项清单: demands no project meets, resources no demand uses (阳泉矿区, 莒南's 需求、资源、治理)"),
    _blind_spot("B12", "无阵地小区", "Compounds without a venue", fetch_b12, "Compound",
                NO_VENUE.where("not counted in C13: no open Venue LOCATED_IN it or in one of its Buildings (a venue "
                               "marked closed, 是否开放 否, counts in no question)"),
                seed="莒南's 同心驿: the compounds without an open one"),
    _blind_spot("B13", "未入组党员", "Party members in no organisation", fetch_b13, "Person",
                NOT_IN_GROUP.where("not counted in C15 (placed as C15 places them)"),
                seed="阳泉: 流动党员和在职党员全部登记入组 — those not yet"),
    _blind_spot("B14", "报到不在居住社区", "Registered away from home", fetch_b14, "Person",
                Reason("registered_elsewhere", "报到社区非居住社区", "registered with a community they do not live in",
                       "REGISTERED_WITH a Community that is not the community of any compound of a Building they "
                       "LIVE_IN (at least one known); the registered community in the detail; placed where their "
                       "first Building (by id) is"),
                seed="平武, 莒南: 双报到 到居住地社区 — those registered elsewhere"),
    _blind_spot("B15", "无中心户党小组", "Party groups without a central household", fetch_b15, "PartyOrg",
                Reason("no_central_household", "未设党员中心户", "no central household",
                       "a PartyOrg of kind `group` with no current post with role `central_household` (党员中心户) "
                       "in it or in a place it is BASED_IN (its building)"),
                seed='阳泉: "4271个党员中心户" — the 党小组 without one'),
    Question(code="B16", fetch=fetch_b16, title_zh="诉求高发小区", title_en="Compounds with many recent cases",
             kind="blindspots", assemble=assemble_recent_cases, result_type=RecentCasesResult, counted="Compound",
             reasons=(Reason("frequent_cases", f"近{RECENT_CASE_DAYS}天诉求多发", f"many cases in the last "
                             f"{RECENT_CASE_DAYS} days",
                             f"`min_cases` (N, default {MANY_CASES_DEFAULT}) or more Cases received from as-of − {RECENT_CASE_DAYS - 1} days to the as-of date "
                             f"(both included: {RECENT_CASE_DAYS} days; one received exactly {RECENT_CASE_DAYS} "
                             "days before is not counted) are ABOUT it or one of its Buildings (a case about both "
                             "counts once); the number of cases in the detail, and in the result's `monthly` the "
                             f"cases of each {CASE_MONTH_DAYS}-day month of the window, the last ending on the "
                             "as-of date, oldest first (莒南 counts monthly: \"每月不到10件\")"),),
             parameters={"min_cases": Parameter(MANY_CASES_DEFAULT, "--min-cases", "count", 1, (
                 f"list compounds with at least N cases (工单) received in the {RECENT_CASE_DAYS} days up to "
                 "--as-of."))},
             seed='莒南: 爱琴海小区 "每月不到10件" (the cases per month)'),
    _blind_spot("B17", "黑榜物业仍在服务", "Black-listed property companies still serving", fetch_b17,
                "PropertyCompany",
                Reason("black_listed", "黑榜企业仍在服务", "black-listed, still serving",
                       "a PropertyCompany with a current MANAGES whose latest RATED on or before the as-of date "
                       "(by `date`, over every rating area; ratings of one date read together) includes "
                       "`black_list`; each compound it currently manages in the scope in the detail"),
                Reason("poorly_rated", "评价1–2星仍在服务", "rated 1–2 stars, still serving",
                       "as `black_listed`, when that latest rating includes no `black_list` but `stars_1` or "
                       "`stars_2`"),
                seed="莒南: 物业红黑榜"),
    _blind_spot("B18", "大党委无兼职委员", "Big party committees without a part-time member", fetch_b18,
                "PartyOrg",
                Reason("no_part_time_member", "无兼职委员", "no part-time member",
                       "a PartyOrg X3 asks about (a `committee` or `general_branch` BASED_IN a Community, a "
                       "`working_committee` BASED_IN a Street; placed in the first such area by id) with no "
                       "current post in it whose role is `part_time_member` or `part_time_deputy_secretary` or "
                       "whose `part_time` is true"),
                seed="大党委 with 兼职委员 (新源社区)"),
    _blind_spot("B19", "多网未合一", "Buildings in grids of several types (one network not yet merged)", fetch_b19,
                "Building",
                Reason("unmerged_grids", "多网未合一", "in grids of several types",
                       "grids of two or more different `grid_type` cover it (COVERS it or its Compound, as in B5): "
                       "the grids are not yet merged into one network (莒南: 党建、综合执法、市场监管、生态环境、"
                       "应急管理等18类网格统一合并为“一张网”); the types, sorted and joined by `; `, in the detail"),
                seed="莒南: 18类网格统一合并为“一张网”"),
    _blind_spot("B20", "单元长空缺", "Buildings with units but no unit leader", fetch_b20, "Building",
                Reason("no_unit_leader", "有单元无单元长", "units but no unit leader",
                       "a Building with units — its `units` (单元数) above 1, or a post with role `unit_leader` "
                       "(单元长, of any date) held in a Building of its compound or in the compound — and no "
                       "current post with role `unit_leader` in it (莒南's \"楼长单元长\"); its `units` in the "
                       "detail when known"),
                seed="莒南: 楼长单元长"),
)
