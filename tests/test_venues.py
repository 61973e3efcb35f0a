"""Venues (党群服务阵地) and S1 beyond the questions: snapshots, exports, views, the report page, the CLI
and the sample generator. The questions themselves are tested by their cases
(queries/questions/<CODE>/cases.toml) and in test_audits."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

import queries
from graphmodel.snapshot import load_snapshot, save_snapshot
from gridgraph.cli import main
from gridgraph.export import export_neo4j_admin
from gridgraph.report_page import report_page
from gridgraph.views import community_view
from gridgraph.views.style import MARK_COLOUR
from loaders import load_ledgers
from loaders.sample import DEFAULT_AS_OF, SCALES, SampleRates, district_rows, generate_sample
from graph_factory import GraphFactory
from test_views import AS_OF, small_city


def venue_city() -> GraphFactory:
    """The views' small city with a 同心驿 in building XQ1-2 (so XQ9 is the compound without one)."""
    f = small_city()
    f.venue("ZD1", ("Building", "XQ1-2"), "同心驿", area_m2=120.5, is_open=True)
    f.venue("ZD2", ("Community", "SQ1"), "社区书屋")  # a kind the schema does not name
    return f


def test_venues_survive_a_snapshot_with_their_types(tmp_path):
    graph = venue_city().graph
    opened = load_snapshot(save_snapshot(graph, tmp_path / "g.snapshot"))
    assert opened.node(("Venue", "ZD1")) == graph.node(("Venue", "ZD1"))
    assert opened.node(("Venue", "ZD1"))["area_m2"] == 120.5 and opened.node(("Venue", "ZD1"))["open"] is True
    assert opened.node(("Venue", "ZD2"))["kind"] == "社区书屋"
    assert [key for key, _ in opened.out(("Venue", "ZD1"), "LOCATED_IN")] == [("Building", "XQ1-2")]
    assert queries.run("S1", opened, as_of=AS_OF) == queries.run("S1", graph, as_of=AS_OF)


def test_the_neo4j_admin_export_types_venue_columns(tmp_path):
    result = export_neo4j_admin(venue_city().graph, tmp_path / "out")
    with (tmp_path / "out" / "Venue.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header[:6] == ["id:ID(Venue)", ":LABEL", "name", "kind", "area_m2:double", "open:boolean"]
    assert ["ZD1", "Venue", "ZD1同心驿", "tongxin", "120.5", "true"] == rows[0][:6]
    assert "LOCATED_IN__Venue__Building.csv" in result.relationship_files


def test_the_community_view_draws_venues_and_marks_a_compound_without_one():
    view = community_view(venue_city().graph, "SQ1", as_of=AS_OF)
    nodes = {node["id"]: node for node in view.nodes}
    assert {"Venue:ZD1", "Venue:ZD2"} <= set(nodes)
    assert ("Venue:ZD1", "Building:XQ1-2") in {(edge["from"], edge["to"]) for edge in view.edges}
    without = nodes["Compound:XQ9"]
    assert without["shadow"]["color"] == MARK_COLOUR and "B12" in without["codes"]  # a red halo
    assert "B12 无阵地小区" in without["title"]
    assert "B12" not in nodes["Compound:XQ1"].get("codes", ())  # its venue is in one of its buildings


def test_the_report_page_prints_the_structure_table():
    html = report_page(venue_city().graph, scope="S1", as_of=AS_OF, source="city")
    assert "<h2>组织体系与统计</h2>" in html and "S1 组织体系统计" in html
    assert "<th>党员中心户</th>" in html and "<th>阵地</th>" in html
    assert "C13" in html and "C14" in html and "B12 无阵地小区：1 项" in html


def test_cli_min_area_reaches_c14_and_s1_answers_in_json(tmp_path):
    path = save_snapshot(venue_city().graph, tmp_path / "g.snapshot")
    runner = CliRunner()
    strict = runner.invoke(main, ["audit", "C14", str(path), "--as-of", "2026-06-30", "--format", "json"])
    lenient = runner.invoke(main, ["audit", "C14", str(path), "--as-of", "2026-06-30", "--format", "json",
                                   "--min-area", "100"])
    assert strict.exit_code == 0 and lenient.exit_code == 0, strict.output + lenient.output
    rate = {name: json.loads(result.output)["results"][0]["result"] for name, result in
            (("strict", strict), ("lenient", lenient))}
    assert rate["strict"]["numerator"] == 0 and rate["lenient"]["numerator"] == 1
    structure = runner.invoke(main, ["audit", "structure", str(path), "--as-of", "2026-06-30", "--by", "community",
                                     "--format", "json"])
    assert structure.exit_code == 0, structure.output
    (answer,) = (entry["result"] for entry in json.loads(structure.output)["results"])
    assert answer["by"] == "community" and answer["total"]["venues"] == 2


def test_the_county_sample_plants_every_kind_of_venue(tmp_path):
    """Venues in buildings, compounds, grids and communities, compounds with none, communities under
    and over 500 m², venues without an area, closed ones and kinds the schema does not name."""
    rows = [row for district in district_rows(SCALES["county"], SampleRates(), DEFAULT_AS_OF, 7)
            for row in district["venues"]]
    assert {"building", "compound", "community", "grid"} <= {row.located_type.value for row in rows}
    assert any(row.area_m2 is None for row in rows) and any(row.open is False for row in rows)
    assert "红色物业驿站" in {row.kind for row in rows}
    generate_sample(tmp_path, scale="county", seed=7)
    graph = load_ledgers(tmp_path).graph
    c13, c14 = (queries.run(code, graph, as_of=DEFAULT_AS_OF) for code in ("C13", "C14"))
    assert 0 < c13.numerator < c13.denominator and 0 < c14.numerator < c14.denominator
