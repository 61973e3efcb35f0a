"""One exception family, so callers catch at the level they need and the CLI prints one line."""

from __future__ import annotations

__all__ = ["GridgraphError", "SchemaError", "LedgerError", "StoreError", "QueryError", "OutputError",
           "PrivacyError"]


class GridgraphError(Exception):
    """Base of every error gridgraph raises on purpose; ``hint`` tells the user what to try."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


class SchemaError(GridgraphError):
    """A label, relationship type or value that the schema does not allow."""


class LedgerError(GridgraphError):
    """Ledgers that cannot be read or that fail validation; ``problems`` lists every one."""

    def __init__(self, message: str, problems: list | None = None, hint: str | None = None):
        super().__init__(message, hint)
        self.problems = list(problems or [])


class StoreError(GridgraphError):
    """A snapshot or a Neo4j database that cannot be read or written."""


class QueryError(GridgraphError):
    """A question that cannot be asked: unknown code, unknown scope, refused write."""


class OutputError(GridgraphError):
    """An output that cannot be written, or must not be: over an input, a device, a symlink."""


class PrivacyError(GridgraphError):
    """Personal data that cannot be protected as promised: a weak or unreadable hashing key."""
