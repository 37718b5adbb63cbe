"""Organisation names: full legal names, short names learned in the article, and their park."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers.companies import find_companies, short_names
from parks.parsers.gazetteer import normalise
from parks.parsers.parks import find_parks


def companies(text: str, subject: str = "") -> list[tuple[str, str, str]]:
    norm = normalise(text)
    return [(c.company, c.surface, c.park) for c in find_companies(norm, find_parks(norm), subject)]


@pytest.mark.parametrize(("text", "name"), [
    ("近日，甲乙丙新材料有限公司投产。", "甲乙丙新材料有限公司"),
    ("南昌高新区企业江西兆丰半导体股份有限公司获评小巨人。", "江西兆丰半导体股份有限公司"),
    ("位于青岛高新区的青岛丁戊生物医疗股份有限公司获评绿色工厂。", "青岛丁戊生物医疗股份有限公司"),
    ("他与庚辛电子科技（苏州）有限公司合作多年。", "庚辛电子科技(苏州)有限公司"),
    ("该项目由清华大学天津电子信息研究院孵化。", "清华大学天津电子信息研究院"),
    ("东南大学长三角碳中和战略发展研究院落户当地。", "东南大学长三角碳中和战略发展研究院"),
    ("引进了壬癸集团、子丑集团等项目。", "壬癸集团"),
])
def test_full_names(text: str, name: str) -> None:
    assert name in [c for c, _, _ in companies(text)]


@pytest.mark.parametrize("text", [
    "该公司去年营收增长。",
    "这家企业的子公司在本地。",
    "通过平台公司盘活闲置厂房。",
    "园区有许多研究院和孵化器。",
    "委托国内知名咨询公司制订规划。",
    "国家科技企业孵化器（专业类）。",
    # a line of business or a size, not a name
    "这里既有大公司的平台，又有创业公司的机会。",
    "园区已和多家节能服务公司签约。",
    "园区的能源服务公司负责人介绍了情况。",
    "她创办了一家电子商务公司。",
])
def test_generic_organisation_words_are_not_companies(text: str) -> None:
    assert companies(text) == []


@pytest.mark.parametrize(("text", "names"), [
    ("与有研科技集团签约。", ["有研科技集团"]),
    ("宝龙汽车公司和火丁智能照明公司都来了。", ["宝龙汽车公司", "火丁智能照明公司"]),
])
def test_names_made_partly_of_trade_words_are_kept(text: str, names: list[str]) -> None:
    assert [c for c, _, _ in companies(text)] == names


def test_a_name_written_without_its_place_is_the_same_company() -> None:
    found = companies("走进甲乙高新区企业江西丙丁半导体公司。丙丁半导体公司获评小巨人，丙丁半导体公司还在扩产。")
    assert [s for _, s, _ in found] == ["江西丙丁半导体公司", "丙丁半导体公司", "丙丁半导体公司"]
    assert {c for c, _, _ in found} == {"江西丙丁半导体公司"}


def test_a_place_before_a_name_that_brackets_its_place_is_where_the_firm_is() -> None:
    found = companies("在河南开封戊己（河南）智能制造有限公司的车间里。戊己（河南）智能制造有限公司副总裁说。")
    assert {c for c, _, _ in found} == {"戊己(河南)智能制造有限公司"}
    assert len(found) == 2


def test_short_name_from_note() -> None:
    found = companies("午未新能源科技有限公司（以下简称午未新能）落户。午未新能今年扩产。")
    assert [(c, s) for c, s, _ in found] == [("午未新能源科技有限公司", "午未新能源科技有限公司"),
                                             ("午未新能源科技有限公司", "午未新能")]


def test_short_name_learned_from_full_name_in_the_same_article() -> None:
    text = "厦门海辰储能科技股份有限公司研制的电池面市。海辰储能出货量增长，海辰储能二期将投产。"
    found = companies(text)
    assert [s for _, s, _ in found] == ["厦门海辰储能科技股份有限公司", "海辰储能", "海辰储能"]
    assert {c for c, _, _ in found} == {"厦门海辰储能科技股份有限公司"}


def test_short_name_is_not_learned_when_the_article_never_uses_it() -> None:
    found = companies("甲乙丙储能科技有限公司成立。")
    assert [s for _, s, _ in found] == ["甲乙丙储能科技有限公司"]


@pytest.mark.parametrize(("name", "short"), [
    ("厦门海辰储能科技股份有限公司", "海辰储能"),
    ("包头江馨微电机科技有限公司", "江馨微电机"),
    ("株洲中车时代电气股份有限公司", "株洲中车时代"),
    ("鹭岛氢能（厦门）科技有限公司", "鹭岛氢能"),
])
def test_short_name_forms(name: str, short: str) -> None:
    assert short in short_names(normalise(name))


def test_well_known_short_names_map_to_full_names() -> None:
    found = companies("肇庆高新区引进宁德时代和小鹏汽车，小鹏的基地已投产。")
    assert [(c, s) for c, s, _ in found] == [
        ("宁德时代新能源科技股份有限公司", "宁德时代"),
        ("广州小鹏汽车科技有限公司", "小鹏汽车"),
        ("广州小鹏汽车科技有限公司", "小鹏"),
    ]


def test_company_is_linked_to_the_park_of_its_sentence() -> None:
    text = "清远高新区引进甲乙新材料有限公司。另一边，肇庆高新区的丙丁电池有限公司扩产。该公司产值增长。"
    found = companies(text, subject="清远高新区")
    assert [(s, p) for _, s, p in found] == [("甲乙新材料有限公司", "清远高新区"),
                                             ("丙丁电池有限公司", "肇庆高新区")]


def test_place_inside_a_company_name_does_not_make_a_city_sentence() -> None:
    found = companies("青岛戊己环保科技有限公司去年营收增长。", subject="青岛高新区")
    assert [p for _, _, p in found] == ["青岛高新区"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("有限公司股份集团研究院（）()以下简称宁德时代高新区厦门海辰储能科技，。、 ")) |
               st.characters(), max_size=100))
def test_find_companies_never_raises(text: str) -> None:
    mentions = find_parks(text)
    for c in find_companies(text, mentions, "S"):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end] == c.surface
        assert c.company


def test_empty_text() -> None:
    assert find_companies("", [], "") == []
