"""insert_rows: every value comes back from DuckDB exactly as it went in, whatever the text."""

from __future__ import annotations

import math
from datetime import date, datetime

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.store.ingest_util import CSV_MIN_ROWS, insert_rows

COLUMNS = "a BIGINT, b VARCHAR, c DOUBLE, d BOOLEAN, e DATE, f TIMESTAMP, g INTEGER"

rows_strategy = st.lists(
    st.tuples(
        st.integers(-(2**63), 2**63 - 1),
        st.none() | st.text(),
        st.none() | st.floats(allow_nan=True, allow_infinity=True),
        st.none() | st.booleans(),
        st.none() | st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
        st.none() | st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
        st.none() | st.integers(-(2**31), 2**31 - 1),
    ),
    min_size=1, max_size=3 * CSV_MIN_ROWS,
)


def _same(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x):
        return math.isnan(y)
    return x == y and type(x) is type(y)


def _roundtrip(rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t (n INTEGER, {COLUMNS})")
    insert_rows(con, "t", [(i, *r) for i, r in enumerate(rows)])
    return [r[1:] for r in con.execute("SELECT * FROM t ORDER BY n").fetchall()]


@settings(max_examples=60, deadline=None)
@given(rows_strategy)
def test_every_value_comes_back_as_it_went_in(rows: list[tuple]) -> None:
    got = _roundtrip(rows)
    assert len(got) == len(rows)
    for want, have in zip(rows, got, strict=True):
        assert all(_same(x, y) for x, y in zip(want, have, strict=True)), (want, have)


def test_empty_strings_and_nulls_stay_apart_and_long_lines_fit() -> None:
    rows = [(1, "" if i % 2 else None, None, None, None, None, None) for i in range(CSV_MIN_ROWS)]
    rows.append((2, "长" * 1_500_000 + '"\n\r\x00', 0.1 + 0.2, True, date(2024, 2, 29), None, -1))
    got = _roundtrip(rows)
    assert [r[1] for r in got[:4]] == [None, "", None, ""]
    assert got[-1] == rows[-1]
