"""The dashboard's two large views (every figure, every article) paged by key.

A page of a million figures sorted and filtered is found in two steps: the keys of the matching
rows with the one value they sort by (`Keys`, read from as few tables as the sort and the filter
need: sorting figures by value never joins the articles), then the whole rows of the page's keys
from the shared view (`queries.metrics`, `details.articles_tab`). Text columns with few distinct
values sort by the pinyin rank of those values, computed over the small table of distinct values,
and every order ends with the key, so paging with OFFSET is stable. When a filter is set, its
matches are kept once (a materialised CTE) for both the count and the page.

The figures filter looks in each figure's quote only for a word written in quotes ("光伏"): on
a million figures reading the quotes costs more than all the rest (about 45 ms with the quote
column in DuckDB's memory, 100 ms when it is read afresh, which is every time the dashboard
reopens the file after a pause), and would take a plain filter past the 200 ms a key may take.
When the search index is there (store/search_index.py) the quotes are read only in the articles
the index says contain the word (`_indexed_articles`); the index is built from the article's
text, so a word that spans a line break of the page (the quote joins the lines) is only found
when the index is missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from .queries import Query, _ident, stream

# ---------------------------------------------------------------------------------------------
# Keys, a page of them, and the rows of a page


@dataclass(slots=True)
class Keys:
    """The matching rows of a large view and what they sort by.

    `rows` selects `k` (the view's unique key) and the columns the sort needs of the rows that pass
    the filter; `sort` selects `k` and `s` (the sort value) from those rows, named `m`; `text`: `s` is
    text, compared by pinyin; `filtered`: a filter narrows the rows."""

    rows: str
    sort: str
    params: dict = field(default_factory=dict)
    text: bool = False
    filtered: bool = False


def count(con: duckdb.DuckDBPyConnection, keys: Keys) -> int:
    return int(con.execute(f"SELECT count(*) FROM ({keys.rows}) AS m", keys.params).fetchone()[0])


def key_page(con: duckdb.DuckDBPyConnection, keys: Keys, *, desc: bool = False, offset: int = 0,
             limit: int | None = None, with_count: bool = False) -> tuple[int | None, list]:
    """(how many rows match when `with_count`, else None; the keys of the page in order).

    NULL sorts last either way round, then the key ascending breaks ties. With a filter the
    matching rows are found once (a materialised CTE), then counted and sorted."""
    order = f"x.s{' COLLATE zh' if keys.text else ''} {'DESC' if desc else 'ASC'} NULLS LAST, x.k ASC"
    shape = (f" LIMIT {int(limit)}" if limit is not None else "") + (f" OFFSET {int(offset)}" if offset else "")
    counted = with_count and keys.filtered
    sql = (f"WITH m AS {'MATERIALIZED' if keys.filtered else 'NOT MATERIALIZED'} ({keys.rows}), x AS ({keys.sort}) "
           f"SELECT x.k{', (SELECT count(*) FROM m)' if counted else ''} FROM x ORDER BY {order}{shape}")
    rows = con.execute(sql, keys.params).fetchall()
    if counted:
        n = rows[0][1] if rows else (0 if not offset else count(con, keys))
    else:
        n = count(con, keys) if with_count else None
    return n, [r[0] for r in rows]


def rows_by_key(con: duckdb.DuckDBPyConnection, q: Query, key: str, ids: Sequence, columns: Sequence[str] = ()
                ) -> list[dict]:
    """The rows of `q` whose `key` is one of `ids`, in the order of `ids`; only `columns` (and the key)
    when given, so a long text that is not shown is not read."""
    if not ids:
        return []
    assert isinstance(q.params, dict), "rows_by_key needs named parameters"
    select = ", ".join(f"v.{_ident(c)}" for c in dict.fromkeys([key, *columns])) if columns else "v.*"
    result = stream(con, f"SELECT {select} FROM ({q.sql}) AS v WHERE v.{_ident(key)} IN (SELECT unnest($page_keys))",
                    {**q.params, "page_keys": list(ids)})
    names = result.columns
    at = names.index(key)
    found = {r[at]: dict(zip(names, r, strict=True)) for r in result.rows}
    return [found[k] for k in ids if k in found]


# ---------------------------------------------------------------------------------------------
# Sorting: the columns of the matching rows `m` it needs, and the tables it joins


@dataclass(slots=True)
class _Sort:
    needs: list[str]  # columns of the base table the sort reads (as m.<name>)
    expr: str  # the sort value
    joins: str = ""
    text: bool = False


def _rank(values_sql: str) -> str:
    """(k, rk): the pinyin rank of each distinct non-empty text of `values_sql` (one column `k`):
    collating a few hundred distinct values costs far less than collating a million rows."""
    return f"""(SELECT k, dense_rank() OVER (ORDER BY k COLLATE zh) AS rk
               FROM (SELECT DISTINCT CAST(k AS VARCHAR) AS k FROM ({values_sql}) AS ranked
                     WHERE coalesce(CAST(k AS VARCHAR), '') <> ''))"""


def _ranked(column: str) -> _Sort:
    """By the rank of the matching rows' own `column` (empty text last, like NULL)."""
    col = _ident(column)
    return _Sort([column], "r.rk", f" LEFT JOIN {_rank(f'SELECT {col} AS k FROM m')} AS r ON r.k = m.{col}")


_FIGURE_RANKED = ("park", "metric", "unit", "period", "basis", "status", "industry", "qualifier")
_FIGURE_VALUES = {"value": "value", "value_max": "value_max", "figure_id": "figure_id", "article_id": "article_id",
                  "start": "start_pos", "end": "end_pos", "period_inferred": "period_inferred"}
_FIGURE_ARTICLE = " JOIN articles a ON a.article_id = m.article_id"


def _figure_sort(sort: str) -> _Sort | None:
    """How the figures sort by a column of the metrics view (None: a column this does not know)."""
    if sort in _FIGURE_RANKED:
        return _ranked(sort)
    if sort in _FIGURE_VALUES or not sort:
        column = _FIGURE_VALUES.get(sort, "figure_id")
        return _Sort([column], f"m.{_ident(column)}")
    if sort in ("quote", "number_text"):
        return _Sort([sort], f"m.{_ident(sort)}", text=True)
    if sort in ("name_zh", "name_en"):  # ranked in the metrics table: equal names share a rank
        rank = f"""(SELECT metric, dense_rank() OVER (ORDER BY {sort} COLLATE zh) AS rk FROM metrics
                    WHERE coalesce({sort}, '') <> '')"""
        return _Sort(["metric"], "r.rk", f" LEFT JOIN {rank} AS r ON r.metric = m.metric")
    if sort == "date":
        return _Sort(["article_id"], "a.date", _FIGURE_ARTICLE)
    if sort == "title":
        return _Sort(["article_id"], "a.title", _FIGURE_ARTICLE, text=True)
    if sort == "source":
        rank = _rank("SELECT source AS k FROM articles")  # a few ten thousand files: cheaper than the matches
        return _Sort(["article_id"], "r.rk", f"{_FIGURE_ARTICLE} LEFT JOIN {rank} AS r ON r.k = a.source")
    return None


def _article_sort(sort: str) -> _Sort | None:
    """How the articles sort by a column of the articles tab (None: a column this does not know)."""
    if sort in ("date", "chars", "seq", "article_id", "doc_id") or not sort:
        column = sort or "article_id"
        return _Sort([column], f"m.{_ident(column)}")
    if sort in ("title", "byline", "source"):
        return _Sort([sort], f"m.{_ident(sort)}", text=True)
    if sort in ("park", "kicker", "file"):
        return _ranked(sort)
    return None


# ---------------------------------------------------------------------------------------------
# Filtering


def terms(text: str) -> list[str]:
    """The filter box's words: all must match; Latin letters match whatever their case."""
    return [t.lower() for t in text.split() if t]


_QUOTE_MARKS = "\"“”「」"


def quoted_terms(text: str) -> list[tuple[str, bool]]:
    """(word, written in quotes) for each word of the filter box; quote marks around a word (or at
    either end of a quoted run of words: "光伏 装机") are not part of it."""
    out = []
    for word in terms(text):
        bare = word.strip(_QUOTE_MARKS)
        if bare:
            out.append((bare, bare != word))
    return out


_LATIN = re.compile(r"[A-Za-z]")


def _folded(expr: str, term: str) -> str:
    """`expr` as a term is compared with: lower-cased only for a Latin term (Chinese has no case)."""
    return f"lower({expr})" if _LATIN.search(term) else expr


def _regex(term: str) -> str:
    """A case-blind RE2 pattern matching `term` literally (ASCII punctuation escaped)."""
    return "(?i)" + "".join("\\" + ch if ch.isascii() and not ch.isalnum() else ch for ch in term)


def _indexed_articles(con: duckdb.DuckDBPyConnection | None, term: str) -> str | None:
    """SQL for the articles that may contain `term` by the search index, every article the index has
    not cut into keys yet included; None when the index cannot narrow it (no index, or a term of
    punctuation only)."""
    if con is None:
        return None
    try:
        from .search_syntax import Term, fold, normalize_query

        t = Term(fold(normalize_query(term)))
        keys, char = t.keys, t.char
        indexed = con.execute("SELECT 1 FROM search_docs WHERE live LIMIT 1").fetchone()
        con.execute("SELECT 1 FROM search_pending, search_postings LIMIT 0")
    except (ImportError, AttributeError, TypeError, ValueError, duckdb.Error):
        return None
    if indexed is None:  # nothing indexed (a database written before the index): every quote is read
        return None
    if keys:
        postings = " INTERSECT ".join(f"SELECT sdoc FROM search_postings WHERE g = {int(k)}" for k in keys)
    elif char is not None:
        lo, hi = char << 21, (char << 21) | 0x1FFFFF
        postings = f"SELECT sdoc FROM search_postings WHERE g BETWEEN {lo} AND {hi}"
    else:
        return None
    return f"""SELECT d.article_id FROM search_docs d
               WHERE d.live AND (d.sdoc IN ({postings}) OR d.sdoc IN (SELECT sdoc FROM search_pending))
               UNION SELECT a.article_id FROM articles a
               WHERE a.article_id NOT IN (SELECT article_id FROM search_docs WHERE live)"""


@dataclass(slots=True)
class _Filter:
    joins: str = ""
    where: list[str] = field(default_factory=list)
    params: dict = field(default_factory=dict)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.where) if self.where else ""


def figure_filter(con: duckdb.DuckDBPyConnection | None, text: str, metric: str = "") -> _Filter:
    """The metrics tab's filter over `figures f`: every word in a short field (park, metric and its
    names, period, status, basis, industry, unit), a word written in quotes also in the figure's
    quote; `metric` keeps one metric."""
    out = _Filter()
    if metric:
        out.where.append("f.metric = $metric")
        out.params["metric"] = metric
    for i, (term, in_quote) in enumerate(quoted_terms(text)):
        ref = f"$t{i}"
        out.params[f"t{i}"] = term
        tests = [f"contains(f.{c}, {ref})" for c in ("park", "period", "status", "basis", "industry", "metric")]
        tests.append(f"contains(lower(f.unit), {ref})")
        named = f"SELECT metric FROM metrics WHERE contains(lower(concat_ws(' ', metric, name_zh, name_en)), {ref})"
        if con is None:
            tests.append(f"f.metric IN ({named})")
        else:  # a handful of metrics: listed now, a join over every figure saved
            found = [r[0] for r in con.execute(named.replace(ref, "?"), [term]).fetchall()]
            if found:
                out.params[f"m{i}"] = found
                tests.append(f"list_contains($m{i}::VARCHAR[], f.metric)")
        if in_quote:
            tests.append(_quote_test(con, out, i, term))
        out.where.append("(" + " OR ".join(tests) + ")")
    return out


def _quote_test(con: duckdb.DuckDBPyConnection | None, out: _Filter, i: int, term: str) -> str:
    """The test of term `i` in the figure's quote (adding to `out` the join and parameter it needs)."""
    if _LATIN.search(term):
        out.params[f"re{i}"] = _regex(term)
        quote = f"regexp_matches(f.quote, $re{i})"  # case-blind, and cheaper than lower() on every quote
    else:
        quote = f"contains(f.quote, $t{i})"
    indexed = _indexed_articles(con, term)
    if indexed is None:
        return quote
    out.joins += (f" LEFT JOIN (SELECT DISTINCT article_id, true AS hit FROM ({indexed})) AS q{i}"
                  f" ON q{i}.article_id = f.article_id")
    return f"CASE WHEN q{i}.hit THEN {quote} ELSE false END"  # quotes read only where the index found the word


def article_filter(text: str) -> _Filter:
    """The articles tab's filter over `articles a JOIN documents d`: every term in the title, the
    subject park, the column, the file name, the date or a park the article names (a word in quotes
    the same, as on the metrics tab)."""
    out = _Filter()
    for i, (term, _) in enumerate(quoted_terms(text)):
        ref = f"$t{i}"
        out.params[f"t{i}"] = term
        tests = [f"contains({_folded(f'coalesce(CAST({c} AS VARCHAR), {chr(39) * 2})', term)}, {ref})"
                 for c in ("a.title", "a.park", "a.kicker", "d.name", "a.date")]
        tests.append(f"a.article_id IN (SELECT article_id FROM article_parks WHERE contains(park, {ref}))")
        out.where.append("(" + " OR ".join(tests) + ")")
    return out


# ---------------------------------------------------------------------------------------------
# The two views


def figure_keys(con: duckdb.DuckDBPyConnection | None, text: str = "", metric: str = "", sort: str = ""
                ) -> Keys | None:
    """Keys of the metrics tab (every figure, park-less ones too); None for a sort it cannot do."""
    how = _figure_sort(sort)
    if how is None:
        return None
    f = figure_filter(con, text, metric)
    columns = "".join(f", f.{_ident(c)}" for c in dict.fromkeys(how.needs))
    rows = f"SELECT f.figure_id AS k{columns} FROM figures f{f.joins}{f.sql()}"
    return Keys(rows, f"SELECT m.k, {how.expr} AS s FROM m{how.joins}", f.params, text=how.text,
                filtered=bool(f.where))


_ARTICLE_COLUMNS = {"file": "d.name"}


def article_keys(text: str = "", sort: str = "") -> Keys | None:
    """Keys of the articles tab; None for a sort it cannot do."""
    how = _article_sort(sort)
    if how is None:
        return None
    f = article_filter(text)
    columns = "".join(f", {_ARTICLE_COLUMNS.get(c, f'a.{_ident(c)}')} AS {_ident(c)}" for c in dict.fromkeys(how.needs))
    rows = f"SELECT a.article_id AS k{columns} FROM articles a JOIN documents d ON d.doc_id = a.doc_id{f.joins}{f.sql()}"
    return Keys(rows, f"SELECT m.k, {how.expr} AS s FROM m{how.joins}", f.params, text=how.text,
                filtered=bool(f.where))
