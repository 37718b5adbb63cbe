"""A page's publication date: read from the page when it says so, otherwise inferred from its text.

Explicit sources, in order: Markdown/YAML front matter (`date: 2023-09-12`), a `date:` or
`发布时间：` line near the top, a masthead or date line near the top (`2023年9月12日 星期二`,
`科技日报 2023.09.12`), and a date in the file's name or folders (`2023-09-12_x.txt`, `20230912.md`,
`…/2023/09/12/x.html`). These return (date, False).

Otherwise the date is inferred, (date, True): the year is the latest year the text reports as past
(a year given as the end of a completed period, 截至2022年底 / 2022年度, counts as the year after it,
because such figures are published the next year); future years (到2025年, 2030年前, 力争…) and
years after today are ignored. The day is the latest month-day mentioned without another year
(5月25日, 今年4月中旬) in that year, or 1 January when the text gives no day. None when the text
names no usable year.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath

from .normalize import fold_width

__all__ = ["find_date", "relative_year"]

_SEP_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*([年./-])\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})(?!\d)")
_CN_DATE = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_ISO_ANY = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_NAME_DATE = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})([-_.]?)(\d{2})\2(\d{2})(?![0-9A-Za-z])")
_DIR_DATE = re.compile(r"^((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})$")
_META_LINE = re.compile(r"(?:^|\s)(?:date|pubdate|published|发布时间|发布日期|出版日期|日期)\s*:\s*(.+)", re.I)
_SENTENCE_PUNCT = re.compile(r"[,，。;；!?]")

_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年")
_FULL = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_DAY = re.compile(r"(?<![\d年.\-])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_MONTH_PART = re.compile(r"(?<![\d年.\-])(\d{1,2})\s*月\s*(上旬|初|中旬|下旬|底|末)")
_PART_DAY = {"上旬": 5, "初": 3, "中旬": 15, "下旬": 25, "底": 28, "末": 28}
_FUTURE_BEFORE = re.compile(r"(?:(?<!截)至|到|[-—~])\s*$")
_FUTURE_CLAUSE = re.compile(r"力争|预计|计划|目标|规划|预期|将|拟|定于|展望|有望")
_CLAUSE_END = re.compile(r"[,，。;；!?！？、\n:：]")
_FUTURE_AFTER = re.compile(r"^\s*(?:年)?\s*(?:\d{1,2}\s*月)?\s*(?:\d{1,2}\s*日)?\s*(?:底|末)?\s*(?:之?前|以前)(?![一二三四五六七八九十两几半\d个季月])")
_COMPLETED = re.compile(r"^\s*年\s*(?:年)?(?:底|末|全年|度)")
_COMPLETED_BEFORE = re.compile(r"(?:截至|截止)\s*$")
_OTHER_YEAR_BEFORE = re.compile(r"(?:去年|前年|明年|来年|上年|(?:19|20)\d{2}\s*年)\s*$")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def find_date(text: str, path: str = "", fmt: str = "txt") -> tuple[date | None, bool]:
    """(date, inferred). `fmt` is accepted for symmetry with the reader; the page's marks decide."""
    head = fold_width(text[:4000]) if text else ""
    found = _front_matter(head) or _top_lines(head) or _from_path(path)
    if found is not None:
        return found, False
    inferred = infer_date(fold_width(text or ""))
    return (inferred, True) if inferred is not None else (None, False)


def relative_year(pub: date, word: str) -> int | None:
    """The year a relative word points to from the publication date: 今年 -> pub.year, 去年/上年 ->
    pub.year - 1, 前年 -> - 2, 明年/来年 -> + 1. Periods inside a year (上半年, 一季度) are the
    figures extractor's job; this only anchors the year."""
    offsets = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1, "来年": 1}
    k = offsets.get(word.strip())
    return None if k is None else pub.year + k


# --- explicit dates -----------------------------------------------------------------------------


def _make(y: int | str, m: int | str, d: int | str) -> date | None:
    try:
        out = date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None
    return out if 1990 <= out.year <= 2100 else None


def parse_date(s: str) -> date | None:
    """The first full date in a short string: 2023-09-12, 2023/9/12, 2023.09.12, 2023年9月12日,
    2023-09-12T08:00:00+08:00, 20230912, 二〇二三年九月十二日."""
    s = fold_width(s or "")
    m = _SEP_DATE.search(s)
    if m:
        return _make(m[1], m[3], m[4])
    m = _NAME_DATE.search(s)
    if m:
        return _make(m[1], m[3], m[4])
    m = _CN_DATE.search(s)
    if m:
        year = "".join(str(_CN_DIGITS[c]) for c in m[1])
        return _make(year, _cn_number(m[2]), _cn_number(m[3]))
    return None


def _cn_number(s: str) -> int:
    """一 .. 三十一 as an int."""
    if "十" not in s:
        return _CN_DIGITS.get(s, 0)
    tens, _, ones = s.partition("十")
    return (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)


def _front_matter(head: str) -> date | None:
    lines = head.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return None
    for line in lines[first + 1:first + 40]:
        if line.strip() in ("---", "..."):
            break
        key, _, value = line.partition(":")
        if key.strip().lower() in ("date", "pubdate", "published", "publish_date", "created"):
            return parse_date(value)
    return None


def _top_lines(head: str) -> date | None:
    """A `date:` / 发布时间 line, or a short date line (masthead), among the first lines."""
    seen = 0
    for line in head.split("\n"):
        s = line.strip().lstrip("#").strip()
        if not s or s == "---":
            continue
        seen += 1
        if seen > 15:
            break
        m = _META_LINE.search(s)
        if m:
            found = parse_date(m.group(1))
            if found:
                return found
        if seen <= 8 and len(s) <= 40 and not _SENTENCE_PUNCT.search(s):
            found = parse_date(s)
            if found:
                return found
    return None


def _from_path(path: str) -> date | None:
    """YYYY-MM-DD / YYYYMMDD in the file name, standing apart from other digits and letters (so a
    hex hash does not make a date), or YYYY/MM/DD and YYYY-MM-DD folders."""
    if not path:
        return None
    p = PurePath(path)
    m = _NAME_DATE.search(p.name)
    if m:
        found = _make(m[1], m[3], m[4])
        if found:
            return found
    parts = p.parts[:-1]
    for k in range(len(parts) - 1, -1, -1):
        m = _NAME_DATE.fullmatch(parts[k])
        if m:
            return _make(m[1], m[3], m[4])
        if k >= 2:
            m = _DIR_DATE.match("/".join(parts[k - 2:k + 1]))
            if m:
                return _make(m[1], m[2], m[3])
    return None


# --- inference ----------------------------------------------------------------------------------


def infer_date(text: str, today: date | None = None) -> date | None:
    """The most likely publication date from what the text says (see the module docstring)."""
    today = today or date.today()
    year = _latest_year(text, today.year)
    if year is None:
        return None
    best: date | None = None
    for m in _FULL.finditer(text):
        if int(m[1]) == year and not _future(text, m.start(), m.end()):
            best = _later(best, _make(m[1], m[2], m[3]))
    for rx, day in ((_MONTH_DAY, None), (_MONTH_PART, _PART_DAY)):
        for m in rx.finditer(text):
            if _future(text, m.start(), m.end()) or _OTHER_YEAR_BEFORE.search(text[max(0, m.start() - 6):m.start()]):
                continue
            d = day[m[2]] if day else int(m[2])
            best = _later(best, _make(year, m[1], d))
    if best is not None and best > today:
        best = None
    return best or date(year, 1, 1)


def _later(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _future(text: str, start: int, end: int) -> bool:
    """A date that is a target or a deadline: 到2025年, 力争2030年, 8月31日前, 将于5月1日."""
    before = text[max(0, start - 12):start]
    cut = [m.end() for m in _CLAUSE_END.finditer(before)]
    clause = before[cut[-1]:] if cut else before
    if _COMPLETED_BEFORE.search(clause):
        return False
    return bool(_FUTURE_BEFORE.search(clause) or _FUTURE_CLAUSE.search(clause)
                or _FUTURE_AFTER.match(text[end:end + 8]))


def _latest_year(text: str, this_year: int) -> int | None:
    best: int | None = None
    for m in _YEAR.finditer(text):
        y = int(m[1])
        if y > this_year or _future(text, m.start(), m.end() - 1):
            continue
        after = text[m.end() - 1:m.end() + 4]
        if _COMPLETED.match(after) or _COMPLETED_BEFORE.search(text[max(0, m.start() - 4):m.start()]):
            y = min(y + 1, this_year)  # figures for a finished year are published the year after
        best = y if best is None else max(best, y)
    return best
