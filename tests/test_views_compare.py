"""``view … --compare OLD``: exactly which nodes and relationships are marked new, which come back
as ghosts, the second legend block, the as-of dates of both sides, and the command line."""

import datetime as dt

import pytest
from click.testing import CliRunner

from graphmodel import save_snapshot
from graphmodel.errors import QueryError
from gridgraph.cli import main
from gridgraph.views import ViewTooLarge, community_view, compare_view, hierarchy_view, render_html
from graphmodel.schema import Compound
from gridgraph.views.style import CHANGED_COLOUR, GONE_COLOUR, MARK_COLOUR, NEW_COLOUR

from graph_factory import GraphFactory

AS_OF = dt.date(2026, 6, 30)


def quarter(later: bool):
    """Community SQ1 in the spring quarter, or ``later`` in summer: compound XQ9 (with its party
    branch) and building XQ1-2 are gone, compound XQ5 (a building, a branch) is new; WY1's contract
    ended on 2026-03-31 and WY2's began the next day; P3 left the branch then and P5 joined it; P1 took a
    second post.
    Compound XQ7 is new in another community (SQ3), outside the view."""
    f = GraphFactory.city()
    xq1 = f.compound("XQ1", "SQ1", buildings=1 if later else 2)
    community_committee = f.party_org("SQDW", "党委", based_in=[("Community", "SQ1")])
    branch = f.party_org("DZB1", "党支部", based_in=[xq1], parent="SQDW")
    if later:
        f.party_org("DZB5", "党支部", based_in=[f.compound("XQ5", "SQ1", buildings=1)], parent="SQDW")
        f.compound("XQ7", "SQ3")
    else:
        f.party_org("DZB8", "党支部", based_in=[f.compound("XQ9", "SQ1")], parent="SQDW")
    f.company("WY1", manages=[xq1], start="2024-01-01", end="2026-03-31" if later else None)
    if later:
        f.company("WY2", manages=[xq1], start="2026-04-01")
    f.grid("WG1", "SQ1", covers=(xq1,))
    leader = f.person("P1", party_member=True)
    f.post(leader, branch, "书记")
    if later:
        f.post(leader, community_committee, "委员")
        f.post(f.person("P5"), branch, "组织委员")
    f.post(f.person("P3"), branch, "委员", end="2026-03-31" if later else None)
    return f.graph


@pytest.fixture(scope="module")
def spring():
    return quarter(later=False)


@pytest.fixture(scope="module")
def summer():
    return quarter(later=True)


def changed(view, change):
    return {node["id"] for node in view.nodes if node.get("change") == change}


def changed_edges(view, change):
    return {(edge["from"], edge["to"], edge["type"]) for edge in view.edges if edge.get("change") == change}


def node(view, vis_id):
    return next(n for n in view.nodes if n["id"] == vis_id)


def test_new_and_gone_nodes_and_relationships_are_exactly_the_changes(spring, summer):
    view = compare_view("community", summer, spring, "SQ1", as_of=AS_OF, old_name="春季")
    assert changed(view, "new") == {"Compound:XQ5", "Building:XQ5-1", "PartyOrg:DZB5", "PropertyCompany:WY2",
                                    "Person:P5"}
    assert changed(view, "gone") == {"Compound:XQ9", "PartyOrg:DZB8", "Building:XQ1-2", "PropertyCompany:WY1",
                                     "Person:P3"}
    assert changed_edges(view, "new") == {
        ("Compound:XQ5", "Community:SQ1", "PART_OF"), ("Building:XQ5-1", "Compound:XQ5", "PART_OF"),
        ("PartyOrg:DZB5", "Compound:XQ5", "BASED_IN"),
        ("PropertyCompany:WY2", "Compound:XQ1", "MANAGES"), ("Person:P1", "PartyOrg:SQDW", "HOLDS"),
        ("Person:P5", "PartyOrg:DZB1", "HOLDS")}
    assert changed_edges(view, "gone") == {
        ("Compound:XQ9", "Community:SQ1", "PART_OF"), ("Building:XQ1-2", "Compound:XQ1", "PART_OF"),
        ("PartyOrg:DZB8", "Compound:XQ9", "BASED_IN"),
        ("PropertyCompany:WY1", "Compound:XQ1", "MANAGES"), ("Person:P3", "PartyOrg:DZB1", "HOLDS")}
    # Everything else is the plain summer view, placed anew around the ghosts.
    plain = community_view(summer, "SQ1", as_of=AS_OF)
    assert {n["id"] for n in view.nodes} == {n["id"] for n in plain.nodes} | changed(view, "gone")
    assert len({(n["x"], n["y"]) for n in view.nodes}) == len(view.nodes)
    assert len({edge["id"] for edge in view.edges}) == len(view.edges)


def test_marks_look_new_or_gone_and_a_blind_spot_keeps_its_red(spring, summer):
    view = compare_view("community", summer, spring, "SQ1", as_of=AS_OF, old_name="春季")
    newcomer = node(view, "Person:P5")
    assert newcomer["codes"] == ["新增"]  # the page's filter can show the changes alone
    assert newcomer["color"]["border"] == NEW_COLOUR and newcomer["shadow"]["color"] == NEW_COLOUR
    assert newcomer["title"].startswith("新增（春季（2026-06-30） 中没有）\n")
    assert ["变化", ["新增：春季（2026-06-30） 中没有"]] in newcomer["panel"]
    no_company = node(view, "Compound:XQ5")  # new, and a blind spot: thick green outline, red halo
    assert no_company["codes"] == ["B2", "B3", "B12", "新增"] and no_company["color"]["border"] == NEW_COLOUR
    assert no_company["borderWidth"] == 6 and no_company["shadow"]["color"] == MARK_COLOUR
    ghost = node(view, "Person:P3")
    assert ghost["color"]["border"] == GONE_COLOUR and ghost["shapeProperties"] == {"borderDashes": [5, 4]}
    assert ghost["codes"] == ["已撤销"] and ghost["title"].startswith("已撤销（仅见于 春季（2026-06-30））\n")
    assert ghost["shadow"]["color"] == GONE_COLOUR and not ghost["hidden"]  # a ghost at full size, shown at once
    gone = next(edge for edge in view.edges if edge.get("change") == "gone")
    assert gone["dashes"] is True and gone["color"] == GONE_COLOUR and gone["title"].startswith("已撤销：")
    assert [entry.text for entry in view.change_legend] == [
        "与 春季（2026-06-30） 相比：", "绿框/绿晕：新增 5", "灰色虚框：已撤销 5", "橙框：更名 0", "绿线：新增关系 6",
        "灰色虚线：已撤销关系 5", "橙线：任职或合同变更 0"]
    assert view.changes == {"new": 5, "gone": 5, "renamed": 0, "changed": 0, "new relationships": 6,
                            "gone relationships": 5, "renamed relationships": 0, "changed relationships": 0}


def renewed(later: bool):
    """Compound XQ1 managed by WY1, P1 委员 of its branch; ``later``, XQ1 is renamed 长青苑, WY1's
    contract was re-signed and P1 is the branch's 书记."""
    f = GraphFactory.city()
    xq1 = f.compound("XQ1", "SQ1")
    f.company("WY1", manages=[xq1], start="2026-01-01" if later else "2024-01-01")
    f.post(f.person("P1"), f.party_org("DZB1", "党支部", based_in=[xq1]), "书记" if later else "委员")
    if later:
        f.graph.add(Compound(id="XQ1", name="长青苑"))
    return f.graph


def test_a_rename_and_a_contract_with_other_dates_are_marked():
    view = compare_view("community", renewed(later=True), renewed(later=False), "SQ1", as_of=AS_OF, old_name="春季")
    compound = node(view, "Compound:XQ1")
    assert compound["change"] == "renamed" and compound["label"] == "长青苑\n原名 XQ1小区"
    assert "更名" in compound["codes"] and compound["color"]["border"] == CHANGED_COLOUR
    contract = next(edge for edge in view.edges if edge["type"] == "MANAGES")
    assert contract["change"] == "changed" and contract["label"] == "变更" and contract["color"] == CHANGED_COLOUR
    assert contract["title"] == "变更：物业服务（2026-01-01 至 今）\n原为：物业服务（2024-01-01 至 今）"
    post = next(edge for edge in view.edges if edge["type"] == "HOLDS")
    assert post["change"] == "changed" and post["title"] == "变更：任职：书记\n原为：任职：委员"
    assert view.changes["renamed"] == 1 and view.changes["changed relationships"] == 2
    assert view.changes["gone relationships"] == view.changes["new relationships"] == 0
    assert "橙框：更名 1" in [entry.text for entry in view.change_legend]


def test_the_second_legend_block_only_with_a_comparison(spring, summer):
    plain = community_view(summer, "SQ1", as_of=AS_OF)
    assert plain.change_legend == [] and not changed(plain, "new") and not changed(plain, "gone")
    assert '<div id="gg-change-legend">' not in render_html(plain)
    html = render_html(compare_view("community", summer, spring, "SQ1", as_of=AS_OF))
    block = html.split('<div id="gg-change-legend">')[1].split("</div>\n  </div>")[0]
    assert "绿框/绿晕：新增 5" in block and "灰色虚线：已撤销关系 5" in block


def test_one_graph_compared_with_itself_on_an_earlier_date(summer):
    """--as-of and --as-of-old on one graph: only what the dates change is marked."""
    view = compare_view("community", summer, summer, "SQ1", as_of=AS_OF, as_of_old=dt.date(2026, 1, 1))
    assert changed(view, "new") == {"PropertyCompany:WY2"}
    assert changed(view, "gone") == {"PropertyCompany:WY1", "Person:P3"}
    assert changed_edges(view, "new") == {("PropertyCompany:WY2", "Compound:XQ1", "MANAGES")}
    same_day = compare_view("community", summer, summer, "SQ1", as_of=AS_OF)
    assert not changed(same_day, "new") and not changed(same_day, "gone")
    assert not any("change" in edge for edge in same_day.edges)


def test_other_views_compare_the_same_way(spring, summer):
    view = compare_view("hierarchy", summer, spring, "S1", as_of=AS_OF)
    assert changed(view, "new") == {"PartyOrg:DZB5"} and changed(view, "gone") == {"PartyOrg:DZB8"}
    assert {n["id"] for n in view.nodes} == {n["id"] for n in hierarchy_view(summer, "S1", as_of=AS_OF).nodes} | {
        "PartyOrg:DZB8"}
    people = compare_view("people", summer, spring, "SQ1", as_of=AS_OF)
    assert changed(people, "new") == {"Person:P1", "PartyOrg:SQDW", "PartyOrg:DZB1"}  # P1's second post
    assert changed(people, "gone") == set()


def test_an_area_new_since_old_is_new_with_everything_in_it(spring, summer):
    view = compare_view("community", spring, summer, "SQ1", as_of=AS_OF)  # reversed: summer is "old"
    assert "Compound:XQ9" in changed(view, "new") and "Compound:XQ5" in changed(view, "gone")
    before = GraphFactory()
    before.street("S1", before.district("D1")[1])  # no community SQ1 yet
    fresh = compare_view("community", summer, before.graph, "SQ1", as_of=AS_OF)
    assert changed(fresh, "new") == {n["id"] for n in fresh.nodes} and not changed(fresh, "gone")


def test_the_overview_and_too_large_comparisons_are_refused(spring, summer):
    with pytest.raises(QueryError, match="overview view cannot be compared"):
        compare_view("overview", summer, spring, None, as_of=AS_OF)
    plain_size = len(community_view(summer, "SQ1", as_of=AS_OF).nodes)
    community_view(summer, "SQ1", as_of=AS_OF, limit=plain_size)
    with pytest.raises(ViewTooLarge, match="with what is gone"):
        compare_view("community", summer, spring, "SQ1", as_of=AS_OF, limit=plain_size)


def test_cli_compares_with_a_snapshot(spring, summer, tmp_path):
    old = save_snapshot(spring, tmp_path / "spring.snapshot")
    new = save_snapshot(summer, tmp_path / "summer.snapshot")
    out = tmp_path / "sq1.html"
    result = CliRunner().invoke(main, ["view", "community", "SQ1", str(new), "--compare", str(old),
                                       "--as-of", "2026-06-30", "-o", str(out)])
    assert result.exit_code == 0, result.output
    plain = community_view(summer, "SQ1", as_of=AS_OF)
    assert result.output == (f"Wrote {out} ({len(plain.nodes) + 5} nodes, {len(plain.edges) + 5} edges; "
                             f"5 new, 5 gone, 0 renamed; relationships 6 new, 5 gone, 0 changed)\n")
    html = out.read_text(encoding="utf-8")
    assert '<div id="gg-change-legend">' in html and f"与 {old}（2026-06-30） 相比：" in html
    result = CliRunner().invoke(main, ["view", "community", "SQ1", str(new), "--compare", str(new),
                                       "--as-of", "2026-06-30", "--as-of-old", "2026-01-01", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("; 1 new, 2 gone, 0 renamed; relationships 1 new, 2 gone, 0 changed)\n")


def test_cli_checks_compare_options(summer, tmp_path):
    snapshot = save_snapshot(summer, tmp_path / "summer.snapshot")
    result = CliRunner().invoke(main, ["view", "overview", "all", str(snapshot), "--compare", str(snapshot)])
    assert result.exit_code == 2 and "--compare draws community, street, hierarchy, people views" in result.output
    result = CliRunner().invoke(main, ["view", "community", "SQ1", str(snapshot), "--as-of-old", "2026-01-01"])
    assert result.exit_code == 2 and "--as-of-old needs --compare OLD" in result.output
    result = CliRunner().invoke(main, ["view", "community", "SQ1", str(snapshot), "--compare", "nowhere/"])
    assert result.exit_code == 2 and "nowhere/" in result.output
