"""Industry tagging against the taxonomy in parsers/data/industries.csv.

The taxonomy is the 2018 strategic emerging industry classes (sei_1 … sei_9) plus the labels parks
actually use (ind_pv, ind_rare_earth …), each with its synonyms; every synonym belongs to one
industry, so a mention has one id. Matching is one pass of a trie regex, longest synonym first
(新能源汽车 beats 新能源, 工业互联网 beats 互联网). A synonym inside a park name (稀土高新区,
泰州医药高新区) or a university name (北京航空航天大学) is not an industry mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from parks.parsers.gazetteer import Gazetteer
from parks.parsers.lexicon import Lexicon, data_path, read_csv, split_names
from parks.parsers.model import IndustryMention, ParkMention

# A university or institute whose name holds the synonym: 北京航空航天大学, 西安电子科技大学.
SCHOOL_AFTER = re.compile(r"[\u4e00-\u9fff]{0,2}?(?:大学|学院|学校|研究所)")


@dataclass(frozen=True)
class Industry:
    id: str
    name_zh: str
    name_en: str
    level: str  # L1 (SEI class) | L2-label | cross-cutting | traditional
    synonyms: tuple[str, ...]
    sei2018_code: str = ""


@cache
def load_industries() -> list[Industry]:
    out = []
    for row in read_csv(data_path("industries.csv")):
        if not row.get("id"):
            continue
        out.append(Industry(id=row["id"], name_zh=row.get("name_zh", ""), name_en=row.get("name_en", ""),
                            level=row.get("level", ""), synonyms=tuple(split_names(row.get("synonyms", ""))),
                            sei2018_code=row.get("sei2018_code", "")))
    return out


@cache
def industries_by_id() -> dict[str, Industry]:
    return {i.id: i for i in load_industries()}


@cache
def _lexicon() -> Lexicon:
    entries: dict[str, str] = {}
    for ind in load_industries():
        names = list(ind.synonyms)
        if "(" not in ind.name_zh:  # 新材料(细分) is a label, not a word in text
            names.append(ind.name_zh)
        for name in names:
            entries.setdefault(name, ind.id)  # first industry listing a synonym keeps it
    return Lexicon(entries)


def industry_words() -> list[str]:
    """Every synonym (for the jieba user dictionary)."""
    return sorted(_lexicon().entries)


def find_industries(norm: str, mentions: list[ParkMention] | None = None,
                    gazetteer: Gazetteer | None = None) -> list[IndustryMention]:
    """Industry mentions in normalised text; `mentions` (park mentions) are skipped over when given,
    otherwise found here."""
    if not norm:
        return []
    if mentions is None:
        from parks.parsers.parks import find_parks

        mentions = find_parks(norm, gazetteer)
    parks = sorted((m.start, m.end) for m in mentions)
    out = []
    j = 0
    for start, end, surface, ind_id in _lexicon().scan(norm):
        while j < len(parks) and parks[j][1] <= start:
            j += 1
        if j < len(parks) and parks[j][0] < end:
            continue  # inside a park's name
        if SCHOOL_AFTER.match(norm, end):
            continue
        out.append(IndustryMention(industry=ind_id, start=start, end=end, surface=surface))
    return out


def industry_counts(found: list[IndustryMention]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in found:
        counts[m.industry] = counts.get(m.industry, 0) + 1
    return counts
