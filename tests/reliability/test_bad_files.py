"""Bad files: each is named with its reason, the others load, the exit status and summary say how
many failed, and no traceback reaches the user."""

from __future__ import annotations

import codecs
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from parks.store.db import connect
from parks.store.ingest import Summary, discover, ingest

from .pages import article, cli_env, parks_cmd, run_parks

RNG = random.Random(11)
GOOD = article(RNG)  # simplified Chinese, self-written
TRAD = ("# 新竹科學園區積體電路產業持續成長\n\n"
        "新竹科學園區積體電路產業營業收入達到三百億元，較去年增長百分之十二。"
        "園區廠商今年新增研發人員一千二百人，投資金額達到八十億元。\n")


def stored_paths(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {Path(p).name for (p,) in con.execute("SELECT path FROM documents").fetchall()}
    finally:
        con.close()


def failed_lines(stderr: str) -> dict[str, str]:
    """file name -> reason, from the `failed: PATH: REASON` lines."""
    out = {}
    for line in stderr.splitlines():
        m = re.match(r"failed: (.*): (.*)$", line)
        if m:
            out[Path(m.group(1)).name] = m.group(2)
    return out


@pytest.fixture()
def messy(tmp_path: Path) -> tuple[Path, dict[str, str], set[str]]:
    """A scraped folder: (root, expected failures name -> reason pattern, names that must load)."""
    root = tmp_path / "scraped"
    root.mkdir()
    good: set[str] = set()

    def put(name: str, data: bytes, loads: bool) -> None:
        (root / name).write_bytes(data)
        if loads:
            good.add(name)

    # mixed encodings in one folder: all load, each decoded rightly
    put("utf8.txt", GOOD.encode("utf-8"), True)
    put("utf8_bom.md", codecs.BOM_UTF8 + article(RNG).encode("utf-8"), True)
    put("gb18030.txt", article(RNG).encode("gb18030"), True)
    put("big5.txt", TRAD.encode("big5"), True)
    put("utf16.txt", article(RNG).encode("utf-16"), True)
    put("page.html", f"<html><body><article><h1>标题</h1><p>{article(RNG)}</p></article></body></html>".encode(), True)
    # a UTF-8 page with a few corrupt bytes loads, with a warning
    corrupt = bytearray(article(RNG).encode("utf-8"))
    corrupt[40:41] = b"\xff"
    corrupt[200:201] = b"\xc3"
    put("corrupt_bytes.txt", bytes(corrupt), True)
    # a page of one 1 MB line (no line breaks at all)
    line = "".join(article(RNG).replace("\n", "") for _ in range(800))
    put("one_line.txt", ("# 一行到底的页面\n\n" + line[: 350_000]).encode("utf-8"), True)
    # files that must fail, each with its reason
    expected = {
        "empty.txt": "is empty",
        "blank.md": "is empty",
        "png_named.txt": "binary",
        "random_bytes.txt": "binary|not text",
        "pdf_named.md": "binary",
        "zip_named.html": "binary",
        "nul_heavy.txt": "binary",
    }
    put("empty.txt", b"", False)
    put("blank.md", b" \n\t\n  \r\n", False)
    put("png_named.txt", b"\x89PNG\r\n\x1a\n" + bytes(RNG.randrange(256) for _ in range(4000)), False)
    put("random_bytes.txt", bytes(RNG.randrange(256) for _ in range(20000)), False)
    put("pdf_named.md", b"%PDF-1.7\n" + bytes(range(256)) * 20, False)
    put("zip_named.html", b"PK\x03\x04" + bytes(range(256)) * 20, False)
    put("nul_heavy.txt", b"\x00\x01\x02\x03abc" * 2000, False)
    # an image with its own extension is skipped (not a page), not failed
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (root / "scan.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    # deeply nested folders: a page 300 folders down loads
    deep = root
    for _ in range(300):
        deep = deep / "d"
    deep.mkdir(parents=True)
    (deep / "deep_page.txt").write_text(article(RNG), encoding="utf-8")
    good.add("deep_page.txt")
    # symlink loops: a folder pointing at its parent, two files pointing at each other
    (root / "loop_dir").symlink_to(root, target_is_directory=True)
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    expected["loop_a.txt"] = "symbolic links"
    expected["loop_b.txt"] = "symbolic links"
    (root / "dangling.txt").symlink_to(root / "nowhere.txt")
    expected["dangling.txt"] = "cannot be read"
    # a pipe and a device named like pages must not hang the ingest
    os.mkfifo(root / "fifo.txt")
    expected["fifo.txt"] = "not a regular file"
    (root / "zero.txt").symlink_to("/dev/zero")
    expected["zero.txt"] = "not a regular file"
    return root, expected, good


def test_cli_names_every_bad_file_and_loads_the_rest(tmp_path: Path, messy) -> None:
    root, expected, good = messy
    db = tmp_path / "db.duckdb"
    result = run_parks(db, "ingest", str(root), timeout=240)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 1, result.stderr[-2000:]
    failed = failed_lines(result.stderr)
    assert set(failed) == set(expected), result.stderr[-2000:]
    for name, pattern in expected.items():
        assert re.search(pattern, failed[name]), (name, failed[name])
    assert f"{len(expected)} failed" in result.stderr
    assert "photo.png" in result.stderr and "scan.jpg" in result.stderr  # listed as skipped
    assert stored_paths(db) == good
    assert re.search(r"warning: .*corrupt_bytes\.txt: \d+ invalid UTF-8", result.stderr)
    # each encoding was read as what it is
    con = duckdb.connect(str(db), read_only=True)
    encodings = dict(con.execute("SELECT name, encoding FROM documents").fetchall())
    big5_text = con.execute("SELECT string_agg(text, '') FROM articles WHERE source LIKE '%big5.txt'").fetchone()[0]
    con.close()
    assert encodings["gb18030.txt"] == "gb18030" and encodings["big5.txt"] == "big5"
    assert encodings["utf16.txt"].startswith("utf-16") and encodings["utf8_bom.md"].startswith("utf-8")
    assert "積體電路" in big5_text


def test_a_second_run_fails_the_same_files_and_stores_nothing_twice(tmp_path: Path, messy) -> None:
    root, expected, good = messy
    db = tmp_path / "db.duckdb"
    con = connect(db, create=True)
    first = ingest(con, [root])
    second = ingest(con, [root])
    con.close()
    assert {Path(p).name for p, _ in first.failed} == set(expected)
    assert {Path(p).name for p, _ in second.failed} == set(expected)
    assert second.ingested == 0 and second.unchanged == len(good)
    assert stored_paths(db) == good


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch) -> None:
    """Root reads anything, so the permission error is simulated (the real one is the next test)."""
    root = tmp_path / "pages"
    root.mkdir()
    (root / "ok.txt").write_text(GOOD, encoding="utf-8")
    (root / "secret.txt").write_text(GOOD.replace("达到", "达"), encoding="utf-8")
    real_open = pathlib.Path.open

    def guarded(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", guarded)
    con = connect(tmp_path / "db.duckdb", create=True)
    s = ingest(con, [root])
    con.close()
    assert [(Path(p).name, r) for p, r in s.failed] == [("secret.txt", "cannot be read (permission denied)")]
    assert s.ingested == 1


def test_unlistable_folder_simulated(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "pages"
    (root / "locked").mkdir(parents=True)
    (root / "locked" / "inside.txt").write_text(GOOD, encoding="utf-8")
    (root / "open.txt").write_text(GOOD.replace("达到", "达"), encoding="utf-8")
    real_scandir = os.scandir

    def guarded(path="."):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", guarded)
    con = connect(tmp_path / "db.duckdb", create=True)
    events: list[tuple[str, str, str]] = []
    s = ingest(con, [root], on_event=lambda *e: events.append(e))
    con.close()
    assert [(Path(p).name, r) for p, r in s.failed] == [("locked", "cannot be listed (Permission denied)")]
    assert ("failed", str(root / "locked"), "cannot be listed (Permission denied)") in events  # named, not only counted
    assert s.ingested == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_unreadable_file_and_folder_for_real(tmp_path: Path) -> None:
    root = tmp_path / "pages"
    (root / "closed").mkdir(parents=True)
    (root / "closed" / "inside.txt").write_text(GOOD, encoding="utf-8")
    (root / "ok.txt").write_text(GOOD.replace("达到", "达"), encoding="utf-8")
    (root / "secret.txt").write_text(GOOD.replace("达到", "达至"), encoding="utf-8")
    (root / "secret.txt").chmod(0)
    (root / "closed").chmod(0)
    try:
        result = run_parks(tmp_path / "db.duckdb", "ingest", str(root))
    finally:
        (root / "closed").chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    failed = failed_lines(result.stderr)
    assert "permission denied" in failed["secret.txt"].lower()
    assert "cannot be listed" in failed["closed"]
    assert "1 ingested" in result.stderr and "2 failed" in result.stderr


def test_file_names_that_are_not_utf8_or_hostile(tmp_path: Path) -> None:
    """A name with invalid UTF-8 bytes fails alone (it crashed the whole batch before); names with
    escape sequences, newlines or markup load and are printed harmlessly."""
    root = tmp_path / "pages"
    root.mkdir()
    raw = os.fsencode(str(root)) + b"/bad\xffname.txt"
    with open(raw, "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    hostile = ["esc\x1b[31mred\x1b[0m.txt", "new\nline.txt", "a[red]markup[bold].txt", "bell\x07.md"]
    for i, name in enumerate(hostile):
        (root / name).write_text(article(random.Random(i)), encoding="utf-8")
    (root / "broken\x1b[2J.txt").write_bytes(b"")  # a failing file with an escape in its name
    result = subprocess.run(parks_cmd(tmp_path / "db.duckdb", "ingest", str(root)), capture_output=True,
                            env=cli_env(), timeout=120)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1 and "Traceback" not in err
    assert "not valid UTF-8" in err and "1 failed" not in err and "2 failed" in err
    assert "\x1b" not in err and "\x07" not in err  # no escape reaches the terminal
    assert f"{len(hostile)} ingested" in err
    assert all(line.startswith(("failed: ", "warning: ", "skipped", "  ", f"{len(hostile) + 1} file"))
               for line in err.splitlines()), err  # every message on its own line


def test_progress_bar_on_a_terminal_survives_hostile_names(tmp_path: Path) -> None:
    """On a terminal the progress bar shows file names; they are not read as rich markup."""
    pty = pytest.importorskip("pty")
    root = tmp_path / "pages"
    root.mkdir()
    (root / "a[red].txt").write_text(GOOD, encoding="utf-8")
    (root / "[link=file:x]y\x1b[31m.txt").write_text(article(random.Random(3)), encoding="utf-8")
    master, slave = pty.openpty()
    proc = subprocess.Popen(parks_cmd(tmp_path / "db.duckdb", "ingest", str(root)), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave, env={**cli_env(), "TERM": "xterm"})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(master)
    out = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, out[-2000:]
    assert "Traceback" not in out and "MarkupError" not in out
    assert "\x1b[" in out and "━" in out and "2/2" in out  # a rich progress bar was drawn, to the end
    assert "2 ingested" in out


def test_a_document_the_database_refuses_fails_alone(tmp_path: Path, monkeypatch) -> None:
    """Documents are committed in groups; when DuckDB refuses one (here: text it cannot encode),
    the others of its group are still stored and only that one is named."""
    from parks.parsers import pipeline
    from parks.store import ingest as ingest_mod

    root = tmp_path / "pages"
    root.mkdir()
    for i in range(6):
        (root / f"p{i}.txt").write_text(article(random.Random(100 + i)), encoding="utf-8")
    real = pipeline.parse_path

    def poisoned(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        doc = real(path, *args, **kwargs)
        if path.endswith("p3.txt"):
            doc.articles[0].article.title += "\ud800"  # a lone surrogate: not storable as UTF-8
        return doc

    monkeypatch.setattr(ingest_mod, "parse_path", poisoned)
    con = connect(tmp_path / "db.duckdb", create=True)
    s = ingest(con, [root])
    assert [Path(p).name for p, _ in s.failed] == ["p3.txt"]
    assert "could not be stored" in s.failed[0][1]
    assert s.ingested == 5
    docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    orphans = con.execute("SELECT count(*) FROM articles WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()[0]
    assert docs == 5 and orphans == 0
    monkeypatch.setattr(ingest_mod, "parse_path", real)
    again = ingest(con, [root])  # the refused file is not remembered as stored: it loads now
    con.close()
    assert again.ingested == 1 and not again.failed


def test_paths_given_twice_are_read_once(tmp_path: Path) -> None:
    root = tmp_path / "pages"
    root.mkdir()
    (root / "a.txt").write_text(GOOD, encoding="utf-8")
    summary = Summary()
    assert discover([root, root / "a.txt", root], summary) == [root / "a.txt"] and not summary.failed


def test_missing_path_is_named(tmp_path: Path) -> None:
    result = run_parks(tmp_path / "db.duckdb", "ingest", str(tmp_path / "nope"), str(tmp_path / "gone.txt"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    failed = failed_lines(result.stderr)
    assert failed == {"nope": "does not exist", "gone.txt": "does not exist"}


@pytest.mark.skipif(sys.platform != "linux", reason="needs /proc")
def test_a_very_deep_folder_does_not_hit_the_recursion_limit(tmp_path: Path) -> None:
    """os.walk recursed once per level (Python 3.11): 1,100 levels raised RecursionError."""
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(1100):  # created relative to a descriptor: each call's path stays short
            os.mkdir("d", dir_fd=fd)
            nxt = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        out = os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(out, GOOD.encode("utf-8"))
        os.close(out)
    finally:
        os.close(fd)
    try:
        summary = Summary()
        found = discover([tmp_path / "d"], summary)
        assert [p.name for p in found] == ["bottom.txt"] and not summary.failed
    finally:
        _remove_chain(tmp_path)


def _remove_chain(top: Path) -> None:
    """Remove top/d/d/…/d without recursion (pytest's own clean-up recurses and would fail)."""
    while (top / "d" / "d").is_dir():
        (top / "d" / "d").rename(top / "next")
        for child in (top / "d").iterdir():
            child.unlink()
        (top / "d").rmdir()
        (top / "next").rename(top / "d")
    shutil.rmtree(top / "d")


def test_a_markdown_page_that_lost_its_line_breaks_keeps_its_text(tmp_path: Path) -> None:
    rng = random.Random(21)
    flat = "".join(article(rng).replace("\n", "") for _ in range(20))  # starts with '# ' (the first title)
    path = tmp_path / "flat.md"
    path.write_text(flat, encoding="utf-8")
    con = connect(tmp_path / "db.duckdb", create=True)
    s = ingest(con, [path])
    chars = con.execute("SELECT coalesce(sum(chars), 0) FROM articles").fetchone()[0]
    con.close()
    assert s.ingested == 1
    assert chars > 0.9 * len(flat) or s.warnings or s.failed  # kept, or at least reported
