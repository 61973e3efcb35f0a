"""``gridgraph audit``: coverage, cross-appointment, blind-spot, structure and candidate questions as a report."""

from __future__ import annotations

import sys
from functools import partial

import click

import queries

from ..audit import check_thresholds, parse_thresholds, run_audit, select_questions
from ..reports import ReportError, format_rate, render_summary, stream_report, write_report
from .base import main, terminal_progress
from .options import (by_option, neo4j_source_options, open_backend, output_options, parameter_options,
                      question_parameters, scope_option, source_argument, timeline_dates, timeline_options)

__all__ = ["audit"]


class AuditCommand(click.Command):
    """Usage errors exit with 1, so that exit status 2 always means a missed --fail-under rate."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            error.exit_code = 1
            raise


@main.command(cls=AuditCommand)
@click.argument("what", metavar="WHAT")
@source_argument
@scope_option
@by_option
@timeline_options
@output_options()
@click.option("--only", metavar="CODES", default=None,
              help="Only these questions of WHAT, e.g. --only C1,B3.")
@click.option("--fail-under", metavar="CODE=RATE,…", default=None,
              help="Exit with status 2 when a coverage rate falls short, e.g. C1=0.95,C2=90%.")
@parameter_options
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Rows of each list shown in the terminal (0: all); files get every row.")
@click.option("--summary", is_flag=True,
              help="Only a line per question: its rate (numerator/denominator), or how many things it lists.")
@neo4j_source_options
def audit(what, source, scope, by, as_of, as_of_every, from_date, to_date, max_dates, fmt, output, lang, show_pii,
          only, fail_under, limit, summary, **options):
    """Ask audit questions of SOURCE and report the answers.

    WHAT is a group (coverage 覆盖率, cross 交叉任职, blindspots 盲区, structure 结构,
    candidates 建议人选), all, or question codes (C1, or C1,B3). SOURCE is a snapshot (default gridgraph.snapshot), a
    ledger folder or a ledger workbook.

    Exit status: 0 done; 1 error (bad options, unreadable source, unknown code); 2 a rate
    named in --fail-under fell short (the report is still written). A rate that is not
    applicable (nothing counted) is reported but does not fail. With several dates (a
    timeline) --fail-under checks the last one.

    \b
    Examples:
      gridgraph audit coverage --by street
      gridgraph audit all ledgers/ --format xlsx -o audit.xlsx
      gridgraph audit blindspots --scope JD01 --format csv -o blindspots/
      gridgraph audit coverage --fail-under C1=0.95,C2=0.9 --as-of 2024年6月30日
      gridgraph audit C1 --format json --lang en
      gridgraph audit S1 --by community
      gridgraph audit C13,C14,B12 --min-area 300
      gridgraph audit C2,C4 --as-of 2024-01-01,2024-07-01,2025-01-01
      gridgraph audit C1,B1 --as-of-every quarter --from 2025-01-01 --to 2026-06-30
      gridgraph audit all --neo4j --uri neo4j://db:7687 --format xlsx -o audit.xlsx
      gridgraph audit C16 --grid-type 应急管理网格 --scope 371327001
      gridgraph audit C18,B16 --since 2026-01-01 --min-cases 8
      gridgraph audit B1,R2 --scope 371327001
    """
    codes = select_questions(what, only)
    thresholds = parse_thresholds(fail_under, asked=codes)
    if fmt == "xlsx" and not output:
        raise ReportError("xlsx needs a file to write to", hint="add -o audit.xlsx")
    if summary and (fmt in ("json", "xlsx") or output):
        raise ReportError("--summary prints a table, csv or md summary to the terminal",
                          hint="an xlsx report opens on its summary sheet")
    dates = timeline_dates(as_of, as_of_every, from_date, to_date, max_dates)
    params = question_parameters(options)
    neo4j_flags = options  # what is left: --neo4j and its connection
    with terminal_progress() as progress:
        with open_backend(source, progress=progress, **neo4j_flags) as backend:
            if len(dates) > 1:
                line = queries.timeline_answers(backend, codes, dates, scope=scope, by=by, **params)
                # JSON writes each date's answers as they are made; the other formats lay out the whole line
                shown = {"timeline": line if fmt == "json" else line.collect()}
            else:
                line = None
                shown = run_audit(backend, codes, scope=scope, by=by,
                                  as_of=dates[0] if dates else None, progress=progress, **params)
            meta = {"source": str(source), "questions": codes, "scope": scope, "by": by,
                    "as_of": ",".join(day.isoformat() for day in dates)
                    or next(iter(shown.values())).as_of.isoformat()}
            # inside the backend: a timeline written as JSON is asked as it is written
            if output:
                inputs = () if neo4j_flags.get("neo4j") else (source,)
                written = write_report(shown, fmt, output, lang=lang, show_pii=show_pii, meta=meta,
                                       inputs=inputs, progress=progress)
            elif summary:
                click.echo(render_summary(line.last if line else shown, fmt, lang=lang, meta=meta), nl=False)
            else:
                stream_report(shown, fmt, partial(click.echo, nl=False), lang=lang, show_pii=show_pii,
                              limit=limit or None, meta=meta)
    results = line.last if line else shown  # a timeline's --fail-under checks its last date
    if output:
        for path in written:
            click.echo(f"Wrote {path}", err=True)
    failed = False
    for entry in check_thresholds(results, thresholds):
        title = entry.title_zh if lang == "zh" else entry.title_en
        figure = f"{format_rate(entry.rate, lang)} ({entry.numerator}/{entry.denominator})"
        threshold = format_rate(entry.threshold, lang)
        if entry.failed:
            failed = True
            click.secho(f"FAIL {entry.code} {title}: {figure} < {threshold}", fg="red", err=True)
        elif entry.rate is None:
            click.echo(f"n/a  {entry.code} {title}: {figure}, not checked against {threshold}",
                       err=True)
        else:
            click.echo(f"ok   {entry.code} {title}: {figure} ≥ {threshold}", err=True)
    if failed:
        sys.exit(2)

