"""`parks query …`: every view of the dashboard as a one-shot command.

The contract: data on stdout (UTF-8, a table on a terminal, CSV when piped), messages on stderr,
exit 0 on success, 1 for an error (unknown park, missing database, refused SQL), 2 for a usage
error. The column lists in store/queries.py are stable: new columns are only ever appended.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable

import click

from .common import Context, db_error, fail, open_db, open_locked, pass_ctx, resolved_filters, utf8
from .output import FORMATS, Style, utf8_stdout, write

# More rows than any database holds, and far from DuckDB's 64-bit LIMIT (search asks for a few times it).
MAX_LIMIT = 2**53


def output_options(fn: Callable) -> Callable:
    """The shaping and format options every query shares."""
    opts = [
        click.option("--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False),
                     help="Output format [default: table on a terminal, csv when piped]."),
        click.option("--columns", help="Comma-separated columns to keep, in this order."),
        click.option("--sort", "sort", metavar="COL", help="Sort by this column (Chinese by pinyin)."),
        click.option("--desc", is_flag=True, help="Sort descending."),
        click.option("--limit", type=click.IntRange(0, MAX_LIMIT), metavar="N", help="At most this many rows."),
        click.option("--no-header", is_flag=True, help="Omit the header line (csv, tsv)."),
        click.option("--bom", is_flag=True, help="Start csv/tsv with a UTF-8 byte-order mark (for Excel)."),
        click.option("--excel", is_flag=True,
                     help="For spreadsheets: BOM, CRLF line ends, and text cells starting with = + - @ guarded."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


_YEAR = re.compile(r"^\d{4}(\s*[-–~]\s*\d{4})?$")
_BASIS = re.compile(r"^(level|yoy|change|since|since:\d{4})$", re.IGNORECASE)


def _check(pattern: re.Pattern, hint: str) -> Callable:
    def callback(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
        for v in values:
            if not pattern.match(v.strip()):
                raise click.BadParameter(f"{v!r} is not {hint}", ctx=ctx, param=param)
        return tuple(v.strip() for v in values)

    return callback


_NAMES = {
    "park": "SELECT park FROM parks ORDER BY park",
    "metric": "SELECT metric FROM metrics UNION SELECT name_zh FROM metrics ORDER BY 1",
    "industry": "SELECT industry FROM industries UNION SELECT name_zh FROM industries ORDER BY 1",
}


def _complete(kind: str) -> Callable:
    """Shell completion of names from the database (nothing when there is none)."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from pathlib import Path

        try:
            from parks.store.db import connect, default_db_path

            db = ctx.find_root().params.get("db") or default_db_path()
            if not Path(db).is_file():
                return []
            con = connect(Path(db), read_only=True)
            try:
                names = [r[0] for r in con.execute(_NAMES[kind]).fetchall() if r[0]]
            finally:
                con.close()
        except Exception:  # completion must never print an error into the shell
            return []
        return [n for n in names if n.startswith(incomplete)]

    return complete


_FILTERS: dict[str, dict] = {
    "park": {"help": "Only this park; any name or alias (repeatable).", "metavar": "NAME",
             "shell_complete": _complete("park")},
    "metric": {"help": "Only this metric: id or Chinese name (repeatable).", "metavar": "METRIC",
               "shell_complete": _complete("metric")},
    "industry": {"help": "Only this industry: id or name (repeatable).", "metavar": "INDUSTRY",
                 "shell_complete": _complete("industry")},
    "year": {"help": "Only this year or span, e.g. 2023 or 2021-2025 (repeatable).", "metavar": "YYYY",
             "callback": _check(_YEAR, "a year (YYYY) or a span (YYYY-YYYY)")},
    "status": {"help": "Only actual, target or forecast figures (repeatable).",
               "type": click.Choice(["actual", "target", "forecast"], case_sensitive=False)},
    "basis": {"help": "Only level, yoy, change, since or since:YYYY figures (repeatable).", "metavar": "BASIS",
              "callback": _check(_BASIS, "level, yoy, change, since or since:YYYY")},
}


def filter_options(*names: str) -> Callable:
    """The dashboard's filters as repeatable options; values within one option are ORed."""

    def deco(fn: Callable) -> Callable:
        for name in reversed(names):
            fn = click.option(f"--{name}", multiple=True, **_FILTERS[name])(fn)
        return fn

    return deco


def out_format(fmt: str | None, no_header: bool, bom: bool, excel: bool) -> str:
    """The format to write: as asked, else a table on a terminal and csv otherwise."""
    if fmt is None:
        fmt = "csv" if (bom or excel) else ("table" if sys.stdout.isatty() else "csv")
    fmt = fmt.lower()
    if fmt not in ("csv", "tsv"):
        used = [name for name, on in (("--no-header", no_header), ("--bom", bom), ("--excel", excel)) if on]
        if used:
            raise click.UsageError(f"{used[0]} applies to csv and tsv only, not to --format {fmt}",
                                   ctx=click.get_current_context(silent=True))
    return fmt


def write_result(result, fmt: str, *, no_header: bool = False, bom: bool = False, excel: bool = False,  # type: ignore[no-untyped-def]
                 title: str = "", limit: int | None = None) -> int:
    """Write a store Result to stdout; rows stream through, nothing is collected."""
    if fmt == "table":
        from .output import table

        return table(result.columns, result.rows, title=title, numeric=result.numeric,
                     limit=limit if limit is not None else 1000)
    out = utf8_stdout()
    style = Style(format=fmt, header=not no_header, bom=bom or excel, excel=excel)
    n = write(result.columns, result.rows, style, out, result.numeric, result.types)
    out.flush()
    return n


def _run_and_write(con, q, *, fmt: str | None, columns: str | None, sort: str | None, desc: bool,  # type: ignore[no-untyped-def]
                   limit: int | None, no_header: bool, bom: bool, excel: bool, title: str = "") -> int:
    from parks.store.queries import QueryError, run

    fmt = out_format(fmt, no_header, bom, excel)
    # A column named twice is kept once: JSON objects cannot hold a key twice.
    cols = list(dict.fromkeys(c.strip() for c in columns.split(",") if c.strip())) if columns else []
    try:
        result = run(con, q, columns=cols, sort=sort or "", desc=desc, limit=limit)
    except QueryError as exc:
        fail(str(exc))
    return write_result(result, fmt, no_header=no_header, bom=bom, excel=excel, title=title, limit=limit)


def emit(obj: Context, q, *, fmt: str | None, columns: str | None, sort: str | None, desc: bool,  # type: ignore[no-untyped-def]
         limit: int | None, no_header: bool, bom: bool, excel: bool, title: str = "", con=None) -> None:
    """Run a store query and write it in the chosen format."""
    import duckdb

    own = con is None
    con = con or open_db(obj, read_only=True)
    try:
        _run_and_write(con, q, fmt=fmt, columns=columns, sort=sort, desc=desc, limit=limit,
                       no_header=no_header, bom=bom, excel=excel, title=title)
    except duckdb.Error as exc:
        fail(db_error(exc))
    finally:
        if own:
            con.close()


SHAPE_KEYS = ("fmt", "columns", "sort", "desc", "limit", "no_header", "bom", "excel")


def shaped(fn: Callable) -> Callable:
    """Pass the output options through to `emit` as one dict."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        shape = {k: kwargs.pop(k) for k in SHAPE_KEYS}
        return fn(*args, shape=shape, **kwargs)

    return output_options(wrapper)


@click.group()
def query() -> None:
    """Print a view of the database: parks, industries, companies, articles, metrics, compare, search, sql.

    \b
    Output is a table on a terminal and CSV when piped; --format chooses csv, tsv, json or jsonl.
    Data goes to stdout as UTF-8, messages to stderr. Exit status: 0 ok, 1 error, 2 usage.
    Examples:
      parks query parks --sort province | head
      parks query metrics --park 稀土高新区 --metric gdp --format json
      parks query compare --park 西安高新区 --park 肇庆高新区
      parks query sql "SELECT park, count(*) FROM figures GROUP BY park"
    """


def _view(obj: Context, build: Callable, shape: dict, title: str, **filters) -> None:  # type: ignore[no-untyped-def]
    """Open the store, resolve the filters (unknown names fail with suggestions), write the view."""
    import duckdb

    con = open_db(obj, read_only=True)
    try:
        f = resolved_filters(con, **filters)
        emit(obj, build(f, con), title=title, con=con, **shape)
    except duckdb.Error as exc:
        fail(db_error(exc))
    finally:
        con.close()


@query.command("parks")
@filter_options("park", "metric", "industry", "year")
@shaped
@pass_ctx
def parks_cmd(obj: Context, park, metric, industry, year, shape) -> None:  # type: ignore[no-untyped-def]
    """Parks named in at least one article, most written-about first.

    \b
    Columns: park, official_name, kind, province, city, listed (false: not in the gazetteer),
    articles, mentions, metrics (distinct metrics with figures), top_industries (|-separated),
    first_seen, last_seen, then subject_articles, figures, approved_year.
    --year and --industry count only the articles of that year or naming that industry;
    --metric keeps the parks with figures of it.
    Examples:
      parks query parks
      parks query parks --format csv --columns park,province,articles --sort province
      parks query parks --industry 光伏 --year 2023 --format json
    """
    from parks.store import queries

    _view(obj, lambda f, con: queries.parks(f, con), shape, "Parks", park=park, metric=metric, industry=industry,
          year=year)


@query.command("industries")
@filter_options("park", "industry", "year")
@shaped
@pass_ctx
def industries_cmd(obj: Context, park, industry, year, shape) -> None:  # type: ignore[no-untyped-def]
    """Industries named in the articles, with the parks that are written about with them.

    \b
    Columns: industry (id), name_zh, name_en, parks, articles, mentions, top_parks (|-separated),
    then level. --park keeps the articles that name that park.
    Examples:
      parks query industries
      parks query industries --park 西安高新区 --format csv --no-header
    """
    from parks.store import queries

    _view(obj, lambda f, con: queries.industries(f), shape, "Industries", park=park, industry=industry, year=year)


@query.command("companies")
@filter_options("park", "industry", "year")
@shaped
@pass_ctx
def companies_cmd(obj: Context, park, industry, year, shape) -> None:  # type: ignore[no-untyped-def]
    """Companies named in the articles, each with the park it is most often named with.

    \b
    Columns: company, park, articles, mentions, then parks (all, |-separated), first_seen, last_seen.
    Examples:
      parks query companies --park 包头稀土高新区
      parks query companies --sort company --format tsv
    """
    from parks.store import queries

    _view(obj, lambda f, con: queries.companies(f), shape, "Companies", park=park, industry=industry, year=year)


@query.command("articles")
@filter_options("park", "metric", "industry", "year")
@shaped
@pass_ctx
def articles(obj: Context, park, metric, industry, year, shape) -> None:  # type: ignore[no-untyped-def]
    """Articles found on the pages: id, date, title, subject park, all parks, source.

    \b
    Columns: article_id, date, title, park (subject), parks (all named, |-separated), kicker,
    byline, source, chars, then file, seq. --park keeps articles that name the park at all.
    Examples:
      parks query articles --park 肇庆高新区
      parks query articles --format csv --columns title,park,source
    """
    from parks.store import queries

    _view(obj, lambda f, con: queries.articles(f), shape, "Articles", park=park, metric=metric, industry=industry,
          year=year)


@query.command("metrics")
@filter_options("park", "metric", "industry", "year", "status", "basis")
@click.option("--scope", type=click.Choice(["parks", "all", "other"], case_sensitive=False), default="parks",
              show_default=True,
              help="parks: figures attributed to a park; all: also city, province and national figures "
                   "(their park is empty); other: only those.")
@shaped
@pass_ctx
def metrics_cmd(obj: Context, park, metric, industry, year, status, basis, scope, shape) -> None:  # type: ignore[no-untyped-def]
    """Every extracted figure: park, metric, value, unit, period, status, and the words it came from.

    \b
    Columns: park, metric, value, value_max, unit, qualifier, period, basis, status, industry,
    article_id, source, quote, start, end, name_zh, date, figure_id, then period_inferred,
    number_text, title, name_en. Values are in the metric's canonical unit at full precision.
    --year matches the period (2021-2025 covers each year in it), else the article's date.
    Examples:
      parks query metrics --park 稀土高新区 --metric gdp
      parks query metrics --status target --year 2025 --format jsonl
      parks query metrics --scope all --format csv --excel > figures.csv
    """
    from parks.store import queries

    _view(obj, lambda f, con: queries.metrics(f, con), shape, "Figures", park=park, metric=metric,
          industry=industry, year=year, status=status, basis=basis, scope=scope.lower())


@query.command("compare")
@click.option("--park", multiple=True, required=True, metavar="NAME", shell_complete=_complete("park"),
              help="A park to compare; give it once per park (one alone shows its latest figures).")
@filter_options("metric", "industry", "year", "status", "basis")
@shaped
@pass_ctx
def compare_cmd(obj: Context, park, metric, industry, year, status, basis, shape) -> None:  # type: ignore[no-untyped-def]
    """Parks side by side: one row per metric and period, one column per park.

    \b
    Each cell holds the latest actual figure (else the latest target or forecast, marked so) with
    its qualifier and unit, e.g. ">50 家". Rows are per metric, industry, basis and period, so a
    growth rate is never set against a level. When figures of one park disagree for the same row,
    the park is named in the `conflicts` column; `parks query metrics` shows them all.
    Examples:
      parks query compare --park 西安高新区 --park 肇庆高新区
      parks query compare --park 西安高新区 --park 肇庆高新区 --metric enterprises --format csv
    """
    from parks.store import queries

    _view(obj, lambda f, con: queries.compare(f.park, f, con), shape, "Compare", park=park, metric=metric,
          industry=industry, year=year, status=status, basis=basis)


@query.command("sql")
@click.argument("statement", metavar="SQL", required=False)
@click.option("--schema", is_flag=True, help="Print the tables and columns, one line of description each.")
@shaped
@pass_ctx
def sql_cmd(obj: Context, statement: str | None, schema: bool, shape: dict) -> None:
    """Run your own SQL on a read-only connection to the database (DuckDB dialect).

    \b
    SQL is one argument (quote it) or - to read it from stdin. The connection cannot change the
    database, read or write other files (read_csv, COPY, ATTACH, EXPORT) or load extensions.
    Examples:
      parks query sql --schema
      parks query sql "SELECT park, metric, value, unit FROM figures WHERE status = 'target'"
      echo "SELECT count(*) AS n FROM articles" | parks query sql - --format json
    """
    import duckdb

    if schema:
        if statement:
            raise click.UsageError("give SQL or --schema, not both", ctx=click.get_current_context())
        con = duckdb.connect()
        try:
            _run_and_write(con, schema_query(), title="Schema", **shape)
        finally:
            con.close()
        return
    if statement is None:
        raise click.UsageError("missing SQL (give it as an argument, - to read stdin, or --schema)",
                               ctx=click.get_current_context())
    if statement == "-":
        statement = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
    if not utf8(statement):
        raise click.UsageError("the SQL is not valid UTF-8 text", ctx=click.get_current_context())
    statement = statement.strip().rstrip(";").strip()
    if not statement:
        raise click.UsageError("the SQL is empty", ctx=click.get_current_context())
    _user_sql(obj, statement, shape)


def _user_sql(obj: Context, statement: str, shape: dict) -> None:
    import duckdb

    from parks.store.queries import Query, stream
    from parks.store.readonly import explain

    con = open_locked(obj)
    try:
        if shape["columns"] or shape["sort"] or shape["limit"] is not None:
            _run_and_write(con, Query(statement), title="SQL", **shape)
        else:
            fmt = out_format(shape["fmt"], shape["no_header"], shape["bom"], shape["excel"])
            write_result(stream(con, statement), fmt, no_header=shape["no_header"], bom=shape["bom"],
                         excel=shape["excel"], title="SQL")
    except duckdb.Error as exc:
        fail(explain(exc))
    finally:
        con.close()


def schema_query():  # type: ignore[no-untyped-def]
    """The schema as a query (so --format, --columns, --sort work on it too)."""
    from parks.store.queries import Query
    from parks.store.schema import describe

    rows = describe()
    cols = [list(c) for c in zip(*rows, strict=True)]
    sql = ('SELECT unnest($t::VARCHAR[]) AS "table", unnest($c::VARCHAR[]) AS "column", '
           'unnest($k::VARCHAR[]) AS "type", unnest($d::VARCHAR[]) AS description')
    return Query(sql, {"t": cols[0], "c": cols[1], "k": cols[2], "d": cols[3]})


# ------------------------------------------------------------------------------------------------
# search (store/search.py)


@query.command("search")
@click.argument("text", metavar="QUERY")
@filter_options("park", "industry", "year")
@shaped
@click.option("--no-mark", is_flag=True, help="Leave the snippet plain (no 【】 around the matched words).")
@pass_ctx
def search_cmd(obj: Context, text: str, park, industry, year, no_mark: bool, shape: dict) -> None:  # type: ignore[no-untyped-def]
    """Articles containing the words, best first, with a snippet around the best match.

    \b
    Words separated by spaces must all occur; "…" is an exact phrase; OR between words accepts
    either; -word excludes (a query that starts with - needs -- before it). Traditional and
    full-width input match like simplified; ASCII letters match without case. When nothing
    contains a long word as written, the words jieba finds in it are searched instead (said on
    stderr). Columns: rank, score, article_id, date, title, park, source, snippet; 20 hits unless
    --limit says otherwise.
    Examples:
      parks query search "碳中和 光伏" --format csv
      parks query search '"国家高新区" 储能 OR 氢能 -煤炭' --year 2023
      parks query search 宁德时代 --park 肇庆高新区 --no-mark
    """
    import duckdb

    from parks.store.search import QuerySyntaxError, SearchError, run

    limit = 20 if shape["limit"] is None else shape["limit"]
    con = open_db(obj, read_only=True)
    try:
        outcome = run(con, text, park=park, industry=industry, year=year, limit=limit)
        if outcome.query.relaxed:
            click.echo(f"parks: no article contains {text.strip()!r} as written; showing articles with: "
                       f"{outcome.query.describe()}", err=True)
        _run_and_write(con, _hits_query(outcome.hits, mark=not no_mark), title="Search", **shape)
    except (QuerySyntaxError, SearchError) as exc:
        fail(str(exc))
    except duckdb.Error as exc:
        fail(db_error(exc))
    finally:
        con.close()


def _hits_query(hits: list, mark: bool):  # type: ignore[no-untyped-def]
    """Search hits as a query, so --format, --columns and --sort work on them like on any view."""
    from parks.store.queries import Query

    def snippet(h) -> str:  # type: ignore[no-untyped-def]
        if not mark:
            return h.snippet
        s = h.snippet
        for a, b in reversed(h.marks):
            s = s[:a] + "【" + s[a:b] + "】" + s[b:]
        return s

    cols = {"rank": ("INTEGER", [h.rank for h in hits]), "score": ("DOUBLE", [h.score for h in hits]),
            "article_id": ("BIGINT", [h.article_id for h in hits]), "date": ("DATE", [h.date for h in hits]),
            "title": ("VARCHAR", [h.title for h in hits]), "park": ("VARCHAR", [h.park for h in hits]),
            "source": ("VARCHAR", [h.source for h in hits]), "snippet": ("VARCHAR", [snippet(h) for h in hits])}
    sql = "SELECT " + ", ".join(f"unnest(${c}::{t}[]) AS {c}" for c, (t, _) in cols.items())
    return Query(sql, {c: v for c, (_, v) in cols.items()}, order='"rank"')
