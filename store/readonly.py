"""A connection on which a user's own SQL (`parks query sql`) can read the store and nothing else.

Three locks, each of which would stop some of it alone: the file is opened read-only (no CREATE,
INSERT, UPDATE, DELETE on the database), external access is switched off (no read_csv of local
files, no COPY … TO, no ATTACH of other files, no INSTALL or LOAD of extensions), and the
configuration is locked so the SQL cannot switch either back on.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from .db import connect

_LOCKS = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET lock_configuration = true",
)


def open_locked(path: Path) -> duckdb.DuckDBPyConnection:
    """Open `path` read-only with external access off and the configuration locked (StoreError if it cannot)."""
    con = connect(path, read_only=True)
    try:
        for stmt in _LOCKS:
            con.execute(stmt)
    except BaseException:
        con.close()
        raise
    return con


def lock(con: duckdb.DuckDBPyConnection) -> None:
    """Lock an already open read-only connection the same way."""
    for stmt in _LOCKS:
        con.execute(stmt)


_STATEMENT = re.compile(r'statement of type "(\w+)"')


def explain(exc: duckdb.Error) -> str:
    """One line a user can act on, for an error raised by their SQL."""
    msg = str(exc).strip()
    first = msg.splitlines()[0] if msg else type(exc).__name__
    low = msg.lower()
    if "extension" in low and ("disabled" in low or "/extensions" in low):
        return "query sql cannot install or load extensions"
    if "file system operations are disabled" in low or "external access" in low:
        return ("query sql cannot read or write files outside the database "
                "(read_csv, COPY, ATTACH, EXPORT and the like are disabled)")
    if "attached in read-only mode" in low or "read-only mode" in low:
        kind = _STATEMENT.search(msg)
        what = f"{kind[1]} statements are" if kind else "changes are"
        return f"query sql is read-only: {what} not allowed (the database is opened read-only)"
    if "configuration has been locked" in low:
        return "query sql cannot change settings"
    detail = _context(msg)
    return f"SQL error: {_strip_kind(first)}{detail}"


def _strip_kind(line: str) -> str:
    """'Parser Error: syntax error at or near "SELEC"' stays as written; only the trailing period goes."""
    return line.rstrip(".")


def _context(msg: str) -> str:
    """DuckDB points at the error with `LINE n: …`; keep the line number in the one-line message."""
    m = re.search(r"^LINE (\d+):", msg, re.MULTILINE)
    return f" (line {m[1]})" if m else ""
