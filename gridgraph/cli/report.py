"""``gridgraph report``: the one-page audit report of an area, with its network views beside it."""

from __future__ import annotations

from pathlib import Path

import click

import queries
from graphmodel.atomic import atomic_write_bytes
from graphmodel.words import Words

from ..audit import check_listing
from ..report_page import area_of, report_page
from ..targets import chart_targets, read_targets
from ..views import ViewTooLarge, build_view, write_view
from .base import main, terminal_progress
from .options import (graph_from_options, lang_option, neo4j_source_options, scope_option, source_argument,
                      timeline_dates, timeline_options)

__all__ = ["report"]


@main.command()
@source_argument
@scope_option
@timeline_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="report.html",
              show_default=True, help="HTML file to write; the views are written beside it.")
@click.option("--views/--no-views", "with_views", default=True, show_default=True,
              help="Also draw the area's network views beside the report and link them (in the --lang of the report).")
@click.option("--targets", "targets_file", type=click.Path(dir_okay=False), default=None,
              help="A targets file (as for gridgraph targets): each target of the report's area is drawn as a "
                   "dashed line on its rate's chart along the dates.")
@lang_option
@neo4j_source_options
def report(source, scope, as_of, as_of_every, from_date, to_date, max_dates, output, with_views, targets_file, lang,
           **neo4j_flags):
    """Write the audit report of SOURCE as one printable (A4) HTML page that opens offline.

    Headline rates with a bar chart per street (per community below a district), every
    blind-spot list with its reasons, the cross-appointment summary, and links to the network
    views of the area (overview, party hierarchy, cross-appointments, the street or community).
    With several dates (--as-of A,B,C or --as-of-every) the report is on the last, and every rate
    is also drawn along the dates as a line chart; --targets FILE draws the area's targets on them.

    \b
    Examples:
      gridgraph report county.snapshot -o report.html
      gridgraph report county.snapshot --scope 371327001 --as-of 2026-06-30 -o 观澜街道.html
      gridgraph report county.snapshot --as-of-every quarter --from 2025-01-01 --to 2026-06-30
    """
    dates = timeline_dates(as_of, as_of_every, from_date, to_date, max_dates)
    targets = chart_targets(read_targets(targets_file), scope) if targets_file else None
    output = Path(output)
    if not output.parent.is_dir():
        raise click.BadParameter(f"folder {output.parent} does not exist", param_hint="-o/--output")
    inputs = () if neo4j_flags.get("neo4j") else (source,)
    with terminal_progress() as progress:
        graph = graph_from_options(source, progress=progress, **neo4j_flags)
    # before the views are written: a report refused later would leave them behind
    check_listing(queries.backend_for(graph), list(queries.QUESTIONS), scope=scope, as_of=max(dates, default=None))
    links = []
    if with_views:
        for title, kind, area in _views_of(graph, scope, lang):
            path = output.with_name(f"{output.stem}-{kind}.html")
            try:
                write_view(build_view(kind, graph, area, as_of=max(dates, default=None), lang=lang), path, inputs=inputs)
            except ViewTooLarge as error:
                click.echo(f"note: no {kind} view: {error}", err=True)
                continue
            links.append((title, path.name))
    with terminal_progress() as progress:
        html = report_page(graph, scope=scope, as_of=dates, source=str(source), views=links, progress=progress,
                           lang=lang, targets=targets)
    atomic_write_bytes(output, html.encode("utf-8"), inputs=inputs)
    click.echo(f"Wrote {output}" + (f" and {len(links)} views beside it" if links else ""), err=True)


#: The title of each view a report links to, in Chinese and English.
_VIEW_TITLES = {"overview": Words("总览（各社区覆盖率）", "Overview (rates per community)"),
                "hierarchy": Words("党组织体系", "Party organisation tree"),
                "people": Words("交叉任职", "Cross-appointments"), "street": Words("街道结构", "Street structure"),
                "community": Words("社区网络", "Community network")}


def _views_of(graph, scope: str | None, lang: str = "zh") -> list[tuple[str, str, str | None]]:
    """``(title, view kind, area)`` of the views a report of ``scope`` links to."""
    label, _ = area_of(graph, scope)
    districts = [key[1] for key, _ in graph.nodes("District")]
    district = scope if label == "District" else (districts[0] if scope is None and len(districts) == 1 else None)
    views = [("overview", district)]
    tree_of = scope or district
    if tree_of:
        views += [("hierarchy", tree_of), ("people", tree_of)]
    if label in ("Street", "Community"):
        views.append((label.lower(), scope))
    return [(_VIEW_TITLES[kind].text(lang), kind, area) for kind, area in views]
