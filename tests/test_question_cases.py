"""Every question's cases (``queries/questions/<CODE>/cases.toml``) on both backends.

The questions come from the registry, so a question without a cases file fails here. Each case
builds its graph, and each of its asks is answered embedded and checked against what it writes;
on the live Neo4j server (``live_neo4j``) the same asks get the same answers, field by field.
"""

from __future__ import annotations

import pytest

import queries
from loaders.neo4j import load_graph_into_neo4j
from queries.neo4j import Neo4jBackend
from question_cases import (ASKED_KEYS, CASE_KEYS, CASES_DIR, CHECKED_KEYS, asked, build, cases_file, mismatches,
                            read_cases)

CASES = [(code, case) for code in queries.QUESTIONS if cases_file(code).exists() for case in read_cases(code)]
CASE_IDS = [f"{code}-{case['name']}" for code, case in CASES]


def test_every_folder_is_a_question_of_the_registry():
    assert sorted(path.name for path in CASES_DIR.iterdir() if path.is_dir()) == sorted(queries.QUESTIONS)


@pytest.mark.parametrize("code", list(queries.QUESTIONS))
def test_every_question_has_cases(code):
    assert cases_file(code).exists(), f"{code} has no {cases_file(code)}"
    cases = read_cases(code)
    assert cases and all(case.get("ask") for case in cases), f"{code}: every case asks at least once"
    names = [case["name"] for case in cases]
    assert len(names) == len(set(names)), f"{code}: two cases share a name"
    for case in cases:  # a misspelt key would check nothing
        where = f"{code} {case['name']!r}"
        assert set(case) <= CASE_KEYS, f"{where}: unknown {sorted(set(case) - CASE_KEYS)}"
        for ask in case["ask"]:
            unknown = set(ask) - ASKED_KEYS - CHECKED_KEYS
            assert not unknown, f"{where}: unknown {sorted(unknown)}"
            assert set(ask) & CHECKED_KEYS, f"{where}: an ask that checks nothing"


@pytest.mark.parametrize("code, case", CASES, ids=CASE_IDS)
def test_case_embedded(code, case):
    graph = build(case).graph
    for number, ask in enumerate(case["ask"]):
        problems = mismatches(ask, queries.run(code, graph, **asked(ask)))
        assert not problems, f"{code} {case['name']!r}, ask {number}: " + "; ".join(problems)


@pytest.mark.neo4j
@pytest.mark.parametrize("code, case", CASES, ids=CASE_IDS)
def test_case_on_neo4j(code, case, live_neo4j):
    graph = build(case).graph
    live_neo4j.wipe()
    load_graph_into_neo4j(graph, live_neo4j.driver, database=live_neo4j.database, scope="cases")
    backend = Neo4jBackend(live_neo4j.driver, live_neo4j.database)
    for number, ask in enumerate(case["ask"]):
        answered = queries.run(code, backend, **asked(ask))
        problems = mismatches(ask, answered)
        assert not problems, f"{code} {case['name']!r}, ask {number} on Neo4j: " + "; ".join(problems)
        embedded = queries.run(code, graph, **asked(ask)).model_dump(mode="json")
        assert answered.model_dump(mode="json") == embedded, f"{code} {case['name']!r}, ask {number}: backends differ"
