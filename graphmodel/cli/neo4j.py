"""Neo4j commands: ad-hoc Cypher, the analyst query library, exports; shared Neo4j options.

``neo4j_options`` and ``driver_from_options`` are for other commands that can use Neo4j
(``load --neo4j``, ``audit --neo4j``)::

    @main.command()
    @neo4j_options
    def load(..., neo4j, neo4j_uri, neo4j_user, neo4j_password, neo4j_database, batch_size):
        if neo4j:
            driver, database = driver_from_options(neo4j_uri, neo4j_user, neo4j_password,
                                                   neo4j_database)
"""

from __future__ import annotations

from pathlib import Path

import click
import neo4j as neo4j_driver

from queries.tables import Column, Table

from .. import export as exporting
from ..neo4j import connect, library_queries, library_query, parse_param, resolve_database, run_cypher
from ..neo4j.connection import ENV_DATABASE, ENV_PASSWORD, ENV_URI, ENV_USER
from ..neo4j.cypher import refuse_writes
from ..neo4j.loader import DEFAULT_BATCH_SIZE
from ..reports import LANGS, TEXT_FORMATS, render_tables
from ..snapshot import DEFAULT_SNAPSHOT
from ..store import open_graph
from .base import main

__all__ = ["connection_options", "neo4j_options", "driver_from_options"]


def connection_options(command):
    """``--uri --user --password --database``, each defaulting to its NEO4J_* variable."""
    for option in reversed([
        click.option("--uri", "neo4j_uri", envvar=ENV_URI, metavar="URI",
                     help=f"Neo4j URI, e.g. neo4j://localhost:7687 [env {ENV_URI}]"),
        click.option("--user", "neo4j_user", envvar=ENV_USER, default="neo4j", show_default=True,
                     help=f"Neo4j user [env {ENV_USER}]"),
        click.option("--password", "neo4j_password", envvar=ENV_PASSWORD,
                     help=f"Neo4j password [env {ENV_PASSWORD}]"),
        click.option("--database", "neo4j_database", envvar=ENV_DATABASE,
                     help=f"Neo4j database (server default if unset) [env {ENV_DATABASE}]"),
    ]):
        command = option(command)
    return command


def neo4j_options(command):
    """``--neo4j`` (use Neo4j instead of the embedded store), connection options, ``--batch-size``."""
    command = click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE,
                           show_default=True, help="Rows per Neo4j write transaction.")(command)
    command = connection_options(command)
    return click.option("--neo4j", "neo4j", is_flag=True,
                        help="Use the Neo4j server (see --uri) instead of the embedded store.")(command)


def driver_from_options(neo4j_uri: str | None, neo4j_user: str | None,
                        neo4j_password: str | None, neo4j_database: str | None
                        ) -> tuple[neo4j_driver.Driver, str | None]:
    """A verified driver and the database name; ``StoreError`` (one ``Error:`` line) on failure."""
    driver = connect(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    return driver, resolve_database(neo4j_database)


def output_options(command):
    command = click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True,
                           help="Language of titles, yes/no words.")(command)
    command = click.option("--format", "output_format", type=click.Choice(TEXT_FORMATS),
                           default="table", show_default=True, help="Output format.")(command)
    return click.option("--param", "-p", "params", multiple=True, metavar="NAME[:TYPE]=VALUE",
                        help="Query parameter; VALUE is JSON, a YYYY-MM-DD date or text; "
                             "TYPE one of int, float, bool, date, str, json. Repeatable.")(command)


def _run_and_print(statement: str, title: tuple[str, str, str], params: tuple[str, ...],
                   output_format: str, lang: str, write: bool, neo4j_uri, neo4j_user, neo4j_password,
                   neo4j_database) -> None:
    parameters = dict(parse_param(text) for text in params)
    if not write:
        refuse_writes(statement)  # before connecting: nothing is sent
    driver, database = driver_from_options(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    with driver:
        columns, rows = run_cypher(driver, statement, parameters, database=database, write=write)
    table = Table(*title, [Column(key, key, key) for key in columns], rows)
    click.echo(render_tables([table], output_format, lang=lang), nl=False)


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the statement from a .cypher file.")
@output_options
@click.option("--write", is_flag=True,
              help="Allow write clauses (CREATE, MERGE, SET, DELETE …); read-only otherwise.")
@connection_options
def cypher(query, query_file, params, output_format, lang, write, **connection):
    """Run a Cypher statement against Neo4j (read-only unless --write).

    Read-only mode refuses, before sending anything, a statement with write clauses
    (CREATE, MERGE, SET, DELETE, REMOVE, DROP, LOAD CSV, CALL … IN TRANSACTIONS, APOC write
    procedures …), and runs the statement in a read transaction, where the server refuses
    writes too.

    \b
    Examples:
      gridgraph cypher "MATCH (c:Compound) RETURN count(c) AS compounds"
      gridgraph cypher -f mine.cypher --param street_id=S01 --format csv
    """
    if (query is None) == (query_file is None):
        raise click.UsageError("give either QUERY or -f FILE")
    statement = query if query is not None else Path(query_file).read_text(encoding="utf-8")
    _run_and_print(statement, ("cypher", "查询结果", "Result"), params, output_format,
                   lang, write, **connection)


@main.group()
def queries():
    """The analyst query library (queries/library/*.cypher)."""


@queries.command("list")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def list_queries(lang):
    """List the library's queries with their titles and parameters."""
    library = library_queries()
    rows = [{"name": query.name, "title": query.title_zh if lang == "zh" else query.title_en,
             "params": ", ".join(f"{p.name}:{p.type}" for p in query.params)}
            for query in library.values()]
    columns = [Column("name", "名称", "name"), Column("title", "标题", "title"),
               Column("params", "参数", "parameters")]
    table = Table("queries", "分析查询库", "Query library", columns, rows)
    click.echo(render_tables([table], "table", lang=lang), nl=False)


@queries.command("show")
@click.argument("name")
def show_query(name):
    """Print one query: its documentation, an example command and its Cypher."""
    query = library_query(name)
    click.echo(f"{query.name}: {query.title_zh} / {query.title_en}\n\n{query.description}\n")
    if query.params:
        click.echo("Parameters:")
        for param in query.params:
            click.echo(f"  {param.name} ({param.type}, e.g. {param.example}): {param.description}")
        click.echo("")
    click.echo(f"Example:\n  {query.example_command()}\n\n{query.statement}")


@queries.command("run")
@click.argument("name")
@output_options
@connection_options
def run_query(name, params, output_format, lang, **connection):
    """Run a library query against Neo4j (read-only)."""
    query = library_query(name)
    _run_and_print(query.statement, (query.name, query.title_zh, query.title_en), params,
                   output_format, lang, False, **connection)


@main.group()
def export():
    """Export the graph for other tools (neo4j-admin bulk import, GraphML)."""


def _source_option(command):
    command = click.option("--force", is_flag=True, help="Replace an existing output.")(command)
    return click.option("--from", "source", default=DEFAULT_SNAPSHOT, show_default=True,
                        help="Snapshot file or ledger folder/workbook to export.")(command)


@export.command("neo4j-admin")
@click.argument("directory", type=click.Path(file_okay=False))
@_source_option
@click.option("--scope", help="load_scope to stamp (default: the District ids).")
def export_neo4j_admin(directory, source, force, scope):
    """Write CSV files and import.sh for `neo4j-admin database import full`.

    \b
    Example:
      gridgraph export neo4j-admin out/ --from ledgers/
      sh out/import.sh neo4j     # on the Neo4j host, database stopped
    """
    result = exporting.export_neo4j_admin(open_graph(source), directory, scope=scope,
                                          overwrite=force)
    click.echo(f"Wrote {len(result.node_files)} node and {len(result.relationship_files)} "
               f"relationship files to {result.directory}; then run (see import.sh):\n"
               f"{result.command}")


@export.command("graphml")
@click.argument("file", type=click.Path(dir_okay=False))
@_source_option
def export_graphml(file, source, force):
    """Write the graph as GraphML (Gephi, yEd, networkx.read_graphml)."""
    path = exporting.export_graphml(open_graph(source), file, overwrite=force)
    click.echo(f"Wrote {path}")
