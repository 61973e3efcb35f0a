"""The Neo4j loader against a recording driver: statements, parameter rows, batches, failures."""

from __future__ import annotations

import datetime as dt

import neo4j
import pytest

from graphmodel.errors import StoreError
from graphmodel.graph import GovernanceGraph
from graphmodel.neo4j.statements import (content_hash, database_empty_statement, label_count_statement,
                                         node_create_statement, node_merge_statement, relationship_combinations,
                                         schema_statements)
from graphmodel.schema import NODE_MODELS, Building, Compound
from gridgraph.cli.base import RateProgress
from loaders.neo4j import load_graph_into_neo4j
from loaders.neo4j.loader import load_digests, node_rows, relationship_rows
from loaders.neo4j.lock import LOCK_STATEMENTS, WHOLE_DATABASE, LoadLocked
from loaders.neo4j.scopes import SCOPE_STATEMENTS
from neo4j_fakes import HOSTILE_NAME, FakeDriver, tiny_graph


def test_constraints_come_first_then_the_lock_the_scope_nodes_relationships_removals_and_release():
    fake = FakeDriver()
    load_graph_into_neo4j(tiny_graph(), fake.driver, database="gov")
    statements = [statement for statement, _ in fake.calls]
    assert statements[:len(schema_statements())] == schema_statements()
    # the lock: checked, taken, checked again (for a load that took the whole database meanwhile)
    locking = [LOCK_STATEMENTS[name] for name in ("constraint", "holders", "take", "holders")]
    after_schema = len(schema_statements()) + len(locking) + 2
    assert statements[len(schema_statements()):after_schema] == [*locking, SCOPE_STATEMENTS["enter"],
                                                                  database_empty_statement()]
    assert statements[-1] == LOCK_STATEMENTS["release"]
    # A database not known to be empty: one count per label the graph holds (and no lookups) …
    counts = [label_count_statement(label) for label in NODE_MODELS if any(tiny_graph().nodes(label))]
    assert [s for s in statements if s in counts] == counts
    assert fake.modes.count("read") == len(counts) + 2
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
    assert (lock_calls, summary.batches_committed) == (5, fake.modes.count("write") - bookkeeping)


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


def _empty_database(holders=lambda parameters: []):
    """Rows of a database that holds nothing yet, whose lock holders are ``holders(parameters)``."""
    def rows(statement: str, parameters: dict) -> list[dict]:
        if statement == database_empty_statement():
            return [{"empty": True}]
        if "AS differing" in statement:  # a relationship looked up is not there
            found = len(parameters["sources"])
            return [{"differing": list(range(found)), "unheld": found, "rewritten": []}]
        return holders(parameters) if statement == LOCK_STATEMENTS["holders"] else []
    return rows


_OTHER_LOAD = {"load_id": "other", "scope": "D9", "host": "elsewhere", "pid": 1, "started": "2026-12-06T06:00"}


def _relationship_writes(fake: FakeDriver) -> tuple[int, int]:
    """How many relationship batches were CREATEd, and how many merged."""
    return (len(fake.statements("CREATE (a)-[r:")), len(fake.statements("MERGE (a)-[r:")))


def test_a_load_into_an_empty_database_with_no_other_load_builds_it_alone():
    fake = FakeDriver(rows=_empty_database())
    summary = load_graph_into_neo4j(tiny_graph(), fake.driver)
    assert summary.alone
    # its scope, then the whole database, each checked again once taken
    assert [params["parts"] for _, params in fake.statements(LOCK_STATEMENTS["take"])] == [["D1"], [WHOLE_DATABASE]]
    assert len(fake.statements(LOCK_STATEMENTS["holders"])) == 4
    combinations = len(relationship_rows(tiny_graph(), "D1"))
    assert _relationship_writes(fake) == (combinations, 0)
    assert summary.relationships_created == tiny_graph().nx.number_of_edges()
    assert str(summary).endswith("batches committed; the empty database built alone)")
    assert fake.statements("RETURN count(n) AS count") == []  # known empty: no label counted again


def test_a_load_beside_another_one_merges_its_relationships_even_into_an_empty_database():
    fake = FakeDriver(rows=_empty_database(lambda parameters: [{**_OTHER_LOAD, "parts": ["D9"]}]
                                           if parameters["exclusive"] else []))
    summary = load_graph_into_neo4j(tiny_graph(), fake.driver)
    assert not summary.alone and _relationship_writes(fake) == (0, len(relationship_rows(tiny_graph(), "D1")))
    assert [params["parts"] for _, params in fake.statements(LOCK_STATEMENTS["take"])] == [["D1"]]


def test_a_load_that_sees_another_after_taking_the_whole_database_gives_it_back():
    checks = []

    def holders(parameters):  # the other load took its parts between our check and our take
        checks.append(parameters["exclusive"])
        return [{**_OTHER_LOAD, "parts": ["D9"]}] if checks.count(True) == 2 else []
    fake = FakeDriver(rows=_empty_database(holders))
    summary = load_graph_into_neo4j(tiny_graph(), fake.driver)
    assert not summary.alone and _relationship_writes(fake)[0] == 0
    assert fake.statements(LOCK_STATEMENTS["drop"]) == [
        (LOCK_STATEMENTS["drop"], {"load_id": _load_id(fake), "part": WHOLE_DATABASE})]


def _load_id(fake: FakeDriver) -> str:
    [(_, params), *_] = fake.statements(LOCK_STATEMENTS["take"])
    return params["load_id"]


def test_a_load_that_finds_the_whole_database_taken_after_its_own_take_steps_back():
    fake = FakeDriver(rows=_empty_database(lambda parameters: [{**_OTHER_LOAD, "parts": [WHOLE_DATABASE]}]
                                           if parameters["parts"] == [] else []))
    with pytest.raises(LoadLocked, match="load other of scope D9 .* holds \\(whole database\\)"):
        load_graph_into_neo4j(tiny_graph(), fake.driver)
    statements = [statement for statement, _ in fake.calls]
    taken = statements.index(LOCK_STATEMENTS["take"])
    assert statements[taken + 1:] == [LOCK_STATEMENTS["holders"], LOCK_STATEMENTS["release"]]


def test_alone_a_relationship_between_nodes_this_load_did_not_create_is_merged():
    fake = FakeDriver(rows=_empty_database())
    write = fake.driver.session.return_value.__enter__.return_value.execute_write.side_effect

    def refuse_creates(fn, *args):  # both ends of XQ1's PART_OF SQ1 were there first
        if args and args[0] in (node_create_statement("Compound"), node_create_statement("Community")):
            raise neo4j.exceptions.ConstraintError("already exists")
        return write(fn, *args)
    fake.driver.session.return_value.__enter__.return_value.execute_write.side_effect = refuse_creates
    assert load_graph_into_neo4j(tiny_graph(), fake.driver).alone
    merged = [(row["source"], row["target"]) for _, params in fake.statements("MERGE (a)-[r:") for row in params["rows"]]
    created = [(row["source"], row["target"]) for _, params in fake.statements("CREATE (a)-[r:")
               for row in params["rows"]]
    assert merged == [("XQ1", "SQ1")]  # every other one has an end this load created
    assert len(created) == tiny_graph().nx.number_of_edges() - 1


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
