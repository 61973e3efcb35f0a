"""The in-memory governance graph: a NetworkX MultiDiGraph with typed, schema-checked accessors.

Nodes are keyed by ``(label, id)`` because ledger codes are unique per label only. Node
attributes are plain dicts (the model dump plus ``label``) so questions run at NetworkX speed;
``get`` turns one back into its pydantic model when a typed object is wanted. Edges are keyed by
``RelationshipSpec.identity`` so a person can hold two roles in one organisation.

Relationships are kept as columns per type until something walks them node by node (``out``,
``into``, ``nx`` …), whether they come from a snapshot (:meth:`GovernanceGraph.from_columns`) or
from ``relate``: the audits and the snapshot writer read them per type
(:meth:`relationship_columns`), so a city's 700,000 NetworkX adjacency entries are only built for
a view, an export or the Python API. A snapshot's labels and types are not even turned into
Python objects until a question, a view or the API first asks for them: ``stats`` or one
question over a city reads a few of its 30 tables, not all of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import repeat
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from .collector import paused_gc
from .errors import SchemaError
from .schema import NODE_MODELS, RELATIONSHIPS, NodeModel

if TYPE_CHECKING:
    import networkx

__all__ = ["NodeKey", "RelationshipColumns", "GovernanceGraph", "paused_gc", "dicts_of_columns"]

NodeKey = tuple[str, str]
RelationshipColumns = tuple[list[NodeKey], list[NodeKey], "list[dict] | None"]
# What a snapshot hands over per label: its row count, how to make the rows' keys (kept by the
# snapshot: made once) and their attribute dicts; and per type: its count, how to make its columns.
NodeRows = tuple[int, Callable[[], list[NodeKey]], Callable[[], list[dict]]]
RelationshipRows = tuple[int, Callable[[], RelationshipColumns]]
_OUT, _INTO = 0, 1  # the two ways along a relationship (and the two halves of a type's index)
# Per way, label -> the types the schema lets leave (enter) it: walking a node of a city indexes
# only the types it may have.
_TYPES_AT = tuple({label: tuple(rel_type for rel_type, spec in RELATIONSHIPS.items()
                                if label in (spec.sources, spec.targets)[way])
                   for label in NODE_MODELS} for way in (_OUT, _INTO))


class GovernanceGraph:
    """Nodes and relationships of the graph schema (docs/architecture.md) over ``networkx.MultiDiGraph``.

    Examples
    --------
    >>> from graphmodel.schema import Compound, PropertyCompany
    >>> g = GovernanceGraph()
    >>> c = g.add(Compound(id="XQ1", name="幸福小区"))
    >>> p = g.add(PropertyCompany(id="WY1", name="安居物业"))
    >>> g.relate("MANAGES", p, c, start="2024-01-01")
    >>> [key for key, _ in g.into(c, "MANAGES")]
    [('PropertyCompany', 'WY1')]
    """

    def __init__(self) -> None:
        self._by_label: dict[str, dict[str, dict]] = {label: {} for label in NODE_MODELS}
        self._attrs = _NodeAttrs(self._by_label)  # NetworkX's node dict, once it exists
        self._graph: networkx.MultiDiGraph | None = None  # made when first needed (see ``nx``)
        # Relationships not yet in ``_graph``: type -> (source keys, target keys, props or None)
        # (a snapshot's: ``_Unmade`` until first read, see ``_columns_of``), and where each
        # (source, target, edge key) sits in them, so a repeat updates it.
        self._pending: dict[str, RelationshipColumns | _Unmade] = {}
        self._pending_rows: dict[str, dict[tuple[NodeKey, NodeKey, str], int]] = {}
        # ``out``/``into`` before the adjacency exists: type -> (source -> [(target, props)],
        # target -> [(source, props)]), made per type on first use, dropped on any change.
        self._neighbours: dict[str, tuple[dict, dict]] = {}

    @classmethod
    def from_columns(cls, nodes: dict[str, NodeRows],
                     relationships: dict[str, RelationshipRows]) -> "GovernanceGraph":
        """A graph from already validated columns (a snapshot's tables), each label and type
        made into Python objects when first asked for.

        ``nodes``: label -> ``(count, keys, attrs)``, where ``keys()`` gives the key of each row
        (the same list each time) and ``attrs()`` its attribute dict (with ``label``; see
        :func:`dicts_of_columns`). ``relationships``: type -> ``(count, make)``, where ``make()``
        gives ``(source keys, target keys, props)``: the ends are the nodes' own key objects,
        ``props`` a list of property dicts with ``type``, or ``None`` when the type carries no
        properties. Every end node must exist and ids must be unique per label (the snapshot
        checks both, by table, before this).
        """
        graph = cls()
        graph._attrs.unmade.update(nodes)
        graph._attrs.reorder = bool(nodes)
        graph._pending = {rel_type: _Unmade(count, make) for rel_type, (count, make) in relationships.items()}
        return graph

    @property
    def nx(self) -> networkx.MultiDiGraph:
        """The NetworkX graph itself, made (and NetworkX imported) on first use: a graph opened
        from a snapshot answers the audits without it."""
        if self._graph is None:
            self._build_adjacency()
        return self._graph

    def _build_adjacency(self) -> None:
        import networkx

        self._attrs.make_all()
        for rel_type in self._pending:
            self._columns_of(rel_type)
        self._graph = graph = networkx.MultiDiGraph()
        graph._node = self._attrs  # before any view of the graph exists, so they all see it
        pending, self._pending, self._pending_rows, self._neighbours = self._pending, {}, {}, {}
        with paused_gc():
            for key in self._attrs:
                graph._succ[key], graph._pred[key] = {}, {}
            for rel_type, (sources, targets, props) in pending.items():
                if props is None:
                    props = ({"type": rel_type} for _ in sources)
                self.relate_many(rel_type, zip(sources, targets, props), adopt=True)

    # -- building -------------------------------------------------------------------------
    def add(self, node: NodeModel) -> NodeKey:
        """Add (or replace) a node from its model; returns its key."""
        attrs = node.model_dump(mode="python", exclude_none=True)
        return self.add_attrs(node.label, attrs)

    def add_attrs(self, label: str, attrs: dict[str, Any]) -> NodeKey:
        """Add (or update) a node from already validated attributes (snapshots, bulk loaders)."""
        self.add_many(label, (attrs,))
        return label, attrs["id"]

    def add_many(self, label: str, rows: Iterable[dict[str, Any]], *, adopt: bool = False) -> None:
        """Add (or update) many nodes of one label from already validated attribute dicts.

        Writes NetworkX's adjacency dicts directly (once they exist), as ``add_node`` would,
        without its per-call overhead: a city's 340,000 nodes are added in a fraction of the
        time. With ``adopt`` each dict already holds ``label`` and is stored as it is, not copied
        (bulk loaders that build the dicts for the graph).
        """
        if label not in NODE_MODELS:
            raise SchemaError(f"unknown node label {label!r}")
        self._attrs.make(label)
        graph = self._graph
        node, by_label = self._attrs, self._by_label[label]
        succ, pred = (graph._succ, graph._pred) if graph is not None else ({}, {})
        for attrs in rows:
            node_id = attrs["id"]
            key = (label, node_id)
            stored = node.get(key)
            if stored is None:
                stored = node[key] = attrs if adopt else {"label": label, **attrs}
                succ[key], pred[key] = {}, {}
            else:
                stored.update(attrs)
            by_label[node_id] = stored
        if graph is not None:
            _clear_cache(graph)

    def relate(self, rel_type: str, source: NodeKey, target: NodeKey, **props: Any) -> None:
        """Add a relationship after checking its type, end labels and properties against the schema."""
        spec = RELATIONSHIPS.get(rel_type)
        if spec is None:
            raise SchemaError(f"unknown relationship type {rel_type!r}")
        if source[0] not in spec.sources or target[0] not in spec.targets:
            raise SchemaError(f"{rel_type} cannot join {source[0]} to {target[0]}")
        for key in (source, target):
            if key not in self:
                raise SchemaError(f"{rel_type} refers to missing node {key[0]} {key[1]!r}")
        clean = spec.props(**props).model_dump(mode="python", exclude_none=True)
        self.relate_attrs(rel_type, source, target, clean)

    def relate_attrs(self, rel_type: str, source: NodeKey, target: NodeKey, props: dict) -> None:
        """Add a relationship from already validated properties (snapshots, bulk loaders)."""
        self.relate_many(rel_type, ((source, target, props),))

    def relate_many(self, rel_type: str, links: Iterable[tuple[NodeKey, NodeKey, dict]], *,
                    adopt: bool = False) -> None:
        """Add many relationships of one type, ``(source, target, props)`` each, from validated
        properties; both end nodes must exist. An edge with the same identity is updated.

        Like :meth:`add_many`, this fills NetworkX's adjacency dicts directly (the successor and
        predecessor entries share one key dict, as ``add_edge`` makes them). With ``adopt`` each
        props dict already holds ``type`` and is stored as it is, not copied.
        """
        spec = RELATIONSHIPS[rel_type]
        identity = spec.identity if spec.key else None  # most types: one edge key, the type
        if self._graph is None:
            self._neighbours.pop(rel_type, None)
            self._relate_pending(rel_type, identity, links, adopt)
            return
        succ, pred = self._graph._succ, self._graph._pred
        for source, target, props in links:
            out, into = succ.get(source), pred.get(target)
            if out is None or into is None:
                missing = source if out is None else target
                raise SchemaError(f"{rel_type} refers to missing node {missing[0]} {missing[1]!r}")
            key = identity(props) if identity else rel_type
            data = props if adopt else {"type": rel_type, **props}
            edges = out.get(target)
            if edges is None:
                out[target] = into[source] = {key: data}
            elif key in edges:
                edges[key].update(data)
            else:
                edges[key] = data
        _clear_cache(self.nx)

    def relate_columns(self, rel_type: str, sources: list[NodeKey], targets: list[NodeKey],
                       props: list[dict], *, adopt: bool = False) -> None:
        """:meth:`relate_many` given as columns, the way a bulk loader gathers them. A type's first
        relationships, each new and between nodes that exist, are taken as they are (with
        ``adopt``, the lists themselves), without a Python step per relationship."""
        if not (self._graph is None and rel_type not in self._pending
                and self._take_columns(rel_type, sources, targets, props, adopt)):
            self.relate_many(rel_type, zip(sources, targets, props), adopt=adopt)

    def _take_columns(self, rel_type: str, sources: list[NodeKey], targets: list[NodeKey],
                      props: list[dict], adopt: bool) -> bool:
        """Whether the columns became the type's pending columns; not when an end node is missing
        or a relationship comes twice (``_relate_pending`` then reports or merges them)."""
        nodes, spec = self._attrs, RELATIONSHIPS[rel_type]
        for label in dict.fromkeys((*spec.sources, *spec.targets)):  # so that ``in nodes`` holds
            nodes.make(label)
        if not (all(map(nodes.__contains__, sources)) and all(map(nodes.__contains__, targets))):
            return False
        edge_keys = map(spec.identity, props) if spec.key else repeat(rel_type)
        rows = dict(zip(zip(sources, targets, edge_keys), range(len(sources))))
        if len(rows) < len(sources):
            return False
        kept = None
        if spec.props.model_fields:
            kept = props if adopt else [{"type": rel_type, **each} for each in props]
        self._neighbours.pop(rel_type, None)
        self._pending[rel_type] = (sources, targets, kept)
        self._pending_rows[rel_type] = rows
        return True

    def _relate_pending(self, rel_type: str, identity, links: Iterable[tuple[NodeKey, NodeKey, dict]],
                        adopt: bool) -> None:
        """:meth:`relate_many` before the adjacency exists: append to the type's columns (a
        relationship met again, by its edge key, updates the one kept, as in the adjacency)."""
        nodes, spec = self._attrs, RELATIONSHIPS[rel_type]
        for label in dict.fromkeys((*spec.sources, *spec.targets)):  # so that ``in nodes`` holds
            nodes.make(label)
        sources, targets, kept = self._columns_of(rel_type) or ([], [], None)
        with_props = bool(spec.props.model_fields)
        if with_props and kept is None:  # from a snapshot table without property columns
            kept = [{"type": rel_type} for _ in sources]
        rows = self._pending_rows.get(rel_type)
        if rows is None:
            rows = {(source, target, identity(props) if identity else rel_type): row
                    for row, (source, target, props) in enumerate(
                        zip(sources, targets, kept if kept is not None else repeat(None)))}
        for source, target, props in links:
            if source not in nodes or target not in nodes:
                missing = source if source not in nodes else target
                raise SchemaError(f"{rel_type} refers to missing node {missing[0]} {missing[1]!r}")
            edge = (source, target, identity(props) if identity else rel_type)
            row = rows.get(edge)
            if row is not None:
                if kept is not None:
                    kept[row].update(props)
                continue
            rows[edge] = len(sources)
            sources.append(source)
            targets.append(target)
            if with_props:
                kept.append(props if adopt else {"type": rel_type, **props})
        self._pending[rel_type] = (sources, targets, kept)
        self._pending_rows[rel_type] = rows

    # -- reading --------------------------------------------------------------------------
    def __contains__(self, key: object) -> bool:
        if key in self._attrs:
            return True
        return isinstance(key, tuple) and bool(key) and self._attrs.make(key[0]) and key in self._attrs

    def __len__(self) -> int:
        return sum(self.label_counts().values())

    def node(self, key: NodeKey) -> dict[str, Any]:
        """Attributes of one node (``label``, ``id``, ``name`` …); ``KeyError`` if absent."""
        return self._attrs[key]

    @property
    def attrs_by_key(self) -> Mapping[NodeKey, dict[str, Any]]:
        """Every node's attributes by key, without NetworkX's view layer (read only), for
        looking up with ``[key]``: a snapshot's label is made on its first lookup, so walk the
        nodes with :meth:`nodes`, not by iterating this."""
        return self._attrs

    def get(self, key: NodeKey) -> NodeModel:
        """The node as its pydantic model."""
        attrs = dict(self._attrs[key])
        label = attrs.pop("label")
        return NODE_MODELS[label](**attrs)

    def nodes(self, label: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        """``(key, attrs)`` of every node with ``label``, in insertion order."""
        self._attrs.make(label)
        for node_id, attrs in self._by_label[label].items():
            yield (label, node_id), attrs

    def keys(self, label: str) -> list[NodeKey]:
        """The key of every node with ``label``, in insertion order, without making a snapshot's
        node dicts (shared: do not mutate)."""
        unmade = self._attrs.unmade.get(label)
        return unmade[1]() if unmade else list(zip(repeat(label), self._by_label[label]))

    def count(self, label: str) -> int:
        unmade = self._attrs.unmade.get(label)
        return unmade[0] if unmade else len(self._by_label[label])

    def out(self, key: NodeKey, rel_type: str | None = None) -> Iterator[tuple[NodeKey, dict]]:
        """``(target, props)`` of relationships leaving ``key``, optionally of one type (type by
        type, then in the order they were added; or in NetworkX's order once it has been built).
        ``props`` is read only (a relationship without properties may share it with its type)."""
        return self._walk(key, rel_type, _OUT)

    def into(self, key: NodeKey, rel_type: str | None = None) -> Iterator[tuple[NodeKey, dict]]:
        """``(source, props)`` of relationships entering ``key``, optionally of one type (ordered
        as ``out``)."""
        return self._walk(key, rel_type, _INTO)

    def _walk(self, key: NodeKey, rel_type: str | None, way: int) -> Iterator[tuple[NodeKey, dict]]:
        if self._graph is None:
            if key not in self:
                raise KeyError(key)
            # Only the types the schema lets the node have: a community's HOLDS is none, without
            # indexing a city's 100,000 posts to find that out.
            possible = _TYPES_AT[way].get(key[0], ())
            for each_type in possible if rel_type is None else (rel_type,) if rel_type in possible else ():
                if each_type in self._pending:
                    yield from self._neighbours_of(each_type)[way].get(key, ())
            return
        for other, edges in (self._graph._succ if way == _OUT else self._graph._pred)[key].items():
            for props in edges.values():
                if rel_type is None or props["type"] == rel_type:
                    yield other, props

    def _neighbours_of(self, rel_type: str) -> tuple[dict, dict]:
        """One type's relationships by source and by target, from its columns: a view walking a
        few hundred nodes of a city indexes what it walks, not all 700,000 relationships."""
        found = self._neighbours.get(rel_type)
        if found is None:
            forward: dict[NodeKey, list] = {}
            backward: dict[NodeKey, list] = {}
            sources, targets, props = self._columns_of(rel_type) or ((), (), None)
            with paused_gc():
                if props is None:  # one read-only mapping for the type, not a dict per relationship
                    props = repeat(MappingProxyType({"type": rel_type}))
                for source, target, edge in zip(sources, targets, props):
                    ends = forward.get(source)
                    if ends is None:
                        forward[source] = [(target, edge)]
                    else:
                        ends.append((target, edge))
                    ends = backward.get(target)
                    if ends is None:
                        backward[target] = [(source, edge)]
                    else:
                        ends.append((source, edge))
            self._neighbours[rel_type] = found = (forward, backward)
        return found

    def relationships(self, rel_type: str | None = None) -> Iterator[tuple[NodeKey, NodeKey, dict]]:
        """``(source, target, props)`` of every relationship, optionally of one type."""
        for source, target, props in self.nx.edges(data=True):
            if rel_type is None or props["type"] == rel_type:
                yield source, target, props

    def relationship_columns(self) -> Mapping[str, RelationshipColumns]:
        """Every relationship by type as ``(source keys, target keys, props)``, each type in the
        order its relationships were added; ``props`` (the edges' own dicts, with ``type``: do not
        mutate) is ``None`` for types the schema gives no properties. Read from a snapshot's
        columns as they are, without building the adjacency, each type when first looked up."""
        if self._graph is None:
            return _ColumnsByType(self)
        with_props = {rel_type for rel_type, spec in RELATIONSHIPS.items() if spec.props.model_fields}
        columns = {rel_type: ([], [], [] if rel_type in with_props else None) for rel_type in RELATIONSHIPS}
        for source, targets in self._graph._succ.items():
            for target, edges in targets.items():
                for props in edges.values():
                    sources, ends, found = columns[props["type"]]
                    sources.append(source)
                    ends.append(target)
                    if found is not None:
                        found.append(props)
        return columns

    def parent(self, key: NodeKey) -> NodeKey | None:
        """The area or compound a node is PART_OF (the schema allows one), or None."""
        return next((target for target, _ in self.out(key, "PART_OF")), None)

    def label_counts(self) -> dict[str, int]:
        return {label: self.count(label) for label in self._by_label}

    def relationship_counts(self) -> dict[str, int]:
        if self._graph is None:
            return {rel_type: _count(self._pending[rel_type]) if rel_type in self._pending else 0
                    for rel_type in RELATIONSHIPS}
        counts = Counter(props["type"] for _, _, props in self._graph.edges(data=True))
        return {rel_type: counts.get(rel_type, 0) for rel_type in RELATIONSHIPS}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GovernanceGraph):
            return NotImplemented
        return (dict(self.nx.nodes(data=True)) == dict(other.nx.nodes(data=True))
                and _edge_set(self.nx.edges(keys=True, data=True))
                == _edge_set(other.nx.edges(keys=True, data=True)))


    def _columns_of(self, rel_type: str) -> RelationshipColumns | None:
        """One type's pending columns (``None``: none), made from the snapshot's on first use."""
        found = self._pending.get(rel_type)
        if found.__class__ is _Unmade:
            with paused_gc(freeze=True):  # as a snapshot's graph: never rescanned by the collector
                self._pending[rel_type] = found = found.make()  # in place: the types keep their order
        return found


class _Unmade(NamedTuple):
    """A snapshot's relationship type not yet made into columns of Python objects."""

    count: int
    make: Callable[[], RelationshipColumns]


def _count(columns: RelationshipColumns | _Unmade) -> int:
    return columns.count if columns.__class__ is _Unmade else len(columns[0])


class _ColumnsByType(Mapping):
    """A graph's pending relationship columns by type, each made when first looked up."""

    def __init__(self, graph: GovernanceGraph):
        self._graph = graph

    def __getitem__(self, rel_type: str) -> RelationshipColumns:
        found = self._graph._columns_of(rel_type)
        if found is None:
            raise KeyError(rel_type)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._graph._pending))

    def __len__(self) -> int:
        return len(self._graph._pending)


class _NodeAttrs(dict):
    """Node key -> attributes, of every label made so far; a snapshot's label is made (its
    dicts built, into ``by_label`` too) by ``make`` or on its first lookup by ``[key]``."""

    __slots__ = ("by_label", "unmade", "reorder")

    def __init__(self, by_label: dict[str, dict[str, dict]]):
        super().__init__()
        self.by_label = by_label
        self.unmade: dict[str, NodeRows] = {}
        self.reorder = False  # a snapshot's labels, made in the order they were asked for

    def __missing__(self, key: NodeKey) -> dict[str, Any]:
        if isinstance(key, tuple) and key and self.make(key[0]):
            return self[key]
        raise KeyError(key)

    def make(self, label: str) -> bool:
        """Make ``label``'s nodes if they are not yet made; whether it made any."""
        unmade = self.unmade.pop(label, None) if self.unmade else None
        if unmade is None:
            return False
        found = self.by_label[label]
        with paused_gc(freeze=True):  # as a snapshot's graph: never rescanned by the collector
            for key, attrs in zip(unmade[1](), unmade[2]()):
                self[key] = found[key[1]] = attrs
        return True

    def make_all(self) -> None:
        """Every label made; a snapshot's nodes then in schema order, as the snapshot lists them
        (NetworkX's node order), whatever order they were asked for in."""
        while self.unmade:
            self.make(next(iter(self.unmade)))
        if self.reorder:
            ordered = [((label, node_id), attrs) for label in NODE_MODELS
                       for node_id, attrs in self.by_label[label].items()]
            self.clear()
            self.update(ordered)
            self.reorder = False


def _clear_cache(graph: networkx.MultiDiGraph) -> None:
    """Drop NetworkX's cached views after writing its dicts directly (``nx._clear_cache``)."""
    cache = getattr(graph, "__networkx_cache__", None)
    if cache:
        cache.clear()


def dicts_of_columns(columns: dict[str, list], first: str, value: Any) -> list[dict[str, Any]]:
    """One dict per row of ``columns``, starting with ``first: value`` and without the ``None``
    values (as a model dump with ``exclude_none``)."""
    # Columns without gaps go into each dict at once (fast); the others value by value.
    full = {name: values for name, values in columns.items() if None not in values}
    names = [first, *full]
    length = len(next(iter(columns.values()))) if columns else 0  # not repeat(): no full column, no end
    rows = [dict(zip(names, values)) for values in zip([value] * length, *full.values())]
    for name, values in columns.items():
        if name not in full:
            for attrs, cell in zip(rows, values):
                if cell is not None:
                    attrs[name] = cell
    return rows


def _edge_set(edges: Iterable) -> set:
    return {(source, target, key, tuple(sorted(props.items()))) for source, target, key, props in edges}
