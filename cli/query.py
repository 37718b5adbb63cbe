"""`parks query …`: every view of the dashboard as a one-shot command."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import click

from .common import Context, fail, open_db, pass_ctx
from .output import FORMATS, Style, utf8_stdout, write


def output_options(fn: Callable) -> Callable:
    """The shaping and format options every query shares."""
    opts = [
        click.option("--format", "fmt", type=click.Choice(FORMATS),
                     help="Output format [default: table on a terminal, csv when piped]."),
        click.option("--columns", help="Comma-separated columns to keep, in this order."),
        click.option("--sort", "sort", help="Sort by this column (Chinese by pinyin)."),
        click.option("--desc", is_flag=True, help="Sort descending."),
        click.option("--limit", type=click.IntRange(0), help="At most this many rows."),
        click.option("--no-header", is_flag=True, help="Omit the header line (csv, tsv)."),
        click.option("--bom", is_flag=True, help="Start csv/tsv with a UTF-8 byte-order mark (for Excel)."),
        click.option("--excel", is_flag=True,
                     help="For spreadsheets: BOM, CRLF line ends, and text cells starting with = + - @ guarded."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def filter_options(*names: str) -> Callable:
    help_ = {"park": "Only this park (repeatable).", "metric": "Only this metric id (repeatable).",
             "industry": "Only this industry id or name (repeatable).", "year": "Only this year (repeatable).",
             "status": "actual, target or forecast (repeatable).", "basis": "level, yoy, since:YYYY, change (repeatable)."}

    def deco(fn: Callable) -> Callable:
        for name in reversed(names):
            fn = click.option(f"--{name}", multiple=True, help=help_[name])(fn)
        return fn

    return deco


def emit(obj: Context, q, *, fmt: str | None, columns: str | None, sort: str | None, desc: bool,  # type: ignore[no-untyped-def]
         limit: int | None, no_header: bool, bom: bool, excel: bool, title: str = "", con=None) -> None:
    """Run a store query and write it in the chosen format."""
    from parks.store.queries import QueryError, run

    con = con or open_db(obj, read_only=True)
    cols = [c.strip() for c in columns.split(",") if c.strip()] if columns else []
    try:
        result = run(con, q, columns=cols, sort=sort or "", desc=desc, limit=limit)
    except QueryError as exc:
        fail(str(exc))
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if fmt == "table":
        from .output import table

        table(result.columns, result.rows, title=title)
        return
    out = utf8_stdout()
    style = Style(format=fmt, header=not no_header, bom=bom or excel, excel=excel)
    write(result.columns, result.rows, style, out, result.numeric)
    out.flush()


def shaped(fn: Callable) -> Callable:
    """Pass the output options through to `emit` as one dict."""
    keys = ("fmt", "columns", "sort", "desc", "limit", "no_header", "bom", "excel")

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        shape = {k: kwargs.pop(k) for k in keys}
        return fn(*args, shape=shape, **kwargs)

    return output_options(wrapper)


@click.group()
def query() -> None:
    """Print a view of the database: articles, parks, industries, companies, metrics, search, compare, sql.

    \b
    Output is a table on a terminal and CSV when piped; --format chooses csv, tsv, json, jsonl.
    Examples:
      parks query articles --format csv
      parks query parks --sort province | head
    """


@query.command()
@filter_options("park", "industry", "year")
@shaped
@pass_ctx
def articles(obj: Context, park, industry, year, shape) -> None:  # type: ignore[no-untyped-def]
    """Articles found on the pages: id, date, title, subject park, all parks, source.

    \b
    Examples:
      parks query articles --park 肇庆高新区
      parks query articles --format csv --columns title,park,source
    """
    from parks.store.queries import Filters
    from parks.store.queries import articles as q

    emit(obj, q(Filters(park=park, industry=industry, year=year)), title="Articles", **shape)
