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


def test_park_company_and_industry_names_stay_whole() -> None:
    words = cut("无锡高新区引进宁德时代，海辰储能的储能电池在稀土高新区投产")
    for name in ("无锡高新区", "宁德时代", "海辰储能", "稀土高新区"):
        assert name in words


def test_dictionary_holds_every_gazetteer_spelling_industry_and_known_company() -> None:
    from parks.parsers.companies import company_words
    from parks.parsers.gazetteer import load_gazetteer
    from parks.parsers.industries import industry_words

    words = set(user_dictionary_words())
    expected = set(load_gazetteer().names) | set(industry_words()) | set(company_words())
    assert {w for w in expected if len(w) >= 2 and " " not in w} <= words
