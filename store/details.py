"""The dashboard's own queries: tab listings, detail pages, the article with its figures, charts.

The tabs page through large results, so each listing is a `Query` that `window` sorts and slices
inside DuckDB; detail pages are small and come back as records. Text filters are bound parameters,
split on spaces into terms that must all match somewhere in the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from .queries import Query, QueryError, Result, Where, _ident, column_types, stream

# ---------------------------------------------------------------------------------------------
# Paging


def window(con: duckdb.DuckDBPyConnection, q: Query, sort: str = "", desc: bool = False,
           limit: int | None = None, offset: int = 0, tiebreak: Sequence[str] = ()) -> Result:
    """Like `queries.run`, with a unique tie-break so that LIMIT/OFFSET pages never overlap.

    DuckDB sorts in parallel and does not keep ties in a fixed order, so without the tie-break a
    row could appear on two pages (or none) when the sort column has equal values.
    """
    types = column_types(con, q)
    for col in [*([sort] if sort else []), *tiebreak]:
        if col not in types:
            raise QueryError(f"unknown column {col!r}; columns are: {', '.join(types)}")
    keys = []
    if sort:
        collate = " COLLATE zh" if types[sort] == "VARCHAR" else ""
        keys.append(f"{_ident(sort)}{collate} {'DESC' if desc else 'ASC'} NULLS LAST")
    keys += [f"{_ident(c)} ASC NULLS LAST" for c in tiebreak if c != sort]
    sql = f"SELECT * FROM ({q.sql}) AS q"
    if keys:
        sql += " ORDER BY " + ", ".join(keys)
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    if offset:
        sql += f" OFFSET {int(offset)}"
    return stream(con, sql, q.params)


def _terms(text: str) -> list[str]:
    return [t.lower() for t in text.split() if t]


def _match_all(w: Where, haystack: str, text: str) -> None:
    """Every space-separated term of `text` must occur (case-insensitively) in `haystack`."""
    for term in _terms(text):
        w.add(f"contains(lower({haystack}), ?)", term)


def _joined(*exprs: str) -> str:
    return " || ' ' || ".join(f"coalesce(CAST({e} AS VARCHAR), '')" for e in exprs)


# ---------------------------------------------------------------------------------------------
# Tab listings


def parks_overview(text: str = "") -> Query:
    """One row per park that has articles or figures: where it is, how much we know, top industries."""
    w = Where()
    w.add("(coalesce(ap.articles, 0) > 0 OR coalesce(fg.figures, 0) > 0)")
    _match_all(w, _joined("p.park", "p.official_name", "p.province", "p.city", "p.kind", "p.aliases",
                          "ia.names"), text)
    sql = f"""
        WITH ap AS (SELECT park, count(DISTINCT article_id) AS articles FROM article_parks GROUP BY park),
        fg AS (SELECT park, count(*) AS figures, count(DISTINCT metric) AS metrics
               FROM figures WHERE park <> '' GROUP BY park),
        pi AS (SELECT a.park, coalesce(i.name_zh, im.industry) AS name, im.industry, count(*) AS n
               FROM industry_mentions im JOIN articles a USING (article_id)
               LEFT JOIN industries i USING (industry)
               WHERE a.park <> '' GROUP BY ALL),
        top AS (SELECT park, string_agg(name, '、' ORDER BY n DESC, name) AS industries
                FROM (SELECT *, row_number() OVER (PARTITION BY park ORDER BY n DESC, name) AS r FROM pi)
                WHERE r <= 3 GROUP BY park),
        ia AS (SELECT park, string_agg(name || ' ' || industry, ' ') AS names FROM pi GROUP BY park)
        SELECT p.park, p.province, p.kind, coalesce(ap.articles, 0) AS articles,
               coalesce(fg.metrics, 0) AS metrics, coalesce(fg.figures, 0) AS figures,
               coalesce(top.industries, '') AS industries, p.official_name, p.city
        FROM parks p LEFT JOIN ap USING (park) LEFT JOIN fg USING (park) LEFT JOIN top USING (park)
        LEFT JOIN ia USING (park){w.sql()}"""
    return Query(sql, w.params)


def industries_overview(text: str = "") -> Query:
    """Every industry of the taxonomy with how many parks and articles mention it."""
    w = Where()
    _match_all(w, _joined("i.industry", "i.name_zh", "i.name_en", "i.synonyms"), text)
    sql = f"""
        WITH m AS (SELECT im.industry, count(*) AS mentions, count(DISTINCT im.article_id) AS articles,
                          count(DISTINCT nullif(a.park, '')) AS parks
                   FROM industry_mentions im JOIN articles a USING (article_id) GROUP BY im.industry)
        SELECT i.industry, i.name_zh, i.name_en, i.level, coalesce(m.parks, 0) AS parks,
               coalesce(m.articles, 0) AS articles, coalesce(m.mentions, 0) AS mentions
        FROM industries i LEFT JOIN m USING (industry){w.sql()}"""
    return Query(sql, w.params)


FIGURE_COLUMNS = """f.figure_id, f.park, coalesce(m.name_zh, f.metric) AS metric_name, f.metric,
    f.value, f.value_max, f.unit, f.qualifier, f.period, f.basis, f.status, f.industry,
    d.name AS source, a.date, a.title, f.quote, f.article_id, f.start_pos, f.end_pos"""


def figures_view(text: str = "", metric: str = "") -> Query:
    """Every figure, optionally of one metric, filtered by park, metric, period, status or quote."""
    w = Where()
    if metric:
        w.add("f.metric = ?", metric)
    _match_all(w, _joined("f.park", "f.metric", "m.name_zh", "m.name_en", "f.period", "f.status",
                          "f.basis", "d.name", "f.quote"), text)
    sql = f"""
        SELECT {FIGURE_COLUMNS}
        FROM figures f JOIN articles a USING (article_id) JOIN documents d USING (doc_id)
        LEFT JOIN metrics m USING (metric){w.sql()}"""
    return Query(sql, w.params)


def articles_view(text: str = "") -> Query:
    """Articles filtered by title, park (subject or mentioned), kicker or source file."""
    w = Where()
    _match_all(w, _joined("a.title", "a.kicker", "a.park", "d.name", "ap.parks", "a.date"), text)
    sql = f"""
        WITH ap AS (SELECT article_id, string_agg(park, '、' ORDER BY rank) AS parks
                    FROM article_parks GROUP BY article_id),
        fc AS (SELECT article_id, count(*) AS figures FROM figures GROUP BY article_id)
        SELECT a.article_id, a.date, a.title, a.park, coalesce(ap.parks, '') AS parks,
               coalesce(fc.figures, 0) AS figures, a.chars, d.name AS source, a.kicker
        FROM articles a JOIN documents d USING (doc_id) LEFT JOIN ap USING (article_id)
        LEFT JOIN fc USING (article_id){w.sql()}"""
    return Query(sql, w.params)


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
    detail.figures = [FigureRow(*r) for r in con.execute(
        _FIGURE_SELECT + """ WHERE f.park = ?
        ORDER BY coalesce(m.metric_group, ''), coalesce(m.name_zh, f.metric), f.period DESC NULLS LAST,
                 a.date DESC NULLS LAST, f.figure_id LIMIT ?""", [park, max_rows]).fetchall()]
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
    parks: list[tuple[str, str, int, int]] = field(default_factory=list)  # (park, province, articles, mentions)
    articles: list[ArticleRow] = field(default_factory=list)


def industry_detail(con: duckdb.DuckDBPyConnection, industry: str, max_rows: int = 5000) -> IndustryDetail | None:
    row = con.execute("""SELECT industry, coalesce(name_zh, ''), coalesce(name_en, ''), coalesce(level, ''),
                                coalesce(synonyms, '') FROM industries WHERE industry = ?""", [industry]).fetchone()
    if row is None:
        return None
    detail = IndustryDetail(*row[:4], synonyms=[s for s in row[4].split("|") if s])
    detail.parks = [tuple(r) for r in con.execute("""
        SELECT a.park, coalesce(p.province, ''), count(DISTINCT im.article_id) AS n, count(*) AS mentions
        FROM industry_mentions im JOIN articles a USING (article_id) LEFT JOIN parks p ON p.park = a.park
        WHERE im.industry = ? AND a.park <> '' GROUP BY a.park, p.province ORDER BY n DESC, a.park COLLATE zh""",
                                                    [industry]).fetchall()]
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


# ---------------------------------------------------------------------------------------------
# Compare


@dataclass(slots=True)
class Cell:
    """The figure shown for one park and metric, and whether other sources disagree with it."""

    figure: FigureRow
    others: list[FigureRow] = field(default_factory=list)  # same period, different value

    @property
    def conflict(self) -> bool:
        return bool(self.others)


@dataclass(slots=True)
class CompareRow:
    metric: str
    metric_name: str
    unit: str
    cells: dict[str, Cell]


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b))


def compare(con: duckdb.DuckDBPyConnection, parks: Sequence[str]) -> list[CompareRow]:
    """One row per metric: each park's latest actual level figure, with disagreeing figures for that period."""
    if not parks:
        return []
    figures = [FigureRow(*r) for r in con.execute(
        _FIGURE_SELECT + """ WHERE f.park IN (SELECT unnest(?::VARCHAR[])) AND f.status = 'actual'
        AND f.basis = 'level' AND f.value IS NOT NULL
        ORDER BY coalesce(m.metric_group, ''), f.metric, f.period DESC NULLS LAST, a.date DESC NULLS LAST,
                 f.figure_id""", [list(parks)]).fetchall()]
    rows: dict[str, CompareRow] = {}
    for f in figures:
        row = rows.setdefault(f.metric, CompareRow(f.metric, f.metric_name, f.unit, {}))
        cell = row.cells.get(f.park)
        if cell is None:
            if f.unit == row.unit or not row.cells:
                row.unit = f.unit
                row.cells[f.park] = Cell(f)
        elif (f.period == cell.figure.period and f.unit == cell.figure.unit
              and _differs(f.value, cell.figure.value) and not any(not _differs(f.value, o.value) for o in cell.others)):
            cell.others.append(f)
    return list(rows.values())
