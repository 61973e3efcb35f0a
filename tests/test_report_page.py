"""``gridgraph report``: one offline, printable HTML page of an area's audit, with its views beside it."""

import datetime as dt
import re
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from graphmodel import save_snapshot
from gridgraph.cli import main
import queries
from gridgraph.audit import run_audit
from gridgraph.report_page import report_page
from gridgraph.views.style import rate_colour

from graph_factory import GraphFactory
from test_views import AS_OF, EXTERNAL_REFERENCE, XSS, small_city

QUARTERS = [dt.date(2024, 6, 30), dt.date(2025, 3, 31), dt.date(2025, 9, 30), dt.date(2025, 12, 31)]


def test_the_page_holds_rates_charts_blind_spots_and_cross_appointments():
    html = report_page(small_city().graph, scope="S1", as_of=AS_OF, source="city.json.gz")
    assert "S1街道 治理审计报告" in html
    assert "统计日期：2026-06-30" in html and "范围：S1街道（S1）" in html and "数据来源：city.json.gz" in html
    # C1 over S1: XQ1 has a branch, XQ9 none → 50%, drawn as a bar of the 60%-and-under colour.
    assert re.search(r"<td>C1</td><td>小区党组织覆盖率</td><td class=\"num\">1</td>\s*<td class=\"num\">2</td>"
                     r"<td class=\"num\">50%</td>", html)
    assert f'fill="{rate_colour(0.5)}"' in html
    assert "各社区覆盖率" in html and "SQ1社区</text>" in html  # a street's charts are per community
    assert "B1 无党组织小区：1 项" in html and "无党组织" in html
    assert "交叉任职" in html and "X4" in html


def test_the_page_is_self_contained_script_free_and_names_stay_text():
    html = report_page(small_city().graph, scope=None, as_of=AS_OF, source="<b>src</b>")
    assert EXTERNAL_REFERENCE.search(html) is None
    assert "<script" not in html and "<img" not in html
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in html
    assert "&lt;b&gt;src&lt;/b&gt;" in html
    assert "@page { size: A4" in html
    assert "各街道覆盖率" in html  # the whole graph: charts per street
    assert XSS not in html
    assert "<title>D1区 治理审计报告" in html  # titled by its one district, not 全部


def test_cli_writes_the_report_and_the_views_it_links(tmp_path):
    snapshot = save_snapshot(small_city().graph, tmp_path / "city.json.gz")
    out = tmp_path / "报告.html"
    result = CliRunner().invoke(main, ["report", str(snapshot), "--scope", "SQ1", "--as-of", "2026-06-30",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    links = [unquote(link) for link in re.findall(r'<a href="([^"]+)">', html)]
    assert links == ["./报告-overview.html", "./报告-hierarchy.html", "./报告-people.html", "./报告-community.html"]
    assert all((tmp_path / link).is_file() for link in links)
    assert "SQ1社区 社区网络" in (tmp_path / "报告-community.html").read_text(encoding="utf-8")


def contracts_city():
    """SQ1's two compounds: WY1 (with its own party branch) manages XQ1 through 2024; nobody
    manages anything in early 2025; WY2 (no branch) manages XQ2 from July 2025."""
    f = GraphFactory.city()
    xq1, xq2 = f.compound("XQ1", "SQ1"), f.compound("XQ2", "SQ1")
    f.party_org("DZB1", "党支部", based_in=[f.company("WY1", manages=[xq1], start="2024-01-01", end="2024-12-31")])
    f.company("WY2", manages=[xq2], start="2025-07-01")
    return f.graph


def timeline_svgs(html: str) -> list[str]:
    """The timeline's small charts, one SVG each."""
    return [chunk.split("</svg>")[0] for chunk in html.split('<svg class="timeline"')[1:]]


def timeline_points(html: str) -> dict[str, list[list[tuple[float, float]]]]:
    """Each code's polylines as (date, rate) points, read back through each chart's own axes:
    the x of its date labels and the y of its 0% and 100% grid lines. The x of a date not
    labelled is read from the dates labelled, as the chart spaces them by day."""
    lines = {}
    for svg in timeline_svgs(html):
        grid = dict((text, float(y)) for y, text in re.findall(
            r'<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="[\d.]+" stroke="#dddddd"/>\s*<text[^>]*>(\d+%)</text>', svg))
        labelled = sorted((float(x), dt.date.fromisoformat(text)) for x, text in
                          re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">([\d-]+)</text>', svg))
        (x0, first), (x1, last) = labelled[0], labelled[-1]

        def date_at(x: float) -> dt.date:
            return first + dt.timedelta(days=round((x - x0) / (x1 - x0) * (last - first).days))

        for code, points in re.findall(r'<polyline data-code="(\w+)" points="([^"]+)"', svg):
            pairs = [tuple(float(n) for n in point.split(",")) for point in points.split()]
            lines.setdefault(code, []).append(
                [(date_at(x), round((grid["0%"] - y) / (grid["0%"] - grid["100%"]), 3)) for x, y in pairs])
    return lines


def test_several_dates_draw_every_rate_as_a_line_with_gaps_where_not_applicable():
    html = report_page(contracts_city(), scope="SQ1", as_of=QUARTERS, source="city")
    lines = timeline_points(html)
    # C2: compounds under a current contract; C7: of the companies under contract, those with a branch.
    assert lines["C2"] == [list(zip(QUARTERS, [0.5, 0.0, 0.5, 0.5]))]
    assert lines["C7"] == [list(zip(QUARTERS[2:], [0.0, 0.0]))]  # 100% alone on the first date, then a gap
    assert 'data-code="C7" cx=' in html and "C7 2024-06-30 100%（1/1）" in html
    # Every drawn point is the rate of separate audits on that date, and every applicable rate is drawn.
    charted = [code for code, question in queries.QUESTIONS.items() if question.gives_rates]
    separate = {day: {line.series: line.rate for result in run_audit(contracts_city(), charted, scope="SQ1",
                                                                      as_of=day).values()
                      for line in result.rates() if line.total}
                for day in QUARTERS}
    for code, segments in lines.items():
        for day, rate in (point for segment in segments for point in segment):
            assert rate == pytest.approx(separate[day][code], abs=0.005)
    assert "时间序列：2024-06-30、2025-03-31、2025-09-30、2025-12-31" in html and "统计日期：2025-12-31" in html
    assert "C5 楼栋党小组覆盖率（不适用）" in html and "C5" not in lines  # no building: never applicable
    assert "C1 小区党组织覆盖率（不适用）" not in html and "断开处：该日期不适用" in html


def test_each_rate_is_a_small_chart_its_line_labelled_at_its_end_and_a_target_dashed():
    html = report_page(contracts_city(), scope="SQ1", as_of=QUARTERS, source="city", targets={"C2": 0.9})
    charts = timeline_svgs(html)
    # and X2's complete rate, and O1–O3's share closed of each of their 4 + 2 + 2 groups (no grid here: no C16)
    assert len(charts) == len(queries.RATE_CODES) + 1 + 8
    assert max(len(set(re.findall(r'<polyline data-code="(\w+)"', svg))) for svg in charts) == 1  # ≤ 4 lines
    c2 = next(svg for svg in charts if 'data-code="C2"' in svg.split(">")[0])
    last = re.findall(r'<circle data-code="C2" cx="([\d.]+)" cy="([\d.]+)"', c2)[-1]
    assert f'<text class="end-label" x="{float(last[0]) + 4}" y="{float(last[1]) + 3}" font-weight="bold">C2</text>' in c2
    grid = dict((text, float(y)) for y, text in re.findall(r'y1="([\d.]+)" x2="[\d.]+" y2="[\d.]+" stroke="#dddddd"/>'
                                                            r'\s*<text[^>]*>(\d+%)</text>', c2))
    target = float(re.search(r'<line class="target" x1="[\d.]+" y1="([\d.]+)"', c2).group(1))
    assert target == pytest.approx(grid["0%"] - 0.9 * (grid["0%"] - grid["100%"]), abs=0.1)
    assert 'stroke-dasharray="4 3"' in c2 and "目标 90%" in c2
    assert sum('class="target"' in svg for svg in charts) == 1  # only where a target is given


def test_one_date_draws_no_timeline():
    for as_of in (AS_OF, [AS_OF], None):
        html = report_page(contracts_city(), scope="SQ1", as_of=as_of, source="city")
        assert 'class="timeline"' not in html and "<polyline" not in html and "时间序列" not in html


def test_cli_report_over_quarters_draws_the_timeline(tmp_path):
    snapshot = save_snapshot(contracts_city(), tmp_path / "city.json.gz")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", str(snapshot), "--scope", "SQ1", "--as-of-every", "quarter",
                                       "--from", "2024-06-01", "--to", "2025-12-31", "--no-views", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = timeline_points(out.read_text(encoding="utf-8"))
    ends_2024 = [dt.date(2024, 6, 30), dt.date(2024, 9, 30), dt.date(2024, 12, 31)]
    assert lines["C7"] == [[(day, 1.0) for day in ends_2024],
                           [(dt.date(2025, 9, 30), 0.0), (dt.date(2025, 12, 31), 0.0)]]  # no contract in between


def test_cli_refuses_a_missing_folder_in_one_line(tmp_path):
    snapshot = save_snapshot(small_city().graph, tmp_path / "city.json.gz")
    result = CliRunner().invoke(main, ["report", str(snapshot), "-o", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_the_xlsx_report_opens_on_a_summary_with_every_rate_and_a_bar_chart(tmp_path):
    import openpyxl

    import queries
    from gridgraph.reports import write_report

    results = queries.run_group("all", small_city().graph, scope="S1", as_of=AS_OF)
    meta = {"source": "city.json.gz", "scope": "S1", "as_of": "2026-06-30"}
    for lang, sheet_name, first in (("zh", "汇总", "统计日期"), ("en", "Summary", "As of")):
        path = write_report(results, "xlsx", tmp_path / f"audit-{lang}.xlsx", lang=lang, meta=meta)[0]
        workbook = openpyxl.load_workbook(path)
        summary = workbook.worksheets[0]
        assert summary.title == sheet_name and workbook.sheetnames[1].startswith("C1")
        rows = list(summary.iter_rows(values_only=True))
        assert rows[1][:2] == (first, "2026-06-30") and rows[2][1] == "S1" and rows[3][1] == "city.json.gz"
        by_code = {row[0]: row for row in rows[6:]}
        assert by_code["C1"][2:5] == (1, 2, 0.5)
        assert set(by_code) == set(results)
        assert len(summary._charts) == 1
        # A front page: the header stays in view, each code opens its sheet (quoted as Excel quotes).
        assert summary.freeze_panes == "A7"
        links = {cell.value: cell.hyperlink.location for cell in summary["A"][6:] if cell.hyperlink}
        assert set(links) == set(results)
        for code, location in links.items():
            name = location.removesuffix("!A1")[1:-1].replace("''", "'")
            assert name in workbook.sheetnames and name.startswith(f"{code} ")
        # The chart: rows from the top in question order, each bar named by its row's title, rates labelled.
        (chart,) = summary._charts
        (series,) = chart.series
        rated = [row for row in rows[6:] if row[4] is not None]
        assert (series.cat.strRef or series.cat.numRef).f == f"{sheet_name}!$B$7:$B${6 + len(rated)}"
        assert series.val.numRef.f == f"{sheet_name}!$E$7:$E${6 + len(rated)}"
        assert series.tx.v == ("覆盖率" if lang == "zh" else "Coverage rate") and series.dLbls.showVal
        assert chart.x_axis.scaling.orientation == "maxMin"  # the category axis: C1 at the top
    grid_type_rows = [row[1:5] for row in rows[6:] if row[0] == "C16"]  # one per grid type, as rates
    assert grid_type_rows == [("Compounds per grid type (one network): comprehensive", 1, 2, 0.5)]


def test_terminal_tables_drop_empty_columns_cut_long_lists_and_hide_internal_codes():
    from gridgraph.reports import render_tables
    from queries.tables import Column, Table

    sources = "；".join(f"党组织 第{number}社区党委(兼职委员)" for number in range(12))
    table = Table("X3", "X3 兼职委员", "X3 Part-time", [
        Column("name", "姓名", "Name"), Column("kinds", "任职组织类型", "Kinds"), Column("sources", "来源组织", "From")],
        [{"name": "叶志", "kinds": None, "sources": sources}])
    text = render_tables([table], "table")
    assert "任职组织类型" not in text  # empty throughout
    assert text.splitlines()[-1].rstrip() == "叶志  党组织 第0社区党委(兼职委员) …+11"  # what fits, and a count
    assert max(len(line) for line in text.splitlines()) < 100
    stats = Table("stats-labels", "节点", "Nodes", [Column("n", "数量", "Count")], [{"n": 1}])
    assert render_tables([stats], "table").startswith("节点\n")  # no internal code in the heading


def test_english_reports_translate_what_the_tool_wrote_and_keep_ledger_names():
    import queries
    from gridgraph.reports import render

    results = queries.run_group("all", small_city().graph, scope="S1", as_of=AS_OF)
    english = render({code: results[code] for code in ("C1", "B1", "X1")}, "table", lang="en")
    assert "Total" in english and "合计" not in english
    assert "Compound" in english and "no party organisation" in english and "无党组织" not in english
    assert "Party Org, Owner Committee" in english or "Owner Committee, Party Org" in english
    assert "SQ1社区" in english  # a name from the ledgers stays as written
    chinese = render({"C1": results["C1"]}, "table", lang="zh")
    assert "合计" in chinese and "Total" not in chinese


def test_no_internal_grid_type_code_reaches_a_reader():
    from gridgraph.reports import value_text

    assert value_text("comprehensive:WG1") == "综合网格 WG1"
    assert value_text("comprehensive:WG1", "en") == "comprehensive WG1"
    assert value_text("WG1@SQ2") == "WG1@SQ2"  # no grid type code: left as it is
    # A building in two grids: both, joined, each named by its grid's name when the page knows it.
    assert value_text("comprehensive:WG1; comprehensive:WG2", grid_names={"WG1": "第1网格"}) == \
        "综合网格 第1网格；综合网格 WG2"
    assert value_text("comprehensive:WG1; WG1@SQ2") == "comprehensive:WG1; WG1@SQ2"


def test_a_view_names_its_source(tmp_path):
    snapshot = save_snapshot(small_city().graph, tmp_path / "city.json.gz")
    out = tmp_path / "v.html"
    result = CliRunner().invoke(main, ["view", "hierarchy", "S1", str(snapshot), "-o", str(out), "--as-of", "2026-06-30"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "统计日期 2026-06-30" in html and f"数据来源 {snapshot}" in html


def test_the_page_draws_one_rate_per_grid_type_and_the_case_questions():
    from test_audits import JUNAN_GRID_TYPES, junan_county

    html = report_page(junan_county().graph, scope="371327", as_of=AS_OF, source="莒南.snapshot")
    for grid_type in JUNAN_GRID_TYPES:  # 一张网: each of the 18 kinds its own row and chart
        assert re.search(rf"<td>C16</td><td>网格类型覆盖：{grid_type}</td><td class=\"num\">\d+</td>\s*"
                         r"<td class=\"num\">148</td>", html)
    assert re.search(r"<td>C18</td><td>诉求结案率</td><td class=\"num\">497</td>\s*<td class=\"num\">497</td>"
                     r"<td class=\"num\">100%</td>", html)
    assert "B16 诉求高发小区：" in html and "B17 黑榜物业仍在服务：0 项" in html
