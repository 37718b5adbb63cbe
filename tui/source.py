"""The dashboard's hold on the database: read-only, opened for a burst of queries, let go when idle.

DuckDB locks the file even for a read-only connection, so an open dashboard would keep `parks
ingest` out. The connection is therefore closed after a few idle seconds and reopened on the next
query; the cost is one file open (a few milliseconds), paid only after a pause.

Small views that are costly to compute (a park's counts need every mention) are copied once into an
in-process, in-memory DuckDB (`snapshot`); they stay there when the file is let go, and `r`
(reload) copies them again.

Work fetched ahead in a worker (`background`) gives way to the user: any other query (the main
thread's, a search's, an export's) interrupts the background ones (they raise `Interrupted` and are
tried again later), and `quiet(seconds)` tells the worker when nothing was asked of the database
for a while. On two cores a background query would otherwise halve the speed of the sort or
filter the user is waiting for.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

import duckdb

from parks.store.db import StoreError, connect

T = TypeVar("T")


class Interrupted(StoreError):
    """A background query stopped because the user asked for something (try it again later)."""


class Source:
    """Opens `path` read-only on demand; `close_if_idle` is called from a timer."""

    def __init__(self, path: Path, idle_seconds: float = 3.0) -> None:
        self.path = Path(path)
        self.idle_seconds = idle_seconds
        self._con: duckdb.DuckDBPyConnection | None = None
        self._last_used = 0.0
        self._busy = 0
        self._lock = threading.RLock()  # search, export and prefetching run in worker threads
        self._memory: duckdb.DuckDBPyConnection | None = None
        self._snapshots: set[str] = set()
        self._snapshot_lock = threading.RLock()
        self._local = threading.local()  # .background: this thread's queries give way
        self._running_background: set[duckdb.DuckDBPyConnection] = set()
        self._foreground_at = 0.0  # monotonic time of the last query the user waited for
        self.stamp = self.file_stamp()

    def file_stamp(self) -> tuple[float, int, float, int]:
        """(mtime, size) of the file and of its write-ahead log: changes when an ingest commits."""
        out: list[float | int] = []
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                st = os.stat(p)
                out += [st.st_mtime, st.st_size]
            except OSError:
                out += [0.0, 0]
        return tuple(out)  # type: ignore[return-value]

    def changed(self) -> bool:
        return self.file_stamp() != self.stamp

    @contextmanager
    def background(self):  # type: ignore[no-untyped-def]
        """Queries of this thread inside the block give way to the main thread's (see `Interrupted`)."""
        self._local.background = True
        try:
            yield
        finally:
            self._local.background = False

    def quiet(self, seconds: float) -> bool:
        """Nothing but background work was asked of the database for `seconds`."""
        return time.monotonic() - self._foreground_at >= seconds

    def _foreground(self) -> bool:
        """A query the user waits for (any but a background one, in whatever thread: search and
        export run in workers): note the time and stop the background queries (they are retried later).
        An interrupt that lands just before DuckDB starts a query is lost: that one runs to its end."""
        if getattr(self._local, "background", False):
            return False
        self._foreground_at = time.monotonic()
        with self._lock:
            for con in list(self._running_background):
                with suppress(duckdb.Error):
                    con.interrupt()
        return True

    @contextmanager
    def connection(self):  # type: ignore[no-untyped-def]
        """The open connection (opened if needed); raises StoreError with a message for the user."""
        foreground = self._foreground()
        background = not foreground
        main = threading.current_thread() is threading.main_thread()
        with self._lock:
            if self._con is None:
                self._con = connect(self.path, read_only=True)
            self._busy += 1
            # a worker thread gets its own cursor: one DuckDB connection is not for two threads at once
            con = self._con if main and foreground else self._con.cursor()
            if background:
                self._running_background.add(con)
        try:
            yield con
        except duckdb.InterruptException as exc:
            raise Interrupted("the query gave way to the user's") from exc
        except duckdb.Error as exc:
            raise StoreError(f"the query failed: {str(exc).splitlines()[0]}") from exc
        finally:
            with self._lock:
                self._running_background.discard(con)
                if con is not self._con:
                    with suppress(duckdb.Error):
                        con.close()
                self._busy -= 1
                self._last_used = time.monotonic()
                if foreground:
                    self._foreground_at = self._last_used

    def run(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        with self.connection() as con:
            return fn(con)

    def run_memory(self, name: str, make: Callable[[duckdb.DuckDBPyConnection, duckdb.DuckDBPyConnection], object],
                   fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run `fn` on the in-memory database once snapshot `name` is there (`make(file, memory)` copies it)."""
        self._foreground()
        with self._snapshot_lock:  # one copy at a time; file queries go on meanwhile
            with self._lock:
                if self._memory is None:
                    self._memory = duckdb.connect(":memory:")
                memory = self._memory
            if name not in self._snapshots:
                with self.connection() as con:
                    make(con, memory.cursor() if threading.current_thread() is not threading.main_thread()
                         else memory)
                self._snapshots.add(name)
        mem = memory if threading.current_thread() is threading.main_thread() else memory.cursor()
        try:
            return fn(mem)
        except duckdb.Error as exc:
            raise StoreError(f"the query failed: {str(exc).splitlines()[0]}") from exc
        finally:
            if mem is not memory:
                mem.close()

    def forget(self) -> None:
        """Drop the in-memory copies and let go of the file: the next query reads it afresh."""
        with self._snapshot_lock, self._lock:
            self._snapshots.clear()
            self.close()

    def mark_loaded(self) -> None:
        """What is on screen now matches the file as it is."""
        self.stamp = self.file_stamp()

    def close_if_idle(self) -> None:
        with self._lock:
            if self._con is not None and not self._busy and time.monotonic() - self._last_used > self.idle_seconds:
                self.close()

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                con, self._con = self._con, None
                with suppress(duckdb.Error):
                    con.close()

    @property
    def is_open(self) -> bool:
        return self._con is not None


__all__ = ["Interrupted", "Source", "StoreError"]
