"""Per-park counts kept by ingest, so that `parks query parks` costs the same on any corpus size.

The summary is a cache of the unfiltered parks view: `refresh` rebuilds it from the stored rows
(one aggregate query) and stamps it with the row counts and highest ids of the tables it reads;
`fresh` compares that stamp with the tables as they are now. A stale or missing summary is never
read: the view is then computed from the rows (slower on a large corpus, but always right), so an
ingest that did not refresh it, or one that was interrupted, can never make the view wrong.
"""

from __future__ import annotations

import duckdb

from .db import rollback

TABLE = "park_stats"
PARK_STATS = TABLE
COLUMNS = """park VARCHAR, articles BIGINT, mentions BIGINT, metrics BIGINT, top_industries VARCHAR,
    first_seen DATE, last_seen DATE, subject_articles BIGINT, figures BIGINT"""
SUMMARY_TABLE_DOCS: dict[str, str] = {
    TABLE: "a cache of the unfiltered parks view kept by ingest (stale unless meta.park_stats_stamp matches the rows)",
}
SUMMARY_COLUMN_DOCS: dict[str, str] = {
    f"{TABLE}.park": "canonical park name", f"{TABLE}.articles": "articles naming the park",
    f"{TABLE}.mentions": "times the articles name it", f"{TABLE}.metrics": "distinct metrics with figures of it",
    f"{TABLE}.top_industries": "the three industries its subject articles name most, |-separated",
    f"{TABLE}.first_seen": "date of its earliest article", f"{TABLE}.last_seen": "date of its latest article",
    f"{TABLE}.subject_articles": "articles that are about it", f"{TABLE}.figures": "figures attributed to it",
}
_STAMP_KEY = "park_stats_stamp"
_STAMP_SQL = """SELECT concat_ws(':',
    (SELECT count(*) FROM articles), (SELECT max(article_id) FROM articles),
    (SELECT count(*) FROM article_parks), (SELECT count(*) FROM industry_mentions),
    (SELECT count(*) FROM figures), (SELECT max(figure_id) FROM figures),
    (SELECT count(*) FROM industries))"""


def stamp(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute(_STAMP_SQL).fetchone()[0])


def fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the summary exists and describes the rows as they are now."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = ?", [_STAMP_KEY]).fetchone()
        if row is None:
            return False
        con.execute(f"SELECT 1 FROM {TABLE} LIMIT 0")
        return row[0] == stamp(con)
    except duckdb.Error:  # no such table in this database: not summarised
        return False


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the summary from the stored rows, in one transaction (call it after an ingest)."""
    from .queries import Filters, _params, _park_stats

    con.execute("BEGIN")
    try:
        con.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} ({COLUMNS})")
        con.execute(f"DELETE FROM {TABLE}")
        con.execute(f"INSERT INTO {TABLE} SELECT * FROM {_park_stats(_params(Filters()))}")
        con.execute("DELETE FROM meta WHERE key = ?", [_STAMP_KEY])
        con.execute("INSERT INTO meta VALUES (?, ?)", [_STAMP_KEY, stamp(con)])
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
