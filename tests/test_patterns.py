"""The scanning patterns written to start with a character or a class (so that Python's engine skips
ahead in C: see SENTENCE_END in parsers/figures.py) match exactly what their plain spelling, kept
here and in their comments, matches: the same spans and groups, from any start and end."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers import figures, metrics, numbers, parks, splitter

PLAIN = {
    "figures.SENTENCE_END": (figures.SENTENCE_END, r"[。!?！？]+[”’」』]?"),
    "figures.LINE_BREAK": (figures.LINE_BREAK, r"\n+"),
    "figures.CLAUSE_END": (figures.CLAUSE_END, r"(?:(?<![0-9]),|,(?![0-9]{3}(?![0-9]))|[，:：]|——|…+)"),
    "figures.LINE_JOIN": (figures.LINE_JOIN, r"\s*\n\s*"),
    "figures.NOW_WORDS": (figures.NOW_WORDS, r"目前|当前|现有|现已|截至目前|迄今|至今|已经|(?<![将即])已(?!于|在)"),
    "figures.WEAK_FORECAST": (figures.WEAK_FORECAST, r"(?:建成|投产|达产|投运|并网|运营|完工|竣工|落地|运行|投用|启用|满产)"
                                                     r"(?:达效|投产|运营)?(?:以)?后|全部达产|全面投产后|即将"),
    "parks.SENTENCE_END": (parks.SENTENCE_END, r"[。！？!?；;\n]+"),
    "parks.CLAUSE_END": (parks.CLAUSE_END, r"[，,：:、]+"),
    "parks.NATIONAL": (parks.NATIONAL, r"全国|我国|全球|全世界|各地|各省|全省|全市|全县|"
                                       r"\d+(?:余|多)?[家个](?:国家级?|省级)?(?:高新区|园区|开发区|经开区)|"
                                       r"(?<![\u4e00-\u9fff])国家高新区|(?<=[，。、；：“\s])国家高新区"),
    "parks.COBUILT_SUFFIX_RE": (parks.COBUILT_SUFFIX_RE, r"(?:科技|产业|现代|国际|经济|生态|特别){0,2}(?:经济开发区|工业园区|"
                                                         r"产业园区|科技园区|合作园区|合作区|合作园|工业园|产业园|高新区|"
                                                         r"开发区|经开区|示范区|新区)"),
    "numbers._CN_COMMA": (numbers._CN_COMMA, r"(?<=[0-9])，(?=[0-9]{3}(?![0-9]))"),
    "numbers.TENTHS_RE": (numbers.TENTHS_RE, r"(?<![一二两三四五六七八九十百千万亿零〇])(?P<n>[一二两三四五六七八九])成"
                                             r"(?!为|功|立|本|果|长|员|交|绩|熟|型|品|效|就|都|片|套|批|群|像|不变|了|的)"),
    "metrics.YEAR_SUFFIX": (metrics.YEAR_SUFFIX, r"(?<=[0-9今去明当同])年"),
    "splitter._NORM_PUNCT": (splitter._NORM_PUNCT, r"[\s:：,，。、“”\"'‘’「」《》()（）!！?？·\-—;；…]+"),
    "splitter._NUMBER": (splitter._NUMBER, r"\d+(?:\.\d+)?"),
    "splitter._SPACES": (splitter._SPACES, r"\s+"),
    "splitter._CJK_RUN": (splitter._CJK_RUN, r"[\u3400-\u9fff]{2,}"),
}

# Pieces of the texts these patterns look for, and characters around them, so that random joins
# of them make matches, near misses and overlaps.
WORDS = ["全国", "我国", "全球", "全世界", "各地", "各省", "全省", "全市", "全县", "国家", "国家级", "省级", "高新区", "园区", "开发区",
         "经开区", "国家高新区", "科技", "产业", "现代", "国际", "经济", "生态", "特别", "经济开发区", "工业园区", "合作区", "示范区", "新区",
         "建成", "投产", "达产", "达效", "运营", "以", "后", "全部达产", "全面投产后", "即将", "三成", "八成", "十成", "成为", "目前",
         "截至目前", "已", "已经", "将", "即", "现有", "至今", "年", "今年", "2024", "1，234", "12，34", "1,000", "1.5", "，",
         ",", "。", "！", "?", "；", ";", "：", ":", "、", "…", "——", "“", "”", "」", "'", "余", "多", "家", "个",
         "一", "百", "零", "中", "的", "区", "١"]
TEXTS = st.lists(st.sampled_from([*WORDS, " ", "\n", "\t", "\u3000"]), max_size=14).map("".join)


def _matches(rx: re.Pattern[str], text: str, pos: int, end: int) -> list[tuple[tuple[int, int], tuple]]:
    return [(m.span(), m.groups()) for m in rx.finditer(text, pos, end)]


@pytest.mark.parametrize("name", sorted(PLAIN))
@settings(max_examples=400, deadline=None)
@given(text=TEXTS, cut=st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_a_fast_pattern_matches_what_its_plain_spelling_matches(name: str, text: str, cut: tuple[int, int]) -> None:
    fast, plain = PLAIN[name][0], re.compile(PLAIN[name][1], PLAIN[name][0].flags)
    pos, end = min(cut), max(cut)
    assert _matches(fast, text, 0, len(text)) == _matches(plain, text, 0, len(text))
    assert _matches(fast, text, pos, end) == _matches(plain, text, pos, end)
    assert fast.sub("|", text) == plain.sub("|", text)


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab们的中国产业发展\n 。1"), max_size=40))
def test_the_sampled_pieces_are_every_six_characters_from_a_sampled_one(text: str) -> None:
    plain = re.compile(f"(?=([{re.escape(''.join(sorted(splitter._SAMPLE_CHARS)))}].{{5}}))", re.S)
    assert splitter._sampled_pieces().findall(text) == plain.findall(text)
