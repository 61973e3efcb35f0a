"""`gridgraph audit` end to end on a small snapshot: formats, exit codes, thresholds, PII."""

import csv
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from gridgraph.audit import run_audit
from gridgraph.cli import main
from graphmodel.graph import GovernanceGraph
from graphmodel.schema import (Community, Compound, District, OwnerCommittee, PartyOrg, Person,
                               PropertyCompany, Street)
from graphmodel.snapshot import load_snapshot, save_snapshot
from queries import QUESTIONS

AS_OF = ["--as-of", "2026-06-30"]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """Two compounds in one community: XQ1 has a party branch, a company and an owners' committee.

    RY1 (phone 13812345678) holds posts in all three; XQ2 has nothing; there are no grids.
    """
    graph = GovernanceGraph()
    district = graph.add(District(id="QX01", name="和平区"))
    street = graph.add(Street(id="JD01", name="幸福街道"))
    community = graph.add(Community(id="SQ01", name="阳光社区"))
    first = graph.add(Compound(id="XQ1", name="阳光小区"))
    second = graph.add(Compound(id="XQ2", name="=HYPERLINK(\"x\")"))
    branch = graph.add(PartyOrg(id="DZB1", name="阳光小区党支部", kind="党支部"))
    company = graph.add(PropertyCompany(id="WY1", name="安居物业"))
    committee = graph.add(OwnerCommittee(id="YWH1", name="阳光小区业委会", kind="业委会",
                                         term_start="2024-01-01", term_end="2028-12-31"))
    person = graph.add(Person(id="RY1", name="张三", party_member=True, phone="13812345678"))
    graph.relate("PART_OF", street, district)
    graph.relate("PART_OF", community, street)
    graph.relate("PART_OF", first, community)
    graph.relate("PART_OF", second, community)
    graph.relate("BASED_IN", branch, first)
    graph.relate("MANAGES", company, first, start="2020-01-01")
    graph.relate("REPRESENTS", committee, first)
    graph.relate("HOLDS", person, branch, role="书记")
    graph.relate("HOLDS", person, committee, role="主任")
    graph.relate("HOLDS", person, company, role="项目经理")
    return save_snapshot(graph, tmp_path_factory.mktemp("audit") / "g.json.gz")


def invoke(*args):
    return CliRunner().invoke(main, ["audit", *map(str, args)])


def test_coverage_json_parses_with_every_coverage_question(snapshot):
    result = invoke("coverage", snapshot, "--format", "json", *AS_OF)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [entry["code"] for entry in document["results"]] == [
        code for code, question in QUESTIONS.items() if question.kind == "coverage"]
    c1 = document["results"][0]["result"]
    assert (c1["numerator"], c1["denominator"], c1["rate"]) == (1, 2, 0.5)
    assert document["meta"]["as_of"] == "2026-06-30"


def test_single_code_as_terminal_table(snapshot):
    result = invoke("c1", snapshot, *AS_OF)
    assert result.exit_code == 0, result.output
    # What a printed table counts comes first: the day, the area and the data.
    assert result.stdout.startswith(f"统计日期 2026-06-30 · 范围 全部 · 数据来源 {snapshot}\n\nC1 小区党组织覆盖率\n")
    assert "50.0%" in result.stdout and "XQ2" in result.stdout
    english = invoke("C1", snapshot, "--lang", "en", "--scope", "JD01", *AS_OF)
    assert english.stdout.startswith(f"As of 2026-06-30 · Scope JD01 · Source {snapshot}\n")
    assert "XQ2" in english.stdout and "小区党组织覆盖率" not in english.stdout
    markdown = invoke("C1", snapshot, "--format", "md", *AS_OF)
    assert markdown.stdout.startswith("_统计日期 2026-06-30 · 范围 全部 · 数据来源 ")


def test_only_narrows_a_group(snapshot):
    result = invoke("all", snapshot, "--only", "B3,C1", "--format", "json", *AS_OF)
    assert result.exit_code == 0, result.output
    assert [entry["code"] for entry in json.loads(result.stdout)["results"]] == ["C1", "B3"]
    outside = invoke("coverage", snapshot, "--only", "B3")
    assert outside.exit_code == 1 and "B3 not among the questions" in outside.stderr


@pytest.mark.parametrize("threshold, exit_code", [("C1=0.6", 2), ("C1=60%", 2), ("C1=0.5", 0),
                                                  ("C1=0.5,C2=0.51", 2)])
def test_fail_under_exit_codes(snapshot, threshold, exit_code):
    result = invoke("coverage", snapshot, "--fail-under", threshold, *AS_OF)
    assert result.exit_code == exit_code, result.output
    assert "C1 小区党组织覆盖率" in result.stdout  # the report is written whatever the verdict
    if exit_code == 2:
        assert "FAIL" in result.stderr and "(1/2)" in result.stderr


def test_fail_under_says_one_line_per_check_passed_or_failed(snapshot):
    result = invoke("coverage", snapshot, "--fail-under", "C2=0.51,C1=0.5", *AS_OF)
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == ["FAIL C2 专业化物业覆盖率: 50.0% (1/2) < 51.0%",
                                          "ok   C1 小区党组织覆盖率: 50.0% (1/2) ≥ 50.0%"]


def test_codes_are_answered_in_the_order_asked(snapshot):
    result = invoke("S1,C13,c1,C13", snapshot, "--format", "json", *AS_OF)
    assert [entry["code"] for entry in json.loads(result.stdout)["results"]] == ["S1", "C13", "C1"]
    table = invoke("S1,C13", snapshot, *AS_OF).stdout
    assert table.index("S1 ") < table.index("C13 ")
    grouped = invoke("all", snapshot, "--format", "json", *AS_OF)  # a group: registry order
    assert [entry["code"] for entry in json.loads(grouped.stdout)["results"]][:2] == ["C1", "C2"]


def test_fail_under_not_applicable_is_reported_not_failed(snapshot):
    result = invoke("coverage", snapshot, "--fail-under", "C11=0.9", *AS_OF)
    assert result.exit_code == 0, result.output
    assert "n/a  C11" in result.stderr and "不适用 (0/0)" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["coverage", "--fail-under", "C1:0.9"], "cannot read 'C1:0.9'"),
    (["coverage", "--fail-under", "C1=1.5"], "above 100%"),
    (["coverage", "--fail-under", "Z9=0.9"], "unknown question Z9"),
    (["coverage", "--fail-under", "C12=0.9"], "C12 has no rate"),
    (["blindspots", "--fail-under", "C1=0.9"], "C1, which is not being asked"),
    (["Z9"], "unknown question Z9"),
    (["coverage", "--format", "xlsx"], "xlsx needs a file"),
    (["coverage", "--format", "html"], "'html' is not one of"),
    (["coverage", "--as-of", "last tuesday"], "不是有效的日期"),
    (["coverage", "--scope", "NOPE"], "unknown scope 'NOPE'"),
    (["coverage", "--by", "district"], "'district' is not one of"),
])
def test_errors_exit_1(snapshot, args, message):
    result = invoke(*args[:1], snapshot, *args[1:])
    assert result.exit_code == 1, result.output
    assert message in result.stderr


def test_missing_snapshot_exits_1(tmp_path):
    result = invoke("coverage", tmp_path / "none.json.gz")
    assert result.exit_code == 1 and "no such snapshot" in result.stderr


def test_as_of_accepts_ledger_date_forms(snapshot):
    result = invoke("C2", snapshot, "--as-of", "2019年12月31日", "--format", "json")
    assert result.exit_code == 0, result.output
    c2 = json.loads(result.stdout)["results"][0]["result"]
    assert c2["as_of"] == "2019-12-31" and c2["numerator"] == 0  # the contract starts in 2020


def test_phone_masked_unless_show_pii(snapshot):
    masked = invoke("X1", snapshot, "--format", "csv", *AS_OF)
    assert masked.exit_code == 0, masked.output
    assert "138****5678" in masked.stdout and "13812345678" not in masked.stdout
    shown = invoke("X1", snapshot, "--format", "csv", "--show-pii", *AS_OF)
    assert "13812345678" in shown.stdout


def test_xlsx_and_csv_files(snapshot, tmp_path):
    target = tmp_path / "audit.xlsx"
    result = invoke("all", snapshot, "--format", "xlsx", "-o", target, *AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote {target}\n"
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:2] == ["汇总", "C1 小区党组织覆盖率"]
    assert all(sheet.freeze_panes == "A2" for sheet in workbook.worksheets[1:])  # after the summary
    names = [row[2] for row in workbook["B1 无党组织小区"].iter_rows(min_row=2, values_only=True)]
    assert names == ["'=HYPERLINK(\"x\")"]  # a compound name that would run as a formula
    folder = tmp_path / "csv"
    result = invoke("blindspots", snapshot, "--format", "csv", "-o", folder, *AS_OF)
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in folder.iterdir())
    assert "B1.csv" in written and all(name.endswith(".csv") for name in written)
    rows = list(csv.reader(io.StringIO((folder / "B1.csv").read_text("utf-8-sig"))))
    assert rows[1][1:3] == ["XQ2", "'=HYPERLINK(\"x\")"]


def test_terminal_cuts_long_lists_but_files_get_every_row(snapshot, tmp_path):
    result = invoke("X1", snapshot, "--limit", "2", *AS_OF)
    assert result.exit_code == 0, result.output
    assert "… 还有 1 行未显示（用 -o FILE 输出全部）" in result.stdout
    target = tmp_path / "x1.txt"
    result = invoke("X1", snapshot, "--limit", "2", "-o", target, *AS_OF)
    assert result.exit_code == 0 and result.stdout == ""
    text = target.read_text("utf-8")
    assert "还有" not in text and text.count("138****5678") == 1 + 3


def test_report_onto_a_folder_exits_1(snapshot, tmp_path):
    result = invoke("C1", snapshot, "--format", "md", "-o", tmp_path, *AS_OF)
    assert result.exit_code == 1 and "is a folder" in result.stderr


def write_ledgers(folder, compounds):
    folder.mkdir()
    (folder / "行政区划.csv").write_text(
        "编码,名称,层级,上级编码\nQX01,和平区,区县,\nJD01,幸福街道,街道,QX01\nSQ01,阳光社区,社区,JD01\n",
        encoding="utf-8")
    (folder / "小区.csv").write_text("小区编码,小区名称,所属社区编码\n" + compounds, encoding="utf-8")
    (folder / "党组织.csv").write_text(
        "组织编码,组织名称,组织类别,上级组织编码,依托类型,依托编码\nDZB1,阳光小区党支部,党支部,,小区,XQ1\n",
        encoding="utf-8")
    return folder


def test_ledger_folder_as_source(tmp_path):
    folder = write_ledgers(tmp_path / "ledgers", "XQ1,阳光小区,SQ01\nXQ2,明月小区,SQ01\n")
    result = invoke("C1", folder, "--format", "json", "--as-of", "2024/3/1")
    assert result.exit_code == 0, result.output
    c1 = json.loads(result.stdout)["results"][0]["result"]
    assert (c1["numerator"], c1["denominator"], c1["as_of"]) == (1, 2, "2024-03-01")


def test_invalid_ledgers_exit_1(tmp_path):
    folder = write_ledgers(tmp_path / "ledgers", "XQ1,阳光小区,SQ01\nXQ2,明月小区,SQ99\n")
    result = invoke("C1", folder)
    assert result.exit_code == 1 and "SQ99" in result.stderr


def test_max_posts_is_x5_threshold_and_by_groups(snapshot):
    def x5_people(*extra):
        result = invoke("X5", snapshot, "--format", "json", *AS_OF, *extra)
        assert result.exit_code == 0, result.output
        return [person["person_id"] for person in json.loads(result.stdout)["results"][0]["result"]["people"]]

    assert x5_people() == []  # RY1 holds 3 posts: not more than the default 3
    assert x5_people("--max-posts", "2") == ["RY1"]
    grouped = invoke("C1", snapshot, "--by", "street", "--format", "csv", *AS_OF)
    assert grouped.stdout.splitlines() == [
        "表,街道编码,街道,达标数,总数,覆盖率,类型,编码,名称,社区编码,社区,问题,说明",
        "C1,JD01,幸福街道,1,2,50.0%,,,,,,,",
        "C1,,合计,1,2,50.0%,,,,,,,",
        "C1-missing,JD01,幸福街道,,,,小区,XQ2,\"'=HYPERLINK(\"\"x\"\")\",SQ01,阳光社区,无党组织,"]


def test_generated_sample_matches_its_ground_truth(tmp_path):
    from loaders.sample import generate_sample

    summary = generate_sample(tmp_path / "sample", scale="community", seed=7)
    truth = json.loads(summary.ground_truth.read_text("utf-8"))
    as_of = ["--as-of", truth["as_of"]]
    result = invoke("coverage", summary.out_dir, "--format", "json", *as_of)
    assert result.exit_code == 0, result.output
    answers = {entry["code"]: entry["result"] for entry in json.loads(result.stdout)["results"]}
    rates = {code: {key: answer[key] for key in ("numerator", "denominator")}
             for code, answer in answers.items() if code not in ("C12", "C16")}
    assert rates == truth["coverage"]
    assert {rate["grid_type"]: {"numerator": rate["numerator"], "denominator": rate["denominator"]}
            for rate in answers["C16"]["types"]} == truth["C16"]
    c5 = truth["coverage"]["C5"]
    just_above = f"C5={(c5['numerator'] + 0.5) / c5['denominator']:.6f}"
    assert invoke("C5", summary.out_dir, "--fail-under", just_above, *as_of).exit_code == 2
    target = tmp_path / "audit.xlsx"
    assert invoke("all", summary.out_dir, "--format", "xlsx", "-o", target, *as_of).exit_code == 0
    assert len(openpyxl.load_workbook(target, read_only=True).sheetnames) >= 28


def test_question_parameters_reach_only_their_questions():
    """--grid-type (C16), --since (C18) and --min-cases (B16) sit beside --max-posts (X5)."""
    from loaders.sample import SAMPLE_DATA_DIR

    asked = ("C16,C18,B16,X5", SAMPLE_DATA_DIR, "--format", "json", *AS_OF)
    plain = {entry["code"]: entry["result"] for entry in json.loads(invoke(*asked).stdout)["results"]}
    result = invoke(*asked, "--grid-type", "综合执法", "--since", "2026年1月1日", "--min-cases", "3",
                    "--max-posts", "1")
    assert result.exit_code == 0, result.output
    answers = {entry["code"]: entry["result"] for entry in json.loads(result.stdout)["results"]}
    assert len(plain["C16"]["types"]) > 1 and plain["C16"]["missing"] == []
    assert [rate["grid_type"] for rate in answers["C16"]["types"]] == ["law_enforcement"]
    assert answers["C16"]["missing"] and answers["C16"]["grid_type"] == "law_enforcement"
    assert answers["C18"]["since"] == "2026-01-01" and plain["C18"]["since"] is None
    assert 0 < answers["C18"]["denominator"] < plain["C18"]["denominator"]
    assert (answers["B16"]["min_cases"], plain["B16"]["min_cases"]) == (3, 5)
    assert len(answers["B16"]["items"]) > len(plain["B16"]["items"])
    assert answers["X5"]["n"] == 1
    refused = invoke("B16", SAMPLE_DATA_DIR, "--min-cases", "0")
    assert refused.exit_code == 1 and "--min-cases" in refused.output


def test_run_audit_tells_progress_of_each_question_answered(snapshot):
    told = []
    results = run_audit(load_snapshot(snapshot), ["C1", "B3", "X1"],
                        progress=lambda step, done, total: told.append((step, done, total)))
    assert list(results) == ["C1", "B3", "X1"]
    assert told == [("answering questions", 1, 3), ("answering questions", 2, 3), ("answering questions", 3, 3)]


def test_summary_is_a_line_per_question_in_the_order_asked(snapshot):
    result = invoke("X4,C1", snapshot, "--summary", *AS_OF)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "审计汇总：覆盖率", "编号  问题              达标数  总数  覆盖率", "----  ----------------  ------  ----  ------",
        "C1    小区党组织覆盖率       1     2   50.0%", "", "审计汇总：清单", "编号  问题      条数",
        "----  --------  ----", "X4    利益冲突     1"]
    english = invoke("C1", snapshot, "--summary", "--lang", "en", "--format", "csv", *AS_OF)
    assert english.stdout.splitlines() == ["Code,Question,Numerator,Denominator,Rate",
                                           "C1,Compounds with a party organisation,1,2,50.0%"]
    refused = invoke("C1", snapshot, "--summary", "--format", "json")
    assert refused.exit_code == 1 and "--summary prints a table" in refused.stderr


def test_the_question_parameters_are_options_made_from_their_records():
    """A parameter is declared once, on its question; the audit command offers it with the codes of
    every question that takes it, and hands its value on under the question's own name."""
    from gridgraph.cli.options import question_parameters
    from queries import QUESTIONS

    help_text = " ".join(CliRunner().invoke(main, ["audit", "--help"], terminal_width=400).output.split())
    declared = {(name, parameter.option) for question in QUESTIONS.values()
                for name, parameter in question.parameters.items()}
    assert {option for _, option in declared} == {"--max-posts", "--min-area", "--min-cases", "--since", "--grid-type"}
    for name, option in declared:
        codes = ", ".join(code for code, question in QUESTIONS.items() if name in question.defaults)
        assert f"{option} " in help_text and f" {codes}: " in help_text, option
    options = {"param_n": 0, "param_since": None, "neo4j": False}
    assert question_parameters(options) == {"n": 0, "since": None} and options == {"neo4j": False}
