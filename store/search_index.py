"""The inverted index behind search: character pairs of every article, kept in our own tables.

Why pairs and not jieba tokens: search must return exactly the articles whose text contains the
words (光伏 inside 光伏发电 included), and an index of every character with its successor answers that
for any word, however jieba would cut it (store/search_syntax.py says how a word maps to keys). It
also needs no jieba at ingest: DuckDB cuts the text into keys itself, vectorised, in SQL, which
costs about 0.13 s of CPU per MB of text (jieba.lcut alone takes about 0.8).

Why not DuckDB's fts extension: it is not in the wheel and must be downloaded, which fails offline.

Tables (documented for `parks query sql --schema` in SEARCH_COLUMN_DOCS):
  search_docs      one row per indexed article: our doc number `sdoc`, its article, length, title
                   length, date; `live` false once the article was replaced
  search_pending   articles registered but not yet cut into keys (searched by reading their text)
  search_postings  (g, sdoc, tf, ttf, run, article_id, date, dl): how often key g occurs in the
                   article and in its title, with what ranking needs of the article. Rows are appended
                   in runs, each sorted by key, so that DuckDB's zone maps find a key's rows by
                   skipping every row group whose key range cannot hold it
  search_runs      (run, postings, docs)

Writing: a document's transaction registers its articles in search_docs and search_pending, so a
search sees them at once and exactly (by reading their text). `finish_ingest`, once per ingest run,
cuts all pending articles into keys (DuckDB's hash aggregation, FOLD_CHARS characters per statement)
and writes them as one sorted run, in one transaction, with DuckDB's memory bounded to FOLD_MEMORY
(it spills to disk beyond). Runs are then merged like a binary counter (the newest run with the one
before it while that one is at most twice as big), so a database has a few runs and a search reads
a key in a few row groups; merging everything also drops the postings of replaced articles. A crash
before the fold leaves pending articles searchable, only slower, until the next ingest folds them.

Doc numbers are ours rather than article ids because the store may hand out an article id again
after the article it belonged to was deleted, while that article's postings are still in a run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import duckdb

from .db import current_setting, rollback, temporary_settings
from .ingest_util import insert_rows
from .search_syntax import NOISE

SEARCH_TABLES: dict[str, str] = {
    "search_docs": "sdoc BIGINT, article_id BIGINT, dl INTEGER, tlen INTEGER, date DATE, live BOOLEAN",
    "search_pending": "sdoc BIGINT",
    "search_postings": "g BIGINT, sdoc BIGINT, tf INTEGER, ttf INTEGER, run INTEGER, article_id BIGINT, date DATE, "
                       "dl INTEGER",
    "search_runs": "run INTEGER, postings BIGINT, docs BIGINT",
}

SEARCH_TABLE_DOCS: dict[str, str] = {
    "search_docs": "articles known to the search index (one row each, with our own doc number)",
    "search_pending": "articles registered but not yet cut into keys (searched by reading their text)",
    "search_postings": "the inverted index: per character pair and article, how often it occurs",
    "search_runs": "the batches the postings were written in",
}
SEARCH_COLUMN_DOCS: dict[str, str] = {
    "search_docs.sdoc": "search doc number (never reused while postings refer to it)",
    "search_docs.article_id": "article id", "search_docs.dl": "length of articles.norm",
    "search_docs.tlen": "length of the title", "search_docs.date": "publication date",
    "search_docs.live": "false once the article was replaced (its postings go at the next full merge)",
    "search_pending.sdoc": "search doc number",
    "search_postings.g": "key: (a << 21) | b for character a followed by b (0: noise or the end; ASCII lower-cased)",
    "search_postings.sdoc": "search doc number", "search_postings.tf": "occurrences in the text",
    "search_postings.ttf": "occurrences starting in the title", "search_postings.run": "run it was written in",
    "search_postings.article_id": "the article (copied from search_docs: a search reads no other table)",
    "search_postings.date": "its publication date (copied likewise)", "search_postings.dl": "its length (likewise)",
    "search_runs.run": "run", "search_runs.postings": "rows in search_postings",
    "search_runs.docs": "articles cut into keys for it",
}

FOLD_CHARS = 1_500_000  # characters cut into keys per statement (bounds DuckDB's hash table)
FOLD_MEMORY = "256MB"  # DuckDB's memory while folding; beyond it, it spills to disk
RUN_DOCS = 100_000  # articles per run written by one fold
RUNS_MAX = 6  # more runs than this are merged whatever their sizes
DEAD_SHARE = 0.25  # this share of replaced articles, and everything is merged into one run


def index_articles(con: duckdb.DuckDBPyConnection, items: list[tuple[int, str, str, date | None]]) -> None:
    """Register (article_id, normalised title, normalised text, date) inside the caller's transaction.

    The rows are made here from what the caller holds, not read back from `articles` (a scan of a
    table that grows with every group). The keys are cut at the end of the ingest
    (`finish_ingest`); until then a search reads these articles' text."""
    if not items:
        return
    start = _next_sdoc(con)
    rows = [(start + i, int(aid), len(norm or ""), len(title or ""), day, True)
            for i, (aid, title, norm, day) in enumerate(sorted(items, key=lambda item: item[0]))]
    insert_rows(con, "search_docs", rows)
    insert_rows(con, "search_pending", [(r[0],) for r in rows])


def delete_articles(con: duckdb.DuckDBPyConnection, article_ids: list[int]) -> None:
    """Forget articles inside the caller's transaction; their postings go at the next full merge."""
    if not article_ids:
        return
    ids = [int(i) for i in article_ids]
    doomed = "SELECT sdoc FROM search_docs WHERE article_id IN (SELECT unnest(?::BIGINT[])) AND live"
    con.execute(f"DELETE FROM search_docs WHERE sdoc IN ({doomed} AND sdoc IN (SELECT sdoc FROM search_pending))",
                [ids])
    con.execute("DELETE FROM search_pending WHERE sdoc NOT IN (SELECT sdoc FROM search_docs)")
    con.execute(f"UPDATE search_docs SET live = false WHERE sdoc IN ({doomed})", [ids])


def finish_ingest(con: duckdb.DuckDBPyConnection) -> None:
    """Cut every pending article into keys and keep the runs few; outside any document transaction.

    Each step is a transaction of its own, run with DuckDB's memory lowered to FOLD_MEMORY (its
    hash tables and sorts spill to disk beyond it, so an ingest of any size stays within a laptop's
    memory); a step that still runs out, say for one enormous article, runs again with the
    connection's own limit."""
    own = current_setting(con, "memory_limit")

    def step(fn: Callable[[], bool]) -> bool:
        try:
            with _transaction(con):
                return fn()
        except duckdb.OutOfMemoryException:
            with temporary_settings(con, memory_limit=own), _transaction(con):
                return fn()

    with temporary_settings(con, memory_limit=FOLD_MEMORY):
        step(lambda: _register(con, "a.article_id NOT IN (SELECT article_id FROM search_docs WHERE live)", []))
        while step(lambda: _fold(con, RUN_DOCS)):
            pass
        merge = _merge_plan(con)
        if merge:
            step(lambda: _merge(con, *merge))


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Index every article from scratch (for a database whose index was lost or damaged)."""
    with _transaction(con):
        for table in SEARCH_TABLES:
            con.execute(f"DELETE FROM {table}")
    finish_ingest(con)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """A transaction of our own, or the caller's when one is already open."""
    try:
        con.execute("BEGIN")
    except duckdb.TransactionException:
        yield
        return
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _register(con: duckdb.DuckDBPyConnection, which: str, params: list) -> bool:
    """Give the articles matching `which` doc numbers and mark them pending."""
    start = _next_sdoc(con)
    con.execute(
        f"""INSERT INTO search_docs
            SELECT ? + row_number() OVER (ORDER BY a.article_id), a.article_id, length(coalesce(a.norm, '')),
                   length(coalesce(a.title, '')), a.date, true
            FROM articles a WHERE {which}""", [start - 1, *params])
    con.execute("INSERT INTO search_pending SELECT sdoc FROM search_docs WHERE sdoc >= ?", [start])
    return True


def _next_sdoc(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT coalesce(max(sdoc), 0) + 1 FROM search_docs").fetchone()[0])


# Keys of a chunk of articles: code points with ASCII capitals folded and every noise character
# turned into NOISE_MARK by one translate() of the text (far cheaper than a test per character),
# then for every other character the pair (it, next or 0), counted per article, with how many start
# in the title. The lists of characters, of their successors and of their positions are unnested
# side by side (a list of structs per article took 40–90% longer).
NOISE_MARK = "\x01"  # itself noise, so no character is both a key and the mark
_FOLD_FROM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + NOISE.replace(NOISE_MARK, "")
_FOLD_TO = "abcdefghijklmnopqrstuvwxyz" + NOISE_MARK * (len(_FOLD_FROM) - 26)
_CUT = """
WITH d AS (SELECT s.sdoc, s.tlen, a.norm FROM search_docs s JOIN articles a USING (article_id)
           WHERE s.sdoc IN (SELECT unnest($sdocs::BIGINT[])) AND s.live),
c AS (SELECT sdoc, tlen, [unicode(x) for x in string_split(translate(coalesce(norm, ''), $src, $dst), '')] AS cp
      FROM d),
u AS (SELECT sdoc, tlen, unnest(cp) AS a, unnest(cp[2:] || [0]) AS b, generate_subscripts(cp, 1) AS i FROM c)
SELECT (a::BIGINT << 21) | (CASE WHEN b > 1 THEN b ELSE 0 END) AS g, sdoc, count(*)::INTEGER AS tf,
       count(*) FILTER (i <= tlen)::INTEGER AS ttf
FROM u WHERE a > 1 GROUP BY ALL
"""


def _fold(con: duckdb.DuckDBPyConnection, most: int | None = None) -> bool:
    """Cut pending articles (at most `most`) into keys as one new run; False when none were pending."""
    limit = f" LIMIT {int(most)}" if most else ""
    rows = con.execute(f"""SELECT p.sdoc, d.dl FROM search_pending p JOIN search_docs d USING (sdoc)
                           ORDER BY p.sdoc{limit}""").fetchall()
    if not rows:
        return False
    sdocs = [r[0] for r in rows]
    con.execute("CREATE OR REPLACE TEMP TABLE search_fold (g BIGINT, sdoc BIGINT, tf INTEGER, ttf INTEGER)")
    chunk, size = [], 0
    for sdoc, dl in rows:  # chunks of about FOLD_CHARS characters: DuckDB's hash table follows the text
        chunk.append(sdoc)
        size += dl or 0
        if size >= FOLD_CHARS or sdoc == sdocs[-1]:
            con.execute(f"INSERT INTO search_fold {_CUT}", {"sdocs": chunk, "src": _FOLD_FROM, "dst": _FOLD_TO})
            chunk, size = [], 0
    _add_run(con, _next_run(con), f"SELECT f.g, f.sdoc, f.tf, f.ttf, {posting_doc_columns('d')} FROM search_fold f "
                                  "JOIN search_docs d USING (sdoc)", len(sdocs))
    con.execute("DROP TABLE search_fold")
    con.execute("DELETE FROM search_pending WHERE sdoc IN (SELECT unnest(?::BIGINT[]))", [sdocs])
    return True


def _next_run(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT coalesce(max(run), 0) + 1 FROM search_runs").fetchone()[0])


# What a posting carries of its article, copied from search_docs when the article is cut into keys:
# ranking needs it for every candidate, and reading it here rather than joining search_docs halves
# the cost of a search's main statement (the postings grow by about half).
POSTING_DOC_COLUMNS = ("article_id", "date", "dl")


def posting_doc_columns(alias: str = "") -> str:
    """POSTING_DOC_COLUMNS as a SQL list, each prefixed with `alias.` when given."""
    return ", ".join(f"{alias}.{c}" if alias else c for c in POSTING_DOC_COLUMNS)


def _add_run(con: duckdb.DuckDBPyConnection, run: int, rows_sql: str, docs: int, params: list | None = None) -> None:
    """Append rows (g, sdoc, tf, ttf, *POSTING_DOC_COLUMNS) sorted by key as run `run`."""
    con.execute(f"""INSERT INTO search_postings (g, sdoc, tf, ttf, run, {posting_doc_columns()})
                    SELECT g, sdoc, tf, ttf, {int(run)}, {posting_doc_columns()} FROM ({rows_sql}) ORDER BY g""", params or [])
    postings = con.execute("SELECT count(*) FROM search_postings WHERE run = ?", [run]).fetchone()[0]
    con.execute("INSERT INTO search_runs VALUES (?, ?, ?)", [run, postings, docs])


def _merge_plan(con: duckdb.DuckDBPyConnection) -> tuple[list[int], bool] | None:
    """The runs to merge, if any, and whether they are all of them (which also drops dead postings)."""
    runs = con.execute("SELECT run, postings FROM search_runs ORDER BY run").fetchall()
    total, dead = con.execute("SELECT count(*), count(*) FILTER (NOT live) FROM search_docs").fetchone()
    if dead and dead > DEAD_SHARE * total:
        return [r for r, _ in runs], True
    k, size = 1, runs[-1][1] if runs else 0
    while k < len(runs) and (runs[-k - 1][1] <= 2 * size or len(runs) - k + 1 > RUNS_MAX):
        size += runs[-k - 1][1]
        k += 1
    return ([r for r, _ in runs[-k:]], k == len(runs)) if k > 1 else None


def _merge(con: duckdb.DuckDBPyConnection, runs: list[int], everything: bool) -> bool:
    """Replace `runs` by one run without the postings of replaced articles."""
    if runs:
        run = _next_run(con)
        docs = con.execute("SELECT coalesce(sum(docs), 0) FROM search_runs WHERE run IN (SELECT unnest(?::INTEGER[]))",
                           [runs]).fetchone()[0]
        _add_run(con, run, f"""SELECT p.g, p.sdoc, p.tf, p.ttf, {posting_doc_columns('p')} FROM search_postings p SEMI JOIN
                                 (SELECT sdoc FROM search_docs WHERE live) USING (sdoc)
                               WHERE p.run IN (SELECT unnest(?::INTEGER[]))""", docs, [runs])
        for table in ("search_postings", "search_runs"):
            con.execute(f"DELETE FROM {table} WHERE run IN (SELECT unnest(?::INTEGER[]))", [runs])
        if everything:
            con.execute("DELETE FROM search_docs WHERE NOT live")
            con.execute("UPDATE search_runs SET docs = (SELECT count(*) FROM search_docs) WHERE run = ?", [run])
    return True
