"""Neo4j commands: ad-hoc Cypher, the analyst query library, exports.

The Neo4j connection options are shared with ``load --neo4j`` and ``audit --neo4j`` and live in
:mod:`.options`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click
from click.core import ParameterSource

from graphmodel.snapshot import DEFAULT_SNAPSHOT
from loaders.store import open_graph
from queries.neo4j import library_queries, library_query, parse_param, stream_statement
from queries.tables import Column, Table

from .. import export as exporting
from ..reports import TEXT_FORMATS, render_tables, stream_table
from .base import main
from .options import (FiniteFloatRange, connection_options, driver_from_options, format_option,
                      graph_from_options, lang_option, neo4j_source_options)

__all__ = ["cypher", "queries", "export"]


#: What the console gives a statement unless told otherwise: it may run this many seconds and
#: return this many rows (the rest are left unread, and the output says so).
DEFAULT_TIMEOUT = 60
DEFAULT_ROW_LIMIT = 10_000
MAX_TIMEOUT = 10 ** 9  # seconds; the driver sends milliseconds as a 64-bit integer


def cypher_options(command):
    """``--format`` (text formats), ``--lang``, ``--timeout``, ``--limit`` and repeatable ``--param``."""
    command = lang_option(format_option(TEXT_FORMATS)(command))
    command = click.option("--timeout", type=FiniteFloatRange(min=0, max=MAX_TIMEOUT),
                           default=DEFAULT_TIMEOUT,
                           show_default=True, metavar="SECONDS",
                           help="Stop the statement after this many seconds (0: the server's own "
                                "limit).")(command)
    command = click.option("--limit", "row_limit", type=click.IntRange(min=1),
                           default=DEFAULT_ROW_LIMIT, show_default=True, metavar="ROWS",
                           help="Show at most this many rows; the rest are not read.")(command)
    return click.option("--param", "-p", "params", multiple=True, metavar="NAME[:TYPE]=VALUE",
                        help="Query parameter; VALUE is JSON, a YYYY-MM-DD date or text; "
                             "TYPE one of int, float, bool, date, str, json. Repeatable.")(command)


def _run_and_print(statement: str, title: tuple[str, str, str], params: tuple[str, ...],
                   fmt: str, lang: str, timeout: float, row_limit: int, write: bool, neo4j_uri,
                   neo4j_user, neo4j_password, neo4j_database) -> None:
    parameters = dict(parse_param(text) for text in params)
    driver, database = driver_from_options(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    # Each row is printed as it arrives: memory holds a block of rows, not --limit of them.
    with driver, stream_statement(driver, statement, parameters, database=database, write=write,
                                  limit=row_limit, timeout=timeout) as rows:
        table = Table(*title, [Column(key, key, key) for key in rows.columns])
        stream_table(table, rows, fmt, partial(click.echo, nl=False), lang=lang)
    if rows.cut:
        click.echo(f"note: the first {row_limit} rows only; the statement returns more (--limit)",
                   err=True)


@main.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the statement from a .cypher file.")
@cypher_options
@click.option("--write", is_flag=True,
              help="Allow write clauses (CREATE, MERGE, SET, DELETE …); read-only otherwise.")
@connection_options
def cypher(query, query_file, params, fmt, lang, timeout, row_limit, write, **connection):
    """Run a Cypher statement against Neo4j (read-only unless --write).

    Read-only mode first has Neo4j plan the statement (EXPLAIN) and refuses it on the plan:
    anything that writes or changes the schema, LOAD CSV, and procedures or functions outside a
    small allow-list (db.labels, db.schema.visualization, dbms.components …), administration
    commands (SHOW … but SHOW INDEXES and SHOW CONSTRAINTS, TERMINATE …) and any plan operator
    not known to only read. What passes runs in a read transaction, where the server refuses
    writes too. A statement may run --timeout seconds and show --limit rows.

    \b
    Examples:
      gridgraph cypher "MATCH (c:Compound) RETURN count(c) AS compounds"
      gridgraph cypher -f mine.cypher --param street_id=S01 --format csv
    """
    if (query is None) == (query_file is None):
        raise click.UsageError("give either QUERY or -f FILE")
    statement = query if query is not None else Path(query_file).read_text(encoding="utf-8")
    _run_and_print(statement, ("cypher", "查询结果", "Result"), params, fmt,
                   lang, timeout, row_limit, write, **connection)


@main.group()
def queries():
    """The analyst query library (queries/library/*.cypher)."""


@queries.command("list")
@lang_option
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
@cypher_options
@connection_options
def run_query(name, params, fmt, lang, timeout, row_limit, **connection):
    """Run a library query against Neo4j (read-only)."""
    query = library_query(name)
    # A declared parameter takes its declared type, so street_id=371327001 stays a code (text).
    declared = {param.name: param.type for param in query.params}
    typed = tuple(_with_type(text, declared) for text in params)
    _run_and_print(query.statement, (query.name, query.title_zh, query.title_en), typed,
                   fmt, lang, timeout, row_limit, False, **connection)


def _with_type(text: str, declared: dict[str, str]) -> str:
    name, sep, value = text.partition("=")
    if sep and ":" not in name and name.strip() in declared:
        return f"{name.strip()}:{declared[name.strip()]}={value}"
    return text


@main.group()
def export():
    """Export the graph for other tools (neo4j-admin bulk import, GraphML)."""


def _source_option(command, multiple: bool = False):
    command = click.option("--include-pii", is_flag=True,
                           help="Export phone numbers and ID hashes too (left out by default).")(command)
    command = click.option("--force", is_flag=True, help="Replace an existing output.")(command)
    if multiple:
        return click.option("--from", "sources", multiple=True, default=[DEFAULT_SNAPSHOT], show_default=True,
                            help="Snapshot file or ledger folder/workbook to export; repeat it for several "
                                 "areas (a province's districts), imported as one.")(command)
    return click.option("--from", "source", default=DEFAULT_SNAPSHOT, show_default=True,
                        help="Snapshot file or ledger folder/workbook to export.")(command)


@export.command("neo4j-admin")
@click.argument("directory", type=click.Path(file_okay=False))
@partial(_source_option, multiple=True)
@click.option("--scope", help="Load scope written into load_scopes (default: the District ids).")
@click.option("--areas", type=click.Path(exists=True, file_okay=False),
              help="A folder of area folders (a province's districts): each folder in it is one --from.")
def export_neo4j_admin(directory, sources, force, include_pii, scope, areas):
    """Write CSV files and import.sh for `neo4j-admin database import full`.

    Several areas (--areas, or --from more than once) make one import, each area its own load
    scope, their rows in one file per label: Neo4j's importer pays a fixed time per file.

    \b
    Example:
      gridgraph export neo4j-admin out/ --from ledgers/
      sh out/import.sh neo4j     # on the Neo4j host, database stopped
      gridgraph export neo4j-admin province/ --areas districts/
    """
    if areas:
        if click.get_current_context().get_parameter_source("sources") is not ParameterSource.DEFAULT:
            raise click.UsageError("--areas and --from name the areas twice: give one of them")
        sources = sorted(str(path) for path in Path(areas).iterdir() if path.is_dir())
        if not sources:
            raise click.BadParameter(f"{areas} holds no area folder", param_hint="--areas")
    if len(sources) == 1:
        result = exporting.export_neo4j_admin(open_graph(sources[0]), directory, scope=scope,
                                              overwrite=force, include_pii=include_pii, inputs=sources)
    elif scope:
        raise click.UsageError("--scope takes one --from: each area of a many-area export is its own scope")
    elif len({Path(source).resolve() for source in sources}) < len(sources):
        raise click.BadParameter("an area is given twice; the import would define its ids twice",
                                 param_hint="--from")
    else:
        result = exporting.export_neo4j_admin_many([partial(open_graph, source) for source in sources],
                                                   directory, overwrite=force, include_pii=include_pii,
                                                   inputs=sources)
    click.echo(f"Wrote {len(result.node_files)} node and {len(result.relationship_files)} "
               f"relationship files to {result.directory}; then run (see import.sh):\n"
               f"{result.command}")


@export.command("graphml")
@click.argument("file", type=click.Path(dir_okay=False))
@_source_option
@neo4j_source_options
def export_graphml(file, source, force, include_pii, **neo4j_flags):
    """Write the graph as GraphML (Gephi, yEd, networkx.read_graphml); --neo4j reads it from Neo4j."""
    inputs = () if neo4j_flags.get("neo4j") else (source,)
    path = exporting.export_graphml(graph_from_options(source, **neo4j_flags), file, overwrite=force,
                                    include_pii=include_pii, inputs=inputs)
    click.echo(f"Wrote {path}")
