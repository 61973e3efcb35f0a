"""The analyst query library: every shipped query is documented, and bad headers are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from graphmodel.errors import QueryError
from queries.neo4j import library_queries, library_query
from queries.neo4j.library import parse_library_file

EXAMPLE_TYPES = {"str": str, "int": int, "date": dt.date, "float": float, "bool": bool}


def test_the_library_ships_documented_queries():
    library = library_queries()
    assert len(library) >= 8
    for query in library.values():
        assert query.title_zh and query.title_en and len(query.description) > 20
        assert query.statement.lstrip().upper().startswith("MATCH")
        examples = query.example_params()
        assert list(examples) == [param.name for param in query.params]
        assert all(isinstance(examples[param.name], EXAMPLE_TYPES[param.type]) for param in query.params)


def test_a_query_is_found_by_name_and_lists_its_parameters():
    query = library_query("grids_without_worker")
    assert [(p.name, p.type) for p in query.params] == [("community_id", "str"), ("as_of", "date")]
    assert query.example_command() == (
        "gridgraph queries run grids_without_worker --param community_id=SQ001 "
        "--param as_of=2026-11-23")
    with pytest.raises(QueryError, match="no library query named 'nope'"):
        library_query("nope")


@pytest.mark.parametrize("header, problem", [
    ("// title_en: T\n// description: D\n", "lacks title_zh"),
    ("// title_zh: 标题\n// title_en: T\n// description: D\n", r"used \['street_id'\]"),
    ("// title_zh: 标题\n// title_en: T\n// description: D\n"
     "// param: street_id (text, e.g. S01): street\n", "not 'name"),
])
def test_incomplete_headers_are_refused(tmp_path, header, problem):
    path = tmp_path / "broken.cypher"
    path.write_text(header + "MATCH (s:Street {id: $street_id}) RETURN s.name", encoding="utf-8")
    with pytest.raises(QueryError, match=problem):
        parse_library_file(path)
