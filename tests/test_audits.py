"""What the questions' cases (``queries/questions/<CODE>/cases.toml``) cannot say, on small
hand-built graphs: fields beyond a result's self-description, refusals, the registry and the seed
reports' figures at their full size."""

import dataclasses
import datetime as dt
import gc
import re

import pytest

import queries
from graphmodel.errors import QueryError
from graphmodel.schema import Building, ListItem
from queries import KINDS, QUESTIONS, code_span, codes_hint, describe_codes, run, run_group
from queries.tables import Table, Words

from graph_factory import GraphFactory

AS_OF = dt.date(2026, 6, 30)


def ask(code, factory, **kwargs):
    return run(code, factory.graph, as_of=AS_OF, **kwargs)


def spots(result):
    return sorted((item.id, item.reason) for item in result.items)


# -- coverage -----------------------------------------------------------------------------------
def test_empty_denominator_is_not_applicable():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1")
    result = ask("C1", f, by="community")
    assert (result.numerator, result.denominator, result.rate) == (0, 1, 0.0)
    assert ask("C5", f).rate is None and ask("C5", f).denominator == 0
    rates = {group.id: (group.numerator, group.denominator, group.rate) for group in result.groups}
    assert rates == {"SQ1": (0, 1, 0.0), "SQ2": (0, 0, None), "SQ3": (0, 0, None)}
    assert result.model_dump(mode="json")["groups"][1]["rate"] is None


def test_c1_joint_branch_covers_each_compound_it_is_based_in():
    f = GraphFactory.city()
    a, b = f.compound("XQ1", "SQ1"), f.compound("XQ2", "SQ1")
    f.compound("XQ3", "SQ2")  # no party organisation
    f.party_org("LH1", "联合党支部", based_in=[a, b])
    result = ask("C1", f)
    assert (result.numerator, result.denominator) == (2, 3)
    assert [(item.id, item.reason, item.community, item.street) for item in result.missing] == [
        ("XQ3", "no_party_org", "SQ2社区", "S1街道")]


def test_c12_registrations():
    f = GraphFactory.city()
    f.unit("DW1", "SQ1")
    f.unit("DW2", "SQ1")
    f.person("P1", party_member=True, registered="SQ1")
    f.person("P2", party_member=False, registered="SQ1")
    f.person("P3", party_member=True, registered="SQ3")
    result = ask("C12", f, by="street")
    counts = {row.id: (row.resident_units, row.party_members) for row in result.communities}
    assert counts == {"SQ1": (2, 1), "SQ2": (0, 0), "SQ3": (0, 1)}
    assert (result.resident_units, result.party_members) == (2, 2)
    assert [(g.id, g.resident_units, g.party_members) for g in result.groups] == [("S1", 2, 1), ("S2", 0, 1)]
    communities, groups = result.tables()
    assert communities.rows == [
        {"street_id": street, "street": f"{street}街道", "id": code, "name": f"{code}社区", "resident_units": units,
         "party_members": members}
        for street, code, units, members in [("S1", "SQ1", 2, 1), ("S1", "SQ2", 0, 0), ("S2", "SQ3", 0, 1)]]
    assert groups.rows == [{"id": "S1", "name": "S1街道", "resident_units": 2, "party_members": 1},
                           {"id": "S2", "name": "S2街道", "resident_units": 0, "party_members": 1}]
    assert spots(ask("B10", f)) == [("SQ2", "no_resident_unit"), ("SQ3", "no_resident_unit")]



def test_c12_lists_communities_street_by_street_unplaced_first():
    f = GraphFactory()
    f.district("D1")
    f.street("S1", "D1")
    f.street("S2", "D1")
    f.community("A", "S2")
    f.community("B", "S1")
    f.community("C")
    assert [row.id for row in ask("C12", f).communities] == ["C", "B", "A"]

# -- blind spots --------------------------------------------------------------------------------
def test_b5_uncovered_overlap_and_cross_community():
    f = GraphFactory.city()
    x = f.compound("XQ1", "SQ1", buildings=4)
    f.grid("WG1", "SQ1", covers=(("Building", "XQ1-1"), ("Building", "XQ1-2")))
    f.grid("WG2", "SQ1", covers=(("Building", "XQ1-2"),))
    f.grid("ZF1", "SQ1", "综合执法网格", covers=(x,))  # covers every building via the compound
    f.grid("WG3", "SQ2", covers=(("Building", "XQ1-3"),))
    result = ask("B5", f)
    assert spots(result) == [("XQ1-2", "overlap"), ("XQ1-3", "cross_community")]
    assert result.items[0].detail == "comprehensive:WG1; comprehensive:WG2"
    assert result.items[1].detail == "WG3@SQ2"
    assert result.counts == {"uncovered": 0, "overlap": 1, "cross_community": 1}
    g = GraphFactory.city()
    g.compound("XQ9", "SQ1", buildings=1)
    assert spots(ask("B5", g)) == [("XQ9-1", "uncovered")]


def test_b8_a_cycle_one_of_whose_members_also_has_a_sound_chain_of_parents_and_a_self_loop():
    f = GraphFactory.city()
    f.party_org("GW1", "党工委", based_in=[("Street", "S1")])
    f.party_org("R", "党委", parent="GW1")
    f.party_org("A", "党委", parent="R")
    f.party_org("B", "党委", parent="A")
    f.graph.relate("UNDER", ("PartyOrg", "A"), ("PartyOrg", "B"))  # A <-> B, and A also under R under GW1
    f.party_org("C", "党委", parent="C")  # under itself
    assert sorted(item.id for item in ask("B8", f).items if item.reason == "cycle") == ["A", "B", "C"]


def test_b11_unmatched_demands_and_unused_resources():
    f = GraphFactory.city()
    met, unmet = f.list_item("XQ1", "需求", "SQ1"), f.list_item("XQ2", "需求", "SQ2")
    resource = f.list_item("ZY1", "资源", "SQ1")
    f.list_item("XM1", "项目", "SQ1", matches=(met, resource))
    f.list_item("ZY2", "资源", "SQ2", matches=(unmet,))  # only a project can match a demand
    idle = f.list_item("ZY3", "资源", "SQ3")
    f.list_item("XM3", "项目", "SQ3", matches=(idle,))  # a project, but no demand uses the resource
    result = ask("B11", f)
    assert spots(result) == [("XQ2", "unmatched_demand"), ("ZY2", "unused_resource"), ("ZY3", "unused_resource")]
    assert result.items[0].community == "SQ2社区"
    assert result.counts == {"unmatched_demand": 1, "unused_resource": 2}


def test_lists_count_by_kind_where_a_problem_is_a_demand_and_governance_a_project():
    """莒南's 需求、资源、治理 trio: a 治理 item meets a 问题 as a project meets a demand (C17, B11)."""
    f = GraphFactory.city()
    problem = f.list_item("WT1", "问题", "SQ1", status="办结", raised="2026-03-01", closed="2026-04-01")
    resource = f.list_item("ZY1", "资源清单", "SQ1")
    f.list_item("ZL1", "治理", "SQ1", matches=(problem, resource))
    f.list_item("WT2", "问题清单", "SQ3", raised="2026-07-01")  # raised after the as-of date: not yet counted
    result = ask("C17", f)
    assert (result.numerator, result.denominator) == (1, 1)
    assert result.kinds == {"demand": 1, "resource": 1, "project": 1}
    assert run("C17", f.graph, as_of=dt.date(2026, 7, 1)).kinds == {"demand": 2, "resource": 1, "project": 1}
    assert ask("C17", f, scope="SQ3").kinds == {"demand": 0, "resource": 0, "project": 0}
    assert spots(ask("B11", f)) == [("WT2", "unmatched_demand")]  # B11 reads no dates: met by ZL1, WT1 is not listed
    assert ask("C17", f).tables()[-1].rows == [{"kind": Words("需求", "demand"), "count": 1},
                                               {"kind": Words("资源", "resource"), "count": 1},
                                               {"kind": Words("项目", "project"), "count": 1}]


def test_c15_b13_party_members_in_an_organisation():
    """阳泉: 流动党员和在职党员全部登记入组 — every member should be a MEMBER_OF some organisation."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=1)
    f.compound("XQ3", "SQ3", buildings=1)
    branch = f.party_org("ZB3", "党支部", based_in=[("Compound", "XQ3")])
    in_group, living, registered, nowhere = (f.person(code, party_member=True) for code in ("P1", "P2", "P3", "P4"))
    f.person("P5")  # not a party member: not counted
    f.graph.relate("MEMBER_OF", in_group, branch)
    f.graph.relate("LIVES_IN", in_group, ("Building", "XQ1-1"))  # placed by its organisation, in SQ3
    f.graph.relate("LIVES_IN", living, ("Building", "XQ1-1"))
    f.graph.relate("REGISTERED_WITH", registered, ("Community", "SQ3"))
    c15 = ask("C15", f, by="community")
    assert (c15.numerator, c15.denominator) == (1, 4)
    assert [(g.id, g.numerator, g.denominator) for g in c15.groups] == [
        ("SQ1", 0, 1), ("SQ2", 0, 0), ("SQ3", 1, 2), (None, 0, 1)]
    b13 = ask("B13", f)
    assert spots(b13) == [("P2", "not_in_group"), ("P3", "not_in_group"), ("P4", "not_in_group")]
    assert [item.id for item in ask("B13", f, scope="S2").items] == ["P3"]


def test_b13_b14_list_people_met_after_a_unit_and_a_member_living_nowhere():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=1)
    f.unit("DW1", "SQ2")  # a registered unit, met first: not a person, skipped, not the end of the list
    f.person("P0", party_member=True, registered="SQ2")  # lives nowhere: skipped too
    mover = f.person("P1", registered="SQ3")
    f.graph.relate("LIVES_IN", mover, ("Building", "XQ1-1"))
    assert [(item.label, item.id, item.name, item.detail, item.community_id) for item in ask("B14", f).items] == [
        ("Person", "P1", "人员P1", "SQ3", "SQ1")]
    assert [(item.label, item.id, item.name, item.community_id) for item in ask("B13", f).items] == [
        ("Person", "P0", "人员P0", "SQ2")]


def test_b15_central_household_posts_beginning_or_ending_on_the_as_of_date_count():
    """In the group itself or in its building, a 中心户 whose post begins or ends today serves today."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=5)
    f.party_org("ZB1", "党支部", based_in=[("Compound", "XQ1")])
    groups = [f.party_org(f"XZ{n}", "党小组", based_in=[("Building", f"XQ1-{n}")], parent="ZB1") for n in range(1, 6)]
    today = AS_OF.isoformat()
    for holder, place, bound in (("P1", groups[0], {"start": today}), ("P2", groups[1], {"end": today}),
                                 ("P3", ("Building", "XQ1-3"), {"start": today}),
                                 ("P4", ("Building", "XQ1-4"), {"end": today}),
                                 ("P5", ("Building", "XQ1-5"), {"end": "2026-06-29"})):
        f.post(f.person(holder, party_member=True), place, "党员中心户", **bound)
    assert spots(ask("B15", f)) == [("XZ5", "no_central_household")]


# -- structure ----------------------------------------------------------------------------------
def test_s1_counts_central_households_whose_post_begins_or_ends_on_the_as_of_date():
    """A 党员中心户 post current from the as-of date, or until it, counts; one a day either side does not."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=1)
    group = f.party_org("XZ1", "党小组", based_in=[("Building", "XQ1-1")])
    for code, start, end in (("P1", "2026-06-30", None), ("P2", None, "2026-06-30"),
                             ("P3", "2026-07-01", None), ("P4", None, "2026-06-29")):
        f.post(f.person(code, party_member=True), group, "党员中心户", start=start, end=end)
    result = ask("S1", f)
    assert result.total.central_households == 2
    assert {area.id: area.central_households for area in result.areas} == {"S1": 2, "S2": 0}


def test_s1_counts_a_company_s_venue_and_central_household_where_its_current_contract_is():
    f = GraphFactory.city()
    company = f.company("WY1", [f.compound("XQ3", "SQ3")], start="2020-01-01")
    f.venue("ZD1", company, "红色物业驿站")
    group = f.party_org("XZ1", "党小组", based_in=[company])
    f.post(f.person("P1", party_member=True), group, "党员中心户")
    result = ask("S1", f)
    assert {area.id: (area.venues, area.central_households, area.party_orgs["group"]) for area in result.areas} == {
        "S1": (0, 0, 0), "S2": (1, 1, 1)}


def test_s1_counts_every_level_where_the_common_rules_place_it():
    f = GraphFactory.city()
    x1 = f.compound("XQ1", "SQ1", buildings=2)
    f.grid("WG1", "SQ1")
    f.party_org("GW1", "党工委", based_in=[("Street", "S1")])
    f.party_org("DW1", "党委", based_in=[("Community", "SQ1")], parent="GW1")
    f.party_org("ZZ3", "党总支", based_in=[("Community", "SQ3")])
    f.party_org("ZB1", "党支部", based_in=[("Grid", "WG1")], parent="DW1")
    group = f.party_org("XZ1", "党小组", based_in=[("Building", "XQ1-1")], parent="ZB1")
    company = f.company("WY1", [x1], end="2026-06-29")  # its branch lies nowhere once the contract ended
    f.party_org("WYZB", "联合党支部", based_in=[company])
    f.post(f.person("P1", party_member=True), group, "党员中心户")
    f.post(f.person("P2", party_member=True), ("Building", "XQ1-2"), "党员中心户")
    f.post(f.person("P3", party_member=True), group, "党员中心户", end="2026-06-01")  # no longer current
    f.venue("ZD1", ("Building", "XQ1-2"))
    f.venue("ZD3", ("Community", "SQ3"), "党群服务中心")
    result = ask("S1", f)
    assert result.by == "street"
    rows = {area.id: area for area in result.areas}
    assert list(rows) == ["S1", "S2", None]
    s1, s2, unplaced = rows["S1"], rows["S2"], rows[None]
    assert s1.party_orgs == {"working_committee": 1, "committee": 1, "general_branch": 0, "branch": 1,
                             "joint_branch": 0, "group": 1}
    assert (s1.central_households, s1.communities, s1.grids, s1.compounds, s1.buildings, s1.venues) == (
        2, 2, 1, 1, 2, 1)
    assert (s2.party_orgs["general_branch"], s2.communities, s2.venues) == (1, 1, 1)
    assert unplaced.name == "未归属" and unplaced.party_orgs["joint_branch"] == 1
    assert result.total.name == "合计" and result.total.party_orgs["joint_branch"] == 1
    assert result.total.venues == 2 and result.total.central_households == 2
    by_community = ask("S1", f, by="community")
    assert [area.id for area in by_community.areas] == ["SQ1", "SQ2", "SQ3", None]
    assert by_community.areas[0].party_orgs["group"] == 1 and by_community.areas[1].communities == 1
    scoped = ask("S1", f, scope="SQ1")
    assert scoped.by == "community" and [area.id for area in scoped.areas] == ["SQ1"]
    assert scoped.total.party_orgs["working_committee"] == 0 and scoped.total.central_households == 2
    earlier = run("S1", f.graph, as_of=dt.date(2026, 5, 31))  # P3's post and WY1's contract still current
    assert earlier.total.central_households == 3 and [area.id for area in earlier.areas] == ["S1", "S2"]
    assert earlier.areas[0].party_orgs["joint_branch"] == 1
    table = result.tables()[0]
    assert [column.zh for column in table.columns][2:16] == [
        "党工委", "党委", "党总支", "党支部", "网格党支部", "小区党支部", "业委会党支部", "物业党支部", "单位党支部",
        "社区党支部", "其他党支部", "联合党支部", "党小组", "党员中心户"]
    assert table.rows[-1]["name"] == "合计" and table.rows[-1]["group"] == 1


def test_s1_splits_the_branches_by_what_they_are_based_in_and_keeps_their_total():
    """阳泉's "295个网格党支部" are the branches based in grids: S1 tells them from the others."""
    f = GraphFactory.city()
    x1 = f.compound("XQ1", "SQ1", buildings=1)
    committee = f.committee("YWH1", x1, "业委会", "2024-01-01", "2028-12-31")
    company = f.company("WY1", [x1])
    f.party_org("ZB-G", "党支部", based_in=[f.grid("WG1", "SQ1")])
    f.party_org("ZB-X", "党支部", based_in=[x1])
    f.party_org("ZB-L", "党支部", based_in=[("Building", "XQ1-1")])
    f.party_org("ZB-Y", "党支部", based_in=[committee])
    f.party_org("ZB-W", "党支部", based_in=[company])
    f.party_org("ZB-D", "党支部", based_in=[f.unit("DW1", "SQ3")])
    f.party_org("ZB-S", "党支部", based_in=[("Community", "SQ1")])
    f.party_org("ZB-0", "党支部")  # based nowhere: still a 党支部, counted as 其他
    f.party_org("LH1", "联合党支部", based_in=[x1])  # a joint branch is a kind of its own
    group = f.party_org("XZ1", "党小组", based_in=[("Building", "XQ1-1")])
    f.post(f.person("P1", party_member=True), group, "党员联系户")  # 民乐东街's word for the 中心户
    total = ask("S1", f).total
    assert total.party_orgs["branch"] == 8 and total.party_orgs["joint_branch"] == 1
    assert total.branches == {"grid": 1, "compound": 2, "owner_committee": 1, "property_company": 1, "resident_unit": 1,
                              "community": 1, "other": 1}
    assert total.central_households == 1
    [s1, s2, unplaced] = ask("S1", f).areas
    assert (s1.branches["grid"], s2.branches["resident_unit"], unplaced.branches["other"]) == (1, 1, 1)
    row = ask("S1", f).tables()[0].rows[-1]
    assert (row["branch"], row["branch_in_grid"], row["branch_in_compound"]) == (8, 1, 2)


def test_a_venue_marked_closed_counts_in_no_question():
    """是否开放 否: six closed rooms do not give C13 6/6; C14 and S1 leave them out too."""
    f = GraphFactory.city()
    for n in range(1, 7):
        f.venue(f"ZD{n}", f.compound(f"XQ{n}", "SQ1"), "党群服务站", area_m2=100, is_open=n == 1)
    f.venue("ZX1", ("Community", "SQ1"), "党群服务中心", area_m2=450, is_open=None)  # empty: taken as open
    f.venue("ZX3", ("Community", "SQ3"), "党群服务中心", area_m2=800, is_open=False)
    c13 = ask("C13", f)
    assert (c13.numerator, c13.denominator) == (1, 6)
    assert [item.id for item in ask("B12", f).items] == ["XQ2", "XQ3", "XQ4", "XQ5", "XQ6"]
    c14 = ask("C14", f)
    assert (c14.numerator, c14.denominator, c14.single_centre) == (1, 3, 0)  # SQ1: 450 + 100; SQ3's is closed
    assert [item.detail for item in c14.missing] == ["0 m² < 500 m²", "0 m² < 500 m²"]
    assert ask("S1", f).total.venues == 2


def test_c14_counts_the_communities_with_one_centre_of_the_target_area_on_its_own():
    """阳泉: "500平米以上的活动场所高达94.5%" counts centres, not a community's rooms added up."""
    f = GraphFactory.city()
    f.venue("ZX1", ("Community", "SQ1"), "党群服务中心", area_m2=500)
    f.venue("ZD1", f.compound("XQ2", "SQ2"), "党群服务站", area_m2=600)  # enough together, but not a centre
    f.venue("ZX3", f.grid("WG3", "SQ3"), "党群服务中心", area_m2=300)
    f.venue("ZX4", ("Community", "SQ3"), "社区党群服务中心", area_m2=320)  # 620 together, each under 500
    c14 = ask("C14", f, by="street")
    assert (c14.numerator, c14.denominator, c14.single_centre) == (3, 3, 1)
    assert [(group.id, group.count) for group in c14.single_centre_groups] == [("S1", 1), ("S2", 0)]
    assert ask("C14", f, min_area=300).single_centre == 2
    table = c14.tables()[0]
    assert table.columns[-1].zh == "单个党群服务中心≥500m²"
    assert [row["single_centre"] for row in table.rows] == [1, 0, 1]


def test_yangquan_seed_figures():
    """阳泉 as its report counts: 6 个街道大工委、50 个社区大党委、295 个网格党支部、734 个楼栋党小组、
    4,271 个党员中心户 — on a district of that shape, S1 gives back every figure."""
    f = GraphFactory()
    f.district("YQ")
    grids_per_community = [6] * 45 + [5] * 5  # 295 grids
    buildings_per_community = [15] * 34 + [14] * 16  # 734 buildings
    households_per_group = [6] * 601 + [5] * 133  # 4,271 households
    community = building = 0
    for street in range(1, 7):
        f.street(f"JD{street}", "YQ")
        f.party_org(f"DGW{street}", "党工委", based_in=[("Street", f"JD{street}")])
        for _ in range(9 if street <= 2 else 8):  # 50 communities
            code = f"SQ{community:02d}"
            f.community(code, f"JD{street}")
            f.party_org(f"DW{code}", "党委", based_in=[("Community", code)], parent=f"DGW{street}")
            grids = [f.grid(f"{code}-WG{n}", code) for n in range(grids_per_community[community])]
            for grid in grids:
                f.party_org(f"ZB{grid[1]}", "党支部", based_in=[grid], parent=f"DW{code}")
            compound = f.compound(f"{code}-XQ", code, buildings=buildings_per_community[community])
            f.party_org(f"XZB{code}", "党支部", based_in=[compound], parent=f"DW{code}")  # not a grid's
            for number in range(1, buildings_per_community[community] + 1):
                group = f.party_org(f"XZ{building}", "党小组", based_in=[("Building", f"{code}-XQ-{number}")],
                                    parent=f"ZB{grids[number % len(grids)][1]}")
                for household in range(households_per_group[building]):
                    f.post(f.person(f"H{building}-{household}", party_member=True), group, "党员中心户")
                building += 1
            community += 1
    result = ask("S1", f)
    total = result.total
    assert (total.party_orgs["working_committee"], total.party_orgs["committee"], total.branches["grid"],
            total.party_orgs["group"], total.central_households) == (6, 50, 295, 734, 4271)
    assert (total.party_orgs["branch"], total.branches["compound"]) == (345, 50)  # 295 are the grids' branches
    assert (total.communities, total.grids, total.buildings) == (50, 295, 734)
    assert len(result.areas) == 6 and all(area.party_orgs["working_committee"] == 1 for area in result.areas)
    assert sum(area.central_households for area in result.areas) == 4271
    assert [area.communities for area in result.areas] == [9, 9, 8, 8, 8, 8]


def test_yangquan_party_building_grids():
    """阳泉's report: 1,023 党建网格 — S1 counts the grids, C16 the one type they are, covering every compound."""
    f = GraphFactory.city()
    for n in range(1023):
        community = ("SQ1", "SQ2", "SQ3")[n % 3]
        f.grid(f"WG{n:04d}", community, "党建网格", covers=(f.compound(f"XQ{n:04d}", community),))
    assert ask("S1", f).total.grids == 1023
    [party_building] = ask("C16", f).types
    assert (party_building.grid_type_zh, party_building.numerator, party_building.denominator) == (
        "党建网格", 1023, 1023)


def test_yangquan_shangzhan_street_levels():
    """阳泉's report on 上站: 66 网格党支部, 225 党小组, 906 党员中心户 — S1's grid branches, groups and
    中心户 of that street, the compounds' own branches apart."""
    f = GraphFactory()
    f.district("YQ")
    f.street("SZ", "YQ")
    f.party_org("GW", "党工委", based_in=[("Street", "SZ")])
    groups = 0
    for community in range(6):
        code = f"SZ{community}"
        f.community(code, "SZ")
        f.party_org(f"DW{code}", "党委", based_in=[("Community", code)], parent="GW")
        for n in range(11):  # 66 grids, each with its branch, and a compound with a branch of its own
            index = community * 11 + n
            grid = f.grid(f"{code}WG{n:02d}", code)
            branch = f.party_org(f"ZB{grid[1]}", "党支部", based_in=[grid], parent=f"DW{code}")
            compound = f.compound(f"{code}XQ{n:02d}", code, buildings=4 if index < 27 else 3)  # 27 × 4 + 39 × 3
            f.party_org(f"XZB{compound[1]}", "党支部", based_in=[compound], parent=f"DW{code}")
            for building in range(1, (4 if index < 27 else 3) + 1):
                group = f.party_org(f"XZ{groups}", "党小组", based_in=[("Building", f"{compound[1]}-{building}")],
                                    parent=branch[1])
                for household in range(5 if groups < 6 else 4):  # 6 × 5 + 219 × 4 = 906
                    f.post(f.person(f"H{groups}-{household}", party_member=True), group, "党员中心户")
                groups += 1
    [street] = ask("S1", f).areas
    assert (street.branches["grid"], street.party_orgs["group"], street.central_households) == (66, 225, 906)
    assert (street.party_orgs["branch"], street.branches["compound"]) == (132, 66)


def test_yangquan_kuangqu_three_lists():
    """阳泉's report on 矿区: 434 demands, 558 resources, 314 projects in its three lists — C17 counts the
    list items by kind."""
    f = GraphFactory.city()
    demands = [f.list_item(f"XQ{n:03d}", "需求", ("SQ1", "SQ2", "SQ3")[n % 3]) for n in range(434)]
    resources = [f.list_item(f"ZY{n:03d}", "资源", "SQ1") for n in range(558)]
    for n in range(314):
        f.list_item(f"XM{n:03d}", "项目", "SQ1", matches=(demands[n], resources[n]))
    result = ask("C17", f)
    assert result.kinds == {"demand": 434, "resource": 558, "project": 314}
    assert ask("B11", f).counts == {"unmatched_demand": 434 - 314, "unused_resource": 558 - 314}


def test_yangquan_venues_opened_by_resident_units():
    """阳泉's report: 78 venues opened by resident units — S1 counts the open venues in resident units (a closed one not);
    they are no community's area (C14) and no compound's station (C13)."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1")
    for n in range(80):
        unit = f.unit(f"DW{n:02d}", ("SQ1", "SQ2", "SQ3")[n % 3])
        f.venue(f"ZD{n:02d}", unit, "活动室", area_m2=200, is_open=n < 78)
    result = ask("S1", f)
    assert result.total.venues == 78
    assert [area.venues for area in result.areas] == [52, 26]  # S1 (SQ1, SQ2), S2 (SQ3), where each unit is
    assert ask("C14", f).numerator == 0 and ask("C13", f).numerator == 0


def test_b20_buildings_with_units_and_no_current_unit_leader():
    """莒南's 楼长单元长: a building of several units (单元数 > 1), or in a compound where 单元长 serve,
    needs a 单元长 of its own."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1")
    f.compound("XQ2", "SQ3", buildings=2)
    f.compound("XQ3", "SQ2", buildings=1)
    for code, units in (("LD1", 3), ("LD2", 2), ("LD3", 1), ("LD4", None)):
        f.graph.add(Building(id=code, name=f"{code}楼", units=units))
        f.graph.relate("PART_OF", (("Building", code)), ("Compound", "XQ1"))
    f.post(f.person("P1"), ("Building", "LD2"), "单元长")
    f.post(f.person("P2"), ("Building", "XQ2-1"), "单元长", end="2026-06-29")  # lapsed: XQ2 still has 单元长
    result = ask("B20", f, by="community")
    assert [(item.id, item.detail, item.community_id) for item in result.items] == [
        ("LD1", "3", "SQ1"), ("LD3", "1", "SQ1"), ("LD4", None, "SQ1"),  # XQ1 has a 单元长 in LD2
        ("XQ2-1", None, "SQ3"), ("XQ2-2", None, "SQ3")]
    assert [(g.id, g.count) for g in result.groups] == [("SQ1", 3), ("SQ2", 0), ("SQ3", 2)]
    assert ask("B20", f, scope="SQ2").items == []  # XQ3: one building, units unknown, no 单元长 anywhere
    assert result.items[0].reason_zh == "有单元无单元长"


def test_b18_part_time_posts_beginning_or_ending_on_the_as_of_date_count():
    f = GraphFactory.city()
    beginning = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    ending = f.party_org("DW2", "党委", based_in=[("Community", "SQ2")])
    ended = f.party_org("DW3", "党委", based_in=[("Community", "SQ3")])
    f.post(f.person("P1"), beginning, "兼职委员", start="2026-06-30")
    f.post(f.person("P2"), ending, "委员", part_time=True, end="2026-06-30")
    f.post(f.person("P3"), ended, "兼职副书记", end="2026-06-29")
    assert spots(ask("B18", f)) == [("DW3", "no_part_time_member")]


def test_the_as_of_date_itself_is_within_every_term_contract_and_post():
    """Terms, contracts and posts that end on the as-of date are current; so are those that begin on it."""
    f = GraphFactory.city()
    ending, beginning = f.compound("XQ1", "SQ1"), f.compound("XQ2", "SQ3")
    ends = f.committee("YWH1", ending, "业委会", "2021-07-01", "2026-06-30")
    f.committee("YWH2", beginning, "业委会", "2026-06-30", "2031-06-29")
    company = f.company("WY1", [beginning], start="2026-06-30")
    f.contract(company, ending, start="2024-01-01", end="2026-06-30")
    f.post(f.person("P1"), ends, "主任", end="2026-06-30")
    demand = f.graph.add(ListItem(id="DM1", name="加装电梯", kind="需求"))
    f.graph.relate("RAISED_BY", demand, company)
    assert (ask("C4", f).numerator, ask("C3", f).numerator) == (2, 2)
    assert (ask("C2", f).numerator, spots(ask("B2", f))) == (2, [])
    assert spots(ask("B4", f)) == []
    assert spots(ask("B9", f)) == [("YWH2", "no_director")]  # YWH1's 主任 still serves today
    [item] = ask("B11", f).items  # the company is placed by its first current compound, XQ1
    assert (item.community_id, item.street_id) == ("SQ1", "S1")
    assert spots(run("B4", f.graph, as_of=dt.date(2026, 7, 1))) == [("YWH1", "term_expired")]


# -- cross-appointment --------------------------------------------------------------------------
def linked_compound(f, code="XQ1", community="SQ1"):
    x = f.compound(code, community)
    return (x, f.party_org(f"ZB{code}", "党支部", based_in=[x]), f.committee(f"YWH{code}", x),
            f.company(f"WY{code}", [x]))


def test_x1_people_in_two_kinds_with_every_post():
    f = GraphFactory.city()
    x, branch, committee, company = linked_compound(f)
    both, one_kind, grid_only = f.person("P1", phone="13812345678"), f.person("P2"), f.person("P3")
    f.post(both, branch, "书记")
    f.post(both, committee, "主任", start="2025-01-01")
    f.post(both, f.grid("WG1", "SQ1"), "网格长")
    f.post(one_kind, branch, "委员")
    f.post(one_kind, f.party_org("ZB9", "党支部"), "书记")
    f.post(grid_only, branch, "委员")
    f.post(grid_only, ("Grid", "WG1"), "网格员")
    f.post(grid_only, company, "项目经理", end="2026-01-01")  # ended: does not count
    result = ask("X1", f)
    assert [person.person_id for person in result.people] == ["P1"]
    person = result.people[0]
    assert person.kinds == ["OwnerCommittee", "PartyOrg"]
    assert [(post.org_id, post.role_zh) for post in person.posts] == [
        ("WG1", "网格长"), ("YWHXQ1", "主任"), ("ZBXQ1", "书记")]
    table = result.tables()[0]
    assert next(c for c in table.columns if c.key == "phone").pii == "phone"


def test_x2_linkage_status():
    f = GraphFactory.city()
    _, branch1, committee1, company1 = linked_compound(f, "XQ1")
    _, branch2, committee2, company2 = linked_compound(f, "XQ2")
    linked_compound(f, "XQ3")
    f.compound("XQ4", "SQ1")  # no party org, committee or company: not asked
    p1, p2, cadre = f.person("P1"), f.person("P2"), f.person("P3")
    f.post(p1, branch1, "书记")
    f.post(p1, committee1, "主任")
    f.post(p2, branch1, "委员")
    f.post(p2, company1, "项目经理")
    f.post(cadre, ("Community", "SQ1"), "委员")  # the community committee links the company
    f.post(cadre, company2, "党建指导员")
    result = ask("X2", f)
    status = {linkage.id: linkage.status for linkage in result.compounds}
    assert status == {"XQ1": "complete", "XQ2": "partial", "XQ3": "none"}
    xq2 = next(linkage for linkage in result.compounds if linkage.id == "XQ2")
    assert (xq2.party_committee, xq2.party_company, [p.id for p in xq2.party_company_people]) == (False, True, ["P3"])
    assert result.counts == {"complete": 1, "partial": 1, "none": 1}


def test_x2_lists_compounds_street_by_street_with_counts_groups_and_scope():
    f = GraphFactory.city()
    f.community("SQ0", "S2")
    for code, community in (("XQ1", "SQ0"), ("XQ8", "SQ2"), ("XQ9", "SQ1"), ("XQ7", None)):
        linked_compound(f, code, community)
    person = f.person("P1")
    f.post(person, ("PartyOrg", "ZBXQ9"), "书记")
    f.post(person, ("OwnerCommittee", "YWHXQ9"), "主任")
    result = ask("X2", f, by="street")
    assert [(c.id, c.street_id, c.status, c.party_committee, c.party_company) for c in result.compounds] == [
        ("XQ7", None, "none", False, False), ("XQ9", "S1", "partial", True, False),
        ("XQ8", "S1", "none", False, False), ("XQ1", "S2", "none", False, False)]
    assert result.counts == {"complete": 0, "partial": 1, "none": 3}
    assert [(group.id, group.count) for group in result.groups] == [("S1", 2), ("S2", 1), (None, 1)]
    assert [c.id for c in ask("X2", f, scope="S2").compounds] == ["XQ1"]


def test_x2_rate_is_complete_over_every_compound_and_lists_the_side_each_unassessed_one_lacks():
    """莒南 reports 双向进入 across all 148 compounds: X2's rate counts every compound in scope."""
    f = GraphFactory.city()
    full, bare, no_company = f.compound("XQ1", "SQ1"), f.compound("XQ2", "SQ1"), f.compound("XQ3", "SQ3")
    for compound in (full, no_company):
        f.party_org(f"ZB{compound[1]}", "党支部", based_in=[compound])
        f.committee(f"YWH{compound[1]}", compound)
    f.company("WY1", [full])
    person = f.person("P1", party_member=True)
    for org, role in ((("PartyOrg", "ZBXQ1"), "书记"), (("OwnerCommittee", "YWHXQ1"), "主任"),
                      (("PropertyCompany", "WY1"), "党建指导员")):
        f.post(person, org, role)
    result = ask("X2", f, by="street")
    assert (result.numerator, result.denominator, result.rate) == (1, 3, 1 / 3)
    assert [(c.id, c.status) for c in result.compounds] == [("XQ1", "complete")]
    assert [(item.id, item.reason, item.reason_zh, item.street_id) for item in result.unassessed] == [
        ("XQ2", "no_party_side", "无党组织(含业委会、社区党组织)", "S1"),
        ("XQ2", "no_committee", "无业委会(物管会、自管会)", "S1"), ("XQ2", "no_company", "无物业服务合同", "S1"),
        ("XQ3", "no_company", "无物业服务合同", "S2")]
    assert [(g.id, g.numerator, g.denominator) for g in result.rate_groups] == [("S1", 1, 2), ("S2", 0, 1)]
    assert [(g.id, g.count) for g in result.groups] == [("S1", 1), ("S2", 0)]  # assessed compounds, as before
    scoped = ask("X2", f, scope="SQ3")
    assert (scoped.numerator, scoped.denominator, [item.id for item in scoped.unassessed]) == (0, 1, ["XQ3"])
    assert ask("X2", f, scope="SQ2").rate is None
    rate = result.tables()[2]
    assert rate.rows[-1] == {"id": None, "name": "合计", "numerator": 1, "denominator": 3, "rate": 1 / 3}


def test_x2_party_side_includes_the_community_party_committee():
    """新源社区: 业委会主任兼职社区党总支委员, 社区干部兼职物业服务指导员 — the links run through the
    community 党总支, not a compound branch."""
    f = GraphFactory.city()
    general_branch = f.party_org("DZZ1", "党总支", based_in=[("Community", "SQ1")])
    xinyuan = f.compound("XQ1", "SQ1")
    committee, company = f.committee("YWH1", xinyuan), f.company("WY1", [xinyuan])
    other = f.compound("XQ2", "SQ3")  # SQ3 has no party organisation: no party side, not asked
    f.committee("YWH2", other)
    f.company("WY2", [other])
    director, deputy, cadre = f.person("P1"), f.person("P2"), f.person("P3")
    f.post(director, committee, "主任")
    f.post(director, general_branch, "兼职委员")
    f.post(deputy, general_branch, "副书记")
    f.post(deputy, committee, "委员")
    f.post(cadre, ("Community", "SQ1"), "委员")
    f.post(cadre, company, "物业服务指导员")
    result = ask("X2", f)
    (linkage,) = result.compounds
    assert (linkage.id, linkage.status) == ("XQ1", "complete")
    assert [p.id for p in linkage.party_committee_people] == ["P1", "P2"]
    assert [p.id for p in linkage.party_company_people] == ["P3"]
    compounds, counts, rate, unassessed = result.tables()
    assert compounds.rows == [{"community_id": "SQ1", "community": "SQ1社区", "street_id": "S1", "street": "S1街道",
                               "id": "XQ1", "name": "XQ1小区", "status": "完全联动", "party_committee": True,
                               "party_company": True, "party_committee_people": "人员P1、人员P2",
                               "party_company_people": "人员P3"}]
    assert counts.rows == [{"status": "完全联动", "count": 1}, {"status": "部分联动", "count": 0},
                           {"status": "未联动", "count": 0}]
    assert (result.numerator, result.denominator, rate.rows[-1]["rate"]) == (1, 2, 0.5)
    assert [(row["id"], row["reason"]) for row in unassessed.rows] == [("XQ2", "无党组织(含业委会、社区党组织)")]
    f.post(f.person("P4"), f.party_org("ZB2", "党支部", based_in=[other]), "书记")
    assert {c.id: c.status for c in ask("X2", f).compounds} == {"XQ1": "complete", "XQ2": "none"}


def test_xinyuan_seed_figures():
    """阳泉 新源社区 as the report tells it: 3 compounds, 3 branches, 10 党小组, 18 中心户, 3 业委会;
    业委会主任兼职社区党总支委员, 社区党总支副书记任业委会委员, 社区干部兼职物业服务指导员."""
    f = GraphFactory.city()
    general_branch = f.party_org("XY-DZZ", "党总支", based_in=[("Community", "SQ1")])
    deputy = f.person("XY-FSJ", party_member=True)
    f.post(deputy, general_branch, "副书记")
    cadre = f.person("XY-GB")
    f.post(cadre, ("Community", "SQ1"), "委员")
    groups = 0
    for n, (buildings, households) in enumerate(((4, 7), (3, 6), (3, 5)), start=1):
        x = f.compound(f"XY{n}", "SQ1", buildings=buildings)
        f.party_org(f"XY{n}-ZB", "党支部", based_in=[x], parent="XY-DZZ")
        for b in range(1, buildings + 1):
            groups += 1
            group = f.party_org(f"XY{n}-XZ{b}", "党小组", based_in=[("Building", f"XY{n}-{b}")], parent=f"XY{n}-ZB")
            for h in range(households // buildings + (b <= households % buildings)):
                f.post(f.person(f"XY{n}-{b}-{h}", party_member=True), group, "党员中心户")
        committee, company = f.committee(f"XY{n}-YWH", x), f.company(f"XY{n}-WY", [x])
        director = f.person(f"XY{n}-ZR")
        f.post(director, committee, "主任")
        f.post(director, general_branch, "兼职委员")
        if n < 3:  # the third company has no instructor yet: only one link
            f.post(cadre, company, "物业服务指导员")
    f.post(deputy, ("OwnerCommittee", "XY1-YWH"), "委员")
    assert groups == 10
    assert [(ask(code, f).numerator, ask(code, f).denominator) for code in ("C1", "C3", "C8")] == [(3, 3), (3, 3), (2, 3)]
    assert {c.id: c.status for c in ask("X2", f).compounds} == {"XY1": "complete", "XY2": "complete", "XY3": "partial"}
    assert ask("B15", f).items == []
    structure = ask("S1", f, scope="SQ1").total
    assert (structure.party_orgs["general_branch"], structure.party_orgs["branch"], structure.party_orgs["group"],
            structure.central_households, structure.compounds, structure.buildings) == (1, 3, 10, 18, 3, 10)
    (committee,) = ask("X3", f).committees
    assert [m.person_id for m in committee.members] == ["XY1-ZR", "XY2-ZR", "XY3-ZR"]


def test_x3_street_working_committee_and_part_time_deputy_secretary():
    f = GraphFactory.city()
    working = f.party_org("DGW1", "党工委", based_in=[("Street", "S1")])
    big = f.party_org("DW1", "党委", based_in=[("Community", "SQ3")])
    f.party_org("DGW9", "党工委", based_in=[("Community", "SQ1")])  # not based in a street: not asked
    unit_head, deputy, first = f.person("P1"), f.person("P2"), f.person("P3")
    f.post(unit_head, working, "兼职委员")
    f.post(unit_head, f.unit("DW01", "SQ1"), "负责人")
    f.post(deputy, big, "兼职副书记")
    f.post(first, big, "第一书记")
    result = ask("X3", f)
    members = {c.id: [(m.person_id, m.role, [s.org_id for s in m.sources]) for m in c.members]
               for c in result.committees}
    assert members == {"DGW1": [("P1", "part_time_member", ["DW01"])],
                       "DW1": [("P2", "part_time_deputy_secretary", [])]}
    working_row = next(c for c in result.committees if c.id == "DGW1")
    assert (working_row.community_id, working_row.street_id) == (None, "S1")
    assert [c.id for c in ask("X3", f, scope="S1").committees] == ["DGW1"]
    assert [c.id for c in ask("X3", f, scope="SQ3").committees] == ["DW1"]


def test_x3_part_time_members_and_where_they_come_from():
    f = GraphFactory.city()
    x, branch, committee, company = linked_compound(f)
    big = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    f.party_org("ZZ1", "党总支", based_in=[("Community", "SQ3")])
    f.party_org("DW9", "党委", based_in=[x])  # not based in a community: not asked
    director, flagged, full_time = f.person("P1"), f.person("P2"), f.person("P3")
    f.post(director, big, "兼职委员")
    f.post(director, committee, "主任")
    f.post(director, company, "项目经理", end="2025-01-01")
    f.post(flagged, big, "委员", part_time=True)
    f.post(full_time, big, "书记")
    result = ask("X3", f)
    members = {c.id: [(m.person_id, [s.org_id for s in m.sources]) for m in c.members] for c in result.committees}
    assert members == {"DW1": [("P1", ["YWHXQ1"]), ("P2", [])], "ZZ1": []}
    (table,) = result.tables()
    dw1 = {"org_id": "DW1", "org_name": "DW1党委", "community_id": "SQ1", "community": "SQ1社区", "street_id": "S1",
           "street": "S1街道"}
    assert table.rows == [  # a committee without part-time members still has its row
        {**dw1, "person_id": "P1", "person_name": "人员P1", "phone": None, "role": "兼职委员",
         "sources": [Words("业委会 YWHXQ1业委会（主任）", "Owner Committee YWHXQ1业委会 (director)")]},
        {**dw1, "person_id": "P2", "person_name": "人员P2", "phone": None, "role": "委员", "sources": []},
        {"org_id": "ZZ1", "org_name": "ZZ1党总支", "community_id": "SQ3", "community": "SQ3社区", "street_id": "S2",
         "street": "S2街道", "person_id": None, "person_name": None, "phone": None, "role": None, "sources": None}]
    f.post(director, company, "客服主管")  # back in the company: P1 now comes from two organisations
    assert ask("X3", f).tables()[0].rows[0]["sources"] == [
        Words("业委会 YWHXQ1业委会（主任）", "Owner Committee YWHXQ1业委会 (director)"),
        Words("物业企业 WYXQ1物业（客服主管）", "Property Company WYXQ1物业 (客服主管)")]  # a role as written stays
    assert ask("X3", f, scope="S2").committees[0].id == "ZZ1"


def test_x4_conflict_of_interest():
    f = GraphFactory.city()
    x, _, committee, company = linked_compound(f, "XQ1")
    _, _, _, other_company = linked_compound(f, "XQ2")
    conflicted, elsewhere, former = f.person("P1"), f.person("P2"), f.person("P3")
    f.post(conflicted, committee, "主任")
    f.post(conflicted, company, "项目经理")
    f.post(elsewhere, committee, "委员")
    f.post(elsewhere, other_company, "项目经理")  # manages another compound: no conflict
    f.post(former, committee, "委员")
    f.post(former, company, "项目经理", end="2026-06-29")
    result = ask("X4", f)
    assert [(c.person_id, c.compound_id, c.committee_role_zh, c.company_role_zh) for c in result.conflicts] == [
        ("P1", "XQ1", "主任", "项目经理")]
    conflicts, groups = ask("X4", f, by="street").tables()
    assert conflicts.rows == [{
        "community_id": "SQ1", "community": "SQ1社区", "street_id": "S1", "street": "S1街道", "person_id": "P1",
        "person_name": "人员P1", "phone": None, "compound_id": "XQ1", "compound_name": "XQ1小区",
        "committee_id": "YWHXQ1", "committee_name": "YWHXQ1业委会", "committee_role_zh": "主任", "company_id": "WYXQ1",
        "company_name": "WYXQ1物业", "company_role_zh": "项目经理"}]
    assert groups.rows == [{"id": "S1", "name": "S1街道", "count": 1}, {"id": "S2", "name": "S2街道", "count": 0}]


def test_x4_lists_conflicts_street_by_street_then_community_unplaced_first():
    f = GraphFactory.city()
    f.community("SQ0", "S2")
    person = f.person("P1", phone="13812345678")
    for compound, community in (("XQ1", "SQ0"), ("XQ8", "SQ2"), ("XQ9", "SQ1"), ("XQ7", None)):
        x = f.compound(compound, community)
        f.post(person, f.committee(f"YWH{compound}", x), "主任")
        f.post(person, f.company(f"WY{compound}", [x]), "项目经理")
    result = ask("X4", f, by="street")
    assert [(c.compound_id, c.street_id, c.phone) for c in result.conflicts] == [
        ("XQ7", None, "13812345678"), ("XQ9", "S1", "13812345678"), ("XQ8", "S1", "13812345678"),
        ("XQ1", "S2", "13812345678")]
    assert [(group.id, group.count) for group in result.groups] == [("S1", 2), ("S2", 1), (None, 1)]
    assert [c.compound_id for c in ask("X4", f, scope="S1").conflicts] == ["XQ9", "XQ8"]


def test_x1_x5_skip_people_below_the_bar_and_group_the_rest():
    f = GraphFactory.city()
    quiet, busy = f.person("P1"), f.person("P2", phone="13812345678")  # P1, met first, is below both bars
    f.post(quiet, f.party_org("ZB1", "党支部", based_in=[("Community", "SQ1")]), "委员")
    f.post(busy, ("PartyOrg", "ZB1"), "书记")
    f.post(busy, f.committee("YWH1", f.compound("XQ1", "SQ3")), "主任")
    x1, x5 = ask("X1", f, by="street"), ask("X5", f, n=1, by="street")
    for result in (x1, x5):
        assert [(person.person_id, person.phone) for person in result.people] == [("P2", "13812345678")]
        assert [(group.id, group.count) for group in result.groups] == [("S1", 0), ("S2", 1)]  # at YWH1, its first post
    assert (x1.people[0].kinds, x5.people[0].kinds) == (["OwnerCommittee", "PartyOrg"], [])
    people, posts, groups = x1.tables()
    person = {"person_id": "P2", "person_name": "人员P2", "phone": "13812345678"}
    sq1 = {"community_id": "SQ1", "community": "SQ1社区", "street_id": "S1", "street": "S1街道"}
    sq3 = {"community_id": "SQ3", "community": "SQ3社区", "street_id": "S2", "street": "S2街道"}
    assert people.rows == [{**person, "kinds": "业委会、党组织", "post_count": 2, **sq3}]
    held = {"part_time": False, "start": None, "end": None}
    assert posts.rows == [
        {**person, **sq3, "org_label": "业委会", "org_id": "YWH1", "org_name": "YWH1业委会", "role": "主任", **held},
        {**person, **sq1, "org_label": "党组织", "org_id": "ZB1", "org_name": "ZB1党支部", "role": "书记", **held}]
    assert groups.rows == [{"id": "S1", "name": "S1街道", "count": 0}, {"id": "S2", "name": "S2街道", "count": 1}]
    assert [(person.person_id, person.post_count) for person in ask("X5", f, n=0).people] == [("P1", 1), ("P2", 2)]


def test_x1_lists_people_street_by_street_then_community_unplaced_first():
    f = GraphFactory.city()
    f.community("SQ0", "S2")
    for code, community in (("P1", "SQ0"), ("P2", "SQ2"), ("P3", "SQ1"), ("P4", None)):
        x, person = f.compound(f"XQ{code}", community), f.person(code)
        f.post(person, f.committee(f"YWH{code}", x), "主任")
        f.post(person, f.company(f"WY{code}", [x]), "项目经理")
    assert [(person.person_id, person.street_id) for person in ask("X1", f).people] == [
        ("P4", None), ("P3", "S1"), ("P2", "S1"), ("P1", "S2")]
    assert [person.person_id for person in ask("X1", f, scope="S1").people] == ["P3", "P2"]  # P1, met first, is out


def test_x5_post_concentration_with_threshold():
    f = GraphFactory.city()
    busy, normal = f.person("P1"), f.person("P2")
    for number in range(4):
        f.post(busy, f.party_org(f"ZB{number}", "党支部", based_in=[("Community", "SQ1")]), "委员")
    for number in range(3):
        f.post(normal, ("PartyOrg", f"ZB{number}"), "书记")
    f.post(normal, ("PartyOrg", "ZB3"), "书记", end="2020-01-01")
    assert [p.person_id for p in ask("X5", f).people] == ["P1"]
    assert [p.person_id for p in ask("X5", f, n=2).people] == ["P1", "P2"]
    assert ask("X5", f, n=2).n == 2 and ask("X5", f).people[0].post_count == 4


def test_x5_a_person_placed_at_the_street_comes_before_its_communities():
    """Listed street by street, and within a street the 大工委's people (no community) first."""
    f = GraphFactory.city()
    working = f.party_org("GW1", "党工委", based_in=[("Street", "S1")])
    committee = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    for person, org in ((f.person("P1"), committee), (f.person("P9"), working)):
        f.post(person, org, "书记")
        f.post(person, org, "委员")
    people = ask("X5", f, n=1).people
    assert [(p.person_id, p.street_id, p.community_id) for p in people] == [("P9", "S1", None), ("P1", "S1", "SQ1")]


def test_x1_x4_x5_posts_terms_and_contracts_beginning_or_ending_on_the_as_of_date():
    """A newcomer whose committee and company posts, term and contract all begin on the as-of date,
    and a leaver whose all end on it, are both cross-appointed today."""
    f = GraphFactory.city()
    today = AS_OF.isoformat()
    beginning, ending = f.compound("XQ1", "SQ1"), f.compound("XQ2", "SQ3")
    new_committee, old_committee = (f.committee("YWH1", beginning, term_start=today),
                                    f.committee("YWH2", ending, term_end=today))
    new_company, old_company = f.company("WY1", [beginning], start=today), f.company("WY2", [ending], end=today)
    newcomer, leaver, former = f.person("P1"), f.person("P2"), f.person("P3")
    f.post(newcomer, new_committee, "委员", part_time=True, start=today)
    f.post(newcomer, new_company, "项目经理", start=today)
    f.post(leaver, old_committee, "主任", end=today)
    f.post(leaver, old_company, "项目经理", end=today)
    f.post(former, old_committee, "委员", end="2026-06-29")
    f.post(former, old_company, "项目经理")
    assert [(c.person_id, c.compound_id, c.committee_id, c.company_id) for c in ask("X4", f).conflicts] == [
        ("P1", "XQ1", "YWH1", "WY1"), ("P2", "XQ2", "YWH2", "WY2")]
    # WY1 is placed by its contract beginning today
    day = AS_OF
    assert [(person.person_id, [(post.org_id, post.community_id, post.part_time, post.start, post.end)
                                for post in person.posts]) for person in ask("X1", f).people] == [
        ("P1", [("YWH1", "SQ1", True, day, None), ("WY1", "SQ1", False, day, None)]),
        ("P2", [("YWH2", "SQ3", False, None, day), ("WY2", "SQ3", False, None, day)])]
    assert [(person.person_id, person.post_count) for person in ask("X5", f, n=1).people] == [("P1", 2), ("P2", 2)]


def test_x2_links_posts_terms_and_contracts_beginning_or_ending_on_the_as_of_date():
    """In XQ1 the committee's term, the contract and every post begin on the as-of date; in XQ2 all end on it."""
    f = GraphFactory.city()
    today = AS_OF.isoformat()
    f.compound("XQ0", "SQ1")  # met first, with no party side: passed over
    for compound, community, bound in (("XQ1", "SQ1", "start"), ("XQ2", "SQ3", "end")):
        x = f.compound(compound, community)
        branch = f.party_org(f"ZB{compound}", "党支部", based_in=[x])
        general_branch = f.party_org(f"DZZ{compound}", "党总支", based_in=[("Community", community)])
        committee = f.committee(f"YWH{compound}", x, **{f"term_{bound}": today})
        company = f.company(f"WY{compound}", [x], **{bound: today})
        member, manager, cadre = (f.person(f"{kind}{compound}", phone=f"1380000000{n}")
                                  for n, kind in enumerate(("M", "J", "G")))
        f.post(member, branch, "委员", **{bound: today})
        f.post(member, committee, "委员", **{bound: today})
        f.post(manager, general_branch, "委员", **{bound: today})
        f.post(manager, company, "项目经理", **{bound: today})
        f.post(cadre, ("Community", community), "委员", **{bound: today})
        f.post(cadre, company, "物业服务指导员", **{bound: today})
    links = {c.id: (c.status, [(p.id, p.phone) for p in c.party_committee_people],
                    [(p.id, p.phone) for p in c.party_company_people]) for c in ask("X2", f).compounds}
    assert links == {
        "XQ1": ("complete", [("MXQ1", "13800000000")], [("GXQ1", "13800000002"), ("JXQ1", "13800000001")]),
        "XQ2": ("complete", [("MXQ2", "13800000000")], [("GXQ2", "13800000002"), ("JXQ2", "13800000001")])}


def test_x3_part_time_posts_beginning_or_ending_on_the_as_of_date():
    f = GraphFactory.city()
    big = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    f.party_org("DGW1", "党工委", based_in=[("Street", "S1")])  # in S1 but in no community: listed first
    newcomer, leaver, former = f.person("P1", phone="13812345678"), f.person("P2"), f.person("P3")
    f.post(newcomer, big, "兼职委员", start="2026-06-30")
    f.post(newcomer, f.unit("DW01", "SQ1"), "负责人", start="2026-06-30")
    f.post(leaver, big, "兼职委员", end="2026-06-30")
    f.post(leaver, f.unit("DW02", "SQ1"), "负责人", end="2026-06-30")
    f.post(leaver, f.unit("DW03", "SQ1"), "负责人", end="2026-06-29")  # left the day before
    f.post(former, big, "兼职委员", end="2026-06-29")
    f.party_org("DW0", "党委")  # based nowhere: not asked
    result = ask("X3", f, by="street")
    members = {c.id: [(m.person_id, m.phone, [(s.org_label, s.org_id) for s in m.sources]) for m in c.members]
               for c in result.committees}
    assert members == {"DGW1": [], "DW1": [("P1", "13812345678", [("ResidentUnit", "DW01")]),
                                           ("P2", None, [("ResidentUnit", "DW02")])]}
    assert [c.id for c in result.committees] == ["DGW1", "DW1"]
    assert [(group.id, group.count) for group in result.groups] == [("S1", 2), ("S2", 0)]


# -- scope, grouping, registry ------------------------------------------------------------------
def test_unplaced_things_form_their_own_group():
    f = GraphFactory.city()
    f.compound("XQ1")  # in no community
    result = ask("C1", f, by="street")
    assert [(g.id, g.name, g.denominator) for g in result.groups][-1] == (None, "未归属", 1)
    assert ask("C1", f, scope="S1").denominator == 0


def test_unknown_scope_grouping_code_and_parameter():
    f = GraphFactory.city()
    with pytest.raises(QueryError, match="unknown scope 'S9'") as error:
        ask("C1", f, scope="S9")
    assert "S1" in error.value.hint
    with pytest.raises(QueryError, match="^cannot group by 'district'$") as error:
        ask("C1", f, by="district")
    assert error.value.hint == "use --by street or --by community"
    with pytest.raises(QueryError, match="^unknown question 'C99'$") as error:
        ask("C99", f)
    assert error.value.hint == "questions: " + ", ".join(QUESTIONS)
    with pytest.raises(QueryError, match="^unknown question group 'covered'$") as error:
        run_group("covered", f.graph, as_of=AS_OF)
    assert error.value.hint == "use one of: coverage, cross, blindspots, structure, candidates, outcomes, all"
    with pytest.raises(QueryError, match="no parameter 'n'") as error:
        ask("C1", f, n=2)
    assert error.value.hint == "C1 parameters: none"
    # a bad scope or grouping is said before the parameters are looked at
    with pytest.raises(QueryError, match="^unknown scope 'S9'"):
        ask("C1", f, scope="S9", n=2)
    with pytest.raises(QueryError, match="^cannot group by 'district'$"):
        ask("C1", f, by="district", n=2)
    with pytest.raises(QueryError, match="^X5 takes no parameter 'm'$") as error:
        ask("X5", f, m=2)
    assert error.value.hint == "X5 parameters: n"
    with pytest.raises(QueryError, match="^cannot ask questions of a list$") as error:
        run("C1", [])
    assert error.value.hint == "pass a GovernanceGraph or a backend with fetch_rows(question, params)"


def test_registry_and_groups():
    kinds = [question.kind for question in QUESTIONS.values()]
    assert kinds == sorted(kinds, key=list(KINDS).index)  # kind after kind, in the order of KINDS
    for kind in set(kinds):  # each kind's codes one letter, numbered 1, 2, 3 … without a gap
        codes = [code for code, question in QUESTIONS.items() if question.kind == kind]
        assert codes == [f"{codes[0][0]}{number}" for number in range(1, len(codes) + 1)], kind
    assert QUESTIONS["B5"].cypher_name == "B5.cypher"
    assert QUESTIONS["O1"].cypher_name == QUESTIONS["O3"].cypher_name == "outcomes.cypher"  # one fetch, three groupings
    assert code_span(["X4", "X5"]) == "X4–X5"  # two in a row are a span too
    assert describe_codes([QUESTIONS["C1"], QUESTIONS["C2"]]) == "C1–C2"  # one kind: one span
    assert describe_codes([QUESTIONS["C1"], QUESTIONS["X5"]]) == "C1 and X5"
    assert re.fullmatch(r"question codes are C1–C\d+, X1–X\d+, B1–B\d+, S1, R1–R\d+ and O1–O\d+; "
                        "groups are coverage, cross, blindspots, structure, candidates, outcomes, all", codes_hint())
    f = GraphFactory.city()
    linked_compound(f)
    results = run_group("all", f.graph, as_of=AS_OF, n=5)
    assert list(results) == list(QUESTIONS)
    assert results["X5"].n == 5
    assert {result.as_of for result in results.values()} == {AS_OF}
    assert list(run_group("structure", f.graph, as_of=AS_OF)) == ["S1"]
    for code, result in results.items():
        assert isinstance(result, QUESTIONS[code].result_type)
        assert result.model_dump(mode="json")["code"] == code
        tables = result.tables()
        assert tables and all(isinstance(table, Table) for table in tables)
        assert all(set(row) <= {c.key for c in table.columns} for table in tables for row in table.rows)
        assert all("id_hash" not in row for table in tables for row in table.rows)


def test_a_trusted_result_knows_every_field_as_set_and_can_be_copied_with_changes():
    from queries.results import Item, trusted

    fields = {"community_id": "SQ1", "community": "和平社区", "street_id": "S1", "street": "城关街道",
              "label": "Compound", "id": "XQ1", "name": "幸福小区", "reason": "no_party_org",
              "reason_zh": "无党组织", "detail": None}
    item = trusted(Item, dict(fields))
    assert item == Item(**fields) and item.model_fields_set == set(Item.model_fields)
    assert trusted(Item, dict(fields)).model_fields_set == set(Item.model_fields)  # the second, from the memo
    assert item.model_copy(update={"name": "幸福家园"}).name == "幸福家园"


def test_results_built_without_validation_are_valid():
    """The big lists are built with ``trusted`` (no validation): each result, dumped and validated
    again, must give back the very same result (a date left as text, say, would not)."""
    f = GraphFactory.city()
    x, branch, committee, company = linked_compound(f)
    f.compound("XQ9", "SQ2")
    f.building("LD9", "XQ9")
    f.list_item("XQD1", "需求", "SQ1")
    big = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    busy, linker = f.person("P1", phone="13812345678"), f.person("P2")
    for org, role in ((branch, "书记"), (committee, "主任"), (company, "项目经理"), (big, "兼职委员")):
        f.post(busy, org, role, start="2025-01-01", end="2027-12-31")
    f.post(linker, branch, "委员")
    f.post(linker, committee, "委员", part_time=True)
    results = {}
    for by in (None, "community"):
        results = run_group("all", f.graph, as_of=AS_OF, by=by)
        for code, result in results.items():
            fields = result.model_dump(exclude_computed_fields=True)  # the rates are worked out again
            assert type(result).model_validate(fields) == result, code
            assert type(result).model_validate_json(result.model_dump_json(exclude_computed_fields=True)) == result
    assert all(results[code].people for code in ("X1", "X5"))
    assert results["X2"].compounds and results["X3"].committees[0].members and results["X4"].conflicts
    assert results["X1"].people[0].posts[0].start == dt.date(2025, 1, 1)


def test_questions_pause_the_garbage_collector_only_while_they_run():
    f = GraphFactory.city()
    seen = []

    class WatchingBackend:
        def fetch_rows(self, question, params):
            seen.append(gc.isenabled())
            return queries.backend_for(f.graph).fetch_rows(question, params)

    run("C1", WatchingBackend(), as_of=AS_OF)
    assert seen == [False, False] and gc.isenabled()
    with pytest.raises(QueryError):
        run_group("all", f.graph, scope="nowhere")
    assert gc.isenabled()
    gc.disable()
    try:
        run("C1", f.graph, as_of=AS_OF)
        assert not gc.isenabled()  # a caller's own choice is left alone
    finally:
        gc.enable()


def test_backend_seam_assembles_rows_from_any_backend():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1")
    embedded = queries.backend_for(f.graph)
    asked = []

    class RecordingBackend:
        def fetch_rows(self, question, params):
            asked.append((question.cypher_name, params))
            return embedded.fetch_rows(question, params)

    result = run("X5", RecordingBackend(), as_of=AS_OF)
    assert asked == [("areas.cypher", {}), ("X5.cypher", {"as_of": "2026-06-30", "n": 3})]
    assert result == run("X5", f.graph, as_of=AS_OF)
    with pytest.raises(QueryError, match="cannot ask"):
        run("C1", object())


def test_b7_a_backend_s_rows_in_any_order_place_a_company_at_its_first_compound_by_id():
    f = GraphFactory.city()
    f.company("WY1", [f.compound("XQ2", "SQ3"), f.compound("XQ1", "SQ1")])
    embedded = queries.backend_for(f.graph)

    class ReversingBackend:  # a server returns rows in no fixed order
        def fetch_rows(self, question, params):
            return embedded.fetch_rows(question, params)[::-1]

    [item] = run("B7", ReversingBackend(), as_of=AS_OF).items
    assert (item.id, item.community_id, item.street_id) == ("WY1", "SQ1", "S1")


# -- one network (C16), cases (C18, B16) and property ratings (B17) ------------------------------
def test_c16_each_open_grid_type_its_own_rate():
    """平武 全科网格 and 安全生产网格: two types nobody named, each counted on its own."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=2)
    x2, x3 = f.compound("XQ2", "SQ1"), f.compound("XQ3", "SQ3")
    f.grid("WG1", "SQ1", "全科网格", covers=(("Building", "XQ1-2"),))  # one building is enough
    f.grid("WG2", "SQ1", "安全生产网格", covers=(x2,))
    f.grid("WG3", "SQ3", "应急网格", covers=(x3,))  # 应急管理网格 under an alias
    f.grid("WG4", "SQ3", "全科网格")  # covers nothing
    result = ask("C16", f)
    assert [(t.grid_type, t.grid_type_zh, t.numerator, t.denominator) for t in result.types] == [
        ("emergency", "应急管理网格", 1, 3), ("全科网格", "全科网格", 1, 3), ("安全生产网格", "安全生产网格", 1, 3)]
    assert result.missing == [] and result.grid_type is None
    narrowed = ask("C16", f, grid_type="全科网格", by="community")
    assert [(t.grid_type, t.numerator, t.denominator) for t in narrowed.types] == [("全科网格", 1, 3)]
    assert [(g.id, g.numerator, g.denominator) for g in narrowed.types[0].groups] == [
        ("SQ1", 1, 2), ("SQ2", 0, 0), ("SQ3", 0, 1)]
    assert [(item.id, item.reason) for item in narrowed.missing] == [("XQ2", "no_grid_of_type"),
                                                                     ("XQ3", "no_grid_of_type")]
    rates, missing = narrowed.tables()
    kind = {"grid_type": "全科网格"}
    assert rates.rows == [
        {**kind, "id": "SQ1", "name": "SQ1社区", "numerator": 1, "denominator": 2, "rate": 0.5},
        {**kind, "id": "SQ2", "name": "SQ2社区", "numerator": 0, "denominator": 0, "rate": None},
        {**kind, "id": "SQ3", "name": "SQ3社区", "numerator": 0, "denominator": 1, "rate": 0.0},
        {**kind, "id": None, "name": "合计", "numerator": 1, "denominator": 3, "rate": 1 / 3}]
    assert [(row["id"], row["label"], row["reason"]) for row in missing.rows] == [
        ("XQ2", "小区", "未纳入该类网格"), ("XQ3", "小区", "未纳入该类网格")]
    in_s2 = ask("C16", f, scope="S2")  # the types of the grids in the scope, over its compounds
    assert [(t.grid_type, t.numerator, t.denominator) for t in in_s2.types] == [("emergency", 1, 1),
                                                                              ("全科网格", 0, 1)]
    assert ask("C16", f, grid_type="应急管理").types[0].grid_type == "emergency"


def test_c16_named_types_in_schema_order_and_the_missing_compounds_in_full():
    f = GraphFactory.city()
    x1, x2, x3 = f.compound("XQ1", "SQ1"), f.compound("XQ2", "SQ1"), f.compound("XQ3", "SQ2")
    f.compound("XQ4")  # in no community
    f.grid("WG1", "SQ1", "应急网格", covers=(x3,))
    f.grid("WG2", "SQ1", "党建网格", covers=(x1, x2))
    result = ask("C16", f, by="community")
    assert [t.grid_type for t in result.types] == ["party_building", "emergency"]  # GridType's order, not A-Z
    assert [(g.id, g.numerator, g.denominator) for g in result.types[0].groups] == [
        ("SQ1", 2, 2), ("SQ2", 0, 1), ("SQ3", 0, 0), (None, 0, 1)]
    narrowed = ask("C16", f, grid_type="应急管理网格")
    assert narrowed.grid_type == "emergency"
    assert [(item.label, item.id, item.name, item.community_id, item.reason, item.reason_zh, item.detail)
            for item in narrowed.missing] == [
        ("Compound", "XQ4", "XQ4小区", None, "no_grid_of_type", "未纳入该类网格", None),  # unplaced first
        ("Compound", "XQ1", "XQ1小区", "SQ1", "no_grid_of_type", "未纳入该类网格", None),
        ("Compound", "XQ2", "XQ2小区", "SQ1", "no_grid_of_type", "未纳入该类网格", None)]


def test_c18_cases_closed_by_the_as_of_date():
    """阳泉: 收集信息18925条，处置18807条 — closed by the as-of date, among those received by it."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=1)
    f.case("GD1", ("Building", "XQ1-1"), received="2026-01-10", closed="2026-06-30")  # closed on the day
    f.case("GD2", ("Compound", "XQ1"), received="2026-06-30")  # received on the day, open
    f.case("GD3", ("Community", "SQ3"), received="2026-05-01", closed="2026-07-01")  # closed the day after
    f.case("GD4", ("Community", "SQ3"), received="2026-07-01", closed="2026-07-02")  # not yet received
    f.case("GD5", ("Compound", "XQ1"), received="2026-06-01", closed="2026-06-02", source="居民上报")
    result = ask("C18", f, by="street")
    assert (result.numerator, result.denominator, result.since) == (2, 4, None)
    assert [(item.id, item.community_id, item.street_id) for item in result.missing] == [
        ("GD2", "SQ1", "S1"), ("GD3", "SQ3", "S2")]
    assert [(g.id, g.numerator, g.denominator) for g in result.groups] == [("S1", 2, 3), ("S2", 0, 1)]
    assert result.median_days_to_close == 86.0  # GD1 took 171 days, GD5 one
    assert [(g.id, g.median) for g in result.median_groups] == [("S1", 86.0), ("S2", None)]  # GD3 still open
    assert [row["median_days_to_close"] for row in result.tables()[0].rows] == [86.0, None, 86.0]
    since = ask("C18", f, since=dt.date(2026, 6, 1))  # received on the first day counts
    assert (since.numerator, since.denominator, since.since) == (1, 2, dt.date(2026, 6, 1))
    assert ask("C18", f, since="2026-06-02").denominator == 1
    assert ask("C18", f, scope="SQ2").rate is None


def test_b16_ninety_days_end_on_the_as_of_date():
    """The window is as-of − 89 … as-of: a case received exactly 90 days before no longer counts."""
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=2)
    f.compound("XQ2", "SQ3", buildings=1)
    first_day, outside = "2026-04-02", "2026-04-01"  # as-of − 89 days, as-of − 90 days
    assert dt.date.fromisoformat(first_day) == AS_OF - dt.timedelta(days=89)
    for n, received in enumerate((first_day, "2026-05-01", "2026-06-01", "2026-06-20", "2026-06-30")):
        f.case(f"A{n}", ("Building", f"XQ1-{n % 2 + 1}"), received=received, closed="2026-06-30")
    for n, received in enumerate((outside, "2026-05-01", "2026-06-01", "2026-06-20", "2026-07-01")):
        f.case(f"B{n}", ("Compound", "XQ2"), received=received)
    f.case("C0", ("Community", "SQ3"), received="2026-06-01")  # about the community: no compound's
    result = ask("B16", f, by="community")
    assert [(item.id, item.reason, item.detail) for item in result.items] == [("XQ1", "frequent_cases", "5")]
    assert result.min_cases == 5 and [g.count for g in result.groups] == [1, 0, 0]
    assert [(item.id, item.detail) for item in ask("B16", f, min_cases=3).items] == [("XQ1", "5"), ("XQ2", "3")]
    assert result.monthly == {"XQ1": [2, 0, 3]}  # 04-02 … 05-01, 05-02 … 05-31, 06-01 … 06-30
    assert ask("B16", f, min_cases=3).monthly == {"XQ1": [2, 0, 3], "XQ2": [1, 0, 2]}
    assert result.tables()[0].rows[0]["monthly"] == "2/0/3"
    a_day_later = run("B16", f.graph, as_of=AS_OF + dt.timedelta(days=1), min_cases=4)
    assert [(item.id, item.detail) for item in a_day_later.items] == [("XQ1", "4"), ("XQ2", "4")]
    assert a_day_later.monthly == {"XQ1": [1, 1, 2], "XQ2": [1, 1, 2]}


def test_b17_lists_a_black_listed_company_met_after_an_unrated_one_with_its_label_and_name():
    f = GraphFactory.city()
    f.company("WY1", [f.compound("XQ1", "SQ1")])  # never rated: skipped, not the end of the list
    x2 = f.compound("XQ2", "SQ2")
    f.rating(f.company("WY2", [x2]), x2, "2026-03-31", "黑榜")
    assert [(item.label, item.id, item.name, item.reason, item.detail) for item in ask("B17", f).items] == [
        ("PropertyCompany", "WY2", "WY2物业", "black_listed", "XQ2")]


# The 18 kinds of grid 莒南 merged into one network: the six the schema names and twelve it does not.
JUNAN_GRID_TYPES = ("综合网格", "党建网格", "综合执法网格", "市场监管网格", "生态环境网格", "应急管理网格",
                    "安全生产网格", "消防网格", "卫生健康网格", "民政网格", "人社网格", "司法网格", "信访网格",
                    "城管网格", "农业网格", "水利网格", "自然资源网格", "住建网格")


def junan_county(merged: bool = False) -> GraphFactory:
    """莒南县 (371327) as its report tells it: 23 communities, 301 grids, 148 compounds each with a
    party organisation, a property company and an owners' committee, 179 同心驿 in those 148
    compounds; and the first compound, 爱琴海小区, with 473 cases (工单) in 2022 and 8, 9 and 7 in the
    last three months to the as-of date, all closed. Before the merger the grids are of 18 kinds, two
    kinds over every compound; ``merged``, "18类网格统一合并为'一张网'": every grid is a 综合网格
    over buildings of its community."""
    f = GraphFactory()
    f.district("371327")
    communities = [f"371327{street:03d}{n:03d}" for street in (1, 2, 3) for n in range(1, 9)][:23]
    for street in (1, 2, 3):
        f.street(f"371327{street:03d}", "371327")
    compounds, grids = [], 0
    for index, community in enumerate(communities):
        f.community(community, community[:9])
        mine = [f.compound(f"XQ{community}{n:02d}", community, buildings=2) for n in range(6 + (index < 10))]
        compounds.extend(mine)
        buildings = [("Building", f"{compound[1]}-{number}") for compound in mine for number in (1, 2)]
        for n in range(13 + (index < 2)):
            if merged:
                f.grid(f"WG{community}{n:02d}", community, "综合网格", covers=(buildings[n % len(buildings)],))
            else:
                f.grid(f"WG{community}{n:02d}", community, JUNAN_GRID_TYPES[grids % len(JUNAN_GRID_TYPES)],
                       covers=(mine[n % len(mine)],))
            grids += 1
    for n, compound in enumerate(compounds):
        f.party_org(f"DZB{n:03d}", "党支部", based_in=[compound])
        f.committee(f"YWH{n:03d}", compound, "业委会", "2024-01-01", "2028-12-31")
        f.company(f"WY{n % 30:02d}", [compound], start="2023-01-01")
    for n in range(179):  # one in every compound, a second in a building of 31 of them
        compound = compounds[n % len(compounds)]
        f.venue(f"TXY{n:03d}", compound if n < 148 else ("Building", f"{compound[1]}-1"), "同心驿")
    aiqinhai = compounds[0]
    for n in range(473):  # through 2022, about the compound or one of its two buildings
        received = dt.date(2022, 1, 1) + dt.timedelta(days=n * 365 // 473)
        about = (("Building", f"{aiqinhai[1]}-{n % 2 + 1}"), aiqinhai)[n % 2]
        f.case(f"GD{n:04d}", about, received=received.isoformat(), closed=(received + dt.timedelta(days=3)).isoformat())
    for month, cases in enumerate((8, 9, 7)):  # the 30-day months ending on the as-of date, oldest first
        for n in range(cases):
            received = AS_OF - dt.timedelta(days=89 - 30 * month - n)
            f.case(f"GDR{month}{n}", aiqinhai, received=received.isoformat(), closed=AS_OF.isoformat())
    return f


def test_junan_seed_figures():
    """莒南: 23 communities, 301 grids, 148 compounds; C1 = C2 = C3 = 148/148; 党建、综合执法、市场监管、
    生态环境、应急管理等18类网格 merged into one network; 在148个小区建设"同心驿"179处."""
    f = junan_county()
    counts = f.graph.label_counts()
    assert (counts["Community"], counts["Grid"], counts["Compound"]) == (23, 301, 148)
    assert [(ask(code, f).numerator, ask(code, f).denominator) for code in ("C1", "C2", "C3")] == [(148, 148)] * 3
    c16 = ask("C16", f, scope="371327")
    assert len(c16.types) == 18
    assert {t.grid_type_zh for t in c16.types} == set(JUNAN_GRID_TYPES)
    assert all(t.denominator == 148 and t.numerator > 0 for t in c16.types)
    assert ask("B5", f).counts["overlap"] == 0  # 18 kinds, none doubled: no false overlap
    # But a compound under two grids lies in two kinds: 7 + 7 of the first two communities' compounds,
    # 6 of 7 in the next eight (13 grids), all 6 in the last thirteen: 140 compounds, 280 buildings.
    unmerged = ask("B19", f)
    assert len(unmerged.items) == 280 and {item.reason for item in unmerged.items} == {"unmerged_grids"}
    assert unmerged.items[0].detail.count("; ") == 1
    merged = junan_county(merged=True)
    assert merged.graph.label_counts()["Grid"] == 301 and ask("B19", merged).items == []
    assert [t.grid_type for t in ask("C16", merged).types] == ["comprehensive"]
    c13 = ask("C13", f)
    assert (c13.numerator, c13.denominator) == (148, 148) and ask("B12", f).items == []
    assert ask("S1", f).total.venues == 179


def test_junan_aiqinhai_cases_in_2022_and_per_month_now():
    """莒南's report: 爱琴海小区 alone had 473 工单 in 2022, and now "每月不到10件" — 473 cases of that one
    compound in 2022, all closed, and fewer than ten in each month now."""
    f = junan_county()
    in_2022 = run("C18", f.graph, as_of=dt.date(2023, 1, 31), since="2022-01-01")  # none received in 2023 yet
    assert (in_2022.numerator, in_2022.denominator, in_2022.median_days_to_close) == (473, 473, 3.0)
    aiqinhai = run("C18", f.graph, as_of=dt.date(2023, 1, 31), since="2022-01-01", scope="371327001001")
    assert aiqinhai.denominator == 473  # all in the community of 爱琴海小区, whose other compounds have none
    now = ask("B16", f, min_cases=1)
    assert [(item.id, item.detail) for item in now.items] == [("XQ37132700100100", "24")]
    assert now.monthly == {"XQ37132700100100": [8, 9, 7]} and max(now.monthly["XQ37132700100100"]) < 10
    assert ask("C18", f, since="2026-04-02").rate == 1.0


def test_a_question_record_names_its_parameters_and_checks_its_kind():
    # The records are built when queries is imported; replace() builds one again inside the test.
    c14 = QUESTIONS["C14"]
    assert c14.params == ("as_of", "min_area")
    again = dataclasses.replace(c14, defaults={"min_area": 300.0, "since": None})
    assert again.params == ("as_of", "min_area", "since")
    with pytest.raises(ValueError) as refused:
        dataclasses.replace(c14, kind="bogus")
    assert str(refused.value) == "C14: unknown kind 'bogus'"
