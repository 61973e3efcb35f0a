"""The snapshot: Arrow tables in a zip, checked by column when opened; hostile files refused.

Every damaged or invalid snapshot must give one ``Error:`` line and exit 1 in every command
that opens it, never a traceback (issue 11, items 10–12).
"""

import datetime as dt
import gzip
import json
import subprocess
import sys
import zipfile

import pyarrow as pa
import pyarrow.ipc as ipc
import pytest
from click.testing import CliRunner

from graphmodel import StoreError
from gridgraph.cli import main
from graphmodel.graph import dicts_of_columns
from graphmodel.snapshot import FORMAT, VERSION, load_snapshot, save_snapshot
from queries import run_group
from tests.graph_factory import GraphFactory
from tests.test_core import small_graph


@pytest.fixture
def snapshot(tmp_path):
    return save_snapshot(small_graph(), tmp_path / "g.snapshot")


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path, replace: dict[str, bytes]) -> None:
    """The snapshot at ``path`` with some members replaced (a crafted file)."""
    content = {**members(path), **replace}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)


def table(path, name) -> pa.Table:
    return ipc.open_file(pa.py_buffer(members(path)[f"{name}.arrow"])).read_all()


def arrow_bytes(data: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, data.schema) as writer:
        writer.write_table(data)
    return sink.getvalue().to_pybytes()


def replace_column(path, name: str, column: str, values: pa.Array) -> None:
    data = table(path, name)
    data = data.set_column(data.column_names.index(column), column, values)
    rewrite(path, {f"{name}.arrow": arrow_bytes(data)})


def refused(path, match: str) -> None:
    with pytest.raises(StoreError, match=match):
        load_snapshot(path)


# -- the format -----------------------------------------------------------------------------
def test_tables_per_label_and_type_with_a_version(snapshot):
    manifest = json.loads(members(snapshot)["manifest.json"])
    assert manifest["format"] == FORMAT and manifest["version"] == VERSION
    assert manifest["tables"]["nodes/Person"] == 1 and manifest["tables"]["relationships/HOLDS"] == 2
    people = table(snapshot, "nodes/Person")
    assert people.schema.field("party_member").type == pa.bool_()
    assert table(snapshot, "nodes/OwnerCommittee").schema.field("term_end").type == pa.date32()
    assert table(snapshot, "relationships/MANAGES").column("start").to_pylist() == [
        dt.date(2024, 1, 1), dt.date(2021, 1, 1)]


def test_opened_graph_answers_without_building_networkx(snapshot):
    graph = load_snapshot(snapshot)
    assert graph._graph is None  # relationships still columns
    answers = run_group("all", graph)
    assert graph._graph is None
    assert answers == run_group("all", small_graph())
    assert graph.relationship_counts() == small_graph().relationship_counts()
    assert [key for key, _ in graph.into(("Compound", "XQ1"), "MANAGES")] == [
        ("PropertyCompany", "91230100MA1")] * 2
    assert graph == small_graph()  # walking the graph builds it, identical


def test_labels_and_types_are_made_when_first_asked_for(snapshot):
    """Opening reads and checks every table but makes Python objects only of what is asked:
    counts come from the tables, one lookup makes its label, one walk the types it reads."""
    graph, built = load_snapshot(snapshot), small_graph()
    assert graph.label_counts() == built.label_counts() and len(graph) == len(built)
    assert graph.relationship_counts() == built.relationship_counts()
    unmade = graph._attrs.unmade
    assert set(unmade) == {label for label, count in built.label_counts().items() if count}
    assert graph.node(("Compound", "XQ1"))["name"] == built.node(("Compound", "XQ1"))["name"]
    assert "Compound" not in unmade and "Person" in unmade
    assert ("Person", "RY1") in graph and "Person" not in unmade
    assert ("Person", "RY404") not in graph and ("Nobody", "x") not in graph
    assert graph.keys("Building") == built.keys("Building") == [key for key, _ in built.nodes("Building")]
    assert "Building" in unmade  # keys alone make no dicts
    assert [key for key, _ in graph.nodes("Building")] == built.keys("Building")
    assert graph.keys("Building") == built.keys("Building") and "Building" not in unmade
    assert graph.get(("OwnerCommittee", "YWH1")) == built.get(("OwnerCommittee", "YWH1"))
    with pytest.raises(KeyError):
        graph.node(("Building", "LD404"))
    columns = graph.relationship_columns()
    assert set(columns) == set(built.relationship_columns())  # every type, none made yet
    assert graph._pending["HOLDS"].__class__.__name__ == "_Unmade"
    assert columns["HOLDS"][:2] == built.relationship_columns()["HOLDS"][:2]
    assert graph._pending["MANAGES"].__class__.__name__ == "_Unmade"  # not read, not made


def test_nodes_asked_for_in_any_order_keep_the_snapshot_order(snapshot):
    # NetworkX's node order (exports, drawings) must not depend on which question came first.
    graph = load_snapshot(snapshot)
    for label in reversed(list(graph.label_counts())):
        list(graph.nodes(label))
    graph.relate("LIVES_IN", ("Person", "RY1"), ("Building", "LD1"))
    in_schema_order = list(load_snapshot(snapshot).nx.nodes)
    assert list(graph.nx.nodes) == in_schema_order
    assert [key[0] for key in in_schema_order] == sorted((key[0] for key in in_schema_order),
                                                          key=list(graph.label_counts()).index)


def test_relationship_properties_with_gaps_in_every_column_round_trip(tmp_path):
    """Two contracts, one without a start and one without an end: no property column is full
    (once a hang that filled the memory: the rows were counted from the full columns)."""
    f = GraphFactory.city()
    company = f.company("WY1")
    f.contract(company, f.compound("XQ1", "SQ1"), start="2024-01-01")
    f.contract(company, f.compound("XQ2", "SQ1"), end="2026-12-31")
    path = tmp_path / "gaps.snapshot"
    save_snapshot(f.graph, path)
    opened = load_snapshot(path)
    assert sorted((target[1], props.get("start"), props.get("end"))
                  for target, props in opened.out(company, "MANAGES")) == [
        ("XQ1", dt.date(2024, 1, 1), None), ("XQ2", None, dt.date(2026, 12, 31))]
    assert opened == f.graph
    assert dicts_of_columns({"start": [None, 1], "end": [2, None]}, "type", "MANAGES") == [
        {"type": "MANAGES", "end": 2}, {"type": "MANAGES", "start": 1}]


def test_progress_is_reported_per_table(tmp_path):
    steps = []
    path = save_snapshot(small_graph(), tmp_path / "g.snapshot", progress=lambda *step: steps.append(step))
    load_snapshot(path, progress=lambda *step: steps.append(step))
    written = [step for step in steps if step[0] == "writing snapshot"]
    opened = [step for step in steps if step[0] == "opening snapshot"]
    assert written[-1][1] == written[-1][2] == len(opened) == opened[-1][2] > 5


def test_an_older_snapshot_says_to_rebuild(tmp_path):
    path = tmp_path / "old.snapshot.json.gz"
    path.write_bytes(gzip.compress(b'{"format": "gridgraph-snapshot", "version": 2}'))
    with pytest.raises(StoreError, match="older gridgraph") as caught:
        load_snapshot(path)
    assert "gridgraph load" in caught.value.hint


def test_a_newer_snapshot_names_its_version(snapshot):
    rewrite(snapshot, {"manifest.json": json.dumps({"format": FORMAT, "version": VERSION + 1,
                                                    "tables": {}}).encode()})
    refused(snapshot, f"version {VERSION + 1} is from a newer gridgraph")


# -- damaged files --------------------------------------------------------------------------
def test_flipped_bytes_are_caught(snapshot):
    data = bytearray(snapshot.read_bytes())
    middle = len(data) // 2
    for offset in range(5):
        data[middle + offset * 7] ^= 0xFF
    snapshot.write_bytes(bytes(data))
    refused(snapshot, "damaged snapshot")


def test_a_deeply_nested_manifest_is_refused(snapshot):
    rewrite(snapshot, {"manifest.json": b"[" * 100_000 + b"]" * 100_000})
    refused(snapshot, "damaged snapshot|not a gridgraph snapshot")


def test_a_table_that_is_not_arrow_is_refused(snapshot):
    rewrite(snapshot, {"nodes/Person.arrow": b"not arrow at all"})
    refused(snapshot, "damaged snapshot")


def test_a_table_shorter_than_the_manifest_says_is_refused(snapshot):
    data = table(snapshot, "nodes/Building")
    rewrite(snapshot, {"nodes/Building.arrow": arrow_bytes(data.slice(0, 0))})
    refused(snapshot, "nodes/Building: 0 rows, the manifest says 1")


def test_a_small_file_cannot_unpack_without_limit(tmp_path):
    """About 300 KB on disk, 300 MB unpacked: refused from the sizes the zip declares."""
    path = tmp_path / "bomb.snapshot"
    save_snapshot(small_graph(), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("nodes/Street.arrow", b"\0" * 300 * 2**20)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) parent across exec.
    script = ("from graphmodel import StoreError, load_snapshot\n"
              f"try: load_snapshot({str(path)!r})\n"
              "except StoreError as error: print(error)\n"
              "status = open('/proc/self/status').read()\n"
              "print(status.split('VmHWM:')[1].split()[0])")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    message, peak_kb = result.stdout.strip().splitlines()
    assert "over the limit" in message
    assert int(peak_kb) < 250 * 1024  # never unpacked: the interpreter and imports only


# -- invalid content, checked by column -----------------------------------------------------
def test_a_duplicate_node_id_is_refused(snapshot):
    replace_column(snapshot, "nodes/PropertyCompany", "name", pa.array(["甲物业"]))
    data = table(snapshot, "nodes/PropertyCompany")
    rewrite(snapshot, {"nodes/PropertyCompany.arrow": arrow_bytes(pa.concat_tables([data, data])),
                       "manifest.json": _manifest_with(snapshot, "nodes/PropertyCompany", 2)})
    refused(snapshot, "node id '91230100MA1' appears twice")


def test_a_relationship_between_the_wrong_labels_is_refused(snapshot):
    """MANAGES from a Person to a Street."""
    replace_column(snapshot, "relationships/MANAGES", "source_label",
                   pa.array(["Person", "Person"]).dictionary_encode())
    replace_column(snapshot, "relationships/MANAGES", "target_label",
                   pa.array(["Street", "Street"]).dictionary_encode())
    refused(snapshot, "a MANAGES from a Person is not allowed")


def test_a_relationship_to_a_missing_node_is_refused(snapshot):
    replace_column(snapshot, "relationships/PART_OF", "target_row", pa.array([0, 7], pa.int32()))
    refused(snapshot, "relationships/PART_OF: a target refers to a row outside")


@pytest.mark.parametrize("values, match", [
    (pa.array([{"zh": "张伟"}]), "column name holds struct"),
    (pa.array([float("nan")]), "column name holds double"),
    (pa.array([None], pa.string()), "an empty name in row 0"),
    (pa.array([""]), "an empty name in row 0"),
])
def test_names_must_be_text(snapshot, values, match):
    replace_column(snapshot, "nodes/Person", "name", values)
    refused(snapshot, match)


def test_a_bad_enum_value_is_refused(snapshot):
    replace_column(snapshot, "nodes/PartyOrg", "kind", pa.array(["党员之家"]))
    refused(snapshot, "nodes/PartyOrg: row 0: kind='党员之家' is not one of")


def test_a_missing_name_column_is_refused(snapshot):
    data = table(snapshot, "nodes/Compound")
    rewrite(snapshot, {"nodes/Compound.arrow": arrow_bytes(data.drop_columns(["name"]))})
    refused(snapshot, "nodes/Compound: no name column")


def test_a_raw_id_number_column_is_refused(snapshot):
    data = table(snapshot, "nodes/Person").append_column("身份证号", pa.array(["11010519491231002X"]))
    rewrite(snapshot, {"nodes/Person.arrow": arrow_bytes(data)})
    refused(snapshot, "column '身份证号' is not allowed")


def _manifest_with(path, name, rows) -> bytes:
    manifest = json.loads(members(path)["manifest.json"])
    manifest["tables"][name] = rows
    return json.dumps(manifest).encode()


# -- every command that opens a snapshot: one Error line, exit 1 ----------------------------
COMMANDS = [["stats", "{}"], ["audit", "all", "{}"], ["audit", "C1", "{}", "--by", "street"],
            ["view", "overview", "all", "{}", "-o", "{out}/v.html"],
            ["export", "graphml", "--from", "{}", "{out}/g.graphml"],
            ["export", "neo4j-admin", "--from", "{}", "{out}/admin"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command[:2]))
@pytest.mark.parametrize("damage", ["flipped", "enum", "short"])
def test_every_command_reports_a_bad_snapshot_in_one_line(snapshot, tmp_path, command, damage):
    if damage == "flipped":
        data = bytearray(snapshot.read_bytes())
        for offset in range(5):
            data[len(data) // 2 + offset] ^= 0x5A
        snapshot.write_bytes(bytes(data))
    elif damage == "enum":
        replace_column(snapshot, "nodes/OwnerCommittee", "kind", pa.array(["club"]))
    else:
        data = table(snapshot, "relationships/HOLDS")
        rewrite(snapshot, {"relationships/HOLDS.arrow": arrow_bytes(data.slice(0, 1))})
    args = [part.format(str(snapshot), out=tmp_path) for part in command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"Error: {snapshot}:")
    assert "Traceback" not in result.output
