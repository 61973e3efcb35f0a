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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lock import LOCK_LABEL

if TYPE_CHECKING:
    import neo4j

__all__ = ["SCOPE_LABEL", "SCOPE_PROPERTIES", "SCOPE_STATEMENTS", "enter_scope"]

SCOPE_LABEL = "LoadScope"
SCOPE_PROPERTIES = ("name", "first_load")
SCOPE_STATEMENTS = {
    # Whether this is the scope's first load of a tracked database; a tracked (or empty) database
    # gets the scope's node, an untracked one nothing, so that it stays untracked.
    "enter": f"OPTIONAL MATCH (known:{SCOPE_LABEL} {{name: $scope}})\n"
             f"WITH known IS NOT NULL AS known,\n"
             f"     EXISTS {{ MATCH (:{SCOPE_LABEL}) }} OR NOT EXISTS {{ MATCH (n) WHERE NOT n:{LOCK_LABEL} }}"
             f" AS tracked\n"
             f"FOREACH (_ IN CASE WHEN tracked THEN [1] ELSE [] END |\n"
             f"  MERGE (scope:{SCOPE_LABEL} {{name: $scope}})\n"
             f"  ON CREATE SET scope.first_load = datetime())\n"
             f"RETURN tracked AND NOT known AS first",
}


def _enter(tx: neo4j.ManagedTransaction, scope: str) -> bool:
    record = tx.run(SCOPE_STATEMENTS["enter"], {"scope": scope}).single()
    return bool(record and record["first"])


def enter_scope(session: neo4j.Session, scope: str) -> bool:
    """Record that ``scope`` writes into the database (call it before its first write, under the
    scope's lock); True when the scope held nothing before, so its load has nothing to remove."""
    return session.execute_write(_enter, scope)
