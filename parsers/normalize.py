"""Normalisation for analysis: one spelling per character, same length as the input.

Keeping the length lets every offset found in the normalised text point at the same characters in
the text the user reads, so the original is kept for display without an offset map.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SURROGATE = re.compile("[\ud800-\udfff]")

# Full-width ASCII (U+FF01..U+FF5E) maps to ASCII by a fixed offset; odd spaces become a plain space.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_SPACES = {cp: 0x20 for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
                               0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x1680)}
# Characters that carry no meaning for analysis and would split words: zero-width and bidi marks
# become a plain space, which keeps the length.
_INVISIBLE = {cp: 0x20 for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F,
                                  0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
                                  0x2069)}
_TABLE = {**_WIDTH, **_SPACES, **_INVISIBLE, 0xFFE5: ord("¥"), 0xFFE0: ord("¢"), 0xFFE1: ord("£")}
# The same mapping as a list over the whole BMP: str.translate then finds every character (a dict
# raises and clears a KeyError for each character it does not hold, twice as slow on Chinese
# text); characters beyond the BMP are out of the list's range and kept as they are.
_FOLD = [_TABLE.get(cp, cp) for cp in range(0x10000)]


@lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    """OpenCC's t2s converter, loaded on first use (the CLI's fast path never needs it)."""
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified, keeping the length: a phrase rule that changes the length is
    undone by converting that line character by character."""
    if not text or text.isascii():
        return text
    conv = _converter()
    try:
        out = conv.convert(text)
    except UnicodeEncodeError:  # lone surrogates cannot cross into OpenCC; U+FFFD keeps the length
        text = _SURROGATE.sub("\ufffd", text)
        out = conv.convert(text)
    if len(out) == len(text):
        return out
    lines = text.split("\n")
    fixed = []
    for line in lines:
        new = conv.convert(line)
        if len(new) != len(line):
            new = "".join(_one(conv, ch) for ch in line)
        fixed.append(new)
    return "\n".join(fixed)


def _one(conv, ch: str) -> str:  # type: ignore[no-untyped-def]
    new = conv.convert(ch)
    return new if len(new) == 1 else ch


def fold_width(text: str) -> str:
    """Full-width digits, letters and punctuation to half-width; odd and invisible spaces to space."""
    return text.translate(_FOLD)


def normalize(text: str) -> str:
    """The analysis form of `text`: simplified, half-width, plain spaces; len(result) == len(text)."""
    return fold_width(to_simplified(text))
