"""Blind-spot questions (B…): the compounds, buildings, grids, companies, organisations and
committees that are missing something, each with a reason code (docs/definitions.md).

The library of the blind-spot questions (``queries/questions/B1/`` …): their assembly and what
their fetches share. Every fetch step returns one row per (thing, reason, detail)::

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
from graphmodel.schema import ListKind, OwnerCommitteeKind, PartyOrgKind, Role

from .context import AssembleContext
from .coverage import _groups, _header, _item_order
from .embedded import GraphIndex
from .question import Question, Reason
from .results import BlindSpotResult, GroupCount, Item, RecentCasesResult, trusted

__all__ = ["assemble_blind_spots", "assemble_recent_cases"]

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


def _covering_grids(index: GraphIndex, building: NodeKey):
    """The grids that cover ``building``: those that COVER it or its compound, each once."""
    compound = index.parent.get(building)
    grids = index.covered_by.get(building, ())  # each grid once: a grid COVERS a thing at most once
    inherited = index.covered_by.get(compound, ()) if compound is not None else ()
    if inherited:
        grids = set(grids).union(inherited) if grids else inherited
    return grids


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
