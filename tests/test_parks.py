"""Park recognition: gazetteer aliases, generic words, unlisted parks, named areas, subjects, park_at.

Every example sentence here is written for the test; the real pages are only read (when present)
to check recall and that no generic word is ever returned as a park.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers.gazetteer import load_gazetteer, normalise, read_gazetteer
from parks.parsers.lexicon import data_path
from parks.parsers.model import Article, Block
from parks.parsers.parks import (
    GENERIC_NAMES,
    find_generic_refs,
    find_parks,
    owner,
    park_at,
    parks_at,
    resolve_generic,
    subject_parks,
    unlisted_parks,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"


def parks_in(text: str) -> list[str]:
    return [m.park for m in find_parks(normalise(text))]


def article(title: str, body: str, kicker: str = "") -> Article:
    text = f"{title}\n\n{body}"
    blocks = [Block("title", 0, len(title))]
    start = len(title) + 2
    for para in body.split("\n\n"):
        blocks.append(Block("body", start, start + len(para)))
        start += len(para) + 2
    return Article(seq=0, title=title, text=text, norm=normalise(text), blocks=blocks, kicker=kicker)


# ---------------------------------------------------------------- aliases


@pytest.mark.parametrize(("written", "canonical"), [
    ("稀土高新区", "包头稀土高新区"),
    ("包头稀土高新技术产业开发区", "包头稀土高新区"),
    ("长治国家高新区", "长治高新区"),
    ("中国光谷", "东湖高新区"),
    ("武汉东湖高新区", "东湖高新区"),
    ("中关村示范区", "中关村"),
    ("火炬高新区", "厦门火炬高新区"),
    ("蘇州工業園區", "苏州工业园区"),
    ("石河子经济技术开发区", "石河子开发区"),
    ("广东省肇庆市高新区", "肇庆高新区"),
    ("ＳＩＰ", "苏州工业园区"),
])
def test_alias_resolves_to_canonical(written: str, canonical: str) -> None:
    assert load_gazetteer().resolve(written) == canonical


@pytest.mark.parametrize(("sentence", "canonical"), [
    ("今年稀土高新区新增企业不少。", "包头稀土高新区"),
    ("记者走进长治国家高新区采访。", "长治高新区"),
    ("中国光谷的企业越来越多。", "东湖高新区"),
    ("武汉东湖高新区发布新政策。", "东湖高新区"),
    ("中关村示范区再出新举措。", "中关村"),
    ("火炬高新区的企业赶订单。", "厦门火炬高新区"),
    ("他们来到蘇州工業園區參觀。", "苏州工业园区"),
    ("位于清远市高新区的工厂投产了。", "清远高新区"),
])
def test_alias_found_in_text(sentence: str, canonical: str) -> None:
    assert parks_in(sentence) == [canonical]


def test_longest_match_wins() -> None:
    assert parks_in("苏州工业园区与苏州高新区签约。") == ["苏州工业园区", "苏州高新区"]
    assert parks_in("天津滨海高新区不在天津滨海新区的统计里。") == ["天津滨海高新区", "滨海新区"]
    assert parks_in("长春净月高新区和长春高新区。") == ["长春净月高新区", "长春高新区"]


@pytest.mark.parametrize(("sentence", "name"), [
    ("福州滨海新区建设提速。", "福州滨海新区"),
    ("福州市滨海新区建设提速。", "福州滨海新区"),
    ("盐城滨海高新区引进项目。", "盐城滨海高新区"),
])
def test_a_park_name_after_another_city_is_another_park(sentence: str, name: str) -> None:
    found = find_parks(normalise(sentence))
    assert [(m.park, m.listed) for m in found] == [(name, False)]
    assert load_gazetteer().resolve(name) is None


@pytest.mark.parametrize(("sentence", "canonical"), [
    ("天津滨海新区发布数据。", "滨海新区"),
    ("天津市滨海新区发布数据。", "滨海新区"),
    ("咸阳西咸新区发布数据。", "西咸新区"),
    ("内蒙古包头稀土高新区发布数据。", "包头稀土高新区"),
    ("广东省肇庆高新区发布数据。", "肇庆高新区"),
])
def test_a_park_name_after_its_own_province_or_city_is_that_park(sentence: str, canonical: str) -> None:
    assert parks_in(sentence) == [canonical]


def test_a_dropped_province_must_be_the_parks_own() -> None:
    g = load_gazetteer()
    assert g.resolve("天津滨海新区") == "滨海新区"
    assert g.resolve("福建滨海新区") is None
    assert g.resolve("广东省肇庆市高新区") == "肇庆高新区"


def test_ambiguous_bare_alias_resolves_but_is_not_looked_for() -> None:
    g = load_gazetteer()
    assert g.resolve("张江") == "张江高新区"
    assert parks_in("张江镇的老街很热闹。") == []


def test_no_spelling_is_shared_by_two_parks() -> None:
    g = load_gazetteer()
    assert g.conflicts == {}
    owners: dict[str, set[str]] = {}
    with data_path("parks.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name in [row["canonical"], row["official_name"], *row["aliases"].split("|")]:
                if name:
                    owners.setdefault(normalise(name), set()).add(row["canonical"])
    shared = {n: o for n, o in owners.items() if len(o) > 1}
    assert shared == {}


def test_canonical_names_are_unique_and_parents_exist() -> None:
    with data_path("parks.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    counts = Counter(r["canonical"] for r in rows)
    assert [n for n, c in counts.items() if c > 1] == []
    for r in rows:
        if r["parent"]:
            assert r["parent"] in counts, r["canonical"]


def test_gazetteer_holds_the_national_high_tech_zones_approved_by_2022() -> None:
    g = load_gazetteer()
    zones = [p for p in g.parks.values() if p.kind == "国家高新区"]
    assert len(zones) >= 177  # 169 by 2021, 8 approved in 2022
    assert g.resolve("安庆国家高新区") == "安庆高新区"  # the last of them, approved in December 2022


def test_generic_words_are_not_in_the_gazetteer() -> None:
    g = load_gazetteer()
    for word in GENERIC_NAMES:
        assert g.resolve(word) is None, word


@pytest.mark.skipif(not (SHARED / "gazetteer" / "parks.csv").exists(), reason="shared gazetteer absent")
def test_project_gazetteer_keeps_every_shared_park() -> None:
    g = load_gazetteer()
    with (SHARED / "gazetteer" / "parks.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for name in [row["canonical"], row["official_name"], *row["aliases"].split("|")]:
                if name:
                    assert g.resolve(name) == row["canonical"], name


# ---------------------------------------------------------------- generic words


@pytest.mark.parametrize("sentence", [
    "国家高新区是创新的主阵地。",
    "高新区要带头实现碳达峰。",
    "园区的企业都来了。",
    "开发区管委会负责协调。",
    "该区去年引进项目不少。",
    "全区规上工业产值增长。",
    "示范区建设要稳步推进。",
    "12家国家高新区共同发起倡议。",
    "作为首批国家级高新区，它一直走在前面。",
    "省级高新区也在加快追赶。",
    "全国169家高新区营收超过40万亿元。",
    "这里是全国首个自动驾驶测试示范区。",
    "推动低碳示范区和零碳产业园区建设。",
    "在陕西省西安市举办国家高新区论坛。",
    "为新时代高新区的发展贡献力量。",
])
def test_generic_words_are_never_parks(sentence: str) -> None:
    found = find_parks(normalise(sentence))
    assert [m.park for m in found if m.listed or m.park in GENERIC_NAMES] == []
    assert all(m.park not in GENERIC_NAMES for m in found)


def test_bare_generic_word_refers_to_the_subject() -> None:
    norm = normalise("肇庆高新区今年发展很快。该区去年产值120亿元，全区企业超过500家。")
    mentions = find_parks(norm)
    refs = find_generic_refs(norm, mentions)
    assert [r.surface for r in refs] == ["该区", "全区"]
    assert resolve_generic(refs[0], "肇庆高新区") == "肇庆高新区"
    assert park_at(norm, norm.index("120"), mentions, "肇庆高新区") == "肇庆高新区"
    assert park_at(norm, norm.index("500"), mentions, "肇庆高新区") == "肇庆高新区"


def test_generic_ref_inside_a_park_name_is_not_generic() -> None:
    norm = normalise("肇庆高新区和12家国家高新区")
    assert find_generic_refs(norm, find_parks(norm)) == []


# ---------------------------------------------------------------- unlisted parks


@pytest.mark.parametrize(("sentence", "name"), [
    ("安徽省合肥新站高新区近日签下大单。", "合肥新站高新区"),
    ("岳阳经开区引进了一批项目。", "岳阳经济技术开发区"),
    ("江阴临港经济开发区的码头很忙。", "江阴临港经济开发区"),
    ("河南郑东新区的写字楼不少。", "郑东新区"),
    ("南京江宁高新区发布人才政策。", "江宁高新区"),
    ("淮安工业园区去年签约项目。", "淮安工业园区"),
    ("唐山湾生态城今年引进项目。", "唐山湾生态城"),
    ("嘉兴市南湖示范区新建厂房。", "嘉兴南湖示范区"),
    ("嘉兴南湖示范区新建厂房。", "嘉兴南湖示范区"),
])
def test_unlisted_park_is_found_and_marked(sentence: str, name: str) -> None:
    found = find_parks(normalise(sentence))
    assert [(m.park, m.listed) for m in found] == [(name, False)]
    assert [u.name for u in unlisted_parks(found)] == [name]


def test_an_unlisted_park_added_to_the_gazetteer_is_listed(tmp_path: Path) -> None:
    text = normalise("岳阳经开区引进了一批项目。岳阳经济技术开发区再添新厂。")
    assert {(m.park, m.listed) for m in find_parks(text)} == {("岳阳经济技术开发区", False)}
    rows = data_path("parks.csv").read_text(encoding="utf-8")
    added = tmp_path / "parks.csv"
    added.write_text(rows.rstrip("\n") + "\n岳阳经开区,岳阳经济技术开发区,国家级经济技术开发区,湖南省,岳阳,2010,,,,\n",
                     encoding="utf-8")
    found = find_parks(text, read_gazetteer(added))
    assert [(m.park, m.listed) for m in found] == [("岳阳经开区", True)] * 2


def test_unlisted_park_in_official_form_gets_short_name() -> None:
    found = find_parks(normalise("岳阳高新技术产业开发区发布政策"))
    assert [(m.park, m.surface) for m in found] == [("岳阳高新区", "岳阳高新技术产业开发区")]
    assert unlisted_parks(found)[0].city == "岳阳"


@pytest.mark.parametrize("text", ["广东省国家高新区营业收入超过3万亿元。", "江苏高新区整体实力较强。"])
def test_a_provinces_zones_together_are_not_a_park(text: str) -> None:
    assert find_parks(normalise(text)) == []


def test_unlisted_park_has_one_name_however_it_is_written() -> None:
    text = "江西赣州信丰工业园区签约项目。信丰工业园区负责人说，南乐经开区和南乐经济技术开发区是一个园区。"
    found = find_parks(normalise(text))
    assert [m.park for m in found] == ["信丰工业园区", "信丰工业园区", "南乐经济技术开发区", "南乐经济技术开发区"]
    assert found[0].surface == "赣州信丰工业园区"  # the whole name as written is still highlighted


@pytest.mark.parametrize(("text", "name"), [
    # the name recurs
    ("闽赣产业合作区挂牌。今年闽赣产业合作区签约项目9个。", "闽赣产业合作区"),
    # each character stands for a place the text names
    ("由苏州、宿迁两市共建的苏宿工业园区又添新项目。", "苏宿工业园区"),
    ("杭嘉湖科技产业园区由杭州、嘉兴、湖州三地联手打造。", "杭嘉湖科技产业园区"),
    ("湛茂特别合作区由湛江和茂名共同管理。", "湛茂特别合作区"),
    # two descriptors before the suffix; a three-character city by its first character
    ("广韶经济特别合作区由广州、韶关共建。", "广韶经济特别合作区"),
    ("深哈产业园由深圳与哈尔滨合作建设。", "深哈产业园"),
])
def test_cobuilt_park_named_by_its_partners_short_names(text: str, name: str) -> None:
    found = find_parks(normalise(text))
    assert [(m.park, m.listed) for m in found if not m.listed] == [(name, False)] * text.count(name)
    assert [u.name for u in unlisted_parks(found)] == [name]


@pytest.mark.parametrize("text", [
    "推动南北合作园区建设。南北合作园区要互利共赢。",  # directions, not places
    "各地纷纷建设产业园区，也有一些合作区。",
    "这个示范区面积不大。",
])
def test_short_names_need_places_behind_them(text: str) -> None:
    assert [m.park for m in find_parks(normalise(text))] == []


def test_bare_cooperation_zone_refers_to_the_subject() -> None:
    norm = normalise("该合作区去年引进项目12个。")
    assert park_at(norm, norm.index("12"), find_parks(norm), "S") == "S"


def test_two_cities_written_in_full_name_their_joint_park() -> None:
    found = find_parks(normalise("苏州宿迁工业园区的厂房"))
    assert [(m.park, m.listed) for m in found] == [("苏州宿迁工业园区", False)]


def test_cobuilt_park_in_the_title_is_the_subject_and_owns_its_figures() -> None:
    a = article("湛茂特别合作区加快发展", "湛茂特别合作区由湛江、茂名共建，茂名高新区派人参与招商。"
                "今年上半年，湛茂特别合作区完成固定资产投资26亿元。")
    mentions = find_parks(a.norm)
    assert subject_parks(a, mentions)[0] == "湛茂特别合作区"
    assert park_at(a.norm, a.norm.index("26亿"), mentions, "湛茂特别合作区") == "湛茂特别合作区"


def test_listed_park_in_another_spelling_is_listed() -> None:
    found = find_parks(normalise("长治高新技术产业开发区与肇庆国家高新区"))
    assert [(m.park, m.listed) for m in found] == [("长治高新区", True), ("肇庆高新区", True)]


# ---------------------------------------------------------------- named areas inside a park


def test_area_written_after_its_park_belongs_to_it() -> None:
    norm = normalise("在乙丙高新区的无锡高新区星洲工业园，光伏板铺满屋顶。今年星洲工业园又添新项目。")
    areas = [m for m in find_parks(norm) if m.parent]
    assert [(m.park, m.parent) for m in areas] == [("星洲工业园", "无锡高新区")] * 2
    assert {owner(m) for m in find_parks(norm)} == {"无锡高新区"}


def test_area_in_brackets_is_learned_and_found_again() -> None:
    norm = normalise("宁波高新区（梅山片区）入选名单。梅山片区将重点发展新材料。")
    found = find_parks(norm)
    areas = [m for m in found if m.parent]
    assert [(m.surface, m.parent, m.listed) for m in areas] == [("梅山片区", "宁波高新区", False)] * 2
    assert unlisted_parks(found) == []  # an area is not a park of its own


def test_learned_area_named_again_is_not_an_unlisted_park() -> None:
    found = find_parks(normalise("宁波高新区江北工业园区入选。江北工业园区将扩建。"))
    assert [(m.park, m.parent) for m in found] == [("宁波高新区", ""), ("江北工业园区", "宁波高新区"),
                                                   ("江北工业园区", "宁波高新区")]


@pytest.mark.parametrize(("sentence", "area", "parent"), [
    ("柳东新区中德工业园里的生产线很忙。", "中德工业园", "柳东新区"),
    ("厦门火炬高新区内厦门同翔高新城的二期项目。", "同翔高新城", "厦门火炬高新区"),
    ("白马园区将发展电子信息产业。", "白马园区", "内江高新区"),
])
def test_gazetteer_areas_carry_their_parent(sentence: str, area: str, parent: str) -> None:
    areas = [m for m in find_parks(normalise(sentence)) if m.parent]
    assert [(m.park, m.parent) for m in areas] == [(area, parent)]


def test_area_figures_count_for_the_parent() -> None:
    norm = normalise("无锡高新区星洲工业园光伏装机18兆瓦。")
    mentions = find_parks(norm)
    assert park_at(norm, norm.index("18"), mentions, "") == "无锡高新区"


def test_peer_park_after_a_park_is_not_an_area() -> None:
    found = find_parks(normalise("常州高新区武进高新区"))
    assert [(m.park, m.parent) for m in found] == [("常州高新区", ""), ("武进高新区", "")]


# ---------------------------------------------------------------- subjects


def test_subject_from_title() -> None:
    a = article("肇庆高新区发布新政", "记者近日获悉，当地出台了十条措施。肇庆高新区还与清远高新区签约。")
    assert subject_parks(a, find_parks(a.norm)) == ["肇庆高新区"]


def test_subject_of_a_short_news_item_without_park_in_title() -> None:
    a = article("领军人才培训班结业", "本报讯 8月25日，首期培训班在焦作高新区结业。焦作高新区管委会主办。"
                "学员来自清远、焦作等地。")
    assert subject_parks(a, find_parks(a.norm)) == ["焦作高新区"]


def test_subject_from_counts_when_title_names_none() -> None:
    a = article("服务跟到企业门口", "石河子开发区管委会工作人员上门服务。石河子开发区去年签约项目12个，"
                "石河子开发区还在优化流程。兵团相关部门也给予支持，武汉东湖高新区派人学习。")
    assert subject_parks(a, find_parks(a.norm)) == ["石河子开发区"]


def test_two_parks_in_title_are_both_subjects() -> None:
    a = article("青岛高新区与贵阳高新区签约合作", "两地将在大数据领域合作。")
    assert subject_parks(a, find_parks(a.norm)) == ["青岛高新区", "贵阳高新区"]


def test_list_of_peers_has_no_subject() -> None:
    a = article("多家园区发起倡议", "会上，西安高新区、成都高新区、合肥高新区等12家国家高新区共同发起倡议。")
    assert subject_parks(a, find_parks(a.norm)) == []


def test_generic_kicker_is_not_a_subject() -> None:
    a = article("跑出绿色发展新模式", "该区去年投资增长。西安高新区提出目标。", kicker="高新区绿色发展②")
    assert subject_parks(a, find_parks(a.norm)) == ["西安高新区"]


def test_area_mentions_make_their_parent_the_subject() -> None:
    a = article("星洲工业园的屋顶光伏", "无锡高新区星洲工业园建成光伏项目。星洲工业园还将建设能源站。")
    assert subject_parks(a, find_parks(a.norm)) == ["无锡高新区"]


# ---------------------------------------------------------------- park_at


@pytest.mark.parametrize(("text", "number", "expected"), [
    ("甲地高新区很忙。去年，厦门市新能源产业产值增长40%。", "40", ""),
    ("去年，厦门新能源产业产值增长40%。", "40", ""),
    ("全国178家国家高新区营收超过50万亿元。", "50", ""),
    ("全国高新区的平均水平是3%。", "3", ""),
    ("肇庆高新区实现GDP 47亿元，同比增长32.1%，增速居肇庆市第一。", "32.1", "肇庆高新区"),
    ("贵阳高新区已聚集研发机构278家，占贵阳市的45.5%。", "45.5", "贵阳高新区"),
    ("一季度，包头稀土高新区新增企业8家，清远高新区新增企业5家。", "5", "清远高新区"),
    ("截至目前，累计签约项目26项。", "26", "SUBJECT"),
    ("甲地高新区很忙。去年，厦门市增长9%，高新区增长26%。", "26", "SUBJECT"),
    ("甲地高新区很忙。去年，厦门市增长9%，园区增长26%。", "26", "SUBJECT"),
    ("位于青岛高新区的青岛某某科技有限公司投资了400万元。", "400", "青岛高新区"),
    # 省级/市级 after a word is a level, not a place (新建 is also a county)
    ("今年园区新建省级以上众创空间4家。", "4", "SUBJECT"),
    ("江苏省级以上研发机构有30家。", "30", ""),
    # a place opening the name of a park's quarter or a base
    ("宁波绿色智造产业园已入驻企业35家。", "35", "SUBJECT"),
    # a place the subject goes to, comes from, acts in or is compared with
    ("企业在浙江省内布局生产基地12个。", "12", "SUBJECT"),
    ("园区在北京设立的离岸孵化器已吸引企业60余家。", "60", "SUBJECT"),
    ("园区今年从杭州引进人才团队14个。", "14", "SUBJECT"),
    ("园区电子信息产业营收占全市的比重为23%。", "23", "SUBJECT"),
    ("该区营收在全国高新区中排名第9，利润120亿元。", "120", "SUBJECT"),
    # a place describing a thing
    ("园区引进广州企业项目25个。", "25", "SUBJECT"),
    # …but a place that opens the clause as its subject, or sets the scene, is the scope
    ("去年，杭州市数字经济核心产业营收增长12%。", "12", ""),
    ("在杭州，数字经济核心产业营收增长12%。", "12", ""),
])
def test_park_at(text: str, number: str, expected: str) -> None:
    norm = normalise(text)
    mentions = find_parks(norm)
    got = park_at(norm, norm.index(number), mentions, "SUBJECT")
    assert got == expected


def test_parks_at_matches_park_at() -> None:
    norm = normalise("厦门火炬高新区产值100亿元。厦门市增长5%。该区企业400家。")
    mentions = find_parks(norm)
    offsets = [norm.index(x) for x in ("100", "5%", "400")]
    assert parks_at(norm, offsets, mentions, "S") == [park_at(norm, o, mentions, "S") for o in offsets]
    assert parks_at(norm, offsets, mentions, "S") == ["厦门火炬高新区", "", "S"]


# ---------------------------------------------------------------- robustness


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("高新区园该全国家市省级12（）()、，。 无锡星洲工业包头稀土示范开发新区经"
                                               "苏州天津滨海长治厦门火炬柳东中德\n")) | st.characters(),
               max_size=120))
def test_find_parks_never_raises_and_offsets_point_at_surface(text: str) -> None:
    norm = text  # the recognisers take any text; normalisation is tested with the reader
    found = find_parks(norm)
    for m in found:
        assert 0 <= m.start < m.end <= len(norm)
        assert norm[m.start:m.end] == m.surface
        assert m.park not in GENERIC_NAMES
    for offset in range(0, len(norm), 7):
        assert isinstance(park_at(norm, offset, found, "S"), str)
    unlisted_parks(found)


def test_empty_text() -> None:
    assert find_parks("") == []
    assert park_at("", 0, [], "S") == "S"
    assert subject_parks(article("", ""), []) == []
    assert load_gazetteer().resolve("") is None


def test_scan_is_fast_on_a_long_text() -> None:
    import time

    text = normalise("无锡高新区星洲工业园去年产值增长。该区与全国178家国家高新区比较。" * 2000)
    find_parks(text[:100])
    t = time.perf_counter()
    found = find_parks(text)
    assert time.perf_counter() - t < 2.0
    assert len(found) == 4000


# ---------------------------------------------------------------- the real pages (read only)

CORPUS = SHARED / "corpus"
EXPECTED = SHARED / "eval" / "seeds_parks.csv"


@pytest.mark.skipif(not EXPECTED.exists() or not CORPUS.exists(), reason="shared corpus absent")
def test_real_pages_recall_and_no_generic_parks() -> None:
    g = load_gazetteer()
    want: dict[str, set[str]] = {}
    with EXPECTED.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            want.setdefault(row["file"], set()).add(g.resolve(row["park"]) or row["park"])
    for name, parks in want.items():
        norm = normalise((CORPUS / name).read_text(encoding="utf-8"))
        found = find_parks(norm)
        got = {owner(m) for m in found if m.listed}
        assert parks <= got, (name, parks - got)
        assert not got & GENERIC_NAMES
        assert all(not re.fullmatch(r"\d*家?(国家级?|省级)?高新区", m.park) for m in found)
