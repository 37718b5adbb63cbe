"""End to end on the bundled sample corpus: `parks ingest`, then every query and export through CliRunner.

The parsers keep improving, so these tests check how the views agree with the stored rows and with
each other rather than exact counts.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from parks.main import cli


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    corpus = Path(str(resources.files("parks.sample_corpus")))
    r = CliRunner().invoke(cli, ["--db", str(path), "ingest", "-q", str(corpus)], prog_name="parks")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""  # ingest reports on stderr
    return path


def out(db: Path, *args: str) -> str:
    r = CliRunner().invoke(cli, ["--db", str(db), *args], prog_name="parks")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    return r.stdout


def table(db: Path, *args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(out(db, *args))))


def sql(db: Path, statement: str) -> list[dict[str, str]]:
    return table(db, "query", "sql", statement)


def test_parks_agree_with_the_stored_mentions(db: Path) -> None:
    parks = table(db, "query", "parks")
    assert len(parks) >= 5
    stored = {r["park"]: int(r["n"]) for r in sql(db, "SELECT park, count(DISTINCT article_id) AS n "
                                                      "FROM article_parks WHERE park <> '' GROUP BY park")}
    assert {r["park"]: int(r["articles"]) for r in parks} == stored
    assert {r["listed"] for r in parks} <= {"true", "false"}
    ranked = [(int(r["articles"]), int(r["mentions"])) for r in parks]
    assert ranked == sorted(ranked, reverse=True)  # most written-about first


def test_metrics_agree_with_the_figures_table(db: Path) -> None:
    metrics = table(db, "query", "metrics")
    n_park = int(sql(db, "SELECT count(*) AS n FROM figures WHERE park <> ''")[0]["n"])
    n_all = int(sql(db, "SELECT count(*) AS n FROM figures")[0]["n"])
    assert len(metrics) == n_park > 20
    assert len(table(db, "query", "metrics", "--scope", "all")) == n_all
    corpus = {p.name for p in Path(str(resources.files("parks.sample_corpus"))).iterdir()}
    assert {Path(r["source"]).name for r in metrics} <= corpus
    for r in metrics:
        float(r["value"])  # every value is a plain number
        assert r["status"] in ("actual", "target", "forecast")


def test_metrics_offsets_point_at_the_number_in_the_stored_article(db: Path) -> None:
    """The dashboard highlights a figure with its start and end in articles.text."""
    metrics = table(db, "query", "metrics", "--scope", "all", "--columns", "article_id,start,end,number_text,quote")
    texts = {r["article_id"]: r["text"] for r in sql(db, "SELECT article_id, text FROM articles")}
    assert len(metrics) > 20
    for r in metrics:
        number = texts[r["article_id"]][int(r["start"]):int(r["end"])]
        assert number == r["number_text"] and number
        assert number in r["quote"]


def test_park_filter_resolves_aliases(db: Path) -> None:
    rows = sql(db, "SELECT p.park, a.alias FROM parks p, unnest(string_split(p.aliases, '|')) AS a(alias) "
                   "WHERE p.park IN (SELECT park FROM figures) AND a.alias <> '' AND a.alias <> p.park "
                   "ORDER BY p.park, a.alias LIMIT 3")
    assert rows, "the sample corpus has figures of a park with aliases"
    for r in rows:
        by_alias = table(db, "query", "metrics", "--park", r["alias"])
        assert by_alias == table(db, "query", "metrics", "--park", r["park"]) and by_alias
        assert {m["park"] for m in by_alias} == {r["park"]}


def test_formats_carry_the_same_rows(db: Path) -> None:
    rows = table(db, "query", "metrics", "--columns", "park,metric,value")
    data = json.loads(out(db, "query", "metrics", "--columns", "park,metric,value", "--format", "json"))
    lines = out(db, "query", "metrics", "--columns", "park,metric,value", "--format", "jsonl").splitlines()
    assert len(rows) == len(data) == len(lines)
    assert [(r["park"], r["metric"], float(r["value"])) for r in rows] == \
        [(d["park"], d["metric"], d["value"]) for d in data]


def test_compare_cells_come_from_the_parks_figures(db: Path) -> None:
    top = [r["park"] for r in table(db, "query", "parks", "--sort", "figures", "--desc", "--limit", "2")]
    rows = table(db, "query", "compare", "--park", top[0], "--park", top[1])
    assert rows
    figures = table(db, "query", "metrics", "--park", top[0], "--park", top[1])
    have = {(f["park"], f["metric"], f["period"]) for f in figures}
    for r in rows:
        for park in top:
            if r[park]:
                assert (park, r["metric"], r["period"]) in have


def test_industries_and_companies(db: Path) -> None:
    industries = table(db, "query", "industries")
    assert industries and all(int(r["mentions"]) >= int(r["articles"]) >= 1 for r in industries)
    companies = table(db, "query", "companies")
    assert all(int(r["mentions"]) >= int(r["articles"]) >= 1 for r in companies)


def test_articles_include_the_traditional_chinese_page(db: Path) -> None:
    articles = table(db, "query", "articles")
    assert any(Path(r["source"]).name.startswith("tw_") for r in articles)
    assert len({r["article_id"] for r in articles}) == len(articles)


def test_export_matches_the_queries(db: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["--db", str(db), "export", str(tmp_path)], prog_name="parks")
    assert r.exit_code == 0 and r.stdout == ""
    assert (tmp_path / "parks.csv").read_text(encoding="utf-8") == out(db, "query", "parks")
    metrics = list(csv.DictReader((tmp_path / "metrics.csv").open(encoding="utf-8")))
    assert len(metrics) == len(table(db, "query", "metrics", "--scope", "all"))


def test_schema_describes_every_table_and_column_of_an_ingested_database(db: Path) -> None:
    described = {(r["table"], r["column"]): r for r in table(db, "query", "sql", "--schema") if r["column"]}
    stored = sql(db, "SELECT table_name AS t, column_name AS c, data_type AS k FROM information_schema.columns")
    assert stored
    for r in stored:
        row = described.get((r["t"], r["c"]))
        assert row is not None, (r["t"], r["c"])
        assert row["type"] == r["k"] and row["description"], row


def _ids(rows: list[dict[str, str]]) -> set[str]:
    return {r["article_id"] for r in rows}


def test_search_gives_20_hits_unless_told_and_filters_like_the_articles_view(db: Path) -> None:
    word = "企业"
    containing = _ids(sql(db, f"SELECT article_id FROM articles WHERE contains(norm, '{word}')"))
    assert len(containing) > 20
    hits = table(db, "query", "search", word)
    assert [int(h["rank"]) for h in hits] == list(range(1, 21))
    assert _ids(table(db, "query", "search", word, "--limit", "1000")) == containing
    for args in (("--industry", "光伏"), ("--year", "2023"), ("--park", "肇庆高新区"),
                 ("--industry", "光伏", "--year", "2021-2023")):
        expected = containing & _ids(table(db, "query", "articles", *args))
        assert expected and expected != containing, args
        assert _ids(table(db, "query", "search", word, "--limit", "1000", *args)) == expected, args
