"""Writing results: byte-for-byte CSV (quoting, BOM, CRLF, formula guards), JSON, the terminal table."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import pytest

from parks.output import Style, Utf8Out, cell, display, guard, printable, table, text, write

COLS = ["name", "value", "note"]


def render(rows, style: Style, columns=COLS, numeric=frozenset({"value"})) -> bytes:  # type: ignore[no-untyped-def]
    raw = io.BytesIO()
    out = Utf8Out(raw)
    write(columns, iter(rows), style, out, numeric)
    out.flush()
    return raw.getvalue()


def test_csv_quotes_only_what_needs_quoting() -> None:
    rows = [("包头", 1.5, 'say "hi"'), ("a,b", None, "two\nlines"), ("", 0.0, " lead")]
    assert render(rows, Style()) == (
        'name,value,note\n'
        '包头,1.5,"say ""hi"""\n'
        '"a,b",,"two\nlines"\n'
        ',0, lead\n'
    ).encode()


def test_csv_bom_and_no_header() -> None:
    got = render([("西安", 2.0, "x")], Style(bom=True, header=False))
    assert got == b"\xef\xbb\xbf" + "西安,2,x\n".encode()


def test_excel_adds_bom_crlf_and_guards_text_not_numbers() -> None:
    rows = [("=SUM(A1)", -15.0, "+86 电话"), ("@cmd", 3.25, "-下降"), ("\tx", -0.5, "ok")]
    got = render(rows, Style(bom=True, excel=True))
    assert got == b"\xef\xbb\xbf" + (
        "name,value,note\r\n"
        "'=SUM(A1),-15,'+86 电话\r\n"
        "'@cmd,3.25,'-下降\r\n"
        "'\tx,-0.5,ok\r\n"
    ).encode()


def test_excel_guards_a_header_that_looks_like_a_formula() -> None:
    got = render([(1,)], Style(excel=True), columns=["=1+1"], numeric=frozenset({"=1+1"}))
    assert got == b"'=1+1\r\n1\r\n"


def test_tsv_uses_tabs_and_quotes_tabs_inside_fields() -> None:
    got = render([("a\tb", 1.0, "c")], Style(format="tsv"))
    assert got == b'name\tvalue\tnote\n"a\tb"\t1\tc\n'


def test_numbers_keep_full_precision() -> None:
    got = render([("x", 0.1 + 0.2, None), ("y", 1e20, None), ("z", 123456789.123456789, None)], Style())
    lines = got.decode().splitlines()
    assert lines[1] == "x,0.30000000000000004,"
    assert float(lines[2].split(",")[1]) == 1e20
    assert float(lines[3].split(",")[1]) == 123456789.123456789


def test_special_values_as_csv_fields() -> None:
    assert text(None) == "" and text(True) == "true" and text(False) == "false"
    assert text(float("nan")) == "" and text(float("inf")) == ""
    assert text(date(2023, 9, 12)) == "2023-09-12"
    assert text(datetime(2023, 9, 12, 8, 30)) == "2023-09-12T08:30:00"
    assert text(Decimal("1.50")) == "1.50" and text(Decimal("100")) == "100"
    assert text([1, "稀土"]) == '[1, "稀土"]' and text({"a": 1.0}) == '{"a": 1}'
    assert text(12) == "12" and text(2.0) == "2"


def test_json_keeps_chinese_and_types() -> None:
    got = render([("包头", 0.1 + 0.2, None), ("西安", 50.0, "x")], Style(format="json"))
    assert "包头".encode() in got and b"\\u" not in got
    data = json.loads(got)
    assert data == [{"name": "包头", "value": 0.30000000000000004, "note": None},
                    {"name": "西安", "value": 50, "note": "x"}]
    assert render([], Style(format="json")) == b"[]\n"


def test_jsonl_one_object_per_line() -> None:
    got = render([("包头", 1.0, True), ("西安", 2.5, date(2020, 1, 2))], Style(format="jsonl"))
    lines = got.decode().split("\n")
    assert lines[-1] == "" and len(lines) == 3
    assert json.loads(lines[0]) == {"name": "包头", "value": 1, "note": True}
    assert json.loads(lines[1]) == {"name": "西安", "value": 2.5, "note": "2020-01-02"}


def test_cell_converts_for_json() -> None:
    assert cell(Decimal("2.5")) == 2.5 and cell(Decimal("3")) == 3
    assert cell(b"\x01\xff") == "01ff"
    assert cell([Decimal("1"), date(2020, 1, 1)]) == [1, "2020-01-01"]


def test_write_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError):
        render([], Style(format="xml"))


def test_guard() -> None:
    assert [guard(s) for s in ("=a", "+a", "-a", "@a", "a=b", "")] == ["'=a", "'+a", "'-a", "'@a", "a=b", ""]


def test_utf8_out_never_closes_its_stream() -> None:
    raw = io.BytesIO()
    out = Utf8Out(raw, size=4)
    out.write("稀土高新区")  # over the buffer size: written through
    assert raw.getvalue() == "稀土高新区".encode()
    del out
    assert not raw.closed


def test_printable_neutralises_terminal_escapes() -> None:
    assert printable("a\x1b[31mb\u202ec\n") == "a\u241b[31mb\ufffdc\n"
    assert display(0.1 + 0.2) == "0.3"  # the table rounds for display only
    assert display(None) == ""


def test_table_renders_text_not_markup(capsys) -> None:  # type: ignore[no-untyped-def]
    n = table(["park", "value"], iter([("[bold]包头[/bold]", 1.5), ("西安", 2.0)]), title="Parks",
              numeric={"value"})
    out = capsys.readouterr()
    assert n == 2 and "[bold]包头[/bold]" in out.out and "西安" in out.out and out.err == ""


def test_table_stops_at_its_limit_and_says_so_on_stderr(capsys) -> None:  # type: ignore[no-untyped-def]
    n = table(["x"], iter([(i,) for i in range(10)]), limit=3)
    out = capsys.readouterr()
    assert n == 3 and "first 3 rows shown" in out.err and "first 3" not in out.out
