"""The Neo4j store: schema-generated Cypher, the batched loader, the audit backend, the query library.

Everything here talks to a server through the official ``neo4j`` driver; the statements themselves
are pure functions of ``graphmodel.schema`` (see :mod:`.statements`), so they are tested as strings
and linted with Neo4j's Cypher front-end without a server.
"""

from .connection import connect, resolve_database
from .cypher import Neo4jBackend, ReadOnlyRefusal, parse_param, plain_value, plan_refusals, run_cypher
from .library import LibraryQuery, library_queries, library_query
from .loader import DEFAULT_BATCH_SIZE, LoadSummary, load_graph_into_neo4j
from .reader import read_graph_from_neo4j
from .statements import schema_statements

__all__ = [
    "connect", "resolve_database", "Neo4jBackend", "parse_param", "plain_value", "run_cypher",
    "plan_refusals", "ReadOnlyRefusal", "LibraryQuery", "library_queries", "library_query", "DEFAULT_BATCH_SIZE",
    "LoadSummary", "load_graph_into_neo4j", "read_graph_from_neo4j", "schema_statements",
]
