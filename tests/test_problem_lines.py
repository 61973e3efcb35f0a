"""What validate prints for a clerk: real problems first, repeats and follow-on warnings collapsed."""

from __future__ import annotations

from click.testing import CliRunner

from gridgraph.cli import main
from gridgraph.problem_lines import problem_lines, warning_lines
from loaders.problems import Problem
from loaders.sample import generate_sample


def test_file_problems_then_rare_ones_then_repeats_counted():
    repeats = [Problem("人员.csv", row, "居住楼栋编码", f"LD{row}", "引用的楼栋不存在") for row in range(2, 12)]
    typo = Problem("小区.csv", 7, "所属社区编码", "C9", "引用的社区不存在")
    header = Problem("楼栋.csv", None, "楼栋编码", None, "缺少必需的列")
    lines = problem_lines([*repeats, typo, header])
    assert lines == [str(header), str(typo), *map(str, repeats[:3]),
                     "人员.csv: 居住楼栋编码 另有 7 行同样的问题: 引用的楼栋不存在"]
    assert problem_lines([*repeats, typo], collapse=False) == [*map(str, repeats), str(typo)]
    few = repeats[:5]
    assert problem_lines(few) == [str(problem) for problem in few]  # five are listed whole


def test_follow_on_warnings_are_one_line_per_cause():
    one = [Problem("任职.csv", row, None, None, "任职 未载入", cause=("楼栋.csv", 15)) for row in range(2, 314)]
    many = [Problem("任职.csv", row, None, None, "任职 未载入", cause=("人员.csv", row)) for row in range(2, 9)]
    other = Problem("备注.csv", None, None, None, "不是台账，已忽略")
    assert warning_lines([other, *one, *many]) == [
        str(other),
        "楼栋.csv 第15行有误: 任职.csv 中 312 条关系未载入 (312 relationships dropped)",
        "人员.csv 有 7 行有误（第2、3、4…行）: 任职.csv 中 7 条关系未载入 (7 relationships dropped)"]


def test_one_renamed_header_prints_a_few_lines_not_thousands(tmp_path):
    generate_sample(tmp_path, scale="community", seed=7)
    buildings = tmp_path / "楼栋.csv"
    text = buildings.read_text(encoding="utf-8")
    buildings.write_text(text.replace("楼栋编码", "楼栋号", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("楼栋.csv: 楼栋编码=: 缺少必需的列")  # the cause comes first
    assert len(lines) < 25
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) <= 3
    every = CliRunner().invoke(main, ["validate", str(tmp_path), "--all"])
    assert len(every.stdout.splitlines()) > 10 * len(lines)
    quiet = CliRunner().invoke(main, ["validate", str(tmp_path), "--quiet"])
    assert quiet.stdout == result.stdout and "Warning:" not in quiet.stderr
