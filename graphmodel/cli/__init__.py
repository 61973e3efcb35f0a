"""The ``gridgraph`` command line: a thin shell over the Python API (one module per command group)."""

from .base import main

__all__ = ["main"]
from . import audit  # noqa: F401  (registers commands)
from . import neo4j  # noqa: F401  (registers commands)
from . import ledgers  # noqa: F401  (registers commands)
from . import sample  # noqa: F401  (registers commands)
from . import view  # noqa: F401  (registers commands)
