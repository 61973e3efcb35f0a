"""Mutation testing of the questions' Cypher against a live Neo4j: is every comparison pinned down?

Usage (with a server of your own, e.g. ``make neo4j-up``)::

    NEO4J_URI=bolt://127.0.0.1:7687 python benchmarks/mutate_cypher.py [--output FILE.json]

Each mutant flips one comparison in the code (not the comments) of a statement (each question's
``queries/questions/<CODE>/<CODE>.cypher``, the shared ``queries/cypher/*.cypher``) or of a
fragment: ``>=`` ↔ ``>``, ``<=`` ↔ ``<``, ``=`` ↔ ``<>``. The parity of
``tests/test_neo4j_parity.py`` then judges it: every question whose statement holds the mutant is
asked of Neo4j and of the embedded backend, on the community sample (the parity suite's scopes,
groupings and dates) and on every hand-built edge-case graph of ``tests/test_audits.py`` (the
questions each of its tests asks) and of every question's cases (``cases.toml``). The mutant is
killed when any answer differs, or Neo4j refuses a statement the embedded backend answers. Each
graph is loaded once, and only while some mutant that its questions could kill still lives (loading
is the slow part).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pytest  # noqa: E402

import queries  # noqa: E402
import test_audits  # noqa: E402
from graphmodel.errors import QueryError  # noqa: E402
from graphmodel.neo4j import connect, resolve_database  # noqa: E402
from loaders import load_ledgers  # noqa: E402
from loaders.neo4j import load_graph_into_neo4j  # noqa: E402
from loaders.sample import generate_sample  # noqa: E402
from queries.neo4j import Neo4jBackend  # noqa: E402
from queries.neo4j.cypher import queries_dir  # noqa: E402
from queries.neo4j.fragments import FRAGMENTS  # noqa: E402
from queries.neo4j.library import blank_non_code  # noqa: E402
from question_cases import asked as case_asked, build, read_cases  # noqa: E402
from test_neo4j_parity import _hand_built_tests, _variants  # noqa: E402

QUERIES = queries_dir()
CYPHER = QUERIES / "cypher"
FLIPS = {">=": ">", ">": ">=", "<=": "<", "<": "<=", "=": "<>", "<>": "="}
# A comparison, not an arrow (-> and <-) nor part of a longer operator.
_OPERATOR = re.compile(r"<>|<=|>=|(?<![-<>=!])=(?![=~>])|<(?![-=>])|(?<![-<])>(?!=)")
SCOPE = "mutate-cypher"


@dataclass
class Mutant:
    file: str  # relative to queries/
    line: int
    column: int
    offset: int
    original: str
    flipped: str
    text: str  # the line as written, for the report
    killed_by: str | None = None

    @property
    def name(self) -> str:
        return f"{self.file}:{self.line}:{self.column} {self.original} → {self.flipped}"


@dataclass
class Asked:
    """A graph and the questions asked of it, with the embedded answers."""
    label: str
    graph: object
    asks: list[tuple[str, dict]] = field(default_factory=list)


def find_mutants() -> list[Mutant]:
    mutants = []
    for path in sorted(_statement_files()) + sorted((CYPHER / FRAGMENTS).glob("*.cypher")):
        text = path.read_text(encoding="utf-8")
        for match in _OPERATOR.finditer(blank_non_code(text)):
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - text.rfind("\n", 0, match.start())
            mutants.append(Mutant(str(path.relative_to(QUERIES)), line, column, match.start(), match.group(),
                                  FLIPS[match.group()], text.splitlines()[line - 1].strip()))
    return mutants


def _statement_files() -> list[Path]:
    return [*CYPHER.glob("*.cypher"), *(QUERIES / "questions").glob("*/*.cypher")]


def statements_using(file: str) -> set[str]:
    """The names of the statement files whose text, fragments expanded, contains ``file``."""
    if not file.startswith(f"cypher/{FRAGMENTS}/"):
        return {Path(file).name}
    include = f"// fragment: {Path(file).stem}"
    return {path.name for path in _statement_files() if include in path.read_text(encoding="utf-8")}


def mutated_folder(mutant: Mutant, work: Path) -> Path:
    """A copy of the statements (``queries/cypher``, ``queries/questions``) with the one comparison flipped."""
    folder = work / f"{mutant.file.replace('/', '_')}-{mutant.offset}"
    for part in ("cypher", "questions"):
        shutil.copytree(QUERIES / part, folder / part)
    path = folder / mutant.file
    text = path.read_text(encoding="utf-8")
    end = mutant.offset + len(mutant.original)
    path.write_text(text[:mutant.offset] + mutant.flipped + text[end:], encoding="utf-8")
    return folder


def community_sample(work: Path) -> Asked:
    generate_sample(work / "community", scale="community", seed=7)
    graph = load_ledgers(work / "community").graph
    return Asked("community sample", graph, [(code, asked) for code in queries.QUESTIONS
                                             for asked in _variants(graph)])


def hand_built_graphs() -> list[Asked]:
    """Each graph a test of ``test_audits`` asks questions of, as it was when asked."""
    found: list[Asked] = []
    asked_embedded = test_audits.ask
    for test in _hand_built_tests():
        def record(code, factory, **kwargs):
            if not found or found[-1].label != test.__name__ or found[-1].graph != factory.graph:
                found.append(Asked(test.__name__, copy.deepcopy(factory.graph)))
            if code in queries.QUESTIONS:  # not the tests of refusals (an unknown code)
                found[-1].asks.append((code, {"as_of": test_audits.AS_OF, **kwargs}))
            return asked_embedded(code, factory, **kwargs)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(test_audits, "ask", record)
            test()
    return found


def case_graphs() -> list[Asked]:
    """Each case of every question's ``cases.toml``, with its asks."""
    return [Asked(f"{code} {case['name']}", build(case).graph, [(code, case_asked(ask)) for ask in case["ask"]])
            for code in queries.QUESTIONS for case in read_cases(code)]


def answer(backend, code: str, asked: dict):
    try:
        return queries.run(code, backend, **asked).model_dump(mode="json")
    except QueryError as refused:
        return f"refused: {refused}"


def judge(mutants: list[Mutant], graphs: list[Asked], driver, database, work: Path, output: Path) -> None:
    folders = {id(mutant): mutated_folder(mutant, work) for mutant in mutants}
    using = {id(mutant): statements_using(mutant.file) for mutant in mutants}
    for graph in graphs:
        asked_statements = {queries.QUESTIONS[code].cypher_name for code, _ in graph.asks}
        if not any(not mutant.killed_by and using[id(mutant)] & (asked_statements | {queries.AREAS.cypher_name})
                   for mutant in mutants):
            continue  # loading takes long: only for a graph that may still kill a mutant
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)
        load_graph_into_neo4j(graph.graph, driver, database=database, scope=SCOPE)
        original = Neo4jBackend(driver, database)
        for code, asked in graph.asks:
            expected = answer(graph.graph, code, asked)
            assert answer(original, code, asked) == expected, f"{graph.label}: {code} {asked} differs unmutated"
            statements = {queries.QUESTIONS[code].cypher_name, queries.AREAS.cypher_name}
            for mutant in mutants:
                if mutant.killed_by or not using[id(mutant)] & statements:
                    continue
                try:
                    got = answer(Neo4jBackend(driver, database, root=folders[id(mutant)]), code, asked)
                except Exception as error:  # noqa: BLE001 (Neo4j refused the statement: killed)
                    got = f"error: {error}"
                if got != expected:
                    mutant.killed_by = f"{graph.label}: {code} {json.dumps(asked, default=str, ensure_ascii=False)}"
        print(f"{graph.label}: {sum(1 for m in mutants if m.killed_by)}/{len(mutants)} killed", flush=True)
        write_results(output, mutants, graphs)  # after each graph: a long run stopped early still tells
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=database)


def write_results(output: Path, mutants: list[Mutant], graphs: list[Asked]) -> None:
    output.write_text(json.dumps({
        "graphs": [f"{graph.label} ({len(graph.asks)} questions asked)" for graph in graphs],
        "mutants": len(mutants), "killed": sum(1 for mutant in mutants if mutant.killed_by),
        "results": [{"mutant": mutant.name, "line": mutant.text, "killed_by": mutant.killed_by}
                    for mutant in mutants]}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "mutation_cypher.json")
    args = parser.parse_args()
    mutants = find_mutants()
    driver, database = connect(), resolve_database()
    with tempfile.TemporaryDirectory() as work:
        graphs = [community_sample(Path(work)), *hand_built_graphs(), *case_graphs()]
        judge(mutants, graphs, driver, database, Path(work), args.output)
    driver.close()
    survivors = [mutant for mutant in mutants if not mutant.killed_by]
    print(f"{len(mutants) - len(survivors)}/{len(mutants)} Cypher mutants killed; survivors:")
    for mutant in survivors:
        print(f"  {mutant.name}: {mutant.text}")


if __name__ == "__main__":
    main()
