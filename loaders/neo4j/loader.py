"""Load a GovernanceGraph into Neo4j: constraints first, batched UNWIND … MERGE, idempotent.

Every batch runs in its own managed write transaction (``session.execute_write``), which the
driver retries on transient errors (leader switch in a cluster, deadlock). MERGE makes a batch
safe to repeat, so a load that stopped half way is finished by running it again.

What vanished from the ledgers is removed at the end, per load scope: every node and relationship
carries ``load_scopes``, the scopes of every load that holds it (a scope is by default the
District ids of the ledgers, e.g. ``"D01"``). After all merges, what this scope held and the load
did not write loses this scope, and is deleted when no other scope holds it. A load that fails
before that step deletes nothing.

Two loads of overlapping scopes never run at once: each holds a lock in the database
(:mod:`.lock`) from before its first merge to its end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphmodel.errors import StoreError
from graphmodel.graph import GovernanceGraph
from graphmodel.schema import NODE_MODELS, RELATIONSHIPS
from graphmodel.neo4j.statements import (
    DEFAULT_BATCH_SIZE, IDENTITY_SEPARATOR, LOAD_SCOPES, REL_KEY, check_label, check_relationship,
    delete_vanished_nodes_statement, delete_vanished_relationships_statement, node_merge_statement,
    relationship_combinations, relationship_identity, relationship_merge_statement,
    schema_statements,
)

from .lock import ScopeLock, lock_parts

if TYPE_CHECKING:  # the driver itself is imported where it is used: over half a second, which
    import neo4j  # every command that never talks to Neo4j would pay

__all__ = ["LoadSummary", "load_graph_into_neo4j", "load_scope", "node_rows",
           "relationship_rows", "DEFAULT_BATCH_SIZE"]

Progress = Callable[[str, int, int], None]
"""``progress(step, rows_done, rows_total)``, called after every committed batch."""


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
    rows: dict[str, int] = field(default_factory=dict)  # rows sent per label / relationship type

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
                f"({self.batches_committed} batches committed)")


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
    """``{id, props}`` rows for every node of ``label``; props are the node's attributes."""
    check_label(label)
    rows = []
    for (_, node_id), attrs in graph.nodes(label):
        props = {key: value for key, value in attrs.items() if key != "label" and value is not None}
        props[LOAD_SCOPES] = [scope]
        rows.append({"id": node_id, "props": props})
    return rows


def relationship_rows(graph: GovernanceGraph, scope: str) -> dict[tuple[str, str, str], list[dict]]:
    """``{source, target, key, props}`` rows grouped by ``(type, source label, target label)``."""
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for source, target, attrs in graph.relationships():
        rel_type = attrs["type"]
        props = {key: value for key, value in attrs.items() if key != "type" and value is not None}
        key = RELATIONSHIPS[rel_type].identity(props)
        props[REL_KEY] = key
        props[LOAD_SCOPES] = [scope]
        grouped[check_relationship(rel_type, source[0], target[0])].append(
            {"source": source[1], "target": target[1], "key": key, "props": props})
    return dict(grouped)


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
    def run(step: str, statement: str, parameters: dict) -> int:
        lock.beat()
        return _run(session, summary, statement, parameters)

    ids: dict[str, list[str]] = {}
    for label in NODE_MODELS:
        rows = node_rows(graph, label, summary.scope)
        ids[label] = [row["id"] for row in rows]
        created_before = summary.nodes_created
        written = _merge_batches(run, label, node_merge_statement(label), rows,
                                 summary.scope, batch_size, progress)
        summary.nodes_updated += written - (summary.nodes_created - created_before)
        summary.rows[label] = len(rows)

    grouped = relationship_rows(graph, summary.scope)
    for combination, rows in grouped.items():
        step = "{}({}->{})".format(*combination)
        created_before = summary.relationships_created
        written = _merge_batches(run, step, relationship_merge_statement(*combination), rows,
                                 summary.scope, batch_size, progress)
        summary.relationships_updated += written - (summary.relationships_created - created_before)
        summary.rows[combination[0]] = summary.rows.get(combination[0], 0) + len(rows)

    # Removal: every combination and label the schema knows, so a type that vanished entirely
    # from the ledgers is removed too.
    for combination in relationship_combinations():
        keys = [relationship_identity(row["source"], row["target"], row["key"])
                for row in grouped.get(combination, [])]
        run("delete", delete_vanished_relationships_statement(*combination),
            {"scope": summary.scope, "keys": keys, "separator": IDENTITY_SEPARATOR})
    for label in NODE_MODELS:
        run("delete", delete_vanished_nodes_statement(label),
            {"scope": summary.scope, "ids": ids[label]})


def _merge_batches(run: Callable[[str, str, dict], int], step: str, statement: str, rows: list,
                   scope: str, batch_size: int, progress: Progress | None) -> int:
    written = done = 0
    for batch in _batches(rows, batch_size):
        written += run(step, statement, {"rows": batch, "scope": scope})
        done += len(batch)
        if progress is not None:
            progress(step, done, len(rows))
    return written

