"""What the assemble steps share, whatever backend fetched the rows: areas, scope, grouping.

Fact rows name places by id only (``community_id``, ``street_id``, ``district_id``; the lowest
known level is enough). ``AreaIndex``, built from the areas fetch, completes the levels above and
the names, checks scopes and lists the groups of a ``by`` grouping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphmodel.errors import QueryError

__all__ = ["AreaIndex", "AssembleContext", "FullPlace", "UNPLACED_ZH", "BY_LEVEL"]

#: ``by`` value -> the area label whose groups it makes.
BY_LEVEL = {"street": "Street", "community": "Community"}
UNPLACED_ZH = "未归属"
_SCOPE_FIELDS = {"District": "district_id", "Street": "street_id", "Community": "community_id"}


@dataclass(frozen=True)
class FullPlace:
    community_id: str | None = None
    community: str | None = None
    street_id: str | None = None
    street: str | None = None
    district_id: str | None = None

    @cached_property
    def located(self) -> dict[str, str | None]:
        """The ``Located`` fields of a listed thing here (shared: copy it with ``**``, never mutate)."""
        return {"community_id": self.community_id, "community": self.community,
                "street_id": self.street_id, "street": self.street}

    @cached_property
    def order(self) -> tuple[str, str]:
        """Sort key of things listed here: street, then community (unplaced first)."""
        return (self.street_id or "", self.community_id or "")


class AreaIndex:
    """Districts, streets and communities by id, from rows of the ``areas`` fetch."""

    def __init__(self, rows: list[dict[str, Any]]):
        self.names: dict[str, dict[str, str]] = {"District": {}, "Street": {}, "Community": {}}
        self.parents: dict[str, dict[str, str | None]] = {"District": {}, "Street": {}, "Community": {}}
        for row in rows:
            self.names[row["label"]][row["id"]] = row["name"]
            self.parents[row["label"]][row["id"]] = row["parent_id"]
        self._complete: dict[tuple, FullPlace] = {}

    def complete(self, community_id: str | None, street_id: str | None,
                 district_id: str | None) -> FullPlace:
        """The place with the levels above the lowest known one and the names filled in."""
        memo = (community_id, street_id, district_id)
        place = self._complete.get(memo)  # a city's rows hold about 1,100 distinct places
        if place is None:
            if community_id is not None and street_id is None:
                street_id = self.parents["Community"].get(community_id)
            if street_id is not None and district_id is None:
                district_id = self.parents["Street"].get(street_id)
            self._complete[memo] = place = FullPlace(
                community_id, self.names["Community"].get(community_id),
                street_id, self.names["Street"].get(street_id), district_id)
        return place

    def resolve_scope(self, scope: str) -> str:
        """The label (District, Street or Community) of a scope id; QueryError if unknown."""
        for label in ("District", "Street", "Community"):
            if scope in self.names[label]:
                return label
        known = [f"{area_id} {name}" for label in ("District", "Street")
                 for area_id, name in list(self.names[label].items())[:5]]
        raise QueryError(f"unknown scope {scope!r}: no district, street or community has this code",
                         hint="use a 区县, 街道 or 社区 code from the areas ledger"
                              + (f", e.g. {', '.join(known)}" if known else ""))

    def contains(self, scope_label: str, scope: str, place: FullPlace) -> bool:
        return getattr(place, _SCOPE_FIELDS[scope_label]) == scope

    def areas_under(self, label: str, scope_label: str | None, scope: str | None) -> list[tuple[str, str]]:
        """``(id, name)`` of every area with ``label`` inside the scope, sorted by id."""
        found = []
        for area_id, name in sorted(self.names[label].items()):
            place = (self.complete(area_id, None, None) if label == "Community"
                     else self.complete(None, area_id, None))
            if scope is None or self.contains(scope_label, scope, place):
                found.append((area_id, name))
        return found


@dataclass
class AssembleContext:
    """Everything an assemble step needs besides its rows."""

    question: Any  # queries.question.Question
    areas: AreaIndex
    as_of: dt.date
    scope: str | None = None
    by: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)  # code -> Result of the questions it needs
    scope_label: str | None = field(init=False, default=None)

    def __post_init__(self):
        if self.by is not None and self.by not in BY_LEVEL:
            raise QueryError(f"cannot group by {self.by!r}", hint="use --by street or --by community")
        if self.scope is not None:
            self.scope_label = self.areas.resolve_scope(self.scope)

    def place(self, row: dict[str, Any]) -> FullPlace:
        return self.areas.complete(row.get("community_id"), row.get("street_id"), row.get("district_id"))

    def in_scope(self, place: FullPlace) -> bool:
        return self.scope is None or self.areas.contains(self.scope_label, self.scope, place)

    def group_of(self, place: FullPlace) -> str | None:
        """Id of the group a place falls in (``None``: no grouping, or not placed at that level)."""
        if self.by is None:
            return None
        return place.street_id if self.by == "street" else place.community_id

    def group_list(self) -> list[tuple[str | None, str]]:
        """``(id, name)`` of every group inside the scope, whether or not it holds anything."""
        if self.by is None:
            return []
        return self.areas.areas_under(BY_LEVEL[self.by], self.scope_label, self.scope)

    def located(self, rows: list[dict[str, Any]], order: str | None = None
                ) -> list[tuple[dict[str, Any], FullPlace]]:
        """In-scope ``(row, place)`` pairs, one per thing.

        Without ``order`` each row is one thing. A thing with several places (a property company, via each compound it manages) comes as
        several rows; it is in scope when any of them is, and takes the place of the first in-scope
        row by ``order`` (e.g. ``compound_id``).
        """
        if order is None:  # one row per thing: no de-duplication needed (and ``place`` inlined)
            complete = self.areas.complete
            placed = [(row, complete(row.get("community_id"), row.get("street_id"), row.get("district_id")))
                      for row in rows]
            if self.scope is None:
                return placed
            field_name, scope = _SCOPE_FIELDS[self.scope_label], self.scope
            return [pair for pair in placed if getattr(pair[1], field_name) == scope]
        chosen: dict[tuple, tuple[dict[str, Any], FullPlace]] = {}
        for row in sorted(rows, key=lambda r: r[order] or ""):
            key = (row.get("label"), row["id"])
            if key in chosen:
                continue
            place = self.place(row)
            if self.in_scope(place):
                chosen[key] = (row, place)
        return list(chosen.values())
