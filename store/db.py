"""Opening the database: the one place that knows about locks, versions and foreign files.

Every failure becomes a StoreError whose message a user can act on; callers print it and exit.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from .schema import MIGRATIONS, SCHEMA_VERSION, create_statements


class StoreError(Exception):
    """A database problem explained for the user."""


class OlderSchemaError(StoreError):
    """A parks database of an older schema, opened read-only (readers never migrate)."""

    def __init__(self, version: int, message: str) -> None:
        super().__init__(message)
        self.version = version


def default_db_path() -> Path:
    """`PARKS_DB`, else the platform's user data directory."""
    env = os.environ.get("PARKS_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("parks", appauthor=False)) / "parks.duckdb"


# How long an ingest waits for readers to let go: a query finishes in moments and the dashboard
# closes its connection after a few idle seconds (tui/source.py). A writer never waits for a writer.
READER_WAIT = 10.0
_HELD = re.compile(r"held in (.*?) \(PID (\d+)\)")


def _lock_conflict(msg: str) -> bool:
    low = msg.lower()
    return "could not set lock" in low or "conflicting lock" in low


def _held_by_reader(msg: str) -> bool:
    """DuckDB adds this hint when the process holding the file has it open read-only."""
    return _lock_conflict(msg) and "read-only mode" in msg


def _explain(path: Path, exc: Exception, read_only: bool = False) -> StoreError:
    msg = str(exc)
    first = msg.strip().splitlines()[0] if msg.strip() else repr(exc)
    if _lock_conflict(msg):
        held = _HELD.search(msg)
        who = f"process {held.group(2)} ({Path(held.group(1)).name})" if held else "another process"
        if read_only:
            what = "writing it (an ingest); try again when it has finished"
        elif _held_by_reader(msg):
            what = "reading it (the dashboard or a query); close it, then try again"
        else:
            what = "writing it (another ingest); wait for it to finish, then try again"
        return StoreError(f"database {path} is in use by {who}, which is {what}")
    if "Corrupt database file" in msg or "Could not read enough bytes" in msg:
        return StoreError(f"{path} is damaged ({first}); restore a backup copy or move it away and ingest again")
    if "not a valid DuckDB database" in msg or "Invalid Input Error" in msg:
        return StoreError(f"{path} is not a DuckDB database (refusing to touch it)")
    return StoreError(f"cannot open database {path}: {first}")


def _sniff(path: Path) -> None:
    """Refuse a file that is not DuckDB before DuckDB opens it (for a SQLite file it would go
    looking for an extension on the internet)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read database {path} ({exc.strerror or exc})") from exc
    if not head:
        raise StoreError(f"{path} is an empty file, not a DuckDB database (delete it to start a new database)")
    if head[8:12] != b"DUCK":
        kind = "a SQLite database, " if head.startswith(b"SQLite format 3") else ""
        raise StoreError(f"{path} is {kind}not a DuckDB database (refusing to touch it)")


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + (0.0 if read_only else READER_WAIT)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _held_by_reader(str(exc)) or time.monotonic() >= deadline:
                raise _explain(path, exc, read_only) from exc
        time.sleep(0.1)


def connect(path: Path, read_only: bool = False, create: bool = False) -> duckdb.DuckDBPyConnection:
    """Open `path`; create and initialise it only when `create` is true."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError(f"no database at {path} (run `parks ingest PATH` to build one)")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    else:
        _sniff(path)
    con = _open(path, read_only)
    try:
        _check_schema(con, path, read_only)
    except duckdb.Error as exc:
        con.close()
        raise _explain(path, exc, read_only) from exc
    except BaseException:
        con.close()
        raise
    return con


def schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """None for an empty database, -1 for one whose tables are not ours."""
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if not tables:
        return None
    if "meta" not in tables:
        return -1
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else -1


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
    version = schema_version(con)
    if version == -1:
        raise StoreError(f"{path} is a DuckDB file but not a parks database (refusing to touch it)")
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer parks (schema {version}, this one knows {SCHEMA_VERSION}); upgrade parks"
        )
    if read_only:
        if version is None:
            raise StoreError(f"{path} is empty (run `parks ingest PATH` first)")
        if version < SCHEMA_VERSION:
            raise OlderSchemaError(version, f"{path} has an older schema ({version}); run `parks --db {path} ingest "
                                   "PATH` once with any of its folders to migrate it (unchanged pages are not read again)")
        return
    if version is None:
        _create(con)
    elif version < SCHEMA_VERSION:
        _migrate(con, path, version)


def _create(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("BEGIN")
    for stmt in create_statements():
        con.execute(stmt)
    con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    con.execute("COMMIT")


def _migrate(con: duckdb.DuckDBPyConnection, path: Path, version: int) -> None:
    """Forward migrations run after a backup copy of the file is written beside it; a migration
    that fails is rolled back whole, leaving the file as it was."""
    con.execute("CHECKPOINT")
    backup = _backup_path(path, version)
    try:
        shutil.copy2(path, backup)
    except OSError as exc:
        raise StoreError(f"cannot write the backup {backup} before migrating {path} "
                         f"({exc.strerror or exc}); nothing was changed") from exc
    start = version
    con.execute("BEGIN")
    try:
        while version < SCHEMA_VERSION:
            for stmt in MIGRATIONS.get(version, []):
                con.execute(stmt)
            version += 1
        for stmt in create_statements():
            con.execute(stmt)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    except duckdb.Error as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"could not migrate {path} from schema {start} to {SCHEMA_VERSION} ({first}); "
                         f"the database was left as it was, and a copy is at {backup}") from exc
    # Articles a migration left pending (the search index of an older layout was dropped) are cut into
    # keys now, so that a migrated file is whole at once; interrupted, they stay searchable by their text.
    from .search_index import finish_ingest

    finish_ingest(con)


def _backup_path(path: Path, version: int) -> Path:
    """`NAME.v0.bak`, or `NAME.v0.2.bak` … when an earlier backup is already there (never overwritten)."""
    backup = path.with_name(f"{path.name}.v{version}.bak")
    n = 2
    while backup.exists():
        backup = path.with_name(f"{path.name}.v{version}.{n}.bak")
        n += 1
    return backup


@contextlib.contextmanager
def temporary_settings(con: duckdb.DuckDBPyConnection, **values: str) -> Iterator[None]:
    """DuckDB settings for a while, each restored afterwards: exactly (RESET) when it was the
    default, else to the value DuckDB reported (a size comes back rounded: 18.8 GiB set again is
    18.7 GiB). A limit DuckDB cannot lower right now (it holds more) stays as it was."""
    saved = []
    for key, value in values.items():
        before = current_setting(con, key)
        con.execute(f"RESET {key}")
        saved.append((key, before, current_setting(con, key) == before))
        with contextlib.suppress(duckdb.OutOfMemoryException):
            con.execute(f"SET {key} = '{value}'")
    try:
        yield
    finally:
        for key, before, default in reversed(saved):
            with contextlib.suppress(duckdb.Error):
                con.execute(f"RESET {key}" if default else f"SET {key} = '{before}'")


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Undo the open transaction. A statement interrupted by Ctrl-C may already have ended it
    (DuckDB then says no transaction is active): that is not an error to report over the interrupt."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")


def current_setting(con: duckdb.DuckDBPyConnection, key: str) -> str:
    return str(con.execute(f"SELECT current_setting('{key}')").fetchone()[0])
