"""`parks ingest`: progress on a terminal, a summary always, every failure named."""

from __future__ import annotations

import contextlib
import sys
from datetime import date
from pathlib import Path

import duckdb

from .common import Context, db_error, fail, open_db
from .output import printable


def run_ingest(obj: Context, paths: list[Path], *, force: bool, default_date: date | None, jobs: int,
               quiet: bool) -> int:
    """Returns the number of files that failed."""
    from rich.console import Console

    from parks.store.ingest import ingest, is_interrupt

    err = Console(stderr=True, highlight=False, soft_wrap=True)
    _warn_user_conflicts(err)
    con = open_db(obj, read_only=False)
    try:
        if sys.stderr.isatty() and not quiet:
            summary = _with_progress(con, paths, force, default_date, jobs, err)
        else:
            summary = ingest(con, paths, force=force, default_date=default_date, jobs=jobs,
                             on_event=_plain(err, quiet))
    except duckdb.InterruptException:
        fail(_INTERRUPTED, 130)
    except duckdb.Error as exc:  # the disk filled up, the file went away: not one page's fault
        fail(f"{db_error(exc)} (pages committed before this are kept; run the ingest again to continue)")
    except (KeyboardInterrupt, RuntimeError) as exc:  # Ctrl-C while reference data or the index was written
        if not is_interrupt(exc):
            raise
        fail(_INTERRUPTED, 130)
    finally:
        with contextlib.suppress(duckdb.Error):
            con.close()
    _report(summary, err, quiet)
    if summary.interrupted:
        sys.exit(130)
    return len(summary.failed)


def _warn_user_conflicts(err) -> None:  # type: ignore[no-untyped-def]
    from parks.parsers.data import USER_GAZETTEER
    from parks.parsers.gazetteer import user_conflicts

    for message in user_conflicts():
        err.print(f"warning: {USER_GAZETTEER}: {shown(message)}", markup=False)


_INTERRUPTED = "interrupted (pages committed before this are kept; run the ingest again to continue)"


def shown(text: str) -> str:
    """A path or reason on one terminal line: control characters and escapes made visible."""
    return printable(text.replace("\n", "\u240a"))


def _plain(err, quiet: bool):  # type: ignore[no-untyped-def]
    def on_event(kind: str, path: str, detail: str) -> None:
        if kind == "failed":
            err.print(f"failed: {shown(path)}: {shown(detail)}", markup=False)
        elif kind == "warning" and not quiet:
            err.print(f"warning: {shown(path)}: {shown(detail)}", markup=False)

    return on_event


def _with_progress(con, paths, force, default_date, jobs, err):  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from parks.store.ingest import ingest

    plain = _plain(err, False)
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}", markup=False), console=err, transient=True) as progress:
        task = progress.add_task("", total=None)

        def on_event(kind: str, path: str, detail: str) -> None:
            if kind == "found":
                progress.update(task, total=int(detail))
                return
            if kind in ("done", "skipped", "failed"):
                progress.advance(task)
                progress.update(task, description=shown(Path(path).name))
            plain(kind, path, detail)

        return ingest(con, paths, force=force, default_date=default_date, jobs=jobs, on_event=on_event)


def _report(s, err, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    if s.skipped and not quiet:
        err.print(f"skipped {len(s.skipped)} file(s) that are not pages:", markup=False)
        for path, reason in s.skipped[:50]:
            err.print(f"  {shown(path)}: {shown(reason)}", markup=False)
        if len(s.skipped) > 50:
            err.print(f"  … and {len(s.skipped) - 50} more", markup=False)
    parts = [f"{s.files} file(s) read", f"{s.ingested} ingested"]
    if s.replaced:
        parts.append(f"{s.replaced} replaced")
    if s.unchanged:
        parts.append(f"{s.unchanged} already in the database (unchanged)")
    parts += [f"{s.articles} articles", f"{s.figures} figures", f"{len(s.skipped)} skipped",
              f"{len(s.failed)} failed", f"{s.seconds:.1f} s"]
    prefix = "interrupted after the last complete file: " if s.interrupted else ""
    err.print(prefix + ", ".join(parts), markup=False)
