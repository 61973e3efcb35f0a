"""The Neo4j commands through click: cypher, queries, export (driver replaced by a recorder)."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

import queries
from gridgraph.cli import main
from gridgraph.cli import neo4j as neo4j_cli
from gridgraph.cli import options as cli_options
from graphmodel.snapshot import save_snapshot
from neo4j_fakes import FakeDriver, tiny_graph
from queries.neo4j import Neo4jBackend


@pytest.fixture
def fake(monkeypatch):
    fake = FakeDriver(rows=[{"compound": "幸福小区", "households": 320}])
    fake.driver.__enter__.return_value = fake.driver
    connections = []

    def driver_from_options(*options):
        connections.append(options)
        return fake.driver, options[-1]

    monkeypatch.setattr(neo4j_cli, "driver_from_options", driver_from_options)
    fake.connections = connections
    return fake


STATEMENT = "MATCH (c:Compound {id: $id}) WHERE c.households > $n RETURN c.name AS compound"


def test_cypher_sends_the_statement_with_typed_parameters(fake):
    result = CliRunner().invoke(main, [
        "cypher", STATEMENT, "--param", "id=XQ1", "-p", "n=100", "--uri", "neo4j://db:7687",
        "--database", "gov"])
    assert result.exit_code == 0, result.output
    typed = {"id": "XQ1", "n": 100}
    assert fake.calls == [("EXPLAIN " + STATEMENT, typed), (STATEMENT, typed)]  # planned, then run
    assert fake.modes == ["read"]
    assert fake.connections == [("neo4j://db:7687", "neo4j", None, "gov")]


def test_cypher_json_output(fake):
    result = CliRunner().invoke(main, ["cypher", "MATCH (c:Compound) RETURN c", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert fake.calls == [("EXPLAIN MATCH (c:Compound) RETURN c", {}), ("MATCH (c:Compound) RETURN c", {})]
    [table] = json.loads(result.output)["tables"]
    assert [column["key"] for column in table["columns"]] == ["compound", "households"]


def test_cypher_write_runs_in_a_write_transaction(fake, tmp_path):
    script = tmp_path / "fix.cypher"
    script.write_text("MATCH (c:Compound {id: $id}) SET c.name = $name", encoding="utf-8")
    result = CliRunner().invoke(main, ["cypher", "-f", str(script), "--write",
                                       "-p", "id=XQ1", "-p", "name=新名"])
    assert result.exit_code == 0, result.output
    assert fake.modes == ["write"] and fake.committed == 1


def test_cypher_reads_at_most_the_limit_and_says_it_cut(fake):
    fake.rows = [{"x": number} for number in range(1, 6)]
    result = CliRunner().invoke(main, ["cypher", "UNWIND range(1, 5) AS x RETURN x", "--limit", "3",
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "x", "1", "2", "3", "note: the first 3 rows only; the statement returns more (--limit)"]
    assert fake.modes == ["read"] and fake.committed == 0  # a read transaction is never committed


def test_cypher_needs_exactly_one_statement(fake):
    assert CliRunner().invoke(main, ["cypher"]).exit_code == 2


def test_without_a_uri_the_error_says_what_to_set(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    result = CliRunner().invoke(main, ["cypher", "RETURN 1 AS one"])
    assert result.exit_code == 1
    assert "Error: no Neo4j URI given" in result.output and "NEO4J_URI" in result.output


def test_queries_list_show_and_run(fake):
    runner = CliRunner()
    listing = runner.invoke(main, ["queries", "list", "--lang", "en"])
    assert listing.exit_code == 0 and "party_tree" in listing.output
    shown = runner.invoke(main, ["queries", "show", "party_tree"])
    assert "party_org_id (str, e.g. DZZ001)" in shown.output and "UNDER*0.." in shown.output
    run = runner.invoke(main, ["queries", "run", "party_tree", "-p", "party_org_id=DZZ001"])
    assert run.exit_code == 0, run.output
    assert fake.calls[0][1] == {"party_org_id": "DZZ001"} and fake.modes == ["read"]
    assert runner.invoke(main, ["queries", "show", "nope"]).exit_code == 1


def test_export_commands_read_a_snapshot(tmp_path):
    snapshot = save_snapshot(tiny_graph(), tmp_path / "g.json.gz")
    runner = CliRunner()
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "admin"),
                                  "--from", str(snapshot)])
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full" in result.output
    assert (tmp_path / "admin" / "Compound.csv").exists()
    result = runner.invoke(main, ["export", "graphml", str(tmp_path / "g.graphml"),
                                  "--from", str(snapshot)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == len(tiny_graph())


def test_export_of_several_areas_writes_them_into_one_import(tmp_path):
    areas = tmp_path / "areas"
    for prefix in ("A", "B"):
        (areas / f"37{prefix}").mkdir(parents=True)
        save_snapshot(tiny_graph(prefix=prefix), tmp_path / f"{prefix}.snapshot")
    runner = CliRunner()
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "admin"), "--from",
                                  str(tmp_path / "A.snapshot"), "--from", str(tmp_path / "B.snapshot")])
    assert result.exit_code == 0, result.output
    assert [row.split(",")[0] for row in (tmp_path / "admin" / "Compound.csv").read_text(encoding="utf-8").split()] == [
        "id:ID(Compound)", "AXQ1", "BXQ1"]
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "x"), "--from",
                                  str(tmp_path / "A.snapshot"), "--from", str(tmp_path / "B.snapshot"),
                                  "--scope", "P1"])
    assert result.exit_code == 2 and "each area of a many-area export is its own scope" in result.output
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "x"), "--from",
                                  str(tmp_path / "A.snapshot"), "--from", str(tmp_path / "A.snapshot")])
    assert result.exit_code == 2 and "an area is given twice" in result.output
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "x"), "--areas", str(areas),
                                  "--from", str(tmp_path / "A.snapshot")])
    assert result.exit_code == 2 and "--areas and --from name the areas twice" in result.output
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "x"), "--areas", str(areas / "37A")])
    assert result.exit_code == 2 and "holds no area folder" in result.output
    # every folder of --areas is one area: here two empty ones, refused, naming the first
    result = runner.invoke(main, ["export", "neo4j-admin", str(tmp_path / "x"), "--areas", str(areas)])
    assert result.exit_code == 1 and "37A" in result.output
    assert not (tmp_path / "x").exists()


def test_neo4j_options_reach_the_command_with_env_defaults(monkeypatch):
    import click

    seen = {}

    @click.command()
    @cli_options.neo4j_options
    def probe(**options):
        seen.update(options)

    monkeypatch.setenv("NEO4J_URI", "neo4j+s://x.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_DATABASE", "gov")
    result = CliRunner().invoke(probe, ["--neo4j", "--batch-size", "500"])
    assert result.exit_code == 0, result.output
    assert seen == {"neo4j": True, "neo4j_uri": "neo4j+s://x.databases.neo4j.io",
                    "neo4j_user": "neo4j", "neo4j_password": None, "neo4j_database": "gov",
                    "batch_size": 500, "load_scope": None}


def _fake_connection(monkeypatch, module, fake):
    connections = []

    def driver_from_options(**options):
        connections.append(options)
        return fake.driver, options["neo4j_database"]

    monkeypatch.setattr(module, "driver_from_options", driver_from_options)
    return connections


def test_load_neo4j_merges_the_ledgers_and_writes_no_snapshot(monkeypatch, tmp_path):
    from gridgraph.cli import ledgers as ledgers_cli
    from loaders.sample import SAMPLE_DATA_DIR

    fake = FakeDriver()
    connections = _fake_connection(monkeypatch, ledgers_cli, fake)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["load", str(SAMPLE_DATA_DIR), "--neo4j", "--uri",
                                       "neo4j://db:7687", "--database", "gov", "--batch-size", "7", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "into Neo4j" in result.output and "batches committed" in result.output
    assert connections[0]["neo4j_uri"] == "neo4j://db:7687"
    statements = [statement for statement, _ in fake.calls]
    assert statements[0].startswith("CREATE CONSTRAINT")
    creates = fake.statements("CREATE (n:Compound")  # an empty database: nodes are created
    assert creates and all(len(params["rows"]) <= 7 for _, params in creates)
    # the only reads of a first load, beside the lock's second check and whether the database is empty
    counts = fake.statements("RETURN count(n) AS count")
    assert counts and fake.modes.count("read") == len(counts) + 2
    assert list(tmp_path.iterdir()) == []


def test_audit_neo4j_reads_through_the_cypher_backend(monkeypatch):
    from gridgraph.cli import options as options_module

    fake = FakeDriver(rows=[])
    _fake_connection(monkeypatch, options_module, fake)
    result = CliRunner().invoke(main, ["audit", "C1", "--neo4j", "--database", "gov",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    assert fake.modes and set(fake.modes) == {"read"}
    [answer] = json.loads(result.output)["results"]
    backend, asked = Neo4jBackend(fake.driver), {"as_of": answer["result"]["as_of"]}
    sent = [(backend.statement(queries.AREAS), {}), (backend.statement(queries.QUESTIONS["C1"]), asked)]
    assert fake.calls == [("EXPLAIN " + statement, params) if planned else (statement, params)
                          for statement, params in sent for planned in (True, False)]
