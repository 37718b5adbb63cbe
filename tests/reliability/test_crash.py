"""Crash safety: `kill -9` during `parks ingest`, then the same command again, gives exactly the
database a clean run gives (same rows, same search results, nothing twice); Ctrl-C stops with a
summary and the next run completes the job.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .pages import PYTHON, cli_env, count, integrity, parks_cmd, run_parks, snapshot, write_corpus

PAGES = 130
CRASH_AT = str(Path(__file__).with_name("crash_at.py"))
SEARCH_WORDS = ["高新区", "新能源汽车", "集成电路 产业", "同比增长", "规模以上工业企业"]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, float]:
    """(corpus, database of one uninterrupted run, seconds that run took)."""
    root = tmp_path_factory.mktemp("crash")
    corpus = root / "corpus"
    write_corpus(corpus, PAGES)
    db = root / "clean.duckdb"
    started = time.perf_counter()
    result = run_parks(db, "ingest", str(corpus), "--quiet")
    took = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    assert count(db, "documents") == PAGES
    assert not Path(str(db) + ".wal").exists()  # closed cleanly: everything checkpointed
    return corpus, db, took


def search_results(db: Path) -> dict[str, str]:
    """`parks query search` for a few queries, without the ids (run in-process: it is only reading)."""
    from click.testing import CliRunner

    from parks.main import cli

    out = {}
    for words in SEARCH_WORDS:
        r = CliRunner().invoke(cli, ["--db", str(db), "query", "search", words, "--format", "csv",
                                     "--columns", "rank,score,date,title,park,source,snippet"])
        assert r.exit_code == 0, r.output
        assert r.stdout.count("\n") > 1  # found something
        out[words] = r.stdout
    return out


def crash_at(target: str, nth: int, db: Path, corpus: Path) -> None:
    """Run the ingest and SIGKILL it right after the nth call of `target` returns."""
    proc = subprocess.run([PYTHON, CRASH_AT, target, str(nth), str(db), str(corpus)], capture_output=True,
                          text=True, env=cli_env(), timeout=300)
    assert proc.returncode == -signal.SIGKILL, (
        f"{target} was not reached (the hook is stale?): exit {proc.returncode}\n{proc.stderr[-2000:]}")


def kill_after(seconds: float, db: Path, corpus: Path) -> bool:
    """Start the ingest and `kill -9` it from outside after `seconds`; False if it finished first."""
    proc = subprocess.Popen(parks_cmd(db, "ingest", str(corpus), "--quiet"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=cli_env())
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def test_kill_9_then_rerun_gives_the_clean_database(clean, tmp_path: Path) -> None:
    corpus, clean_db, took = clean
    db = tmp_path / "crashed.duckdb"
    partial = []
    # 1. killed inside a group's transaction, before its COMMIT (the first group is committed)
    crash_at("parks.store.ingest:refresh_unlisted", 2, db, corpus)
    assert not integrity(db)
    partial.append(count(db, "documents"))
    # 2. a real kill -9 from outside, at a few points of a run
    for fraction in (0.3, 0.5):
        if kill_after(max(fraction * took, 0.8), db, corpus):
            assert not integrity(db), integrity(db)
            partial.append(count(db, "documents"))
    # 3. killed inside the search index's fold before its COMMIT, then after the last commit but
    #    before the file is closed (checkpointed)
    crash_at("parks.store.search_index:_fold", 1, db, corpus)
    assert count(db, "documents") == PAGES and not integrity(db)
    crash_at("parks.store.ingest:refresh_summary", 1, db, corpus)
    assert Path(str(db) + ".wal").exists()  # the last commits live only in the WAL: it must replay
    # 4. the same command again finishes the job
    result = run_parks(db, "ingest", str(corpus))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"{PAGES} already in the database" in result.stderr
    assert any(0 < n < PAGES for n in partial), f"no kill landed mid-ingest: {partial}"
    assert not integrity(db)
    assert snapshot(db) == snapshot(clean_db)
    assert search_results(db) == search_results(clean_db)


def test_kill_9_during_a_forced_reingest(clean, tmp_path: Path) -> None:
    """Replacing documents (--force) and dying inside the replacing transaction leaves the old rows
    whole; the same command again leaves the same data as a clean run."""
    corpus, clean_db, _ = clean
    db = tmp_path / "forced.duckdb"
    shutil.copy(clean_db, db)
    part = corpus / "batch0"
    proc = subprocess.run([PYTHON, "-c", _FORCED_CRASH, str(db), str(part)], capture_output=True, text=True,
                          env=cli_env(), timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert count(db, "documents") == PAGES and not integrity(db)
    assert snapshot(db) == snapshot(clean_db)  # the killed transaction left no trace
    result = run_parks(db, "ingest", str(part), "--force")  # the same command again
    assert result.returncode == 0, result.stderr
    assert f"{len(list(part.iterdir()))} replaced" in result.stderr
    assert snapshot(db) == snapshot(clean_db)
    assert hits(search_results(db)) == hits(search_results(clean_db))


def hits(results: dict[str, str]) -> dict[str, set[tuple[str, ...]]]:
    """Which articles each search finds (title and source), whatever their scores."""
    return {q: {tuple(line.split(",")[3:7]) for line in out.splitlines()[1:]} for q, out in results.items()}


def test_reingesting_unchanged_pages_keeps_search_scores(clean, tmp_path: Path) -> None:
    from parks.store.db import connect
    from parks.store.ingest import ingest

    corpus, clean_db, _ = clean
    db = tmp_path / "replaced.duckdb"
    shutil.copy(clean_db, db)
    con = connect(db)
    ingest(con, [corpus / "batch0"], force=True)  # same bytes: the same articles come back
    con.close()
    assert snapshot(db) == snapshot(clean_db)
    assert search_results(db) == search_results(clean_db)


_FORCED_CRASH = """
import os, signal, sys
from parks.store import ingest as m
real = m.refresh_unlisted
def hook(*a, **k):
    real(*a, **k)
    os.kill(os.getpid(), signal.SIGKILL)  # inside the first group's transaction, before COMMIT
m.refresh_unlisted = hook
from parks.main import cli
cli(["--db", sys.argv[1], "ingest", sys.argv[2], "--force", "--quiet"], prog_name="parks")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT")
def test_ctrl_c_stops_with_a_summary_and_the_next_run_completes(clean, tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group (the parser workers too, with --jobs 2); here it
    arrives inside the second group's transaction, before its COMMIT."""
    corpus, clean_db, _ = clean
    db = tmp_path / "interrupted.duckdb"
    proc = subprocess.run([PYTHON, CRASH_AT, "parks.store.ingest:refresh_unlisted", "2", str(db), str(corpus),
                           "--jobs", "2"], capture_output=True, text=True, env={**cli_env(), "CRASH_SIGNAL": "INT"},
                          start_new_session=True, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 130, proc.stderr
    assert "interrupted after the last complete file" in proc.stderr
    done = count(db, "documents")
    assert 0 < done < PAGES
    assert f"{done} ingested" in proc.stderr  # the summary counts what was committed
    assert not integrity(db)
    result = run_parks(db, "ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    assert f"{PAGES - done} ingested" in result.stderr
    assert snapshot(db) == snapshot(clean_db)


@pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGINT")
def test_ctrl_c_at_any_moment_never_gives_a_traceback(clean, tmp_path: Path) -> None:
    """A real SIGINT from outside at a moment set by the clock (starting, mid-run or folding)."""
    corpus, clean_db, took = clean
    db = tmp_path / "interrupted.duckdb"
    proc = subprocess.Popen(parks_cmd(db, "ingest", str(corpus), "--jobs", "2"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=cli_env(), start_new_session=True)
    time.sleep(max(0.5 * took, 1.0))
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    stderr = err.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-3000:]
    # -SIGINT: the signal came after the work and the summary, while Python was shutting down (it
    # restores the default handler then); a shell shows that as 130 too.
    assert proc.returncode in (0, 130, -signal.SIGINT), stderr
    if proc.returncode == -signal.SIGINT:
        assert " ingested, " in stderr and "interrupted" not in stderr, stderr  # only after a complete run
    if proc.returncode == 130:
        assert "interrupted" in stderr.strip().splitlines()[-1], stderr
    assert not integrity(db)
    result = run_parks(db, "ingest", str(corpus))
    assert result.returncode == 0, result.stderr
    assert snapshot(db) == snapshot(clean_db)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc to find the workers")
def test_ctrl_c_to_the_main_process_only_leaves_no_workers_behind(clean, tmp_path: Path) -> None:
    """`kill -INT PID` reaches the writer alone: it stops, and its parser workers exit too."""
    corpus, _, took = clean
    db = tmp_path / "interrupted.duckdb"
    proc = subprocess.Popen(parks_cmd(db, "ingest", str(corpus), "--jobs", "2"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=cli_env())
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # wait for the pool to start
    # Taken now, not after the pause: on a loaded machine the workers may be done parsing by then
    # while the writer still commits, and they must be gone after the interrupt either way.
    workers = _children(proc.pid)
    assert workers or proc.poll() is not None, "no parser workers started"
    time.sleep(0.3 * took)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    stderr = err.decode("utf-8", "replace")
    if proc.returncode == 0:
        pytest.skip("the ingest finished before the interrupt arrived")
    assert proc.returncode == 130 and "Traceback" not in stderr, stderr[-3000:]
    assert "interrupted after the last complete file" in stderr
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()], "parser workers left running"
    assert not integrity(db)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def test_ctrl_c_inside_a_duckdb_statement_is_an_interrupt_too(tmp_path: Path, monkeypatch) -> None:
    """DuckDB catches a Ctrl-C that arrives while a statement runs and raises RuntimeError('Query
    interrupted') instead of KeyboardInterrupt: that printed a traceback."""
    from click.testing import CliRunner

    from parks.main import cli
    from parks.store import ingest as ingest_mod

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 3)
    real = ingest_mod._Rows.flush

    def interrupted(self, con):  # type: ignore[no-untyped-def]
        real(self, con)
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(ingest_mod._Rows, "flush", interrupted)
    db = tmp_path / "db.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(corpus)])
    assert result.exit_code == 130, result.output
    assert "interrupted after the last complete file" in result.stderr and "0 ingested" in result.stderr
    assert count(db, "documents") == 0  # the interrupted group was rolled back whole
    monkeypatch.setattr("parks.store.ingest.refresh_reference",
                        lambda con: (_ for _ in ()).throw(RuntimeError("Query interrupted")))
    early = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(corpus)])  # before any page
    assert early.exit_code == 130 and early.stderr.startswith("parks: interrupted"), early.output


def test_ctrl_c_during_a_query_is_one_line(clean, monkeypatch) -> None:
    from click.testing import CliRunner

    from parks.main import cli
    from parks.store import queries

    _, clean_db, _ = clean

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(queries, "stream", interrupted)
    result = CliRunner().invoke(cli, ["--db", str(clean_db), "query", "sql", "SELECT 1"])
    assert result.exit_code == 130 and result.stderr.strip() == "parks: interrupted", result.output
