"""Locks: DuckDB lets one process write a file, or several read it, never both at once.

What these tests pin down (observed with DuckDB's file lock, which never waits by itself):
- a writer (an ingest) shuts out every other process: a second ingest, `parks query`, `query sql`
  and the dashboard each get one line naming the process, at once;
- a reader (the dashboard, a query) shuts out writers while its connection is open: an ingest then
  waits (store.db.READER_WAIT, 10 s) and starts as soon as the reader lets go; the dashboard
  closes its connection after a few idle seconds, so an open dashboard delays an ingest by at most
  that long; a reader that holds on longer gets the one line;
- readers never block readers.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from parks.store import db as store_db
from parks.store.db import StoreError, connect

from .pages import PYTHON, cli_env, run_parks, write_corpus

_HOLD = """
import sys, time
from pathlib import Path
from parks.store.db import connect
con = connect(Path(sys.argv[1]), read_only=sys.argv[2] == "read")
con.execute("SELECT count(*) FROM documents").fetchone()
print("ready", flush=True)
sys.stdin.read()  # hold the file until the test closes our stdin
con.close()
"""

_DASHBOARD = """
import sys, time
from pathlib import Path
from parks.tui.source import Source
source = Source(Path(sys.argv[1]), idle_seconds=float(sys.argv[2]))
source.run(lambda con: con.execute("SELECT count(*) FROM articles").fetchone())
print("ready", flush=True)
end = time.monotonic() + 20
while time.monotonic() < end and source.is_open:
    time.sleep(0.05)
    source.close_if_idle()  # what the dashboard's timer does
print("closed" if not source.is_open else "still open", flush=True)
"""


class Holder:
    """Another process holding the database, for as long as the test wants."""

    def __init__(self, script: str, *args: str) -> None:
        self.proc = subprocess.Popen([PYTHON, "-c", script, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=cli_env())
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == "ready", self.proc.stderr.read()  # type: ignore[union-attr]

    @property
    def pid(self) -> int:
        return self.proc.pid

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(timeout=30)

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("locks")
    corpus = root / "corpus"
    write_corpus(corpus, 12)
    db = root / "db.duckdb"
    result = run_parks(db, "ingest", str(corpus), "--quiet")
    assert result.returncode == 0, result.stderr
    return db, corpus


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize("args", [
    ("ingest", "CORPUS"),
    ("query", "articles", "--format", "csv"),
    ("query", "sql", "SELECT count(*) FROM articles"),
    ("tui",),
    ("export", "OUT", "--format", "csv"),
], ids=["second-ingest", "query", "query-sql", "dashboard", "export"])
def test_a_writer_shuts_out_everyone_with_one_line(built, tmp_path: Path, args: tuple[str, ...]) -> None:
    db, corpus = built
    args = tuple(str(corpus) if a == "CORPUS" else str(tmp_path / "out") if a == "OUT" else a for a in args)
    with Holder(_HOLD, str(db), "write") as holder:
        started = time.monotonic()
        result = run_parks(db, *args)
        took = time.monotonic() - started
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith("parks: database ") and f"in use by process {holder.pid}" in line, line
    assert "which is writing it" in line and "try again" in line, line
    assert took < store_db.READER_WAIT  # nobody waits for a writer: it may hold the file for hours


def test_an_ingest_waits_for_a_reader_and_starts_when_it_lets_go(built) -> None:
    db, corpus = built
    with Holder(_HOLD, str(db), "read") as holder:
        proc = subprocess.Popen([PYTHON, "-m", "parks", "--db", str(db), "ingest", str(corpus), "--force"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env())
        time.sleep(1.5)
        assert proc.poll() is None  # still waiting for the reader
        released = time.monotonic()
        holder.release()
        _, err = proc.communicate(timeout=120)
        after_release = time.monotonic() - released
    assert proc.returncode == 0, err
    assert "12 replaced" in err
    assert after_release < 30


def test_a_reader_that_holds_on_gets_one_line(built, monkeypatch) -> None:
    db, _ = built
    monkeypatch.setattr(store_db, "READER_WAIT", 0.5)
    with Holder(_HOLD, str(db), "read") as holder:
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            connect(db)
        waited = time.monotonic() - started
    msg = str(info.value)
    assert f"in use by process {holder.pid}" in msg and "which is reading it" in msg and "close it" in msg
    assert 0.4 <= waited < 5


def test_readers_do_not_block_readers(built) -> None:
    db, _ = built
    with Holder(_HOLD, str(db), "read"):
        result = run_parks(db, "query", "articles", "--format", "csv")
        con = connect(db, read_only=True)
        con.close()
    assert result.returncode == 0 and result.stdout.count("\n") > 10


def test_an_open_dashboard_delays_an_ingest_only_until_it_is_idle(built) -> None:
    """The dashboard's Source lets go of the file after `idle_seconds`; an ingest started while it
    is open gets in then, instead of failing."""
    db, corpus = built
    proc = subprocess.Popen([PYTHON, "-c", _DASHBOARD, str(db), "1.0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env())
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()  # type: ignore[union-attr]
        started = time.monotonic()
        con = connect(db)  # blocks while the dashboard's connection is open
        waited = time.monotonic() - started
        con.close()
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "closed" in out, err
    assert waited < store_db.READER_WAIT


def test_the_dashboard_during_an_ingest_gets_a_message_not_a_crash(built) -> None:
    from parks.tui.source import Source

    db, _ = built
    with Holder(_HOLD, str(db), "write") as holder:
        source = Source(db)
        with pytest.raises(StoreError, match=f"in use by process {holder.pid}"):
            source.run(lambda con: con.execute("SELECT 1").fetchone())
        holder.release()
        assert source.run(lambda con: con.execute("SELECT count(*) FROM documents").fetchone())[0] == 12
        source.close()
