"""Options shared by commands, defined once so every command spells them the same way.

``source_argument`` + :func:`open_backend` turn the SOURCE argument (or ``--neo4j`` and its
connection options, ``neo4j_options``) into something questions can run on.
``output_options`` gives ``--format``, ``-o/--output``, ``--lang`` and ``--show-pii``;
``question_options`` gives ``--scope``, ``--by`` and ``--as-of``; ``parameter_options`` the
questions' own parameters (X5's ``--max-posts`` …). Each option is also available
on its own (``format_option``, ``as_of_option`` …) for commands that need only some.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

import queries
from graphmodel.neo4j import connect, read_graph_from_neo4j, resolve_database
from graphmodel.neo4j.connection import ENV_DATABASE, ENV_PASSWORD, ENV_URI, ENV_USER
from graphmodel.neo4j.statements import DEFAULT_BATCH_SIZE
from graphmodel.schema import parse_date
from graphmodel.snapshot import DEFAULT_SNAPSHOT
from loaders.store import open_graph
from queries import QUESTIONS
from queries.neo4j import Neo4jBackend
from queries.question import Parameter

from ..reports import FORMATS, LANGS, ReportError

__all__ = [
    "DateType", "DateListType", "FiniteFloatRange", "DEFAULT_MAX_DATES", "source_argument", "open_backend", "format_option", "output_option",
    "lang_option", "show_pii_option", "output_options", "scope_option", "by_option",
    "as_of_option", "timeline_options", "timeline_dates", "as_of_old_option", "EXISTING_SOURCE", "question_options",
    "parameter_options", "question_parameters", "connection_options", "neo4j_source_options", "neo4j_options",
    "driver_from_options", "graph_from_options",
]


#: The dates an option may name: a year inside the calendar on both sides, so that windows and
#: period ends computed from it (B16's 90 days, the next quarter) never leave Python's dates.
EARLIEST_OPTION_DATE, LATEST_OPTION_DATE = dt.date(2, 1, 1), dt.date(9998, 12, 31)
#: The largest integer an option takes: Neo4j's integers are 64-bit.
LARGEST_OPTION_INTEGER = 2 ** 63 - 1


class DateType(click.ParamType):
    """A date in any form the ledgers accept: 2024-03-01, 2024/3/1, 2024年3月1日."""

    name = "DATE"

    def convert(self, value: Any, param, ctx) -> dt.date:
        try:
            day = parse_date(value)
        except ValueError as error:
            self.fail(f"{value!r}: {error}", param, ctx)
        if not EARLIEST_OPTION_DATE <= day <= LATEST_OPTION_DATE:
            self.fail(f"{day.isoformat()} is outside {EARLIEST_OPTION_DATE.isoformat()} … "
                      f"{LATEST_OPTION_DATE.isoformat()}", param, ctx)
        return day


class FiniteFloatRange(click.FloatRange):
    """A number in a range, never ``nan`` or ``inf`` (which a plain range lets through)."""

    def convert(self, value: Any, param, ctx) -> float:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


class DateListType(DateType):
    """One date or several separated by commas (a timeline): 2026-03-31,2026-06-30."""

    name = "DATE[,DATE…]"

    def convert(self, value: Any, param, ctx) -> list[dt.date]:
        if isinstance(value, list):
            return value
        parts = [part.strip() for part in str(value).replace("，", ",").split(",") if part.strip()]
        if not parts:
            self.fail("no date given", param, ctx)
        return [super(DateListType, self).convert(part, param, ctx) for part in parts]


def _compose(*decorators: Callable) -> Callable:
    def apply(function: Callable) -> Callable:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function
    return apply


#: SOURCE: a snapshot (default ``gridgraph.snapshot``), a ledger folder or workbook.
source_argument = click.argument("source", required=False, default=DEFAULT_SNAPSHOT,
                                 metavar="[SOURCE]", type=click.Path(dir_okay=True))


def connection_options(command: Callable) -> Callable:
    """``--uri --user --password --database``, each defaulting to its NEO4J_* variable."""
    return _compose(
        click.option("--uri", "neo4j_uri", envvar=ENV_URI, metavar="URI",
                     help=f"Neo4j URI, e.g. neo4j://localhost:7687 [env {ENV_URI}]"),
        click.option("--user", "neo4j_user", envvar=ENV_USER, default="neo4j", show_default=True,
                     help=f"Neo4j user [env {ENV_USER}]"),
        click.option("--password", "neo4j_password", envvar=ENV_PASSWORD,
                     help=f"Neo4j password [env {ENV_PASSWORD}]"),
        click.option("--database", "neo4j_database", envvar=ENV_DATABASE,
                     help=f"Neo4j database (server default if unset) [env {ENV_DATABASE}]"),
    )(command)


def neo4j_source_options(command: Callable) -> Callable:
    """``--neo4j`` (read from the Neo4j server instead of SOURCE) and the connection options."""
    return _compose(
        click.option("--neo4j", "neo4j", is_flag=True,
                     help="Use the Neo4j server (see --uri) instead of the embedded store."),
        connection_options,
    )(command)


def neo4j_options(command: Callable) -> Callable:
    """``neo4j_source_options`` plus ``--batch-size`` and ``--scope``, for commands that load Neo4j."""
    return _compose(
        neo4j_source_options,
        click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH_SIZE,
                     show_default=True, help="Rows per Neo4j write transaction."),
        click.option("--scope", "load_scope", metavar="NAME",
                     help="With --neo4j: the load scope a re-load replaces (default: the "
                          "District ids of the ledgers)."),
    )(command)


def driver_from_options(neo4j_uri: str | None, neo4j_user: str | None,
                        neo4j_password: str | None, neo4j_database: str | None):
    """A verified driver and the database name; ``StoreError`` (one ``Error:`` line) on failure."""
    driver = connect(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    return driver, resolve_database(neo4j_database)


def graph_from_options(source: str, *, neo4j: bool = False, progress=None, **connection: Any):
    """The in-memory graph of SOURCE (snapshot or ledgers), or read out of Neo4j with ``--neo4j``."""
    if not neo4j:
        return open_graph(source, progress=progress)
    driver, database = driver_from_options(**connection)
    with driver:
        return read_graph_from_neo4j(driver, database=database)


@contextmanager
def open_backend(source: str, *, neo4j: bool = False, progress=None, **connection: Any) -> Iterator[Any]:
    """What questions run on: the graph in SOURCE (snapshot or ledgers), or Neo4j with ``--neo4j``.

    The one place a command gets its backend, as a context manager so that the Neo4j driver is
    closed after use::

        with open_backend(source, **neo4j_flags) as backend:
            results = run_audit(backend, codes)
    """
    if not neo4j:
        yield open_graph(source, progress=progress)
        return
    driver, database = driver_from_options(**connection)
    with driver:
        yield Neo4jBackend(driver, database)


def format_option(formats: tuple[str, ...] = FORMATS, default: str = "table") -> Callable:
    """``--format``, one of ``formats``."""
    return click.option("--format", "fmt", type=click.Choice(formats), default=default,
                        show_default=True, help="Output format.")


output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=True, writable=True), default=None,
    help="Write to this file (for csv with several tables: a folder, one file per table) "
         "instead of the terminal. Written atomically.")
lang_option = click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True,
                           help="Language of what the tool writes itself (zh 中文, en English): titles, column names, "
                                "labels and messages; names and codes stay as the ledgers write them. "
                                "JSON results: title_zh, reason_zh … or, with en, title_en, reason_en ….")
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


def timeline_options(command: Callable) -> Callable:
    """``--as-of`` (one date, or several separated by commas: a timeline), ``--as-of-every``,
    ``--from`` and ``--to``; :func:`timeline_dates` turns them into the dates asked."""
    return _compose(
        click.option("--as-of", type=DateListType(), default=None,
                     help="Count contracts, posts and terms current on this date (default today); "
                          "2024-03-01, 2024/3/1 or 2024年3月1日. Several dates separated by commas give "
                          "a timeline, one column per date."),
        click.option("--as-of-every", type=click.Choice(["month", "quarter"]), default=None,
                     help="A timeline at the end of every month or quarter from --from to --to."),
        click.option("--from", "from_date", type=DateType(), default=None, help="First day of --as-of-every."),
        click.option("--to", "to_date", type=DateType(), default=None,
                     help="Last day of --as-of-every (default today)."),
        click.option("--max-dates", type=click.IntRange(min=1, max=LARGEST_OPTION_INTEGER),
                     default=DEFAULT_MAX_DATES, show_default=True,
                     help="Refuse a timeline of more dates than this (each date is a whole audit)."),
    )(command)


#: The most dates a timeline asks unless ``--max-dates`` says otherwise: ten years of months.
DEFAULT_MAX_DATES = 120
_MONTHS_PER = {"month": 1, "quarter": 3}


def timeline_dates(as_of: list[dt.date] | None, every: str | None, start: dt.date | None,
                   end: dt.date | None, max_dates: int = DEFAULT_MAX_DATES) -> list[dt.date]:
    """The dates asked: those of --as-of, or the period ends of --as-of-every (none: today).
    More than ``max_dates`` is refused before any date is made."""
    if every is None:
        if start or end:
            raise ReportError("--from and --to go with --as-of-every", hint="e.g. --as-of-every quarter --from 2025-01-01")
        if as_of and len(set(as_of)) > max_dates:
            raise ReportError(f"--as-of names {len(set(as_of))} dates; a timeline has at most "
                              f"{max_dates}", hint="name fewer dates, or raise --max-dates")
        return as_of or []
    if as_of or start is None:
        raise ReportError("--as-of-every needs --from and replaces --as-of",
                          hint="e.g. --as-of-every quarter --from 2025-01-01 --to 2026-06-30")
    last = end or dt.date.today()
    months = (last.year - start.year) * 12 + last.month - start.month
    if months // _MONTHS_PER[every] + 1 > max_dates:
        raise ReportError(f"--as-of-every {every} from {start} to {last} asks about "
                          f"{months // _MONTHS_PER[every] + 1} dates; a timeline has at most {max_dates}",
                          hint="narrow --from/--to, step by quarter, or raise --max-dates")
    dates = queries.period_ends(every, start, last)
    if not dates:
        raise ReportError(f"no {every} ends between {start} and {last}")
    return dates


#: The date the older side of a comparison (``diff``, ``view --compare``) is asked on.
as_of_old_option = click.option("--as-of-old", type=DateType(), default=None,
                                help="The date OLD is asked on (default --as-of).")

#: A source that must exist, such as OLD of a comparison: a snapshot, a ledger folder or a workbook.
EXISTING_SOURCE = click.Path(exists=True, dir_okay=True)


#: Where a command's keyword arguments keep the questions' parameters: ``param_<name>``.
_PARAMETER_DEST = "param_"


def _offered_parameters() -> dict[str, tuple[Parameter, list[str]]]:
    """Every parameter a question record offers the command line: name -> (its declaration,
    the codes of every question that takes a parameter of that name)."""
    offered: dict[str, tuple[Parameter, list[str]]] = {}
    for code, question in QUESTIONS.items():
        for name, parameter in question.parameters.items():
            offered.setdefault(name, (parameter, []))
    for code, question in QUESTIONS.items():
        for name in question.defaults:
            if name in offered:
                offered[name][1].append(code)
    return offered


def _click_type(parameter: Parameter) -> click.ParamType:
    if parameter.kind == "count":
        return click.IntRange(min=int(parameter.minimum), max=LARGEST_OPTION_INTEGER)
    if parameter.kind == "number":
        return FiniteFloatRange(min=parameter.minimum)
    if parameter.kind == "date":
        return DateType()
    return click.STRING


def parameter_options(command: Callable) -> Callable:
    """The questions' own parameters, one option each, made from the question records (a new
    parameter is declared on its question and appears here); each defaults to its question's
    default. A command hands them on with :func:`question_parameters`."""
    return _compose(*(
        click.option(parameter.option, f"{_PARAMETER_DEST}{name}", type=_click_type(parameter),
                     default=parameter.default, show_default=parameter.default is not None,
                     metavar=parameter.metavar, help=f"{', '.join(codes)}: {parameter.help}")
        for name, (parameter, codes) in _offered_parameters().items()))(command)


def question_parameters(options: dict[str, Any]) -> dict[str, Any]:
    """The values of :func:`parameter_options`, taken out of a command's keyword ``options``, by
    the names the questions give their parameters."""
    return {key[len(_PARAMETER_DEST):]: options.pop(key) for key in list(options) if key.startswith(_PARAMETER_DEST)}
