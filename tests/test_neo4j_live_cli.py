"""The Neo4j commands against the live server: the read-only console, the query library, reading
the graph back (view, stats, GraphML) and the neo4j-admin export imported by Neo4j's own importer.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import sys
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from click.testing import CliRunner

from graphmodel.schema import Compound
from gridgraph.cli import main
from gridgraph.export import export_neo4j_admin_many
from loaders.neo4j import load_graph_into_neo4j
from queries.neo4j import library_queries, run_cypher
from loaders import load_ledgers
from loaders.sample import DEFAULT_AS_OF, generate_sample
from neo4j_fakes import tiny_graph
from shared_data import REPOSITORY
from test_neo4j_integration import _contents, _expected

sys.path.insert(0, str(REPOSITORY / "benchmarks"))
from neo4j_live import importer  # noqa: E402  (the benchmark's way to run an export's import.sh)

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

NEO4J_TOOLS = REPOSITORY / "tools" / "neo4j"


def gridgraph(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def county(live_neo4j, tmp_path_factory):
    """The county sample: its ledger folder, its snapshot, and loaded into the live server."""
    folder = tmp_path_factory.mktemp("county")
    generate_sample(folder / "ledgers", scale="county")
    graph = load_ledgers(folder / "ledgers").graph
    live_neo4j.wipe()
    load_graph_into_neo4j(graph, live_neo4j.driver, database=live_neo4j.database)
    assert gridgraph("load", folder / "ledgers", "-o", folder / "county.snapshot.json.gz")[0] == 0
    return folder, graph


def fingerprint(live) -> tuple:
    """Everything a statement could change: nodes, relationships, labels, property keys, schema."""
    contents = _contents(live.driver, live.database)
    _, labels = run_cypher(live.driver, "CALL db.labels() YIELD label RETURN collect(label) AS x",
                           database=live.database)
    _, keys = run_cypher(live.driver, "CALL db.propertyKeys() YIELD propertyKey "
                                      "RETURN collect(propertyKey) AS x", database=live.database)
    _, indexes = run_cypher(live.driver, "SHOW INDEXES YIELD name RETURN collect(name) AS x",
                            database=live.database)
    return contents, sorted(labels[0]["x"]), sorted(keys[0]["x"]), sorted(indexes[0]["x"])


class _Listener:
    """An HTTP listener on 127.0.0.1 that records every request: LOAD CSV must never reach it."""

    def __init__(self):
        self.requests: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                listener.requests.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"a,b\n1,2\n")

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/leak.csv"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def listener():
    listener = _Listener()
    yield listener
    listener.server.shutdown()


REFUSED = [
    "CREATE (:Compound {id: 'X', name: 'x'})",
    "MATCH (c:Compound) WITH c LIMIT 1 MERGE (c)-[:PART_OF]->(:Community {id: 'X'})",
    "MATCH (c:Compound) SET c.name = 'x'",
    "MATCH (c:Compound) DETACH DELETE c",
    "MATCH (c:Compound) REMOVE c.name",
    "MATCH (c:Compound) CALL (c) { CREATE (:Compound {id: c.id + 'x'}) } RETURN count(*) AS n",
    "UNWIND [1] AS x FOREACH (i IN [x] | CREATE (:Compound))",
    "CREATE INDEX gridgraph_probe IF NOT EXISTS FOR (n:Compound) ON (n.name)",
    "DROP CONSTRAINT compound_id",
    "CALL db.createLabel('Probe')",
    "CALL db.createProperty('probe')",
    "CALL db.clearQueryCaches()",
    "CALL db.stats.clear('QUERIES')",
    "CALL `apoc`.export.csv.all('/tmp/all.csv', {})",
    "CALL apoc.load.json('file:///etc/hostname')",
    "CALL apoc.cypher.runTimeboxed('CREATE (:Compound)', {}, 1000)",
    "RETURN apoc.text.join(['a'], ',') AS x",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_read_only_console_refuses_and_the_database_is_unchanged(statement, county, live_neo4j):
    before = fingerprint(live_neo4j)
    code, output = gridgraph("cypher", statement)
    assert code == 1 and output.startswith("Error:"), output
    assert "Traceback" not in output
    assert fingerprint(live_neo4j) == before


@pytest.mark.parametrize("template", [
    "LOAD CSV FROM '{url}' AS line RETURN line",
    "// a comment that ends at a carriage return\rLOAD CSV FROM '{url}' AS line RETURN line",
    "/* block */ load csv with headers from '{url}' AS line RETURN line",
])
def test_load_csv_is_refused_before_any_request_leaves(template, county, live_neo4j, listener):
    before = fingerprint(live_neo4j)
    code, output = gridgraph("cypher", template.format(url=listener.url))
    assert code == 1 and "LOAD CSV" in output, output
    assert listener.requests == []
    assert fingerprint(live_neo4j) == before


def test_a_file_url_is_refused_too(county, live_neo4j):
    code, output = gridgraph("cypher", "LOAD CSV FROM 'file:///etc/hostname' AS l RETURN l")
    assert code == 1 and "LOAD CSV" in output and socket.gethostname() not in output


@pytest.mark.parametrize("statement, column", [
    ("MATCH (h:OwnerCommittee) RETURN h.term_start AS start LIMIT 1", "start"),
    ("WITH 1 AS set RETURN set", "set"),
    ("RETURN 1 AS enable", "enable"),
    ("MATCH (n) WHERE n.name = 'CREATE' RETURN count(n) AS `DELETE`", "DELETE"),
    ("CALL db.labels() YIELD label RETURN label", "label"),
])
def test_harmless_reads_run(statement, column, county):
    code, output = gridgraph("cypher", statement, "--format", "csv")
    assert code == 0, output
    assert output.lstrip("\ufeff").splitlines()[0].split(",")[0] == column


def test_write_mode_writes(county, live_neo4j):
    compound = min(node_id for (_, node_id), _ in county[1].nodes("Compound"))
    code, output = gridgraph("cypher", "--write",
                             "MATCH (c:Compound {id: $id}) SET c.note = $note RETURN c.note AS note",
                             "-p", f"id={compound}", "-p", "note=已核查")
    assert code == 0 and "已核查" in output, output
    _, rows = run_cypher(live_neo4j.driver, "MATCH (c:Compound {id: $id}) RETURN c.note AS note",
                         {"id": compound}, database=live_neo4j.database)
    assert rows == [{"note": "已核查"}]
    gridgraph("cypher", "--write", "MATCH (c:Compound {id: $id}) REMOVE c.note", "-p", f"id={compound}")


def _example_params(query, graph):
    """The documented example parameters, with every code of the loaded county in turn."""
    def ids(label: str, kind: str | None = None) -> list[str]:
        return sorted(node_id for (_, node_id), attrs in graph.nodes(label)
                      if kind is None or attrs["kind"] == kind)

    codes = {"street_id": ids("Street"), "community_id": ids("Community"),
             "compound_id": ids("Compound"), "party_org_id": ids("PartyOrg", "working_committee")}
    varying = next((param.name for param in query.params if param.name in codes), None)
    for code in codes[varying] if varying else [None]:
        values = {"as_of": DEFAULT_AS_OF.isoformat(), varying: code}
        yield [arg for param in query.params
               for arg in ("-p", f"{param.name}={values.get(param.name, param.example)}")]


@pytest.mark.parametrize("query", list(library_queries().values()), ids=lambda query: query.name)
def test_every_library_query_returns_rows_on_the_county(query, county):
    """Run at each area of the county in turn until one gives rows (a street may have no gaps)."""
    for params in _example_params(query, county[1]):
        code, output = gridgraph("queries", "run", query.name, *params, "--format", "json")
        assert code == 0, output
        if json.loads(output)["tables"][0]["rows"]:
            return
    pytest.fail(f"{query.name} returned no rows anywhere in the county")


def test_stats_view_and_graphml_read_from_neo4j_equal_the_embedded_store(county, tmp_path):
    folder, graph = county
    snapshot = folder / "county.snapshot.json.gz"
    assert gridgraph("stats", snapshot)[1] == gridgraph("stats", "--neo4j")[1]
    community = min(node_id for (_, node_id), _ in graph.nodes("Community"))
    for kind, area in (("community", community), ("overview", "all"), ("hierarchy", community[:9])):
        embedded, live = tmp_path / f"{kind}-embedded.html", tmp_path / f"{kind}-neo4j.html"
        assert gridgraph("view", kind, area, snapshot, "-o", embedded)[0] == 0
        assert gridgraph("view", kind, area, "--neo4j", "-o", live)[0] == 0
        assert _drawn(live) == _drawn(embedded), kind
    assert gridgraph("export", "graphml", tmp_path / "e.graphml", "--from", snapshot)[0] == 0
    assert gridgraph("export", "graphml", tmp_path / "n.graphml", "--neo4j")[0] == 0
    assert _graphml(tmp_path / "n.graphml") == _graphml(tmp_path / "e.graphml")


def _drawn(view: Path) -> tuple:
    """What a view draws: every node and edge with its label, tooltip, shape, colour and position.

    Edge numbers follow the order the graph was built in (ledger rows for the snapshot, what the
    store hands back for Neo4j), so they are left out.
    """
    html = view.read_text(encoding="utf-8")
    data = {name: json.loads(re.search(name + r" = new vis\.DataSet\((\[.*?\])\);\n", html).group(1))
            for name in ("nodes", "edges")}
    nodes = sorted(json.dumps(node, sort_keys=True) for node in data["nodes"])
    edges = sorted(json.dumps({k: v for k, v in edge.items() if k != "id"}, sort_keys=True)
                   for edge in data["edges"])
    return nodes, edges


def _graphml(path: Path) -> tuple:
    graph = nx.read_graphml(path)
    return (sorted((node, sorted(attrs.items())) for node, attrs in graph.nodes(data=True)),
            sorted((a, b, sorted(attrs.items())) for a, b, attrs in graph.edges(data=True)))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _imported(export: Path, home: Path) -> Iterator[neo4j.Driver]:
    """A server on the database the export's own ``import.sh`` made (run with
    ``tools/neo4j/neo4j-admin``, Neo4j's importer from the Maven jars), and a driver to it."""
    if not (NEO4J_TOOLS / "lib").is_dir():
        pytest.skip("the Neo4j jars are not fetched (make neo4j-jars)")
    command, options = importer(export, home, heap="512m")
    imported = subprocess.run(command, capture_output=True, text=True, **options)
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr[-2000:]
    port = _free_port()
    server = [str(NEO4J_TOOLS / "server.sh"), "up", str(home), str(port), "512m"]
    started = subprocess.run(server, capture_output=True, text=True,
                             env={**os.environ, "PYTHON": sys.executable})
    try:
        assert started.returncode == 0, started.stderr
        with neo4j.GraphDatabase.driver(f"bolt://127.0.0.1:{port}") as imported:
            yield imported
    finally:
        subprocess.run([str(NEO4J_TOOLS / "server.sh"), "down", str(home), str(port)],
                       capture_output=True)


def test_the_neo4j_admin_export_imports_and_equals_a_merge_load(county, live_neo4j, tmp_path):
    """Neo4j's own importer reads the export, as its import.sh says."""
    folder, _ = county
    export = tmp_path / "export"
    # With the personal columns, which `load --neo4j` writes too (the export leaves them out
    # unless asked), so the two databases can be compared whole.
    code, output = gridgraph("export", "neo4j-admin", export, "--include-pii", "--from",
                             folder / "county.snapshot.json.gz")
    assert code == 0, output
    with _imported(export, tmp_path / "imported") as imported:
        assert _contents(imported, None) == _contents(live_neo4j.driver, live_neo4j.database)


def test_a_many_area_export_imports_as_each_area_loaded_on_its_own(tmp_path):
    """Two districts in one import (a file per label, and one more for the compounds of another
    header): the database holds what loading each district as its own scope writes."""
    first, second = tiny_graph(prefix="A"), tiny_graph(prefix="B")
    second.add(Compound(id="BXQ2", name="老旧院落", 地址="巴陵街 1 号"))
    export_neo4j_admin_many([lambda: first, lambda: second], tmp_path / "export", include_pii=True)
    expected = [_expected(first, "AD1"), _expected(second, "BD1")]
    with _imported(tmp_path / "export", tmp_path / "imported") as imported:
        assert _contents(imported, None) == (expected[0][0] | expected[1][0], expected[0][1] | expected[1][1])
