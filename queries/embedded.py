"""The embedded backend: indexes over a ``GovernanceGraph`` that every fetch step shares.

A ``GraphIndex`` walks the graph once and keeps what the questions look up again and again
(where each node is, which nodes have a party organisation based in them, posts by organisation
and by person, contracts by compound and by company …). What depends on the as-of date (current
posts and contracts) is worked out on first use for each date and kept, so one index serves
every date and the questions asked on one date share that work.

``EmbeddedBackend`` is the embedded side of the backend seam: ``fetch_rows(question, params)``
answers a question's fetch step from the index, exactly as the Neo4j backend answers it in Cypher.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property
from typing import Any

from graphmodel.graph import GovernanceGraph, NodeKey, paused_gc
from graphmodel.rules import current_between, is_open_venue


__all__ = ["GraphIndex", "EmbeddedBackend", "fetch_areas", "is_current", "is_current_committee",
           "PLACE_KEYS"]

#: The place fields every fact row carries (ids only; names come from the areas fetch).
PLACE_KEYS = ("community_id", "street_id", "district_id")

Place = tuple[str | None, str | None, str | None]
_NOWHERE: Place = (None, None, None)
_WHERE_PARENT_IS = frozenset({"Compound", "Grid", "Building"})  # PART_OF a Community or a Compound
# Placed where another node is, whose place may depend on the date (a company's, by its contracts):
# a PartyOrg by its first BASED_IN target, a Venue by its first LOCATED_IN target.
_PLACED_BY_A_TARGET = frozenset({"PropertyCompany", "PartyOrg", "Venue"})


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
    """Lookup tables over one graph, built in one pass over its relationships.

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
        self.attrs = graph.attrs_by_key
        self._relationships = graph.relationship_columns()
        self._by_type: dict[str, tuple[dict, dict]] = {}
        self._fixed: dict[NodeKey, Place] = {}
        self._dated: dict[tuple[NodeKey, dt.date], Place] = {}
        self._fields: dict[Place, dict[str, str | None]] = {}
        self._fixed_fields: dict[NodeKey, dict[str, str | None]] = {}
        self._dated_fields: dict[tuple[NodeKey, dt.date], dict[str, str | None]] = {}
        self._days: dict[dt.date, _CurrentFacts] = {}
        self._nodes: dict[str, list[tuple[NodeKey, dict]]] = {}
        self._placed: dict[tuple[str, dt.date], list[tuple[NodeKey, dict, dict]]] = {}

    def nodes(self, label: str) -> list[tuple[NodeKey, dict[str, Any]]]:
        """``(key, attrs)`` of every node with ``label``, as ``graph.nodes``, kept as a list
        (shared: do not mutate): the questions walk a city's 150,000 buildings again and again."""
        found = self._nodes.get(label)
        if found is None:
            self._nodes[label] = found = list(self.graph.nodes(label))
        return found

    def placed_nodes(self, label: str, as_of: dt.date
                     ) -> list[tuple[NodeKey, dict[str, Any], dict[str, str | None]]]:
        """``(key, attrs, place_fields)`` of every node with ``label``, kept for each date
        (shared: do not mutate): the coverage questions row up the same buildings several times."""
        memo = (label, as_of)
        found = self._placed.get(memo)
        if found is None:
            place_fields = self.place_fields
            self._placed[memo] = found = [(key, attrs, place_fields(key, as_of)) for key, attrs in self.nodes(label)]
        return found

    # -- relationships by type, each indexed when a question first needs it ----------------
    @cached_property
    def parent(self) -> dict[NodeKey, NodeKey]:
        sources, targets, _ = self._relationships.get("PART_OF", _NO_LINKS)
        return dict(zip(sources, targets))

    @cached_property
    def under(self) -> dict[NodeKey, list[NodeKey]]:
        return self._forward("UNDER")

    @cached_property
    def member_of(self) -> dict[NodeKey, list[NodeKey]]:
        """Person -> the party organisations they are a member of."""
        return self._forward("MEMBER_OF")

    @cached_property
    def lives_in(self) -> dict[NodeKey, list[NodeKey]]:
        """Person -> the buildings they live in."""
        return self._forward("LIVES_IN")

    @cached_property
    def residents(self) -> dict[NodeKey, list[NodeKey]]:
        """Building -> the people who live in it."""
        return self._both_ways("LIVES_IN")[1]

    @cached_property
    def members(self) -> dict[NodeKey, list[NodeKey]]:
        """Party organisation -> the people who are its members."""
        return self._both_ways("MEMBER_OF")[1]

    @cached_property
    def parts(self) -> dict[NodeKey, list[NodeKey]]:
        """Area or compound -> what is PART_OF it (a community's compounds and grids, a compound's buildings)."""
        return self._both_ways("PART_OF")[1]

    @cached_property
    def located_in(self) -> dict[NodeKey, list[NodeKey]]:
        """Venue -> the places it is LOCATED_IN."""
        return self._forward("LOCATED_IN")

    @cached_property
    def venues_at(self) -> dict[NodeKey, list[NodeKey]]:
        """Place -> the open venues LOCATED_IN it (a venue marked closed counts in no question)."""
        attrs = self.attrs
        found = {}
        for place, venues in self._both_ways("LOCATED_IN")[1].items():
            kept = [venue for venue in venues if is_open_venue(attrs[venue].get("open"))]
            if kept:
                found[place] = kept
        return found

    @cached_property
    def matched(self) -> dict[NodeKey, list[NodeKey]]:
        """Demand or resource item -> the projects that match it."""
        return self._both_ways("MATCHES")[1]

    @cached_property
    def matches(self) -> dict[NodeKey, list[NodeKey]]:
        """Project -> the demand and resource items it matches."""
        return self._both_ways("MATCHES")[0]

    @cached_property
    def list_owner(self) -> dict[NodeKey, NodeKey]:
        """List item -> who raised or offers it (its first RAISED_BY, else OFFERED_BY)."""
        owner: dict[NodeKey, NodeKey] = {}
        for rel_type in ("RAISED_BY", "OFFERED_BY"):
            sources, targets, _ = self._relationships.get(rel_type, _NO_LINKS)
            for source, target in zip(sources, targets):
                owner.setdefault(source, target)
        return owner

    @cached_property
    def about(self) -> dict[NodeKey, list[NodeKey]]:
        """Case -> what it is about (a community, compound or building)."""
        return self._forward("ABOUT")

    covers = property(lambda self: self._both_ways("COVERS")[0], doc="grid -> targets")
    covered_by = property(lambda self: self._both_ways("COVERS")[1], doc="target -> grids")
    bases = property(lambda self: self._both_ways("BASED_IN")[0], doc="org -> targets, sorted")
    based_in = property(lambda self: self._both_ways("BASED_IN")[1], doc="target -> orgs")
    represents = property(lambda self: self._both_ways("REPRESENTS")[0], doc="committee -> compounds")
    represented_by = property(lambda self: self._both_ways("REPRESENTS")[1])
    registered_with = property(lambda self: self._both_ways("REGISTERED_WITH")[0])
    registered = property(lambda self: self._both_ways("REGISTERED_WITH")[1], doc="community -> sources")
    posts_of = property(lambda self: self._both_ways("HOLDS")[0], doc="person -> (org, props)")
    posts_in = property(lambda self: self._both_ways("HOLDS")[1], doc="org -> (person, props)")
    manages_from = property(lambda self: self._both_ways("MANAGES")[0], doc="company -> (compound, props)")
    manages_into = property(lambda self: self._both_ways("MANAGES")[1], doc="compound -> (company, props)")
    ratings = property(lambda self: self._both_ways("RATED")[0], doc="company -> (rating area, props)")

    def _forward(self, rel_type: str) -> dict[NodeKey, list[NodeKey]]:
        found: dict[NodeKey, list[NodeKey]] = defaultdict(list)
        sources, targets, _ = self._relationships.get(rel_type, _NO_LINKS)
        for source, target in zip(sources, targets):
            found[source].append(target)
        return found

    def _both_ways(self, rel_type: str) -> tuple[dict, dict]:
        """``(source -> targets, target -> sources)`` of one type, built once; with
        ``(other end, props)`` entries when the type has properties (posts, contracts)."""
        found = self._by_type.get(rel_type)
        if found is None:
            forward: dict[NodeKey, list] = defaultdict(list)
            backward: dict[NodeKey, list] = defaultdict(list)
            sources, targets, props = self._relationships.get(rel_type, _NO_LINKS)
            with paused_gc():
                if props is None:
                    for source, target in zip(sources, targets):
                        forward[source].append(target)
                        backward[target].append(source)
                else:
                    for source, target, edge in zip(sources, targets, props):
                        forward[source].append((target, edge))
                        backward[target].append((source, edge))
            if rel_type == "BASED_IN":
                for ends in forward.values():
                    ends.sort()
            self._by_type[rel_type] = found = (forward, backward)
        return found

    # -- places ---------------------------------------------------------------------------
    def place(self, key: NodeKey, as_of: dt.date) -> Place:
        """``(community_id, street_id, district_id)`` of a node, per docs/definitions.md.

        Only the lowest known level is guaranteed; the areas fetch fills in the levels above.
        """
        fixed = self._fixed.get(key)
        if fixed is not None:
            return fixed
        label = key[0]
        if label == "ListItem" and not self.attrs[key].get("community_id"):
            owner = self.list_owner.get(key)  # an owning company is placed by its current contracts
            return self.place(owner, as_of) if owner is not None else _NOWHERE
        if label in _PLACED_BY_A_TARGET:
            memo = (key, as_of)
            if memo not in self._dated:
                self._dated[memo] = self._dated_place(key, as_of)
            return self._dated[memo]
        self._fixed[key] = fixed = self._fixed_place(key)
        return fixed

    def place_fields(self, key: NodeKey, as_of: dt.date) -> dict[str, str | None]:
        """``place`` as the ``PLACE_KEYS`` fields of a row (shared: callers copy it with ``**``)."""
        fields = self._fixed_fields.get(key)  # most rows are of things whose place has no date
        if fields is not None:
            return fields
        if key[0] in _WHERE_PARENT_IS:  # one lookup for each of a city's 150,000 buildings
            parent = self.parent.get(key)
            fields = self.place_fields(parent, as_of) if parent is not None else self._place_fields(_NOWHERE)
            self._fixed_fields[key] = fields
            return fields
        memo = (key, as_of)  # a company or party organisation: its place depends on the date
        fields = self._dated_fields.get(memo)
        if fields is None:
            fields = self._place_fields(self.place(key, as_of))
            if key in self._fixed:
                self._fixed_fields[key] = fields
            else:
                self._dated_fields[memo] = fields
        return fields

    def _place_fields(self, place: Place) -> dict[str, str | None]:
        fields = self._fields.get(place)
        if fields is None:
            self._fields[place] = fields = dict(zip(PLACE_KEYS, place))
        return fields

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
        if label in _WHERE_PARENT_IS:
            parent = self.parent.get(key)
            return self.place(parent, dt.date.min) if parent else _NOWHERE
        if label == "OwnerCommittee":
            compounds = sorted(self.represents.get(key, ()))
            return self.place(compounds[0], dt.date.min) if compounds else _NOWHERE
        if label == "ResidentUnit":
            communities = sorted(self.registered_with.get(key, ()))
            return self.place(communities[0], dt.date.min) if communities else _NOWHERE
        if label == "ListItem":  # one with a recorded community (else see ``place``)
            return (self.attrs[key]["community_id"], None, None)
        if label == "Case":  # where the first thing it is about (by label, then id) is
            targets = sorted(self.about.get(key, ()))
            return self.place(targets[0], dt.date.min) if targets else _NOWHERE
        return _NOWHERE

    def _dated_place(self, key: NodeKey, as_of: dt.date) -> Place:
        if key[0] == "PropertyCompany":
            compounds = sorted(c for c, props in self.manages_from.get(key, ()) if is_current(props, as_of))
            return self.place(compounds[0], as_of) if compounds else _NOWHERE
        targets = self.bases.get(key) if key[0] == "PartyOrg" else sorted(self.located_in.get(key, ()))
        return self.place(targets[0], as_of) if targets else _NOWHERE

    # -- shared facts (those that depend on the date are worked out once per date) -------
    def current_posts_in(self, org: NodeKey, as_of: dt.date) -> list[tuple[NodeKey, dict]]:
        """``(person, props)`` of the current posts in ``org`` (shared: do not mutate)."""
        return self._on(as_of).posts_in.get(org, _NONE)

    def current_posts_of(self, person: NodeKey, as_of: dt.date) -> list[tuple[NodeKey, dict]]:
        """``(org, props)`` of the current posts of ``person`` (shared: do not mutate)."""
        return self._on(as_of).posts_of.get(person, _NONE)

    def people_with_current_posts(self, as_of: dt.date) -> dict[NodeKey, list[tuple[NodeKey, dict]]]:
        """Every person with a current post -> those posts (shared: do not mutate)."""
        return self._on(as_of).posts_of

    def has_role(self, org: NodeKey, roles: frozenset[str], as_of: dt.date) -> bool:
        """Someone holds a current post in ``org`` with one of ``roles``."""
        for _, props in self._on(as_of).posts_in.get(org, _NONE):
            if props["role"] in roles:
                return True
        return False

    def current_companies(self, compound: NodeKey, as_of: dt.date) -> list[NodeKey]:
        """Companies with a current MANAGES into ``compound``, sorted, without repeats (shared)."""
        return self._on(as_of).companies.get(compound, _NONE)

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
        """Every company with a current contract -> the compounds it currently manages, sorted
        (shared: do not mutate)."""
        return self._on(as_of).managed

    def _on(self, as_of: dt.date) -> "_CurrentFacts":
        facts = self._days.get(as_of)
        if facts is None:
            with paused_gc():
                self._days[as_of] = facts = _CurrentFacts(self, as_of)
        return facts


class _CurrentFacts:
    """The posts and contracts of one index that are current on one date."""

    def __init__(self, index: GraphIndex, as_of: dt.date):
        self.posts_of = _current_only(index.posts_of, as_of)
        # The same posts by organisation, without testing each date twice; a person's posts lie
        # together in ``posts_of``, so each organisation's list keeps the order of ``index.posts_in``.
        posts_in: dict[NodeKey, list[tuple[NodeKey, dict]]] = defaultdict(list)
        for person, posts in self.posts_of.items():
            for org, props in posts:
                posts_in[org].append((person, props))
        self.posts_in = dict(posts_in)
        contracts = _current_only(index.manages_from, as_of)
        self.managed = {company: sorted({compound for compound, _ in current})
                        for company, current in sorted(contracts.items())}
        companies: dict[NodeKey, set[NodeKey]] = defaultdict(set)
        for company, compounds in self.managed.items():
            for compound in compounds:
                companies[compound].add(company)
        self.companies = {compound: sorted(found) for compound, found in companies.items()}


_NO_LINKS = ((), (), None)
_NONE: list = []  # what a lookup of nothing current returns; shared, never mutated


def _current_only(table: dict[NodeKey, list[tuple[NodeKey, dict]]], as_of: dt.date
                  ) -> dict[NodeKey, list[tuple[NodeKey, dict]]]:
    """``table`` with only its current ``(other end, props)`` entries, and only keys that keep one."""
    current = {}
    for key, entries in table.items():
        kept = [entry for entry in entries if current_between(entry[1].get("start"), entry[1].get("end"), as_of)]
        if kept:
            current[key] = kept
    return current


def fetch_areas(index: GraphIndex) -> list[dict[str, Any]]:
    """Every area: one row per District, Street and Community.

    Row: ``{"label": "District"|"Street"|"Community", "id": str, "name": str,
    "parent_id": str | None}`` — ``parent_id`` is the id of the area it is PART_OF.
    """
    rows = []
    for label in ("District", "Street", "Community"):
        for key, attrs in index.nodes(label):
            parent = index.parent.get(key)
            rows.append({"label": label, "id": key[1], "name": attrs["name"],
                         "parent_id": parent[1] if parent else None})
    return rows


def is_current(props: dict, as_of: dt.date) -> bool:
    """A contract or post with ``start``/``end`` is current on ``as_of`` (``current_between``)."""
    return current_between(props.get("start"), props.get("end"), as_of)


def is_current_committee(attrs: dict, as_of: dt.date) -> bool:
    """An owner committee is current while ``as_of`` lies within its term (``current_between``)."""
    return current_between(attrs.get("term_start"), attrs.get("term_end"), as_of)
