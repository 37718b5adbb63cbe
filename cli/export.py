"""`parks export DIR`: every table as a file, for pandas, R, Excel or another DuckDB.

Each file is written under a temporary name in DIR and renamed when complete, so an interrupted
or failed export never leaves a half-written file under a real name (an older complete file of
the same name stays until the new one replaces it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import click

from .common import Context, db_error, fail, open_db, pass_ctx, shown, utf8


def _tables() -> dict[str, Callable]:
    """File name -> the query that fills it: the query views, complete, plus mentions and texts."""
    from parks.store import queries
    from parks.store.queries import Filters, Query

    mentions = Query("""
        SELECT article_id, 'park' AS kind, park AS name, start_pos AS "start", end_pos AS "end", surface,
               parent AS park FROM park_mentions
        UNION ALL
        SELECT article_id, 'industry', industry, start_pos, end_pos, surface, NULL FROM industry_mentions
        UNION ALL
        SELECT article_id, 'company', company, start_pos, end_pos, surface, park FROM company_mentions""",
                     order='"article_id", "start", "kind", "name"')
    texts = Query("SELECT article_id, title, text, captions FROM articles", order='"article_id"')
    return {
        "parks": lambda con: queries.parks(con=con),
        "industries": lambda con: queries.industries(),
        "companies": lambda con: queries.companies(),
        "articles": lambda con: queries.articles(),
        "metrics": lambda con: queries.metrics(Filters(scope="all"), con),
        "mentions": lambda con: mentions,
        "texts": lambda con: texts,
    }


TABLE_NAMES = ("parks", "industries", "companies", "articles", "metrics", "mentions", "texts")


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"], case_sensitive=False), default="csv",
              show_default=True, help="File format.")
@click.option("--table", "tables", multiple=True, type=click.Choice(TABLE_NAMES),
              help="Only this table (repeatable) [default: all].")
@click.option("--bom", is_flag=True, help="Start CSV files with a UTF-8 byte-order mark (for Excel).")
@click.option("--excel", is_flag=True, help="CSV for spreadsheets: BOM, CRLF, text cells starting with = + - @ guarded.")
@pass_ctx
def export(obj: Context, directory: Path, fmt: str, tables: tuple[str, ...], bom: bool, excel: bool) -> None:
    """Write every table to DIR (created if missing), one file each.

    \b
    Files: parks, industries, companies, articles, metrics (the `parks query` views with all
    their columns; metrics includes figures whose park is empty), mentions (every park, industry
    and company named, with offsets) and texts (each article's text). CSV files have a header
    and full-precision numbers; parquet keeps the column types.
    Examples:
      parks export out/
      parks export out/ --format parquet
      parks export out/ --table metrics --excel
    """
    import duckdb

    fmt = fmt.lower()
    if fmt == "parquet" and (bom or excel):
        raise click.UsageError("--bom and --excel apply to csv only", ctx=click.get_current_context())
    if fmt == "parquet" and not utf8(str(directory.absolute())):  # DuckDB writes parquet by path
        fail(f"cannot write parquet into {shown(directory)}: DuckDB needs a path that is valid UTF-8 "
             "(choose another DIR or --format csv)")
    con = open_db(obj, read_only=True)
    try:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"cannot create {shown(directory)}: {exc.strerror or exc}")
        builders = _tables()
        for name in tables or TABLE_NAMES:
            target = directory / f"{name}.{fmt}"
            n = _write_one(con, builders[name](con), target, fmt, bom=bom, excel=excel)
            click.echo(f"wrote {shown(target)} ({n} rows)", err=True)
    except duckdb.Error as exc:
        fail(db_error(exc))
    finally:
        con.close()


def _write_one(con, q, target: Path, fmt: str, *, bom: bool, excel: bool) -> int:  # type: ignore[no-untyped-def]
    """Write one table to a temporary file beside `target`, then rename it into place."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        n = _write_parquet(con, q, tmp) if fmt == "parquet" else _write_csv(con, q, tmp, bom=bom, excel=excel)
        os.replace(tmp, target)
    except OSError as exc:
        fail(f"cannot write {shown(target)}: {exc.strerror or exc}")
    finally:
        tmp.unlink(missing_ok=True)
    return n


def _write_csv(con, q, path: Path, *, bom: bool, excel: bool) -> int:  # type: ignore[no-untyped-def]
    from parks.store.queries import run

    from .output import Style, Utf8Out, write

    result = run(con, q)
    with path.open("wb") as fh:
        out = Utf8Out(fh)  # type: ignore[arg-type]
        n = write(result.columns, result.rows, Style(format="csv", bom=bom or excel, excel=excel), out,
                  result.numeric, result.types)
        out.flush()
        os.fsync(fh.fileno())
    return n


def _write_parquet(con, q, path: Path) -> int:  # type: ignore[no-untyped-def]
    sql = f"SELECT * FROM ({q.sql}) AS q" + (f" ORDER BY {q.order}" if q.order else "")
    literal = "'" + str(path).replace("'", "''") + "'"
    con.execute(f"COPY ({sql}) TO {literal} (FORMAT parquet)", q.params)
    return int(con.execute(f"SELECT count(*) FROM read_parquet({literal})").fetchone()[0])
