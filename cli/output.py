"""Writing a query result to stdout in the format a user asked for.

Data always leaves as UTF-8 bytes whatever the locale, rows are written as they stream in, and
exports keep numbers at full precision (only the terminal table may shorten them).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

FORMATS = ("table", "csv", "tsv", "json", "jsonl")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass(slots=True)
class Style:
    format: str = "csv"
    header: bool = True
    bom: bool = False
    excel: bool = False  # CRLF and formula guards, for spreadsheets


def cell(value: object) -> object:
    """A value as it should appear in CSV/JSON: ISO dates, shortest exact float, None as empty."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _text(value: object) -> str:
    v = cell(value)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v) if isinstance(v, float) else str(v)


def guard(text: str) -> str:
    """Keep spreadsheets from running text that looks like a formula."""
    return "'" + text if text.startswith(_FORMULA) else text


def utf8_stdout() -> IO[str]:
    """stdout as UTF-8 text with no newline translation, whatever the locale says."""
    return io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)


def write(columns: list[str], rows: Iterable[tuple], style: Style, out: IO[str], numeric: set[str] = frozenset()) -> int:
    """Write rows as they come; returns how many were written."""
    if style.bom and style.format in ("csv", "tsv"):
        out.write("\ufeff")
    if style.format in ("csv", "tsv"):
        return _delimited(columns, rows, style, out, numeric)
    if style.format == "jsonl":
        return _jsonl(columns, rows, out)
    if style.format == "json":
        return _json(columns, rows, out)
    raise ValueError(f"unknown format {style.format}")


def _delimited(columns: list[str], rows: Iterable[tuple], style: Style, out: IO[str], numeric: set[str]) -> int:
    writer = csv.writer(out, delimiter="\t" if style.format == "tsv" else ",",
                        lineterminator="\r\n" if style.excel else "\n")
    if style.header:
        writer.writerow(columns)
    text_cols = [c not in numeric for c in columns]
    n = 0
    for row in rows:
        cells = [_text(v) for v in row]
        if style.excel:
            cells = [guard(c) if is_text else c for c, is_text in zip(cells, text_cols, strict=True)]
        writer.writerow(cells)
        n += 1
    return n


def _jsonl(columns: list[str], rows: Iterable[tuple], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(dict(zip(columns, map(cell, row), strict=True)), ensure_ascii=False) + "\n")
        n += 1
    return n


def _json(columns: list[str], rows: Iterable[tuple], out: IO[str]) -> int:
    out.write("[")
    n = 0
    for row in rows:
        out.write(("\n  " if n == 0 else ",\n  ") +
                  json.dumps(dict(zip(columns, map(cell, row), strict=True)), ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def table(columns: list[str], rows: Iterator[tuple], title: str = "", limit: int = 1000) -> int:
    """A rich table for the terminal; article text is never read as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    t = Table(title=title or None, show_lines=False, header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    n = 0
    for row in rows:
        if n >= limit:
            break
        t.add_row(*[Text(_display(v)) for v in row])
        n += 1
    console = Console(file=sys.stdout)
    console.print(t)
    if n >= limit:
        Console(stderr=True).print(f"(first {limit} rows shown; use --limit or --format csv for more)")
    return n


def _display(value: object) -> str:
    v = cell(value)
    if isinstance(v, float):
        return f"{v:.10g}"
    return printable(_text(v))


# Control characters (ESC starts terminal escape sequences) and bidi overrides are shown as
# visible symbols so that article text can never drive the terminal.
_CONTROL = {cp: 0x2400 + cp for cp in range(0x20) if cp not in (0x0A,)}
_CONTROL.update({0x7F: 0x2421, 0x09: 0x20})
_CONTROL.update({cp: 0xFFFD for cp in range(0x80, 0xA0)})
_CONTROL.update({cp: 0xFFFD for cp in (0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                       0x2066, 0x2067, 0x2068, 0x2069)})


def printable(text: str) -> str:
    """Text safe to put on a terminal: no escape sequences, no direction overrides."""
    return text.translate(_CONTROL)
