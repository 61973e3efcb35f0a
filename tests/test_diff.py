"""Change over time: ``queries.diff`` against the evolved sample's truth and hand-built cases,
``queries.timeline`` against separate audits, and ``gridgraph diff`` / ``audit --as-of A,B``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

import queries
from gridgraph.cli import main
from gridgraph.reports import render, stream_report
from loaders import load_ledgers
from graphmodel.errors import QueryError
from queries.tables import Words
from loaders.sample import SAMPLE_DATA_DIR, generate_sample
from loaders.sample_evolve import evolve_sample, next_quarter_end
from tests.graph_factory import GraphFactory

OLD_DAY, NEW_DAY = dt.date(2026, 6, 30), dt.date(2026, 9, 30)


@pytest.fixture(scope="module", params=["community", "county"])
def quarters(request, tmp_path_factory):
    """The sample of a scale and its next quarter: (old folder, new folder, evolved, diff truth)."""
    base = tmp_path_factory.mktemp(request.param)
    generate_sample(base / "q2", scale=request.param, seed=7)
    evolved = evolve_sample(base / "q3", scale=request.param, seed=7)
    truth = json.loads(evolved.diff_truth.read_text(encoding="utf-8"))
    changes = queries.diff(load_ledgers(base / "q2").graph, load_ledgers(base / "q3").graph,
                           as_of_old=evolved.as_of_old, as_of_new=evolved.as_of_new)
    return base, evolved, truth, changes


def _as_truth(changes: queries.DiffResult) -> dict:
    """The diff in the shape of diff_truth.json."""
    def post_keys(posts):
        return sorted([post.org_label, post.org_id, post.role] for post in posts)

    return {
        "rates": {rate.code if rate.part is None else f"{rate.code}:{rate.part}":
                  {"old": [rate.old_numerator, rate.old_denominator], "new": [rate.new_numerator, rate.new_denominator]}
                  for rate in changes.rates if rate.total},
        "listed": sorted([listed.change.value, listed.code, listed.label, listed.id, listed.old_reasons,
                          listed.new_reasons, listed.old_details, listed.new_details] for listed in changes.listed),
        "people": {person.person_id: {"change": person.change.value, "gained": post_keys(person.gained),
                                      "lost": post_keys(person.lost)} for person in changes.people},
        "entities": [[entity.change.value, entity.label, entity.id] for entity in changes.entities],
    }


def test_the_diff_equals_the_planted_truth(quarters):
    _, evolved, truth, changes = quarters
    assert (changes.as_of_old, changes.as_of_new) == (OLD_DAY, NEW_DAY) == (evolved.as_of_old, evolved.as_of_new)
    found = _as_truth(changes)
    for part in found:
        assert found[part] == truth[part], part
    assert truth["people"] and truth["entities"]  # the truth is not vacuous
    assert {code[0] for _, code, *_ in truth["listed"]} == {"B", "X", "R"}


def test_every_planted_change_shows(quarters):
    _, evolved, _, changes = quarters
    planted = evolved.planted
    spots = {(listed.code, listed.id): listed for listed in changes.listed}
    entities = {entity.id: entity.change.value for entity in changes.entities}
    people = {person.person_id: person for person in changes.people}
    assert spots[("B1", planted["gained_branch"])].change.value == "closed"
    assert spots[("B2", planted["lost_company"])].change.value == "opened"
    assert ("B2", planted["contract_handover"]) not in spots  # handed over the next day: no gap
    assert spots[("B4", planted["lapsed_committee"])].change.value == "opened"
    assert entities[planted["renamed_compound"]] == "renamed"
    assert entities[planted["added_compound"]] == "added"
    regridded = planted["regridded_building"]
    assert [(regridded in e.old_covers, regridded in e.new_covers) for e in changes.entities
            if e.change.value == "coverage" and regridded in e.old_covers + e.new_covers] in (
        [(True, False), (False, True)], [(False, True), (True, False)])
    assert [post.role for post in people[planted["took_up_post"]].gained] == ["part_time_member"]
    assert len(people[planted["left_post"]].lost) == 1
    if "reused_compound_id" in planted:  # needs a second community
        assert entities[planted["reused_compound_id"]] == "identity"
        assert entities[planted["moved_branch"]] == "moved"


def test_the_evolved_quarter_is_reproducible(quarters, tmp_path):
    base, evolved, _, _ = quarters
    scale = json.loads(evolved.diff_truth.read_text(encoding="utf-8"))["scale"]
    again = evolve_sample(tmp_path / "q3", scale=scale, seed=7)
    assert sorted(path.name for path in again.out_dir.iterdir()) == sorted(path.name for path in evolved.out_dir.iterdir())
    for path in again.out_dir.iterdir():
        assert path.read_bytes() == (evolved.out_dir / path.name).read_bytes(), path.name


def test_a_graph_compared_with_itself_on_one_day_is_empty():
    graph = load_ledgers(SAMPLE_DATA_DIR).graph
    changes = queries.diff(graph, graph, as_of_old=OLD_DAY, as_of_new=OLD_DAY, by="community")
    # every rate: its total and each of its community groups (the sample's one community, and
    # for some questions an unplaced group)
    rows = sum(1 + len(queries.run(code, graph, as_of=OLD_DAY, by="community").groups)
               for code in queries.RATE_CODES)
    grid_types = len(queries.run("C16", graph, as_of=OLD_DAY).types)  # C16: a rate per grid type, and no groups
    linkage = 1 + len(queries.run("X2", graph, as_of=OLD_DAY, by="community").rate_groups)  # X2's complete rate
    # O1–O3: the share closed of each of their 4 + 2 + 2 groups, over the scope and the one community
    outcomes = [code for code, question in queries.QUESTIONS.items() if question.kind == "outcomes"]
    assert changes.empty and len(changes.rates) == rows + 2 * grid_types + linkage + 8 * 2
    assert {rate.code for rate in changes.rates} == {*queries.RATE_CODES, "C16", "X2", *outcomes}
    later = queries.diff(graph, graph, as_of_old=dt.date(2025, 6, 30), as_of_new=OLD_DAY)
    assert not later.empty and not later.entities  # only the dates moved: nothing renamed or moved


# -- hand-built cases ------------------------------------------------------------------------------
def _quarter() -> GraphFactory:
    factory = GraphFactory.city()
    x1 = factory.compound("XQ1", "SQ1", buildings=1)
    factory.compound("XQ2", "SQ2")
    factory.party_org("P1", "党工委", based_in=[("Street", "S1")])
    factory.party_org("P2", "党委", based_in=[("Community", "SQ1")], parent="P1")
    factory.party_org("P3", "党委", based_in=[("Community", "SQ2")], parent="P1")
    factory.party_org("P4", "党支部", based_in=[x1], parent="P2")
    return factory


def _rename(graph, label: str, code: str, name: str) -> None:
    graph.nx.nodes[(label, code)]["name"] = name


def test_a_renamed_compound_is_the_same_compound():
    old, new = _quarter(), _quarter()
    _rename(new.graph, "Compound", "XQ1", "幸福家园")
    changes = queries.diff(old.graph, new.graph, as_of_old=OLD_DAY, as_of_new=OLD_DAY)
    assert [(e.change.value, e.id, e.old_name, e.new_name) for e in changes.entities] == [
        ("renamed", "XQ1", "XQ1小区", "幸福家园")]
    assert all(rate.unchanged for rate in changes.rates) and not changes.listed and not changes.tallies


def test_an_id_reused_for_a_different_compound_is_a_changed_identity():
    old, new = _quarter(), GraphFactory.city()
    new.compound("XQ1", "SQ3")  # the code now names another compound in another community
    _rename(new.graph, "Compound", "XQ1", "新建小区")
    new.compound("XQ2", "SQ2")
    changes = queries.diff(old.graph, new.graph, as_of_old=OLD_DAY, as_of_new=OLD_DAY)
    compound = next(e for e in changes.entities if e.id == "XQ1")
    assert (compound.change.value, compound.old_parents, compound.new_parents) == ("identity", ["SQ1"], ["SQ3"])
    assert (compound.old_name, compound.new_name, compound.community_id) == ("XQ1小区", "新建小区", "SQ3")
    assert {(spot.code, spot.id, spot.change.value) for spot in changes.listed} >= {("B1", "XQ1", "opened")}


def test_an_org_moving_to_another_parent_is_moved():
    old, new = _quarter(), _quarter()
    new.graph.nx.remove_edges_from([(("PartyOrg", "P4"), ("PartyOrg", "P2"))])
    new.graph.relate("UNDER", ("PartyOrg", "P4"), ("PartyOrg", "P3"))
    changes = queries.diff(old.graph, new.graph, as_of_old=OLD_DAY, as_of_new=OLD_DAY)
    assert [(e.change.value, e.label, e.id, e.old_parents, e.new_parents) for e in changes.entities] == [
        ("moved", "PartyOrg", "P4", ["P2"], ["P3"])]


def test_a_contract_ending_with_the_next_starting_the_day_after_leaves_no_gap():
    factory = _quarter()
    compound = ("Compound", "XQ1")
    factory.company("WY1", [compound], start="2025-01-01", end="2026-08-15")
    factory.company("WY2", [compound], start="2026-08-16")
    factory.compound("XQ2", "SQ2")
    days = [dt.date(2026, 8, 14) + dt.timedelta(days=n) for n in range(4)]
    line = queries.timeline(factory.graph, ["C2", "B2"], days, scope="SQ1")
    assert [answers["C2"].numerator for answers in line.results] == [1, 1, 1, 1]
    assert [answers["B2"].items for answers in line.results] == [[], [], [], []]
    changes = queries.diff(factory.graph, factory.graph, scope="SQ1", as_of_old=OLD_DAY, as_of_new=NEW_DAY)
    assert not [spot for spot in changes.listed if spot.code == "B2"]
    assert next(rate for rate in changes.rates if rate.code == "C2" and rate.total).unchanged


def test_the_diff_tables_lay_out_every_kind_of_change():
    from queries.changes import Change, CountChange, EntityChange, ListedChange, PersonChange, RateChange
    from queries.results import Post

    place = {"community_id": "SQ1", "community": "和平社区", "street_id": "S1", "street": "城关街道"}
    posts = [Post(org_label="PartyOrg", org_id="P1", org_name="第一支部", role="secretary", role_zh="书记", **place),
             Post(org_label="OwnerCommittee", org_id="Y1", org_name="一号业委会", role="director", role_zh="主任",
                  **place)]
    changes = queries.DiffResult(
        as_of_old=OLD_DAY, as_of_new=NEW_DAY,
        rates=[RateChange(code="C1", total=True, group_id=None, group_name="合计", old_numerator=1,
                          old_denominator=2, new_numerator=2, new_denominator=2),
               RateChange(code="C16", part="comprehensive", part_zh="综合网格", part_en="comprehensive", group_id="S1",
                          group_name="城关街道",
                          old_numerator=0, old_denominator=0, new_numerator=1, new_denominator=2)],
        tallies=[CountChange(code="S1", counted="branch", counted_zh="党支部", counted_en="Branch", total=True, group_id=None,
                             group_name="合计", old=3, new=4)],
        listed=[ListedChange(change=Change.CHANGED, code="B1", label="Compound", id="XQ1", name="幸福小区",
                             old_reasons=["no_party_org"], new_reasons=["no_party_org", "no_contract", "gone"],
                             **place),  # "gone": a reason code no question gives any more
                ListedChange(change=Change.OPENED, code="X2", label="Compound", id="XQ1", name="幸福小区",
                             old_reasons=["partial"], new_reasons=["complete"], **place),
                ListedChange(change=Change.CLOSED, code="X4", label="Person", id="R2", name="李四",
                             old_reasons=["conflict_of_interest"], old_details=["XQ1 幸福小区"], **place)],
        people=[PersonChange(change=Change.ENTERED, person_id="R1", name="张三", phone="13812345678", gained=posts,
                             **place)],
        entities=[EntityChange(change=Change.COVERAGE, label="Grid", id="G1", old_name="一网格", new_name="一网格",
                               old_parents=["SQ1"], new_parents=["SQ1"], old_covers=["B1", "B2"],
                               new_covers=["B2", "B3"], **place)])
    listed = {"old_details": [], "new_details": []}
    assert {table.code: table.rows for table in changes.tables()} == {
        "diff-rates": [{"code": "C1", "part": None, "part_zh": None, "part_en": None, "total": True, "group_id": None,
                        "group_name": "合计", "old_numerator": 1, "old_denominator": 2, "new_numerator": 2,
                        "new_denominator": 2, "old_rate": 0.5, "new_rate": 1.0, "delta_rate": 0.5},
                       {"code": "C16", "part": "comprehensive", "part_zh": Words("综合网格", "comprehensive"), "part_en": "comprehensive",
                        "total": False, "group_id": "S1",
                        "group_name": "城关街道", "old_numerator": 0, "old_denominator": 0, "new_numerator": 1,
                        "new_denominator": 2, "old_rate": None, "new_rate": 0.5, "delta_rate": None}],
        "diff-counts": [{"code": "S1", "counted": "branch", "counted_zh": Words("党支部", "Branch"), "counted_en": "Branch",
                         "total": True, "group_id": None,
                         "group_name": "合计", "old": 3, "new": 4}],
        "diff-listed": [{**place, **listed, "change": Change.CHANGED, "code": "B1", "label": "小区", "id": "XQ1",
                         "name": "幸福小区", "old_reasons": Words("无党组织", "no party organisation"),
                         "new_reasons": Words("无党组织、无物业服务合同、gone", "no party organisation, no current property contract, gone")},
                        {**place, **listed, "change": Change.OPENED, "code": "X2", "label": "小区", "id": "XQ1",
                         "name": "幸福小区", "old_reasons": Words("部分联动", "partial linkage"),
                         "new_reasons": Words("完全联动", "complete linkage")},
                        {**place, **listed, "change": Change.CLOSED, "code": "X4", "label": "人员", "id": "R2",
                         "name": "李四", "old_reasons": Words("利益冲突", "conflict of interest"), "new_reasons": Words("", ""),
                         "old_details": ["XQ1 幸福小区"]}],
        "diff-people": [{**place, "change": Change.ENTERED, "person_id": "R1", "name": "张三", "phone": "13812345678",
                         "gained": [Words("党组织 第一支部（书记）", "Party Org 第一支部 (secretary)"),
                                    Words("业委会 一号业委会（主任）", "Owner Committee 一号业委会 (director)")],
                         "lost": []}],
        "diff-structure": [{**place, "change": Change.COVERAGE, "label": "网格", "id": "G1", "old_label": None,
                            "old_name": "一网格", "new_name": "一网格", "old_parents": ["SQ1"], "new_parents": ["SQ1"],
                            "old_covers": ["B1", "B2"], "new_covers": ["B2", "B3"], "covers_gained": ["B3"],
                            "covers_lost": ["B1"]}]}


def test_a_scoped_grouped_diff_lists_only_what_is_in_its_scope():
    def quarter(new: bool) -> GraphFactory:
        factory = _quarter()
        person = factory.person("R1", phone="13812345678")
        factory.post(person, ("PartyOrg", "P4"), "书记")
        factory.post(person, factory.committee("YWH1", ("Compound", "XQ1")), "主任")
        factory.party_org("P5", "党支部", based_in=[factory.compound("XQ3", "SQ3")])
        factory.compound("XQ9")  # in no community
        factory.grid("G1", "SQ1", covers=(("Compound", "XQ2" if new else "XQ1"),))  # covers another compound
        if new:
            factory.post(person, ("PartyOrg", "P5"), "委员")  # outside the scope: still one of R1's posts
            factory.post(person, ("PartyOrg", "P3"), "委员")
            factory.post(person, factory.company("WY1", [("Compound", "XQ1")]), "经理")  # XQ1 now fully linked
            factory.compound("XQ4", "SQ2")
            factory.compound("XQ5", "SQ3")  # outside the scope
            factory.community("SQ4", "S1")  # a community only the new side has
            _rename(factory.graph, "Community", "SQ1", "和平新社区")
        else:
            factory.community("SQ0", "S1")  # and one only the old side has
        return factory

    old, new = quarter(False).graph, quarter(True).graph
    changes = queries.diff(old, new, scope="S1", by="community", as_of_old=OLD_DAY, as_of_new=OLD_DAY)
    assert (changes.scope, changes.by) == ("S1", "community")
    assert [(rate.total, rate.group_id, rate.group_name, rate.old_numerator, rate.old_denominator,
             rate.new_numerator, rate.new_denominator) for rate in changes.rates if rate.code == "C1"] == [
        (False, "SQ0", "SQ0社区", 0, 0, 0, 0), (False, "SQ1", "和平新社区", 1, 1, 1, 1),
        (False, "SQ2", "SQ2社区", 0, 1, 0, 2), (False, "SQ4", "SQ4社区", 0, 0, 0, 0), (True, None, "合计", 1, 2, 1, 3)]
    assert [(e.change.value, e.label, e.id, e.old_label, e.old_covers, e.new_covers) for e in changes.entities] == [
        ("coverage", "Grid", "G1", "Grid", ["XQ1"], ["XQ2"]),
        ("removed", "Community", "SQ0", "Community", [], []), ("renamed", "Community", "SQ1", "Community", [], []),
        ("added", "Community", "SQ4", None, [], []), ("added", "PropertyCompany", "WY1", None, [], []),
        ("added", "Compound", "XQ4", None, [], [])]
    assert [(p.change.value, p.person_id, p.phone, p.community_id, [(post.org_id, post.role) for post in p.gained],
             p.lost) for p in changes.people] == [
        ("changed", "R1", "13812345678", "SQ1", [("P3", "member"), ("P5", "member"), ("WY1", "经理")], [])]
    blind_spots = [listed for listed in changes.listed if listed.code.startswith("B")]
    assert {(spot.change.value, spot.id, spot.community_id) for spot in blind_spots} == {
        ("closed", "SQ0", "SQ0"), ("closed", "XQ1", "SQ1"), ("opened", "SQ4", "SQ4"), ("opened", "WY1", "SQ1"),
        ("opened", "XQ1-1", "SQ1"), ("opened", "XQ4", "SQ2")}  # XQ1-1: G1 no longer covers its compound
    crossed = [(c.change.value, c.code, c.id, c.community_id, c.old_reasons, c.new_reasons, c.new_details)
               for c in changes.listed if c.code.startswith("X")]
    assert crossed == [
        ("changed", "X2", "XQ1", "SQ1", ["no_company"], ["complete"], []),  # not assessed before: it had no company
        ("opened", "X2", "XQ4", "SQ2", [], ["no_committee", "no_company"], []),  # new, with its community's party side
        ("opened", "X4", "R1", "SQ1", [], ["conflict_of_interest"], ["XQ1 XQ1小区"]),  # committee and company of XQ1
        ("opened", "X5", "R1", "SQ1", [], ["many_posts"], [])]
    by_street = queries.diff(old, new, by="street", as_of_old=OLD_DAY, as_of_new=OLD_DAY)
    assert [rate.group_id for rate in by_street.rates if rate.code == "C1"] == [None, "S1", "S2", None]  # unplaced first


def test_fallen_rates_are_worse_and_risen_ones_not():
    old, new = _quarter(), _quarter()
    new.graph.nx.remove_node(("PartyOrg", "P4"))
    changes = queries.diff(old.graph, new.graph, as_of_old=OLD_DAY, as_of_new=OLD_DAY)
    assert [rate.code for rate in changes.worse(["C1", "C2"])] == ["C1"]
    assert queries.diff(new.graph, old.graph, as_of_old=OLD_DAY, as_of_new=OLD_DAY).worse(["C1"]) == []


# -- timeline --------------------------------------------------------------------------------------
def test_the_timeline_equals_one_audit_per_date():
    graph = load_ledgers(SAMPLE_DATA_DIR).graph
    dates = queries.period_ends("quarter", dt.date(2025, 1, 1), OLD_DAY)
    line = queries.timeline(graph, ["C2", "C4", "B4", "X1"], dates, by="community")
    assert line.dates == dates
    for day, answers in zip(dates, line.results):
        for code, answer in answers.items():
            assert answer == queries.run(code, graph, by="community", as_of=day)


def test_a_timeline_table_has_a_rate_per_group_and_date_and_counts_what_each_answer_lists():
    factory = _quarter()
    factory.compound("XQ9")  # in no street
    factory.company("WY1", [("Compound", "XQ1")], start="2026-04-01")
    factory.company("WY2", [("Compound", "XQ9")], start="2026-04-01")  # C7: unplaced only on the later date
    line = queries.timeline(factory.graph, ["C2", "C7", "B1", "X1", "X2", "X3", "X4", "C12"],
                            [OLD_DAY, dt.date(2026, 3, 31)], by="street")
    rates, counts = line.tables()
    c2, c7, x2 = ({"code": "C2", "title": Words("专业化物业覆盖率", queries.QUESTIONS["C2"].title_en), "part": None},
                  {"code": "C7", "title": Words("物业企业党组织覆盖", queries.QUESTIONS["C7"].title_en), "part": None},
                  {"code": "X2", "title": Words("三方联动", queries.QUESTIONS["X2"].title_en), "part": None})
    assert rates.rows == [
        {**c2, "group_id": None, "group_name": "未归属", "2026-03-31_rate": 0.0, "2026-06-30_rate": 1.0},
        {**c2, "group_id": "S1", "group_name": "S1街道", "2026-03-31_rate": 0.0, "2026-06-30_rate": 0.5},
        {**c2, "group_id": "S2", "group_name": "S2街道", "2026-03-31_rate": None, "2026-06-30_rate": None},
        {**c2, "group_id": None, "group_name": "合计", "2026-03-31_rate": 0.0, "2026-06-30_rate": 2 / 3},
        {**c7, "group_id": None, "group_name": "未归属", "2026-03-31_rate": None, "2026-06-30_rate": 0.0},
        {**c7, "group_id": "S1", "group_name": "S1街道", "2026-03-31_rate": None, "2026-06-30_rate": 0.0},
        {**c7, "group_id": "S2", "group_name": "S2街道", "2026-03-31_rate": None, "2026-06-30_rate": None},
        {**c7, "group_id": None, "group_name": "合计", "2026-03-31_rate": None, "2026-06-30_rate": 0.0},
        # X2: complete over every compound, assessed or not (none is complete here; S2 has none)
        {**x2, "group_id": None, "group_name": "未归属", "2026-03-31_rate": 0.0, "2026-06-30_rate": 0.0},
        {**x2, "group_id": "S1", "group_name": "S1街道", "2026-03-31_rate": 0.0, "2026-06-30_rate": 0.0},
        {**x2, "group_id": "S2", "group_name": "S2街道", "2026-03-31_rate": None, "2026-06-30_rate": None},
        {**x2, "group_id": None, "group_name": "合计", "2026-03-31_rate": 0.0, "2026-06-30_rate": 0.0}]
    totals = [row for row in counts.rows if row["group_name"] == "合计"]
    assert [(row["code"], str(row["title"]), str(row["part"]), row["n2026-03-31"], row["n2026-06-30"])
            for row in totals] == [
        ("B1", "无党组织小区", "数量", 2, 2), ("X1", "交叉任职人员", "数量", 0, 0),
        ("X2", "三方联动", "完全联动", 0, 0), ("X2", "三方联动", "部分联动", 0, 0), ("X2", "三方联动", "未联动", 0, 0),
        ("X2", "三方联动", "数量", 0, 0), ("X3", "兼职委员", "数量", 3, 3), ("X4", "利益冲突", "数量", 0, 0),
        ("C12", "双报到", "报到驻区单位数", 0, 0), ("C12", "双报到", "报到在职党员数", 0, 0)]
    assert [(row["group_id"], row["n2026-03-31"]) for row in counts.rows if row["code"] == "B1"] == [
        (None, 1), ("S1", 1), ("S2", 0), (None, 2)]  # the unplaced group first, the whole scope last
    one_day = queries.timeline(factory.graph, ["C2", "B1"], [OLD_DAY]).tables()  # a timeline of a single date
    assert [[(row["code"], str(row["title"])) for row in table.rows] for table in one_day] == [
        [("C2", "专业化物业覆盖率")], [("B1", "无党组织小区")]]
    assert [(table.code, table.rows) for table in queries.Timeline(dates=[], results=[]).tables()] == [
        ("timeline-rates", [])]  # nothing asked: one empty table, not an error


def test_a_timeline_keeps_its_scope_grouping_and_parameters_and_needs_a_date():
    factory = _quarter()
    line = queries.timeline(factory.graph, ["X5", "C1"], [OLD_DAY], scope="S1", by="community", n=0)
    assert (line.scope, line.by, line.results[0]["X5"].n) == ("S1", "community", 0)  # n is X5's alone
    with pytest.raises(QueryError, match="^a timeline needs at least one date$") as caught:
        queries.timeline(factory.graph, ["C1"], [])
    assert caught.value.hint == "e.g. --as-of 2026-03-31,2026-06-30"


def test_audit_with_several_dates_equals_separate_audit_runs():
    source, runner = str(SAMPLE_DATA_DIR), CliRunner()
    dates = ["2025-12-31", "2026-03-31", "2026-06-30"]
    result = runner.invoke(main, ["audit", "C2,B2", source, "--as-of", ",".join(dates), "--format", "json"])
    assert result.exit_code == 0, result.output
    (timeline,) = json.loads(result.output)["results"]
    for day, answers in zip(dates, timeline["result"]["results"]):
        single = runner.invoke(main, ["audit", "C2,B2", source, "--as-of", day, "--format", "json"])
        assert {entry["code"]: entry["result"] for entry in json.loads(single.output)["results"]} == answers
    table = runner.invoke(main, ["audit", "C2", source, "--as-of-every", "quarter", "--from", "2025-10-01",
                                 "--to", "2026-06-30"])
    assert table.exit_code == 0 and "2025-12-31  2026-03-31  2026-06-30" in table.output


def test_audit_timeline_options_are_checked():
    result = CliRunner().invoke(main, ["audit", "C2", str(SAMPLE_DATA_DIR), "--as-of-every", "quarter"])
    assert result.exit_code == 1 and "--as-of-every needs --from" in result.output


def test_period_ends_step_by_month_and_refuse_other_steps():
    assert queries.period_ends("month", dt.date(2026, 11, 30), dt.date(2027, 2, 1)) == [
        dt.date(2026, 11, 30), dt.date(2026, 12, 31), dt.date(2027, 1, 31)]
    with pytest.raises(QueryError, match="^cannot step every 'week'$") as caught:
        queries.period_ends("week", OLD_DAY, NEW_DAY)
    assert caught.value.hint == "use month or quarter"
    assert next_quarter_end(dt.date(2026, 12, 31)) == dt.date(2027, 3, 31)


# -- gridgraph diff --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    result = CliRunner().invoke(main, ["sample", str(base / "q2"), "--scale", "community", "--evolve", str(base / "q3")])
    assert result.exit_code == 0, result.output
    assert "planted renamed_compound" in result.output
    return base / "q2", base / "q3"


def _diff(*args):
    return CliRunner().invoke(main, ["diff", *map(str, args), "--as-of-old", "2026-06-30", "--as-of-new", "2026-09-30"])


def test_diff_reports_every_part_in_the_terminal(folders):
    result = _diff(*folders)
    assert result.exit_code == 0, result.output
    for heading in ("覆盖率变化", "数量变化", "清单变化", "人员任职变化", "组织与区划变化"):
        assert heading in result.output
    assert "更名" in result.output and "消除" in result.output
    old, new = folders
    assert result.output.startswith(f"统计日期 2026-06-30 → 2026-09-30 · 范围 全部 · 数据来源 {old} → {new}\n")


def test_diff_writes_every_format(folders, tmp_path):
    for fmt in ("csv", "json", "md", "xlsx"):
        result = CliRunner().invoke(main, ["diff", *map(str, folders), "--as-of-old", "2026-06-30",
                                           "--as-of-new", "2026-09-30", "--format", fmt, "-o",
                                           str(tmp_path / f"diff.{fmt}"), "--lang", "en"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"diff.{fmt}").stat().st_size > 0
    document = json.loads((tmp_path / "diff.json").read_text(encoding="utf-8"))
    (entry,) = document["results"]
    assert entry["code"] == "diff" and entry["result"]["as_of_new"] == "2026-09-30"
    assert "Rates, old → new" in (tmp_path / "diff.md").read_text(encoding="utf-8")


def test_diff_fails_if_a_named_rate_fell(folders):
    old, new = folders
    fell = _diff(old, new, "--fail-if-worse", "C2")
    assert fell.exit_code == 2 and "WORSE C2" in fell.output
    same = CliRunner().invoke(main, ["diff", str(new), str(new), "--as-of", "2026-09-30", "--fail-if-worse", "C1,C2"])
    assert same.exit_code == 0, same.output
    refused = _diff(old, new, "--fail-if-worse", "B1")
    assert refused.exit_code == 1 and "B1 has no rate" in refused.output


def test_diff_takes_new_or_neo4j_not_both(folders):
    old, new = folders
    both = CliRunner().invoke(main, ["diff", str(old), str(new), "--neo4j"])
    neither = CliRunner().invoke(main, ["diff", str(old)])
    assert both.exit_code == neither.exit_code == 1
    assert "not both or neither" in both.output and "not both or neither" in neither.output


def test_diff_scoped_and_grouped(folders):
    old, new = folders
    community = next(line.split(",")[0] for line in (old / "行政区划.csv").read_text(encoding="utf-8").splitlines()
                     if ",社区," in line)
    result = _diff(old, new, "--scope", community, "--by", "community", "--format", "json")
    assert result.exit_code == 0, result.output
    rates = json.loads(result.output)["results"][0]["result"]["rates"]
    assert {rate["group_id"] for rate in rates} == {community, None}


def test_a_timeline_in_xlsx_is_also_a_line_chart(tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "timeline.xlsx"
    result = CliRunner().invoke(main, ["audit", "C2,C4,B2", str(SAMPLE_DATA_DIR), "--as-of", "2026-03-31,2026-06-30",
                                       "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rates, counts = load_workbook(target).worksheets
    (chart,) = rates._charts
    assert [series.tx.v for series in chart.series] == ["C2 合计", "C4 合计"]
    assert not counts._charts


# -- a timeline written as JSON a date at a time ----------------------------------------------------
TIMELINE_CODES, TIMELINE_DATES = ["C2", "B2", "X1", "C12"], [dt.date(2025, 12, 31), dt.date(2026, 3, 31), OLD_DAY]


@pytest.mark.parametrize("show_pii", [False, True])
def test_a_timeline_written_a_date_at_a_time_is_the_json_of_the_whole_timeline(show_pii):
    graph = load_ledgers(SAMPLE_DATA_DIR).graph
    meta = {"source": "sample", "as_of": ",".join(day.isoformat() for day in TIMELINE_DATES)}
    whole = render({"timeline": queries.timeline(graph, TIMELINE_CODES, TIMELINE_DATES, by="street")}, "json",
                   meta=meta, show_pii=show_pii)
    pieces = []
    stream_report({"timeline": queries.timeline_answers(graph, TIMELINE_CODES, TIMELINE_DATES, by="street")},
                  "json", pieces.append, meta=meta, show_pii=show_pii)
    assert "".join(pieces) == whole  # byte for byte
    assert len(pieces) == 1 + 1 + len(TIMELINE_DATES) + 1 + 1  # meta, head, a date each, tables, end
    people = [person for answers in json.loads(whole)["results"][0]["result"]["results"]
              for person in answers["X1"]["people"]]
    assert people and all(("****" in person["phone"]) != show_pii for person in people if person["phone"])


def test_a_timeline_in_json_is_written_as_each_date_is_answered(monkeypatch):
    answered = []
    answer_all = queries.Session.answer_all

    def counted(session, *args):
        answered.append(session)
        return answer_all(session, *args)

    monkeypatch.setattr(queries.Session, "answer_all", counted)
    written = []
    line = queries.timeline_answers(load_ledgers(SAMPLE_DATA_DIR).graph, TIMELINE_CODES, TIMELINE_DATES)
    stream_report({"timeline": line}, "json", lambda piece: written.append((len(answered), piece)))
    assert [made for made, _ in written] == [0, 0, 1, 2, 3, 3, 3]  # the head before any answer, then one date each
    assert written[2][1].startswith('{"C2":') and written[3][1].startswith(',{"C2":')
    assert line.last["C2"].as_of == OLD_DAY  # what --fail-under checks


def test_a_timeline_failing_half_way_leaves_the_json_file_as_it_was(monkeypatch, tmp_path):
    target = tmp_path / "timeline.json"
    target.write_bytes(b"last quarter's report")
    answer_all = queries.Session.answer_all

    def failing_on_the_second_date(session, *args):
        if session.as_of == TIMELINE_DATES[1]:
            raise QueryError("the server went away")
        return answer_all(session, *args)

    monkeypatch.setattr(queries.Session, "answer_all", failing_on_the_second_date)
    result = CliRunner().invoke(main, ["audit", ",".join(TIMELINE_CODES), str(SAMPLE_DATA_DIR), "--as-of",
                                       ",".join(day.isoformat() for day in TIMELINE_DATES), "--format", "json",
                                       "-o", str(target)])
    assert result.exit_code == 1 and "Error: the server went away" in result.output, result.output
    assert target.read_bytes() == b"last quarter's report"
    assert [path.name for path in tmp_path.iterdir()] == ["timeline.json"]  # no temporary file left
