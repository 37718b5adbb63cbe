"""The queries behind every view: the dashboard's tabs and `parks query` share these.

Each returns a `Result` whose rows stream from DuckDB in batches, so a large export never holds
the whole result in memory. Filters are always bound parameters, never pasted into SQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import duckdb

BATCH = 2048


@dataclass(slots=True)
class Result:
    columns: list[str]
    rows: Iterator[tuple]
    numeric: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Query:
    """SQL with its bound parameters; `run` shapes it (columns, sort, limit) inside DuckDB."""

    sql: str
    params: list = field(default_factory=list)


@dataclass(slots=True)
class Filters:
    """What a user narrows a view by; each list is ORed within itself, ANDed across."""

    park: Sequence[str] = ()
    metric: Sequence[str] = ()
    industry: Sequence[str] = ()
    year: Sequence[str] = ()
    status: Sequence[str] = ()
    basis: Sequence[str] = ()
    text: str = ""


class QueryError(Exception):
    """A request the query cannot answer (unknown column, bad value); the message is for the user."""


def run(con: duckdb.DuckDBPyConnection, q: Query, columns: Sequence[str] = (), sort: str = "",
        desc: bool = False, limit: int | None = None, offset: int = 0) -> Result:
    """Run `q`, keeping `columns`, ordered by `sort` (Chinese by pinyin), at most `limit` rows."""
    types = column_types(con, q)
    for col in [*columns, *([sort] if sort else [])]:
        if col not in types:
            raise QueryError(f"unknown column {col!r}; columns are: {', '.join(types)}")
    select = ", ".join(_ident(c) for c in columns) if columns else "*"
    sql = f"SELECT {select} FROM ({q.sql}) AS q"
    if sort:
        collate = " COLLATE zh" if types[sort] == "VARCHAR" else ""
        sql += f" ORDER BY {_ident(sort)}{collate} {'DESC' if desc else 'ASC'} NULLS LAST"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    if offset:
        sql += f" OFFSET {int(offset)}"
    return stream(con, sql, q.params)


def count(con: duckdb.DuckDBPyConnection, q: Query) -> int:
    return int(con.execute(f"SELECT count(*) FROM ({q.sql}) AS q", q.params).fetchone()[0])


def column_types(con: duckdb.DuckDBPyConnection, q: Query) -> dict[str, str]:
    cur = con.execute(f"SELECT * FROM ({q.sql}) AS q LIMIT 0", q.params)
    return {d[0]: str(d[1]) for d in cur.description}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stream(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence = ()) -> Result:
    cur = con.execute(sql, list(params))
    columns = [d[0] for d in cur.description]
    numeric = {d[0] for d in cur.description if str(d[1]) in _NUMERIC}
    return Result(columns, _batches(cur), numeric)


_NUMERIC = {"BIGINT", "INTEGER", "DOUBLE", "FLOAT", "DECIMAL", "HUGEINT", "SMALLINT", "NUMBER"}


def _batches(cur: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    while True:
        rows = cur.fetchmany(BATCH)
        if not rows:
            return
        yield from rows


class Where:
    """Collects conditions and their parameters in step."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.params: list = []

    def any_of(self, expr: str, values: Sequence[str]) -> None:
        if values:
            self.parts.append(f"{expr} IN (SELECT unnest(?::VARCHAR[]))")
            self.params.append(list(values))

    def add(self, cond: str, *params: object) -> None:
        self.parts.append(cond)
        self.params.extend(params)

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.parts)) if self.parts else ""


def articles(f: Filters | None = None) -> Query:
    f = f or Filters()
    w = Where()
    w.any_of("a.park", f.park)
    if f.year:
        w.any_of("CAST(year(a.date) AS VARCHAR)", f.year)
    if f.industry:
        w.add("a.article_id IN (SELECT article_id FROM industry_mentions im JOIN industries i USING (industry) "
              "WHERE im.industry IN (SELECT unnest(?::VARCHAR[])) OR i.name_zh IN (SELECT unnest(?::VARCHAR[])))",
              list(f.industry), list(f.industry))
    if f.text:
        w.add("(contains(a.title, ?) OR contains(a.park, ?) OR contains(d.name, ?))", f.text, f.text, f.text)
    sql = f"""
        SELECT a.article_id, a.date, a.title, a.park,
               (SELECT string_agg(ap.park, '|' ORDER BY ap.rank) FROM article_parks ap
                 WHERE ap.article_id = a.article_id) AS parks,
               a.kicker, a.byline, d.path AS source, a.chars
        FROM articles a JOIN documents d USING (doc_id){w.sql()}
        ORDER BY d.path, a.seq"""
    return Query(sql, w.params)
