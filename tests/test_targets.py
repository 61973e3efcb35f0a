"""``gridgraph targets``: reading and validating a targets file, each status, the pace between
dates, what is still to cover, and the command's formats and exit codes."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from graph_factory import GraphFactory
from graphmodel.errors import LedgerError, QueryError
from graphmodel.snapshot import save_snapshot
from gridgraph.cli.base import main
from gridgraph.targets import check_targets, read_targets

BEFORE, NOW = dt.date(2026, 3, 31), dt.date(2026, 6, 30)


def contracts() -> GraphFactory:
    """Four compounds; WY1 manages XQ1 throughout, WY2 XQ2 from April: C2 is 1/4, then 2/4."""
    f = GraphFactory.city()
    xq = [f.compound(f"XQ{n}", community) for n, community in ((1, "SQ1"), (2, "SQ1"), (3, "SQ2"), (4, "SQ3"))]
    f.company("WY1", [xq[0]], start="2024-01-01")
    f.company("WY2", [xq[1]], start="2026-04-01")
    return f


def write_csv(tmp_path, text: str, name: str = "目标.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


TARGETS = ("指标,区域编码,目标,期限\n"
           "C2,,75%,2026-12-31\n"       # 2/4 now, +1/4 a quarter: on pace, 1 compound to go
           "C2,SQ1,1,2026-06-30\n"      # SQ1: 2/2 — met
           "C2,SQ3,0.5,2026-06-29\n"    # SQ3: 0/1 and the deadline has passed — behind
           "C2,,100%,2026-09-30\n")     # 2 to go in one quarter at one a quarter: open, not on pace


def test_each_target_gets_its_rate_what_is_left_and_its_status(tmp_path):
    targets = read_targets(write_csv(tmp_path, TARGETS))
    assert [(t.row, t.code, t.area, t.target, t.deadline) for t in targets][:2] == [
        (2, "C2", None, 0.75, dt.date(2026, 12, 31)), (3, "C2", "SQ1", 1.0, dt.date(2026, 6, 30))]
    result = check_targets(targets, contracts().graph, [NOW, BEFORE])
    assert result.dates == (BEFORE, NOW)
    assert [(s.now.numerator, s.now.denominator, s.to_cover, s.status, s.on_pace) for s in result.statuses] == [
        (2, 4, 1, "open", True), (2, 2, 0, "met", True), (0, 1, 1, "behind", False), (2, 4, 2, "open", False)]
    assert [item.id for item in result.statuses[0].missing] == ["XQ3", "XQ4"]
    assert [s.target.row for s in result.behind] == [4]
    rows = result.tables()[0].rows
    assert [rows[0][key].text("zh") for key in ("to_cover", "status", "on_pace")] == ["1 小区", "进行中", "能"]
    assert [rows[0][key].text("en") for key in ("to_cover", "status", "on_pace")] == ["1 compound", "open", "yes"]
    assert [(row["code"], row["id"]) for row in result.tables()[1].rows] == [
        ("C2", "XQ3"), ("C2", "XQ4"), ("C2", "XQ4"), ("C2", "XQ3"), ("C2", "XQ4")]  # none for the met target
    one_day = check_targets(targets, contracts().graph, [NOW])
    assert one_day.statuses[0].on_pace is None and "on_pace" not in one_day.tables()[0].rows[0]


def test_a_target_with_nothing_counted_is_open_or_behind_never_met(tmp_path):
    empty = read_targets(write_csv(tmp_path, "code,area,target,deadline\nC5,,0.1,2027-01-01\nC5,,0,2026-01-01\n"))
    statuses = check_targets(empty, contracts().graph, [NOW]).statuses
    assert [(s.now.rate, s.to_cover, s.status) for s in statuses] == [(None, None, "open"), (None, None, "behind")]


def test_a_rate_per_part_is_named_by_its_part(tmp_path):
    f = contracts()
    f.case("GD1", ("Compound", "XQ1"), received="2026-05-01", closed="2026-05-03")
    parts = read_targets(write_csv(tmp_path, "指标,目标,期限\nO2:not_counted,0.9,2026-12-31\n"))
    (status,) = check_targets(parts, f.graph, [NOW]).statuses
    assert (status.now.numerator, status.now.denominator, status.status) == (1, 1, "met")
    whole = read_targets(write_csv(tmp_path, "指标,目标,期限\nO2,0.9,2026-12-31\n", "whole.csv"))
    with pytest.raises(LedgerError, match="target row 2: O2 gives no such rate") as refused:
        check_targets(whole, f.graph, [NOW])
    assert refused.value.hint == "name one of: O2:counted, O2:not_counted"


def test_an_unknown_area_names_its_row(tmp_path):
    targets = read_targets(write_csv(tmp_path, "指标,区域编码,目标,期限\nC2,,0.5,2026-12-31\nC2,SQ9,0.5,2026-12-31\n"))
    with pytest.raises(QueryError, match="^target row 3: unknown scope 'SQ9'"):
        check_targets(targets, contracts().graph, [NOW])


def test_a_malformed_targets_file_names_every_wrong_cell(tmp_path):
    path = write_csv(tmp_path, "指标,区域编码,目标,期限\nC99,,0.9,2026-12-31\nC1,,120%,2026-12-31\n"
                               "S1,,0.5,2026-12-31\nC1,,0.9,明年\n\nC1,,0.9,2026-12-31\n")
    with pytest.raises(LedgerError) as refused:
        read_targets(path)
    assert [str(problem).split(" (")[0] for problem in refused.value.problems] == [
        "目标.csv:2: 指标=C99: 不是比率指标", "目标.csv:3: 目标=120%: 目标应为0到1之间的小数或百分比",
        "目标.csv:4: 指标=S1: 不是比率指标", "目标.csv:5: 期限=明年: 期限不是日期"]
    with pytest.raises(LedgerError, match="not a targets file") as missing:
        read_targets(write_csv(tmp_path, "指标,目标\nC1,0.9\n", "short.csv"))
    assert str(missing.value.problems[0]).startswith("short.csv:1: 期限=: 缺少列")


def test_an_xlsx_targets_file_reads_like_a_csv(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "area", "target", "deadline"])
    sheet.append(["c2", "S1", 0.95, dt.datetime(2026, 12, 31)])
    workbook.save(tmp_path / "targets.xlsx")
    (target,) = read_targets(tmp_path / "targets.xlsx")
    assert (target.code, target.area, target.target, target.deadline) == ("C2", "S1", 0.95, dt.date(2026, 12, 31))


@pytest.fixture()
def snapshot(tmp_path):
    return save_snapshot(contracts().graph, tmp_path / "g.json.gz")


def invoke(*args):
    return CliRunner().invoke(main, ["targets", *map(str, args)])


def test_fail_if_behind_exits_2_naming_each_behind_target_else_0_saying_so(tmp_path, snapshot):
    path = write_csv(tmp_path, TARGETS)
    behind = invoke(path, snapshot, "--as-of", f"{BEFORE},{NOW}", "--fail-if-behind")
    assert behind.exit_code == 2
    assert behind.stderr == "behind: C2 SQ3 0.0% < 50.0% (deadline 2026-06-29)\n"
    assert "已逾期未达成" in behind.stdout and "按当前进度能否按期达成" in behind.stdout
    on_track = write_csv(tmp_path, "指标,区域编码,目标,期限\nC2,SQ1,1,2026-06-30\n", "ok.csv")
    fine = invoke(on_track, snapshot, "--as-of", NOW, "--fail-if-behind")
    assert (fine.exit_code, fine.stderr) == (0, "no target is behind (1 checked on 2026-06-30)\n")
    assert invoke(path, snapshot, "--as-of", NOW).exit_code == 0  # behind, but not asked to fail


def test_a_malformed_file_exits_1_with_every_problem_and_writes_nothing(tmp_path, snapshot):
    path = write_csv(tmp_path, "指标,区域编码,目标,期限\nC1,,abc,2026-12-31\n")
    refused = invoke(path, snapshot, "-o", tmp_path / "out.json", "--format", "json")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("目标.csv:2: 目标=abc: 目标应为0到1之间的小数或百分比")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "xlsx"])
def test_every_format_writes_the_targets(tmp_path, snapshot, fmt):
    out = tmp_path / f"targets.{fmt}"
    done = invoke(write_csv(tmp_path, TARGETS), snapshot, "--as-of", NOW, "--format", fmt, "-o", out)
    assert done.exit_code == 0, done.output
    if fmt == "json":
        tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
        assert [len(table["rows"]) for table in tables] == [4, 5]
    elif fmt == "xlsx":
        sheets = openpyxl.load_workbook(out).worksheets
        assert sheets[0].max_row == 5 and sheets[0]["A2"].value == "C2"
    else:
        assert "SQ3" in out.read_text(encoding="utf-8-sig") and "已逾期未达成" in out.read_text(encoding="utf-8-sig")


def test_the_report_draws_the_targets_of_its_area_on_their_rates(tmp_path, snapshot):
    path = write_csv(tmp_path, "指标,区域编码,目标,期限\nC2,,75%,2026-12-31\nC2,SQ1,100%,2026-12-31\n"
                               "X2,,0.5,2026-12-31\n")
    out = tmp_path / "report.html"
    done = CliRunner().invoke(main, ["report", str(snapshot), "--as-of", f"{BEFORE},{NOW}", "--targets", str(path),
                                     "--no-views", "-o", str(out)])
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    assert page.count('class="target"') == 2 and "目标 75%" in page and "目标 50%" in page  # SQ1's is not this area's
    bad = write_csv(tmp_path, "指标,目标,期限\nC2,0.75,下月\n", "bad.csv")
    refused = CliRunner().invoke(main, ["report", str(snapshot), "--targets", str(bad), "--no-views",
                                        "-o", str(tmp_path / "never.html")])
    assert refused.exit_code == 1 and "bad.csv:2: 期限=下月" in refused.stderr
    assert not (tmp_path / "never.html").exists()


def test_the_shipped_sample_targets_are_valid_and_the_readme_shows_them():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shipped = root / "loaders" / "sample_targets.csv"
    assert [(t.code, t.area) for t in read_targets(shipped)] == [
        ("C1", None), ("C2", None), ("C3", "371327001"), ("X2", None), ("C18", None)]
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "\n".join(f"    {line}" for line in shipped.read_text(encoding="utf-8").splitlines()) in readme
