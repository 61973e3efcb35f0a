"""gridgraph's ground floor: the schema, the in-memory graph, snapshots, errors and privacy helpers.

It imports nothing from ``loaders``, ``queries`` or the ``gridgraph`` application above it.
"""

from .errors import GridgraphError, LedgerError, QueryError, SchemaError, StoreError

__all__ = ["GovernanceGraph", "NodeKey", "load_snapshot", "save_snapshot", "GridgraphError",
           "LedgerError", "QueryError", "SchemaError", "StoreError"]

# The graph (NetworkX) and the snapshot (pyarrow) are imported on first use, so that a command
# line that needs neither (``gridgraph --help``) starts at once.
_LAZY = {"GovernanceGraph": "graph", "NodeKey": "graph", "load_snapshot": "snapshot",
         "save_snapshot": "snapshot"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
