"""Page -> articles: titles, kickers, bylines, captions, rejoined paragraphs, repeated text."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parks.parsers.model import Article
from parks.parsers.normalize import normalize
from parks.parsers.splitter import split_page

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "seeds_articles.csv"


def titles(articles: list[Article]) -> list[str]:
    return [a.title for a in articles]


def body(article: Article) -> list[str]:
    return [article.text[b.start:b.end] for b in article.blocks if b.kind == "body"]


def subheads(article: Article) -> list[str]:
    return [article.text[b.start:b.end] for b in article.blocks if b.kind == "subhead"]


def page(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


# Sentences written for these tests (no text from real pages).
P1 = "青川高新区今年上半年新增入驻企业三十余家，其中光伏组件企业占了三分之一。"
P2 = "园区管委会负责人介绍，下半年还将有一批配套项目陆续开工建设。"
P3 = "据统计，园区上半年完成工业总产值约二百亿元，同比增长百分之十二。"
P4 = "一家电池企业负责人说，园区的审批速度让他们提前两个月投产。"
P5 = "南溪经开区把生物医药作为主攻方向，引进了一批研发型企业。"
P6 = "该区负责人表示，明年将建设一座公共实验平台，向中小企业开放。"


# --- titles ------------------------------------------------------------------------------------


def test_bare_title_with_byline_and_subhead() -> None:
    arts = split_page(page("青川高新区：光伏产业链加速成形", "◎本报记者 王明远 通讯员 李晓", P1, P2,
                           "配套项目陆续开工", P3, P4))
    assert titles(arts) == ["青川高新区：光伏产业链加速成形"]
    a = arts[0]
    assert a.byline == "本报记者 王明远 通讯员 李晓"
    assert subheads(a) == ["配套项目陆续开工"]
    assert body(a) == [P1, P2, P3, P4]
    assert a.text.startswith(a.title + "\n\n")
    assert a.norm == normalize(a.text) and a.date is None  # normalised with the page, not again


def test_title_split_over_two_lines_is_rejoined() -> None:
    arts = split_page(page("青川高新区\n光伏产业链加速成形", "◎本报记者 王明远", P1, P2))
    assert titles(arts) == ["青川高新区光伏产业链加速成形"]


def test_title_split_over_consecutive_markdown_headings() -> None:
    arts = split_page(page("## 青川高新区", "## 为光伏企业“铺路架桥”", "◎本报记者 王明远", P1, P2,
                           "## 南溪经开区", "## 生物医药项目扎堆落户", "◎本报记者 赵一帆", P5, P6))
    assert titles(arts) == ["青川高新区为光伏企业“铺路架桥”", "南溪经开区生物医药项目扎堆落户"]
    assert body(arts[1]) == [P5, P6]


def test_heading_and_subtitle_become_one_title() -> None:
    arts = split_page(page("# 南溪经开区：医药园区扩容", "## 从“小作坊”到“大平台”", "◎本报记者 赵一帆", P5, P6))
    assert len(arts) == 1
    assert arts[0].title == "南溪经开区：医药园区扩容 从“小作坊”到“大平台”"


def test_markdown_subheads_are_not_titles() -> None:
    arts = split_page(page("# 青川高新区光伏产业链加速成形", "▶ 本报特约通讯员 陈向东", P1,
                           "## 龙头企业带动配套", P2, P3, "## 审批提速", P4))
    assert titles(arts) == ["青川高新区光伏产业链加速成形"]
    assert subheads(arts[0]) == ["龙头企业带动配套", "审批提速"]
    assert arts[0].byline == "本报特约通讯员 陈向东"


# --- kickers -----------------------------------------------------------------------------------


def test_kickers_before_and_after_titles() -> None:
    arts = split_page(page(
        "# 青川高新区光伏产业链加速成形", "## 园区绿色转型③", "◎本报记者 王明远", P1, P2,
        "## 相关链接", "### 全省光伏装机", "### 三年翻了一番", P3,
        "园镜头", "南溪经开区生物医药项目扎堆落户", "◎本报记者 赵一帆", P5, P6))
    assert titles(arts) == ["青川高新区光伏产业链加速成形", "全省光伏装机三年翻了一番", "南溪经开区生物医药项目扎堆落户"]
    assert [a.kicker for a in arts] == ["园区绿色转型③", "相关链接", "园镜头"]


def test_editor_note_is_a_kicker_and_stays_text() -> None:
    note = "编者按 本版今起推出园区观察系列报道，关注各地园区的新做法。"
    arts = split_page(page(note, "青川高新区光伏产业链加速成形", "◎本报记者 王明远", P1, P2))
    assert "编者按" in arts[0].kicker
    assert note in body(arts[0])


def test_link_box_without_title_is_kept_apart() -> None:
    arts = split_page(page("# 青川高新区光伏产业链加速成形", "◎本报记者 王明远", P1, P2, "### 相关链接", P5))
    assert len(arts) == 2
    assert arts[1].title == "" and arts[1].kicker == "相关链接" and body(arts[1]) == [P5]
    assert P5 not in arts[0].text


# --- bylines and short news items --------------------------------------------------------------


def test_short_news_items_are_separate_articles_with_their_bylines() -> None:
    arts = split_page(page(
        "## 青川高新区：光伏组件出口增长", "本报讯 (刘一鸣 特约通讯员 张晓) " + P1, P2,
        "## 南溪经开区引进三家医药企业", "本报讯 " + P5 + " 许立言",
        "## 东岭开发区新设人才驿站", "科技日报讯（记者周航）" + P3, P4, "孙立平"))
    assert titles(arts) == ["青川高新区：光伏组件出口增长", "南溪经开区引进三家医药企业", "东岭开发区新设人才驿站"]
    assert arts[0].byline == "本报讯 (刘一鸣 特约通讯员 张晓)"
    assert body(arts[0])[0] == P1
    assert arts[1].byline == "本报讯 许立言"
    assert body(arts[1]) == [P5]
    assert arts[2].byline == "科技日报讯（记者周航） 孙立平"
    assert body(arts[2]) == [P3, P4]


def test_bare_briefs_without_bylines_start_at_a_new_park() -> None:
    arts = split_page(page(
        "青川高新区：光伏组件出口增长", "青川高新区今年上半年光伏组件出口额同比增长三成。", P2,
        "组件企业扩产", "一家组件企业今年新建两条产线，青川高新区为其协调了用电指标。",
        "南溪经开区引进三家医药企业", "南溪经开区近日与三家医药企业签约，项目总投资约十二亿元。",
        "东岭开发区新设人才驿站", "（记者 周航）东岭开发区人才驿站日前启用。", "记者 张三 摄"))
    assert titles(arts) == ["青川高新区：光伏组件出口增长", "南溪经开区引进三家医药企业", "东岭开发区新设人才驿站"]
    assert subheads(arts[0]) == ["组件企业扩产"]
    assert arts[2].byline == "（记者 周航）"
    assert body(arts[2]) == ["东岭开发区人才驿站日前启用。"]
    assert arts[2].captions == ["记者 张三 摄"]


def test_byline_over_two_lines() -> None:
    arts = split_page(page("青川高新区光伏产业链加速成形", "◎通讯员 赵海 钱多\n本报记者 朱文", P1, P2))
    assert arts[0].byline == "通讯员 赵海 钱多 本报记者 朱文"


# --- captions ----------------------------------------------------------------------------------


def test_captions_and_credits_are_kept_apart_from_the_body() -> None:
    arts = split_page(page(
        "青川高新区一处屋顶光伏电站 视觉中国供图",
        "青川高新区光伏产业链加速成形", "◎本报记者 王明远", P1, P2,
        "园区一家企业的工程师在调试设备", "受访者供图", P3,
        "南溪经开区医药产业园一角", "张小龙摄",
        "南溪经开区生物医药项目扎堆落户", "◎本报记者 赵一帆", P5, P6))
    assert titles(arts) == ["青川高新区光伏产业链加速成形", "南溪经开区生物医药项目扎堆落户"]
    assert arts[0].captions == ["青川高新区一处屋顶光伏电站 视觉中国供图", "园区一家企业的工程师在调试设备 受访者供图",
                                "南溪经开区医药产业园一角 张小龙摄"]
    assert body(arts[0]) == [P1, P2, P3]
    assert not any("供图" in t or "摄" in t for a in arts for t in body(a))


def test_photo_item_with_source_credit_is_an_untitled_article() -> None:
    photo = "9月3日，南溪经开区一座新建的人才公寓交付使用。"
    arts = split_page(page("## 青川高新区光伏产业链加速成形", "◎本报记者 王明远", P1, P2,
                           "图片来源:南溪经开区", photo, "图为入住的青年科研人员领取钥匙。",
                           "## 东岭开发区新设人才驿站", "本报讯 " + P3))
    assert titles(arts) == ["青川高新区光伏产业链加速成形", "", "东岭开发区新设人才驿站"]
    assert body(arts[1]) == [photo]
    assert arts[1].captions == ["图片来源:南溪经开区", "图为入住的青年科研人员领取钥匙。"]
    assert arts[1].text == photo and arts[1].blocks[0].start == 0


# --- paragraphs --------------------------------------------------------------------------------


@pytest.mark.parametrize(("head", "tail"), [
    ("园区先后引进多家光伏组件企业，进一步完善碳达峰、碳中和", "和目标相关的配套政策。"),
    ("目前，园区新型储能", "产业规模以上企业共有十家。"),
    ("管委会相关负责人介", "绍，园区将扩大储能产业规模。"),
])
def test_paragraph_cut_by_the_layout_is_rejoined(head: str, tail: str) -> None:
    arts = split_page(page("青川高新区光伏产业链加速成形", "◎本报记者 王明远", P1, head, tail, P2))
    assert body(arts[0]) == [P1, head + tail, P2]


def test_short_cut_line_is_not_taken_for_a_heading() -> None:
    # "…科技股" + "份有限公司…": 股份 is a word the page uses elsewhere, so the short line is text.
    arts = split_page(page("青川高新区光伏产业链加速成形", "◎本报记者 王明远",
                           "青川光源科技股份有限公司落户园区已有五年。", "说起转型，青川光源科技股",
                           "份有限公司算得上一个样板。", P2))
    assert subheads(arts[0]) == []
    assert body(arts[0])[1] == "说起转型，青川光源科技股份有限公司算得上一个样板。"


def test_pull_quote_and_repeated_deck_are_not_stored_twice() -> None:
    deck = "青川高新区以龙头企业带动配套企业，正在形成一条从硅料到组件的完整光伏产业链。"
    arts = split_page(page(deck, "青川高新区光伏产业链加速成形", "◎本报记者 王明远", P1, deck,
                           "园区光伏企业的本地配套率已超过85%以上。", "85% 以上", P2))
    a = arts[0]
    assert body(a) == [P1, deck, "园区光伏企业的本地配套率已超过85%以上。", P2]
    assert "85% 以上" not in a.text


def test_paragraph_printed_again_as_a_quote_box_is_dropped() -> None:
    long = "三年来，青川青年创客中心先后接纳返乡大学生两百多名，孵化出的小微企业已有一百二十家。"
    quote = "三年来，创客中心先后接纳返乡大学生两百多名，孵化出的小微企业已有一百二十家。"
    arts = split_page(page("返乡青年在青川找到用武之地", "◎本报记者 张景明", long, P2, quote, P3))
    assert body(arts[0]) == [long, P2, P3]


def test_same_page_splits_the_same_in_every_process() -> None:
    """The search for repeated paragraphs samples text by content, not by Python's per-process
    string hash: a cut line whose character pairs mostly recur in a later paragraph is kept or
    dropped the same way whatever PYTHONHASHSEED is."""
    import json
    import os
    import subprocess
    import sys

    text = page("青川高新区：老企业跑出新速度", "◎本报记者 王明远", "青川高新区近年来引导传统企业上云用数，一批老厂房换上了新产线。",
                "本地龙头企业青禾新能源科技股", "份有限公司是传统企业转型升级的一个缩影。",
                "青禾新能源科技有限公司是本地龙头，头企之外的企业青禾也在搞科技股份改造，现在只需要六个人。",
                "园区还与高校共建实验室，一批中小企业纷纷跟进。")
    code = ("import json, sys\nfrom parks.parsers.splitter import split_page\n"
            "print(json.dumps([(a.title, a.text) for a in split_page(sys.stdin.read())]))")
    outputs = set()
    for seed in ("0", "1", "2", "3"):
        proc = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())[0][0] == "青川高新区：老企业跑出新速度"


def test_interleaved_paragraphs_go_back_to_their_article() -> None:
    a1 = "青川高新区光伏产业园今年新增组件产能五吉瓦，光伏玻璃、逆变器企业相继落户青川。"
    a2 = "青川高新区管委会表示，光伏产业园二期将在年底前完成土地平整，继续引进逆变器配套企业。"
    a3 = "光伏组件企业负责人说，青川的电价和物流成本都有优势，企业计划在园区再建一条产线。"
    b1 = "南溪经开区生物医药产业园已聚集疫苗、抗体药物企业二十余家，南溪的医药研发平台对外开放。"
    b2 = "南溪经开区医药产业园负责人介绍，抗体药物中试基地今年投用，疫苗企业的临床申报明显提速。"
    b3 = "一家抗体药物企业的研发总监说，南溪经开区的中试平台帮企业节省了大量设备投入。"
    stray = "在南溪经开区医药产业园，疫苗企业和抗体药物企业共用一座中试平台，研发平台每年为企业节省数千万元。"
    arts = split_page(page(
        "青川高新区光伏产业链加速成形", "◎本报记者 王明远", a1, a2, a3, P1, "药企共享中试平台", stray,
        "南溪经开区生物医药项目扎堆落户", "◎本报记者 赵一帆", b1, b2, b3))
    assert titles(arts) == ["青川高新区光伏产业链加速成形", "南溪经开区生物医药项目扎堆落户"]
    assert stray not in arts[0].text
    assert stray in body(arts[1])
    assert "药企共享中试平台" in subheads(arts[1])


def test_reporter_name_closing_an_item_is_not_a_title() -> None:
    arts = split_page(page("## 南溪经开区引进三家医药企业", "本报讯 " + P5, P6, "郭树仁",
                           "## 东岭开发区新设人才驿站", "本报讯 " + P3))
    assert titles(arts) == ["南溪经开区引进三家医药企业", "东岭开发区新设人才驿站"]
    assert arts[0].byline == "本报讯 郭树仁"


# --- formats -----------------------------------------------------------------------------------


def test_traditional_page() -> None:
    arts = split_page(page("# 青川高新區：光伏產業鏈加速成形", "◎本報記者 王明遠 通訊員 李曉",
                           "青川高新區今年上半年新增入駐企業三十餘家。", "## 南溪經開區引進三家醫藥企業",
                           "本報訊 南溪經開區把生物醫藥作為主攻方向。"))
    assert titles(arts) == ["青川高新區：光伏產業鏈加速成形", "南溪經開區引進三家醫藥企業"]
    assert arts[0].byline == "本報記者 王明遠 通訊員 李曉"
    assert arts[1].byline == "本報訊"


def test_html_derived_text_uses_headings_and_the_page_title() -> None:
    text = page("# 青川高新区光伏产业链加速成形", "来源：科技日报 发布时间：2023年6月20日 作者：◎本报记者 王明远",
                P1, "## 龙头企业带动配套", P2)
    arts = split_page(text, "html", "青川高新区光伏产业链加速成形")
    assert titles(arts) == ["青川高新区光伏产业链加速成形"]
    assert arts[0].byline == "本报记者 王明远"
    assert subheads(arts[0]) == ["龙头企业带动配套"]
    untitled = split_page(page(P1, P2), "html", "青川高新区光伏产业链加速成形 - 科技日报")
    assert titles(untitled) == ["青川高新区光伏产业链加速成形"]


def test_front_matter_masthead_and_list_items() -> None:
    text = ("---\ntitle: 青川高新区的十年\ndate: 2021-06-18\n---\n\n# 青川高新区的十年\n\n"
            "**园区巡礼** ◎本报记者 冯启文\n\n> " + P1 + "\n\n- 工业总产值增长12%；\n- 税收增长8%。\n\n"
            "*（责任编辑：吴子文）*\n")
    arts = split_page(text, "md")
    assert titles(arts) == ["青川高新区的十年"]
    a = arts[0]
    assert a.kicker == "园区巡礼" and a.byline == "本报记者 冯启文"
    assert body(a) == [P1, "工业总产值增长12%；", "税收增长8%。"]


def test_date_line_and_page_number_are_not_text() -> None:
    arts = split_page(page("2023年9月12日 星期二\n科技日报 高新区 · 第7版", "# 青川高新区光伏产业链加速成形",
                           "◎本报记者 王明远", P1))
    assert body(arts[0]) == [P1]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\u3000\u3000\n \t\n"])
def test_empty_and_whitespace_pages(text: str) -> None:
    assert split_page(text) == []


def test_plain_text_without_headings_is_one_untitled_article() -> None:
    arts = split_page(page(P1, P2, P3))
    assert len(arts) == 1 and arts[0].title == "" and body(arts[0]) == [P1, P2, P3]


# --- properties --------------------------------------------------------------------------------

PIECES = st.sampled_from([
    P1, P2, P3, "青川高新区光伏产业链加速成形", "## 龙头企业带动配套", "# 南溪经开区", "◎本报记者 王明远",
    "本报讯 " + P5, "视觉中国供图", "图片来源:南溪经开区", "85% 以上", "园镜头", "相关链接", "郭树仁",
    "说起转型，青川光源科技股", "份有限公司算得上一个样板。", "---", "**园区巡礼** 正文", "> 引文", "- 列表",
    "（上接第一版）" + P4, "2023年9月12日", "", " ", "\u3000", "“", "》", "##", "#", "①", "供图",
])


def _check(arts: list[Article]) -> None:
    for n, a in enumerate(arts):
        assert a.seq == n
        assert a.norm in ("", normalize(a.text)), "normalised with the page, or left to the parsers"
        assert a.blocks, "an article always has text"
        for b in a.blocks:
            assert 0 <= b.start <= b.end <= len(a.text)
            assert b.kind in ("title", "subhead", "body")
        if a.title:
            assert a.blocks[0].kind == "title" and a.text[:len(a.title)] == a.title
        expected = "\n\n".join(a.text[b.start:b.end] for b in a.blocks)
        assert expected == a.text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(split_page(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(PIECES, st.sampled_from(["\n", "\n\n", "\n\n\n"])), max_size=30))
def test_page_shaped_text_keeps_offsets_inside_articles(parts: list[tuple[str, str]]) -> None:
    text = "".join(p + sep for p, sep in parts)
    for fmt in ("txt", "md", "html"):
        _check(split_page(text, fmt, "青川高新区光伏产业链加速成形"))


# --- the real pages (read only when the shared corpus is there) --------------------------------

_PUNCT = re.compile(r"[\s\u3000:：,，。、“”\"'‘’「」《》()（）!！?？·\-—]+")


def _same(a: str, b: str) -> bool:
    a, b = _PUNCT.sub("", a), _PUNCT.sub("", b)
    return bool(a) and (a == b or (len(a) >= 6 and (a in b or b in a)))


@pytest.mark.skipif(not (CORPUS.is_dir() and SEEDS.is_file()), reason="shared corpus not present")
def test_real_pages_titles() -> None:
    from parks.parsers.reader import read_source

    expected = [row for row in csv.DictReader(SEEDS.open(encoding="utf-8")) if row["title"]]
    got = {p.name: split_page(read_source(p).text) for p in sorted(CORPUS.glob("*.txt"))}
    found, used = 0, set()
    for row in expected:
        for i, a in enumerate(got.get(row["file"], [])):
            if (row["file"], i) not in used and _same(a.title, row["title"]):
                found += 1
                used.add((row["file"], i))
                break
    spurious = sum(1 for f, arts in got.items() for i, a in enumerate(arts) if a.title and (f, i) not in used)
    assert found / len(expected) >= 0.9
    assert spurious <= 4


# --- huge pages: split a window at a time -----------------------------------------------------

_HUGE_PARKS = ["肇庆高新区", "无锡高新区", "宁波高新区", "潍坊高新区", "长沙高新区", "合肥高新区"]


def _huge_page(n: int) -> str:
    """`n` articles whose paragraphs are all different (no paragraph reads as another's echo)."""
    parts = []
    for k in range(n):
        park = _HUGE_PARKS[k % len(_HUGE_PARKS)]
        parts.append(f"# {park}第{k}号项目签约落地\n\n◎本报记者 王{'一二三四五六七八九十'[k % 10]}\n\n"
                     f"{2000 + k}年，{park}引进第{k}号项目，总投资{k + 11}.5亿元，预计年产值{k * 3 + 7}亿元。"
                     f"项目编号为{k:05d}，占地{k + 40}亩。\n\n"
                     f"该项目第{k}期工程将于{k % 12 + 1}月开工，带动就业{k * 7 + 100}人，"
                     f"编号{k:05d}的配套园区同步建设。\n")
    return "\n\n".join(parts)


def test_a_huge_page_split_in_windows_gives_the_same_articles(monkeypatch) -> None:
    from parks.parsers import splitter

    monkeypatch.setattr(splitter, "WINDOW", 2000)
    text = _huge_page(60)
    whole = split_page(text)
    windowed = list(splitter.iter_articles(text))
    assert len(list(splitter._windows(text))) >= 4
    assert [(a.seq, a.title, a.text, a.byline) for a in windowed] == [(a.seq, a.title, a.text, a.byline) for a in whole]


def test_a_huge_page_without_line_breaks_loses_nothing(monkeypatch) -> None:
    from parks.parsers import splitter

    monkeypatch.setattr(splitter, "WINDOW", 2000)
    text = "".join(f"第{k}句，园区投资{k}亿元。" for k in range(2000))  # one line of 30,000 characters
    windowed = list(splitter.iter_articles(text))
    assert len(windowed) > 5
    assert [a.seq for a in windowed] == list(range(len(windowed)))
    assert "".join(a.text for a in windowed) == text  # every sentence once, cut only between sentences


@given(st.text(alphabet="高新区园。，\n #1２亿元", max_size=400))
@settings(max_examples=200, deadline=None)
def test_windows_cover_the_page_in_order(text: str) -> None:
    from parks.parsers import splitter

    old = splitter.WINDOW
    splitter.WINDOW = 40
    try:
        windows = list(splitter._windows(text))
    finally:
        splitter.WINDOW = old
    assert windows[0][0] == 0 and windows[-1][1] == len(text)
    assert all(a < b for a, b in windows) or text == ""
    assert all(windows[i][1] == windows[i + 1][0] for i in range(len(windows) - 1))
