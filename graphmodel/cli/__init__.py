"""The ``gridgraph`` command line: a thin shell over the Python API (one module per command group)."""

from .base import main

__all__ = ["main"]
