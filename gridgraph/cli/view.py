"""``gridgraph view``: a network view of one area as a self-contained, offline HTML file."""

from __future__ import annotations

import re

import click

import queries

from ..views import COMPARE_KINDS, DEFAULT_NODE_LIMIT, SOURCE_NOTE, VIEW_KINDS, build_view, compare_view, write_view
from .base import main, terminal_progress
from .options import (EXISTING_SOURCE, as_of_old_option, as_of_option, graph_from_options, lang_option,
                      neo4j_source_options, source_argument)

__all__ = ["view"]

_WHOLE_GRAPH = "all"


@main.command()
@click.argument("kind", type=click.Choice(list(VIEW_KINDS)))
@click.argument("area_id", metavar="ID", required=False, default=None)
@source_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="HTML file to write (default: KIND-ID.html).")
@click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_NODE_LIMIT, show_default=True,
              help="Most nodes a view may draw; a larger view is refused (overview: aggregated).")
@click.option("--rate", default="C1", show_default=True, metavar="CODE",
              help=f"overview: the coverage rate ({queries.code_span(queries.RATE_CODES)}) that colours each community.")
@as_of_option
@click.option("--compare", "old", metavar="OLD", type=EXISTING_SOURCE, default=None,
              help=f"Mark what is new since OLD (a snapshot or ledger folder) in green and what is gone "
                   f"as dashed grey ghosts ({', '.join(COMPARE_KINDS)} views).")
@as_of_old_option
@lang_option
@neo4j_source_options
def view(kind, area_id, source, output, limit, rate, as_of, old, as_of_old, lang, **neo4j_flags):
    """Draw a network view of SOURCE as one HTML file that opens offline in any browser.

    \b
    KIND:
      community  community ID, opening on its compounds; blind spots glow red
      street     the communities, compounds, grids and party organisations of street ID
      hierarchy  the party organisation tree of district or street ID
      people     people with posts in two or more organisations (X1 gold, X4 red)
      overview   district ID (or "all") aggregated to communities, coloured by --rate

    SOURCE is a snapshot (default gridgraph.snapshot), a ledger folder or a workbook;
    with --neo4j the graph is read from the Neo4j server instead.
    Search a name or code above the view; tick kinds in the legend and blind-spot codes to
    filter; click a node for its posts, contracts, blind spots and reasons.

    With --compare OLD the same view of OLD (asked on --as-of-old, default --as-of) is drawn
    underneath: nodes and relationships new since OLD get a thick green outline, those gone since
    come back as dashed grey ghosts, renames read "原名 OLD NAME" (formerly) and posts or contracts
    with other dates are marked 变更 (changed) on their line; a legend block counts each, as the
    command's last line does. Identity is the ledger id.

    --lang en draws the view in English: titles, legends, filters, tooltips and panels; names and
    codes stay as the ledgers write them.

    \b
    Examples:
      gridgraph view community 371327001001 -o 永安街社区.html
      gridgraph view hierarchy 371327001
      gridgraph view overview all out/sample.snapshot --rate C2
      gridgraph view community 371327107001 q3/ --compare q2/ --as-of 2026-09-30 --as-of-old 2026-06-30
    """
    if area_id is None and kind != "overview":
        raise click.UsageError(f"the {kind} view needs an ID (a community, street or district code)")
    if old is not None and kind not in COMPARE_KINDS:
        raise click.UsageError(f"--compare draws {', '.join(COMPARE_KINDS)} views, not the {kind} view")
    if as_of_old is not None and old is None:
        raise click.UsageError("--as-of-old needs --compare OLD")
    options = {"as_of": as_of, "limit": limit, "lang": lang}
    if kind == "overview":
        options["rate"] = rate
        area_id = None if area_id in (None, _WHOLE_GRAPH) else area_id
    with terminal_progress() as progress:
        graph = graph_from_options(source, progress=progress, **neo4j_flags)
        old_graph = graph_from_options(old, progress=progress) if old is not None else None
    if old_graph is None:
        network = build_view(kind, graph, area_id, **options)
    else:
        network = compare_view(kind, graph, old_graph, area_id, as_of_old=as_of_old, old_name=str(old), **options)
    network.notes.append(SOURCE_NOTE.format('Neo4j' if neo4j_flags.get('neo4j') else source).text(lang))
    path = write_view(network, output or f"{kind}-{_file_part(area_id or _WHOLE_GRAPH)}.html",
                      inputs=(() if neo4j_flags.get("neo4j") else (source,)) + ((old,) if old else ()))
    counts = network.changes
    # The same numbers as the page's second legend block.
    compared = (f"; {counts['new']:,} new, {counts['gone']:,} gone, {counts['renamed']:,} renamed; relationships "
                f"{counts['new relationships']:,} new, {counts['gone relationships']:,} gone, "
                f"{counts['changed relationships']:,} changed") if old else ""
    click.echo(f"Wrote {path} ({len(network.nodes):,} nodes, {len(network.edges):,} edges{compared})")


def _file_part(text: str) -> str:
    """An area code made safe for a file name."""
    return re.sub(r"[^\w.-]+", "_", text)
