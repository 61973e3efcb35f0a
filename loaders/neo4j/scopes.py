"""Which scopes have written into the database: a scope's first load has nothing to remove.

The removal pass of a load (what its scope held that its ledgers no longer list) has to find what
the scope holds, and ``load_scopes`` is a list, which no Neo4j index answers membership of: so the
pass reads every node and relationship of every label and type in the database. A province loaded
district by district would pay that once per district, each time over everything loaded before,
and the last district would take as long as the whole province. A district loaded for the first
time held nothing, so the pass can be skipped, if "for the first time" can be known for certain.

It is known from a ``:LoadScope {name}`` node per scope, written before the scope's first write
(so a load killed part-way leaves it, and the re-run removes what the killed load wrote and the
ledgers dropped meanwhile). Only a database that holds such nodes is *tracked*: it was empty when
the first of them was written, so every scope that ever wrote into it has one. A database loaded
before these nodes existed, or filled by ``neo4j-admin database import``, is not tracked, never
becomes so while it holds data, and every load into it runs the removal pass as before.

A re-load can skip the pass for a label or type too, when it can tell that nothing of it vanished:
the node records how many entities of each label and type the scope held at the end of its last
load that finished (the rows of that load), and is cleared when a load starts, so a load that did
not finish leaves no count. The lookup of what the database holds (which every load does anyway)
says how many of this load's rows the scope holds already; when that equals the recorded count,
every entity the scope held is among this load's rows and nothing is to be removed. Only a load
of the same scope changes what a scope holds (others add or drop their own scope, and delete only
what no scope holds), so the count stays true between two loads of the scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from .lock import LOCK_LABEL

if TYPE_CHECKING:
    import neo4j

__all__ = ["SCOPE_LABEL", "SCOPE_PROPERTIES", "SCOPE_STATEMENTS", "ScopeHistory", "enter_scope",
           "record_held"]

SCOPE_LABEL = "LoadScope"
SCOPE_PROPERTIES = ("name", "first_load", "held_names", "held_counts")
SCOPE_STATEMENTS = {
    # Whether this is the scope's first load of a tracked database, and what the scope held after
    # its last finished load; a tracked (or empty) database gets the scope's node, with no count
    # until this load finishes; an untracked one nothing, so that it stays untracked.
    "enter": f"OPTIONAL MATCH (known:{SCOPE_LABEL} {{name: $scope}})\n"
             f"WITH known IS NOT NULL AS known, known.held_names AS names, known.held_counts AS counts,\n"
             f"     EXISTS {{ MATCH (:{SCOPE_LABEL}) }} OR NOT EXISTS {{ MATCH (n) WHERE NOT n:{LOCK_LABEL} }}"
             f" AS tracked\n"
             f"FOREACH (_ IN CASE WHEN tracked THEN [1] ELSE [] END |\n"
             f"  MERGE (scope:{SCOPE_LABEL} {{name: $scope}})\n"
             f"  ON CREATE SET scope.first_load = datetime()\n"
             f"  REMOVE scope.held_names, scope.held_counts)\n"
             f"RETURN tracked AND NOT known AS first, names, counts",
    "held": f"MATCH (scope:{SCOPE_LABEL} {{name: $scope}})\n"
            f"SET scope.held_names = $names, scope.held_counts = $counts",
}


class ScopeHistory(NamedTuple):
    """What the database says of a scope as its load begins."""

    first: bool  # it never wrote into this (tracked) database
    held: dict[str, int] | None  # entities per label and type after its last finished load, if known


def _enter(tx: neo4j.ManagedTransaction, scope: str) -> ScopeHistory:
    record = tx.run(SCOPE_STATEMENTS["enter"], {"scope": scope}).single()
    if record is None:
        return ScopeHistory(False, None)
    counts = None if record["names"] is None else dict(zip(record["names"], record["counts"]))
    return ScopeHistory(bool(record["first"]), counts)


def enter_scope(session: neo4j.Session, scope: str) -> ScopeHistory:
    """Record that ``scope`` writes into the database and forget its counts until the load
    finishes (call it before its first write, under the scope's lock)."""
    return session.execute_write(_enter, scope)


def _record(tx: neo4j.ManagedTransaction, parameters: dict) -> None:
    tx.run(SCOPE_STATEMENTS["held"], parameters).consume()


def record_held(session: neo4j.Session, scope: str, held: dict[str, int]) -> None:
    """At the end of a finished load: the scope holds ``held`` entities per label and type."""
    names = sorted(name for name, count in held.items() if count)
    session.execute_write(_record, {"scope": scope, "names": names, "counts": [held[name] for name in names]})
