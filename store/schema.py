"""The DuckDB schema, its version and the forward migrations.

Tables (documented for users of `parks query sql` in the README and by `parks query sql --schema`):

documents        one row per ingested file: path, content hash, encoding, format, publication date
articles         one row per article on a page: title, kicker, byline, captions, text as written,
                 normalised text (same length), subject park, date
blocks           title / subhead / body paragraphs of each article with character offsets
park_mentions    every park named in an article, with offsets; `parent` set for a sub-area
article_parks    per article and park: mention count and whether it is a subject
parks            the gazetteer plus parks found in the text (listed = false)
industries       the industry taxonomy
industry_mentions, company_mentions   what was recognised where, with offsets
figures          every extracted figure: park, metric, value in the canonical unit, qualifier,
                 period, basis, status, quote, offsets
metrics          the metric taxonomy
search_*         the inverted index behind `parks query search` (see store/search.py)
"""

from __future__ import annotations

SCHEMA_VERSION = 1

TABLES: dict[str, str] = {
    "meta": "key VARCHAR PRIMARY KEY, value VARCHAR",
    "documents": """doc_id BIGINT, path VARCHAR, name VARCHAR, content_hash VARCHAR, encoding VARCHAR,
        format VARCHAR, size BIGINT, date DATE, date_inferred BOOLEAN, ingested_at TIMESTAMP,
        warnings VARCHAR""",
    "articles": """article_id BIGINT, doc_id BIGINT, seq INTEGER, title VARCHAR, kicker VARCHAR,
        byline VARCHAR, captions VARCHAR, text VARCHAR, norm VARCHAR, chars INTEGER, date DATE,
        date_inferred BOOLEAN, park VARCHAR, source VARCHAR""",
    "blocks": "article_id BIGINT, seq INTEGER, kind VARCHAR, start_pos INTEGER, end_pos INTEGER",
    "park_mentions": """article_id BIGINT, park VARCHAR, start_pos INTEGER, end_pos INTEGER,
        surface VARCHAR, listed BOOLEAN, parent VARCHAR""",
    "article_parks": "article_id BIGINT, park VARCHAR, mentions INTEGER, is_subject BOOLEAN, rank INTEGER",
    "parks": """park VARCHAR PRIMARY KEY, official_name VARCHAR, kind VARCHAR, province VARCHAR,
        city VARCHAR, approved_year INTEGER, aliases VARCHAR, listed BOOLEAN""",
    "industries": """industry VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, level VARCHAR,
        synonyms VARCHAR""",
    "industry_mentions": "article_id BIGINT, industry VARCHAR, start_pos INTEGER, end_pos INTEGER, surface VARCHAR",
    "company_mentions": """article_id BIGINT, company VARCHAR, park VARCHAR, start_pos INTEGER,
        end_pos INTEGER, surface VARCHAR""",
    "figures": """figure_id BIGINT, article_id BIGINT, park VARCHAR, metric VARCHAR, value DOUBLE,
        value_max DOUBLE, unit VARCHAR, qualifier VARCHAR, period VARCHAR, period_inferred BOOLEAN,
        basis VARCHAR, status VARCHAR, industry VARCHAR, quote VARCHAR, start_pos INTEGER,
        end_pos INTEGER, number_text VARCHAR""",
    "metrics": "metric VARCHAR PRIMARY KEY, name_zh VARCHAR, name_en VARCHAR, unit VARCHAR, metric_group VARCHAR",
}

# Tables whose rows belong to one article, deleted when its document is replaced.
ARTICLE_TABLES = ["blocks", "park_mentions", "article_parks", "industry_mentions", "company_mentions", "figures"]

# version -> statements that bring a database of that version to version + 1.
MIGRATIONS: dict[int, list[str]] = {}


def create_statements() -> list[str]:
    from .search import SEARCH_TABLES

    tables = {**TABLES, **SEARCH_TABLES}
    return [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in tables.items()]
