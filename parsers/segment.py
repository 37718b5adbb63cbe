"""A jieba tokenizer that knows the project's names, for segmenting search queries and text.

Without it jieba cuts 无锡高新区 into 无锡/高新区 and 宁德时代 into 宁德/时代, so a search for the
park or the company would match every 高新区 or every 时代. The words come from the gazetteer (every
spelling), the industry taxonomy and the list of known companies. jieba is imported only when a
tokenizer is first asked for: loading its dictionary takes about a second, and the CLI must start
fast.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from parks.parsers.companies import company_words
from parks.parsers.data import data_path, read_csv
from parks.parsers.gazetteer import load_gazetteer
from parks.parsers.industries import industry_words

# High enough that jieba keeps the word whole against its own dictionary's splits.
WORD_FREQ = 200_000


def policy_terms() -> set[str]:
    """Terms of park news (碳中和, 专精特新…) from parsers/data/terms.txt and the metric words."""
    lines = data_path("terms.txt").read_text(encoding="utf-8").splitlines()
    terms = {t.strip() for t in lines if t.strip() and not t.startswith("#")}
    for row in read_csv("metrics.csv"):
        terms.update(w for w in (row.get("surface_forms") or "").split("|") if "*" not in w)
    return terms


def user_dictionary_words() -> list[str]:
    """Every park spelling, industry synonym, known company name and policy term, longest first."""
    g = load_gazetteer()
    words = set(g.names) | set(g.parks) | set(industry_words()) | set(company_words()) | policy_terms()
    return sorted((w for w in words if len(w) >= 2 and " " not in w), key=lambda w: (-len(w), w))


def write_user_dictionary(path: Path) -> Path:
    """The same words as a jieba user dictionary file (word freq per line)."""
    path.write_text("".join(f"{w} {WORD_FREQ}\n" for w in user_dictionary_words()), encoding="utf-8")
    return path


@cache
def load_jieba() -> Any:
    """A jieba Tokenizer with the project's words added (built once, on first use)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in user_dictionary_words():
        tokenizer.add_word(word, freq=WORD_FREQ)
    return tokenizer


def cut(text: str) -> list[str]:
    """Segment text with the project's tokenizer."""
    return load_jieba().lcut(text)
