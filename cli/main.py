"""The `parks` command line: ingest pages, query the store, export tables, open the dashboard.

Imports stay light on the one-shot path (click and duckdb): the parsers, rich, jieba and textual
are imported only by the commands that need them.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from . import __version__
from .common import Context, fail, open_db, pass_ctx
from .export import export
from .query import query


class ParksGroup(click.Group):
    """The top-level group: every error is one `parks: …` line on stderr, never a traceback.

    Exit status 1 for errors, 2 for usage errors, 130 for Ctrl-C, and 0 when a reader such as
    `head` closes the pipe early (click alone would exit 1 there).
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[no-untyped-def, override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            click.echo(f"parks: {_usage_line(exc)}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"parks: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("parks: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # Ctrl-C inside a DuckDB statement surfaces as an exception
            if not _interrupted(exc):
                raise
            click.echo("parks: interrupted", err=True)
            sys.exit(130)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            _quiet_broken_pipe()
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        # click turns a closed pipe into exit 1 before `main` sees it, so catch it here first.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _quiet_broken_pipe()


def _interrupted(exc: BaseException) -> bool:
    import duckdb

    return isinstance(exc, duckdb.InterruptException) or (
        isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower())


def _usage_line(exc: click.UsageError) -> str:
    msg = exc.format_message().strip().replace("\n", " ")
    msg = msg[:1].lower() + msg[1:] if msg[:2] != msg[:2].upper() else msg
    where = f" (see '{exc.ctx.command_path} -h')" if exc.ctx is not None else ""
    return msg.rstrip(".") + where


@click.group(cls=ParksGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), envvar="PARKS_DB",
              help="Database file [env PARKS_DB; default: your user data folder].")
@click.version_option(__version__, "--version", prog_name="parks")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """Turn Chinese news pages about industrial parks into comparable indicators.

    \b
    Examples:
      parks                                   open the dashboard (on the sample corpus at first)
      parks ingest ~/pages --jobs 2           read a folder of .txt/.md/.html pages
      parks query metrics --park 无锡高新区 --metric pv_capacity
      parks query search "碳中和 光伏" --format csv
      parks query sql "SELECT * FROM figures LIMIT 5"
      parks export out/ --format parquet
    Data goes to stdout (a table on a terminal, CSV when piped), messages to stderr.
    Exit status: 0 ok, 1 error, 2 usage error. Every command has -h.
    Shell completion (bash): eval "$(_PARKS_COMPLETE=bash_source parks)"
    """
    ctx.obj = Context(db=db)
    _check_user_gazetteer()
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            ctx.invoke(tui)
        else:
            click.echo(ctx.get_help(), err=True)
            ctx.exit(2)


USER_GAZETTEER = "PARKS_GAZETTEER"  # parsers.data.USER_GAZETTEER, named here to keep parsers off the one-shot path


def _check_user_gazetteer() -> None:
    """A bad $PARKS_GAZETTEER is one line before any work, rather than a failure of every page."""
    if not os.environ.get(USER_GAZETTEER, "").strip():
        return
    from parks.parsers.data import UserDataError, gazetteer_rows

    try:
        gazetteer_rows()
    except UserDataError as exc:
        fail(str(exc))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Re-parse files even when they are unchanged.")
@click.option("--date", "default_date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Publication date for pages that do not carry one (YYYY-MM-DD); pages already stored "
                   "and unchanged keep theirs unless --force re-reads them.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Parse files in this many processes (one writer).")
@click.option("--quiet", "-q", is_flag=True, help="Only print failures and the summary.")
@pass_ctx
def ingest(obj: Context, paths: tuple[Path, ...], force: bool, default_date, jobs: int, quiet: bool) -> None:
    """Read pages (files or folders, recursively) into the database.

    \b
    Examples:
      parks ingest page.txt news/ archive.html
      parks ingest ~/pages --jobs 2 --date 2023-09-12
    Exit status: 0 when every page loaded, 1 when any failed (the others still load).
    """
    from .ingest_cmd import run_ingest

    failed = run_ingest(obj, list(paths), force=force, default_date=default_date.date() if default_date else None,
                        jobs=jobs, quiet=quiet)
    _summarise(obj)
    sys.exit(1 if failed else 0)


def _summarise(obj: Context) -> None:
    """Bring the per-park summary up to date (a no-op when ingest already did)."""
    import duckdb

    from parks.store.summary import fresh, refresh

    con = open_db(obj, read_only=False)
    try:
        if not fresh(con):
            refresh(con)
    except duckdb.Error as exc:  # the views still work without it, only slower
        click.echo(f"parks: warning: the park summary was not updated ({exc})", err=True)
    finally:
        con.close()


@cli.command()
@pass_ctx
def tui(obj: Context) -> None:
    """Open the dashboard (also what `parks` alone does on a terminal).

    \b
    Examples:
      parks tui
      parks --db ~/parks.duckdb tui
    """
    con = open_db(obj, read_only=True)
    path = obj.resolved
    con.close()
    try:
        from parks.tui.app import ParksApp
    except ImportError as exc:  # pragma: no cover - only when the install is broken
        fail(f"the dashboard cannot start: {exc}")
    ParksApp(db_path=path).run()


cli.add_command(query)
cli.add_command(export)


def main() -> None:
    cli(prog_name="parks")


def _quiet_broken_pipe() -> None:
    """`parks query … | head` closes the pipe early: that is success, not an error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
    sys.exit(0)
