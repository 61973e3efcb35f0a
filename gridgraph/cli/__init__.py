"""The ``gridgraph`` command line: a thin shell over the Python API (one module per command group)."""

from . import audit, diff, ledgers, neo4j, report, sample, view  # noqa: F401  (importing registers their commands)
from .base import main

__all__ = ["main"]
