"""The questions in Cypher: the Neo4j audit backend, ad-hoc read-only statements, the query library.

The embedded twin of :class:`Neo4jBackend` is :class:`queries.embedded.EmbeddedBackend`.
"""

from .cypher import (Neo4jBackend, ReadOnlyRefusal, parse_param, plain_value, plan_refusals,
                     run_cypher, run_statement, stream_statement)
from .library import LibraryQuery, library_queries, library_query

__all__ = ["Neo4jBackend", "ReadOnlyRefusal", "parse_param", "plain_value", "plan_refusals",
           "run_cypher", "run_statement", "stream_statement", "LibraryQuery", "library_queries", "library_query"]
