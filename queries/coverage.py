"""Coverage questions C1–C12: how many compounds, buildings, grids, companies and committees are covered.

Each question is a fetch step (``fetch_c1`` …: plain fact rows from a ``GraphIndex``) and a shared
assemble step (``assemble_coverage``, ``assemble_registration``). Fact rows carry the place of the
counted thing as ids: ``community_id``, ``street_id``, ``district_id`` (lowest known level required,
the others may be ``None``). Definitions: docs/definitions.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from operator import itemgetter
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.schema import OwnerCommitteeKind, Role

from .context import REASONS, UNPLACED_ZH, AssembleContext
from .embedded import GraphIndex, is_current_committee
from .results import (CoverageResult, GroupRate, GroupRegistration, Item, Registration, RegistrationResult,
                      trusted)

__all__ = ["fetch_c1", "fetch_c2", "fetch_c3", "fetch_c4", "fetch_c5", "fetch_c6", "fetch_c7",
           "fetch_c8", "fetch_c9", "fetch_c10", "fetch_c11", "fetch_c12", "assemble_coverage",
           "assemble_registration", "COVERAGE_SPECS"]

OWNERS = frozenset({OwnerCommitteeKind.OWNERS_COMMITTEE.value})
OWNERS_OR_MANAGEMENT = frozenset({OwnerCommitteeKind.OWNERS_COMMITTEE.value,
                                  OwnerCommitteeKind.MANAGEMENT_COMMITTEE.value})
BUILDING_LEADER = frozenset({Role.BUILDING_LEADER.value})
GRID_STAFF = frozenset({Role.GRID_WORKER.value, Role.GRID_LEADER.value})
INSTRUCTOR = frozenset({Role.INSTRUCTOR.value})

#: code -> (counted label, reason code of a missing item)
COVERAGE_SPECS = {
    "C1": ("Compound", "no_party_org"), "C2": ("Compound", "no_contract"),
    "C3": ("Compound", "no_owners_committee"), "C4": ("Compound", "no_owner_committee"),
    "C5": ("Building", "no_party_group"), "C6": ("Grid", "no_party_branch"),
    "C7": ("PropertyCompany", "no_party_org"), "C8": ("PropertyCompany", "no_party_coverage"),
    "C9": ("OwnerCommittee", "no_party_org"), "C10": ("Building", "no_building_leader"),
    "C11": ("Grid", "no_grid_worker"),
}


def fetch_c1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C1 rows: one per Compound, ``{id, name, community_id, street_id, district_id, covered}``.

    ``covered``: at least one PartyOrg is BASED_IN the compound.
    """
    return _rows(index, "Compound", as_of, lambda key, day: key in index.based_in)


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


def assemble_coverage(rows: list[dict[str, Any]], ctx: AssembleContext) -> CoverageResult:
    """The rate of a coverage question over the scope, per group, and its missing items.

    A thing given by several rows (a property company, once per compound) counts once, placed at
    its first in-scope row by ``compound_id``.
    """
    label, reason = COVERAGE_SPECS[ctx.question.code]
    reason_zh = REASONS[reason][0]
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
                "reason": reason, "reason_zh": reason_zh, "detail": None})))
    missing = [item for order in sorted(missing_at)
               for _, item in sorted(missing_at[order], key=itemgetter(0))]
    groups = [GroupRate(id=group, name=name, numerator=covered[group], denominator=counted[group])
              for group, name in _groups(ctx, counted)]
    return CoverageResult(**_header(ctx), label=label, numerator=sum(covered.values()),
                          denominator=len(located), groups=groups, missing=missing)


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
