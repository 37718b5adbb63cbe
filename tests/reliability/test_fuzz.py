"""Fuzzing the parsers end to end: arbitrary Unicode, arbitrary bytes and long inputs never raise,
and every offset the parsers hand to the store lies inside its article.

The default run is a fixed-seed corpus (hypothesis derandomised, plus a generated list of nasty
pages), the same examples every time and quick; PARKS_SLOW=1 adds long randomised runs.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parks.parsers.html import html_to_text
from parks.parsers.model import ParsedDocument, SourceText
from parks.parsers.numbers import find_quantities, parse_number
from parks.parsers.pipeline import Failure, parse_path, parse_source
from parks.parsers.reader import ReadError, decode, read_source
from parks.parsers.splitter import split_page

from .pages import _PARKS, article

FIXED = settings(derandomize=True, database=None, deadline=None, max_examples=150,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LONG = settings(database=None, deadline=None, max_examples=2000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of Chinese news text and of what scraping drags in, to build page-shaped inputs.
PIECES = [
    "# ", "## ", "\n", "\n\n", "　", " ", "\t", "，", "。", "；", "：", "、", "（", "）", "“", "”", "《", "》",
    "◎本报记者 ", "通讯员 ", "图为", "（记者 王明）", "---\ntitle: 标题\n---\n", "> ", "- ", "**", "[", "]",
    "2023年", "1-7月", "今年上半年", "同比增长", "达到", "超过", "约", "近", "亿元", "万元", "家", "%", "兆瓦", "万千瓦时",
    "12", "3.5", "1,234", "１８．２", "一百六十", "两千万", "百分之十二", "四成", "18.2万", "3-5万吨", "25%—35%",
    "规模以上工业企业", "高新技术企业", "营业收入", "地区生产总值", "光伏装机容量", "新能源汽车", "集成电路",
    "有限公司", "股份有限公司", "园区", "开发区", "高新区", "工业园区", "新区", "生态城",
    "\x1b[31m", "\u202e", "\u200b", "\ufeff", "\x00", "\r\n", "\r", "\x85", "\u2028", "\ud800", "<p>", "</div>", "&nbsp;",
]
page_text = st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(_PARKS), st.text(max_size=6)),
                     max_size=120).map("".join)


def check_document(doc: ParsedDocument | Failure) -> None:
    """What the store relies on: offsets inside the article, norm as long as text, figures read
    from the very characters they point at, values that are numbers."""
    if isinstance(doc, Failure):
        assert doc.reason
        return
    for pa in doc.articles:
        a = pa.article
        n = len(a.text)
        assert len(a.norm) == n
        for b in a.blocks:
            assert 0 <= b.start <= b.end <= n, (b, n)
        for m in pa.parks:
            assert 0 <= m.start < m.end <= n and m.surface, (m, n)
        for m in pa.industries:
            assert 0 <= m.start < m.end <= n, (m, n)
        for m in pa.companies:
            assert 0 <= m.start < m.end <= n, (m, n)
        for f in pa.figures:
            assert 0 <= f.start < f.end <= n, (f, n)
            assert a.text[f.start:f.end] == f.number_text, (f, a.text[f.start:f.end])
            assert f.value == f.value and abs(f.value) != float("inf"), f  # a number, not NaN or inf
            assert f.value_max is None or f.value_max == f.value_max


def source(text: str, fmt: str = "txt") -> SourceText:
    return SourceText(path="/fuzz/page." + fmt, text=text, encoding="utf-8", format=fmt, content_hash="0",
                      size=len(text))


# ------------------------------------------------------------------------------------ the reader


@FIXED
@given(st.binary(max_size=4000))
def test_decode_arbitrary_bytes(data: bytes) -> None:
    try:
        text, encoding, warnings = decode(data)
    except ReadError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and encoding and isinstance(warnings, list)


@FIXED
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".md", ".html", ".htm"]))
def test_read_and_parse_arbitrary_files(tmp_path_factory: pytest.TempPathFactory, data: bytes, ext: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"page{ext}"
    path.write_bytes(data)
    try:
        src = read_source(path)
    except ReadError:
        pass
    else:
        assert "\x00" not in src.text and "\r" not in src.text
    check_document(parse_path(str(path)))


@FIXED
@given(st.text(max_size=2000))
def test_html_to_text_on_arbitrary_text(text: str) -> None:
    page = html_to_text(text)
    assert isinstance(page.text, str) and isinstance(page.title, str)


# ---------------------------------------------------------------------------------- the splitter


@FIXED
@given(st.text(max_size=3000), st.sampled_from(["txt", "md", "html"]))
def test_split_arbitrary_unicode(text: str, fmt: str) -> None:
    for a in split_page(text, fmt):
        assert a.text and all(0 <= b.start <= b.end <= len(a.text) for b in a.blocks)


@FIXED
@given(page_text, st.sampled_from(["txt", "md"]))
def test_split_page_shaped_text(text: str, fmt: str) -> None:
    for a in split_page(text, fmt):
        assert all(0 <= b.start <= b.end <= len(a.text) for b in a.blocks)


# ------------------------------------------------------------------------------ the number parser


@FIXED
@given(st.text(max_size=300))
def test_parse_number_arbitrary(text: str) -> None:
    value = parse_number(text)
    assert value is None or isinstance(value, Decimal)


@FIXED
@given(page_text)
def test_quantities_stay_inside_the_text(text: str) -> None:
    from parks.parsers.normalize import normalize

    norm = normalize(text)
    for q in find_quantities(norm, text):
        assert 0 <= q.start < q.end <= len(text)
        assert q.value.is_finite()


# --------------------------------------------------------------------------- the whole pipeline


@FIXED
@given(st.text(max_size=2500))
def test_pipeline_on_arbitrary_unicode(text: str) -> None:
    check_document(parse_source(source(text)))


@FIXED
@given(page_text, st.sampled_from(["txt", "md", "html"]))
def test_pipeline_on_page_shaped_text(text: str, fmt: str) -> None:
    check_document(parse_source(source(text, fmt)))


def nasty_corpus(n: int, seed: int) -> list[str]:
    """A fixed list of pages mixing real-looking articles with scraping debris."""
    rng = random.Random(seed)
    pages = []
    for i in range(n):
        parts = [article(rng, rng.randint(1, 3)) for _ in range(rng.randint(0, 2))]
        for _ in range(rng.randint(5, 60)):
            parts.insert(rng.randint(0, len(parts)), rng.choice(PIECES + _PARKS[:20]))
        text = "".join(parts)
        if i % 7 == 0:  # a page with its line breaks lost
            text = text.replace("\n", "")
        if i % 11 == 0:  # a page cut in the middle of a character run
            text = text[: rng.randint(0, len(text))]
        pages.append(text)
    return pages


def test_fixed_seed_fuzz_corpus() -> None:
    figures = 0
    for i, text in enumerate(nasty_corpus(150, seed=20240917)):
        doc = parse_source(source(text, ("txt", "md", "html")[i % 3]))
        check_document(doc)
        figures += sum(len(pa.figures) for pa in doc.articles)
    assert figures > 500  # the corpus reaches the extractor, not only the reader


def test_a_long_page_of_many_articles() -> None:
    """About 150 KB of articles on one page: parsed, every offset inside its article."""
    rng = random.Random(5)
    text = "\n\n".join(article(rng, 3) for _ in range(120))
    doc = parse_source(source(text))
    assert len(doc.articles) >= 100
    check_document(doc)


@pytest.mark.parametrize("ext", [".txt", ".html"])
def test_a_page_of_one_long_line(tmp_path: Path, ext: str) -> None:
    rng = random.Random(6)
    line = "".join(article(rng, 3).replace("\n", "") for _ in range(60))
    path = tmp_path / f"line{ext}"
    path.write_text(line, encoding="utf-8")
    check_document(parse_path(str(path)))


# ------------------------------------------------------------------------ long randomised runs


@pytest.mark.slow
@LONG
@given(st.text(max_size=20000))
def test_pipeline_long_random_unicode(text: str) -> None:
    check_document(parse_source(source(text)))


@pytest.mark.slow
@LONG
@given(page_text, st.sampled_from(["txt", "md", "html"]))
def test_pipeline_long_random_pages(text: str, fmt: str) -> None:
    check_document(parse_source(source(text, fmt)))


@pytest.mark.slow
def test_large_fixed_corpus() -> None:
    for i, text in enumerate(nasty_corpus(2000, seed=7)):
        check_document(parse_source(source(text, ("txt", "md", "html")[i % 3])))
