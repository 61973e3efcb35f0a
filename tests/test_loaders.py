"""Loading ledgers: formats, encodings, names, headers, and the graph they become."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from graphmodel.privacy import hash_id_number
from graphmodel.schema import NODE_MODELS, RELATIONSHIPS
from graphmodel.snapshot import load_snapshot, save_snapshot
from ledger_factory import (ID_NUMBER, minimal_ledgers, table, write_csv, write_ledgers,
                            write_workbook)
from loaders import LEDGERS, LEDGERS_BY_NAME, ledger_reference, load_ledgers
from loaders.build import BUILDING, CHECKING, LINKS_OF, READING
from snapshot_files import unpacked_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def minimal(tmp_path):
    return load_ledgers(write_ledgers(tmp_path / "ledgers"))


def targets(graph, key, rel_type):
    return sorted(target for target, _ in graph.out(key, rel_type))


def test_minimal_folder_loads_without_problems(minimal):
    assert minimal.problems == [] and minimal.warnings == []
    assert len(minimal.files) == len(LEDGERS)
    assert minimal.rows["compounds"] == 3 and minimal.rows["posts"] == 5
    assert minimal.graph.label_counts() == {
        "District": 1, "Street": 1, "Community": 2, "Grid": 2, "Compound": 3, "Building": 3,
        "PartyOrg": 7, "PropertyCompany": 1, "OwnerCommittee": 2, "ResidentUnit": 1, "Person": 3,
        "ListItem": 3, "Venue": 2, "Case": 2}


def test_relationships_follow_the_design(minimal):
    graph = minimal.graph
    assert graph.parent(("Street", "S1")) == ("District", "D1")
    assert graph.parent(("Community", "C2")) == ("Street", "S1")
    assert graph.parent(("Grid", "G1")) == ("Community", "C1")
    assert graph.parent(("Building", "B3")) == ("Compound", "X2")
    assert targets(graph, ("Grid", "G2"), "COVERS") == [("Building", "B3"), ("Compound", "X3")]
    assert targets(graph, ("PartyOrg", "P6"), "UNDER") == [("PartyOrg", "P4")]
    assert targets(graph, ("PartyOrg", "P1"), "UNDER") == []
    assert targets(graph, ("PartyOrg", "P5"), "BASED_IN") == [("Compound", "X2"), ("Compound", "X3")]
    assert targets(graph, ("PartyOrg", "P7"), "BASED_IN") == [("PropertyCompany", "WY1")]
    assert targets(graph, ("OwnerCommittee", "Y2"), "REPRESENTS") == [("Compound", "X3")]
    assert targets(graph, ("ResidentUnit", "U1"), "REGISTERED_WITH") == [("Community", "C1")]
    assert targets(graph, ("Person", "R1"), "MEMBER_OF") == [("PartyOrg", "P2")]
    assert targets(graph, ("Person", "R1"), "LIVES_IN") == [("Building", "B1")]
    assert targets(graph, ("Person", "R1"), "REGISTERED_WITH") == [("Community", "C1")]
    assert targets(graph, ("ListItem", "L1"), "RAISED_BY") == [("Community", "C1")]
    assert targets(graph, ("ListItem", "L2"), "OFFERED_BY") == [("ResidentUnit", "U1")]
    assert targets(graph, ("ListItem", "L3"), "MATCHES") == [("ListItem", "L1"), ("ListItem", "L2")]
    assert targets(graph, ("Venue", "V2"), "LOCATED_IN") == [("Building", "B1")]
    assert targets(graph, ("Case", "GD1"), "ABOUT") == [("Compound", "X3")]
    assert targets(graph, ("Case", "GD2"), "ABOUT") == [("Community", "C2")]
    ratings = sorted((target, props["date"].isoformat(), props["result"], props.get("period"))
                     for target, props in graph.out(("PropertyCompany", "WY1"), "RATED"))
    assert ratings == [(("Community", "C1"), "2026-03-31", "red_list", "2026年第一季度"),  # both kept
                       (("Community", "C1"), "2026-06-30", "black_list", "2026年第二季度"),
                       (("Street", "S1"), "2026-06-30", "stars_2", None)]


def test_relationship_ends_share_one_key_per_node_and_no_props_dict(tmp_path):
    """At city scale a key tuple per relationship end, or a dict per relationship of a type without
    properties, costs hundreds of MB: every end of one node is one object, a type without
    properties keeps no dicts, and each relationship of a type with properties its own dict (two
    contracts without dates too: they must not share one)."""
    ledgers = minimal_ledgers()
    for contract in ledgers["property_contracts"]:
        contract["start"] = contract["end"] = ""
    graph = load_ledgers(write_ledgers(tmp_path / "ledgers", ledgers)).graph
    ends: dict[tuple, tuple] = {}
    for rel_type, (sources, targets, props) in graph.relationship_columns().items():
        for key in (*sources, *targets):
            assert ends.setdefault(key, key) is key, (rel_type, key)
        if props is None:
            assert not RELATIONSHIPS[rel_type].props.model_fields, rel_type
        else:
            assert len({id(edge) for edge in props}) == len(props), rel_type
    assert len(ends) > 20 and ("Building", "B3") in ends and ("Community", "C1") in ends


def test_relationship_properties_are_parsed(minimal):
    graph = minimal.graph
    contracts = dict(graph.out(("PropertyCompany", "WY1"), "MANAGES"))
    assert contracts[("Compound", "X1")] == {"type": "MANAGES", "start": dt.date(2024, 1, 1)}
    assert contracts[("Compound", "X2")] == {"type": "MANAGES", "start": dt.date(2023, 1, 1),
                                             "end": dt.date(2025, 12, 31)}
    posts = {(target, props["role"]): props for target, props in graph.out(("Person", "R1"), "HOLDS")}
    assert posts[(("PartyOrg", "P2"), "secretary")]["part_time"] is False
    assert posts[(("OwnerCommittee", "Y1"), "director")]["part_time"] is True
    assert dict(graph.out(("Person", "R3"), "HOLDS"))[("Building", "B1")]["part_time"] is True
    assert dict(graph.out(("Person", "R2"), "HOLDS"))[("PropertyCompany", "WY1")]["role"] == "保洁主管"


def test_node_properties_and_defaults(minimal):
    graph = minimal.graph
    assert graph.node(("Grid", "G1"))["grid_type"] == "comprehensive"
    assert graph.node(("Grid", "G2"))["grid_type"] == "comprehensive"  # blank: the schema default
    assert graph.node(("PartyOrg", "P5"))["kind"] == "joint_branch"
    committee = graph.node(("OwnerCommittee", "Y1"))
    assert committee["kind"] == "owners_committee" and committee["term_end"] == dt.date(2028, 5, 31)
    assert graph.node(("Person", "R3"))["party_member"] is True
    assert graph.node(("Person", "R2"))["party_member"] is False
    assert graph.node(("ResidentUnit", "U1"))["kind"] == "事业单位"
    assert graph.node(("ListItem", "L1"))["community_id"] == "C1"


def test_every_node_is_a_valid_schema_model(minimal):
    for key, attrs in minimal.graph.nx.nodes(data=True):
        model = minimal.graph.get(key)
        assert isinstance(model, NODE_MODELS[key[0]])
        expected = {"label": key[0], **model.model_dump(mode="python", exclude_none=True)}
        assert attrs == expected


def test_english_headers_and_file_names_give_the_same_graph(tmp_path, minimal):
    english = load_ledgers(write_ledgers(tmp_path / "en", headers="en", names="en"))
    assert english.problems == []
    assert english.graph == minimal.graph


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, minimal, encoding):
    folder = write_ledgers(tmp_path / encoding, encoding=encoding)
    if encoding != "utf-8-sig":
        with pytest.raises(UnicodeDecodeError):
            (folder / "小区.csv").read_bytes().decode("utf-8")
    else:
        assert (folder / "小区.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = load_ledgers(folder)
    assert result.problems == []
    assert result.graph == minimal.graph


def test_workbook_with_a_sheet_per_ledger(tmp_path, minimal):
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx"))
    assert result.problems == [] and result.warnings == []
    assert "台账.xlsx[小区]" in result.files
    assert result.graph == minimal.graph


def test_workbook_typed_cells(tmp_path):
    """Excel date cells, numeric codes and boolean cells are read as the ledger means them."""
    ledgers = minimal_ledgers()
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in ledgers.items():
        sheet = workbook.create_sheet(LEDGERS_BY_NAME[name].zh)
        for values in table(name, rows):
            sheet.append([value or None for value in values])
    contracts = workbook["物业服务"]
    contracts["C2"] = dt.datetime(2024, 2, 29)
    people = workbook["人员"]
    people["C2"] = True
    workbook["楼栋"].append([101.0, "3号楼", "X1"])  # a code Excel stored as a number
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    graph = load_ledgers(path).graph
    assert dict(graph.out(("PropertyCompany", "WY1"), "MANAGES"))[("Compound", "X1")]["start"] \
        == dt.date(2024, 2, 29)
    assert graph.node(("Person", "R1"))["party_member"] is True
    assert graph.parent(("Building", "101")) == ("Compound", "X1")


def test_single_ledger_files_named_in_many_ways(tmp_path):
    folder = write_ledgers(tmp_path / "f", {name: rows for name, rows in minimal_ledgers().items()
                                            if name in ("areas", "buildings")})
    (folder / "行政区划.csv").rename(folder / "01-行政区划台账.csv")
    write_csv(folder / "compounds.csv", table("compounds", minimal_ledgers()["compounds"]))
    workbook = openpyxl.Workbook()
    for values in table("grids", minimal_ledgers()["grids"]):
        workbook.active.append(values)
    workbook.save(folder / "网格台账.xlsx")
    write_csv(folder / "说明.csv", [["anything"], ["x"]])
    (folder / "ground_truth.json").write_text("{}")
    result = load_ledgers(folder)
    assert result.graph.count("Compound") == 3 and result.graph.count("Grid") == 2
    assert result.graph.count("Building") == 3 and result.graph.count("Community") == 2
    assert [str(warning) for warning in result.warnings] == [
        "说明.csv: 无法识别为台账, 已忽略; 文件名应为台账名, 如 小区 (no ledger name in '说明'; expected e.g. compounds)"]


def test_header_aliases_title_rows_and_trimming(tmp_path, minimal):
    ledgers = minimal_ledgers()
    folder = write_ledgers(tmp_path / "a", ledgers)
    rows = [["和平街道小区台账（2026年）"], [],
            ["小区代码 *", "　小区名称（必填）", "社区编码"],
            ["X1　", " 和平小区", "C1"], ["X2", "幸福家园", "C2"], ["", "", ""],
            ["X3", "老旧院落", "C2"]]
    write_csv(folder / "小区.csv", rows)
    result = load_ledgers(folder)
    assert result.problems == []
    assert result.graph == minimal.graph


def test_extra_columns_are_kept_as_text_and_empty_cells_dropped(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0].update({"地址": "巴陵街 1 号", "建成年代": "2005"})
    ledgers["compounds"][1].update({"地址": "", "建成年代": ""})
    graph = load_ledgers(write_ledgers(tmp_path / "a", ledgers)).graph
    assert graph.node(("Compound", "X1"))["地址"] == "巴陵街 1 号"
    assert graph.node(("Compound", "X1"))["建成年代"] == "2005"  # text: only the known columns are typed
    assert "地址" not in graph.node(("Compound", "X2"))


def test_id_numbers_are_hashed_and_never_stored(tmp_path):
    result = load_ledgers(write_ledgers(tmp_path / "a"))
    person = result.graph.node(("Person", "R1"))
    assert person["id_hash"] == hash_id_number(ID_NUMBER)
    assert "id_number" not in person and "身份证号" not in person
    snapshot = save_snapshot(result.graph, tmp_path / "g.json.gz")
    raw = unpacked_bytes(snapshot)
    assert ID_NUMBER.encode() not in raw and ID_NUMBER[:17].encode() not in raw
    assert person["id_hash"].encode() in raw


def test_round_trip_through_a_snapshot(tmp_path, minimal):
    path = save_snapshot(minimal.graph, tmp_path / "g.json.gz")
    assert load_snapshot(path) == minimal.graph


def test_progress_is_reported_per_step(tmp_path):
    calls = []
    load_ledgers(write_ledgers(tmp_path / "a"), progress=lambda *call: calls.append(call))
    # reading the folder, then checking each of its 16 ledgers, then building the 33 rows that
    # are nodes (ledger after ledger: areas 4, grids 2, compounds 3 …)
    assert calls == [(READING, 0, 1), (READING, 1, 1),
                     *((CHECKING, number, 16) for number in range(1, 17)),
                     *((BUILDING, done, 33) for done in (4, 6, 9, 12, 19, 20, 22, 23, 26, 29, 31, 33))]


def test_checked_in_ledger_docs_are_generated():
    assert (ROOT / "docs" / "ledgers.md").read_text(encoding="utf-8") == ledger_reference()


@pytest.mark.parametrize("header_lang, encoding", [("zh", "utf-8"), ("en", "utf-8"), ("zh", "gb18030")])
def test_generated_sample_ledgers_load(tmp_path, header_lang, encoding):
    from loaders.sample import generate_sample

    summary = generate_sample(tmp_path / "sample", scale="community", seed=3,
                              header_lang=header_lang, encoding=encoding)
    result = load_ledgers(tmp_path / "sample")
    assert result.problems == []
    assert [warning.value for warning in result.warnings] == [  # the footer the generator writes, skipped
        "合计", "填表人：王芳  审核人：李强  填报日期：2026年6月30日"]
    assert result.rows == summary.counts
    assert result.graph.count("Compound") == summary.counts["compounds"]


def test_every_ledger_has_its_links_in_ledger_order():
    assert list(LINKS_OF) == [spec.name for spec in LEDGERS]
