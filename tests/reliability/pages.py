"""Self-written pages and database snapshots shared by the reliability tests.

The pages are generated from the gazetteer (parsers/data/parks.csv) and a handful of sentence
patterns written for these tests; no newspaper text is copied. A seed makes every corpus
reproducible, so a clean run and a crashed-then-resumed run read exactly the same bytes.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
from pathlib import Path

import duckdb

DATA = Path(__file__).resolve().parents[2] / "parsers" / "data"
PYTHON = sys.executable

METRICS = [
    ("地区生产总值", "亿元"), ("规模以上工业总产值", "亿元"), ("营业收入", "亿元"), ("固定资产投资", "亿元"),
    ("实际使用外资", "亿美元"), ("一般公共预算收入", "亿元"), ("进出口总额", "亿元"),
]
COUNTS = [("高新技术企业", "家"), ("规模以上工业企业", "家"), ("科技型中小企业", "家")]
INDUSTRIES = ["新能源汽车", "集成电路", "生物医药", "光伏", "新型储能", "高端装备", "新材料"]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["明", "华", "丽", "强", "敏", "静", "磊", "洋", "艳", "军"]


def park_names() -> list[str]:
    with open(DATA / "parks.csv", encoding="utf-8") as fh:
        return [r["canonical"] for r in csv.DictReader(fh) if not r.get("parent")]


_PARKS = park_names()


def article(rng: random.Random, paragraphs: int = 3) -> str:
    """One article: a title naming a park, a byline and paragraphs of figures about it."""
    park = rng.choice(_PARKS)
    industry = rng.choice(INDUSTRIES)
    reporter = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    lines = [f"# {park}{industry}产业加快集聚", "", f"◎本报记者 {reporter}", ""]
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            year = rng.randint(2018, 2024)
            if rng.random() < 0.7:
                metric, unit = rng.choice(METRICS)
                sentences.append(f"{year}年，{park}{metric}达到{rng.randint(10, 999)}.{rng.randint(1, 9)}{unit}，"
                                 f"同比增长{rng.randint(1, 40)}.{rng.randint(0, 9)}%。")
            else:
                noun, unit = rng.choice(COUNTS)
                sentences.append(f"截至{year}年底，园区累计培育{noun}{rng.randint(20, 900)}{unit}，"
                                 f"{industry}产业链上下游企业加速落户。")
        lines += ["".join(sentences), ""]
    return "\n".join(lines)


def page(rng: random.Random, articles: int = 2) -> str:
    date = f"{rng.randint(2019, 2024)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    return f"园区经济周刊　{date}\n\n" + "\n\n".join(article(rng) for _ in range(articles)) + "\n"


def write_corpus(root: Path, n: int, seed: int = 7) -> list[Path]:
    """`n` pages under `root` in a few sub-folders, deterministic for a seed."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        sub = root / f"batch{i % 5}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"page{i:04d}.txt"
        path.write_text(page(rng, rng.randint(1, 3)), encoding="utf-8")
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------ running the CLI


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PARKS_DB", None)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def parks_cmd(db: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "parks", "--db", str(db), *args]


def run_parks(db: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(parks_cmd(db, *args), capture_output=True, text=True, encoding="utf-8",
                          errors="replace", env=cli_env(), timeout=timeout)


# ------------------------------------------------------------------------------ snapshots


# Columns whose values depend on when or in which order rows were written, not on what was read.
_VOLATILE = {"ingested_at", "figure_id"}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, with surrogate ids replaced by what they stand for.

    article_id becomes (source path, seq) and doc_id the document's path, so two databases built
    from the same files in different runs compare equal exactly when they hold the same data. The
    search index's own tables are compared by what they mean (see `search_content`), since its doc
    numbers and runs depend on how the ingest was split into runs.
    """
    con = duckdb.connect(str(db), read_only=True)
    try:
        art = {aid: (src, seq) for aid, src, seq in con.execute(
            "SELECT article_id, source, seq FROM articles").fetchall()}
        doc = dict(con.execute("SELECT doc_id, path FROM documents").fetchall())
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1").fetchall()]
        out: dict[str, list[tuple]] = {}
        for table in tables:
            if table.startswith("search_"):
                continue
            cur = con.execute(f'SELECT * FROM "{table}"')
            cols = [d[0] for d in cur.description]
            rows = []
            for row in cur.fetchall():
                mapped = []
                for col, value in zip(cols, row, strict=True):
                    if col in _VOLATILE:
                        continue
                    if col == "article_id":
                        value = art.get(value, ("?", value))
                    elif col == "doc_id":
                        value = doc.get(value, value)
                    mapped.append(value)
                if table == "meta" and str(mapped[0]).endswith("_stamp"):
                    continue  # a cache stamp holding the highest ids
                rows.append(tuple(mapped))
            out[table] = sorted(rows, key=repr)
        out.update(search_content(con, art))
        return out
    finally:
        con.close()


def search_content(con: duckdb.DuckDBPyConnection, art: dict[int, tuple]) -> dict[str, list[tuple]]:
    """What the search index says: per live article its lengths and date, and per article and
    character pair its counts (summed over runs: a pair counted twice would show)."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "search_docs" not in tables:
        return {}
    docs = con.execute("SELECT article_id, dl, tlen, date FROM search_docs WHERE live").fetchall()
    postings = con.execute(
        "SELECT d.article_id, p.g, sum(p.tf), sum(p.ttf) FROM search_postings p "
        "JOIN search_docs d USING (sdoc) WHERE d.live GROUP BY ALL").fetchall()
    pending = con.execute("SELECT count(*) FROM search_pending").fetchone()
    return {
        "search:docs": sorted(((art.get(a, a), dl, tl, dt) for a, dl, tl, dt in docs), key=repr),
        "search:postings": sorted(((art.get(a, a), g, tf, ttf) for a, g, tf, ttf in postings), key=repr),
        "search:pending": [tuple(pending)],
    }


def integrity(db: Path) -> list[tuple]:
    """Rows that point at nothing, and documents or articles stored twice (there must be none)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""
            SELECT 'doc twice', path, count(*) FROM documents GROUP BY path HAVING count(*) > 1
            UNION ALL SELECT 'article twice', source || '#' || seq, count(*) FROM articles
                GROUP BY source, seq HAVING count(*) > 1
            UNION ALL SELECT 'article without document', source, count(*) FROM articles
                WHERE doc_id NOT IN (SELECT doc_id FROM documents) GROUP BY source
            UNION ALL SELECT 'document without articles', path, 0 FROM documents
                WHERE doc_id NOT IN (SELECT doc_id FROM articles)
            UNION ALL SELECT 'figure without article', CAST(article_id AS VARCHAR), count(*) FROM figures
                WHERE article_id NOT IN (SELECT article_id FROM articles) GROUP BY article_id
            UNION ALL SELECT 'mention without article', CAST(article_id AS VARCHAR), count(*) FROM park_mentions
                WHERE article_id NOT IN (SELECT article_id FROM articles) GROUP BY article_id
        """).fetchall()
    finally:
        con.close()


def count(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        con.close()
