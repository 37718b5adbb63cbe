"""`parks` as a real process: pipes closed early, read-only SQL, locale, import weight, memory."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from query_fixtures import make_db

from parks.store.db import connect

BIN = Path(sys.executable).parent
PARKS = [str(BIN / "parks")] if (BIN / "parks").exists() else [sys.executable, "-m", "parks"]


def parks(*args: str, env: dict | None = None, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*PARKS, *args], capture_output=True, env={**os.environ, **(env or {})}, input=input,
                          timeout=120)


def grow(path: Path, n: int) -> Path:
    """The test database plus `n` generated figures (own words), enough to overflow a pipe."""
    make_db(path)
    con = connect(path)
    con.execute(f"""
        INSERT INTO figures SELECT 100 + i, 1 + i % 3,
               CASE i % 3 WHEN 0 THEN '西安高新区' WHEN 1 THEN '肇庆高新区' ELSE '包头稀土高新区' END,
               'enterprises', i * 1.5, NULL, '家', '=', '2023', false, 'level', 'actual', '',
               '园区企业数量达到' || i || '家', 0, 5, i::VARCHAR
        FROM range({n}) t(i)""")
    con.close()
    return path


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return grow(tmp_path_factory.mktemp("big") / "big.duckdb", 60_000)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "table --limit 900"])
def test_head_closes_the_pipe_early(big: Path, fmt: str) -> None:
    cmd = " ".join([*PARKS, "--db", str(big), "query", "metrics", "--format", fmt])
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {cmd} | head -2"], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert len(proc.stdout.splitlines()) == 2


def test_reader_that_stops_reading(big: Path) -> None:
    """Like `| head`, with the exit status of parks itself and its stderr checked directly."""
    proc = subprocess.Popen([*PARKS, "--db", str(big), "query", "sql", "SELECT * FROM range(3000000)"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = [proc.stdout.readline(), proc.stdout.readline()]
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert first == [b"range\n", b"0\n"] and err == b""


def test_utf8_whatever_the_locale(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    for env in ({"LC_ALL": "C", "LANG": "C"}, {"PYTHONIOENCODING": "latin-1"}, {"PYTHONIOENCODING": "ascii"}):
        proc = parks("--db", str(db), "query", "parks", "--columns", "park", "--sort", "park", env=env)
        assert proc.returncode == 0 and proc.stderr == b""
        assert proc.stdout.decode("utf-8").splitlines()[:2] == ["park", "包头稀土高新区"]
        table = parks("--db", str(db), "query", "parks", "--format", "table", "--columns", "park", env=env)
        assert table.returncode == 0 and "包头稀土高新区" in table.stdout.decode("utf-8")


READ_ONLY = [
    "CREATE TABLE stolen AS SELECT * FROM figures",
    "INSERT INTO parks (park) VALUES ('假园区')",
    "UPDATE figures SET value = 0",
    "COPY figures TO '{out}'",
    "ATTACH '{out}' AS other",
    "SELECT * FROM read_csv('/etc/passwd')",
    "INSTALL httpfs",
    "SET enable_external_access = true; SELECT * FROM read_csv('/etc/passwd')",
]


@pytest.mark.parametrize("statement", READ_ONLY)
def test_sql_cannot_write_or_read_files(tmp_path: Path, statement: str) -> None:
    db = make_db(tmp_path / "t.duckdb")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    out = tmp_path / "out.file"
    proc = parks("--db", str(db), "query", "sql", statement.format(out=out))
    assert proc.returncode == 1
    assert proc.stdout == b""
    err = proc.stderr.decode()
    assert len(err.splitlines()) == 1 and err.startswith("parks: query sql ") and "Traceback" not in err
    assert "root:" not in err
    assert not out.exists()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.duckdb"]


def test_sql_from_stdin(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    proc = parks("--db", str(db), "query", "sql", "-", "--format", "jsonl",
                 input="SELECT park FROM parks WHERE park = '西安高新区'".encode())
    assert proc.returncode == 0 and proc.stdout.decode() == '{"park": "西安高新区"}\n'


HEAVY = ("textual", "jieba", "rich", "opencc", "cn2an", "selectolax", "charset_normalizer", "parks.parsers",
         "parks.tui", "parks.store.ingest", "parks.store.search", "pandas", "numpy")


def test_one_shot_path_stays_light(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "parks", "--db", str(db), "query", "parks",
                           "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "duckdb" in modules and "click" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY))
    assert heavy == []


@pytest.mark.slow
def test_memory_does_not_grow_with_the_result(tmp_path: Path) -> None:
    """Peak memory of a 20k-row and a 400k-row export differ by far less than the output size."""
    def peak(db: Path) -> tuple[int, int]:
        code = ("import resource, sys; from parks.main import main\n"
                f"sys.argv = ['parks', '--db', {str(db)!r}, 'query', 'metrics', '--format', 'jsonl']\n"
                "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code\n"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")
        with open(os.devnull, "wb") as null:
            proc = subprocess.run([sys.executable, "-c", code], stdout=null, stderr=subprocess.PIPE, timeout=600,
                                  env={**os.environ, "PARKS_MEMORY_LIMIT": "128MB"})
        assert proc.returncode == 0, proc.stderr[-2000:]
        kb = int(proc.stderr.decode().split()[-1])
        size = subprocess.run([*PARKS, "--db", str(db), "query", "sql", "SELECT count(*) FROM figures"],
                              capture_output=True).stdout
        return kb, int(size.split()[-1])

    small, n_small = peak(grow(tmp_path / "s.duckdb", 20_000))
    large, n_large = peak(grow(tmp_path / "l.duckdb", 400_000))
    assert n_large > 15 * n_small
    # 380k more rows are ~100 MB of JSON lines; holding them would show here
    assert large - small < 150_000, (small, large)


def _on_terminal(args: list[str], until: bytes, keys: bytes = b"", timeout: float = 60) -> tuple[int, bytes]:
    """Run parks with stdin and stdout on a pseudo-terminal; once `until` shows, type `keys`.

    Returns the exit status and everything written to the terminal."""
    import contextlib
    import pty
    import select
    import time

    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    proc = subprocess.Popen([*PARKS, *args], stdin=follower, stdout=follower, stderr=follower,
                            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"})
    os.close(follower)
    seen, sent, deadline = b"", False, time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            chunk = b""
            if ready:
                with contextlib.suppress(OSError):  # EIO: every end of the terminal's other side is closed
                    chunk = os.read(leader, 1 << 16)
                seen += chunk
            if not sent and until in seen:
                os.write(leader, keys)
                sent = True
            if proc.poll() is not None and not chunk:
                return proc.returncode, seen
        raise AssertionError(f"parks did not finish on the terminal: {seen[-500:]!r}")
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(leader)


def test_a_terminal_gets_a_table_by_default(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    code, seen = _on_terminal(["--db", str(db), "query", "parks", "--columns", "park,articles"], until=b"\0")
    text = seen.decode("utf-8", "replace")
    assert code == 0
    assert "西安高新区" in text and "park" in text and "┃" in text  # rich's table, not CSV
    assert "park,articles" not in text


def test_parks_alone_on_a_terminal_opens_the_dashboard(tmp_path: Path) -> None:
    db = make_db(tmp_path / "t.duckdb")
    code, seen = _on_terminal(["--db", str(db)], until="Parks 园区".encode(), keys=b"q")
    assert code == 0
    assert b"\x1b[?1049h" in seen  # the dashboard took over the screen
    assert "Usage: parks" not in seen.decode("utf-8", "replace")
