"""A problem found in the ledgers: where it is (file, sheet, row, column), the value and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphmodel.terminal import visible
from graphmodel.words import Words

__all__ = ["Problem", "counted"]

_SHOWN_CHARS = 60  # of a value; a cell that swallowed rows can be long


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the ledgers, located as a clerk would find it.

    ``row`` is the spreadsheet row number (the header is row 1, the first data row 2); ``None``
    for a problem with a whole file or ledger. ``column`` is the header as written in the file.

    Examples
    --------
    ``reason`` is written ``中文 (English)``; ``str()`` shows it so, ``text(lang)`` in one language.

    >>> problem = Problem("小区.csv", 5, "所属社区编码", "SQ9", "引用的社区不存在 (unknown reference)")
    >>> problem.text("en")
    '小区.csv:5: 所属社区编码=SQ9: unknown reference'
    """

    file: str
    row: int | None
    column: str | None
    value: Any
    reason: str
    sheet: str | None = None
    #: For a follow-on warning (a relationship dropped because it points at a bad row): that row,
    #: as ``(file as displayed, row)``, so a report can collapse the follow-ons of one cause.
    cause: tuple[str, int] | None = None

    def __str__(self) -> str:
        return self._line(self.reason)

    def text(self, lang: str) -> str:
        """The problem as one line with its reason in ``lang`` (zh or en): file, row, column, value, reason."""
        return self._line(self.reason_in(lang))

    def reason_in(self, lang: str) -> str:
        return Words.of_message(self.reason).text(lang)

    def _line(self, reason: str) -> str:
        location = f"{self.file}[{self.sheet}]" if self.sheet else self.file
        if self.row is not None:
            location += f":{self.row}"
        parts = [location]
        if self.column is not None:
            value = "" if self.value is None else str(self.value)
            if len(value) > _SHOWN_CHARS:
                value = f"{value[:_SHOWN_CHARS]}… ({len(value):,} characters)"
            parts.append(f"{self.column}={value}")
        parts.append(reason)
        return visible(": ".join(parts))


def counted(number: int, noun: str) -> str:
    """``1 problem``, ``2 problems``, ``1,234 problems``: a count a clerk reads, never ``problem(s)``.

    >>> counted(1, "problem"), counted(1234, "relationship")
    ('1 problem', '1,234 relationships')
    """
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
