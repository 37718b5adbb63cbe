"""`parks query` and `parks export` through click's CliRunner: stdout and stderr checked separately."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import click
import duckdb
import pytest
from click.testing import CliRunner
from query_fixtures import make_db

from parks.main import cli

METRIC_COLS = "park,metric,value,value_max,unit,qualifier,period,basis,status,industry,article_id,source,quote,start,end,name_zh,date,figure_id"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return make_db(tmp_path_factory.mktemp("cli") / "t.duckdb")


def run(db: Path, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input, prog_name="parks")


def ok(db: Path, *args: str, input: str | None = None) -> str:
    r = run(db, *args, input=input)
    assert r.exit_code == 0, (r.stdout, r.stderr)
    assert r.stderr == ""
    return r.stdout


def records(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def fails(db: Path, *args: str, code: int = 1) -> str:
    """An error: the given exit status, nothing on stdout, exactly one `parks: …` line on stderr."""
    r = run(db, *args)
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("parks: "), r.stderr
    assert "Traceback" not in r.stderr
    return lines[0]


# ------------------------------------------------------------------------------------ the views


def test_parks_csv_when_piped(db: Path) -> None:
    out = ok(db, "query", "parks")
    assert out.splitlines()[0].startswith(
        "park,official_name,kind,province,city,listed,articles,mentions,metrics,top_industries,first_seen,last_seen")
    got = {r["park"]: r for r in records(out)}
    assert set(got) == {"包头稀土高新区", "西安高新区", "肇庆高新区", "星河工业园"}
    assert got["星河工业园"]["listed"] == "false" and got["西安高新区"]["listed"] == "true"
    assert got["西安高新区"]["articles"] == "2" and got["西安高新区"]["first_seen"] == "2022-03-01"


@pytest.mark.parametrize(("view", "header"), [
    ("industries", "industry,name_zh,name_en,parks,articles,mentions,top_parks"),
    ("companies", "company,park,articles,mentions"),
    ("articles", "article_id,date,title,park,parks,kicker,byline,source,chars"),
    ("metrics", METRIC_COLS),
])
def test_view_headers(db: Path, view: str, header: str) -> None:
    assert ok(db, "query", view).splitlines()[0].startswith(header)


def test_industries_companies_articles_content(db: Path) -> None:
    ind = {r["industry"]: r for r in records(ok(db, "query", "industries"))}
    assert ind["pv"]["name_zh"] == "光伏" and ind["pv"]["articles"] == "2"
    comp = records(ok(db, "query", "companies", "--park", "包头高新区"))
    assert [(r["company"], r["park"]) for r in comp] == [("北方稀土公司", "包头稀土高新区")]
    arts = records(ok(db, "query", "articles", "--year", "2023"))
    assert [r["title"] for r in arts] == ['"绿色"转型, 肇庆与西安']
    assert arts[0]["parks"] == "肇庆高新区|西安高新区|星河工业园"


def test_metrics_default_lists_park_figures_only(db: Path) -> None:
    rows = records(ok(db, "query", "metrics"))
    assert len(rows) == 7 and all(r["park"] for r in rows)
    everything = records(ok(db, "query", "metrics", "--scope", "all"))
    assert len(everything) == 8 and [r["value"] for r in everything if not r["park"]] == ["9000"]
    other = records(ok(db, "query", "metrics", "--scope", "other"))
    assert [r["quote"] for r in other] == ["全市生产总值9000亿元"]


def test_metrics_filters(db: Path) -> None:
    def ids(*args: str) -> list[str]:
        return sorted(r["figure_id"] for r in records(ok(db, "query", "metrics", *args)))

    assert ids("--park", "稀土高新区") == ["1", "2"]  # an alias
    assert ids("--park", "稀土高新区", "--park", "肇庆高新区") == ["1", "2", "5", "6"]
    assert ids("--metric", "企业数") == ids("--metric", "enterprises") == ["2", "5", "7", "8"]
    assert ids("--industry", "光伏") == ["3"]
    assert ids("--year", "2024") == ["6"]
    assert ids("--year", "2021", "--year", "2022") == ["1", "2", "3", "6"]
    assert ids("--status", "target") == ["6"]
    assert ids("--basis", "since:2020") == ["6"]
    assert ids("--park", "西安高新区", "--scope", "all") == ["3", "7", "8"]


def test_metrics_full_precision(db: Path) -> None:
    rows = records(ok(db, "query", "metrics", "--metric", "gdp"))
    assert rows[0]["value"] == "0.30000000000000004"
    data = json.loads(ok(db, "query", "metrics", "--metric", "gdp", "--format", "json"))
    assert data[0]["value"] == 0.1 + 0.2
    table = ok(db, "query", "metrics", "--metric", "gdp", "--format", "table", "--columns", "park,value")
    assert "0.3" in table and "0.30000000000000004" not in table  # the table may round for display


def test_compare(db: Path) -> None:
    out = ok(db, "query", "compare", "--park", "西安高新区", "--park", "肇庆高新区")
    header = out.splitlines()[0].split(",")
    assert header[:8] == ["metric", "name_zh", "industry", "basis", "period", "西安高新区", "肇庆高新区", "conflicts"]
    rows = {(r["metric"], r["period"]): r for r in records(out)}
    assert rows[("enterprises", "2023")]["肇庆高新区"] == "60 家"
    assert rows[("enterprises", "2023")]["conflicts"] == "西安高新区"
    assert rows[("pv_capacity", "2022")]["西安高新区"] == "120–150 MW"
    one = records(ok(db, "query", "compare", "--park", "稀土高新区"))
    assert {r["包头稀土高新区"] for r in one} == {">50 家", "0.30000000000000004 亿元"}


def test_compare_needs_a_park(db: Path) -> None:
    line = fails(db, "query", "compare", code=2)
    assert "--park" in line


# ---------------------------------------------------------------------------------- formats


def test_formats(db: Path) -> None:
    args = ("query", "parks", "--columns", "park,listed,articles", "--sort", "park")
    tsv = ok(db, *args, "--format", "tsv")
    assert tsv.splitlines()[:2] == ["park\tlisted\tarticles", "包头稀土高新区\ttrue\t1"]
    data = json.loads(ok(db, *args, "--format", "json"))
    assert data[0] == {"park": "包头稀土高新区", "listed": True, "articles": 1}
    jl = ok(db, *args, "--format", "jsonl").splitlines()
    assert [json.loads(line) for line in jl] == data
    assert "\\u" not in ok(db, *args, "--format", "json")  # Chinese stays unescaped
    table = ok(db, *args, "--format", "table")
    assert "包头稀土高新区" in table and "articles" in table


def test_stdout_is_utf8_bytes(db: Path) -> None:
    r = run(db, "query", "parks", "--columns", "park", "--limit", "1")
    assert r.stdout_bytes == "park\n西安高新区\n".encode()


def test_csv_bytes_quoting(db: Path) -> None:
    r = run(db, "query", "articles", "--columns", "title,kicker", "--year", "2023")
    assert r.stdout_bytes == 'title,kicker\n"""绿色""转型, 肇庆与西安",绿色发展②\n'.encode()


def test_bom_and_excel_bytes(db: Path) -> None:
    args = ("query", "metrics", "--columns", "park,value,quote", "--park", "肇庆高新区", "--sort", "value")
    assert run(db, *args, "--bom").stdout_bytes == (
        "\ufeffpark,value,quote\n肇庆高新区,-15,-单位能耗下降15%\n肇庆高新区,60,肇庆高新区企业60家\n").encode()
    assert run(db, *args, "--excel").stdout_bytes == (
        "\ufeffpark,value,quote\r\n肇庆高新区,-15,'-单位能耗下降15%\r\n肇庆高新区,60,肇庆高新区企业60家\r\n").encode()
    guarded = run(db, "query", "metrics", "--metric", "pv_capacity", "--columns", "quote,value", "--excel",
                  "--format", "tsv")
    assert guarded.stdout_bytes == "\ufeffquote\tvalue\r\n'=SUM(A1)光伏装机容量120至150兆瓦\t120\r\n".encode()


def test_excel_options_need_a_delimited_format(db: Path) -> None:
    line = fails(db, "query", "parks", "--excel", "--format", "json", code=2)
    assert line.startswith("parks: --excel applies to csv and tsv only")
    fails(db, "query", "parks", "--no-header", "--format", "table", code=2)


def test_shaping(db: Path) -> None:
    out = ok(db, "query", "metrics", "--columns", "value,park", "--sort", "park", "--desc", "--limit", "2",
             "--no-header")
    assert out.splitlines() == ["-15,肇庆高新区", "60,肇庆高新区"]  # ties keep the view's order (metric)
    parks = [r["park"] for r in records(ok(db, "query", "parks", "--sort", "park"))]
    assert parks == ["包头稀土高新区", "西安高新区", "星河工业园", "肇庆高新区"]  # pinyin: bao, xi'an, xing, zhao
    assert ok(db, "query", "parks", "--limit", "0").splitlines() == [ok(db, "query", "parks").splitlines()[0]]
    values = [float(r["value"]) for r in records(ok(db, "query", "metrics", "--sort", "value", "--desc"))]
    assert values == sorted(values, reverse=True)


def test_a_column_named_twice_is_kept_once(db: Path) -> None:
    args = ("query", "parks", "--columns", "park, articles,park", "--sort", "park", "--limit", "1")
    assert ok(db, *args) == "park,articles\n包头稀土高新区,1\n"
    assert ok(db, *args, "--format", "json") == '[\n  {"park": "包头稀土高新区", "articles": 1}\n]\n'


def test_unknown_column_suggests(db: Path) -> None:
    line = fails(db, "query", "metrics", "--columns", "park,vaule")
    assert line.startswith("parks: unknown column 'vaule'; did you mean: value?")
    fails(db, "query", "parks", "--sort", "nope")


# ---------------------------------------------------------------------------------- errors


def test_unknown_park_and_metric_suggest_names(db: Path) -> None:
    assert fails(db, "query", "metrics", "--park", "稀土高新") == "parks: unknown park '稀土高新'; did you mean: 包头稀土高新区?"
    assert fails(db, "query", "parks", "--metric", "企业") == "parks: unknown metric '企业'; did you mean: 企业数?"
    assert fails(db, "query", "compare", "--park", "西安", "--park", "肇庆高新区").startswith(
        "parks: unknown park '西安'; did you mean: 西安高新区")


@pytest.mark.parametrize("args", [
    ("query", "parks", "--format", "xml"),
    ("query", "metrics", "--year", "23"),
    ("query", "metrics", "--status", "planned"),
    ("query", "metrics", "--basis", "monthly"),
    ("query", "metrics", "--limit", "-1"),
    ("query", "metrics", "--limit", "99999999999999999999"),
    ("query", "search", "稀土", "--limit", "99999999999999999999"),
    ("query", "metrics", "--nope"),
    ("query", "nope"),
    ("nope",),
])
def test_usage_errors_are_one_line_exit_2(db: Path, args: tuple[str, ...]) -> None:
    fails(db, *args, code=2)


def test_missing_database(tmp_path: Path) -> None:
    line = fails(tmp_path / "none.duckdb", "query", "parks")
    assert line == f"parks: no database at {tmp_path / 'none.duckdb'} (run `parks ingest PATH` to build one)"


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_text("hello")
    assert "not a DuckDB database" in fails(bad, "query", "parks")


def test_not_a_parks_database(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    assert "not a parks database" in fails(other, "query", "metrics")


def test_version_and_bare_parks(db: Path) -> None:
    r = CliRunner().invoke(cli, ["--version"], prog_name="parks")
    assert r.exit_code == 0 and r.stdout.startswith("parks, version ")
    r = CliRunner().invoke(cli, [], prog_name="parks")  # no terminal: help on stderr, exit 2, no dashboard
    assert r.exit_code == 2 and r.stdout == "" and "Usage: parks" in r.stderr


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    for name, cmd in group.commands.items():
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


@pytest.mark.parametrize("path", list(_commands(cli)))
def test_every_command_has_help_with_examples(path: tuple[str, ...]) -> None:
    r = CliRunner().invoke(cli, [*path, "-h"], prog_name="parks", terminal_width=120)
    assert r.exit_code == 0 and r.stderr == ""
    assert f"Usage: parks {' '.join(path)}" in r.stdout
    assert "Examples:" in r.stdout, path


def test_shell_completion_script() -> None:
    r = CliRunner().invoke(cli, [], prog_name="parks", env={"_PARKS_COMPLETE": "bash_source"})
    assert r.exit_code == 0 and "_parks_completion" in r.stdout


@pytest.mark.parametrize(("words", "expect"), [
    (["query", "metrics", "--park", "西"], ["西安高新区"]),
    (["query", "compare", "--park", "包头"], ["包头稀土高新区"]),
    (["query", "metrics", "--metric", "pv"], ["pv_capacity"]),
    (["query", "parks", "--industry", "稀土"], ["稀土新材料"]),
    (["query", "met"], ["metrics"]),
])
def test_shell_completion_of_names(db: Path, words: list[str], expect: list[str]) -> None:
    line = ["parks", "--db", str(db), *words]
    env = {"_PARKS_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(line), "COMP_CWORD": str(len(line) - 1)}
    r = CliRunner().invoke(cli, [], prog_name="parks", env=env)
    assert r.exit_code == 0
    assert [item.split(",", 1)[1] for item in r.stdout.split()] == expect


# -------------------------------------------------------------------------------------- sql


def test_sql_select(db: Path) -> None:
    out = ok(db, "query", "sql", "SELECT park, value FROM figures WHERE metric = 'gdp' AND park <> '';")
    assert out == "park,value\n包头稀土高新区,0.30000000000000004\n"
    assert ok(db, "query", "sql", "-", input="SELECT 1.50::DECIMAL(5,2) AS d, [1, 2] AS l") == 'd,l\n1.50,"[1, 2]"\n'
    data = json.loads(ok(db, "query", "sql", "SELECT count(*) AS n FROM articles", "--format", "json"))
    assert data == [{"n": 3}]


def test_sql_with_shaping(db: Path) -> None:
    out = ok(db, "query", "sql", "SELECT park, approved_year FROM parks WHERE listed", "--sort", "park",
             "--limit", "2", "--columns", "park")
    assert out == "park\n阿城经开区\n包头稀土高新区\n"  # a, bao


def test_sql_schema(db: Path, tmp_path: Path) -> None:
    rows = records(ok(tmp_path / "absent.duckdb", "query", "sql", "--schema"))  # needs no database
    described = {(r["table"], r["column"]): r for r in rows}
    assert described[("figures", "value")]["type"] == "DOUBLE"
    assert described[("figures", "value")]["description"]
    assert all(r["description"] for r in rows if r["table"] in ("figures", "articles", "parks"))
    assert fails(db, "query", "sql", "SELECT 1", "--schema", code=2).startswith("parks: give SQL or --schema")


@pytest.mark.parametrize(("statement", "expect"), [
    ("CREATE TABLE x (a INTEGER)", "query sql is read-only: CREATE statements are not allowed"),
    ("INSERT INTO parks (park) VALUES ('x')", "query sql is read-only: INSERT statements are not allowed"),
    ("UPDATE figures SET value = 0", "query sql is read-only"),
    ("DELETE FROM figures", "query sql is read-only"),
    ("DROP TABLE figures", "query sql is read-only"),
    ("COPY figures TO '{tmp}/out.csv'", "query sql cannot read or write files"),
    ("ATTACH '{tmp}/other.duckdb' AS o", "query sql cannot read or write files"),
    ("SELECT * FROM read_csv('/etc/passwd')", "query sql cannot read or write files"),
    ("SELECT * FROM read_text('/etc/passwd')", "query sql cannot read or write files"),
    ("EXPORT DATABASE '{tmp}/dump'", "query sql cannot read or write files"),
    ("INSTALL httpfs", "query sql cannot install or load extensions"),
    ("LOAD httpfs", "query sql cannot install or load extensions"),
    ("SELECT * FROM 'https://example.com/x.csv'", "query sql cannot"),
    ("SET enable_external_access = true", "query sql cannot change settings"),
    ("SELEC 1", "SQL error: Parser Error"),
    ("SELECT nope FROM figures", "SQL error: Binder Error"),
])
def test_sql_is_read_only(db: Path, tmp_path: Path, statement: str, expect: str) -> None:
    line = fails(db, "query", "sql", statement.format(tmp=tmp_path))
    assert line.startswith(f"parks: {expect}"), line
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_sql_usage(db: Path) -> None:
    fails(db, "query", "sql", code=2)
    fails(db, "query", "sql", "  ;  ", code=2)


# ----------------------------------------------------------------------------------- export


def test_export_csv(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "new" / "dir"
    r = run(db, "export", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{t}.csv" for t in ("parks", "industries", "companies", "articles", "metrics",
                                                 "mentions", "texts"))
    assert r.stderr.count("wrote ") == 7
    metrics = (out / "metrics.csv").read_text(encoding="utf-8")
    assert metrics.startswith(METRIC_COLS) and "0.30000000000000004" in metrics
    assert len(records(metrics)) == 8  # all figures, including the one with no park
    assert (out / "parks.csv").read_text(encoding="utf-8") == ok(db, "query", "parks")


def test_export_parquet(db: Path, tmp_path: Path) -> None:
    r = run(db, "export", str(tmp_path), "--format", "parquet", "--table", "metrics", "--table", "parks")
    assert r.exit_code == 0, r.stderr
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM '{tmp_path}/metrics.parquet'").fetchone()[0] == 8
    value = con.execute(f"SELECT value FROM '{tmp_path}/metrics.parquet' WHERE metric = 'gdp' AND park <> ''")
    assert value.fetchone()[0] == 0.1 + 0.2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.parquet", "parks.parquet"]


def test_export_excel(db: Path, tmp_path: Path) -> None:
    assert run(db, "export", str(tmp_path), "--table", "metrics", "--excel").exit_code == 0
    data = (tmp_path / "metrics.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpark,") and b"\r\n" in data and b"'=SUM(A1)" in data


def test_export_failure_leaves_no_partial_file(db: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import parks.output

    def broken(columns, rows, style, out, numeric=frozenset(), types=()):  # type: ignore[no-untyped-def]
        out.write("park,half a row")
        out.flush()
        raise OSError(28, "No space left on device")

    (tmp_path / "parks.csv").write_text("old complete file\n", encoding="utf-8")
    monkeypatch.setattr(parks.output, "write", broken)
    r = run(db, "export", str(tmp_path), "--table", "parks", "--table", "metrics")
    assert r.exit_code == 1 and r.stderr.strip().endswith("No space left on device")
    assert [p.name for p in tmp_path.iterdir()] == ["parks.csv"]  # no temp file, no metrics.csv
    assert (tmp_path / "parks.csv").read_text(encoding="utf-8") == "old complete file\n"


def test_export_into_a_file_fails_cleanly(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    r = run(db, "export", str(target))
    assert r.exit_code in (1, 2) and r.stdout == "" and len(r.stderr.splitlines()) == 1


# ------------------------------------------------------------------------- bytes that are not UTF-8
# A file name or argument with such bytes reaches Python as lone surrogates, which DuckDB cannot take.


def test_a_database_path_that_is_not_utf8_fails_in_one_line(db: Path, tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"\xff.duckdb")
    shutil.copy(db, odd)
    assert "valid UTF-8" in fails(odd, "query", "parks")
    assert "valid UTF-8" in fails(tmp_path / os.fsdecode(b"new\xfe.duckdb"), "ingest", str(tmp_path))


def test_sql_that_is_not_utf8_is_a_usage_error(db: Path) -> None:
    assert "not valid UTF-8" in fails(db, "query", "sql", "SELECT '\udcff' AS x", code=2)
    r = CliRunner().invoke(cli, ["--db", str(db), "query", "sql", "-"], input=b"SELECT '\xff' AS x",
                           prog_name="parks")
    assert r.exit_code == 2 and r.stdout == "" and "not valid UTF-8" in r.stderr
    assert ok(db, "query", "sql", "-", input="SELECT '西安' AS x") == "x\n西安\n"


def test_export_into_a_folder_whose_name_is_not_utf8(db: Path, tmp_path: Path) -> None:
    odd = tmp_path / os.fsdecode(b"out\xfe")
    assert "valid UTF-8" in fails(db, "export", str(odd), "--format", "parquet")
    assert not odd.exists()
    r = run(db, "export", str(odd), "--table", "parks")  # csv is written by Python, which can
    assert r.exit_code == 0 and (odd / "parks.csv").read_text(encoding="utf-8") == ok(db, "query", "parks")
    assert "out\ufffd" in r.stderr and "\\udc" not in r.stderr
