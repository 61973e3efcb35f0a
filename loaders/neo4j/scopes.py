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

A re-load can skip a label or type altogether, neither looking it up nor writing it, when its rows
are those of the scope's last finished load: the node records, beside the counts, a digest of what
that load wrote per label and type (of the attributes and ends its rows were made from, in order).
What a scope holds can change between its loads in one way only: another scope's load rewrites a
node or relationship both hold (a company both districts list, with another phone number in one). That load finds it when it
looks up what the database holds, and before writing marks the label or type *rewritten* on the
other scope's node, which the other scope's next load reads (and clears) as it begins: it then
looks that label or type up as before. So an unchanged re-load writes nothing and looks nothing up.
Two loads running at once that list the same node or relationship with different properties may
still leave either version, as they may without the digests; and, like ``load_hash`` itself, the
digests trust that nobody edits or deletes loaded nodes by hand (``MATCH (s:LoadScope) REMOVE
s.digests`` makes every scope's next load look everything up again).
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import blake2b
from typing import TYPE_CHECKING, Any, NamedTuple

from .lock import LOCK_LABEL

if TYPE_CHECKING:
    import neo4j

__all__ = ["SCOPE_LABEL", "SCOPE_PROPERTIES", "SCOPE_STATEMENTS", "ScopeHistory", "enter_scope",
           "record_held", "mark_rewritten", "rows_digest"]

SCOPE_LABEL = "LoadScope"
_DIGEST_CHUNK = 10_000  # rows per repr: one list's text at a time, not a label's
SCOPE_PROPERTIES = ("name", "first_load", "held_names", "held_counts", "digest_names", "digests", "rewritten")
SCOPE_STATEMENTS = {
    # Whether this is the scope's first load of a tracked database, and what the scope held after
    # its last finished load; a tracked (or empty) database gets the scope's node, with no count
    # until this load finishes; an untracked one nothing, so that it stays untracked.
    "enter": f"OPTIONAL MATCH (known:{SCOPE_LABEL} {{name: $scope}})\n"
             f"WITH known IS NOT NULL AS known, known.held_names AS names, known.held_counts AS counts,\n"
             f"     known.digest_names AS digest_names, known.digests AS digests, known.rewritten AS rewritten,\n"
             f"     EXISTS {{ MATCH (:{SCOPE_LABEL}) }} OR NOT EXISTS {{ MATCH (n) WHERE NOT n:{LOCK_LABEL} }}"
             f" AS tracked\n"
             f"FOREACH (_ IN CASE WHEN tracked THEN [1] ELSE [] END |\n"
             f"  MERGE (scope:{SCOPE_LABEL} {{name: $scope}})\n"
             f"  ON CREATE SET scope.first_load = datetime()\n"
             f"  REMOVE scope.held_names, scope.held_counts, scope.digest_names, scope.digests, scope.rewritten)\n"
             f"RETURN tracked AND NOT known AS first, names, counts, digest_names, digests, rewritten",
    "held": f"MATCH (scope:{SCOPE_LABEL} {{name: $scope}})\n"
            f"SET scope.held_names = $names, scope.held_counts = $counts,\n"
            f"    scope.digest_names = $digest_names, scope.digests = $digests",
    # Another load is about to rewrite entities of $name that these scopes (every other scope when
    # $scopes is null: it cannot tell which) hold.
    "rewritten": f"MATCH (scope:{SCOPE_LABEL})\n"
                 f"WHERE CASE WHEN $scopes IS NULL THEN scope.name <> $scope ELSE scope.name IN $scopes END\n"
                 f"  AND NOT $name IN coalesce(scope.rewritten, [])\n"
                 f"SET scope.rewritten = coalesce(scope.rewritten, []) + $name",
}


class ScopeHistory(NamedTuple):
    """What the database says of a scope as its load begins."""

    first: bool  # it never wrote into this (tracked) database
    held: dict[str, int] | None  # entities per label and type after its last finished load, if known
    digests: dict[str, str] = {}  # per label and type, the digest of that load's rows, if still true

    def unchanged(self, name: str, digest: str) -> bool:
        """Whether the scope holds the rows of ``name`` whose digest is ``digest`` as they are."""
        return self.digests.get(name) == digest


def _enter(tx: neo4j.ManagedTransaction, scope: str) -> ScopeHistory:
    record = tx.run(SCOPE_STATEMENTS["enter"], {"scope": scope}).single()
    if record is None:
        return ScopeHistory(False, None)
    if record["names"] is None:
        return ScopeHistory(bool(record["first"]), None)
    rewritten = set(record["rewritten"] or ())
    digests = {name: digest for name, digest in zip(record["digest_names"] or (), record["digests"] or ())
               if name not in rewritten}
    return ScopeHistory(bool(record["first"]), dict(zip(record["names"], record["counts"])), digests)


def rows_digest(*columns: Sequence[Any]) -> str:
    """The digest of a label's or type's rows, given column by column (node attributes, or ends
    and properties), in order: of their ``repr``, whole lists at a time (stable across processes
    for the values the schema allows), not row by row, which a city's million rows would feel."""
    digest = blake2b(digest_size=16)
    for column in columns:
        digest.update(f"\x1e{len(column)}\x1e".encode())
        for start in range(0, len(column), _DIGEST_CHUNK):
            digest.update(repr(column[start:start + _DIGEST_CHUNK]).encode())
    return digest.hexdigest()


def enter_scope(session: neo4j.Session, scope: str) -> ScopeHistory:
    """Record that ``scope`` writes into the database and forget its counts until the load
    finishes (call it before its first write, under the scope's lock)."""
    return session.execute_write(_enter, scope)


def _record(tx: neo4j.ManagedTransaction, statement: str, parameters: dict) -> None:
    tx.run(statement, parameters).consume()


def record_held(session: neo4j.Session, scope: str, held: dict[str, int], digests: dict[str, str]) -> None:
    """At the end of a finished load: the scope holds ``held`` entities per label and type, whose
    rows have ``digests`` per label and type."""
    names = sorted(name for name, count in held.items() if count)
    session.execute_write(_record, SCOPE_STATEMENTS["held"], {
        "scope": scope, "names": names, "counts": [held[name] for name in names],
        "digest_names": list(digests), "digests": list(digests.values())})


def mark_rewritten(session: neo4j.Session, scope: str, name: str, scopes: set[str] | None) -> None:
    """Before ``scope``'s load rewrites entities of ``name`` that ``scopes`` hold too (``None``:
    any other scope may): their digests of ``name`` are no longer to be trusted."""
    session.execute_write(_record, SCOPE_STATEMENTS["rewritten"], {
        "scope": scope, "name": name, "scopes": sorted(scopes) if scopes is not None else None})
