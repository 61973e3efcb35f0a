"""The Cypher lint harness must not pass vacuously.

Every check the suite relies on is shown to fire on a broken statement and to stay quiet
on a correct one. No Neo4j server is involved: tools/cypher-lint runs Neo4j's Cypher
front-end in node. If node or the npm package is missing these tests skip with the install
hint, or fail with it when GRIDGRAPH_CYPHER_LINT=required (as `make test` sets, after
`npm ci --prefix tools/cypher-lint`).
"""

from __future__ import annotations

import re

import pytest

import cypherlint
from cypherlint import (
    INSTALL_HINT,
    LINT_DIR,
    CypherLinter,
    Diagnostic,
    lint_schema,
    skip_unless_installed,
)

LABELS = ["Compound", "PropertyCompany"]
REL_TYPES = ["MANAGES"]
PROPERTY_KEYS = ["id", "name", "props"]


@pytest.fixture(scope="module")
def linter():
    skip_unless_installed()
    with CypherLinter(lint_schema(LABELS, REL_TYPES, PROPERTY_KEYS)) as running:
        yield running


@pytest.fixture(scope="module")
def extended_linter():
    """With APOC's functions and a graph schema (which label a relationship type joins)."""
    skip_unless_installed()
    schema = lint_schema(
        LABELS,
        REL_TYPES,
        PROPERTY_KEYS,
        graph_schema=[("PropertyCompany", "MANAGES", "Compound")],
        plugins=["apoc"],
    )
    with CypherLinter(schema) as running:
        yield running


def _messages(problems: list[Diagnostic]) -> str:
    return "\n".join(map(str, problems))


# --------------------------------------------------------------- it does fire


def test_syntax_error_is_an_error(linter):
    problems = linter.problems("MATCH (c:Compound RETURN c")
    assert any(d.severity == "error" for d in problems), _messages(problems)
    first = problems[0]
    assert (first.line, first.column) == (1, 19)  # 1-based, at RETURN
    assert "Invalid input" in first.message


def test_syntax_error_position_on_a_later_line(linter):
    problems = linter.problems("MATCH (c:Compound)\nRETRN c.id")
    assert (problems[0].severity, problems[0].line, problems[0].column) == ("error", 2, 1), (
        _messages(problems)
    )


def test_undefined_variable_is_an_error(linter):
    problems = linter.problems("MATCH (c:Compound) RETURN x")
    assert [d.severity for d in problems] == ["error"], _messages(problems)


def test_unknown_label_is_a_problem(linter):
    problems = linter.problems("MATCH (c:Compund) RETURN c")
    assert len(problems) == 1, _messages(problems)
    assert problems[0].severity == "warning"
    assert "Compund" in problems[0].message
    assert (problems[0].line, problems[0].column) == (1, 10)


def test_unknown_relationship_type_is_a_problem(linter):
    problems = linter.problems("MATCH (c:Compound)<-[:MANAGE]-(p:PropertyCompany) RETURN p")
    assert len(problems) == 1, _messages(problems)
    assert "MANAGE" in problems[0].message


def test_unknown_property_key_is_a_problem(linter):
    problems = linter.problems("MATCH (c:Compound) WHERE c.nme = $name RETURN c.id")
    assert len(problems) == 1, _messages(problems)
    assert "nme" in problems[0].message


def test_unknown_function_is_an_error(linter):
    # Only because lint_schema includes the function list: without one the package
    # checks no function name at all.
    problems = linter.problems("RETURN dat($x) AS d")
    assert [d.severity for d in problems] == ["error"], _messages(problems)
    assert "dat" in problems[0].message


def test_unknown_procedure_is_an_error(linter):
    problems = linter.problems("CALL db.lables() YIELD label RETURN label")
    assert any("db.lables" in d.message for d in problems), _messages(problems)


def test_plugin_functions_need_opting_in(linter, extended_linter):
    assert linter.problems("RETURN apoc.coll.sum([1, 2]) AS s")
    assert extended_linter.problems("RETURN apoc.coll.sum([1, 2]) AS s") == []


def test_deprecation_is_a_problem(linter):
    problems = linter.problems("MATCH (c:Compound) RETURN id(c) AS i")
    assert problems and all(d.severity == "warning" for d in problems), _messages(problems)
    assert any("deprecated" in d.message for d in problems)


def test_console_commands_are_errors(linter):
    assert linter.problems(":param id => 1")


@pytest.mark.parametrize(
    ("query", "name"),
    [
        # The package itself skips write clauses and schema commands; lint.mjs checks them.
        ("UNWIND $rows AS row MERGE (n:Compund {id: row.id})", "Compund"),
        ("CREATE (:Compound {id: 1})<-[:MANAGE]-(:PropertyCompany {id: 2})", "MANAGE"),
        ("MATCH (a:Compound {id: $a}) MATCH (b:PropertyCompany {id: $b}) MERGE (b)-[:MANAGE]->(a)", "MANAGE"),
        ("UNWIND $rows AS row MERGE (n:Compound {idd: row.id})", "idd"),
        ("MATCH (n:Compound {id: $id}) SET n.nme = $name", "nme"),
        ("MATCH (n:Compound {id: $id}) SET n += {nme: $name}", "nme"),
        ("MATCH (n:Compound {id: $id}) SET n:Compund", "Compund"),
        ("MATCH (n:Compound {id: $id}) REMOVE n.nme", "nme"),
        ("MATCH (n:Compound) RETURN n{.id, .nme} AS c", "nme"),
        ("MATCH (n:Compound) UNWIND n.tags AS tag RETURN tag", "tags"),
        ("CREATE CONSTRAINT c_id IF NOT EXISTS FOR (n:Compund) REQUIRE n.id IS UNIQUE", "Compund"),
        ("CREATE CONSTRAINT c_id IF NOT EXISTS FOR (n:Compound) REQUIRE n.idd IS UNIQUE", "idd"),
        ("CREATE INDEX m_id IF NOT EXISTS FOR ()-[r:MANAGE]-() ON (r.id)", "MANAGE"),
        ("CREATE INDEX c_name IF NOT EXISTS FOR (n:Compound) ON (n.nme)", "nme"),
        # later statement of a multi-statement text
        ("MATCH (n:Compound) RETURN n.id;\nMATCH (m:Compund) RETURN m.id", "Compund"),
    ],
)
def test_unknown_name_outside_read_clauses_is_a_problem(linter, query, name):
    problems = linter.problems(query)
    assert len(problems) == 1, _messages(problems)
    assert name in problems[0].message


# ------------------------------------------------------------ and stays quiet


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (c:Compound {id: $id})<-[:MANAGES]-(p:PropertyCompany) WHERE p.name = $name "
        "RETURN c.id, count(*) AS n, date($as_of) AS d",
        "UNWIND $rows AS row MERGE (n:Compound {id: row.id}) SET n += row.props",
        "CREATE CONSTRAINT compound_id IF NOT EXISTS FOR (n:Compound) REQUIRE n.id IS UNIQUE",
        "CREATE INDEX compound_name IF NOT EXISTS FOR (n:Compound) ON (n.name)",
        # built-in functions and procedures
        "MATCH (c:Compound) RETURN coalesce(c.name, '') AS name, size(collect(c.id)) AS k, "
        "toLower(c.name) AS lower, datetime() AS now, elementId(c) AS eid",
        "CALL db.labels() YIELD label RETURN label",
        "CALL db.awaitIndexes(300)",
        # `row.compound_id` inside a pattern map is a map lookup, not a node property
        # (the package alone reports compound_id here; lint.mjs drops that false positive)
        "UNWIND $rows AS row MATCH (c:Compound {id: row.compound_id}) "
        "MATCH (p:PropertyCompany {id: row.company_id}) MERGE (p)-[:MANAGES]->(c)",
        "UNWIND $rows AS row MERGE (c:Compound {id: row.id}) "
        "ON CREATE SET c.name = row.name ON MATCH SET c += {name: row.name}",
        "MATCH (c:Compound) RETURN c{.id, .name, managers: [(c)<-[:MANAGES]-(p) | p.name]} AS c",
        "RETURN point({latitude: 31.2, longitude: 121.5}) AS p, {anything: 1} AS m, "
        "date({year: 2024, month: 1, day: 1}) AS d",
        "UNWIND [{id: 1}, {id: 2}] AS row RETURN row.id, row.not_a_schema_key",
        "MATCH (c:Compound) CALL (c) { MATCH (c)<-[:MANAGES]-(p:PropertyCompany) "
        "RETURN count(p) AS k } RETURN c.id, k",
        "MATCH (c:Compound) WHERE EXISTS { (c)<-[:MANAGES]-(:PropertyCompany) } RETURN c.id",
        "FOREACH (x IN $ids | MERGE (:Compound {id: x}))",
        "// comment\nMATCH (c:Compound)\nRETURN c.id ORDER BY c.id SKIP $skip LIMIT $limit;\n",
        "MATCH (`c`:`Compound`) RETURN `c`.`name`",
    ],
)
def test_valid_statements_are_clean(linter, query):
    assert linter.problems(query) == []


def test_lint_reports_every_diagnostic_as_a_frozen_dataclass(linter):
    [diagnostic] = linter.lint("MATCH (c:Compund) RETURN c")
    assert isinstance(diagnostic, Diagnostic)
    with pytest.raises(AttributeError):
        diagnostic.severity = "error"  # type: ignore[misc]


def test_lint_schema_shape():
    skip_unless_installed()
    schema = lint_schema(["B", "A", "A"], ["R"], ["k"], graph_schema=[("A", "R", "B")])
    assert schema["labels"] == ["A", "B"]
    assert schema["relationshipTypes"] == ["R"]
    assert schema["propertyKeys"] == ["k"]
    assert schema["defaultLanguage"] == "CYPHER 5"
    assert schema["graphSchema"] == [{"from": "A", "relType": "R", "to": "B"}]
    functions = schema["functions"]["CYPHER 5"]
    for name in ("date", "coalesce", "size", "collect", "count", "elementId"):
        assert functions[name]["isBuiltIn"] is True
    assert not any(name.startswith(("apoc.", "gds.")) for name in functions)
    assert "db.labels" in schema["procedures"]["CYPHER 5"]
    assert not any(name.startswith("apoc.") for name in schema["procedures"]["CYPHER 5"])


def test_graph_schema_catches_a_reversed_relationship(linter, extended_linter):
    reversed_rel = "MATCH (c:Compound)-[:MANAGES]->(p:PropertyCompany) RETURN c"
    assert linter.problems(reversed_rel) == []  # without a graph_schema
    assert extended_linter.problems(reversed_rel)
    assert extended_linter.problems(
        "MATCH (p:PropertyCompany)-[:MANAGES]->(c:Compound) RETURN c"
    ) == []


def test_missing_install_fails_with_the_hint(tmp_path, monkeypatch):
    # What CI or a developer sees without node_modules: a failure naming the fix.
    (tmp_path / "package.json").write_text((LINT_DIR / "package.json").read_text("utf-8"))
    monkeypatch.setattr(cypherlint, "LINT_DIR", tmp_path)
    with pytest.raises(RuntimeError, match=re.escape(INSTALL_HINT)):
        CypherLinter(lint_schema(LABELS, REL_TYPES, PROPERTY_KEYS)).start()
