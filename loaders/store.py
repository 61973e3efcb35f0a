"""Open a graph from wherever it lives: a snapshot file, or a ledger folder/workbook loaded on the fly."""

from __future__ import annotations

import os
from pathlib import Path

from collections.abc import Callable

from graphmodel.graph import GovernanceGraph
from graphmodel.snapshot import load_snapshot

from .build import load_ledgers

Progress = Callable[[str, int, int], None]

__all__ = ["open_graph", "is_ledger_source"]

_LEDGER_SUFFIXES = {".xlsx", ".xlsm", ".csv"}


def is_ledger_source(path: str | os.PathLike) -> bool:
    """A folder of ledgers or a single workbook, rather than a snapshot."""
    path = Path(path)
    return path.is_dir() or path.suffix.lower() in _LEDGER_SUFFIXES


def open_graph(path: str | os.PathLike, *, skip_invalid: bool = False,
               progress: Progress | None = None) -> GovernanceGraph:
    """The graph in a snapshot, or built from ledgers (strictly, unless ``skip_invalid``);
    ``progress(step, done, total)`` as the ledgers or the snapshot's tables are read."""
    if is_ledger_source(path):
        return load_ledgers(path, skip_invalid=skip_invalid, progress=progress).graph
    return load_snapshot(path, progress=progress)
