"""Full-text search over the articles (the search helper replaces this placeholder)."""

from __future__ import annotations

import duckdb

SEARCH_TABLES: dict[str, str] = {}


def index_articles(con: duckdb.DuckDBPyConnection, items: list[tuple[int, str, str]]) -> None:
    """Add (article_id, normalised title, normalised text) to the index, inside the caller's transaction."""


def delete_articles(con: duckdb.DuckDBPyConnection, article_ids: list[int]) -> None:
    """Remove articles from the index, inside the caller's transaction."""


def finish_ingest(con: duckdb.DuckDBPyConnection) -> None:
    """Called once after an ingest run, outside any document transaction (e.g. to compact)."""
