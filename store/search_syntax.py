"""What a search query means: words, phrases, OR, exclusions, and the index keys behind each.

The query is normalised like the corpus (traditional to simplified, full-width to half-width) and
ASCII letters are folded to lower case on both sides, so 光伏發電, ＡＩ and ai all find what the
articles spell 光伏发电 or AI. Each word is then matched as a substring of the article's normalised
text, which is what makes recall exact (光伏 is found inside 光伏发电 whatever jieba would do with
either). jieba is only consulted, through `segmented`, to relax a query that found nothing: a long
run of characters typed without spaces (西安高新区碳中和) becomes the words jieba sees in it.

Keys: the index (store/search_index.py) holds, for every position of the folded text whose
character is not NOISE (spaces, line breaks, common punctuation), the pair of that character and
the next one, as the integer (a << 21) | b, with b = 0 when the next character is noise or the text
ends. So a two-character word is one key, exactly; a one-character word is the range of keys that
start with it, exactly (each occurrence is counted once, by the pair it starts); a longer word's
articles all hold each of its pairs, and the text of a candidate is read to confirm it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Characters that start no pair in the index: they carry no meaning on their own and would make
# the biggest posting lists. A word containing one is still found, by checking the text.
NOISE = " \n\t\r\x00\x01\x0b\x0c，。、；：？！“”‘’（）《》【】〈〉「」『』—…·,.;:?!\"'()[]<>{}-/\\|~`"
_NOISE = frozenset(NOISE)
# On UTF-8 bytes: the bytes of a multi-byte character are all >= 0x80, so only ASCII letters change.
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
# Single characters dropped when jieba splits a long run: they would only narrow the search.
_FUNCTION_WORDS = frozenset("的了和与及或在是为对把被将也都而并之其等于以向从这那个")
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
MAX_WORDS = 32


class QuerySyntaxError(ValueError):
    """A query that cannot be understood; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Term:
    """A string that must occur in the article's folded normalised text."""

    text: str  # folded
    phrase: bool = False  # written in quotes: never split by jieba

    @property
    def keys(self) -> list[int]:
        """Pair keys every article containing the term holds (empty: see `char`)."""
        return pair_keys(self.text)

    @property
    def char(self) -> int | None:
        """When the term has no pair key: a character every article containing it holds (a key range)."""
        if self.keys:
            return None
        return next((ord(c) for c in self.text if c not in _NOISE), None)

    @property
    def exact(self) -> bool:
        """True when the index alone says which articles contain it, and how often."""
        return 1 <= len(self.text) <= 2 and _NOISE.isdisjoint(self.text)


@dataclass(slots=True)
class Query:
    """groups are ANDed, the terms inside a group ORed; no article may contain an excluded term."""

    groups: list[list[Term]]
    exclude: list[Term] = field(default_factory=list)
    relaxed: bool = False  # built by `segmented` from a query that found nothing

    @property
    def terms(self) -> list[Term]:
        """Every positive term once, in query order."""
        return list(dict.fromkeys(t for g in self.groups for t in g))

    def describe(self) -> str:
        parts = [" OR ".join(_show(t) for t in g) for g in self.groups]
        return " ".join(parts + ["-" + _show(t) for t in self.exclude])


def _show(t: Term) -> str:
    return f'"{t.text}"' if t.phrase or " " in t.text else t.text


def fold(text: str) -> str:
    """ASCII letters to lower case; every other character unchanged, so offsets stay valid."""
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER).decode("utf-8", "surrogatepass")


def normalize_query(text: str) -> str:
    """Normalised like the corpus; characters that cannot be UTF-8 (lone surrogates) become U+FFFD."""
    from parks.parsers.normalize import normalize

    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return normalize(text)


def pair_key(a: str, b: str) -> int:
    """The key of character a followed by b ('' or a noise character: 0)."""
    return (ord(a) << 21) | (0 if not b or b in _NOISE else ord(b))


def char_range(code: int) -> tuple[int, int]:
    """The keys of every pair that starts with the character `code`."""
    return code << 21, (code << 21) | 0x1FFFFF


MAX_KEYS = 16  # of a long word, this many pairs spread over it are enough to find its candidates


def pair_keys(text: str) -> list[int]:
    """Keys of the pairs inside `text` that start with a non-noise character (the last character's
    follower is unknown, so it has none of its own); for a long word, MAX_KEYS of them."""
    keys = list(dict.fromkeys(pair_key(text[i], text[i + 1]) for i in range(len(text) - 1) if text[i] not in _NOISE))
    if len(keys) > MAX_KEYS:
        keys = [keys[i * (len(keys) - 1) // (MAX_KEYS - 1)] for i in range(MAX_KEYS)]
    return keys


def parse(query: str) -> Query:
    """The meaning of a query string; QuerySyntaxError says what is wrong with it."""
    text = normalize_query(query)
    if text.count('"') % 2:
        raise QuerySyntaxError('unbalanced quote " in the query')
    tokens = _tokens(text)
    groups: list[list[Term]] = []
    exclude: list[Term] = []
    joining = False
    for kind, text in tokens:
        if kind == "or":
            if not groups or joining:
                raise QuerySyntaxError("OR must stand between two words")
            joining = True
            continue
        if kind == "neg":
            if joining:
                raise QuerySyntaxError("an excluded word (-word) cannot be part of OR")
            exclude.append(Term(fold(text), phrase=True))
            continue
        term = Term(fold(text), phrase=kind == "phrase")
        if joining:
            groups[-1].append(term)
            joining = False
        else:
            groups.append([term])
    if joining:
        raise QuerySyntaxError("OR must stand between two words")
    if len(groups) + len(exclude) + sum(len(g) - 1 for g in groups) > MAX_WORDS:
        raise QuerySyntaxError(f"the query has too many words (at most {MAX_WORDS})")
    if not groups:
        if exclude:
            raise QuerySyntaxError("the query only excludes words; give at least one word to look for")
        raise QuerySyntaxError("the query is empty")
    groups = [list(dict.fromkeys(g)) for g in groups]
    return Query(groups=list({tuple(g): g for g in groups}.values()), exclude=list(dict.fromkeys(exclude)))


_SPACE = re.compile(r"\s+")


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) with kind word | phrase | neg | or; quotes keep their spaces."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        neg = ch == "-" and i + 1 < n and not text[i + 1].isspace()
        start = i + 1 if neg else i
        if text[start] in _QUOTES:
            close = text.find(_QUOTES[text[start]], start + 1)
            if close < 0:
                raise QuerySyntaxError(f"unbalanced quote {text[start]} in the query")
            inner = text[start + 1:close]
            i = close + 1
            if inner.strip():
                out.append(("neg" if neg else "phrase", inner))
            continue
        m = _SPACE.search(text, start)
        end = m.start() if m else n
        word = text[start:end]  # quotes inside a word are part of it (打造“链”上)
        i = end
        if neg:
            out.append(("neg", word))
        elif word == "OR":
            out.append(("or", word))
        elif word == "-":
            raise QuerySyntaxError("nothing after - (write -word to exclude a word)")
        else:
            out.append(("word", word))
    return out


def segmented(query: Query) -> Query | None:
    """The query with each long unquoted word split by jieba, or None when nothing splits.

    Used only when the literal query found nothing, so that a sentence typed without spaces still
    finds the articles that contain its words."""
    groups: list[list[Term]] = []
    changed = False
    for group in query.groups:
        term = group[0]
        if len(group) > 1 or term.phrase or len(term.text) < 3:
            groups.append(group)
            continue
        pieces = _cut(term.text)
        if len(pieces) < 2:
            groups.append(group)
            continue
        changed = True
        groups.extend([Term(p)] for p in pieces)
    if not changed:
        return None
    unique = list({tuple(g): g for g in groups}.values())
    return Query(groups=unique, exclude=query.exclude, relaxed=True)


def _cut(text: str) -> list[str]:
    from parks.parsers.segment import load_jieba

    words = [w for w in load_jieba().lcut(text, HMM=False) if w.strip() and not set(w) <= _NOISE]
    if any(len(w) > 1 for w in words):
        words = [w for w in words if len(w) > 1 or w not in _FUNCTION_WORDS]
    return list(dict.fromkeys(fold(w) for w in words))


def preload() -> None:
    """Load jieba and the project dictionary now (the dashboard calls this after its first paint)."""
    from parks.parsers.segment import load_jieba

    load_jieba()
