"""A report sheet's rows streamed as sheet XML, spliced into the workbook XlsxWriter lays out.

XlsxWriter writes a city's audit (about four million cells) at some 12 µs a cell, most of it in
its general cell machinery. A report only ever writes inline text, plain numbers and numbers with
one of two formats, so the rows are written here, byte for byte as XlsxWriter writes them in
constant-memory mode (``tests/test_sheet_rows.py`` holds the two equal), into a spool file. XlsxWriter
still makes everything else (the header row, widths, frozen pane, filter, summary sheet, charts
and styles); :func:`splice_rows` then copies its workbook and puts each sheet's spooled rows after
its header row.

The two formatted kinds of cell carry a placeholder style (``RATE_STYLE``, ``DATE_STYLE``: a NUL
byte, which no cell can hold) until the workbook's own style numbers are known.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from typing import IO, NamedTuple

__all__ = ["RATE_STYLE", "DATE_STYLE", "MAX_CELL_CHARS", "column_letters", "text_cell", "number_cell",
           "date_serial", "SpooledSheet", "splice_rows"]

RATE_STYLE, DATE_STYLE = "\x00R", "\x00D"
MAX_CELL_CHARS = 32767  # Excel's limit; XlsxWriter cuts longer text there too

_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")  # literal text Excel would read as an escape
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_NEEDS_WORK = re.compile(r"[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_CHUNK = 2**20  # bytes of spooled rows copied at a time


def column_letters(count: int) -> list[str]:
    """``A``, ``B`` … ``Z``, ``AA`` … for the first ``count`` columns."""
    letters = []
    for index in range(count):
        name, number = "", index + 1
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def text_cell(ref: str, text: str) -> str:
    """An inline text cell: control characters as ``_xHHHH_``, XML escaped, edge spaces kept."""
    text = text[:MAX_CELL_CHARS]
    if _NEEDS_WORK.search(text):
        text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match[1]):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Whitespace at either end (``\s`` is ``str.isspace``; escaping neither adds nor removes any).
    if text[:1].isspace() or text[-1:].isspace():
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number_cell(ref: str, number: float, style: str | None = None) -> str:
    """A number cell, with a placeholder style or none."""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{styled}><v>{number:.16G}</v></c>'


def date_serial(day: dt.date) -> int:
    """Excel's serial number of a date (1900 system, with its phantom 29 February 1900)."""
    days = (day - _EXCEL_EPOCH).days
    return days - 1 if days < 61 else days


class SpooledSheet(NamedTuple):
    """Where one sheet's rows lie in the spool, and the cell range they end the sheet at."""

    number: int      # the worksheet's position, from 1 (its file is xl/worksheets/sheet<number>.xml)
    start: int       # byte offsets of its rows in the spool
    end: int
    last_cell: str   # e.g. "I15001": the bottom-right cell once the rows are in


def splice_rows(frame: bytes, target: IO[bytes], spool: IO[bytes], sheets: list[SpooledSheet],
                styles: Mapping[str, int | None]) -> None:
    """Write the workbook ``frame`` (XlsxWriter's bytes) to ``target`` with each sheet's spooled
    rows after its header row, its dimension widened to them and the placeholder styles replaced
    by ``styles`` (placeholder → style number)."""
    spliced = {f"xl/worksheets/sheet{sheet.number}.xml": sheet for sheet in sheets}
    replacements = [(placeholder.encode(), str(number).encode())
                    for placeholder, number in styles.items() if number is not None]
    with zipfile.ZipFile(io.BytesIO(frame)) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            sheet = spliced.get(info.filename)
            if sheet is None:
                archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
                continue
            head, tail = data.split(b"</sheetData>", 1)
            head = re.sub(rb'<dimension ref="[A-Z]+[0-9]+(:[A-Z]+[0-9]+)?"/>',
                          f'<dimension ref="A1:{sheet.last_cell}"/>'.encode(), head, count=1)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            # ZipFile.open writes a ZipInfo at its own level, zlib's 6 unless set (public as
            # ``compress_level`` from Python 3.13): level 1, as every other member.
            member._compresslevel = 1
            with archive.open(member, "w", force_zip64=True) as out:
                out.write(head)
                _copy_rows(spool, sheet, out, replacements)
                out.write(b"</sheetData>" + tail)


def _copy_rows(spool: IO[bytes], sheet: SpooledSheet, out: IO[bytes], replacements) -> None:
    """The sheet's rows, ``_CHUNK`` bytes at a time, with the placeholders replaced (a placeholder cut
    by a chunk's end is carried over to the next)."""
    spool.seek(sheet.start)
    left, carried = sheet.end - sheet.start, b""
    while left:
        chunk = carried + spool.read(min(left, _CHUNK))
        left = sheet.end - spool.tell()
        carried = b""
        if chunk.endswith(b"\x00") and left:
            chunk, carried = chunk[:-1], b"\x00"
        for placeholder, number in replacements:
            chunk = chunk.replace(placeholder, number)
        out.write(chunk)
    if carried:
        out.write(carried)

