"""What every command shares: where the database is, how to open it, how to fail."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import click
import duckdb


@dataclass
class Context:
    db: Path | None  # as given by --db / PARKS_DB; None means the default location
    resolved: Path | None = None


pass_ctx = click.make_pass_decorator(Context)


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line on stderr, no traceback."""
    click.echo(f"parks: {message}", err=True)
    sys.exit(code)


def utf8(text: str) -> bool:
    """False for text holding bytes that were not UTF-8 (a file name, an argument): Python keeps them
    as lone surrogates, which DuckDB cannot take (it fails with a bare `std::bad_cast`)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(path: Path | str) -> str:
    """A path for a message, its bytes that are not UTF-8 shown as U+FFFD."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def open_db(obj: Context, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the database; at the default location, build it from the sample corpus on first use and
    bring it to this version's schema when an older parks wrote it."""
    from parks.store.db import OlderSchemaError, StoreError, connect, default_db_path

    explicit = obj.db is not None
    path = obj.db if explicit else default_db_path()
    obj.resolved = path
    if not utf8(str(path)):
        fail(f"cannot open {shown(path)}: DuckDB needs a database path that is valid UTF-8 (choose another --db)")
    try:
        if not path.exists() and not explicit:
            _build_sample(path)
        try:
            con = connect(path, read_only=read_only, create=not read_only)
        except OlderSchemaError as exc:
            if explicit:
                raise
            _upgrade(path, exc.version)
            con = connect(path, read_only=read_only)
    except StoreError as exc:
        fail(str(exc))
    if read_only:
        for_output(con)
    return con


MEMORY_LIMIT = "512MB"


def for_output(con: duckdb.DuckDBPyConnection) -> None:
    """Settings for a one-shot command: nothing on stderr, and bounded memory.

    DuckDB draws a progress bar on the terminal for queries that take more than two seconds;
    stderr is for our messages only. A large ORDER BY spills to a temporary folder beyond the
    memory limit, so the memory of `parks query metrics` does not grow with the result.
    """
    import tempfile

    spill = Path(tempfile.gettempdir()) / f"parks-duckdb-{os.getuid() if hasattr(os, 'getuid') else 0}"
    limit = os.environ.get("PARKS_MEMORY_LIMIT", MEMORY_LIMIT)
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
    except duckdb.Error:
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")  # a malformed PARKS_MEMORY_LIMIT
    con.execute("SET temp_directory = '" + str(spill).replace("'", "''") + "'")


def open_locked(obj: Context) -> duckdb.DuckDBPyConnection:
    """The database for a user's own SQL: read-only, no files, no extensions, settings locked."""
    from parks.store.readonly import lock

    con = open_db(obj, read_only=True)
    try:
        lock(con)
    except BaseException:
        con.close()
        raise
    return con


def resolved_filters(con: duckdb.DuckDBPyConnection, **values):  # type: ignore[no-untyped-def]
    """The user's filter values with parks, metrics and industries spelled canonically.

    An unknown name is an error (exit 1) naming the closest known ones.
    """
    from parks.store.queries import Filters, QueryError, resolve

    try:
        return resolve(con, Filters(**{k: v for k, v in values.items() if v is not None}))
    except QueryError as exc:
        fail(str(exc))


def db_error(exc: Exception) -> str:
    """A DuckDB error as one line."""
    msg = str(exc).strip()
    return f"database error: {msg.splitlines()[0] if msg else type(exc).__name__}"


def _upgrade(path: Path, version: int) -> None:
    """The default database is parks' own file: a newer parks brings it to its schema on first use
    (a copy of the old file is kept beside it) instead of asking for an ingest."""
    from parks.store.db import SCHEMA_VERSION, connect

    click.echo(f"parks: updating {shown(path)} from schema {version} to {SCHEMA_VERSION} (once; the old file is "
               "kept beside it as a backup)…", err=True)
    connect(path).close()


def _build_sample(path: Path) -> None:
    """First run: a database of the bundled sample corpus, so the dashboard has something to show."""
    from importlib import resources

    from parks.store.db import connect
    from parks.store.ingest import ingest

    click.echo(f"parks: first run, building {path} from the bundled sample corpus…", err=True)
    corpus = Path(str(resources.files("parks.sample_corpus")))
    tmp = path.with_name(path.name + ".building")
    tmp.unlink(missing_ok=True)
    con = connect(tmp, create=True)
    try:
        ingest(con, [corpus])  # refreshes the park summary too
    finally:
        con.close()
    tmp.replace(path)
