"""Coverage questions (C…): how many compounds, buildings, grids, companies and committees are covered.

Each question is a fetch step (``fetch_c1`` …: plain fact rows from a ``GraphIndex``) and a shared
assemble step (``assemble_coverage``, ``assemble_registration``). Fact rows carry the place of the
counted thing as ids: ``community_id``, ``street_id``, ``district_id`` (lowest known level required,
the others may be ``None``). Definitions: docs/definitions.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from operator import itemgetter
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.rules import VENUE_AREA_TARGET_M2
from graphmodel.schema import (GridType, ListKind, ListStatus, OwnerCommitteeKind, Role, VenueKind, grid_type_zh,
                               normalize_grid_type, parse_date)

from .context import UNPLACED_ZH, AssembleContext
from .embedded import PLACE_KEYS, GraphIndex, is_current_committee
from .question import Parameter, Question, Reason
from .results import (CaseClosureResult, CoverageResult, GridTypeCoverageResult, GridTypeRate, GroupCount, GroupMedian,
                      GroupRate, GroupRegistration, Item, ListClosureResult, Registration, RegistrationResult,
                      VenueAreaResult, trusted)

__all__ = ["fetch_c1", "fetch_c2", "fetch_c3", "fetch_c4", "fetch_c5", "fetch_c6", "fetch_c7",
           "fetch_c8", "fetch_c9", "fetch_c10", "fetch_c11", "fetch_c12", "fetch_c15", "fetch_c17", "is_closed_by", "party_member_rows",
           "compound_party_orgs", "assemble_list_closure",
           "fetch_c13", "fetch_c14", "venue_compounds", "assemble_coverage", "assemble_venue_area",
           "fetch_c16", "fetch_c18", "assemble_grid_types", "assemble_case_closure", "date_param",
           "assemble_registration", "QUESTIONS"]

OWNERS = frozenset({OwnerCommitteeKind.OWNERS_COMMITTEE.value})
OWNERS_OR_MANAGEMENT = frozenset({OwnerCommitteeKind.OWNERS_COMMITTEE.value,
                                  OwnerCommitteeKind.MANAGEMENT_COMMITTEE.value})
BUILDING_LEADER = frozenset({Role.BUILDING_LEADER.value})
GRID_STAFF = frozenset({Role.GRID_WORKER.value, Role.GRID_LEADER.value})
INSTRUCTOR = frozenset({Role.INSTRUCTOR.value})
DEMAND, CLOSED = ListKind.DEMAND.value, ListStatus.CLOSED.value
CENTRE = VenueKind.CENTRE.value

# Why a counted thing is missing from the numerator (blind spots reuse these under their own rules).
NO_PARTY_ORG = Reason("no_party_org", "无党组织", "no party organisation")
NO_CONTRACT = Reason("no_contract", "无物业服务合同", "no current property contract")
NO_OWNERS_COMMITTEE = Reason("no_owners_committee", "无业委会", "no current owners' committee")
NO_OWNER_COMMITTEE = Reason("no_owner_committee", "无业委会或物管会", "no current owners' or management committee")
NO_PARTY_GROUP = Reason("no_party_group", "无楼栋党小组", "no party group")
NO_PARTY_BRANCH = Reason("no_party_branch", "无网格党支部", "no party branch")
NO_BUILDING_LEADER = Reason("no_building_leader", "未配备楼长", "no building leader")
NO_GRID_WORKER = Reason("no_grid_worker", "未配备网格员", "no grid worker")
NO_PARTY_COVERAGE = Reason("no_party_coverage", "党的组织和工作均未覆盖", "neither organisation nor work coverage")
NOT_CLOSED = Reason("not_closed", "未办结", "not closed")
NOT_IN_GROUP = Reason("not_in_group", "未编入党组织", "in no party organisation")
NO_VENUE = Reason("no_venue", "无党群服务阵地", "no venue")
VENUE_AREA_SHORT = Reason("venue_area_short", "阵地面积不达标", "venues below the area target")
NO_GRID_OF_TYPE = Reason("no_grid_of_type", "未纳入该类网格", "in no grid of this type")


def fetch_c1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C1 rows: one per Compound, ``{id, name, community_id, street_id, district_id, covered}``.

    ``covered``: it has a party organisation of its own (:func:`compound_party_orgs`).
    """
    return _rows(index, "Compound", as_of, lambda key, day: bool(compound_party_orgs(index, key, day)))


def compound_party_orgs(index: GraphIndex, compound: NodeKey, day: dt.date) -> list[NodeKey]:
    """The party organisations of a compound (C1, B1, X2): those BASED_IN it, and those BASED_IN an
    owner committee (any kind) that currently represents it — 贺州's 业委会党支部."""
    orgs = list(index.based_in.get(compound, ()))
    for committee in index.current_committees(compound, day):
        orgs.extend(index.based_in.get(committee, ()))
    return orgs


def fetch_c2(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C2 rows: one per Compound (shape of C1); ``covered``: a current MANAGES into it."""
    return _rows(index, "Compound", as_of, lambda key, day: bool(index.current_companies(key, day)))


def fetch_c3(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C3 rows: one per Compound (shape of C1); ``covered``: a current 业委会 REPRESENTS it."""
    return _rows(index, "Compound", as_of,
                 lambda key, day: bool(index.current_committees(key, day, OWNERS)))


def fetch_c4(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C4 rows: one per Compound (shape of C1); ``covered``: a current 业委会 or 物管会 REPRESENTS it."""
    return _rows(index, "Compound", as_of,
                 lambda key, day: bool(index.current_committees(key, day, OWNERS_OR_MANAGEMENT)))


def fetch_c5(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C5 rows: one per Building (shape of C1); ``covered``: a PartyOrg is BASED_IN it."""
    return _rows(index, "Building", as_of, lambda key, day: key in index.based_in)


def fetch_c6(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C6 rows: one per Grid (shape of C1); ``covered``: a PartyOrg is BASED_IN it."""
    return _rows(index, "Grid", as_of, lambda key, day: key in index.based_in)


def fetch_c7(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C7 rows: one per (PropertyCompany, Compound it currently MANAGES).

    Row: ``{id, name, compound_id, community_id, street_id, district_id, covered}`` — the place
    is the compound's; ``covered`` (same on every row of one company): a PartyOrg is BASED_IN
    the company. Companies without a current contract give no row.
    """
    return _company_rows(index, as_of, lambda key, day: key in index.based_in)


def fetch_c8(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C8 rows: as C7; ``covered``: covered in C7, or a current 党建指导员 (``instructor``) post in it."""
    return _company_rows(index, as_of, lambda key, day: key in index.based_in
                         or index.has_role(key, INSTRUCTOR, day))


def fetch_c9(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C9 rows: one per current OwnerCommittee of kind 业委会 (shape of C1, the compound's place).

    ``covered``: a PartyOrg is BASED_IN the committee.
    """
    day = dt.date.fromisoformat(as_of)
    return [_row(index, key, attrs, day, key in index.based_in)
            for key, attrs in index.nodes("OwnerCommittee")
            if attrs["kind"] in OWNERS and is_current_committee(attrs, day)]


def fetch_c10(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C10 rows: one per Building (shape of C1); ``covered``: a current 楼长 post in it."""
    return _rows(index, "Building", as_of, lambda key, day: index.has_role(key, BUILDING_LEADER, day))


def fetch_c11(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C11 rows: one per Grid (shape of C1); ``covered``: a current 网格员 or 网格长 post in it."""
    return _rows(index, "Grid", as_of, lambda key, day: index.has_role(key, GRID_STAFF, day))


def fetch_c12(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C12 rows: one per Community, ``{id, name, community_id, street_id, district_id,
    resident_units, party_members}`` — ResidentUnits, and Persons with ``party_member`` true,
    REGISTERED_WITH it (``community_id`` is the community's own id).
    """
    day = dt.date.fromisoformat(as_of)
    rows = []
    for key, attrs in index.nodes("Community"):
        sources = Counter(source[0] for source in index.registered.get(key, ())
                          if source[0] == "ResidentUnit" or index.attrs[source].get("party_member"))
        rows.append({"id": key[1], "name": attrs["name"], **index.place_fields(key, day),
                     "resident_units": sources["ResidentUnit"], "party_members": sources["Person"]})
    return rows


def fetch_c15(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C15 rows: one per Person with ``party_member`` true, shape of C1 (placed as
    :func:`party_member_rows` says); ``covered``: a MEMBER_OF a PartyOrg."""
    return party_member_rows(index, as_of, lambda orgs: True)


def party_member_rows(index: GraphIndex, as_of: str, keep) -> list[dict[str, Any]]:
    """``{id, name, place fields, covered}`` of each party member whose MEMBER_OF organisations
    (sorted) pass ``keep``; ``covered`` when there is one. A member is placed where the first of
    them (by id) is, else where the first Building they LIVE_IN is, else in the first Community
    they are REGISTERED_WITH (by id), else nowhere."""
    day = dt.date.fromisoformat(as_of)
    rows = []
    for key, attrs in index.nodes("Person"):
        if not attrs.get("party_member"):
            continue
        orgs = sorted(index.member_of.get(key, ()))
        if not keep(orgs):
            continue
        anchors = orgs or sorted(index.lives_in.get(key, ())) or sorted(
            community for community in index.registered_with.get(key, ()) if community[0] == "Community")
        place = index.place_fields(anchors[0], day) if anchors else dict.fromkeys(PLACE_KEYS)
        rows.append({"id": key[1], "name": attrs["name"], **place, "covered": bool(orgs)})
    return rows


def fetch_c17(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C17 rows: one per ListItem (any kind) raised on or before ``as_of`` (or with no ``raised``
    date), shape of C1 (placed as B11 places it) with its ``kind``; ``covered``: closed by
    ``as_of`` (see :func:`is_closed_by`). The rate is over the demands; every kind is counted.
    """
    day = dt.date.fromisoformat(as_of)
    return [{"id": key[1], "name": attrs["name"], **fields, "kind": attrs["kind"], "covered": is_closed_by(attrs, day)}
            for key, attrs, fields in index.placed_nodes("ListItem", day)
            if attrs.get("raised") is None or attrs["raised"] <= day]


def assemble_list_closure(rows: list[dict[str, Any]], ctx: AssembleContext) -> ListClosureResult:
    """C17: the closure rate of the demands (as ``assemble_coverage``), and the items of every kind
    in scope counted by kind (莒南's 需求、资源、治理; 阳泉矿区's 需求、资源、项目清单)."""
    result = assemble_coverage([row for row in rows if row["kind"] == DEMAND], ctx)
    kinds = Counter(row["kind"] for row, _ in ctx.located(rows))
    return ListClosureResult(**dict(result), kinds={kind.value: kinds[kind.value] for kind in ListKind})


def is_closed_by(attrs: dict[str, Any], day: dt.date) -> bool:
    """A list item is closed on ``day`` when its 办结日期 is on or before it, or it has no 办结日期
    and its status is 办结 (a ledger that marks items done without dating them)."""
    closed = attrs.get("closed")
    return closed <= day if closed is not None else attrs.get("status") == CLOSED


def venue_compounds(index: GraphIndex) -> set[NodeKey]:
    """Compounds with an open Venue LOCATED_IN them or in one of their buildings (C13, B12)."""
    found = set()
    for place in index.venues_at:
        compound = index.parent.get(place) if place[0] == "Building" else place
        if compound is not None and compound[0] == "Compound":
            found.add(compound)
    return found


def fetch_c13(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C13 rows: one per Compound (shape of C1); ``covered``: an open Venue is LOCATED_IN the compound
    or one of its buildings."""
    with_venue = venue_compounds(index)
    return _rows(index, "Compound", as_of, lambda key, day: key in with_venue)


def fetch_c14(index: GraphIndex, as_of: str, min_area: float) -> list[dict[str, Any]]:
    """C14 rows: one per Community (shape of C1, ``community_id`` its own id) with ``area_m2``, the
    total ``area_m2`` of the open Venues LOCATED_IN the community, its grids, its compounds and their
    buildings (a venue without an area counts 0), and ``centre_m2``, the largest ``area_m2`` of those
    of kind 党群服务中心 (0 when none); ``covered``: ``area_m2 >= min_area``."""
    parent, attrs = index.parent, index.attrs
    totals: dict[NodeKey, float] = defaultdict(float)
    centres: dict[NodeKey, float] = defaultdict(float)
    for place, venues in index.venues_at.items():
        community = place if place[0] == "Community" else parent.get(place)
        if place[0] == "Building" and community is not None:
            community = parent.get(community)
        if community is None or community[0] != "Community":
            continue  # in a company or a resident unit, or a place outside any community
        for venue in venues:
            area = attrs[venue].get("area_m2") or 0.0
            totals[community] += area
            if attrs[venue]["kind"] == CENTRE:
                centres[community] = max(centres[community], area)
    return [{"id": key[1], "name": row_attrs["name"], **fields, "area_m2": totals.get(key, 0.0),
             "centre_m2": centres.get(key, 0.0), "covered": totals.get(key, 0.0) >= min_area}
            for key, row_attrs, fields in index.placed_nodes("Community", dt.date.fromisoformat(as_of))]


# -- one network (一张网, C16) and cases (诉求工单, C18) -------------------------------------------------
def fetch_c16(index: GraphIndex, as_of: str, grid_type: str | None = None) -> list[dict[str, Any]]:
    """C16 rows: one per Compound, ``{label: "Compound", id, name, community_id, street_id,
    district_id, grid_types}`` with the sorted types of the Grids that COVER it or one of its
    Buildings; and one per Grid, ``{label: "Grid", …, grid_types: [its own type]}``, which makes
    its type present where it is. ``grid_type`` is applied by the assemble step.
    """
    day = dt.date.fromisoformat(as_of)
    attrs_of, parent = index.attrs, index.parent
    covering: dict[NodeKey, set[str]] = defaultdict(set)
    for target, grids in index.covered_by.items():
        compound = target if target[0] == "Compound" else parent.get(target)
        if compound is not None:
            covering[compound].update(attrs_of[grid]["grid_type"] for grid in grids)
    rows = [{"label": "Compound", "id": key[1], "name": attrs["name"], **fields,
             "grid_types": sorted(covering.get(key, ()))}
            for key, attrs, fields in index.placed_nodes("Compound", day)]
    rows.extend({"label": "Grid", "id": key[1], "name": attrs["name"], **fields, "grid_types": [attrs["grid_type"]]}
                for key, attrs, fields in index.placed_nodes("Grid", day))
    return rows


def fetch_c18(index: GraphIndex, as_of: str, since: dt.date | str | None = None) -> list[dict[str, Any]]:
    """C18 rows: one per Case received on or before ``as_of`` (and on or after ``since`` when
    given), shape of C1, placed where what it is ABOUT is; ``covered``: closed on or before ``as_of``;
    ``days``: the days from received to closed when covered, else None.
    """
    day, first = dt.date.fromisoformat(as_of), date_param(since)
    rows = []
    for key, attrs, fields in index.placed_nodes("Case", day):
        received = attrs["received"]
        if received <= day and (first is None or received >= first):
            closed = attrs.get("closed")
            covered = closed is not None and closed <= day
            rows.append({"id": key[1], "name": attrs["name"], **fields, "covered": covered,
                         "days": (closed - received).days if covered else None})
    return rows


def date_param(value: dt.date | str | None) -> dt.date | None:
    """A date parameter (``--since``) as given by the CLI (a date) or the Python API (text)."""
    return parse_date(value) if value not in (None, "") else None


def assemble_grid_types(rows: list[dict[str, Any]], ctx: AssembleContext) -> GridTypeCoverageResult:
    """C16: per grid type present in the scope (or only the one asked), the compounds it covers;
    with a type asked, the compounds it misses."""
    asked = ctx.params.get("grid_type")
    wanted = normalize_grid_type(asked) if asked else None
    located = ctx.located(rows)
    compounds = [(row, place, frozenset(row["grid_types"])) for row, place in located if row["label"] == "Compound"]
    present = {grid_type for row, _ in located if row["label"] == "Grid" for grid_type in row["grid_types"]}
    rates, missing = [], []
    for grid_type in [wanted] if wanted else sorted(present, key=_grid_type_order):
        counted, covered = Counter(), Counter()
        for row, place, types in compounds:
            group = ctx.group_of(place)
            counted[group] += 1
            if grid_type in types:
                covered[group] += 1
            elif wanted:
                missing.append(trusted(Item, {**place.located, "label": "Compound", "id": row["id"],
                                              "name": row["name"], "reason": NO_GRID_OF_TYPE.code,
                                              "reason_zh": NO_GRID_OF_TYPE.zh, "detail": None}))
        groups = [GroupRate(id=group, name=name, numerator=covered[group], denominator=counted[group])
                  for group, name in _groups(ctx, counted)]
        rates.append(GridTypeRate(grid_type=grid_type, grid_type_zh=grid_type_zh(grid_type),
                                  numerator=sum(covered.values()), denominator=len(compounds), groups=groups))
    missing.sort(key=_item_order)
    return GridTypeCoverageResult(**_header(ctx), grid_type=wanted, types=rates, missing=missing)


_NAMED_GRID_TYPES = [grid_type.value for grid_type in GridType]


def _grid_type_order(grid_type: str) -> tuple:
    """The named grid types in the schema's order, then the ledgers' own words alphabetically."""
    if grid_type in _NAMED_GRID_TYPES:
        return (0, _NAMED_GRID_TYPES.index(grid_type), "")
    return (1, 0, grid_type)


def assemble_case_closure(rows: list[dict[str, Any]], ctx: AssembleContext) -> CaseClosureResult:
    """C18: the closure rate (as ``assemble_coverage``), saying since when cases are counted, and
    the median days to close of the closed cases, over the scope and per group."""
    result = assemble_coverage(rows, ctx)
    days: dict[str | None, list[int]] = defaultdict(list)
    counted: Counter = Counter()
    for row, place in ctx.located(rows):
        group = ctx.group_of(place)
        counted[group] += 1
        if row["days"] is not None:
            days[group].append(row["days"])
    every = [value for values in days.values() for value in values]
    return CaseClosureResult(**dict(result), since=date_param(ctx.params.get("since")),
                             median_days_to_close=_median(every),
                             median_groups=[GroupMedian(id=group, name=name, median=_median(days[group]))
                                            for group, name in _groups(ctx, counted)])


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def assemble_coverage(rows: list[dict[str, Any]], ctx: AssembleContext) -> CoverageResult:
    """The rate of a coverage question over the scope, per group, and its missing items.

    A thing given by several rows (a property company, once per compound) counts once, placed at
    its first in-scope row by ``compound_id``.
    """
    label = ctx.question.counted
    reason, reason_zh = ctx.question.reasons[0].code, ctx.question.reasons[0].zh
    located = ctx.located(rows, order="compound_id" if label == "PropertyCompany" else None)
    counted, covered = Counter(), Counter()
    group_of = ctx.group_of
    # Missing items by place, then sorted by place and id within each place: the ``_item_order``
    # of items of one label, without calling a key function for each of 150,000 buildings.
    missing_at: dict[tuple[str, str], list[tuple[str, Item]]] = defaultdict(list)
    for row, place in located:
        group = group_of(place)
        counted[group] += 1
        if row["covered"]:
            covered[group] += 1
        else:  # a city has 150,000 buildings: items are made without validation (see ``trusted``)
            missing_at[place.order].append((row["id"], trusted(Item, {
                **place.located, "label": label, "id": row["id"], "name": row["name"],
                "reason": reason, "reason_zh": reason_zh, "detail": row.get("detail")})))
    missing = [item for order in sorted(missing_at)
               for _, item in sorted(missing_at[order], key=itemgetter(0))]
    groups = [GroupRate(id=group, name=name, numerator=covered[group], denominator=counted[group])
              for group, name in _groups(ctx, counted)]
    return CoverageResult(**_header(ctx), label=label, numerator=sum(covered.values()),
                          denominator=len(located), groups=groups, missing=missing)


def assemble_venue_area(rows: list[dict[str, Any]], ctx: AssembleContext) -> VenueAreaResult:
    """C14: as :func:`assemble_coverage`, each short community with its venues' total area and the
    target in the detail (``320 m² < 500 m²``); and, over the scope and per group, the communities
    whose largest 党群服务中心 reaches the target on its own."""
    target = ctx.params["min_area"]
    result = assemble_coverage([{**row, "detail": f"{_m2(row['area_m2'])} m² < {_m2(target)} m²"} for row in rows],
                               ctx)
    centred, counted = Counter(), Counter()
    for row, place in ctx.located(rows):
        group = ctx.group_of(place)
        counted[group] += 1
        centred[group] += row["centre_m2"] >= target
    return VenueAreaResult(**dict(result), min_area=target, single_centre=sum(centred.values()),
                           single_centre_groups=[GroupCount(id=group, name=name, count=centred[group])
                                                 for group, name in _groups(ctx, counted)])


def _m2(area: float) -> str:
    """An area as a clerk writes it: 520, 520.5, 1234567.5 (one decimal at most, so the float noise
    of a sum taken in another order never shows)."""
    return f"{area:.1f}".removesuffix(".0")


def assemble_registration(rows: list[dict[str, Any]], ctx: AssembleContext) -> RegistrationResult:
    """C12: the registration counts of every community in scope, with totals and per-group sums."""
    communities = []
    units, members = Counter(), Counter()
    for row, place in ctx.located(rows):
        communities.append(trusted(Registration, {
            **place.located, "id": row["id"], "name": row["name"],
            "resident_units": row["resident_units"], "party_members": row["party_members"]}))
        group = ctx.group_of(place)
        units[group] += row["resident_units"]
        members[group] += row["party_members"]
    communities.sort(key=lambda c: (c.street_id or "", c.id))
    groups = [GroupRegistration(id=group, name=name, resident_units=units[group], party_members=members[group])
              for group, name in _groups(ctx, units)]
    return RegistrationResult(**_header(ctx), communities=communities, resident_units=sum(units.values()),
                              party_members=sum(members.values()), groups=groups)


# -- helpers shared with the other question modules ---------------------------------------------
def _header(ctx: AssembleContext) -> dict[str, Any]:
    question = ctx.question
    return {"code": question.code, "title_zh": question.title_zh, "title_en": question.title_en,
            "as_of": ctx.as_of, "scope": ctx.scope, "by": ctx.by}


def _groups(ctx: AssembleContext, seen: Counter) -> list[tuple[str | None, str]]:
    """Every group in scope, plus an 未归属 group when something in scope has no place at that level."""
    groups = ctx.group_list()
    if None in seen and ctx.by is not None:
        groups.append((None, UNPLACED_ZH))
    return groups


def _item_order(item: Item) -> tuple:
    return (item.street_id or "", item.community_id or "", item.label, item.id)


def _row(index: GraphIndex, key: NodeKey, attrs: dict, day: dt.date, covered: bool) -> dict[str, Any]:
    return {"id": key[1], "name": attrs["name"], **index.place_fields(key, day), "covered": covered}


def _rows(index: GraphIndex, label: str, as_of: str, covered) -> list[dict[str, Any]]:
    day = dt.date.fromisoformat(as_of)
    return [{"id": key[1], "name": attrs["name"], **fields, "covered": covered(key, day)}
            for key, attrs, fields in index.placed_nodes(label, day)]


def _company_rows(index: GraphIndex, as_of: str, covered) -> list[dict[str, Any]]:
    day = dt.date.fromisoformat(as_of)
    rows = []
    for company, compounds in index.managed_companies(day).items():
        name = index.attrs[company]["name"]
        flag = covered(company, day)
        for compound in compounds:
            rows.append({"id": company[1], "name": name, "compound_id": compound[1],
                         **index.place_fields(compound, day), "covered": flag})
    return rows


# -- the questions ------------------------------------------------------------------------------
def _rate(code: str, zh: str, en: str, fetch, counted: str, rule: str, reason: Reason,
          denominator: str = "", assemble=assemble_coverage, result_type=CoverageResult, seed: str = "",
          **parameters: Parameter) -> Question:
    return Question(code=code, fetch=fetch, title_zh=zh, title_en=en, kind="coverage",
                    assemble=assemble, result_type=result_type, counted=counted,
                    denominator=denominator, rule=rule, reasons=(reason,), parameters=parameters, seed=seed)


QUESTIONS = (
    _rate("C1", "小区党组织覆盖率", "Compounds with a party organisation", fetch_c1, "Compound",
          "≥1 PartyOrg (any kind) BASED_IN it, or BASED_IN an OwnerCommittee (any kind) that currently "
          "REPRESENTS it (贺州's \"成立业委会党支部5个\": a compound whose only party organisation is its "
          "业委会's branch has one)", NO_PARTY_ORG,
          seed='莒南: 148 compounds, party organisation coverage 100%; 贺州: "成立业委会党支部5个" (a compound covered by '
               'the branch of its 业委会)'),
    _rate("C2", "专业化物业覆盖率", "Compounds with a property company", fetch_c2, "Compound",
          "≥1 current MANAGES into it", NO_CONTRACT,
          seed="莒南: 148 compounds, professional property management 100%"),
    _rate("C3", "业委会组建率", "Compounds with an owners' committee", fetch_c3, "Compound",
          "a current OwnerCommittee of kind `owners_committee` REPRESENTS it", NO_OWNERS_COMMITTEE,
          seed="莒南: owners' committees in all 148 compounds; 贺州: 9 业委会 in 27 compounds"),
    _rate("C4", "业委会或物管会覆盖率", "Compounds with an owners' or management committee", fetch_c4, "Compound",
          "a current OwnerCommittee of kind `owners_committee` or `management_committee` REPRESENTS it",
          NO_OWNER_COMMITTEE,
          seed="贺州: 27 compounds, 9 业委会 and 11 物管会"),
    _rate("C5", "楼栋党小组覆盖率", "Buildings with a party group", fetch_c5, "Building",
          "≥1 PartyOrg BASED_IN it", NO_PARTY_GROUP,
          seed='阳泉: "734个楼栋党小组"'),
    _rate("C6", "网格党支部覆盖率", "Grids with a party branch", fetch_c6, "Grid",
          "≥1 PartyOrg BASED_IN it", NO_PARTY_BRANCH,
          seed='阳泉: "295个网格党支部"'),
    _rate("C7", "物业企业党组织覆盖", "Property companies with a party organisation", fetch_c7, "PropertyCompany",
          "≥1 PartyOrg BASED_IN it (its own, or a joint branch based in several)", NO_PARTY_ORG,
          denominator="PropertyCompany with ≥1 current MANAGES",
          seed="红色物业: a company's own or joint party organisation (组织覆盖, 单建/联建)"),
    _rate("C8", "物业企业党建工作覆盖", "Property companies with party work coverage", fetch_c8, "PropertyCompany",
          "counted in C7, or a Person HOLDS a current post with role `instructor` (党建指导员) in it",
          NO_PARTY_COVERAGE, denominator="same as C7",
          seed="红色物业: organisation or work coverage — a 党建指导员 where there is no organisation (两个覆盖, 兜底)"),
    _rate("C9", "业委会党组织覆盖率", "Owners' committees with a party organisation", fetch_c9, "OwnerCommittee",
          "≥1 PartyOrg BASED_IN it", NO_PARTY_ORG, denominator="current OwnerCommittee of kind `owners_committee`",
          seed='贺州: "成立业委会党支部5个"'),
    _rate("C10", "楼长配备率", "Buildings with a building leader", fetch_c10, "Building",
          "a Person HOLDS a current post with role `building_leader` (楼长) in it", NO_BUILDING_LEADER,
          seed="莒南: 楼长单元长"),
    _rate("C11", "网格员配备率", "Grids with a grid worker", fetch_c11, "Grid",
          "a Person HOLDS a current post with role `grid_worker` or `grid_leader` in it", NO_GRID_WORKER,
          seed="every grid staffed: 网格长/网格员 (the seeds' grid workers)"),
    Question(code="C12", fetch=fetch_c12, title_zh="双报到", title_en="Dual registration", kind="coverage",
             assemble=assemble_registration, result_type=RegistrationResult, counted="Community",
             denominator="Community (a count, not a rate)",
             rule="ResidentUnits REGISTERED_WITH it; Persons with `party_member` true REGISTERED_WITH it",
             seed="平武, 莒南: 双报到 — units and in-service party members registered with the community"),
    _rate("C13", "小区党群服务站覆盖率", "Compounds with a party service venue", fetch_c13, "Compound",
          "an open Venue (any kind; one whose `open` is false — 是否开放 否 — counts in no question) is "
          "LOCATED_IN it or in one of its Buildings", NO_VENUE,
          seed='莒南: 在148个小区建设"同心驿"179处'),
    _rate("C14", "社区阵地面积达标率", "Communities whose venues reach the area target", fetch_c14, "Community",
          "the open Venues LOCATED_IN it, its Grids, its Compounds and their Buildings have a total `area_m2` of "
          f"at least N m², N = {VENUE_AREA_TARGET_M2} by default (`--min-area`); a venue without `area_m2` counts "
          "0; a short community's total is in the detail. The result also counts the communities with one open "
          "Venue of kind `centre` (党群服务中心) of N m² or more on its own (`single_centre`, per group too: "
          "阳泉's \"500平米以上的活动场所高达94.5%\" is per centre)", VENUE_AREA_SHORT, assemble=assemble_venue_area,
          result_type=VenueAreaResult,
          min_area=Parameter(VENUE_AREA_TARGET_M2, "--min-area", "number", 0,
                             "a community counts when its venues total at least this many m²."),
          seed='阳泉: "500平米以上的活动场所高达94.5%" (the single-centre count)'),
    _rate("C15", "党员入组率", "Party members in an organisation", fetch_c15, "Person",
          "a MEMBER_OF to a PartyOrg", NOT_IN_GROUP,
          denominator="Person with `party_member` true, placed where the first PartyOrg they are a MEMBER_OF "
                      "is (by id), else the first Building they LIVE_IN, else the first Community they are "
                      "REGISTERED_WITH",
          seed="阳泉: 流动党员和在职党员全部登记入组"),
    Question(code="C16", fetch=fetch_c16, title_zh="网格类型覆盖", title_en="Compounds per grid type (one network)",
             kind="coverage", assemble=assemble_grid_types, result_type=GridTypeCoverageResult, counted="Compound",
             denominator="Compound, once per grid type present in the scope (a Grid of that type is in it; "
                         "with `--grid-type T` only T, present or not); a rate per type, not one rate",
             rule="a Grid of that grid_type COVERS it or one of its Buildings (types compared exactly, as in "
                  "B5: grid types are open); with `--grid-type` the compounds outside are listed",
             reasons=(NO_GRID_OF_TYPE,),
             parameters={"grid_type": Parameter(None, "--grid-type", "text", help=(
                 "only this grid type (as a ledger writes it: 应急管理网格, 全科网格 …), listing the compounds "
                 "no grid of it covers."), metavar="TYPE")},
             seed='莒南: 党建、综合执法、市场监管、生态环境、应急管理等18类网格统一合并为"一张网"'),
    _rate("C17", "需求办结率", "Demands closed", fetch_c17, "ListItem",
          "its `closed` date is on or before the as-of date, or it has no `closed` date and its `status` is "
          "`closed` (办结). The result also counts the ListItems of every kind (`demand`, `resource`, `project`; "
          "a 问题 is a demand, a 治理 a project: 莒南's 需求、资源、治理) in scope with no `raised` date or one on "
          "or before the as-of date (`kinds`)", NOT_CLOSED,
          denominator="ListItem of kind `demand` with no `raised` date or one on or before the as-of date "
                      "(placed as in B11)", assemble=assemble_list_closure, result_type=ListClosureResult,
          seed="贺州: 67 demands, 36 solved; 莒南's 需求、资源、治理 and 阳泉矿区's 434/558/314 lists (the kinds)"),
    Question(code="C18", fetch=fetch_c18, title_zh="诉求结案率", title_en="Cases closed", kind="coverage",
             assemble=assemble_case_closure, result_type=CaseClosureResult, counted="Case",
             denominator="Case received on or before the as-of date (and, with `--since DATE`, on or after "
                         "DATE), placed where the Community, Compound or Building it is ABOUT is",
             rule="its `closed` date is on or before the as-of date; the result also gives the median days from "
                  "`received` to `closed` of those cases (over the scope and per group; none when none is closed)",
             reasons=(NOT_CLOSED,),
             parameters={"since": Parameter(None, "--since", "date",
                                            help="count only the cases received on or after this date.")},
             seed="阳泉: 收集信息18925条，处置18807条; 莒南: 爱琴海小区 473 工单 in 2022"),
)
