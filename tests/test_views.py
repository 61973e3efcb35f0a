"""Network views: what each view shows, how it is marked and laid out, and the HTML it renders."""

import datetime as dt
import re

import pytest
from click.testing import CliRunner

from graphmodel import GovernanceGraph, save_snapshot
from graphmodel.schema import NODE_MODELS
from gridgraph.cli import main
from graphmodel.schema import Compound
from gridgraph.views import (ViewRenderError, ViewTooLarge, build_view, community_view, hierarchy_view,
                              overview, people_view, render_html, street_view, write_view)
from gridgraph.views import build as view_build
from gridgraph.views import render as view_render
from gridgraph.views.layout import radial_layout, tree_layout
from gridgraph.views.style import HIGHLIGHT_COLOUR, MARK_COLOUR

from graph_factory import GraphFactory

AS_OF = dt.date(2026, 6, 30)
XSS = '<img src=x onerror="window.__xss=1">'
# What a browser would fetch by itself: src/href attributes, CSS url() and @import leaving the file.
EXTERNAL_REFERENCE = re.compile(
    r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:|//)|url\(\s*["']?\s*(?:https?:|//)|@import""",
    re.IGNORECASE)


def small_city() -> GraphFactory:
    """D1 > S1 > SQ1 (two compounds, one named like an XSS payload), SQ2; D1 > S2 > SQ3."""
    f = GraphFactory.city()
    g = f.graph
    xq1 = f.compound("XQ1", "SQ1", buildings=2)
    xq9 = g.add(Compound(id="XQ9", name=XSS))
    g.relate("PART_OF", xq9, ("Community", "SQ1"))
    f.compound("XQ3", "SQ3", buildings=1)
    f.party_org("JDGW", "党工委", based_in=[("Street", "S1")])
    f.party_org("SQDW", "党委", based_in=[("Community", "SQ1")], parent="JDGW")
    branch = f.party_org("DZB1", "党支部", based_in=[xq1], parent="SQDW")
    f.party_org("DXZ1", "党小组", based_in=[("Building", "XQ1-1")], parent="DZB1")
    f.party_org("DZB3", "党支部", based_in=[("Compound", "XQ3")])
    company = f.company("WY1", manages=[xq1], start="2024-01-01")
    f.company("WY0", manages=[xq1], start="2020-01-01", end="2023-12-31")  # expired: not shown
    committee = f.committee("YWH1", xq1, term_start="2024-01-01", term_end="2028-12-31")
    f.grid("WG1", "SQ1", covers=(xq1,))
    linker = f.person("P1", party_member=True)
    f.post(linker, branch, "书记")
    f.post(linker, committee, "主任")
    conflicted = f.person("P2")
    f.post(conflicted, committee, "委员")
    f.post(conflicted, company, "项目经理")
    single = f.person("P3")
    f.post(single, branch, "委员")
    return f


@pytest.fixture
def city():
    return small_city().graph


def ids(view):
    return {node["id"] for node in view.nodes}


def node(view, vis_id):
    return next(n for n in view.nodes if n["id"] == vis_id)


# -- what each view shows ---------------------------------------------------------------------
def test_community_view_shows_every_node_of_the_community_and_nothing_else(city):
    view = community_view(city, "SQ1", as_of=AS_OF)
    assert ids(view) == {
        "Community:SQ1", "Compound:XQ1", "Compound:XQ9", "Building:XQ1-1", "Building:XQ1-2",
        "Grid:WG1", "PartyOrg:SQDW", "PartyOrg:DZB1", "PartyOrg:DXZ1", "PropertyCompany:WY1",
        "OwnerCommittee:YWH1", "Person:P1", "Person:P2", "Person:P3"}
    edges = {(e["from"], e["to"]) for e in view.edges}
    assert ("PropertyCompany:WY1", "Compound:XQ1") in edges
    assert ("Person:P2", "PropertyCompany:WY1") in edges
    assert ("PartyOrg:SQDW", "PartyOrg:JDGW") not in edges  # the street's organisation is outside
    # Not drawn: the party tree's UNDER lines (the hierarchy view's) and the grid's to the community.
    assert ("PartyOrg:DZB1", "PartyOrg:SQDW") not in edges and ("Grid:WG1", "Community:SQ1") not in edges
    assert len(view.edges) == len(edges) == 15
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in view.nodes)
    assert not view.physics  # laid out label by label: a simulation would pile them up again


def test_community_view_marks_blind_spots_in_red_with_the_reason():
    f = small_city()
    f.venue("ZD1", ("Compound", "XQ1"))  # XQ1 lacks nothing, not even a 党群服务阵地 (B12)
    view = community_view(f.graph, "SQ1", as_of=AS_OF)
    unmanaged = node(view, "Compound:XQ9")
    # A red halo; the border keeps the compound's own colour, so it still reads as a compound.
    assert unmanaged["shadow"]["color"] == MARK_COLOUR and unmanaged["color"]["border"] == unmanaged["color"]["background"]
    assert "B1 无党组织小区" in unmanaged["title"] and "B2" in unmanaged["codes"]
    reasons = dict(unmanaged["panel"])["盲区与问题"]
    assert any(line.startswith("B1 无党组织小区") for line in reasons)
    covered = node(view, "Compound:XQ1")
    assert "shadow" not in covered and "⚠" not in covered["title"]
    assert any("红晕" in entry.text for entry in view.legend)


def test_community_view_marks_busy_compounds_and_black_listed_companies():
    """B16 and B17 mark the compound and the company (cases themselves are not drawn)."""
    f = small_city()
    for number in range(5):
        f.case(f"GD{number}", ("Building", "XQ1-2"), received="2026-06-01")
    f.rating(("PropertyCompany", "WY1"), ("Community", "SQ1"), "2026-03-31", "黑榜")
    view = community_view(f.graph, "SQ1", as_of=AS_OF)
    busy, company = node(view, "Compound:XQ1"), node(view, "PropertyCompany:WY1")
    assert "B16" in busy["codes"] and "B16 诉求高发小区：近90天诉求多发" in busy["title"]
    assert "B17" in company["codes"] and company["shadow"]["color"] == MARK_COLOUR
    assert not any(key.startswith("Case:") for key in ids(view))


def test_tooltips_are_plain_text_lines(city):
    view = community_view(city, "SQ1", as_of=AS_OF)
    person = node(view, "Person:P1")
    assert person["title"].split("\n")[:3] == ["人员：人员P1", "编码：P1", "党员：是"]
    assert "任职：书记（DZB1党支部）" in person["title"]
    # The name itself (wrapped into lines), escaped only when rendered.
    assert node(view, "Compound:XQ9")["label"].replace("\n", "") == XSS


def test_the_community_view_opens_on_compounds_with_their_linkers_and_a_dossier(city):
    view = community_view(city, "SQ1", as_of=AS_OF, candidates={("Compound", "XQ1"): ["人员P9：党员，住XQ1-1"]})
    # Buildings, the party group in one and the person with one post wait for a click.
    assert {n["id"] for n in view.nodes if n.get("folded")} == {
        "Building:XQ1-1", "Building:XQ1-2", "PartyOrg:DXZ1", "Person:P3"}
    assert all(n["hidden"] for n in view.nodes if n.get("folded"))
    assert node(view, "Person:P2")["links"] == ["OwnerCommittee:YWH1", "PropertyCompany:WY1"]
    assert node(view, "Compound:XQ1")["label"] == "XQ1小区（2栋）"  # the buildings' count badge
    assert node(view, "OwnerCommittee:YWH1")["cluster"] == "Compound:XQ1"
    assert "cluster" not in node(view, "PartyOrg:SQDW")  # the community's own, drawn on top
    assert dict(node(view, "Compound:XQ1")["panel"]) == {
        "基本信息": ["小区：XQ1小区", "编码：XQ1"],
        "党组织": ["DZB1党支部"],
        "业主委员会": ["YWH1业委会：任期 2024-01-01 至 2028-12-31"],
        "物业企业": ["WY1物业：合同 2024-01-01 至 今"],
        "联系人（在两方以上任职）": ["人员P1：主任（YWH1业委会）；书记（DZB1党支部）",
                             "人员P2：委员（YWH1业委会）；项目经理（WY1物业）"],
        "物业服务合同": ["WY0物业：2020-01-01 至 2023-12-31（已不在期）", "WY1物业：2024-01-01 至 今"],
        # Its gaps: the blind spots naming it, then those naming one of its sides.
        "盲区与问题": ["B12 无阵地小区：无党群服务阵地", "WY1物业：B7 物业企业党建空白：党的组织和工作均未覆盖"],
        "建议人选": ["人员P9：党员，住XQ1-1"]}
    assert "建议人选" not in dict(node(view, "Compound:XQ9")["panel"])


def test_a_compound_panel_names_who_could_close_its_gaps_by_default():
    """Without ``candidates`` the view asks the candidate questions: a compound with no party
    organisation where one party member lives proposes them for a joint branch (R2), and its
    building without a 楼长 proposes them as its 楼长 (R5, a gap of one of its parts)."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=1)
    f.compound("XQ2", "SQ1", buildings=1)
    f.graph.relate("LIVES_IN", f.person("P1", party_member=True), ("Building", "XQ1-1"))
    view = community_view(f.graph, "SQ1", as_of=AS_OF)
    panel = dict(node(view, "Compound:XQ1")["panel"])
    assert panel["建议人选"] == ["R2 无党组织：人员P1（组建联合党支部）", "R5 未配备楼长：人员P1（楼长）"]


def test_cluster_layout_keeps_every_shown_box_clear_and_links_between():
    from gridgraph.views.layout import cluster_layout

    anchors = {"R": None, **{f"H{h}": "R" for h in range(3)},
               **{f"H{h}-{m}": f"H{h}" for h in range(3) for m in range(6)}, "L": "H0", "F": "H1-0"}
    boxes = {key: (60.0, 30.0, 5.0) for key in anchors}
    positions = cluster_layout(anchors, anchors, boxes, heads=["H0", "H1", "H2"], links={"L": ["H0", "H2"]},
                               hidden=["F"], gap=10.0)
    assert set(positions) == set(anchors)
    shown = [key for key in anchors if key != "F"]
    for i, first in enumerate(shown):
        for second in shown[i + 1:]:
            (x1, y1), (x2, y2) = positions[first], positions[second]
            assert abs(x1 - x2) >= 70 or abs(y1 - y2) >= 40, (first, second)
    xs = sorted([positions["H0"][0], positions["H2"][0]])
    assert xs[0] <= positions["L"][0] <= xs[1]  # between the two it links
    assert positions["R"][1] < min(positions[f"H{h}"][1] for h in range(3))  # the root on top


def test_street_view_leaves_out_buildings_and_people_unless_small(city, monkeypatch):
    small = street_view(city, "S1", as_of=AS_OF, marks={})
    assert {"Building:XQ1-1", "Person:P1", "Community:SQ2", "PartyOrg:JDGW"} <= ids(small)
    assert "Compound:XQ3" not in ids(small)
    monkeypatch.setattr(view_build, "SMALL_STREET", 5)
    large = street_view(city, "S1", as_of=AS_OF, marks={})
    assert not any(i.startswith(("Building:", "Person:")) for i in ids(large))
    assert {"Street:S1", "Community:SQ1", "Community:SQ2", "Compound:XQ1", "Grid:WG1"} <= ids(large)
    assert any("楼栋与人员未显示" in note for note in large.notes)


def test_street_view_draws_each_community_as_a_cluster_of_its_own(city):
    view = street_view(city, "S1", as_of=AS_OF, marks={})
    sq1 = [n for n in view.nodes if n["id"] in {"Community:SQ1", "Compound:XQ1", "Compound:XQ9", "Grid:WG1"}]
    sq2 = node(view, "Community:SQ2")
    # SQ2 (nothing in it) lies outside the box around SQ1 and its compounds and grid.
    assert not (min(n["x"] for n in sq1) <= sq2["x"] <= max(n["x"] for n in sq1)
                and min(n["y"] for n in sq1) <= sq2["y"] <= max(n["y"] for n in sq1))
    assert node(view, "Street:S1")["y"] < min(n["y"] for n in sq1)  # the street on top


def test_hierarchy_view_is_a_top_down_party_tree(city):
    view = hierarchy_view(city, "S1", as_of=AS_OF)
    assert ids(view) == {"PartyOrg:JDGW", "PartyOrg:SQDW", "PartyOrg:DZB1", "PartyOrg:DXZ1"}
    levels = {n["id"]: n["y"] for n in view.nodes}
    assert levels["PartyOrg:JDGW"] < levels["PartyOrg:SQDW"] < levels["PartyOrg:DZB1"] < levels["PartyOrg:DXZ1"]
    assert {(e["from"], e["to"]) for e in view.edges} == {
        ("PartyOrg:SQDW", "PartyOrg:JDGW"), ("PartyOrg:DZB1", "PartyOrg:SQDW"), ("PartyOrg:DXZ1", "PartyOrg:DZB1")}
    assert not view.physics
    assert "B9" in node(view, "PartyOrg:SQDW")["codes"]  # no secretary
    # One colour per level, every level in the legend; a child is labelled without its parent's stem.
    colours = {n["id"]: n["color"]["background"] for n in view.nodes}
    assert len(set(colours.values())) == 4
    assert {entry.text.split(" ")[0] for entry in view.legend if entry.group} == {"党工委", "党委", "党支部", "党小组"}
    assert all(n["shape"] == "box" for n in view.nodes)


def test_a_wide_party_tree_keeps_each_subtree_in_one_column():
    """One 党工委 over eight community 党委 of six branches each: 57 boxes in several columns, each
    community's branches in its column; only the lines up to the 党工委 would cross, and are left out."""
    f = GraphFactory.city()
    f.party_org("JDGW", "党工委", based_in=[("Street", "S1")])
    for number in range(8):
        f.party_org(f"SQDW{number}", "党委", based_in=[("Community", "SQ1")], parent="JDGW")
        for branch in range(6):
            f.party_org(f"DZB{number}{branch}", "党支部", based_in=[("Community", "SQ1")], parent=f"SQDW{number}")
    view = hierarchy_view(f.graph, "S1", as_of=AS_OF, marks={})
    x = {n["id"]: n["x"] for n in view.nodes}
    committees = sorted({x[f"PartyOrg:SQDW{number}"] for number in range(8)})
    assert len(committees) > 1  # several columns
    hidden = {(e["from"], e["to"]) for e in view.edges if e.get("hidden")}
    assert hidden == {(f"PartyOrg:SQDW{number}", "PartyOrg:JDGW") for number in range(8)
                      if x[f"PartyOrg:SQDW{number}"] != committees[0]}
    assert "各列首行组织隶属JDGW党工委（跨列连线从略）" in view.notes


def _built_backwards(graph: GovernanceGraph) -> GovernanceGraph:
    """The same graph with every label's nodes and every relationship added in reverse order, as
    a store with its own order (Neo4j) hands them back."""
    backwards = GovernanceGraph()
    for label in NODE_MODELS:
        backwards.add_many(label, [dict(attrs) for _, attrs in reversed(list(graph.nodes(label)))])
    for source, target, props in reversed(list(graph.relationships())):
        backwards.relate(props["type"], source, target, **{k: v for k, v in props.items() if k != "type"})
    return backwards


def test_a_view_is_drawn_the_same_whatever_order_the_graph_was_built_in():
    """Positions, hidden lines and notes included: a view read from Neo4j equals the snapshot's."""
    f = small_city()
    for number in range(4):  # a tree wide enough to be cut into columns
        f.party_org(f"SQDW{number}", "党委", based_in=[("Community", "SQ1")], parent="JDGW")
        for branch in range(6):
            f.party_org(f"DZB{number}{branch}", "党支部", based_in=[("Community", "SQ1")], parent=f"SQDW{number}")
    backwards = _built_backwards(f.graph)
    for kind, area in (("community", "SQ1"), ("street", "S1"), ("hierarchy", "S1"), ("people", "D1"),
                       ("overview", None)):
        forwards_view = build_view(kind, f.graph, area, as_of=AS_OF)
        backwards_view = build_view(kind, backwards, area, as_of=AS_OF)
        assert any(edge.get("hidden") for edge in forwards_view.edges) or kind != "hierarchy"
        assert sorted(map(repr, backwards_view.nodes)) == sorted(map(repr, forwards_view.nodes)), kind
        assert (sorted(repr({k: v for k, v in edge.items() if k != "id"}) for edge in backwards_view.edges)
                == sorted(repr({k: v for k, v in edge.items() if k != "id"}) for edge in forwards_view.edges)), kind
        assert backwards_view.notes == forwards_view.notes, kind


def test_people_view_highlights_cross_appointments_and_conflicts(city):
    view = people_view(city, "D1", as_of=AS_OF)
    assert ids(view) == {"Person:P1", "Person:P2", "PartyOrg:DZB1", "OwnerCommittee:YWH1", "PropertyCompany:WY1"}
    assert node(view, "Person:P1")["shadow"]["color"] == HIGHLIGHT_COLOUR  # X1 only
    conflicted = node(view, "Person:P2")
    assert conflicted["shadow"]["color"] == MARK_COLOUR and "X4 利益冲突" in conflicted["title"]
    assert len(view.edges) == 4
    assert {edge["title"] for edge in view.edges} == {"任职：书记", "任职：主任", "任职：委员", "任职：项目经理"}
    # Each person sits between the organisations they link (bipartite: organisations in rows).
    assert node(view, "Person:P2")["links"] == ["OwnerCommittee:YWH1", "PropertyCompany:WY1"]
    assert not any(edge.get("dashes") for edge in view.edges)  # no part-time post in this city


def test_overview_sizes_by_compounds_and_colours_by_rate(city):
    view = overview(city, "D1", rate="C1", as_of=AS_OF)
    assert ids(view) == {"District:D1", "Street:S1", "Street:S2", "Community:SQ1", "Community:SQ2", "Community:SQ3"}
    sq1, sq2 = node(view, "Community:SQ1"), node(view, "Community:SQ2")
    assert "小区数：2" in sq1["title"] and "C1 小区党组织覆盖率：50%（1/2）" in sq1["title"]
    assert sq1["label"] == "SQ1社区 50%" and sq2["label"].endswith(" 不适用")
    assert sq1["size"] > sq2["size"] and "不适用" in sq2["title"]
    assert node(view, "Community:SQ3")["color"]["background"] != sq1["color"]["background"]
    # The streets carry their own rate; the title names the district, with or without its id.
    assert node(view, "Street:S1")["label"] == "S1街道 50%" and node(view, "Street:S2")["label"] == "S2街道 100%"
    assert "C1 小区党组织覆盖率：50%（1/2）" in node(view, "Street:S1")["title"]
    assert view.title == overview(city, None, rate="C1", as_of=AS_OF).title == "D1区 总览 · C1 小区党组织覆盖率"


def test_overview_aggregates_to_streets_over_the_limit(city):
    view = overview(city, None, as_of=AS_OF, limit=2)
    assert ids(view) == {"District:D1", "Street:S1", "Street:S2"}
    assert "小区数：2" in node(view, "Street:S1")["title"]
    assert any("已按街道汇总" in note for note in view.notes)


def test_views_over_the_limit_are_refused_with_a_hint(city):
    with pytest.raises(ViewTooLarge) as error:
        community_view(city, "SQ1", as_of=AS_OF, limit=12)
    assert "SQ1社区 社区网络: 14 nodes is more than the limit of 12" in str(error.value)
    assert "--limit" in error.value.hint
    # the community's own nodes alone over the limit: refused before its posts are walked
    with pytest.raises(ViewTooLarge, match="社区网络, its own nodes alone: 10 nodes is more than the limit of 5"):
        community_view(city, "SQ1", as_of=AS_OF, limit=5)


def test_large_views_switch_physics_off():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=view_build.PHYSICS_NODE_LIMIT + 5)
    view = community_view(f.graph, "SQ1", as_of=AS_OF, marks={})
    assert not view.physics and len(view.nodes) > view_build.PHYSICS_NODE_LIMIT


def test_unknown_areas_kinds_and_rates_are_query_errors(city):
    from graphmodel import QueryError

    with pytest.raises(QueryError, match="no 社区 with id 'S1'"):
        community_view(city, "S1")
    with pytest.raises(QueryError, match="unknown view"):
        build_view("map", city, "SQ1")
    with pytest.raises(QueryError, match="unknown coverage rate"):
        overview(city, rate="C12")


# -- layout -----------------------------------------------------------------------------------
def test_radial_layout_places_every_node_even_on_anchor_cycles():
    anchors = {"a": None, "b": "a", "c": "b", "x": "y", "y": "x", "z": "missing"}
    positions = radial_layout(anchors, anchors)
    assert set(positions) == set(anchors)
    assert len(set(positions.values())) == len(anchors)


def test_rate_colours_are_steps_that_keep_99_percent_apart_from_100():
    from gridgraph.views.build import percent
    from gridgraph.views.style import NO_RATE_COLOUR, rate_colour

    assert len({rate_colour(rate) for rate in (1.0, 0.995, 0.9, 0.75, 0.6, 0.59, 0.0, None)}) == 5
    assert rate_colour(0.995) == rate_colour(0.9) != rate_colour(1.0)
    assert rate_colour(None) == NO_RATE_COLOUR
    assert percent(0.996) == "99%" and percent(1.0) == "100%" and percent(0.75) == "75%"


def test_column_tree_layout_indents_levels_and_cuts_into_columns():
    from gridgraph.views.layout import column_tree_layout

    anchors = {"root": None, **{f"b{i}": "root" for i in range(6)},
               **{f"g{i}{j}": f"b{i}" for i in range(6) for j in range(8)}}
    widths = dict.fromkeys(anchors, 100.0)
    positions = column_tree_layout(anchors, anchors, widths, row_height=30, indent=20)
    assert set(positions) == set(anchors) and len(set(positions.values())) == len(anchors)
    assert positions["root"] == (50.0, 0)
    assert positions["b0"] == (70.0, 30) and positions["g00"] == (90.0, 60)  # one indent per level
    columns = {x - 20 * (len(key) > 2) - 20 * (len(key) > 3) for key, (x, _) in positions.items()}
    assert len(columns) > 1  # 55 rows do not stay one tall strip
    width = max(x for x, _ in positions.values()) + 50
    height = max(y for _, y in positions.values()) + 30
    assert 1 < width / height < 4
    # A column holds whole subtrees: every g sits one indent right of its b, in rows under it.
    assert all(positions[f"g{i}{j}"][0] - positions[f"b{i}"][0] == 20 and positions[f"g{i}{j}"][1] > positions[f"b{i}"][1]
               for i in range(6) for j in range(8))


def test_tree_layout_centres_parents_over_their_children():
    anchors = {"root": None, "l": "root", "r": "root", "l1": "l", "l2": "l", "r1": "r"}
    positions = tree_layout(anchors, anchors, spacing=10, level_gap=100)
    assert positions["l"] == (5.0, 100) and positions["root"][0] == (5.0 + 20.0) / 2
    assert [positions[k][0] for k in ("l1", "l2", "r1")] == [0, 10, 20]


# -- rendering --------------------------------------------------------------------------------
def test_rendered_view_is_self_contained(city):
    html = render_html(community_view(city, "SQ1", as_of=AS_OF))
    assert EXTERNAL_REFERENCE.search(html) is None
    assert "cdn.jsdelivr.net" not in html and "cdnjs" not in html
    assert "new vis.Network(" in html and "gridgraphControls(network" in html
    assert "TomSelect" not in html and "筛选对象" not in html  # pyvis' generic filter bar is gone
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html


def test_names_are_never_markup_in_the_html(city):
    html = render_html(community_view(city, "SQ1", as_of=AS_OF))
    assert "<img" not in html
    assert "\\u003cimg src=x onerror=\\\"window.__xss=1\\\"\\u003e" in html  # in the node data
    assert "innerHTML" not in html.split("function gridgraphControls")[1].split("</script>")[0]


def test_write_view_writes_utf8(city, tmp_path):
    path = write_view(community_view(city, "SQ1", as_of=AS_OF), tmp_path / "社区.html")
    text = path.read_bytes().decode("utf-8")
    assert "SQ1社区 社区网络" in text
    assert [p.name for p in tmp_path.iterdir()] == ["社区.html"]


def test_a_changed_pyvis_template_fails_loudly(tmp_path, monkeypatch):
    template = (view_render._PYVIS_TEMPLATES / "template.html").read_text(encoding="utf-8")
    (tmp_path / "template.html").write_text(template.replace("<body>", "<body class=x>"), encoding="utf-8")
    monkeypatch.setattr(view_render, "_PYVIS_TEMPLATES", tmp_path)
    view_render._template.cache_clear()
    try:
        with pytest.raises(ViewRenderError, match="expected 1 of"):
            view_render._template()
    finally:
        view_render._template.cache_clear()


# -- command line -----------------------------------------------------------------------------
def test_cli_writes_a_view(city, tmp_path):
    snapshot = save_snapshot(city, tmp_path / "city.json.gz")
    out = tmp_path / "sq1.html"
    result = CliRunner().invoke(main, ["view", "community", "SQ1", str(snapshot), "-o", str(out),
                                       "--as-of", "2026-06-30"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out} (14 nodes, 15 edges)\n"
    assert "new vis.Network(" in out.read_text(encoding="utf-8")


def test_cli_overview_of_everything_names_its_file(city, tmp_path, monkeypatch):
    snapshot = save_snapshot(city, tmp_path / "city.json.gz")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["view", "overview", "all", str(snapshot), "--rate", "C2"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "overview-all.html").is_file()


def test_cli_reports_problems_in_one_line(city, tmp_path):
    snapshot = save_snapshot(city, tmp_path / "city.json.gz")
    result = CliRunner().invoke(main, ["view", "community", "SQ1", str(snapshot), "--limit", "12"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("Error: SQ1社区 社区网络: 14 nodes is more than the limit of 12")
    result = CliRunner().invoke(main, ["view", "street"])
    assert result.exit_code == 2 and "the street view needs an ID" in result.output


def test_a_wide_tree_is_stretched_to_a_screen_shape():
    from gridgraph.views.layout import tree_layout

    leaves = [f"leaf{i}" for i in range(100)]
    anchor = {"root": None, **{leaf: "root" for leaf in leaves}}
    positions = tree_layout(["root", *leaves], anchor, spacing=70.0, level_gap=150.0)
    width = max(x for x, _ in positions.values()) - min(x for x, _ in positions.values())
    height = max(y for _, y in positions.values())
    assert width == 99 * 70.0 and height == width / 2  # 2:1, not a 6,930 × 150 strip
    narrow = tree_layout(["root", "a", "b"], {"root": None, "a": "root", "b": "root"})
    assert narrow["a"][1] == 150.0  # a narrow tree keeps the plain level gap
