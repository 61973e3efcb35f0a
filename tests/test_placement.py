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
from gridgraph.views.build import _Places
from loaders import load_ledgers
from loaders.sample import DEFAULT_AS_OF, generate_sample
from queries.context import AreaIndex
from queries.embedded import EmbeddedBackend

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
