"""Issue 29 (hardening, round two), the findings that need no live server: each test failed on
the code before its fix."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import traceback
from pathlib import Path
from urllib.parse import unquote

import click
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel import save_snapshot
from graphmodel.errors import QueryError
from graphmodel.graph import GovernanceGraph
import queries
from gridgraph.audit import check_listing
from gridgraph.cli import main
from graphmodel.privacy import hash_id_number
from gridgraph.cli.options import DateListType, DateType
from gridgraph.report_page import report_page
from gridgraph.views import ViewTooLarge, build_view
from gridgraph.views import build as view_building
from loaders import load_ledgers
from loaders.store import open_graph
from loaders.reading import MAX_ROWS_VARIABLE

from graph_factory import GraphFactory
from ledger_factory import minimal_ledgers, write_ledgers, write_workbook
from test_views import small_city


def gridgraph(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.output


# -- finding 9: a report's file name becomes a link ---------------------------------------------
def test_links_to_the_views_are_relative_percent_encoded_and_never_a_scheme(tmp_path):
    snapshot = save_snapshot(small_city().graph, tmp_path / "city.json.gz")
    out = tmp_path / "javascript:alert(1)#?.html"
    code, output = gridgraph("report", snapshot, "--scope", "SQ1", "--as-of", "2026-06-30", "-o", out)
    assert code == 0, output
    links = re.findall(r'<a href="([^"]+)">', out.read_text(encoding="utf-8"))
    assert links == ["./javascript%3Aalert%281%29%23%3F-overview.html",
                     "./javascript%3Aalert%281%29%23%3F-hierarchy.html",
                     "./javascript%3Aalert%281%29%23%3F-people.html",
                     "./javascript%3Aalert%281%29%23%3F-community.html"]
    assert all((tmp_path / unquote(link)).is_file() for link in links)


# -- finding 8: tracebacks; finding 4: timelines without bound; finding 11: --min-area nan ---------
@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> Path:
    return save_snapshot(small_city().graph, tmp_path_factory.mktemp("city") / "city.snapshot")


@pytest.mark.parametrize("args, message", [
    (["audit", "B16", "--as-of", "0001-03-30"], "0001-03-30 is outside 0002-01-01 … 9998-12-31"),
    (["audit", "C1", "--as-of-every", "month", "--from", "9998-01-01", "--to", "9999-12-31"],
     "9999-12-31 is outside 0002-01-01 … 9998-12-31"),
    (["audit", "C14", "--min-area", "nan"], "'nan' is not a finite number"),
    (["audit", "C14", "--min-area", "inf"], "'inf' is not a finite number"),
    (["audit", "X5", "--max-posts", str(2 ** 64)], "is not in the range 0<=x<=9223372036854775807"),
    (["audit", "B16", "--min-cases", str(2 ** 64)], "is not in the range 1<=x<=9223372036854775807"),
    (["audit", "X5", "--neo4j", "--uri", "bolt://127.0.0.1:1", "--max-posts", str(2 ** 64)],
     "is not in the range 0<=x<=9223372036854775807"),  # refused before the driver could overflow
    (["audit", "B16", "--neo4j", "--uri", "bolt://127.0.0.1:1", "--min-cases", str(-2 ** 64)],
     "is not in the range 1<=x<=9223372036854775807"),
    (["report", "--as-of-every", "month", "--from", "1000-01-01", "--to", "9998-12-31"],
     "--as-of-every month from 1000-01-01 to 9998-12-31 asks about 107988 dates; "
     "a timeline has at most 120"),
    (["audit", "C1", "--as-of-every", "quarter", "--from", "2020-01-01", "--to", "2026-12-31",
      "--max-dates", "27"], "asks about 28 dates; a timeline has at most 27"),
    (["audit", "C1", "--as-of", "2026-01-31,2026-02-28,2026-03-31", "--max-dates", "2"],
     "--as-of names 3 dates; a timeline has at most 2"),
])
def test_out_of_range_options_are_one_error_line(args, message, snapshot, tmp_path):
    command, *rest = args
    where = [snapshot, "-o", tmp_path / "r.html"] if command == "report" else [snapshot]
    head = [command, rest[0], *where, *rest[1:]] if command == "audit" else [command, *where, *rest]
    code, output = gridgraph(*head)
    assert code in (1, 2) and message in output, output
    assert "Traceback" not in output


def test_a_timeline_at_the_cap_runs(snapshot):
    code, output = gridgraph("audit", "C1", snapshot, "--as-of-every", "quarter", "--from",
                             "2020-01-01", "--to", "2026-12-31", "--max-dates", "28",
                             "--format", "csv")
    assert code == 0, output
    assert "2020-03-31" in output and "2026-12-31" in output


@pytest.mark.parametrize("text, message", [
    ("n=" + str(2 ** 63), f"parameter n: {2 ** 63} is beyond Neo4j's 64-bit integers"),
    ("n:int=-" + str(2 ** 63 + 1), f"parameter n: -{2 ** 63 + 1} is beyond Neo4j's 64-bit integers"),
    ("ids=[1, {\"a\": " + str(10 ** 400) + "}]", "parameter ids: 10000000000000000000… (401 digits) is beyond"),
    ("deep:json=" + "[" * 5000 + "]" * 5000, "parameter deep: nested deeper than 32 levels"),
    ("deep=" + "[" * 40 + "]" * 40, "parameter deep: nested deeper than 32 levels"),
])
def test_parameters_neo4j_cannot_take_are_refused_before_connecting(text, message):
    code, output = gridgraph("cypher", "RETURN $x AS x", "--param", text,
                             "--uri", "bolt://127.0.0.1:1")
    assert code == 1 and output.startswith(f"Error: {message}"), output


def test_a_port_that_is_not_a_number_is_one_error_line():
    code, output = gridgraph("cypher", "RETURN 1 AS x", "--uri", "bolt://127.0.0.1:notaport")
    assert code == 1 and output.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:notaport"), output
    assert "Hint: check NEO4J_URI" in output


# Every date, integer and number option of every command, given hostile values: never a traceback.
SAMPLE_TARGETS = Path(__file__).resolve().parent.parent / "loaders" / "sample_targets.csv"
_DATES = st.one_of(st.dates().map(dt.date.isoformat),
                   st.sampled_from(["0001-01-01", "0001-03-30", "9999-12-31", "0000-00-00"]))
_INTEGERS = st.one_of(st.integers(-2 ** 70, 2 ** 70).map(str),
                      st.sampled_from([str(2 ** 63), str(-2 ** 63 - 1), "1" * 400]))
_NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                     st.sampled_from(["nan", "-inf", "1e400", "1" * 400]))


def _numeric_options(command: click.Command) -> list[tuple[str, st.SearchStrategy]]:
    options = []
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        if isinstance(param.type, DateListType):
            options.append((param.opts[0], st.lists(_DATES, min_size=1, max_size=3).map(",".join)))
        elif isinstance(param.type, DateType):
            options.append((param.opts[0], _DATES))
        elif isinstance(param.type, click.types.IntParamType):
            options.append((param.opts[0], _INTEGERS))
        elif isinstance(param.type, click.types.FloatParamType):
            options.append((param.opts[0], _NUMBERS))
    return options


def _commands(group: click.Group = main, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    found = {}
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found.update(_commands(command, (*path, name)))
        elif _numeric_options(command):
            found[(*path, name)] = command
    return found


def _base_args(path: tuple[str, ...], snapshot: Path, out: Path) -> list:
    """The least a command needs to get past its own arguments (Neo4j commands: no server)."""
    return {
        ("audit",): ["audit", "all", snapshot],
        ("cypher",): ["cypher", "RETURN 1 AS x", "--uri", "bolt://127.0.0.1:1"],
        ("diff",): ["diff", snapshot, snapshot],
        ("dossier",): ["dossier", "XQ1", snapshot, "-o", out / "dossier.md"],
        ("load",): ["load", out / "missing-ledgers", "--neo4j", "--uri", "bolt://127.0.0.1:1"],
        ("queries", "run"): ["queries", "run", "party_tree", "--uri", "bolt://127.0.0.1:1"],
        ("report",): ["report", snapshot, "-o", out / "report.html", "--no-views"],
        ("sample",): ["sample", out / "sample", "--scale", "community", "--overwrite"],
        ("targets",): ["targets", SAMPLE_TARGETS, snapshot],
        ("view",): ["view", "overview", "D1", snapshot, "-o", out / "view.html"],
    }[path]


def test_every_command_with_date_or_number_options_is_listed_here():
    assert set(_commands()) == {("audit",), ("cypher",), ("diff",), ("dossier",), ("load",), ("queries", "run"),
                                ("report",), ("sample",), ("targets",), ("view",)}


@pytest.mark.parametrize("path", sorted(_commands()), ids=" ".join)
def test_no_date_or_number_option_ends_in_a_traceback(path, snapshot, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    options = _numeric_options(_commands()[path])
    chosen = st.lists(st.sampled_from(options), min_size=1, max_size=3, unique_by=lambda o: o[0])

    @settings(max_examples=4 if path == ("sample",) else 12, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def check(data):
        args = [*_base_args(path, snapshot, out)]
        for name, values in data.draw(chosen):
            args += [name, data.draw(values)]
        if "--from" in args and "--as-of-every" not in args and path in (("audit",), ("report",)):
            args += ["--as-of-every", "quarter"]
        result = CliRunner().invoke(main, [str(arg) for arg in args])
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (args, "".join(traceback.format_exception(result.exception)))

    check()


# -- finding 6: ID numbers and phones in free text ------------------------------------------------
ID = "371327199301310603"  # valid: born 1993-01-31, check digit 3
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.mark.parametrize("written", [
    "371327 19930131 0603", "371327-19930131-0603", "371327.19930131.0603",
    "371327\u00a019930131\u00a00603", "371327\u300019930131\u30000603", ID.translate(FULL_WIDTH),
    "３７１３２７ １９９３０１３１ ０６０３", "3713 2719 9301 3106 03", "371327－19930131－0603",
])
def test_an_id_number_in_a_cases_text_is_refused_however_it_is_written(written, tmp_path):
    ledgers = minimal_ledgers()
    ledgers["cases"][0]["name"] = f"居民反映漏水，身份证{written}，请处理"
    code, output = gridgraph("validate", write_ledgers(tmp_path / "台账", ledgers))
    assert code == 1, output
    assert "诉求内容" in output and "含有身份证号" in output
    digits = written.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    assert ID not in "".join(ch for ch in output if ch.isdigit()), output
    assert digits not in output and written not in output


@pytest.mark.parametrize("column", ["name", "备注"])  # a text column of the ledger; an extra one
def test_an_id_number_typed_as_a_number_in_a_text_column_is_refused(column, tmp_path):
    ledgers = minimal_ledgers()
    for row in ledgers["cases"]:
        row[column] = row.get(column, "")
    workbook = write_workbook(tmp_path / "台账.xlsx", ledgers)
    book = openpyxl.load_workbook(workbook)
    sheet = book["诉求工单"]
    index = [cell.value for cell in sheet[1]].index("诉求内容" if column == "name" else column) + 1
    sheet.cell(row=2, column=index).value = float(ID)  # what Excel keeps: 15 significant digits
    book.save(workbook)
    code, output = gridgraph("validate", workbook)
    assert code == 1, output
    assert ("诉求内容=" if column == "name" else "备注=") + "*" * 14 + "0592: 存成了数字的长号码" in output
    assert "3713271993013" not in output


def _with_phones(folder: Path) -> Path:
    """A compound (listed by B1: it has no party organisation) and a case whose names hold phones."""
    factory = GraphFactory.city()
    compound = factory.compound("XQ1", "SQ1")
    factory.graph.node(compound)["name"] = "幸福小区（物业电话 138 1234 5678）"
    case = factory.case("GD1", compound, "2026-06-01")
    factory.graph.node(case)["name"] = "漏水，居民电话１３９８７６５４３２１"
    return save_snapshot(factory.graph, folder / "phones.snapshot")


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "md"])
def test_a_phone_in_a_name_is_masked_in_every_report_format(fmt, tmp_path):
    snapshot = _with_phones(tmp_path)
    code, output = gridgraph("audit", "B1", snapshot, "--format", fmt, "--as-of", "2026-06-30")
    assert code == 0, output
    assert "138****5678" in output and "1234 5678" not in output
    code, output = gridgraph("audit", "B1", snapshot, "--format", fmt, "--as-of", "2026-06-30",
                             "--show-pii")
    assert "138 1234 5678" in output


def test_a_phone_in_a_name_is_masked_in_graphml_unless_asked(tmp_path):
    snapshot = _with_phones(tmp_path)
    assert gridgraph("export", "graphml", tmp_path / "g.graphml", "--from", snapshot)[0] == 0
    text = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert "幸福小区（物业电话 138****5678）" in text and "漏水，居民电话139****4321" in text
    assert "1234 5678" not in text and "８７６５" not in text
    assert gridgraph("export", "graphml", tmp_path / "all.graphml", "--from", snapshot,
                     "--include-pii")[0] == 0
    assert "138 1234 5678" in (tmp_path / "all.graphml").read_text(encoding="utf-8")


# -- finding 11: small things ---------------------------------------------------------------------
def test_a_400_digit_area_is_too_large_not_negative(tmp_path):
    ledgers = minimal_ledgers()
    ledgers["venues"][0]["area_m2"] = "1" * 400
    code, output = gridgraph("validate", write_ledgers(tmp_path / "台账", ledgers))
    assert code == 1, output
    assert "面积过大或不是数字 (an area is a finite number of m²)" in output and "负数" not in output


def test_a_full_width_id_number_in_its_column_is_hashed_as_the_plain_one(tmp_path):
    ledgers = minimal_ledgers()
    plain = ledgers["people"][0]["id_number"]
    ledgers["people"][0]["id_number"] = plain.translate(FULL_WIDTH)
    ledgers["people"][1]["id_number"] = plain  # the same person's number, written plainly
    code, output = gridgraph("validate", write_ledgers(tmp_path / "台账", ledgers))
    assert code == 0, output
    graph = load_ledgers(tmp_path / "台账").graph
    hashes = [graph.node(("Person", person))["id_hash"] for person in ("R1", "R2")]
    assert hashes[0] == hashes[1] == hash_id_number(plain)


def test_a_long_party_cycle_names_its_first_organisations_and_counts_them(tmp_path):
    ledgers = minimal_ledgers()
    size = 1000
    ledgers["party_orgs"] += [
        {"id": f"Q{n:04}", "name": f"第{n}党支部", "kind": "党支部", "parent_id": f"Q{(n + 1) % size:04}",
         "based_in_type": "", "based_in_id": ""} for n in range(size)]
    code, output = gridgraph("validate", write_ledgers(tmp_path / "台账", ledgers), "--all")
    assert code == 1, output
    cycle_lines = [line for line in output.splitlines() if "UNDER cycle" in line]
    assert len(cycle_lines) == size
    assert "(UNDER cycle: Q0000 → Q0001 → Q0002 → Q0003 → Q0004 → … (1000 organisations) → Q0000)" \
        in cycle_lines[0]
    assert max(len(line) for line in cycle_lines) < 300


# -- finding 7: two ratings of one company by one rater on one date -------------------------------
def _ratings(first: str, second: str) -> dict:
    ledgers = minimal_ledgers()
    same = {"company_id": "WY1", "rated_by_type": "社区", "rated_by_id": "C1", "date": "2026-06-30",
            "period": "2026年第二季度"}
    ledgers["property_ratings"] = [{**same, "result": first}, {**same, "result": second}]
    return ledgers


@pytest.mark.parametrize("first, second", [("黑名单", "红榜"), ("红榜", "黑名单")])
def test_two_different_ratings_on_one_date_are_refused_naming_both_rows(first, second, tmp_path):
    folder = write_ledgers(tmp_path / "台账", _ratings(first, second))
    code, output = gridgraph("validate", folder)
    assert code == 1, output
    problems = [line for line in output.splitlines() if "同一日期有不同的评价" in line]
    assert [line.split(":")[1] for line in problems] == ["2", "3"]
    assert all("rows 2, 3: keep one" in line for line in problems)
    result = load_ledgers(folder, skip_invalid=True)
    assert list(result.graph.relationships("RATED")) == []  # neither row wins


def test_the_same_rating_twice_is_counted_once_with_a_warning(tmp_path):
    folder = write_ledgers(tmp_path / "台账", _ratings("黑名单", "黑名单"))
    result = load_ledgers(folder)
    assert len(list(result.graph.relationships("RATED"))) == 1
    assert [(warning.row, warning.reason) for warning in result.warnings
            if "同一条评价" in warning.reason] == [
        (3, "与第2行是同一条评价, 只计一次 (the same rating as row 2, counted once)")]


# -- finding 10: diff across districts ------------------------------------------------------------
def _district(code: str, extra: str | None = None) -> GovernanceGraph:
    factory = GraphFactory()
    for district in (code, extra) if extra else (code,):
        factory.district(district)
        factory.street(f"{district}S", district)
        factory.community(f"{district}SQ", f"{district}S")
        factory.compound(f"{district}XQ", f"{district}SQ")
    return factory.graph


@pytest.fixture
def districts(tmp_path) -> dict[str, Path]:
    return {name: save_snapshot(graph, tmp_path / f"{name}.snapshot")
            for name, graph in (("371327", _district("371327")), ("110105", _district("110105")),
                                ("both", _district("371327", "110105")))}


def test_a_diff_of_two_districts_sharing_none_is_refused_and_fail_if_worse_fails(districts):
    code, output = gridgraph("diff", districts["371327"], districts["110105"], "--fail-if-worse", "C1")
    assert code == 1, output
    assert output.startswith("Error: OLD and NEW share no district (OLD: 371327; NEW: 110105)"), output
    code, output = gridgraph("diff", districts["371327"], districts["110105"], "--allow-different-areas")
    assert code == 1 and "share no district" in output


def test_a_diff_of_partly_shared_districts_needs_the_flag_and_warns(districts):
    code, output = gridgraph("diff", districts["371327"], districts["both"])
    assert code == 1, output
    assert ("Error: OLD and NEW share only some districts (both: 371327; only OLD: none; "
            "only NEW: 110105)") in output and "--allow-different-areas" in output
    code, output = gridgraph("diff", districts["371327"], districts["both"], "--allow-different-areas")
    assert code == 0, output
    assert ("warning: OLD and NEW share only some districts (only OLD: none; only NEW: 110105); "
            "their rates count different areas") in output


@pytest.mark.parametrize("fmt, start", [("table", ""), ("md", "_")])
def test_the_table_and_markdown_headers_name_both_sides_and_dates(fmt, start, districts):
    old, new = districts["371327"], districts["both"]
    code, output = gridgraph("diff", old, new, "--allow-different-areas", "--format", fmt,
                             "--as-of-old", "2026-03-31", "--as-of-new", "2026-06-30")
    assert code == 0, output
    assert (f"{start}统计日期 2026-03-31 → 2026-06-30 · 范围 全部 · 数据来源 {old} → {new}{start}\n"
            in output), output


def test_csv_and_xlsx_open_with_a_summary_of_what_was_compared(districts, tmp_path):
    old, new = districts["371327"], districts["both"]
    args = [old, new, "--allow-different-areas", "--as-of-old", "2026-03-31", "--as-of-new", "2026-06-30"]
    code, output = gridgraph("diff", *args, "--format", "csv")
    assert code == 0, output
    rows = list(csv.reader(io.StringIO(output[output.index("表,"):])))
    summary = [row[1:4] for row in rows if row[0] == "diff-summary"]
    assert summary == [["对比", str(old), str(new)],
                       ["统计日期", "2026-03-31", "2026-06-30"],
                       ["范围", "全部", "全部"],
                       ["区县", "371327", "110105, 371327"],
                       ["仅此一方的区县", "", "110105"]]
    assert gridgraph("diff", *args, "--format", "xlsx", "-o", tmp_path / "diff.xlsx")[0] == 0
    book = openpyxl.load_workbook(tmp_path / "diff.xlsx")
    assert book.sheetnames[0] == "diff-summary 对比说明"
    assert [list(row) for row in book.worksheets[0].iter_rows(values_only=True)] == [
        ["项目", "原 (OLD)", "现 (NEW)"], *summary]


# -- finding 5: memory under the row ceiling ------------------------------------------------------
@pytest.mark.parametrize("kind, area", [("community", "SQ1"), ("street", "S1"), ("hierarchy", "D1"),
                                        ("people", "D1")])
def test_a_view_over_its_limit_is_refused_before_any_audit_runs(kind, area, monkeypatch):
    def no_audit(*args, **kwargs):
        raise AssertionError("an audit ran for a view that is refused anyway")

    monkeypatch.setattr(view_building.audits, "blind_spot_marks", no_audit)
    monkeypatch.setattr(view_building.audits, "cross_appointment_marks", no_audit)
    with pytest.raises(ViewTooLarge, match="is more than the limit of 0"):
        build_view(kind, small_city().graph, area, limit=0)


def test_a_community_view_over_its_limit_is_refused_without_making_its_buildings(tmp_path):
    """On 1.99 M buildings the refusal made every building's dict (2 GB, 14 s); now 970 MB, 10 s."""
    graph = open_graph(save_snapshot(_many_buildings(12), tmp_path / "big.snapshot"))
    with pytest.raises(ViewTooLarge, match="its own nodes alone: 1[0-9] nodes is more than the limit of 10"):
        build_view("community", graph, "SQ1", limit=10)
    assert "Building" in graph._attrs.unmade


def test_the_report_page_lists_the_first_rows_and_counts_the_rest():
    graph = small_city().graph
    full = report_page(graph, scope=None, as_of=dt.date(2026, 6, 30), source="city")
    assert "项未列出" not in full
    short = report_page(graph, scope=None, as_of=dt.date(2026, 6, 30), source="city", list_rows=1)
    blind_spots = short[short.index('<section id="blindspots">'):]
    blind_spots = blind_spots[:blind_spots.index("</section>")]
    counted = re.findall(r"：(\d+) 项</h3>", blind_spots)
    more = re.findall(r"另有 (\d+) 项未列出（共 (\d+) 项；完整清单：gridgraph audit (\w+) --format xlsx）", blind_spots)
    assert more and all(int(shown) - 1 == int(rest) for rest, shown, _ in more)
    assert sorted(int(total) for _, total, _ in more) == sorted(int(n) for n in counted if int(n) > 1)
    assert len(short) < len(full)


def test_a_phone_in_a_name_is_masked_on_the_report_page(tmp_path):
    snapshot = _with_phones(tmp_path)
    out = tmp_path / "report.html"
    code, output = gridgraph("report", snapshot, "--as-of", "2026-06-30", "-o", out, "--no-views")
    assert code == 0, output
    html = out.read_text(encoding="utf-8")
    assert "幸福小区（物业电话 138****5678）" in html and "1234 5678" not in html


def _many_buildings(count: int) -> GovernanceGraph:
    """One compound of ``count`` buildings (none in a grid: all in B5) in SQ1, and one in SQ3."""
    factory = GraphFactory.city()
    factory.compound("XQ1", "SQ1", buildings=count)
    factory.compound("XQ3", "SQ3", buildings=1)
    return factory.graph


@pytest.mark.parametrize("command", [["audit", "C5,B5"], ["report"]])
def test_an_answer_that_could_list_more_than_the_ceiling_allows_is_refused_first(command, tmp_path,
                                                                                  monkeypatch):
    snapshot = save_snapshot(_many_buildings(12), tmp_path / "big.snapshot")
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "80")  # lists of 10 at most
    args = [*command, snapshot, "--as-of", "2026-06-30", *(["-o", tmp_path / "r.html"] if command == ["report"] else [])]
    code, output = gridgraph(*args)
    assert code == 1, output
    # C5 comes first: a rate lists what it misses, and every building could be missing a party group.
    assert ("Error: C5 could list up to 13 Building (about 0.0 GB in memory); one question lists "
            "at most 10 here (an eighth of GRIDGRAPH_MAX_ROWS)") in output
    assert "Hint: narrow --scope to a street or community" in output
    assert [path.name for path in tmp_path.iterdir()] == ["big.snapshot"]  # no report, no view
    code, output = gridgraph("audit", "B5", snapshot, "--as-of", "2026-06-30")
    assert code == 1 and "Error: B5 could list up to 13 Building" in output, output
    code, output = gridgraph("audit", "B5", snapshot, "--as-of", "2026-06-30", "--scope", "SQ3")
    assert code == 0, output  # one building there
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "104")  # 13 listed at most
    assert gridgraph("audit", "C5,B5", snapshot, "--as-of", "2026-06-30")[0] == 0


def test_the_listing_ceiling_counts_buildings_without_making_them(tmp_path, monkeypatch):
    """On 1.99 M buildings, making each one's dict to count them took the refusal of `audit B5`
    from 590 MB to 1.8 GB (benchmarks/listing_ceiling.py); a snapshot's count needs none."""
    graph = open_graph(save_snapshot(_many_buildings(12), tmp_path / "big.snapshot"))
    monkeypatch.setenv(MAX_ROWS_VARIABLE, "80")
    with pytest.raises(QueryError, match="B5 could list up to 13 Building"):
        check_listing(queries.backend_for(graph), ["B5"])
    assert "Building" in graph._attrs.unmade
