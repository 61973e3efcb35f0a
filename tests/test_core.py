"""The schema, the in-memory graph, the snapshot store and the privacy helpers."""

import datetime as dt
import gzip
import json
import os
import stat
import subprocess
import sys
import textwrap
import zipfile

import pytest
from pydantic import ValidationError

from graphmodel import GovernanceGraph, SchemaError, StoreError, load_snapshot, save_snapshot
from graphmodel import privacy
from graphmodel.schema import (
    NODE_MODELS, PART_TIME_ROLES, RELATIONSHIPS, Building, Community, Compound, Grid, GridType, ListItem,
    ListKind, ListStatus, OwnerCommittee, PartyOrg, PartyOrgKind, Person, PropertyCompany, Role,
    date_properties, field_enum, grid_type_zh, node_labels, normalize_grid_type, normalize_role,
    property_keys, relationship_types,
)


def small_graph() -> GovernanceGraph:
    g = GovernanceGraph()
    community = g.add(Community(id="SQ1", name="和平社区"))
    compound = g.add(Compound(id="XQ1", name="幸福小区", address="和平路1号", households="320"))
    g.relate("PART_OF", compound, community)
    building = g.add(Building(id="LD1", name="1号楼"))
    g.relate("PART_OF", building, compound)
    company = g.add(PropertyCompany(id="91230100MA1", name="安居物业服务有限公司"))
    g.relate("MANAGES", company, compound, start=dt.date(2024, 1, 1))
    g.relate("MANAGES", company, compound, start=dt.date(2021, 1, 1), end=dt.date(2023, 12, 31))
    committee = g.add(OwnerCommittee(id="YWH1", name="幸福小区业委会", kind="业委会",
                                     term_start="2023/3/1", term_end=dt.date(2028, 2, 28)))
    g.relate("REPRESENTS", committee, compound)
    branch = g.add(PartyOrg(id="DZB1", name="幸福小区党支部", kind="党支部"))
    g.relate("BASED_IN", branch, compound)
    person = g.add(Person(id="RY1", name="张伟", party_member=True, phone="13812345678"))
    g.relate("HOLDS", person, branch, role="书记")
    g.relate("HOLDS", person, committee, role=normalize_role("主任"), part_time=True)
    g.relate("LIVES_IN", person, building)
    return g


def test_enums_parse_chinese_english_and_aliases():
    assert PartyOrgKind.parse("联合党支部") is PartyOrgKind.JOINT_BRANCH
    assert PartyOrgKind.parse("joint_branch") is PartyOrgKind.JOINT_BRANCH
    assert PartyOrgKind.parse(" 大党委 ") is PartyOrgKind.COMMITTEE
    assert GridType.parse("综合").zh == "综合网格"
    with pytest.raises(ValueError, match="党工委"):
        PartyOrgKind.parse("党员之家")


def test_roles_normalise_known_and_keep_unknown():
    assert normalize_role("楼栋长") == Role.BUILDING_LEADER.value
    assert normalize_role(" 会计 ") == "会计"
    # The seed reports' own words: 阳泉's 物业服务指导员 is the 党建指导员.
    assert normalize_role("兼职副书记") == Role.PART_TIME_DEPUTY_SECRETARY.value
    assert normalize_role("第一书记") == Role.FIRST_SECRETARY.value
    assert normalize_role("物业服务指导员") == Role.INSTRUCTOR.value
    assert PART_TIME_ROLES == {Role.PART_TIME_MEMBER.value, Role.PART_TIME_DEPUTY_SECRETARY.value}


def test_grid_types_are_open():
    assert normalize_grid_type("综合") == GridType.COMPREHENSIVE.value
    assert normalize_grid_type(" 全科网格 ") == "全科网格"
    assert Grid(id="G1", name="一网格", grid_type="应急管理").grid_type == GridType.EMERGENCY.value
    assert Grid(id="G2", name="二网格", grid_type="安全生产网格").grid_type == "安全生产网格"
    assert Grid(id="G3", name="三网格").grid_type == GridType.COMPREHENSIVE.value
    assert (grid_type_zh("emergency"), grid_type_zh("全科网格")) == ("应急管理网格", "全科网格")
    assert field_enum(Grid, "grid_type") == (GridType, True)


def test_list_kinds_and_status():
    assert ListKind.parse("问题") is ListKind.parse("问题清单") is ListKind.DEMAND
    assert ListKind.parse("治理") is ListKind.parse("治理清单") is ListKind.PROJECT  # 莒南's 需求、资源、治理
    assert [ListStatus.parse(text) for text in ("待办", "办理中", "办结")] == list(ListStatus)
    item = ListItem(id="L1", name="加装电梯", kind="问题", status="办结", raised="2026/3/1", closed="2026年4月2日")
    assert (item.kind, item.status, item.raised, item.closed) == (
        "demand", "closed", dt.date(2026, 3, 1), dt.date(2026, 4, 2))
    assert field_enum(ListItem, "status") == (ListStatus, False)


def test_impossible_parent_levels():
    assert PartyOrgKind.WORKING_COMMITTEE not in PartyOrgKind.GROUP.allowed_parents
    assert PartyOrgKind.BRANCH in PartyOrgKind.GROUP.allowed_parents
    assert not PartyOrgKind.WORKING_COMMITTEE.allowed_parents


def test_models_keep_extra_columns_but_refuse_raw_id_numbers():
    compound = Compound(id="XQ1", name="幸福小区", built_year="1998")
    assert compound.model_dump()["built_year"] == "1998"
    with pytest.raises(ValidationError, match="ID-card"):
        Person(id="RY1", name="张伟", 身份证号="110101199003071234")
    with pytest.raises(ValidationError):
        Compound(id="", name="空编码")


def test_schema_is_introspectable():
    assert node_labels()[:3] == ["District", "Street", "Community"]
    assert set(relationship_types()) >= {"PART_OF", "COVERS", "UNDER", "BASED_IN", "MANAGES", "HOLDS"}
    assert {"id", "name", "term_end", "role", "part_time"} <= set(property_keys())
    assert "id_number" not in property_keys()
    assert date_properties(OwnerCommittee) == {"term_start", "term_end"}
    for spec in RELATIONSHIPS.values():
        assert set(spec.sources) | set(spec.targets) <= set(NODE_MODELS)


def test_graph_accessors_and_schema_checks():
    g = small_graph()
    assert g.label_counts()["Compound"] == 1
    assert g.relationship_counts()["MANAGES"] == 2  # a renewed contract is a second relationship
    assert g.parent(("Building", "LD1")) == ("Compound", "XQ1")
    holders = sorted(props["role"] for _, props in g.into(("PartyOrg", "DZB1"), "HOLDS"))
    assert holders == ["secretary"]
    assert g.get(("OwnerCommittee", "YWH1")).term_start == dt.date(2023, 3, 1)
    with pytest.raises(SchemaError, match="cannot join"):
        g.relate("MANAGES", ("Compound", "XQ1"), ("Compound", "XQ1"))
    with pytest.raises(SchemaError, match="missing node"):
        g.relate("PART_OF", ("Compound", "XQ9"), ("Community", "SQ1"))
    with pytest.raises(SchemaError, match="unknown relationship"):
        g.relate("OWNS", ("Person", "RY1"), ("Building", "LD1"))



@pytest.mark.parametrize("walked_first", [False, True], ids=["as columns", "in the adjacency"])
def test_a_relationship_met_again_updates_the_one_kept(walked_first):
    """Before anything walks the graph its relationships are columns; a repeat (same ends and edge
    key) updates the one kept there exactly as it does in NetworkX's adjacency."""
    g = small_graph()
    if walked_first:
        g.nx  # noqa: B018 (builds the adjacency)
    person, org = ("Person", "RY1"), ("PartyOrg", "DZB1")
    before = g.relationship_counts()["HOLDS"]
    g.relate("HOLDS", person, org, role="secretary", start="2020-01-01")
    g.relate("HOLDS", person, org, role="committee_member")  # another role: a second post
    assert g.relationship_counts()["HOLDS"] == before + 1
    sources, targets, props = g.relationship_columns()["HOLDS"]
    held = sorted((edge["role"], str(edge.get("start"))) for source, target, edge in zip(sources, targets, props)
                  if (source, target) == (person, org))
    assert held == [("committee_member", "None"), ("secretary", "2020-01-01")]
    with pytest.raises(SchemaError, match="missing node"):
        g.relate("HOLDS", ("Person", "RY9"), org, role="secretary")
    walked = sorted(props["role"] for _, props in g.into(org, "HOLDS"))
    assert walked == ["committee_member", "secretary"]


def test_walking_before_and_after_the_adjacency_gives_the_same_relationships():
    """A node's walk before the adjacency exists reads only the types its label may have, and a
    type without properties shares one read-only mapping: same answers as NetworkX's adjacency."""
    g = small_graph()
    assert list(g.out(("Community", "SQ1"), "MANAGES")) == [] and "MANAGES" not in g._neighbours
    everyone = [key for label in g.label_counts() for key, _ in g.nodes(label)]

    def walk(key):
        return [sorted((other, sorted(props.items(), key=repr)) for other, props in ends)
                for ends in (g.out(key), g.into(key))]

    walked = {key: walk(key) for key in everyone}
    part_of = [props for _, props in g.out(("Building", "LD1"))]
    assert part_of == [{"type": "PART_OF"}]
    with pytest.raises(TypeError):
        part_of[0]["type"] = "UNDER"  # shared by every PART_OF: it cannot be changed
    g.nx  # noqa: B018 (builds the adjacency)
    assert walked == {key: walk(key) for key in everyone}
    assert sum(len(out) for out, _ in walked.values()) == sum(g.relationship_counts().values())


def test_snapshot_round_trip_is_identical(tmp_path):
    g = small_graph()
    path = save_snapshot(g, tmp_path / "g.snapshot.json.gz")
    again = load_snapshot(path)
    assert again == g
    assert again.get(("OwnerCommittee", "YWH1")).term_end == dt.date(2028, 2, 28)
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("manifest.json"))["format"] == "gridgraph-snapshot"
        assert not any(name.endswith((".pkl", ".pickle")) for name in archive.namelist())


def test_graph_equality_sees_a_changed_property():
    g, h = small_graph(), small_graph()
    h.add(Compound(id="XQ1", name="幸福小区(改)"))
    assert g != h


@pytest.mark.parametrize("content", [b"", b"not gzip", gzip.compress(b"[1,2]"),
                                     gzip.compress(b'{"format": "gridgraph-snapshot", "version": 99}')])
def test_bad_snapshots_are_store_errors(tmp_path, content):
    path = tmp_path / "bad.json.gz"
    path.write_bytes(content)
    with pytest.raises(StoreError):
        load_snapshot(path)


def test_missing_snapshot_has_a_hint(tmp_path):
    with pytest.raises(StoreError) as caught:
        load_snapshot(tmp_path / "nothing.json.gz")
    assert "gridgraph load" in caught.value.hint


def test_snapshot_killed_midway_leaves_previous_intact(tmp_path):
    """A save killed with SIGKILL mid-write leaves the old snapshot loadable and no temp file behind it."""
    path = tmp_path / "g.snapshot.json.gz"
    save_snapshot(small_graph(), path)
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import os, signal, zipfile
        from graphmodel import snapshot
        from tests.test_core import small_graph
        real_write = zipfile.ZipFile.writestr
        def write_then_die(self, name, data, *args, **kwargs):
            if name != "manifest.json":
                real_write(self, name, bytes(data)[: len(data) // 2])
                os.kill(os.getpid(), signal.SIGKILL)
            real_write(self, name, data, *args, **kwargs)
        zipfile.ZipFile.writestr = write_then_die
        snapshot.save_snapshot(small_graph(), {str(path)!r})
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=os.getcwd())
    assert result.returncode == -9
    assert path.read_bytes() == before
    assert load_snapshot(path) == small_graph()


def test_id_numbers_hash_with_a_key_and_validate():
    number = "11010519491231002X"
    digest = privacy.hash_id_number(number.lower(), key=b"k1")
    assert digest == privacy.hash_id_number(number, key=b"k1")
    assert digest != privacy.hash_id_number(number, key=b"k2")
    assert number not in digest and len(digest) == 32
    with pytest.raises(ValueError):
        privacy.hash_id_number("12345", key=b"k1")


def test_key_file_is_created_owner_only(tmp_path, monkeypatch):
    key_file = tmp_path / "conf" / "pii.key"
    monkeypatch.setenv("GRIDGRAPH_KEY_FILE", str(key_file))
    key = privacy.pii_key()
    assert key and key_file.read_bytes().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert privacy.pii_key() == key
    monkeypatch.setenv("GRIDGRAPH_PII_KEY", "a-key-from-the-environment")
    assert privacy.pii_key() == b"a-key-from-the-environment"


@pytest.mark.parametrize("raw, masked", [("13812345678", "138****5678"), ("138-1234-5678", "138****5678"),
                                         ("0451-8888666", "045****8666"), ("8888666", "***8666"), ("", ""), (None, None)])
def test_phone_masking(raw, masked):
    assert privacy.mask_phone(raw) == masked


def test_out_and_into_read_the_same_relationships_before_and_after_the_adjacency():
    """Before the NetworkX adjacency exists ``out``/``into`` read per-type indexes of the columns;
    both ways give the same relationships, a relationship added later shows at once, and a
    missing node is a KeyError as in NetworkX."""
    columns_first, adjacency_first = small_graph(), small_graph()
    adjacency_first.nx  # noqa: B018 (builds the adjacency)

    def walked(graph, *types):
        return sorted((way, key, other, repr(sorted(props.items())))
                      for key in graph.attrs_by_key for way, walk in (("out", graph.out), ("in", graph.into))
                      for rel_type in types for other, props in walk(key, rel_type))

    assert walked(columns_first, None) == walked(adjacency_first, None) != []
    assert walked(columns_first, "HOLDS", "MANAGES") == walked(adjacency_first, "HOLDS", "MANAGES") != []
    assert columns_first._graph is None  # nothing above needed the adjacency
    for graph in (columns_first, adjacency_first):
        graph.relate("HOLDS", ("Person", "RY1"), ("Compound", "XQ1"), role="楼长")
    assert walked(columns_first, "HOLDS") == walked(adjacency_first, "HOLDS")
    with pytest.raises(KeyError):
        list(columns_first.out(("Compound", "XQ9")))
