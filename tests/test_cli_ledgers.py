"""The ledger commands: validate, load, stats (exact exit codes and output)."""

from __future__ import annotations

from click.testing import CliRunner

from gridgraph.cli import main
from graphmodel.snapshot import DEFAULT_SNAPSHOT, load_snapshot
from ledger_factory import minimal_ledgers, write_ledgers
from loaders import load_ledgers


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def broken_folder(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0]["community_id"] = "C9"
    ledgers["posts"][0]["start"] = "2024-02-30"
    return write_ledgers(tmp_path / "broken", ledgers)


def test_validate_ok(tmp_path):
    result = run("validate", write_ledgers(tmp_path / "a"))
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: 16 files, 47 rows: 1 District, 1 Street, 2 Community,")
    assert result.stdout.rstrip().endswith("2 Venue, 2 Case; 55 relationships")


def test_validate_lists_every_problem(tmp_path):
    result = run("validate", broken_folder(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "任职.csv:2: 任职开始=2024-02-30: 不存在的日期 2024-2-30",
        "小区.csv:2: 所属社区编码=C9: 引用的社区不存在 (unknown reference)"]
    assert "2 problem(s)" in result.stderr


def test_validate_missing_folder_is_a_message(tmp_path):
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and "no such ledger folder" in result.stderr


def test_load_writes_a_snapshot(tmp_path):
    folder = write_ledgers(tmp_path / "a")
    output = tmp_path / "out.json.gz"
    result = run("load", folder, "-o", output)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Loaded 16 files") and str(output) in result.stdout
    assert load_snapshot(output) == load_ledgers(folder).graph


def test_load_defaults_to_the_default_snapshot(tmp_path, monkeypatch):
    folder = write_ledgers(tmp_path / "a")
    monkeypatch.chdir(tmp_path)
    result = run("load", folder)
    assert result.exit_code == 0
    assert load_snapshot(tmp_path / DEFAULT_SNAPSHOT).count("Compound") == 3


def test_strict_load_writes_nothing_and_exits_1(tmp_path):
    output = tmp_path / "out.json.gz"
    result = run("load", broken_folder(tmp_path), "-o", output)
    assert result.exit_code == 1
    assert not output.exists()
    assert "小区.csv:2: 所属社区编码=C9: 引用的社区不存在 (unknown reference)" in result.stderr
    assert "Error: 2 problem(s) in the ledgers" in result.stderr
    assert "Traceback" not in result.output


def test_load_skip_invalid_loads_the_rest(tmp_path):
    output = tmp_path / "out.json.gz"
    result = run("load", broken_folder(tmp_path), "-o", output, "--skip-invalid")
    assert result.exit_code == 0
    assert "(2 problem(s) skipped)" in result.stdout
    graph = load_snapshot(output)
    assert ("Compound", "X1") not in graph and ("Compound", "X2") in graph
    assert "Warning: " in result.stderr  # relationships into X1 dropped, and said so


def test_stats(tmp_path):
    output = tmp_path / "out.json.gz"
    assert run("load", write_ledgers(tmp_path / "a"), "-o", output).exit_code == 0
    result = run("stats", output)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.split() == ["Compound", "小区", "3"] for line in lines)
    assert any(line.split() == ["MANAGES", "物业服务", "2"] for line in lines)
    assert any(line.split() == ["南岗区", "S1", "革新街道", "2", "3", "3", "2", "7"] for line in lines)


def test_stats_of_a_missing_snapshot_is_a_message(tmp_path):
    result = run("stats", tmp_path / "none.json.gz")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.output


def test_load_into_an_unwritable_place_is_a_message(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    result = run("load", write_ledgers(tmp_path / "a"), "-o", tmp_path / "taken" / "g.json.gz")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "cannot write" in result.stderr
    assert "Traceback" not in result.output
