"""Live Neo4j parity suite: runs only when NEO4J_URI points at a server.

Generates county ledgers, loads them embedded and into Neo4j, answers every question both ways
and compares the results field by field; checks that a re-load changes nothing, that vanished
ledger rows vanish from the database, and that an interrupted load finished by a re-run equals an
uninterrupted one. Use a disposable database (NEO4J_DATABASE): the suite refuses a database that
holds anything it did not write itself.
"""

from __future__ import annotations

import os

import pytest

if not os.environ.get("NEO4J_URI"):
    pytest.skip("NEO4J_URI not set: live Neo4j parity suite skipped", allow_module_level=True)

import neo4j  # noqa: E402

import queries  # noqa: E402
from graphmodel.errors import StoreError  # noqa: E402
from graphmodel.graph import GovernanceGraph  # noqa: E402
from graphmodel.neo4j import connect, resolve_database  # noqa: E402
from loaders.neo4j import load_graph_into_neo4j  # noqa: E402
from loaders.neo4j.loader import node_rows, relationship_rows  # noqa: E402
from queries.neo4j import Neo4jBackend, plain_value, run_cypher  # noqa: E402
from graphmodel.schema import NODE_MODELS  # noqa: E402
from loaders import load_ledgers  # noqa: E402
from loaders.sample import DEFAULT_AS_OF, generate_sample  # noqa: E402

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SCOPE = "gridgraph-parity-test"


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> GovernanceGraph:
    folder = tmp_path_factory.mktemp("county")
    generate_sample(folder, scale="county")
    return load_ledgers(folder).graph


@pytest.fixture(scope="module")
def database():
    return resolve_database()


@pytest.fixture(scope="module")
def driver(database):
    driver = connect()
    _, rows = run_cypher(driver, "MATCH (n) WHERE n.load_scope IS NULL OR n.load_scope <> $scope "
                                 "RETURN count(n) AS others", {"scope": SCOPE}, database=database)
    if rows[0]["others"]:
        driver.close()
        pytest.skip("the Neo4j database holds other data; point NEO4J_DATABASE at a disposable one")
    yield driver
    _wipe(driver, database)
    driver.close()


def _wipe(driver, database) -> None:
    run_cypher(driver, "MATCH (n {load_scope: $scope}) DETACH DELETE n", {"scope": SCOPE},
               database=database, write=True)


def _contents(driver, database) -> tuple[set, set]:
    """Every node and relationship in the database, as comparable tuples."""
    _, nodes = run_cypher(driver, "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
                          database=database)
    _, rels = run_cypher(driver, "MATCH (a)-[r]->(b) RETURN labels(a)[0] AS a, a.id AS a_id, "
                                 "type(r) AS type, labels(b)[0] AS b, b.id AS b_id, "
                                 "properties(r) AS props", database=database)
    return ({(tuple(row["labels"]), _frozen(row["props"])) for row in nodes},
            {(row["a"], row["a_id"], row["type"], row["b"], row["b_id"], _frozen(row["props"]))
             for row in rels})


def _expected(graph: GovernanceGraph) -> tuple[set, set]:
    nodes = {((label,), _frozen(plain_value(row["props"])))
             for label in NODE_MODELS for row in node_rows(graph, label, SCOPE)}
    rels = {(source, row["source"], rel_type, target, row["target"],
             _frozen(plain_value(row["props"])))
            for (rel_type, source, target), rows in relationship_rows(graph, SCOPE).items()
            for row in rows}
    return nodes, rels


def _frozen(props: dict) -> frozenset:
    return frozenset(props.items())


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
def loaded(graph, driver, database):
    _wipe(driver, database)
    return load_graph_into_neo4j(graph, driver, database=database, scope=SCOPE, batch_size=500)


def test_the_load_writes_exactly_the_graph(graph, driver, database, loaded):
    assert loaded.nodes_created == len(graph)
    assert loaded.relationships_created == graph.nx.number_of_edges()
    assert _contents(driver, database) == _expected(graph)


@pytest.mark.parametrize("code", list(queries.QUESTIONS))
def test_every_question_answers_the_same_on_both_backends(code, graph, driver, database, loaded):
    embedded = queries.run(code, graph, as_of=DEFAULT_AS_OF).model_dump(mode="json")
    live = queries.run(code, Neo4jBackend(driver, database),
                       as_of=DEFAULT_AS_OF).model_dump(mode="json")
    for field in embedded:
        assert live[field] == embedded[field], f"{code}.{field} differs"


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

        return Session()


def test_an_interrupted_load_finished_by_a_rerun_equals_a_full_load(graph, driver, database,
                                                                      loaded):
    _wipe(driver, database)
    with pytest.raises(StoreError, match="after 40 committed batches"):
        load_graph_into_neo4j(graph, _FailingDriver(driver, 40), database=database, scope=SCOPE,
                              batch_size=200)
    load_graph_into_neo4j(graph, driver, database=database, scope=SCOPE, batch_size=200)
    assert _contents(driver, database) == _expected(graph)
