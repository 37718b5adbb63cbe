"""Dictionary scanning shared by the park, industry and company recognisers.

A few thousand names are matched in one pass of one compiled regular expression built as a trie
(common prefixes factored out), so the cost per article does not grow with the size of the
gazetteer: the regex engine branches on the next character instead of trying every alias in turn.
At each position the longest name wins, because every optional tail of the trie is greedy.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path

ASCII_WORD = re.compile(r"[A-Za-z0-9]")
CJK = re.compile(r"[\u3400-\u9fff]")


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source that matches any of `words`, longest first at each position."""
    root: dict[str, dict] = {}
    for word in words:
        if not word:
            continue
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(root) if root else r"(?!x)x"


def _node_pattern(node: dict[str, dict]) -> str:
    terminal = "" in node
    branches = [re.escape(ch) + _node_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if terminal:
        # An optional tail: greedy, so the longer word is tried before stopping here.
        return "(?:" + body + ")?"
    return body


class Lexicon:
    """Surface strings mapped to values, scanned leftmost-longest in one regex pass."""

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = dict(entries)
        self.regex = re.compile(trie_pattern(self.entries))
        # Surfaces that begin or end with an ASCII letter or digit, which must not touch another one
        # (PCB in SPCBA): decided once per surface here rather than once per match.
        self.ascii_edges = {w: (bool(ASCII_WORD.match(w[0])), bool(ASCII_WORD.match(w[-1])))
                            for w in self.entries if w and (ASCII_WORD.match(w[0]) or ASCII_WORD.match(w[-1]))}

    def scan(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, surface, value) for every match; ASCII names must stand as whole words."""
        entries, edges = self.entries, self.ascii_edges
        for m in self.regex.finditer(text):
            surface = m.group()
            start, end = m.span()
            edge = edges.get(surface)
            if edge is not None:
                if edge[0] and start > 0 and ASCII_WORD.match(text[start - 1]):
                    continue
                if edge[1] and end < len(text) and ASCII_WORD.match(text[end]):
                    continue
            yield start, end, surface, entries[surface]


def word_set(text: str) -> frozenset[str]:
    """Whitespace-separated words as a set (keeps long word lists readable)."""
    return frozenset(text.split())


def data_path(name: str) -> Path:
    """A data file shipped in parsers/data (works from an installed package too)."""
    return Path(str(resources.files("parks.parsers").joinpath("data", name)))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


def split_names(cell: str) -> list[str]:
    return [n.strip() for n in (cell or "").split("|") if n.strip()]


@cache
def places() -> dict[str, str]:
    """Place name (without 省/市/县) -> level (province | city | county)."""
    return {r["name"]: r["level"] for r in read_csv(data_path("places.csv")) if r.get("name")}
