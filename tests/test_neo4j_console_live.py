"""The read-only console against the live server: administration commands, the transaction
timeout and the row cap (issue 29, findings 1 and 3)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gridgraph.cli import main
from gridgraph.reports import STREAM_BLOCK, stream_table
from loaders.neo4j import load_graph_into_neo4j
from neo4j_fakes import tiny_graph
from queries.neo4j import stream_statement
from queries.tables import Column, Table

pytestmark = [pytest.mark.neo4j]

ADMINISTRATION = "the console does not run administration commands"


def gridgraph(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def loaded(live_neo4j):
    live_neo4j.wipe()
    load_graph_into_neo4j(tiny_graph(), live_neo4j.driver, database=live_neo4j.database)
    return live_neo4j


@pytest.mark.parametrize("statement", [
    "SHOW DATABASES",
    "SHOW USERS",
    "SHOW TRANSACTIONS",
    "SHOW TRANSACTIONS YIELD * RETURN *",
    "SHOW SETTINGS",
    "SHOW PROCEDURES",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW TRANSACTIONS YIELD transactionId AS t TERMINATE TRANSACTIONS t YIELD message RETURN message",
])
def test_administration_commands_are_refused_as_such(statement, loaded):
    code, output = gridgraph("cypher", statement)
    assert code == 1 and output.startswith("Error:") and ADMINISTRATION in output, output


def test_the_console_cannot_terminate_another_transaction(loaded):
    """Finding 1 as it was met: another analyst's open transaction survives the console's
    SHOW … TERMINATE TRANSACTIONS."""
    with loaded.driver.session(database=loaded.database) as session:
        other = session.begin_transaction()
        other.run("MATCH (c:Compound) RETURN count(c) AS n").consume()
        code, output = gridgraph(
            "cypher", "SHOW TRANSACTIONS YIELD transactionId AS t "
                      "TERMINATE TRANSACTIONS t YIELD message RETURN message")
        assert code == 1 and ADMINISTRATION in output, output
        assert other.run("MATCH (c:Compound) RETURN count(c) AS n").single()["n"] == 1
        other.commit()


@pytest.mark.parametrize("statement, column", [
    ("SHOW INDEXES YIELD name RETURN name", "name"),
    ("SHOW CONSTRAINTS YIELD name RETURN name", "name"),
    ("MATCH p = (:Compound)-[:PART_OF]->(:Community) RETURN length(p) AS hops", "hops"),
])
def test_what_the_readme_allows_runs(statement, column, loaded):
    code, output = gridgraph("cypher", statement, "--format", "csv")
    assert code == 0, output
    assert output.lstrip("\ufeff").splitlines()[0] == column


def test_rows_beyond_the_cap_are_cut_and_the_output_says_so(loaded):
    code, output = gridgraph("cypher", "UNWIND range(1, 9000000000000) AS x RETURN x",
                             "--format", "csv", "--limit", "5")
    assert code == 0, output
    lines = output.lstrip("\ufeff").splitlines()
    assert lines[:6] == ["x", "1", "2", "3", "4", "5"]
    assert lines[6:] == ["note: the first 5 rows only; the statement returns more (--limit)"]


def test_the_default_cap_is_ten_thousand_rows(loaded):
    code, output = gridgraph("cypher", "UNWIND range(1, 10001) AS x RETURN x", "--format", "csv")
    assert code == 0, output
    lines = output.lstrip("\ufeff").splitlines()
    assert lines[1:3] == ["1", "2"] and lines[10000] == "10000"
    assert lines[10001:] == ["note: the first 10000 rows only; the statement returns more (--limit)"]


def test_a_terminal_table_is_printed_row_by_row_and_widens_after_its_first_block(loaded):
    code, output = gridgraph("cypher", "UNWIND range(1, 50000) AS x RETURN x", "--limit", "1200")
    assert code == 0, output
    lines = [line.rstrip() for line in output.splitlines()]
    assert lines[:4] == ["查询结果", "  x", "---", "  1"]  # widths from rows 1–100
    assert lines[3 + 999] == "1000"  # not cut to the three columns of the first block
    assert lines[3 + 1199] == "1200"
    assert lines[3 + 1200:] == ["note: the first 1200 rows only; the statement returns more (--limit)"]


def test_rows_are_rendered_while_the_server_still_streams(loaded):
    """The console's pieces on the live server: the first row is written after one block has
    been read, while 50,000 rows (20,000 of them asked for) are still to come."""
    read = []

    def counted(rows):
        for row in rows:
            read.append(row["x"])
            yield row

    written = []
    with stream_statement(loaded.driver, "UNWIND range(1, 50000) AS x RETURN x", database=loaded.database,
                          limit=20_000) as rows:
        stream_table(Table("cypher", "查询结果", "Result", [Column("x", "x", "x")]), counted(rows), "csv",
                     lambda text: written.append((len(read), text)))
    assert written[1] == (1, "1\r\n") and written[150] == (150, "150\r\n")
    assert len(written) == 20_001 and rows.cut
    table_written = []
    with stream_statement(loaded.driver, "UNWIND range(1, 50000) AS x RETURN x", database=loaded.database,
                          limit=20_000) as rows:
        read.clear()
        stream_table(Table("cypher", "查询结果", "Result", [Column("x", "x", "x")]), counted(rows), "table",
                     lambda text: table_written.append((len(read), text)))
    first_row = next(made for made, text in table_written if text.strip() == "1")
    assert first_row == STREAM_BLOCK < 20_000


def test_exactly_the_cap_is_not_cut(loaded):
    code, output = gridgraph("cypher", "UNWIND range(1, 3) AS x RETURN x", "--format", "csv",
                             "--limit", "3")
    assert code == 0 and output.lstrip("\ufeff").splitlines() == ["x", "1", "2", "3"], output


def test_a_statement_over_the_timeout_is_stopped_by_the_server(loaded):
    code, output = gridgraph("cypher", "UNWIND range(1, 9000000000000) AS x "
                                       "WITH x WHERE x < 0 RETURN x", "--timeout", "1")
    assert code == 1, output
    assert output.startswith("Error: the statement ran longer than 1 s"), output
    assert "--timeout" in output
