"""Fast inserts, shared by ingest and the reference tables.

Python values reach DuckDB fastest without pyarrow or numpy in two ways: column lists unnested in
one statement (`bulk_insert`), or a CSV file that DuckDB's reader parses (`insert_rows`), about a
third cheaper again for the many rows of an ingest because the csv module writes them in C.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence

import duckdb

_TYPES: dict[str, list[str]] = {}
CSV_MIN_ROWS = 64  # below this, one unnest statement is cheaper than writing a file
_LINE_DEFAULT = 2_000_000  # DuckDB's own max_line_size; longer lines need it raised


def bulk_insert(con: duckdb.DuckDBPyConnection, table: str, cols: list[list]) -> None:
    """Insert column lists in one statement: far faster in DuckDB than executemany."""
    select = ", ".join(f"unnest(?::{t}[])" for t in _types(con, table)[: len(cols)])
    con.execute(f"INSERT INTO {table} SELECT {select}", cols)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[tuple]) -> None:
    """Insert row tuples (each with the table's first columns, in order) in one statement.

    Every value comes back as it went in: strings are quoted and None is an unquoted empty field
    (NULL), so '' and None stay apart; floats are written by repr, which round-trips exactly."""
    if not rows:
        return
    cols = [list(c) for c in zip(*rows, strict=True)]
    if len(rows) < CSV_MIN_ROWS:
        bulk_insert(con, table, cols)
        return
    cols = [[_NULL if v is None else v for v in c] if None in c else c for c in cols]
    fd, path = tempfile.mkstemp(prefix="parks-rows-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(zip(*cols, strict=True))
        types = _types(con, table)[: len(cols)]
        spec = ", ".join(f"'c{i}': '{t}'" for i, t in enumerate(types))
        size = os.path.getsize(path)
        longer = f", max_line_size={size + 1024}, buffer_size={2 * size + 2048}" if size >= _LINE_DEFAULT else ""
        con.execute(f"""INSERT INTO {table} SELECT * FROM read_csv(?, columns={{{spec}}}, header=false,
                        auto_detect=false, delim=',', quote='"', escape='"', new_line='\\n',
                        allow_quoted_nulls=false{longer})""", [path])
    finally:
        os.unlink(path)


class _Null(float):
    """None as the csv module should write it here: an unquoted empty field (a number's quoting),
    which read_csv takes for NULL while every string, '' included, is quoted."""

    def __repr__(self) -> str:
        return ""

    __str__ = __repr__


_NULL = _Null()


def _types(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    types = _TYPES.get(table)
    if types is None:
        types = _TYPES[table] = [r[0] for r in con.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [table]).fetchall()]
    return types
