"""Reading the graph back out of Neo4j: the statements, and a round trip through a fake server."""

from __future__ import annotations

import datetime as dt
import re
from unittest.mock import create_autospec

import neo4j
import pytest
from click.testing import CliRunner

from graphmodel import SchemaError
from gridgraph.cli import main
from gridgraph.cli import options as cli_options
from graphmodel.neo4j import read_graph_from_neo4j
from graphmodel.snapshot import save_snapshot
from graphmodel.neo4j.reader import node_read_statement, relationship_read_statement
from loaders.neo4j.loader import load_scope, node_rows, relationship_rows
from neo4j_fakes import tiny_graph


class StoredGraphDriver:
    """A driver whose reads answer from rows a load would have written (dates as Neo4j DATEs)."""

    def __init__(self, graph):
        scope = load_scope(graph, "test")
        self.nodes = {label: [_as_neo4j(row["props"]) for row in node_rows(graph, label, scope)]
                      for label in graph.label_counts()}
        self.relationships = {combo: [{"source": row["source"], "target": row["target"],
                                       "props": _as_neo4j(row["props"])} for row in rows]
                              for combo, rows in relationship_rows(graph, scope).items()}
        self.driver = create_autospec(neo4j.Driver, instance=True)
        session = self.driver.session.return_value.__enter__.return_value
        session.execute_read.side_effect = lambda fn: fn(self)
        self.statements = []

    def run(self, statement, parameters=None):
        self.statements.append(statement)
        node = re.match(r"MATCH \(n:(\w+)\)", statement)
        if node:
            return [{"props": props} for props in self.nodes.get(node.group(1), [])]
        source, rel_type, target = re.match(r"MATCH \(a:(\w+)\)-\[r:(\w+)\]->\(b:(\w+)\)",
                                            statement).groups()
        return self.relationships.get((rel_type, source, target), [])


def _as_neo4j(props):
    return {key: neo4j.time.Date.from_native(value) if isinstance(value, dt.date) else value
            for key, value in props.items()}


def test_read_statements_come_from_the_schema():
    assert node_read_statement("Compound") == "MATCH (n:Compound)\nRETURN properties(n) AS props"
    assert relationship_read_statement("MANAGES", "PropertyCompany", "Compound").startswith(
        "MATCH (a:PropertyCompany)-[r:MANAGES]->(b:Compound)")
    with pytest.raises(SchemaError):
        node_read_statement("Compound) DETACH DELETE (n")
    with pytest.raises(SchemaError):
        relationship_read_statement("MANAGES", "Compound", "Compound")


def test_a_loaded_graph_reads_back_identical_without_bookkeeping():
    graph = tiny_graph()
    server = StoredGraphDriver(graph)
    again = read_graph_from_neo4j(server.driver, database="gov")
    assert again == graph
    server.driver.session.assert_called_with(database="gov")
    assert all("load_scopes" not in attrs for _, attrs in again.nx.nodes(data=True))


def test_view_and_stats_read_from_neo4j(monkeypatch, tmp_path):
    server = StoredGraphDriver(tiny_graph())
    monkeypatch.setattr(cli_options, "driver_from_options", lambda **options: (server.driver, None))
    result = CliRunner().invoke(main, ["stats", "--neo4j"])
    assert result.exit_code == 0, result.output
    snapshot = save_snapshot(tiny_graph(), tmp_path / "tiny.snapshot.json.gz")
    assert result.output == CliRunner().invoke(main, ["stats", str(snapshot)]).output
    result = CliRunner().invoke(main, ["export", "graphml", str(tmp_path / "g.graphml"), "--neo4j"])
    assert result.exit_code == 0, result.output
    assert server.statements and (tmp_path / "g.graphml").exists()
