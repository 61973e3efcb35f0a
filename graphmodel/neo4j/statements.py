"""Cypher statements generated from the schema: pure functions returning strings.

Labels and relationship types cannot be Cypher parameters, so they are written into the
statement text — but only after checking them against ``graphmodel.schema``; anything else is
refused with ``SchemaError``. Every value travels as a parameter (``$rows``, ``$ids`` …), so no
ledger text can ever become Cypher.

Bookkeeping properties (declared in ``schema.NEO4J_BOOKKEEPING_PROPERTIES``):

``load_scopes``
    on every node and relationship the loader writes: the list of loads that hold it (a load's
    scope is by default the District ids of its ledgers). Two districts loaded separately that
    share a property company or a person both appear in its list. A re-load of one scope that
    no longer holds a node takes only its own scope off the list; the node (or relationship) is
    deleted when no scope holds it any more.
``rel_key``
    on every relationship: ``RelationshipSpec.identity`` (type plus key properties, e.g.
    ``HOLDS|secretary``). Relationships are merged on it rather than on the key properties
    themselves because a key property may be empty (a MANAGES contract without a start date)
    and Neo4j cannot MERGE on a null property.
``load_hash``
    on every node and relationship: :func:`content_hash` of the properties the load wrote (all
    but ``load_scopes``). A load reads the hashes of what is already stored once, and writes only
    the rows whose hash differs or whose scopes lack its own: an unchanged re-load writes nothing.
    An edit made by hand in Neo4j does not change the hash, so a re-load does not undo it; a node
    imported with ``neo4j-admin`` has no hash and is written once by the next load.
"""

from __future__ import annotations

from hashlib import blake2b
import re
from collections.abc import Iterator
from typing import Any

from ..errors import SchemaError
from ..schema import NEO4J_BOOKKEEPING_PROPERTIES, NODE_MODELS, RELATIONSHIPS, field_enum

__all__ = [
    "LOAD_SCOPES", "REL_KEY", "constraint_name", "constraint_statement", "index_statements",
    "schema_statements", "node_merge_statement", "relationship_merge_statement",
    "delete_vanished_nodes_statement", "delete_vanished_relationships_statement",
    "relationship_combinations", "check_label", "check_relationship", "IDENTITY_SEPARATOR",
    "relationship_identity", "DEFAULT_BATCH_SIZE", "LOAD_HASH", "content_hash", "node_create_statement",
    "stored_nodes_statement", "stored_relationships_statement", "label_count_statement",
]

#: Rows per write transaction of the loader: large enough that a transaction's fixed cost is small
#: beside its rows, small enough that a batch stays well inside a 2 GB heap.
DEFAULT_BATCH_SIZE = 10_000

LOAD_SCOPES, REL_KEY, LOAD_HASH = NEO4J_BOOKKEEPING_PROPERTIES


def content_hash(props: dict[str, Any]) -> str:
    """A short digest of an entity's properties (``load_scopes`` left out: a load checks its own
    scope apart). ``repr`` of the sorted items is stable across processes for the values the
    schema allows (text, numbers, booleans, dates), unlike ``hash()``."""
    if LOAD_SCOPES in props:
        props = {key: value for key, value in props.items() if key != LOAD_SCOPES}
    # Keys are unique, so the sort never compares values (which may not be comparable).
    return blake2b(repr(sorted(props.items())).encode(), digest_size=8).hexdigest()


def check_label(label: str) -> str:
    """``label`` if the schema declares it; ``SchemaError`` otherwise (it goes into Cypher text)."""
    if label not in NODE_MODELS:
        raise SchemaError(f"unknown node label {label!r}",
                          hint=f"labels: {', '.join(NODE_MODELS)}")
    return label


def check_relationship(rel_type: str, source: str, target: str) -> tuple[str, str, str]:
    """The triple if the schema lets ``rel_type`` join ``source`` to ``target``; else ``SchemaError``."""
    spec = RELATIONSHIPS.get(rel_type)
    if spec is None:
        raise SchemaError(f"unknown relationship type {rel_type!r}",
                          hint=f"types: {', '.join(RELATIONSHIPS)}")
    check_label(source)
    check_label(target)
    if source not in spec.sources or target not in spec.targets:
        raise SchemaError(f"{rel_type} cannot join {source} to {target}")
    return rel_type, source, target


def relationship_combinations() -> Iterator[tuple[str, str, str]]:
    """Every ``(type, source label, target label)`` the schema allows, in schema order."""
    for spec in RELATIONSHIPS.values():
        for source in spec.sources:
            for target in spec.targets:
                yield spec.type, source, target


def constraint_name(label: str) -> str:
    """``PartyOrg`` → ``party_org_id``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", check_label(label)).lower() + "_id"


def constraint_statement(label: str) -> str:
    """Uniqueness of ``id`` per label (the MERGE key; also makes MERGE an index lookup)."""
    return (f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE")


def index_statements() -> list[str]:
    """Range indexes on the enum properties the audits filter on (PartyOrg.kind, Grid.grid_type …)."""
    statements = []
    for label, model in NODE_MODELS.items():
        for name in model.model_fields:
            if field_enum(model, name) is not None:
                index = constraint_name(label).removesuffix("_id") + f"_{name}"
                statements.append(f"CREATE INDEX {index} IF NOT EXISTS FOR (n:{label}) ON (n.{name})")
    return statements


def schema_statements() -> list[str]:
    """Constraints for every label, then the indexes: what a load runs first."""
    return [*(constraint_statement(label) for label in NODE_MODELS), *index_statements()]


def node_merge_statement(label: str) -> str:
    """Merge a batch of ``$rows`` (``{id, props}``) into nodes of ``label``.

    ``SET n = …`` (not ``+=``) so a property that vanished from the ledger vanishes from the
    node; ``props`` holds ``id`` too. ``$scope`` joins the node's ``load_scopes`` (kept from the
    other loads that hold it). Nodes whose properties already equal the row are not touched, so a
    re-load of unchanged ledgers reports no change. Returns ``written``: nodes created or updated.
    """
    check_label(label)
    return (f"UNWIND $rows AS row\n"
            f"MERGE (n:{label} {{id: row.id}})\n"
            f"{_WANTED.format(entity='n')}"
            f"WHERE properties(n) <> wanted\n"
            f"SET n = wanted\n"
            f"RETURN count(n) AS written")


# The properties an entity should have after this load: the row's, and its scopes plus $scope.
_WANTED = ("WITH {entity}, row.props AS props, coalesce({entity}.{scopes}, []) AS held\n"
           "WITH {entity}, props {{.*, {scopes}: CASE WHEN $scope IN held THEN held "
           "ELSE held + $scope END}} AS wanted\n").replace("{scopes}", LOAD_SCOPES)


def node_create_statement(label: str) -> str:
    """Create a node per row of ``$rows`` (``{id, props}``): for ids the database does not hold, so
    there is nothing to compare. The uniqueness constraint refuses a batch in which another load
    created one of the ids meanwhile; the loader then merges that batch instead."""
    check_label(label)
    return (f"UNWIND $rows AS row\n"
            f"CREATE (n:{label})\n"
            f"SET n = row.props\n"
            f"RETURN count(n) AS written")


def database_empty_statement() -> str:
    """Whether the database holds no node of any label of the schema (from the count store)."""
    counts = "\n  UNION ALL\n".join(f"  MATCH (n:{check_label(label)}) RETURN count(n) AS held"
                                     for label in NODE_MODELS)
    return f"CALL () {{\n{counts}\n}}\nRETURN sum(held) = 0 AS empty"


def label_count_statement(label: str) -> str:
    """How many nodes of ``label`` the database holds (from Neo4j's count store: no scan)."""
    check_label(label)
    return f"MATCH (n:{label}) RETURN count(n) AS count"


def stored_nodes_statement(label: str) -> str:
    """Which of the rows (``$ids`` with their ``$hashes``) the database lacks, and which it holds
    otherwise (another ``load_hash``, or not held by ``$scope``): their positions in ``$ids``;
    how many of the rows ``$scope`` does not hold (absent ones included); and the scopes of each
    node with another hash. The comparison runs
    on the server, so an unchanged re-load reads back two empty lists and a zero."""
    check_label(label)
    return (f"UNWIND range(0, size($ids) - 1) AS i\n"
            f"OPTIONAL MATCH (n:{label} {{id: $ids[i]}})\n"
            f"WITH i, n\n"
            f"WHERE n IS NULL OR {_STALE.format(entity='n')}\n"
            f"RETURN collect(CASE WHEN n IS NULL THEN i END) AS absent,\n"
            f"       collect(CASE WHEN n IS NOT NULL THEN i END) AS differing,\n"
            f"       {_UNHELD.format(entity='n')} AS unheld,\n"
            f"       {_REWRITTEN.format(entity='n')} AS rewritten")


def stored_relationships_statement(rel_type: str, source: str, target: str) -> str:
    """Which of the relationships (``$sources``, ``$targets``, ``$keys``, ``$hashes``, one item per
    relationship) the database does not hold as they are: their positions; how many of them
    ``$scope`` does not hold; and the scopes of each with another hash."""
    check_relationship(rel_type, source, target)
    return (f"UNWIND range(0, size($sources) - 1) AS i\n"
            f"OPTIONAL MATCH (:{source} {{id: $sources[i]}})-[r:{rel_type} {{{REL_KEY}: $keys[i]}}]->"
            f"(:{target} {{id: $targets[i]}})\n"
            f"WITH i, r\n"
            f"WHERE r IS NULL OR {_STALE.format(entity='r')}\n"
            f"RETURN collect(i) AS differing,\n"
            f"       {_UNHELD.format(entity='r')} AS unheld,\n"
            f"       {_REWRITTEN.format(entity='r')} AS rewritten")


# How many of the looked-up entities $scope does not hold (absent or held by other loads only).
_UNHELD = ("count(CASE WHEN {entity} IS NULL OR NOT $scope IN coalesce({entity}.{scopes}, []) "
           "THEN 1 END)").replace("{scopes}", LOAD_SCOPES)


# The scopes of each looked-up entity this load rewrites (stored, with another hash): a list per
# entity, flattened by the loader, which tells those scopes (loaders.neo4j.scopes).
_REWRITTEN = ("collect(CASE WHEN {entity} IS NOT NULL AND coalesce({entity}.{hash}, '') <> $hashes[i] "
              "THEN {entity}.{scopes} END)").replace("{hash}", LOAD_HASH).replace("{scopes}", LOAD_SCOPES)


# An entity not as this load would write it: another (or no) hash, or not held by $scope.
_STALE = ("{entity}.{hash} IS NULL OR {entity}.{hash} <> $hashes[i] "
          "OR NOT $scope IN coalesce({entity}.{scopes}, [])").replace("{hash}", LOAD_HASH).replace(
    "{scopes}", LOAD_SCOPES)


def relationship_merge_statement(rel_type: str, source: str, target: str) -> str:
    """Merge a batch of ``$rows`` (``{source, target, key, props}``) into relationships.

    The identity is the two end nodes plus ``rel_key`` (see module notes); ``SET r = …``
    replaces every property, keeping the other loads' scopes as nodes do. Returns ``written``:
    relationships created or updated.
    """
    check_relationship(rel_type, source, target)
    return (f"UNWIND $rows AS row\n"
            f"MATCH (a:{source} {{id: row.source}})\n"
            f"MATCH (b:{target} {{id: row.target}})\n"
            f"MERGE (a)-[r:{rel_type} {{{REL_KEY}: row.key}}]->(b)\n"
            f"{_WANTED.format(entity='r')}"
            f"WHERE properties(r) <> wanted\n"
            f"SET r = wanted\n"
            f"RETURN count(r) AS written")


def relationship_create_statement(rel_type: str, source: str, target: str) -> str:
    """Create a relationship per row of ``$rows`` (``{source, target, key, props}``), nothing to
    compare: for relationships that cannot exist yet, of a node this load created while it holds
    the whole database (loaders.neo4j.lock). Returns ``written``."""
    check_relationship(rel_type, source, target)
    return (f"UNWIND $rows AS row\n"
            f"MATCH (a:{source} {{id: row.source}})\n"
            f"MATCH (b:{target} {{id: row.target}})\n"
            f"CREATE (a)-[r:{rel_type}]->(b)\n"
            f"SET r = row.props\n"
            f"RETURN count(r) AS written")


def delete_vanished_relationships_statement(rel_type: str, source: str, target: str) -> str:
    """Release relationships ``$scope`` held whose identity is not in ``$keys``.

    ``$keys`` lists :func:`relationship_identity` of every relationship of the load: one string
    each, because Neo4j tests ``IN`` against a list of strings through a hash set but against a
    list of lists one by one (a city's re-load took minutes per relationship type that way). A
    relationship another scope still holds only loses ``$scope``; the others are deleted.
    """
    check_relationship(rel_type, source, target)
    return (f"MATCH (a:{source})-[r:{rel_type}]->(b:{target})\n"
            f"WHERE $scope IN r.{LOAD_SCOPES}\n"
            f"  AND NOT a.id + $separator + b.id + $separator + r.{REL_KEY} IN $keys\n"
            f"{_RELEASE.format(entity='r')}"
            f"DELETE r")


# Joins the parts of a relationship identity: a control character (unit separator) that ledger
# codes do not hold, so two identities cannot run together.
IDENTITY_SEPARATOR = "\x1f"


def relationship_identity(source_id: str, target_id: str, rel_key: str) -> str:
    """One string per relationship: its end node ids and ``rel_key`` (see the removal statement)."""
    return IDENTITY_SEPARATOR.join((source_id, target_id, rel_key))


def delete_vanished_nodes_statement(label: str) -> str:
    """Release nodes of ``label`` held by ``$scope`` whose id is not in ``$ids``.

    A node another scope still holds only loses ``$scope``; the others are detached and deleted
    (their relationships belong to the same scopes, since a load writes both ends of each).
    """
    check_label(label)
    return (f"MATCH (n:{label})\n"
            f"WHERE $scope IN n.{LOAD_SCOPES} AND NOT n.id IN $ids\n"
            f"{_RELEASE.format(entity='n')}"
            f"DETACH DELETE n")


# Take $scope off an entity's scopes; keep only the entities no scope holds any more.
_RELEASE = ("WITH {entity}, [held IN {entity}.{scopes} WHERE held <> $scope] AS rest\n"
            "FOREACH (_ IN CASE WHEN rest = [] THEN [] ELSE [1] END | "
            "SET {entity}.{scopes} = rest)\n"
            "WITH {entity} WHERE rest = []\n").replace("{scopes}", LOAD_SCOPES)
