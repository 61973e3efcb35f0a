"""The ``gridgraph`` command line: a thin shell over the Python API (one module per command group)."""

from .base import main  # each command's module is imported when it is used (base.COMMANDS)

__all__ = ["main"]
