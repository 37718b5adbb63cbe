"""A newspaper page to its articles: titles, kickers, bylines, captions and body paragraphs.

Pages come from OCR or scraping, so the text is the page's columns in some reading order: titles
are short lines without end punctuation (sometimes split over two lines or two Markdown headings),
paragraphs are cut where a column ends, pull-quotes and decks repeat body text, and a column of one
article can sit inside another. The splitter reads a page in four passes:

1. every line becomes a unit whose kind comes from its own shape (heading, byline, caption, ...);
2. units are read in context: a heading followed by a byline or a 本报讯 lead is a title, one
   followed by body text a sub-heading; a heading-like line whose last character and the next
   paragraph's first character make a word used elsewhere on the page is a cut paragraph; a short
   line repeating a figure of the body is a pull-quote; and so on;
3. body paragraphs get an article by position, then move to another article of the page when their
   words clearly belong to it (a Viterbi pass whose states are the page's articles);
4. each article's paragraphs are put back in order, cut paragraphs rejoined, and its text built.

Rules read the normalised text (simplified, half-width) so that traditional pages and full-width
punctuation need no second set of rules; every string stored comes from the original text. All
passes are linear in the page size (the Viterbi pass is linear in paragraphs times articles).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from .model import Article, Block
from .normalize import fold_width, normalize

__all__ = ["split_page"]

# --- character classes (on normalised text: ，：；！？（） are already ASCII) -------------------

_CJK = r"\u3400-\u9fff"
_TERMINAL = set("。!?…;")
_CLOSERS = set("”’」』)】]》\"'")
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻"
    "位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但"
    "尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由邝"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "呼延", "澹台")

# --- line shapes -------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^(?:\*\*|__)(.+?)(?:\*\*|__)$")
_BOLD_PREFIX = re.compile(r"^(?:\*\*|__)([^*_]{1,16})(?:\*\*|__)\s*(.+)$")
_LIST_MARK = re.compile(r"^(?:>\s*|[-*+•]\s+)")
_RULE = re.compile(r"^(?:[-*_=]\s*){3,}$")
_DATE_IN_LINE = re.compile(r"(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}|([./-])\s*\d{1,2}\s*\1\s*\d{1,2}(?!\d))")
_FURNITURE = re.compile(r"第\s*[\d一二三四五六七八九十]+\s*版|^(?:星期|周)[一二三四五六日天]$|^date\s*:|^title\s*:")
_EDITOR_LINE = re.compile(r"^[*_]*\(?(?:责任编辑|责编|编辑|校对)\s*:[^)]{0,20}\)?[*_]*$")
_META = re.compile(r"^(?:来源|稿源|发布时间|发布日期|时间|作者|编辑|责任编辑|责编|字号)\s*:")
_META_AUTHOR = re.compile(r"作者\s*:\s*(.+?)(?=\s+\S{2,6}:|$)")
_LEAD = re.compile(
    rf"^(?:(?:本报|本刊|[{_CJK}]{{2,8}}(?:报|网|台|社|刊))讯"
    rf"|(?:新华社|中新社|中新网|本报|人民网|新华网)[{_CJK}]{{0,10}}(?:\d{{1,2}}月)?\d{{1,2}}日电"
    r"|(?=\((?:本报)?(?:特约)?(?:记者|通讯员)))"
    r"\s*(?:\([^()]{0,50}\))?\s*"
)
_JUMP_IN = re.compile(r"^\(\s*(?:上接|接上|紧接|上转)[^()]{0,10}\)\s*")
_JUMP_OUT = re.compile(r"\s*\(\s*(?:下转|转第|转)[^()]{0,10}\)$")
_ROLE = re.compile(r"记者|通讯员|撰稿|作者|编辑|实习生|文\s*[/|｜]|图\s*[/|｜]")
_BYLINE_MARK = re.compile(r"^[◎▶►●■★☆◆◇□▲△•▷◉]\s*")
_BYLINE_BODY = re.compile(rf"^[{_CJK}·\s/|｜()]+$")
_CREDIT_END = re.compile(rf"(?:供图|供稿|提供|[{_CJK}·]{{2,6}}\s*/?\s*摄|摄影)\)?$")
_CREDIT_START = re.compile(r"^(?:图片来源|图片|图|摄影|照片)\s*[:/|]|^\(?(?:图片|照片|图)由.{1,24}提供")
_CREDIT_TAIL = re.compile(r"(?:^|\s)(?:图片来源|图片|图|摄影)\s*[:/|]\s*\S{1,24}$")
_CAPTION_START = re.compile(r"^(?:图为|上图|下图|左图|右图|图\d|资料图)")
_CIRCLED = re.compile(r"[①-⑳❶-❿➀-➉]$|之[一二三四五六七八九十]+$|\([一二三四五六七八九十\d]{1,3}\)$")
_KICKER_WORDS = {
    "相关链接", "链接", "延伸阅读", "编者按", "编后", "编后语", "短评", "评论", "时评", "快评", "述评",
    "综述", "特写", "专访", "访谈", "观察", "聚焦", "速递", "快讯", "简讯", "资讯", "动态", "要闻",
    "图片新闻", "图说", "图闻", "数读", "背景", "记者手记", "记者观察", "一线", "前沿", "视点", "热点",
    "声音", "看点", "图片报道", "新闻速递", "新闻链接", "知识链接", "小贴士", "名词解释",
}
_BOX_WORDS = {"相关链接", "链接", "延伸阅读", "背景", "名词解释", "小贴士", "知识链接", "新闻链接", "数读"}
_KICKER_SUFFIX = re.compile(
    r"(?:镜头|链接|观察|速递|动态|快讯|简讯|聚焦|扫描|视点|视角|一线|手记|前沿|纵横|直击|巡礼|风采|"
    r"进行时|在行动|专栏|专题|系列报道|短波|短讯|简报|传真|连线|掠影|集锦|速览|纪行|走笔)$"
)
_EDITOR_NOTE = re.compile(r"^编者按")
# Words that open a sentence of running text, never a heading: 目前，… 据悉，…
_OPENER = re.compile(
    r"^(?:目前|近年来|近日|日前|同时|此外|另外|据悉|据了解|据介绍|据统计|其中|因此|然而|但是|不过|如今|当前|"
    r"今年|去年|随后|截至目前|与此同时|一方面|另一方面|首先|其次|最后|对此|为此|此前|眼下|记者了解到)\s*,")
_TRAILING_NAMES = re.compile(rf"^(.*[。!?”])\s+((?:[{_CJK}]{{2,4}})(?:\s+[{_CJK}]{{2,4}}){{0,3}})$")
# X+ written XX*: the engine skips fast only to a first class (see SENTENCE_END in figures.py).
_SPACES = re.compile(r"\s\s*")
_PUNCT = r"[\s:：,，。、“”\"'‘’「」《》()（）!！?？·\-—;；…]"
_NORM_PUNCT = re.compile(f"{_PUNCT}{_PUNCT}*")
_NUMBER = re.compile(r"\d\d*(?:\.\d+)?")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_FRESH_START = re.compile(rf"^[{_CJK}]{{1,4}},")  # 期间，… 目前，…: a sentence begins here
_PARK_NAME = re.compile(
    rf"[{_CJK}]{{2,8}}?(?:国家)?(?:高新技术产业开发区|经济技术开发区|高新区|经开区|开发区|新区|工业园区|"
    r"产业园区|生态城|示范区|农高区|产业园|工业园)")

_MAX_HEADING = 40  # a heading-like line is at most this many characters
_MAX_TITLE = 64  # headings joined into one title are at most this long
_ANCHOR_PARAS = 4  # paragraphs right after a title that surely belong to it
_PAIR_LOOKUPS = 16  # questions about a page's character pairs answered by counting in its text
_PULL_WINDOW = 12  # a pull-quote is compared with the paragraphs this many units around it
_MAX_STATES = 12  # the Viterbi pass looks at this many consecutive articles at a time
_PARK_WINDOW = 60  # units of the running article read to see which parks it is about
_PRIOR, _SWITCH = 2.0, 6.0  # Viterbi: bonus for staying where the layout put a paragraph; cost of a jump
_FLOW = ("BODY", "SUB")


@dataclass(slots=True)
class _Unit:
    """One line (or a few merged lines) of the page."""

    kind: str  # H HL BODY SUB BYLINE CAPTION CREDIT KICKER NAME FURN PULL
    raw: str
    norm: str
    block: int
    pos: int = 0
    level: int = 0  # Markdown heading level, 0 for none
    lead: bool = False  # starts with 本报讯 / 科技日报讯 / 新华社…电
    jump: bool = False  # starts with （上接第一版）: continues an article from another page
    art: int = -1  # article after reassignment
    home: int = -1  # article by position
    dropped: bool = False
    title: bool = False  # first unit of a decided title

    def __init__(self, kind: str, raw: str, norm: str, block: int, pos: int = 0, level: int = 0, lead: bool = False,
                 jump: bool = False, art: int = -1, home: int = -1, dropped: bool = False, title: bool = False) -> None:
        self.kind = kind  # written out to be compiled: see parsers/compiled.py
        self.raw = raw
        self.norm = norm
        self.block = block
        self.pos = pos
        self.level = level
        self.lead = lead
        self.jump = jump
        self.art = art
        self.home = home
        self.dropped = dropped
        self.title = title


@dataclass(slots=True)
class _Heading:
    """Consecutive heading units read as one heading (a title, a sub-heading or a box label)."""

    groups: list[list[int]]  # unit indexes; a group is one heading split over lines
    kickers: list[int]
    title: bool = False
    box: bool = False  # a label alone over text: an untitled box (相关链接 …)

    @property
    def parts(self) -> list[int]:
        return [i for g in self.groups for i in g]


@dataclass(slots=True)
class _Draft:
    """An article while the page is being read."""

    title: str = ""
    title_pos: int = -1
    kickers: list[str] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    fixed: bool = False  # a photo item or box: no paragraph moves in or out


# --- small predicates ------------------------------------------------------------------------


def _ends_sentence(norm: str) -> bool:
    """Whether a paragraph ends where a sentence can end (so it was not cut by the layout)."""
    s = norm.rstrip()
    if not s:
        return True
    last = s[-1]
    if last in _TERMINAL or last == ":":
        return True
    if last == "." and len(s) > 1 and not s[-2].isdigit():
        return True
    if last in _CLOSERS:
        inner = s[:-1].rstrip()
        while inner and inner[-1] in _CLOSERS:
            inner = inner[:-1].rstrip()
        return bool(inner) and inner[-1] in _TERMINAL
    m = _TRAILING_NAMES.match(s[-40:])  # …奉献爱心。 陶奇: a reporter's name closes the item
    return m is not None and _is_name(m.group(2))


def _balanced(s: str) -> bool:
    return s.count("“") == s.count("”") and s.count("《") == s.count("》") and s.count("(") == s.count(")")


def _heading_shape(s: str) -> bool:
    """Short, no full stop, not cut inside a clause: could be a title or a sub-heading."""
    if not s or len(s) > _MAX_HEADING or "。" in s:
        return False
    if len(_CJK_CHAR.findall(s)) < 2:
        return False
    if s[-1] in ",、;…-—" or s[0] in ",、;:。)”》":
        return False
    commas = s.count(",")
    if commas >= 2 or (commas and len(s) > 24 and ":" not in s) or _OPENER.match(s):
        return False
    return _balanced(s)


def _is_name(s: str) -> bool:
    """A reporter's name (or a few) on its own: 陶奇, 郭树勋, 欧阳楚英 李瑞."""
    parts = s.split()
    if not parts or len(parts) > 4:
        return False
    for p in parts:
        if not (2 <= len(p) <= 4) or not all("\u4e00" <= ch <= "\u9fff" for ch in p):
            return False
        compound = p[:2] in _COMPOUND_SURNAMES
        if (len(p) == 4 and not compound) or (p[0] not in _SURNAMES and not compound):
            return False
    return True


def _is_kicker(s: str) -> bool:
    """A column or series label: 园镜头, 相关链接, 园区绿色转型③, 两岸园区观察."""
    if not s or len(s) > 16:
        return False
    if s in _KICKER_WORDS:
        return True
    if len(s) <= 14 and _CIRCLED.search(s) and "。" not in s and "," not in s:
        return True
    return len(s) <= 8 and bool(_KICKER_SUFFIX.search(s)) and "," not in s


def _is_box_label(s: str) -> bool:
    """A label over a side box rather than a column name: 相关链接, 背景, 名词解释."""
    return s in _BOX_WORDS or s.endswith("链接")


def _is_byline(s: str) -> bool:
    if len(s) > 60 or not _ROLE.search(s):
        return False
    if _BYLINE_MARK.match(s):
        return True
    return bool(_BYLINE_BODY.match(s)) and len(s) <= 40


def _credit_kind(s: str) -> str | None:
    """CREDIT for a photo credit alone, CAPTION for picture text (possibly ending with a credit)."""
    if len(s) <= 60 and _CREDIT_START.match(s):
        return "CREDIT"
    if _CAPTION_START.match(s) and len(s) <= 200:
        return "CAPTION"
    tail = _CREDIT_TAIL.search(s) if len(s) <= 80 else None
    if tail:
        return "CAPTION" if tail.start() > 0 else "CREDIT"
    if len(s) <= 60 and "。" not in s[:-1] and _CREDIT_END.search(s):
        head = _CREDIT_END.sub("", s).strip()
        if not head or _is_name(head) or head.startswith(("本报", "记者", "新华社")) or len(head) <= 8:
            return "CREDIT"
        return "CAPTION"
    return None


def _squash(s: str) -> str:
    return _NORM_PUNCT.sub("", s)


def _bigrams(s: str) -> set[str]:
    s = _squash(s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


# About one character in four (CJK and printable ASCII), by a fixed hash of its code point: a
# six-character piece is sampled when its first character is one of these. The choice depends on
# the text alone, never on Python's per-process string hash, so a page splits the same way in
# every run; and a sampled piece is sampled wherever it occurs, so the paragraphs holding it are
# found by collecting every paragraph's sampled pieces.
_SAMPLE_CHARS = frozenset(chr(c) for c in (*range(0x21, 0x7F), *range(0x3400, 0xA000))
                          if (c * 0x9E3779B1) & 0xFFFFFFFF < 0x40000000)
_HOLDERS = 8  # a piece is looked up in the first paragraphs that hold it, this many at most
_SEARCH_LIMIT = 20_000_000  # pieces times characters searched with str.find before a full scan


@lru_cache(maxsize=1)
def _sampled_pieces() -> re.Pattern[str]:
    """Every six-character piece (overlapping) that starts with a sampled character. Compiled on
    first use: the class is large and most imports of this module never split a page."""
    sampled = re.escape("".join(sorted(_SAMPLE_CHARS)))
    # (?=([sampled].{5})), but starting with the class so that the engine skips ahead to one (see
    # SENTENCE_END in figures.py): the lookbehind steps back over it and captures the piece.
    return re.compile(f"[{sampled}](?<=(?=(.{{6}})).)", re.S)


class _Repeats:
    """Which paragraphs share text with which, for finding a paragraph printed twice.

    A paragraph (a dozen character pairs or more) looks up its sampled six-character pieces and
    its first, middle and last piece; each piece counts for the first few other paragraphs that
    hold it, and the three paragraphs counted most are its candidates. Built once per page: the
    sampled pieces of every paragraph are collected by one regular expression each; the first,
    middle and last pieces that are not sampled are searched for in the joined text (with
    str.find, or on a huge page by listing every piece, so the work stays linear)."""

    def __init__(self, squashed: list[str]) -> None:
        self.sq = squashed
        self._grams: dict[int, set[int]] = {}
        find = _sampled_pieces().findall
        sampled = [set(find(sq)) for sq in squashed]
        seen: set[str] = set()
        shared: set[str] = set()
        for pieces in sampled:
            shared |= pieces & seen
            seen |= pieces
        index: dict[str, list[int]] = {}
        for i, pieces in enumerate(sampled):
            for piece in pieces & shared:
                holders = index.setdefault(piece, [])
                if len(holders) < _HOLDERS:
                    holders.append(i)
        self.queries: dict[int, set[str]] = {}
        ends: set[str] = set()
        for i, sq in enumerate(squashed):
            if self.eligible(i):
                n = len(sq) - 5
                mine = {sq[:6], sq[n // 2:n // 2 + 6], sq[n - 1:n + 5]}
                self.queries[i] = sampled[i] | mine
                ends |= mine - sampled[i]
        index.update(self._holders(ends))
        self.index = index

    def eligible(self, i: int) -> bool:
        """At least a dozen distinct character pairs: k distinct characters make at least k - 1
        pairs, so the first characters of a paragraph usually settle it without counting them."""
        return len(set(self.sq[i][:32])) > 12 or len(self.grams(i)) >= 12

    def grams(self, i: int) -> set[int]:
        g = self._grams.get(i)
        if g is None:
            g = self._grams[i] = _pair_codes(self.sq[i])
        return g

    def candidates(self, i: int) -> list[int]:
        """The three paragraphs sharing most pieces with paragraph i; the earliest among equals."""
        index = self.index
        counts = Counter(chain.from_iterable(map(index.__getitem__, self.queries[i] & index.keys())))
        counts.pop(i, None)
        return [j for j, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]

    def _holders(self, pieces: set[str]) -> dict[str, list[int]]:
        """The first paragraphs holding each piece (a piece holds no line end, so searching the
        paragraphs joined by line ends finds no piece across two of them)."""
        out: dict[str, list[int]] = {p: [] for p in pieces}
        joined = "\n".join(self.sq)
        if len(pieces) * len(joined) > _SEARCH_LIMIT:
            for i, sq in enumerate(self.sq):
                for piece in {sq[k:k + 6] for k in range(len(sq) - 5)} & pieces:
                    if len(out[piece]) < _HOLDERS:
                        out[piece].append(i)
            return out
        starts = [0]
        for sq in self.sq:
            starts.append(starts[-1] + len(sq) + 1)
        last = len(self.sq) - 1
        for piece, holders in out.items():
            at = joined.find(piece)
            while at >= 0:
                i = bisect_right(starts, at) - 1
                holders.append(i)
                if len(holders) >= _HOLDERS or i >= last:
                    break
                at = joined.find(piece, starts[i + 1])
        return out


# A pair of adjacent characters as one int (the two code points side by side): a page's pairs are
# counted and compared in C, without making a string for each.
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
_FIRST, _SECOND = (0, 32) if sys.byteorder == "little" else (32, 0)
_CJK_RUN = re.compile(rf"[{_CJK}][{_CJK}]+")


def _pair_codes(s: str) -> set[int]:
    """Every pair of adjacent characters of s, as codes."""
    b = memoryview(s.encode(_UTF32, "surrogatepass"))
    out = set(b[:len(b) // 8 * 8].cast("Q"))
    if len(b) > 8:
        out.update(b[4:4 + (len(b) - 4) // 8 * 8].cast("Q"))
    return out


def _cjk_pairs(s: str) -> set[int]:
    """Pairs of adjacent CJK characters, as codes: the runs of CJK characters joined by NUL, less
    the pairs with the NUL (whose codes no two CJK characters can have)."""
    runs = _CJK_RUN.findall(s)
    if len(runs) < 2:
        return _pair_codes(runs[0]) if runs else set()
    out = _pair_codes("\0".join(runs))
    out.difference_update([ord(r[-1]) << _FIRST for r in runs[:-1]])
    out.difference_update([ord(r[0]) << _SECOND for r in runs[1:]])
    return out


# --- pass 1: lines to units ----------------------------------------------------------------


def _lines(text: str, norm: str) -> tuple[list[_Unit], str]:
    """Every non-blank line as a unit with the kind its own shape suggests; and a front-matter title."""
    units: list[_Unit] = []
    block = 0
    blank = True
    raw_lines = text.split("\n")
    norm_lines = norm.split("\n")
    if len(raw_lines) != len(norm_lines):  # normalisation never adds or removes a line end
        norm_lines = fold_width(text).split("\n")
    front, front_title = _front_matter(norm_lines)
    seen_text = 0
    for i, (raw_line, norm_line) in enumerate(zip(raw_lines, norm_lines, strict=False)):
        s = norm_line.strip()
        if not s:
            blank = True
            continue
        if blank:
            block += 1
            blank = False
        if i < front or _RULE.match(s):
            continue
        lead = len(norm_line) - len(norm_line.lstrip())
        raw = raw_line[lead:lead + len(s)]
        seen_text += 1
        units.extend(_classify(raw, s, block, top=seen_text <= 6))
    return units, front_title


def _front_matter(lines: list[str]) -> tuple[int, str]:
    """Index after a YAML front matter block (--- … ---) at the top, and its title."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return 0, ""
    title = ""
    for j in range(first + 1, min(len(lines), first + 40)):
        line = lines[j].strip()
        if line in ("---", "..."):
            return j + 1, title
        if line.lower().startswith("title:"):
            title = line[6:].strip().strip("\"'")
    return 0, ""


def _cut(raw: str, s: str, start: int, end: int) -> tuple[str, str]:
    """The same slice of the original and the normalised line (they have the same length)."""
    return raw[start:end], s[start:end]


def _classify(raw: str, s: str, block: int, top: bool) -> list[_Unit]:
    """The kind of one line from its shape; a line may hold two things (**专栏** ◎本报记者 …)."""
    level = 0
    m = _MD_HEADING.match(s)
    if m:
        level = len(m.group(1))
        raw, s = _cut(raw, s, m.start(2), m.end(2))
    b = _BOLD_LINE.match(s)
    if b and len(b.group(1)) <= _MAX_HEADING:
        level = level or 2
        raw, s = _cut(raw, s, b.start(1), b.end(1))
    elif not level:
        bp = _BOLD_PREFIX.match(s)
        if bp:  # a bold label before the text: a kicker, then the rest of the line
            head = _classify(*_cut(raw, s, bp.start(1), bp.end(1)), block, top)
            if len(head) == 1 and head[0].kind in ("KICKER", "HL"):
                head[0].kind = "KICKER"
                return head + _classify(*_cut(raw, s, bp.start(2), bp.end(2)), block, top)
        lm = _LIST_MARK.match(s)
        if lm:
            raw, s = _cut(raw, s, lm.end(), len(s))
    stripped = s.strip()
    if not stripped:
        return []
    k = len(s) - len(s.lstrip())
    raw, s = raw[k:k + len(stripped)], stripped
    return [_kind_of(raw, s, block, level, top)]


def _kind_of(raw: str, s: str, block: int, level: int, top: bool) -> _Unit:
    if (len(s) <= 30 and _FURNITURE.search(s)) or _EDITOR_LINE.match(s):
        return _Unit("FURN", raw, s, block)
    if _META.match(s):  # 来源：… 发布时间：… 作者：…
        a = _META_AUTHOR.search(s)
        if a and (_ROLE.search(a.group(1)) or _is_name(a.group(1).strip())):
            return _Unit("BYLINE", raw[a.start(1):a.end(1)], a.group(1), block)
        return _Unit("FURN", raw, s, block)
    if top and not level and len(s) <= 40 and "。" not in s and _DATE_IN_LINE.search(s):
        return _Unit("FURN", raw, s, block)  # the page's date line
    if _is_kicker(s):
        return _Unit("KICKER", raw, s, block, level=level)
    credit = _credit_kind(s)
    if credit:
        return _Unit(credit, raw, s, block)
    if _is_byline(s):
        return _Unit("BYLINE", raw, s, block, level=level)
    if level:
        return _Unit("H", raw, s, block, level=level)
    jump = False
    m = _JUMP_IN.match(s)
    if m:
        raw, s, jump = raw[m.end():], s[m.end():], True
    m = _JUMP_OUT.search(s) if s.endswith(")") else None  # the pattern ends with )$
    if m:
        raw, s = raw[:m.start()], s[:m.start()]
    if not s:
        return _Unit("FURN", raw, s, block)
    if _LEAD.match(s):
        return _Unit("BODY", raw, s, block, lead=True, jump=jump)
    if not jump and _is_name(s):
        return _Unit("NAME", raw, s, block)
    if not jump and _heading_shape(s):
        return _Unit("HL", raw, s, block)
    return _Unit("BODY", raw, s, block, jump=jump)


def _merge_lines(units: list[_Unit]) -> list[_Unit]:
    """Lines of one block that belong together: a paragraph hard-wrapped over lines, a byline on two."""
    out: list[_Unit] = []
    parts: list[tuple[list[str], list[str]]] = []  # raw and normalised pieces of each unit
    for u in units:
        prev = out[-1] if out else None
        if prev is not None and prev.block == u.block and _same_paragraph(prev.kind, parts[-1][1][-1], u):
            parts[-1][0].append(u.raw)
            parts[-1][1].append(u.norm)
            continue
        out.append(u)
        parts.append(([u.raw], [u.norm]))
    for i, (u, (raws, norms)) in enumerate(zip(out, parts, strict=True)):
        if len(raws) > 1:
            sep = " " if u.kind == "BYLINE" else ""
            u.raw, u.norm = sep.join(raws), sep.join(norms)
        u.pos = i
    return out


def _same_paragraph(kind: str, last_norm: str, u: _Unit) -> bool:
    if kind == "BYLINE":
        return u.kind in ("BYLINE", "NAME")
    return kind == "BODY" and u.kind in ("BODY", "HL", "NAME") and not _ends_sentence(last_norm)


# --- pass 2: reading units in context ------------------------------------------------------


class _Page:
    """The units of a page and what the whole page says about them."""

    def __init__(self, units: list[_Unit], norm: str, hint: str) -> None:
        self.u = units
        self.md = any(x.level for x in units)  # headings are marked: unmarked short lines are text
        self._shapes: dict[int, tuple[str, set[str]]] = {}
        self.hint = _squash(fold_width(hint)) if hint else ""
        self.norm = norm
        self._lookups = 0
        self._pairs: tuple[Counter[str], Counter[str], Counter[str]] | None = None

    def next_index(self, i: int, skip: tuple[str, ...] = ()) -> int | None:
        j = i + 1
        while j < len(self.u) and (self.u[j].kind in skip or self.u[j].dropped):
            j += 1
        return j if j < len(self.u) else None

    def prev_index(self, i: int, skip: tuple[str, ...] = ()) -> int | None:
        j = i - 1
        while j >= 0 and (self.u[j].kind in skip or self.u[j].dropped):
            j -= 1
        return j if j >= 0 else None

    def word_split(self, left: str, right: str) -> bool:
        """Whether left's last and right's first character make a word used elsewhere on the page
        (股|份, 介|绍): then left is the head of a paragraph cut by the layout, not a heading."""
        if not left or not right:
            return False
        a, b = left[-1], right[0]
        if not (a.isalnum() and b.isalnum()):
            return False
        n, firsts, seconds = self._pair_counts(a, b)
        if n == 0:
            return False
        return n / max(firsts, 1) >= 0.3 or n / max(seconds, 1) >= 0.3

    def _pair_counts(self, a: str, b: str) -> tuple[int, int, int]:
        """How often the page has the pair a+b, a pair starting with a, and one ending with b.
        A few questions are answered by counting in the page's text; after that, every pair of
        the page is counted once."""
        norm = self.norm
        self._lookups += 1
        if self._pairs is None and self._lookups > _PAIR_LOOKUPS:
            pairs = Counter(norm[i:i + 2] for i in range(len(norm) - 1))
            firsts: Counter[str] = Counter()
            seconds: Counter[str] = Counter()
            for pair, n in pairs.items():
                firsts[pair[0]] += n
                seconds[pair[1]] += n
            self._pairs = pairs, firsts, seconds
        if self._pairs is not None:
            pairs, firsts, seconds = self._pairs
            return pairs.get(a + b, 0), firsts[a], seconds[b]
        n = norm.count(a + b) if a != b else len(re.findall(f"(?={re.escape(a + b)})", norm))
        return n, norm.count(a) - (norm[-1] == a), norm.count(b) - (norm[0] == b)

    def echoes_body(self, i: int) -> bool:
        """A short line about a figure (a number near its end) repeating a nearby paragraph of the
        page: a pull-quote (70% 以上, 56GWh). Pull-quotes sit near what they quote, so only the
        paragraphs within a window are compared (which keeps the pass linear)."""
        s = self.u[i].norm
        digits = [k for k, ch in enumerate(s) if ch.isdigit()]
        if not digits or len(s) > 30 or len(s) - 1 - digits[-1] > 5:
            return False
        sq = _squash(s)
        grams = _bigrams(s)
        numbers = _NUMBER.findall(s)
        for j in range(max(0, i - _PULL_WINDOW), min(len(self.u), i + _PULL_WINDOW + 1)):
            x = self.u[j]
            if j == i or x.kind != "BODY" or len(x.norm) < 2 * len(s) or not all(n in x.norm for n in numbers):
                continue
            xsq, xgrams = self._shape(j)
            if sq and sq in xsq:
                return True
            if len(grams) >= 4 and len(grams & xgrams) >= 0.75 * len(grams):
                return True
        return False

    def _shape(self, j: int) -> tuple[str, set[str]]:
        if j not in self._shapes:
            self._shapes[j] = (_squash(self.u[j].norm), _bigrams(self.u[j].norm))
        return self._shapes[j]


_AFTER_HEADING = ("KICKER", "CAPTION", "CREDIT", "FURN", "PULL")


def _title_evidence(page: _Page, i: int) -> bool:
    """A heading followed by a byline or a 本报讯 lead starts an article."""
    j = page.next_index(i, skip=_AFTER_HEADING)
    if j is None:
        return False
    nxt = page.u[j]
    return nxt.kind == "BYLINE" or (nxt.kind == "BODY" and nxt.lead)


def _read_context(page: _Page) -> None:
    _captions(page)
    _names(page)
    for i, u in enumerate(page.u):  # pull-quotes
        short_text = u.kind == "BODY" and not u.lead and not _ends_sentence(u.norm)
        if (short_text or (u.kind in ("HL", "H") and u.level != 1 and not _title_evidence(page, i))) \
                and page.echoes_body(i):
            u.kind = "PULL"
    for i, u in enumerate(page.u):
        if u.kind == "HL":
            u.kind = _heading_or_text(page, i)


def _captions(page: _Page) -> None:
    """Picture text just before a credit becomes one caption with it."""
    units = page.u
    for i, u in enumerate(units):
        if u.kind != "CREDIT":
            continue
        t = units[i - 1] if i > 0 else None
        if t is not None and t.kind in ("HL", "NAME") and t.block >= u.block - 1:
            u.raw, u.norm = t.raw + " " + u.raw, t.norm + " " + u.norm
            u.kind = "CAPTION"
            t.kind = "FURN"


def _names(page: _Page) -> None:
    """A name on its own after body text and before a heading (or the end) closes an item."""
    units = page.u
    for i, u in enumerate(units):
        if u.kind != "NAME":
            continue
        p = page.prev_index(i, skip=("FURN",))
        q = page.next_index(i, skip=("FURN",))
        after_body = p is not None and units[p].kind == "BODY"
        nxt = units[q] if q is not None else None
        closes = nxt is None or nxt.kind not in ("BODY", "BYLINE") or nxt.lead or nxt.jump
        u.kind = "NAME" if after_body and closes else "HL"


def _heading_or_text(page: _Page, i: int) -> str:
    """A heading-like line: a heading, a kicker next to a heading, or the head of a cut paragraph."""
    u = page.u[i]
    q = page.next_index(i, skip=("FURN",))
    nxt = page.u[q] if q is not None else None
    if page.md and not _title_evidence(page, i):
        # Headings are marked on this page: an unmarked short line next to one is a label.
        near = (nxt is not None and nxt.kind in ("H", "KICKER")) or (
            i > 0 and page.u[i - 1].kind == "H" and page.u[i - 1].block == u.block)
        if near and len(u.norm) <= 12:
            return "KICKER"
        p = page.prev_index(i, skip=("FURN",))
        tail = p is not None and page.u[p].kind == "BODY" and not _ends_sentence(page.u[p].norm)
        head = nxt is not None and nxt.kind == "BODY" and page.word_split(u.norm, nxt.norm)
        return "KICKER" if len(u.norm) <= 8 and not tail and not head else "BODY"
    if nxt is not None and nxt.kind == "BODY" and not nxt.lead and page.word_split(u.norm, nxt.norm):
        return "BODY"
    return "HL"


def _clusters(page: _Page) -> list[list[int]]:
    """Runs of heading units (titles, kickers, sub-headings) not separated by text."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, u in enumerate(page.u):
        if u.kind in ("H", "HL", "KICKER"):
            cur.append(i)
        elif u.kind in ("FURN", "PULL"):
            continue
        else:
            if cur:
                out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _groups(page: _Page, cluster: list[int]) -> list[_Heading]:
    """A cluster as headings: lines of one level join; a kicker goes with the heading after it (or
    the one before it when it comes last)."""
    heads: list[_Heading] = []
    kickers: list[int] = []
    cur: list[int] = []
    level = -1
    for i in cluster:
        u = page.u[i]
        if u.kind == "KICKER":
            if cur:
                heads.append(_Heading([cur], kickers))
                kickers, cur = [], []
            kickers.append(i)
            continue
        length = sum(len(page.u[k].norm) for k in cur) + len(u.norm)
        if cur and (u.level != level or length > _MAX_TITLE):
            heads.append(_Heading([cur], kickers))
            kickers, cur = [], []
        cur.append(i)
        level = u.level
    if cur:
        heads.append(_Heading([cur], kickers))
    elif kickers:
        if heads:
            heads[-1].kickers.extend(kickers)
        else:
            heads.append(_Heading([], kickers))
    return heads


def _decide_headings(page: _Page) -> list[_Heading]:
    """Which headings are titles; a title and the heading under it (副题) become one title."""
    out: list[_Heading] = []
    seen_title = False
    since = 0  # where the current article began
    for cluster in _clusters(page):
        last = cluster[-1]
        evidence = _title_evidence(page, last)
        heads = _groups(page, cluster)
        for k, h in enumerate(heads):
            final = k == len(heads) - 1
            if not h.groups:
                if evidence:  # a label standing as the only heading over a byline
                    h.groups, h.kickers = [h.kickers[-1:]], h.kickers[:-1]
                else:
                    h.box = final and _body_next(page, last) and _is_box_label(page.u[h.kickers[-1]].norm)
                    out.append(h)
                    continue
            units = [page.u[i] for i in h.parts]
            h.title = bool(
                any(u.level == 1 for u in units)
                or (final and evidence)
                or len(h.parts) > 1
                or h.kickers
                or not final
                or (not seen_title and _body_next(page, last, allow_byline=True))
                or _after_item_end(page, h.parts[0])
                or (page.hint and _squash(" ".join(u.norm for u in units)) == page.hint)
                or _names_another_park(page, h.parts, since)
            )
            seen_title = seen_title or h.title
            if h.title:
                since = h.parts[0]
            prev = out[-1] if out and k > 0 else None
            if (prev is not None and prev.title and h.title and not h.kickers
                    and sum(len(page.u[i].norm) for i in prev.parts + h.parts) <= _MAX_TITLE):
                prev.groups.extend(h.groups)  # a title and its sub-title
                continue
            out.append(h)
    return out


def _names_another_park(page: _Page, parts: list[int], since: int) -> bool:
    """A bare heading that names a park the running article never mentioned, when that article is
    about another park and the next paragraph talks about the heading's park: a new item."""
    heading = "".join(page.u[i].norm for i in parts)
    names = {m.group() for m in _PARK_NAME.finditer(heading)}
    if not names:
        return False
    start = max(since, parts[0] - _PARK_WINDOW)
    before = [page.u[i].norm for i in range(start, parts[0]) if page.u[i].kind in ("BODY", "H", "HL")]
    if not before:
        return False
    so_far = "".join(before)
    if any(n in so_far or n[:2] in so_far for n in names) or not _PARK_NAME.search(so_far):
        return False
    q = page.next_index(parts[-1], skip=("FURN", "PULL", "CAPTION", "CREDIT", "KICKER"))
    nxt = page.u[q].norm if q is not None and page.u[q].kind == "BODY" else ""
    return any(n[:2] in nxt for n in names)


def _body_next(page: _Page, i: int, allow_byline: bool = False) -> bool:
    skip = ("FURN", "PULL", "BYLINE") if allow_byline else ("FURN", "PULL")
    j = page.next_index(i, skip=skip + (("CAPTION", "CREDIT") if allow_byline else ()))
    return j is not None and page.u[j].kind == "BODY"


def _after_item_end(page: _Page, i: int) -> bool:
    """Preceded by a reporter's name closing the previous item."""
    p = page.prev_index(i, skip=("FURN", "CAPTION", "CREDIT", "PULL"))
    if p is None:
        return False
    prev = page.u[p]
    if prev.kind == "NAME":
        return True
    m = _TRAILING_NAMES.match(prev.norm) if prev.kind == "BODY" else None
    return m is not None and _is_name(m.group(2))


# --- pass 3: articles --------------------------------------------------------------------


def split_page(text: str, fmt: str = "txt", html_title: str = "") -> list[Article]:
    """The articles of a page, in page order.

    `text` is the decoded page (line ends \\n); Markdown headings (`# `) are read as headings, which
    is how the reader hands over an HTML page's <h1>-<h3>. `html_title` is a hint for the title.
    `fmt` is accepted for symmetry with the reader: the page's own marks decide how it is read.
    """
    if not text or not text.strip():
        return []
    norm = normalize(text)
    exact = len(norm) == len(text) and norm.count("\n") == text.count("\n")
    if not exact:
        norm = fold_width(text)
    raw_units, front_title = _lines(text, norm)
    units = _merge_lines(raw_units)
    if not units:
        return []
    page = _Page(units, norm, html_title or front_title)
    _read_context(page)
    headings = _decide_headings(page)
    articles = _Assembler(page, headings, html_title or front_title).run()
    if not exact:  # the units hold a width-folded form only: the parsers normalise each article
        for article in articles:
            article.norm = ""
    return articles


# A page longer than this many characters (a dump of hundreds of articles, a site saved whole) is
# split a window at a time: reading a page holds about a hundred bytes per character, and its
# repeated paragraphs are looked for among neighbours, not across megabytes. Real pages are a
# few tens of thousands of characters.
WINDOW = 200_000
_BLANK = re.compile(r"\n(?:[ \t\u3000]*\n)+")


def iter_articles(text: str, fmt: str = "txt", html_title: str = "") -> Iterator[Article]:
    """The articles of a page in page order, like `split_page`, a window at a time on a huge page.

    Windows end where one article surely ends and the next begins (a finished sentence, a blank
    line, a line shaped like a title), so no article is cut in two where the page allows it."""
    if len(text) <= WINDOW * 3 // 2:
        yield from split_page(text, fmt, html_title)
        return
    seq = 0
    for n, (start, end) in enumerate(_windows(text)):
        window = text[start:end]
        articles = split_page(window, fmt, html_title if n == 0 else "")
        if not articles and window.strip():
            articles = [untitled(window)]  # nothing of the page is dropped
        for article in articles:
            article.seq = seq
            seq += 1
            yield article


def untitled(text: str) -> Article:
    """Text in which no article is found (one long heading, a bare line), kept as one article."""
    body = text.strip().lstrip("#").strip()
    return Article(seq=0, title="", text=body, norm="", blocks=[Block("body", 0, len(body))])


def _windows(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    while len(text) - start > WINDOW * 3 // 2:
        cut = _window_end(text, start + WINDOW)
        yield start, cut
        start = cut
    yield start, len(text)


def _window_end(text: str, at: int) -> int:
    """The first place after `at` where an article begins; failing that a paragraph, a line or a
    sentence ends; failing that (one line of megabytes) `at` itself."""
    limit = at + WINDOW // 2
    first_blank = None
    for m in _BLANK.finditer(text, at, limit):
        first_blank = first_blank or m.end()
        before = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        after_end = text.find("\n", m.end(), limit)
        after = text[m.end():after_end if after_end >= 0 else limit].strip().lstrip("#").strip()
        if _ends_sentence(normalize(before)) and _heading_shape(normalize(after)):
            return m.end()
    if first_blank is not None:
        return first_blank
    for mark in ("\n", "。"):
        found = text.find(mark, at, limit)
        if found >= 0:
            return found + 1
    return at


def _numbers(u: _Unit, cache: dict[int, set[str]]) -> set[str]:
    """The numbers a paragraph states, found once per paragraph. A repeat quotes its original's
    figures: paragraphs written to one pattern (2021年，A区营收X亿元) share most of their characters
    and are still different paragraphs when their numbers differ."""
    found = cache.get(u.pos)
    if found is None:
        found = cache[u.pos] = set(_NUMBER.findall(u.norm))
    return found


class _Assembler:
    """Decided units to articles."""

    def __init__(self, page: _Page, headings: list[_Heading], hint: str) -> None:
        self.page = page
        self.headings = headings
        self.hint = hint
        self.drafts: list[_Draft] = []
        self.flow: list[_Unit] = []
        self.position: dict[int, int] = {}

    def run(self) -> list[Article]:
        self._structure()
        self._dedupe()
        self.flow = [u for u in self.page.u if u.kind in _FLOW and not u.dropped]
        self.position = {x.pos: n for n, x in enumerate(self.flow)}
        titled = [k for k, d in enumerate(self.drafts) if d.title and not d.fixed]
        for g in range(0, len(titled), _MAX_STATES):
            self._reassign(titled[g:g + _MAX_STATES])
        return self._build()

    # -- structure: every unit gets an article by position ------------------------------------

    def _structure(self) -> None:
        units = self.page.u
        starts = {h.parts[0] if h.parts else h.kickers[0]: h for h in self.headings}
        cur = -1
        preamble: list[_Unit] = []
        kickers: list[str] = []
        skip_until = -1
        for i, u in enumerate(units):
            if i <= skip_until:
                continue
            h = starts.get(i)
            if h is not None:
                skip_until = max(h.parts + h.kickers)
                kickers += [units[k].raw for k in h.kickers]
                if h.title or h.box:
                    title = " ".join(_join_parts([units[k] for k in g]) for g in h.groups)
                    cur = self._new(_Draft(title=title, title_pos=i, kickers=kickers, fixed=h.box))
                    kickers = []
                    units[h.parts[0] if h.parts else i].title = True
                    for k in h.parts:
                        units[k].home = units[k].art = cur
                else:
                    for k in h.parts:
                        units[k].kind = "SUB"
                        self._place(units[k], cur, preamble)
                continue
            if u.kind == "CREDIT" and self._photo_item(i):
                cur = self._new(_Draft(kickers=kickers, fixed=True, title_pos=i))
                kickers = []
            self._place(u, cur, preamble)
        if not any(d.title for d in self.drafts) and self.hint:
            if self.drafts and not self.drafts[0].fixed:
                self.drafts[0].title = _clean_title(self.hint)
            else:
                self.drafts.insert(0, _Draft(title=_clean_title(self.hint)))
                for u in units:
                    if u.home >= 0:
                        u.home += 1
                        u.art += 1
        if not self.drafts:
            self.drafts.append(_Draft())
        first = next((k for k, d in enumerate(self.drafts) if not d.fixed), 0)
        for u in preamble:
            u.home = u.art = first
        if kickers:
            self.drafts[-1 if cur >= 0 else first].kickers.extend(kickers)

    def _new(self, d: _Draft) -> int:
        self.drafts.append(d)
        return len(self.drafts) - 1

    @staticmethod
    def _place(u: _Unit, cur: int, preamble: list[_Unit]) -> None:
        if cur < 0:
            preamble.append(u)
        else:
            u.home = u.art = cur

    def _photo_item(self, i: int) -> bool:
        """A credit over a short text with 图为… (or a 图片来源 credit) before the next heading."""
        page = self.page
        units = page.u
        p = page.prev_index(i, skip=("FURN", "KICKER", "CAPTION"))
        if p is not None and (units[p].title or units[p].kind in ("H", "HL", "SUB")):
            return False
        texts: list[_Unit] = []
        j = i + 1
        while j < len(units) and units[j].kind in ("BODY", "CAPTION", "FURN") and len(texts) <= 3:
            if units[j].kind != "FURN":
                texts.append(units[j])
            j += 1
        if not texts or len(texts) > 3 or any(t.lead for t in texts):
            return False
        if j < len(units) and units[j].kind not in ("H", "HL", "KICKER", "CREDIT", "NAME"):
            return False
        return units[i].norm.startswith("图片来源") or any("图为" in t.norm for t in texts)

    # -- repeated text ---------------------------------------------------------------------

    def _dedupe(self) -> None:
        """Drop a paragraph printed twice: a deck before its title, a sentence repeated as a quote."""
        page = self.page
        bodies = [u for u in page.u if u.kind == "BODY" and not u.dropped]
        if len(bodies) < 2:
            return
        rep = _Repeats([_squash(u.norm) for u in bodies])
        title_pos = [d.title_pos for d in self.drafts if d.title]
        first_title = min(title_pos) if title_pos else len(page.u)
        numbers: dict[int, set[str]] = {}
        for i, u in enumerate(bodies):
            if u.dropped or i not in rep.queries:
                continue
            g: set[int] = set()
            for j in rep.candidates(i):
                other = bodies[j]
                if other.dropped:
                    continue
                u_repeats = _numbers(u, numbers) <= _numbers(other, numbers)
                other_repeats = _numbers(other, numbers) <= _numbers(u, numbers)
                if not (u_repeats or other_repeats):
                    continue  # neither quotes the other's figures (checked first: it is cheap)
                g = g or rep.grams(i)
                og = rep.grams(j)
                common = len(g & og)
                if common < 0.8 * len(g):
                    continue
                if common < 0.8 * len(og):
                    if u_repeats:
                        u.dropped = True  # a shorter repeat of a longer paragraph
                        break
                    continue
                other_pos = other.pos
                deck = u.pos < first_title or self._before_title(u.pos)
                other_deck = other_pos < first_title or self._before_title(other_pos)
                u_goes = (deck and not other_deck) or (deck == other_deck and u.pos > other_pos)
                if u_goes and u_repeats:
                    u.dropped = True
                    break
                if not u_goes and other_repeats:
                    other.dropped = True

    def _before_title(self, i: int) -> bool:
        j = self.page.next_index(i, skip=("FURN", "CAPTION", "CREDIT", "KICKER", "PULL"))
        return j is not None and self.page.u[j].title

    # -- reassignment: paragraphs that clearly belong to another article move there ----------

    def _reassign(self, titled: list[int]) -> None:
        """Viterbi over the page's paragraphs. A paragraph scores, for each titled article, the
        character pairs it shares with that article's title and first paragraphs and with no other
        article's; staying in the article the layout gave it earns a bonus and a jump costs, except
        where a new title starts. A sub-heading moves with the paragraph after it. Long pages are
        read a dozen articles at a time."""
        members = set(titled)
        flow = [u for u in self.flow if u.home in members]
        if len(titled) < 2 or len(flow) < 3:
            return
        grams, shared, anchored = self._anchors(titled, flow)
        index = {k: n for n, k in enumerate(titled)}
        m = len(titled)
        neg = float("-inf")
        score: list[float] = []
        back: list[list[int]] = []
        prev: _Unit | None = None
        for u in flow:
            home = index[u.home]
            emit = [0.0] * m
            if u.pos in anchored:
                emit = [neg] * m
                emit[home] = 0.0
            else:
                pairs = _pair_codes(u.norm) - shared  # CJK pairs of one article alone count for it
                for k, gs in grams.items():
                    emit[index[k]] += len(pairs & gs)
                if not u.jump:
                    emit[home] += _PRIOR
            if prev is None:
                score, prev = emit, u
                back.append(list(range(m)))
                continue
            cost = 1e9 if prev.kind == "SUB" else (0.0 if u.jump else _SWITCH)
            free = prev.home != u.home  # a new title starts here
            best = max(range(m), key=score.__getitem__)
            row, new = [], []
            for a in range(m):
                jump = score[best] - (0.0 if free and a == home else cost)
                if score[a] >= jump:
                    new.append(score[a] + emit[a])
                    row.append(a)
                else:
                    new.append(jump + emit[a])
                    row.append(best)
            score, prev = new, u
            back.append(row)
        state = max(range(m), key=score.__getitem__)
        for t in range(len(flow) - 1, -1, -1):
            flow[t].art = titled[state]
            state = back[t][state]

    def _anchors(self, titled: list[int], flow: list[_Unit]) -> tuple[dict[int, set[int]], set[int], set[int]]:
        """The CJK character pairs of each article's title and first paragraphs, the pairs found in
        more than one article's, and the paragraphs read (which stay where they are)."""
        texts = {k: [self.drafts[k].title] for k in titled}
        anchored: set[int] = set()
        count = dict.fromkeys(titled, 0)
        closed: set[int] = set()  # an item closed by its reporter's name, or text jumping in
        for u in self.page.u:
            if (u.kind == "NAME" and u.home >= 0) or u.jump:
                closed.add(u.home)
            if u.kind not in _FLOW or u.home not in count or u.home in closed or u.dropped:
                continue
            if u.pos > self.drafts[u.home].title_pos and count[u.home] < _ANCHOR_PARAS:
                texts[u.home].append(u.norm)
                anchored.add(u.pos)
                count[u.home] += u.kind == "BODY"
        # one article's title and paragraphs read at once: no CJK pair spans a line end
        grams = {k: _cjk_pairs("\n".join(parts)) for k, parts in texts.items()}
        seen: set[int] = set()
        shared: set[int] = set()
        for gs in grams.values():
            shared |= gs & seen
            seen |= gs
        return grams, shared, anchored

    # -- building the articles ---------------------------------------------------------------

    def _build(self) -> list[Article]:
        page = self.page
        members: dict[int, list[_Unit]] = {k: [] for k in range(len(self.drafts))}
        last = -1
        waiting: list[str] = []  # captions before any text
        for u in page.u:
            if u.dropped:
                continue
            if u.kind in _FLOW:
                art = u.art if u.art >= 0 else max(u.home, 0)
                members[art].append(u)
                last = art
                if waiting:
                    self.drafts[art].captions.extend(waiting)
                    waiting = []
            elif u.kind in ("CAPTION", "CREDIT"):
                target = u.home if u.home >= 0 and self.drafts[u.home].fixed else last
                if target >= 0:
                    self.drafts[target].captions.append(u.raw)
                else:
                    waiting.append(u.raw)
            elif u.kind == "NAME" and last >= 0:
                self.drafts[last].names.append(u.raw)
            elif u.kind == "BYLINE":
                self.drafts[max(u.home, 0)].bylines.append(_clean_byline(u.raw))
        if waiting:
            self.drafts[max(last, 0)].captions.extend(waiting)
        articles: list[Article] = []
        for k, d in enumerate(self.drafts):
            paras = self._paragraphs(k, members[k])
            if any(kind == "body" for kind, _, _ in paras):
                articles.append(_article(len(articles), d, paras))
        return articles

    def _paragraphs(self, k: int, units: list[_Unit]) -> list[tuple[str, str, str]]:
        """(kind, text, normalised text) in reading order: cut paragraphs rejoined, leads and closing names taken out.

        Paragraphs the layout placed after the title come first, then those moved in from before
        it (a column that wrapped to the top of the page)."""
        d = self.drafts[k]
        units.sort(key=lambda u: (0 if (u.pos > d.title_pos or u.home == k) else 1, u.pos))
        out: list[tuple[str, list[str], list[str], _Unit]] = []  # kind, raw parts, norm parts, last unit
        for idx, u in enumerate(units):
            raw, norm = u.raw, u.norm
            if u.kind == "BODY" and u.lead:
                m = _LEAD.match(norm)
                if m:
                    d.bylines.insert(0, _clean_byline(raw[:m.end()]))
                    raw, norm = raw[m.end():], norm[m.end():]
            if u.kind == "BODY" and _EDITOR_NOTE.match(norm):
                d.kickers.append(raw[:3])
            if u.kind == "BODY" and (idx == len(units) - 1 or units[idx + 1].home != u.home):
                m = _TRAILING_NAMES.match(norm)
                if m and _is_name(m.group(2)):
                    d.names.append(raw[len(m.group(1)):].strip())
                    raw, norm = raw[:len(m.group(1))], norm[:len(m.group(1))]
            if not norm.strip():
                continue
            if out and out[-1][0] == "body" and u.kind == "BODY" and not _ends_sentence(out[-1][2][-1]) \
                    and self._continues(out[-1][3], u):
                out[-1][1].append(raw)
                out[-1][2].append(norm)
                out[-1] = (out[-1][0], out[-1][1], out[-1][2], u)
                continue
            out.append(("subhead" if u.kind == "SUB" else "body", [raw], [norm], u))
        while out and out[-1][0] == "subhead":  # a sub-heading whose text went elsewhere
            out.pop()
        return [(kind, "".join(raws), "".join(norms)) for kind, raws, norms, _u in out]

    def _continues(self, prev: _Unit, u: _Unit) -> bool:
        """Whether u continues the cut paragraph prev: it comes next in the page's text, or both sit
        at the edge of a column (prev is followed, and u preceded, by another article's text)."""
        a, b = self.position.get(prev.pos), self.position.get(u.pos)
        if a is None or b is None:
            return False
        if b == a + 1:
            return True
        art = u.art
        after = self.flow[a + 1].art if a + 1 < len(self.flow) else -2
        before = self.flow[b - 1].art if b > 0 else -2
        return after != art and before != art and not _FRESH_START.match(u.norm)


def _article(seq: int, d: _Draft, paras: list[tuple[str, str, str]]) -> Article:
    """The article's text and its normalised form, joined alike from the page's units (which were
    normalised with the page, so the parsers need not normalise the article again)."""
    parts: list[str] = []
    norms: list[str] = []
    blocks: list[Block] = []
    offset = 0
    if d.title:
        parts.append(d.title)
        norms.append(normalize(d.title))
        blocks.append(Block("title", 0, len(d.title)))
        offset = len(d.title) + 2
    for kind, text, norm in paras:
        blocks.append(Block(kind, offset, offset + len(text)))
        parts.append(text)
        norms.append(norm)
        offset += len(text) + 2
    full = "\n\n".join(parts)
    norm = "\n\n".join(norms)
    byline = " ".join(dict.fromkeys(b for b in d.bylines + d.names if b))
    kicker = " · ".join(dict.fromkeys(k.strip() for k in d.kickers if k.strip()))
    return Article(seq=seq, title=d.title, text=full, norm=norm if len(norm) == len(full) else "", blocks=blocks,
                   kicker=kicker, byline=byline, captions=list(dict.fromkeys(d.captions)))


def _join_parts(units: list[_Unit]) -> str:
    """A title split over lines, joined without a space (one between two Latin words)."""
    out = ""
    for u in units:
        piece = u.raw.strip()
        if out and out[-1].isascii() and out[-1].isalnum() and piece[:1].isascii() and piece[:1].isalnum():
            out += " "
        out += piece
    return out


def _clean_title(title: str) -> str:
    """A page title without its site name: 标题 - 科技日报 -> 标题."""
    return re.split(r"\s+[-_|｜—]+\s+|_", title)[0].strip()


def _clean_byline(raw: str) -> str:
    return _SPACES.sub(" ", _BYLINE_MARK.sub("", raw.strip())).strip()
