"""Full-text search: the same hits as a substring scan, query syntax, ranking, snippets, the index's life."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parks.main import cli
from parks.parsers.normalize import normalize
from parks.store import search as s
from parks.store import search_index
from parks.store.db import connect
from parks.store.search_syntax import QuerySyntaxError, Term, fold, pair_keys, parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

# Our own sentences: (title, body, date, park).
ARTICLES = [
    ("光伏发电项目并网", "园区屋顶光伏发电项目今年并网，年发电量约一千万度。企业用上了绿电。", "2023-05-01", "肇庆高新区"),
    ("新型储能产业加速集聚", "新型储能产业链条不断延伸，储能电池和储能系统企业相继落户。", "2023-06-02", "厦门火炬高新区"),
    ("宁德时代基地投产", "宁德时代在园区投资建设的电池基地正式投产，带动上下游企业集聚。", "2022-03-15", "肇庆高新区"),
    ("專精特新企業培育", "園區累計培育專精特新企業三十家，光伏組件企業成為新的增長點。", "2021-09-09", "昆山高新区"),
    ("氢能产业园开工", "氢能产业园开工建设，加氢站与燃料电池项目同步推进。", "2023-01-20", ""),
    ("稀土新材料", "稀土功能材料产业产值增长，稀土永磁企业扩产。知识产权保护力度加大。", "2020-12-01", "包头稀土高新区"),
    ("营商环境持续优化", "园区持续优化营商环境，企业开办时间压缩到一天。政务服务“一网通办”。", "2022-08-08", ""),
    ("零碳园区建设", "零碳园区建设提速，碳汇项目和光伏项目一起推进。", "2023-09-12", "无锡高新区"),
    ("新能源汽车产量增长", "新能源汽车产量同比增长，动力电池配套能力增强。GDP同比增长8.1%。", "2022-04-15", "襄阳高新区"),
    ("孵化器提质增效", "科技企业孵化器新增在孵企业一百家，ＡＩ企业占比提高，ai应用落地。", "2021-06-18", ""),
    ("", "没有标题的图片说明：光伏板在阳光下发电。", "2023-03-03", ""),
    ("园区简讯", "储能、光伏、氢能：三条赛道齐头并进。\n\n　　全年新增企业 120 家。", "2024-02-02", ""),
    ("新型储能产业发展", "新型储能产业发展报告发布。报告说新型储能产业规模扩大。", "2023-06-03", ""),
    ("碳中和路线图", "碳中和路线图发布，碳达峰、碳中和目标明确。光伏与储能是重点。", "2021-06-11", "西安高新区"),
]

WORDS = ["光伏", "储能", "宁德时代", "专精特新", "氢能", "稀土", "知识产权", "营商环境", "零碳", "碳汇",
         "新能源汽车", "孵化", "光伏发电", "新型储能产业", "储能产业", "园区", "企业", "的", "光", "能", "gdp",
         "GDP", "ai", "8.1%", "%", "，", "：", "一网通办", "“一网通办”", "电池", "碳中和", "碳", "不存在的词",
         "专精特新企业", "光伏组件", "组件", "120", "1", "20", "三条赛道", "赛道齐", "新增企业 120"]


def insert_articles(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str, str]], start: int = 1,
                    index: bool = True) -> list[int]:
    """Articles as the ingest writes them (title, blank line, body; same-length normalised text)."""
    ids = []
    con.execute("BEGIN")
    for i, (title, body, day, park) in enumerate(rows, start=start):
        text = f"{title}\n\n{body}" if title else body
        norm = normalize(text)
        con.execute("INSERT INTO articles (article_id, doc_id, seq, title, text, norm, chars, date, park, source) "
                    "VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?)",
                    [i, i, title, text, norm, len(text), day, park, f"/pages/{i}.txt"])
        ids.append(i)
        if index:
            search_index.index_articles(con, [(i, norm[:len(title)], norm, day)])
    con.execute("COMMIT")
    return ids


@pytest.fixture()
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = connect(tmp_path / "s.duckdb", create=True)
    insert_articles(c, ARTICLES)
    search_index.finish_ingest(c)
    yield c
    c.close()


def folded_texts(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    return {aid: fold(norm) for aid, norm in con.execute("SELECT article_id, norm FROM articles").fetchall()}


def reference(con: duckdb.DuckDBPyConnection, query: str) -> set[int]:
    """What a query means, by reading every text in Python."""
    q = parse(query)
    return {aid for aid, text in folded_texts(con).items()
            if all(any(t.text in text for t in g) for g in q.groups) and not any(t.text in text for t in q.exclude)}


def ids(hits: list[s.Hit]) -> set[int]:
    return {h.article_id for h in hits}


# ------------------------------------------------------------------------------------------------
# Recall: exactly the substring scan


def test_every_word_finds_exactly_what_a_substring_scan_finds(con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0  # answered by the index
    for w in WORDS:
        expected = s.scan(con, w)
        assert ids(s.search(con, f'"{w}"' if " " in w else w, limit=None)) == expected, w
        assert expected == reference(con, f'"{w}"' if " " in w else w), w


def test_words_that_jieba_cuts_differently_are_still_found(con: duckdb.DuckDBPyConnection) -> None:
    texts = folded_texts(con)
    inside = [aid for aid, t in texts.items() if "光伏发电" in t]
    assert inside and set(inside) <= ids(s.search(con, "光伏", limit=None))
    grown = [aid for aid, t in texts.items() if "新型储能产业" in t]
    assert grown and set(grown) <= ids(s.search(con, "储能", limit=None))


def test_every_substring_of_every_text_is_found(con: duckdb.DuckDBPyConnection) -> None:
    texts = folded_texts(con)
    words = set()
    for text in texts.values():
        for n in (1, 2, 3, 5):
            words.update(text[i:i + n] for i in range(0, len(text) - n, 3))
    words = {w for w in words if w.strip() == w and w and '"' not in w and "“" not in w and not w.startswith("-")
             and w != "or"}
    for w in sorted(words):
        query = f'"{w}"'
        assert ids(s.search(con, query, limit=None, snippets=False)) == reference(con, query), w


def test_pending_articles_are_found_before_they_are_indexed(tmp_path: Path) -> None:
    c = connect(tmp_path / "p.duckdb", create=True)
    insert_articles(c, ARTICLES[:7])
    search_index.finish_ingest(c)
    insert_articles(c, ARTICLES[7:], start=8)  # registered, not cut into pairs yet
    assert c.execute("SELECT count(*) FROM search_pending").fetchone()[0] == len(ARTICLES) - 7
    before = {w: ids(s.search(c, w, limit=None)) for w in WORDS if " " not in w}
    for w, found in before.items():
        assert found == s.scan(c, w), w
    search_index.finish_ingest(c)
    assert c.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    assert {w: ids(s.search(c, w, limit=None)) for w in before} == before
    c.close()


def test_normalised_and_case_folded_queries(con: duckdb.DuckDBPyConnection) -> None:
    assert ids(s.search(con, "專精特新", limit=None)) == ids(s.search(con, "专精特新", limit=None)) != set()
    assert ids(s.search(con, "ＧＤＰ", limit=None)) == ids(s.search(con, "gdp", limit=None)) != set()
    ai = ids(s.search(con, "AI", limit=None))
    assert ai == ids(s.search(con, "ai", limit=None)) == s.scan(con, "Ai") and len(ai) == 1


# ------------------------------------------------------------------------------------------------
# Query syntax


@pytest.mark.parametrize("query", [
    "光伏 储能", "光伏 OR 氢能", "光伏 OR 氢能 企业", "储能 -电池", "光伏 -储能 -电池", '"新型储能 产业"',
    '"新增企业 120"', "园区 -“一网通办”", "光伏 OR 宁德时代 -园区", '"光伏" "储能"', "碳中和 光伏 储能",
    "企业 -的", "光 OR 氢 -园区", "新能源汽车 OR 专精特新 OR 零碳", "-，园区 园区"])
def test_and_or_phrase_and_exclusion_mean_what_they_say(con: duckdb.DuckDBPyConnection, query: str) -> None:
    assert ids(s.search(con, query, limit=None)) == reference(con, query)


def test_syntax() -> None:
    q = parse('碳中和  光伏 OR 风电 -煤炭 "新型 储能"')
    assert [[t.text for t in g] for g in q.groups] == [["碳中和"], ["光伏", "风电"], ["新型 储能"]]
    assert [t.text for t in q.exclude] == ["煤炭"]
    assert parse("光伏發電").groups == [[Term("光伏发电")]]
    assert parse("ＧＤＰ　增长").groups == [[Term("gdp")], [Term("增长")]]
    assert parse("打造“链”上").groups == [[Term("打造“链”上")]]
    assert parse("“国家高新区” 储能").groups[0][0].phrase


@pytest.mark.parametrize("query, message", [
    ('"碳中和 光伏', "unbalanced quote"), ("“碳中和", "unbalanced quote"), ("-光伏", "only excludes"),
    ("-光伏 -储能", "only excludes"), ("", "empty"), ("   ", "empty"), ("OR 光伏", "OR"), ("光伏 OR", "OR"),
    ("光伏 OR OR 储能", "OR"), ("光伏 OR -储能", "cannot be part of OR"), ("光伏 -", "nothing after -")])
def test_syntax_errors_say_what_is_wrong(con: duckdb.DuckDBPyConnection, query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        s.search(con, query)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*'光伏储能 "“”-OR　ＡA，\n', " OR "]), max_size=20).map("".join))
def test_any_query_string_either_parses_or_says_why(text: str) -> None:
    try:
        q = parse(text)
    except QuerySyntaxError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert q.groups and all(t.text for g in q.groups for t in g)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30) | st.lists(st.sampled_from(["光伏", "OR", "-", '"', "“", " ", "储能", "\x00", "A", "，"]),
                                       max_size=12).map("".join))
def test_any_query_either_finds_or_says_why(con: duckdb.DuckDBPyConnection, text: str) -> None:
    try:
        hits = s.search(con, text, limit=5)
    except QuerySyntaxError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert len(hits) <= 5 and [h.rank for h in hits] == list(range(1, len(hits) + 1))


def test_too_many_words_is_a_syntax_error(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(QuerySyntaxError, match="too many words"):
        s.search(con, " ".join(f"词{i}" for i in range(40)))
    long_word = "光伏" * 200  # a long word is fine: a few of its pairs find its candidates
    assert len(pair_keys(long_word)) <= 16 and s.search(con, long_word) == []


def test_pair_keys() -> None:
    assert len(pair_keys("光伏")) == 1 and pair_keys("光") == []
    assert pair_keys("光伏，") == pair_keys("光伏。")  # the pair before noise does not say which noise
    assert Term("光伏").exact and Term("光").exact and not Term("光伏发电").exact and not Term("光，").exact


# ------------------------------------------------------------------------------------------------
# Ranking


def test_a_title_hit_outranks_a_single_body_hit(tmp_path: Path) -> None:
    c = connect(tmp_path / "r.duckdb", create=True)
    long_body = "园区企业数量持续增长，产业结构不断优化。" * 40
    insert_articles(c, [
        ("钙钛矿电池中试线落地", long_body, "2020-01-01", ""),  # a title hit in a long article
        ("园区动态", "新建一条钙钛矿中试线。", "2024-01-01", ""),  # one body hit in a short article, newer
        ("园区动态二", "钙钛矿钙钛矿钙钛矿，三次提到钙钛矿，还有钙钛矿。" + long_body, "2020-01-01", ""),
    ])
    search_index.finish_ingest(c)
    hits = s.search(c, "钙钛矿")
    assert hits[0].article_id == 1  # above the short newer article and the long one that says it 5 times
    assert [h.rank for h in hits] == [1, 2, 3] and hits[0].score > hits[1].score > hits[2].score
    c.close()


def test_more_occurrences_rank_higher_and_ties_go_to_the_newer(tmp_path: Path) -> None:
    c = connect(tmp_path / "t.duckdb", create=True)
    insert_articles(c, [
        ("动态", "稀土材料项目开工。", "2021-01-01", ""),
        ("动态", "稀土材料项目开工。", "2023-01-01", ""),
        ("动态", "稀土材料稀土永磁项目开工。", "2019-01-01", ""),
        ("动态", "稀土材料项目开工。", None, ""),
    ])
    search_index.finish_ingest(c)
    assert [h.article_id for h in s.search(c, "稀土")] == [3, 2, 1, 4]
    # once in each: the longer article is last, the others tie and go newest first (no date last)
    assert [h.article_id for h in s.search(c, "稀土材料")] == [2, 1, 4, 3]
    c.close()


def _solo_corpus(path: Path) -> None:
    c = connect(path, create=True)
    insert_articles(c, [
        *[(f"动态{i}", "园区推进碳中和。" * (i % 3 + 1), f"2021-01-{i + 1:02d}", "") for i in range(8)],
        ("中和剂项目", "中和剂中和剂。", "2022-01-01", ""),  # 中和 without 碳中: the second key is held more
        # Both keys, many times, in the title, but never the word: first by bound, never a hit.
        ("碳中性中和碳中性中和碳中性中和", "碳中性的中和反应。", "2023-01-01", ""),
        *[(f"西安{i}", "西安高新区发布报告。", "2020-02-01", "") for i in range(3)],
        *[(f"六安{i}", "六安高新区发布报告。", "2020-03-01", "") for i in range(10)],
        *[(f"市区{i}", "西安市发布报告。", "2020-04-01", "") for i in range(5)],
    ])
    search_index.finish_ingest(c)
    c.close()


def test_a_longer_word_is_found_through_one_key_when_the_second_barely_narrows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word whose second rarest key is held by nearly the same articles as its rarest is looked up
    by the rarest alone; a word whose second key narrows a lot keeps both. Hits, scores and order
    are those of the two-key plan either way."""
    monkeypatch.setattr(s, "SOLO_MIN_DF", 1)
    path = tmp_path / "solo.duckdb"
    _solo_corpus(path)
    two_keys = connect(path)
    queries = ["碳中和", "西安高", "碳中和 西安高", "碳中和 OR 西安高", "碳中和 -动态3"]
    with monkeypatch.context() as m:
        m.setattr(s, "SOLO_SHARE", 2.0)  # never one key
        expected = {q: {k: [(h.article_id, h.score) for h in s.search(two_keys, q, limit=k)]
                        for k in (1, 2, 5, None)} for q in queries}
    scans = {q: reference(two_keys, q) for q in queries}
    two_keys.close()
    ro = connect(path, read_only=True)
    plans = s._Engine(ro, parse("碳中和 西安高"), "", []).plans
    keys = {t.text: p.keys for t, p in plans.items()}
    assert keys["碳中和"] == pair_keys("碳中和")[:1]  # 碳中 (9 articles) is rarer than 中和 (10)
    assert len(keys["西安高"]) == 2  # 西安 (8 articles) shares only 3 with 安高
    for q in queries:
        for k, want in expected[q].items():
            assert [(h.article_id, h.score) for h in s.search(ro, q, limit=k)] == want, (q, k)
        assert ids(s.search(ro, q, limit=None)) == scans[q], q
    assert s.search(ro, "碳中和", limit=1)[0].article_id != 10  # the decoy: both keys, not the word
    ro.close()


def test_the_top_k_is_the_head_of_the_full_ranking(con: duckdb.DuckDBPyConnection) -> None:
    for query in ["光伏", "储能", "新型储能产业", "园区 企业", "光伏 OR 储能 OR 氢能", "企业 -园区", "，", "能"]:
        full = [(h.article_id, h.score) for h in s.search(con, query, limit=None)]
        for k in (1, 2, 3, 5, 8):
            assert [(h.article_id, h.score) for h in s.search(con, query, limit=k)] == full[:k], (query, k)


# ------------------------------------------------------------------------------------------------
# Hits and snippets


def test_hits_carry_the_article_and_a_marked_snippet(con: duckdb.DuckDBPyConnection) -> None:
    hits = s.search(con, "光伏 企业")
    assert hits
    for h in hits:
        assert isinstance(h.date, date) and h.source.startswith("/pages/") and h.title is not None
        assert 20 <= len(h.snippet) <= s.SNIPPET_CHARS + 2
        assert h.marks and all(0 <= a < b <= len(h.snippet) for a, b in h.marks)
        marked = {fold(normalize(h.snippet[a:b])) for a, b in h.marks}
        assert marked <= {"光伏", "企业"}


def test_snippet_shows_the_text_as_written_around_the_best_window(con: duckdb.DuckDBPyConnection) -> None:
    (hit,) = s.search(con, "专精特新 增长点")
    assert "專精特新" in hit.snippet  # the traditional original, found through the normalised text
    assert [hit.snippet[a:b] for a, b in hit.marks] == ["專精特新", "增長點"]


def test_snippet_window_and_ellipses() -> None:
    text = "标题\n\n" + "甲" * 100 + "光伏" + "乙" * 100
    snippet, marks = s.make_snippet(text, text, 2, ["光伏"])
    assert snippet.startswith("…") and snippet.endswith("…") and len(snippet) == s.SNIPPET_CHARS + 2
    assert [snippet[a:b] for a, b in marks] == ["光伏"]
    short = "标题\n\n光伏\n\n 在\t这里"
    snippet, marks = s.make_snippet(short, short, 2, ["光伏", "这里"])
    assert snippet == "光伏 在 这里" and [snippet[a:b] for a, b in marks] == ["光伏", "这里"]
    title_only = "光伏标题\n\n正文没有"
    snippet, marks = s.make_snippet(title_only, title_only, 4, ["光伏"])
    assert [snippet[a:b] for a, b in marks] == ["光伏"]


def test_best_window_holds_the_most_query_words() -> None:
    text = "题\n\n" + "光伏" + "丙" * 80 + "光伏和储能在一起" + "丁" * 80
    snippet, marks = s.make_snippet(text, text, 1, ["光伏", "储能"])
    assert {snippet[a:b] for a, b in marks} == {"光伏", "储能"}


def _best_window_by_definition(spans: list[tuple[int, int, int]], width: int) -> tuple[int, int]:
    """Every window that starts at a match and takes the following matches ending within `width`:
    the most distinct words, then the most matches, the earliest on a tie."""
    best, best_val = None, (-1, -1)
    for i, (start, _, _) in enumerate(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] <= start + width:
            j += 1
        inside = spans[i:j + 1]
        val = (len({w for _, _, w in inside}), len(inside))
        if val > best_val:
            best_val, best = val, (start, max(e for _, e, _ in inside))
    assert best is not None
    return best


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 8), st.integers(0, 3)), min_size=1, max_size=40),
       st.sampled_from([1, 5, 20, 60]))
def test_best_window_is_the_one_the_definition_picks(raw: list[tuple[int, int, int]], width: int) -> None:
    spans = sorted((a, a + n, w) for a, n, w in raw)
    assert s._best_window(spans, width) == _best_window_by_definition(spans, width)


def test_snippets_can_be_left_out(con: duckdb.DuckDBPyConnection) -> None:
    hits = s.search(con, "光伏", snippets=False)
    assert hits and all(h.snippet == "" and h.marks == [] for h in hits)


# ------------------------------------------------------------------------------------------------
# Filters


def test_filters(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("INSERT INTO article_parks VALUES (1, '肇庆高新区', 1, true, 0), (3, '肇庆高新区', 1, true, 0)")
    assert ids(s.search(con, "光伏", park=["肇庆高新区"], limit=None)) == {1}
    assert ids(s.search(con, "光伏", year=["2023"], limit=None)) == {1, 8, 11, 14} - {14}
    assert ids(s.search(con, "光伏", year=["2021-2023"], limit=None)) == {1, 4, 8, 11, 14}
    with pytest.raises(s.SearchError, match="bad year"):
        s.search(con, "光伏", year=["soon"])


# ------------------------------------------------------------------------------------------------
# The index over time: deletions, runs, merges, rebuilds


def test_replaced_articles_disappear_and_merges_drop_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    c = connect(tmp_path / "m.duckdb", create=True)
    for i, row in enumerate(ARTICLES, start=1):  # one ingest run per article: runs merge like a binary counter
        insert_articles(c, [row], start=i)
        search_index.finish_ingest(c)
        assert c.execute("SELECT count(*) FROM search_runs").fetchone()[0] <= i.bit_length()
    c.execute("BEGIN")
    search_index.delete_articles(c, [1, 2, 3])
    c.execute("DELETE FROM articles WHERE article_id IN (1, 2, 3)")
    c.execute("COMMIT")
    for w in ["光伏", "储能", "宁德时代", "园区"]:
        assert ids(s.search(c, w, limit=None)) == s.scan(c, w), w
    monkeypatch.setattr(search_index, "DEAD_SHARE", 0.1)
    search_index.finish_ingest(c)  # merges everything: the replaced articles' postings go
    assert c.execute("SELECT count(*) FROM search_docs WHERE NOT live").fetchone()[0] == 0
    assert c.execute("SELECT count(*) FROM search_runs").fetchone()[0] == 1
    dead = c.execute("SELECT count(*) FROM search_postings WHERE sdoc NOT IN (SELECT sdoc FROM search_docs)")
    assert dead.fetchone()[0] == 0
    # an article id given out again (the store may) is a new article to the index
    insert_articles(c, [("宁德时代再投资", "宁德时代追加投资。", "2024-05-05", "")], start=3)
    for w in ["光伏", "储能", "宁德时代", "园区"]:
        assert ids(s.search(c, w, limit=None)) == s.scan(c, w), w
    search_index.finish_ingest(c)
    assert ids(s.search(c, "宁德时代", limit=None)) == {3}
    c.close()


def test_folding_in_small_pieces_and_little_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "FOLD_CHARS", 50)  # an article or two per statement
    monkeypatch.setattr(search_index, "FOLD_MEMORY", "1MB")  # too little: each step runs again with more
    c = connect(tmp_path / "f.duckdb", create=True)
    before = c.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    insert_articles(c, ARTICLES)
    search_index.finish_ingest(c)
    assert c.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    assert c.execute("SELECT current_setting('memory_limit')").fetchone()[0] == before
    for w in ["光伏", "储能", "新型储能产业"]:
        assert ids(s.search(c, w, limit=None)) == s.scan(c, w)
    c.close()


def test_articles_the_index_never_saw_are_picked_up(con: duckdb.DuckDBPyConnection) -> None:
    insert_articles(con, [("光伏新闻", "又一个光伏项目。", "2024-01-01", "")], start=100, index=False)
    search_index.finish_ingest(con)
    assert 100 in ids(s.search(con, "光伏", limit=None))
    search_index.rebuild(con)
    for w in ["光伏", "储能", "专精特新"]:
        assert ids(s.search(con, w, limit=None)) == s.scan(con, w)


def test_a_database_without_the_index_says_so(tmp_path: Path) -> None:
    c = duckdb.connect(str(tmp_path / "bare.duckdb"))
    c.execute("CREATE TABLE articles (article_id BIGINT, norm VARCHAR)")
    with pytest.raises(s.SearchError, match="parks ingest"):
        s.search(c, "光伏")
    c.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.text(alphabet=st.sampled_from(list("光伏储能园区企业aA1，。 \n%-新型")), min_size=0,
                              max_size=40), min_size=1, max_size=8),
       data=st.data())
def test_random_texts_and_words_agree_with_the_scan(texts: list[str], data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        c = connect(Path(tmp) / "h.duckdb", create=True)
        half = len(texts) // 2
        insert_articles(c, [(t[:3].strip(), t, "2023-01-01", "") for t in texts[:half]])
        search_index.finish_ingest(c)
        insert_articles(c, [(t[:3].strip(), t, "2023-01-01", "") for t in texts[half:]], start=half + 1)
        for _ in range(6):
            source = data.draw(st.sampled_from(texts))
            if not source.strip():
                continue
            i = data.draw(st.integers(0, len(source) - 1))
            word = source[i:i + data.draw(st.integers(1, 5))].replace('"', "")
            if not word.strip():
                continue
            query = f'"{word}"'
            assert ids(s.search(c, query, limit=None)) == reference(c, query), word
            assert [h.article_id for h in s.search(c, query, limit=2)] == \
                [h.article_id for h in s.search(c, query, limit=None)][:2]
        c.close()


# ------------------------------------------------------------------------------------------------
# Through the ingest and the command line


def test_ingested_sample_corpus_agrees_with_the_scan(tmp_path: Path) -> None:
    from importlib import resources

    from parks.store.ingest import ingest

    c = connect(tmp_path / "sample.duckdb", create=True)
    ingest(c, [Path(str(resources.files("parks.sample_corpus")))])
    assert c.execute("SELECT count(*) FROM search_pending").fetchone()[0] == 0
    for w in WORDS:
        if " " not in w:
            assert ids(s.search(c, w, limit=None)) == s.scan(c, w), w
    c.close()


def test_a_replaced_page_is_searched_as_it_is_now(tmp_path: Path) -> None:
    from parks.store.ingest import ingest

    page = tmp_path / "pages" / "a.txt"
    page.parent.mkdir()
    page.write_text("# 园区新闻\n\n园区的钙钛矿电池中试线建成投产。\n", encoding="utf-8")
    c = connect(tmp_path / "r.duckdb", create=True)
    ingest(c, [page.parent])
    assert len(s.search(c, "钙钛矿")) == 1 and s.search(c, "氢燃料") == []
    page.write_text("# 园区新闻\n\n园区的氢燃料电池项目签约落地。\n", encoding="utf-8")
    ingest(c, [page.parent])
    assert s.search(c, "钙钛矿") == [] and len(s.search(c, "氢燃料")) == 1
    assert {h.article_id for h in s.search(c, "园区", limit=None)} == s.scan(c, "园区")
    c.close()


def test_a_database_from_before_the_index_is_migrated_and_indexed(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    c = connect(path, create=True)
    insert_articles(c, ARTICLES, index=False)
    for table in search_index.SEARCH_TABLES:
        c.execute(f"DROP TABLE {table}")
    c.execute("DROP INDEX articles_article_id")
    c.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    c.close()
    c = connect(path)  # migrates: the search tables appear, and every article is cut into keys at once
    docs, pending = c.execute("SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM search_pending)").fetchone()
    assert (docs, pending) == (len(ARTICLES), 0)
    for w in ["光伏", "储能", "专精特新"]:
        assert ids(s.search(c, w, limit=None)) == s.scan(c, w) != set()
    c.close()


def test_cli_search(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    db = Path(con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
              .fetchone()[0])
    con.close()
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", str(db), "query", "search", "光伏 企业", "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "rank,score,article_id,date,title,park,source,snippet"
    assert len(lines) > 1 and "【光伏】" in out.stdout and "【企业】" in out.stdout
    plain = runner.invoke(cli, ["--db", str(db), "query", "search", "光伏", "--format", "csv", "--no-mark",
                                "--limit", "2"])
    assert plain.exit_code == 0 and "【" not in plain.stdout and len(plain.stdout.splitlines()) == 3
    bad = runner.invoke(cli, ["--db", str(db), "query", "search", '"光伏'])
    assert bad.exit_code == 1 and bad.stderr.count("\n") == 1 and "unbalanced" in bad.stderr
    only = runner.invoke(cli, ["--db", str(db), "query", "search", "--", "-光伏"])
    assert only.exit_code == 1 and "only excludes" in only.stderr
    unknown = runner.invoke(cli, ["--db", str(db), "query", "search", "光伏", "--park", "没有这个园区"])
    assert unknown.exit_code == 1 and "unknown park" in unknown.stderr
    relaxed = runner.invoke(cli, ["--db", str(db), "query", "search", "光伏组件企业招商", "--format", "csv"])
    assert relaxed.exit_code == 0 and "showing articles with" in relaxed.stderr


# ------------------------------------------------------------------------------------------------
# The real pages (never copied: read where they are)

REAL_WORDS = ["光伏", "宁德时代", "储能", "专精特新", "氢能", "稀土", "知识产权", "营商环境", "零碳", "碳汇", "新能源汽车", "孵化"]


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_real_pages_hits_come_from_exactly_the_files_containing_the_word(tmp_path: Path) -> None:
    from parks.parsers.reader import read_source
    from parks.store.ingest import ingest

    c = connect(tmp_path / "real.duckdb", create=True)
    ingest(c, [CORPUS])
    pages = {str(p): normalize(read_source(p).text) for p in sorted(CORPUS.glob("*.txt"))}
    for w in REAL_WORDS:
        files = {p for p, text in pages.items() if w in text}
        assert files, w
        assert {h.source for h in s.search(c, w, limit=None)} == files, w
    c.close()
