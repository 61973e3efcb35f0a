"""The Neo4j loader against a recording driver: statements, parameter rows, batches, failures."""

from __future__ import annotations

import datetime as dt

import pytest

from graphmodel.errors import StoreError
from graphmodel.graph import GovernanceGraph
from graphmodel.neo4j.statements import node_merge_statement, schema_statements
from graphmodel.schema import Building, Compound
from loaders.neo4j import load_graph_into_neo4j
from loaders.neo4j.lock import LOCK_STATEMENTS
from neo4j_fakes import HOSTILE_NAME, FakeDriver, tiny_graph


def test_constraints_come_first_then_the_lock_nodes_relationships_removals_and_release():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver, database="gov")
    statements = [statement for statement, _ in fake.calls]
    assert statements[:len(schema_statements())] == schema_statements()
    locking = [LOCK_STATEMENTS[name] for name in ("constraint", "holders", "take")]
    after_schema = len(schema_statements()) + len(locking)
    assert statements[len(schema_statements()):after_schema] == locking
    assert statements[-1] == LOCK_STATEMENTS["release"]
    kinds = [s.split("\n")[1].split(" ")[0] if s.startswith("UNWIND") else s.split(" ")[0]
             for s in statements[after_schema:-1]]
    first_match = kinds.index("MATCH")
    assert set(kinds[:first_match]) == {"MERGE"}                    # node merges
    assert kinds[first_match:].count("MATCH") == len(kinds) - first_match
    assert statements[-2].endswith("DETACH DELETE n")               # node removals last
    assert set(fake.modes) == {"write"}
    fake.driver.session.assert_called_with(database="gov")


def test_node_rows_carry_every_property_and_the_scope():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver)
    [(_, params)] = fake.statements("MERGE (n:Compound")
    assert params == {"rows": [{"id": "XQ1", "props": {
        "id": "XQ1", "name": "幸福小区", "households": 320, "load_scopes": ["D1"]}}],
        "scope": "D1"}
    [(_, params)] = fake.statements("MERGE (n:OwnerCommittee")
    props = params["rows"][0]["props"]
    assert props["kind"] == "owners_committee"                      # enum as its plain code
    assert props["term_end"] == dt.date(2025, 12, 31)               # a date, mapped to DATE


def test_relationship_rows_are_grouped_by_type_and_end_labels():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver)
    [(statement, params)] = fake.statements("[r:HOLDS {rel_key: row.key}]->(b)")[:1]
    assert "MATCH (a:Person {id: row.source})" in statement
    holds = {row["target"]: row for _, p in fake.statements("[r:HOLDS {rel_key") for row in p["rows"]}
    assert holds["YWH1"] == {"source": "P1", "target": "YWH1", "key": "HOLDS|member", "props": {
        "role": "member", "part_time": True, "rel_key": "HOLDS|member", "load_scopes": ["D1"]}}
    [(_, params)] = fake.statements("[r:MANAGES {rel_key")
    assert params["rows"][0]["key"] == "MANAGES|2024-01-01"


def test_removals_get_the_identities_of_this_load():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver, scope="city")
    [(_, params)] = fake.statements("MATCH (n:Compound)")
    assert params == {"scope": "city", "ids": ["XQ1"]}
    [(_, params)] = fake.statements("MATCH (a:Person)-[r:HOLDS]->(b:PartyOrg)")
    assert params == {"scope": "city", "keys": ["P1\x1fDZB1\x1fHOLDS|secretary"],
                      "separator": "\x1f"}
    [(_, params)] = fake.statements("MATCH (a:Person)-[r:HOLDS]->(b:Grid)")
    assert params == {"scope": "city", "keys": [], "separator": "\x1f"}  # vanished types go too


def test_rows_are_sliced_into_batches():
    graph = tiny_graph()
    compound = ("Compound", "XQ1")
    for number in range(2500):
        graph.relate("PART_OF", graph.add(Building(id=f"B{number:04}", name=f"{number}号楼")),
                     compound)
    fake = FakeDriver()
    progress = []
    summary = load_graph_into_neo4j(graph, fake.driver, batch_size=1000,
                                    progress=lambda *step: progress.append(step))
    batches = [params["rows"] for _, params in fake.statements(node_merge_statement("Building"))]
    assert [len(rows) for rows in batches] == [1000, 1000, 501]
    assert [row["id"] for rows in batches for row in rows] == [
        key[1] for key, _ in graph.nodes("Building")]
    assert [p for p in progress if p[0] == "Building"] == [
        ("Building", 1000, 2501), ("Building", 2000, 2501), ("Building", 2501, 2501)]
    assert summary.rows["Building"] == 2501
    lock_calls = sum(statement in LOCK_STATEMENTS.values() for statement, _ in fake.calls)
    assert (lock_calls, summary.batches_committed) == (4, len(fake.calls) - 4)  # one per batch


def test_values_never_reach_the_statement_text():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(compound_name=HOSTILE_NAME), fake.driver)
    assert not any(HOSTILE_NAME in statement for statement, _ in fake.calls)
    assert not any("幸福小区" in statement or "XQ1" in statement for statement, _ in fake.calls)
    [(_, params)] = fake.statements("MERGE (n:Compound")
    assert params["rows"][0]["props"]["name"] == HOSTILE_NAME


def test_a_failed_load_says_how_far_it_got():
    fake = FakeDriver(fail_at=20)
    with pytest.raises(StoreError, match="after 19 committed batches") as raised:
        load_graph_into_neo4j(tiny_graph(), fake.driver)
    assert raised.value.summary.batches_committed == 19
    assert "run the same load again" in raised.value.hint
    assert not any("DELETE" in statement for statement, _ in fake.calls)   # nothing removed


def test_the_scope_defaults_to_the_district_ids_and_is_required():
    graph = GovernanceGraph()
    graph.add(Compound(id="XQ1", name="幸福小区"))
    with pytest.raises(StoreError, match="no District"):
        load_graph_into_neo4j(graph, FakeDriver().driver)
    assert load_graph_into_neo4j(graph, FakeDriver().driver, scope="S1").scope == "S1"
    assert load_graph_into_neo4j(tiny_graph(), FakeDriver().driver).scope == "D1"


def test_batch_size_must_be_positive():
    with pytest.raises(StoreError, match="batch size"):
        load_graph_into_neo4j(tiny_graph(), FakeDriver().driver, batch_size=0)
