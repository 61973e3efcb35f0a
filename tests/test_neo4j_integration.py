"""The live Neo4j load: exactly the graph, idempotent, vanishing rows, interruptions, shared nodes.

Generates county ledgers, loads them into the live server and compares the database with the
graph; re-loads change nothing, vanished rows vanish, a load interrupted by a lost connection or
killed outright (SIGKILL of a real ``gridgraph load --neo4j``) and then run again equals an
uninterrupted one, and two districts loaded separately share a company and a person safely.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

from graph_factory import GraphFactory
from graphmodel.errors import StoreError
from graphmodel.graph import GovernanceGraph
from graphmodel.schema import NODE_MODELS
from loaders import load_ledgers
from loaders.neo4j import load_graph_into_neo4j
from loaders.neo4j.loader import node_rows, relationship_rows
from loaders.neo4j.scopes import SCOPE_LABEL
from loaders.sample import generate_sample
from queries.neo4j import plain_value, run_cypher

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SCOPE = "gridgraph-parity-test"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county")
    generate_sample(folder, scale="county")
    return folder


@pytest.fixture(scope="module")
def graph(county) -> GovernanceGraph:
    return load_ledgers(county).graph


@pytest.fixture(scope="module")
def driver(live_neo4j):
    return live_neo4j.driver


@pytest.fixture(scope="module")
def database(live_neo4j):
    return live_neo4j.database


def _contents(driver, database) -> tuple[set, set]:
    """Every node and relationship in the database, as comparable tuples (but the scopes' own
    bookkeeping nodes, see ``loaders.neo4j.scopes``)."""
    _, nodes = run_cypher(driver, f"MATCH (n) WHERE NOT n:{SCOPE_LABEL} "
                                  f"RETURN labels(n) AS labels, properties(n) AS props", database=database)
    _, rels = run_cypher(driver, "MATCH (a)-[r]->(b) RETURN labels(a)[0] AS a, a.id AS a_id, "
                                 "type(r) AS type, labels(b)[0] AS b, b.id AS b_id, "
                                 "properties(r) AS props", database=database)
    return ({(tuple(row["labels"]), _frozen(row["props"])) for row in nodes},
            {(row["a"], row["a_id"], row["type"], row["b"], row["b_id"], _frozen(row["props"]))
             for row in rels})


def _expected(graph: GovernanceGraph, scope: str = SCOPE) -> tuple[set, set]:
    nodes = {((label,), _frozen(plain_value(row["props"])))
             for label in NODE_MODELS for row in node_rows(graph, label, scope)}
    rels = {(source, row["source"], rel_type, target, row["target"],
             _frozen(plain_value(row["props"])))
            for (rel_type, source, target), rows in relationship_rows(graph, scope).items()
            for row in rows}
    return nodes, rels


def _frozen(props: dict) -> frozenset:
    return frozenset((key, tuple(value) if isinstance(value, list) else value)
                     for key, value in props.items())


def _subgraph(graph: GovernanceGraph, drop: set) -> GovernanceGraph:
    """``graph`` without the nodes in ``drop`` (and their relationships)."""
    smaller = GovernanceGraph()
    for key, attrs in graph.nx.nodes(data=True):
        if key not in drop:
            smaller.add_attrs(key[0], {k: v for k, v in attrs.items() if k != "label"})
    for source, target, attrs in graph.nx.edges(data=True):
        if source not in drop and target not in drop:
            smaller.relate_attrs(attrs["type"], source, target,
                                 {k: v for k, v in attrs.items() if k != "type"})
    return smaller


@pytest.fixture(scope="module")
def loaded(graph, driver, database, live_neo4j):
    live_neo4j.wipe()
    return load_graph_into_neo4j(graph, driver, database=database, scope=SCOPE, batch_size=500)


def test_the_load_writes_exactly_the_graph(graph, driver, database, loaded):
    assert loaded.nodes_created == len(graph)
    assert loaded.relationships_created == graph.nx.number_of_edges()
    assert _contents(driver, database) == _expected(graph)


def test_reloading_the_same_ledgers_changes_nothing(graph, driver, database, loaded):
    again = load_graph_into_neo4j(graph, driver, database=database, scope=SCOPE)
    assert not again.changed, str(again)
    assert (again.nodes_created, again.nodes_updated, again.nodes_deleted,
            again.relationships_created, again.relationships_updated,
            again.relationships_deleted, again.properties_set) == (0, 0, 0, 0, 0, 0, 0)


def test_vanished_rows_vanish_and_come_back(graph, driver, database, loaded):
    compound = next(key for key, _ in graph.nodes("Compound"))
    buildings = {source for source, _ in graph.into(compound, "PART_OF")}
    smaller = _subgraph(graph, {compound, *buildings})
    shrunk = load_graph_into_neo4j(smaller, driver, database=database, scope=SCOPE)
    assert shrunk.nodes_deleted == 1 + len(buildings)
    assert _contents(driver, database) == _expected(smaller)
    restored = load_graph_into_neo4j(graph, driver, database=database, scope=SCOPE)
    assert restored.nodes_created == 1 + len(buildings)
    assert _contents(driver, database) == _expected(graph)


class _FailingDriver:
    """A driver whose sessions lose the connection after ``allowed`` write transactions."""

    def __init__(self, driver: neo4j.Driver, allowed: int):
        self.driver, self.allowed = driver, allowed

    def session(self, **config):
        session = self.driver.session(**config)
        outer = self

        class Session:
            def __enter__(self):
                session.__enter__()
                return self

            def __exit__(self, *exc):
                return session.__exit__(*exc)

            def execute_write(self, fn, *args):
                if outer.allowed == 0:
                    raise neo4j.exceptions.ServiceUnavailable("connection lost (simulated)")
                outer.allowed -= 1
                return session.execute_write(fn, *args)

            def execute_read(self, fn, *args):
                return session.execute_read(fn, *args)

        return Session()


def test_an_interrupted_load_finished_by_a_rerun_equals_a_full_load(graph, driver, database,
                                                                      loaded, live_neo4j):
    live_neo4j.wipe()
    # + 2 taking the lock and 1 the whole (empty) database, 1 entering the scope
    with pytest.raises(StoreError, match="after 39 committed batches"):
        load_graph_into_neo4j(graph, _FailingDriver(driver, 43), database=database, scope=SCOPE,
                              batch_size=200)
    load_graph_into_neo4j(graph, driver, database=database, scope=SCOPE, batch_size=200)
    assert _contents(driver, database) == _expected(graph)


def _load_command(folder, scope: str) -> list[str]:
    gridgraph = str(Path(sys.executable).with_name("gridgraph"))  # the installed console script
    return [gridgraph, "load", str(folder), "--neo4j",
            "--batch-size", "100", "--scope", scope]


def test_a_killed_load_run_again_equals_an_uninterrupted_one(county, graph, driver, database,
                                                            live_neo4j):
    live_neo4j.wipe()
    process = subprocess.Popen(_load_command(county, SCOPE), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=os.environ.copy())
    deadline = time.monotonic() + 300
    while live_neo4j.counts()[1] < 2000 and process.poll() is None:  # part-way through
        assert time.monotonic() < deadline, "the load never got going"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the load finished before it could be killed"
    assert _contents(driver, database) != _expected(graph)
    rerun = subprocess.run(_load_command(county, SCOPE), capture_output=True, text=True,
                           env=os.environ.copy())
    assert rerun.returncode == 0, rerun.stderr
    assert _contents(driver, database) == _expected(graph)


def _district(code: str, shared_company: bool = True, shared_person: bool = True) -> GraphFactory:
    """District ``code`` with one compound; the company WY and the person P serve both districts."""
    f = GraphFactory()
    f.district(code)
    f.street(f"{code}S", code)
    f.community(f"{code}SQ", f"{code}S")
    compound = f.compound(f"{code}XQ", f"{code}SQ")
    committee = f.committee(f"{code}YWH", compound)
    if shared_company:
        f.contract(f.company("WY"), compound)
    if shared_person:
        f.post(f.person("P"), committee, "主任")
    return f


def _scopes(driver, database, label: str, node_id: str):
    _, rows = run_cypher(driver, f"MATCH (n:{label} {{id: $id}}) RETURN n.load_scopes AS scopes",
                         {"id": node_id}, database=database)
    return rows[0]["scopes"] if rows else None


def test_two_districts_loaded_separately_share_a_company_and_a_person(driver, database, live_neo4j):
    live_neo4j.wipe()
    first, second = _district("D1").graph, _district("D2").graph
    for graph in (first, second):
        load_graph_into_neo4j(graph, driver, database=database)
    assert _scopes(driver, database, "PropertyCompany", "WY") == ["D1", "D2"]
    assert _scopes(driver, database, "Person", "P") == ["D1", "D2"]
    nodes, rels = _contents(driver, database)
    assert len(nodes) == len(first) + len(second) - 2  # WY and P are one node each

    # D2's ledgers drop the company and the person: D1 still lists them, so they stay, with D1's
    # contract and post; D2's contract and post go.
    load_graph_into_neo4j(_district("D2", False, False).graph, driver, database=database)
    assert _scopes(driver, database, "PropertyCompany", "WY") == ["D1"]
    assert _scopes(driver, database, "Person", "P") == ["D1"]
    _, links = run_cypher(driver, "MATCH (:PropertyCompany {id: 'WY'})-[m:MANAGES]->(c) "
                                  "RETURN c.id AS compound, m.load_scopes AS scopes",
                          database=database)
    assert links == [{"compound": "D1XQ", "scopes": ["D1"]}]
    _, posts = run_cypher(driver, "MATCH (:Person {id: 'P'})-[:HOLDS]->(o) RETURN o.id AS org",
                          database=database)
    assert posts == [{"org": "D1YWH"}]

    # Now D1 drops them too: no scope holds them any more, so they are deleted.
    summary = load_graph_into_neo4j(_district("D1", False, False).graph, driver, database=database)
    assert summary.nodes_deleted == 2
    assert _scopes(driver, database, "PropertyCompany", "WY") is None
    assert _scopes(driver, database, "Person", "P") is None


def _name_of(driver, database, label: str, node_id: str) -> str:
    _, rows = run_cypher(driver, f"MATCH (n:{label} {{id: $id}}) RETURN n.name AS name", {"id": node_id},
                         database=database)
    return rows[0]["name"]


def test_what_another_district_rewrote_is_written_back_by_an_unchanged_reload(driver, database, live_neo4j):
    """A re-load skips the labels and types its scope holds as it last loaded them, but not one
    another scope's load rewrote since (``loaders.neo4j.scopes``): D2 lists the company both
    districts share under another name; D1's re-load, its ledgers unchanged, writes D1's back."""
    live_neo4j.wipe()
    first, second = _district("D1").graph, _district("D2").graph
    second.node(("PropertyCompany", "WY"))["name"] = "WY物业服务有限公司"
    for graph in (first, second):
        load_graph_into_neo4j(graph, driver, database=database)
    assert _name_of(driver, database, "PropertyCompany", "WY") == "WY物业服务有限公司"
    entities = len(first) + first.nx.number_of_edges()
    again = load_graph_into_neo4j(first, driver, database=database)
    assert _name_of(driver, database, "PropertyCompany", "WY") == "WY物业"
    assert (again.nodes_updated, again.rows_unchanged) == (1, entities - 1), str(again)
    # Nobody rewrote D1's since: its next re-load skips everything; D2's writes its own name back.
    assert load_graph_into_neo4j(first, driver, database=database).rows_unchanged == entities
    load_graph_into_neo4j(second, driver, database=database)
    assert _name_of(driver, database, "PropertyCompany", "WY") == "WY物业服务有限公司"


def test_a_districts_first_load_leaves_the_others_untouched_and_skips_the_removal_pass(driver, database,
                                                                                        live_neo4j):
    live_neo4j.wipe()
    first = load_graph_into_neo4j(_district("D1").graph, driver, database=database)
    before = _contents(driver, database)
    second = load_graph_into_neo4j(_district("D2").graph, driver, database=database)
    assert first.first_of_scope and second.first_of_scope
    nodes, rels = _contents(driver, database)
    d1_nodes = {node for node in before[0] if dict(node[1])["id"].startswith("D1")}
    assert d1_nodes <= nodes and {r for r in before[1] if r[1].startswith("D1")} <= rels
    # A re-load is not a first load: what D2's ledgers dropped goes.
    again = load_graph_into_neo4j(_district("D2", False, False).graph, driver, database=database)
    assert not again.first_of_scope and again.relationships_deleted == 2


def test_a_first_load_killed_part_way_is_not_a_first_load_when_run_again(graph, driver, database,
                                                                          live_neo4j):
    """The scope is recorded before its first write: a re-run with ledgers that dropped what the
    killed load had written removes it."""
    live_neo4j.wipe()
    with pytest.raises(StoreError, match="after 27 committed batches"):  # 21 of them the schema
        load_graph_into_neo4j(graph, _FailingDriver(driver, 31), database=database, scope=SCOPE,
                              batch_size=200)
    compound = next(key for key, _ in graph.nodes("Compound"))
    buildings = {source for source, _ in graph.into(compound, "PART_OF")}
    smaller = _subgraph(graph, {compound, *buildings})
    assert _scopes(driver, database, "Compound", compound[1]) == [SCOPE]  # written before the failure
    rerun = load_graph_into_neo4j(smaller, driver, database=database, scope=SCOPE, batch_size=200)
    assert not rerun.first_of_scope
    assert _contents(driver, database) == _expected(smaller)


def test_a_database_loaded_without_scope_records_always_runs_the_removal_pass(driver, database,
                                                                              live_neo4j):
    """Data written before scopes were recorded (or by the importer): no scope may be taken to
    be new, since any of them may hold nodes; loading into it keeps it so."""
    live_neo4j.wipe()
    load_graph_into_neo4j(_district("D1").graph, driver, database=database)
    driver.execute_query(f"MATCH (s:{SCOPE_LABEL}) DELETE s", database_=database)
    for _ in range(2):
        summary = load_graph_into_neo4j(_district("D2").graph, driver, database=database)
        assert not summary.first_of_scope
    _, records = run_cypher(driver, f"MATCH (s:{SCOPE_LABEL}) RETURN count(s) AS n", database=database)
    assert records == [{"n": 0}]
    shrunk = load_graph_into_neo4j(_district("D1", False, False).graph, driver, database=database)
    assert shrunk.relationships_deleted == 2
