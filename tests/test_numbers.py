"""Numbers and units: every written form read exactly, converted to the taxonomy's units."""

from __future__ import annotations

import time
from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers.normalize import normalize
from parks.parsers.numbers import find_quantities, parse_chinese, parse_number
from parks.parsers.units import UNITS, counts_as, to_unit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3,373", "3373"),
        ("29.89万", "298900"),
        ("1.2万亿", "1200000000000"),
        ("38841.74万", "388417400"),
        ("1.13亿", "113000000"),
        ("一百六十", "160"),
        ("两千万", "20000000"),
        ("百亿", "10000000000"),
        ("十五", "15"),
        ("一百零五", "105"),
        ("三万零五百", "30500"),
        ("一千五", "1500"),
        ("两万五", "25000"),
        ("一点五亿", "150000000"),
        ("一万二千亿", "1200000000000"),
    ],
)
def test_parse_number(text: str, value: str) -> None:
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["一二五", "十百", "", "abc", "1.2.3"])
def test_parse_number_rejects_what_is_no_amount(text: str) -> None:
    assert parse_number(text) is None


def test_decimal_arithmetic_is_exact() -> None:
    # 1.13亿元 is 1.13 亿元 exactly, not 1.12999999…
    (q,) = find_quantities("营业收入1.13亿元")
    value, unit = to_unit(q.value, q.unit, "亿元")
    assert (value, unit) == (Decimal("1.13"), "亿元")
    (q,) = find_quantities("投资4000余万元")
    assert to_unit(q.value, q.unit, "亿元") == (Decimal("0.4"), "亿元")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_chinese_numerals_agree_with_cn2an(n: int) -> None:
    assert parse_chinese(cn2an.an2cn(n)) == n


def one(text: str, target: str) -> tuple[Decimal, str]:
    quantities = find_quantities(normalize(text), text)
    assert len(quantities) == 1, quantities
    q = quantities[0]
    return to_unit(q.value, q.unit, target)


@pytest.mark.parametrize(
    ("text", "target", "value", "unit"),
    [
        ("装机容量达到18.2万千瓦", "MW", "182", "MW"),
        ("发电量1.4亿千瓦时", "MWh", "140000", "MWh"),
        ("用电量38841.74万千瓦时", "MWh", "388417.4", "MWh"),
        ("年发电量超1800万度", "MWh", "18000", "MWh"),
        ("申请专利29.89万件", "件", "298900", "件"),
        ("装机总量达到2.5GW", "MW", "2500", "MW"),
        ("产能达到20GWh", "GWh", "20", "GWh"),
        ("减排二氧化碳1.7万吨", "吨", "17000", "吨"),
        ("单位能耗0.32吨标准煤/万元", "吨标准煤/万元", "0.32", "吨标准煤/万元"),
        ("规划面积1.5万平方米", "平方公里", "0.015", "平方公里"),
        ("用地300公顷", "亩", "4500", "亩"),
        ("产值两千万元", "亿元", "0.2", "亿元"),
        ("产值超百亿元", "亿元", "100", "亿元"),
        ("营收１２.５亿元", "亿元", "12.5", "亿元"),  # full-width digits
        ("能耗降至280千克标准煤", "吨", "0.28", "吨"),
        ("上万家企业", "家", "10000", "家"),  # vague, but an amount
        ("销售收入突破亿元", "亿元", "1", "亿元"),
    ],
)
def test_units_and_multipliers(text: str, target: str, value: str, unit: str) -> None:
    assert one(text, target) == (Decimal(value), unit)


def test_currencies_are_never_converted() -> None:
    assert one("实际使用外资18.2亿美元", "亿元") == (Decimal("18.2"), "亿美元")
    assert one("出口额3500万美元", "亿元") == (Decimal("0.35"), "亿美元")


def test_counts_take_the_metric_classifier() -> None:
    (q,) = find_quantities("走访企业120家次")
    assert to_unit(q.value, q.unit, "家") == (Decimal(120), "家")
    (q,) = find_quantities("研发平台36家")
    assert to_unit(q.value, q.unit, "个") == (Decimal(36), "个")


@pytest.mark.parametrize(
    ("classifier", "metric_unit", "fits"),
    [
        ("名", "人", True), ("人次", "人", True), ("个", "人", True),  # 人才团队12个
        ("套", "人", False), ("家", "人", False),
        ("家次", "家", True), ("项", "件", True), ("宗", "个", True),
        ("名", "家", False), ("台", "个", False), ("间", "家", False),
        ("台", "as reported", True),  # 年产机器人1000台: a product counts in anything
    ],
)
def test_a_classifier_counts_its_kind_of_thing(classifier: str, metric_unit: str, fits: bool) -> None:
    assert counts_as(classifier, metric_unit) is fits


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("占比提高到30%—45%", "30", "45", "%"),
        ("提供80—120平方米的工位", "80", "120", "平方米"),
        ("年产3-5万吨", "30000", "50000", "吨"),
        ("增长10%至12%", "10", "12", "%"),
    ],
)
def test_ranges(text: str, low: str, high: str, unit: str) -> None:
    (q,) = find_quantities(text)
    assert (q.value, q.value_max, q.unit.surface) == (Decimal(low), Decimal(high), unit)


@pytest.mark.parametrize(
    ("text", "value", "approx", "vague"),
    [
        ("减排3万多吨", "30000", "多", ""),
        ("聚集企业70余家", "70", "余", ""),
        ("年产30余万套", "300000", "余", ""),
        ("学生8.6万余名", "86000", "余", ""),
        ("碳汇能力达数十万吨", "100000", "", "数"),
        ("吸引上百家企业", "100", "", "上"),
    ],
)
def test_more_than_and_vague_amounts(text: str, value: str, approx: str, vague: str) -> None:
    (q,) = find_quantities(text)
    assert (q.value, q.approx, q.vague) == (Decimal(value), approx, vague)


@pytest.mark.parametrize(
    "text",
    [
        "2023年园区迎来十四五中期评估",  # years and names
        "构建“6+2+X”产业体系，发展“3+1”主导产业",
        "建成5G基站，220KV变电站投运",
        "3个月完成，用时不到10分钟",
        "咨询电话0571-88886666",
        "相当于全国平均水平的1/4",
        "2至3年内建成",
        "万元GDP能耗下降，亿元以上项目开工",  # a unit or a class after 万/亿 alone
        "成百上千家企业，成千上万人",  # idioms of vagueness, not more than 1000 / 10000
    ],
)
def test_no_quantity_without_a_unit(text: str) -> None:
    assert find_quantities(normalize(text), text) == []


def test_lone_chinese_digits_are_marked() -> None:
    qs = find_quantities("引进两个项目，新增十余家企业")
    assert [(q.bare_digit, str(q.value)) for q in qs] == [(True, "2"), (False, "10")]


def test_chinese_comma_is_no_thousands_separator() -> None:
    text = "签约项目12，300个企业参与"
    qs = find_quantities(normalize(text), text)
    assert [str(q.value) for q in qs] == ["300"]
    text = "注册企业3,373家"
    assert [str(q.value) for q in find_quantities(normalize(text), text)] == ["3373"]


def test_tenths_and_percent_words() -> None:
    qs = find_quantities("占比超过四成，利用率达到百分之九十五，项目已建成投产")
    assert [(str(q.value), q.unit.surface) for q in qs] == [("40", "%"), ("95", "%")]


@pytest.mark.parametrize("run", ["亿" * 6000, "一" * 20000, "万亿" * 3000, "1" + "亿" * 6000, "一点" + "五" * 6000])
@pytest.mark.parametrize("tail", ["", "家", "万元"])
def test_a_long_run_of_numerals_is_read_fast_and_is_no_number(run: str, tail: str) -> None:
    """Scraped pages contain such runs; a search that backtracked over the run at every character
    took hours for 6000 亿 (and 3000 万亿 before a unit overflowed the recursion of the reading)."""
    text = f"园区{run}{tail}，企业12家"
    started = time.perf_counter()
    qs = find_quantities(text)
    took = time.perf_counter() - started
    assert took < 0.25, f"{took:.2f} s"
    assert [(str(q.value), q.unit.surface) for q in qs] == [("12", "家")]


def test_the_longest_amounts_in_numerals_are_still_read() -> None:
    qs = find_quantities("投资九千九百九十九万九千九百九十九元，另有一万二千三百四十五亿元")
    assert [str(q.value) for q in qs] == ["99999999", "1234500000000"]


def test_every_unit_parses_after_a_number() -> None:
    for surface in UNITS:
        qs = find_quantities(f"达到12{surface}。")
        assert qs and qs[0].unit.surface == surface, surface


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,，%万亿千百十一二两三四五六七八九零多余数近约—-至家个元吨度千瓦时平方米亩年月日 ")),
               max_size=40))
def test_never_raises_and_spans_are_in_the_text(text: str) -> None:
    norm = normalize(text)
    for q in find_quantities(norm, text):
        assert 0 <= q.start < q.end <= len(text)
        assert norm[q.start:q.end].endswith(q.unit.surface) or q.unit.surface == "%"
