"""What validate prints for a clerk: real problems first, repeats and follow-on warnings collapsed."""

from __future__ import annotations

from collections import Counter

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
        "楼栋.csv 第15行有误: 任职.csv 中 312 条关系未载入",
        "人员.csv 有 7 行有误（第2、3、4…行）: 任职.csv 中 7 条关系未载入"]
    assert warning_lines([*one, *many], lang="en") == [
        "楼栋.csv row 15 is wrong: 312 relationships of 任职.csv dropped",
        "人员.csv has 7 wrong rows (rows 2, 3, 4…): 7 relationships of 任职.csv dropped"]


def test_one_renamed_header_prints_a_few_lines_not_thousands(tmp_path):
    generate_sample(tmp_path, scale="community", seed=7)
    buildings = tmp_path / "楼栋.csv"
    text = buildings.read_text(encoding="utf-8")
    buildings.write_text(text.replace("楼栋编码", "楼栋号", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    # the cause comes first, and what was found
    assert lines[0] == "楼栋.csv: 楼栋号=: 缺少必需的列 楼栋编码; 找到 楼栋号, 是否应为 楼栋编号?"
    # each ledger that points at buildings shows three of its rows and a count of the rest
    per_file = Counter(line.split(":")[0] for line in lines[1:])
    assert per_file and max(per_file.values()) <= 4
    warnings = [line for line in result.stderr.splitlines() if line.startswith("警告：")]
    assert len(warnings) <= 3
    every = CliRunner().invoke(main, ["validate", str(tmp_path), "--all"])
    assert len(every.stdout.splitlines()) > 8 * len(lines)  # --all: every one of the 224
    quiet = CliRunner().invoke(main, ["validate", str(tmp_path), "--quiet"])
    assert quiet.stdout == result.stdout and "警告" not in quiet.stderr


def test_validate_writes_the_offending_rows_to_fix_in_excel(tmp_path):
    import openpyxl

    folder = tmp_path / "ledgers"
    generate_sample(folder, scale="community", seed=7)
    people = folder / "人员.csv"
    lines = people.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    building, id_number = header.index("居住楼栋编码"), header.index("身份证号")
    row = next(number for number, line in enumerate(lines[1:], start=2) if line.split(",")[id_number])
    cells = lines[row - 1].split(",")
    cells[building] = "=LD_NOPE"
    lines[row - 1] = ",".join(cells)
    people.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "problems.xlsx"
    result = CliRunner().invoke(main, ["validate", str(folder), "-q", "-o", str(out)])
    assert result.exit_code == 1 and f"已写入 {out}" in result.stderr
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["全部问题", "人员.csv"]
    assert [c.value for c in workbook["全部问题"][2]] == ["人员.csv", row, "居住楼栋编码", "'=LD_NOPE",
                                                       "引用的楼栋不存在"]
    sheet = workbook["人员.csv"]
    assert [c.value for c in sheet[1]] == ["行号", *header, "问题"]
    offending = [c for c in sheet[2]]
    assert offending[0].value == row and sheet.max_row == 2  # only the offending row
    assert offending[building + 1].value == "'=LD_NOPE" and offending[building + 1].fill.fgColor.rgb.endswith("FFC7CE")
    assert offending[id_number + 1].value == "（已隐去）"  # an ID-card number is not copied out
    assert offending[-1].value == "居住楼栋编码: 引用的楼栋不存在"
    assert not any(c.fill.fill_type for c in offending[1:building + 1])
