"""B8 组织体系断链: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.schema import PartyOrgKind

from ...blindspots import _allowed_parents, _blind_spot, _on_cycle, _spot
from ...embedded import GraphIndex
from ...question import Reason


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


QUESTION = _blind_spot("B8", "组织体系断链", "Broken party hierarchy", fetch_b8, "PartyOrg",
                       Reason("cycle", "上下级成环", "on an UNDER cycle", "on an UNDER cycle"),
                       Reason("impossible_parent", "上级组织层级不符", "parent of an impossible level",
                              "its parent's kind is not in `PartyOrgKind.allowed_parents`"),
                       Reason("no_path_to_street", "未接入街道党工委", "no path to a street-level organisation",
                              "not in a cycle, and following UNDER never reaches a street-level organisation (kind "
                              "`working_committee`, or BASED_IN a Street) — a street-level organisation itself is fine"),
                       seed="阳泉's 五级架构 from 街道大工委 down, unbroken")
