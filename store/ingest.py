"""Writing parsed documents into the store, one transaction per document.

A document is identified by its content hash and remembered by its path: the same bytes again are
skipped, changed bytes at a known path replace the old rows, and a crash or Ctrl-C between two
documents leaves every committed document whole and nothing of the interrupted one.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from ..parsers.model import ParsedArticle, ParsedDocument, StreamedDocument, UnlistedPark
from ..parsers.parks import owner
from ..parsers.pipeline import Failure, Unparsable, parse_path, stream_path
from ..parsers.reader import format_of
from . import search
from .db import rollback, temporary_settings
from .ingest_util import insert_rows
from .reference import refresh_reference
from .schema import ARTICLE_TABLES
from .summary import refresh as refresh_summary

Event = Callable[[str, str, str], None]  # (kind, path, detail): kind in found|done|skipped|failed|warning
Document = ParsedDocument | StreamedDocument

# Pages bigger than this are parsed while they are written (in the writer's process), a few
# hundred articles at a time, instead of being held parsed whole: parsed records take about 35
# times the page's size in memory.
STREAM_BYTES = 2 * 2**20
ROWS_ARTICLES = 512  # articles whose rows are buffered before they are inserted
INGEST_MEMORY = "512MB"  # DuckDB's memory limit while documents are written (see _writing)
CHECKPOINT_EVERY = "128MB"  # write-ahead log that triggers a checkpoint while documents are written


@dataclass(slots=True)
class Summary:
    files: int = 0  # files seen with a supported extension
    ingested: int = 0
    unchanged: int = 0
    replaced: int = 0
    articles: int = 0
    figures: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): not pages
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    bytes: int = 0


# Files that describe a folder rather than report news; named explicitly they are still read.
_NOT_PAGES = {"README", "LICENSE", "CHANGELOG", "CONTRIBUTING"}


def discover(paths: Iterable[Path], summary: Summary) -> list[Path]:
    """Files to read under `paths`, recursively, in a stable order; symlink loops are cut."""
    found: list[Path] = []
    seen_dirs: set[tuple[int, int]] = set()
    for root in paths:
        if not root.exists():
            summary.failed.append((str(root), "does not exist"))
        elif root.is_dir():
            _walk(root, found, seen_dirs, summary)
        elif format_of(root) is None:
            summary.skipped.append((str(root), f"unsupported file type {root.suffix or '(none)'}"))
        else:
            found.append(root)
    return _usable(found, summary)


def _usable(found: list[Path], summary: Summary) -> list[Path]:
    """Each file once, and only files whose name the database can store (valid Unicode)."""
    out: list[Path] = []
    seen: set[str] = set()
    for path in found:
        name = str(path)
        if name in seen:
            continue
        seen.add(name)
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            summary.failed.append((shown, "has a file name that is not valid UTF-8 (rename the file)"))
            continue
        out.append(path)
    return out


def _walk(root: Path, found: list[Path], seen: set[tuple[int, int]], summary: Summary) -> None:
    """Depth first in name order, without recursion: a folder nested thousands deep is fine."""
    stack = [str(root)]
    while stack:
        top = stack.pop()
        try:
            st = os.stat(top)
            key = (st.st_dev, st.st_ino)
            if key in seen:  # a symlink loop or a folder reached twice
                continue
            seen.add(key)
            with os.scandir(top) as it:
                entries = list(it)
        except OSError as exc:
            summary.failed.append((top, f"cannot be listed ({exc.strerror or exc})"))
            continue
        dirs = []
        for entry in sorted(entries, key=lambda e: e.name):
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False  # a symlink loop: reported when it is read
            if is_dir:
                dirs.append(entry.path)
            else:
                _file(Path(entry.path), found, summary)
        stack.extend(reversed(dirs))


def _file(path: Path, found: list[Path], summary: Summary) -> None:
    if path.name.startswith((".", "__")):  # hidden files, __init__.py of a packaged corpus
        return
    if format_of(path) is None:
        summary.skipped.append((str(path), f"unsupported file type {path.suffix or '(none)'}"))
    elif path.stem.upper() in _NOT_PAGES:
        summary.skipped.append((str(path), "a folder's own notes, not a page"))
    else:
        found.append(path)


# Errors caused by what one document holds (a value DuckDB cannot convert or store); any other
# database error (disk full, I/O) ends the run instead of failing every remaining file.
_DOCUMENT_ERRORS = (duckdb.ConversionException, duckdb.InvalidInputException, duckdb.ConstraintException,
                    duckdb.OutOfRangeException)


def _stored_reason(exc: Exception) -> str:
    if isinstance(exc, Unparsable):
        return str(exc)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"could not be stored in the database ({first})"


class Writer:
    """Owns the write connection during an ingest run.

    Documents are committed in groups (up to `batch_docs`, or every `batch_seconds`): each
    document is always written whole inside one transaction, so a crash or Ctrl-C loses at most
    the uncommitted group, which the next run ingests again. One transaction per document would
    spend more time committing than parsing (DuckDB's commit and per-statement costs dominate
    for pages of a few kilobytes).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, batch_docs: int = 64, batch_seconds: float = 2.0) -> None:
        self.con = con
        self.batch_docs = batch_docs
        self.batch_seconds = batch_seconds
        self.pending: list[tuple[Document, bool]] = []
        self.started = time.perf_counter()
        self.next_article = self._max("articles", "article_id") + 1
        self.next_doc = self._max("documents", "doc_id") + 1
        self.next_figure = self._max("figures", "figure_id") + 1
        self.rejected: list[tuple[Document, str]] = []
        self.on_reject: Callable[[Document, str], None] = lambda doc, why: self.rejected.append((doc, why))

    def _max(self, table: str, col: str) -> int:
        return int(self.con.execute(f"SELECT coalesce(max({col}), 0) FROM {table}").fetchone()[0])

    def known(self) -> tuple[dict[str, str], dict[str, str]]:
        """(path -> content hash, content hash -> path) of what is stored."""
        rows = self.con.execute("SELECT path, content_hash FROM documents").fetchall()
        return {p: h for p, h in rows}, {h: p for p, h in rows}

    def add(self, doc: Document, replace: bool) -> list[tuple[Document, bool]]:
        """Queue a document; returns the documents committed by this call (often none)."""
        if isinstance(doc, StreamedDocument):  # read once: in a transaction of its own, never retried
            done = self.flush()
            self.pending.append((doc, replace))
            return done + self.flush()
        if not self.pending:
            self.started = time.perf_counter()
        self.pending.append((doc, replace))
        full = len(self.pending) >= self.batch_docs
        if full or time.perf_counter() - self.started >= self.batch_seconds:
            return self.flush()
        return []

    def write(self, doc: Document, replace: bool) -> None:
        """Write one document now, in a transaction of its own."""
        self.pending.append((doc, replace))
        self.flush()

    def flush(self) -> list[tuple[Document, bool]]:
        """Commit every queued document in one transaction; all or none of them.

        When the group is refused for what one document holds, the documents are written one by
        one instead, so that only that document fails (reported through `on_reject`)."""
        batch, self.pending = self.pending, []
        if not batch:
            return []
        try:
            self._commit(batch)
            return batch
        except (*_DOCUMENT_ERRORS, Unparsable) as exc:
            if len(batch) == 1 or isinstance(exc, Unparsable):
                self.on_reject(batch[0][0], _stored_reason(exc))
                return []
        done = []
        for item in batch:
            try:
                self._commit([item])
                done.append(item)
            except (*_DOCUMENT_ERRORS, Unparsable) as exc:
                self.on_reject(item[0], _stored_reason(exc))
        return done

    def _commit(self, batch: list[tuple[Document, bool]]) -> None:
        ids = (self.next_doc, self.next_article, self.next_figure)
        con = self.con
        con.execute("BEGIN")
        try:
            for doc, replace in batch:
                if replace:
                    self._delete(doc.source.path)
            rows = _Rows()
            for doc, _ in batch:
                rows = self._add_document(doc, rows)
            self._insert(rows)
            refresh_unlisted(con, [p for doc, _ in batch for p in doc.unlisted_parks])
            con.execute("COMMIT")
        except BaseException:
            rollback(con)
            self.next_doc, self.next_article, self.next_figure = ids
            raise

    def _delete(self, path: str) -> None:
        ids = [r[0] for r in self.con.execute(
            "SELECT article_id FROM articles WHERE doc_id IN (SELECT doc_id FROM documents WHERE path = ?)", [path]
        ).fetchall()]
        if ids:
            for table in ARTICLE_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::BIGINT[]))", [ids])
            search.delete_articles(self.con, ids)
        self.con.execute("DELETE FROM articles WHERE doc_id IN (SELECT doc_id FROM documents WHERE path = ?)", [path])
        self.con.execute("DELETE FROM documents WHERE path = ?", [path])

    def _add_document(self, doc: Document, rows: _Rows) -> _Rows:
        """Buffer the document's rows; every ROWS_ARTICLES articles they are inserted (still inside
        the transaction), so a page of thousands of articles never has all its rows in memory."""
        src = doc.source
        doc_id = self.next_doc
        self.next_doc += 1
        rows.add("documents", (doc_id, src.path, Path(src.path).name, src.content_hash, src.encoding, src.format,
                               src.size, doc.date, doc.date_inferred, datetime.now(), "\n".join(doc.warnings)))
        for pa in doc.articles:
            aid = self.next_article
            self.next_article += 1
            self.next_figure = rows.add_article(aid, doc_id, src.path, pa, self.next_figure)
            if len(rows.indexed) >= ROWS_ARTICLES:
                self._insert(rows)
                rows = _Rows()
        return rows

    def _insert(self, rows: _Rows) -> None:
        rows.flush(self.con)
        search.index_articles(self.con, [(aid, pa.article.norm[: len(pa.article.title)], pa.article.norm,
                                          pa.article.date)
                                         for aid, pa in rows.indexed])


class _Rows:
    """Row buffers for a group of documents, inserted with one statement per table.

    Rows are kept as the tuples they are made as: far cheaper than appending each value to its
    column list as it comes."""

    def __init__(self) -> None:
        self.tables: dict[str, list[tuple]] = {}
        self.indexed: list[tuple[int, ParsedArticle]] = []

    def add(self, table: str, row: tuple) -> None:
        rows = self.tables.get(table)
        if rows is None:
            rows = self.tables[table] = []
        rows.append(row)

    def add_article(self, aid: int, doc_id: int, source: str, pa: ParsedArticle, figure_id: int) -> int:
        a = pa.article
        self.indexed.append((aid, pa))
        self.add("articles", (aid, doc_id, a.seq, a.title, a.kicker, a.byline, "\n".join(a.captions), a.text,
                               a.norm, len(a.text), a.date, a.date_inferred, pa.park, source))
        self._extend("blocks", [(aid, i, b.kind, b.start, b.end) for i, b in enumerate(a.blocks)])
        counts = Counter(owner(m) for m in pa.parks)  # a named area counts for its park
        self._extend("park_mentions", [(aid, m.park, m.start, m.end, m.surface, m.listed, m.parent) for m in pa.parks])
        ranked = list(dict.fromkeys(pa.subjects + [p for p, _ in counts.most_common()]))
        self._extend("article_parks", [(aid, park, counts.get(park, 0), park in pa.subjects, rank)
                                       for rank, park in enumerate(ranked)])
        self._extend("industry_mentions", [(aid, im.industry, im.start, im.end, im.surface) for im in pa.industries])
        self._extend("company_mentions", [(aid, cm.company, cm.park, cm.start, cm.end, cm.surface)
                                          for cm in pa.companies])
        self._extend("figures", [(figure_id + i, aid, f.park, f.metric, f.value, f.value_max, f.unit, f.qualifier,
                                  f.period, f.period_inferred, f.basis, f.status, f.industry, f.quote, f.start,
                                  f.end, f.number_text) for i, f in enumerate(pa.figures)])
        return figure_id + len(pa.figures)

    def _extend(self, table: str, rows: list[tuple]) -> None:
        if rows:
            self.tables.setdefault(table, []).extend(rows)

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        for table, rows in self.tables.items():
            insert_rows(con, table, rows)


def refresh_unlisted(con: duckdb.DuckDBPyConnection, parks: list[UnlistedPark]) -> None:
    """Parks found in the text and unknown to the gazetteer join the parks table (once)."""
    fresh = list({p.name: p for p in parks}.values())
    if fresh:
        con.execute(
            "INSERT INTO parks (park, official_name, kind, province, city, listed) "
            "SELECT n, n, k, p, c, false FROM (SELECT unnest(?::VARCHAR[]) n, unnest(?::VARCHAR[]) k, "
            "unnest(?::VARCHAR[]) p, unnest(?::VARCHAR[]) c) WHERE n NOT IN (SELECT park FROM parks)",
            [[p.name for p in fresh], [p.kind for p in fresh], [p.province for p in fresh], [p.city for p in fresh]],
        )


def _parse_all(paths: list[Path], known: dict[str, str], force: bool, default_date: date | None,
               jobs: int) -> Iterator[Document | Failure]:
    args = [(str(p), default_date, None if force else known.get(str(p))) for p in paths]
    if jobs <= 1 or len(args) < 2:
        for a in args:
            yield stream_path(*a) if _too_big_to_hold(a[0]) else parse_path(*a)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs, initializer=_leave_ctrl_c_to_the_writer) as pool:
        for result in pool.map(_parse_in_worker, args, chunksize=1):
            yield stream_path(*result.args) if isinstance(result, _Deferred) else result


@dataclass(slots=True)
class _Deferred:
    """A page a worker leaves to the writer, which parses it while writing it."""

    args: tuple


def _too_big_to_hold(path: str) -> bool:
    try:
        return os.stat(path).st_size > STREAM_BYTES
    except OSError:
        return False  # the reader names the problem


def _leave_ctrl_c_to_the_writer() -> None:
    """Ctrl-C on a terminal reaches every process of the group; a worker interrupted while it holds
    the pool's queue lock deadlocks the pool (and the writer waiting for it). Workers ignore it:
    the writer stops, the pool cancels what has not started, and the workers exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _parse_in_worker(args: tuple) -> ParsedDocument | Failure | _Deferred:
    return _Deferred(args) if _too_big_to_hold(args[0]) else parse_path(*args)


def ingest(con: duckdb.DuckDBPyConnection, paths: Iterable[Path], *, force: bool = False,
           default_date: date | None = None, jobs: int = 1, on_event: Event | None = None) -> Summary:
    """Ingest every page under `paths`; returns what happened. Never raises for a bad file."""
    started = time.perf_counter()
    summary = Summary()
    emit = on_event or (lambda kind, path, detail: None)
    refresh_reference(con)
    files = discover([Path(p).absolute() for p in paths], summary)
    summary.files = len(files)
    for path, reason in summary.failed:  # missing paths, unlistable folders, unstorable names
        emit("failed", path, reason)
    emit("found", "", str(len(files)))
    writer = Writer(con)
    by_path, by_hash = writer.known()
    writer.on_reject = functools.partial(_rejected, summary, emit, by_path, by_hash)
    try:
        with _writing(con):
            for result in _parse_all(files, by_path, force, default_date, jobs):
                _count(_handle(writer, result, by_path, by_hash, force, summary, emit), summary, emit)
            _count(writer.flush(), summary, emit)
    except (KeyboardInterrupt, RuntimeError, duckdb.InterruptException) as exc:
        if not is_interrupt(exc):
            raise
        summary.interrupted = True
        try:  # keep the documents parsed before the interrupt
            _count(writer.flush(), summary, emit)
        except (KeyboardInterrupt, RuntimeError, duckdb.InterruptException) as again:
            if not is_interrupt(again):
                raise
    finally:
        if not summary.interrupted:
            search.finish_ingest(con)
            refresh_summary(con)
        summary.seconds = time.perf_counter() - started
    return summary


@contextlib.contextmanager
def _writing(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB settings while documents are written, restored afterwards.

    One thread: the inserts are too small to share, and idle workers took CPU from the parser.
    A memory limit: DuckDB keeps every block it wrote cached up to its limit (80% of RAM by
    default), which grew an ingest of 100,000 articles to 1.3 GB; bounded, it lets written blocks
    go (a transaction that needs more spills to disk). Fewer checkpoints: at DuckDB's default
    (one per 16 MB of log) the ingest checkpointed after every few groups, and those checkpoints
    took half the time of all commits, growing with the file."""
    with temporary_settings(con, threads="1", memory_limit=INGEST_MEMORY, checkpoint_threshold=CHECKPOINT_EVERY):
        yield


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C: Python's KeyboardInterrupt, or DuckDB's 'Query interrupted' when the signal arrived
    while a statement ran (DuckDB catches it itself and raises a RuntimeError)."""
    if isinstance(exc, KeyboardInterrupt | duckdb.InterruptException):
        return True
    return isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()


def _handle(writer: Writer, result: Document | Failure, by_path: dict[str, str], by_hash: dict[str, str],
            force: bool, summary: Summary, emit: Event) -> list[tuple[Document, bool]]:
    """Skip, or queue for writing; returns the documents this call committed."""
    if isinstance(result, Failure):
        summary.failed.append((result.path, result.reason))
        emit("failed", result.path, result.reason)
        return []
    src = result.source
    summary.bytes += src.size
    old_hash = by_path.get(src.path)
    if old_hash == src.content_hash and not force:
        summary.unchanged += 1
        emit("skipped", src.path, "unchanged")
        return []
    twin = by_hash.get(src.content_hash)
    if twin is not None and twin != src.path and not force:
        summary.unchanged += 1
        emit("skipped", src.path, f"same content as {twin}")
        return []
    by_path[src.path] = src.content_hash
    by_hash[src.content_hash] = src.path
    return writer.add(result, replace=old_hash is not None)


def _rejected(summary: Summary, emit: Event, by_path: dict[str, str], by_hash: dict[str, str],
              doc: Document, reason: str) -> None:
    """A document the database refused: it fails, and is not remembered as stored."""
    src = doc.source
    if by_path.get(src.path) == src.content_hash:
        del by_path[src.path]
    if by_hash.get(src.content_hash) == src.path:
        del by_hash[src.content_hash]
    summary.failed.append((src.path, reason))
    emit("failed", src.path, reason)


def _count(committed: list[tuple[Document, bool]], summary: Summary, emit: Event) -> None:
    for doc, replaced in committed:
        path = doc.source.path
        summary.ingested += 1
        summary.replaced += replaced
        summary.articles += doc.article_count
        summary.figures += doc.figure_count
        for w in doc.warnings:
            summary.warnings.append((path, w))
            emit("warning", path, w)
        emit("done", path, f"{doc.article_count} articles")
