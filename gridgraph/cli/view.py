"""``gridgraph view``: a network view of one area as a self-contained, offline HTML file."""

from __future__ import annotations

import re

import click

import queries

from ..views import DEFAULT_NODE_LIMIT, VIEW_KINDS, build_view, write_view
from .base import main, terminal_progress
from .options import as_of_option, graph_from_options, neo4j_source_options, source_argument

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
@neo4j_source_options
def view(kind, area_id, source, output, limit, rate, as_of, **neo4j_flags):
    """Draw a network view of SOURCE as one HTML file that opens offline in any browser.

    \b
    KIND:
      community  every node of community ID, blind spots in red
      street     the communities, compounds, grids and party organisations of street ID
      hierarchy  the party organisation tree of district or street ID
      people     people with posts in two or more organisations (X1 gold, X4 red)
      overview   district ID (or "all") aggregated to communities, coloured by --rate

    SOURCE is a snapshot (default gridgraph.snapshot), a ledger folder or a workbook;
    with --neo4j the graph is read from the Neo4j server instead.
    Search a name or code above the view; tick kinds in the legend and blind-spot codes to
    filter; click a node for its posts, contracts, blind spots and reasons.

    \b
    Examples:
      gridgraph view community 371327001001 -o 解放社区.html
      gridgraph view hierarchy 371327001
      gridgraph view overview all out/sample.snapshot --rate C2
    """
    if area_id is None and kind != "overview":
        raise click.UsageError(f"the {kind} view needs an ID (a community, street or district code)")
    options = {"as_of": as_of, "limit": limit}
    if kind == "overview":
        options["rate"] = rate
        area_id = None if area_id in (None, _WHOLE_GRAPH) else area_id
    with terminal_progress() as progress:
        graph = graph_from_options(source, progress=progress, **neo4j_flags)
    network = build_view(kind, graph, area_id, **options)
    network.notes.append(f"数据来源 {'Neo4j' if neo4j_flags.get('neo4j') else source}")
    path = write_view(network, output or f"{kind}-{_file_part(area_id or _WHOLE_GRAPH)}.html",
                      inputs=() if neo4j_flags.get("neo4j") else (source,))
    click.echo(f"Wrote {path} ({len(network.nodes):,} nodes, {len(network.edges):,} edges)")


def _file_part(text: str) -> str:
    """An area code made safe for a file name."""
    return re.sub(r"[^\w.-]+", "_", text)
