"""Load a GovernanceGraph into Neo4j: constraints first, then only what differs, in large batches.

A load first reads, once per label and relationship type, what the database already holds of its
rows: the stored ``load_hash`` (a digest of what the last load wrote) and whether its scope holds
them. Rows the database lacks are written with CREATE (nodes) or MERGE (relationships) and
nothing to compare; rows whose hash or scopes differ are merged; unchanged rows are not sent. A
load into a database that holds nothing yet, with no other load running, builds it alone (its
lock then keeps every other load out, :mod:`.lock`): the relationships of the nodes it creates
cannot exist yet, and are CREATEd too.
A label or type whose rows are those the scope's last finished load wrote, and which no other
load has rewritten since, is not even looked up (:mod:`.scopes`). So a first load is bound by
Neo4j's write rate, and an unchanged re-load writes nothing and reads next to nothing.

Every batch runs in its own managed write transaction (``session.execute_write``), which the
driver retries on transient errors (leader switch in a cluster, deadlock). Every write is safe to
repeat, so a load that stopped half way is finished by running it again.

What vanished from the ledgers is removed at the end, per load scope: every node and relationship
carries ``load_scopes``, the scopes of every load that holds it (a scope is by default the
District ids of the ledgers, e.g. ``"D01"``). After all writes, what this scope held and the load
did not write loses this scope, and is deleted when no other scope holds it. A load that fails
before that step deletes nothing. A scope's first load skips the step (:mod:`.scopes`): it held
nothing, and the step reads the whole database.

Two loads of overlapping scopes never run at once: each holds a lock in the database
(:mod:`.lock`) from before its first read to its end.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from graphmodel.errors import StoreError
from graphmodel.graph import GovernanceGraph, RelationshipColumns
from graphmodel.schema import NODE_MODELS, RELATIONSHIPS
from graphmodel.neo4j.statements import (
    DEFAULT_BATCH_SIZE, IDENTITY_SEPARATOR, LOAD_HASH, LOAD_SCOPES, REL_KEY, check_label,
    check_relationship, content_hash, database_empty_statement, delete_vanished_nodes_statement,
    delete_vanished_relationships_statement, label_count_statement, node_create_statement,
    node_merge_statement, relationship_combinations, relationship_create_statement,
    relationship_identity, relationship_merge_statement, schema_statements, stored_nodes_statement,
    stored_relationships_statement,
)

from .lock import ScopeLock, lock_parts
from .scopes import enter_scope, mark_rewritten, record_held, rows_digest

if TYPE_CHECKING:  # the driver itself is imported where it is used: over half a second, which
    import neo4j  # every command that never talks to Neo4j would pay

__all__ = ["LoadSummary", "load_graph_into_neo4j", "load_scope", "node_rows",
           "relationship_rows", "load_digests", "DEFAULT_BATCH_SIZE"]

Progress = Callable[[str, int, int], None]
"""``progress(step, rows_done, rows_total)`` after every committed batch: the rows of the whole load
(unchanged rows count as done once they are known to be), ``step`` the label or type written."""

#: Names how ``node_rows`` and ``relationship_rows`` turn a graph into rows, in the digests of
#: :mod:`.scopes`: a new name when they change, so that no load trusts an older load's digests.
_ROWS_FORMAT = "rows-1"

#: Ids per read transaction when reading what the database holds.
READ_BATCH_SIZE = 50_000


@dataclass
class LoadSummary:
    """What a load changed, from the servers' update counters; all zero when nothing changed."""

    scope: str
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    constraints_added: int = 0
    indexes_added: int = 0
    batches_committed: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # rows per label / relationship type
    rows_unchanged: int = 0  # rows the database already held as they are: not sent
    first_of_scope: bool = False  # the scope held nothing before: no removal pass (see .scopes)
    alone: bool = False  # built an empty database with no other load running: relationships CREATEd
    removals_skipped: int = 0  # labels and types known to have lost nothing (see .scopes)

    @property
    def changed(self) -> bool:
        return any((self.nodes_created, self.nodes_updated, self.nodes_deleted,
                    self.relationships_created, self.relationships_updated,
                    self.relationships_deleted, self.properties_set, self.constraints_added,
                    self.indexes_added))

    def add_counters(self, counters: neo4j.SummaryCounters) -> None:
        self.nodes_created += counters.nodes_created
        self.nodes_deleted += counters.nodes_deleted
        self.relationships_created += counters.relationships_created
        self.relationships_deleted += counters.relationships_deleted
        self.properties_set += counters.properties_set
        self.constraints_added += counters.constraints_added
        self.indexes_added += counters.indexes_added

    def __str__(self) -> str:
        return (f"scope {self.scope}: nodes +{self.nodes_created} ~{self.nodes_updated} "
                f"-{self.nodes_deleted}, relationships +{self.relationships_created} "
                f"~{self.relationships_updated} -{self.relationships_deleted} "
                f"({self.batches_committed} batches committed"
                f"{'; the empty database built alone' if self.alone else ''})")


def load_scope(graph: GovernanceGraph, scope: str | None = None) -> str:
    """The scope a load owns: ``scope`` if given, else the graph's District ids joined by ``,``."""
    if scope:
        return scope
    districts = sorted(node_id for (_, node_id), _ in graph.nodes("District"))
    if not districts:
        raise StoreError("the ledgers hold no District, so the load has no scope",
                         hint="pass an explicit scope (e.g. the street or city code)")
    return ",".join(districts)


def node_rows(graph: GovernanceGraph, label: str, scope: str) -> list[dict[str, Any]]:
    """``{id, props}`` rows for every node of ``label``; props are the node's attributes, its
    ``load_hash`` and ``load_scopes``."""
    check_label(label)
    rows = []
    for (_, node_id), attrs in graph.nodes(label):
        props = {key: value for key, value in attrs.items() if key != "label" and value is not None}
        props[LOAD_HASH] = content_hash(props)
        props[LOAD_SCOPES] = [scope]
        rows.append({"id": node_id, "props": props})
    return rows


def relationship_rows(graph: GovernanceGraph, scope: str) -> dict[tuple[str, str, str], list[dict]]:
    """``{source, target, key, props}`` rows grouped by ``(type, source label, target label)``.

    Read type by type from the graph's columns, without building its adjacency; a type the schema
    gives no properties has one props dict, hashed once, shared by all its rows (read only)."""
    return _relationship_rows(graph.relationship_columns(), scope)


def _relationship_rows(columns: Mapping[str, RelationshipColumns],
                       scope: str) -> dict[tuple[str, str, str], list[dict]]:
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for rel_type, (sources, targets, found) in columns.items():
        spec = RELATIONSHIPS[rel_type]
        checked: dict[tuple[str, str], tuple[str, str, str]] = {}  # each pair of labels checked once
        if found is None:
            key = spec.identity({})
            shared = _relationship_props({}, key, scope)
            rows = ({"source": source, "target": target, "key": key, "props": shared}
                    for source, target in zip(sources, targets))
        else:
            rows = ({"source": source, "target": target, "key": (key := spec.identity(props)),
                     "props": _relationship_props(props, key, scope)}
                    for source, target, props in zip(sources, targets, found))
        for row in rows:
            source, target = row["source"], row["target"]
            pair = (source[0], target[0])
            combination = checked.get(pair) or checked.setdefault(pair, check_relationship(rel_type, *pair))
            row["source"], row["target"] = source[1], target[1]
            grouped[combination].append(row)
    return dict(grouped)


def _relationship_props(attrs: dict[str, Any], key: str, scope: str) -> dict[str, Any]:
    """What a relationship stores: its properties (``type`` and empty ones left out), its key,
    hash and scope."""
    props = {name: value for name, value in attrs.items() if name != "type" and value is not None}
    props[REL_KEY] = key
    props[LOAD_HASH] = content_hash(props)
    props[LOAD_SCOPES] = [scope]
    return props


def load_digests(graph: GovernanceGraph,
                 columns: Mapping[str, RelationshipColumns] | None = None) -> dict[str, str]:
    """Per label and relationship type the graph holds, the digest of what a load writes of it
    (``columns``: the graph's relationship columns, when already at hand)."""
    columns = graph.relationship_columns() if columns is None else columns
    return {**{label: _nodes_digest(graph, label) for label in NODE_MODELS if graph.count(label)},
            **{rel_type: _relationships_digest(columns[rel_type]) for rel_type in columns if columns[rel_type][0]}}


def _nodes_digest(graph: GovernanceGraph, label: str) -> str:
    """The digest of what a load writes of ``label``, as a scope records it (see .scopes): of the
    attributes the rows are made from, cheaper than each row's ``load_hash``."""
    return rows_digest([_ROWS_FORMAT], [attrs for _, attrs in graph.nodes(label)])


def _relationships_digest(columns: RelationshipColumns) -> str:
    """The digest of what a load writes of one relationship type (its columns in the graph)."""
    sources, targets, found = columns
    return rows_digest([_ROWS_FORMAT], sources, targets, found or [])


def _batches(rows: list, size: int) -> Iterator[list]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _write(tx: neo4j.ManagedTransaction, statement: str, parameters: dict) -> tuple[int, Any]:
    result = tx.run(statement, parameters)
    record = result.single()
    written = record["written"] if record is not None and "written" in record.keys() else 0
    return written, result.consume().counters


def load_graph_into_neo4j(graph: GovernanceGraph, driver: neo4j.Driver, *,
                          database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                          progress: Progress | None = None, scope: str | None = None,
                          wait: bool = False, waiting: Callable[[str], None] | None = None
                          ) -> LoadSummary:
    """Write ``graph`` into Neo4j; re-loading the same ledgers changes nothing.

    Parameters
    ----------
    graph : GovernanceGraph
        The ledgers, loaded and validated.
    driver : neo4j.Driver
        An open driver (``neo4j://`` routing URIs work for clusters and Aura).
    database : str, optional
        Target database; the server's default database when None.
    batch_size : int
        Rows per UNWIND batch, each batch one write transaction.
    progress : callable, optional
        ``progress(step, rows_done, rows_total)`` after every committed batch.
    scope : str, optional
        What this load owns (see module notes); the District ids of ``graph`` by default.
    wait : bool
        When another load holds an overlapping scope: wait for it (``waiting(message)`` is told
        once) instead of refusing with :class:`~loaders.neo4j.lock.LoadLocked`.

    Returns
    -------
    LoadSummary

    Raises
    ------
    StoreError
        When Neo4j refuses or fails; the message says how many batches were committed, the
        error's ``summary`` holds the counts so far. Running the same load again finishes it.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    if batch_size < 1:
        raise StoreError(f"batch size must be at least 1, not {batch_size}")
    summary = LoadSummary(scope=load_scope(graph, scope))
    districts = [node_id for (_, node_id), _ in graph.nodes("District")]
    try:
        with driver.session(database=database) as session:
            for statement in schema_statements():
                _run(session, summary, statement, {})
            lock = ScopeLock(session, summary.scope, lock_parts(summary.scope, districts))
            with lock.held(wait=wait, waiting=waiting):
                _load(session, graph, summary, batch_size, progress, lock)
    except (Neo4jError, DriverError) as error:
        failure = StoreError(
            f"Neo4j load stopped after {summary.batches_committed} committed batches: {error}",
            hint="what was committed is consistent; run the same load again to finish it")
        failure.summary = summary
        raise failure from error
    return summary


def _run(session: neo4j.Session, summary: LoadSummary, statement: str, parameters: dict) -> int:
    """One write transaction; its counters join ``summary``; the rows it wrote."""
    written, counters = session.execute_write(_write, statement, parameters)
    summary.add_counters(counters)
    summary.batches_committed += 1
    return written


def _load(session: neo4j.Session, graph: GovernanceGraph, summary: LoadSummary, batch_size: int,
          progress: Progress | None, lock: ScopeLock) -> None:
    scope = summary.scope
    writer = _Writer(session, summary, batch_size, progress, lock,
                     total=len(graph) + sum(graph.relationship_counts().values()))
    history = enter_scope(session, scope)
    summary.first_of_scope = history.first
    summary.alone = _database_empty(session) and lock.take_whole()
    held: dict[str, int] = {}  # per label and combination, how many of its rows the scope held already
    listed: dict[str, int] = {}  # per label and combination, how many rows this load lists
    # Per label and type, the digest of what the load writes; the ones the scope holds as they are
    # (see .scopes) are neither made into rows nor looked up. A load with no digests to compare
    # (the scope's first, or the one after a killed load) makes them last, while it writes.
    columns = graph.relationship_columns()
    digests = load_digests(graph, columns) if history.digests else None
    unchanged = {name for name, digest in (digests or {}).items() if history.unchanged(name, digest)}
    for label in unchanged.intersection(NODE_MODELS):
        held[label] = listed[label] = summary.rows[label] = graph.count(label)
        writer.unchanged(label, held[label])
    for rel_type in unchanged.intersection(columns):
        sources, targets, _ = columns[rel_type]
        for (source, target), count in Counter(zip(map(itemgetter(0), sources), map(itemgetter(0), targets))).items():
            held[_name((rel_type, source, target))] = listed[_name((rel_type, source, target))] = count
        summary.rows[rel_type] = len(sources)
        writer.unchanged(rel_type, len(sources))

    # The rows are made in a second thread, in the order they are written, while this one waits
    # for the server: each label's rows while the label before is written, the relationship rows
    # while the nodes are. From here on only that thread reads the graph (a snapshot's graph makes
    # its Python objects as they are first asked for).
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        made = {label: pool.submit(node_rows, graph, label, scope) for label in NODE_MODELS if label not in unchanged}
        relationships = pool.submit(_relationship_rows, {rel_type: columns[rel_type] for rel_type in columns
                                                         if rel_type not in unchanged}, scope)
        digests_made = pool.submit(load_digests, graph, columns) if digests is None else None
        nodes: dict[str, list[dict]] = {}
        created: dict[str, set[str]] = {label: set() for label in NODE_MODELS}  # ids the database lacked
        for label, rows_made in made.items():
            nodes[label] = rows = rows_made.result()
            listed[label] = summary.rows[label] = len(rows)
            # Built alone, the database is known empty: no label is counted again, every row is absent.
            absent, differing, held[label], others = ((rows, [], 0, set()) if summary.alone
                                                      else _stored_nodes(session, label, rows, scope))
            if others:
                mark_rewritten(session, scope, label, others)
            created[label] = writer.create_nodes(label, absent)
            writer.merge(label, node_merge_statement(label), differing,
                         len(rows) - len(absent) - len(differing), nodes=True)
        grouped = relationships.result()

        for combination, rows in grouped.items():
            rel_type, source, target = combination
            summary.rows[rel_type] = summary.rows.get(rel_type, 0) + len(rows)
            listed[_name(combination)] = len(rows)
            # A relationship from or to a node this load created cannot be stored yet: not looked up.
            new, old = [], []
            for row in rows:
                (new if row["source"] in created[source] or row["target"] in created[target] else old).append(row)
            differing, held[_name(combination)], others = _stored_relationships(session, combination, old, scope)
            if others:
                mark_rewritten(session, scope, rel_type, others)
            if summary.alone:  # nobody else writes: what this load created has no relationship yet
                writer.create_relationships(_name(combination), relationship_create_statement(*combination), new)
                new = []
            writer.merge(_name(combination), relationship_merge_statement(*combination), new + differing,
                         len(old) - len(differing), nodes=False)

        if not history.first:
            _remove_vanished(writer, nodes, grouped, scope, history.held, held)
        record_held(session, scope, listed, digests if digests_made is None else digests_made.result())
    finally:  # a failed load does not wait for rows it will not write
        pool.shutdown(cancel_futures=True)


def _remove_vanished(writer: _Writer, nodes: dict[str, list[dict]], grouped: dict[tuple, list[dict]],
                     scope: str, held_before: dict[str, int] | None, held: dict[str, int]) -> None:
    """What ``scope`` held and this load does not list loses ``scope``: every combination and label
    the schema knows, so a type that vanished entirely from the ledgers is removed too; but not one
    whose rows the scope held already as many as it held after its last finished load."""
    def lost_nothing(name: str) -> bool:
        known = held_before is not None and held_before.get(name, 0) == held.get(name, 0)
        writer.summary.removals_skipped += known
        return known

    for combination in relationship_combinations():
        if not lost_nothing(_name(combination)):
            keys = [_relationship_id(row) for row in grouped.get(combination, [])]
            writer.run(delete_vanished_relationships_statement(*combination),
                       {"scope": scope, "keys": keys, "separator": IDENTITY_SEPARATOR})
    for label in NODE_MODELS:  # a label the scope holds as it is (no rows made) lost nothing
        if not lost_nothing(label):
            ids = [row["id"] for row in nodes[label]]
            writer.run(delete_vanished_nodes_statement(label), {"scope": scope, "ids": ids})


def _name(combination: tuple[str, str, str]) -> str:
    return "{}({}->{})".format(*combination)


def _relationship_id(row: dict) -> str:
    return relationship_identity(row["source"], row["target"], row["key"])


def _database_empty(session: neo4j.Session) -> bool:
    """Whether the database holds no node of the schema's labels (a missing answer: not known)."""
    return any(empty for empty, in session.execute_read(_read, database_empty_statement(), {}))


def _read(tx: neo4j.ManagedTransaction, statement: str, parameters: dict) -> list[tuple]:
    return [tuple(record.values()) for record in tx.run(statement, parameters)]


def _stored_nodes(session: neo4j.Session, label: str, rows: list[dict],
                  scope: str) -> tuple[list[dict], list[dict], int, set[str]]:
    """The rows whose node the database lacks, those it holds otherwise (another hash, or not held
    by ``scope``), how many ``scope`` holds, and the other scopes holding a node this load rewrites;
    no lookup at all when the database holds no node of ``label`` (a first load)."""
    if not rows or not any(count for count, in session.execute_read(_read, label_count_statement(label), {})):
        return rows, [], 0, set()
    absent, differing, held, holders = [], [], 0, set()
    statement = stored_nodes_statement(label)
    for batch in _batches(rows, READ_BATCH_SIZE):
        parameters = {"ids": [row["id"] for row in batch], "scope": scope,
                      "hashes": [row["props"][LOAD_HASH] for row in batch]}
        [(lacking, other, unheld, rewritten)] = session.execute_read(_read, statement, parameters)
        absent.extend(batch[i] for i in lacking)
        differing.extend(batch[i] for i in other)
        held += len(batch) - unheld
        holders.update(*rewritten)
    return absent, differing, held, holders - {scope}


def _stored_relationships(session: neo4j.Session, combination: tuple[str, str, str],
                          rows: list[dict], scope: str) -> tuple[list[dict], int, set[str]]:
    """The rows the database does not hold as they are (absent, another hash, or not held by
    ``scope``), how many ``scope`` holds, and the other scopes holding one this load rewrites."""
    differing, held, holders = [], 0, set()
    statement = stored_relationships_statement(*combination)
    for batch in _batches(rows, READ_BATCH_SIZE):
        parameters = {"sources": [row["source"] for row in batch], "targets": [row["target"] for row in batch],
                      "keys": [row["key"] for row in batch], "hashes": [row["props"][LOAD_HASH] for row in batch],
                      "scope": scope}
        [(other, unheld, rewritten)] = session.execute_read(_read, statement, parameters)
        differing.extend(batch[i] for i in other)
        held += len(batch) - unheld
        holders.update(*rewritten)
    return differing, held, holders - {scope}


class _Writer:
    """The write transactions of one load: batches, counters, the lock's heartbeat, progress."""

    def __init__(self, session: neo4j.Session, summary: LoadSummary, batch_size: int,
                 progress: Progress | None, lock: ScopeLock, total: int):
        self.session, self.summary, self.batch_size = session, summary, batch_size
        self.progress, self.lock, self.total, self.done = progress, lock, total, 0

    def run(self, statement: str, parameters: dict) -> int:
        self.lock.beat()
        return _run(self.session, self.summary, statement, parameters)

    def _advance(self, step: str, rows: int) -> None:
        self.done += rows
        if self.progress is not None and rows:
            self.progress(step, self.done, self.total)

    def create_nodes(self, label: str, rows: list[dict]) -> set[str]:
        """CREATE what the database did not hold; a batch another load created part of meanwhile
        (refused by the uniqueness constraint, nothing of it written) is merged instead. The ids
        this load created."""
        from neo4j.exceptions import ConstraintError

        created: set[str] = set()
        for batch in _batches(rows, self.batch_size):
            parameters = {"rows": batch, "scope": self.summary.scope}
            try:
                self.run(node_create_statement(label), parameters)
            except ConstraintError:  # which other scope's node it is, is not known: any may hold it
                mark_rewritten(self.session, self.summary.scope, label, None)
                self._merge_batch(node_merge_statement(label), parameters, nodes=True)
            else:
                created.update(row["id"] for row in batch)
            self._advance(label, len(batch))
        return created

    def create_relationships(self, step: str, statement: str, rows: list[dict]) -> None:
        """CREATE relationships that cannot exist yet (see ``LoadSummary.alone``)."""
        for batch in _batches(rows, self.batch_size):
            self.run(statement, {"rows": batch, "scope": self.summary.scope})
            self._advance(step, len(batch))

    def unchanged(self, step: str, rows: int) -> None:
        """``rows`` the database holds as they are: not sent."""
        self.summary.rows_unchanged += rows
        self._advance(step, rows)

    def merge(self, step: str, statement: str, rows: list[dict], unchanged: int, *, nodes: bool) -> None:
        self.unchanged(step, unchanged)
        for batch in _batches(rows, self.batch_size):
            self._merge_batch(statement, {"rows": batch, "scope": self.summary.scope}, nodes=nodes)
            self._advance(step, len(batch))

    def _merge_batch(self, statement: str, parameters: dict, *, nodes: bool) -> None:
        """A MERGE batch: what it wrote beyond what it created counts as updated."""
        counted = "nodes_created" if nodes else "relationships_created"
        created_before = getattr(self.summary, counted)
        written = self.run(statement, parameters)
        updated = written - (getattr(self.summary, counted) - created_before)
        if nodes:
            self.summary.nodes_updated += updated
        else:
            self.summary.relationships_updated += updated
