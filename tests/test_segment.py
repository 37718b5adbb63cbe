"""jieba knows the project's words: parks, companies and the policy terms of park news."""

from __future__ import annotations

from parks.parsers.segment import cut, user_dictionary_words


def test_policy_terms_stay_whole() -> None:
    words = cut("园区推进碳达峰碳中和，培育专精特新企业，优化营商环境")
    for term in ("碳达峰", "碳中和", "营商环境"):
        assert term in words
    assert any(w.startswith("专精特新") for w in words)


def test_dictionary_has_no_comment_lines_or_blanks() -> None:
    words = user_dictionary_words()
    assert all(w.strip() == w and w and not w.startswith("#") for w in words)
