"""Ledger commands: ``validate``, ``load``, ``stats`` and ``import-lianjia``.

Each command makes one library call (``loaders``) and renders what it returns; problems are
printed one per line as ``file:row: column=value: reason``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graphmodel.snapshot import DEFAULT_SNAPSHOT
from loaders import load_ledgers, load_to_snapshot
from loaders.lianjia import convert_lianjia
from loaders.neo4j import load_graph_into_neo4j
from loaders.problems import counted
from queries.stats import graph_stats

from ..problem_lines import problem_lines, unusable_files, warning_lines
from ..problem_workbook import write_problem_workbook
from ..reports import render_tables
from .base import ProgressBars, RateProgress, main, terminal_progress
from .options import (driver_from_options, graph_from_options, lang_option, neo4j_options,
                      neo4j_source_options)

__all__ = ["validate", "load", "stats", "import_lianjia"]

# Above this many bytes of ledgers a load takes long enough to deserve a bar even in a log.
_BIG_LOAD_BYTES = 20_000_000


def _progress_for(path: str) -> ProgressBars:
    source = Path(path)
    files = source.iterdir() if source.is_dir() else [source] if source.is_file() else []
    size = sum(file.stat().st_size for file in files if file.is_file())
    return ProgressBars(sys.stderr.isatty() or size > _BIG_LOAD_BYTES)


def _echo_problems(result, *, quiet: bool = False, collapse: bool = True) -> None:
    for line in problem_lines(result.problems, collapse=collapse):
        click.echo(line)
    if not quiet:
        unusable = unusable_files(result.problems)
        for line in warning_lines(result.warnings, collapse=collapse, unusable=unusable):
            click.echo(f"Warning: {line}", err=True)


def _summary(result) -> str:
    nodes = ", ".join(f"{count} {label}" for label, count in result.graph.label_counts().items()
                      if count)
    relationships = sum(result.graph.relationship_counts().values())
    return (f"{len(result.files)} files, {sum(result.rows.values())} rows: {nodes or 'no nodes'}; "
            f"{relationships} relationships")


@main.command()
@click.argument("ledgers", type=click.Path())
@click.option("-q", "--quiet", is_flag=True, help="Only the problems: no warnings.")
@click.option("--all", "every_line", is_flag=True,
              help="Every problem and warning on its own line, none collapsed.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the problems to this XLSX: the offending rows, bad cells highlighted, "
                   "the reason beside each row.")
def validate(ledgers: str, quiet: bool, every_line: bool, output: str | None) -> None:
    """Check the ledgers in LEDGERS (a folder or a workbook) and list every problem.

    Each problem is one line `file:row: column=value: reason` (row 1 is the header). Problems
    with a whole file come first, then the rest from the rarest to the most repeated; more than
    five rows with the same problem show three of them and a count of the others. Relationships
    dropped because they point at a bad row are one warning per cause, with a count.
    Exits 1 when there is any problem, 0 with a one-line summary otherwise.

    \b
    Example:
        gridgraph validate 台账/
        gridgraph validate 台账/ --quiet -o problems.xlsx
    """
    with _progress_for(ledgers) as progress:
        result = load_ledgers(ledgers, skip_invalid=True, progress=progress)
    _echo_problems(result, quiet=quiet, collapse=not every_line)
    if output and result.problems:
        click.echo(f"Wrote {write_problem_workbook(ledgers, result.problems, output)}", err=True)
    if result.problems:
        unusable = unusable_files(result.problems)
        held_back = sum(1 for warning in result.warnings if warning.cause and warning.cause[0] in unusable)
        click.echo(f"{counted(len(result.problems), 'problem')} in {ledgers}" +
                   (f"; fixing {'it' if len(result.problems) == 1 else 'them'} also loads the "
                    f"{counted(held_back, 'relationship')} that point at rows of {', '.join(sorted(unusable))}"
                    if held_back and not every_line else ""), err=True)
        sys.exit(1)
    click.echo(f"OK: {_summary(result)}")


@main.command()
@click.argument("ledgers", type=click.Path())
@click.option("-o", "--output", default=DEFAULT_SNAPSHOT, show_default=True,
              type=click.Path(dir_okay=False), help="Snapshot file to write (atomically).")
@click.option("--skip-invalid", is_flag=True, default=False,
              help="Load the valid rows and list the problems, instead of refusing the load.")
@neo4j_options
@click.option("--wait", is_flag=True, default=False,
              help="With --neo4j: when another load of an overlapping scope is running, wait for "
                   "it to finish instead of refusing.")
def load(ledgers: str, output: str, skip_invalid: bool, neo4j: bool, batch_size: int,
         load_scope: str | None, wait: bool, **connection: str | None) -> None:
    """Load the ledgers in LEDGERS into a graph snapshot, or into Neo4j with --neo4j.

    Strict by default: any problem is listed and nothing is written (exit 1). With --neo4j the
    ledgers are merged into the database (constraints first, batched, idempotent); what vanished
    from the ledgers of the loaded districts is removed, and a summary says what changed. A load
    of districts another load is writing is refused, naming that load (or waits, with --wait).

    \b
    Example:
        gridgraph load 台账/ -o city.snapshot
        gridgraph load 台账.xlsx --skip-invalid
        NEO4J_URI=neo4j://db:7687 NEO4J_PASSWORD=… gridgraph load 台账/ --neo4j
    """
    with _progress_for(ledgers) as progress:
        if not neo4j:
            result = load_to_snapshot(ledgers, output, skip_invalid=skip_invalid, progress=progress)
        else:
            result = load_ledgers(ledgers, skip_invalid=skip_invalid, progress=progress)
    _echo_problems(result)
    skipped = f" ({counted(len(result.problems), 'problem')} skipped)" if result.problems else ""
    if not neo4j:
        click.echo(f"Loaded {_summary(result)} into {output}{skipped}")
        return
    driver, database = driver_from_options(**connection)
    with driver, RateProgress("Neo4j", terminal=sys.stderr.isatty()) as progress:
        summary = load_graph_into_neo4j(result.graph, driver, database=database,
                                        batch_size=batch_size, progress=progress,
                                        scope=load_scope, wait=wait,
                                        waiting=lambda message: click.echo(f"note: {message}",
                                                                           err=True))
    click.echo(f"Loaded {_summary(result)} into Neo4j{skipped}: {summary}")


@main.command()
@click.argument("snapshot", required=False, default=DEFAULT_SNAPSHOT, type=click.Path())
@lang_option
@neo4j_source_options
def stats(snapshot: str, lang: str, **neo4j_flags) -> None:
    """Count what SNAPSHOT (or a ledger folder, or Neo4j with --neo4j) holds: nodes,
    relationships and per street.

    \b
    Example:
        gridgraph stats city.snapshot
        gridgraph stats --neo4j
    """
    with terminal_progress() as progress:
        graph = graph_from_options(snapshot, progress=progress, **neo4j_flags)
    click.echo(render_tables(graph_stats(graph), "table", lang=lang), nl=False)


@main.command("import-lianjia")
@click.argument("csv_path", metavar="CSV", type=click.Path())
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the ledgers into.")
def import_lianjia(csv_path: str, out_dir: str) -> None:
    """Turn a Lianjia compound listing (链家小区 CSV) into a ledger folder.

    \b
    Example:
        gridgraph import-lianjia lianjia_harbin_xiaoqu.csv -o 哈尔滨台账/
    """
    report = convert_lianjia(csv_path, out_dir)
    for note in report.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(f"Wrote {report.summary()} to {out_dir}")
