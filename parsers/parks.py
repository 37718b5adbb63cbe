"""Which parks an article names, which one it is about, and which park a clause speaks of.

Three kinds of mention, in order of trust:
1. gazetteer spellings, found in one pass of a trie regex (longest match wins, so 天津滨海高新区 is
   never 滨海新区 and 苏州工业园区 never 苏州高新区);
2. a named area written right after a park (无锡高新区星洲工业园, 内江高新区（白马园区）) or listed in
   the gazetteer as a 片区: recorded with `parent`, its figures count for the parent;
3. a park-like name outside the gazetteer (X高新区, X经开区, X工业园区, X新区, X生态城, X示范区) whose
   X starts with a place name: `listed = False`; also a park two or three places build together,
   named by one character of each (深汕特别合作区, 苏宿工业园区), when the text backs the reading.
Generic words (高新区, 国家高新区, 园区, 12家国家高新区, 省级高新区 …) are never parks; a bare
高新区/园区/该区/全区 inside an article refers to the article's subject (`resolve_generic`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from parks.parsers.gazetteer import Gazetteer, load_gazetteer
from parks.parsers.lexicon import Lexicon, places, trie_pattern, word_set
from parks.parsers.model import Article, ParkMention, UnlistedPark

# Words that name no particular park. Kept as data for tests and for callers that aggregate names.
GENERIC_NAMES = word_set(
    "国家高新区 高新区 园区 开发区 示范区 该区 全区 新区 工业园区 经开区 国家级高新区 省级高新区 "
    "高新技术产业开发区 国家高新技术产业开发区 经济技术开发区 国家级经济技术开发区 经济开发区 生态城 "
    "工业园 产业园 产业园区 科技园 片区 国家自主创新示范区 自主创新示范区 农高区 本区 区内 该高新区 "
    "国家级新区 国家级开发区 省级开发区 高新园区 合作区 特别合作区 合作园区"
)

# Suffixes of park names recognised outside the gazetteer, longest first.
PARK_SUFFIXES = (
    "农业高新技术产业示范区", "高新技术产业开发区", "高技术产业开发区", "高新技术产业园区", "经济技术开发区",
    "特别合作区", "国家高新区", "经济开发区", "工业园区", "高新区", "农高区", "经开区", "开发区", "生态城", "示范区",
    "合作区", "新区",
)
SUFFIX_RE = re.compile("|".join(PARK_SUFFIXES))
CANONICAL_SUFFIX = {"高新技术产业开发区": "高新区", "高技术产业开发区": "高新区", "高新技术产业园区": "高新区",
                    "国家高新区": "高新区", "经开区": "经济技术开发区"}
KIND_OF_SUFFIX = {"高新区": "高新区", "农高区": "农高区", "经开区": "经济技术开发区", "经济开发区": "经济开发区",
                  "开发区": "开发区", "工业园区": "工业园区", "生态城": "生态城", "示范区": "示范区", "新区": "新区",
                  "农业高新技术产业示范区": "农高区", "合作区": "合作区", "特别合作区": "合作区",
                  "产业园区": "产业园区", "科技园区": "产业园区", "产业园": "产业园区", "工业园": "工业园区"}

# Areas inside a park, written right after it.
AREA_SUFFIX = r"(?:工业园区|工业园|科技园|高新城|片区|园区)"
AREA_AFTER = re.compile(r"(?:内的|内|的)?([\u4e00-\u9fff]{2,6}?" + AREA_SUFFIX + r")")
AREA_IN_BRACKETS = re.compile(r"[(（]([\u4e00-\u9fff]{2,8}?(?:" + AREA_SUFFIX[3:-1] + r"|产业园区|产业园))[)）]")

# A character that cannot stand inside a place-based name between the place and the suffix.
STOP_CHARS = frozenset("的在与和及是由被为将等了到给从对向把让个家所各全该本其此首第局委会已正都也还又并或于以之而且"
                       "就才要能可这那哪有无没不很最更共跟每些某")
GENERIC_PARTS = ("国家级", "省级", "市级", "县级", "国家", "自主创新", "示范", "绿色", "低碳", "零碳", "循环",
                 "产业", "创新", "试点", "测试", "先行", "首批", "一批", "城市", "全国", "我国", "综合", "新兴")
GENERIC_AREA_HEADS = word_set("工业 产业 科技 高新 创新 创业 特色 专业 重点 主要 核心 现代 各类 多个 多家 "
                               "低碳 零碳 绿色 生态 智慧 专业 产城 综合 配套 周边 上述")
ADMIN_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|省|市|县|区|州|盟|旗)")
# Verbs that show the text between a place and a park suffix is a clause, not a name (西安市举办国家高新区…).
GAP_VERBS = re.compile(r"举办|举行|召开|建设|打造|推动|推进|成立|设立|支持|联合|发起|加快|位于|落户|入驻|引进|签约|"
                       r"携手|参观|走进|考察|出台|印发|公布|开展|实施|获批|升级|创建|申报|认定|命名|批准|同意|规划|"
                       r"依托|带动|服务|组织|发布|表示|介绍|提出|围绕|聚焦|面向|对接|合作|共建|进入|来到|前往")
# Co-built parks (深汕特别合作区, 苏宿工业园区, 苏锡通科技产业园区): what may follow the partners' characters.
# (?:科技|产业|现代|国际|经济|生态|特别){0,2}(?:经济开发区|…|新区), each branch starting with a word
# (see SENTENCE_END in figures.py): 科技(?:科技|…)?(?:经济开发区|…)|产业…|经济开发区|…
_COBUILT_HEADS = "科技|产业|现代|国际|经济|生态|特别"
_COBUILT_TAILS = "经济开发区|工业园区|产业园区|科技园区|合作园区|合作区|合作园|工业园|产业园|高新区|开发区|经开区|示范区|新区"
COBUILT_SUFFIX_RE = re.compile("|".join(f"{head}(?:{_COBUILT_HEADS})?(?:{_COBUILT_TAILS})"
                                        for head in _COBUILT_HEADS.split("|")) + "|" + _COBUILT_TAILS)
# Characters that make a head a direction (南北合作, 东西部), not two places.
DIRECTIONS = frozenset("东西南北中上下内外")
# The one-character names of provinces (and the special regions) as the news writes them.
PROVINCE_SHORT_OF = {"北京": "京", "天津": "津", "上海": "沪", "重庆": "渝", "河北": "冀", "山西": "晋", "内蒙古": "蒙",
                     "辽宁": "辽", "吉林": "吉", "黑龙江": "黑", "江苏": "苏", "浙江": "浙", "安徽": "皖", "福建": "闽",
                     "江西": "赣", "山东": "鲁", "河南": "豫", "湖北": "鄂", "湖南": "湘", "广东": "粤", "广西": "桂",
                     "海南": "琼", "四川": "川蜀", "贵州": "黔贵", "云南": "滇云", "西藏": "藏", "陕西": "陕秦",
                     "甘肃": "甘陇", "青海": "青", "宁夏": "宁", "新疆": "新", "台湾": "台", "香港": "港", "澳门": "澳"}
PROVINCE_SHORT = frozenset("".join(PROVINCE_SHORT_OF.values()))
MAX_PREFIX = 14
MAX_GAP = 6


@dataclass(frozen=True, slots=True)
class GenericRef:
    """A bare 高新区/园区/该区/全区 that stands for the article's subject park."""

    start: int
    end: int
    surface: str

    def __init__(self, start: int, end: int, surface: str) -> None:
        object.__setattr__(self, "start", start)  # written out to be compiled: see parsers/compiled.py
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "surface", surface)


GENERIC_REF_RE = re.compile(r"该高新区|本高新区|高新区|该园区|本园区|园区|开发区|该区|本区|全区|区内|示范区|新区|该合作区|"
                            r"合作区")
GENERIC_REF_OK = frozenset({"该高新区", "本高新区", "高新区", "该园区", "本园区", "园区", "开发区", "该区", "本区",
                            "全区", "区内", "该合作区", "合作区"})


def find_parks(norm: str, gazetteer: Gazetteer | None = None) -> list[ParkMention]:
    """Every park mention in normalised text, by offset; sub-areas carry their parent."""
    if not norm:
        return []
    g = gazetteer or load_gazetteer()
    mentions = _listed(norm, g)
    taken = _Spans(mentions)
    learned: dict[str, tuple[str, bool]] = {}  # surface -> (owner park, listed?) for areas found by context
    for area in _areas_after_parks(norm, mentions, g, taken):
        mentions.append(area)
        taken.add(area.start, area.end)
        learned.setdefault(area.surface, (area.parent, area.listed))
    if learned:  # the same area named again on its own later in the text
        for start, end, surface, _ in Lexicon({k: k for k in learned}).scan(norm):
            if not taken.overlaps(start, end):
                parent, listed = learned[surface]
                mentions.append(ParkMention(park=g.resolve(surface) or surface, start=start, end=end,
                                            surface=surface, listed=listed, parent=parent))
                taken.add(start, end)
    for m in _unlisted(norm, g, taken):
        mentions.append(m)
        taken.add(m.start, m.end)
    for m in _cobuilt(norm, taken):
        mentions.append(m)
        taken.add(m.start, m.end)
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def owner(m: ParkMention) -> str:
    """The park a mention counts for: the parent of a named area, else the park itself."""
    return m.parent or m.park


def _listed(norm: str, g: Gazetteer) -> list[ParkMention]:
    out = []
    for start, end, surface, canonical in g.lexicon.scan(norm):
        place = _place_before(norm, start)
        if place and not g.place_fits(canonical, place):
            continue  # 福州滨海新区 is another city's park: left to the unlisted rule
        park = g.parks.get(canonical)
        out.append(ParkMention(park=canonical, start=start, end=end, surface=surface, listed=True,
                               parent=park.parent if park else ""))
    return out


def _place_before(norm: str, start: int) -> str:
    """The province or prefecture written right before `start` (with or without 省/市), else ''."""
    end = start - 1 if start > 0 and norm[start - 1] in "省市" else start
    for n in (3, 2):
        name = norm[max(0, end - n):end]
        if len(name) == n and places().get(name) in ("province", "city"):
            return name
    return ""


class _Spans:
    """Offsets already claimed by a mention, so a weaker rule never re-reads them."""

    def __init__(self, mentions: list[ParkMention]) -> None:
        self.spans = sorted((m.start, m.end) for m in mentions)

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self.spans, (start, end))
        self.spans.insert(i, (start, end))

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.spans, (start, 10**12))
        return any(s < end and start < e for s, e in self.spans[max(0, i - 2): i + 1])


def _areas_after_parks(norm: str, mentions: list[ParkMention], g: Gazetteer, taken: _Spans) -> list[ParkMention]:
    out = []
    for m in mentions:
        if m.parent:  # an area inside an area is still the same park's
            continue
        for rx in (AREA_AFTER, AREA_IN_BRACKETS):
            hit = rx.match(norm, m.end)
            if not hit:
                continue
            name = hit.group(1)
            start = hit.start(1)
            end = hit.end(1)
            if taken.overlaps(start, end) or not _good_area_name(name):
                continue
            canonical = g.resolve(name)
            known = g.parks.get(canonical) if canonical else None
            if known and not known.parent:  # a peer park written next to this one, not an area of it
                continue
            out.append(ParkMention(park=canonical or name, start=start, end=end, surface=name,
                                   listed=known is not None, parent=m.park))
            break
    return out


def _good_area_name(name: str) -> bool:
    head = re.sub(AREA_SUFFIX + "$", "", name) or name
    return (
        len(head) >= 2
        and name not in GENERIC_NAMES
        and head[:2] not in GENERIC_AREA_HEADS
        and not any(ch in STOP_CHARS for ch in head)
        and not any(part in head for part in GENERIC_PARTS)
    )


def _unlisted(norm: str, g: Gazetteer, taken: _Spans) -> list[ParkMention]:
    out = []
    for hit in SUFFIX_RE.finditer(norm):
        s, e = hit.span()
        if taken.overlaps(s, e):
            continue
        found = _place_prefix_start(norm, s)
        if found is None:
            continue
        name_start, own_start = found
        surface = norm[name_start:e]
        if taken.overlaps(name_start, e) or surface in GENERIC_NAMES:
            continue
        canonical = g.resolve(surface)
        if canonical:  # a gazetteer park in a spelling the scan did not know
            park = g.parks[canonical]
            out.append(ParkMention(park=canonical, start=name_start, end=e, surface=surface, listed=True,
                                   parent=park.parent))
            continue
        name = _unlisted_name(_drop_admin_word(norm[own_start:e]), hit.group())
        if g.resolve(name):  # 福州滨海新区 without 福州 would be Tianjin's 滨海新区: keep the whole name
            name = _unlisted_name(_drop_admin_word(surface), hit.group())
        out.append(ParkMention(park=name, start=name_start, end=e, surface=surface, listed=False))
    return out


def _cobuilt(norm: str, taken: _Spans) -> list[ParkMention]:
    """Parks two or three places build together, named by one character of each partner
    (深汕特别合作区: 深圳 + 汕尾; 苏锡通科技产业园区: 苏州 + 无锡 + 南通): no place name to start from.
    The characters alone are common, so the name must also recur in the text, or each of its
    characters must stand for a place the text names in full."""
    found: list[tuple[int, int, str]] = []
    abbrev = _abbreviations()
    for hit in COBUILT_SUFFIX_RE.finditer(norm):
        s, e = hit.span()
        if s < 2 or norm[s - 1] not in abbrev or norm[s - 2] not in abbrev or taken.overlaps(s - 2, e):
            continue  # most suffixes end a listed park's name or follow a plain word
        head = _abbreviation_head(norm, s)
        if head and not taken.overlaps(s - len(head), e):
            found.append((s - len(head), e, head))
    if not found:
        return []
    counts = Counter(norm[s:e] for s, e, _ in found)
    named: set[str] | None = None  # the characters of the places the text names, found on demand
    out: list[ParkMention] = []
    for s, e, head in found:
        surface = norm[s:e]
        if counts[surface] < 2:
            if named is None:
                named = _place_characters(norm)
            if not set(head) <= named:
                continue
        out.append(ParkMention(park=surface, start=s, end=e, surface=surface, listed=False))
    return out


def _abbreviation_head(norm: str, suffix_start: int) -> str:
    """The two or three characters before a suffix when each abbreviates a different place;
    three only when the name starts there (苏锡通…, not 进深汕…)."""
    abbrev = _abbreviations()
    for n in (3, 2):
        head = norm[max(0, suffix_start - n):suffix_start]
        if len(head) < n or len(set(head)) < n or not all(ch in abbrev for ch in head) \
                or set(head) <= DIRECTIONS or any(head[i:i + 2] in places() for i in range(n - 1)):
            continue  # 江苏高新区 is a province's zones, for the place rule to judge
        before = norm[suffix_start - n - 1] if suffix_start > n else ""
        if n == 2 or not before or before in STOP_CHARS or not "\u4e00" <= before <= "\u9fff":
            return head
    return ""


@cache
def _abbreviations() -> frozenset[str]:
    """Characters that stand for a place: a province's short name, the first or last character of
    a two-character prefecture (苏州 苏, 无锡 锡), the first of a longer one."""
    chars = set(PROVINCE_SHORT)
    for name, level in places().items():
        if level == "city" and len(name) == 2:
            chars.update(name)
        elif level == "city":
            chars.add(name[0])  # 哈尔滨 哈, 石家庄 石
    return frozenset(chars)


def _place_characters(norm: str) -> set[str]:
    """Every character of the provinces and prefectures the text names, with their short names."""
    chars: set[str] = set()
    for m in _major_places().finditer(norm):
        chars.update(m.group())
        chars.update(PROVINCE_SHORT_OF.get(m.group(), ""))
    return chars


def _place_prefix_start(norm: str, suffix_start: int) -> tuple[int, int] | None:
    """Where a place-based park name ending at `suffix_start` begins (with any city written before
    its county) and where its own place begins (the nearest place, which names it), or None."""
    lo = suffix_start
    while lo > 0 and suffix_start - lo < MAX_PREFIX and "\u4e00" <= norm[lo - 1] <= "\u9fff":
        lo -= 1
    run = norm[lo:suffix_start]
    if len(run) < 2:
        return None
    spans = _place_spans(run)
    for ps, pe in reversed(spans):  # the place nearest the suffix names the park
        gap_start = pe
        admin = ADMIN_SUFFIX.match(run, pe)
        if admin:
            gap_start = admin.end()
        gap = run[gap_start:]
        if not _good_gap(gap, norm[suffix_start:suffix_start + 5] == "国家高新区"):
            continue
        start = ps
        # keep a city written before a county (南京江宁高新区), drop a province (江苏省…)
        for qs, qe in reversed([sp for sp in spans if sp[1] <= ps]):
            between = run[qe:start]
            if between and not ADMIN_SUFFIX.fullmatch(between):
                break
            if places().get(run[qs:qe]) == "province":
                break
            start = qs
        own = ps
        if start < ps and places().get(run[start:ps]) == places().get(run[ps:pe]) == "city":
            own = start  # 苏州宿迁工业园区: two cities' joint park, named by both
        if places().get(run[ps:pe]) == "province" and gap in ("", "国家"):
            return None  # 广东省国家高新区: a province's zones taken together, not a park
        if places().get(run[start:pe]) == "province" and len(gap) >= 2:
            start = own = gap_start  # 河南郑东新区 -> 郑东新区
        return lo + start, lo + own
    return None


def _place_spans(run: str) -> list[tuple[int, int]]:
    table = places()
    spans = []
    i = 0
    while i < len(run) - 1:
        n = next((n for n in range(min(6, len(run) - i), 1, -1) if run[i:i + n] in table), 0)
        if n:
            spans.append((i, i + n))
            i += n  # leftmost-longest: 河南郑东 is 河南 + 郑东, not 南郑
        else:
            i += 1
    return spans


def _good_gap(gap: str, national: bool = False) -> bool:
    if len(gap) > (2 if national else MAX_GAP) or any(ch in STOP_CHARS for ch in gap) or GAP_VERBS.search(gap):
        return False
    if gap == "国家":
        return True
    return not any(part in gap for part in GENERIC_PARTS)


def _drop_admin_word(name: str) -> str:
    """福州市滨海新区 -> 福州滨海新区: the 市 or 省 after the leading place is not part of the name."""
    m = re.match(r"([\u4e00-\u9fff]{2,3}?)[省市]", name)
    return name[: m.end(1)] + name[m.end():] if m and m.group(1) in places() else name


def _unlisted_name(name: str, suffix: str) -> str:
    """One name per unlisted park whichever way it is written: its own place (a county rather
    than the city before it: 赣州信丰工业园区 and 信丰工业园区 are one park) and one spelling of
    the suffix (经开区 = 经济技术开发区; 高新技术产业开发区 = 高新区, the gazetteer's style)."""
    long = CANONICAL_SUFFIX.get(suffix)
    return name[: -len(suffix)] + long if long else name


def unlisted_parks(mentions: list[ParkMention]) -> list[UnlistedPark]:
    """Parks named in the text but missing from the gazetteer (named areas of a park excluded)."""
    seen: dict[str, UnlistedPark] = {}
    for m in mentions:
        if m.listed or m.parent or m.park in seen:
            continue
        suffix = next((s for s in PARK_SUFFIXES if m.park.endswith(s)), "")
        province, city = _province_city(m.surface)
        seen[m.park] = UnlistedPark(name=m.park, kind=KIND_OF_SUFFIX.get(suffix, suffix), province=province,
                                    city=city)
    return list(seen.values())


def _province_city(name: str) -> tuple[str, str]:
    province = city = ""
    for s, e in _place_spans(name):
        level = places().get(name[s:e])
        if level == "province" and not province:
            province = name[s:e]
        elif level == "city" and not city:
            city = name[s:e]
    return province, city


# ---------------------------------------------------------------- subjects


def subject_parks(article: Article, mentions: list[ParkMention]) -> list[str]:
    """The park(s) the article is about, best first: named in the title, in the lead, most often."""
    if not mentions:
        return []
    title_end = _title_end(article)
    lead_end = _lead_end(article, title_end)
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    in_title: dict[str, int] = {}
    in_lead: set[str] = set()
    for m in mentions:
        p = owner(m)
        counts[p] += 1
        first.setdefault(p, m.start)
        if m.start < title_end:
            in_title.setdefault(p, m.start)
        elif m.start < lead_end:
            in_lead.add(p)
    for m in _kicker_mentions(article):
        in_title.setdefault(owner(m), -1)
        counts[owner(m)] += 1
        first.setdefault(owner(m), len(article.norm))

    def score(p: str) -> tuple[float, int]:
        return (10 * (p in in_title) + 3 * (p in in_lead) + counts[p], -first[p])

    ranked = sorted(counts, key=score, reverse=True)
    if in_title:
        top = counts[ranked[0]]
        extra = [p for p in ranked if p not in in_title and counts[p] >= max(3, top)]
        return sorted(in_title, key=lambda p: (in_title[p], -counts[p])) + extra
    best = ranked[0]
    if len(ranked) > 1 and score(ranked[1])[0] == score(best)[0] and counts[best] < 3:
        return []  # a list of peers (…等12家国家高新区), no park stands out
    subjects = [best]
    subjects += [p for p in ranked[1:] if counts[p] >= 3 and counts[p] >= 0.6 * counts[best]]
    return subjects


def _title_end(article: Article) -> int:
    ends = [b.end for b in article.blocks if b.kind == "title"]
    if ends:
        return max(ends)
    if article.title and article.text.startswith(article.title):
        return len(article.title)
    return 0


def _lead_end(article: Article, title_end: int) -> int:
    """The end of the first body paragraph that says something (bylines and captions skipped)."""
    for b in article.blocks:
        if b.kind == "body" and b.start >= title_end and b.end - b.start >= 30:
            return b.end
    start = article.body_start if article.blocks else title_end
    return min(len(article.norm), start + 200)


def _kicker_mentions(article: Article) -> list[ParkMention]:
    if not article.kicker:
        return []
    return find_parks(_norm_short(article.kicker))


@lru_cache(maxsize=256)
def _norm_short(text: str) -> str:
    from parks.parsers.gazetteer import normalise

    return normalise(text)


# ---------------------------------------------------------------- generic references and clauses


def find_generic_refs(norm: str, mentions: list[ParkMention]) -> list[GenericRef]:
    """Bare 高新区/园区/该区/全区… not part of a named park (they refer to the article's subject)."""
    taken = _Spans(mentions)
    return [r for r in _generic_refs(norm) if not taken.overlaps(r.start, r.end)]


def _generic_refs(norm: str) -> list[GenericRef]:
    out = []
    for hit in GENERIC_REF_RE.finditer(norm):
        s, e = hit.span()
        word = hit.group()
        if word not in GENERIC_REF_OK or MANY_PARKS_BEFORE.search(norm, max(0, s - MANY_PARKS_REACH), s):
            continue  # 国家高新区, 12家高新区, 各高新区, 全省省级以上园区: many parks, not this one
        out.append(GenericRef(start=s, end=e, surface=word))
    return out


MANY_PARKS_BEFORE = re.compile(r"(?:(?:国家级?|省级|市级|县级)(?:及?以上)?|\d+(?:余|多)?家|各类?|多个|部分|其他|其它|所有"
                               r"|全国|全省|全市|全县)(?:工业|产业|经济|科技)?$")
MANY_PARKS_REACH = 7  # 省级及以上工业: the longest words before a generic name that make it many parks


def resolve_generic(ref: GenericRef | str, subject: str) -> str:
    """What a bare 高新区/园区/该区/全区 refers to inside an article: its subject park."""
    return subject


# X+ written XX*: the engine skips fast only to a first class (see SENTENCE_END in figures.py).
SENTENCE_END = re.compile(r"[。！？!?；;\n][。！？!?；;\n]*")
CLAUSE_END = re.compile(r"[，,：:、][，,：:、]*")
# 全国|我国|全球|全世界|各地|各省|全省|全市|全县|\d+(?:余|多)?[家个](?:国家级?|省级)?(?:高新区|园区|开发区|经开区)
# |(?<![\u4e00-\u9fff])国家高新区|(?<=[，。、；：“\s])国家高新区, written to start with a class (see
# SENTENCE_END in figures.py): each branch looks back at the character the class took.
NATIONAL = re.compile(
    r"[全我各国\d](?:(?<=全)(?:国|球|世界|省|市|县)|(?<=我)国|(?<=各)(?:地|省)"
    r"|(?<=\d)\d*(?:余|多)?[家个](?:国家级?|省级)?(?:高新区|园区|开发区|经开区)"
    r"|(?<=国)(?<![\u4e00-\u9fff]国)家高新区|(?<=国)(?<=[，。、；：“\s]国)家高新区)"
)
COMPARATIVE_BEFORE = re.compile(r"(?:占|居|位居|位列|排名|高于|低于|超过|领先)$")
# A place the clause's subject goes to, comes from or acts in (在福建省内布局, 从上海迁来, 向南京输送,
# 引进深圳企业) is not what a figure of the clause measures.
PLACE_ROLE_BEFORE = re.compile(r"(?:在|从|自|向|往|赴|到|至|来自|引进|引来|吸引|对接|落户|迁往|迁至|走进|来到|前往|面向|"
                               r"辐射|销往|出口|覆盖|携手|联手)$")
# A place that describes a thing rather than naming the scope (深圳企业, 上海客商).
PLACE_ATTRIBUTE_AFTER = re.compile(r"(?:企业|公司|客商|商会|团队|高校|院所|资本|籍|方面|籍人才|本地企业|产品|市场)")
# A place that opens the name of a park, a base or a quarter (无锡零碳科技产业园, 苏州生物医药基地).
PLACE_THING_TAIL = re.compile(r"[\u4e00-\u9fffA-Za-z]{0,8}?(?:产业园|科技园|工业园|创业园|软件园|园区|基地|小镇|飞地|"
                              r"孵化器|加速器|科学城|创新港|创新谷|中心)")
COMPANY_TAIL = re.compile(r"[\u4e00-\u9fffA-Za-z()（）]{0,16}?(?:有限公司|股份公司|集团|研究院|研究所|公司|大学|学院|"
                          r"实验室|中心|医院|银行)")
SUBJECT = "\x00subject"  # marks an anchor that stands for the article's subject


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    end: int
    park: str  # '' for a city, province or the whole country; SUBJECT for a bare 高新区/该区

    def __init__(self, start: int, end: int, park: str) -> None:
        object.__setattr__(self, "start", start)  # written out to be compiled: see parsers/compiled.py
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "park", park)


@dataclass(frozen=True, slots=True)
class _TextIndex:
    """Where a text's sentences and clauses end, computed once per text."""

    sentence_seps: tuple[tuple[int, int], ...]
    clause_seps: tuple[tuple[int, int], ...]


def park_at(norm: str, offset: int, mentions: list[ParkMention], subject: str) -> str:
    """The park the clause or sentence around `offset` speaks of.

    The nearest park, bare 高新区/该区 (-> subject), city, province or country named before the offset
    in the same clause, else in the same sentence, else the first one after it in the clause; the
    subject when there is none. '' when that nearest name is a city, a province or the country
    (厦门市, 全国, 178家国家高新区): the figure is not the park's.
    """
    return parks_at(norm, [offset], mentions, subject)[0]


def parks_at(norm: str, offsets: list[int], mentions: list[ParkMention], subject: str) -> list[str]:
    """`park_at` for many offsets of one text (the mentions are indexed once)."""
    if not norm:
        return [subject for _ in offsets]
    index = _text_index(norm)
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    out = []
    anchors: dict[tuple[int, int], tuple[list[_Anchor], list[int]]] = {}  # figures often share a sentence
    for offset in offsets:
        offset = max(0, min(offset, len(norm) - 1))
        s_start, s_end = _bounds(index.sentence_seps, offset, 0, len(norm))
        c_start, c_end = _bounds(index.clause_seps, offset, s_start, s_end)
        found = anchors.get((s_start, s_end))
        if found is None:
            inside = ordered[bisect_left(starts, s_start): bisect_left(starts, s_end)]
            in_sentence = _anchors_in(norm, s_start, s_end, inside)
            found = anchors[(s_start, s_end)] = (in_sentence, [a.start for a in in_sentence])
        out.append(_choose(*found, offset, c_end, subject))
    return out


def _choose(anchors: list[_Anchor], starts: list[int], offset: int, c_end: int, subject: str) -> str:
    """The nearest name at or before the offset in the sentence, else the first after it in the
    clause (anchors sorted by start, `starts` their starts)."""
    i = bisect_right(starts, offset)
    if i > 0:
        chosen = anchors[i - 1]
    elif i < len(anchors) and anchors[i].start < c_end:
        chosen = anchors[i]
    else:
        return subject
    return subject if chosen.park == SUBJECT else chosen.park


def _bounds(seps: tuple[tuple[int, int], ...], offset: int, lo: int, hi: int) -> tuple[int, int]:
    """The stretch between the separators around `offset`, within [lo, hi]."""
    i = bisect_right(seps, (offset, 10**12))
    start = seps[i - 1][1] if i > 0 else lo
    if start > offset:  # offset inside a separator
        start = seps[i - 1][0]
    end = seps[i][0] if i < len(seps) else hi
    return max(lo, min(start, offset)), min(hi, max(end, offset + 1))


def _anchors_in(norm: str, start: int, end: int, inside: list[ParkMention]) -> list[_Anchor]:
    """The sentence's park mentions (sorted by start) and its other names that overlap none of them."""
    parks = [_Anchor(m.start, m.end, owner(m)) for m in inside]
    taken = _Spans(inside)
    others = [a for a in _sentence_anchors(norm, start, end) if not taken.overlaps(a.start, a.end)]
    return sorted(parks + others, key=lambda a: a.start)


@lru_cache(maxsize=8)
def _text_index(norm: str) -> _TextIndex:
    return _TextIndex(
        sentence_seps=tuple(m.span() for m in SENTENCE_END.finditer(norm)),
        clause_seps=tuple(m.span() for m in CLAUSE_END.finditer(norm)),
    )


@lru_cache(maxsize=4096)
def _sentence_anchors(norm: str, start: int, end: int) -> tuple[_Anchor, ...]:
    """Bare 高新区/该区 (the subject), the country, provinces and cities in one sentence.

    Computed per sentence on demand: only sentences holding a figure or a company are asked about.
    """
    sentence = norm[start:end]
    taken = _Spans([])
    anchors: list[_Anchor] = []
    for ref in _generic_refs(sentence):
        anchors.append(_Anchor(start + ref.start, start + ref.end, SUBJECT))
        taken.add(ref.start, ref.end)
    for m in NATIONAL.finditer(sentence):
        if not taken.overlaps(*m.span()):
            taken.add(*m.span())
            if not _place_in_a_role(sentence, *m.span()):
                anchors.append(_Anchor(start + m.start(), start + m.end(), ""))
    for s, e in _geo_spans(sentence):
        if taken.overlaps(s, e):
            continue
        taken.add(s, e)
        if not _place_in_a_role(sentence, s, e) and not PLACE_ATTRIBUTE_AFTER.match(sentence, e):
            anchors.append(_Anchor(start + s, start + e, ""))
    return tuple(sorted(anchors, key=lambda a: a.start))


def _place_in_a_role(sentence: str, s: int, e: int) -> bool:
    """A place compared with (占全市的), or one the subject goes to, comes from or works in
    (在福建省内, 从上海, 引进深圳…) — except 在X， opening a clause, which sets the scene."""
    if COMPARATIVE_BEFORE.search(sentence, max(0, s - 2), s):
        return True
    m = PLACE_ROLE_BEFORE.search(sentence, max(0, s - 2), s)
    if m is None:
        return False
    opens_clause = m.start() == 0 or sentence[m.start() - 1] in "，,：:、“"
    return not (m.group() == "在" and opens_clause and sentence[e:e + 1] in ("，", ","))


def _geo_spans(text: str) -> list[tuple[int, int]]:
    """Places in a sentence: any place written with 省/市/县/区, provinces and cities also bare.

    A place that opens an organisation's name (青岛海尔…有限公司, 西安电子科技大学) is not about the place.
    """
    table = places()
    found = []
    for m in ADMIN_WORD.finditer(text):
        s = m.start()
        n = next((n for n in range(min(6, s), 1, -1) if text[s - n:s] in table), 0)
        if n:
            found.append((s - n, m.end()))
    for m in _major_places().finditer(text):
        if m.group() in AMBIGUOUS_PLACES:
            continue
        admin = ADMIN_SUFFIX.match(text, m.end())
        if admin and text[admin.end():admin.end() + 1] == "级":
            admin = None  # 江苏省级高新区: 省级 is a level
        found.append((m.start(), admin.end() if admin else m.end()))
    out: list[tuple[int, int]] = []
    for s, e in sorted(found, key=lambda se: (se[0], -se[1])):
        if out and s < out[-1][1]:
            continue
        if not COMPANY_TAIL.match(text, e) and not _names_a_thing(text, s, e):
            out.append((s, e))
    return out


def _names_a_thing(text: str, s: int, e: int) -> bool:
    """无锡零碳科技产业园: the place opens the name of a park's quarter or a base, not a scope."""
    m = PLACE_THING_TAIL.match(text, e)
    return m is not None and not GAP_VERBS.search(text, e, m.end()) \
        and not any(ch in STOP_CHARS for ch in text[e:m.end()])


# 省/市/县/区 after a place; 省级, 市级 are levels (新建省级以上孵化器: 新建 is no 新建省).
ADMIN_WORD = re.compile(r"(?:特别行政区|自治区|自治州|自治县|省|市|县|区)(?!级)")


@cache
def _major_places() -> re.Pattern:
    """Provinces and prefecture-level cities, the names a sentence about a region uses bare."""
    return re.compile(trie_pattern(k for k, v in places().items() if v in ("province", "city")))


# Prefecture names that are also everyday words or famous names; only counted with 市/州/县.
AMBIGUOUS_PLACES = word_set("来宾 阿里 安康 黄山 中山 普洱 玉树 新星 双河 昆玉 红河 文山 大理 朝阳 白山 海南 "
                             "山南 北屯 铁门关 胡杨河 德宏 迪庆 怒江 三沙 天门 长治 吉安 永州 和田 海东 海北 "
                             "海西 黄南 宁德 兴安 甘南 金昌")
