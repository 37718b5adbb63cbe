"""Writing a query result to stdout in the format a user asked for.

Data always leaves as UTF-8 bytes whatever the locale, rows are written as they stream in, and
exports keep numbers at full precision (only the terminal table may shorten them).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from typing import IO, BinaryIO

FORMATS = ("table", "csv", "tsv", "json", "jsonl")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(slots=True)
class Style:
    format: str = "csv"
    header: bool = True
    bom: bool = False
    excel: bool = False  # CRLF and formula guards, for spreadsheets


def cell(value: object) -> object:
    """A value as JSON holds it: ISO dates, shortest exact float, whole floats as ints, NaN as null."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, list | tuple):
        return [cell(v) for v in value]
    if isinstance(value, dict):
        return {str(k): cell(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)  # UUID and other exotic types from `query sql`


def text(value: object) -> str:
    """A value as a CSV field: full precision, true/false, lists and structs as JSON, None empty."""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value.normalize() if value == value.to_integral_value() else value, "f")
    v = cell(value)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


_text = text  # the name other modules used before


def guard(text_: str) -> str:
    """Keep spreadsheets from running text that looks like a formula."""
    return "'" + text_ if text_.startswith(_FORMULA) else text_


class Utf8Out:
    """A text sink writing UTF-8 bytes to a binary stream, whatever the locale says.

    Unlike an io.TextIOWrapper it never closes the stream it writes to (not even when garbage
    collected at interpreter exit), so a closed pipe cannot raise again during shutdown.
    """

    def __init__(self, raw: BinaryIO, size: int = 1 << 16) -> None:
        self.raw = raw
        self.size = size
        self.parts: list[str] = []
        self.pending = 0

    def write(self, s: str) -> int:
        self.parts.append(s)
        self.pending += len(s)
        if self.pending >= self.size:
            self.flush()
        return len(s)

    def flush(self) -> None:
        if self.parts:
            data = "".join(self.parts).encode("utf-8", "surrogateescape")
            self.parts.clear()
            self.pending = 0
            self.raw.write(data)
        self.raw.flush()


def utf8_stdout() -> Utf8Out:
    """stdout as UTF-8 text with no newline translation."""
    sys.stdout.flush()  # anything already written through sys.stdout goes first
    return Utf8Out(sys.stdout.buffer)


def write(columns: list[str], rows: Iterable[tuple], style: Style, out: IO[str] | Utf8Out,
          numeric: set[str] | frozenset[str] = frozenset(), types: Sequence[str] = ()) -> int:
    """Write rows as they come; returns how many were written.

    With the DuckDB `types` of the columns only the cells that need converting are touched
    (text and integers go through as they are), which keeps large exports fast.
    """
    if style.bom and style.format in ("csv", "tsv"):
        out.write("\ufeff")
    if style.format in ("csv", "tsv"):
        return _delimited(columns, rows, style, out, numeric, types)
    if style.format == "jsonl":
        return _jsonl(columns, rows, out, types)
    if style.format == "json":
        return _json(columns, rows, out, types)
    raise ValueError(f"unknown format {style.format}")


_PLAIN = {"VARCHAR", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
          "UBIGINT", "UHUGEINT"}  # cells Python's csv and json write correctly as they come


def _converters(columns: list[str], types: Sequence[str], convert: Callable[[object], object],
                text_cols: Sequence[bool] = (), guarded: bool = False) -> Callable[[tuple], Sequence] | None:
    """A function fixing up the cells of one row that need it, or None when none do."""
    known = len(types) == len(columns)
    todo: list[tuple[int, Callable[[object], object]]] = []
    for i in range(len(columns)):
        kind = types[i] if known else ""
        fn: Callable[[object], object] | None = None if kind in _PLAIN else _FAST.get((kind, convert), convert)
        if guarded and text_cols[i]:
            inner = fn or (lambda v: "" if v is None else v)
            fn = (lambda inner_: lambda v: guard(str(inner_(v))))(inner)
        if fn is not None:
            todo.append((i, fn))
    if not todo:
        return None

    def fix(row: tuple) -> list:
        cells = list(row)
        for i, fn in todo:
            cells[i] = fn(cells[i])
        return cells

    return fix


def _double(v: float | None) -> float | int | None:
    if v is None:
        return None
    if v.is_integer():
        return int(v) if abs(v) < 1e15 else v
    return None if v != v or v in (float("inf"), float("-inf")) else v


def _bool_text(v: bool | None) -> str | None:
    return None if v is None else ("true" if v else "false")


def _iso(v: date | None) -> str | None:
    return None if v is None else v.isoformat()


# Converters for the common column types, faster than the general `text` and `cell`.
_FAST: dict[tuple[str, Callable], Callable] = {
    ("DOUBLE", text): _double, ("DOUBLE", cell): _double, ("FLOAT", text): _double, ("FLOAT", cell): _double,
    ("BOOLEAN", text): _bool_text, ("BOOLEAN", cell): lambda v: v,
    ("DATE", text): _iso, ("DATE", cell): _iso, ("TIMESTAMP", text): _iso, ("TIMESTAMP", cell): _iso,
}


def _delimited(columns: list[str], rows: Iterable[tuple], style: Style, out: IO[str] | Utf8Out,
               numeric: set[str] | frozenset[str], types: Sequence[str]) -> int:
    buf = io.StringIO()  # csv writes one small string per row: gather a batch, write it at once
    writer = csv.writer(buf, delimiter="\t" if style.format == "tsv" else ",",
                        lineterminator="\r\n" if style.excel else "\n")
    if style.header:
        writer.writerow([guard(c) for c in columns] if style.excel else columns)
        out.write(buf.getvalue())
    text_cols = [c not in numeric for c in columns]
    fix = _converters(columns, types, text, text_cols, guarded=style.excel)
    n = 0
    for batch in _chunks(rows):
        buf.seek(0)
        buf.truncate()
        writer.writerows(map(fix, batch) if fix else batch)
        out.write(buf.getvalue())
        n += len(batch)
    return n


def _chunks(rows: Iterable[tuple], size: int = 1024) -> Iterator[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _json_rows(columns: list[str], rows: Iterable[tuple], types: Sequence[str]) -> Iterator[str]:
    fix = _converters(columns, types, cell)
    for row in rows:
        yield _ENCODE(dict(zip(columns, fix(row) if fix else row, strict=True)))


def _dumps(columns: list[str], row: tuple) -> str:
    return _ENCODE(dict(zip(columns, map(cell, row), strict=True)))


def _jsonl(columns: list[str], rows: Iterable[tuple], out: IO[str] | Utf8Out, types: Sequence[str] = ()) -> int:
    n = 0
    for line in _json_rows(columns, rows, types):
        out.write(line + "\n")
        n += 1
    return n


def _json(columns: list[str], rows: Iterable[tuple], out: IO[str] | Utf8Out, types: Sequence[str] = ()) -> int:
    out.write("[")
    n = 0
    for obj in _json_rows(columns, rows, types):
        out.write(("\n  " if n == 0 else ",\n  ") + obj)
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def table(columns: list[str], rows: Iterator[tuple], title: str = "", limit: int = 1000,
          numeric: set[str] | frozenset[str] = frozenset()) -> int:
    """A rich table for the terminal; article text is never read as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title or None, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(printable(c), overflow="fold", justify="right" if c in numeric else "left")
    n = 0
    more = False
    for row in rows:
        if n >= limit:
            more = True
            break
        t.add_row(*[Text(display(v)) for v in row])
        n += 1
    out = sys.stdout
    if "utf" not in (getattr(out, "encoding", "") or "").lower():
        out = _Utf8Text(sys.stdout)  # a non-UTF-8 locale: still write UTF-8 rather than fail
    Console(file=out).print(t)
    out.flush()
    if more:
        Console(stderr=True).print(f"(first {limit} rows shown; use --limit or --format csv for more)",
                                   markup=False)
    return n


class _Utf8Text(Utf8Out):
    """Utf8Out that also answers the questions rich asks of a console file."""

    def __init__(self, stream: IO[str]) -> None:
        stream.flush()
        super().__init__(stream.buffer)  # type: ignore[attr-defined]
        self.stream = stream
        self.encoding = "utf-8"

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


def display(value: object) -> str:
    """A value for the terminal table: floats shortened to 10 significant digits."""
    v = cell(value)
    if isinstance(v, float):
        return f"{v:.10g}"
    return printable(text(v))


_display = display


# Control characters (ESC starts terminal escape sequences) and bidi overrides are shown as
# visible symbols so that article text can never drive the terminal.
_CONTROL = {cp: 0x2400 + cp for cp in range(0x20) if cp not in (0x0A,)}
_CONTROL.update({0x7F: 0x2421, 0x09: 0x20})
_CONTROL.update({cp: 0xFFFD for cp in range(0x80, 0xA0)})
_CONTROL.update({cp: 0xFFFD for cp in (0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                       0x2066, 0x2067, 0x2068, 0x2069, 0x061C)})


def printable(text_: str) -> str:
    """Text safe to put on a terminal: no escape sequences, no direction overrides."""
    return text_.translate(_CONTROL)
