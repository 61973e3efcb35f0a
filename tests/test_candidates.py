"""Candidates R1–R6 (建议人选) on small hand-built graphs: each rule and each "never" of
docs/definitions.md. tests/test_neo4j_parity.py asks every ``ask`` here of the live Neo4j too."""

import datetime as dt

from graph_factory import GraphFactory
from queries import run
from queries.candidates import qualifies

AS_OF = dt.date(2026, 6, 30)


def ask(code, factory, **kwargs):
    return run(code, factory.graph, as_of=AS_OF, **kwargs)


def listed(result):
    """``(gap id, reason, person id, proposal, org id)`` of every candidate, in the result's order."""
    return [(item.gap_id, item.reason, item.person_id, item.proposal, item.org_id) for item in result.items]


def live_in(f, person, building):
    f.graph.relate("LIVES_IN", person, ("Building", building))


def member_of(f, person, org):
    f.graph.relate("MEMBER_OF", person, org)


def residents(f, compound: str, members: int, others: int = 0, building: int = 1, prefix: str | None = None):
    """``members`` party members and ``others`` non-members living in building ``<compound>-<building>``."""
    prefix = prefix or f"P{compound}"
    people = [f.person(f"{prefix}M{n}", party_member=True) for n in range(members)]
    people += [f.person(f"{prefix}N{n}") for n in range(others)]
    for person in people:
        live_in(f, person, f"{compound}-{building}")
    return people


# -- R2: forming the missing party organisation -------------------------------------------------
def test_r2_three_members_form_a_branch_and_non_members_are_never_listed():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=2)
    residents(f, "XQ1", members=2, others=2)
    residents(f, "XQ1", members=1, building=2, prefix="Q")
    result = ask("R2", f)
    assert listed(result) == [("XQ1", "no_party_org", person, "branch", "XQ1")
                              for person in ("PXQ1M0", "PXQ1M1", "QM0")]
    item = result.items[0]
    assert (item.gap_question, item.gap_name, item.proposal_zh, item.org_label, item.lives_in,
            item.community, item.street) == ("B1", "XQ1小区", "组建小区党支部", "Compound", "XQ1小区XQ1-1楼",
                                             "SQ1社区", "S1街道")
    assert result.unfilled == []


def test_r2_fewer_than_three_join_the_neighbour_with_fewest_members_ties_by_id():
    f = GraphFactory.city()
    for code in ("XQ1", "XQ2", "XQ3", "XQ4"):
        f.compound(code, "SQ1", buildings=1)
    f.compound("XQ9", "SQ2", buildings=1)  # another community: never the neighbour, though it has none
    residents(f, "XQ1", members=2)
    residents(f, "XQ2", members=1)
    residents(f, "XQ3", members=0, others=3)  # non-members do not count: XQ3 and XQ4 tie at none
    for code in ("XQ2", "XQ3", "XQ4"):
        f.party_org(f"ZB{code}", "党支部", based_in=[("Compound", code)])
    result = ask("R2", f, scope="SQ1")
    assert listed(result) == [("XQ1", "no_party_org", person, "joint_branch", "XQ3") for person in ("PXQ1M0", "PXQ1M1")]
    assert (result.items[0].proposal_zh, result.items[0].org_name) == ("组建联合党支部", "XQ3小区")


def test_r2_a_compound_alone_in_its_community_names_no_neighbour_and_one_without_members_is_unfilled():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ3", buildings=1)
    residents(f, "XQ1", members=1)
    f.compound("XQ2", "SQ1", buildings=1)
    residents(f, "XQ2", members=0, others=1)
    result = ask("R2", f)
    assert listed(result) == [("XQ1", "no_party_org", "PXQ1M0", "joint_branch", None)]
    assert [(gap.id, gap.reason, gap.reason_zh) for gap in result.unfilled] == [("XQ2", "no_party_org", "无党组织")]


# -- R1: the missing links of 三方联动 -------------------------------------------------------------
def tripartite(f, code="XQ1", community="SQ1", term_end="2027-12-31"):
    """A compound with its own branch, a committee whose term ends on ``term_end`` and a company,
    no one linking them; and a community 党委."""
    x = f.compound(code, community, buildings=2)
    branch = f.party_org(f"ZB{code}", "党支部", based_in=[x])
    committee = f.committee(f"YWH{code}", x, term_start="2024-01-01", term_end=term_end)
    company = f.company(f"WY{code}", [x])
    return x, branch, committee, company


def test_r1_party_committee_link_members_of_the_committee_and_party_post_holders_living_there():
    f = GraphFactory.city()
    x, branch, committee, company = tripartite(f)
    community_committee = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    on_committee, not_member = f.person("A1", party_member=True), f.person("A2")
    f.post(on_committee, committee, "委员", end=AS_OF.isoformat())  # ends on the as-of date: still current
    f.post(not_member, committee, "主任")
    secretary, away = f.person("B1", party_member=True), f.person("B2", party_member=True)
    f.post(secretary, branch, "书记")
    f.post(away, community_committee, "委员")  # a party-side post, but lives elsewhere
    live_in(f, secretary, "XQ1-2")
    f.compound("XQ2", "SQ1", buildings=1)
    live_in(f, away, "XQ2-1")
    ended = f.person("C1", party_member=True)  # every post ended: never a post holder
    f.post(ended, committee, "委员", end="2026-06-29")
    live_in(f, ended, "XQ1-1")
    result = ask("R1", f)
    committee_link = [entry for entry in listed(result) if entry[1] == "no_party_committee_link"]
    assert committee_link == [("XQ1", "no_party_committee_link", "A1", "part_time_member", "ZBXQ1"),
                              ("XQ1", "no_party_committee_link", "B1", "committee_member", "YWHXQ1")]
    stand = next(item for item in result.items if item.person_id == "B1" and item.proposal == "committee_member")
    assert (stand.until, stand.proposal_zh, stand.current_posts_zh, stand.lives_in) == (
        dt.date(2027, 12, 31), "参选业委会委员", "ZBXQ1党支部书记", "XQ1小区XQ1-2楼")
    a1 = result.items[0]
    assert (a1.current_posts_zh, a1.post_count, a1.gap_question) == ("YWHXQ1业委会委员", 1, "X2")
    assert "C1" not in {item.person_id for item in result.items}


def test_r1_party_company_link_company_staff_and_community_cadres():
    f = GraphFactory.city()
    x, branch, committee, company = tripartite(f)
    linker = f.person("L1", party_member=True)  # the committee link is made: only the company's is missing
    f.post(linker, branch, "委员")
    f.post(linker, committee, "委员")
    manager, clerk = f.person("W1", party_member=True), f.person("W2")
    f.post(manager, company, "项目经理")
    f.post(clerk, company, "项目经理")
    cadre, cadre_not_member = f.person("S1", party_member=True), f.person("S2")
    f.post(cadre, ("Community", "SQ1"), "主任")
    f.post(cadre_not_member, ("Community", "SQ1"), "委员")
    result = ask("R1", f)
    assert listed(result) == [("XQ1", "no_party_company_link", "S1", "instructor", "WYXQ1"),
                              ("XQ1", "no_party_company_link", "W1", "part_time_member", "ZBXQ1"),
                              ("XQ1", "no_party_company_link", "L1", "instructor", "WYXQ1")]
    assert result.unfilled == []


def test_r1_one_person_closes_two_gaps_and_a_complete_compound_has_none():
    f = GraphFactory.city()
    tripartite(f)
    community_committee = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    both = f.person("D1", party_member=True, phone="13812345678")
    f.post(both, community_committee, "委员")
    live_in(f, both, "XQ1-1")
    x2, branch2, committee2, company2 = tripartite(f, "XQ2")
    linker = f.person("L2", party_member=True)
    for org, role in ((branch2, "委员"), (committee2, "委员"), (company2, "项目经理")):
        f.post(linker, org, role)
    result = ask("R1", f)
    assert listed(result) == [("XQ1", "no_party_committee_link", "D1", "committee_member", "YWHXQ1"),
                              ("XQ1", "no_party_company_link", "D1", "instructor", "WYXQ1")]
    assert result.items[0].phone == "13812345678"
    table = result.tables()[0]
    assert next(column for column in table.columns if column.key == "phone").pii == "phone"


def test_r1_person_living_in_one_compound_serves_another():
    f = GraphFactory.city()
    tripartite(f, "XQ1")
    tripartite(f, "XQ2")
    member = f.person("M1", party_member=True)
    live_in(f, member, "XQ1-1")  # lives in XQ1, sits on XQ2's committee
    f.post(member, ("OwnerCommittee", "YWHXQ2"), "委员")
    result = ask("R1", f)
    assert listed(result) == [("XQ2", "no_party_committee_link", "M1", "part_time_member", "ZBXQ2")]
    item = result.items[0]
    assert (item.lives_in, item.current_posts_zh) == ("XQ1小区XQ1-1楼", "YWHXQ2业委会委员")
    assert [(gap.id, gap.reason) for gap in result.unfilled] == [
        ("XQ1", "no_party_committee_link"), ("XQ1", "no_party_company_link"), ("XQ2", "no_party_company_link")]


# -- R3: 党员中心户 --------------------------------------------------------------------------------
def test_r3_group_members_and_residents_without_a_central_household_post():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=2)
    group = f.party_org("XZ1", "党小组", based_in=[("Building", "XQ1-1")])
    in_group, resident, not_member = f.person("G1", party_member=True), f.person("G2", party_member=True), f.person("G3")
    member_of(f, in_group, group)
    live_in(f, resident, "XQ1-1")
    live_in(f, not_member, "XQ1-1")
    already = f.person("G4", party_member=True)  # a 中心户 elsewhere: never proposed again
    live_in(f, already, "XQ1-1")
    f.post(already, ("Building", "XQ1-2"), "党员中心户")
    was = f.person("G5", party_member=True)  # was one, until the day before: proposed
    live_in(f, was, "XQ1-1")
    f.post(was, ("Building", "XQ1-2"), "党员中心户", end="2026-06-29")
    result = ask("R3", f)
    assert listed(result) == [("XZ1", "no_central_household", person, "central_household", "XZ1")
                              for person in ("G1", "G2", "G5")]
    assert (result.items[0].party_orgs, result.items[2].current_posts_zh) == ("XZ1党小组", "")


# -- R4: 兼职委员 of the big committees -------------------------------------------------------------
def test_r4_heads_of_units_committees_and_companies_of_the_area():
    f = GraphFactory.city()
    big = f.party_org("DW1", "党委", based_in=[("Community", "SQ1")])
    street = f.party_org("GW1", "党工委", based_in=[("Street", "S2")])
    unit = f.unit("DW01", "SQ1")
    x = f.compound("XQ1", "SQ1")
    committee, company = f.committee("YWH1", x), f.company("WY1", [x])
    old_company = f.company("WY2", [x], end="2026-01-01")  # no longer serves: not of the area
    heads = {code: f.person(code, party_member=True) for code in ("U1", "C1", "W1", "W2", "T1")}
    f.post(heads["U1"], unit, "书记")
    f.post(heads["C1"], committee, "主任")
    f.post(heads["W1"], company, "项目经理")
    f.post(heads["W2"], old_company, "项目经理")
    f.post(f.person("U2"), unit, "主任")  # a head, not a member
    f.post(f.person("U3", party_member=True), unit, "委员")  # a member, not a head
    f.post(heads["T1"], f.unit("DW02", "SQ3"), "主任")  # in S2: the 党工委's area
    result = ask("R4", f)
    assert listed(result) == [("DW1", "no_part_time_member", person, "part_time_member", "DW1")
                              for person in ("C1", "U1", "W1")] + [
        ("GW1", "no_part_time_member", "T1", "part_time_member", "GW1")]
    assert result.items[0].reason_zh == "无兼职委员" and street == ("PartyOrg", "GW1") and big == ("PartyOrg", "DW1")


# -- R5: 楼长 ----------------------------------------------------------------------------------------
def test_r5_residents_party_members_first_then_fewest_posts():
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=2)
    busy, idle, plain = f.person("B1", party_member=True), f.person("B2", party_member=True), f.person("B3")
    for person in (busy, idle, plain):
        live_in(f, person, "XQ1-1")
    f.post(busy, ("Community", "SQ1"), "委员")
    f.post(busy, ("Building", "XQ1-2"), "楼长")  # 楼长 of another building: may lead this one too
    f.post(idle, ("Building", "XQ1-1"), "楼长", end="2026-06-29")  # ended: XQ1-1 has no 楼长
    result = ask("R5", f)
    assert listed(result) == [("XQ1-1", "no_building_leader", person, "building_leader", "XQ1-1")
                              for person in ("B2", "B1", "B3")]
    assert [item.post_count for item in result.items] == [0, 2, 0]
    assert [(gap.id, gap.reason) for gap in result.unfilled] == []  # XQ1-2 has its 楼长
    assert ask("R5", f, scope="SQ2").items == []


# -- R6: where members in no organisation could join -------------------------------------------------
def test_r6_the_nearest_level_with_a_party_organisation():
    f = GraphFactory.city()
    x = f.compound("XQ1", "SQ1", buildings=2)
    f.party_org("XZ1", "党小组", based_in=[("Building", "XQ1-1")])
    f.party_org("ZB1", "党支部", based_in=[x])
    f.grid("WG1", "SQ1", covers=(x,))
    f.party_org("WZ1", "党支部", based_in=[("Grid", "WG1")])
    f.compound("XQ2", "SQ1", buildings=1)
    f.grid("WG2", "SQ1", covers=(("Building", "XQ2-1"),))
    f.party_org("WZ2", "党支部", based_in=[("Grid", "WG2")])
    for code, building in (("R1", "XQ1-1"), ("R2", "XQ1-2"), ("R3", "XQ2-1")):
        live_in(f, f.person(code, party_member=True), building)
    f.person("R4", party_member=True)  # lives nowhere known: unfilled
    live_in(f, f.person("R5"), "XQ1-1")  # not a party member: not a B13 gap
    result = ask("R6", f)
    assert sorted(listed(result)) == [("R1", "not_in_group", "R1", "join", "XZ1"),
                                      ("R2", "not_in_group", "R2", "join", "ZB1"),
                                      ("R3", "not_in_group", "R3", "join", "WZ2")]
    assert [(gap.id, gap.label) for gap in result.unfilled] == [("R4", "Person")]


# -- the rules every candidate question applies --------------------------------------------------
def _row(proposal, posts, party_member=True, org=("Building", "LD1")):
    return {"proposal": proposal, "party_member": party_member, "org_label": org[0], "org_id": org[1],
            "posts": [{"org_label": label, "org_id": org_id, "role": role} for label, org_id, role in posts]}


def test_never_a_non_member_where_a_member_is_needed_nor_a_post_already_held():
    assert qualifies(_row("building_leader", [], party_member=False))  # a 楼长 need not be a member
    assert not qualifies(_row("instructor", [], party_member=False))
    assert not qualifies(_row("building_leader", [("Building", "LD1", "building_leader")]))
    assert qualifies(_row("building_leader", [("Building", "LD2", "building_leader")]))
    assert not qualifies(_row("central_household", [("PartyOrg", "XZ9", "central_household")],
                              org=("PartyOrg", "XZ1")))


def test_groups_scope_and_tables():
    f = GraphFactory.city()
    for code, community in (("XQ1", "SQ1"), ("XQ3", "SQ3")):
        f.compound(code, community, buildings=1)
        residents(f, code, members=1)
    result = ask("R2", f, by="street")
    assert [(group.id, group.count) for group in result.groups] == [("S1", 1), ("S2", 1)]
    assert [item.gap_id for item in ask("R2", f, scope="S2").items] == ["XQ3"]
    candidates, unfilled, groups = result.tables()
    assert [row["proposal"] for row in candidates.rows] == ["组建联合党支部", "组建联合党支部"]
    assert (candidates.code, unfilled.code, unfilled.rows, groups.code) == ("R2", "R2-unfilled", [], "R2-groups")


def test_the_report_page_lists_the_candidates_with_phones_masked():
    from gridgraph.report_page import report_page

    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=1)
    live_in(f, f.person("P1", party_member=True, phone="13812345678"), "XQ1-1")
    html = report_page(f.graph, scope=None, as_of=AS_OF, source="city")
    section = html[html.index('<section id="candidates">'):]
    assert "<td>R2</td><td>组建党组织</td><td class=\"num\">1</td></tr>" in section
    assert "人员P1" in section and "138****5678" in section and "13812345678" not in html


def test_the_bundled_sample_plants_who_must_and_must_never_be_listed():
    import json

    from loaders import load_ledgers
    from loaders.sample import SAMPLE_DATA_DIR

    graph = load_ledgers(SAMPLE_DATA_DIR).graph
    as_of = json.loads((SAMPLE_DATA_DIR / "ground_truth.json").read_text(encoding="utf-8"))["as_of"]
    results = {code: run(code, graph, as_of=dt.date.fromisoformat(as_of)) for code in ("R1", "R2")}
    planted = {compound: {person for person, attrs in graph.nodes("Person")
                          for building in [b for b in graph.nx.successors(person) if b[0] == "Building"]
                          if graph.nx.has_edge(building, ("Compound", compound))}
               for compound in ("XQ371327165001R1", "XQ371327165001R2")}
    proposals = {(item.gap_id, item.proposal) for item in results["R2"].items}
    assert {("XQ371327165001R1", "branch"), ("XQ371327165001R2", "joint_branch")} <= proposals
    for compound, people in planted.items():
        listed_here = {item.person_id for item in results["R2"].items if item.gap_id == compound}
        members = {person for person in people if graph.attrs_by_key[person]["party_member"]}
        assert listed_here == {person[1] for person in members} and len(people) > len(members)
    r1 = [item for item in results["R1"].items if item.gap_id == "XQ371327165001R3"]
    assert {item.reason for item in r1} == {"no_party_committee_link", "no_party_company_link"}
    assert all(item.party_member or item.proposal == "committee_member" for item in r1)
