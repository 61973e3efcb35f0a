"""Options shared by commands, defined once so every command spells them the same way.

``source_argument`` + :func:`open_backend` turn the SOURCE argument into something questions can
run on (a snapshot or ledgers today; the Neo4j connection options plug into ``open_backend``).
``output_options`` gives ``--format``, ``-o/--output``, ``--lang`` and ``--show-pii``;
``question_options`` gives ``--scope``, ``--by`` and ``--as-of``. Each option is also available
on its own (``format_option``, ``as_of_option`` …) for commands that need only some.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..reports import FORMATS, LANGS
from ..schema import parse_date
from ..snapshot import DEFAULT_SNAPSHOT
from ..store import open_graph

__all__ = [
    "DateType", "source_argument", "open_backend", "format_option", "output_option",
    "lang_option", "show_pii_option", "output_options", "scope_option", "by_option",
    "as_of_option", "question_options",
]


class DateType(click.ParamType):
    """A date in any form the ledgers accept: 2024-03-01, 2024/3/1, 2024年3月1日."""

    name = "DATE"

    def convert(self, value: Any, param, ctx) -> dt.date:
        try:
            return parse_date(value)
        except ValueError as error:
            self.fail(f"{value!r}: {error}", param, ctx)


def _compose(*decorators: Callable) -> Callable:
    def apply(function: Callable) -> Callable:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function
    return apply


#: SOURCE: a snapshot (default ``gridgraph.snapshot.json.gz``), a ledger folder or workbook.
source_argument = click.argument("source", required=False, default=DEFAULT_SNAPSHOT,
                                 metavar="[SOURCE]", type=click.Path(dir_okay=True))


@contextmanager
def open_backend(source: str) -> Iterator[Any]:
    """What questions run on, from the SOURCE argument: the graph in a snapshot or ledgers.

    The one place a command gets its backend, as a context manager so that a backend holding
    a connection (Neo4j, added here with its options) is closed after use::

        with open_backend(source) as backend:
            results = run_audit(backend, codes)
    """
    yield open_graph(source)


def format_option(formats: tuple[str, ...] = FORMATS, default: str = "table") -> Callable:
    """``--format``, one of ``formats``."""
    return click.option("--format", "fmt", type=click.Choice(formats), default=default,
                        show_default=True, help="Output format.")


output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=True, writable=True), default=None,
    help="Write to this file (for csv with several tables: a folder, one file per table) "
         "instead of the terminal. Written atomically.")
lang_option = click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True,
                           help="Language of titles and column names (zh 中文, en English).")
show_pii_option = click.option(
    "--show-pii", is_flag=True, default=False,
    help="Show phone numbers in full and include sensitive columns (masked/omitted by default).")


def output_options(formats: tuple[str, ...] = FORMATS, default: str = "table") -> Callable:
    """``--format``, ``-o/--output``, ``--lang`` and ``--show-pii`` together."""
    return _compose(format_option(formats, default), output_option, lang_option, show_pii_option)


scope_option = click.option(
    "--scope", metavar="ID", default=None,
    help="Only this district, street or community (its code) and everything under it.")
by_option = click.option("--by", type=click.Choice(["street", "community"]), default=None,
                         help="Group the figures by street or community.")
as_of_option = click.option(
    "--as-of", type=DateType(), default=None,
    help="Count contracts, posts and terms current on this date (default today); "
         "2024-03-01, 2024/3/1 or 2024年3月1日.")
question_options = _compose(scope_option, by_option, as_of_option)
