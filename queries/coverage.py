"""Coverage questions (C…): how many compounds, buildings, grids, companies and committees are covered.

The library of the coverage questions: each question (``queries/questions/C1/`` …) is a fetch step
(``fetch_c1`` …: plain fact rows from a ``GraphIndex``) and a shared assemble step from here
(``assemble_coverage``, ``assemble_registration``). Fact rows carry the place of the
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
from graphmodel.schema import (GridType, ListKind, ListStatus, OwnerCommitteeKind, Role, VenueKind, grid_type_zh,
                               normalize_grid_type, parse_date)

from .context import UNPLACED_ZH, AssembleContext
from .embedded import PLACE_KEYS, GraphIndex
from .question import Parameter, Question, Reason
from .results import (CaseClosureResult, CoverageResult, GridTypeCoverageResult, GridTypeRate, GroupCount, GroupMedian,
                      GroupRate, GroupRegistration, Item, ListClosureResult, Registration, RegistrationResult,
                      VenueAreaResult, trusted)

__all__ = ["is_closed_by", "party_member_rows", "compound_party_orgs", "assemble_list_closure",
           "venue_compounds", "assemble_coverage", "assemble_venue_area", "assemble_grid_types",
           "assemble_case_closure", "date_param", "assemble_registration"]

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


def compound_party_orgs(index: GraphIndex, compound: NodeKey, day: dt.date) -> list[NodeKey]:
    """The party organisations of a compound (C1, B1, X2): those BASED_IN it, and those BASED_IN an
    owner committee (any kind) that currently represents it — 贺州's 业委会党支部."""
    orgs = list(index.based_in.get(compound, ()))
    for committee in index.current_committees(compound, day):
        orgs.extend(index.based_in.get(committee, ()))
    return orgs


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


# -- one network (一张网, C16) and cases (诉求工单, C18) -------------------------------------------------
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
