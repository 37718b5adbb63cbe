"""Opening the database: the one place that knows about locks, versions and foreign files.

Every failure becomes a StoreError whose message a user can act on; callers print it and exit.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb

from .schema import MIGRATIONS, SCHEMA_VERSION, create_statements


class StoreError(Exception):
    """A database problem explained for the user."""


def default_db_path() -> Path:
    """`PARKS_DB`, else the platform's user data directory."""
    env = os.environ.get("PARKS_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("parks", appauthor=False)) / "parks.duckdb"


def _explain(path: Path, exc: Exception) -> StoreError:
    msg = str(exc)
    if "lock" in msg.lower():
        holder = re.search(r"PID (\d+)", msg)
        who = f"process {holder.group(1)}" if holder else "another process"
        return StoreError(
            f"database {path} is in use by {who} (an ingest or the dashboard); "
            "wait for it to finish or close it, then try again"
        )
    if "not a valid DuckDB database" in msg or "Invalid Input Error" in msg or "invalid" in msg.lower():
        return StoreError(f"{path} is not a DuckDB database (refusing to touch it)")
    return StoreError(f"cannot open database {path}: {msg.splitlines()[0] if msg else exc!r}")


def connect(path: Path, read_only: bool = False, create: bool = False) -> duckdb.DuckDBPyConnection:
    """Open `path`; create and initialise it only when `create` is true."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise StoreError(f"no database at {path} (run `parks ingest PATH` to build one)")
        path.parent.mkdir(parents=True, exist_ok=True)
    elif path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise _explain(path, exc) from exc
    try:
        _check_schema(con, path, read_only)
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
            raise StoreError(f"{path} has an older schema ({version}); run `parks ingest` once to migrate it")
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
    """Forward migrations run after a backup copy of the file is written beside it."""
    con.execute("CHECKPOINT")
    backup = path.with_name(f"{path.name}.v{version}.bak")
    shutil.copy2(path, backup)
    con.execute("BEGIN")
    while version < SCHEMA_VERSION:
        for stmt in MIGRATIONS.get(version, []):
            con.execute(stmt)
        version += 1
    for stmt in create_statements():
        con.execute(stmt)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
    con.execute("COMMIT")
