"""gridgraph's ground floor: the schema, the in-memory graph, snapshots, errors and privacy helpers.

It imports nothing from ``loaders``, ``queries`` or the ``gridgraph`` application above it.
"""

from .errors import GridgraphError, LedgerError, QueryError, SchemaError, StoreError
from .graph import GovernanceGraph, NodeKey
from .snapshot import load_snapshot, save_snapshot

__all__ = ["GovernanceGraph", "NodeKey", "load_snapshot", "save_snapshot", "GridgraphError",
           "LedgerError", "QueryError", "SchemaError", "StoreError"]
