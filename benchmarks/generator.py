"""A synthetic corpus in the style of the sample pages, of any size, identical for the same seed.

Sentences and headings come from our own sample corpus (never from ../shared/corpus) plus a few
sentences written here; parks, cities, industries, companies, numbers, years and the order of
sentences are drawn afresh for every article, so documents differ. Park and industry popularity
follow a Zipf law and company names come from a Pitman-Yor process over invented brands, so the
vocabulary keeps growing with the corpus (Heaps' law) as it does in real news.

Pages are written one at a time (nothing is held but the templates), in folders of 1,000 files.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

GENERATOR_VERSION = 3

# Placeholders inside templates (private-use characters never found in pages).
PARK, CITY, IND, CO, SHORT = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
_YEAR0 = 0xE010  # \ue010 + 10 + k: the page's year + k, for k in -10..10
MARKS = {"〈园区〉": PARK, "〈城市〉": CITY, "〈产业〉": IND, "〈企业〉": CO, "〈简称〉": SHORT}


def _year_mark(offset: int) -> str:
    return chr(_YEAR0 + 10 + max(-10, min(10, offset)))


# Our own sentences (written for this project), in the same placeholder language; 〈年-1〉 is the
# year before the page's year. They bring in topics the sample pages do not cover.
OWN_SENTENCES = [
    "〈园区〉今年新认定国家级专精特新“小巨人”企业12家，累计达到46家。",
    "记者了解到，〈园区〉正在为专精特新企业建设一批定制厂房，企业拎包即可入驻。",
    "〈简称〉是〈城市〉首批省级专精特新中小企业之一，主打产品在细分市场占有率超过三成。",
    "〈园区〉孵化器和众创空间总面积超过80万平方米，在孵企业1,260家。",
    "从孵化到加速再到产业化，〈园区〉为科技型企业搭起了一条完整的成长链条。",
    "〈企业〉从园区孵化器里的一间办公室起步，如今年营业收入已超过5亿元。",
    "为持续优化营商环境，〈园区〉推出企业开办“一窗通办”，办理时间压缩到半个工作日。",
    "营商环境好不好，企业最有发言权。一位企业负责人说，项目从签约到开工只用了45天。",
    "〈年-1〉年，〈园区〉〈产业〉产业营业收入达到356.8亿元，同比增长18.2%。",
    "〈园区〉提出，到〈年+2〉年，〈产业〉产业规模力争突破1000亿元。",
    "截至〈年-1〉年底，〈园区〉共有高新技术企业1,582家，比上年增加213家。",
    "〈年-1〉年，〈园区〉实现地区生产总值612.4亿元，同比增长7.8%。",
    "今年前三季度，〈园区〉规模以上工业增加值同比增长9.6%，高于全市平均水平。",
    "〈园区〉新建分布式光伏装机容量35兆瓦，年发电量约3800万千瓦时。",
    "〈简称〉的研发人员占员工总数的四成以上，每年研发投入占营业收入比重超过8%。",
    "“我们看中的是这里完整的〈产业〉产业链。”〈简称〉负责人说。",
    "〈园区〉管委会有关负责人表示，下一步将围绕〈产业〉产业链招大引强、补链延链。",
    "在〈园区〉，〈产业〉和〈产业〉两大主导产业已形成上下游协同发展的格局。",
    "今年以来，〈园区〉累计签约项目58个，总投资额约420亿元。",
    "〈企业〉年产20万套〈产业〉核心部件项目日前在〈园区〉开工建设。",
    "园区还设立了总规模10亿元的产业引导基金，重点投向〈产业〉等领域的早期项目。",
    "〈园区〉人才公寓已交付使用3,200套，引进各类高层次人才超过600人。",
    "〈年-1〉年，〈园区〉企业有效发明专利拥有量达到1.2万件，每万人发明专利拥有量居全省前列。",
    "通过数字化转型，〈简称〉的生产效率提高了25%，产品不良率下降了三分之一。",
    "〈园区〉单位工业增加值能耗比上年下降4.1%，绿色工厂数量增加到17家。",
    "这几年，〈城市〉把〈园区〉作为全市〈产业〉产业发展的主阵地。",
    "一位在〈园区〉工作了十多年的干部感慨，园区的变化“一年一个样”。",
    "〈简称〉董事长告诉记者，企业计划在〈年+1〉年前再建两条生产线。",
    "据介绍，〈园区〉已与12所高校共建新型研发机构，累计转化科技成果340余项。",
    "围绕〈产业〉产业，〈园区〉还布局建设了公共检验检测平台，为中小企业节省研发成本。",
    "〈园区〉实际使用外资同比增长15.3%，新设外资企业27家。",
    "在〈园区〉的展厅里，一块大屏实时显示着园区重点企业的用能和排放数据。",
]

OWN_TITLES = [
    "〈园区〉：〈产业〉产业跑出“加速度”",
    "〈园区〉打造〈产业〉产业集群",
    "〈园区〉〈年-1〉年〈产业〉产值突破200亿元",
    "〈简称〉落户〈园区〉",
    "〈园区〉：专精特新企业“扎堆”成长",
    "〈园区〉优化营商环境 服务企业“零距离”",
    "孵化器里走出〈产业〉“小巨人”",
    "〈城市〉〈园区〉：链主企业带动〈产业〉上下游集聚",
    "〈园区〉一季度经济“开门红”",
    "〈园区〉绿色低碳转型见实效",
]

OWN_NOTES = [
    "编者按 园区是产业发展的主阵地。本版推出“园区观察”系列报道，走进各地园区，看它们如何培育〈产业〉等新兴产业。",
    "编者按 〈年+0〉年是园区高质量发展的关键一年。本版今起开设专栏，记录各地园区在招商、创新和绿色转型中的新做法。",
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉红玉兰海川云飞雪梅晓琳雅琪思远安宁启航慧清秋蒙若溪志鸿嘉知雨婷浩然子涵欣怡宇轩博文俊"
BRAND = "华芯瑞泰德创源新科博思睿智航远达诚信联邦恒拓宇驰鼎晶微光能锐凯盛嘉丰顺安康明辉海天星云峰川禾森中汇通捷迈凌优卓越立方景元鸿昊晟启航旭鑫润亿"
FIELDS = ["科技", "智能科技", "新能源", "电子", "新材料", "生物医药", "精密制造", "光电", "半导体", "储能技术",
          "信息技术", "汽车部件", "环保科技", "医疗器械", "数字科技", "装备制造"]
WEEKDAYS = "一二三四五六日"


@dataclass(slots=True)
class Park:
    name: str
    city: str
    surfaces: list[str]


@dataclass(slots=True)
class Industry:
    id: str
    surfaces: list[str]


@dataclass(slots=True)
class Templates:
    sentences: list[str]
    headings: list[str]
    kickers: list[str]
    captions: list[str]
    source_hash: str


@dataclass(slots=True)
class GenStats:
    articles: int = 0
    files: int = 0
    bytes: int = 0
    chars: int = 0
    companies: int = 0  # distinct invented company names
    seed: int = 0
    source_hash: str = ""
    version: int = GENERATOR_VERSION
    dates: list[str] = field(default_factory=list)  # first and last page date


# ---------------------------------------------------------------------------------------------
# Reference data and sample pages


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _data_file(name: str) -> Path:
    try:
        from parks.parsers.data import data_path

        p = data_path(name)
        if p.exists():
            return p
    except Exception:  # noqa: BLE001 - fall back to the checkout
        pass
    return _repo_root() / "parsers" / "data" / name


def load_parks() -> list[Park]:
    parks: list[Park] = []
    with _data_file("parks.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("canonical") or "").strip()
            if not name:
                continue
            aliases = [a for a in (row.get("aliases") or "").split("|") if a]
            surfaces = [s for s in dict.fromkeys([name, row.get("official_name") or "", *aliases]) if len(s) >= 3]
            city = (row.get("city") or "").split("|")[0].strip()
            parks.append(Park(name, city, surfaces))
    return parks


def load_industries() -> list[Industry]:
    out: list[Industry] = []
    with _data_file("industries.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            syn = [s.strip() for s in (row.get("synonyms") or "").split("|")]
            surfaces = [s for s in dict.fromkeys(syn) if len(s) >= 2 and not s.isascii()]
            if surfaces:
                out.append(Industry(row["id"], surfaces))
    return out


def sample_dir() -> Path:
    try:
        from importlib import resources

        p = Path(str(resources.files("parks.sample_corpus")))
        if p.is_dir():
            return p
    except Exception:  # noqa: BLE001
        pass
    return _repo_root() / "sample_corpus"


def _read_page(path: Path) -> str | None:
    """Decoded text of one sample page in simplified characters, punctuation kept full-width."""
    try:
        from parks.parsers.normalize import to_simplified
        from parks.parsers.reader import read_source

        return to_simplified(read_source(path).text)
    except Exception:  # noqa: BLE001 - a page we cannot read is simply not a source
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None


def sample_pages() -> Iterator[tuple[str, str]]:
    folder = sample_dir()
    for path in sorted(folder.glob("*")):
        if path.suffix.lower() in {".txt", ".md", ".html", ".htm"} and path.is_file():
            text = _read_page(path)
            if text:
                yield path.name, text


# ---------------------------------------------------------------------------------------------
# Templates


_COMPANY = re.compile(r"[\u4e00-\u9fff]{2,14}?(?:股份有限公司|有限责任公司|有限公司)")
_SHORTNAME = re.compile(r"（以下简称“?([^）”]{2,8})”?）")
_SENTENCE = re.compile(r"[^。！？]+(?:[。！？]+[”’」』]?|$)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年)")
_LEADING = "和与及、同"


def _alternation(words: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered))


class _Templater:
    """Turns a sample sentence into a template: names and years become placeholders."""

    def __init__(self, parks: list[Park], industries: list[Industry]) -> None:
        self.park_of = {s: p for p in parks for s in p.surfaces}
        self.park_re = _alternation(list(self.park_of))
        self.ind_re = _alternation([s for i in industries for s in i.surfaces])

    def page(self, text: str, src_year: int) -> str:
        shorts = [m for m in _SHORTNAME.findall(text)]

        def company(m: re.Match[str]) -> str:
            s = m.group(0)
            lead = s[0] if s[0] in _LEADING else ""
            return lead + CO

        text = _COMPANY.sub(company, text)
        if shorts:
            text = _alternation(shorts).sub(SHORT, text)
        return _YEAR.sub(lambda m: _year_mark(int(m.group(1)) - src_year), text)

    def sentence(self, s: str) -> str:
        cities: list[str] = []

        def park(m: re.Match[str]) -> str:
            p = self.park_of[m.group(0)]
            if p.city and len(p.city) >= 2:
                cities.append(p.city)
            return PARK

        s = self.park_re.sub(park, s)
        for city in dict.fromkeys(cities):
            s = s.replace(city + "市", CITY + "市").replace(city, CITY)
        return self.ind_re.sub(IND, s)


def _own(text: str) -> str:
    for k, v in MARKS.items():
        text = text.replace(k, v)
    return re.sub(r"〈年([+-]\d+)〉", lambda m: _year_mark(int(m.group(1))), text)


def _src_year(name: str) -> int:
    m = re.match(r"((?:19|20)\d\d)", name)
    return int(m.group(1)) if m else 2023


def build_templates(parks: list[Park], industries: list[Industry]) -> Templates:
    t = _Templater(parks, industries)
    sentences: list[str] = []
    headings: list[str] = []
    kickers: list[str] = []
    captions: list[str] = []
    digest = hashlib.sha256()
    for name, text in sample_pages():
        digest.update(name.encode() + b"\0" + text.encode())
        text = t.page(text, _src_year(name))
        for raw in text.split("\n"):
            line = raw.strip()
            if not line or line.startswith(("◎", "▶", "编者按")) or "本报记者" in line:
                continue
            if line.startswith("#"):
                h = t.sentence(line.lstrip("#").strip())
                if 4 <= len(h) <= 30 and h not in ("相关链接",):
                    headings.append(h)
            elif line.endswith(("供图", "摄")) and len(line) <= 60:
                captions.append(t.sentence(line))
            elif len(line) <= 12 and not re.search(r"[。，！？\d]", line):
                kickers.append(line)
            elif "。" in line:
                body = re.sub(r"^本报讯\s*（[^）]*）\s*", "", line)
                sentences += [t.sentence(s.strip()) for s in _SENTENCE.findall(body) if len(s.strip()) >= 8]
    sentences += [_own(s) for s in OWN_SENTENCES]
    headings += [_own(s) for s in OWN_TITLES]
    return Templates(list(dict.fromkeys(sentences)), list(dict.fromkeys(headings)),
                     list(dict.fromkeys(kickers)) or ["园区观察"], list(dict.fromkeys(captions)),
                     digest.hexdigest()[:16])


# ---------------------------------------------------------------------------------------------
# Rendering


_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?=(月|日|号)?)")


class _World:
    """The draws shared by all pages: park/industry popularity and the growing company pool."""

    def __init__(self, rng: random.Random, parks: list[Park], industries: list[Industry]) -> None:
        self.rng = rng
        self.parks = parks[:]  # the gazetteer's order (the oldest, best-known parks first) is the popularity rank
        self.park_w = _cumulative([1 / (r + 1) ** 0.9 for r in range(len(self.parks))])
        self.inds = industries[:]
        rng.shuffle(self.inds)
        self.ind_w = _cumulative([1 / (r + 1) ** 1.0 for r in range(len(self.inds))])
        self.companies: list[tuple[str, str]] = []  # (full, short)
        self.company_uses: list[int] = []
        self.company_total = 0
        self.company_names: set[str] = set()

    def park(self) -> Park:
        return self.rng.choices(self.parks, cum_weights=self.park_w)[0]

    def industry(self) -> Industry:
        return self.rng.choices(self.inds, cum_weights=self.ind_w)[0]

    def company(self, city: str) -> tuple[str, str]:
        """Pitman-Yor draw (discount 0.5): the number of distinct names grows like sqrt(uses)."""
        rng, d, theta = self.rng, 0.5, 20.0
        k, n = len(self.companies), self.company_total
        self.company_total += 1
        if n and rng.random() >= (theta + d * k) / (n + theta):
            x = rng.random() * (n - d * k)
            for i, uses in enumerate(self.company_uses):
                x -= uses - d
                if x < 0:
                    self.company_uses[i] += 1
                    return self.companies[i]
        name = self._new_company(city)
        self.companies.append(name)
        self.company_uses.append(1)
        return name

    def _new_company(self, city: str) -> tuple[str, str]:
        rng = self.rng
        while True:
            brand = "".join(rng.choice(BRAND) for _ in range(2))
            fld = rng.choice(FIELDS)
            full = f"{city or '中国'}{brand}{fld}{rng.choice(['股份有限公司', '有限公司', '有限公司'])}"
            if full not in self.company_names:
                self.company_names.add(full)
                return full, brand + fld[:2]

    def person(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _cumulative(weights: list[float]) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return out


_SURFACE_W = _cumulative([1 / (i + 1) ** 1.5 for i in range(64)])  # an industry's usual name first, rare synonyms too


@dataclass(slots=True)
class _Article:
    park: Park
    others: list[Park]
    industries: list[Industry]
    companies: list[tuple[str, str]]
    year: int


class _Renderer:
    def __init__(self, world: _World, tpl: Templates) -> None:
        self.w = world
        self.t = tpl
        self.rng = world.rng
        self.deck: list[str] = []
        self.heading_deck: list[str] = []

    def _draw(self, deck: list[str], pool: list[str]) -> str:
        """Without replacement within a page: a real page does not print a sentence twice."""
        if not deck:
            deck += pool
            self.rng.shuffle(deck)
        return deck.pop()

    def fill(self, s: str, a: _Article) -> str:
        rng = self.rng
        s = _NUMBER.sub(lambda m: self._number(m.group(0), m.group(1)), s)
        out: list[str] = []
        for ch in s:
            o = ord(ch)
            if ch == PARK:
                out.append(self._park_surface(a.park if rng.random() < 0.8 or not a.others else rng.choice(a.others)))
            elif ch == CITY:
                out.append(a.park.city or "本市")
            elif ch == IND:
                ind = a.industries[0] if rng.random() < 0.6 else rng.choice(a.industries)
                out.append(rng.choices(ind.surfaces, cum_weights=_SURFACE_W[: len(ind.surfaces)])[0])
            elif ch == CO:
                out.append(rng.choice(a.companies)[0])
            elif ch == SHORT:
                out.append(a.companies[0][1])
            elif _YEAR0 <= o <= _YEAR0 + 20:
                out.append(str(a.year + o - _YEAR0 - 10))
            else:
                out.append(ch)
        return "".join(out)

    def _park_surface(self, p: Park) -> str:
        return p.name if self.rng.random() < 0.85 else self.rng.choice(p.surfaces)

    def _number(self, text: str, after: str | None) -> str:
        rng = self.rng
        if after == "月":
            return str(rng.randint(1, 12))
        if after in ("日", "号"):
            return str(rng.randint(1, 28))
        plain = text.replace(",", "")
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        value = float(plain) * rng.uniform(0.4, 2.5)
        if decimals:
            s = f"{value:.{decimals}f}"
        else:
            s = str(max(1, round(value)))
        if "," in text:
            head, _, tail = s.partition(".")
            s = f"{int(head):,}" + (f".{tail}" if tail else "")
        return s

    def article_ctx(self, year: int) -> _Article:
        w, rng = self.w, self.rng
        park = w.park()
        others = [w.park() for _ in range(rng.choice((0, 1, 1, 2, 3)))]
        inds = list({i.id: i for i in (w.industry() for _ in range(rng.randint(1, 3)))}.values())
        companies = [w.company(park.city) for _ in range(rng.randint(1, 3))]
        return _Article(park, [o for o in others if o is not park], inds, companies, year)

    def sentence(self) -> str:
        rng, pool = self.rng, self.t.sentences
        s = self._draw(self.deck, pool)
        if rng.random() < 0.25 and "，" in s:  # recombine clauses of two sentences
            other = self._draw(self.deck, pool)
            if "，" in other:
                s = s.split("，", 1)[0] + "，" + other.split("，", 1)[1]
        return s

    def paragraph(self, a: _Article) -> str:
        return self.fill("".join(self.sentence() for _ in range(self.rng.randint(2, 5))), a)

    def title(self, a: _Article) -> str:
        return self.fill(self._draw(self.heading_deck, self.t.headings), a)

    def byline(self) -> str:
        rng = self.rng
        r = rng.random()
        if r < 0.5:
            return f"◎本报记者 {self.w.person()}"
        if r < 0.85:
            return f"◎本报记者 {self.w.person()} 通讯员 {self.w.person()}"
        return f"▶ 本报特约通讯员 {self.w.person()} 本报记者 {self.w.person()}"

    def feature(self, a: _Article) -> list[str]:
        rng = self.rng
        lines: list[str] = []
        if rng.random() < 0.3 and self.t.captions:
            lines.append(self.fill(rng.choice(self.t.captions), a))
        if rng.random() < 0.2:
            lines.append(rng.choice(self.t.kickers))
        lines += [f"# {self.title(a)}", self.byline()]
        paragraphs = rng.randint(4, 9)
        for i in range(paragraphs):
            if i and i % 3 == 0 and rng.random() < 0.7:
                lines.append(f"## {self.title(a)}")
            lines.append(self.paragraph(a))
        if rng.random() < 0.15:
            lines += ["## 相关链接", f"### {self.title(a)}", self.paragraph(a)]
        return lines

    def brief(self, a: _Article) -> list[str]:
        rng = self.rng
        lines = [f"## {self.title(a)}"]
        if rng.random() < 0.5:
            lines.append(self.byline())
            first = self.paragraph(a)
        else:
            lead = f"本报讯 （记者 {self.w.person()}） 记者日前从{self._park_surface(a.park)}获悉，"
            first = lead + self.paragraph(a)
        lines.append(first)
        lines += [self.paragraph(a) for _ in range(rng.randint(0, 2))]
        return lines

    def page(self, day: date, n_articles: int) -> str:
        rng = self.rng
        self.deck.clear()
        self.heading_deck.clear()
        lines: list[str] = []
        if rng.random() < 0.5:
            lines.append(f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}")
        if rng.random() < 0.1:
            lines.append(self.fill(_own(rng.choice(OWN_NOTES)), self.article_ctx(day.year)))
        for i in range(n_articles):
            a = self.article_ctx(day.year)
            lines += self.feature(a) if i == 0 or rng.random() < 0.55 else self.brief(a)
        return "\n\n".join(lines) + "\n"


START, DAYS = date(2016, 1, 1), 9 * 365


def generate(out: Path, articles: int, seed: int = 0) -> GenStats:
    """Write pages holding `articles` articles in total under `out`; returns what was written."""
    out.mkdir(parents=True, exist_ok=True)
    parks, industries = load_parks(), load_industries()
    tpl = build_templates(parks, industries)
    rng = random.Random(seed)
    world = _World(rng, parks, industries)
    render = _Renderer(world, tpl)
    stats = GenStats(seed=seed, source_hash=tpl.source_hash)
    first = last = None
    while stats.articles < articles:
        n = min(rng.randint(3, 6), articles - stats.articles)
        day = START + timedelta(days=rng.randrange(DAYS))
        text = render.page(day, n)
        folder = out / f"{stats.files // 1000:03d}"
        if stats.files % 1000 == 0:
            folder.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{day:%Y-%m-%d}_p{stats.files:06d}.txt").write_bytes(data)
        stats.files += 1
        stats.articles += n
        stats.bytes += len(data)
        stats.chars += len(text)
        first, last = min(first or day, day), max(last or day, day)
    stats.companies = len(world.companies)
    stats.dates = [str(first), str(last)] if first else []
    (out / "manifest.json").write_text(json.dumps(asdict(stats), ensure_ascii=False, indent=1), encoding="utf-8")
    return stats


def manifest(out: Path) -> dict | None:
    """The manifest of a corpus written earlier, or None."""
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def ensure_corpus(out: Path, articles: int, seed: int = 0) -> tuple[GenStats, bool]:
    """Reuse `out` when it already holds this corpus (same size, seed, generator and sources)."""
    m = manifest(out)
    if m and m.get("articles") == articles and m.get("seed") == seed and m.get("version") == GENERATOR_VERSION:
        parks, industries = load_parks(), load_industries()
        if m.get("source_hash") == build_templates(parks, industries).source_hash:
            return GenStats(**m), True
    if out.exists() and any(out.iterdir()) and m is None:
        raise ValueError(f"{out} is not empty and holds no benchmark corpus; choose another --out")
    if m is not None:  # an older corpus of ours: clear it
        import shutil

        shutil.rmtree(out)
    return generate(out, articles, seed), False


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m benchmarks.generator", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print(json.dumps(asdict(generate(args.out, args.articles, args.seed)), ensure_ascii=False))


if __name__ == "__main__":
    main()
