"""The dashboard's own queries: tab listings, detail pages, the article with its figures, charts.

The tabs show the shared views of `queries` (the same rows as `parks query`), narrowed by the
filter box and paged with `queries.run`; detail pages are small and come back as records. Text
filters are bound parameters, split on spaces into terms that must all match somewhere in the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from . import queries
from .queries import Query, _ident, run

# ---------------------------------------------------------------------------------------------
# Tab listings: the shared views of `queries`, narrowed by the filter box


def _terms(text: str) -> list[str]:
    return [t.lower() for t in text.split() if t]


def narrowed(q: Query, text: str, columns: Sequence[str], also: str = "") -> Query:
    """`q` keeping the rows where every space-separated term of `text` occurs in one of `columns`.

    Terms match case-insensitively anywhere in the row's text; `also` is an extra SQL condition
    with `{t}` where the term goes (e.g. to find a park by any industry named in its articles).
    The view's own order (its tie-breaks) is kept, so paging stays stable.
    """
    terms = _terms(text)
    if not terms:
        return q
    hay = "lower(concat_ws(' ', " + ", ".join(f"CAST(v.{_ident(c)} AS VARCHAR)" for c in columns) + "))"
    named = isinstance(q.params, dict)
    params: dict | list = dict(q.params) if named else list(q.params)
    conds = []
    for i, term in enumerate(terms):
        if named:
            ref = f"$narrow{i}"
            params[f"narrow{i}"] = term  # type: ignore[index]
            uses = 1
        else:
            ref = "?"
            uses = 1 + (also.count("{t}") if also else 0)
            params.extend([term] * uses)  # type: ignore[union-attr]
        cond = f"contains({hay}, {ref})"
        if also:
            cond = f"({cond} OR {also.format(t=ref)})"
        conds.append(cond)
    sql = f"SELECT * FROM ({q.sql}) AS v WHERE " + " AND ".join(conds)
    return Query(sql, params, order=q.order)


_INDUSTRY_MATCH = """lower(concat_ws(' ', i.industry, i.name_zh, i.name_en, i.synonyms))"""


def parks_tab(text: str = "") -> Query:
    """`queries.parks`, found by name, place, kind, top industries or any industry in their articles."""
    return narrowed(queries.parks(), text, ["park", "official_name", "kind", "province", "city", "top_industries"],
                    also="v.park IN (SELECT ap.park FROM industry_mentions im JOIN article_parks ap USING (article_id) "
                         f"JOIN industries i USING (industry) WHERE contains({_INDUSTRY_MATCH}, {{t}}))")


def industries_tab(text: str = "") -> Query:
    """`queries.industries`, found by id, Chinese or English name, synonym or top parks."""
    return narrowed(queries.industries(), text, ["industry", "name_zh", "name_en", "level", "top_parks"],
                    also=f"v.industry IN (SELECT industry FROM industries i WHERE contains({_INDUSTRY_MATCH}, {{t}}))")


def figures_tab(text: str = "", metric: str = "") -> Query:
    """`queries.metrics` (every figure, park-less ones too), optionally of one metric, found by any field."""
    f = queries.Filters(metric=[metric] if metric else (), scope="all")
    q = narrowed(queries.metrics(f), text, ["park", "metric", "name_zh", "name_en", "period", "status", "basis",
                                            "industry", "source", "quote", "title"])
    # park_sort: figures of no park (a city's, the country's) sort after the parks either way
    return Query(f"SELECT *, nullif(park, '') AS park_sort FROM ({q.sql}) AS w", q.params, order=q.order)


def articles_tab(text: str = "") -> Query:
    """`queries.articles`, found by title, park, kicker, byline, file or date."""
    return narrowed(queries.articles(), text, ["title", "park", "parks", "kicker", "byline", "file", "date"])


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
