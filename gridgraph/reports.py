"""Reports: question results rendered as a terminal table, CSV, JSON, XLSX or Markdown.

Renderers know nothing about questions: they work on the ``queries.tables.Table`` objects every
result lays itself out as (``result.tables()``). Conventions they rely on:

- a column whose key is ``rate`` or ends in ``_rate`` holds a fraction (0.947) or ``None`` when
  the denominator is empty; it is shown as a percentage (``94.7%``) or 不适用 / n/a;
- columns flagged ``pii="phone"`` are masked (138****5678) and columns with any other ``pii``
  flag are dropped, unless ``show_pii``; JSON applies the same to the results' own fields;
- ``lang`` ("zh" or "en") picks table and column titles and the words for yes, no and n/a.

Formats:

``table``  aligned text for a terminal (CJK characters count double; control characters are
           shown as symbols, never obeyed); lists longer than ``limit`` rows are cut with a
           note, tables holding rates are always shown whole.
``csv``    UTF-8 with a BOM in files, so Excel on Chinese Windows reads it. One table: a plain
           CSV. Several tables: into a directory (``-o DIR``), one ``<code>.csv`` per table; into
           one file or stdout, a single CSV whose first column names the table, over the union
           of all tables' columns (matched by title).
``json``   ``{"meta": …, "results": [{"code", "result": model_dump, "tables": […]}]}``: each
           answer once, as its typed result; ``tables`` gives each table's code, title and
           columns (its rows are the result's). Compact, one line.
``xlsx``   one sheet per table, header row frozen and bold, widths fitted, rates as percentages.
``md``     GitHub Markdown: a heading and a pipe table per table, ``|`` and HTML escaped.

Every CSV and XLSX cell goes through :func:`graphmodel.spreadsheet.safe_cell`; every file is
written atomically, so a failed report leaves nothing half-written.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from enum import Enum
from functools import lru_cache
from itertools import chain, islice
from pathlib import Path
from typing import Any

from wcwidth import wcwidth

import queries
from queries.candidates import PROPOSALS
from queries.changes import Timeline, TimelineAnswers, TimelineLines
from queries.context import UNPLACED_ZH
from queries.results import LISTING_REASONS, Result, label_en
from queries.tables import Column, Table, Words
from graphmodel.atomic import atomic_open, atomic_write_bytes, check_output
from graphmodel.errors import GridgraphError
from graphmodel.schema import NODE_MODELS, GridType, OwnerCommitteeKind, PartyOrgKind, RatingResult, Role
from graphmodel.privacy import mask_phone, mask_phones_in_text
from graphmodel.spreadsheet import safe_cell
from graphmodel.terminal import visible

from .sheet_rows import (DATE_STYLE, RATE_STYLE, SpooledSheet, column_letters, date_serial, number_cell,
                         splice_rows, text_cell)

__all__ = [
    "FORMATS", "TEXT_FORMATS", "LANGS", "ReportError", "render", "render_tables", "write_report",
    "write_workbook", "prepare_table", "tables_of", "cell_text", "format_rate", "display_width",
    "is_rate_column", "add_summary_sheet", "stream_table", "stream_report", "STREAM_BLOCK", "summary_tables", "render_summary", "meta_line", "value_text",
]

FORMATS = ("table", "csv", "json", "xlsx", "md")
Progress = Callable[[str, int, int], None]  # ``progress(step, done, total)``
TEXT_FORMATS = ("table", "csv", "json", "md")
LANGS = ("zh", "en")

_WORDS = {
    "zh": {"n/a": "不适用", "yes": "是", "no": "否", "empty": "（无）", "table": "表",
           "more": "… 还有 {n} 行未显示（用 -o FILE 输出全部）", "join": "；"},
    "en": {"n/a": "n/a", "yes": "yes", "no": "no", "empty": "(none)", "table": "table",
           "more": "… {n} more (use -o FILE for all rows)", "join": "; "},
}
_MAX_XLSX_WIDTH = 60
_MAX_CELL_WIDTH = 60  # terminal columns a table cell may take before it is cut
_QUESTION_CODE = re.compile(r"^[A-Z]+\d+$")
_GRID_TYPE_DETAIL = re.compile(rf"^({'|'.join(member.value for member in GridType)}):(\S+)$")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ReportError(GridgraphError):
    """A report that cannot be produced as asked (unknown format, binary format to a terminal…)."""


# -- tables: PII, cell text, widths -----------------------------------------------------------
def tables_of(results: Mapping[str, Any]) -> list:
    """All tables of ``results`` (question code → result), in order."""
    return [table for result in results.values() for table in result.tables()]


def is_rate_column(column) -> bool:
    """A column of fractions shown as percentages (key ``rate`` or ``…_rate``)."""
    return column.key == "rate" or column.key.endswith("_rate")


def _mask(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [_mask(item) for item in value]
    return mask_phone(str(value))


def _mask_text(value: Any) -> Any:
    if isinstance(value, str):
        return mask_phones_in_text(value)
    if isinstance(value, (list, tuple)):
        return [_mask_text(item) for item in value]
    return value


def _is_code_column(key: str) -> bool:
    """Columns of codes (``id``, ``compound_id``, ``member_ids``): a code is not a phone, even
    when it has a phone's 11 digits."""
    return key == "id" or key.endswith(("_id", "_ids"))


def prepare_table(table, show_pii: bool = False):
    """``table`` as a report may show it: phone columns masked, phones written into free text
    (a case's 诉求内容) masked, other PII columns dropped.

    With ``show_pii`` the table is returned unchanged.
    """
    if show_pii:
        return table
    columns, prepared = _row_preparer(table.columns)
    return dataclasses.replace(table, columns=columns, rows=[prepared(row) for row in table.rows])


def _row_preparer(columns: Sequence) -> tuple[list, Callable[[Mapping], dict]]:
    """The columns a report may show, and what :func:`prepare_table` does to each row."""
    columns = [column for column in columns if column.pii in (None, "phone")]
    phones = {column.key for column in columns if column.pii == "phone"}
    texts = {column.key for column in columns if column.pii is None and not _is_code_column(column.key)}
    kept = {column.key for column in columns}

    def prepared(row: Mapping) -> dict:
        return {key: _mask(value) if key in phones else _mask_text(value) if key in texts else value
                for key, value in row.items() if key in kept}
    return columns, prepared


def format_rate(rate: float | None, lang: str = "zh") -> str:
    """``0.947`` → ``94.7%``; ``None`` (nothing counted) → 不适用 / n/a."""
    return _WORDS[lang]["n/a"] if rate is None else f"{rate * 100:.1f}%"


def cell_text(value: Any, column, lang: str = "zh") -> str:
    """How a value reads in a report: rates as ``94.7%``, booleans as 是/否, enums by name."""
    if is_rate_column(column):
        return format_rate(value, lang)
    return _plain_text(value, lang)


@lru_cache(maxsize=1)
def _english_terms() -> dict[str, str]:
    """The Chinese words results put in table cells (kinds, reasons, roles, 合计) → English, so
    that ``--lang en`` shows no Chinese the tool wrote itself; names from ledgers stay as they are."""
    terms = {member.zh: member.value.replace("_", " ")
             for enum in (Role, PartyOrgKind, GridType, OwnerCommitteeKind, RatingResult) for member in enum}
    # A kind of node wins over an enum member of the same name (业委会: Owner Committee).
    terms.update({model.zh: label_en(label) for label, model in NODE_MODELS.items()})
    terms.update({zh: en for zh, en in queries.REASONS.values()})
    terms.update({zh: en for zh, en in LISTING_REASONS.values()})  # X2's 完全联动 …
    terms.update({proposal.zh: proposal.en for proposal in PROPOSALS.values()})
    terms.update({"合计": "Total", "（未归属）": "(not placed)", UNPLACED_ZH: "not placed"})
    return terms


def _grid_details(text: str, lang: str, grid_names: Mapping[str, str]) -> str | None:
    """B5's overlap details, ``"<grid type code>:<grid id>"`` joined by ``"; "``, in words: the
    grid type's name and the grid's (``综合网格 第3网格``), or its id without ``grid_names``; ``None``
    when ``text`` is not such details."""
    parts = [_GRID_TYPE_DETAIL.match(part) for part in text.split("; ")]
    if not all(parts):
        return None
    types = [GridType(part[1]) for part in parts]
    return _WORDS[lang]["join"].join(
        f"{grid_type.zh if lang == 'zh' else grid_type.value.replace('_', ' ')} {grid_names.get(part[2], part[2])}"
        for grid_type, part in zip(types, parts))


def _plain_text(value: Any, lang: str, grid_names: Mapping[str, str] = {}) -> str:  # noqa: B006 - read only
    words = _WORDS[lang]
    if value is None:
        return ""
    if isinstance(value, str) and ":" in value and (details := _grid_details(value, lang, grid_names)):
        return details
    if isinstance(value, Words):
        return value.text(lang)
    if lang == "en" and isinstance(value, str):
        terms = _english_terms()
        parts = value.split("、")  # a list of kinds a result joined: 社区、党组织
        if len(parts) > 1 and all(part in terms for part in parts):
            return ", ".join(terms[part] for part in parts)
        return terms.get(value, value)
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if isinstance(value, Enum):
        return getattr(value, "zh", value.value) if lang == "zh" else str(value.value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return words["join"].join(_plain_text(item, lang) for item in items)
    if isinstance(value, Mapping):
        return words["join"].join(f"{key}: {_plain_text(item, lang)}" for key, item in value.items())
    return str(value)


def value_text(value: Any, lang: str = "zh", grid_names: Mapping[str, str] = {}) -> str:  # noqa: B006
    """How a value outside a table reads (the report page's details): as :func:`cell_text` shows
    it, grids in B5's details named by ``grid_names`` (grid id → name) when the caller has them."""
    return _plain_text(value, lang, grid_names)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK full-width characters count 2, combining marks 0."""
    if text.isascii() and text.isprintable():  # codes, numbers, dates: most cells of a report
        return len(text)
    return sum(map(_char_width, text))


@lru_cache(maxsize=None)
def _char_width(char: str) -> int:
    # Remembered per character: a city report measures millions of cells in a few thousand characters.
    return max(wcwidth(char), 0)


def _is_numeric(column, rows: Sequence[Mapping]) -> bool:
    if is_rate_column(column):
        return True
    values = [row.get(column.key) for row in rows if row.get(column.key) is not None]
    return bool(values) and all(isinstance(value, (int, float)) and not isinstance(value, bool)
                                for value in values)


def _heading(table, lang: str) -> str:
    """The table's title, led by its question code (results' titles already start with it); a
    table that answers no question (``stats-labels``) shows its title alone."""
    title = table.title(lang)
    code = table.code.split("-")[0]
    return f"{code} {title}" if _QUESTION_CODE.match(code) and not title.startswith(code) else title


def _shown_columns(columns: Sequence, rows: Sequence[Mapping]) -> list:
    """The columns with a value in some row: a column empty throughout tells a reader nothing."""
    if not rows:
        return list(columns)
    return [column for column in columns
            if any(row.get(column.key) not in (None, "", [], ()) for row in rows)]


def _fitted(text: str, width: int = _MAX_CELL_WIDTH) -> str:
    """A terminal cell of at most about ``width`` columns: a list (``a；b；c``) keeps the items that
    fit and counts the rest (``a；b …+7``); other text is cut with ``…``."""
    if display_width(text) <= width:
        return text
    for separator in ("；", "、", "; "):
        items = text.split(separator)
        if len(items) > 1:
            kept = []
            while items and display_width(separator.join([*kept, items[0]])) <= width - 5:
                kept.append(items.pop(0))
            return f"{separator.join(kept)} …+{len(items)}" if kept else f"{_fitted(items[0], width - 5)} …+{len(items) - 1}"
    cut = ""
    for char in text:
        if display_width(cut + char) > width - 1:
            break
        cut += char
    return cut + "…"


# -- text formats -----------------------------------------------------------------------------
def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def _terminal_table(table, lang: str, limit: int | None) -> str:
    rows = table.rows
    hidden = 0
    if limit and len(rows) > limit and not any(is_rate_column(c) for c in table.columns):
        hidden, rows = len(rows) - limit, rows[:limit]
    lines = list(_terminal_lines(table, rows, lang))
    if hidden:
        lines.append(_WORDS[lang]["more"].format(n=hidden))
    return "\n".join(lines)


def _first_block(table, rows: Iterable[Mapping], block: int | None) -> tuple[list, list, Iterator]:
    """The columns a table shows, the first ``block`` of ``rows`` (all of them when ``None``) and
    the rows still to come. A whole table leaves out the columns empty in all its rows (also
    those not shown); a streamed one cannot know that from its first rows and shows every column."""
    rows = iter(rows)
    first = list(rows if block is None else islice(rows, block))
    return _shown_columns(table.columns, table.rows) if block is None else list(table.columns), first, rows


def _terminal_lines(table, rows: Iterable[Mapping], lang: str, block: int | None = None) -> Iterator[str]:
    """The terminal table's lines, its rows rendered as they come: widths and alignment are set by
    the first ``block`` rows (all when ``None``); a later cell wider than its column widens the
    column from that row on (the rows printed above stay as they are)."""
    columns, first, rest = _first_block(table, rows, block)
    yield visible(_heading(table, lang))
    if not first:
        yield _WORDS[lang]["empty"]
        return

    def cells(row: Mapping) -> list[str]:
        # Line breaks inside a cell would break the alignment: a terminal row stays one line.
        # Control characters are shown, never sent: a cell may hold escape sequences.
        return [visible(_fitted(" ".join(cell_text(row.get(column.key), column, lang).split())))
                for column in columns]

    header = [visible(column.title(lang)) for column in columns]
    body = [cells(row) for row in first]
    widths = [max(display_width(text) for text in texts) for texts in zip(header, *body)]
    right = [_is_numeric(column, first) for column in columns]
    del first

    def line(texts: Sequence[str]) -> str:
        widths[:] = [max(width, display_width(text)) for width, text in zip(widths, texts)]
        return "  ".join(_pad(text, width, flush) for text, width, flush in zip(texts, widths, right))

    yield line(header)
    yield "  ".join("-" * width for width in widths)
    yield from map(line, body)
    del body
    for row in rest:
        yield line(cells(row))


def _markdown_cell(text: str) -> str:
    """Cell text as Markdown shows it: as text, never as HTML (``<script>``, ``onerror=``)."""
    text = html.escape(text, quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "\n").replace("\n", "<br>")


def _markdown_table(table, lang: str) -> str:
    return "\n".join(_markdown_lines(table, table.rows, lang))


def _markdown_lines(table, rows: Iterable[Mapping], lang: str, block: int | None = None) -> Iterator[str]:
    """The Markdown table's lines, its rows rendered as they come; the first ``block`` rows (all
    when ``None``) decide which columns are numbers, aligned right."""
    columns, first, rest = _first_block(table, rows, block)
    yield f"### {_markdown_cell(_heading(table, lang))}"
    yield ""
    if not first:
        yield f"_{_WORDS[lang]['empty']}_"
        return
    yield "| " + " | ".join(_markdown_cell(c.title(lang)) for c in columns) + " |"
    yield "|" + "|".join("---:" if _is_numeric(c, first) else "---" for c in columns) + "|"
    for row in chain(first, rest):
        yield "| " + " | ".join(_markdown_cell(cell_text(row.get(c.key), c, lang)) for c in columns) + " |"


def _csv_rows(tables: Sequence, lang: str) -> list[list[Any]]:
    """Header and rows of one CSV; several tables share one, with the table's code first.

    Shared columns are matched by title, not key: a group table's ``id`` titled 街道编码 and a
    list's ``street_id`` titled 街道编码 are one column, the list's ``id`` (编码) another.
    """
    if len(tables) == 1:
        (table,) = tables
        return list(_csv_lines(table, table.rows, lang))
    titles = list(dict.fromkeys(column.title(lang) for table in tables for column in table.columns))
    body = []
    for table in tables:
        for row in table.rows:
            cells = {column.title(lang): cell_text(row.get(column.key), column, lang)
                     for column in table.columns}
            body.append([table.code, *(cells.get(title, "") for title in titles)])
    return [[_WORDS[lang]["table"], *titles], *body]


def _csv_lines(table, rows: Iterable[Mapping], lang: str) -> Iterator[list[Any]]:
    """Header and rows of one table's CSV, each row as it comes."""
    yield [column.title(lang) for column in table.columns]
    for row in rows:
        yield [cell_text(row.get(c.key), c, lang) for c in table.columns]


def _csv_writerow(buffer: io.StringIO) -> Callable[[Sequence], Any]:
    """A CSV writer's ``writerow`` into ``buffer``, every cell made safe for a spreadsheet."""
    writer = csv.writer(buffer)
    return lambda cells: writer.writerow([safe_cell(value) for value in cells])


def _csv_text(tables: Sequence, lang: str) -> str:
    buffer = io.StringIO()
    writerow = _csv_writerow(buffer)
    for row in _csv_rows(tables, lang):
        writerow(row)
    return buffer.getvalue()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Words):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _table_json(table, lang: str, *, rows: bool = True) -> dict:
    layout = {"code": table.code, "title": table.title(lang),
              "columns": [{"key": c.key, "title": c.title(lang)} for c in table.columns]}
    if rows:
        layout["rows"] = [{c.key: row.get(c.key) for c in table.columns} for row in table.rows]
    return layout


def _table_json_pieces(table, rows: Iterable[Mapping], lang: str) -> Iterator[str]:
    """``{"tables": [table]}`` as :func:`render_tables` writes it, in pieces, one per row as it
    comes: compact JSON joins as it splits, so the pieces are the same bytes."""
    head = _json(_table_json(table, lang, rows=False))
    yield '{"tables":[' + head[:-1] + ',"rows":['
    for number, row in enumerate(rows):
        yield ("," if number else "") + _json({c.key: row.get(c.key) for c in table.columns})
    yield "]}]}\n"


def _redact(value: Any, phones: set[str], secrets: set[str]) -> Any:
    """A result's JSON dump (plain dicts and lists) with the fields its tables flag as PII masked
    (phones) or removed. Exact type tests and no call per plain value: a city's dump holds five
    million values."""
    if type(value) is dict:
        return {key: _mask(item) if key in phones else
                _redact(item, phones, secrets) if type(item) in _NESTED else item
                for key, item in value.items() if key not in secrets}
    if type(value) is list:
        return [_redact(item, phones, secrets) if type(item) in _NESTED else item for item in value]
    return value


_NESTED = (dict, list)


# Person fields that are personal wherever they are nested in a result, flagged or not.
_PERSON_PHONES = {"phone"}
_PERSON_SECRETS = {"id_hash"}


def _redacted(dump: Any, tables: Sequence, show_pii: bool) -> Any:
    """A result's dump with what its ``tables`` flag as personal masked or removed (unless ``show_pii``)."""
    if show_pii:
        return dump
    flagged = [column for table in tables for column in table.columns if column.pii]
    phones = {column.key for column in flagged if column.pii == "phone"} | _PERSON_PHONES
    secrets = {column.key for column in flagged} - phones | _PERSON_SECRETS
    return _redact(dump, phones, secrets)


def _layouts_json(tables: Sequence, lang: str, show_pii: bool) -> list[dict]:
    return [_table_json(prepare_table(table, show_pii), lang, rows=False) for table in tables]


def _result_json(code: str, result: Any, lang: str, show_pii: bool) -> dict:
    tables = result.tables()
    return {"code": code, "result": _redacted(result.model_dump(mode="json"), tables, show_pii),
            "tables": _layouts_json(tables, lang, show_pii)}


def _timeline_json(code: str, line: TimelineAnswers, lang: str, show_pii: bool) -> Iterator[str]:
    """:func:`_result_json` of the timeline ``line`` would make, in pieces: its head, each date's
    answers as they are made (one date's in memory), then its tables. The same bytes: compact
    JSON joins as it splits."""
    lines = TimelineLines(line.dates)
    flagged = lines.tables()  # a timeline's columns, the same with or without its rows
    empty = _json({"code": code, "result": Timeline(dates=line.dates, scope=line.scope, by=line.by,
                                                    results=[]).model_dump(mode="json")})
    results_end = ',"results":[]}}'
    assert empty.endswith(results_end)  # the answers are the result's last field
    yield empty[:-len(results_end)] + ',"results":['
    for number, answers in enumerate(line):
        lines.add(answers)
        dump = {answer_code: answer.model_dump(mode="json") for answer_code, answer in answers.items()}
        yield ("," if number else "") + _json(_redacted(dump, flagged, show_pii))
        del answers, dump  # let go before the next date's answers are made
    yield ']},"tables":' + _json(_layouts_json(lines.tables(), lang, show_pii)) + "}"


def _dumps(document: Any) -> str:
    return _json(document) + "\n"


def _json(value: Any) -> str:
    # Compact: the C encoder (``indent`` falls back to pure Python), a third of the size.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def _report_json(results: Mapping[str, Any], lang: str, show_pii: bool,
                 meta: Mapping | None) -> Iterator[str]:
    """The JSON report in pieces, one result at a time: a city's answers dumped at once would
    hold every result twice more in memory (the dump, then the text). Compact JSON joins as
    it splits, so the pieces are exactly ``_dumps`` of the whole document."""
    yield '{"meta":' + _json(dict(meta or {})) + ',"results":['
    for number, (code, result) in enumerate(results.items()):
        pieces = (_timeline_json(code, result, lang, show_pii) if isinstance(result, TimelineAnswers)
                  else [_json(_result_json(code, result, lang, show_pii))])
        for part, piece in enumerate(pieces):
            # phones written into text values (a name, 诉求内容), masked over the text in one pass
            yield ("," if number and not part else "") + (
                piece if show_pii else mask_phones_in_text(piece, keep_quoted=True))
            del piece  # a timeline's date, let go before the next is made
    yield "]}\n"


def render_tables(tables: Sequence, fmt: str = "table", *, lang: str = "zh",
                  show_pii: bool = False, limit: int | None = None) -> str:
    """Text of ``tables`` in a text format.

    Parameters
    ----------
    tables : sequence of queries.tables.Table
    fmt : {"table", "csv", "json", "md"}
        ``json`` here gives ``{"tables": [...]}``; :func:`render` adds the results themselves.
    lang : {"zh", "en"}
    show_pii : bool
        Show phone numbers and secret columns as they are.
    limit : int, optional
        ``table`` only: rows shown per list (tables holding rates are always whole).

    Raises
    ------
    ReportError
        For ``xlsx`` (a binary format: use :func:`write_report`) or an unknown format or language.
    """
    _check(fmt, lang)
    tables = [prepare_table(table, show_pii) for table in tables]
    if fmt == "table":
        return "\n\n".join(_terminal_table(table, lang, limit) for table in tables) + "\n"
    if fmt == "md":
        return "\n\n".join(_markdown_table(table, lang) for table in tables) + "\n"
    if fmt == "csv":
        return _csv_text(tables, lang)
    if fmt == "json":
        return _dumps({"tables": [_table_json(table, lang) for table in tables]})
    raise ReportError("xlsx is a binary format and cannot be shown as text",
                      hint="write it to a file: --format xlsx -o report.xlsx")


#: Rows a streamed terminal or Markdown table reads before it fixes its columns' widths and
#: alignment: what it holds in memory, however many rows follow.
STREAM_BLOCK = 100


def stream_table(table, rows: Iterable[Mapping], fmt: str, write: Callable[[str], Any], *,
                 lang: str = "zh", show_pii: bool = False, block: int = STREAM_BLOCK) -> None:
    """Write ``table`` (its code, titles and columns; its own rows are ignored) with ``rows`` in a
    text format, each row passed to ``write`` as it comes from ``rows``: memory holds ``block``
    rows, however long ``rows`` is. The text is :func:`render_tables`' for the same rows, but
    that a streamed terminal table shows every column, sets its widths on the first ``block``
    rows (a wider cell later widens its column from there on) and a streamed Markdown table its
    alignment.

    Examples
    --------
    >>> from queries.tables import Column, Table
    >>> stream_table(Table("x", "数", "Numbers", [Column("x", "x", "x")]), ({"x": n} for n in range(2)),
    ...              "md", lambda text: print(text, end=""))
    ### 数
    <BLANKLINE>
    | x |
    |---:|
    | 0 |
    | 1 |
    """
    _check(fmt, lang)
    columns, prepared = (table.columns, dict) if show_pii else _row_preparer(table.columns)
    table = dataclasses.replace(table, columns=columns, rows=[])
    rows = map(prepared, rows)
    # Nothing is written before the first row has come: a statement that fails at once prints its
    # error alone. Tables wait for their first block.
    rows = chain(list(islice(rows, 1)), rows)
    if fmt == "table":
        for line in _terminal_lines(table, rows, lang, block):
            write(line + "\n")
    elif fmt == "md":
        for line in _markdown_lines(table, rows, lang, block):
            write(line + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writerow = _csv_writerow(buffer)
        for cells in _csv_lines(table, rows, lang):
            writerow(cells)
            write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    elif fmt == "json":
        for piece in _table_json_pieces(table, rows, lang):
            write(piece)
    else:
        raise ReportError("xlsx is a binary format and cannot be shown as text",
                          hint="write it to a file: --format xlsx -o report.xlsx")


def render(results: Mapping[str, Any], fmt: str = "table", *, lang: str = "zh",
           show_pii: bool = False, limit: int | None = None, meta: Mapping | None = None) -> str:
    """Text of question results (code → result) in a text format.

    ``json`` gives ``{"meta": meta, "results": [{"code", "result", "tables"}]}``; the other
    formats render the results' tables (see :func:`render_tables`).

    Examples
    --------
    >>> print(render(queries.run_group("coverage", graph), "md", lang="en"))  # doctest: +SKIP
    """
    _check(fmt, lang)
    if fmt == "json":
        return "".join(_report_json(results, lang, show_pii, meta))
    return _led_by_meta(render_tables(tables_of(results), fmt, lang=lang, show_pii=show_pii, limit=limit),
                        fmt, meta, lang)


def stream_report(results: Mapping[str, Any], fmt: str, write: Callable[[str], Any], *, lang: str = "zh",
                  show_pii: bool = False, limit: int | None = None, meta: Mapping | None = None) -> None:
    """:func:`render`'s text passed to ``write``: JSON a result at a time, and a timeline asked
    as it is written (:class:`queries.TimelineAnswers`) a date at a time; other formats whole."""
    _check(fmt, lang)
    if fmt != "json":
        write(render(results, fmt, lang=lang, show_pii=show_pii, limit=limit, meta=meta))
        return
    for piece in _report_json(results, lang, show_pii, meta):
        write(piece)


def _led_by_meta(text: str, fmt: str, meta: Mapping | None, lang: str) -> str:
    """A printed table must say which day, area and data it counts: ``text`` led by its meta line."""
    if not meta or fmt not in ("table", "md"):
        return text
    line = meta_line(meta, lang)
    return (f"_{_markdown_cell(line)}_" if fmt == "md" else line) + "\n\n" + text


def render_summary(results: Mapping[str, Any], fmt: str = "table", *, lang: str = "zh",
                   meta: Mapping | None = None) -> str:
    """A one-screen summary of question results (:func:`summary_tables`) in a text format, led by
    the day, area and data it counts (table and md)."""
    return _led_by_meta(render_tables(summary_tables(results, lang), fmt, lang=lang), fmt, meta, lang)


_META_WORDS = {"zh": ("统计日期", "范围", "数据来源", "全部"), "en": ("As of", "Scope", "Source", "everything")}


def meta_line(meta: Mapping, lang: str = "zh") -> str:
    """``统计日期 2026-06-30 · 范围 全部 · 数据来源 county.snapshot.json.gz`` from a report's meta; a
    diff's (``as_of_old``/``as_of_new``, ``old``/``new``) reads ``统计日期 2026-03-31 → 2026-06-30 ·
    范围 全部 · 数据来源 q1/ → q2/``."""
    as_of, scope, source, everything = _META_WORDS[lang]
    day = meta.get("as_of") or _old_to_new(meta, "as_of_old", "as_of_new")
    origin = meta.get("source") or _old_to_new(meta, "old", "new")
    return " · ".join([f"{as_of} {day}".strip(), f"{scope} {meta.get('scope') or everything}",
                       f"{source} {origin}".strip()])


def _old_to_new(meta: Mapping, old: str, new: str) -> str:
    return " → ".join(str(meta[key]) for key in (old, new) if meta.get(key))


def _check(fmt: str, lang: str) -> None:
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise ReportError(f"unknown report language {lang!r}", hint="use zh or en")


# -- XLSX -------------------------------------------------------------------------------------
def _sheet_name(table, lang: str, taken: set[str]) -> str:
    """A unique sheet name of at most 31 characters without the characters Excel forbids.

    It starts with the table code (``C1-missing``), which tells apart the tables of a question
    even when a long title is cut.
    """
    title = table.title(lang)
    question = table.code.split("-")[0]
    if title.startswith(question):
        title = title[len(question):]
    name = f"{table.code} {title.strip()}"
    # Cut first, then trim: Excel refuses a name that starts or ends with an apostrophe.
    name = _cut_at_word(_SHEET_FORBIDDEN.sub("_", name), 31).strip("'").strip() or "Sheet"
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f"~{number}"
        candidate = _cut_at_word(name, 31 - len(suffix)) + suffix
    taken.add(candidate.lower())
    return candidate


def _cut_at_word(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut after a whole English word (``C1 Compounds with
    a party`` rather than ``… party organ``) and without a dangling bracket or dash; Chinese, whose
    every character is a word, is cut at the limit."""
    if len(text) <= limit:
        return text.strip()
    cut = text[:limit]
    if _WORD_CHAR.match(text[limit - 1]) and _WORD_CHAR.match(text[limit]) and " " in cut.strip():
        cut = cut[:cut.rstrip().rfind(" ")]
    return cut.rstrip(" (（-–,;:'")


_WORD_CHAR = re.compile(r"[A-Za-z0-9'’]")


_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_workbook(tables: Sequence, path, *, lang: str = "zh", show_pii: bool = False,
                   progress: Progress | None = None, results: Mapping[str, Any] | None = None,
                   meta: Mapping | None = None) -> None:
    """Write an XLSX workbook with one sheet per table to ``path`` (a file name or an open binary
    file; not atomically: see :func:`write_report`). With ``results`` (code → result) and
    ``meta`` (as_of, scope, source) it opens on a summary sheet (:func:`add_summary_sheet`).

    Each sheet has the column titles in a bold, frozen first row, an auto-filter, column widths
    fitted to the content (CJK characters counting double, at most 60), rates formatted as
    percentages and dates as dates. XlsxWriter lays the workbook out in constant-memory mode;
    the rows themselves are spooled to a temporary file as sheet XML and spliced in
    (:mod:`gridgraph.sheet_rows`), four times faster than cell by cell. ``progress(step, done,
    total)`` after each sheet.
    """
    import xlsxwriter  # imported here: only xlsx reports pay for it

    _check("xlsx", lang)
    tables = list(tables)
    frame = io.BytesIO()
    with tempfile.TemporaryFile() as spool:
        spooled = []
        with xlsxwriter.Workbook(frame, {"constant_memory": True}) as workbook:
            formats = _workbook_formats(workbook)
            taken: set[str] = set()
            names = [_sheet_name(table, lang, taken) for table in tables]
            if results is not None:
                add_summary_sheet(workbook, results, meta or {}, lang=lang, formats=formats,
                                  sheets={table.code: name for table, name in reversed(list(zip(tables, names)))})
            for done, (table, name) in enumerate(zip((prepare_table(table, show_pii) for table in tables), names), 1):
                sheet = workbook.add_worksheet(name)
                spooled.append(_write_sheet(sheet, table, lang, formats, spool))
                if table.chart == "line" and table.rows:
                    _line_chart(workbook, sheet, table, lang)
                if progress:
                    progress("writing workbook", done, len(tables))
            if not tables and results is None:
                workbook.add_worksheet(_WORDS[lang]["empty"].strip("（）()"))
        # Style numbers exist once XlsxWriter has closed the workbook (the columns use both formats).
        with nullcontext(path) if hasattr(path, "write") else open(os.fspath(path), "wb") as target:
            splice_rows(frame.getvalue(), target, spool, [sheet for sheet in spooled if sheet is not None],
                        {RATE_STYLE: formats["rate"].xf_index, DATE_STYLE: formats["date"].xf_index})


def _workbook_formats(workbook) -> dict[str, Any]:
    """One format object per look, shared by every sheet: XlsxWriter numbers a format only the
    first time an object of that look is used, so a twin would never learn its number."""
    return {"bold": workbook.add_format({"bold": True}),
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "rate": workbook.add_format({"num_format": "0.0%"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"})}


def _write_sheet(sheet, table, lang: str, formats: dict, spool) -> SpooledSheet | None:
    """One table into one sheet: the header row through XlsxWriter, the rows as sheet XML into
    ``spool`` (their place there is returned; ``None`` when the table has no rows). At city scale
    this meets almost four million cells, so each is converted once and its width measured only
    when it could be the widest of its column (a text takes at most twice its length)."""
    columns = table.columns
    widths = [display_width(column.title(lang)) for column in columns]
    for index, column in enumerate(columns):
        sheet.write_string(0, index, safe_cell(column.title(lang)), formats["bold"])
    letters = column_letters(len(columns))
    kinds = [(index, letters[index], column.key, is_rate_column(column)) for index, column in enumerate(columns)]
    dated: set[int] = set()
    n_a = _WORDS[lang]["n/a"]
    start, last_row, write = spool.tell(), 0, spool.write
    for row_number, row in enumerate(table.rows, 2):
        cells = []
        for index, letter, key, rate in kinds:
            value = row.get(key)
            ref = f"{letter}{row_number}"
            if value is None:
                if not rate:
                    continue
                text = n_a
                cells.append(text_cell(ref, text))
            elif type(value) is str:
                # The tool's own words in English (a reason, a kind), B5's details in words; other text as it is.
                text = _plain_text(value, lang) if lang == "en" or ":" in value else value
                cells.append(text_cell(ref, safe_cell(
                    text if text.isprintable() else _XML_ILLEGAL.sub("", text))))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                text = format_rate(value, lang) if rate else _plain_text(value, lang)
                cells.append(number_cell(ref, value, RATE_STYLE if rate else None))
            elif isinstance(value, dt.date):
                text = value.isoformat()
                dated.add(index)
                cells.append(number_cell(ref, date_serial(value), DATE_STYLE))
            else:
                text = _plain_text(value, lang)
                cells.append(text_cell(ref, safe_cell(_XML_ILLEGAL.sub("", text))))
            if 2 * len(text) > widths[index]:
                widths[index] = max(widths[index], *(display_width(line) for line in text.split("\n")))
        if cells:
            write(f'<row r="{row_number}">{"".join(cells)}</row>'.encode())
            last_row = row_number
    for index, letter, key, rate in kinds:
        # The formatted columns carry their format: it gets its style number, and a cell typed in later looks the same.
        look = formats["rate"] if rate else formats["date"] if index in dated else None
        sheet.set_column(index, index, min(widths[index] + 2, _MAX_XLSX_WIDTH), look)
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, len(table.rows), len(columns) - 1)
    if not last_row:
        return None
    return SpooledSheet(sheet.index + 1, start, spool.tell(), f"{letters[-1]}{last_row}")


def _line_chart(workbook, sheet, table, lang: str) -> None:
    """One line per row over the table's rate columns (named by its first and last other
    column: the question and the area), placed right of the table."""
    rates = [index for index, column in enumerate(table.columns) if is_rate_column(column)]
    names = [index for index, column in enumerate(table.columns) if not is_rate_column(column)]
    chart = workbook.add_chart({"type": "line"})
    for number, row in enumerate(table.rows, 1):
        name = " ".join(cell_text(row.get(table.columns[index].key), table.columns[index], lang)
                        for index in (names[0], names[-1]))
        chart.add_series({"name": name.strip(),
                          "categories": [sheet.name, 0, rates[0], 0, rates[-1]],
                          "values": [sheet.name, number, rates[0], number, rates[-1]]})
    chart.set_title({"name": table.title(lang)})
    chart.set_y_axis({"num_format": "0%"})
    chart.set_size({"width": 680, "height": 340})
    sheet.insert_chart(1, len(table.columns) + 1, chart)


_SUMMARY = {
    "zh": {"sheet": "汇总", "title": "审计汇总", "as_of": "统计日期", "scope": "范围", "source": "数据来源",
           "all": "全部", "headers": ("编号", "问题", "达标数", "总数", "覆盖率", "条数"), "chart": "覆盖率",
           "lists": "清单"},
    "en": {"sheet": "Summary", "title": "Audit summary", "as_of": "As of", "scope": "Scope", "source": "Source",
           "all": "everything", "headers": ("Code", "Question", "Numerator", "Denominator", "Rate", "Rows"),
           "chart": "Coverage rate", "lists": "Lists"},
}


def add_summary_sheet(workbook, results: Mapping[str, Any], meta: Mapping, *, lang: str = "zh",
                      formats: Mapping[str, Any] | None = None, sheets: Mapping[str, str] = {}) -> None:  # noqa: B006
    """A summary sheet in ``workbook`` (an XlsxWriter workbook; call it first, so it is the first
    sheet): as-of date, scope and source, then one row per question (a rate with its numerator
    and denominator, or a list's number of rows) under a frozen header, each code a link to its
    sheet in ``sheets`` (table code → sheet name), and a native Excel bar chart of the rates, in
    question order from the top, each bar named by its row's title (C16's by grid type) and labelled
    with its rate."""
    words = _SUMMARY[lang]
    formats = formats or _workbook_formats(workbook)
    sheet = workbook.add_worksheet(words["sheet"])
    bold, percent = formats["bold"], formats["rate"]
    for column, width in enumerate((10, 34, 10, 10, 10, 8)):
        sheet.set_column(column, column, width)
    sheet.write_string(0, 0, words["title"], formats["title"])
    for row, key in enumerate(("as_of", "scope", "source"), 1):
        sheet.write_string(row, 0, words[key])
        sheet.write_string(row, 1, safe_cell(str(meta.get(key) or words["all"])))
    header_row = 5
    for column, header in enumerate(words["headers"]):
        sheet.write_string(header_row, column, header, bold)
    rated = [(code, title, rate) for code, result in results.items() for title, rate in _rates(result, lang)]
    listed = [code for code, result in results.items() if not _rates(result, lang)]
    # Rates first (the chart's contiguous range), then the lists, each in registry order.
    row = header_row
    for row, (code, title, rate) in enumerate(rated, header_row + 1):
        _write_code(sheet, row, code, sheets)
        sheet.write_string(row, 1, safe_cell(title))  # C16's grid types may be a ledger's own words
        sheet.write_number(row, 2, rate.numerator)
        sheet.write_number(row, 3, rate.denominator)
        if rate.rate is None:
            sheet.write_string(row, 4, _WORDS[lang]["n/a"])
        else:
            sheet.write_number(row, 4, rate.rate, percent)
    for row, code in enumerate(listed, row + 1):
        result = results[code]
        _write_code(sheet, row, code, sheets)
        sheet.write_string(row, 1, result.title_zh if lang == "zh" else result.title_en)
        tables = result.tables()
        sheet.write_number(row, 5, len(tables[0].rows) if tables else 0)
    sheet.freeze_panes(header_row + 1, 0)
    if rated:
        chart = workbook.add_chart({"type": "bar"})
        first, last = header_row + 1, header_row + len(rated)
        chart.add_series({"name": words["chart"], "categories": [sheet.name, first, 1, last, 1],
                          "values": [sheet.name, first, 4, last, 4],
                          "data_labels": {"value": True, "num_format": "0.0%"}})
        chart.set_title({"name": words["chart"]})
        chart.set_x_axis({"num_format": "0%", "min": 0, "max": 1})
        chart.set_y_axis({"reverse": True})  # a bar chart draws its first row at the bottom
        chart.set_legend({"none": True})
        chart.set_size({"width": 600, "height": max(300, 26 * len(rated))})
        sheet.insert_chart("H2", chart)


def summary_tables(results: Mapping[str, Any], lang: str = "zh") -> list[Table]:
    """The summary sheet's rows as tables, for a terminal: the rates, with numerator and denominator
    (C16: one per grid type), then how many things each list names; each in the order of ``results``."""
    code, title, numerator, denominator, rate, count = (Column(key, zh, en) for key, zh, en in zip(
        ("code", "title", "numerator", "denominator", "rate", "rows"), _SUMMARY["zh"]["headers"],
        _SUMMARY["en"]["headers"]))
    rated, listed = [], []
    for question, result in results.items():
        rates = _rates(result, lang)
        rated += [{"code": question, "title": name, "numerator": figure.numerator,
                   "denominator": figure.denominator, "rate": figure.rate} for name, figure in rates]
        if not rates:
            tables = result.tables()
            listed.append({"code": question, "title": result.title_zh if lang == "zh" else result.title_en,
                           "rows": len(tables[0].rows) if tables else 0})
    return [table for table in (
        Table("summary-rates", f"{_SUMMARY['zh']['title']}：{_SUMMARY['zh']['chart']}",
              f"{_SUMMARY['en']['title']}: {_SUMMARY['en']['chart']}", [code, title, numerator, denominator, rate],
              rated),
        Table("summary-lists", f"{_SUMMARY['zh']['title']}：{_SUMMARY['zh']['lists']}",
              f"{_SUMMARY['en']['title']}: {_SUMMARY['en']['lists']}", [code, title, count], listed)) if table.rows]


def _write_code(sheet, row: int, code: str, sheets: Mapping[str, str]) -> None:
    """A question's code in the summary, a link to its sheet when it has one."""
    if code in sheets:
        quoted = sheets[code].replace("'", "''")  # Excel's quoting: owners' → owners''
        sheet.write_url(row, 0, f"internal:'{quoted}'!A1", string=code)
    else:
        sheet.write_string(row, 0, code)


def _rates(result: Any, lang: str) -> list[tuple[str, Any]]:
    """``(title, rate)`` of each whole-scope rate a result gives (C16: one per grid type); none for a list."""
    title = result.title_zh if lang == "zh" else result.title_en
    colon = "：" if lang == "zh" else ": "
    return [(title if line.part is None else f"{title}{colon}{line.part_zh if lang == 'zh' else line.part_en}", line)
            for line in result.rates() if line.total]


# -- files ------------------------------------------------------------------------------------
def _is_directory_target(path: str | os.PathLike) -> bool:
    text = os.fspath(path)
    return Path(text).is_dir() or text.endswith(("/", os.sep)) or not Path(text).suffix


def _file_stem(code: str) -> str:
    return re.sub(r"[^\w.-]+", "_", code) or "table"


def write_report(results: Mapping[str, Any], fmt: str, path: str | os.PathLike, *,
                 lang: str = "zh", show_pii: bool = False, meta: Mapping | None = None,
                 inputs: Iterable = (), progress: Progress | None = None) -> list[Path]:
    """Write question results (code → result) to ``path`` in ``fmt``; returns the files written.

    CSV and Markdown are rendered in memory first, JSON (one result at a time) and XLSX streamed
    to a temporary file; each file is written atomically, so a report that fails leaves no
    half-written file. ``progress(step, done, total)`` is told of each XLSX sheet written. CSV files carry a UTF-8 BOM. With ``csv`` and several
    tables, a ``path`` that is a directory (existing, ending in ``/`` or without a suffix) gets
    one ``<code>.csv`` per table; any other path gets one CSV (with a table column when there
    are several tables). No file written may be one of ``inputs`` (the report's sources).

    Examples
    --------
    >>> write_report(results, "xlsx", "audit.xlsx")  # doctest: +SKIP
    [PosixPath('audit.xlsx')]
    """
    _check(fmt, lang)
    to_folder = fmt == "csv" and _is_directory_target(path)
    path = Path(path)
    if to_folder:
        contents, names = {}, set()
        for table in tables_of(results):
            stem = name = _file_stem(table.code)
            number = 1
            while name.lower() in names:
                number += 1
                name = f"{stem}~{number}"
            names.add(name.lower())
            text = _csv_text([prepare_table(table, show_pii)], lang)
            contents[path / f"{name}.csv"] = text.encode("utf-8-sig")
        for target in contents:  # all refused before any is written
            check_output(target, inputs)
        return [atomic_write_bytes(target, data, inputs=inputs) for target, data in contents.items()]
    if path.is_dir():
        raise ReportError(f"{path} is a folder", hint="name a file to write the report to")
    if fmt == "xlsx":
        with atomic_open(path, inputs=inputs) as handle:
            # A summary of questions; a diff or a timeline is its own summary.
            answers = results if all(isinstance(r, Result) for r in results.values()) else None
            write_workbook(tables_of(results), handle, lang=lang, show_pii=show_pii,
                           progress=progress, results=answers, meta=meta)
        return [path]
    if fmt == "json":
        with atomic_open(path, inputs=inputs) as handle:
            for piece in _report_json(results, lang, show_pii, meta):
                handle.write(piece.encode("utf-8"))
        return [path]
    text = render(results, fmt, lang=lang, show_pii=show_pii, meta=meta)
    return [atomic_write_bytes(path, text.encode("utf-8-sig" if fmt == "csv" else "utf-8"),
                               inputs=inputs)]
