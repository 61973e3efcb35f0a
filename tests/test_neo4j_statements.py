"""Schema-generated Cypher, tested as strings: exact text, and nothing outside the schema."""

from __future__ import annotations

import pytest

from graphmodel.errors import SchemaError
from graphmodel.neo4j.statements import (
    constraint_statement, delete_vanished_nodes_statement,
    delete_vanished_relationships_statement, index_statements, node_merge_statement,
    relationship_combinations, relationship_merge_statement, schema_statements,
)
from graphmodel.schema import NODE_MODELS


def test_constraint_statement_is_exact():
    assert constraint_statement("PartyOrg") == (
        "CREATE CONSTRAINT party_org_id IF NOT EXISTS FOR (n:PartyOrg) REQUIRE n.id IS UNIQUE")


def test_schema_statements_cover_every_label_then_the_enum_indexes():
    statements = schema_statements()
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert [s.split("(n:")[1].split(")")[0] for s in constraints] == list(NODE_MODELS)
    assert statements[len(constraints):] == index_statements()
    assert "CREATE INDEX party_org_kind IF NOT EXISTS FOR (n:PartyOrg) ON (n.kind)" in statements
    assert "CREATE INDEX grid_grid_type IF NOT EXISTS FOR (n:Grid) ON (n.grid_type)" in statements


_WANTED = ("WITH {e}, row.props AS props, coalesce({e}.load_scopes, []) AS held\n"
           "WITH {e}, props {{.*, load_scopes: CASE WHEN $scope IN held THEN held ELSE held + $scope END}}"
           " AS wanted\n")
_RELEASE = ("WITH {e}, [held IN {e}.load_scopes WHERE held <> $scope] AS rest\n"
            "FOREACH (_ IN CASE WHEN rest = [] THEN [] ELSE [1] END | SET {e}.load_scopes = rest)\n"
            "WITH {e} WHERE rest = []\n")


def test_node_merge_replaces_all_properties_keeps_other_scopes_and_skips_unchanged_nodes():
    assert node_merge_statement("Compound") == (
        "UNWIND $rows AS row\n"
        "MERGE (n:Compound {id: row.id})\n" + _WANTED.format(e="n") +
        "WHERE properties(n) <> wanted\n"
        "SET n = wanted\n"
        "RETURN count(n) AS written")


def test_relationship_merge_is_keyed_on_its_ends_and_rel_key():
    assert relationship_merge_statement("HOLDS", "Person", "OwnerCommittee") == (
        "UNWIND $rows AS row\n"
        "MATCH (a:Person {id: row.source})\n"
        "MATCH (b:OwnerCommittee {id: row.target})\n"
        "MERGE (a)-[r:HOLDS {rel_key: row.key}]->(b)\n" + _WANTED.format(e="r") +
        "WHERE properties(r) <> wanted\n"
        "SET r = wanted\n"
        "RETURN count(r) AS written")


def test_removal_releases_only_the_load_scope_and_deletes_what_no_scope_holds():
    assert delete_vanished_nodes_statement("Person") == (
        "MATCH (n:Person)\nWHERE $scope IN n.load_scopes AND NOT n.id IN $ids\n"
        + _RELEASE.format(e="n") + "DETACH DELETE n")
    assert delete_vanished_relationships_statement("MANAGES", "PropertyCompany", "Compound") == (
        "MATCH (a:PropertyCompany)-[r:MANAGES]->(b:Compound)\n"
        "WHERE $scope IN r.load_scopes\n"
        "  AND NOT a.id + $separator + b.id + $separator + r.rel_key IN $keys\n"
        + _RELEASE.format(e="r") + "DELETE r")


@pytest.mark.parametrize("label", ["Compund", "compound", "Compound) DETACH DELETE n //", ""])
def test_labels_outside_the_schema_are_refused(label):
    for build in (node_merge_statement, constraint_statement, delete_vanished_nodes_statement):
        with pytest.raises(SchemaError):
            build(label)


@pytest.mark.parametrize("triple", [
    ("MANAGE", "PropertyCompany", "Compound"),           # unknown type
    ("MANAGES", "Person", "Compound"),                   # source the type does not allow
    ("MANAGES", "PropertyCompany", "Building"),          # target the type does not allow
    ("MANAGES]->(b) DETACH DELETE b //", "PropertyCompany", "Compound"),
])
def test_relationships_outside_the_schema_are_refused(triple):
    with pytest.raises(SchemaError):
        relationship_merge_statement(*triple)
    with pytest.raises(SchemaError):
        delete_vanished_relationships_statement(*triple)


def test_combinations_are_exactly_what_the_schema_allows():
    combinations = set(relationship_combinations())
    assert ("MANAGES", "PropertyCompany", "Compound") in combinations
    assert ("HOLDS", "Person", "PartyOrg") in combinations
    assert not any(rel_type == "MANAGES" and target != "Compound"
                   for rel_type, _, target in combinations)
