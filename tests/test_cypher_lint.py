"""Every Cypher statement gridgraph ships passes Neo4j's own Cypher front-end against the schema.

Labels, relationship types and property keys come from graphmodel.schema (plus the loader's
bookkeeping keys); any error or warning fails. One node process serves the whole module.
"""

from __future__ import annotations

import pytest

from cypherlint import CypherLinter, lint_schema, skip_unless_installed
from graphmodel import schema
from graphmodel.neo4j.reader import node_read_statement, relationship_read_statement
from graphmodel.neo4j.statements import (
    database_empty_statement, delete_vanished_nodes_statement,
    delete_vanished_relationships_statement, label_count_statement, node_create_statement,
    node_merge_statement, relationship_combinations, relationship_create_statement,
    relationship_merge_statement, schema_statements, stored_nodes_statement,
    stored_relationships_statement,
)
from loaders.neo4j.lock import LOCK_LABEL, LOCK_PROPERTIES, LOCK_STATEMENTS
from loaders.neo4j.scopes import SCOPE_LABEL, SCOPE_PROPERTIES, SCOPE_STATEMENTS
from queries.neo4j import library_queries
from queries.neo4j.cypher import queries_dir
from queries.neo4j.fragments import read_cypher


def _project_schema() -> dict:
    return lint_schema([*schema.node_labels(), LOCK_LABEL, SCOPE_LABEL], schema.relationship_types(),
                       [*schema.property_keys(), *schema.NEO4J_BOOKKEEPING_PROPERTIES,
                        *LOCK_PROPERTIES, *SCOPE_PROPERTIES],
                       graph_schema=[(source, rel_type, target)
                                     for rel_type, source, target in relationship_combinations()])


@pytest.fixture(scope="module")
def linter():
    skip_unless_installed()
    with CypherLinter(_project_schema()) as running:
        yield running


def _shipped_statements() -> dict[str, str]:
    statements = {f"schema[{i}]": text for i, text in enumerate(schema_statements())}
    statements["database empty"] = database_empty_statement()
    for label in schema.node_labels():
        statements[f"merge {label}"] = node_merge_statement(label)
        statements[f"create {label}"] = node_create_statement(label)
        statements[f"count {label}"] = label_count_statement(label)
        statements[f"stored {label}"] = stored_nodes_statement(label)
        statements[f"delete {label}"] = delete_vanished_nodes_statement(label)
        statements[f"read {label}"] = node_read_statement(label)
    for combination in relationship_combinations():
        name = "{}({}->{})".format(*combination)
        statements[f"merge {name}"] = relationship_merge_statement(*combination)
        statements[f"create {name}"] = relationship_create_statement(*combination)
        statements[f"stored {name}"] = stored_relationships_statement(*combination)
        statements[f"delete {name}"] = delete_vanished_relationships_statement(*combination)
        statements[f"read {name}"] = relationship_read_statement(*combination)
    for name, statement in LOCK_STATEMENTS.items():
        statements[f"lock {name}"] = statement
    for name, statement in SCOPE_STATEMENTS.items():
        statements[f"scope {name}"] = statement
    for name, query in library_queries().items():
        statements[f"library {name}"] = query.statement
    for path in sorted([*(queries_dir() / "cypher").glob("*.cypher"), *(queries_dir() / "questions").glob("*/*.cypher")]):
        statements[f"audit {path.name}"] = read_cypher(path)
    return statements


SHIPPED = _shipped_statements()


def _cases() -> list:
    """Every statement; of the loader's per-combination twins, all but the first of each
    relationship type only in the slow run (same template, other labels: ~4 s per 20 here)."""
    seen_types: set[tuple[str, str]] = set()
    cases = []
    for name in SHIPPED:
        rel_type = name.split(" ", 1)[1].split("(")[0] if "(" in name else None
        first = rel_type is None or (name.split(" ")[0], rel_type) not in seen_types
        if rel_type is not None:
            seen_types.add((name.split(" ")[0], rel_type))
        cases.append(pytest.param(name, id=name, marks=() if first else pytest.mark.slow))
    return cases


@pytest.mark.parametrize("name", _cases())
def test_shipped_statement_passes_the_cypher_front_end(linter, name):
    problems = linter.problems(SHIPPED[name])
    assert problems == [], f"{name}:\n" + "\n".join(map(str, problems)) + "\n" + SHIPPED[name]


def test_every_label_and_relationship_combination_is_covered():
    assert sum(name.startswith("merge ") for name in SHIPPED) == (
        len(schema.node_labels()) + len(list(relationship_combinations())))


def test_a_misspelled_label_fails(linter):
    broken = node_merge_statement("Compound").replace(":Compound", ":Compund")
    problems = linter.problems(broken)
    assert any("Compund" in problem.message for problem in problems)


def test_a_misspelled_property_key_fails(linter):
    problems = linter.problems("MATCH (c:Compound) WHERE c.nmae = $name RETURN c.id")
    assert any("nmae" in problem.message for problem in problems)
