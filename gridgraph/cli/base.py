"""The click group and the pieces every command shares: error handling and option decorators.

Commands stay thin: parse options, make one library call, render the result. Library code never
imports click; it raises ``GridgraphError`` and this module turns that into one ``Error:`` line.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from importlib import import_module
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

import click

from graphmodel.collector import paused_gc
from graphmodel.errors import GridgraphError, LedgerError
from graphmodel.terminal import visible

__all__ = ["main", "GridgraphGroup", "fail", "ProgressBars", "RateProgress", "terminal_progress"]


def fail(error: GridgraphError) -> None:
    """Print a library error as one line (plus its hint) on stderr and exit 1."""
    click.secho(visible(f"Error: {error}"), fg="red", err=True)
    if error.hint:
        click.echo(visible(f"Hint: {error.hint}"), err=True)
    sys.exit(1)


#: Each command, the module of this package that defines it (imported when the command is
#: used, so that ``gridgraph --help`` and each command import only what they need) and its
#: summary for ``gridgraph --help`` (a test checks it against the command's own help).
COMMANDS = {
    "audit": ("audit", "Ask audit questions of SOURCE and report the answers."),
    "cypher": ("neo4j", "Run a Cypher statement against Neo4j (read-only unless --write)."),
    "diff": ("diff", "Compare OLD with NEW: rates old → new, blind spots opened and closed, posts "
             "taken up and left, and things added, removed, renamed or moved."),
    "dossier": ("dossier", "Write the dossier of one compound: its three sides, who holds posts and links "
                "them, every gap any question finds in it and who could close it, its venues, cases and "
                "company rating."),
    "export": ("neo4j", "Export the graph for other tools (neo4j-admin bulk import, GraphML)."),
    "import-lianjia": ("ledgers", "Turn a Lianjia compound listing (链家小区 CSV) into a ledger folder."),
    "load": ("ledgers", "Load the ledgers in LEDGERS into a graph snapshot, or into Neo4j with --neo4j."),
    "queries": ("neo4j", "The analyst query library (queries/library/*.cypher)."),
    "report": ("report", "Write the audit report of SOURCE as one printable (A4) HTML page that "
               "opens offline."),
    "sample": ("sample", "Write a synthetic ledger folder (示例台账) and its ground_truth.json."),
    "stats": ("ledgers", "Count what SNAPSHOT (or a ledger folder, or Neo4j with --neo4j) holds: nodes, "
              "relationships and per street."),
    "targets": ("targets", "Check the targets of FILE against SOURCE: per target the rate now, what is still "
                "to cover (and the things that need it), the deadline and the status (met, open, behind)."),
    "validate": ("ledgers", "Check the ledgers in LEDGERS (a folder or a workbook) and list every problem."),
    "view": ("view", "Draw a network view of SOURCE as one HTML file that opens offline in any browser."),
}


class GridgraphGroup(click.Group):
    """A group whose commands report ``GridgraphError`` as a message, never a traceback, and
    whose commands are imported on first use (see ``COMMANDS``)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            import_module(f"{__package__}.{COMMANDS[name][0]}")  # its decorators register it
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from ``COMMANDS``, shortened as click shortens a command's help."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
                for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            # A command builds and walks a city's millions of small acyclic containers once and
            # exits: the cyclic collector would only rescan them (a third of a community view).
            with paused_gc():
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


class ProgressBars:
    """A ``progress(step, done, total)`` callback drawing one click progress bar per step."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.step: str | None = None
        self.bar = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if step != self.step:
            self.close()
            self.step = step
            self.bar = click.progressbar(length=max(total, 1), label=step, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> "ProgressBars":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


class RateProgress(ProgressBars):
    """A ``progress(step, done, total)`` callback for one long job whose ``done``/``total`` count
    the whole job (a Neo4j load): one bar with the step, the rate and the time left on a terminal;
    elsewhere (a log) a line every ``every`` seconds."""

    def __init__(self, label: str, *, terminal: bool, every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(terminal)
        self.label, self.every, self.clock = label, every, clock
        self.started = self.last_line = clock()
        self.note = ""

    def __call__(self, step: str, done: int, total: int) -> None:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = done / elapsed
        self.note = f"{step} · {rate:,.0f} rows/s"
        if self.enabled:
            if self.bar is None:
                self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr,
                                             item_show_func=lambda _: self.note)
                self.bar.__enter__()
            self.bar.update(done - self.bar.pos, current_item=step)
        elif self.clock() - self.last_line >= self.every or done == total:
            self.last_line = self.clock()
            left = (total - done) / rate if rate else 0.0
            click.echo(f"{self.label}: {done:,} of {total:,} rows ({done / max(total, 1):.0%}), "
                       f"{rate:,.0f} rows/s, about {left:,.0f} s left; {step}", err=True)


def terminal_progress() -> ProgressBars:
    """Progress bars on stderr when it is a terminal; nothing in a pipe or a log."""
    return ProgressBars(sys.stderr.isatty())


#: The project's top-level packages (the design's own folders): installed side by side, or a
#: package of the same name from elsewhere (PyPI's ``queries``) is the one imported.
PACKAGES = ("gridgraph", "graphmodel", "loaders", "queries")


def version_text() -> str:
    """``gridgraph 0.1.0 from /src/gridgraph (Python 3.11 /venv/bin/python)``, and a line per
    top-level package found anywhere but beside gridgraph (another package of that name)."""
    home = Path(__file__).resolve().parents[2]
    lines = [f"gridgraph {version('gridgraph')} from {home} "
             f"(Python {platform.python_version()} {sys.executable})"]
    for name in PACKAGES[1:]:
        spec = find_spec(name)
        where = Path(spec.origin).resolve().parent if spec and spec.origin else None
        if where != home / name:
            lines.append(f"warning: {name} is imported from {where or 'nowhere'}, not {home / name}: "
                         "another package of that name is installed; install gridgraph into its own virtual "
                         "environment")
    return "\n".join(lines)


def _print_version(ctx: click.Context, _param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(version_text())
        ctx.exit()


@click.group(cls=GridgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version, where gridgraph runs from, and exit.")
def main() -> None:
    """gridgraph: who governs which residential compound (小区治理图谱).

    Load street-office ledgers (台账) into a graph, audit coverage, cross-appointments and
    blind spots, and draw network views. Run `gridgraph COMMAND --help` for each command.
    """
