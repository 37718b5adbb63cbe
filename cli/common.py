"""What every command shares: where the database is, how to open it, how to fail."""

from __future__ import annotations

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


def open_db(obj: Context, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the database; at the default location, build it from the sample corpus on first use."""
    from parks.store.db import StoreError, connect, default_db_path

    explicit = obj.db is not None
    path = obj.db if explicit else default_db_path()
    obj.resolved = path
    try:
        if not path.exists() and not explicit:
            _build_sample(path)
        return connect(path, read_only=read_only, create=not read_only)
    except StoreError as exc:
        fail(str(exc))


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
        ingest(con, [corpus])
    finally:
        con.close()
    tmp.replace(path)
