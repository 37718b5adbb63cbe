"""The queries behind every view: the dashboard's tabs and `parks query` share these.

Each view is a function returning a `Query` (SQL, bound parameters, default order); `run` shapes it
(columns, sort, limit, offset) inside DuckDB and returns a `Result` whose rows stream from DuckDB in
batches, so a large export never holds the whole result in memory. Filters are always bound
parameters, never pasted into SQL; filter values are first resolved to canonical names with
`resolve`, which is where unknown parks and metrics are caught (with suggestions).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import duckdb

BATCH = 2048


@dataclass(slots=True)
class Result:
    columns: list[str]
    rows: Iterator[tuple]
    numeric: set[str] = field(default_factory=set)
    types: list[str] = field(default_factory=list)  # DuckDB type of each column, when known


@dataclass(slots=True)
class Query:
    """SQL with its bound parameters; `run` shapes it (columns, sort, limit) inside DuckDB.

    `order` is the view's natural order, written over its output columns; a user's `--sort` comes
    first and this breaks its ties, so the output is deterministic either way.
    """

    sql: str
    params: list | dict = field(default_factory=list)
    order: str = ""


@dataclass(slots=True)
class Filters:
    """What a user narrows a view by; each list is ORed within itself, ANDed across.

    `scope` decides which figures the metrics view lists: "parks" (attributed to a park, the
    default), "all" (also city, province and national figures, whose park is empty) or "other"
    (only those).
    """

    park: Sequence[str] = ()
    metric: Sequence[str] = ()
    industry: Sequence[str] = ()
    year: Sequence[str] = ()
    status: Sequence[str] = ()
    basis: Sequence[str] = ()
    text: str = ""
    scope: str = "parks"


class QueryError(Exception):
    """A request the query cannot answer (unknown column, bad value); the message is for the user."""


class UnknownName(QueryError):
    """A park, metric or industry the database does not know; the message suggests close names."""


STATUSES = ("actual", "target", "forecast")
SCOPES = ("parks", "all", "other")
_BASIS = re.compile(r"^(level|yoy|change|since|since:\d{4})$")
_YEAR = re.compile(r"^(\d{4})(?:\s*[-–~]\s*(\d{4}))?$")


# --------------------------------------------------------------------------------------------- run


def run(con: duckdb.DuckDBPyConnection, q: Query, columns: Sequence[str] = (), sort: str = "",
        desc: bool = False, limit: int | None = None, offset: int = 0) -> Result:
    """Run `q`, keeping `columns`, ordered by `sort` (Chinese by pinyin), at most `limit` rows."""
    types = column_types(con, q) if (columns or sort) else {}
    for col in [*columns, *([sort] if sort else [])]:
        if col not in types:
            raise QueryError(_unknown_column(col, list(types)))
    select = ", ".join(_ident(c) for c in columns) if columns else "*"
    sql = f"SELECT {select} FROM ({q.sql}) AS q"
    order = []
    if sort:
        collate = " COLLATE zh" if types[sort] == "VARCHAR" else ""
        order.append(f"{_ident(sort)}{collate} {'DESC' if desc else 'ASC'} NULLS LAST")
    if q.order:
        order.append(q.order)
    if order:
        sql += " ORDER BY " + ", ".join(order)
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


def _unknown_column(col: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(col, known, n=3, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    return f"unknown column {col!r}{hint} (columns are: {', '.join(known)})"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def stream(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence | dict = ()) -> Result:
    cur = con.execute(sql, params if isinstance(params, dict) else list(params))
    if cur.description is None:  # a statement without a result (only reachable through `query sql`)
        return Result([], iter(()), set())
    columns = [d[0] for d in cur.description]
    types = [str(d[1]) for d in cur.description]
    numeric = {c for c, t in zip(columns, types, strict=True) if is_numeric(t)}
    return Result(columns, _batches(cur), numeric, types)


_NUMERIC = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
            "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "REAL", "NUMBER", "BIGNUM", "VARINT"}


def is_numeric(type_name: str) -> bool:
    return type_name in _NUMERIC or type_name.startswith("DECIMAL")


def _batches(cur: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    while True:
        rows = cur.fetchmany(BATCH)
        if not rows:
            return
        yield from rows


class Where:
    """Collects `?` conditions and their parameters in step (for queries written with `?`)."""

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


# ------------------------------------------------------------------------------------ resolving


def _key(name: str) -> str:
    """How typed names are compared: NFKC (full-width -> half-width), no spaces, case-folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


@dataclass(slots=True)
class Names:
    """Every spelling of the parks, metrics and industries a database knows, to canonical ids."""

    parks: dict[str, str]
    park_names: list[str]
    metrics: dict[str, str]
    metric_names: list[str]
    industries: dict[str, set[str]]  # typed key -> industry ids
    industry_names: list[str]
    industry_spellings: dict[str, set[str]]  # id -> every string figures may carry for it

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> Names:
        parks: dict[str, str] = {}
        park_names: list[str] = []
        for park, official, aliases in con.execute(
                "SELECT park, official_name, aliases FROM parks ORDER BY listed DESC, park").fetchall():
            for name in [park, official or "", *(aliases or "").split("|")]:
                if name.strip():
                    parks.setdefault(_key(name), park)
                    park_names.append(name.strip())
        for (park,) in con.execute("SELECT DISTINCT park FROM article_parks UNION SELECT DISTINCT park FROM figures "
                                   "WHERE park <> ''").fetchall():
            if park and _key(park) not in parks:
                parks[_key(park)] = park
                park_names.append(park)
        metrics: dict[str, str] = {}
        metric_names: list[str] = []
        for metric, zh, en in con.execute("SELECT metric, name_zh, name_en FROM metrics").fetchall():
            for name in (metric, zh or "", en or ""):
                if name:
                    metrics.setdefault(_key(name), metric)
            metric_names += [metric, *([zh] if zh else [])]
        for (metric,) in con.execute("SELECT DISTINCT metric FROM figures").fetchall():
            if metric and _key(metric) not in metrics:
                metrics[_key(metric)] = metric
                metric_names.append(metric)
        industries: dict[str, set[str]] = {}
        industry_names: list[str] = []
        spellings: dict[str, set[str]] = {}
        for ind, zh, en, syn in con.execute("SELECT industry, name_zh, name_en, synonyms FROM industries").fetchall():
            names = [n for n in (ind, zh or "", en or "", *(syn or "").split("|")) if n.strip()]
            spellings[ind] = set(names)
            for name in names:
                industries.setdefault(_key(name), set()).add(ind)
            industry_names += [ind, *([zh] if zh else [])]
        for (ind,) in con.execute("SELECT DISTINCT industry FROM figures WHERE industry <> ''").fetchall():
            if _key(ind) not in industries:  # a label the figures carry that the taxonomy lacks
                industries[_key(ind)] = {ind}
                spellings[ind] = {ind}
                industry_names.append(ind)
        return cls(parks, park_names, metrics, metric_names, industries, industry_names, spellings)

    def park(self, name: str) -> str:
        found = self.parks.get(_key(name))
        if found is None:
            raise UnknownName(_unknown("park", name, self.park_names, lambda n: self.parks[_key(n)]))
        return found

    def metric(self, name: str) -> str:
        found = self.metrics.get(_key(name))
        if found is None:
            raise UnknownName(_unknown("metric", name, self.metric_names, lambda n: n))
        return found

    def industry(self, name: str) -> set[str]:
        found = self.industries.get(_key(name))
        if found is None:
            raise UnknownName(_unknown("industry", name, self.industry_names, lambda n: n))
        return found


def _unknown(kind: str, name: str, names: list[str], show) -> str:  # type: ignore[no-untyped-def]
    """`unknown park 'X'; did you mean: A, B?` — substrings first, then difflib's closest."""
    import difflib

    key = _key(name)
    by_key = {_key(n): n for n in names}
    hits = [n for k, n in by_key.items() if key and (key in k or k in key) and len(k) >= 2]
    hits.sort(key=lambda n: abs(len(_key(n)) - len(key)))
    hits += [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=5, cutoff=0.5)]
    shown = list(dict.fromkeys(show(n) for n in hits))[:5]
    hint = f"; did you mean: {', '.join(shown)}?" if shown else ""
    return f"unknown {kind} {name!r}{hint}"


def check_values(f: Filters) -> None:
    """Raise QueryError for malformed --year, --status, --basis or --scope values."""
    for y in f.year:
        m = _YEAR.match(str(y).strip())
        if not m or (m[2] and int(m[2]) < int(m[1])):
            raise QueryError(f"bad year {y!r}: use YYYY or YYYY-YYYY")
    for s in f.status:
        if s.strip().lower() not in STATUSES:
            raise QueryError(f"bad status {s!r}: use one of {', '.join(STATUSES)}")
    for b in f.basis:
        if not _BASIS.match(b.strip().lower()):
            raise QueryError(f"bad basis {b!r}: use level, yoy, change, since or since:YYYY")
    if f.scope not in SCOPES:
        raise QueryError(f"bad scope {f.scope!r}: use one of {', '.join(SCOPES)}")


def resolve(con: duckdb.DuckDBPyConnection, f: Filters, names: Names | None = None) -> Filters:
    """Filters with every park, metric and industry spelled canonically; raises UnknownName."""
    check_values(f)
    if not (f.park or f.metric or f.industry):
        return replace(f, status=[s.strip().lower() for s in f.status], basis=[b.strip().lower() for b in f.basis])
    names = names or Names.load(con)
    industries: list[str] = []
    for name in f.industry:
        industries += sorted(names.industry(name))
    return replace(
        f,
        park=list(dict.fromkeys(names.park(p) for p in f.park)),
        metric=list(dict.fromkeys(names.metric(m) for m in f.metric)),
        industry=list(dict.fromkeys(industries)),
        status=[s.strip().lower() for s in f.status],
        basis=[b.strip().lower() for b in f.basis],
    )


def _years(values: Sequence[str]) -> list[int]:
    out: list[int] = []
    for y in values:
        m = _YEAR.match(str(y).strip())
        if m:
            out += list(range(int(m[1]), int(m[2] or m[1]) + 1))
    return sorted(set(out))


def _in(p: dict, param: str, expr: str, kind: str = "VARCHAR") -> str:
    """`expr` is one of the list `$param`; plain TRUE when that filter is not used.

    Unused filters leave no trace in the SQL: DuckDB's planner then has less to do, which is most
    of the time a one-shot query takes on a small database.
    """
    return f"list_contains(${param}::{kind}[], {expr})" if p.get(param) else "TRUE"


def _having(p: dict, param: str, expr: str, select: str, col: str) -> str:
    """`expr` is among the `select`ed values of rows whose `col` is in `$param`; TRUE when unused."""
    if not p.get(param):
        return "TRUE"
    return f"{expr} IN ({select} WHERE list_contains(${param}::VARCHAR[], {col}))"


def _params(f: Filters, con: duckdb.DuckDBPyConnection | None = None) -> dict:
    spell = []
    if f.industry and con is not None:
        rows = con.execute("SELECT industry, name_zh, synonyms FROM industries "
                           "WHERE list_contains($i::VARCHAR[], industry)", {"i": list(f.industry)}).fetchall()
        for ind, zh, syn in rows:
            spell += [ind, zh or "", *(syn or "").split("|")]
    return {"parks": list(f.park), "metrics": list(f.metric), "industries": list(f.industry),
            "industry_spellings": sorted({s for s in [*f.industry, *spell] if s}),
            "years": _years(f.year), "statuses": list(f.status), "bases": list(f.basis)}


def _article_ok(p: dict) -> str:
    """Articles that pass the article-level filters (the year of their date, an industry named)."""
    return (f"{_in(p, 'years', 'year(a.date)', 'INTEGER')} AND "
            f"{_having(p, 'industries', 'a.article_id', 'SELECT article_id FROM industry_mentions', 'industry')}")


# ---------------------------------------------------------------------------------------- views


def articles(f: Filters | None = None) -> Query:
    """One row per article: id, date, title, subject park, every park named (|), kicker, byline, source."""
    f = f or Filters()
    p = _params(f)
    p["text"] = f.text
    sql = f"""
        SELECT a.article_id, a.date, a.title, a.park,
               (SELECT string_agg(ap.park, '|' ORDER BY ap.rank) FROM article_parks ap
                 WHERE ap.article_id = a.article_id) AS parks,
               a.kicker, a.byline, a.source, a.chars, d.name AS file, a.seq
        FROM articles a JOIN documents d USING (doc_id)
        WHERE {_article_ok(p)}
          AND {_having(p, 'parks', 'a.article_id', 'SELECT article_id FROM article_parks', 'park')}
          AND {_having(p, 'metrics', 'a.article_id', 'SELECT article_id FROM figures', 'metric')}
          AND {"(contains(a.title, $text) OR contains(a.park, $text) OR contains(d.name, $text))"
               if f.text else "TRUE"}"""
    return Query(sql, _only(sql, p), order='"source", "seq", "article_id"')


def parks(f: Filters | None = None, con: duckdb.DuckDBPyConnection | None = None) -> Query:
    """Parks named in at least one article, with counts, their main industries and when they were seen.

    `top_industries` are the industries named most often in the articles a park is a subject of.
    Without filters, and with `con` given, the counts come from the summary that ingest keeps
    (store/summary.py) when it is up to date, so the view costs the same on any corpus size.
    """
    f = f or Filters()
    p = _params(f)
    if con is not None and not (f.park or f.metric or f.industry or f.year):
        from .summary import PARK_STATS, fresh

        if fresh(con):
            return _parks_query(PARK_STATS, p)
    return _parks_query(_park_stats(p), p)


def _park_stats(p: dict) -> str:
    """Per park: articles, mentions, subject articles, first and last seen, metrics, figures, top industries."""
    figs_from = ("figures f JOIN articles a USING (article_id) WHERE " + _in(p, "years", "year(a.date)", "INTEGER")
                 if p.get("years") else "figures f")
    return f"""(
        WITH ap AS (
            SELECT ap.park, ap.article_id, ap.mentions, ap.is_subject, a.date
            FROM article_parks ap JOIN articles a USING (article_id)
            WHERE ap.park <> '' AND {_article_ok(p)}),
        stats AS (  -- article_parks holds one row per article and park
            SELECT park, count(*) AS articles, sum(mentions)::BIGINT AS mentions,
                   count(*) FILTER (WHERE is_subject) AS subject_articles,
                   min(date) AS first_seen, max(date) AS last_seen
            FROM ap GROUP BY park),
        figs AS (
            SELECT f.park, count(DISTINCT f.metric) AS metrics, count(*) AS figures
            FROM {figs_from} GROUP BY f.park),
        inds AS (
            SELECT s.park, im.industry, count(*) AS n
            FROM industry_mentions im JOIN (SELECT park, article_id FROM ap WHERE is_subject) s USING (article_id)
            GROUP BY s.park, im.industry),
        top AS (
            SELECT r.park, array_to_string(list(coalesce(i.name_zh, r.industry) ORDER BY r.n DESC, r.industry)[1:3],
                                           '|') AS top_industries
            FROM inds r LEFT JOIN industries i USING (industry) GROUP BY r.park)
        SELECT s.park, s.articles, s.mentions, coalesce(g.metrics, 0) AS metrics, t.top_industries,
               s.first_seen, s.last_seen, s.subject_articles, coalesce(g.figures, 0) AS figures
        FROM stats s LEFT JOIN figs g USING (park) LEFT JOIN top t USING (park))"""


def _parks_query(stats: str, p: dict) -> Query:
    sql = f"""
        SELECT s.park, p.official_name, p.kind, p.province, p.city, coalesce(p.listed, false) AS listed,
               s.articles, s.mentions, s.metrics, s.top_industries, s.first_seen, s.last_seen,
               s.subject_articles, s.figures, p.approved_year
        FROM {stats} AS s LEFT JOIN parks p USING (park)
        WHERE {_in(p, 'parks', 's.park')}
          AND {_having(p, 'metrics', 's.park', 'SELECT park FROM figures', 'metric')}"""
    return Query(sql, _only(sql, p), order='"articles" DESC, "mentions" DESC, "park" COLLATE zh')


def industries(f: Filters | None = None) -> Query:
    """Industries mentioned in at least one article: how many parks, articles, mentions, which parks most."""
    f = f or Filters()
    p = _params(f)
    sql = f"""
        WITH im AS (
            SELECT im.industry, im.article_id
            FROM industry_mentions im JOIN articles a USING (article_id)
            WHERE {_in(p, 'years', 'year(a.date)', 'INTEGER')}
              AND {_having(p, 'parks', 'im.article_id', 'SELECT article_id FROM article_parks', 'park')}),
        per_park AS (
            SELECT im.industry, ap.park, count(*) AS n
            FROM im JOIN article_parks ap USING (article_id)
            WHERE ap.is_subject AND ap.park <> '' GROUP BY im.industry, ap.park),
        pp AS (
            SELECT industry, count(*) AS parks,
                   string_agg(park, '|' ORDER BY n DESC, park) FILTER (WHERE k <= 3) AS top_parks
            FROM (SELECT *, row_number() OVER (PARTITION BY industry ORDER BY n DESC, park) AS k FROM per_park)
            GROUP BY industry),
        stats AS (
            SELECT industry, count(DISTINCT article_id) AS articles, count(*) AS mentions FROM im GROUP BY industry)
        SELECT s.industry, i.name_zh, i.name_en, coalesce(pp.parks, 0) AS parks, s.articles, s.mentions,
               pp.top_parks, i.level
        FROM stats s LEFT JOIN industries i USING (industry) LEFT JOIN pp USING (industry)
        WHERE {_in(p, 'industries', 's.industry')}"""
    return Query(sql, _only(sql, p), order='"articles" DESC, "mentions" DESC, "industry"')


def companies(f: Filters | None = None) -> Query:
    """Companies named in the articles, each with the park it is most often named with."""
    f = f or Filters()
    p = _params(f)
    sql = f"""
        WITH cm AS (
            SELECT c.company, coalesce(c.park, '') AS park, c.article_id, a.date
            FROM company_mentions c JOIN articles a USING (article_id)
            WHERE {_article_ok(p)}),
        per AS (SELECT company, park, count(*) AS n FROM cm WHERE park <> '' GROUP BY company, park),
        main AS (SELECT company, string_agg(park, '|' ORDER BY n DESC, park) AS parks FROM per GROUP BY company),
        stats AS (
            SELECT company, count(DISTINCT article_id) AS articles, count(*) AS mentions,
                   min(date) AS first_seen, max(date) AS last_seen
            FROM cm GROUP BY company)
        SELECT s.company, coalesce(split_part(m.parks, '|', 1), '') AS park, s.articles, s.mentions,
               m.parks, s.first_seen, s.last_seen
        FROM stats s LEFT JOIN main m USING (company)
        WHERE s.company <> ''
          AND {_having(p, 'parks', 's.company', 'SELECT company FROM per', 'park')}"""
    return Query(sql, _only(sql, p), order='"articles" DESC, "mentions" DESC, "company" COLLATE zh')


# The figures of the metrics view with the article fields they are read with, and the span of years
# their period names (a period such as 2021-2025 covers each year in it).
_FIGURES = """
    SELECT f.*, a.source, a.date, a.title, m.name_zh, m.name_en,
           list_transform(regexp_extract_all(coalesce(f.period, ''), '(?:19|20)[0-9]{2}'),
                          lambda y: CAST(y AS INTEGER)) AS _py
    FROM figures f JOIN articles a USING (article_id) LEFT JOIN metrics m USING (metric)"""

def _figure_ok(p: dict) -> str:
    """Figures (as `x`) that pass the metric, status, basis, year and industry filters."""
    parts = [_in(p, "metrics", "x.metric"), _in(p, "statuses", "x.status"),
             _in(p, "industry_spellings", "x.industry")]
    if p.get("bases"):
        parts.append("(list_contains($bases::VARCHAR[], x.basis) OR (list_contains($bases::VARCHAR[], 'since') "
                     "AND starts_with(x.basis, 'since:')))")
    if p.get("years"):
        parts.append("""(CASE WHEN len(x._py) > 0
            THEN EXISTS (SELECT 1 FROM unnest($years::INTEGER[]) AS t(y) WHERE y BETWEEN list_min(x._py) AND list_max(x._py))
            ELSE list_contains($years::INTEGER[], year(x.date)) END)""")
    return " AND ".join(parts)


def metrics(f: Filters | None = None, con: duckdb.DuckDBPyConnection | None = None) -> Query:
    """Every extracted figure with its park, metric, value, unit, period, status and where it was read.

    Figures whose park is empty (a city's, a province's, the country's) are listed with scope
    "all" or "other"; a --park filter names parks, so it never lists them.
    """
    f = f or Filters()
    p = _params(f, con)
    sql = f"""
        SELECT x.park, x.metric, x.value, x.value_max, x.unit, x.qualifier, x.period, x.basis, x.status,
               x.industry, x.article_id, x.source, x.quote, x.start_pos AS "start", x.end_pos AS "end",
               x.name_zh, x.date, x.figure_id, x.period_inferred, x.number_text, x.title, x.name_en
        FROM ({_FIGURES}) AS x
        WHERE {_in(p, 'parks', 'x.park')} AND {_figure_ok(p)}
          AND {_scope(p, f.scope)}"""
    return Query(sql, _only(sql, p), order='"park" COLLATE zh, "metric", "period", "source", "start", "figure_id"')


def _scope(p: dict, scope: str) -> str:
    """Which figures by their park: a --park filter names parks, so it never lists park-less ones."""
    if p.get("parks") or scope == "all":
        return "TRUE"
    return "coalesce(x.park, '') <> ''" if scope == "parks" else "coalesce(x.park, '') = ''"


def _num(col: str) -> str:
    """A DOUBLE as text at full precision, without a trailing .0 for whole numbers."""
    return (f"CASE WHEN {col} = trunc({col}) AND abs({col}) < 1e15 THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({col} AS VARCHAR) END")


# A figure as one cell: qualifier, value (or range), unit, and the status when it is not an actual.
_CELL = f"""concat(CASE WHEN x.qualifier IS NULL OR x.qualifier IN ('=', '') THEN '' ELSE x.qualifier END,
    {_num('x.value')}, CASE WHEN x.value_max IS NULL THEN '' ELSE '–' || {_num('x.value_max')} END,
    CASE WHEN coalesce(x.unit, '') = '' THEN '' ELSE ' ' || x.unit END,
    CASE WHEN x.status = 'actual' THEN '' ELSE ' (' || x.status || ')' END)"""


def compare(parks_: Sequence[str], f: Filters | None = None, con: duckdb.DuckDBPyConnection | None = None) -> Query:
    """One row per metric, industry, basis and period; one column per park holding its figure.

    Of several figures for the same park and row the latest actual one is shown (else the latest
    target or forecast); when figures of that status disagree the park is named in `conflicts`.
    """
    f = f or Filters()
    parks_ = list(dict.fromkeys(parks_))
    p = _params(replace(f, park=parks_), con)
    cols = []
    for i, park in enumerate(parks_):
        p[f"p{i}"] = park
        cols.append(f"max(c.cell) FILTER (WHERE c.park = $p{i}) AS {_ident(park)}")
    sql = f"""
        WITH x AS (
            SELECT x.*, coalesce(x.industry, '') AS ind, coalesce(x.period, '') AS per,
                   coalesce(x.basis, '') AS bas, {_CELL} AS cell,
                   row_number() OVER (PARTITION BY x.park, x.metric, coalesce(x.industry, ''), coalesce(x.basis, ''),
                                                   coalesce(x.period, '')
                                      ORDER BY x.status = 'actual' DESC, x.date DESC NULLS LAST, x.figure_id DESC) AS k
            FROM ({_FIGURES}) AS x
            WHERE {_in(p, 'parks', 'x.park')} AND {_figure_ok(p)}),
        c AS (
            SELECT x.park, x.metric, x.ind, x.bas, x.per, x.cell, x.name_zh,
                   (SELECT count(DISTINCT (y.value, y.value_max, y.unit)) FROM x AS y
                     WHERE y.park = x.park AND y.metric = x.metric AND y.ind = x.ind AND y.bas = x.bas
                       AND y.per = x.per AND y.status = x.status) > 1 AS conflict
            FROM x WHERE x.k = 1)
        SELECT c.metric, any_value(c.name_zh) AS name_zh, c.ind AS industry, c.bas AS basis, c.per AS period,
               {', '.join(cols)},
               coalesce(string_agg(c.park, '|' ORDER BY c.park) FILTER (WHERE c.conflict), '') AS conflicts,
               any_value(m.metric_group) AS metric_group
        FROM c LEFT JOIN metrics m USING (metric)
        GROUP BY c.metric, c.ind, c.bas, c.per"""
    return Query(sql, _only(sql, p),
                 order='"metric_group" NULLS LAST, "metric", "industry", "basis", "period"')


# ------------------------------------------------------------------------------------- details


def park_figures(park: str) -> Query:
    """A park's figures grouped by metric (then period, newest first), for its detail page."""
    sql = f"""SELECT x.metric, x.name_zh, x.period, x.value, x.value_max, x.unit, x.qualifier, x.basis, x.status,
                     x.industry, x.quote, x.article_id, x.source, x.date, x.start_pos AS "start",
                     x.end_pos AS "end", x.figure_id
              FROM ({_FIGURES}) AS x WHERE x.park = $park"""
    return Query(sql, {"park": park}, order='"metric", "period" DESC, "date" DESC, "figure_id"')


def industry_parks(industry: str) -> Query:
    """The parks whose articles name an industry, most mentions first, for its detail page."""
    sql = """SELECT ap.park, count(DISTINCT im.article_id) AS articles, count(*) AS mentions,
                    bool_or(ap.is_subject) AS subject
             FROM industry_mentions im JOIN article_parks ap USING (article_id)
             WHERE im.industry = $industry AND ap.park <> '' GROUP BY ap.park"""
    return Query(sql, {"industry": industry}, order='"subject" DESC, "mentions" DESC, "park" COLLATE zh')


def article(article_id: int) -> Query:
    """One article with its text, for the reader."""
    sql = """SELECT a.article_id, a.date, a.title, a.kicker, a.byline, a.park, a.source, a.text, a.captions,
                    a.chars, a.date_inferred
             FROM articles a WHERE a.article_id = $id"""
    return Query(sql, {"id": int(article_id)})


def article_figures(article_id: int) -> Query:
    """An article's figures with their offsets in its text (to highlight them), in reading order."""
    sql = f"""SELECT x.figure_id, x."start", x."end", x.park, x.metric, x.name_zh, x.value, x.value_max, x.unit,
                     x.qualifier, x.period, x.basis, x.status, x.industry, x.quote
              FROM (SELECT *, start_pos AS "start", end_pos AS "end" FROM ({_FIGURES})) AS x
              WHERE x.article_id = $id"""
    return Query(sql, {"id": int(article_id)}, order='"start", "figure_id"')


def _only(sql: str, params: dict) -> dict:
    """The parameters a statement uses (DuckDB refuses unused named parameters)."""
    return {k: v for k, v in params.items() if f"${k}" in sql and re.search(rf"\${k}\b", sql)}
