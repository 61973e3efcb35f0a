"""The Cypher side of the audit questions: one file per fetch step, consistent with the registry.

Without a Neo4j server these tests check what can be checked statically: every fetch has exactly
one ``.cypher`` (a question's own in ``queries/questions/<CODE>/``, shared ones in
``queries/cypher/``); each file uses exactly the parameters its fetch passes (an
unused one must be declared unused in the header, with the reason); its result columns are the
keys of the embedded fetch's rows; its string literals are schema codes; the text copied from
the schema (allowed parent kinds) has not drifted; and the named fragments (``// fragment: NAME``)
expand into the text that runs.
tests/test_cypher_lint.py runs every file through Neo4j's Cypher front-end; the live parity suite
(tests/test_neo4j_integration.py) compares answers when NEO4J_URI is set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graph_factory import GraphFactory
from graphmodel.errors import QueryError
from graphmodel.rules import CASE_MONTH_DAYS, POOR_RATINGS, RECENT_CASE_DAYS
from graphmodel.schema import (GridType, ListKind, ListStatus, OrgType, OwnerCommitteeKind, PartyOrgKind, RatingResult,
                               Role, VenueKind, node_labels)
from loaders import load_ledgers
from queries.embedded import EmbeddedBackend
from queries.neo4j import Neo4jBackend
from queries.neo4j.cypher import PACKED_ROWS, queries_dir
from queries.neo4j.library import blank_non_code
from queries.neo4j.fragments import AS_OF_RULE, FRAGMENTS, read_cypher
from queries.candidates import BRANCH_MINIMUM, HEAD_ROLES, PROPOSALS
from queries.changes import ENTITIES, POSTS
from queries.registry import AREAS, QUESTIONS, REASONS
from queries.results import BRANCH_BASES

CYPHER_DIR = queries_dir() / "cypher"
FETCHES = {fetch.cypher_name: fetch for fetch in (AREAS, ENTITIES, POSTS, *QUESTIONS.values())}
PATHS = {name: queries_dir() / fetch.cypher_path for name, fetch in FETCHES.items()}
#: Every statement file: the shared ones in queries/cypher, each question's own in its folder.
STATEMENT_FILES = [*CYPHER_DIR.glob("*.cypher"), *(queries_dir() / "questions").glob("*/*.cypher")]
SAMPLE = Path(__import__("loaders").__file__).parent / "sample_data"

_PARAM_LINE = re.compile(r"^//\s*param:\s*(\w+)\s*\(([^)]*)\)\s*:\s*(.*)$")
_CLAUSE_START = re.compile(r"^(MATCH|OPTIONAL|WITH|UNWIND|CALL|RETURN|UNION|WHERE|ORDER)\b")


def _text(name: str) -> str:
    return read_cypher(PATHS[name])


def _header_params(text: str) -> dict[str, tuple[str, str]]:
    """``{name: (type or 'unused', description)}`` from the ``// param:`` header lines."""
    params = {}
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        match = _PARAM_LINE.match(line)
        if match:
            params[match.group(1)] = (match.group(2).split(",")[0].strip(), match.group(3).strip())
    return params


def _split_top_level(text: str) -> list[str]:
    """``text`` split at commas outside brackets and string literals."""
    parts, depth, current, quote = [], 0, [], None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _result_columns(text: str) -> list[list[str]]:
    """Column names of every top-level RETURN (one per UNION branch), in order."""
    lines = blank_non_code(text).splitlines()
    columns = []
    for start, line in enumerate(lines):
        if not line.startswith("RETURN "):
            continue
        clause = [line[len("RETURN "):]]
        for follow in lines[start + 1:]:
            if _CLAUSE_START.match(follow):
                break
            clause.append(follow)
        names = []
        for item in _split_top_level(" ".join(clause)):
            if item.strip() == PACKED_ROWS:  # packed by an earlier WITH and carried to the RETURN
                item = re.search(rf"collect\(\{{[^{{}}]*\}}\)\s+AS\s+{PACKED_ROWS}\b", " ".join(lines)).group(0)
            packed = re.fullmatch(rf"collect\(\{{(.*)\}}\)\s+AS\s+{PACKED_ROWS}", item.strip())
            if packed:  # rows packed in a list of maps: the map's keys are columns
                names.extend(key.split(":")[0].strip() for key in _split_top_level(packed.group(1)))
                continue
            alias = re.search(r"\bAS\s+(\w+)\s*$", item.strip())
            names.append(alias.group(1) if alias else item.strip())
        columns.append(names)
    return columns


@pytest.fixture(scope="module")
def embedded_rows() -> dict[str, list[dict]]:
    """Rows of every fetch over the bundled sample, or over a small hand-built graph for the
    fetches that find nothing in the sample."""
    as_of = json.loads((SAMPLE / "ground_truth.json").read_text(encoding="utf-8"))["as_of"]
    factory = GraphFactory.city()
    factory.list_item("XQD1", "需求", "SQ1")
    factory.compound("XQF1", "SQ1", buildings=1)
    away = factory.person("XQP1", party_member=True, registered="SQ2")  # B14: the sample has one community
    factory.graph.relate("LIVES_IN", away, ("Building", "XQF1-1"))
    for number in range(5):  # B16: five recent cases; B17: a black-listed company still serving
        factory.case(f"GD{number}", ("Building", "XQF1-1"), received="2026-06-01", closed="2026-06-10")
    company = factory.company("WYF1", [("Compound", "XQF1")])
    factory.rating(company, ("Community", "SQ1"), "2026-03-31", "黑榜")
    backends = (EmbeddedBackend(load_ledgers(SAMPLE).graph), EmbeddedBackend(factory.graph))
    rows = {}
    for name, fetch in FETCHES.items():
        params = {"as_of": as_of, **getattr(fetch, "defaults", {})} if fetch.params else {}
        rows[name] = next((found for backend in backends
                           if (found := backend.fetch_rows(fetch, params))), [])
    return rows


def test_every_fetch_has_exactly_one_cypher_file():
    assert sorted(path.name for path in STATEMENT_FILES) == sorted(FETCHES)
    assert all(path.is_file() for path in PATHS.values())


def test_every_fragment_is_included_and_expanded_where_it_runs():
    fragments = {path.stem for path in (CYPHER_DIR / FRAGMENTS).glob("*.cypher")}
    raw = {name: path.read_text(encoding="utf-8") for name, path in PATHS.items()}
    included = set(re.findall(r"// fragment: (\w+)", "".join(raw.values())))
    assert {AS_OF_RULE} | included == fragments == {
        "place", "compound_place", "party_member_place", "post_row", "x2_sides", "group_without_central_household",
        "committee_without_part_time_member", "candidate_rows", AS_OF_RULE}
    backend = Neo4jBackend(driver=None)
    for name, fetch in FETCHES.items():
        assert "// fragment:" not in backend.statement(fetch) == _text(name)
    assert "CALL (thing) {" in _text("X1.cypher") and "CALL (thing) {" not in raw["X1.cypher"]


def test_the_as_of_rule_is_written_once():
    """Statements say CURRENT(post) / CURRENT_TERM(committee); only fragments/current.cypher spells it out."""
    rule = re.compile(r"(start|end) IS NULL OR")
    sources = [*STATEMENT_FILES, *(CYPHER_DIR / FRAGMENTS).glob("*.cypher"),
               *(CYPHER_DIR.parent / "library").glob("*.cypher")]
    spelled = [path.name for path in sources if rule.search(path.read_text(encoding="utf-8"))]
    assert spelled == [f"{AS_OF_RULE}.cypher"]
    assert "CURRENT(post)" in PATHS["X1.cypher"].read_text(encoding="utf-8")
    expanded = _text("X4.cypher")
    assert "CURRENT" not in expanded
    assert ("(committee.term_start IS NULL OR committee.term_start <= date($as_of)) AND "
            "(committee.term_end IS NULL OR committee.term_end >= date($as_of))") in expanded
    assert "(company_post.end IS NULL OR company_post.end >= date($as_of))" in expanded


def test_a_missing_fragment_names_the_file_and_the_fragment(tmp_path):
    (tmp_path / "Z1.cypher").write_text("MATCH (n)\n  // fragment: nowhere\nRETURN n\n", encoding="utf-8")
    with pytest.raises(QueryError, match="Z1.cypher: no Cypher fragment 'nowhere'"):
        read_cypher(tmp_path / "Z1.cypher")


@pytest.mark.parametrize("name", sorted(FETCHES))
def test_each_header_names_its_question_and_its_embedded_twin(name):
    """``// fetch: C1 小区党组织覆盖率 (queries.questions.C1.question.fetch_c1)``: the code and title of the record
    (a question's own statement), and the embedded fetch whose docstring begins with that code."""
    fetch = FETCHES[name]
    first = PATHS[name].read_text(encoding="utf-8").splitlines()[0]
    assert f"({fetch.fetch.__module__}.{fetch.fetch.__name__})" in first
    if name == f"{fetch.code}.cypher" and fetch.code in QUESTIONS:
        assert first.startswith(f"// fetch: {fetch.code} {fetch.title_zh} (")
        assert fetch.fetch.__doc__.startswith(fetch.code)


@pytest.mark.parametrize("name", sorted(FETCHES))
def test_each_file_uses_exactly_the_parameters_its_fetch_passes(name):
    text = _text(name)
    declared = _header_params(text)
    assert set(declared) == set(FETCHES[name].params), "header params differ from the registry"
    unused = {param for param, (kind, _) in declared.items() if kind == "unused"}
    assert all(declared[param][1] for param in unused), "an unused parameter must say why"
    used = set(re.findall(r"\$(\w+)", blank_non_code(text)))
    assert used == set(declared) - unused


@pytest.mark.parametrize("name", sorted(FETCHES))
def test_each_file_returns_the_keys_of_the_embedded_rows(name, embedded_rows):
    rows = embedded_rows[name]
    assert rows, f"no embedded rows to compare {name} with"
    keys = set(rows[0])
    assert all(set(row) == keys for row in rows)
    for columns in _result_columns(_text(name)):
        assert len(columns) == len(set(columns)), f"repeated column in {columns}"
        assert set(columns) == keys


def _schema_codes() -> set[str]:
    codes = {*node_labels(), *REASONS}
    for enum in (GridType, ListKind, ListStatus, OrgType, OwnerCommitteeKind, PartyOrgKind, RatingResult, Role, VenueKind):
        codes.update(member.value for member in enum)
    return codes


@pytest.mark.parametrize("name", sorted(FETCHES))
def test_string_literals_are_schema_codes(name):
    """A misspelt enum code in Cypher matches nothing and fails silently; here it fails loudly."""
    body = re.sub(r"//[^\n]*", "", _text(name))
    literals = set(re.findall(r"'([^'\\]*)'", body))
    separators = {":", "@", "; "}  # B5 and B19 details
    links = {"party_committee", "party_company"}  # X2's link codes (fetch_x2)
    branch_bases = {"branch_in_", *BRANCH_BASES}  # S1's split of the 党支部 (fetch_s1)
    assert literals - _schema_codes() - separators - links - branch_bases - set(PROPOSALS) == set()
    question = FETCHES[name]
    if getattr(question, "kind", None) == "blindspots":
        assert literals & set(REASONS) == {reason.code for reason in question.reasons}


def test_b8_allowed_parents_are_the_schemas():
    table = re.search(r"WHERE NOT parent\.kind IN \{(.*?)\}\[thing\.kind\]", _text("B8.cypher"),
                      re.DOTALL).group(1)
    written = {kind: set(re.findall(r"'(\w+)'", parents))
               for kind, parents in re.findall(r"(\w+):\s*\[([^\]]*)\]", table)}
    assert written == {kind.value: {parent.value for parent in kind.allowed_parents}
                       for kind in PartyOrgKind}


def test_b16_window_and_b17_poor_ratings_are_the_rules():
    assert f"duration({{days: {RECENT_CASE_DAYS}}})" in _text("B16.cypher")
    months = RECENT_CASE_DAYS // CASE_MONTH_DAYS  # B16's months of the window, oldest first
    assert f"/ {CASE_MONTH_DAYS}) AS ages" in _text("B16.cypher")
    assert f"range({months - 1}, 0, -1)" in _text("B16.cypher")
    written = re.search(r"WHERE result IN \[([^\]]*)\]", _text("B17.cypher")).group(1)
    assert set(re.findall(r"'(\w+)'", written)) == POOR_RATINGS


def test_result_columns_parse_aliases_and_union_branches():
    text = ("MATCH (n:Compound)\nRETURN n.id AS id, {a: 1, b: 2} AS m,\n       n\n"
            "UNION ALL\nRETURN 1 AS id, 2 AS m, 3 AS n\n")
    assert _result_columns(text) == [["id", "m", "n"], ["id", "m", "n"]]
    packed = "RETURN c.id AS community_id,\n       collect({id: b.id, name: b.name}) AS rows\n"
    assert _result_columns(packed) == [["community_id", "id", "name"]]


def test_r2_branch_minimum_and_r4_head_roles_are_the_rules():
    assert f"WHERE resident.party_member = true]) >= {BRANCH_MINIMUM} AS enough" in _text("R2.cypher")
    written = re.search(r"WHERE post\.role IN \[([^\]]*)\]", _text("R4.cypher")).group(1)
    assert set(re.findall(r"'(\w+)'", written)) == HEAD_ROLES
