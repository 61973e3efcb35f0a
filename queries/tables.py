"""The tabular face of every question's result: what reports (table, CSV, JSON, XLSX, Markdown) render.

Each typed result knows how to lay itself out as one or more ``Table`` objects; renderers know
nothing about questions. Column titles exist in Chinese and English (``--lang``); columns that
carry personal information are flagged so reports can mask them unless ``--show-pii``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphmodel.words import Words

__all__ = ["Column", "Table", "Words"]


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    pii: str | None = None  # "phone": masked as 138****5678; "secret": dropped unless --show-pii

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class Table:
    """One sheet of a report: a title, typed columns and rows of plain values keyed by column."""

    code: str  # question code, e.g. "C1"; a suffix tells apart several tables of one question
    title_zh: str
    title_en: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: ``"line"``: an XLSX report also draws the table as a line chart, one line per row over
    #: its rate columns (a timeline).
    chart: str | None = None

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en
