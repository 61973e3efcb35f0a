"""What every CSV or XLSX file gridgraph writes shares: formula-safe cells and atomic writes.

A ledger value such as ``=HYPERLINK(...)`` or ``@SUM(A1)`` would run as a formula when a report
is opened in Excel or WPS (CSV/formula injection), so every text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return is written with a leading single quote. Genuine
numbers are left alone: ``-5`` stays a number. Files are written beside their target and renamed
over it, so a failed write never leaves half a file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["safe_cell", "safe_row", "atomic_write_bytes", "atomic_path"]

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


class atomic_path:
    """Context manager yielding a temporary path beside ``path``, renamed over it on success.

    On any exception the temporary file is removed and ``path`` is left as it was.

    Examples
    --------
    >>> with atomic_path("report.xlsx") as temp:      # doctest: +SKIP
    ...     workbook.save(temp)
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def __enter__(self) -> Path:
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        os.close(fd)
        self.temp = Path(name)
        return self.temp

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            # mkstemp creates the file owner-only; a report should get the usual permissions.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.temp, 0o666 & ~umask)
            os.replace(self.temp, self.path)
        else:
            self.temp.unlink(missing_ok=True)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename); returns the path."""
    with atomic_path(path) as temp:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    return Path(path)
