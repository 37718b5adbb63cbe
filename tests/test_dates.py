"""Publication dates: read from the page when it carries one, otherwise inferred from the text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers.dates import find_date, infer_date, parse_date, relative_year

BODY = "青川高新区今年新增入驻企业三十余家。\n\n园区负责人说，下半年还将有一批项目开工。\n"


# --- explicit dates ----------------------------------------------------------------------------


@pytest.mark.parametrize("top", [
    "2023年9月12日 星期二",
    "科技日报 2023.09.12",
    "科技日报  2023-09-12   第6版 · 创新园区",
    "2023/9/12",
    "二〇二三年九月十二日 星期二",
    "# 2023年9月12日",
])
def test_date_line_near_the_top(top: str) -> None:
    assert find_date(top + "\n\n# 青川高新区光伏产业链加速成形\n\n" + BODY) == (date(2023, 9, 12), False)


def test_front_matter_date() -> None:
    text = "---\ntitle: 青川高新区的十年\ndate: 2021-06-18\nsource: 科技日报\n---\n\n# 青川高新区的十年\n\n" + BODY
    assert find_date(text, "x.md", "md") == (date(2021, 6, 18), False)


@pytest.mark.parametrize("line", [
    "date: 2023-06-20T08:30:00+08:00",
    "来源：科技日报 发布时间：2023年6月20日 作者：◎本报记者 王明远",
    "发布日期：2023-06-20",
])
def test_date_and_publication_lines(line: str) -> None:
    assert find_date("# 青川高新区光伏产业链加速成形\n\n" + line + "\n\n" + BODY) == (date(2023, 6, 20), False)


def test_a_sentence_with_a_date_near_the_top_is_not_a_masthead() -> None:
    text = "2019年5月13日，青川高新区和一家材料企业签下合同，前后只谈了一周。\n\n" + BODY
    found, inferred = find_date(text, "page.txt")
    assert inferred is True and found == date(2019, 5, 13)


@pytest.mark.parametrize(("path", "expected"), [
    ("pages/2023-05-26_battery.txt", date(2023, 5, 26)),
    ("pages/20210611_carbon.txt", date(2021, 6, 11)),
    ("pages/2022_04_15.md", date(2022, 4, 15)),
    ("/data/2023/09/12/page.html", date(2023, 9, 12)),
    ("/data/2023-09-12/page.txt", date(2023, 9, 12)),
])
def test_date_in_the_file_name_or_folders(path: str, expected: date) -> None:
    assert find_date(BODY, path) == (expected, False)


@pytest.mark.parametrize("path", [
    "000_7d630ddb22f508d2.txt",   # a hash: hex digits are not a date
    "a20230912b.txt",             # glued to letters
    "page_202309123.txt",         # nine digits
    "2023-13-45_x.txt",           # not a calendar date
    "20231312.txt",
])
def test_file_names_that_are_not_dates(path: str) -> None:
    found, inferred = find_date("青川高新区光伏产业链加速成形\n\n园区负责人说，项目进展顺利。", path)
    assert found is None and inferred is False


def test_the_page_wins_over_the_file_name() -> None:
    assert find_date("2023年9月12日 星期二\n\n" + BODY, "2020-01-01_x.txt") == (date(2023, 9, 12), False)


@pytest.mark.parametrize(("s", "expected"), [
    ("2023-09-12", date(2023, 9, 12)),
    ("2023-09-12T08:00:00Z", date(2023, 9, 12)),
    ("20230912", date(2023, 9, 12)),
    ("２０２３年９月１２日", date(2023, 9, 12)),
    ("二〇二三年十月二十一日", date(2023, 10, 21)),
    ("2023-02-30", None),
    ("明天", None),
    ("", None),
])
def test_parse_date(s: str, expected: date | None) -> None:
    assert parse_date(s) == expected


# --- inference ---------------------------------------------------------------------------------

TODAY = date(2025, 1, 1)


def test_latest_month_day_in_the_latest_reported_year() -> None:
    text = ("5月19日，青川高新区举行项目签约活动。2020年，园区工业产值增长12%。"
            "5月26日，记者从园区获悉，新的服务平台已经上线。2019年5月3日，园区获批省级平台。")
    assert infer_date(text, TODAY) == date(2020, 5, 26)


def test_figures_for_a_finished_year_are_published_the_year_after() -> None:
    text = "截至2022年底，园区累计引进企业四百余家。4月3日，记者从园区获悉，一批项目集中开工。"
    assert infer_date(text, TODAY) == date(2023, 4, 3)
    assert infer_date("在2022年度节水型企业名单中，园区有三家企业入选。3月29日，名单公布。", TODAY) == date(2023, 3, 29)


def test_targets_deadlines_and_other_years_are_ignored() -> None:
    text = ("到2025年，园区产值将突破千亿元；力争2030年前实现碳达峰。2021年，园区产值增长15%。"
            "预计今年10月底新厂即可建成，9月30日前完成方案编制。6月8日，园区举办论坛。去年12月20日，一期投产。")
    assert infer_date(text, TODAY) == date(2021, 6, 8)


def test_years_after_today_are_not_the_publication_year() -> None:
    assert infer_date("《2040年城市发展纲要》提出远景。2021年，园区产值增长。", TODAY) == date(2021, 1, 1)


def test_month_parts_count_as_days() -> None:
    assert infer_date("2023年，园区项目加快推进。4月中旬，记者走进园区。", TODAY) == date(2023, 4, 15)


def test_inferred_dates_are_flagged() -> None:
    assert find_date("青川高新区光伏产业链\n\n2021年，园区产值增长。6月8日，园区举办论坛。") == (date(2021, 6, 8), True)


@pytest.mark.parametrize("text", ["", "青川高新区光伏产业链加速成形", "6月8日，园区举办论坛。", "到2035年，园区产值翻番。"])
def test_nothing_usable(text: str) -> None:
    assert find_date(text) == (None, False)


def test_relative_year() -> None:
    pub = date(2023, 4, 25)
    assert [relative_year(pub, w) for w in ("今年", "去年", "前年", "明年", "上半年")] == [2023, 2022, 2021, 2024, None]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(max_size=40))
def test_arbitrary_text_never_raises(text: str, path: str) -> None:
    found, inferred = find_date(text, path)
    assert found is None or isinstance(found, date)
    assert not (found is None and inferred)
