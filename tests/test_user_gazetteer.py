"""A user's own parks ($PARKS_GAZETTEER): added to the shipped gazetteer without touching the package."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from parks.main import cli

PAGE = "2023年，滁州经济技术开发区实现地区生产总值300亿元，同比增长8%。\n"
HEADER = "canonical,official_name,kind,province,city,approved_year,aliases\n"


def run(tmp: Path, gazetteer: Path | None, *args: str):  # type: ignore[no-untyped-def]
    env = {"PARKS_GAZETTEER": str(gazetteer) if gazetteer else ""}
    return CliRunner().invoke(cli, ["--db", str(tmp / "t.duckdb"), *args], env=env, prog_name="parks")


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def page(tmp: Path) -> Path:
    p = tmp / "page.txt"
    p.write_text(PAGE, encoding="utf-8")
    return p


def test_an_unlisted_park_joins_the_gazetteer_from_the_users_file(tmp_path: Path) -> None:
    p = page(tmp_path)
    assert run(tmp_path, None, "ingest", "-q", str(p)).exit_code == 0
    before = rows(run(tmp_path, None, "query", "parks", "--format", "csv").stdout)
    assert [(r["park"], r["listed"]) for r in before] == [("滁州经济技术开发区", "false")]

    mine = tmp_path / "mine.csv"
    mine.write_text(HEADER + "滁州经开区,滁州经济技术开发区,国家级经济技术开发区,安徽省,滁州,2011,\n", encoding="utf-8")
    r = run(tmp_path, mine, "ingest", "-q", "--force", str(p))
    assert r.exit_code == 0, r.stderr
    after = rows(run(tmp_path, mine, "query", "parks", "--format", "csv").stdout)
    assert [(r["park"], r["listed"], r["kind"], r["province"]) for r in after] == [
        ("滁州经开区", "true", "国家级经济技术开发区", "安徽省")]
    figures = rows(run(tmp_path, mine, "query", "metrics", "--format", "csv").stdout)
    assert {f["park"] for f in figures} == {"滁州经开区"}


def test_a_user_row_replaces_the_shipped_row_of_the_same_park(tmp_path: Path) -> None:
    p = tmp_path / "page.txt"
    p.write_text("2023年，太湖硅谷实现营业收入50亿元。\n", encoding="utf-8")
    mine = tmp_path / "wuxi.csv"
    mine.write_text(HEADER + "无锡高新区,无锡国家高新技术产业开发区,国家高新区,江苏省,无锡,1992,太湖硅谷\n",
                    encoding="utf-8")
    assert run(tmp_path, mine, "ingest", "-q", str(p)).exit_code == 0
    figures = rows(run(tmp_path, mine, "query", "metrics", "--format", "csv").stdout)
    assert [(f["park"], float(f["value"])) for f in figures] == [("无锡高新区", 50.0)]


def test_a_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    r = run(tmp_path, tmp_path / "nope.csv", "ingest", str(page(tmp_path)))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert r.stderr.strip() == f"parks: PARKS_GAZETTEER={tmp_path / 'nope.csv'}: no such file"


def test_a_file_without_the_canonical_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,city\n某园区,某市\n", encoding="utf-8")
    r = run(tmp_path, bad, "ingest", str(page(tmp_path)))
    assert r.exit_code == 1
    assert "needs a header row with at least a 'canonical' column" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "t.duckdb").exists()  # refused before any work


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes((HEADER + "滁州经开区,,,,,,\n").encode("gb18030"))
    r = run(tmp_path, gbk, "query", "parks")
    assert r.exit_code == 1
    assert r.stderr.strip().endswith("not UTF-8 text (save the CSV as UTF-8)")


def test_the_command_line_names_the_same_variable_as_the_parsers() -> None:
    from parks import main
    from parks.parsers import data

    assert main.USER_GAZETTEER == data.USER_GAZETTEER


def test_a_spelling_claimed_by_a_user_park_and_a_shipped_one_is_a_warning(tmp_path: Path) -> None:
    clash = tmp_path / "clash.csv"
    clash.write_text(HEADER + "测试高新区,,,,,,中关村示范区\n", encoding="utf-8")
    r = run(tmp_path, clash, "ingest", "-q", str(page(tmp_path)))
    assert r.exit_code == 0
    assert "warning: PARKS_GAZETTEER: 中关村示范区 is claimed by 中关村 and 测试高新区, so neither park gets it" \
        in r.stderr
