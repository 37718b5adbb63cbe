"""Ingest: idempotent by content, one transaction per document, clear summaries."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from parks.main import cli
from parks.store.db import StoreError, connect
from parks.store.ingest import ingest

PAGE_A = """# 肇庆高新区新型储能产业加速集聚

◎本报记者 张三

今年1-7月，肇庆高新区新型储能产业产值超170亿元，同比增长154%。

园区现有规模以上工业企业共有10家，带动上下游企业集聚。
"""
PAGE_B = """# 无锡高新区推进零碳园区建设

◎本报记者 李四

无锡高新区光伏装机总容量已达18兆瓦，全年发电量超1800万度。
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "pages"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (root / "sub" / "b.md").write_text(PAGE_B, encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    return root


def counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    return tuple(con.execute(  # type: ignore[return-value]
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles), (SELECT count(*) FROM figures)"
    ).fetchone())


def test_ingest_walks_folders_and_lists_skipped_files(tmp_path: Path, corpus: Path) -> None:
    con = connect(tmp_path / "db.duckdb", create=True)
    s = ingest(con, [corpus])
    assert s.files == 2 and s.ingested == 2 and not s.failed
    assert [Path(p).name for p, _ in s.skipped] == ["notes.pdf"]
    docs, articles, _ = counts(con)
    assert docs == 2 and articles >= 2


def test_same_file_again_does_nothing(tmp_path: Path, corpus: Path) -> None:
    con = connect(tmp_path / "db.duckdb", create=True)
    ingest(con, [corpus])
    before = counts(con)
    s = ingest(con, [corpus])
    assert s.ingested == 0 and s.unchanged == 2
    assert counts(con) == before


def test_changed_file_replaces_its_rows(tmp_path: Path, corpus: Path) -> None:
    con = connect(tmp_path / "db.duckdb", create=True)
    ingest(con, [corpus])
    (corpus / "a.txt").write_text(PAGE_A.replace("170亿元", "180亿元"), encoding="utf-8")
    s = ingest(con, [corpus])
    assert s.ingested == 1 and s.replaced == 1 and s.unchanged == 1
    docs, _, _ = counts(con)
    assert docs == 2
    texts = " ".join(r[0] for r in con.execute("SELECT text FROM articles").fetchall())
    assert "180亿元" in texts and "170亿元" not in texts


def test_force_reparses(tmp_path: Path, corpus: Path) -> None:
    con = connect(tmp_path / "db.duckdb", create=True)
    ingest(con, [corpus])
    before = counts(con)
    s = ingest(con, [corpus], force=True)
    assert s.ingested == 2
    assert counts(con) == before


def test_same_content_at_another_path_is_not_stored_twice(tmp_path: Path, corpus: Path) -> None:
    con = connect(tmp_path / "db.duckdb", create=True)
    ingest(con, [corpus])
    shutil.copy(corpus / "a.txt", corpus / "copy.txt")
    s = ingest(con, [corpus])
    assert s.ingested == 0 and s.unchanged == 3
    assert counts(con)[0] == 2


def test_bad_files_are_named_and_the_rest_load(tmp_path: Path, corpus: Path) -> None:
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(500))
    con = connect(tmp_path / "db.duckdb", create=True)
    s = ingest(con, [corpus, tmp_path / "missing.txt"])
    reasons = {Path(p).name: r for p, r in s.failed}
    assert set(reasons) == {"empty.txt", "binary.txt", "missing.txt"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert s.ingested == 2


def test_a_failing_write_leaves_nothing_of_that_document(tmp_path: Path, corpus: Path, monkeypatch) -> None:
    from parks.store import ingest as ingest_mod

    con = connect(tmp_path / "db.duckdb", create=True)
    real = ingest_mod._Rows.flush

    def flush_then_fail(self, con):  # type: ignore[no-untyped-def]
        real(self, con)
        raise KeyboardInterrupt  # as if Ctrl-C arrived mid-document

    monkeypatch.setattr(ingest_mod._Rows, "flush", flush_then_fail)
    s = ingest(con, [corpus / "a.txt"])
    assert s.interrupted
    assert counts(con) == (0, 0, 0)
    monkeypatch.setattr(ingest_mod._Rows, "flush", real)
    s = ingest(con, [corpus / "a.txt"])
    assert s.ingested == 1 and counts(con)[0] == 1


def test_cli_ingest_summary_and_exit_status(tmp_path: Path, corpus: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "db.duckdb"
    ok = runner.invoke(cli, ["--db", str(db), "ingest", str(corpus)])
    assert ok.exit_code == 0, ok.output
    assert "2 ingested" in ok.stderr and "notes.pdf" in ok.stderr
    (corpus / "empty.txt").write_bytes(b"")
    bad = runner.invoke(cli, ["--db", str(db), "ingest", str(corpus)])
    assert bad.exit_code == 1
    assert "empty.txt" in bad.stderr and "1 failed" in bad.stderr
    assert "Traceback" not in bad.output


def test_query_on_missing_db_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "nope.duckdb"), "query", "articles"])
    assert result.exit_code == 1
    assert "no database" in result.stderr and "Traceback" not in result.output


def test_default_db_is_built_from_the_sample_corpus(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "data" / "parks.duckdb"
    monkeypatch.delenv("PARKS_DB", raising=False)
    monkeypatch.setattr("parks.store.db.default_db_path", lambda: target)
    result = CliRunner().invoke(cli, ["query", "articles", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert target.exists()
    assert "first run" in result.stderr
    assert len(result.stdout.splitlines()) > 10  # many articles from the sample pages


def test_foreign_duckdb_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    other = duckdb.connect(str(path))
    other.execute("CREATE TABLE t (x INTEGER)")
    other.close()
    with pytest.raises(StoreError, match="not a parks database"):
        connect(path)


def test_non_duckdb_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "text.duckdb"
    path.write_text("hello, I am not a database\n" * 100)
    with pytest.raises(StoreError, match="not a DuckDB database"):
        connect(path)


def test_a_page_without_article_structure_is_kept_whole(tmp_path: Path) -> None:
    page = tmp_path / "flat.md"
    page.write_text("# " + "园区今年新增高新技术企业12家，光伏装机达到18兆瓦。" * 40, encoding="utf-8")
    con = connect(tmp_path / "db.duckdb", create=True)
    s = ingest(con, [page])
    assert s.ingested == 1 and s.articles == 1
    assert any("one untitled article" in w for _, w in s.warnings)
    text = con.execute("SELECT text FROM articles").fetchone()[0]
    assert text.count("光伏装机达到18兆瓦") == 40


def _settings(con: duckdb.DuckDBPyConnection) -> tuple:
    return con.execute("SELECT current_setting('threads'), current_setting('memory_limit')").fetchone()


def test_ingest_bounds_duckdb_while_writing_and_restores_its_settings(tmp_path: Path, corpus: Path,
                                                                     monkeypatch) -> None:
    from parks.store import ingest as ingest_mod

    con = connect(tmp_path / "db.duckdb", create=True)
    before = _settings(con)
    seen = []
    real = ingest_mod.Writer.flush

    def flush(self):  # type: ignore[no-untyped-def]
        seen.append(_settings(self.con))
        return real(self)

    monkeypatch.setattr(ingest_mod.Writer, "flush", flush)
    ingest(con, [corpus])
    assert seen and all(s == (1, "488.2 MiB") for s in seen), seen  # 512MB as DuckDB shows it
    assert _settings(con) == before


def test_temporary_settings_put_back_a_value_that_was_not_the_default(tmp_path: Path) -> None:
    from parks.store.db import temporary_settings

    con = duckdb.connect()
    con.execute("SET memory_limit = '3GB'")
    con.execute("SET threads = 1")
    with temporary_settings(con, threads="2", memory_limit="100MB"):
        assert _settings(con) == (2, "95.3 MiB")
    threads, memory = _settings(con)
    assert threads == 1 and memory in ("2.7 GiB", "2.6 GiB")  # a size comes back as DuckDB rounded it


def test_date_option_fills_in_only_for_pages_without_their_own_date(tmp_path: Path) -> None:
    pages = tmp_path / "dated"
    pages.mkdir()
    (pages / "20230912_named.txt").write_text(PAGE_B, encoding="utf-8")  # the file name carries a date
    (pages / "no_year.txt").write_text(PAGE_A, encoding="utf-8")  # nothing to go on
    (pages / "a_year.txt").write_text(PAGE_B.replace("全年", "截至2022年底，全年"), encoding="utf-8")

    def dates(*options: str) -> dict[str, tuple[str, str]]:
        db = tmp_path / f"db{len(options)}.duckdb"
        r = CliRunner().invoke(cli, ["--db", str(db), "ingest", "-q", str(pages), *options])
        assert r.exit_code == 0, r.stderr
        con = duckdb.connect(str(db), read_only=True)
        got = {name: (str(d), str(i)) for name, d, i in con.execute(
            "SELECT d.name, a.date, a.date_inferred FROM articles a JOIN documents d USING (doc_id)").fetchall()}
        con.close()
        return got

    assert dates() == {"20230912_named.txt": ("2023-09-12", "False"), "no_year.txt": ("None", "False"),
                       "a_year.txt": ("2023-01-01", "True")}  # inferred, and marked so
    assert dates("--date", "2024-01-02") == {"20230912_named.txt": ("2023-09-12", "False"),
                                             "no_year.txt": ("2024-01-02", "False"),
                                             "a_year.txt": ("2024-01-02", "False")}


def test_database_location_is_db_option_then_parks_db_then_user_data_folder(tmp_path: Path, corpus: Path,
                                                                            monkeypatch) -> None:
    from platformdirs import user_data_dir

    from parks.store.db import default_db_path

    monkeypatch.delenv("PARKS_DB", raising=False)
    assert default_db_path() == Path(user_data_dir("parks", appauthor=False)) / "parks.duckdb"
    env_db, option_db = tmp_path / "env.duckdb", tmp_path / "option.duckdb"
    monkeypatch.setenv("PARKS_DB", str(env_db))
    assert default_db_path() == env_db
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "-q", str(corpus / "a.txt")]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(option_db), "ingest", "-q", str(corpus)]).exit_code == 0

    def documents(*args: str) -> str:
        r = runner.invoke(cli, [*args, "query", "sql", "SELECT count(*) AS n FROM documents", "--no-header"])
        assert r.exit_code == 0, r.stderr
        return r.stdout.strip()

    assert documents() == "1"  # PARKS_DB
    assert documents("--db", str(option_db)) == "2"  # --db wins over PARKS_DB


def test_two_jobs_store_what_one_job_stores(tmp_path: Path) -> None:
    """With --jobs 2 the parsed documents travel from the workers to the writer pickled (each
    record as its class and its fields, parsers/model.py): every table comes out the same."""
    sample = Path(__file__).resolve().parents[1] / "sample_corpus"
    tables = ("documents", "articles", "blocks", "park_mentions", "article_parks", "industry_mentions",
              "company_mentions", "figures", "parks")
    stored = []
    for jobs in (1, 2):
        con = connect(tmp_path / f"jobs{jobs}.duckdb", create=True)
        summary = ingest(con, [sample], jobs=jobs)
        assert summary.ingested == summary.files > 1 and not summary.failed
        stored.append({t: con.execute(f"SELECT * {'EXCLUDE (ingested_at)' if t == 'documents' else ''} "
                                      f"FROM {t} ORDER BY ALL").fetchall() for t in tables})
        con.close()
    assert stored[0] == stored[1]


def test_a_parsed_document_pickles_to_an_equal_one() -> None:
    import pickle

    from parks.parsers.pipeline import parse_path

    page = sorted((Path(__file__).resolve().parents[1] / "sample_corpus").iterdir())[0]
    doc = parse_path(str(page), None, None)
    assert doc.articles and doc.articles[0].figures
    back = pickle.loads(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == doc and repr(back) == repr(doc)
