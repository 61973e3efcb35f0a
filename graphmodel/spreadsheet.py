"""What every CSV or XLSX file gridgraph writes shares: formula-safe cells.

A ledger value such as ``=HYPERLINK(...)`` or ``@SUM(A1)`` would run as a formula when a report
is opened in Excel or WPS (CSV/formula injection), so every text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is written with a leading single quote. Genuine
numbers are left alone: ``-5`` stays a number. Files themselves are written with
:func:`graphmodel.atomic.atomic_open`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["safe_cell", "safe_row"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def safe_cell(value: Any) -> Any:
    """``value`` made safe to write into a spreadsheet cell.

    Parameters
    ----------
    value : Any
        A cell value. Only strings can carry a formula; numbers, dates, booleans and ``None``
        are returned unchanged.

    Returns
    -------
    Any
        The value, with a single quote in front of text that a spreadsheet would read as a
        formula. Text that is just a number (``-5``, ``+3.5``, ``12%``) is kept as it is.

    Examples
    --------
    >>> safe_cell("=1+1")
    "'=1+1"
    >>> safe_cell("-5"), safe_cell(-5)
    ('-5', -5)
    >>> safe_cell("幸福小区")
    '幸福小区'
    """
    if not isinstance(value, str) or not value.startswith(_FORMULA_STARTS):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` applied to every value of a row."""
    return [safe_cell(value) for value in values]
