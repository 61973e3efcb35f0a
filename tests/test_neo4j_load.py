"""The Neo4j loader against a recording driver: statements, parameter rows, batches, failures."""

from __future__ import annotations

import datetime as dt

import neo4j
import pytest

from graphmodel.errors import StoreError
from graphmodel.graph import GovernanceGraph
from graphmodel.neo4j.statements import (content_hash, label_count_statement, node_create_statement,
                                         node_merge_statement, relationship_combinations, schema_statements)
from graphmodel.schema import NODE_MODELS, Building, Compound
from gridgraph.cli.base import RateProgress
from loaders.neo4j import load_graph_into_neo4j
from loaders.neo4j.loader import load_digests, node_rows, relationship_rows
from loaders.neo4j.lock import LOCK_STATEMENTS
from loaders.neo4j.scopes import SCOPE_STATEMENTS
from neo4j_fakes import HOSTILE_NAME, FakeDriver, tiny_graph


def test_constraints_come_first_then_the_lock_the_scope_nodes_relationships_removals_and_release():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver, database="gov")
    statements = [statement for statement, _ in fake.calls]
    assert statements[:len(schema_statements())] == schema_statements()
    locking = [LOCK_STATEMENTS[name] for name in ("constraint", "holders", "take")]
    after_schema = len(schema_statements()) + len(locking) + 1
    assert statements[len(schema_statements()):after_schema] == [*locking, SCOPE_STATEMENTS["enter"]]
    assert statements[-1] == LOCK_STATEMENTS["release"]
    # An empty database: one count per label the graph holds (and no lookups) …
    counts = [label_count_statement(label) for label in NODE_MODELS if any(tiny_graph().nodes(label))]
    assert [s for s in statements if s in counts] == counts
    assert fake.modes.count("read") == len(counts)
    # … then every node CREATEd, the relationships merged (their end nodes MATCHed), the removals.
    kinds = [s.split("\n")[1].split(" ")[0] if s.startswith("UNWIND") else s.split(" ")[0]
             for s in statements[after_schema:-1] if s not in counts]
    first_match = kinds.index("MATCH")
    assert set(kinds[:first_match]) == {"CREATE"} and kinds.count("CREATE") == len(tiny_graph())
    assert kinds[first_match:].count("MATCH") == len(kinds) - first_match
    assert statements[-3].endswith("DETACH DELETE n")               # node removals last,
    assert statements[-2] == SCOPE_STATEMENTS["held"]              # then what the scope holds
    fake.driver.session.assert_called_with(database="gov")


def test_node_rows_carry_every_property_and_the_scope():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver)
    [(_, params)] = fake.statements("CREATE (n:Compound")
    props = {"id": "XQ1", "name": "幸福小区", "households": 320}
    assert params == {"rows": [{"id": "XQ1", "props": {
        **props, "load_hash": content_hash(props), "load_scopes": ["D1"]}}], "scope": "D1"}
    [(_, params)] = fake.statements("CREATE (n:OwnerCommittee")
    props = params["rows"][0]["props"]
    assert props["kind"] == "owners_committee"                      # enum as its plain code
    assert props["term_end"] == dt.date(2025, 12, 31)               # a date, mapped to DATE


def test_relationship_rows_are_grouped_by_type_and_end_labels():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver)
    [(statement, params)] = fake.statements("[r:HOLDS {rel_key: row.key}]->(b)")[:1]
    assert "MATCH (a:Person {id: row.source})" in statement
    holds = {row["target"]: row for _, p in fake.statements("[r:HOLDS {rel_key") for row in p["rows"]}
    props = {"role": "member", "part_time": True, "rel_key": "HOLDS|member"}
    assert holds["YWH1"] == {"source": "P1", "target": "YWH1", "key": "HOLDS|member", "props": {
        **props, "load_hash": content_hash(props), "load_scopes": ["D1"]}}
    [(_, params)] = fake.statements("[r:MANAGES {rel_key")
    assert params["rows"][0]["key"] == "MANAGES|2024-01-01"


def test_removals_get_the_identities_of_this_load():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver, scope="city")
    [(_, params)] = fake.statements("MATCH (n:Compound)\nWHERE $scope IN")
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
    batches = [params["rows"] for _, params in fake.statements(node_create_statement("Building"))]
    assert [len(rows) for rows in batches] == [1000, 1000, 501]
    assert [row["id"] for rows in batches for row in rows] == [
        key[1] for key, _ in graph.nodes("Building")]
    total = len(graph) + graph.nx.number_of_edges()   # progress counts the rows of the whole load
    building = [done for step, done, _ in progress if step == "Building"]
    assert [later - earlier for earlier, later in zip(building, building[1:])] == [1000, 501]
    assert {whole for _, _, whole in progress} == {total} and progress[-1][1] == total
    assert summary.rows["Building"] == 2501
    lock_calls = sum(statement in LOCK_STATEMENTS.values() for statement, _ in fake.calls)
    bookkeeping = 5  # the lock's constraint, check-and-take and release; the scope's entry and record
    assert (lock_calls, summary.batches_committed) == (4, fake.modes.count("write") - bookkeeping)


def test_values_never_reach_the_statement_text():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(compound_name=HOSTILE_NAME), fake.driver)
    assert not any(HOSTILE_NAME in statement for statement, _ in fake.calls)
    assert not any("幸福小区" in statement or "XQ1" in statement for statement, _ in fake.calls)
    [(_, params)] = fake.statements("CREATE (n:Compound")
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


def _stored_as(graph: GovernanceGraph, scope: str = "D1", *, changed: str = "", foreign: str = "",
               shared: str = "", recorded: bool = False, rewritten: tuple[str, ...] = ()):
    """What read statements see in a database that holds ``graph`` as loaded by ``scope``: the
    node ``changed`` with another hash, the node ``foreign`` held by another scope (D9) only, the
    node ``shared`` held by D9 too, in D9's version (another hash); with ``recorded``, the scope's
    counts and digests from that load (see ``loaders.neo4j.scopes``), but for the labels and types
    another load marked ``rewritten`` since. The server compares; this double compares the ids it
    is sent with the graph's."""
    node_table = {label: node_rows(graph, label, scope) for label in NODE_MODELS}
    nodes = {row["id"]: (row["props"]["load_hash"], [scope]) for rows in node_table.values() for row in rows}
    nodes.update({node_id: ("another", [scope]) for node_id in (changed,) if node_id})
    nodes.update({node_id: (nodes[node_id][0], ["D9"]) for node_id in (foreign,) if node_id})
    nodes.update({node_id: ("D9's", [scope, "D9"]) for node_id in (shared,) if node_id})
    grouped = relationship_rows(graph, scope)
    relationships = {(row["source"], row["target"], row["key"]): row["props"]["load_hash"]
                     for rows in grouped.values() for row in rows}
    names = {**{label: rows for label, rows in node_table.items() if rows},
             **{"{}({}->{})".format(*combination): rows for combination, rows in grouped.items()}}
    digests = load_digests(graph)

    def rows(statement: str, parameters: dict) -> list[dict]:
        if statement == SCOPE_STATEMENTS["enter"]:
            return [{"first": False, "names": list(names) if recorded else None,
                     "counts": [len(rows) for rows in names.values()] if recorded else None,
                     "digest_names": list(digests) if recorded else None,
                     "digests": list(digests.values()) if recorded else None, "rewritten": list(rewritten) or None}]
        if statement.endswith("AS count"):
            return [{"count": 1}]
        if "AS absent" in statement:
            ids, hashes = parameters["ids"], parameters["hashes"]
            stale = [i for i, node_id in enumerate(ids) if node_id in nodes and (
                nodes[node_id][0] != hashes[i] or scope not in nodes[node_id][1])]
            return [{"absent": [i for i, node_id in enumerate(ids) if node_id not in nodes],
                     "differing": stale,
                     "unheld": sum(node_id not in nodes or scope not in nodes[node_id][1] for node_id in ids),
                     "rewritten": [nodes[ids[i]][1] for i in stale if nodes[ids[i]][0] != hashes[i]]}]
        if "AS differing" in statement:
            found = list(zip(parameters["sources"], parameters["targets"], parameters["keys"], parameters["hashes"]))
            return [{"differing": [i for i, (*identity, digest) in enumerate(found)
                                   if relationships.get(tuple(identity)) != digest],
                     "unheld": sum(tuple(identity) not in relationships for *identity, _ in found),
                     "rewritten": []}]
        return []
    return rows


def test_a_database_holding_the_ledgers_as_they_are_gets_no_write_but_the_removals():
    graph = tiny_graph()
    fake = FakeDriver(rows=_stored_as(graph))
    summary = load_graph_into_neo4j(graph, fake.driver)
    assert summary.rows_unchanged == len(graph) + graph.nx.number_of_edges()
    assert not fake.statements("CREATE (n:") and not fake.statements("MERGE (n:")
    assert not fake.statements("MERGE (a)") and not summary.changed


def test_a_scopes_first_load_skips_the_removal_pass_and_a_later_one_runs_it():
    def history(first):
        return lambda statement, _: ([{"first": first, "names": None, "counts": None}]
                                     if statement == SCOPE_STATEMENTS["enter"] else [])
    fake = FakeDriver(rows=history(True))
    summary = load_graph_into_neo4j(tiny_graph(), fake.driver)
    assert summary.first_of_scope and not fake.statements("WHERE $scope IN")
    [(_, held)] = fake.statements(SCOPE_STATEMENTS["held"])   # what the scope holds now, recorded
    assert dict(zip(held["names"], held["counts"]))["Compound"] == 1 and "Grid" not in held["names"]
    later = FakeDriver(rows=history(False))
    summary = load_graph_into_neo4j(tiny_graph(), later.driver)
    assert not summary.first_of_scope and later.statements("WHERE $scope IN")


def test_a_reload_whose_scope_held_only_rows_it_lists_again_removes_nothing():
    graph = tiny_graph()
    fake = FakeDriver(rows=_stored_as(graph, recorded=True))
    summary = load_graph_into_neo4j(graph, fake.driver)
    assert not fake.statements("WHERE $scope IN") and not summary.changed
    assert summary.removals_skipped == len(NODE_MODELS) + len(list(relationship_combinations()))
    # The ledgers dropped a building: the scope holds one Building fewer among the rows than it
    # held, so Buildings and the PART_OF links from them are looked for; nothing else is.
    bigger = tiny_graph()
    bigger.relate("PART_OF", bigger.add(Building(id="LD2", name="2号楼")), ("Compound", "XQ1"))
    fake = FakeDriver(rows=_stored_as(bigger, recorded=True))
    load_graph_into_neo4j(graph, fake.driver)
    assert [statement.split("\n")[0] for statement, _ in fake.statements("WHERE $scope IN")] == [
        "MATCH (a:Building)-[r:PART_OF]->(b:Compound)", "MATCH (n:Building)"]


def test_only_the_rows_that_differ_are_written():
    graph = tiny_graph()
    fake = FakeDriver(rows=_stored_as(graph, changed="XQ1", foreign="WY1"))
    summary = load_graph_into_neo4j(graph, fake.driver)
    merged = [row["id"] for statement, params in fake.statements("MERGE (n:") for row in params["rows"]]
    assert sorted(merged) == ["WY1", "XQ1"]   # another hash; held by another scope only
    assert not fake.statements("CREATE (n:") and not fake.statements("MERGE (a)")
    assert summary.rows_unchanged == len(graph) + graph.nx.number_of_edges() - 2


def test_a_create_batch_another_load_got_to_first_is_merged_instead():
    fake = FakeDriver()
    write = fake.driver.session.return_value.__enter__.return_value.execute_write.side_effect

    def refuse_creates(fn, *args):
        if args and args[0] == node_create_statement("Compound"):
            raise neo4j.exceptions.ConstraintError("already exists")
        return write(fn, *args)
    fake.driver.session.return_value.__enter__.return_value.execute_write.side_effect = refuse_creates
    load_graph_into_neo4j(tiny_graph(), fake.driver)
    [(_, params)] = fake.statements(node_merge_statement("Compound"))
    assert [row["id"] for row in params["rows"]] == ["XQ1"]
    # Whose node it rewrites is not known: every other scope is told to look its Compounds up again.
    assert fake.statements(SCOPE_STATEMENTS["rewritten"]) == [
        (SCOPE_STATEMENTS["rewritten"], {"scope": "D1", "name": "Compound", "scopes": None})]


def _lookups(fake: FakeDriver) -> list[str]:
    """The labels and types a load looked up (counted or compared with what it would write)."""
    return [statement.split("\n")[1].split(":")[1].split(" ")[0] if statement.startswith("UNWIND")
            else statement for statement, _ in fake.calls
            if "AS absent" in statement or "AS differing" in statement or statement.endswith("AS count")]


def test_a_reload_of_the_rows_its_scope_last_loaded_looks_nothing_up_and_writes_nothing():
    graph = tiny_graph()
    fake = FakeDriver(rows=_stored_as(graph, recorded=True))
    summary = load_graph_into_neo4j(graph, fake.driver)
    assert _lookups(fake) == [] and not summary.changed
    assert summary.rows_unchanged == len(graph) + graph.nx.number_of_edges()
    [(_, held)] = fake.statements(SCOPE_STATEMENTS["held"])   # the same digests, recorded again
    assert dict(zip(held["digest_names"], held["digests"])) == load_digests(graph)
    assert dict(zip(held["names"], held["counts"]))["HOLDS(Person->PartyOrg)"] == 1   # and the same counts


def test_what_another_load_rewrote_or_the_ledgers_changed_is_looked_up_again_and_only_that():
    graph = tiny_graph()
    fake = FakeDriver(rows=_stored_as(graph, recorded=True, rewritten=("PropertyCompany",)))
    load_graph_into_neo4j(graph, fake.driver)
    assert _lookups(fake) == [label_count_statement("PropertyCompany"), "PropertyCompany"]
    renamed = tiny_graph()
    renamed.node(("Compound", "XQ1"))["name"] = "幸福家园"
    fake = FakeDriver(rows=_stored_as(graph, recorded=True))
    load_graph_into_neo4j(renamed, fake.driver)
    assert _lookups(fake) == [label_count_statement("Compound"), "Compound"]
    [(_, params)] = fake.statements(node_merge_statement("Compound"))
    assert [row["props"]["name"] for row in params["rows"]] == ["幸福家园"]


def test_rewriting_a_node_another_scope_holds_tells_that_scope_first():
    graph = tiny_graph()
    fake = FakeDriver(rows=_stored_as(graph, shared="WY1"))
    load_graph_into_neo4j(graph, fake.driver)
    statements = [statement for statement, _ in fake.calls]
    told = statements.index(SCOPE_STATEMENTS["rewritten"])
    assert fake.calls[told][1] == {"scope": "D1", "name": "PropertyCompany", "scopes": ["D9"]}
    assert told < statements.index(node_merge_statement("PropertyCompany"))
    assert len(fake.statements(SCOPE_STATEMENTS["rewritten"])) == 1   # D1's own changes tell nobody


def test_a_load_in_a_log_says_its_rate_and_time_left_every_few_seconds(capsys):
    now = [0.0]
    progress = RateProgress("Neo4j", terminal=False, every=10, clock=lambda: now[0])
    for second, done in ((4, 40_000), (10, 100_000), (12, 120_000), (20, 200_000), (25, 250_000)):
        now[0] = second
        progress("Person", done, 250_000)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "Neo4j: 100,000 of 250,000 rows (40%), 10,000 rows/s, about 15 s left; Person",
        "Neo4j: 200,000 of 250,000 rows (80%), 10,000 rows/s, about 5 s left; Person",
        "Neo4j: 250,000 of 250,000 rows (100%), 10,000 rows/s, about 0 s left; Person"]
