"""Validation: every problem reported with file, row, column, value and reason; strict vs skip-invalid."""

from __future__ import annotations

import datetime as dt
import errno

import pytest

from graphmodel.errors import LedgerError, OutputError, PrivacyError, StoreError
from ledger_factory import minimal_ledgers, table, write_csv, write_ledgers, write_workbook
from loaders import Problem, load_ledgers, load_to_snapshot
from loaders.build import _ID_NUMBER_IN_TEXT


def load_mutated(tmp_path, mutate, **options):
    ledgers = minimal_ledgers()
    mutate(ledgers)
    return load_ledgers(write_ledgers(tmp_path / "ledgers", ledgers), skip_invalid=True, **options)


def lines(result):
    return [str(problem) for problem in result.problems]


def test_strict_load_raises_with_every_problem(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0]["community_id"] = "C9"
    ledgers["buildings"][2]["compound_id"] = "X9"
    with pytest.raises(LedgerError) as caught:
        load_ledgers(write_ledgers(tmp_path / "a", ledgers))
    assert [(p.file, p.row, p.column, p.value) for p in caught.value.problems] == [
        ("小区.csv", 2, "所属社区编码", "C9"), ("楼栋.csv", 4, "所属小区编码", "X9")]
    assert "2 problems" in str(caught.value)
    assert caught.value.hint == "fix the rows listed, or load the valid rows with --skip-invalid"


def test_missing_required_value(tmp_path):
    def mutate(ledgers):
        ledgers["buildings"][1]["name"] = "　"  # a full-width space is blank too
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == ["楼栋.csv:3: 楼栋名称=: 必填项为空 (required value missing)"]
    assert ("Building", "B2") not in result.graph
    # the coverage row pointing at the dropped building is dropped too, and said so
    assert [warning.row for warning in result.warnings] == [3]
    assert "网格覆盖.csv" == result.warnings[0].file
    assert "楼栋.csv 第3行有误" in result.warnings[0].reason


def test_duplicate_id_names_the_first_row(tmp_path):
    def mutate(ledgers):
        ledgers["compounds"].append({"id": "X2", "name": "重复小区", "community_id": "C1"})
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [
        "小区.csv:5: 小区编码=X2: 编码重复, 与第3行相同 (duplicate id; first at row 3)"]
    assert result.graph.node(("Compound", "X2"))["name"] == "幸福家园"


def test_dangling_and_wrong_level_references(tmp_path):
    def mutate(ledgers):
        ledgers["compounds"][0]["community_id"] = "C9"
        ledgers["compounds"][1]["community_id"] = "S1"
        ledgers["party_orgs"][4]["based_in_id"] = "X2;X8"
        ledgers["posts"][2]["org_id"] = "G7"
        ledgers["people"][0]["party_org_id"] = "P99"
        ledgers["grid_coverage"][3]["compound_id"] = "X7"
        ledgers["property_contracts"][0]["company_id"] = "WY2"
        ledgers["areas"].append({"id": "C3", "name": "新区", "level": "片区", "parent_id": "S1"})
        ledgers["grids"][1]["community_id"] = "C3"       # an area of no valid level
        ledgers["party_orgs"][2]["based_in_id"] = "C2;S1"  # the second of two is a street
        ledgers["people"][1]["building_id"] = "C1"       # an area, where no area may be named
        ledgers["lists"][0]["owner_id"] = "U9"           # no owner type: any owner would do
    result = load_mutated(tmp_path, mutate)
    assert sorted(lines(result)) == sorted([
        "网格.csv:3: 所属社区编码=C3: C3 是区划, 不是社区 (wrong level)",
        "行政区划.csv:6: 层级=片区: 不是有效的取值, 可填 区县、街道、社区 (allowed: district, street, community, or the Chinese names)",
        "党组织.csv:4: 依托编码=S1: S1 是街道, 不是社区 (wrong level)",
        "人员.csv:3: 居住楼栋编码=C1: 引用的楼栋不存在 (unknown reference)",
        "清单.csv:2: 提出或提供单位编码=U9: 引用的社区/小区/网格/驻区单位/党组织/业委会/物业企业/人员不存在 "
        "(unknown reference)",
        "小区.csv:2: 所属社区编码=C9: 引用的社区不存在 (unknown reference)",
        "小区.csv:3: 所属社区编码=S1: S1 是街道, 不是社区 (wrong level)",
        "党组织.csv:6: 依托编码=X8: 引用的小区不存在 (unknown reference)",
        "任职.csv:4: 组织编码=G7: 引用的网格不存在 (unknown reference)",
        "人员.csv:2: 所在党组织编码=P99: 引用的党组织不存在 (unknown reference)",
        "网格覆盖.csv:5: 小区编码=X7: 引用的小区不存在 (unknown reference)",
        "物业服务.csv:2: 企业编码=WY2: 引用的物业企业不存在 (unknown reference)",
    ])


def test_area_parent_of_the_wrong_level(tmp_path):
    def mutate(ledgers):
        ledgers["areas"][3]["parent_id"] = "D1"
        ledgers["areas"][1]["parent_id"] = ""
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [
        "行政区划.csv:3: 上级编码=: 必填项为空: 街道、社区须填上级编码 (required for streets and communities)",
        "行政区划.csv:5: 上级编码=D1: D1 是区县, 不是街道 (wrong level)"]


def test_unknown_enum_lists_allowed_values(tmp_path):
    def mutate(ledgers):
        ledgers["party_orgs"][3]["kind"] = "党办"
    result = load_mutated(tmp_path, mutate)
    (problem,) = result.problems
    assert (problem.file, problem.row, problem.column, problem.value) == ("党组织.csv", 5, "组织类别", "党办")
    assert "党工委、党委、党总支、党支部、联合党支部、党小组" in problem.reason


def test_bad_dates_and_booleans(tmp_path):
    def mutate(ledgers):
        ledgers["property_contracts"][0]["start"] = "2024-13-01"
        ledgers["owner_committees"][0]["term_end"] = "明年"
        ledgers["posts"][0]["part_time"] = "也许"
        ledgers["people"][1]["party_member"] = "预备"
        ledgers["posts"][1]["end"] = "2020/1/1"  # before its start 2023-06-01
    result = load_mutated(tmp_path, mutate)
    by_place = {(p.file, p.row, p.column): p for p in result.problems}
    assert set(by_place) == {("物业服务.csv", 2, "开始日期"), ("业委会.csv", 2, "任期结束"),
                             ("任职.csv", 2, "是否兼职"), ("人员.csv", 3, "是否党员"),
                             ("任职.csv", 3, "任职结束")}
    assert "日期" in by_place[("业委会.csv", 2, "任期结束")].reason
    assert "是/否" in by_place[("人员.csv", 3, "是否党员")].reason
    assert "早于" in by_place[("任职.csv", 3, "任职结束")].reason
    assert ("Person", "R2") not in result.graph
    assert ("OwnerCommittee", "Y1") not in result.graph


def test_party_hierarchy_cycle(tmp_path):
    def mutate(ledgers):
        ledgers["party_orgs"][1]["parent_id"] = "P4"  # P2 under P4 under P2
    result = load_mutated(tmp_path, mutate)
    problems = [p for p in result.problems if "循环" in p.reason]
    assert sorted((p.row, p.value) for p in problems) == [(3, "P4"), (5, "P2")]
    assert "P2 → P4 → P2" in problems[0].reason or "P4 → P2 → P4" in problems[0].reason
    # with skip_invalid only the cyclic UNDER links are dropped; the organisations stay
    graph = result.graph
    assert ("PartyOrg", "P2") in graph and ("PartyOrg", "P4") in graph
    assert list(graph.out(("PartyOrg", "P2"), "UNDER")) == []
    assert list(graph.out(("PartyOrg", "P4"), "UNDER")) == []
    assert [t for t, _ in graph.out(("PartyOrg", "P6"), "UNDER")] == [("PartyOrg", "P4")]


def test_own_parent_is_a_cycle(tmp_path):
    def mutate(ledgers):
        ledgers["party_orgs"][2]["parent_id"] = "P3"
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == ["党组织.csv:4: 上级组织编码=P3: 上级组织是其自身 (UNDER cycle: its own parent)"]
    # only the UNDER link is refused: the organisation stays, based in its community
    assert [target for target, _ in result.graph.out(("PartyOrg", "P3"), "BASED_IN")] == [
        ("Community", "C2")]


def test_impossible_parent(tmp_path):
    def mutate(ledgers):
        ledgers["party_orgs"][5]["parent_id"] = "P1"  # 党小组 directly under the 党工委
    result = load_mutated(tmp_path, mutate)
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (7, "上级组织编码", "P1")
    assert "党小组的上级不能是党工委" in problem.reason
    assert list(result.graph.out(("PartyOrg", "P6"), "UNDER")) == []
    assert ("PartyOrg", "P6") in result.graph


def test_invalid_id_number_is_a_problem(tmp_path):
    def mutate(ledgers):
        ledgers["people"][1]["id_number"] = "12345"
    result = load_mutated(tmp_path, mutate)
    (problem,) = result.problems
    assert (problem.file, problem.row, problem.column) == ("人员.csv", 3, "身份证号")
    assert "身份证号" in problem.reason


def test_id_numbers_in_other_ledgers_are_not_kept(tmp_path):
    def mutate(ledgers):
        ledgers["owner_committees"][0]["主任身份证号"] = "11010119900307451X"
    result = load_mutated(tmp_path, mutate)
    assert result.problems == []
    assert "主任身份证号" not in result.graph.node(("OwnerCommittee", "Y1"))
    assert [str(w) for w in result.warnings] == [
        "业委会.csv:1: 主任身份证号=: 身份证号只能放在人员台账的身份证号列 (raw ID numbers are never stored)"]


def test_extra_columns_are_kept_by_nodes_areas_included_but_never_as_schema_names(tmp_path):
    def mutate(ledgers):
        ledgers["areas"][0]["备注"] = "区政府驻地"
        ledgers["compounds"][0]["label"] = "Building"
        ledgers["grid_coverage"][0]["备注"] = "一网格"
    result = load_mutated(tmp_path, mutate)
    assert result.problems == []
    assert [str(w) for w in result.warnings] == [
        "小区.csv:1: label=: 与系统属性同名, 已忽略 (name reserved by the schema)",
        "网格覆盖.csv:1: 备注=: 关系台账不保留额外列 (a relationship ledger keeps no extra columns)"]
    assert result.graph.node(("District", "D1"))["备注"] == "区政府驻地"
    assert result.graph.node(("Compound", "X1"))["label"] == "Compound"


def test_missing_required_column_is_one_problem(tmp_path):
    def mutate(ledgers):
        for row in ledgers["buildings"]:
            del row["compound_id"]
    result = load_mutated(tmp_path, mutate)
    assert [str(p) for p in result.problems] == [
        "楼栋.csv: 所属小区编码=: 缺少必需的列 (missing column 所属小区编码/compound_id)"]
    assert result.graph.count("Building") == 0


def test_a_workbook_names_the_sheet_of_a_missing_column(tmp_path):
    ledgers = minimal_ledgers()
    for row in ledgers["buildings"]:
        del row["compound_id"]
    for row in ledgers["grid_coverage"]:
        del row["building_id"], row["compound_id"]
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers), skip_invalid=True)
    assert [(p.file, p.sheet, p.row, p.column, p.reason) for p in result.problems if p.row is None] == [
        ("台账.xlsx", "楼栋", None, "所属小区编码", "缺少必需的列 (missing column 所属小区编码/compound_id)"),
        ("台账.xlsx", "网格覆盖", None, None, "缺少必需的列 楼栋编码 或 小区编码 (missing column building_id or compound_id)")]
    # Said once for the sheet, as for any missing column: not again on every row of it.
    assert [p for p in result.problems if p.sheet == "网格覆盖" and p.row is not None] == []


def test_a_column_without_a_header_is_skipped_and_a_repeated_one_is_warned_about(tmp_path):
    import openpyxl

    plain = load_ledgers(write_workbook(tmp_path / "plain.xlsx"))
    path = write_workbook(tmp_path / "台账.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["小区"]
    sheet.insert_cols(1)  # a first column without a header, filled below it
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 1, "无表头的值")
    sheet.cell(1, sheet.max_column + 1, "名称")  # 小区名称 once more, by another of its names
    workbook.save(path)
    result = load_ledgers(path)
    assert result.problems == []
    assert [(w.file, w.sheet, w.row, w.column, w.value, w.reason) for w in result.warnings] == [
        ("台账.xlsx", "小区", 1, "名称", None, "重复的列, 与 小区名称 相同, 已忽略 (same column as 小区名称, ignored)")]
    assert [result.graph.node(key) for key, _ in result.graph.nodes("Compound")] == \
        [plain.graph.node(key) for key, _ in plain.graph.nodes("Compound")]


def test_what_is_said_of_a_whole_workbook_comes_before_what_is_said_of_its_sheets(tmp_path):
    import openpyxl

    ledgers = minimal_ledgers()
    ledgers["venues"] = []  # header only: said of the workbook, not of a sheet
    ledgers["buildings"][0]["label"] = "Compound"
    path = write_workbook(tmp_path / "台账.xlsx", ledgers)
    workbook = openpyxl.load_workbook(path)
    workbook["楼栋"].title = "Buildings"  # a sheet name that sorts before most others
    workbook.save(path)
    result = load_ledgers(path)
    assert [(w.sheet, w.row, w.reason) for w in result.warnings] == [
        (None, None, "台账没有数据行: 阵地 (venues has no data rows)"),
        ("Buildings", 1, "与系统属性同名, 已忽略 (name reserved by the schema)")]


def test_a_list_items_owner_type_narrows_its_owner_and_kind_decides_what_it_may_do(tmp_path):
    def mutate(ledgers):
        lists = ledgers["lists"]
        lists[0].update(owner_type="社区", owner_id="X1")  # X1 is a compound, not a community
        lists[1].update(owner_type="楼栋", owner_id="B1")  # a building offers no resource
        lists[2].update(raised="2026-05-01", closed="2026-05-01")  # done the day it was raised
        lists.append({"id": "L4", "kind": "需求", "name": "无主需求"})  # neither owner nor community
        lists.append({"id": "L5", "kind": "资源", "name": "活动室", "community_id": "C1", "matches": "L4"})
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [
        "清单.csv:2: 提出或提供单位编码=X1: 引用的社区不存在 (unknown reference)",
        "清单.csv:3: 提出或提供单位编码=B1: 楼栋不能作为清单的提供方 (OFFERED_BY cannot point at Building)",
        "清单.csv:6: 对接编号=L4: 只有项目清单可以填写对接编号 (only a project matches other items)"]
    assert ("ListItem", "L3") in result.graph and ("ListItem", "L4") in result.graph
    assert list(result.graph.out(("ListItem", "L4"), "RAISED_BY")) == []


def test_a_duplicate_id_is_named_in_the_other_file_and_the_rows_after_it_still_count(tmp_path):
    ledgers = minimal_ledgers()
    east, west = ledgers["compounds"][:1], ledgers["compounds"][1:]
    del ledgers["compounds"]
    folder = write_ledgers(tmp_path / "ledgers", ledgers)
    write_csv(folder / "小区-东区.csv", table("compounds", [*east, {**east[0], "name": "又一个"}]))
    write_csv(folder / "小区-西区.csv", table("compounds", [
        {"id": "", "name": "无编码小区", "community_id": "C1"}, {**east[0], "name": "重名"}, *west]))
    result = load_ledgers(folder, skip_invalid=True)
    assert lines(result) == [
        "小区-东区.csv:3: 小区编码=X1: 编码重复, 与第2行相同 (duplicate id; first at row 2)",
        "小区-西区.csv:2: 小区编码=: 必填项为空 (required value missing)",
        "小区-西区.csv:3: 小区编码=X1: 编码重复, 与小区-东区.csv 第2行相同 (duplicate id; first at row 2)"]
    assert result.graph.count("Compound") == 3


def test_a_post_of_a_refused_person_is_dropped_naming_the_persons_row(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["people"][0]["party_member"] = "也许"  # R1 refused; a post runs from R1 to its org
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers), skip_invalid=True)
    assert [(w.file, w.sheet, w.row, w.reason, w.cause) for w in result.warnings] == [
        ("台账.xlsx", "任职", row, f"任职 R1 → {org} 未载入: 台账.xlsx[人员] 第2行有误 (dropped HOLDS R1 → {org}: "
                                  "it points at row 2 of 台账.xlsx[人员], which is invalid)", ("台账.xlsx[人员]", 2))
        for row, org in ((2, "P2"), (3, "Y1"))]


def test_what_is_said_of_a_whole_file_comes_before_what_is_said_of_its_rows(tmp_path):
    rows = table("areas", minimal_ledgers()["areas"])[:1]  # the header only
    rows[0].append("备注\x07")  # a flaw in the header row, found before the file is known empty
    result = load_ledgers(write_csv(tmp_path / "行政区划.csv", rows), skip_invalid=True)
    assert [(p.file, p.row, p.reason) for p in result.problems] == [
        ("行政区划.csv", None, "台账没有数据行: 行政区划 (areas has no data rows)"),
        ("行政区划.csv", 1, "含有控制字符 U+0007 (a control character: remove it)")]


@pytest.mark.parametrize("only, rows", [("building_id", [5]), ("compound_id", [2, 3, 4])])
def test_coverage_with_one_of_its_two_columns_needs_a_value_on_every_row(tmp_path, only, rows):
    # The sheet has one of the two columns, so the rows without its value are each a problem.
    def mutate(ledgers):
        for row in ledgers["grid_coverage"]:
            del row["compound_id" if only == "building_id" else "building_id"]
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [f"网格覆盖.csv:{row}: 须填写楼栋编码或小区编码 (building_id or compound_id required)"
                             for row in rows]


def test_coverage_needs_a_building_or_compound(tmp_path):
    def mutate(ledgers):
        ledgers["grid_coverage"][0]["building_id"] = ""
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == ["网格覆盖.csv:2: 须填写楼栋编码或小区编码 (building_id or compound_id required)"]
    assert [target for target, _ in result.graph.out(("Grid", "G2"), "COVERS")] == [
        ("Building", "B3"), ("Compound", "X3")]  # the rows after it still cover


def test_a_missing_end_of_a_relationship_is_one_problem(tmp_path):
    def mutate(ledgers):
        for ledger, row, key in (("grid_coverage", 0, "grid_id"), ("property_contracts", 0, "company_id"),
                                 ("property_contracts", 1, "compound_id"), ("posts", 2, "person_id")):
            ledgers[ledger][row][key] = ""
    assert lines(load_mutated(tmp_path, mutate)) == [
        "任职.csv:4: 人员编码=: 必填项为空 (required value missing)",
        "物业服务.csv:2: 企业编码=: 必填项为空 (required value missing)",
        "物业服务.csv:3: 小区编码=: 必填项为空 (required value missing)",
        "网格覆盖.csv:2: 网格编码=: 必填项为空 (required value missing)"]


def test_a_post_keeps_its_role_part_time_flag_and_dates(tmp_path):
    def mutate(ledgers):
        ledgers["posts"][0]["end"] = "2026-12-31"
    graph = load_mutated(tmp_path, mutate).graph
    assert next(iter(graph.out(("Person", "R1"), "HOLDS"))) == (("PartyOrg", "P2"), {
        "type": "HOLDS", "role": "secretary", "part_time": False,
        "start": dt.date(2023, 1, 1), "end": dt.date(2026, 12, 31)})


def test_missing_areas_ledger_is_a_problem_other_ledgers_are_optional(tmp_path):
    only_areas = {"areas": minimal_ledgers()["areas"]}
    assert load_ledgers(write_ledgers(tmp_path / "a", only_areas)).graph.count("Community") == 2
    no_areas = {"property_companies": minimal_ledgers()["property_companies"]}
    result = load_ledgers(write_ledgers(tmp_path / "b", no_areas), skip_invalid=True)
    assert lines(result) == ["b: 缺少必需的台账: 行政区划 (missing ledger: areas)"]


def test_blank_rows_are_skipped_and_row_numbers_stay_true(tmp_path):
    folder = write_ledgers(tmp_path / "a")
    rows = table("compounds", minimal_ledgers()["compounds"])
    rows.insert(2, ["", " ", ""])
    rows[3][2] = "C9"  # X2, now on spreadsheet row 4
    write_csv(folder / "小区.csv", rows)
    result = load_ledgers(folder, skip_invalid=True)
    assert [(p.row, p.value) for p in result.problems] == [(4, "C9")]
    assert result.rows["compounds"] == 3


def test_workbook_problems_name_the_sheet(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["grids"][1]["community_id"] = "C9"
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers), skip_invalid=True)
    (problem,) = result.problems
    assert (problem.file, problem.sheet, problem.row) == ("台账.xlsx", "网格", 3)
    assert str(problem).startswith("台账.xlsx[网格]:3: 所属社区编码=C9: ")


def test_lists_rules(tmp_path):
    def mutate(ledgers):
        ledgers["lists"][0]["matches"] = "L2"          # only a project matches
        ledgers["lists"][1]["owner_type"] = "楼栋"       # a building offers nothing
        ledgers["lists"][1]["owner_id"] = "B1"
        ledgers["lists"][2]["matches"] = "L1；L5"
    result = load_mutated(tmp_path, mutate)
    assert sorted((p.row, p.column, p.value) for p in result.problems) == [
        (2, "对接编号", "L2"), (3, "提出或提供单位编码", "B1"), (4, "对接编号", "L5")]


def test_lists_status_and_dates(tmp_path):
    def mutate(ledgers):
        for row, (kind, status, raised, closed) in zip(ledgers["lists"], [
                ("问题", "办结", "2026/3/1", "2026年4月2日"), ("资源", "", "", ""),
                ("项目", "办理中", "2026-02-01", "2026-01-31")]):
            row.update(kind=kind, status=status, raised=raised, closed=closed)
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == ["清单.csv:4: 办结日期=2026-01-31: 办结日期早于提出日期 (closed before it was raised)"]
    item = result.graph.node(("ListItem", "L1"))
    assert (item["kind"], item["status"], item["raised"], item["closed"]) == (
        "demand", "closed", dt.date(2026, 3, 1), dt.date(2026, 4, 2))
    assert "status" not in result.graph.node(("ListItem", "L2"))


def test_open_grid_types_are_kept_as_written(tmp_path):
    def mutate(ledgers):
        ledgers["grids"][0]["grid_type"] = "全科网格"
        ledgers["grids"][1]["grid_type"] = "应急管理"
    graph = load_mutated(tmp_path, mutate).graph
    assert graph.node(("Grid", "G1"))["grid_type"] == "全科网格"
    assert graph.node(("Grid", "G2"))["grid_type"] == "emergency"


def test_skip_invalid_keeps_the_rest(tmp_path):
    def mutate(ledgers):
        ledgers["compounds"][0]["community_id"] = "C9"   # X1 dropped
    result = load_mutated(tmp_path, mutate)
    graph = result.graph
    assert ("Compound", "X1") not in graph and ("Compound", "X2") in graph
    assert graph.parent(("Building", "B1")) is None     # its PART_OF pointed at X1: dropped
    dropped = {(w.file, w.row) for w in result.warnings}
    assert ("楼栋.csv", 2) in dropped and ("物业服务.csv", 2) in dropped
    assert ("Building", "B1") in graph


def test_problem_text():
    assert str(Problem("台账.xlsx", 7, "小区编码", "X1", "编码重复", sheet="小区")) == \
        "台账.xlsx[小区]:7: 小区编码=X1: 编码重复"
    assert str(Problem("台账", None, None, None, "缺少必需的台账")) == "台账: 缺少必需的台账"


def test_unreadable_workbook_is_a_problem_not_a_crash(tmp_path):
    folder = write_ledgers(tmp_path / "a", {"areas": minimal_ledgers()["areas"]})
    (folder / "小区.xlsx").write_bytes(b"not a zip file")
    result = load_ledgers(folder, skip_invalid=True)
    (problem,) = result.problems
    assert problem.file == "小区.xlsx" and problem.row is None
    assert problem.reason.startswith("无法读取文件")
    assert result.graph.count("Community") == 2


def test_based_in_and_post_targets_must_fit(tmp_path):
    def mutate(ledgers):
        ledgers["party_orgs"][3]["based_in_type"] = "党组织"      # not a place
        ledgers["party_orgs"][4]["based_in_type"] = "社区"        # X2;X3 are compounds
        ledgers["party_orgs"][5]["based_in_id"] = ""              # type without id
        ledgers["posts"][3]["org_type"] = "居委"                  # not an org type
    result = load_mutated(tmp_path, mutate)
    assert sorted((p.file, p.row, p.column, p.value) for p in result.problems) == [
        ("任职.csv", 5, "组织类型", "居委"),
        ("党组织.csv", 5, "依托类型", "党组织"),
        ("党组织.csv", 6, "依托编码", "X2"), ("党组织.csv", 6, "依托编码", "X3"),
        ("党组织.csv", 7, "依托编码", "")]
    assert [p.reason for p in result.problems if p.value == "党组织"] == [
        "党组织不能依托于党组织 (a PartyOrg is not a place to be based in)"]


def test_venues_load_kinds_as_written_areas_and_open_flags(tmp_path):
    def mutate(ledgers):
        ledgers["venues"] = [
            {"id": "V1", "name": "和平社区党群服务中心", "kind": "党群服务中心", "located_type": "社区",
             "located_id": "C1", "area_m2": "520㎡", "open": "是"},
            {"id": "V2", "name": "2号楼同心驿", "kind": "同心驿", "located_type": "楼栋", "located_id": "B2",
             "area_m2": "", "open": ""},
            {"id": "V3", "name": "幸福书屋", "kind": "社区书屋", "located_type": "网格", "located_id": "G2",
             "area_m2": "60.5", "open": "否"},
        ]
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == []
    graph = result.graph
    assert graph.node(("Venue", "V1"))["kind"] == "centre" and graph.node(("Venue", "V1"))["area_m2"] == 520.0
    assert graph.node(("Venue", "V1"))["open"] is True and graph.node(("Venue", "V3"))["open"] is False
    assert "area_m2" not in graph.node(("Venue", "V2"))  # unknown, not 0
    assert graph.node(("Venue", "V3"))["kind"] == "社区书屋"  # a kind the schema does not name, kept
    assert [target for target, _ in graph.out(("Venue", "V2"), "LOCATED_IN")] == [("Building", "B2")]


def test_bad_venue_rows_name_file_row_column_and_value(tmp_path):
    def mutate(ledgers):
        ledgers["venues"] = [
            {"id": "V1", "name": "甲", "kind": "党群服务站", "located_type": "小区", "located_id": "X9",
             "area_m2": "120"},
            {"id": "V2", "name": "乙", "kind": "党群服务站", "located_type": "小区", "located_id": "X1",
             "area_m2": "-5"},
            {"id": "V3", "name": "丙", "kind": "党群服务站", "located_type": "小区", "located_id": "X1",
             "area_m2": "大约一百"},
            {"id": "V4", "name": "丁", "kind": "活动室", "located_type": "党组织", "located_id": "P1"},
        ]
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [
        "阵地.csv:2: 所在编码=X9: 引用的小区不存在 (unknown reference)",
        "阵地.csv:3: 面积=-5: 面积不能为负数 (an area is a number of m², 0 or more)",
        "阵地.csv:4: 面积=大约一百: 不是有效的面积, 如 520 或 520㎡ (expected a number of m², e.g. 520 or 520 m²)",
        "阵地.csv:5: 所在类型=党组织: 阵地所在只能是社区、网格、小区、楼栋、物业企业、驻区单位 (a PartyOrg is not allowed here; "
        "allowed: Community, Grid, Compound, Building, PropertyCompany, ResidentUnit)"]
    assert not list(result.graph.nodes("Venue"))
    with pytest.raises(LedgerError):
        load_ledgers(tmp_path / "ledgers")


def test_bad_cases_and_ratings_name_file_row_column_and_value(tmp_path):
    def mutate(ledgers):
        cases, ratings = ledgers["cases"], ledgers["property_ratings"]
        cases[0]["closed"] = "2026-05-01"  # before 受理日期 2026-05-06
        cases[1].update(about_type="街道", about_id="S1")  # a street is not what a case is about
        cases.append({"id": "GD3", "about_type": "楼栋", "about_id": "B9", "received": "2026-06-01"})
        cases.append({"id": "GD4", "about_type": "小区", "about_id": "X1", "received": ""})
        ratings[0]["result"] = "六星"
        ratings[1]["rated_by_type"] = "楼栋"
        ratings[2]["date"] = "2026-02-30"
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [
        "物业评价.csv:2: 结果=六星: 不是有效的取值, 可填 红榜、黑榜、1星、2星、3星、4星、5星 (allowed: red_list, black_list, "
        "stars_1, stars_2, stars_3, stars_4, stars_5, or the Chinese names)",
        "物业评价.csv:3: 评价单位类型=楼栋: 评价单位只能是小区、社区、街道 (a Building is not allowed here; allowed: Compound, "
        "Community, Street)",
        "物业评价.csv:4: 评价日期=2026-02-30: 不存在的日期 2026-2-30 (no such day: 2026-2-30)",
        "诉求工单.csv:2: 办结日期=2026-05-01: 办结日期早于受理日期 2026-05-06 (closed before it was received)",
        "诉求工单.csv:3: 对象类型=街道: 诉求对象只能是社区、小区、楼栋 (a Street is not allowed here; allowed: Community, "
        "Compound, Building)",
        "诉求工单.csv:4: 对象编码=B9: 引用的楼栋不存在 (unknown reference)",
        "诉求工单.csv:5: 受理日期=: 必填项为空 (required value missing)"]
    assert result.graph.label_counts().get("Case", 0) == 0
    assert list(result.graph.out(("PropertyCompany", "WY1"), "RATED")) == []


def test_a_folder_of_an_earlier_version_loads_without_the_new_ledgers(tmp_path):
    ledgers = minimal_ledgers()
    del ledgers["venues"], ledgers["cases"], ledgers["property_ratings"]
    result = load_ledgers(write_ledgers(tmp_path / "old", ledgers))
    assert result.problems == [] and result.warnings == []
    assert not {"venues", "cases", "property_ratings"} & set(result.rows)
    counts = result.graph.label_counts()
    assert counts.get("Venue", 0) == counts.get("Case", 0) == 0


def test_a_malformed_id_number_is_shown_masked_in_its_problems(tmp_path):
    def mutate(ledgers):
        ledgers["people"][1]["id_number"] = "1234567\x07"  # malformed, and a control character
    result = load_mutated(tmp_path, mutate)
    # once as a bad ID number, once as a cell holding a control character: both masked
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (3, "身份证号", "****567\x07")] * 2


def test_an_id_number_in_a_text_cell_is_refused_from_fifteen_characters_on(tmp_path):
    old_id_number = "371327900131061"  # the 15-digit kind: born 1990-01-31
    long_text = "幸福家园东区北门南侧第三栋楼前"  # 15 characters, no number in it

    def mutate(ledgers):
        ledgers["compounds"][0]["name"] = old_id_number
        ledgers["compounds"][1]["name"] = long_text
        ledgers["compounds"][1]["备注"] = long_text
        ledgers["compounds"][2]["备注"] = old_id_number
    result = load_mutated(tmp_path, mutate)
    assert [(p.file, p.row, p.column, p.value, p.reason) for p in result.problems] == [
        ("小区.csv", 2, "小区名称", "***********1061", _ID_NUMBER_IN_TEXT),
        ("小区.csv", 4, "备注", "***********1061", _ID_NUMBER_IN_TEXT)]
    assert ("Compound", "X1") not in result.graph and ("Compound", "X3") not in result.graph
    kept = result.graph.node(("Compound", "X2"))
    assert (kept["name"], kept["备注"]) == (long_text, long_text)


def test_a_row_whose_only_filled_cells_cannot_be_kept_is_still_reported(tmp_path):
    old_id_number = "371327900131061"
    folder = write_ledgers(tmp_path / "ledgers")
    rows = table("compounds", minimal_ledgers()["compounds"])
    rows[0].append("备注")
    rows += [["", "", "", "只有备注"],       # only an extra column kept as a property
             ["", "", "", old_id_number],  # only an extra column, holding an ID number
             ["", old_id_number, ""],       # only a name, holding an ID number
             ["X9", "短行小区"]]              # a short row: no 所属社区编码 cell at all
    write_csv(folder / "小区.csv", rows)
    result = load_ledgers(folder, skip_invalid=True)
    missing = "必填项为空 (required value missing)"
    assert [(p.row, p.column, p.value, p.reason) for p in result.problems] == [
        (5, "小区编码", "", missing), (5, "小区名称", "", missing), (5, "所属社区编码", "", missing),
        (6, "小区编码", "", missing), (6, "小区名称", "", missing), (6, "所属社区编码", "", missing),
        (6, "备注", "***********1061", _ID_NUMBER_IN_TEXT),
        (7, "小区编码", "", missing), (7, "小区名称", "***********1061", _ID_NUMBER_IN_TEXT),
        (7, "所属社区编码", "", missing),
        (8, "所属社区编码", "", missing)]


def test_a_bad_hashing_key_fails_a_load_whose_people_have_no_id_numbers_too(tmp_path, monkeypatch):
    ledgers = minimal_ledgers()
    ledgers["people"][0]["id_number"] = ""  # the 身份证号 column is there, with no number in it
    folder = write_ledgers(tmp_path / "ledgers", ledgers)
    monkeypatch.setenv("GRIDGRAPH_PII_KEY", "too short")
    with pytest.raises(PrivacyError, match="GRIDGRAPH_PII_KEY is 9 bytes long"):
        load_ledgers(folder)


def test_a_cell_flaw_refuses_its_row_and_names_its_column_only_below_the_header(tmp_path):
    folder = write_ledgers(tmp_path / "a")
    rows = table("compounds", minimal_ledgers()["compounds"])
    rows[0].append("备注\x07")              # a flaw in the header row itself
    rows[2][1] = "幸福\x07家园"              # X2's name
    rows[3].extend(["", "\x07"])           # a flaw beyond the header's last column
    write_csv(folder / "小区.csv", [["小区台账\x07"], *rows])  # and one in a title row
    result = load_ledgers(folder, skip_invalid=True)
    assert [(p.row, p.column) for p in result.problems] == [
        (1, None), (2, None), (4, "小区名称"), (5, None)]
    assert [key for key, _ in result.graph.nodes("Compound")] == [("Compound", "X1")]


def test_a_workbook_row_of_empty_and_blank_cells_is_skipped(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"].insert(1, {"id": "", "name": " ", "community_id": ""})
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers))
    assert result.problems == [] and result.rows["compounds"] == 3


def test_a_ledger_without_a_header_row_is_a_problem(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "台账.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["小区"].delete_rows(1)  # the compounds, without their header
    workbook.save(path)
    result = load_ledgers(path, skip_invalid=True)
    (problem,) = [p for p in result.problems if p.sheet == "小区"]  # the rest: unknown compounds
    assert (problem.file, problem.row, problem.reason[:5]) == ("台账.xlsx", None, "找不到表头")


def test_load_to_snapshot_passes_its_options_on(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0]["community_id"] = "C9"
    folder = write_ledgers(tmp_path / "a", ledgers)
    with pytest.raises(LedgerError):
        load_to_snapshot(folder, tmp_path / "strict.arrow")
    assert not (tmp_path / "strict.arrow").exists()
    steps = []
    result = load_to_snapshot(folder, tmp_path / "g.arrow", skip_invalid=True,
                              progress=lambda step, done, total: steps.append(step))
    assert len(result.problems) == 1 and (tmp_path / "g.arrow").is_file()
    assert {"读取 reading", "建图 building", "writing snapshot"} <= set(steps)
    ledger = (folder / "小区.csv").read_bytes()
    with pytest.raises(OutputError):
        load_to_snapshot(folder, folder / "小区.csv", skip_invalid=True)  # never over a ledger
    assert (folder / "小区.csv").read_bytes() == ledger


def test_load_to_snapshot_names_an_output_it_cannot_write(tmp_path, monkeypatch):
    def disk_full(graph, output, progress=None):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr("loaders.build.save_snapshot", disk_full)
    output = tmp_path / "g.arrow"
    with pytest.raises(StoreError) as caught:
        load_to_snapshot(write_ledgers(tmp_path / "a"), output)
    assert str(caught.value) == f"{output}: cannot write the snapshot (No space left on device)"
    assert caught.value.hint == "choose another -o/--output path"


def test_an_id_number_a_workbook_stored_as_a_number_is_refused_from_sixteen_digits(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["people"][1]["id_number"] = 10 ** 15   # 16 digits: Excel has rounded off the last
    ledgers["people"][2]["id_number"] = 110105     # too short, but nothing was rounded off
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers), skip_invalid=True)
    rounded, short = result.problems
    assert (rounded.row, rounded.column, short.row) == (3, "身份证号", 4)
    assert rounded.reason == (
        "身份证号存成了数字, 末几位已被四舍五入; 请把该列设为文本后重新填写 (an ID number stored as a "
        "number has lost its last digits: format the column as text and enter the numbers again)")
    assert "四舍五入" not in short.reason and "身份证号" in short.reason


def test_a_post_may_start_and_end_on_the_same_day(tmp_path):
    def mutate(ledgers):
        ledgers["posts"][0].update(start="2024-03-01", end="2024-03-01")
        ledgers["posts"][1].update(start="2024-03-02", end="2024-03-01")
    result = load_mutated(tmp_path, mutate)
    assert [(p.row, p.column) for p in result.problems] == [(3, "任职结束")]


def test_a_missing_type_or_code_is_one_problem_not_a_bad_reference_too(tmp_path):
    def mutate(ledgers):
        ledgers["property_ratings"][0]["rated_by_id"] = ""
        ledgers["property_ratings"][1]["rated_by_type"] = ""
        ledgers["property_ratings"][2]["company_id"] = ""
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == ["物业评价.csv:2: 评价单位编码=: 必填项为空 (required value missing)",
                             "物业评价.csv:3: 评价单位类型=: 必填项为空 (required value missing)",
                             "物业评价.csv:4: 企业编码=: 必填项为空 (required value missing)"]


def test_a_row_holding_only_an_uncalculated_formula_is_still_reported(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "台账.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["小区"].cell(9, 2, "=1+1")  # openpyxl saves no value, and the row holds nothing else
    workbook.save(path)
    result = load_ledgers(path, skip_invalid=True)
    (problem,) = result.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("小区", 9, "小区名称", "")
    assert problem.reason.startswith("公式没有计算结果 (B9:")


def test_an_impossible_parent_lists_the_allowed_kinds_in_kind_order(tmp_path):
    def mutate(ledgers):
        ledgers["party_orgs"][5]["parent_id"] = "P1"  # 党小组 directly under the 党工委
        ledgers["party_orgs"][0]["parent_id"] = "P9"  # a 党工委 has no parent at all
        ledgers["party_orgs"].append({"id": "P9", "name": "区委", "kind": "党委"})
    assert lines(load_mutated(tmp_path, mutate)) == [
        "党组织.csv:2: 上级组织编码=P9: 党工委的上级不能是党委, 可为 无 (impossible parent: a working_committee under a "
        "committee; allowed: none)",
        "党组织.csv:7: 上级组织编码=P1: 党小组的上级不能是党工委, 可为 党总支、党支部、联合党支部 (impossible parent: a group "
        "under a working_committee; allowed: general_branch, branch, joint_branch)"]


def test_an_under_chain_running_into_a_cycle_reports_only_the_cycle(tmp_path):
    def mutate(ledgers):
        ledgers["party_orgs"][2]["parent_id"] = "P4"  # P3 → P4 → P6 → P4, P3 read first
        ledgers["party_orgs"][3]["parent_id"] = "P6"
    problems = load_mutated(tmp_path, mutate).problems
    assert sorted((p.row, p.column, p.value) for p in problems if "循环" in p.reason) == [
        (5, "上级组织编码", "P6"), (7, "上级组织编码", "P4")]


def test_contracts_and_committee_terms_must_not_end_before_they_start(tmp_path):
    def mutate(ledgers):
        ledgers["property_contracts"][0].update(start="2024-05-01", end="2024-04-30")
        ledgers["owner_committees"][0].update(term_start="2024-05-01", term_end="2023-05-01")
    assert lines(load_mutated(tmp_path, mutate)) == [
        "业委会.csv:2: 任期结束=2023-05-01: 结束日期早于开始日期 2024-05-01 (ends before it starts)",
        "物业服务.csv:2: 结束日期=2024-04-30: 结束日期早于开始日期 2024-05-01 (ends before it starts)"]


def test_a_district_has_no_parent_and_an_area_of_no_level_stops_no_other(tmp_path):
    def mutate(ledgers):
        ledgers["areas"][0]["parent_id"] = "S1"
        ledgers["areas"].insert(1, {"id": "Z1", "name": "片区一", "level": "片区", "parent_id": ""})
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [
        "行政区划.csv:2: 上级编码=S1: 区县的上级不能是S1 (a district has no parent area in the ledgers)",
        "行政区划.csv:3: 层级=片区: 不是有效的取值, 可填 区县、街道、社区 (allowed: district, street, community, or the Chinese names)"]
    assert result.graph.parent(("Community", "C1")) == ("Street", "S1")  # linked after Z1


def test_a_street_without_a_parent_in_a_workbook_shows_an_empty_value(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["areas"][1]["parent_id"] = ""  # an empty cell: None in a workbook
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers), skip_invalid=True)
    assert [(p.row, p.column, p.value) for p in result.problems] == [(3, "上级编码", "")]


def test_based_in_type_and_code_go_together_naming_the_one_missing(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["party_orgs"][1]["based_in_type"] = ""
    ledgers["party_orgs"][2]["based_in_id"] = ""  # empty cells: None in a workbook
    ledgers["party_orgs"][0].update(based_in_type="", based_in_id="")  # neither: based nowhere
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers), skip_invalid=True)
    assert [(p.row, p.column, p.value, p.reason) for p in result.problems] == [
        (row, column, "", "依托类型和依托编码须同时填写 (based_in_type and based_in_id go together)")
        for row, column in ((3, "依托类型"), (4, "依托编码"))]
    assert [target for target, _ in result.graph.out(("PartyOrg", "P4"), "BASED_IN")] == [
        ("Compound", "X1")]  # the rows after them are still linked


def test_a_workbook_extra_column_warning_names_its_sheet(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["compounds"][0]["label"] = "Building"
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers))
    assert [str(w) for w in result.warnings] == [
        "台账.xlsx[小区]:1: label=: 与系统属性同名, 已忽略 (name reserved by the schema)"]


def test_dates_without_separators_and_excel_serials_get_their_own_message(tmp_path):
    def mutate(ledgers):
        ledgers["property_contracts"][0]["start"] = "20240301"
        ledgers["property_contracts"][1]["start"] = "45474"
    assert lines(load_mutated(tmp_path, mutate)) == [
        "物业服务.csv:2: 开始日期=20240301: 日期缺少分隔符, 应写作 2024-03-01 (a date without separators: write "
        "2024-03-01)",
        "物业服务.csv:3: 开始日期=45474: 45474 是 Excel 的日期序号, 即 2024-07-01: 请把单元格设为日期格式或写作 2024-07-01 "
        "(45474 is an Excel date serial, the day 2024-07-01: format the cell as a date, or write 2024-07-01)"]


def test_an_excel_date_serial_in_a_workbook_cell_is_that_day(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "台账.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["物业服务"]
    column = [cell.value for cell in sheet[1]].index("开始日期") + 1
    sheet.cell(row=2, column=column).value = 45474  # a date cell formatted as General
    workbook.save(path)
    result = load_ledgers(path)
    (start,) = [props["start"] for source, target, props in result.graph.relationships("MANAGES")
                if target == ("Compound", "X1")]
    assert start == dt.date(2024, 7, 1)
def test_household_and_unit_counts_are_whole_numbers_and_may_be_empty(tmp_path):
    """小区.户数, 楼栋.户数 and 楼栋.单元数 are known columns: 120户 and 1,200 read as numbers, an empty
    cell as unknown, anything else is refused naming file, row, column and value."""
    def mutate(ledgers):
        ledgers["compounds"][0]["households"] = "1,200"
        ledgers["compounds"][1]["households"] = ""
        ledgers["compounds"][2]["households"] = "约300户"
        ledgers["buildings"][0].update(units="3个单元", households="120户")
        ledgers["buildings"][1].update(units="-2", households="")
        ledgers["buildings"][2].update(units="", households="")
    result = load_mutated(tmp_path, mutate)
    assert lines(result) == [
        "小区.csv:4: 户数=约300户: 不是有效的数量, 如 120 或 120户 (expected a whole number, 0 or more, e.g. 120)",
        "楼栋.csv:3: 单元数=-2: 不是有效的数量, 如 120 或 120户 (expected a whole number, 0 or more, e.g. 120)"]
    graph = result.graph
    assert graph.node(("Compound", "X1"))["households"] == 1200
    assert graph.node(("Compound", "X2")).get("households") is None
    assert (graph.node(("Building", "B1"))["units"], graph.node(("Building", "B1"))["households"]) == (3, 120)
    assert graph.node(("Building", "B3")).get("units") is None


def test_a_footer_under_a_table_is_skipped_with_one_warning_quoting_it(tmp_path):
    """填表人/审核人/填报日期 and 合计 rows under a table are no ledger rows: one warning each, no
    missing values (not even where the note fills every required column), and a compound that only
    begins with 合计 is still a compound."""
    def mutate(ledgers):
        ledgers["compounds"].append({"id": "X4", "name": "合计小区", "community_id": "C1"})
        ledgers["compounds"].append({"id": "合计", "name": "", "community_id": ""})
        ledgers["compounds"].append({"id": "", "name": "", "community_id": ""})
        ledgers["compounds"].append({"id": "", "name": "填表人：王芳  审核人：李强", "community_id": "填报日期：2026年6月30日"})
        ledgers["people"].append({"id": "制表人:张伟", "name": "", "party_member": ""})
        ledgers["resident_units"].append({"id": "填表人：王芳", "name": "审核人：李强", "kind": "填报日期：2026年6月30日",
                                          "community_id": "C1"})
    def skipped(note: str) -> str:
        return f"表尾备注, 不是台账行, 已跳过: {note} (a footer note under the table, not a row, skipped: {note})"

    result = load_mutated(tmp_path, mutate)
    assert result.problems == []
    assert [(warning.file, warning.row, warning.column, warning.value, warning.reason)
            for warning in result.warnings] == [
        ("人员.csv", len(minimal_ledgers()["people"]) + 2, None, "制表人:张伟", skipped("制表人:张伟")),
        ("小区.csv", 6, None, "合计", skipped("合计")),
        ("小区.csv", 8, None, "填表人：王芳  审核人：李强  填报日期：2026年6月30日",
         skipped("填表人：王芳  审核人：李强  填报日期：2026年6月30日")),
        ("驻区单位.csv", len(minimal_ledgers()["resident_units"]) + 2, None,
         "填表人：王芳  审核人：李强  填报日期：2026年6月30日  C1",
         skipped("填表人：王芳  审核人：李强  填报日期：2026年6月30日  C1"))]
    assert result.graph.node(("Compound", "X4"))["name"] == "合计小区"
    assert result.rows["compounds"] == 4


def test_a_footer_under_a_worksheet_and_a_total_row_inside_a_table(tmp_path):
    """In a workbook the note under a sheet is skipped the same way; a 合计 row with ledger rows under
    it is inside the table, so it stays a row and its missing values are reported."""
    ledgers = minimal_ledgers()
    ledgers["compounds"].insert(1, {"id": "合计", "name": "", "community_id": ""})
    ledgers["buildings"].append({"id": "制表人：张伟", "name": "", "compound_id": ""})
    result = load_ledgers(write_workbook(tmp_path / "台账.xlsx", ledgers), skip_invalid=True)
    assert [(warning.file, warning.sheet, warning.row, warning.value) for warning in result.warnings
            if warning.column is None] == [("台账.xlsx", "楼栋", len(ledgers["buildings"]) + 1, "制表人：张伟")]
    assert [str(problem) for problem in result.problems] == [
        "台账.xlsx[小区]:3: 小区名称=: 必填项为空 (required value missing)",
        "台账.xlsx[小区]:3: 所属社区编码=: 必填项为空 (required value missing)"]
