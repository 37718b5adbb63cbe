"""The gazetteer: every park we know, under one canonical name, with all the ways it is written.

Comparing parks only works when 稀土高新区, 包头稀土国家高新区 and 包头稀土高新技术产业开发区 are one
park, so every spelling (official name, aliases, and regular variants generated here such as
X国家高新区 or X市高新区) maps to exactly one canonical name. A spelling claimed by two parks is
dropped from both rather than guessed, and `conflicts` lists it so a test can fail on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from parks.parsers.data import gazetteer_rows, user_gazetteer, user_gazetteer_rows
from parks.parsers.lexicon import Lexicon, places, read_csv, split_names

HIGHTECH = "国家高新区"
# Official suffixes that the news shortens to 高新区, longest first.
LONG_SUFFIXES = ("高新技术产业开发区", "高技术产业开发区", "高新技术产业园区", "新技术开发区")


@dataclass(frozen=True)
class Park:
    canonical: str
    official_name: str
    kind: str  # 国家高新区 | 国家级新区 | 国家级经济技术开发区 | 新区 | 生态城 | 示范区 | 片区 (an area inside a park)
    province: str
    city: str
    approved_year: int | None
    aliases: tuple[str, ...]
    note: str = ""
    parent: str = ""  # for a 片区: the canonical name of the park it belongs to
    resolve_only: tuple[str, ...] = ()  # aliases too ambiguous to look for in text (张江, 南沙, SIP)


@dataclass
class Gazetteer:
    parks: dict[str, Park]
    names: dict[str, str] = field(default_factory=dict)  # every spelling -> canonical
    scan_names: dict[str, str] = field(default_factory=dict)  # spellings looked for in text
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # spelling -> parks claiming it

    def __post_init__(self) -> None:
        if not self.names:
            self._index()
        self._lexicon: Lexicon | None = None

    def _index(self) -> None:
        claims: dict[str, set[str]] = {}
        explicit: dict[str, set[str]] = {}
        for park in self.parks.values():
            for name in _explicit_names(park):
                explicit.setdefault(name, set()).add(park.canonical)
                claims.setdefault(name, set()).add(park.canonical)
        for park in self.parks.values():
            for name in _generated_names(park):
                if name not in explicit:  # an explicit spelling always beats a generated one
                    claims.setdefault(name, set()).add(park.canonical)
        resolve_only = {a for p in self.parks.values() for a in p.resolve_only}
        for name, owners in claims.items():
            if len(owners) > 1:
                self.conflicts[name] = tuple(sorted(owners))
                continue
            canonical = next(iter(owners))
            self.names[name] = canonical
            if name not in resolve_only:
                self.scan_names[name] = canonical

    @property
    def lexicon(self) -> Lexicon:
        """One compiled trie regex over every spelling looked for in text (built once)."""
        if self._lexicon is None:
            self._lexicon = Lexicon(self.scan_names)
        return self._lexicon

    def resolve(self, name: str) -> str | None:
        """The canonical name for any known spelling (traditional or full-width too), else None."""
        text = normalise(name or "").strip()
        text = re.sub(r"\s+", "", text)
        if not text:
            return None
        for candidate, dropped in _resolution_candidates(text):
            canonical = self.names.get(candidate)
            if canonical and (not dropped or self.place_fits(canonical, dropped)):
                return canonical
        return None

    def place_fits(self, canonical: str, place: str) -> bool:
        """Whether a province or city written before a park's name can be that park's place.

        福州滨海新区 and 盐城滨海高新区 are not Tianjin's 滨海新区 and 滨海高新区: a name preceded by
        another city names another park. A park without a province is given the benefit of the doubt."""
        park = self.parks.get(canonical)
        if park is None or not park.province:
            return True
        return any(place in name for name in (park.province, park.city, park.official_name, park.canonical,
                                              *park.aliases))

    def park(self, name: str) -> Park | None:
        canonical = self.resolve(name)
        return self.parks.get(canonical) if canonical else None

    def owner(self, canonical: str) -> str:
        """The park a name counts for: the parent of a 片区, else the park itself."""
        park = self.parks.get(canonical)
        return park.parent if park and park.parent else canonical

    def with_parks(self, extra: list[Park]) -> Gazetteer:
        """A new gazetteer with `extra` parks added (a user's additions); same name rules."""
        merged = dict(self.parks)
        for park in extra:
            merged[park.canonical] = park
        return Gazetteer(parks=merged)


def _explicit_names(park: Park) -> set[str]:
    names = {park.canonical, park.official_name, *park.aliases}
    return {normalise(n) for n in names if n}


def _generated_names(park: Park) -> set[str]:
    """Regular spellings the news uses that the data file does not list one by one."""
    out: set[str] = set()
    if park.kind != HIGHTECH:
        return out
    stems = set()
    for name in (park.canonical, park.official_name, *park.aliases):
        stem = _hightech_stem(name)
        if stem and len(stem) >= 2:
            stems.add(stem)
    for stem in stems:
        out |= {stem + "高新区", stem + "国家高新区", stem + "高新技术产业开发区", stem + "国家高新技术产业开发区"}
        if stem in places() and not stem.endswith(("市", "省")):
            out |= {stem + "市高新区", stem + "市国家高新区"}
    return {n for n in out if n}


def _hightech_stem(name: str) -> str:
    for suffix in ("国家高新技术产业开发区", *LONG_SUFFIXES, "国家高新区", "高新区"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return ""


def _resolution_candidates(text: str) -> list[tuple[str, str]]:
    """The name as given, then without a leading province and with official suffixes shortened;
    each with the province dropped from its front ('' when none), which must fit the park found."""
    out = [(text, "")]
    stripped = text
    dropped = ""
    for _ in range(3):  # 广东省肇庆市高新区 -> 肇庆市高新区 -> 肇庆高新区
        m = re.match(r"([\u4e00-\u9fff]{2,4}?)(?:省|市|自治区)?", stripped)
        if not m:
            break
        head = m.group(1)
        if head in places() and places()[head] == "province" and len(stripped) > m.end():
            stripped = stripped[m.end():]
            dropped = dropped or head
            out.append((stripped, dropped))
        else:
            break
    for name, gone in list(out):
        for suffix in LONG_SUFFIXES:
            if name.endswith(suffix):
                out.append((name[: -len(suffix)] + "高新区", gone))
        m = re.match(r"([\u4e00-\u9fff]{2,4})市(.+)", name)
        if m and m.group(1) in places():
            out.append((m.group(1) + m.group(2), gone))
    return out


def _row_to_park(row: dict[str, str]) -> Park:
    year = row.get("approved_year", "")
    return Park(
        canonical=normalise(row["canonical"]),
        official_name=normalise(row.get("official_name", "")),
        kind=row.get("kind", ""),
        province=row.get("province", ""),
        city=row.get("city", ""),
        approved_year=int(year) if year.isdigit() else None,
        aliases=tuple(normalise(a) for a in split_names(row.get("aliases", ""))),
        note=row.get("note", ""),
        parent=normalise(row.get("parent", "")),
        resolve_only=tuple(normalise(a) for a in split_names(row.get("resolve_only", ""))),
    )


def read_gazetteer(path: Path) -> Gazetteer:
    return gazetteer_from_rows(read_csv(path))


def gazetteer_from_rows(rows: Iterable[dict[str, str]]) -> Gazetteer:
    parks: dict[str, Park] = {}
    for row in rows:
        if row.get("canonical"):
            park = _row_to_park(row)
            parks[park.canonical] = park
    return Gazetteer(parks=parks)


@cache
def _load(path: str) -> Gazetteer:
    return read_gazetteer(Path(path))


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer from `path` (default: the one shipped in parsers/data), built once per path."""
    return _load(str(path)) if path else _default()


def _default() -> Gazetteer:
    """The shipped gazetteer with the user's own parks ($PARKS_GAZETTEER), built once per file."""
    return _with_user(str(user_gazetteer() or ""))


@cache
def _with_user(user: str) -> Gazetteer:
    return gazetteer_from_rows(gazetteer_rows(user))


def user_conflicts() -> list[str]:
    """Spellings of the user's own parks ($PARKS_GAZETTEER) that another park also claims: neither
    park gets them, which the user should hear of."""
    own = {normalise(r["canonical"]) for r in user_gazetteer_rows()}
    if not own:
        return []
    return [f"{name} is claimed by {' and '.join(sorted(parks))}, so neither park gets it"
            for name, parks in sorted(load_gazetteer().conflicts.items()) if own & set(parks)]


def normalise(text: str) -> str:
    """The project's normalisation (t2s, full-width -> half-width), same length as the input."""
    return _normaliser()(text)


@cache
def _normaliser():
    try:
        from parks.parsers.normalize import normalize  # the lead's module, when present

        return normalize
    except ImportError:
        return _fallback_normalise


def _fallback_normalise(text: str) -> str:
    folded = "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else (" " if c == "\u3000" else c) for c in text
    )
    converted = _opencc().convert(folded) if _opencc() else folded
    return converted if len(converted) == len(folded) else folded


@cache
def _opencc():
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # noqa: BLE001 - conversion is a nicety; never fail loading over it
        return None
