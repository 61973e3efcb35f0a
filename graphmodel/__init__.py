"""gridgraph's domain: the schema, the in-memory graph, the stores and views, and the CLI."""

from .errors import GridgraphError, LedgerError, QueryError, SchemaError, StoreError
from .graph import GovernanceGraph, NodeKey
from .snapshot import load_snapshot, save_snapshot

__all__ = ["GovernanceGraph", "NodeKey", "load_snapshot", "save_snapshot", "GridgraphError",
           "LedgerError", "QueryError", "SchemaError", "StoreError"]
