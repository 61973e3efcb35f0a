"""Running Cypher: the read-only guard, typed parameters, value conversion, the audit backend."""

from __future__ import annotations

import datetime as dt

import neo4j
import pytest

from graphmodel.errors import QueryError
from queries.neo4j import Neo4jBackend, parse_param, plain_value, plan_refusals, run_cypher
from neo4j_fakes import FakeDriver


def _plan(*operators: tuple[str, str]) -> dict:
    """A plan whose operators (type, details) are chained child after child, as EXPLAIN gives."""
    plan: dict = {}
    for kind, details in reversed(operators):
        plan = {"operatorType": f"{kind}@neo4j", "args": {"Details": details},
                "children": [plan] if plan else []}
    return plan


@pytest.mark.parametrize("query_type, plan, reason", [
    ("r", _plan(("ProduceResults", "l"), ("LoadCSV", "l")), "LOAD CSV"),
    ("r", _plan(("ProcedureCall", "db.stats.clear($autostring_0) :: (section :: STRING)")),
     "procedure db.stats.clear"),
    ("s", _plan(("ProcedureCall", "db.clearQueryCaches() :: (value :: STRING)")),
     "procedure db.clearQueryCaches"),
    ("r", _plan(("Projection", "apoc.text.join($autolist_0, $autostring_1) AS x")),
     "function apoc.text.join"),
    ("rw", _plan(("SubqueryForeach", None), ("Create", "(m)")), "writes"),
    ("w", _plan(("SetProperty", "n.x = $autoint_0")), "writes"),
    ("s", _plan(("CreateIndex", "RANGE INDEX foo FOR (:X) ON (a)")), "schema"),
    ("r", _plan(("ProduceResults", "t"), ("Apply", ""), ("ShowTransactions", "t"),
                ("TerminateTransactions", "t")), "does not run administration commands"),
    ("s", {"operatorType": "AdministrationCommand@system"}, "does not run administration commands"),
    ("r", _plan(("ProduceResults", "x"), ("SomeNewOperator", "x")),
     "plan operator SomeNewOperator is not on the read-only allow-list"),
])
def test_plans_that_may_not_run_read_only(query_type, plan, reason):
    assert any(reason in refusal for refusal in plan_refusals(query_type, plan))


@pytest.mark.parametrize("query_type, plan", [
    ("r", _plan(("ProduceResults", "start"), ("Projection", "n.start AS start"))),
    ("r", _plan(("Projection", "$autoint_0 AS set"))),
    ("r", _plan(("Projection", "date.truncate($autostring_0, date()) AS m, "
                               "duration.between(a, b) AS d"))),
    ("r", _plan(("ProcedureCall", "db.labels() :: (label :: STRING)"))),
    ("s", _plan(("ProcedureCall", "dbms.components() :: (name :: STRING)"))),
    ("r", _plan(("ProduceResults", "name"), ("ShowIndexes", "name"))),
])
def test_plans_that_may_run_read_only(query_type, plan):
    assert plan_refusals(query_type, plan) == []


def test_reads_are_planned_first_in_a_read_transaction_and_writes_only_when_asked():
    fake = FakeDriver(rows=[{"n": 1}])
    statement = "MATCH (c:Compound) RETURN count(c) AS n"
    assert run_cypher(fake.driver, statement, database="gov") == (["n"], [{"n": 1}])
    assert fake.modes == ["read"]
    assert fake.calls == [("EXPLAIN " + statement, {}), (statement, {})]
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
    (tmp_path / "questions" / "C1").mkdir(parents=True)
    (tmp_path / "questions" / "C1" / "C1.cypher").write_text("MATCH (c:Compound) RETURN c.id AS id", encoding="utf-8")
    fake = FakeDriver(rows=[{"id": "XQ1", "start": neo4j.time.Date(2024, 1, 1)}])
    backend = Neo4jBackend(fake.driver, "gov", root=tmp_path)
    question = type("Fetch", (), {"code": "C1", "cypher_path": "questions/C1/C1.cypher"})()
    assert backend.fetch_rows(question, {"as_of": dt.date(2026, 11, 23)}) == [
        {"id": "XQ1", "start": "2024-01-01"}]
    params = {"as_of": dt.date(2026, 11, 23)}
    assert fake.calls == [("EXPLAIN MATCH (c:Compound) RETURN c.id AS id", params),
                          ("MATCH (c:Compound) RETURN c.id AS id", params)]
    assert fake.modes == ["read"]
    with pytest.raises(QueryError, match="no Cypher implementation"):
        backend.fetch_rows("C2", {})
