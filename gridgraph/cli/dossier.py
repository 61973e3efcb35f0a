"""``gridgraph dossier``: one printable page per compound (小区档案)."""

from __future__ import annotations

from pathlib import Path

import click

from graphmodel.atomic import atomic_write_bytes

from ..dossier import compound_dossier, dossier_page
from .base import main, terminal_progress
from .options import as_of_option, graph_from_options, lang_option, neo4j_source_options, show_pii_option, source_argument

__all__ = ["dossier"]


@main.command()
@click.argument("compound_id", metavar="COMPOUND_ID")
@source_argument
@as_of_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the page here: .html (printable, opens offline) or .md. Default: Markdown to the terminal.")
@lang_option
@show_pii_option
@neo4j_source_options
def dossier(compound_id, source, as_of, output, lang, show_pii, **neo4j_flags):
    """Write the dossier of one compound: its three sides, who holds posts and links them, every
    gap any question finds in it and who could close it, its venues, cases and company rating.

    COMPOUND_ID is a 小区编码; SOURCE a snapshot (default gridgraph.snapshot), a ledger folder or
    a ledger workbook. The page carries the as-of date and the source; phones are masked unless
    --show-pii.

    \b
    Examples:
      gridgraph dossier XQ37132700100101 county.snapshot -o 明珠小区.html
      gridgraph dossier XQ37132700100101 ledgers/ --as-of 2026-06-30 --lang en -o dossier.md
    """
    fmt = "md"
    if output:
        suffix = Path(output).suffix.lower()
        if suffix not in (".html", ".htm", ".md"):
            raise click.BadParameter(f"{output}: write a .html or a .md page", param_hint="-o/--output")
        fmt = "md" if suffix == ".md" else "html"
    inputs = () if neo4j_flags.get("neo4j") else (source,)
    with terminal_progress() as progress:
        graph = graph_from_options(source, progress=progress, **neo4j_flags)
    named = f"Neo4j {neo4j_flags.get('neo4j_uri') or ''}".strip() if neo4j_flags.get("neo4j") else str(source)
    page = dossier_page(compound_dossier(graph, compound_id, as_of=as_of, source=named), fmt,
                        lang=lang, show_pii=show_pii)
    if output:
        atomic_write_bytes(Path(output), page.encode("utf-8"), inputs=inputs)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(page, nl=False)
