"""Running Cypher: the read-only guard, typed parameters, value conversion, the audit backend."""

from __future__ import annotations

import datetime as dt

import neo4j
import pytest

from graphmodel.errors import QueryError
from queries.neo4j import Neo4jBackend, parse_param, plain_value, run_cypher, write_clauses
from neo4j_fakes import FakeDriver


@pytest.mark.parametrize("statement, found", [
    ("CREATE (n:Compound {id: $id})", ["CREATE"]),
    ("match (c:Compound) merge (c)-[:PART_OF]->(:Community)", ["MERGE"]),
    ("MATCH (n) SET n.name = 'x'", ["SET"]),
    ("MATCH (n) DETACH DELETE n", ["DETACH", "DELETE"]),
    ("MATCH (n) REMOVE n.name", ["REMOVE"]),
    ("DROP CONSTRAINT compound_id", ["DROP"]),
    ("LOAD CSV FROM 'file:///x.csv' AS line RETURN line", ["LOAD CSV"]),
    ("MATCH (n) CALL (n) { RETURN n.id AS id } IN TRANSACTIONS OF 10 ROWS RETURN id",
     ["IN TRANSACTIONS"]),
    ("CALL apoc.create.node(['Compound'], {})", ["apoc.create.node"]),
    ("CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
     ["apoc.periodic.iterate"]),
    ("UNWIND [1] AS x FOREACH (i IN [x] | CREATE (:Compound))", ["FOREACH", "CREATE"]),
])
def test_write_clauses_are_found(statement, found):
    assert write_clauses(statement) == found


@pytest.mark.parametrize("statement", [
    "MATCH (c:Compound) RETURN c.id, c.name",
    "MATCH (c:Compound) WHERE c.name = 'create' OR c.name CONTAINS \"DELETE\" RETURN c",
    "MATCH (c:Compound) // SET c.x = 1\nRETURN c /* MERGE */",
    "MATCH (n) RETURN n.set AS `DELETE`, {merge: 1} AS m",
    "MATCH (c:Compound) WHERE c.name STARTS WITH $prefix RETURN c",
    "CALL db.labels() YIELD label RETURN label",
])
def test_read_statements_pass_the_guard(statement):
    assert write_clauses(statement) == []


def test_read_only_refuses_before_anything_is_sent():
    fake = FakeDriver()
    with pytest.raises(QueryError, match=r"writes \(CREATE\)") as raised:
        run_cypher(fake.driver, "CREATE (n:Compound {id: 'x'})")
    assert "--write" in raised.value.hint
    fake.driver.session.assert_not_called()


def test_reads_run_in_a_read_transaction_and_writes_only_when_asked():
    fake = FakeDriver(rows=[{"n": 1}])
    assert run_cypher(fake.driver, "MATCH (c:Compound) RETURN count(c) AS n", database="gov") == (
        ["n"], [{"n": 1}])
    assert fake.modes == ["read"]
    fake.driver.session.assert_called_with(database="gov")
    run_cypher(fake.driver, "CREATE (n:Compound {id: $id})", {"id": "X"}, write=True)
    assert fake.modes == ["read", "write"]
    assert fake.calls[-1] == ("CREATE (n:Compound {id: $id})", {"id": "X"})


def test_neo4j_errors_become_query_errors():
    fake = FakeDriver()
    session = fake.driver.session.return_value.__enter__.return_value
    session.execute_read.side_effect = neo4j.exceptions.Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Statement.SyntaxError", message="Invalid input 'RETURM'")
    with pytest.raises(QueryError, match="Invalid input"):
        run_cypher(fake.driver, "MATCH (n) RETURM n")


@pytest.mark.parametrize("text, expected", [
    ("limit=10", ("limit", 10)),
    ("ratio=0.5", ("ratio", 0.5)),
    ("flag=true", ("flag", True)),
    ("ids=[\"A\", \"B\"]", ("ids", ["A", "B"])),
    ("as_of=2026-01-31", ("as_of", dt.date(2026, 1, 31))),
    ("street_id=S01", ("street_id", "S01")),
    ("code=001", ("code", "001")),                 # not JSON: stays a ledger code
    ("code:str=12", ("code", "12")),
    ("n:int=7", ("n", 7)),
    ("x:float=2", ("x", 2.0)),
    ("member:bool=是", ("member", True)),
    ("day:date=2024-03-01", ("day", dt.date(2024, 3, 1))),
    ("name=张三=李四", ("name", "张三=李四")),
])
def test_parameters_are_typed(text, expected):
    assert parse_param(text) == expected


@pytest.mark.parametrize("text", ["novalue", "1x=2", "n:int=seven", "d:date=2024-13-01",
                                  "x:decimal=1"])
def test_bad_parameters_are_refused(text):
    with pytest.raises(QueryError):
        parse_param(text)


def test_plain_value_turns_temporal_values_into_iso_strings():
    value = {"start": neo4j.time.Date(2024, 3, 1), "at": neo4j.time.DateTime(2024, 3, 1, 8, 30),
             "days": [neo4j.time.Date(2025, 1, 2)], "n": 3}
    assert plain_value(value) == {"start": "2024-03-01", "at": "2024-03-01T08:30:00.000000000",
                                  "days": ["2025-01-02"], "n": 3}


def test_backend_runs_the_questions_cypher_file_with_its_params(tmp_path):
    (tmp_path / "C1.cypher").write_text("MATCH (c:Compound) RETURN c.id AS id", encoding="utf-8")
    fake = FakeDriver(rows=[{"id": "XQ1", "start": neo4j.time.Date(2024, 1, 1)}])
    backend = Neo4jBackend(fake.driver, "gov", cypher_dir=tmp_path)
    question = type("Fetch", (), {"code": "C1", "cypher_name": "C1.cypher"})()
    assert backend.fetch_rows(question, {"as_of": dt.date(2026, 11, 23)}) == [
        {"id": "XQ1", "start": "2024-01-01"}]
    assert fake.calls == [("MATCH (c:Compound) RETURN c.id AS id", {"as_of": dt.date(2026, 11, 23)})]
    assert fake.modes == ["read"]
    with pytest.raises(QueryError, match="no Cypher implementation"):
        backend.fetch_rows("C2", {})
