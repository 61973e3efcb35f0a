"""Ledger files in → validated records → a governance graph (docs/ledgers.md).

>>> from loaders import load_ledgers                            # doctest: +SKIP
>>> result = load_ledgers("ledgers/")                           # doctest: +SKIP
>>> result.graph.count("Compound")                              # doctest: +SKIP
148
"""

from .build import LoadResult, load_ledgers, load_to_snapshot
from .problems import Problem
from .specs import LEDGERS, LEDGERS_BY_NAME, Column, LedgerSpec, ledger_reference

__all__ = ["load_ledgers", "load_to_snapshot", "LoadResult", "Problem", "LEDGERS", "LEDGERS_BY_NAME", "Column",
           "LedgerSpec", "ledger_reference"]
