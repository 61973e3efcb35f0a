"""The Neo4j store at ground level: the connection, schema-generated Cypher, reading a graph back.

Everything here talks to a server through the official ``neo4j`` driver; the statements themselves
are pure functions of ``graphmodel.schema`` (see :mod:`.statements`), so they are tested as strings
and linted with Neo4j's Cypher front-end without a server. Loading into Neo4j lives in
``loaders.neo4j``; the questions in Cypher in ``queries.neo4j``.
"""

from .connection import connect, resolve_database
from .reader import read_graph_from_neo4j
from .statements import schema_statements

__all__ = ["connect", "resolve_database", "read_graph_from_neo4j", "schema_statements"]
