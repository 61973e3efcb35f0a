"""The embedded backend: indexes over a ``GovernanceGraph`` that every fetch step shares.

A ``GraphIndex`` walks the graph once and keeps what the questions look up again and again
(where each node is, which nodes have a party organisation based in them, posts by organisation
and by person, contracts by compound and by company …). Everything that depends on the as-of date
is filtered at fetch time, so one index serves every date.

``EmbeddedBackend`` is the embedded side of the backend seam: ``fetch_rows(question, params)``
answers a question's fetch step from the index, exactly as the Neo4j backend answers it in Cypher.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property
from typing import Any

from graphmodel.graph import GovernanceGraph, NodeKey

__all__ = ["GraphIndex", "EmbeddedBackend", "fetch_areas", "is_current", "is_current_committee",
           "PLACE_KEYS"]

#: The place fields every fact row carries (ids only; names come from the areas fetch).
PLACE_KEYS = ("community_id", "street_id", "district_id")

Place = tuple[str | None, str | None, str | None]
_NOWHERE: Place = (None, None, None)


class EmbeddedBackend:
    """Answer fetch steps from an in-memory graph; the index is built on first use and reused."""

    def __init__(self, graph: GovernanceGraph):
        self.graph = graph

    @cached_property
    def index(self) -> "GraphIndex":
        return GraphIndex(self.graph)

    def fetch_rows(self, question, params: dict[str, Any]) -> list[dict[str, Any]]:
        return question.fetch(self.index, **params)


class GraphIndex:
    """Lookup tables over one graph, built in one pass per relationship type.

    Examples
    --------
    >>> from graphmodel.schema import Community, Compound
    >>> g = GovernanceGraph()
    >>> c = g.add(Community(id="SQ1", name="和平社区"))
    >>> x = g.add(Compound(id="XQ1", name="幸福小区"))
    >>> g.relate("PART_OF", x, c)
    >>> GraphIndex(g).place(x, dt.date(2026, 1, 1))
    ('SQ1', None, None)
    """

    def __init__(self, graph: GovernanceGraph):
        self.graph = graph
        self.parent: dict[NodeKey, NodeKey] = {}
        self.based_in: dict[NodeKey, list[NodeKey]] = defaultdict(list)  # target -> orgs
        self.bases: dict[NodeKey, list[NodeKey]] = defaultdict(list)  # org -> targets
        self.manages_into: dict[NodeKey, list[tuple[NodeKey, dict]]] = defaultdict(list)
        self.manages_from: dict[NodeKey, list[tuple[NodeKey, dict]]] = defaultdict(list)
        self.represents: dict[NodeKey, list[NodeKey]] = defaultdict(list)  # committee -> compounds
        self.represented_by: dict[NodeKey, list[NodeKey]] = defaultdict(list)
        self.covers: dict[NodeKey, list[NodeKey]] = defaultdict(list)  # grid -> targets
        self.covered_by: dict[NodeKey, list[NodeKey]] = defaultdict(list)  # target -> grids
        self.under: dict[NodeKey, list[NodeKey]] = defaultdict(list)
        self.posts_in: dict[NodeKey, list[tuple[NodeKey, dict]]] = defaultdict(list)
        self.posts_of: dict[NodeKey, list[tuple[NodeKey, dict]]] = defaultdict(list)
        self.registered: dict[NodeKey, list[NodeKey]] = defaultdict(list)  # community -> sources
        self.registered_with: dict[NodeKey, list[NodeKey]] = defaultdict(list)
        self.list_owner: dict[NodeKey, NodeKey] = {}
        self.matched: dict[NodeKey, list[NodeKey]] = defaultdict(list)  # item -> projects
        tables = {
            "BASED_IN": (self.bases, self.based_in), "REPRESENTS": (self.represents, self.represented_by),
            "COVERS": (self.covers, self.covered_by), "UNDER": (self.under, None),
            "REGISTERED_WITH": (self.registered_with, self.registered),
            "MATCHES": (None, self.matched),
        }
        self.attrs = graph.nx._node  # node key -> attributes, without NetworkX's view layer
        for source, target, props in _edges(graph):
            rel_type = props["type"]
            if rel_type == "PART_OF":
                self.parent[source] = target
            elif rel_type == "HOLDS":
                self.posts_in[target].append((source, props))
                self.posts_of[source].append((target, props))
            elif rel_type == "MANAGES":
                self.manages_into[target].append((source, props))
                self.manages_from[source].append((target, props))
            elif rel_type in ("RAISED_BY", "OFFERED_BY"):
                self.list_owner.setdefault(source, target)
            elif rel_type in tables:
                forward, backward = tables[rel_type]
                if forward is not None:
                    forward[source].append(target)
                if backward is not None:
                    backward[target].append(source)
        for targets in self.bases.values():
            targets.sort()
        self._fixed: dict[NodeKey, Place] = {}
        self._dated: dict[tuple[NodeKey, dt.date], Place] = {}
        self._fields: dict[Place, dict[str, str | None]] = {}

    # -- places ---------------------------------------------------------------------------
    def place(self, key: NodeKey, as_of: dt.date) -> Place:
        """``(community_id, street_id, district_id)`` of a node, per docs/definitions.md.

        Only the lowest known level is guaranteed; the areas fetch fills in the levels above.
        """
        fixed = self._fixed.get(key)
        if fixed is not None:
            return fixed
        label = key[0]
        if label in ("PropertyCompany", "PartyOrg"):
            memo = (key, as_of)
            if memo not in self._dated:
                self._dated[memo] = self._dated_place(key, as_of)
            return self._dated[memo]
        self._fixed[key] = fixed = self._fixed_place(key)
        return fixed

    def place_fields(self, key: NodeKey, as_of: dt.date) -> dict[str, str | None]:
        place = self.place(key, as_of)
        fields = self._fields.get(place)
        if fields is None:
            self._fields[place] = fields = dict(zip(PLACE_KEYS, place))
        return fields  # shared: callers copy it into their rows with **

    def _fixed_place(self, key: NodeKey) -> Place:
        label, node_id = key
        if label == "District":
            return (None, None, node_id)
        if label == "Street":
            district = self.parent.get(key)
            return (None, node_id, district[1] if district else None)
        if label == "Community":
            street = self.parent.get(key)
            return (node_id, street[1] if street else None, None)
        if label in ("Compound", "Grid", "Building"):
            parent = self.parent.get(key)
            return self.place(parent, dt.date.min) if parent else _NOWHERE
        if label == "OwnerCommittee":
            compounds = sorted(self.represents.get(key, ()))
            return self.place(compounds[0], dt.date.min) if compounds else _NOWHERE
        if label == "ResidentUnit":
            communities = sorted(self.registered_with.get(key, ()))
            return self.place(communities[0], dt.date.min) if communities else _NOWHERE
        if label == "ListItem":
            community = self.attrs[key].get("community_id")
            if community:
                return (community, None, None)
            owner = self.list_owner.get(key)
            return self.place(owner, dt.date.min) if owner is not None else _NOWHERE
        return _NOWHERE

    def _dated_place(self, key: NodeKey, as_of: dt.date) -> Place:
        if key[0] == "PropertyCompany":
            compounds = sorted(c for c, props in self.manages_from.get(key, ()) if is_current(props, as_of))
            return self.place(compounds[0], as_of) if compounds else _NOWHERE
        targets = self.bases.get(key)
        return self.place(targets[0], as_of) if targets else _NOWHERE

    # -- shared facts ---------------------------------------------------------------------
    def current_posts_in(self, org: NodeKey, as_of: dt.date) -> list[tuple[NodeKey, dict]]:
        return [(person, props) for person, props in self.posts_in.get(org, ()) if is_current(props, as_of)]

    def current_posts_of(self, person: NodeKey, as_of: dt.date) -> list[tuple[NodeKey, dict]]:
        return [(org, props) for org, props in self.posts_of.get(person, ()) if is_current(props, as_of)]

    def has_role(self, org: NodeKey, roles: frozenset[str], as_of: dt.date) -> bool:
        return any(props["role"] in roles and is_current(props, as_of)
                   for _, props in self.posts_in.get(org, ()))

    def current_companies(self, compound: NodeKey, as_of: dt.date) -> list[NodeKey]:
        """Companies with a current MANAGES into ``compound``, sorted, without repeats."""
        return sorted({c for c, props in self.manages_into.get(compound, ()) if is_current(props, as_of)})

    def current_committees(self, compound: NodeKey, as_of: dt.date,
                           kinds: frozenset[str] | None = None) -> list[NodeKey]:
        """Current owner committees representing ``compound`` (of ``kinds`` when given), sorted."""
        found = []
        for committee in self.represented_by.get(compound, ()):
            attrs = self.attrs[committee]
            if is_current_committee(attrs, as_of) and (kinds is None or attrs["kind"] in kinds):
                found.append(committee)
        return sorted(found)

    def managed_companies(self, as_of: dt.date) -> dict[NodeKey, list[NodeKey]]:
        """Every company with a current contract -> the compounds it currently manages, sorted."""
        companies: dict[NodeKey, set[NodeKey]] = defaultdict(set)
        for company, contracts in self.manages_from.items():
            for compound, props in contracts:
                if is_current(props, as_of):
                    companies[company].add(compound)
        return {company: sorted(compounds) for company, compounds in sorted(companies.items())}


def _edges(graph: GovernanceGraph):
    """``(source, target, props)`` of every relationship, straight from the adjacency dicts (fast)."""
    for source, targets in graph.nx._succ.items():
        for target, edges in targets.items():
            for props in edges.values():
                yield source, target, props


def fetch_areas(index: GraphIndex) -> list[dict[str, Any]]:
    """Every area: one row per District, Street and Community.

    Row: ``{"label": "District"|"Street"|"Community", "id": str, "name": str,
    "parent_id": str | None}`` — ``parent_id`` is the id of the area it is PART_OF.
    """
    rows = []
    for label in ("District", "Street", "Community"):
        for key, attrs in index.graph.nodes(label):
            parent = index.parent.get(key)
            rows.append({"label": label, "id": key[1], "name": attrs["name"],
                         "parent_id": parent[1] if parent else None})
    return rows


def is_current(props: dict, as_of: dt.date) -> bool:
    """A contract or post with ``start``/``end`` is current on ``as_of`` (empty bounds are open)."""
    start, end = props.get("start"), props.get("end")
    return (start is None or start <= as_of) and (end is None or end >= as_of)


def is_current_committee(attrs: dict, as_of: dt.date) -> bool:
    """An owner committee is current while ``as_of`` lies within its term (empty bounds are open)."""
    start, end = attrs.get("term_start"), attrs.get("term_end")
    return (start is None or start <= as_of) and (end is None or end >= as_of)
