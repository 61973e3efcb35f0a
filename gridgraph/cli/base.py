"""The click group and the pieces every command shares: error handling and option decorators.

Commands stay thin: parse options, make one library call, render the result. Library code never
imports click; it raises ``GridgraphError`` and this module turns that into one ``Error:`` line.
"""

from __future__ import annotations

import sys

import click

from graphmodel.errors import GridgraphError, LedgerError
from graphmodel.terminal import visible

__all__ = ["main", "GridgraphGroup", "fail"]


def fail(error: GridgraphError) -> None:
    """Print a library error as one line (plus its hint) on stderr and exit 1."""
    click.secho(visible(f"Error: {error}"), fg="red", err=True)
    if error.hint:
        click.echo(visible(f"Hint: {error.hint}"), err=True)
    sys.exit(1)


class GridgraphGroup(click.Group):
    """A group whose commands report ``GridgraphError`` as a message, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LedgerError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            fail(error)
        except GridgraphError as error:
            fail(error)
        except OSError as error:  # the last wall: a file problem is a message, never a traceback
            where = f"{error.filename}: " if error.filename else ""
            fail(GridgraphError(f"{where}{error.strerror or error}"))


@click.group(cls=GridgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gridgraph")
def main() -> None:
    """gridgraph: who governs which residential compound (小区治理图谱).

    Load street-office ledgers (台账) into a graph, audit coverage, cross-appointments and
    blind spots, and draw network views. Run `gridgraph COMMAND --help` for each command.
    """
