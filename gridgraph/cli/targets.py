"""``gridgraph targets``: are the district's targets met, open or behind (a thin shell over
:mod:`gridgraph.targets`)."""

from __future__ import annotations

import datetime as dt
import io
import sys

import click

from graphmodel.atomic import atomic_write_bytes

from ..reports import render_tables, write_workbook
from ..targets import check_targets, read_targets
from .base import main
from .options import (DateListType, format_option, lang_option, neo4j_source_options, open_backend,
                      output_option, source_argument)

__all__ = ["targets"]


@main.command()
@click.argument("targets_file", metavar="FILE", type=click.Path(dir_okay=False))
@source_argument
@click.option("--as-of", type=DateListType(), default=None,
              help="The date to check on (default today); several separated by commas also give the pace "
                   "since the first.")
@format_option()
@output_option
@lang_option
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Rows of the list of things still to cover shown in the terminal (0: all); files get every row.")
@click.option("--fail-if-behind", is_flag=True, default=False,
              help="Exit 2 when any target's deadline has passed and it is not met, naming each.")
@neo4j_source_options
def targets(targets_file, source, as_of, fmt, output, lang, limit, fail_if_behind, **neo4j_flags):
    """Check the targets of FILE against SOURCE: per target the rate now, what is still to cover
    (and the things that need it), the deadline and the status (met, open, behind).

    FILE is CSV or XLSX with the columns 指标/code, 区域编码/area (empty: everything),
    目标/target (0.95 or 95%) and 期限/deadline; a wrong row is named with its column and value.

    \b
    Examples:
      gridgraph targets 目标.csv county.snapshot --as-of 2026-06-30
      gridgraph targets 目标.csv county.snapshot --as-of 2026-03-31,2026-06-30 --fail-if-behind
    """
    wanted = read_targets(targets_file)
    dates = sorted(set(as_of or [])) or [dt.date.today()]
    with open_backend(source, **neo4j_flags) as backend:
        result = check_targets(wanted, backend, dates)
    tables = result.tables()
    if output:
        data = (_workbook(tables, lang) if fmt == "xlsx" else render_tables(tables, fmt, lang=lang).encode("utf-8"))
        atomic_write_bytes(output, data, inputs=(targets_file, source))
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(render_tables(tables, fmt, lang=lang, limit=limit or None), nl=False)
    behind = result.behind
    if fail_if_behind:
        for status in behind:
            click.echo(f"behind: {status.target.code} {status.target.area or '全部'} "
                       f"{_percent(status.now.rate)} < {_percent(status.target.target)} "
                       f"(deadline {status.target.deadline.isoformat()})", err=True)
        if behind:
            sys.exit(2)
        click.echo(f"no target is behind ({len(result.statuses)} checked on {dates[-1].isoformat()})", err=True)


def _workbook(tables, lang: str) -> bytes:
    frame = io.BytesIO()
    write_workbook(tables, frame, lang=lang)
    return frame.getvalue()


def _percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"
