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
    result = run("validate", write_ledgers(tmp_path / "a"), "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: 16 files, 47 rows: 1 District, 1 Street, 2 Community,")
    assert result.stdout.rstrip().endswith("2 Venue, 2 Case; 55 relationships")
    chinese = run("validate", tmp_path / "a")  # the default
    assert chinese.stdout.startswith("通过：16 个文件，47 行：区县 1、街道 1、社区 2、")
    assert chinese.stdout.rstrip().endswith("阵地 2、诉求工单 2；55 条关系")


def test_validate_lists_every_problem(tmp_path):
    result = run("validate", broken_folder(tmp_path))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "任职.csv:2: 任职开始=2024-02-30: 不存在的日期 2024-2-30",
        "小区.csv:2: 所属社区编码=C9: 引用的社区不存在"]
    assert result.stderr.endswith(" 中有 2 个问题\n")
    english = run("validate", broken_folder(tmp_path), "--lang", "en")
    assert english.stdout.splitlines() == [
        "任职.csv:2: 任职开始=2024-02-30: no such day: 2024-2-30",
        "小区.csv:2: 所属社区编码=C9: unknown reference"]
    assert "2 problems in " in english.stderr


def test_validate_missing_folder_is_a_message(tmp_path):
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and "no such ledger folder" in result.stderr


def test_load_writes_a_snapshot(tmp_path):
    folder = write_ledgers(tmp_path / "a")
    output = tmp_path / "out.json.gz"
    result = run("load", folder, "-o", output, "--lang", "en")
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
    assert "Error: 2 problems in the ledgers" in result.stderr
    assert "Traceback" not in result.output


def test_load_skip_invalid_loads_the_rest(tmp_path):
    output = tmp_path / "out.json.gz"
    result = run("load", broken_folder(tmp_path), "-o", output, "--skip-invalid")
    assert result.exit_code == 0
    assert "（跳过 2 个问题）" in result.stdout
    graph = load_snapshot(output)
    assert ("Compound", "X1") not in graph and ("Compound", "X2") in graph
    assert "警告：" in result.stderr  # relationships into X1 dropped, and said so


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


def test_validate_names_a_misspelt_header_once_for_all_it_breaks(tmp_path):
    ledgers = minimal_ledgers()
    for row in ledgers["buildings"]:
        row["所在小区"] = row.pop("compound_id")
    result = run("validate", write_ledgers(tmp_path / "renamed", ledgers), "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "楼栋.csv: 所在小区=: missing column 所属小区编码/compound_id: found 所在小区; did you mean 所属小区编码?"]
    assert run("validate", tmp_path / "renamed").stdout.splitlines() == [
        "楼栋.csv: 所在小区=: 缺少必需的列 所属小区编码; 找到 所在小区, 是否应为 所属小区编码?"]
    # One cause, one message: the relationships pointing at 楼栋.csv's rows are counted, not listed.
    dropped = sum(1 for warning in load_ledgers(tmp_path / "renamed", skip_invalid=True).warnings if warning.cause)
    assert dropped > 0
    assert result.stderr.splitlines() == [
        f"1 problem in {tmp_path / 'renamed'}; fixing it also loads the {dropped} relationships that point at "
        "rows of 楼栋.csv"]
    every = run("validate", tmp_path / "renamed", "--all")  # --all still lists each of them (in Chinese, the default)
    assert len([line for line in every.stderr.splitlines() if "未载入" in line]) == dropped


def test_a_header_far_from_every_alias_is_only_missing(tmp_path):
    ledgers = minimal_ledgers()
    for row in ledgers["buildings"]:
        row["小区地址"] = row.pop("compound_id")
    result = run("validate", write_ledgers(tmp_path / "far", ledgers))
    assert result.stdout.splitlines() == ["楼栋.csv: 所属小区编码=: 缺少必需的列"]


def test_footer_notes_are_skipped_each_with_one_warning_quoting_it(tmp_path):
    folder = write_ledgers(tmp_path / "footers")
    with (folder / "楼栋.csv").open("a", encoding="utf-8") as handle:
        handle.write(",,\n填表人：张三,,\n审核人：李四,,\n")
    with (folder / "人员.csv").open("a", encoding="utf-8") as handle:
        handle.write("合计,,\n")
    result = run("validate", folder, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 16 files, 47 rows")  # the same rows as without the notes
    buildings = sum(1 for _ in (folder / "楼栋.csv").open(encoding="utf-8"))  # the last note's line
    people = sum(1 for _ in (folder / "人员.csv").open(encoding="utf-8"))
    assert result.stderr.splitlines() == [
        f"Warning: 人员.csv:{people}: a footer note under the table, not a row, skipped: 合计",
        f"Warning: 楼栋.csv:{buildings - 1}: a footer note under the table, not a row, skipped: 填表人：张三",
        f"Warning: 楼栋.csv:{buildings}: a footer note under the table, not a row, skipped: 审核人：李四"]
    assert run("validate", folder).stderr.splitlines()[0] == f"警告：人员.csv:{people}: 表尾备注, 不是台账行, 已跳过: 合计"
