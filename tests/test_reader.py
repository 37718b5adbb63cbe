"""Reading files: encodings are detected, never assumed; bad files fail with a reason."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers.normalize import normalize
from parks.parsers.reader import ReadError, decode, read_source

PAGE = ("无锡高新区光伏装机总容量已达18兆瓦，全年发电量超1800万度。"
        "园区新增高新技术企业一百六十家，研发投入强度达到4.5%。") * 3
TRAD = "蘇州工業園區的積體電路產業產值達到一千億元，較去年增長百分之十二。" * 3


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PAGE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "utf-8 (BOM)"),
        (PAGE.encode("utf-16"), "utf-16 (BOM)"),
        (PAGE.encode("gb18030"), "gb18030"),
        (PAGE.encode("gbk"), "gb18030"),
        (TRAD.encode("big5"), "big5"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    expected = TRAD if encoding == "big5" else PAGE
    src = read_source(write(tmp_path, "page.txt", data))
    assert src.encoding == encoding
    assert src.text == expected
    assert src.warnings == []


def test_utf8_with_a_few_corrupt_bytes_stays_utf8_with_a_warning(tmp_path: Path) -> None:
    raw = bytearray(PAGE.encode("utf-8"))
    raw[10:11] = b"\xff"  # break one character
    raw[60:61] = b"\xfe"
    src = read_source(write(tmp_path, "broken.txt", bytes(raw)))
    assert src.encoding == "utf-8"
    assert src.text.count("\ufffd") >= 2
    assert "光伏" in src.text and "高新技术企业" in src.text  # the rest is intact, not mojibake
    assert src.warnings and "invalid UTF-8" in src.warnings[0]


def test_line_ends_are_normalised(tmp_path: Path) -> None:
    src = read_source(write(tmp_path, "crlf.txt", "第一行\r\n第二行\r第三行\n".encode()))
    assert src.text == "第一行\n第二行\n第三行\n"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
        ("nul.txt", b"abc\x00\x01\x02\x03" * 100 + bytes(range(128, 256)), "binary"),
        ("notes.docx", b"PK\x03\x04", "unsupported"),
    ],
)
def test_bad_files_fail_with_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read_source(write(tmp_path, name, data))


def test_html_keeps_visible_article_text_only(tmp_path: Path) -> None:
    html = """<html><head><title>站点 - 新闻</title><meta name="publishdate" content="2023-05-26">
    <style>p { color: red }</style><script>var total = 98765;</script></head><body>
    <nav><a href="/">首页</a> 导航链接</nav><header>站点页眉</header>
    <article><h1>常州高新区施行积分制</h1><p>首批近3000家企业获得积分。</p>
    <p>合作银行提供36亿元额度。</p></article>
    <footer>版权所有 联系电话 0519-12345678</footer></body></html>"""
    src = read_source(write(tmp_path, "page.html", html.encode("utf-8")))
    assert src.format == "html"
    assert src.html_title == "常州高新区施行积分制"
    assert src.meta_date == "2023-05-26"
    assert "# 常州高新区施行积分制" in src.text
    assert "36亿元额度" in src.text
    for hidden in ("98765", "导航链接", "站点页眉", "版权所有", "color"):
        assert hidden not in src.text


def test_html_in_gbk_is_detected(tmp_path: Path) -> None:
    html = "<html><body><article><h1>标题</h1><p>" + PAGE + "</p></article></body></html>"
    src = read_source(write(tmp_path, "gbk.htm", html.encode("gbk")))
    assert src.encoding == "gb18030"
    assert PAGE in src.text


def test_normalize_keeps_length_and_folds_forms() -> None:
    text = "蘇州工業園區　１８．２万千瓦（约）\u00a0ＡＢＣ，增長５％"
    out = normalize(text)
    assert len(out) == len(text)
    assert out == "苏州工业园区 18.2万千瓦(约) ABC,增长5%"


def test_normalize_leaves_simplified_half_width_text_alone() -> None:
    half = PAGE.replace("，", ",")
    assert normalize(half) == half


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_never_raises_anything_but_read_error(data: bytes) -> None:
    try:
        text, encoding, _ = decode(data)
    except ReadError:
        return
    assert isinstance(text, str) and encoding


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_normalize_is_length_preserving_on_any_text(text: str) -> None:
    assert len(normalize(text)) == len(text)


def test_html_with_several_articles_keeps_them_all(tmp_path: Path) -> None:
    html = ("<html><body><nav>导航</nav>"
            "<article><h2>甲园区新闻</h2><p>甲园区新增企业12家。</p></article>"
            "<article><h2>乙园区新闻</h2><p>乙园区签约项目8个。</p><article><p>嵌套的段落。</p></article></article>"
            "</body></html>")
    src = read_source(write(tmp_path, "multi.html", html.encode("utf-8")))
    assert src.text == "## 甲园区新闻\n\n甲园区新增企业12家。\n\n## 乙园区新闻\n\n乙园区签约项目8个。\n\n嵌套的段落。"


def test_html_furniture_named_by_class_id_or_role_is_dropped(tmp_path: Path) -> None:
    html = """<html><body><div id="header"><div class="logo">某某新闻网</div></div>
    <div class="main-nav"><a href="/">首页</a> 园区频道</div><div class="breadcrumb">当前位置：首页</div>
    <div role="navigation">上一篇 下一篇</div><div class="content"><h1>甲园区新增企业12家</h1>
    <p>甲园区今年新增高新技术企业12家。</p><div class="share_bar">分享到微信</div></div>
    <div id="footer">版权所有 备案号 联系电话 010-12345678</div></body></html>"""
    src = read_source(write(tmp_path, "divs.html", html.encode("utf-8")))
    assert src.text == "# 甲园区新增企业12家\n\n甲园区今年新增高新技术企业12家。"


def test_html_article_header_keeps_headline_kicker_and_byline(tmp_path: Path) -> None:
    html = """<html><body><header>站点页眉</header>
    <article><header><p>园镜头</p><h1>甲园区新增企业12家</h1><p>◎本报记者 王小明</p></header>
    <p>甲园区今年新增高新技术企业12家。</p><footer>责任编辑：李四</footer></article>
    <article><header><h2>乙园区签约项目8个</h2></header><p>乙园区签约项目8个。</p></article></body></html>"""
    src = read_source(write(tmp_path, "header.html", html.encode("utf-8")))
    assert src.text == ("园镜头\n\n# 甲园区新增企业12家\n\n◎本报记者 王小明\n\n甲园区今年新增高新技术企业12家。"
                        "\n\n## 乙园区签约项目8个\n\n乙园区签约项目8个。")


@pytest.mark.parametrize(("text", "encoding"), [
    ("园区新增企业12家。", "gb18030"),  # was read as UTF-16-BE Hangul
    ("新型储能产业规模以上企业", "gb18030"),
    ("高新区", "gb18030"),  # charset-normalizer alone says Big5 (詢陔⑹)
    ("園區新增企業", "big5"),  # was read as UTF-16-BE
    ("蘇州工業園區產值增長", "big5"),
])
def test_short_gb18030_and_big5_pages_are_not_mojibake(tmp_path: Path, text: str, encoding: str) -> None:
    src = read_source(write(tmp_path, "short.txt", text.encode(encoding)))
    assert (src.text, src.encoding) == (text, encoding)
