"""A small hand-made database for the query, output and CLI tests.

Rows are inserted directly, so these tests do not depend on how well the parsers do. The sentences
are our own. Values are chosen to exercise the contracts: full precision (0.1 + 0.2), a range, a
negative change, a figure with no park, two disagreeing figures, text that looks like a formula.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from parks.store.db import connect
from parks.store.ingest_util import bulk_insert

PARKS = [
    # park, official_name, kind, province, city, approved_year, aliases, listed
    ("包头稀土高新区", "包头稀土高新技术产业开发区", "国家高新区", "内蒙古自治区", "包头", 1992,
     "稀土高新区|包头高新区", True),
    ("西安高新区", "西安高新技术产业开发区", "国家高新区", "陕西省", "西安", 1991, "西安高新技术产业开发区", True),
    ("肇庆高新区", "肇庆高新技术产业开发区", "国家高新区", "广东省", "肇庆", 2010, "肇庆国家高新区", True),
    ("苏州工业园区", "中国—新加坡苏州工业园区", "工业园区", "江苏省", "苏州", 1994, "苏州园区", True),
    ("阿城经开区", "阿城经济技术开发区", "经开区", "黑龙江省", "哈尔滨", 2000, "", True),
    ("星河工业园", "星河工业园", "工业园区", "", "", None, "", False),
]
INDUSTRIES = [
    ("nev", "新能源汽车", "New energy vehicles", "L2", "新能源汽车|电动汽车"),
    ("pv", "光伏", "Photovoltaics", "L2", "光伏|太阳能光伏"),
    ("rare_earth", "稀土新材料", "Rare-earth materials", "L2", "稀土|稀土新材料"),
]
METRICS = [
    ("gdp", "地区生产总值", "GDP", "亿元", "economy"),
    ("enterprises", "企业数", "enterprises", "家", "firms"),
    ("pv_capacity", "光伏装机容量", "PV capacity", "MW", "energy"),
    ("energy_intensity", "单位能耗", "energy intensity", "吨标准煤/万元", "energy"),
]
DOCS = [
    # doc_id, path, date
    (1, "/corpus/2022-03-01_rare_earth.txt", date(2022, 3, 1)),
    (2, "/corpus/2023-09-12_green.txt", date(2023, 9, 12)),
]
ARTICLES = [
    # article_id, doc_id, seq, title, kicker, byline, text, date, park
    (1, 1, 0, "稀土高新区 打造新材料高地", "园区观察", "本报记者 张三",
     "稀土高新区 打造新材料高地\n\n稀土高新区去年生产总值达0.30000000000000004亿元，企业超过50家。",
     date(2022, 3, 1), "包头稀土高新区"),
    (2, 1, 1, "西安高新区光伏项目并网", "", "",
     "西安高新区光伏项目并网\n\n西安高新区光伏装机容量120至150兆瓦，=SUM(A1)不是公式。全市生产总值9000亿元。",
     date(2022, 3, 1), "西安高新区"),
    (3, 2, 0, "\"绿色\"转型, 肇庆与西安", "绿色发展②", "记者 李四",
     "\"绿色\"转型, 肇庆与西安\n\n肇庆高新区企业60家，单位能耗下降15%。西安高新区企业70家，另说72家。",
     date(2023, 9, 12), "肇庆高新区"),
]
ARTICLE_PARKS = [
    # article_id, park, mentions, is_subject, rank
    (1, "包头稀土高新区", 2, True, 0),
    (2, "西安高新区", 2, True, 0),
    (3, "肇庆高新区", 1, True, 0),
    (3, "西安高新区", 1, False, 1),
    (3, "星河工业园", 1, False, 2),
]
INDUSTRY_MENTIONS = [(1, "rare_earth", 0, 2, "稀土"), (1, "rare_earth", 14, 16, "稀土"),
                     (2, "pv", 7, 9, "光伏"), (3, "nev", 30, 35, "新能源汽车"), (3, "pv", 40, 42, "光伏")]
COMPANY_MENTIONS = [(1, "北方稀土公司", "包头稀土高新区", 20, 26, "北方稀土"),
                    (3, "北方稀土公司", "肇庆高新区", 10, 16, "北方稀土"),
                    (3, "北方稀土公司", "包头稀土高新区", 50, 56, "北方稀土"),
                    (2, "阳光电源公司", "西安高新区", 5, 11, "阳光电源")]
FIGURES = [
    # figure_id, article_id, park, metric, value, value_max, unit, qualifier, period, period_inferred,
    # basis, status, industry, quote, start, end, number_text
    (1, 1, "包头稀土高新区", "gdp", 0.1 + 0.2, None, "亿元", "=", "2021", True, "level", "actual", "",
     "稀土高新区去年生产总值达0.30000000000000004亿元", 20, 44, "0.30000000000000004亿元"),
    (2, 1, "包头稀土高新区", "enterprises", 50.0, None, "家", ">", "2021", True, "level", "actual", "",
     "企业超过50家", 45, 48, "50家"),
    (3, 2, "西安高新区", "pv_capacity", 120.0, 150.0, "MW", "=", "2022", False, "level", "actual", "pv",
     "=SUM(A1)光伏装机容量120至150兆瓦", 30, 40, "120至150兆瓦"),
    (4, 2, "", "gdp", 9000.0, None, "亿元", "=", "2021", True, "level", "actual", "",
     "全市生产总值9000亿元", 60, 66, "9000亿元"),
    (5, 3, "肇庆高新区", "enterprises", 60.0, None, "家", "=", "2023", False, "level", "actual", "",
     "肇庆高新区企业60家", 20, 23, "60家"),
    (6, 3, "肇庆高新区", "energy_intensity", -15.0, None, "%", "=", "2021-2025", False, "since:2020", "target", "",
     "-单位能耗下降15%", 24, 27, "15%"),
    (7, 3, "西安高新区", "enterprises", 70.0, None, "家", "=", "2023", False, "level", "actual", "",
     "西安高新区企业70家", 30, 33, "70家"),
    (8, 3, "西安高新区", "enterprises", 72.0, None, "家", "~", "2023", False, "level", "actual", "",
     "另说72家", 36, 39, "72家"),
]


def _cols(rows: list[tuple]) -> list[list]:
    return [list(c) for c in zip(*rows, strict=True)]


def make_db(path: Path) -> Path:
    """Build the test database at `path` and return the path (the connection is closed)."""
    con = connect(path, create=True)
    try:
        bulk_insert(con, "parks", _cols(PARKS))
        bulk_insert(con, "industries", _cols(INDUSTRIES))
        bulk_insert(con, "metrics", _cols(METRICS))
        now = datetime(2024, 1, 1)
        bulk_insert(con, "documents", _cols([(d, p, Path(p).name, f"hash{d}", "utf-8", "txt", 1000, dt, False, now, "")
                                             for d, p, dt in DOCS]))
        paths = {d: p for d, p, _ in DOCS}
        bulk_insert(con, "articles", _cols([(a, d, s, t, k, b, "", text, text, len(text), dt, False, park, paths[d])
                                            for a, d, s, t, k, b, text, dt, park in ARTICLES]))
        bulk_insert(con, "article_parks", _cols(ARTICLE_PARKS))
        bulk_insert(con, "park_mentions", _cols([(a, p, 0, 2, p, p != "星河工业园", "") for a, p, *_ in ARTICLE_PARKS]))
        bulk_insert(con, "industry_mentions", _cols(INDUSTRY_MENTIONS))
        bulk_insert(con, "company_mentions", _cols(COMPANY_MENTIONS))
        bulk_insert(con, "figures", _cols(FIGURES))
    finally:
        con.close()
    return path
