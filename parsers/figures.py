"""Every figure in an article as a comparable, sourced row (issue 4).

One pass over the article finds the numbers with units (numbers.py); each one becomes a Figure
only when the words of its own clause say what it measures (metrics.py) in a unit that fits.
Precision comes first: a number whose meaning the text does not give (3分钟, 8000余米, 4家公司的老板,
12家国家高新区) is left out rather than guessed; a lone Chinese digit (两个方面, 一家企业) counts only
where the text counts with it (累计拥有绿色工厂九家, 有六家企业入选…, a list after 分别).

For each figure:
- qualifier from the words touching the number (约, 近, 超, 不到, 以上, 左右, 2万多, 50余, 迈过, 迈上);
- basis: a growth or decline (同比增长, 较2010年增长, 新增, 新建, 下降 -> negative), against the year
  before the figure's own (yoy) or a named one (since:YYYY), else the level;
- period: the time phrase of its clause, or one opening its sentence (2020年，… / 今年一季度，…),
  else the year of an earlier sentence of its paragraph (not for what a park has now, nor when the
  sentence dates only a later clause); 今年/去年/上半年 resolved with the publication date and
  marked inferred; start points (从2013年起, 2015年以来) are not periods; 2016年的120家 dates 120 only;
  a past year does not date what follows a condition after it (去年投资…，达产后年产值…); 全年 in a
  plan (力争全年…, 园区明确，全年…) is the publication year, a plan's year lent to no other sentence;
- status: target (到2025年, 力争, 将 + verb, a later year, 会议提出，今年…), forecast (预计, 可望, 投产后), else actual;
  a plan or a condition holds for the rest of its sentence, up to a word of the present (目前);
  the base a plan starts from (将由2022年的650亿元增至…) is actual;
- park: the park named in its clause or sentence (parks.park_at), '' for a city, province or
  the country, else the article's subject park.
Offsets index both `article.text` and `article.norm` (same length); the work is done on `norm`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from .metrics import Choice, Keyword, Taxonomy, choose_metric, taxonomy
from .model import Article, Figure, IndustryMention, ParkMention
from .numbers import Quantity, quantities_in, scan_text
from .units import CHANGE_DIMS, UNITS, counts_as, to_unit

MAX_KEYWORD_DISTANCE = 25
# A figure's words are looked for at most REACH characters before and after it, even in a longer
# clause or sentence: prose puts them far closer (the most on our pages is ~150 characters from the
# start of the sentence), and a list or table that lost its punctuation, thousands of characters
# long, must not be rescanned for each of its numbers.
REACH = 200
MAX_VALUE = Decimal("1e12")  # in canonical units (亿元, MWh, 吨, 家 …)
MIN_AREA_KM2 = Decimal("0.001")  # below 1000 m2 an area is a room or an office, not a park figure

# --- text structure ------------------------------------------------------------------------------
# Patterns that scan whole texts start with a character, a class or branches that each start with
# a character: Python's engine then skips ahead to the next possible start in C. One that starts
# with a repeat (X+), a lookahead or a lookbehind is tried at every position instead, 2 to 4 times
# slower on Chinese text; so X+ is written XX*, and (?<!a)b as b(?<!ab).
SENTENCE_END = re.compile(r"[。!?！？][。!?！？]*[”’」』]?")
LINE_BREAK = re.compile(r"\n\n*")
SEGMENT_END = re.compile(r"[;；]")
CLAUSE_END = re.compile(r",(?<![0-9],)|,(?![0-9]{3}(?![0-9]))|，|:|：|——|……*")
TERMINAL_END = re.compile(r"[。!?！？;；:：”’」』)）…]\s*$")
BOOK_TITLE = re.compile(r"《[^《》\n]{0,80}》")

# --- words touching a number ---------------------------------------------------------------------
QUAL_BEFORE = re.compile(
    r"(?:(?P<approx>大约|约为|约|接近|将近|近|大概|差不多)|(?P<ge>不低于|不少于|至少|最少|迈上|站上|登上|跃上|跨上|迈入|跨入)"
    r"|(?P<le>不超过|不高于|最多|至多)|(?P<lt>不到|不足|低于|少于|未满|不满)"
    r"|(?P<gt>超过|超出|超|逾|突破|多于|高于|迈过|跨过|越过|跨越|冲破|超越))(?:了|达到?|为|是|有)?\s?$"
)
QUAL_AFTER = re.compile(r"\s?(?:(?P<ge>及以上|以上|之上)|(?P<le>以下|以内|之内)"
                        r"|(?P<approx>(?:左右|上下|许)(?=[的,，。;；、:：!?！？)）”\s]|$))|(?P<gt>多|余)(?![种样项年]))")
ORDINAL_BEFORE = re.compile(r"(?:第|前|排名|排名第|位列|位居|居|列|每|TOP|Top|top|No\.?)\s?$")
GROWTH_BEFORE = re.compile(
    r"(?P<yoy>同比|比上年|较上年|比去年|较去年|比上年同期|较上年同期|比去年同期|较去年同期)?"
    r"(?:(?P<up>增长|增加|提高|提升|上升|增|涨|扩大|翻)|(?P<down>下降|降低|减少|回落|下滑|缩减|缩小|减|降))"
    r"(?:了)?(?:约|近|接近|将近|超过?|逾|达|突破|不低于|不少于|至少|不到|不足|不超过|高于|低于)?\s?$"
)
RATE_WORDS = re.compile(r"增速|增幅|增长率|涨幅|降幅|增长速度")
CHANGE_WORDS = re.compile(r"新(?:增|认定|引进|登记|落户|培育|入驻|注册|获批|设立|设|招引|认证|评定|建|落地|上市|入库|备案)"
                          r"|净增|增加|又有|减少")
YOY_WORDS = re.compile(r"同比|比上年|较上年|比去年|较去年|同期")
SINCE_RE = re.compile(r"(?:较|比|相比|相较|与|同)(?:于)?\s?((?:19|20)[0-9]{2})\s?年")
MOM_WORDS = re.compile(r"环比")
LEVEL_SUFFIX = re.compile(r"级|强|型号|号|期|批次|代|线")
# What may stand in a clause before a count whose noun was named in an earlier clause
# (…高新技术企业，在X高新区共有164家): nothing but these.
ELLIPTIC = re.compile(r"国家级|省级|市级|以上|已经|拥有|共计|总数|总量|数量|其中|目前|同期|而|则|只有|仅有|仅为|仅|只|还|"
                      r"力争|争取|确保|突破|实现|迈上|站上|跨过|迈过|"
                      r"约|接近|将近|近|超过|超|逾|不到|不足|[在共有已达到累计总计合计为是的了现这里此\s“”]")
# The first character after a count that is not the noun it counts.
NOT_NOUN = set("的为成入获落签开投竣建达实共累参被在和与及等是均都已将正占左以上下多余次同比较其增减由从提升降、，,。;；:：!?！？)）”’…—-~ \n")

# A count of things that won a label: 3家企业入选绿色工厂 counts green factories.
AWARD = re.compile(r"(?:入选|获评|获批|获得|被认定为|认定为|被评为|评为|列入|纳入|成为)\s?")
# Money that classes things instead of measuring them: 营业收入超过亿元的企业, 亿元以上项目.
MONEY_CLASS = re.compile(r"(?:以上|以下)?的?(?:企业|项目|工业企业|重点项目|大项目|产业项目|产业集群)")
# A value per unit of something (每平方公里产出…, 亩均税收, 人均…): a ratio the taxonomy has no room for.
PER_UNIT = re.compile(r"每(?:平方公里|平方米|亩|公顷|万人|千人|人|户|家|吨|度|千瓦时)|人均|亩均|亩产|地均|户均|单位面积"
                      r"|每个?(?:工作日|天|日|周|星期|月|小时)|日均|周均|月均")  # a day's or a month's rate
RD_WORDS = re.compile(r"研发|R&D|研究与试验发展")
OF_OUTPUT = re.compile(r"生产总值|GDP|营业收入|主营业务收入|销售收入")
TARGET_AFTER = re.compile(r"[^,，。;；!?！？]{0,4}?的?(?:目标|任务)")
OUTPUT_WORDS = re.compile(r"产值|产业|营收|收入|增加值|企业")
CLEAN_WORDS = re.compile(r"清洁能源|可再生能源|绿电|绿色电力|新能源电力|光伏|风电|非化石能源|清洁电力")
# Verbs that make a time phrase the date of an event (2017年落户…) rather than of a figure.
EVENT_VERBS = re.compile(r"落户|成立|创建|创办|获批|开业|揭牌|迁址|注册|挂牌|上市|来到|加入|开园|诞生|问世|升级为|被|投产|开工|竣工|"
                         r"投运|动工|奠基")
EVENT_DATE = re.compile(r"(?=[0-9近日])(?<![0-9年])(?:(?P<m>[0-9]{1,2})月(?:[0-9]{1,2}日|上旬|中旬|下旬|初)|近日|日前)")
MONTH_PERIOD = re.compile(r"[0-9]{4}-([0-9]{2})")
LEARNED = re.compile(r"获悉|了解到|得知|获知")
FIRST_MONTHS = re.compile(r"(?=[今12前])(?:今年|(?P<y>(?:19|20)[0-9]{2})年)?前(?P<n>[0-9]{1,2}|[一二三四五六七八九十]{1,2})个月")

# --- status --------------------------------------------------------------------------------------
# 为企业争取专项资金3600万元: 争取 + funds (with no year in between) is what was obtained.
FUNDS_AHEAD = r"到?[^0-9,，。;；!?！？]{0,8}?(?:资金|补贴|补助|奖补|奖励|债|贷款|支持|额度|授信|经费|基金|政策)"
FORECAST = re.compile(r"预计|预期(?!目标)|可望|有望|估计|预测")
# Each branch starting with a character (see SENTENCE_END): 建成(?:达效|投产|运营)?(?:以)?后|投产(?:…)…
WEAK_FORECAST = re.compile("|".join(f"{done}(?:达效|投产|运营)?(?:以)?后" for done in (
    "建成", "投产", "达产", "投运", "并网", "运营", "完工", "竣工", "落地", "运行", "投用", "启用", "满产")) + "|全部达产|全面投产后|即将")
# 目标 sets a goal when it introduces one (目标是/为, 发展目标：…, 营收目标500亿元, 目标突破…), not when
# the goal is met (完成目标任务, 实现预期目标), names a slogan (“双碳”目标的…) or targets firms (目标企业).
# ($: the figure's own clause is searched up to its number, 营收目标|500亿元.)
GOAL = (r"(?<!完成|实现|达成|达到)(?<!完成全年|完成年度|实现全年|实现年度|完成既定|实现既定)"
        r"(?:预期目标|目标任务|目标(?:是|为|[:：]|(?!企业|客户|群体|人群|市场)"
        r"(?=[^0-9,，。;；!?！？:：]{0,6}?(?:[0-9]|$|达到|突破|超过|增长|提高|提升|下降|降低|控制))))")
TARGET = re.compile(r"(?=[力争确计规拟目预努未将])(?:力争|争取(?!" + FUNDS_AHEAD + r")|确保|计划(?!总?投资)|规划(?!面积|建设)|拟|力求|"
                    + GOAL + r"|"
                    r"努力实现|未来|(?<![即必])将(?:要|会)?(?=[\u4e00-\u9fff])"
                    r"(?!近|其|之|这|该|此|它|他|她|以|军|园区|企业|项目|产业|帮助|服务|惠及|支持|扶持|依托|面向))")

# --- time phrases --------------------------------------------------------------------------------
_MONTH = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
TIME_RE = re.compile(
    r"(?=[截至到在于从自今去前上下明同当本“十第一二三四五六七八九0-9Q年底末全])"  # a cheap first test
    r"(?P<pre>截至|截止到?|到|至|在|于|从|自)? ?"
    r"(?:(?:(?P<year>(?<![0-9])(?:19|20)[0-9]{2})\s?年度?|(?P<rel>今年|去年|前年|上年|明年|同年|当年|本年度|本年)"
    r"|(?P<fyp>“?十(?P<fyn>[一二三四五六])五”?(?:末|期末|时期末|规划末|期间|时期)))(?P<sub1>SUB)?|(?P<sub2>SUB))"
    r"(?P<post>以来|起|开始|前|之前|以前)?".replace(
        "SUB",
        r"第?[一二三四1-4]季度|[上下]半年|前[一二三]季度|Q[1-4]"
        r"|(?:" + _MONTH + r")\s?(?:-|—|~|至|到)\s?(?:" + _MONTH + r")月份?"
        r"|(?:" + _MONTH + r")月份?(?:末|底)?(?![0-9]{0,2}日|[一二三四五六七八九十]{1,3}日|中旬|上旬|下旬|初)"
        r"|年底|年末|底|末|全年",
    )
)
COMPARE_BEFORE = re.compile(r"(?:较|比|相比|相较|较于|与|同)\s?$")
SUB_QUARTER = re.compile(r"第?([一二三四1-4])季度|Q([1-4])")
SUB_FIRST_QUARTERS = re.compile(r"前([一二三])季度")
SUB_MONTHS = re.compile(r"(" + _MONTH + r")\s?(?:-|—|~|至|到)\s?(" + _MONTH + r")月")
SUB_MONTH = re.compile(r"(" + _MONTH + r")月")
CN_SMALL_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                "十一": 11, "十二": 12}
PLAN_BEFORE = re.compile(r"(?:力争|争取|确保|预计|实现|完成)\s?$")
YEAR_ONLY = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s?年")
# Metrics that describe what a park is or has built, not a flow of a period: they take a period
# only from their own sentence.
STATIC_METRICS = frozenset({"area", "land", "product_output", "battery_capacity", "pv_capacity"})
# Levels of what a park has rather than what it did in a period.
STOCK_METRICS = frozenset({"enterprises", "hightech_enterprises", "above_scale_enterprises", "listed_companies",
                           "little_giants", "carbon_neutral_enterprises", "green_certified", "rd_platforms",
                           "incubators", "talent", "employees", "pv_capacity", "patents"})
EVERY_YEAR = re.compile(r"每年|年均|平均每年|每一年")


@dataclass(slots=True)
class _Time:
    start: int
    end: int
    year: int | None
    period: str
    inferred: bool
    wide: bool  # opens its clause (or is 在/截至 …): holds for the rest of the sentence
    target: bool
    start_point: bool
    narrow: bool = False  # 2016年的120家: the period of the number right after it only

    def __init__(self, start: int, end: int, year: int | None, period: str, inferred: bool, wide: bool, target: bool,
                 start_point: bool, narrow: bool = False) -> None:
        self.start = start  # written out to be compiled: see parsers/compiled.py
        self.end = end
        self.year = year
        self.period = period
        self.inferred = inferred
        self.wide = wide
        self.target = target
        self.start_point = start_point
        self.narrow = narrow


@dataclass(slots=True)
class _Text:
    """The article's structure, computed once: sentences, clauses, words, time phrases."""

    norm: str
    text: str
    sent_bounds: list[tuple[int, int]] = field(default_factory=list)
    seg_bounds: list[tuple[int, int]] = field(default_factory=list)
    clause_bounds: list[tuple[int, int]] = field(default_factory=list)
    para_bounds: list[tuple[int, int]] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    kw_starts: list[int] = field(default_factory=list)
    times: list[_Time] = field(default_factory=list)
    time_starts: list[int] = field(default_factory=list)
    book_titles: list[tuple[int, int]] = field(default_factory=list)
    industries: list[IndustryMention] = field(default_factory=list)
    industry_starts: list[int] = field(default_factory=list)
    # quantities[run_start[i]:run_end[i] + 1] is the list of numbers (3家、5家和7家) i stands in
    q_starts: list[int] = field(default_factory=list)
    run_start: list[int] = field(default_factory=list)
    run_end: list[int] = field(default_factory=list)
    # for each time phrase, the index of the last one up to it that can lend its year (or -1)
    last_lender: list[int] = field(default_factory=list)
    year_ends: list[int] | None = None  # where each YEAR_ONLY match ends (found when first needed)
    years: list[re.Match[str]] = field(default_factory=list)
    intros: dict[int, _Time | None] = field(default_factory=dict)

    def unit(self, bounds: list[tuple[int, int]], offset: int) -> tuple[int, int]:
        i = bisect_right(bounds, (offset, len(self.norm) + 1)) - 1
        if i >= 0 and bounds[i][0] <= offset < bounds[i][1]:
            return bounds[i]
        return (offset, offset)

    def sentence(self, offset: int) -> tuple[int, int]:
        return self.unit(self.sent_bounds, offset)

    def segment(self, offset: int) -> tuple[int, int]:
        return self.unit(self.seg_bounds, offset)

    def clause(self, offset: int) -> tuple[int, int]:
        return self.unit(self.clause_bounds, offset)

    def paragraph(self, offset: int) -> tuple[int, int]:
        return self.unit(self.para_bounds, offset)

    def near(self, bounds: tuple[int, int], q: Quantity) -> tuple[int, int]:
        """The part of a clause or sentence within REACH of the number."""
        return max(bounds[0], q.start - REACH), min(bounds[1], q.end + REACH)

    def words(self, start: int, end: int) -> list[Keyword]:
        i = bisect_left(self.kw_starts, start)
        out = []
        while i < len(self.keywords) and self.keywords[i].start < end:
            if self.keywords[i].end <= end:
                out.append(self.keywords[i])
            i += 1
        return out


@dataclass(slots=True)
class _Draft:
    q: Quantity
    figure: Figure
    sentence: tuple[int, int]
    in_body: bool

    def __init__(self, q: Quantity, figure: Figure, sentence: tuple[int, int], in_body: bool) -> None:
        self.q = q  # written out to be compiled: see parsers/compiled.py
        self.figure = figure
        self.sentence = sentence
        self.in_body = in_body


def extract_figures(article: Article, mentions: list[ParkMention], subject: str, pub_date: date | None,
                    date_inferred: bool = False, industries: list[IndustryMention] | None = None) -> list[Figure]:
    """The figures of one article, in text order, a repeated figure (pull-quote, title) once.

    `date_inferred` says the publication date was itself guessed; periods resolved from it
    (今年, 一季度) are marked `period_inferred` in any case. `industries` are the article's industry
    mentions when the caller has them (found here otherwise), for the figures' industry labels.
    """
    norm = article.norm if len(article.norm) == len(article.text) else article.text
    if not norm or not any(ch.isdigit() or ch in "一二两三四五六七八九十百千万亿" for ch in norm):
        return []
    scan = scan_text(norm, article.text)
    quantities = quantities_in(scan)
    if not quantities:
        return []
    tax = taxonomy()
    t = _structure(norm, article.text, mentions, pub_date, scan, industries, quantities)
    drafts: list[_Draft] = []
    by_sentence: dict[tuple[int, int], list[_Draft]] = {}
    for i, q in enumerate(quantities):
        prev_end = quantities[i - 1].end if i else -1
        next_start = quantities[i + 1].start if i + 1 < len(quantities) else len(norm)
        draft = _draft(t, tax, q, prev_end, next_start, quantities, i, by_sentence, pub_date, article, drafts)
        if draft is not None:
            drafts.append(draft)
            by_sentence.setdefault(draft.sentence, []).append(draft)
    _assign_parks(norm, drafts, mentions, subject)
    return _dedupe(drafts)


# --- structure -----------------------------------------------------------------------------------

def _structure(norm: str, text: str, mentions: list[ParkMention], pub_date: date | None, scan: str,
               industries: list[IndustryMention] | None, quantities: list[Quantity]) -> _Text:
    """`scan` is `norm` with the Chinese comma kept (numbers.scan_text), so that a ',' left in it
    is ASCII: a thousands separator between digits, a clause break elsewhere. Metric words are
    looked for only in sentences with numbers, time phrases only in paragraphs with numbers and
    the paragraph before each (a list's introduction)."""
    t = _Text(norm=norm, text=text)
    n = len(norm)
    hard_breaks = [m.span() for m in LINE_BREAK.finditer(scan) if not _soft_break(norm, *m.span())]
    sent_cuts = sorted([m.span() for m in SENTENCE_END.finditer(scan)] + hard_breaks)
    seg_cuts = sorted(sent_cuts + [m.span() for m in SEGMENT_END.finditer(scan)])
    clause_cuts = sorted(seg_cuts + [m.span() for m in CLAUSE_END.finditer(scan)])
    t.sent_bounds = _between(sent_cuts, n)
    t.seg_bounds = _between(seg_cuts, n)
    t.clause_bounds = _between(clause_cuts, n)
    t.para_bounds = _between(hard_breaks, n)
    tax = taxonomy()
    for a, b in _merged(t.sentence(q.start) for q in quantities):
        t.keywords.extend(k if a == 0 else Keyword(k.start + a, k.end + a, k.surface, k.metrics, k.weight)
                          for k in tax.scan(norm[a:b]))
    t.kw_starts = [k.start for k in t.keywords]
    t.book_titles = [m.span() for m in BOOK_TITLE.finditer(norm)] if "《" in norm else []
    paragraphs = sorted({i for q in quantities for i in _para_index(t, q.start)})
    spans = _merged(t.para_bounds[i] for i in paragraphs) if t.para_bounds else [(0, n)]
    t.times = _times(t, pub_date, spans)
    t.time_starts = [tm.start for tm in t.times]
    t.last_lender = _last_lenders(t.times)
    _runs(t, quantities)
    if industries is None:
        try:
            from .industries import find_industries

            industries = find_industries(norm, mentions)
        except Exception:  # noqa: BLE001 - the industry label is a nicety; never lose figures over it
            industries = []
    t.industries = sorted(industries, key=lambda m: m.start)
    t.industry_starts = [m.start for m in t.industries]
    return t


def _runs(t: _Text, quantities: list[Quantity]) -> None:
    """The lists of numbers (3家、5家和7家): numbers joined by ENUM_GAP, found once for the article."""
    n = len(quantities)
    joined = [ENUM_GAP.fullmatch(t.norm, quantities[i].end, quantities[i + 1].start) is not None
              for i in range(n - 1)]
    t.q_starts = [q.start for q in quantities]
    t.run_start = [0] * n
    t.run_end = [n - 1] * n
    for i in range(1, n):
        t.run_start[i] = t.run_start[i - 1] if joined[i - 1] else i
    for i in range(n - 2, -1, -1):
        t.run_end[i] = t.run_end[i + 1] if joined[i] else i


def _last_lenders(times: list[_Time]) -> list[int]:
    """For each time phrase, the last one up to it that may lend its year to a later sentence."""
    out = []
    last = -1
    for i, tm in enumerate(times):
        if tm.wide and not tm.start_point and tm.year:
            last = i
        out.append(last)
    return out


def _para_index(t: _Text, offset: int) -> tuple[int, ...]:
    """The index of the paragraph holding offset, and of the one before it."""
    i = bisect_right(t.para_bounds, (offset, len(t.norm) + 1)) - 1
    return (i - 1, i) if i > 0 else (max(i, 0),)


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(spans)):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _soft_break(norm: str, s: int, e: int) -> bool:
    """A line break inside a sentence (a page or column break): the line before is long and does
    not end a sentence, the line after goes on with text."""
    line_start = norm.rfind("\n", 0, s) + 1
    before = norm[line_start:s]
    after = norm[e:e + 1]
    return (len(before.strip()) >= 30 and not TERMINAL_END.search(before)
            and bool(after) and (after.isdigit() or "\u4e00" <= after <= "\u9fff"))


def _between(cuts: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """The stretches between separators (separators sorted, possibly touching)."""
    out = []
    pos = 0
    for s, e in cuts:
        if s > pos:
            out.append((pos, s))
        if e > pos:
            pos = e
    if pos < n:
        out.append((pos, n))
    return out


# --- time phrases --------------------------------------------------------------------------------

def _times(t: _Text, pub: date | None, spans: list[tuple[int, int]]) -> list[_Time]:
    out = []
    for m in (m for a, b in spans for m in TIME_RE.finditer(t.norm, a, b)):
        if not (m.group("year") or m.group("rel") or m.group("fyp") or m.group("sub2")):
            continue
        if _inside(t.book_titles, m.start()) or COMPARE_BEFORE.search(t.norm, max(0, m.start() - 3), m.start()):
            continue  # 较2010年增长: the base of a comparison, not the figure's period
        tm = _time(t, m, pub)
        if tm is not None:
            out.append(tm)
    if pub is not None:
        out.extend(_event_dates(t, pub, spans))
        out.extend(_first_months(t, pub, spans))
    out.sort(key=lambda tm: tm.start)
    _relative_periods(t, out)
    return _whole_years(t, out)


def _whole_years(t: _Text, times: list[_Time]) -> list[_Time]:
    """全年 alone is the whole of the year its paragraph spoke of last (2023年，园区…。全年新增…);
    with no year before it in the paragraph it names none (a report of 全年 in a January page)."""
    out = []
    last: _Time | None = None  # the last phrase that names a year (not a start point)
    for tm in times:
        if tm.year is None:
            if last is None or last.start < t.paragraph(tm.start)[0]:
                continue
            tm.year, tm.period, tm.inferred, tm.target = last.year, str(last.year), last.inferred, last.target
        if not tm.start_point:
            last = tm
        out.append(tm)
    return out


def _relative_periods(t: _Text, times: list[_Time]) -> None:
    """今年上半年…，去年同期…: 去年同期 is the earlier phrase's part of the year, a year before.
    截至7月末，…今年以来…: this year to the end of July."""
    for i, tm in enumerate(times):
        if i and t.norm.startswith("今年以来", tm.start) and tm.period == str(tm.year):
            prev = times[i - 1]
            m = MONTH_PERIOD.fullmatch(prev.period)
            if m and prev.year == tm.year and prev.start >= t.sentence(tm.start)[0] \
                    and t.norm.startswith(("截至", "截止"), prev.start) and m.group(1) != "01":
                tm.period = f"{tm.year}-01..{m.group(1)}"
            continue
        if i == 0 or not t.norm.startswith("同期", tm.end) or tm.period != str(tm.year):
            continue
        p0, _ = t.paragraph(tm.start)
        prev = times[i - 1]
        if prev.start >= p0 and prev.year is not None and prev.period[4:] and not prev.start_point:
            tm.period = f"{tm.year}{prev.period[4:]}"


def _event_dates(t: _Text, pub: date, spans: list[tuple[int, int]]) -> list[_Time]:
    """5月23日，… / 4月中旬… / 近日…: an event of the publication year (of the year before when
    the month is later than the publication's)."""
    out = []
    for m in (m for a, b in spans for m in EVENT_DATE.finditer(t.norm, a, b)):
        if LEARNED.search(t.norm, m.end(), min(t.clause(m.start())[1], m.end() + REACH)):
            continue  # 记者日前从园区获悉: when the news was told, not what its figures cover
        year = pub.year
        if m.group("m") and int(m.group("m")) > pub.month:
            year -= 1
        out.append(_Time(m.start(), m.end(), year, str(year), True, True, False, False))
    return out


def _first_months(t: _Text, pub: date, spans: list[tuple[int, int]]) -> list[_Time]:
    """今年前5个月 -> YYYY-01..05."""
    out = []
    for m in (m for a, b in spans for m in FIRST_MONTHS.finditer(t.norm, a, b)):
        n = _small(m.group("n"))
        if not 1 < n <= 12:
            continue
        year = int(m.group("y")) if m.group("y") else pub.year
        out.append(_Time(m.start(), m.end(), year, f"{year}-01..{n:02d}", not m.group("y"), True, False, False))
    return out


def _time(t: _Text, m: re.Match[str], pub: date | None) -> _Time | None:
    pre, post = m.group("pre") or "", m.group("post") or ""
    sub = m.group("sub1") or m.group("sub2") or ""
    inferred = False
    year: int | None = None
    if m.group("year"):
        year = int(m.group("year"))
    elif m.group("rel") in ("同年", "当年"):
        year = _previous_year(t, m.start())  # the year the text spoke of just before
        if year is None:
            return None
    elif m.group("rel"):
        if pub is None:
            return None
        year = pub.year + {"去年": -1, "上年": -1, "前年": -2, "明年": 1}.get(m.group("rel"), 0)
        inferred = True
    elif m.group("fyp"):
        year = 2010 + 5 * "一二三四五六".index(m.group("fyn"))  # the last year of 十X五: 十四五 -> 2025
    # 今年以来 is this year to date; 2015年以来, 从2013年起 are where a count started
    start_point = (pre in ("从", "自") or post in ("以来", "起", "开始")) and not (
        m.group("rel") == "今年" and post == "以来" and not sub)
    if m.group("sub2"):
        # a bare sub-period (一季度, 1-7月, 上半年): only with the publication year, and a month
        # alone only when it is a period (截至7月末, 7月份), not a date (3月底，…传来喜讯)
        if sub == "全年" and pub is not None and _plans_this_year(t, m.start()):
            return _Time(m.start(), m.end(), pub.year, str(pub.year), True, True, True, False)  # 力争全年…
        if sub == "全年":  # the year its paragraph spoke of last, found by _whole_years
            return _Time(m.start(), m.end(), None, "", False, _wide(t, m, pre), False, False)
        if sub in ("年底", "年末", "底", "末"):
            return None
        if SUB_MONTH.fullmatch(sub.rstrip("份末底")) and not (pre in ("截至", "截止", "截止到") or "份" in sub):
            return None
        if pub is None:
            return None
        year, inferred = pub.year, True
        first = _first_month(sub)
        if first and first > pub.month:
            year -= 1
    if year is None:
        return None
    period = _period(year, sub)
    if period is None:
        return None
    future = pub is not None and year > pub.year or (pub is None and pre in ("到", "至"))
    target = future  # a year after the publication's is a plan (2024年，园区还将新建…)
    if m.group("rel") == "明年":
        target = True
    if OF_NUMBER.match(t.norm, m.end()):  # 由2016年的120家增至205家: 2016 dates the 120 only
        return _Time(m.start(), m.end(), year, period, inferred, False, target, False, True)
    return _Time(m.start(), m.end(), year, period, inferred, _wide(t, m, pre), target, start_point)


NARROW_REACH = 2
OF_NUMBER = re.compile(r"的\s?(?:约|近|超过?|逾)?[0-9零〇一二两三四五六七八九十百千]")


def _plans_this_year(t: _Text, offset: int) -> bool:
    """全年 of a plan is the publication year's: right after 力争/确保/完成…, or in a sentence that
    plans (园区明确，全年… / 园区将…，全年…) and names no year of its own before it."""
    if PLAN_BEFORE.search(t.norm, max(0, offset - 3), offset):
        return True
    s0 = max(t.sentence(offset)[0], offset - REACH)
    if YEAR_NAMED.search(t.norm, s0, offset):
        return False  # 到2025年，…全年…: the plan's own year, carried from its phrase
    return bool(PLAN_VERBS.search(t.norm, s0, offset) or TARGET.search(t.norm, s0, offset))


YEAR_NAMED = re.compile(r"(?:19|20)[0-9]{2}\s?年|今年|明年|去年|本年|当年|同年|十[一二三四五六]五")
PLAN_VERBS = re.compile(r"(?:提出|要求|明确|部署|确定)了?[,，:：]")


def _previous_year(t: _Text, offset: int) -> int | None:
    """The year the text spoke of last (同年, 当年), not a base of comparison or a start point."""
    if t.year_ends is None:  # found once: an article may say 同年 many times
        t.years = list(YEAR_ONLY.finditer(t.norm))
        t.year_ends = [m.end() for m in t.years]
    for i in range(bisect_right(t.year_ends, offset) - 1, -1, -1):
        m = t.years[i]
        if COMPARE_BEFORE.search(t.norm, max(0, m.start() - 3), m.start()):
            continue
        if t.norm.startswith(("以来", "起", "开始"), m.end()) or t.norm[max(0, m.start() - 1):m.start()] in ("从", "自"):
            continue
        return int(m.group(1))
    return None


def _wide(t: _Text, m: re.Match[str], pre: str) -> bool:
    """Whether a time phrase holds for the rest of its sentence: one that opens its clause or
    follows the clause's subject (园区去年新增…), unless it dates an event (2017年，…落户…)."""
    if pre in ("在", "截至", "截止", "截止到", "到", "至"):
        return True
    c0, c1 = t.clause(m.start())
    lead = t.norm[max(c0, m.start() - REACH):m.start()].strip(" “”\"'")
    if not lead:
        rest = min(c1, m.end() + REACH)
        if t.norm[m.end():rest].strip():
            return not (m.group("year") and _event_verb(t, m.end(), rest))
        _, c2 = t.clause(min(len(t.norm) - 1, c1 + 1))  # 2017年，…基地落户…: the clause it opens
        return not (m.group("year") and _event_verb(t, c1, min(c2, c1 + REACH)))
    return not EVENT_VERBS.match(t.norm, m.end() + (1 if t.norm[m.end():m.end() + 1] in "才就便已" else 0))


def _event_verb(t: _Text, start: int, end: int) -> bool:
    """An event's verb between start and end, not inside a metric word (上市 of 上市企业)."""
    for m in EVENT_VERBS.finditer(t.norm, start, end):
        i = bisect_right(t.kw_starts, m.start()) - 1
        if not (i >= 0 and t.keywords[i].end > m.start()):
            return True
    return False


def _first_month(sub: str) -> int:
    if m := SUB_QUARTER.match(sub):
        return (_small(m.group(1) or m.group(2)) - 1) * 3 + 1
    if sub.startswith("下半年"):
        return 7
    if sub.startswith("上半年") or SUB_FIRST_QUARTERS.match(sub):
        return 1
    if m := SUB_MONTHS.match(sub):
        return _small(m.group(1))
    if m := SUB_MONTH.match(sub):
        return _small(m.group(1))
    return 0


def _small(s: str) -> int:
    return int(s) if s.isdigit() else CN_SMALL_NUM.get(s, 0)


def _period(year: int, sub: str) -> str | None:
    if not sub or sub in ("年底", "年末", "底", "末", "全年"):
        return str(year)
    if m := SUB_QUARTER.match(sub):
        q = _small(m.group(1) or m.group(2))
        return f"{year}Q{q}" if 1 <= q <= 4 else None
    if sub.startswith("上半年"):
        return f"{year}H1"
    if sub.startswith("下半年"):
        return f"{year}H2"
    if m := SUB_FIRST_QUARTERS.match(sub):
        return f"{year}-01..{3 * _small(m.group(1)):02d}"
    if m := SUB_MONTHS.match(sub):
        a, b = _small(m.group(1)), _small(m.group(2))
        return f"{year}-{a:02d}..{b:02d}" if 1 <= a < b <= 12 else None
    if m := SUB_MONTH.match(sub):
        a = _small(m.group(1))
        return f"{year}-{a:02d}" if 1 <= a <= 12 else None
    return str(year)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether offset is inside one of spans (sorted, not overlapping)."""
    i = bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


# --- one figure ----------------------------------------------------------------------------------

def _draft(t: _Text, tax: Taxonomy, q: Quantity, prev_end: int, next_start: int, quantities: list[Quantity],
           index: int, by_sentence: dict[tuple[int, int], list[_Draft]], pub: date | None,
           article: Article, drafts: list[_Draft]) -> _Draft | None:
    norm = t.norm
    if q.bare_digit and (q.unit.dim != "count" or norm[q.start] == "一"):
        return None  # 一家企业 (a company), 三倍: prose, not a figure to compare
    if q.vague in ("数", "几") or _inside(t.book_titles, q.start) or not _is_figure(norm, q):
        return None  # 数百家: prose, not a figure to compare
    c0, c1 = t.near(t.clause(q.start), q)
    lo, hi = _run(t, index, c0)
    sentence = t.sentence(q.start)
    s0, s1 = t.near(sentence, q)
    g0 = max(t.segment(q.start)[0], s0)
    earlier = by_sentence.get(sentence, [])
    q = _per_10k_yuan(norm, q, c0)
    qual, after_end = _qualifier(norm, q, c0, c1)
    dim = q.unit.dim
    growth = _growth(norm, quantities, index, c0)
    before_text = norm[c0:q.start]
    rate = bool(RATE_WORDS.search(before_text)) and dim in CHANGE_DIMS
    win_start = max(c0, prev_end)
    before_kw = [k for k in t.words(win_start, q.start) if q.start - k.end <= MAX_KEYWORD_DISTANCE]
    after_stop = min(c1, next_start)
    after_kw = [k for k in t.words(after_end, after_stop) if k.start - after_end <= MAX_KEYWORD_DISTANCE]
    if q.bare_digit and not _counted_digit(t, tax, q, c0, after_end, after_stop, quantities, lo, hi):
        return None  # 两个方面, 有两家企业负责人…: prose, not a figure to compare
    changed = _change_word(norm, before_kw, win_start, q.start, dim, s0) if dim not in CHANGE_DIMS else ""
    if not changed and lo < index and dim not in CHANGE_DIMS:
        # 分别新增企业3家、5家: the verb before a list's first number holds for the rest of it
        w0 = max(c0, quantities[lo - 1].end if lo else 0)
        changed = _change_word(norm, t.words(w0, quantities[lo].start), w0, quantities[lo].start, dim, s0)
    change = bool(growth) or rate or bool(changed)

    if dim == "money" and MONEY_CLASS.match(norm, after_end):
        return None
    if PER_UNIT.search(norm, c0, q.start) and not (q.unit.surface == "%" and change):
        return None
    choice, industry = _enumerated(t, tax, quantities, index, lo, hi, c0, dim, change, earlier)
    if choice is None:
        choice = _awarded(t, tax, norm, after_end, after_stop, dim, q.unit.surface if dim == "count" else "")
    noun_end = _counted_noun(norm, after_end, after_stop) if dim == "count" else None
    if noun_end is not None:
        # the thing counted is named right after the number: it must be a metric's word
        after_kw = [k for k in after_kw if k.start < noun_end]
        if choice is None and not any(tax.fits(mid, dim, False) for k in after_kw for mid in k.metrics):
            return None
    if choice is None:
        choice = choose_metric(before_kw, after_kw, q.start, after_end, dim, change, tax,
                               q.unit.surface if dim == "count" else "")
    if choice is None:
        unit_metric = tax.unit_metric(q.unit.surface, dim)
        if unit_metric:
            choice = Choice(unit_metric, None, 0)
    if choice is None:
        choice, industry = _referred(t, tax, q, c0, dim, change, drafts, industry)
    if choice is None:
        choice = _split_word(t, tax, q, c0, s0, dim, change)
    if choice is None:
        choice = _inherited(t, tax, q, c0, s0, dim, change, earlier, prev_end, after_end, after_stop)
    if choice is None:
        return None
    if choice.metric == "enterprises":
        choice = _kind_of_enterprise(t, tax, choice, q, s0, dim)
    metric = _refine(t, tax, choice, q, c0, g0, s0, dim)
    if dim == "count" and not counts_as(q.unit.surface, tax.metrics[metric].unit):
        return None  # 人才公寓3000套: flats, not talent

    value, value_max = q.value, q.value_max
    if dim == "area" and value * q.unit.factor < MIN_AREA_KM2:
        return None
    basis = _basis(norm, q, dim, growth, rate, changed, c0, g0, s0)
    if growth is not None and growth.group("down") or changed in ("减少",):
        value = -value
        if value_max is not None:
            value_max = -value_max
    stock = metric in STOCK_METRICS and basis == "level" and bool(HAS_NOW.search(norm, s0, q.start))
    time, period_inferred = _period_for(t, q.start, c0, s0, s1, pub, metric, stock)
    status = _status(norm, q, c0, s0, time, time is not None and time.start >= c0 and not time.target)
    if status == "actual" and TARGET_AFTER.match(norm, after_end, c1):
        status = "target"  # 实现营业收入增长15%的目标
    if period_inferred and status != "actual":
        time, period_inferred = None, None  # a plan's year is its own, not the paragraph's
    period = time.period if time else ""
    if time and time.year and period_inferred is None:
        period_inferred = time.inferred
    if basis == "level" and dim not in CHANGE_DIMS:
        basis = _part_basis(t, q, s0, dim, earlier)
    if basis == "yoy_default":
        basis = "yoy" if period else "change"
    if time and time.year and basis == f"since:{time.year - 1}":
        basis = "yoy"  # 2023年…比2022年增长15.6%: against the year before is year on year
    canonical = tax.metrics[metric].unit
    value_c, unit = to_unit(value, q.unit, canonical)
    value_max_c = to_unit(value_max, q.unit, canonical)[0] if value_max is not None else None
    if abs(value_c) >= MAX_VALUE or (value_max_c is not None and abs(value_max_c) >= MAX_VALUE):
        return None  # a code or an ID with a unit after it, no amount any park reports
    if not industry:
        industry = _industry_for(t, q, c0, after_end, after_stop)
    fig = Figure(
        metric=metric, value=float(value_c), unit=unit, start=q.start, end=q.end,
        quote=_quote(t, *sentence, c0, c1), value_max=float(value_max_c) if value_max_c is not None else None,
        qualifier=qual, period=period, period_inferred=bool(period_inferred), basis=basis, status=status,
        industry=industry, number_text=article.text[q.start:q.end],
    )
    return _Draft(q, fig, sentence, in_body=sentence[0] >= article.body_start if article.blocks else True)


def _part_basis(t: _Text, q: Quantity, s0: int, dim: str, earlier: list[_Draft]) -> str:
    """新引进人才1.2万人，其中博士350名: a part (其中) of a change is a change; the total is the
    figure right before 其中, in the same dimension."""
    k = t.norm.rfind("其中", s0, q.start)
    if k < 0 or not earlier:
        return "level"
    total = earlier[-1]
    if total.q.end > k or k - total.q.end > PART_GAP or total.q.unit.dim != dim:
        return "level"
    return total.figure.basis if total.figure.basis == "change" or total.figure.basis.startswith("since:") else "level"


PART_GAP = 4  # 3600人以上，其中


def _per_10k_yuan(norm: str, q: Quantity, c0: int) -> Quantity:
    """万元GDP能耗0.36吨标准煤: tonnes of coal per 10,000 yuan written before the number."""
    per = COAL_PER_10K.get(q.unit.surface)
    if per is None or not PER_10K_YUAN.search(norm, c0, q.start):
        return q
    return replace(q, unit=UNITS[per])


COAL_PER_10K = {"吨标准煤": "吨标准煤/万元", "吨标煤": "吨标煤/万元", "千克标准煤": "千克标准煤/万元",
                "公斤标准煤": "公斤标准煤/万元", "tce": "tce/万元"}
PER_10K_YUAN = re.compile(r"(?:每|单位)?万元[\u4e00-\u9fffA-Z]{0,8}?(?:能耗|能源消耗|耗能)")


def _growth(norm: str, quantities: list[Quantity], index: int, c0: int) -> re.Match[str] | None:
    """增长12% (and the rest of a list 分别增长12%、8%: the verb before its first number)."""
    while True:
        q = quantities[index]
        m = GROWTH_BEFORE.search(norm, max(c0, q.start - 10), q.start)
        if m is not None or index == 0 or quantities[index - 1].start < c0:
            return m
        if not ENUM_GAP.fullmatch(norm, quantities[index - 1].end, q.start):
            return None
        index -= 1


def _awarded(t: _Text, tax: Taxonomy, norm: str, after_end: int, stop: int, dim: str,
             classifier: str) -> Choice | None:
    """3家企业入选绿色工厂: the label the things won is what they count."""
    m = AWARD.search(norm, after_end, min(stop, after_end + 10))
    if m is None:
        return None
    words = [k for k in t.words(m.end(), stop) if k.start - m.end() <= 8]
    return choose_metric([], words, m.end(), m.end(), dim, False, tax, classifier)


def _kind_of_enterprise(t: _Text, tax: Taxonomy, choice: Choice, q: Quantity, s0: int, dim: str) -> Choice:
    """What kind of enterprise a count of 企业 counts, when the text says: a label right before the
    word (国家级绿色供应链管理企业3家), or the list they made (在“小巨人”名单中，园区6家企业上榜)."""
    kw = choice.keyword
    if kw is not None:
        label = _last_word(t, max(s0, kw.start - 12), kw.start)
        if label is not None and LABEL_GAP.fullmatch(t.norm, label.end, kw.start):
            kind = _enterprise_kind(tax, label, dim)
            if kind:
                return Choice(kind, label, choice.distance)
    lists = list(LIST_WORD.finditer(t.norm, s0, q.start))
    if lists:
        at = lists[-1].start()
        label = _last_word(t, max(s0, at - 12), at)
        if label is not None and at - label.end <= 2:
            kind = _enterprise_kind(tax, label, dim)
            if kind:
                return Choice(kind, label, choice.distance)
    return choice


def _last_word(t: _Text, start: int, end: int) -> Keyword | None:
    words = t.words(start, end)
    return words[-1] if words else None


def _enterprise_kind(tax: Taxonomy, w: Keyword, dim: str) -> str:
    return next((m for m in w.metrics if tax.metrics[m].unit == "家" and m != "enterprises"
                 and tax.fits(m, dim, False)), "")


LABEL_GAP = re.compile(r"(?:管理|示范|标杆|认定|培育|试点|[”\"])?")
LIST_WORD = re.compile(r"名单|榜单|名录")


def _refine(t: _Text, tax: Taxonomy, choice: Choice, q: Quantity, c0: int, g0: int, s0: int, dim: str) -> str:
    """A more specific metric than the word alone says: 稀土工业总产值 is one industry's output,
    a share of 清洁能源 is the clean-energy share, a capacity in GWh a battery capacity."""
    metric = choice.metric
    if choice.keyword is not None and metric == "industrial_output" and _industry_before(t, choice.keyword):
        return "industry_output"
    if metric == "industry_share" and RD_WORDS.search(t.norm, g0, q.start) \
            and OF_OUTPUT.search(t.norm, c0, q.start):
        return "rd_intensity"  # 研发经费…占地区生产总值的比重
    if metric == "industry_share" and not OUTPUT_WORDS.search(t.norm, c0, q.start) \
            and CLEAN_WORDS.search(t.norm, s0, q.start):
        return "clean_energy_share"  # 清洁能源…占比, 光伏发电…在用电量中所占比例
    if metric == "product_output" and dim in ("energy", "power"):
        return tax.unit_metric(q.unit.surface, dim) or metric
    return metric


def _counted_digit(t: _Text, tax: Taxonomy, q: Quantity, c0: int, after_end: int, after_stop: int,
                   quantities: list[Quantity], lo: int, hi: int) -> bool:
    """A lone Chinese digit (六家, 两个) is prose unless the text counts with it: after the noun it
    counts (累计拥有绿色工厂九家), after 有/累计/新增 … before a metric's noun that ends there
    (有六家企业入选…, not 有两家企业负责人…), or in a list after 分别. (A lone 一 is an article,
    一家企业 = a company, never a count: _draft has left it out.)"""
    norm = t.norm
    if hi > lo and norm.rfind("分别", c0, quantities[lo].start) >= 0:
        return True
    noun_end = _counted_noun(norm, after_end, after_stop)
    if noun_end is None:
        words = t.words(c0, q.start)
        if words and COUNT_GAP.fullmatch(norm, words[-1].end, q.start) and _fits_count(tax, words[-1]):
            return True
    if not COUNT_VERB.search(norm, max(c0, q.start - 4), q.start):
        return False
    if noun_end is None:  # 有三家上市公司: a noun whose first character is no noun's (上)
        m = NOUN_END.search(norm, after_end + 1, after_stop)
        noun_end = m.start() if m else after_stop
    return any(k.end == noun_end and _fits_count(tax, k) for k in t.words(after_end, noun_end))


def _fits_count(tax: Taxonomy, kw: Keyword) -> bool:
    return any(tax.fits(mid, "count", False) for mid in kw.metrics)


# What may stand between a noun and the lone digit that counts it (绿色工厂九家, 企业共有五家).
COUNT_GAP = re.compile(r"(?:累计|共计|合计|总计|总数|数量|达到|增至|增加到|增加至|增长到|增长至|超过|[达为有共已约近超逾]|\s)*")
# A verb that counts with the lone digit after it (有六家企业…, 新增三家…); not 没有, and not a verb
# of doing (引进两个项目 is prose).
COUNT_VERB = re.compile(r"(?:(?<!没)有|累计|共|新增|净增|新认定)\s?$")


def _is_figure(norm: str, q: Quantity) -> bool:
    """Ordinals and ranks (第七, 前30户), class labels (千亿元级, 500强), prices (3万元/亩)."""
    if ORDINAL_BEFORE.search(norm, max(0, q.start - 4), q.start):
        return False
    nxt = norm[q.end:q.end + 2]
    return not (nxt[:1] == "/" or LEVEL_SUFFIX.match(nxt))


def _qualifier(norm: str, q: Quantity, c0: int, c1: int) -> tuple[str, int]:
    """The qualifier and where the words after the number start (after 以上/左右)."""
    qual = ""
    m = QUAL_BEFORE.search(norm, max(c0, q.start - 6), q.start)
    if m:
        qual = {"approx": "~", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}[m.lastgroup or "approx"]
    if not qual and q.approx:
        qual = ">"
    after_end = q.end
    a = QUAL_AFTER.match(norm, q.end, c1)
    if a:
        after_end = a.end()
        if not qual:
            qual = {"approx": "~", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}[a.lastgroup or "approx"]
    if not qual and q.vague:
        qual = ">" if q.vague == "上" else "~"
    return qual or "=", after_end


def _change_word(norm: str, before_kw: list[Keyword], start: int, end: int, dim: str, s0: int) -> str:
    """新增/增加/减少 before an amount (not inside a metric word such as 减少碳排放); 新建 before a
    count or an area (新建孵化器6家, not 新建项目总投资…); what a span of years brings in
    (五年内引进培育人才1,000名)."""
    found = ""
    for m in CHANGE_WORDS.finditer(norm, start, end):
        if any(k.start <= m.start() < k.end for k in before_kw):
            continue
        if norm[m.end():m.end() + 1] in ("到", "至"):
            continue  # 增加到200家: a level
        if m.group() in NEW_THINGS and dim not in BUILT_DIMS:
            continue  # 新建项目总投资…: an adjective of the money
        found = "减少" if m.group() == "减少" else "新增"
    if not found and dim == "count" and ACQUIRE.search(norm, start, end) and _span_ahead(norm, s0, end, True):
        found = "新增"
    return found


BUILT_DIMS = frozenset({"count", "area", "land", "power"})
# What is new in the park by being built or landed: a change only of what can be counted or measured
# out. Not 新开工/新签约/新投产: projects started or signed in a period are that period's count of them
# (新签约项目16个 is a level, as 签约项目16个 is), not growth of what the park has.
NEW_THINGS = frozenset({"新建", "新落地", "新上市", "新入库", "新备案"})
ACQUIRE = re.compile(r"引进|培育|引育|招引|招商|集聚|吸引|孵化|培养|新建|建成|建设")
# A span of years over which something is added (五年内, 未来三年, 3年间); not a past one (近五年, 过去五年).
SPAN_END = re.compile(r"年(?:内|间|里)")
NEXT_YEARS = re.compile(r"未来[0-9一二两三四五六七八九十]+年")
YEAR_COUNT_CHARS = frozenset("0123456789一二两三四五六七八九十")


def _span_ahead(norm: str, start: int, end: int, any_span: bool = False) -> bool:
    """A span of years still to come between start and end: 五年内 (with `any_span` also 3年间,
    未来三年), not a past one (近五年内, 过去五年内, 这五年里)."""
    for m in SPAN_END.finditer(norm, start, end):
        if not any_span and m.group() != "年内":
            continue
        k = m.start()
        while k > start and norm[k - 1] in YEAR_COUNT_CHARS:
            k -= 1
        if k < m.start() and norm[k - 1:k] not in ("近", "去", "这"):
            return True
    return any_span and NEXT_YEARS.search(norm, start, end) is not None


NOUN_END = re.compile(r"成为|落户|入选|入驻|获得|获批|参与|参加|走进|签约|实现|完成|的|为|是|在|被|将|已|到|向|对|从|等|由|把|让|"
                      r"[,，。;；:：、!?！？)）…\s]")


def _counted_noun(norm: str, after_end: int, stop: int) -> int | None:
    """When a count is followed by the noun it counts (22个重点项目, 4家公司的), where that noun
    ends; None when the count is followed by a verb, a particle or punctuation (企业28家，…)."""
    lead = len(norm[after_end:stop]) - len(norm[after_end:stop].lstrip())
    start = after_end + lead
    if start >= stop or norm[start] in NOT_NOUN or norm[start].isdigit():
        return None
    m = NOUN_END.search(norm, start + 1, stop)
    return m.start() if m else stop


LABEL_TAIL = re.compile(r"(?:的|产值|总产值|规模|增加值|收入|营收)+$")
LABEL_HEAD = re.compile(r"^(?:其中|全区|该区|园区)")
LINE_JOIN = re.compile(r"\s(?:(?<=\n)\s*|\s*\n\s*)")  # \s*\n\s*, starting with a class (see SENTENCE_END)
ENUM_GAP = re.compile(r"[、,，和及与\s]|以及")
ITEM_SEP = re.compile(r"、|以及|和|及|与")


def _run(t: _Text, index: int, c0: int) -> tuple[int, int]:
    """The first and last index of the list of numbers (3家、5家和7家) the number stands in (its
    start no earlier than c0)."""
    return max(t.run_start[index], bisect_left(t.q_starts, c0)), t.run_end[index]


def _enumerated(t: _Text, tax: Taxonomy, quantities: list[Quantity], index: int, lo: int, hi: int, c0: int,
                dim: str, change: bool, earlier: list[_Draft]) -> tuple[Choice | None, str]:
    """A、B、C … 分别 x、y、z: the i-th number belongs to the i-th item, which is a metric of its own
    (营业收入、税收收入分别增长…) or else an industry of the shared metric; rates with no items
    of their own (产值860亿元、营收1020亿元，分别增长9.1%和7.4%) go to the levels before them;
    分别新增高新技术企业3家和7家: the word between 分别 and the list names all its numbers."""
    norm = t.norm
    n = hi - lo + 1
    k = norm.rfind("分别", c0, quantities[lo].start)
    if n < 2 or k < 0:
        return None, ""
    if dim in CHANGE_DIMS and not t.words(c0, k):
        levels = [d for d in earlier if d.q.end <= c0 and d.q.unit.dim not in CHANGE_DIMS]
        if len(levels) >= n:
            d = levels[len(levels) - n + index - lo]
            if tax.fits(d.figure.metric, dim, change):
                return Choice(d.figure.metric, None, _gap(quantities, index, d)), d.figure.industry
    items = _items(norm, c0, k, n)
    if items:
        own = [choose_metric(t.words(a, b), [], b, b, dim, change, tax) for a, b in items]
        if all(own) and len({c.metric for c in own if c}) == n:
            return own[index - lo], ""
    shared = choose_metric(t.words(c0, k), [], k, k, dim, change, tax)
    if shared is None:
        first = quantities[lo].start
        return choose_metric(t.words(k, first), [], first, first, dim, change, tax), ""
    if shared.keyword is None:
        return shared, ""
    items = _items(norm, c0, shared.keyword.start, n)
    if not items:
        return shared, ""
    a, b = items[index - lo]
    return shared, _strip_label(norm[a:b])


def _gap(quantities: list[Quantity], index: int, d: _Draft) -> int:
    return quantities[index].start - d.q.end


def _items(norm: str, start: int, end: int, n: int) -> list[tuple[int, int]]:
    """The last n items of a list written A、B和C between start and end; [] if there are fewer."""
    items: list[tuple[int, int]] = []
    pos = start
    for m in ITEM_SEP.finditer(norm, start, end):
        items.append((pos, m.start()))
        pos = m.end()
    items.append((pos, end))
    return items[-n:] if len(items) >= n else []


def _strip_label(part: str) -> str:
    part = part.strip(" ,，“”\"")
    part = LABEL_TAIL.sub("", part)
    part = LABEL_HEAD.sub("", part)
    return part if 1 < len(part) <= 12 else ""


def _inherited(t: _Text, tax: Taxonomy, q: Quantity, c0: int, s0: int, dim: str, change: bool,
               earlier: list[_Draft], prev_end: int, after_end: int, after_stop: int) -> Choice | None:
    """The metric of a number whose own words name none, taken from the text before it:
    a growth rate after a level (GDP 47亿元，同比增长32.1%); a new level of the same thing
    (由100家增加到500家, 从300亿元增长到2022年的1500亿元); a clause that only goes on with the
    subject of the one before (…高新技术企业，在X高新区共有164家 / 营业收入…，2022年达到1200亿元)."""
    if change:  # (earlier: the figures of the sentence so far, all before q)
        for d in reversed(earlier):
            if d.q.end < s0:
                break
            if tax.fits(d.figure.metric, dim, True):
                return Choice(d.figure.metric, None, q.start - d.q.end)
        return None
    if earlier and earlier[-1].q.end == prev_end and prev_end >= c0 \
            and CONTINUES.search(t.norm, prev_end, q.start) and tax.fits(earlier[-1].figure.metric, dim, False):
        return Choice(earlier[-1].figure.metric, None, q.start - prev_end)
    if c0 <= s0 or t.norm[after_end:after_stop].strip():
        return None
    if ELLIPTIC.sub("", _without_parks(TIME_RE.sub("", t.norm[c0:q.start]))):
        return None
    return choose_metric(t.words(s0, c0), [], c0, c0, dim, change, tax)


def _referred(t: _Text, tax: Taxonomy, q: Quantity, c0: int, dim: str, change: bool, drafts: list[_Draft],
              industry: str) -> tuple[Choice | None, str]:
    """…营收210亿元；而去年全年，这一数字是268亿元: 这一数字 is the last figure of the paragraph
    that fits (its metric and industry)."""
    m = REFERS_BACK.search(t.norm, c0, q.start)
    if m is None:
        return None, industry
    p0 = max(t.paragraph(q.start)[0], q.start - REFER_REACH)
    for d in reversed(drafts):
        if d.q.end <= p0:
            break
        if tax.fits(d.figure.metric, dim, change):
            return Choice(d.figure.metric, None, q.start - m.end()), industry or d.figure.industry
    return None, industry


REFER_REACH = 1000  # 这一数字 names a figure of its paragraph, not one pages before
REFERS_BACK = re.compile(r"(?:这一|这个|该|此|上述)(?:数字|数据|数值|指标|规模|金额|总量|数量)")


def _split_word(t: _Text, tax: Taxonomy, q: Quantity, c0: int, s0: int, dim: str, change: bool) -> Choice | None:
    """技术合同2,300项，成交额85.6亿元: the clause names the second half of a metric word whose first
    half an earlier clause of the sentence named."""
    if c0 <= s0:
        return None
    last = None
    for m in tax.tail_regex.finditer(t.norm, c0, q.start):
        last = m
    if last is None or q.start - last.end() > SPLIT_WORD_GAP:
        return None
    for head, ids in tax.tails[last.group()]:
        if t.norm.find(head, s0, c0) < 0:
            continue
        for mid in ids:
            if tax.fits(mid, dim, change):
                return Choice(mid, None, q.start - last.end())
    return None


SPLIT_WORD_GAP = 6
CONTINUES = re.compile(r"(?:增长|增加|提高|提升|扩大|上升|下降|减少|降低|缩小|增|升|降|减|达)(?:到|至)")


PARK_WORDS = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:高新区|开发区|经开区|新区|园区|生态城|示范区)|该区|全区|区内")


def _without_parks(s: str) -> str:
    if "区" not in s and "城" not in s:
        return s  # every park word has one (a quick test: the pattern is slow on long clauses)
    return PARK_WORDS.sub("", s)


def _industry_before(t: _Text, kw: Keyword) -> bool:
    """稀土工业总产值: an industry's output, not the park's whole industry."""
    return any(m.end <= kw.start and kw.start - m.end <= 2 for m in _industries_in(t, kw.start - REACH, kw.start))


def _industries_in(t: _Text, start: int, end: int) -> list[IndustryMention]:
    """The industry mentions that start in [start, end), in text order."""
    return t.industries[bisect_left(t.industry_starts, start):bisect_left(t.industry_starts, end)]


def _industry_for(t: _Text, q: Quantity, c0: int, after_end: int, after_stop: int) -> str:
    """The industry named in the figure's clause: before the number (新能源汽车产业产值…), else
    right after it (22个稀土产业项目)."""
    before = [m for m in _industries_in(t, c0, q.start) if m.end <= q.start]
    if before:
        return before[-1].surface
    after = [m for m in _industries_in(t, after_end, after_stop) if m.end <= after_stop]
    return after[0].surface if after else ""


def _basis(norm: str, q: Quantity, dim: str, growth: re.Match[str] | None, rate: bool, changed: str,
           c0: int, g0: int, s0: int) -> str:
    if dim in CHANGE_DIMS and (growth or rate):
        clause_text = norm[c0:q.start]
        if growth is not None and growth.group("yoy") or YOY_WORDS.search(clause_text):
            return "yoy"
        since = None
        for m in SINCE_RE.finditer(norm, g0, q.start):
            since = m.group(1)
        if since:
            return f"since:{since}"
        if MOM_WORDS.search(clause_text):
            return "change"
        if rate:
            return "yoy"
        if YOY_WORDS.search(norm, s0, q.start):
            return "yoy"
        return "yoy_default"
    if changed:
        since = None
        for m in SINCE_RE.finditer(norm, c0, q.start):
            since = m.group(1)
        return f"since:{since}" if since else "change"  # 比2019年增加了61家
    return "level"


def _period_for(t: _Text, offset: int, c0: int, s0: int, s1: int, pub: date | None,
                metric: str = "", stock: bool = False) -> tuple[_Time | None, bool | None]:
    """The time phrase a figure belongs to, and whether its year was inferred (None: as the phrase says).
    [s0, s1) is the figure's sentence (within REACH of it).
    `stock` for a level of what a park has (企业, 人才, 装机): no year lent by the paragraph."""
    best: _Time | None = None
    blocked = False
    here = bisect_left(t.time_starts, offset)
    for tm in t.times[bisect_left(t.time_starts, s0):here]:
        if tm.narrow:
            if offset - tm.end <= NARROW_REACH:
                best, blocked = tm, False
            continue
        if tm.start_point:
            if tm.start >= c0 or tm.wide:
                blocked = True
                best = None
            continue
        if tm.start >= c0 or tm.wide:
            best = tm
            blocked = False
    if best is not None and PRESENT.search(t.norm, best.end, offset):
        best, blocked = None, True  # 计划到2025年…，目前人才总量…: the present, not the plan's year
    elif best is not None and not best.target and _condition_after(t.norm, best.end, offset):
        best, blocked = None, True  # 去年投资…，达产后年产值…: what a plant will yield is not last year's
    if best is not None or blocked:
        return best, None
    p0, _ = t.paragraph(offset)
    intro = _list_intro(t, p0)
    if intro is not None:
        return intro, None
    if metric in STATIC_METRICS or stock:
        return None, None  # what a park has (企业近百家, 装机规模) is dated only by its own sentence
    if here < len(t.times) and t.times[here].start < s1:
        return None, None  # 设立了天使基金，今年还计划…: the sentence dates its later clause only
    # nothing in the sentence: the year of an earlier sentence of the paragraph
    before = bisect_left(t.time_starts, s0) - 1
    lender = t.last_lender[before] if before >= 0 else -1
    if lender < 0 or t.times[lender].start < p0:
        return None, None
    tm = t.times[lender]
    # only a paragraph about the publication year lends its year (今年一季度…。截至目前，…);
    # yearly averages (每年, 年均) have no period
    if pub is None or tm.year != pub.year or tm.target or EVERY_YEAR.search(t.norm, s0, offset):
        return None, None
    return _Time(tm.start, tm.end, tm.year, str(tm.year), True, True, False, False), True


def _condition_after(norm: str, start: int, end: int) -> bool:
    """A condition (投产后, 达产后) between a time phrase and a number, not the one the time
    dates (去年投产后: that happened)."""
    m = WEAK_FORECAST.search(norm, start, end)
    return m is not None and m.start() - start > CONDITION_DATED


CONDITION_DATED = 2  # 去年全部投产后 / 2022年建成后: the time dates the condition itself


def _list_intro(t: _Text, p0: int) -> _Time | None:
    """The time of the paragraph that introduces a list (今年一季度，主要指标如下：\n GDP…；\n …)."""
    i = bisect_left(t.para_bounds, (p0, -1))
    if i in t.intros:
        return t.intros[i]
    items = [i]
    intro = None
    while i >= 1:
        a, b = t.para_bounds[i - 1]
        last = t.norm[a:b].rstrip()[-1:]
        if last in (";", "；"):
            i -= 1  # another item of the list
            if i in t.intros:
                intro = t.intros[i]
                break
            items.append(i)
            continue
        if last in (":", "："):
            times = [tm for tm in t.times[bisect_left(t.time_starts, a):bisect_left(t.time_starts, b)]
                     if tm.wide and not tm.start_point]
            intro = times[-1] if times else None
        break
    for item in items:
        t.intros[item] = intro
    return intro


def _status(norm: str, q: Quantity, c0: int, s0: int, time: _Time | None, own_time: bool) -> str:
    """预计/可望 make a forecast; a plan's words (到2025年, 力争, 将推进) a target; a condition
    (投产后, 达产后) a forecast when nothing plans it. These hold for the rest of the sentence
    (今年将推进项目45个，总投资260亿元: both planned), up to a word of the present (计划…；目前…)."""
    if time is not None and time.narrow and not time.target:
        return "actual"  # 将由2022年的650亿元增至…: the base a plan starts from is a fact
    start = s0
    for m in NOW_WORDS.finditer(norm, s0, q.start):
        start = m.end()
    before_sentence = norm[start:q.start]
    if FORECAST.search(before_sentence):
        return "forecast"
    if PLAN_INTRO.search(before_sentence):
        return "target"  # 会议提出，今年营业收入增长8%左右
    if time is not None and time.target and time.start >= start:
        return "target"
    own = max(start, c0)
    if TARGET.search(norm, own, q.start) or _span_ahead(norm, own, q.start):
        return "target"
    if WEAK_FORECAST.search(norm, own, q.start):
        return "forecast"  # 项目将于年底投产，投产后年产值…: the clause's own condition
    for m in TARGET.finditer(norm, start, own):
        if m.group().startswith("将") and own_time:
            continue  # 园区将继续发力，去年营收…: the clause's own (past) time says otherwise
        return "target"
    if _span_ahead(norm, start, own):
        return "target"  # 三年内引进…，总投资…
    if WEAK_FORECAST.search(before_sentence):
        return "forecast"
    return "actual"


# Words that set the year's goals: 会议提出，今年… / 园区明确，全年… (not 今年以来, what has been done).
PLAN_INTRO = re.compile(r"(?:提出|要求|明确|部署|确定)了?[,，:：]?\s?(?:今年|全年|明年)(?!以来)")
_PRESENT = r"目前|当前|眼下|如今|现阶段"
PRESENT = re.compile(_PRESENT)
HAS_NOW = re.compile(_PRESENT + r"|现有")  # what a park has now: no year lent by its paragraph
# Words of the present: what follows them in a sentence is a fact, whatever was planned before.
NOW_WORDS = re.compile(r"目前|当前|现有|现已|截至目前|迄今|至今|已经|已(?<![将即]已)(?!于|在)")


def _quote(t: _Text, s0: int, s1: int, c0: int, c1: int) -> str:
    """The sentence as written (its clause, within REACH of the number, when the sentence is very
    long), one line."""
    start, end = (s0, s1) if s1 - s0 <= 200 else (c0, c1)
    if end < len(t.text) and t.text[end] in "。！？!?；;":
        end += 1
    return LINE_JOIN.sub("", t.text[start:end]).strip()


# --- parks and repeats ---------------------------------------------------------------------------

def _assign_parks(norm: str, drafts: list[_Draft], mentions: list[ParkMention], subject: str) -> None:
    if not drafts:
        return
    parks = _parks_at(norm, [d.q.start for d in drafts], mentions, subject)
    for d, park in zip(drafts, parks, strict=False):
        d.figure.park = park


def _parks_at(norm: str, offsets: list[int], mentions: list[ParkMention], subject: str) -> list[str]:
    """The park each figure speaks of (the entities' park_at; a plain fallback without it)."""
    try:
        from .parks import parks_at
    except ImportError:  # pragma: no cover - the recogniser ships with the package
        return [_nearest_park(norm, o, mentions, subject) for o in offsets]
    return parks_at(norm, offsets, mentions, subject)


def _nearest_park(norm: str, offset: int, mentions: list[ParkMention], subject: str) -> str:
    start = max(norm.rfind(ch, 0, offset) for ch in "。！？!?\n") + 1
    before = [m for m in mentions if start <= m.start < offset]
    if before:
        return before[-1].parent or before[-1].park
    return subject


def _dedupe(drafts: list[_Draft]) -> list[Figure]:
    """A figure repeated on the page (title, pull-quote) is one row: the body's, with its period."""
    kept: list[_Draft] = []
    alike: dict[tuple, list[int]] = {}  # the kept figures that may be the same (_same), by what must be equal
    for d in drafts:
        f = d.figure
        same = alike.setdefault((f.metric, f.value, f.value_max, f.unit, f.qualifier, f.status), [])
        twin = next((i for i in same if _same(kept[i].figure, f)), None)
        if twin is None:
            same.append(len(kept))
            kept.append(d)
            continue
        if _better(d, kept[twin]):
            kept[twin] = d
    return [d.figure for d in sorted(kept, key=lambda d: d.q.start)]


def _same(a: Figure, b: Figure) -> bool:
    """The same quantity of the same thing; a repeat may lack the park or the period its first
    telling had (a pull-quote names neither)."""
    return (a.metric == b.metric and a.value == b.value and a.value_max == b.value_max and a.unit == b.unit
            and a.qualifier == b.qualifier and a.status == b.status and _same_basis(a, b)
            and (a.park == b.park or not a.park or not b.park)
            and (a.period == b.period or not a.period or not b.period))


def _same_basis(a: Figure, b: Figure) -> bool:
    """A growth rate repeated without its period (a title, a pull-quote) reads as a plain change."""
    if a.basis == b.basis:
        return True
    return {a.basis, b.basis} == {"yoy", "change"} and a.unit == "%" and not (a.period and b.period)


def _better(new: _Draft, old: _Draft) -> bool:
    def rank(d: _Draft) -> tuple[int, int, int]:
        return (bool(d.figure.park), d.in_body, bool(d.figure.period))
    return rank(new) > rank(old)
