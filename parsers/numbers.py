"""Numbers with their units, as Chinese news writes them, read exactly (Decimal).

A quantity is a number (Arabic with thousands separators, or Chinese numerals), optional
multipliers 十/百/千/万/亿 (18.2万, 1.2万亿, 两千万, 百亿), an optional 多/余 (2万多吨, 50余家, 20余万床),
an optional range (25%—35%, 60—100平方米) and a unit from units.py. A number without a unit is
never a quantity: that alone keeps years, dates, names (十四五, 6+2+X, 5G) and codes out.
Only the reading is done here; whether a quantity is a figure worth a row is figures.py's call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .units import UNITS, Unit

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
MULTIPLIERS = {"十": Decimal(10), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10000),
               "亿": Decimal(100000000)}
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"

ARABIC = r"(?<![0-9A-Za-z./])[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?(?![0-9]|/[0-9])"
# Every repetition is bounded and a Chinese number starts only where a run of numerals starts: the
# longest amount written in numerals (九千九百九十九万九千九百九十九) has 15 characters, and a run of
# numerals or of 亿 in a scraped page must not make the search backtrack over the whole run at every
# character (quadratic, cubic with the nested 万亿 repetitions). A longer run is no number.
MAX_CHINESE = 16
MAX_MULTIPLIERS = 4  # 1.2万亿, 5千万亿
_NUMERAL = "[" + _CN_CHARS + "]"
_MULT_AFTER = f"[万亿]{{0,{MAX_MULTIPLIERS}}}"
_MULT = f"[十百千万亿]{{0,{MAX_MULTIPLIERS}}}"
CHINESE = (f"(?<!{_NUMERAL}){_NUMERAL}{{1,{MAX_CHINESE}}}"
           f"(?:点[零〇一二两三四五六七八九]{{1,{MAX_CHINESE}}}{_MULT_AFTER})?")

# After a unit, these characters turn it into another word (个月, 人民币 is matched whole, 元旦 …).
_NOT_AFTER = {
    "个": "月|小时|工作日|星期|礼拜|季度|年|人(?!才)|别|性|体|案",
    "名": "单|称|字|义|片|牌|录|额",
    "位": "于|居|列|置|数",
    "项": "目",
    "支": "持|撑|付|出|柱",
    "只": "有|是|要|能|需|用",
    "家": "庭|长|属|乡|园|居|具|电",
    "间": "隔|接",
    "场": "景|地|所|馆|面|合",
    "床": "垫|位",
    "批": "准|复|发",
    "元": "旦|素|件|器|宇宙|年",
    "度": "假|过|高|量",
    "条": "件|例|款",
    "处": "理|置|于|长",
    "所": "以|有|在|得|属|需|长",
    "台": "阶|风",
    "张": "力",
    "户": "籍|口|型",
    "次": "要|级|日",
    "座": "谈",
    "款": "项",
    "套": "餐",
    "宗": "旨|教",
    "件": "事",
}


def _unit_alternation() -> str:
    parts = []
    for surface in sorted(UNITS, key=len, reverse=True):
        alt = re.escape(surface)
        if surface[-1].isascii() and surface[-1].isalpha():
            alt += r"(?![A-Za-z])"
        if surface in _NOT_AFTER:
            alt += f"(?!{_NOT_AFTER[surface]})"
        parts.append(alt)
    return "|".join(parts)


QUANTITY_RE = re.compile(
    r"(?=[0-9零〇一二两三四五六七八九十百千万亿数几上])"  # most positions fail here, fast
    r"(?:(?P<a1>" + ARABIC + r")(?P<m1>" + _MULT + r")"
    r"|(?P<vague>数|几|上(?=[百千万]))?(?P<c1>" + CHINESE + r"))"
    r"(?:(?P<u1>%)?\s?(?P<sep>——|—|–|-|~|至|到)\s?"
    r"(?:(?P<a2>" + ARABIC + r")(?P<m2>" + _MULT + r")|(?P<c2>" + CHINESE + r")))?"
    r"(?P<inf>多|余)?(?P<m3>" + _MULT_AFTER + r")\s?"
    r"(?P<unit>" + _unit_alternation() + r")"
)
PERCENT_WORDS_RE = re.compile(r"百分之(?P<n>" + CHINESE + r"|[0-9]+(?:\.[0-9]+)?)")
# 四成 = 40%, 近八成 = ~80%: tenths, only after a lone Chinese digit (建成, 完成, 成为 are words).
TENTHS_RE = re.compile(r"(?P<n>[一二两三四五六七八九])(?<![一二两三四五六七八九十百千万亿零〇].)成"  # class first: figures.SENTENCE_END
                       r"(?!为|功|立|本|果|长|员|交|绩|熟|型|品|效|就|都|片|套|批|群|像|不变|了|的)")


# Characters ending a word that makes a bare 亿/万 an amount (突破亿元, 超亿元, 过万人).
_BOUND_VERBS = frozenset("破超过逾近达约")
_IDIOM_BEFORE = re.compile("成[十百千万]上")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, as found in normalised text."""

    start: int  # the number (with range and unit): norm[start:end]
    end: int
    value: Decimal  # in `unit`, multipliers applied; the lower end of a range
    value_max: Decimal | None
    unit: Unit
    approx: str = ""  # 多 or 余 written inside the number (2万多吨, 50余家)
    vague: str = ""  # 数 / 几 / 上 before Chinese numerals (数百万, 上百)
    chinese: bool = False  # written in Chinese numerals
    bare_digit: bool = False  # a lone Chinese digit (两个, 三家): prose, not a reported figure

    def __init__(self, start: int, end: int, value: Decimal, value_max: Decimal | None, unit: Unit, approx: str = "",
                 vague: str = "", chinese: bool = False, bare_digit: bool = False) -> None:
        object.__setattr__(self, "start", start)  # written out to be compiled: see parsers/compiled.py
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "value_max", value_max)
        object.__setattr__(self, "unit", unit)
        object.__setattr__(self, "approx", approx)
        object.__setattr__(self, "vague", vague)
        object.__setattr__(self, "chinese", chinese)
        object.__setattr__(self, "bare_digit", bare_digit)


def multiplier(chars: str) -> Decimal:
    """十/百/千/万/亿 written after a number multiply it: 万亿 is 10^12, 千万 10^7."""
    out = Decimal(1)
    for ch in chars:
        out *= MULTIPLIERS[ch]
    return out


def parse_arabic(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _section(s: str) -> Decimal | None:
    """A number below 万: 三千二百零五, 十五, 两百, 百, 一千五 (= 1500)."""
    if not s:
        return Decimal(0)
    total = 0
    digit: int | None = None
    last_unit = 10000
    after_zero = False
    for ch in s:
        if ch in CN_DIGITS:
            if digit is not None and not after_zero:
                return None  # 一二五: digits read one by one are a name, not an amount
            digit = CN_DIGITS[ch]
            after_zero = ch in "零〇"
            if after_zero:
                digit = None
        elif ch in CN_SMALL:
            unit = CN_SMALL[ch]
            if unit >= last_unit:
                return None  # 十百: out of order
            total += (1 if digit is None else digit) * unit
            digit, last_unit, after_zero = None, unit, False
        else:
            return None
    if digit is not None:
        # 一千五 = 1500, 三百六 = 360: a trailing digit counts in the next smaller place
        if last_unit < 10000 and last_unit >= 100 and s[-2] in CN_SMALL:
            total += digit * last_unit // 10
        else:
            total += digit
    return Decimal(total)


def _chinese_int(s: str) -> Decimal | None:
    for sep, factor in (("亿", Decimal(100000000)), ("万", Decimal(10000))):
        i = s.rfind(sep) if sep == "亿" else s.find(sep)
        if i >= 0:
            left_s, right_s = s[:i], s[i + 1:]
            left = _chinese_int(left_s) if left_s else Decimal(1)
            if left is None:
                return None
            if len(right_s) == 1 and right_s in CN_DIGITS and right_s not in "零〇":
                right: Decimal | None = CN_DIGITS[right_s] * factor / 10  # 两万五 = 25000
            else:
                right = _chinese_int(right_s.lstrip("零〇")) if right_s else Decimal(0)
            if right is None:
                return None
            return left * factor + right
    return _section(s)


def parse_chinese(text: str) -> Decimal | None:
    """Chinese numerals to a Decimal: 一百六十 -> 160, 两千万 -> 20000000, 百亿 -> 10^10,
    一点五亿 -> 150000000. None when the characters do not form a number (一二五, 十百)."""
    if not text:
        return None
    if "点" in text:
        whole, _, rest = text.partition("点")
        frac_digits = ""
        i = 0
        while i < len(rest) and rest[i] in CN_DIGITS:
            frac_digits += str(CN_DIGITS[rest[i]])
            i += 1
        mult_chars = rest[i:]
        if not frac_digits or any(c not in "万亿" for c in mult_chars):
            return None
        base = _chinese_int(whole) if whole else Decimal(0)
        if base is None:
            return None
        return (base + Decimal("0." + frac_digits)) * multiplier(mult_chars)
    return _chinese_int(text)


_ARABIC_WITH_MULTIPLIER = re.compile(r"([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)([十百千万亿]*)")


def parse_number(text: str) -> Decimal | None:
    """Any number as written: 3,373 / 29.89万 / 1.2万亿 / 两千万 / 一百六十 / 百亿."""
    text = text.strip()
    m = _ARABIC_WITH_MULTIPLIER.fullmatch(text)
    if m:
        value = parse_arabic(m.group(1))
        return None if value is None else value * multiplier(m.group(2))
    if text and all(c in _CN_CHARS or c == "点" for c in text):
        return parse_chinese(text)
    return None


def _value(arabic: str | None, mult: str | None, chinese: str | None) -> Decimal | None:
    if arabic:
        v = parse_arabic(arabic)
        return None if v is None else v * multiplier(mult or "")
    if chinese:
        return parse_chinese(chinese)
    return None


# A Chinese comma that normalisation would turn into a thousands separator (12，300个): between
# ASCII digits, with three after. Between full-width digits (１，２３４) it is one.
_CN_COMMA = re.compile("，(?<=[0-9]，)(?=[0-9]{3}(?![0-9]))")  # (?<=a)b as b(?<=ab): see figures.SENTENCE_END


def scan_text(norm: str, text: str | None) -> str:
    """Normalisation turns the Chinese comma into ',', which would make 12，300个 read as 12300:
    put the Chinese comma back where the original has one, so it never joins digits."""
    if text is None or "，" not in text or len(text) != len(norm):
        return norm
    parts = []
    pos = 0
    for m in _CN_COMMA.finditer(text):
        parts.append(norm[pos:m.start()])
        pos = m.end()
    parts.append(norm[pos:])
    return "，".join(parts)


def find_quantities(norm: str, text: str | None = None) -> list[Quantity]:
    """Every number-with-unit in `norm`, left to right, not overlapping; `text` (the original of
    the same length) tells a Chinese comma from a thousands separator."""
    return quantities_in(scan_text(norm, text))


def quantities_in(scan: str) -> list[Quantity]:
    """find_quantities on a text already prepared by scan_text."""
    out: list[Quantity] = []
    for m in QUANTITY_RE.finditer(scan):
        q = _quantity(m)
        if q is not None:
            out.append(q)
    extra: list[Quantity] = []
    if "百分之" in scan:
        for m in PERCENT_WORDS_RE.finditer(scan):
            n = m.group("n")
            v = parse_arabic(n) if n[0].isdigit() else parse_chinese(n)
            if v is not None:
                extra.append(Quantity(m.start(), m.end(), v, None, UNITS["%"], chinese=not n[0].isdigit()))
    if "成" in scan:
        for m in TENTHS_RE.finditer(scan):
            extra.append(Quantity(m.start(), m.end(), Decimal(CN_DIGITS[m.group("n")] * 10), None, UNITS["%"],
                                  chinese=True))
    if extra:
        taken = [(q.start, q.end) for q in out]
        out.extend(q for q in extra if not any(s < q.end and q.start < e for s, e in taken))
        out.sort(key=lambda q: q.start)
    return out


def _quantity(m: re.Match[str]) -> Quantity | None:
    unit = UNITS[m.group("unit")]
    m3 = multiplier(m.group("m3") or "")
    low = _value(m.group("a1"), m.group("m1"), m.group("c1"))
    if low is None:
        return None
    high = None
    if m.group("sep"):
        high = _value(m.group("a2"), m.group("m2"), m.group("c2"))
        if high is None:
            return None
        if m.group("a1") and m.group("a2") and not m.group("m1") and m.group("m2"):
            low *= multiplier(m.group("m2"))  # 3-5万吨: the multiplier covers both ends
        high *= m3
        if high <= low * m3:
            return None  # 2020-2019, 10-5: not a range, most likely a code or a date
    if m.group("vague") == "上" and _IDIOM_BEFORE.match(m.string, max(0, m.start() - 2)):
        return None  # 成百上千, 成千上万: "hundreds or thousands", no lower figure to keep
    c1 = m.group("c1") or ""
    if c1 and not c1.strip("万亿") and not m.group("vague") and m.string[m.start() - 1:m.start()] not in _BOUND_VERBS:
        return None  # 万元GDP能耗, 亿元以上项目: a unit or a class (but 突破亿元 is one 亿; 上万 is vague)
    bare = bool(c1) and len(c1) == 1 and c1 in "一二两三四五六七八九十" and not (
        m.group("inf") or m.group("m3") or m.group("vague") or m.group("sep"))
    return Quantity(
        start=m.start(), end=m.end(), value=low * m3, value_max=high, unit=unit,
        approx=m.group("inf") or "", vague=m.group("vague") or "", chinese=bool(c1), bare_digit=bare,
    )
