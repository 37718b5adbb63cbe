"""Organisations named in an article, and the park of the sentence each stands in.

Full names are found from their legal ending (…有限公司, …股份有限公司, …集团, …研究院) by walking
left to where the name starts: punctuation, a function word (的/在/与…), a word that introduces a
name (企业, 位于, 引进…) or a park's name ends it; a bracket is kept only when it holds a place
(…（厦门）有限公司). Short names come from three places: 以下简称 in the text, a small list of
well-known companies shipped as data (宁德时代, 小鹏汽车), and the full names of the same article
with their place and business words removed (厦门海辰储能科技股份有限公司 -> 海辰储能).
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from functools import cache

from parks.parsers.lexicon import Lexicon, data_path, places, read_csv, split_names, word_set
from parks.parsers.model import CompanyMention, ParkMention

ORG_SUFFIX = re.compile(
    r"集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|股份公司|集团公司|研究院|研究所|集团|公司"
)
LEGAL_FORMS = ("集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "股份公司",
               "集团公司", "集团", "公司")
NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]")
BRACKET = re.compile(r"[(（]([\u4e00-\u9fff]{2,6})[)）]$")
BRACKETED_PLACE = re.compile(r"[(（]([\u4e00-\u9fff]{2,6})[)）]")
STOP_CHARS = frozenset("的在与和及是由被为将等了到给从向把让对跟像如据称经已正都也还又既并或于以之而且就才要这那"
                       "每些某该其此本我你他她它们个家所")
# A stop character that is part of a word inside names: 碳中和, 共和, 和平, 以色列 …
KEEP_BIGRAMS = word_set("中和 共和 和平 平和 和谐 谐和 温和 总和 和田 以色 色列 同和 和林 和顺 和县 和龙 保和 人和 "
                         "家居 家电 国家 专家 大家 科学家 东家 可口 能源 能效 动能 智能 功能 性能 热能 风能 核能 "
                         "太阳能 新能 储能 产能 节能 化能 电能 光能 氢能 在线 所属 其士 本源 这边 那曲 为民 于都 "
                         "于田 以及")
STOP_WORDS = re.compile(
    r"企业|龙头|位于|来自|落户|携手|联合|包括|其中|引进|吸引|成立|整合|合作|签约|以及|还有|董事长|总经理|负责人|"
    r"副总|领办|创办|旗下|子公司|控股|投资建设|孵化|记者|走进|参观|获悉|了解到|介绍|表示|入选|认定|评为|获评|"
    r"荣获|成为|本报讯|讯|支持|推动|依托|打造|组建|发起|设立|同时|目前|近日|此外|另外|首家|一家|这家|"
    r"该|当地|全资|厂商|供应商|客户|单位|机构|公司|委托|通过|探索|推进|进一步|许多|知名|综合性|国内外|国内|海外|"
    r"多个|一批|众多|多家|近日"
)
GENERIC_HEADS = word_set("产业 科技 创新 研究 平台 投资 上市 全资 控股 运营 子 分 该 本 其 这家 那家 一家 多家 "
                          "各家 两家 首家 企业 龙头 国有 民营 外资 合资 独资 新型 重点 相关 当地 省级 国家级 "
                          "国家 工业 技术 人才 金融 集团 园区 开发")
BUSINESS_WORDS = ("新能源科技", "电子科技", "智能科技", "信息技术", "科技发展", "技术开发", "新材料", "科技",
                  "技术", "发展", "实业", "控股", "投资", "管理", "服务", "工程", "电子", "电气", "智能", "制造",
                  "能源", "环保", "软件", "国际", "高科", "股份")
# Words that describe a line of business, not a firm: a bare …公司/…集团 made only of them
# (能源服务公司, 电子商务公司, 大公司) is a kind of company, not a name.
TRADE_WORDS = ("互联网", "进出口", "新能源", "物联网", "半导体", "能源", "服务", "商务", "节能", "电子", "科技", "技术",
               "创业", "初创", "上市", "咨询", "物业", "物流", "贸易", "投资", "管理", "工程", "建设", "建筑", "设计",
               "环保", "软件", "信息", "网络", "数据", "金融", "保险", "证券", "担保", "租赁", "运营", "开发", "制造",
               "生产", "销售", "外贸", "医药", "生物", "材料", "化工", "检测", "认证", "广告", "传媒", "文化", "旅游",
               "餐饮", "平台", "国有", "民营", "外资", "合资", "独资", "综合", "专业", "大型", "小型", "中小", "大",
               "小", "新")
# 有 after these is the verb (既有大公司, 也有创业公司), not the first character of a name (有研…).
HAVE_BEFORE = frozenset("既又也都还所没只")
ALIAS_NOTE = re.compile(r"[(（](?:以下简称|下称|简称)[:：]?[“\"'「]?([^)）”\"'」]{2,14}?)[”\"'」]?[)）]")
MAX_NAME = 28


@dataclass(frozen=True)
class KnownCompany:
    name: str
    short_names: tuple[str, ...]


@cache
def known_companies() -> list[KnownCompany]:
    return [KnownCompany(name=r["name"], short_names=tuple(split_names(r.get("short_names", ""))))
            for r in read_csv(data_path("companies.csv")) if r.get("name")]


@cache
def _known_lexicon() -> Lexicon:
    entries: dict[str, str] = {}
    for c in known_companies():
        for n in (c.name, *c.short_names):
            entries.setdefault(n, c.name)
    return Lexicon(entries)


def company_words() -> list[str]:
    """Known company names and short names (for the jieba user dictionary)."""
    return sorted(_known_lexicon().entries)


def find_companies(norm: str, mentions: list[ParkMention], subject: str) -> list[CompanyMention]:
    """Every organisation mention, with the full name when known and the park of its sentence."""
    if not norm:
        return []
    from parks.parsers.parks import parks_at

    full = _full_names(norm, mentions)
    known_hits = list(_known_lexicon().scan(norm))
    aliases = _aliases(norm, full, known_hits)
    # a full name may itself be a known short name or a 以下简称 (华慧芯科技集团)
    found = [(s, e, name, aliases.get(name, name)) for s, e, name in full]
    notes = [m.span() for _, e, _ in full if (m := ALIAS_NOTE.match(norm, e))]
    taken = sorted([(s, e) for s, e, _, _ in found] + [(m.start, m.end) for m in mentions] + notes)
    for s, e, surface, company in _occurrences(norm, aliases):
        if not _overlaps(taken, s, e):
            found.append((s, e, surface, company))
            insort(taken, (s, e))
    found.sort()
    parks = parks_at(norm, [s for s, _, _, _ in found], mentions, subject)
    return [CompanyMention(company=c, start=s, end=e, surface=surf, park=p)
            for (s, e, surf, c), p in zip(found, parks, strict=True)]


def _occurrences(norm: str, aliases: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """Every occurrence of every alias, longest first where two start together."""
    out = []
    for alias, company in aliases.items():
        i = norm.find(alias)
        while i >= 0:
            out.append((i, i + len(alias), alias, company))
            i = norm.find(alias, i + len(alias))
    out.sort(key=lambda t: (t[0], t[0] - t[1]))
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_left(spans, (start, start))
    return any(s < end and start < e for s, e in spans[max(0, i - 2): i + 2])


def _full_names(norm: str, mentions: list[ParkMention]) -> list[tuple[int, int, str]]:
    park_ends = sorted(m.end for m in mentions)
    out: list[tuple[int, int, str]] = []
    last_end = 0
    for hit in ORG_SUFFIX.finditer(norm):
        s, e = hit.span()
        if s < last_end:
            continue
        start = _name_start(norm, s, last_end, park_ends)
        name = norm[start:e]
        if not _good_name(name, hit.group()):
            continue
        out.append((start, e, name))
        last_end = e
    return out


def _name_start(norm: str, suffix_start: int, floor: int, park_ends: list[int]) -> int:
    """Walk left from the legal ending to where the name begins."""
    i = suffix_start
    lo = max(floor, suffix_start - MAX_NAME)
    while i > lo:
        ch = norm[i - 1]
        if ch in ")）":
            m = BRACKET.search(norm, max(lo, i - 8), i)
            if m and m.group(1) in places() and m.start() > lo:
                i = m.start()
                continue
            break
        if not NAME_CHAR.match(ch):
            break
        if ch in STOP_CHARS and norm[i - 2:i] not in KEEP_BIGRAMS and norm[i - 1:i + 1] not in KEEP_BIGRAMS \
                and norm[i - 3:i] not in KEEP_BIGRAMS:
            break
        i -= 1
    start = i
    if norm[start:start + 1] == "有" and start > 0 and norm[start - 1] in HAVE_BEFORE:
        start += 1
    # a word that introduces the name, or a park's name, ends it too: keep what follows the last one
    for m in STOP_WORDS.finditer(norm, start, suffix_start):
        start = max(start, m.end())
    for pe in park_ends:
        if start < pe <= suffix_start - 2:
            start = pe
    return _after_location(norm, start, suffix_start)


def _after_location(norm: str, start: int, suffix_start: int) -> int:
    """在河南开封奔腾（河南）智能制造有限公司: a name that carries its place in brackets does not also
    start with one, so the places before it say where the firm is, not what it is called."""
    if not any(m.group(1) in places() for m in BRACKETED_PLACE.finditer(norm, start, suffix_start)):
        return start
    i = start
    while True:
        n = next((n for n in (3, 2) if places().get(norm[i:i + n]) and i + n < suffix_start), 0)
        if not n:
            return i
        i += n
        if norm[i:i + 1] in ("省", "市") and i + 1 < suffix_start:
            i += 1


def _good_name(name: str, suffix: str) -> bool:
    head = name[: -len(suffix)]
    if len(head) < (3 if suffix == "公司" else 2):
        return False
    if suffix in ("公司", "集团") and not _strip_trade_words(head):
        return False
    if head in GENERIC_HEADS or head[:2] in GENERIC_HEADS or head[:1] in GENERIC_HEADS:
        return False
    if re.fullmatch(r"[\dA-Za-z]+", head):
        return False
    return not head.endswith(("子", "分", "总", "母"))


def _strip_trade_words(head: str) -> str:
    """What is left of a name's head once the words for a line of business are taken off its end."""
    while head:
        word = next((w for w in TRADE_WORDS if head.endswith(w)), "")
        if not word:
            break
        head = head[: -len(word)]
    return head


def _without_place(name: str) -> str:
    """江西兆驰半导体公司 -> 兆驰半导体公司: the name without a leading province or city."""
    n = next((n for n in (3, 2) if places().get(name[:n]) in ("province", "city")), 0)
    rest = name[n:]
    if n and rest[:1] in ("省", "市"):
        rest = rest[1:]
    return rest if n and len(rest) > 4 else name


def _aliases(norm: str, full: list[tuple[int, int, str]],
             known_hits: list[tuple[int, int, str, str]]) -> dict[str, str]:
    """Short name -> company: well-known names seen in the text, 以下简称 notes, and short forms of
    the article's full names that the article uses more often than the full name."""
    aliases: dict[str, str] = {surface: company for _, _, surface, company in known_hits}
    full_set = {name: aliases.get(name, name) for _, _, name in full}
    for name in list(full_set):  # 兆驰半导体公司 after 江西兆驰半导体公司 in the same article: one firm
        short = _without_place(name)
        if short != name and short in full_set and full_set[short] == short:
            full_set[short] = aliases[short] = full_set[name]
    for _, end, name in full:
        m = ALIAS_NOTE.match(norm, end)
        if m:
            aliases[m.group(1)] = full_set[name]
    for name, company in full_set.items():
        if name != company:
            continue  # already known under another name
        for short in short_names(name):
            if short not in aliases and norm.count(short) > norm.count(name):
                aliases[short] = company
    return aliases


def short_names(name: str) -> list[str]:
    """Ways an article shortens a full name: without place, legal form and business words."""
    core = name
    for form in LEGAL_FORMS + ("研究院", "研究所"):
        if core.endswith(form) and len(core) > len(form) + 1:
            core = core[: -len(form)]
            break
    core = re.sub(r"[(（][\u4e00-\u9fff]{2,6}[)）]", "", core)
    place = ""
    for n in range(min(4, len(core) - 2), 1, -1):
        if core[:n] in places():
            place = core[:n]
            rest = core[n:]
            rest = re.sub(r"^(?:省|市|县|自治区)", "", rest)
            break
    else:
        rest = core
    stripped = rest
    for _ in range(3):
        for word in BUSINESS_WORDS:
            if stripped.endswith(word) and len(stripped) - len(word) >= 2:
                stripped = stripped[: -len(word)]
                break
    out = {rest, stripped}
    if place:
        out |= {place + stripped, place + rest}
    return [s for s in out if len(s) >= 3 and s != name and s not in places()]
