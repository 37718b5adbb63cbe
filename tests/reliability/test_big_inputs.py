"""Big inputs: the reader's size limit, parsing time that grows linearly with the input, and (with
PARKS_SLOW=1) real 50 MB pages.

Growth is measured, not guessed: each input is parsed at n and 4n and the time ratio compared with
what linear code gives (about 4; quadratic code gives about 16, cubic about 64). The threshold of
8 leaves room for a busy machine and still catches anything quadratic.
"""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from parks.parsers.model import SourceText
from parks.parsers.pipeline import parse_path, parse_source
from parks.parsers.reader import MAX_BYTES

from .pages import PYTHON, article, cli_env, count, parks_cmd, snapshot, write_corpus

LINEAR_LIMIT = 8.0


def source(text: str) -> SourceText:
    return SourceText(path="/big/page.txt", text=text, encoding="utf-8", format="txt", content_hash="0",
                      size=len(text))


def best_time(text: str, runs: int = 2) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        parse_source(source(text))
        best = min(best, time.perf_counter() - started)
    return best


def growth(make: Callable[[int], str], n: int) -> float:
    parse_source(source(make(max(n // 8, 1))))  # warm up: lazy imports, dictionaries
    return best_time(make(4 * n)) / max(best_time(make(n)), 1e-3)


def _articles(n: int) -> str:
    rng = random.Random(1)
    return "\n\n".join(article(rng, 3) for _ in range(n))


def _paragraph(n: int) -> str:
    rng = random.Random(2)
    return "# 一段到底\n\n" + "".join(article(rng, 1).split("\n")[4] for _ in range(n)) + "\n"


LINEAR = {  # inputs that grow linearly today; they must stay that way
    "articles on one page": (_articles, 40),
    "park names in a row": (lambda n: "# 标题\n\n" + "高新区" * n + "\n", 400),
    "a run of Chinese numerals": (lambda n: "# 标题\n\n" + "一" * n + "\n", 200),
    "a run of 亿": (lambda n: "# 标题\n\n" + "亿" * n + "\n", 50),
    "a run of 四成": (lambda n: "# 标题\n\n" + "四成" * n + "\n", 200),
    "percentages without commas": (lambda n: "# 标题\n\n增长" + "12%" * n + "\n", 200),
    "a list of amounts": (lambda n: "# 标题\n\n投资" + "100万元、" * n + "\n", 100),
    "a sentence of comma-separated percentages": (lambda n: "# 标题\n\n增长" + "12%，" * n + "\n", 200),
    "parks and figures in one sentence": (lambda n: "# 标题\n\n" + "，".join(
        f"{'肇庆高新区' if i % 2 else '无锡高新区'}营收{i}亿元" for i in range(n)) + "。\n", 500),
    "one paragraph printed thousands of times": (lambda n: "# 标题\n\n" + "园区投资10亿元。\n\n" * n, 500),
    "pull-quotes beside their paragraphs": (lambda n: "# 标题\n\n" + "".join(
        f"园区投资{i}亿元，同比增长{i}%。\n\n{i}亿元\n\n" for i in range(n)), 200),
}

QUADRATIC = {  # runs scraped pages can contain, which the extractor reads in more than linear time
}


@pytest.mark.slow
def test_one_long_article_parses_in_linear_time() -> None:
    """A page that lost its line breaks or headings is one article with thousands of figures."""
    ratio = growth(_paragraph, 300)
    assert ratio < LINEAR_LIMIT, f"4x the sentences took {ratio:.1f}x the time"


@pytest.mark.parametrize("name", list(LINEAR))
def test_parsing_time_grows_linearly(name: str) -> None:
    make, n = LINEAR[name]
    ratio = growth(make, n)
    assert ratio < LINEAR_LIMIT, f"{name}: 4x the input took {ratio:.1f}x the time"


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=why)) for name, (_, why) in QUADRATIC.items()
])
def test_pathological_runs_parse_in_linear_time(name: str) -> None:
    make, n = QUADRATIC[name][0]
    ratio = growth(make, n)
    assert ratio < LINEAR_LIMIT, f"{name}: 4x the input took {ratio:.1f}x the time"


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(MAX_BYTES + 1)
    result = parse_path(str(path))
    assert getattr(result, "reason", "").startswith("is too large"), result


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch) -> None:
    from parks.parsers import reader

    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    path = tmp_path / "growing.txt"
    path.write_text(article(random.Random(3)) * 3, encoding="utf-8")
    result = parse_path(str(path))
    assert "too large" in getattr(result, "reason", ""), result


# ---------------------------------------------------------------------------------- streamed pages


def _ingest_into(db: Path, corpus: Path, jobs: int = 1):  # type: ignore[no-untyped-def]
    from parks.store.db import connect
    from parks.store.ingest import ingest

    con = connect(db, create=True)
    try:
        return ingest(con, [corpus], jobs=jobs)
    finally:
        con.close()


@pytest.fixture()
def corpus_with_a_big_page(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write_corpus(root, 6)
    rng = random.Random(5)
    (root / "dump.txt").write_text("\n\n".join(article(rng, 2) for _ in range(40)), encoding="utf-8")
    return root


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_parsed_while_written_gives_the_same_database(corpus_with_a_big_page: Path, tmp_path: Path,
                                                             monkeypatch, jobs: int) -> None:
    """Pages over STREAM_BYTES are parsed article by article inside their transaction (by the
    writer, also with --jobs 2) and their rows inserted a few articles at a time: what is stored
    is what holding the page whole stores."""
    from parks.store import ingest as m

    held = _ingest_into(tmp_path / "held.duckdb", corpus_with_a_big_page)
    monkeypatch.setattr(m, "STREAM_BYTES", 4000)
    monkeypatch.setattr(m, "ROWS_ARTICLES", 3)
    streamed = _ingest_into(tmp_path / "streamed.duckdb", corpus_with_a_big_page, jobs)
    assert (streamed.ingested, streamed.articles, streamed.figures) == (held.ingested, held.articles, held.figures)
    assert held.articles > 40
    assert snapshot(tmp_path / "streamed.duckdb") == snapshot(tmp_path / "held.duckdb")


def test_a_streamed_page_that_fails_midway_leaves_nothing_and_the_rest_load(corpus_with_a_big_page: Path,
                                                                            tmp_path: Path, monkeypatch) -> None:
    from parks.parsers import pipeline
    from parks.store import ingest as m

    monkeypatch.setattr(m, "STREAM_BYTES", 20_000)  # only the dump is streamed
    monkeypatch.setattr(m, "ROWS_ARTICLES", 3)
    real_parse, real_stream = pipeline.parse_article, pipeline.stream_source
    current, parsed = [""], [0]

    def stream(source, *a):  # type: ignore[no-untyped-def]
        current[0] = source.path
        return real_stream(source, *a)

    def deep(article, *a):  # type: ignore[no-untyped-def]
        in_dump = current[0].endswith("dump.txt")
        parsed[0] += in_dump
        if in_dump and parsed[0] > 10:  # the dump's eleventh article: three groups of rows are already inserted
            raise RecursionError
        return real_parse(article, *a)

    monkeypatch.setattr(pipeline, "parse_article", deep)
    monkeypatch.setattr(pipeline, "stream_source", stream)
    summary = _ingest_into(tmp_path / "db.duckdb", corpus_with_a_big_page)
    assert [(Path(p).name, r) for p, r in summary.failed] == [("dump.txt", "is nested too deeply to parse")]
    assert summary.ingested == 6
    assert count(tmp_path / "db.duckdb", "documents") == 6
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    try:  # nothing of the dump's first articles, though their rows were inserted before it failed
        assert con.execute("SELECT count(*) FROM articles WHERE source LIKE '%dump.txt'").fetchone() == (0,)
    finally:
        con.close()


# ---------------------------------------------------------------------------------- 50 MB pages


def _write_big_text(path: Path, megabytes: int) -> None:
    rng = random.Random(9)
    with open(path, "w", encoding="utf-8") as fh:
        written = 0
        while written < megabytes * 1_000_000:
            chunk = article(rng, 4) + "\n\n"
            fh.write(chunk)
            written += len(chunk.encode("utf-8"))


def _write_big_html(path: Path, megabytes: int) -> None:
    """A saved web page: a few articles in a sea of inline images, scripts and styles."""
    rng = random.Random(10)
    filler = "<img src=\"data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ" * 2000 + "\">"
    script = "<script>var data = [" + ",".join(str(i) for i in range(20000)) + "];</script>"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("<html><head><title>园区新闻</title><style>" + "p{margin:0}" * 5000 + "</style></head><body>")
        written = 0
        while written < megabytes * 1_000_000:
            body = "".join(f"<p>{p}</p>" for p in article(rng, 3).split("\n\n")[2:])
            block = f"<article><h1>{_title(rng)}</h1>{body}</article><div>{filler}{script}</div>"
            fh.write(block)
            written += len(block.encode("utf-8"))
        fh.write("</body></html>")


def _title(rng: random.Random) -> str:
    return article(rng, 1).split("\n")[0].lstrip("# ")


def _ingest_measured(tmp_path: Path, page: Path) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `parks ingest` on one page in a child; (result, seconds, peak memory of the child in MB)."""
    script = ("import resource, subprocess, sys, time\n"
              "t = time.perf_counter()\n"
              "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
              "took = time.perf_counter() - t\n"
              "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
              "sys.stderr.write(r.stderr)\n"
              "print(f'{took:.1f} {peak:.0f}')\n"
              "sys.exit(r.returncode)\n")
    db = tmp_path / "big.duckdb"
    proc = subprocess.run([PYTHON, "-c", script, *parks_cmd(db, "ingest", str(page))], capture_output=True,
                          text=True, env=cli_env(), timeout=3600)
    took, peak = (float(x) for x in proc.stdout.split())
    return proc, took, peak


@pytest.mark.slow
def test_a_50_mb_html_page_loads(tmp_path: Path) -> None:
    page = tmp_path / "saved.html"
    _write_big_html(page, 50)
    proc, took, peak = _ingest_measured(tmp_path, page)
    print(f"\n50 MB HTML page: {took:.1f} s, peak {peak:.0f} MB; {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    assert count(tmp_path / "big.duckdb", "articles") > 0
    assert took < 120 and peak < 3000


@pytest.mark.slow
def test_a_50_mb_text_page_loads(tmp_path: Path) -> None:
    page = tmp_path / "dump.txt"
    _write_big_text(page, 50)
    proc, took, peak = _ingest_measured(tmp_path, page)
    print(f"\n50 MB text page: {took:.1f} s, peak {peak:.0f} MB; {proc.stderr.strip()}")
    assert proc.returncode == 0, proc.stderr
    assert count(tmp_path / "big.duckdb", "articles") > 10_000
    assert peak < 1000  # parsed while written: 510 MB measured on 2026-11-21 (3.7 GB held whole)
