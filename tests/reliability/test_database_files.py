"""Foreign, corrupt, newer and older database files: refused with one clear line and left
untouched, or migrated forward after a backup copy is written."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from parks.main import cli
from parks.store import db as store_db
from parks.store.db import StoreError, connect
from parks.store.ingest import ingest
from parks.store.schema import SCHEMA_VERSION

from .pages import run_parks, write_corpus


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a parks database of a few pages, the pages)."""
    root = tmp_path_factory.mktemp("dbfiles")
    corpus = root / "corpus"
    write_corpus(corpus, 6, seed=5)
    path = root / "good.duckdb"
    con = connect(path, create=True)
    ingest(con, [corpus])
    con.close()
    return path, corpus


def _foreign_duckdb(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE accounts (id INTEGER, owner VARCHAR)")
    con.execute("INSERT INTO accounts VALUES (1, 'someone else')")
    con.close()


def _meta_without_version(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('owner', 'another tool')")
    con.close()


def _sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()


def _copy_damaged(good: Path, path: Path, how: str) -> None:
    data = bytearray(good.read_bytes())
    if how == "truncated":
        data = data[: len(data) // 3]
    elif how == "header":
        data[0] ^= 0xFF  # the header's checksum no longer matches
    else:
        for i in range(3 * 4096, len(data), 7):
            data[i] ^= 0x55
    path.write_bytes(bytes(data))


CASES = {
    "random-bytes": (lambda g, p: p.write_bytes(os.urandom(200_000)), "not a DuckDB database"),
    "text": (lambda g, p: p.write_text("id,name\n1,a\n" * 500), "not a DuckDB database"),
    "empty": (lambda g, p: p.write_bytes(b""), "empty file, not a DuckDB database"),
    "png": (lambda g, p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(5000)), "not a DuckDB database"),
    "sqlite": (lambda g, p: _sqlite(p), "SQLite database, not a DuckDB database"),
    "other-duckdb": (lambda g, p: _foreign_duckdb(p), "DuckDB file but not a parks database"),
    "meta-without-version": (lambda g, p: _meta_without_version(p), "not a parks database"),
    "truncated": (lambda g, p: _copy_damaged(g, p, "truncated"), "is damaged"),
    "bad-header": (lambda g, p: _copy_damaged(g, p, "header"), "is damaged"),
    "scrambled": (lambda g, p: _copy_damaged(g, p, "blocks"), "is damaged"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", [("ingest", "CORPUS"), ("query", "articles")], ids=["ingest", "query"])
def test_foreign_or_corrupt_file_is_refused_and_left_alone(good, tmp_path: Path, case: str,
                                                          command: tuple[str, ...]) -> None:
    good_db, corpus = good
    make, expected = CASES[case]
    path = tmp_path / "parks.duckdb"
    make(good_db, path)
    before = digest(path)
    args = [str(corpus) if a == "CORPUS" else a for a in command]
    result = CliRunner().invoke(cli, ["--db", str(path), *args])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("parks: ") and expected in lines[0], result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert digest(path) == before  # not one byte changed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["parks.duckdb"]  # no WAL, no backup


def test_newer_schema_is_refused_for_reading_and_writing(good, tmp_path: Path) -> None:
    good_db, corpus = good
    path = tmp_path / "newer.duckdb"
    shutil.copy(good_db, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    before = digest(path)
    for args in (["ingest", str(corpus)], ["query", "parks"], ["query", "sql", "SELECT 1"]):
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 1
        assert "written by a newer parks" in result.stderr and "upgrade parks" in result.stderr
    assert digest(path) == before


def _downgrade_to_v1(path: Path) -> None:
    """What a schema-1 database looked like: no search tables, no article index."""
    con = duckdb.connect(str(path))
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'search_%'")
              .fetchall()]
    for table in tables:
        con.execute(f"DROP TABLE {table}")
    con.execute("DROP INDEX IF EXISTS articles_article_id")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_schema_1_is_backed_up_and_migrated_and_its_articles_become_searchable(good, tmp_path: Path) -> None:
    good_db, corpus = good
    path = tmp_path / "old.duckdb"
    shutil.copy(good_db, path)
    _downgrade_to_v1(path)
    before = digest(path)
    refused = CliRunner().invoke(cli, ["--db", str(path), "query", "articles"])
    assert refused.exit_code == 1 and "older schema (1)" in refused.stderr and "ingest PATH" in refused.stderr
    assert digest(path) == before  # readers never migrate
    result = run_parks(path, "ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "6 already in the database" in result.stderr
    backup = tmp_path / "old.duckdb.v1.bak"
    assert digest(backup) == before  # the backup is the file as it was
    con = connect(path, read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    con.close()
    found = CliRunner().invoke(cli, ["--db", str(path), "query", "search", "高新区", "--format", "csv"])
    assert found.exit_code == 0 and found.stdout.count("\n") > 6, found.output  # old articles were indexed


def _downgrade_to_v2(path: Path) -> None:
    """What a schema-2 database looked like: postings without the article's columns."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE old_postings AS SELECT g, sdoc, tf, ttf, run FROM search_postings")
    con.execute("DROP TABLE search_postings")
    con.execute("ALTER TABLE old_postings RENAME TO search_postings")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()


def _search_csv(path: Path, query: str) -> str:
    result = CliRunner().invoke(cli, ["--db", str(path), "query", "search", query, "--format", "csv", "--limit", "1000"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_schema_2_postings_are_rebuilt_with_the_articles_columns_and_search_finds_the_same(good, tmp_path: Path) -> None:
    good_db, corpus = good
    path = tmp_path / "v2.duckdb"
    shutil.copy(good_db, path)
    expected = {q: _search_csv(good_db, q) for q in ("高新区", "增长", "实际使用外资 OR 一般公共预算", "高新区 -光伏")}
    assert all(csv.count("\n") > 2 for csv in expected.values()), expected
    _downgrade_to_v2(path)
    refused = CliRunner().invoke(cli, ["--db", str(path), "query", "search", "高新区"])
    assert refused.exit_code == 1 and "older schema (2)" in refused.stderr
    result = run_parks(path, "ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "v2.duckdb.v2.bak").exists()
    con = connect(path, read_only=True)
    columns = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'search_postings'")
               .fetchall()]
    assert {"article_id", "date", "dl"} <= set(columns)
    pending, mismatched = con.execute(
        """SELECT (SELECT count(*) FROM search_pending),
                  (SELECT count(*) FROM search_postings p JOIN search_docs d USING (sdoc)
                   WHERE p.article_id <> d.article_id OR p.dl <> d.dl OR p.date IS DISTINCT FROM d.date)""").fetchone()
    con.close()
    assert pending == 0 and mismatched == 0  # the ingest that migrated it cut every article into keys again
    assert {q: _search_csv(path, q) for q in expected} == expected


def test_the_default_database_of_an_older_parks_is_brought_up_to_date_on_first_use(good, tmp_path: Path,
                                                                                    monkeypatch) -> None:
    """The default file is parks' own (the sample at first): a newer parks migrates it rather than
    asking for an ingest of pages the user may never have chosen."""
    good_db, _ = good
    target = tmp_path / "data" / "parks.duckdb"
    target.parent.mkdir()
    shutil.copy(good_db, target)
    expected = _search_csv(good_db, "高新区")
    _downgrade_to_v2(target)
    monkeypatch.delenv("PARKS_DB", raising=False)
    monkeypatch.setattr("parks.store.db.default_db_path", lambda: target)
    result = CliRunner().invoke(cli, ["query", "search", "高新区", "--format", "csv", "--limit", "1000"])
    assert result.exit_code == 0, result.stderr
    assert "from schema 2 to" in result.stderr and result.stdout == expected
    assert (tmp_path / "data" / "parks.duckdb.v2.bak").exists()
    con = connect(target, read_only=True)
    assert con.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0  # the index was re-cut at once
    con.close()
    again = CliRunner().invoke(cli, ["query", "search", "高新区", "--format", "csv", "--limit", "1000"])
    assert again.exit_code == 0 and "schema" not in again.stderr and again.stdout == expected


def _fake_version(path: Path, version: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    con.close()


def test_a_migration_runs_after_a_backup_and_keeps_the_data(good, tmp_path: Path, monkeypatch) -> None:
    """The mechanism itself, with a next schema version simulated: an added, backfilled column."""
    good_db, _ = good
    path = tmp_path / "db.duckdb"
    shutil.copy(good_db, path)
    n_figures = duckdb.connect(str(path)).execute("SELECT count(*) FROM figures").fetchone()[0]
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(store_db, "MIGRATIONS", {SCHEMA_VERSION: [
        "ALTER TABLE figures ADD COLUMN checked BOOLEAN",
        "UPDATE figures SET checked = value IS NOT NULL",
    ]})
    before = digest(path)
    con = connect(path)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION + 1)
    assert con.execute("SELECT count(*) FROM figures WHERE checked").fetchone()[0] == n_figures
    con.close()
    backup = tmp_path / f"db.duckdb.v{SCHEMA_VERSION}.bak"
    assert digest(backup) == before
    old = duckdb.connect(str(backup), read_only=True)
    assert old.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    old.close()


def test_a_failing_migration_leaves_the_file_as_it_was(good, tmp_path: Path, monkeypatch) -> None:
    good_db, _ = good
    path = tmp_path / "db.duckdb"
    shutil.copy(good_db, path)
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(store_db, "MIGRATIONS", {SCHEMA_VERSION: [
        "ALTER TABLE figures ADD COLUMN checked BOOLEAN",
        "UPDATE figures SET checked = no_such_column",
    ]})
    for _attempt in (1, 2):
        with pytest.raises(StoreError, match="could not migrate .* the database was left as it was"):
            connect(path)
    monkeypatch.undo()
    con = connect(path, read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert "checked" not in [r[0] for r in con.execute("DESCRIBE figures").fetchall()]
    con.close()
    # each attempt wrote its own backup: an earlier one is never overwritten
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == [f"db.duckdb.v{SCHEMA_VERSION}.2.bak",
                                                             f"db.duckdb.v{SCHEMA_VERSION}.bak"]


def test_no_room_for_the_backup_means_no_migration(good, tmp_path: Path, monkeypatch) -> None:
    good_db, _ = good
    path = tmp_path / "db.duckdb"
    shutil.copy(good_db, path)
    _fake_version(path, SCHEMA_VERSION - 1)

    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_db.shutil, "copy2", full)
    with pytest.raises(StoreError, match="cannot write the backup .*No space left on device.*nothing was changed"):
        connect(path)
    monkeypatch.undo()
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION - 1)
    con.close()


def test_a_database_error_mid_ingest_is_one_line(good, tmp_path: Path, monkeypatch) -> None:
    """The disk filling up is not one page's fault: the run stops with one line, keeping what it committed."""
    from parks.store import ingest as ingest_mod

    _, corpus = good

    def disk_full(self, batch):  # type: ignore[no-untyped-def]
        raise duckdb.IOException("IO Error: Could not write file \"x.wal\": No space left on device")

    monkeypatch.setattr(ingest_mod.Writer, "_commit", disk_full)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "db.duckdb"), "ingest", str(corpus)])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "No space left on device" in lines[0] and "run the ingest again" in lines[0], lines


def test_a_database_path_that_is_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path), "query", "articles"])
    assert result.exit_code == 2 and "is a directory" in result.stderr  # a usage error
    with pytest.raises(StoreError, match="is a directory"):
        connect(tmp_path)


def test_an_orphaned_wal_does_not_break_a_new_database(tmp_path: Path) -> None:
    """A WAL left beside a database file that was since deleted is not replayed into a new one."""
    path = tmp_path / "db.duckdb"
    con = connect(path, create=True)
    con.close()
    (tmp_path / "db.duckdb.wal").write_bytes(os.urandom(4096))
    path.unlink()
    con = connect(path, create=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    con.close()
