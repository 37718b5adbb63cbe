"""The metric taxonomy (parsers/data/metrics.csv) and the choice of a metric from a number's words.

A number is a figure only when the words around it say what it measures; the taxonomy's surface
forms are those words. They are found in one pass per article (a trie regex, leftmost-longest, so
规模以上工业企业 is one word and not 企业), plus a few patterns written with `*` in the surface
forms (规模以上*企业 covers 规模以上稀土企业). A metric fits a number only if their units agree: a
money amount cannot be 企业 and 40% cannot be 工业用电量, except as a growth rate (any metric
can grow by 40%).

Words with no metric of their own go to the nearest one rather than being lost: subsidies and
grants (补贴, 补助, 奖补资金) are public money handed to firms, as 专项资金 and 扶持资金 already are,
so they are financing; contracted foreign capital (合同利用外资/港资/台资) is fdi; branches
(分支机构) are enterprises; technical problems solved for firms (技术难题…项) are projects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .data import read_csv
from .lexicon import Lexicon, trie_pattern
from .units import CHANGE_DIMS, UNITS, counts_as, dimension_of_metric_unit

WILDCARD = r"[\u4e00-\u9fff“”\"]{0,10}?"
YEAR_SUFFIX = re.compile(r"年(?<=[0-9今去明当同]年)")  # (?<=a)b as b(?<=ab): see figures.SENTENCE_END


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    name_zh: str
    name_en: str
    unit: str  # canonical unit ("as reported" keeps the text's)
    group: str
    surfaces: tuple[str, ...]

    @property
    def dim(self) -> str:
        return dimension_of_metric_unit(self.unit)


@dataclass(frozen=True, slots=True)
class Keyword:
    """A metric word found in the text; one word may name several metrics (工业总产值)."""

    start: int
    end: int
    surface: str
    metrics: tuple[str, ...]
    weight: int = 0  # characters matched literally (a pattern's `*` counts nothing), for ties

    def __init__(self, start: int, end: int, surface: str, metrics: tuple[str, ...], weight: int = 0) -> None:
        object.__setattr__(self, "start", start)  # written out to be compiled: see parsers/compiled.py
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "surface", surface)
        object.__setattr__(self, "metrics", metrics)
        object.__setattr__(self, "weight", weight)


class Taxonomy:
    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.metrics: dict[str, Metric] = {}
        words: dict[str, list[str]] = {}
        patterns: dict[str, list[str]] = {}
        self.unit_triggers: dict[str, list[str]] = {}
        for row in rows:
            surfaces = tuple(s.strip() for s in (row.get("surface_forms") or "").split("|") if s.strip())
            m = Metric(row["id"].strip(), row.get("name_zh", "").strip(), row.get("name_en", "").strip(),
                       row.get("unit", "").strip(), row.get("group", "").strip(), surfaces)
            self.metrics[m.id] = m
            for s in (m.name_zh, *surfaces):
                if not s:
                    continue
                if s in UNITS:
                    bucket = self.unit_triggers.setdefault(s, [])
                elif "*" in s:
                    bucket = patterns.setdefault(s, [])
                else:
                    bucket = words.setdefault(s, [])
                if m.id not in bucket:
                    bucket.append(m.id)
        # A word that is some metric's own name belongs to that metric first (进出口总额 -> foreign_trade).
        names = {m.name_zh: m.id for m in self.metrics.values()}
        self.words = {w: tuple(sorted(ids, key=lambda i: (names.get(w) != i, list(self.metrics).index(i))))
                      for w, ids in words.items()}
        self.lexicon = Lexicon({w: w for w in self.words})
        self.patterns = [(re.compile(re.escape(p).replace(r"\*", WILDCARD)), tuple(ids), len(p) - p.count("*"))
                         for p, ids in patterns.items()]
        # The second half of a metric word that is no word itself (成交额 of 技术合同成交额), with the
        # first halves it completes: a sentence may name the two apart (技术合同2,300项，成交额…).
        self.tails: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for w, ids in self.words.items():
            for k in range(2, len(w) - 2):  # tails of three characters or more: 规模, 收入 alone say too little
                if w[k:] not in self.words:
                    self.tails.setdefault(w[k:], []).append((w[:k], ids))
        self.tail_regex = re.compile(trie_pattern(self.tails))

    def scan(self, norm: str) -> list[Keyword]:
        """Every metric word in the text, by start offset. The 年 of a year is no word's first
        character (2022年产业规模 holds 产业规模, not 年产)."""
        if "年" in norm:
            norm = YEAR_SUFFIX.sub("\u3007", norm)
        hits = [Keyword(s, e, w, self.words[w], len(w)) for s, e, w, _ in self.lexicon.scan(norm)]
        for rx, ids, weight in self.patterns:
            hits.extend(Keyword(m.start(), m.end(), m.group(), ids, weight) for m in rx.finditer(norm))
        hits.sort(key=lambda k: (k.start, -k.end))
        return hits

    def fits(self, metric_id: str, dim: str, change: bool, classifier: str = "") -> bool:
        """Whether a number of dimension `dim` can be a value of the metric; `change` for a
        growth or decline (同比增长5%, 新增), which any metric can have; `classifier` the measure
        word of a count, which must count the metric's kind of thing (not 套 for talent)."""
        metric = self.metrics.get(metric_id)
        if metric is None:
            return False
        if classifier and not counts_as(classifier, metric.unit):
            return False
        mdim = metric.dim
        if dim in CHANGE_DIMS:
            if mdim == "percent":
                return dim != "times" or change
            return change
        if mdim == "any":
            return dim in ("count", "mass", "energy", "power")
        return mdim == dim

    def unit_metric(self, unit_surface: str, dim: str) -> str:
        """A metric named by the unit itself (亩 -> land, 平方公里 -> area, GWh -> battery_capacity)."""
        for mid in self.unit_triggers.get(unit_surface, ()):
            if self.fits(mid, dim, False):
                return mid
        return ""


@cache
def taxonomy() -> Taxonomy:
    return Taxonomy([dict(r) for r in read_csv("metrics.csv")])


@dataclass(frozen=True, slots=True)
class Choice:
    metric: str
    keyword: Keyword | None
    distance: int

    def __init__(self, metric: str, keyword: Keyword | None, distance: int) -> None:
        object.__setattr__(self, "metric", metric)  # written out to be compiled: see parsers/compiled.py
        object.__setattr__(self, "keyword", keyword)
        object.__setattr__(self, "distance", distance)


def choose_metric(before: list[Keyword], after: list[Keyword], num_start: int, num_end: int, dim: str,
                  change: bool, tax: Taxonomy | None = None, classifier: str = "") -> Choice | None:
    """The metric whose word stands closest to the number and fits its unit.

    `before` are the words between the clause start and the number, `after` those between the
    number and the clause end. Closeness first (a word right before or right after the number names
    it), then the longer word (规模以上工业企业 over 企业; a pattern's `*` counts nothing), then the word before over the one after.
    """
    tax = tax or taxonomy()
    best: tuple[tuple[int, int, int], Choice] | None = None
    for side, words in ((0, before), (1, after)):
        for kw in words:
            dist = num_start - kw.end if side == 0 else kw.start - num_end
            if dist < 0:
                continue
            for mid in kw.metrics:
                if tax.fits(mid, dim, change, classifier):
                    key = (dist + side, -kw.weight, side)
                    if best is None or key < best[0]:
                        best = (key, Choice(mid, kw, dist))
                    break
    return best[1] if best else None
