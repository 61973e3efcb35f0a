"""``gridgraph diff``: what got better or worse between two snapshots or ledger folders."""

from __future__ import annotations

import sys

import click

import queries
from loaders.store import open_graph
from queries.diff_areas import DiffSummary, compare_areas

from ..audit import select_questions
from ..reports import ReportError, format_rate, render, write_report
from .audit import AuditCommand
from .base import main
from .options import (EXISTING_SOURCE, DateType, as_of_old_option, by_option, neo4j_source_options, open_backend,
                      output_options, scope_option)

__all__ = ["diff"]


@main.command(cls=AuditCommand)
@click.argument("old", metavar="OLD", type=EXISTING_SOURCE)
@click.argument("new", metavar="[NEW]", required=False, type=EXISTING_SOURCE)
@scope_option
@by_option
@click.option("--as-of", type=DateType(), default=None,
              help="Ask both sides on this date (default today); --as-of-old/--as-of-new set one side.")
@as_of_old_option
@click.option("--as-of-new", type=DateType(), default=None, help="The date NEW is asked on.")
@output_options()
@click.option("--fail-if-worse", metavar="CODES", default=None,
              help="Exit with status 2 when any of these coverage rates fell, e.g. C1,C2.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Rows of each list shown in the terminal (0: all); files get every row.")
@click.option("--allow-different-areas", is_flag=True, default=False,
              help="Compare OLD and NEW even when they hold only some of the same districts "
                   "(refused otherwise; sides sharing no district are always refused).")
@neo4j_source_options
def diff(old, new, scope, by, as_of, as_of_old, as_of_new, fmt, output, lang, show_pii, fail_if_worse,
         limit, allow_different_areas, **neo4j_flags):
    """Compare OLD with NEW: rates old → new, blind spots opened and closed, posts taken up and
    left, and things added, removed, renamed or moved.

    OLD and NEW are each a snapshot or a ledger folder (or workbook); with --neo4j, NEW is read
    from the Neo4j server and only OLD is given. Identity is the ledger id: a renamed compound is
    the same compound; an id whose name and parent both changed is reported as a changed identity.

    Exit status: 0 done; 1 error; 2 a rate named in --fail-if-worse fell.

    \b
    Examples:
      gridgraph diff 2026Q1.snapshot ledgers/ --as-of-old 2026-03-31 --as-of-new 2026-06-30
      gridgraph diff q1/ q2/ --by community --format xlsx -o changes.xlsx
      gridgraph diff q1.snapshot --neo4j --fail-if-worse C1,C2
    """
    watched = select_questions(fail_if_worse) if fail_if_worse else []
    not_rates = [code for code in watched if code not in queries.RATE_CODES]
    if not_rates:
        raise ReportError(f"--fail-if-worse: {', '.join(not_rates)} has no rate",
                          hint=f"name coverage rates: {queries.code_span(queries.RATE_CODES)}")
    if neo4j_flags["neo4j"] == (new is not None):
        raise ReportError("give NEW, or --neo4j to read NEW from the server, not both or neither",
                          hint="gridgraph diff OLD NEW  or  gridgraph diff OLD --neo4j")
    if fmt == "xlsx" and not output:
        raise ReportError("xlsx needs a file to write to", hint="add -o changes.xlsx")
    old_graph = open_graph(old)
    with open_backend(new, **neo4j_flags) as new_backend:
        areas = compare_areas(old_graph, new_backend)
        changes = queries.diff(old_graph, new_backend, scope=scope, by=by,
                               as_of_old=as_of_old or as_of, as_of_new=as_of_new or as_of,
                               allow_different_areas=allow_different_areas)
    if scope is None and areas.partial:
        click.secho(f"warning: OLD and NEW share only some districts (only OLD: "
                    f"{', '.join(areas.only_old) or 'none'}; only NEW: {', '.join(areas.only_new) or 'none'}); "
                    "their rates count different areas", fg="yellow", err=True)
    meta = {"old": str(old), "new": "neo4j" if new is None else str(new), "scope": scope, "by": by,
            "as_of_old": changes.as_of_old.isoformat(), "as_of_new": changes.as_of_new.isoformat()}
    results = {"diff": changes}
    if fmt in ("csv", "xlsx"):  # a file has no header line: its first sheet says what was compared
        summary = DiffSummary(old=meta["old"], new=meta["new"], as_of_old=changes.as_of_old,
                              as_of_new=changes.as_of_new, scope=scope, areas=areas)
        results = {"summary": summary, **results}
    if output:
        inputs = (old,) if new is None else (old, new)
        for path in write_report(results, fmt, output, lang=lang, show_pii=show_pii, meta=meta,
                                 inputs=inputs):
            click.echo(f"Wrote {path}", err=True)
    else:
        click.echo(render(results, fmt, lang=lang, show_pii=show_pii, limit=limit or None, meta=meta), nl=False)
    fell = changes.worse(watched)
    for rate in fell:
        click.secho(f"WORSE {rate.code}: {format_rate(rate.old_rate, lang)} → {format_rate(rate.new_rate, lang)}",
                    fg="red", err=True)
    if fell:
        sys.exit(2)
