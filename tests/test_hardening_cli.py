"""Every output command against hostile or careless targets (issue 11, items 1, 10 and 13).

The property: a command given an output that is one of its inputs (or a ledger file inside its
input folder, or a folder holding its input) refuses with one ``Error:`` line, exit 1, and
leaves every input byte as it was. Output targets that cannot be written are a message too.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgraph.cli import main
from ledger_factory import minimal_ledgers, table, write_ledgers
from test_fuzz_ledgers import write_workbook_file


def run(*args, env=None):
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """Ledger folder, workbook, snapshot and a Lianjia listing, built once and copied per case."""
    root = tmp_path_factory.mktemp("template")
    write_ledgers(root / "ledgers")
    write_workbook_file(root / "台账.xlsx", {name: table(name, rows)
                                            for name, rows in minimal_ledgers().items()}, [])
    assert run("load", root / "ledgers", "-o", root / "out" / "g.snapshot.json.gz").exit_code == 0
    (root / "listing").mkdir()
    (root / "listing" / "小区.csv").write_text(
        "id,name,address,property_company\n1,幸福小区,南岗区 革新,安居物业\n", encoding="utf-8")
    (root / "listing" / "modood_areas_2022.csv").write_text(
        "code,name,cityCode\n230103,南岗区,2301\n", encoding="utf-8")
    return root


def _snapshot(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


# (arguments, with {L} the ledger folder, {W} the workbook, {S} the snapshot, {O} its folder,
#  {H} the Lianjia listing folder), each writing over or around one of its own inputs.
OVERWRITES = [
    "load {L} -o {L}/小区.csv",
    "load {L} -o {L}/新台账.xlsx",
    "load {W} -o {W}",
    "load {L} --skip-invalid -o {L}/../ledgers/人员.csv",
    "audit all {S} --format xlsx -o {S}",
    "audit all {S} --format md -o {S}",
    "audit all {S} --format json -o {S}",
    "audit coverage {L} --format csv -o {L}",
    "audit coverage {L} --format csv -o {L}/网格.csv",
    "audit coverage {W} --format xlsx -o {W}",
    "view community C1 {S} -o {S}",
    "view community C1 {L} -o {L}/人员.csv",
    "view people D1 {W} -o {W}",
    "export graphml {S} --from {S}",
    "export graphml {S} --from {S} --force",
    "export graphml {L}/楼栋.csv --from {L} --force",
    "export neo4j-admin {O} --from {S} --force",
    "export neo4j-admin {L} --from {L} --force",
    "import-lianjia {H}/小区.csv -o {H}",
]


def _args(command: str, root: Path) -> list[str]:
    places = {"L": root / "ledgers", "W": root / "台账.xlsx", "S": root / "out" / "g.snapshot.json.gz",
              "O": root / "out", "H": root / "listing"}
    return command.format(**{key: str(value) for key, value in places.items()}).split()


@settings(max_examples=len(OVERWRITES) * 2, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(OVERWRITES), relative=st.booleans())
def test_an_output_over_an_input_is_refused_and_the_input_kept(template, command, relative):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("ledgers", "out", "listing"):
            shutil.copytree(template / name, root / name)
        shutil.copy(template / "台账.xlsx", root)
        before = _snapshot(root)
        args = _args(command, root)
        if relative:  # the same paths as a user in that folder would type them
            args = [os.path.relpath(arg, Path.cwd()) if arg.startswith(folder) else arg
                    for arg in args]
        result = run(*args)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.output
        assert _snapshot(root) == before, command


# Every output command with the output in a place that cannot be written.
OUTPUTS = [
    "view community C1 {S} -o {T}/v.html",
    "audit all {S} --format xlsx -o {T}/a.xlsx",
    "audit all {S} --format csv -o {T}/a.csv",
    "audit all {S} --format csv -o {T}/folder/",
    "export graphml {T}/g.graphml --from {S}",
    "export neo4j-admin {T}/admin --from {S}",
    "sample {T}/sample --scale community",
    "load {L} -o {T}/g.snapshot.json.gz",
]


@pytest.mark.parametrize("command", OUTPUTS)
def test_an_unwritable_output_is_one_error_line(template, tmp_path, command):
    for name in ("ledgers", "out"):
        shutil.copytree(template / name, tmp_path / name)
    places = {"S": tmp_path / "out" / "g.snapshot.json.gz", "L": tmp_path / "ledgers",
              "T": "/proc/gridgraph"}  # no user, root included, may create anything there
    result = run(*command.format(**places).split())
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


@pytest.mark.parametrize("command", OUTPUTS)
def test_a_missing_output_folder_is_created(template, tmp_path, command):
    for name in ("ledgers", "out"):
        shutil.copytree(template / name, tmp_path / name)
    places = {"S": tmp_path / "out" / "g.snapshot.json.gz", "L": tmp_path / "ledgers",
              "T": tmp_path / "new" / "deeper"}
    result = run(*command.format(**places).split())
    assert result.exit_code == 0, result.output
    assert any((tmp_path / "new" / "deeper").iterdir())


@pytest.mark.parametrize("command", [c for c in OUTPUTS if not c.startswith("sample")])
def test_a_full_disk_is_one_error_line_and_leaves_nothing(template, tmp_path, monkeypatch, command):
    for name in ("ledgers", "out"):
        shutil.copytree(template / name, tmp_path / name)
    (tmp_path / "target").mkdir()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    monkeypatch.setattr(os, "replace", full)  # the folder export renames without an fsync
    places = {"S": tmp_path / "out" / "g.snapshot.json.gz", "L": tmp_path / "ledgers",
              "T": tmp_path / "target"}
    result = run(*command.format(**places).split())
    assert result.exit_code == 1, result.output
    assert "No space left" in result.stderr and "Traceback" not in result.output
    assert [path for path in (tmp_path / "target").rglob("*") if not path.is_dir()] == []


def test_view_through_a_planted_temp_symlink_leaves_the_victim(template, tmp_path):
    shutil.copytree(template / "out", tmp_path / "out")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / ".v.html.tmp").symlink_to(victim)
    result = run("view", "community", "C1", tmp_path / "out" / "g.snapshot.json.gz",
                 "-o", tmp_path / "v.html")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me" and (tmp_path / "v.html").stat().st_size > 1000


def test_a_key_path_that_is_a_folder_is_one_error_line(template, tmp_path):
    (tmp_path / "key").mkdir()
    result = run("load", template / "ledgers", "-o", tmp_path / "g.json.gz",
                 env={"GRIDGRAPH_KEY_FILE": str(tmp_path / "key")})
    assert result.exit_code == 1
    assert "is a folder" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "g.json.gz").exists()


def test_a_home_that_cannot_be_written_is_one_error_line(template, tmp_path):
    result = run("load", template / "ledgers", "-o", tmp_path / "g.json.gz",
                 env={"GRIDGRAPH_KEY_FILE": "", "HOME": "/proc/gridgraph-home"})
    assert result.exit_code == 1
    assert "cannot be created" in result.stderr and "GRIDGRAPH_PII_KEY" in result.stderr
    assert "Traceback" not in result.output
