"""Every question answered by the live Neo4j equals the embedded answer, field by field.

On the county sample at three seeds (whole county, a street, a community, grouped by street and
by community, at the sample's date and at a date after terms and contracts have run out), on
every hand-built edge-case graph of ``test_audits`` and on the real Lianjia Harbin import.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

import queries
from graphmodel.errors import QueryError
import test_audits
import test_candidates
import test_outcomes
from loaders.neo4j import load_graph_into_neo4j
from queries.neo4j import Neo4jBackend
from loaders import load_ledgers
from loaders.lianjia import convert_lianjia
from loaders.sample import DEFAULT_AS_OF, generate_sample
from shared_data import LIANJIA_LISTING, require

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SEEDS = (7, 11, 23)
AFTER_TERMS_RUN_OUT = dt.date(2031, 12, 31)


def assert_same_answers(graph, live, code: str, **asked) -> None:
    """Both backends give equal results, or both refuse the question with the same message."""
    backend = Neo4jBackend(live.driver, live.database)
    try:
        embedded = queries.run(code, graph, **asked).model_dump(mode="json")
    except QueryError as refused:
        with pytest.raises(QueryError) as also_refused:
            queries.run(code, backend, **asked)
        assert str(also_refused.value) == str(refused)
        return
    answered = queries.run(code, backend, **asked).model_dump(mode="json")
    for field in embedded:
        assert answered[field] == embedded[field], f"{code} {asked}: field {field} differs"


def load_fresh(live, graph, scope: str | None = None) -> None:
    live.wipe()
    load_graph_into_neo4j(graph, live.driver, database=live.database, scope=scope)


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{seed}" for seed in SEEDS])
def county(request, live_neo4j, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"county{request.param}")
    generate_sample(folder, scale="county", seed=request.param)
    graph = load_ledgers(folder).graph
    load_fresh(live_neo4j, graph)
    return graph


def _variants(graph) -> list[dict]:
    street = min(node_id for (_, node_id), _ in graph.nodes("Street"))
    community = min(node_id for (_, node_id), _ in graph.nodes("Community"))
    return [
        {"as_of": DEFAULT_AS_OF},
        {"as_of": DEFAULT_AS_OF, "scope": street},
        {"as_of": DEFAULT_AS_OF, "scope": community},
        {"as_of": DEFAULT_AS_OF, "by": "street"},
        {"as_of": DEFAULT_AS_OF, "by": "community"},
        {"as_of": AFTER_TERMS_RUN_OUT, "by": "street"},
        {"as_of": AFTER_TERMS_RUN_OUT, "scope": street, "by": "community"},
    ]


@pytest.mark.parametrize("code", list(queries.QUESTIONS))
def test_county_sample_answers_the_same(code, county, live_neo4j):
    for asked in _variants(county):
        assert_same_answers(county, live_neo4j, code, **asked)


QUESTION_PARAMETERS = [("C16", {"grid_type": "综合执法网格"}), ("C16", {"grid_type": "全科网格"}),
                       ("C18", {"since": dt.date(2026, 1, 1)}), ("C18", {"since": "2026-06-30"}),
                       ("B16", {"min_cases": 1}), ("B16", {"min_cases": 7}), ("X5", {"n": 1}),
                       ("O1", {"since": dt.date(2026, 1, 1)}), ("O3", {"since": "2026-06-30"})]


@pytest.mark.parametrize("code, params", QUESTION_PARAMETERS,
                         ids=[f"{code}-{next(iter(params))}-{index}" for index, (code, params)
                              in enumerate(QUESTION_PARAMETERS)])
def test_county_sample_answers_the_same_with_parameters(code, params, county, live_neo4j):
    """The questions' own parameters (--grid-type, --since, --min-cases, --max-posts) reach both backends."""
    for asked in _variants(county):
        assert_same_answers(county, live_neo4j, code, **asked, **params)


def _hand_built_tests() -> list:
    """The tests of ``test_audits`` and ``test_candidates`` that ask questions of a hand-built graph
    through their module's ``ask``, as ``(module, test)``."""
    return [(module, test) for module in (test_audits, test_candidates) for name, test in vars(module).items()
            if name.startswith("test_") and callable(test)
            and "ask(" in inspect.getsource(test) and not inspect.signature(test).parameters]


def _fingerprint(graph) -> str:
    return repr((sorted(graph.nx.nodes(data=True), key=repr),
                 sorted(graph.nx.edges(data=True), key=repr)))


@pytest.mark.parametrize("module, test", _hand_built_tests(), ids=lambda test: getattr(test, "__name__", ""))
def test_hand_built_edge_cases_answer_the_same(module, test, live_neo4j, monkeypatch):
    """Each ``ask`` of the embedded test is asked of Neo4j too, on the same graph."""
    asked_embedded = module.ask
    compared, loaded = [], [None]

    def ask_both(code, factory, **kwargs):
        contents = _fingerprint(factory.graph)
        if loaded[0] != contents:  # a test asks several questions of one graph, or changes it
            load_fresh(live_neo4j, factory.graph, scope="edge-cases")
            loaded[0] = contents
        assert_same_answers(factory.graph, live_neo4j, code, as_of=module.AS_OF, **kwargs)
        compared.append(code)
        return asked_embedded(code, factory, **kwargs)

    monkeypatch.setattr(module, "ask", ask_both)
    test()
    assert compared, f"{test.__name__} asked nothing"


def test_the_real_harbin_listing_answers_the_same(live_neo4j, tmp_path):
    convert_lianjia(require(LIANJIA_LISTING), tmp_path / "harbin")
    graph = load_ledgers(tmp_path / "harbin").graph
    load_fresh(live_neo4j, graph)
    for code in queries.QUESTIONS:
        assert_same_answers(graph, live_neo4j, code, as_of=DEFAULT_AS_OF, by="street")


def test_hand_built_outcomes_answer_the_same(live_neo4j):
    """O1–O3 on test_outcomes' city: the window's edges, a case about a compound and its building,
    groups not applicable, per-area groups and a scope."""
    graph = test_outcomes.city().graph
    load_fresh(live_neo4j, graph, scope="edge-cases")
    for code in ("O1", "O2", "O3"):
        for asked in ({}, {"by": "street"}, {"by": "community", "scope": "SQ2"}, {"since": "2026-01-01"},
                      {"since": dt.date(2026, 1, 2)}, {"as_of": dt.date(2026, 6, 29)},
                      {"as_of": dt.date(2026, 3, 30)}):
            assert_same_answers(graph, live_neo4j, code, **{"as_of": test_outcomes.AS_OF, **asked})
