"""What a diff compares: the districts of its two sides, and a summary that names them.

A diff of district 371327 with district 110105 compares nothing with nothing: every rate is
"0.0%" on one side and every thing is added or removed, and ``--fail-if-worse`` passes. So a
diff is refused when its two sides share no district, and when they share only some of them
unless asked (``allow_different``): rates over a district that one side lacks are not a change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graphmodel.errors import QueryError
from graphmodel.graph import GovernanceGraph

from .registry import AREAS, backend_for
from .results import _Frozen
from .tables import Column, Table, Words

__all__ = ["AreaOverlap", "DiffSummary", "compare_areas", "check_areas"]

_SHOWN = 5  # districts a message names; more are counted


class AreaOverlap(_Frozen):
    """The District ids of each side of a diff."""

    old: list[str]
    new: list[str]

    @property
    def shared(self) -> list[str]:
        return sorted(set(self.old) & set(self.new))

    @property
    def only_old(self) -> list[str]:
        return sorted(set(self.old) - set(self.new))

    @property
    def only_new(self) -> list[str]:
        return sorted(set(self.new) - set(self.old))

    @property
    def partial(self) -> bool:
        return bool(self.shared) and bool(self.only_old or self.only_new)


def _districts(side: Any) -> list[str]:
    if isinstance(side, GovernanceGraph):  # no index of the whole graph for this
        return sorted(node_id for (_, node_id), _ in side.nodes("District"))
    return sorted(row["id"] for row in backend_for(side).fetch_rows(AREAS, {}) if row["label"] == "District")


def compare_areas(old: Any, new: Any) -> AreaOverlap:
    """The districts of ``old`` and ``new`` (graphs or backends), side by side."""
    return AreaOverlap(old=_districts(old), new=_districts(new))


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:_SHOWN])
    return shown + (f" … ({len(ids)} districts)" if len(ids) > _SHOWN else "") if ids else "none"


def check_areas(overlap: AreaOverlap, allow_different: bool = False) -> None:
    """``QueryError`` when the sides share no district, or only some unless ``allow_different``;
    nothing to check when a side holds no district at all.

    >>> check_areas(AreaOverlap(old=["371327"], new=["110105"]))
    Traceback (most recent call last):
    ...
    graphmodel.errors.QueryError: OLD and NEW share no district (OLD: 371327; NEW: 110105): a diff of them would compare nothing with nothing
    """
    if not overlap.old or not overlap.new:
        return  # a side without districts (a graph of one community) says nothing about areas
    if not overlap.shared:
        raise QueryError(f"OLD and NEW share no district (OLD: {_listed(overlap.old)}; NEW: "
                         f"{_listed(overlap.new)}): a diff of them would compare nothing with nothing",
                         hint="compare two snapshots of the same area")
    if overlap.partial and not allow_different:
        raise QueryError(f"OLD and NEW share only some districts (both: {_listed(overlap.shared)}; "
                         f"only OLD: {_listed(overlap.only_old)}; only NEW: {_listed(overlap.only_new)})",
                         hint="add --allow-different-areas to compare them anyway (their rates then "
                              "count different areas), or --scope a district both hold")


class DiffSummary(_Frozen):
    """What a diff compared: both sides, both dates, their districts; a sheet of its own in a
    CSV or XLSX report (the terminal and Markdown say it in their header line)."""

    old: str
    new: str
    as_of_old: dt.date
    as_of_new: dt.date
    scope: str | None = None
    areas: AreaOverlap

    def tables(self) -> list[Table]:
        scope = self.scope or Words("全部", "everything")
        rows = [(Words("对比", "compared"), self.old, self.new),
                (Words("统计日期", "as of"), self.as_of_old.isoformat(), self.as_of_new.isoformat()),
                (Words("范围", "scope"), scope, scope),
                (Words("区县", "districts"), ", ".join(self.areas.old), ", ".join(self.areas.new)),
                (Words("仅此一方的区县", "districts on this side only"), ", ".join(self.areas.only_old),
                 ", ".join(self.areas.only_new))]
        columns = [Column("what", "项目", "What"), Column("old", "原 (OLD)", "Old"),
                   Column("new", "现 (NEW)", "New")]
        return [Table("diff-summary", "对比说明", "What was compared", columns,
                      [{"what": what, "old": old, "new": new} for what, old, new in rows])]
