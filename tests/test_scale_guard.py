"""The row ceiling that keeps a province out of memory, and the graph's bulk inserts the loader uses."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gridgraph.cli import main
from graphmodel.errors import LedgerError, SchemaError
from graphmodel.graph import GovernanceGraph
from graphmodel.schema import Building, Compound, Person
from ledger_factory import write_ledgers, write_workbook
from loaders import load_ledgers, load_to_snapshot
from loaders.reading import DEFAULT_MAX_ROWS, MAX_ROWS_VARIABLE, row_ceiling


def _lines(folder) -> int:
    return sum(len(path.read_bytes().splitlines()) for path in folder.glob("*.csv"))


def test_ledgers_over_the_ceiling_are_refused_with_a_neo4j_hint(tmp_path):
    folder = write_ledgers(tmp_path / "ledgers")
    with pytest.raises(LedgerError) as caught:
        load_ledgers(folder, max_rows=10)
    assert MAX_ROWS_VARIABLE in str(caught.value) and "ceiling of 10" in str(caught.value)
    assert "--neo4j" in caught.value.hint


def test_the_ceiling_counts_every_csv_line(tmp_path):
    folder = write_ledgers(tmp_path / "ledgers")
    assert load_ledgers(folder, max_rows=_lines(folder)).problems == []
    with pytest.raises(LedgerError):
        load_ledgers(folder, max_rows=_lines(folder) - 1)


def test_workbook_rows_count_too(tmp_path):
    workbook = write_workbook(tmp_path / "台账.xlsx")
    with pytest.raises(LedgerError, match=MAX_ROWS_VARIABLE):
        load_ledgers(workbook, max_rows=20)


def test_environment_ceiling_stops_snapshot_and_cli(tmp_path, monkeypatch):
    folder = write_ledgers(tmp_path / "ledgers")
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "10")
    assert row_ceiling() == 10
    output = tmp_path / "out" / "g.json.gz"
    with pytest.raises(LedgerError):
        load_to_snapshot(folder, output)
    assert not output.exists()
    outcome = CliRunner().invoke(main, ["load", str(folder), "-o", str(output)])
    assert outcome.exit_code == 1 and "Traceback" not in outcome.output
    assert MAX_ROWS_VARIABLE in outcome.output and not output.exists()


@pytest.mark.parametrize("value", ["many", "0", "-5"])
def test_a_bad_ceiling_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv(MAX_ROWS_VARIABLE, value)
    with pytest.raises(LedgerError, match="positive whole number"):
        row_ceiling()


def test_default_ceiling(monkeypatch):
    monkeypatch.delenv(MAX_ROWS_VARIABLE, raising=False)
    assert row_ceiling() == DEFAULT_MAX_ROWS
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "3_000_000")
    assert row_ceiling() == 3_000_000


def test_bulk_inserts_equal_one_at_a_time():
    one, bulk = GovernanceGraph(), GovernanceGraph()
    compound, building = one.add(Compound(id="X1", name="和平小区")), one.add(Building(id="B1", name="1号楼"))
    person = one.add(Person(id="R1", name="张三"))
    one.relate("PART_OF", building, compound)
    one.relate("HOLDS", person, building, role="楼长")
    one.relate("HOLDS", person, building, role="楼长", part_time=True)  # same identity: updated
    one.relate("HOLDS", person, compound, role="secretary")
    bulk.add_many("Compound", [{"id": "X1", "name": "和平小区"}])
    bulk.add_many("Building", [{"id": "B1", "name": "1号楼"}])
    bulk.add_many("Person", [{"id": "R1", "name": "张三", "party_member": False}])
    bulk.relate_many("PART_OF", [(building, compound, {})])
    bulk.relate_many("HOLDS", [(person, building, {"role": "building_leader", "part_time": False}),
                               (person, building, {"role": "building_leader", "part_time": True}),
                               (person, compound, {"role": "secretary", "part_time": False})])
    assert bulk == one
    assert bulk.count("Person") == 1 and bulk.parent(building) == compound
    assert [props["part_time"] for _, props in bulk.out(person, "HOLDS")] == [True, False]
    assert bulk.node(person) is dict(bulk.nodes("Person"))[person]


def test_bulk_relate_refuses_missing_nodes_and_unknown_labels():
    graph = GovernanceGraph()
    graph.add_many("Compound", [{"id": "X1", "name": "和平小区"}])
    with pytest.raises(SchemaError, match="missing node Building 'B9'"):
        graph.relate_many("PART_OF", [(("Building", "B9"), ("Compound", "X1"), {})])
    with pytest.raises(SchemaError, match="unknown node label"):
        graph.add_many("Castle", [{"id": "C1", "name": "x"}])


def test_relating_columns_equals_relating_one_by_one():
    """relate_columns takes a type's first columns as they are, or, when a relationship comes
    twice, an end node is missing or the type has some already, goes one by one: each the same."""
    def graph():
        made = GovernanceGraph()
        made.add_many("Compound", [{"id": "X1", "name": "和平小区"}])
        made.add_many("Building", [{"id": f"B{n}", "name": f"{n}号楼"} for n in (1, 2)])
        made.add_many("Person", [{"id": "R1", "name": "张三", "party_member": False}])
        return made

    person, compound = ("Person", "R1"), ("Compound", "X1")
    buildings = [("Building", "B1"), ("Building", "B2")]
    holds = [{"role": "building_leader", "part_time": False}, {"role": "building_leader", "part_time": True},
             {"role": "secretary", "part_time": False}]
    for ends, props in (([buildings[0], buildings[1], compound], holds),           # all new
                        ([buildings[0], buildings[0], compound], holds)):          # one comes twice
        one, columns = graph(), graph()
        one.relate_many("HOLDS", zip([person] * 3, ends, props))
        columns.relate_columns("HOLDS", [person] * 3, ends, props)
        assert columns == one and list(columns.out(person, "HOLDS")) == list(one.out(person, "HOLDS"))
        columns.relate_columns("HOLDS", [person], [compound], [{"role": "secretary", "part_time": True}])
        one.relate_many("HOLDS", [(person, compound, {"role": "secretary", "part_time": True})])
        assert columns == one and list(columns.out(person, "HOLDS")) == list(one.out(person, "HOLDS"))
    kept = [{"type": "PART_OF"}] * 2
    columns = graph()
    columns.relate_columns("PART_OF", buildings, [compound] * 2, kept, adopt=True)
    assert columns.relationship_columns()["PART_OF"][:2] == (buildings, [compound] * 2)
    with pytest.raises(SchemaError, match="missing node Building 'B9'"):
        graph().relate_columns("PART_OF", [buildings[0], ("Building", "B9")], [compound] * 2, kept)
