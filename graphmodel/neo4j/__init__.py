"""The Neo4j store: schema-generated Cypher, the batched loader, the audit backend, the query library.

Everything here talks to a server through the official ``neo4j`` driver; the statements themselves
are pure functions of ``graphmodel.schema`` (see :mod:`.statements`), so they are tested as strings
and linted with Neo4j's Cypher front-end without a server.
"""

__all__ = [
    "connect", "resolve_database", "Neo4jBackend", "parse_param", "plain_value", "run_cypher",
    "write_clauses", "LibraryQuery", "library_queries", "library_query", "DEFAULT_BATCH_SIZE",
    "LoadSummary", "load_graph_into_neo4j", "read_graph_from_neo4j", "schema_statements",
]

# Imported on first use: the driver takes a while to import, and most commands never need it.
_HOMES = {"connect": "connection", "resolve_database": "connection", "Neo4jBackend": "cypher",
          "parse_param": "cypher", "plain_value": "cypher", "run_cypher": "cypher",
          "write_clauses": "cypher", "LibraryQuery": "library", "library_queries": "library",
          "library_query": "library", "DEFAULT_BATCH_SIZE": "statements", "LoadSummary": "loader",
          "load_graph_into_neo4j": "loader", "read_graph_from_neo4j": "reader",
          "schema_statements": "statements"}


def __getattr__(name: str):
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
