"""Views and audits place every node in the same community, street and district.

The awkward cases of docs/definitions.md: an owner committee that REPRESENTS two compounds in
different communities (the first by id decides, not the first written), and a resident unit
registered with two communities. A view filtered to a community must show exactly what the
audits list there.
"""

from __future__ import annotations

import datetime as dt

import pytest

import queries
from graph_factory import GraphFactory
from gridgraph.views import community_view
from graphmodel.schema import Case, ListItem, Venue
from graphmodel.snapshot import load_snapshot, save_snapshot
from gridgraph.views.build import _Places
from loaders import load_ledgers
from loaders.sample import DEFAULT_AS_OF, generate_sample
from queries.context import AreaIndex
from queries.embedded import EmbeddedBackend, GraphIndex

AS_OF = DEFAULT_AS_OF


def _add_awkward_nodes(factory: GraphFactory, first: str, second: str) -> None:
    """Things placed in ``first`` although the relationship to ``second`` (a later id) comes first."""
    late = factory.compound("XQ-late", second)
    early = factory.compound("XQ-early", first)
    factory.committee("YWH-two", late, term_start="2025-01-01", term_end="2028-12-31")
    factory.graph.relate("REPRESENTS", ("OwnerCommittee", "YWH-two"), early)
    factory.unit("DW-two", second)
    factory.graph.relate("REGISTERED_WITH", ("ResidentUnit", "DW-two"), ("Community", first))
    holder = factory.person("RY-two")  # posts in both: X1 lists them, each placed
    factory.post(holder, ("OwnerCommittee", "YWH-two"), "委员")
    factory.post(holder, ("ResidentUnit", "DW-two"), "负责人")


def _audit_places(backend: EmbeddedBackend) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(label, id) -> (community id, street id) of every node an audit fetch row names,
    completed from the areas fetch exactly as the assemble steps do."""
    areas = AreaIndex(backend.fetch_rows(queries.AREAS, {}))
    places = {}
    for question in queries.QUESTIONS.values():
        if question.counted == "PropertyCompany":
            continue  # a company has no place of its own: it takes one per compound it manages
        if question.counted == "Person" and question.kind != "cross":
            continue  # nor a person: C15, B13 and B14 place one by its organisation, home or registration
        if question.kind == "structure":
            continue  # S1's rows are counts per place, naming no thing
        rows = backend.fetch_rows(question, {"as_of": AS_OF.isoformat(), **question.defaults})
        for row in rows:
            if question.code in ("X1", "X5"):  # post rows: the place is the organisation's
                key = (row["org_label"], row["org_id"])
            elif question.kind == "cross":
                continue
            else:
                key = (row.get("label", question.counted), row["id"])
            if key[0] != "PropertyCompany":
                place = areas.complete(row["community_id"], row["street_id"], row["district_id"])
                places[key] = (place.community_id, place.street_id)
    return places


def _view_places(backend: EmbeddedBackend, labels: set[str]) -> dict[tuple[str, str], tuple]:
    """(label, id) -> (community id, street id) from the views' membership of every community."""
    places = _Places(backend, AS_OF)
    found = {}
    for community, _ in backend.graph.nodes("Community"):
        street = backend.index.parent.get(community)
        for key in [community, *places.members(community, sorted(labels))]:  # a view shows its area
            found[key] = (community[1], street[1] if street else None)
    return found


def test_an_owner_committee_and_a_unit_with_two_communities_are_where_the_audits_put_them():
    factory = GraphFactory.city()
    _add_awkward_nodes(factory, "SQ1", "SQ2")
    graph = factory.graph
    shown = {node["id"] for node in community_view(graph, "SQ1", as_of=AS_OF).nodes}
    assert {"OwnerCommittee:YWH-two", "ResidentUnit:DW-two"} <= shown
    elsewhere = {node["id"] for node in community_view(graph, "SQ2", as_of=AS_OF).nodes}
    assert not {"OwnerCommittee:YWH-two", "ResidentUnit:DW-two"} & elsewhere
    listed = queries.run("C9", graph, scope="SQ1", as_of=AS_OF).missing
    assert [(item.id, item.community_id) for item in listed] == [("YWH-two", "SQ1")]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county")
    generate_sample(folder, scale="county", seed=11)
    return load_ledgers(folder).graph


def test_views_and_audits_agree_for_every_node_of_a_county(county):
    communities = sorted(key[1] for key, _ in county.nodes("Community"))
    factory = GraphFactory()
    factory.graph = county
    _add_awkward_nodes(factory, communities[0], communities[-1])
    backend = EmbeddedBackend(county)
    audited = _audit_places(backend)
    in_a_community = {key: place for key, place in audited.items() if place[0] is not None}
    viewed = _view_places(backend, {label for label, _ in in_a_community})
    assert {("OwnerCommittee", "YWH-two"), ("ResidentUnit", "DW-two")} <= set(viewed)
    assert {key: viewed.get(key) for key in audited} == {key: place if place[0] else None
                                                         for key, place in audited.items()}
    assert len(in_a_community) > 1000


# -- the index itself: where each kind of node is placed ------------------------------------------
def test_the_index_places_areas_and_things_placed_nowhere():
    """Each kind of thing both with what places it and without (a lookup of a key the table lacks)."""
    factory = GraphFactory.city()
    factory.street("S9")  # in no district
    factory.community("SQ9")  # in no street
    compound = factory.compound("XQ1", "SQ1")
    factory.company("WY1", [compound])
    idle = factory.company("WY-idle")  # no contract at all
    factory.committee("YWH1", compound)
    lone_committee = factory.committee("YWH-lone", None)
    factory.unit("DW1", "SQ2")
    lone_unit = factory.unit("DW-lone")
    factory.case("GD1", compound, received="2026-01-01")
    lone_case = factory.graph.add(Case(id="GD-lone", name="无对象工单", source="12345", received="2026-01-01"))
    factory.venue("ZD1", compound)
    homeless = factory.graph.add(Venue(id="ZD-lone", name="未落位阵地", kind="党群服务站"))
    unowned = factory.graph.add(ListItem(id="DM-lone", name="无主需求", kind="需求", community_id=""))
    index = GraphIndex(factory.graph)
    assert index.place(("District", "D1"), AS_OF) == (None, None, "D1")
    assert index.place(("Street", "S1"), AS_OF) == (None, "S1", "D1")
    assert index.place(("Street", "S9"), AS_OF) == (None, "S9", None)
    assert index.place(("Community", "SQ3"), AS_OF) == ("SQ3", "S2", None)
    assert index.place(("Community", "SQ9"), AS_OF) == ("SQ9", None, None)
    for placed in (("PropertyCompany", "WY1"), ("OwnerCommittee", "YWH1"), ("Case", "GD1"), ("Venue", "ZD1")):
        assert index.place(placed, AS_OF) == ("SQ1", "S1", None), placed
    assert index.place(("ResidentUnit", "DW1"), AS_OF) == ("SQ2", "S1", None)
    for nowhere in (idle, lone_committee, lone_unit, lone_case, homeless, unowned):
        assert index.place(nowhere, AS_OF) == (None, None, None), nowhere


def test_the_index_places_a_company_by_its_contract_current_on_the_date():
    factory = GraphFactory.city()
    company = factory.company("WY1")
    factory.contract(company, factory.compound("XQ1", "SQ1"), start="2026-07-01")  # begins the day after
    factory.contract(company, factory.compound("XQ2", "SQ3"), start="2020-01-01", end="2026-06-30")
    index = GraphIndex(factory.graph)
    assert index.place(company, AS_OF) == ("SQ3", "S2", None)
    assert index.place(company, AS_OF + dt.timedelta(days=1)) == ("SQ1", "S1", None)
    assert index.place_fields(company, AS_OF)["community_id"] == "SQ3"
    assert index.place_fields(company, AS_OF + dt.timedelta(days=1))["community_id"] == "SQ1"


def test_the_index_places_a_party_organisation_where_its_first_base_by_id_is():
    factory = GraphFactory.city()
    later, first = factory.compound("XQ2", "SQ3"), factory.compound("XQ1", "SQ1")
    org = factory.party_org("DZB1", "党支部", based_in=[later, first])  # the later id is written first
    index = GraphIndex(factory.graph)
    assert index.bases[org] == [first, later]
    assert index.place(org, AS_OF) == ("SQ1", "S1", None)


def test_the_index_keeps_each_post_both_ways_with_its_properties():
    factory = GraphFactory.city()
    person, org = factory.person("RY1"), factory.party_org("DZB1", "党支部")
    factory.post(person, org, "书记", start="2024-01-01")
    index = GraphIndex(factory.graph)
    [(held_in, props)] = index.posts_of[person]
    assert held_in == org and props["role"] == "secretary" and props["start"] == dt.date(2024, 1, 1)
    assert index.posts_in[org] == [(person, props)]


def test_c17_places_a_demand_without_a_community_by_its_raiser_s_contract_on_the_date():
    factory = GraphFactory.city()
    company = factory.company("WY1", [factory.compound("XQ1", "SQ3")], start="2020-01-01")
    demand = factory.graph.add(ListItem(id="DM1", name="加装电梯", kind="需求", community_id=""))
    factory.graph.relate("RAISED_BY", demand, company)
    listed = queries.run("C17", factory.graph, as_of=AS_OF).missing
    assert [(item.id, item.community_id, item.street_id) for item in listed] == [("DM1", "SQ3", "S2")]


def test_a_snapshot_without_some_relationship_types_answers_as_the_graph_it_was_saved_from(tmp_path):
    """A snapshot stores only the relationship types a graph has; the index must not need the others."""
    factory = GraphFactory.city()
    factory.compound("XQ1", "SQ1", buildings=1)
    factory.person("RY1", party_member=True)  # in no organisation, living nowhere
    factory.company("WY1")
    saved = load_snapshot(save_snapshot(factory.graph, tmp_path / "g.json.gz"))
    assert set(saved.relationship_columns()) == {"PART_OF"}
    for code in queries.QUESTIONS:
        assert queries.run(code, saved, as_of=AS_OF) == queries.run(code, factory.graph, as_of=AS_OF), code


def test_stats_count_per_street_where_each_thing_is_placed():
    from queries.stats import graph_stats
    from queries.tables import Words

    f = GraphFactory.city()  # D1 > S1 > SQ1, SQ2; D1 > S2 > SQ3
    f.district("D0")
    f.street("S3", "D0")
    f.street("S0")  # in no district
    f.compound("XQ1", "SQ1", buildings=2)
    f.compound("XQ2", "SQ3", buildings=1)
    f.compound("XQ9", buildings=1)  # in no community: its building is in no street either
    f.grid("G1", "SQ1")
    f.grid("G9")
    f.party_org("P1", "党工委", based_in=[("Street", "S1")])
    f.party_org("P9", "党支部")
    labels, relationships, streets = graph_stats(f.graph, dt.date(2026, 6, 30))
    assert [(row["label"], row["zh"].text("zh"), row["zh"].text("en"), row["count"])
            for row in labels.rows if row["count"]] == [
        ("District", "区县", "District", 2), ("Street", "街道", "Street", 4), ("Community", "社区", "Community", 3),
        ("Grid", "网格", "Grid", 2), ("Compound", "小区", "Compound", 3), ("Building", "楼栋", "Building", 4),
        ("PartyOrg", "党组织", "Party Org", 2)]
    assert [(row["type"], row["zh"].text("zh"), row["zh"].text("en"), row["count"])
            for row in relationships.rows if row["count"]] == [("PART_OF", "隶属", "part of", 13),
                                                               ("BASED_IN", "依托", "based in", 1)]
    counts = ("communities", "compounds", "buildings", "grids", "party_orgs")
    assert streets.rows == [  # by district name, then street code; what is in no street last
        {"district": district, "street_id": street_id, "street": name, **dict(zip(counts, numbers))}
        for district, street_id, name, numbers in [
            ("", "S0", "S0街道", (0, 0, 0, 0, 0)), ("D0区", "S3", "S3街道", (0, 0, 0, 0, 0)),
            ("D1区", "S1", "S1街道", (2, 1, 2, 1, 1)), ("D1区", "S2", "S2街道", (1, 1, 1, 0, 0)),
            ("", "", Words("（未归属街道）", "(no street)"), (0, 1, 1, 1, 1))]]


def test_a_thing_placed_only_in_a_district_is_in_that_districts_scope():
    as_of = dt.date(2026, 6, 30)
    before, after = GraphFactory.city(), GraphFactory.city()
    after.party_org("DW1", "党委", based_in=[("District", "D1")])  # in no street, no community
    assert [(item.id, item.reason) for item in queries.run("B9", after.graph, scope="D1", as_of=as_of).items] == [
        ("DW1", "no_secretary")]
    changes = queries.diff(before.graph, after.graph, scope="D1", as_of_old=as_of, as_of_new=as_of)
    assert [(entity.change.value, entity.label, entity.id) for entity in changes.entities] == [
        ("added", "PartyOrg", "DW1")]
