"""The dashboard's own queries: tab listings, detail pages, the article with its figures, charts.

The tabs show the shared views of `queries` (the same rows as `parks query`), narrowed by the
filter box. Four things keep them fast on 100,000 articles and a million figures:

- `page` sorts a low-cardinality text column (park, metric, period…) by the pinyin rank of its few
  distinct values instead of collating every row, and breaks ties by the view's unique key;
- the small aggregate views (parks, industries) are copied once per load into an in-memory DuckDB
  (`snapshot`), where filtering and sorting them is free;
- the two large views (every figure, every article) are paged by key (store/keyed.py): the keys of
  a page are found in as few tables as the sort and filter need, then the page's rows are read;
- the filter box tests each short column with `contains` (no concatenation, no `lower` for
  Chinese terms); of the long texts only a figure's quote is searched (where the search index says
  the word is), article bodies are left to the Search tab.

Text filters are bound parameters, split on spaces into terms that must all match in the row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from . import keyed, queries
from .ingest_util import bulk_insert
from .queries import Query, Result, _ident, run, stream

# ---------------------------------------------------------------------------------------------
# Paging


def page(con: duckdb.DuckDBPyConnection, q: Query, sort: str = "", desc: bool = False, limit: int | None = None,
         offset: int = 0, ranked: bool = False, key: str = "", columns: Sequence[str] = ()) -> list[dict]:
    """One page of `q` as dicts, sorted in DuckDB like `queries.run` (text by pinyin, NULL last).

    `ranked`: sort by the pinyin rank of the column's distinct values: collating a million strings
    costs far more than collating their few hundred distinct values and sorting by an integer
    (empty text then sorts last either way round, like NULL).
    `key` (a unique column): sort only the keys, then read the whole rows of the page by key, so
    long texts (quotes, titles) are not carried through a sort of a million rows; `columns` (with
    `key`) are the only ones read for the page, so a text not shown is not read at all.
    """
    if not sort and not key:
        return rows(run(con, q, limit=limit, offset=offset))
    col = _ident(sort) if sort else ""
    direction = "DESC" if desc else "ASC"
    with_ = ""
    source = f"({q.sql}) AS v"
    if sort and ranked:
        with_ = f"""WITH v0 AS NOT MATERIALIZED ({q.sql}),
            r AS (SELECT k, row_number() OVER (ORDER BY k COLLATE zh) AS rk
                  FROM (SELECT DISTINCT nullif(CAST(v0.{col} AS VARCHAR), '') AS k FROM v0) WHERE k IS NOT NULL) """
        source = f"v0 AS v LEFT JOIN r ON nullif(CAST(v.{col} AS VARCHAR), '') = r.k"
        keys = [f"r.rk {direction} NULLS LAST"]
    elif sort:
        types = queries.column_types(con, q)
        if sort not in types:
            raise queries.QueryError(f"unknown column {sort!r}")
        keys = [f"v.{col}{' COLLATE zh' if types[sort] == 'VARCHAR' else ''} {direction} NULLS LAST"]
    else:
        keys = []
    order = ", ".join(keys + ([f"v.{_ident(key)} ASC"] if key else [q.order] if q.order else []))
    shape = f" LIMIT {int(limit)}" if limit is not None else ""
    shape += f" OFFSET {int(offset)}" if offset else ""
    if not key:
        return rows(stream(con, f"{with_}SELECT v.* FROM {source} ORDER BY {order}{shape}", q.params))
    ids = [r[0] for r in con.execute(f"{with_}SELECT v.{_ident(key)} FROM {source} ORDER BY {order}{shape}",
                                     q.params).fetchall()]
    if not ids:
        return []
    params = {**q.params, "page_keys": ids} if isinstance(q.params, dict) else [*q.params, ids]
    ref = "$page_keys" if isinstance(q.params, dict) else "?"
    select = ", ".join(f"v.{_ident(c)}" for c in dict.fromkeys([key, *columns])) if columns else "v.*"
    found = rows(stream(con, f"SELECT {select} FROM ({q.sql}) AS v WHERE v.{_ident(key)} IN (SELECT unnest({ref}))",
                        params))
    position = {k: i for i, k in enumerate(ids)}
    return sorted(found, key=lambda r: position[r[key]])


def rows(result: Result) -> list[dict]:
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


# ---------------------------------------------------------------------------------------------
# The filter box


def _terms(text: str) -> list[str]:
    return [t.lower() for t in text.split() if t]


_LATIN = re.compile(r"[A-Za-z]")


def narrowed(q: Query, text: str, columns: Sequence[str], also: str = "", key: str = "") -> Query:
    """`q` keeping the rows where every space-separated term of `text` occurs in one of `columns`.

    Latin letters match whatever their case; `also` is an extra SQL condition with `{t}` where the
    term goes (e.g. a park found by any industry named in its articles). `key` (a unique column)
    replaces the view's tie-breaks: cheaper to sort by, and still a stable order for paging.
    """
    params = dict(q.params) if isinstance(q.params, dict) else {}
    assert isinstance(q.params, dict) or not q.params, "narrowed() needs named parameters"
    order = f"{_ident(key)} ASC" if key else q.order
    conds = []
    for i, term in enumerate(_terms(text)):
        ref = f"$narrow{i}"
        params[f"narrow{i}"] = term
        fold = bool(_LATIN.search(term))
        tests = [f"contains({'lower' if fold else ''}(coalesce(CAST(v.{_ident(c)} AS VARCHAR), '')), {ref})"
                 for c in columns]  # `lower` only for Latin terms: Chinese text has no case
        if also:
            tests.append(also.format(t=ref))
        conds.append("(" + " OR ".join(tests) + ")")
    if not conds:
        return Query(q.sql, q.params, order=order)
    sql = f"SELECT * FROM ({q.sql}) AS v WHERE " + " AND ".join(conds)
    return Query(sql, params, order=order)


# ---------------------------------------------------------------------------------------------
# Small views copied into memory


def snapshot(con: duckdb.DuckDBPyConnection, mem: duckdb.DuckDBPyConnection, name: str, q: Query) -> int:
    """Copy the rows of `q` (read from `con`) into table `name` of the in-memory database `mem`."""
    cur = con.execute(f"SELECT * FROM ({q.sql}) AS q", q.params)
    cols = [(d[0], str(d[1])) for d in cur.description]
    data = cur.fetchall()
    mem.execute(f"CREATE OR REPLACE TABLE {_ident(name)} ("
                + ", ".join(f"{_ident(c)} {t}" for c, t in cols) + ")")
    if data:
        bulk_insert(mem, name, [list(col) for col in zip(*data, strict=True)])
    return len(data)


PARKS_SNAPSHOT = "parks_tab"
INDUSTRIES_SNAPSHOT = "industries_tab"

_INDUSTRY_WORDS = "lower(concat_ws(' ', i.industry, i.name_zh, i.name_en, i.synonyms))"


def parks_source() -> Query:
    """`queries.parks` with every industry named in each park's articles (for the filter box)."""
    q = queries.parks()
    sql = f"""
        SELECT v.*, coalesce(ia.words, '') AS industry_words
        FROM ({q.sql}) AS v LEFT JOIN (
            SELECT pi.park, string_agg({_INDUSTRY_WORDS}, ' ') AS words
            FROM (SELECT DISTINCT ap.park, im.industry FROM industry_mentions im JOIN article_parks ap USING (article_id))
                 AS pi JOIN industries i USING (industry)
            GROUP BY pi.park) AS ia USING (park)"""
    return Query(sql, q.params, order=q.order)


def industries_source() -> Query:
    """`queries.industries` with each industry's synonyms (for the filter box)."""
    q = queries.industries()
    sql = f"""SELECT v.*, coalesce(i.synonyms, '') AS synonyms
              FROM ({q.sql}) AS v LEFT JOIN industries i USING (industry)"""
    return Query(sql, q.params, order=q.order)


def parks_tab(text: str = "") -> Query:
    """Parks (the in-memory copy of `parks_source`), found by name, place, kind or any industry."""
    q = Query(f"SELECT * FROM {PARKS_SNAPSHOT}", {})
    return narrowed(q, text, ["park", "official_name", "kind", "province", "city", "top_industries",
                              "industry_words"], key="park")


def industries_tab(text: str = "") -> Query:
    """Industries (the in-memory copy of `industries_source`), found by id, name, synonym or top parks."""
    q = Query(f"SELECT * FROM {INDUSTRIES_SNAPSHOT}", {})
    return narrowed(q, text, ["industry", "name_zh", "name_en", "level", "top_parks", "synonyms"], key="industry")


# ---------------------------------------------------------------------------------------------
# Large views, read from the file


def figures_tab(text: str = "", metric: str = "") -> Query:
    """`queries.metrics`: every figure (park-less ones too), optionally of one metric, found by its
    short fields or its quote (`keyed.figure_filter`).

    The filter finds the figures in the `figures` table itself (where DuckDB tests each column
    as it scans it) rather than in the joined view, which is ten times slower on a million rows.
    The dashboard pages this view by key (`keyed.figure_keys`); this whole query is what it exports.
    """
    q = queries.metrics(queries.Filters(metric=[metric] if metric else (), scope="all"))
    found = keyed.figure_filter(None, text)
    if not found.where:
        return Query(q.sql, q.params, order='"figure_id" ASC')
    assert isinstance(q.params, dict)
    sql = (f"SELECT * FROM ({q.sql}) AS v WHERE v.figure_id IN "
           f"(SELECT f.figure_id FROM figures f{found.joins}{found.sql()})")
    return Query(sql, {**q.params, **found.params}, order='"figure_id" ASC')


def articles_tab(text: str = "") -> Query:
    """Articles found by title, subject or mentioned park, column, file or date (`keyed.article_filter`).

    Leaner than `queries.articles` (no list of every park per row, which costs a join over all
    mentions for each page); the article page shows that list.
    """
    found = keyed.article_filter(text)
    sql = f"""SELECT a.article_id, a.date, a.title, a.park, a.kicker, a.byline, a.source, a.chars, d.name AS file
              FROM articles a JOIN documents d ON d.doc_id = a.doc_id{found.joins}{found.sql()}"""
    return Query(sql, found.params, order='"article_id" ASC')


def compare_figure(con: duckdb.DuckDBPyConnection, park: str, metric: str, industry: str, basis: str,
                   period: str) -> tuple[int, int] | None:
    """(article_id, figure_id) of the figure a compare cell shows: the rule of `queries.compare`."""
    row = con.execute("""
        SELECT f.article_id, f.figure_id FROM figures f JOIN articles a USING (article_id)
        WHERE f.park = ? AND f.metric = ? AND coalesce(f.industry, '') = ? AND coalesce(f.basis, '') = ?
          AND coalesce(f.period, '') = ?
        ORDER BY f.status = 'actual' DESC, a.date DESC NULLS LAST, f.figure_id DESC LIMIT 1""",
                      [park, metric, industry, basis, period]).fetchone()
    return (int(row[0]), int(row[1])) if row else None


# ---------------------------------------------------------------------------------------------
# Metrics: the picker and the chart


@dataclass(slots=True)
class MetricChoice:
    metric: str
    name_zh: str
    name_en: str
    unit: str
    figures: int


def metric_choices(con: duckdb.DuckDBPyConnection) -> list[MetricChoice]:
    """Metrics that have at least one figure, most frequent first."""
    rows = con.execute("""
        SELECT f.metric, coalesce(m.name_zh, f.metric), coalesce(m.name_en, ''), coalesce(m.unit, ''),
               count(*) AS n
        FROM figures f LEFT JOIN metrics m USING (metric) GROUP BY ALL ORDER BY n DESC, f.metric""").fetchall()
    return [MetricChoice(*r) for r in rows]


@dataclass(slots=True)
class Bar:
    park: str
    value: float
    unit: str
    period: str
    figure_id: int
    article_id: int
    start: int


def metric_chart(con: duckdb.DuckDBPyConnection, metric: str, limit: int = 60) -> tuple[str, list[Bar]]:
    """The latest actual level figure of `metric` per park, all in one unit, largest first.

    The unit is the metric's canonical one when any figure uses it, else the most common; figures
    in other units are left out rather than mixed into one axis.
    """
    unit_row = con.execute("""
        SELECT f.unit FROM figures f LEFT JOIN metrics m USING (metric)
        WHERE f.metric = ? AND f.status = 'actual' AND f.basis = 'level' AND f.park <> ''
        GROUP BY f.unit, m.unit ORDER BY (f.unit = m.unit) DESC, count(*) DESC, f.unit LIMIT 1""",
                           [metric]).fetchone()
    if unit_row is None:
        return "", []
    unit = unit_row[0]
    rows = con.execute("""
        SELECT park, value, unit, period, figure_id, article_id, start_pos FROM (
            SELECT f.*, row_number() OVER (PARTITION BY f.park
                ORDER BY f.period DESC NULLS LAST, a.date DESC NULLS LAST, f.figure_id DESC) AS r
            FROM figures f JOIN articles a USING (article_id)
            WHERE f.metric = ? AND f.unit IS NOT DISTINCT FROM ? AND f.status = 'actual'
              AND f.basis = 'level' AND f.park <> '' AND f.value IS NOT NULL)
        WHERE r = 1 ORDER BY value DESC, park LIMIT ?""", [metric, unit, limit]).fetchall()
    return unit or "", [Bar(*r) for r in rows]


# ---------------------------------------------------------------------------------------------
# Detail pages


@dataclass(slots=True)
class FigureRow:
    figure_id: int
    article_id: int
    start: int
    end: int
    metric: str
    metric_name: str
    metric_group: str
    value: float | None
    value_max: float | None
    unit: str
    qualifier: str
    period: str
    basis: str
    status: str
    industry: str
    quote: str
    date: date | None
    source: str
    park: str = ""


@dataclass(slots=True)
class ArticleRow:
    article_id: int
    date: date | None
    title: str
    park: str
    source: str
    figures: int = 0


@dataclass(slots=True)
class ParkDetail:
    park: str
    official_name: str
    kind: str
    province: str
    city: str
    approved_year: int | None
    aliases: list[str]
    listed: bool
    figures: list[FigureRow] = field(default_factory=list)
    industries: list[tuple[str, str, int]] = field(default_factory=list)  # (id, name, articles)
    companies: list[tuple[str, int]] = field(default_factory=list)  # (name, articles)
    articles: list[ArticleRow] = field(default_factory=list)


_FIGURE_SELECT = """
    SELECT f.figure_id, f.article_id, f.start_pos, f.end_pos, f.metric, coalesce(m.name_zh, f.metric),
           coalesce(m.metric_group, ''), f.value, f.value_max, coalesce(f.unit, ''), coalesce(f.qualifier, '='),
           coalesce(f.period, ''), coalesce(f.basis, ''), coalesce(f.status, ''), coalesce(f.industry, ''),
           coalesce(f.quote, ''), a.date, d.name, coalesce(f.park, '')
    FROM figures f JOIN articles a USING (article_id) JOIN documents d USING (doc_id)
    LEFT JOIN metrics m USING (metric)"""


def park_detail(con: duckdb.DuckDBPyConnection, park: str, max_rows: int = 5000) -> ParkDetail | None:
    """Everything known about one park; None when the park is unknown."""
    row = con.execute("""SELECT park, coalesce(official_name, ''), coalesce(kind, ''), coalesce(province, ''),
                                coalesce(city, ''), approved_year, coalesce(aliases, ''), coalesce(listed, false)
                         FROM parks WHERE park = ?""", [park]).fetchone()
    if row is None:
        known = con.execute("SELECT 1 FROM article_parks WHERE park = ? LIMIT 1", [park]).fetchone()
        if known is None:
            return None
        row = (park, "", "", "", "", None, "", False)
    detail = ParkDetail(*row[:6], aliases=[a for a in row[6].split("|") if a], listed=row[7])
    res = run(con, queries.park_figures(park), limit=max_rows)
    detail.figures = [FigureRow(r["figure_id"], r["article_id"], r["start"], r["end"], r["metric"],
                                r["name_zh"] or r["metric"], "", r["value"], r["value_max"], r["unit"] or "",
                                r["qualifier"] or "=", r["period"] or "", r["basis"] or "", r["status"] or "",
                                r["industry"] or "", r["quote"] or "", r["date"], r["source"] or "", park)
                      for r in (dict(zip(res.columns, row, strict=True)) for row in res.rows)]
    detail.industries = [tuple(r) for r in con.execute("""
        SELECT im.industry, coalesce(i.name_zh, im.industry) AS name, count(DISTINCT im.article_id) AS n
        FROM industry_mentions im JOIN articles a USING (article_id) LEFT JOIN industries i USING (industry)
        WHERE a.park = ? GROUP BY im.industry, i.name_zh ORDER BY n DESC, name COLLATE zh""", [park]).fetchall()]
    detail.companies = [tuple(r) for r in con.execute("""
        SELECT company, count(DISTINCT article_id) AS n FROM company_mentions
        WHERE park = ? GROUP BY company ORDER BY n DESC, company COLLATE zh LIMIT ?""",
                                                      [park, max_rows]).fetchall()]
    detail.articles = [ArticleRow(*r) for r in con.execute("""
        SELECT a.article_id, a.date, a.title, coalesce(a.park, ''), d.name,
               (SELECT count(*) FROM figures f WHERE f.article_id = a.article_id AND f.park = ?)
        FROM article_parks ap JOIN articles a USING (article_id) JOIN documents d USING (doc_id)
        WHERE ap.park = ? ORDER BY a.date DESC NULLS LAST, a.article_id LIMIT ?""",
                                                       [park, park, max_rows]).fetchall()]
    return detail


@dataclass(slots=True)
class IndustryDetail:
    industry: str
    name_zh: str
    name_en: str
    level: str
    synonyms: list[str]
    parks: list[tuple[str, int, int, bool]] = field(default_factory=list)  # (park, articles, mentions, subject)
    articles: list[ArticleRow] = field(default_factory=list)


def industry_detail(con: duckdb.DuckDBPyConnection, industry: str, max_rows: int = 5000) -> IndustryDetail | None:
    row = con.execute("""SELECT industry, coalesce(name_zh, ''), coalesce(name_en, ''), coalesce(level, ''),
                                coalesce(synonyms, '') FROM industries WHERE industry = ?""", [industry]).fetchone()
    if row is None:  # a label the articles carry that the taxonomy lacks
        if con.execute("SELECT 1 FROM industry_mentions WHERE industry = ? LIMIT 1", [industry]).fetchone() is None:
            return None
        row = (industry, industry, "", "", "")
    detail = IndustryDetail(*row[:4], synonyms=[s for s in row[4].split("|") if s])
    detail.parks = [tuple(r) for r in run(con, queries.industry_parks(industry)).rows]
    detail.articles = [ArticleRow(*r) for r in con.execute("""
        SELECT a.article_id, a.date, a.title, coalesce(a.park, ''), d.name, count(*) AS n
        FROM industry_mentions im JOIN articles a USING (article_id) JOIN documents d USING (doc_id)
        WHERE im.industry = ? GROUP BY ALL ORDER BY a.date DESC NULLS LAST, a.article_id LIMIT ?""",
                                                       [industry, max_rows]).fetchall()]
    return detail


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str  # "figure" | "park" | "industry" | "company"
    label: str = ""
    figure_id: int | None = None


@dataclass(slots=True)
class ArticleDoc:
    article_id: int
    title: str
    text: str
    date: date | None
    park: str
    parks: list[str]
    source: str
    kicker: str
    byline: str
    blocks: list[tuple[str, int, int]]  # (kind, start, end)
    figures: list[FigureRow]
    spans: list[Span]  # recognised names, for a lighter highlight


def article(con: duckdb.DuckDBPyConnection, article_id: int) -> ArticleDoc | None:
    """An article as written, with the offsets of its figures and of the names recognised in it."""
    row = con.execute("""
        SELECT a.article_id, coalesce(a.title, ''), coalesce(a.text, ''), a.date, coalesce(a.park, ''),
               d.path, coalesce(a.kicker, ''), coalesce(a.byline, '')
        FROM articles a JOIN documents d USING (doc_id) WHERE a.article_id = ?""", [article_id]).fetchone()
    if row is None:
        return None
    aid, title, text, day, park, source, kicker, byline = row
    parks = [r[0] for r in con.execute(
        "SELECT park FROM article_parks WHERE article_id = ? ORDER BY rank", [aid]).fetchall()]
    blocks = [tuple(r) for r in con.execute(
        "SELECT kind, start_pos, end_pos FROM blocks WHERE article_id = ? ORDER BY seq", [aid]).fetchall()]
    figures = [FigureRow(*r) for r in con.execute(
        _FIGURE_SELECT + " WHERE f.article_id = ? ORDER BY f.start_pos, f.figure_id", [aid]).fetchall()]
    spans = [Span(s, e, kind, label) for kind, s, e, label in con.execute("""
        SELECT 'park', start_pos, end_pos, park FROM park_mentions WHERE article_id = ?
        UNION ALL SELECT 'industry', start_pos, end_pos, industry FROM industry_mentions WHERE article_id = ?
        UNION ALL SELECT 'company', start_pos, end_pos, company FROM company_mentions WHERE article_id = ?
        ORDER BY 2, 3""", [aid, aid, aid]).fetchall()]
    return ArticleDoc(aid, title, text, day, park, parks, source, kicker, byline, blocks, figures, spans)
