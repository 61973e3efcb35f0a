"""Read the governance graph back out of Neo4j into a ``GovernanceGraph``.

Views, stats and exports are functions of the in-memory graph; with ``--neo4j`` they run on what
this reads. One read transaction, one statement per label and per (type, source, target) in the
schema, so only what the schema knows comes back; bookkeeping properties stay behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..graph import GovernanceGraph, paused_gc
from ..schema import NEO4J_BOOKKEEPING_PROPERTIES, NODE_MODELS
from .statements import check_label, check_relationship, relationship_combinations

if TYPE_CHECKING:  # the driver itself is imported where it is used: over half a second, which
    import neo4j  # every command that never talks to Neo4j would pay

__all__ = ["node_read_statement", "relationship_read_statement", "read_graph_from_neo4j"]


def node_read_statement(label: str) -> str:
    """Every node of ``label`` with its properties."""
    check_label(label)
    return f"MATCH (n:{label})\nRETURN properties(n) AS props"


def relationship_read_statement(rel_type: str, source: str, target: str) -> str:
    """Every ``rel_type`` relationship from a ``source`` to a ``target`` node, with its properties."""
    check_relationship(rel_type, source, target)
    return (f"MATCH (a:{source})-[r:{rel_type}]->(b:{target})\n"
            f"RETURN a.id AS source, b.id AS target, properties(r) AS props")


def _native(props: dict[str, Any]) -> dict[str, Any]:
    """Driver values as the embedded graph holds them (Neo4j DATE → ``datetime.date``)."""
    from neo4j.time import Date

    return {key: value.to_native() if isinstance(value, Date) else value
            for key, value in props.items() if key not in NEO4J_BOOKKEEPING_PROPERTIES}


def _read_all(tx: neo4j.ManagedTransaction) -> GovernanceGraph:
    graph = GovernanceGraph()
    for label in NODE_MODELS:
        graph.add_many(label, [_native(record["props"])
                               for record in tx.run(node_read_statement(label))])
    for rel_type, source, target in relationship_combinations():
        records = tx.run(relationship_read_statement(rel_type, source, target))
        graph.relate_many(rel_type, [((source, record["source"]), (target, record["target"]),
                                      _native(record["props"])) for record in records])
    return graph


def read_graph_from_neo4j(driver: neo4j.Driver, *, database: str | None = None) -> GovernanceGraph:
    """The whole graph in ``database`` as a ``GovernanceGraph`` (one read transaction)."""
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        with paused_gc(), driver.session(database=database) as session:
            return session.execute_read(_read_all)
    except (Neo4jError, DriverError) as error:
        raise StoreError(f"cannot read the graph from Neo4j: {error}") from None
