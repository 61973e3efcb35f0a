"""``gridgraph sample``: write synthetic ledgers with a known ground truth (``loaders.sample``)."""

from __future__ import annotations

import click
from wcwidth import wcswidth

from loaders.sample import (DEFAULT_AS_OF, ENCODINGS, HEADER_LANGS, SCALES, generate_district_samples,
                            generate_sample)
from loaders.sample_evolve import evolve_sample

from .base import main
from .options import DateType

__all__ = ["sample"]


@main.command()
@click.argument("out_dir", required=False, default="sample-ledgers", type=click.Path(file_okay=False))
@click.option("--scale", type=click.Choice(list(SCALES)), default="county",
              show_default=True, help="Size: one community, a county (23 communities), a city, a province.")
@click.option("--seed", type=int, default=7, show_default=True, help="Same seed, same files.")
@click.option("--lang", "header_lang", type=click.Choice(HEADER_LANGS), default="zh", show_default=True,
              help="Chinese headers and file names (小区.csv) or English ones (compounds.csv).")
@click.option("--encoding", type=click.Choice(ENCODINGS), default="utf-8", show_default=True,
              help="CSV encoding; gb18030 is what Excel writes on a Chinese Windows.")
@click.option("--as-of", "as_of", type=DateType(), default=DEFAULT_AS_OF.isoformat(), show_default=True,
              help="Date terms, contracts and posts are current or expired against.")
@click.option("--overwrite", is_flag=True, help="Replace a sample already in OUT_DIR.")
@click.option("--evolve", "later_dir", type=click.Path(file_okay=False), default=None,
              help="Also write the next quarter, with planted changes and diff_truth.json, to this folder.")
@click.option("--by-district", is_flag=True,
              help="One ledger folder per district (OUT_DIR/<district code>/), to load into Neo4j one by one.")
def sample(out_dir, scale, seed, header_lang, encoding, as_of, overwrite, later_dir, by_district):
    """Write a synthetic ledger folder (示例台账) and its ground_truth.json.

    Blind spots and cross-appointments are planted at known rates; ground_truth.json lists
    exactly what every audit must find, as of --as-of.

    \b
    Examples:
      gridgraph sample                           # ./sample-ledgers, a county
      gridgraph sample demo --scale community --lang en
      gridgraph audit all demo --as-of 2026-06-30
      gridgraph sample q2 --evolve q3            # q3: the next quarter, changes planted
      gridgraph diff q2 q3 --as-of-old 2026-06-30 --as-of-new 2026-09-30
      gridgraph sample province --scale province --by-district
      for d in province/*/; do gridgraph load "$d" --neo4j; done
    """
    options = dict(scale=scale, seed=seed, header_lang=header_lang, encoding=encoding, as_of=as_of,
                   overwrite=overwrite)
    if by_district:
        if later_dir:
            raise click.UsageError("--evolve writes one folder; leave out --by-district with it")
        summaries = generate_district_samples(out_dir, **options)
        rows = [sum(summary.counts.values()) for summary in summaries]
        for summary, count in zip(summaries, rows):
            click.echo(f"{summary.out_dir}  {count:>9,} rows")
        folders = "folder" if len(summaries) == 1 else "folders"
        click.echo(f"Wrote {len(summaries)} district {folders}, {sum(rows):,} rows, to {out_dir}")
        return
    summary = generate_sample(out_dir, **options)
    width = max(wcswidth(path.name) for path in summary.files.values())
    for name, path in summary.files.items():
        padding = " " * (width - wcswidth(path.name))
        click.echo(f"{path.name}{padding}  {summary.counts[name]:>8,} rows")
    click.echo(f"Wrote {len(summary.files)} ledgers to {summary.out_dir}; "
               f"ground truth in {summary.ground_truth}")
    if later_dir:
        evolved = evolve_sample(later_dir, scale=scale, seed=seed, header_lang=header_lang,
                                encoding=encoding, as_of=as_of, overwrite=overwrite)
        for change, thing in evolved.planted.items():
            click.echo(f"planted {change}: {thing}")
        click.echo(f"Wrote the quarter to {evolved.as_of_new} to {evolved.out_dir}; "
                   f"diff ground truth in {evolved.diff_truth}")
