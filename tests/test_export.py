"""Exports: neo4j-admin import files typed from the schema, and GraphML that networkx reads back."""

from __future__ import annotations

import csv

import networkx as nx
import pytest

from graphmodel.errors import StoreError
from graphmodel.neo4j.statements import content_hash
from gridgraph.export import export_graphml, export_neo4j_admin, export_neo4j_admin_many
from graphmodel.schema import Compound, ResidentUnit
from neo4j_fakes import HOSTILE_NAME, tiny_graph


def _read(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_node_files_have_typed_headers_and_one_id_space_per_label(tmp_path):
    result = export_neo4j_admin(tiny_graph(), tmp_path / "out")
    assert "OwnerCommittee.csv" in result.node_files and "Grid.csv" not in result.node_files
    header, row = _read(tmp_path / "out" / "OwnerCommittee.csv")
    assert header == ["id:ID(OwnerCommittee)", ":LABEL", "name", "kind", "term_start:date",
                      "term_end:date", "load_scopes:string[]"]
    assert row == ["YWH1", "OwnerCommittee", "幸福小区业委会", "owners_committee", "2021-01-01",
                   "2025-12-31", "D1"]
    header, row = _read(tmp_path / "out" / "Person.csv")
    assert header == ["id:ID(Person)", ":LABEL", "name", "party_member:boolean", "load_scopes:string[]"]
    assert row[3] == "true"                                          # phone, id_hash left out
    export_neo4j_admin(tiny_graph(), tmp_path / "pii", include_pii=True)
    header, row = _read(tmp_path / "pii" / "Person.csv")
    assert header[:6] == ["id:ID(Person)", ":LABEL", "name", "party_member:boolean", "phone",
                          "id_hash"]
    assert row[3] == "true" and row[4] == ""                         # None: empty, so no property
    header, _ = _read(tmp_path / "out" / "Compound.csv")
    assert header[-2] == "households:long"                           # 户数: a known count column
    graph = tiny_graph()
    graph.add(Compound(id="XQ2", name="老旧院落", 地址="巴陵街 1 号"))
    export_neo4j_admin(graph, tmp_path / "extra")
    header = _read(tmp_path / "extra" / "Compound.csv")[0]
    assert header[-2:] == ["load_scopes:string[]", "地址"]             # extras as string columns


def test_relationship_files_name_both_id_spaces(tmp_path):
    export_neo4j_admin(tiny_graph(), tmp_path / "out")
    header, row = _read(tmp_path / "out" / "HOLDS__Person__OwnerCommittee.csv")
    assert header == [":START_ID(Person)", ":END_ID(OwnerCommittee)", ":TYPE", "role",
                      "part_time:boolean", "start:date", "end:date", "rel_key", "load_scopes:string[]",
                      "load_hash"]
    props = {"role": "member", "part_time": True, "rel_key": "HOLDS|member"}
    assert row == ["P1", "YWH1", "HOLDS", "member", "true", "", "", "HOLDS|member", "D1", content_hash(props)]


def test_awkward_text_is_quoted_and_survives(tmp_path):
    graph = tiny_graph(compound_name=HOSTILE_NAME)
    graph.add(ResidentUnit(id="DW1", name='中心医院, "东院"\n急诊部', kind="医院"))
    export_neo4j_admin(graph, tmp_path / "out")
    assert _read(tmp_path / "out" / "Compound.csv")[1][2] == HOSTILE_NAME
    assert _read(tmp_path / "out" / "ResidentUnit.csv")[1][2] == '中心医院, "东院"\n急诊部'


def test_import_script_lists_every_file(tmp_path):
    result = export_neo4j_admin(tiny_graph(), tmp_path / "out")
    script = (tmp_path / "out" / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in script and '"${1:-neo4j}"' in script
    for name in result.node_files:
        assert f"--nodes={name}" in script
    for name in result.relationship_files:
        assert f"--relationships={name}" in script
    assert result.command.endswith("--multiline-fields=true \\\n  neo4j")
    constraints = (tmp_path / "out" / "constraints.cypher").read_text(encoding="utf-8")
    assert "REQUIRE n.id IS UNIQUE" in constraints


def test_an_existing_directory_is_kept_unless_forced(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(StoreError, match="not empty"):
        export_neo4j_admin(tiny_graph(), target)
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    export_neo4j_admin(tiny_graph(), target, overwrite=True)
    assert not (target / "mine.txt").exists() and (target / "import.sh").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]           # no temporary left behind


def _two_areas():
    """Two districts with ids of their own; the second's compounds carry a column the first's lack."""
    first, second = tiny_graph(prefix="A"), tiny_graph(prefix="B")
    second.add(Compound(id="BXQ2", name="老旧院落", 地址="巴陵街 1 号"))
    return first, second


def test_many_areas_make_one_import_with_a_file_per_label(tmp_path):
    first, second = _two_areas()
    opened = []
    result = export_neo4j_admin_many([lambda: opened.append("A") or first, lambda: opened.append("B") or second],
                                     tmp_path / "out")
    out = tmp_path / "out"
    assert opened == ["A", "B"]                                       # one area in memory at a time
    header, *rows = _read(out / "OwnerCommittee.csv")
    assert header[0] == "id:ID(OwnerCommittee)"
    assert rows == [["AYWH1", "OwnerCommittee", "幸福小区业委会", "owners_committee", "2021-01-01", "2025-12-31", "AD1"],
                    ["BYWH1", "OwnerCommittee", "幸福小区业委会", "owners_committee", "2021-01-01", "2025-12-31", "BD1"]]
    assert [row[:2] for row in _read(out / "HOLDS__Person__PartyOrg.csv")[1:]] == [["AP1", "ADZB1"], ["BP1", "BDZB1"]]
    # B's compounds have another header: a file of their own
    assert [row[0] for row in _read(out / "Compound.csv")] == ["id:ID(Compound)", "AXQ1"]
    header, *rows = _read(out / "Compound.2.csv")
    assert header[-1] == "地址" and [row[0] for row in rows] == ["BXQ1", "BXQ2"]
    script = (out / "import.sh").read_text(encoding="utf-8")
    assert "--nodes=Compound.csv \\" in script and "--nodes=Compound.2.csv \\" in script
    assert sorted(result.node_files + result.relationship_files) == sorted(
        path.name for path in out.glob("*.csv"))
    assert (out / "constraints.cypher").exists()


def test_a_failing_area_leaves_nothing_behind(tmp_path):
    def broken():
        raise StoreError("area B cannot be read")
    with pytest.raises(StoreError, match="area B"):
        export_neo4j_admin_many([tiny_graph, broken], tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_graphml_round_trips_through_networkx(tmp_path):
    graph = tiny_graph()
    path = export_graphml(graph, tmp_path / "g.graphml")
    read = nx.read_graphml(path, force_multigraph=True)
    assert read.number_of_nodes() == len(graph)
    assert read.number_of_edges() == graph.nx.number_of_edges()
    committee = read.nodes["OwnerCommittee:YWH1"]
    assert committee["term_end"] == "2025-12-31" and committee["label"] == "OwnerCommittee"
    assert read.nodes["Person:P1"]["party_member"] is True
    assert read.nodes["Compound:XQ1"]["households"] == 320
    edge_types = {data["type"] for _, _, data in read.edges(data=True)}
    assert edge_types == {"PART_OF", "MANAGES", "REPRESENTS", "BASED_IN", "HOLDS"}
    with pytest.raises(StoreError, match="exists"):
        export_graphml(graph, path)


def test_graphml_stringifies_a_property_with_mixed_types(tmp_path):
    graph = tiny_graph()
    graph.add(ResidentUnit(id="DW1", name="医院", households="约300"))
    read = nx.read_graphml(export_graphml(graph, tmp_path / "g.graphml"), force_multigraph=True)
    assert read.nodes["Compound:XQ1"]["households"] == "320"
    assert read.nodes["ResidentUnit:DW1"]["households"] == "约300"
