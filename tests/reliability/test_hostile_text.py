"""Hostile text: markup-like brackets, terminal escape sequences, control characters, direction
marks and zero-width characters are stored as text and shown harmlessly; spreadsheet formulas are
guarded with --excel; filters never become SQL; `query sql` reads the database and nothing else."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from parks.main import cli
from parks.store import queries, search
from parks.store.db import connect

from .pages import cli_env, parks_cmd, run_parks

PARK = "无锡高新区"
TITLE = '=HYPERLINK("http://example.invalid","点我")无锡高新区[bold red]警告[/]\x1b[31m红\x1b[0m\u202e反转\u202c'
BODY = ("无锡高新区\x1b]0;pwned\x07光伏装机容量达到18兆瓦\u200b，同比增长\u200f12%。"
        "[link=file:///etc/passwd]点我[/link]无锡高新区营业收入达到\x1b[2J120亿元\u2066隔离\u2069。"
        "控制字符\x01\x02\x08\x7f和\u009b31m以及\u0085换行\u2028分隔，零宽\u200d\ufeff字符，<script>alert(1)</script>。")
PAGE = f"# {TITLE}\n\n◎本报记者 王明\n\n{BODY}\n\n+1+1 -2+3 @SUM(A1) 无锡高新区高新技术企业达到300家。\n"

# What must never reach a terminal from article text: escape sequences and their introducers (ESC,
# the C1 CSI), bell, backspace, direction overrides and isolates.
FORBIDDEN = ["\x1b", "\x07", "\x08", "\x9b", "\x85", "\u202e", "\u202c", "\u200f", "\u2066", "\u2069"]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "pages").mkdir()
    (root / "pages" / "hostile.txt").write_text(PAGE, encoding="utf-8")
    db = root / "db.duckdb"
    result = run_parks(db, "ingest", str(root / "pages"))
    assert result.returncode == 0, result.stderr
    return db


def stored_text(db: Path) -> tuple[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT title, text FROM articles ORDER BY article_id LIMIT 1").fetchone()  # type: ignore[return-value]
    finally:
        con.close()


def test_hostile_text_is_stored_as_written(hostile: Path) -> None:
    title, text = stored_text(hostile)
    for piece in ("[bold red]警告[/]", "\x1b[31m红", "\u202e反转", "\x1b]0;pwned\x07", "\u200b", "\u200f",
                  "[link=file:///etc/passwd]", "\x01\x02\x08\x7f", "\u009b31m", "\u2066隔离\u2069",
                  "<script>alert(1)</script>", "=HYPERLINK("):
        assert piece in text, repr(piece)
    assert title.startswith("=HYPERLINK(")
    con = duckdb.connect(str(hostile), read_only=True)
    figures = con.execute("SELECT metric, value FROM figures ORDER BY start_pos").fetchall()
    con.close()
    assert ("pv_capacity", 18.0) in figures  # OSC sequence and zero-width space around it: still read


@pytest.mark.parametrize("view", [
    ("query", "articles"),
    ("query", "metrics", "--park", PARK),
    ("query", "search", "无锡高新区"),
    ("query", "sql", "SELECT title, text FROM articles"),
], ids=["articles", "metrics", "search", "sql"])
@pytest.mark.parametrize("color", [False, True], ids=["plain", "forced-color"])
def test_table_output_is_harmless(hostile: Path, view: tuple[str, ...], color: bool) -> None:
    env = cli_env()
    env["COLUMNS"] = "400"
    if color:
        env.update(FORCE_COLOR="1", TERM="xterm-256color")
    proc = subprocess.run(parks_cmd(hostile, *view, "--format", "table"), capture_output=True, env=env, timeout=120)
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 0, proc.stderr.decode()
    if color:  # rich styles the table itself; the article's own sequences must still be gone
        for seq in ("\x1b[31m红", "\x1b]0;pwned", "\x07", "\x1b[2J", "\x9b", "\u202e", "\u2066"):
            assert seq not in out, repr(seq)
    else:
        for ch in FORBIDDEN:
            assert ch not in out, f"{ch!r} reached the terminal"
    if view[1] == "articles":
        assert "[bold red]警告[/]" in out  # shown, not obeyed


def test_bidi_marks_beyond_the_common_ones_are_neutralised() -> None:
    """U+061C (Arabic letter mark) and U+2067/U+2068 also reorder text on a terminal."""
    from parks.output import printable

    for ch in ("\u061c", "\u2067", "\u2068", "\u202a", "\u202b", "\u202d", "\u200e"):
        assert ch not in printable(f"a{ch}b"), repr(ch)


def test_csv_excel_guards_formula_cells_and_plain_csv_keeps_them(hostile: Path) -> None:
    guarded = run_parks(hostile, "query", "articles", "--excel", "--columns", "title,park")
    plain = run_parks(hostile, "query", "articles", "--format", "csv", "--columns", "title,park")
    assert guarded.returncode == 0 and plain.returncode == 0
    rows = list(csv.reader(io.StringIO(guarded.stdout.lstrip("\ufeff"))))
    assert rows[1][0].startswith("'=HYPERLINK(") and rows[1][1] == PARK
    raw = list(csv.reader(io.StringIO(plain.stdout)))
    assert raw[1][0] == stored_text(hostile)[0]  # exact, escapes and all: CSV is data


def test_excel_guard_covers_every_formula_prefix() -> None:
    from parks.output import Style, write

    out = io.StringIO()
    cells = ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "plain", "3.5"]
    write(["text", "n"], [(c, 1.5) for c in cells], Style(format="csv", excel=True), out, numeric={"n"})
    rows = list(csv.reader(io.StringIO(out.getvalue())))[1:]
    for (got, number), cell in zip(rows, cells, strict=True):
        if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
            assert got == "'" + cell
        else:
            assert got == cell
        assert number == "1.5"  # numbers are not text: never guarded


def test_export_excel_guards_too(hostile: Path, tmp_path: Path) -> None:
    result = run_parks(hostile, "export", str(tmp_path / "out"), "--format", "csv", "--excel", "--table", "articles")
    assert result.returncode == 0, result.stderr
    (path,) = list((tmp_path / "out").glob("*.csv"))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0]["title"].startswith("'=HYPERLINK(")


def test_dashboard_shows_the_article_harmlessly(hostile: Path) -> None:
    pytest.importorskip("textual")
    from rich.console import Console

    from parks.tui.app import ParksApp
    from parks.tui.article import ArticleScreen

    app = ParksApp(hostile, preload=False)
    screens: dict[str, str] = {}

    def render() -> str:
        console = Console(width=app.size[0], height=app.size[1], file=io.StringIO(), force_terminal=True,
                          color_system="truecolor", record=True, legacy_windows=False)
        console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
        return console.export_text()

    async def go() -> None:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await pilot.press("4")  # the articles tab
            await pilot.pause()
            screens["list"] = render()
            app.open_article(1)
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            screens["article"] = render()

    asyncio.run(go())
    for name, shown in screens.items():
        for ch in FORBIDDEN:
            assert ch not in shown, f"{ch!r} on the {name} screen"
    assert "[bold red]警告[/]" in screens["article"] and "[link=file:///etc/passwd]" in screens["article"]


# ----------------------------------------------------------------------------- SQL from user input

HOSTILE_VALUES = ["x' OR '1'='1", "'); DROP TABLE articles; --", "$1", "?", '" OR ""="', "%'--", "\\'; SELECT 1"]


class Spy:
    """A connection that records every SQL text it is given."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.sql: list[str] = []

    def execute(self, sql: str, params: object = None):  # type: ignore[no-untyped-def]
        self.sql.append(sql)
        return self.con.execute(sql) if params is None else self.con.execute(sql, params)

    def cursor(self) -> Spy:
        return self

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self.con, name)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_filter_values_are_always_bound_parameters(hostile: Path, value: str) -> None:
    con = connect(hostile, read_only=True)
    spy = Spy(con)
    f = queries.Filters(park=[value], metric=[value], industry=[value], text=value)
    placeholder = value in ("?", "$1")  # these occur in any SQL; that they are bound is checked by running
    try:
        views = [queries.articles(f), queries.parks(f, spy), queries.industries(f), queries.companies(f),  # type: ignore[arg-type]
                 queries.metrics(f, spy), queries.compare([value, PARK], f, spy)]  # type: ignore[arg-type]
        for q in views:
            # compare names its columns after the parks: a quoted identifier, never a value
            assert placeholder or value not in q.sql.replace(queries._ident(value), "")
            assert list(queries.run(spy, q).rows) == []  # type: ignore[arg-type]
        search.search(spy, value)  # type: ignore[arg-type]
        search.search(spy, f"{PARK} {value}")  # type: ignore[arg-type]
    finally:
        con.close()
    leaked = [s for s in spy.sql if not placeholder and value in s.replace(queries._ident(value), "")]
    assert not leaked, leaked[0]


def test_hostile_filters_on_the_command_line_are_clear_errors_and_change_nothing(hostile: Path) -> None:
    before = digest(hostile)
    runner = CliRunner()
    for args in (["query", "articles", "--park", "无锡高新区' OR '1'='1"],
                 ["query", "metrics", "--metric", "'); DROP TABLE figures; --"],
                 ["query", "articles", "--columns", 'title" FROM articles; DROP TABLE articles; --'],
                 ["query", "articles", "--sort", "title; DROP TABLE articles"]):
        result = runner.invoke(cli, ["--db", str(hostile), *args])
        assert result.exit_code == 1, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("parks: unknown "), result.stderr
    found = runner.invoke(cli, ["--db", str(hostile), "query", "search", "'; DROP TABLE articles; --", "--format", "csv"])
    assert found.exit_code in (0, 1) and "Traceback" not in found.output
    assert digest(hostile) == before
    con = duckdb.connect(str(hostile), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1
    con.close()


# ------------------------------------------------------------------------------------ query sql

REFUSED = {
    "insert": "INSERT INTO meta VALUES ('x', 'y')",
    "update": "UPDATE articles SET title = 'x'",
    "delete": "DELETE FROM figures",
    "create": "CREATE TABLE t (x INTEGER)",
    "drop": "DROP TABLE articles",
    "alter": "ALTER TABLE articles ADD COLUMN x INTEGER",
    "two statements": "SELECT 1; DROP TABLE articles",
    "copy to": "COPY articles TO 'OUT/leak.csv'",
    "export database": "EXPORT DATABASE 'OUT/dump'",
    "read_csv": "SELECT * FROM read_csv('SECRET')",
    "read_text": "SELECT * FROM read_text('SECRET')",
    "replacement scan": "SELECT * FROM 'SECRET'",
    "read_blob": "SELECT * FROM read_blob('SECRET')",
    "glob": "SELECT * FROM glob('DIR/*')",
    "sniff_csv": "SELECT * FROM sniff_csv('SECRET')",
    "attach": "ATTACH 'OUT/other.duckdb' AS other",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "re-enable access": "SET enable_external_access = true",
    "unlock": "SET lock_configuration = false",
    "temp directory": "SET temp_directory = 'OUT'",
    "pragma": "PRAGMA enable_external_access",
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_query_sql_is_read_only_and_cannot_reach_files(hostile: Path, tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    sql = REFUSED[name].replace("SECRET", str(secret)).replace("OUT", str(out)).replace("DIR", str(tmp_path))
    before = digest(hostile)
    result = CliRunner().invoke(cli, ["--db", str(hostile), "query", "sql", sql, "--format", "csv"])
    assert result.exit_code != 0, result.output
    assert "hunter2" not in result.output and str(secret) not in result.stdout
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []  # nothing written
    assert digest(hostile) == before


def test_query_sql_still_reads_the_database(hostile: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(hostile), "query", "sql",
                                      "SELECT count(*) AS n FROM articles", "--format", "csv"])
    assert result.exit_code == 0 and result.stdout.splitlines()[1] == "1"


def test_getenv_does_not_leak_the_environment(hostile: Path) -> None:
    env = {**os.environ, "PARKS_TEST_SECRET": "s3cr3t-value"}
    proc = subprocess.run(parks_cmd(hostile, "query", "sql", "SELECT getenv('PARKS_TEST_SECRET') AS v",
                                    "--format", "csv"), capture_output=True, text=True, env=env, timeout=60)
    assert "s3cr3t-value" not in proc.stdout
