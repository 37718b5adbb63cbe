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

SCHEMA_VERSION = 3

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

# version -> statements that bring a database of that version to version + 1 (create_statements
# runs after them, so new tables and indexes need no entry). 1 -> 2: the search index; the next
# ingest indexes the articles already stored. 2 -> 3: postings carry article_id, date and dl; the
# old ones are dropped and every article is marked pending, so that it stays searchable by its text
# until db._migrate, right after these statements, cuts them into keys again.
MIGRATIONS: dict[int, list[str]] = {
    1: ["CREATE TABLE IF NOT EXISTS search_docs (sdoc BIGINT, article_id BIGINT, dl INTEGER, tlen INTEGER, date DATE, live BOOLEAN)",
        "CREATE TABLE IF NOT EXISTS search_pending (sdoc BIGINT)"],
    2: ["DROP TABLE IF EXISTS search_postings", "DROP TABLE IF EXISTS search_runs",
        "DELETE FROM search_docs WHERE NOT live",
        "INSERT INTO search_pending SELECT sdoc FROM search_docs WHERE sdoc NOT IN (SELECT sdoc FROM search_pending)"],
}

# Fetching a few articles by id (search hits, the article view) reads only their rows with this
# index; without it DuckDB decompresses the text of every article in the row group.
INDEXES = ["CREATE INDEX IF NOT EXISTS articles_article_id ON articles (article_id)"]


def create_statements() -> list[str]:
    from .search import SEARCH_TABLES

    tables = {**TABLES, **SEARCH_TABLES}
    return [f"CREATE TABLE IF NOT EXISTS {name} ({cols})" for name, cols in tables.items()] + INDEXES


# One line per table and column, for `parks query sql --schema` and the README.
TABLE_DOCS: dict[str, str] = {
    "meta": "settings of the database file (schema_version)",
    "documents": "one row per ingested file",
    "articles": "one row per article on a page",
    "blocks": "the title, sub-headings and body paragraphs of each article, as offsets into articles.text",
    "park_mentions": "every park named in an article, with its offsets",
    "article_parks": "per article and park: how often it is named and whether it is a subject",
    "parks": "the gazetteer (listed = true) plus parks found in the text (listed = false)",
    "industries": "the industry taxonomy",
    "industry_mentions": "every industry named in an article, with its offsets",
    "company_mentions": "every company named in an article, with its offsets and park",
    "figures": "every extracted figure, made comparable (canonical metric and unit)",
    "metrics": "the metric taxonomy (what figures.metric means)",
}

COLUMN_DOCS: dict[str, str] = {
    "meta.key": "setting name", "meta.value": "setting value",
    "documents.doc_id": "document id", "documents.path": "the file's path as ingested",
    "documents.name": "the file's name", "documents.content_hash": "sha256 of the file's bytes (its identity)",
    "documents.encoding": "encoding the file was read with", "documents.format": "txt, md or html",
    "documents.size": "size in bytes", "documents.date": "publication date of the page",
    "documents.date_inferred": "true when the date was guessed from the text",
    "documents.ingested_at": "when the file was ingested", "documents.warnings": "reading warnings, one per line",
    "articles.article_id": "article id", "articles.doc_id": "the document it is on (documents.doc_id)",
    "articles.seq": "position on the page, from 0", "articles.title": "headline",
    "articles.kicker": "section or column line above the headline", "articles.byline": "reporters",
    "articles.captions": "photo captions, one per line", "articles.text": "title and body as written",
    "articles.norm": "text normalised for analysis (same length as text, so offsets agree)",
    "articles.chars": "length of text in characters", "articles.date": "publication date",
    "articles.date_inferred": "true when the date was guessed", "articles.park": "the subject park ('' if none)",
    "articles.source": "the file's path (documents.path)",
    "blocks.article_id": "article id", "blocks.seq": "block order", "blocks.kind": "title, subhead or body",
    "blocks.start_pos": "start offset in articles.text", "blocks.end_pos": "end offset (exclusive)",
    "park_mentions.article_id": "article id", "park_mentions.park": "canonical park name (parks.park)",
    "park_mentions.start_pos": "start offset in articles.text", "park_mentions.end_pos": "end offset (exclusive)",
    "park_mentions.surface": "the name as written", "park_mentions.listed": "false for a park not in the gazetteer",
    "park_mentions.parent": "for a named area inside a park: that park",
    "article_parks.article_id": "article id", "article_parks.park": "canonical park name",
    "article_parks.mentions": "how often the article names it", "article_parks.is_subject": "a subject of the article",
    "article_parks.rank": "0 for the main subject, then by mentions",
    "parks.park": "canonical name", "parks.official_name": "official name", "parks.kind": "国家高新区, 经开区, 新区…",
    "parks.province": "province", "parks.city": "city", "parks.approved_year": "year of national approval",
    "parks.aliases": "other names, |-separated", "parks.listed": "true for the gazetteer, false for parks found in text",
    "industries.industry": "industry id", "industries.name_zh": "Chinese name", "industries.name_en": "English name",
    "industries.level": "L1 (strategic class) or L2", "industries.synonyms": "words that name it, |-separated",
    "industry_mentions.article_id": "article id", "industry_mentions.industry": "industry id (industries.industry)",
    "industry_mentions.start_pos": "start offset in articles.text", "industry_mentions.end_pos": "end offset",
    "industry_mentions.surface": "as written",
    "company_mentions.article_id": "article id", "company_mentions.company": "company name (full when known)",
    "company_mentions.park": "park of the sentence it stands in", "company_mentions.start_pos": "start offset",
    "company_mentions.end_pos": "end offset", "company_mentions.surface": "as written",
    "figures.figure_id": "figure id", "figures.article_id": "article id",
    "figures.park": "canonical park ('' for a city, province or national figure)",
    "figures.metric": "metric id (metrics.metric)", "figures.value": "the number in `unit`, multipliers applied (4.6万吨 is 46000 吨)",
    "figures.value_max": "upper end of a range, else null", "figures.unit": "unit of value and value_max (%, 亿元, 家, MW…)",
    "figures.qualifier": "= ~ > >= < <=",
    "figures.period": "year or span it refers to (2023, 2023H1, 2023Q1, 2023-05, 2023-01..06; '' if none)",
    "figures.period_inferred": "true when the period was taken from the page date",
    "figures.basis": "level, yoy (growth on a year earlier), since:YYYY (change since), change",
    "figures.status": "actual, target or forecast", "figures.industry": "the industry it is about, as written, if any",
    "figures.quote": "the clause it was read from", "figures.start_pos": "start offset of the number in articles.text",
    "figures.end_pos": "end offset (exclusive)", "figures.number_text": "the number as written",
    "metrics.metric": "metric id", "metrics.name_zh": "Chinese name", "metrics.name_en": "English name",
    "metrics.unit": "canonical unit", "metrics.metric_group": "economy, firms, innovation, energy…",
}


def describe() -> list[tuple[str, str, str, str]]:
    """(table, column, type, description) for every column of every table, in schema order."""
    from .search import SEARCH_COLUMN_DOCS, SEARCH_TABLE_DOCS, SEARCH_TABLES
    from .summary import COLUMNS, SUMMARY_COLUMN_DOCS, SUMMARY_TABLE_DOCS, TABLE

    # park_stats is made by the first ingest rather than by the schema, but users can query it too.
    table_docs = {**TABLE_DOCS, **SEARCH_TABLE_DOCS, **SUMMARY_TABLE_DOCS}
    column_docs = {**COLUMN_DOCS, **SEARCH_COLUMN_DOCS, **SUMMARY_COLUMN_DOCS}
    rows = []
    for table, cols in {**TABLES, **SEARCH_TABLES, TABLE: COLUMNS}.items():
        rows.append((table, "", "", table_docs.get(table, "")))
        for col in _split_columns(cols):
            name, _, rest = col.strip().partition(" ")
            kind = rest.replace("PRIMARY KEY", "").strip()
            rows.append((table, name, kind, column_docs.get(f"{table}.{name}", "")))
    return rows


def _split_columns(cols: str) -> list[str]:
    """Split a column list on the commas outside parentheses (DECIMAL(18, 3) stays whole)."""
    parts, depth, cur = [], 0, ""
    for ch in " ".join(cols.split()):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [p for p in parts + [cur] if p.strip()]
