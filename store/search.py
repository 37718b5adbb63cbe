"""Full-text search in Chinese, shared by the dashboard's search pane and `parks query search`.

Call: `search(con, "碳中和 光伏", park=(), industry=(), year=(), limit=20) -> list[Hit]` (limit None:
every hit); `run(...)` also says how the query was understood; `scan(con, word)` is the contains()
baseline that search must equal.

Recall is exact: a hit is an article whose normalised text contains every query word (or one of
the words joined by OR) and none of the excluded ones, the same set a substring scan returns, so
光伏 is found inside 光伏发电 and 储能 inside 新型储能产业 whatever jieba makes of them. The index
(store/search_index.py) holds every character with its successor: the postings of a one- or
two-character word are exactly its hits; a longer word's candidates are the articles holding its
two rarest pairs (or the rarest alone, when the second would barely narrow them), and a candidate's
text is checked only when it is about to be shown. Pending articles, registered by an ingest but
not yet cut into pairs, are read in full.

Ranking is BM25F over the query words themselves rather than over jieba tokens: per word, f =
TITLE_WEIGHT x (occurrences starting in the title) + (other occurrences) x nb, with nb the usual
length normalisation (1 - B + B dl/avgdl)^-1, saturated as f (K1 + 1) / (f + K1) and weighted by
idf from the number of articles holding the word; words add up. This is better than BM25 over
jieba tokens here because it scores exactly what was matched: an article that says 光伏发电 ten times
is about 光伏 though jieba never emits the token 光伏, and BM25 over tokens would score it zero while
returning it as a hit. The title is not length-normalised and TITLE_WEIGHT (5) is above the most a
body occurrence can weigh (nb < 1/(1 - B) = 4), so a title hit outranks a single body hit. Ties go
to the newer article.

Top-k without scoring every candidate exactly: for a longer word the counts of its rarest pairs
bound the word's counts, so candidates come best bound first (in the final order: bound, date,
id), are checked and scored exactly, and the search stops as soon as the k-th best exact key beats
the next candidate's bound. One- and two-character words are exact from the index alone.
"""

from __future__ import annotations

import heapq
import math
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from .search_index import (
    POSTING_DOC_COLUMNS,
    SEARCH_COLUMN_DOCS,
    SEARCH_TABLE_DOCS,
    SEARCH_TABLES,
    delete_articles,
    finish_ingest,
    index_articles,
    posting_doc_columns,
    rebuild,
)
from .search_syntax import (
    Query,
    QuerySyntaxError,
    Term,
    char_range,
    fold,
    normalize_query,
    parse,
    preload,
    segmented,
)

__all__ = ["SEARCH_COLUMN_DOCS", "SEARCH_TABLE_DOCS", "SEARCH_TABLES", "Hit", "Outcome", "QuerySyntaxError",
           "SearchError", "delete_articles", "finish_ingest", "index_articles", "preload", "rebuild", "run", "scan",
           "search"]

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 5.0  # > 1/(1-B): one body occurrence can never weigh as much as one in the title
SNIPPET_CHARS = 60
FIRST_BATCH = 16  # candidates fetched beyond three times the limit in the first round
# Texts read in the first slice beyond the limit, as a share of it: a walk down the candidates of
# a longer word mostly stops right after the limit (each text read costs about 70 µs at 100,000
# articles), and the rare walk that goes further reads a second, bigger slice.
FIRST_TEXTS_MARGIN = 0.2
TEXT_BATCH = 5000  # articles whose text is read per statement
# A longer word's candidates come from its rarest key alone when the second rarest is held by at
# least SOLO_SHARE of the same articles (joining it would barely narrow them). Asked, like the key
# counts, once per read-only connection, and only for keys held by SOLO_MIN_DF articles or more.
SOLO_SHARE = 0.9
SOLO_MIN_DF = 2000


class SearchError(Exception):
    """A search the store cannot run (no index yet); the message is for the user."""


@dataclass(slots=True)
class Hit:
    rank: int
    score: float
    article_id: int
    date: date | None
    title: str
    park: str
    source: str
    snippet: str  # about SNIPPET_CHARS characters of the text around the best match, as written
    marks: list[tuple[int, int]] = field(default_factory=list)  # matched spans, offsets into snippet


@dataclass(slots=True)
class Outcome:
    hits: list[Hit]
    query: Query  # as run: `query.relaxed` when the literal query found nothing and jieba split it


def search(con: duckdb.DuckDBPyConnection, query: str, *, park: Sequence[str] = (), industry: Sequence[str] = (),
           year: Sequence[str] = (), limit: int | None = 20, relax: bool = False,
           snippets: bool = True) -> list[Hit]:
    """The best `limit` articles for `query` (None: every hit), best first.

    Raises QuerySyntaxError for a query it cannot understand and SearchError when the database
    has no search index or a filter names something unknown. `relax`: when nothing contains the
    words as written, search for the words jieba finds in them instead."""
    return run(con, query, park=park, industry=industry, year=year, limit=limit, relax=relax,
               snippets=snippets).hits


def run(con: duckdb.DuckDBPyConnection, query: str, *, park: Sequence[str] = (), industry: Sequence[str] = (),
        year: Sequence[str] = (), limit: int | None = 20, relax: bool = True, snippets: bool = True) -> Outcome:
    """Like `search`, and says how the query was understood (relaxed by jieba or not)."""
    q = parse(query)
    if limit is not None and limit <= 0:
        return Outcome([], q)
    where, params = _filter_sql(con, park, industry, year)
    found = _Engine(con, q, where, params).run(limit)
    if not found and relax:
        split = segmented(q)
        if split is not None:
            q = split
            found = _Engine(con, q, where, params).run(limit)
    words = [t.text for t in q.terms]
    return Outcome([_hit(rank, f, words, snippets) for rank, f in enumerate(found, start=1)], q)


def _hit(rank: int, f: _Found, words: list[str], snippets: bool) -> Hit:
    norm, title, park, source, text = f.row  # type: ignore[misc]
    snippet: str = ""
    marks: list[tuple[int, int]] = []
    if snippets:  # folding a whole text costs as much as the snippet: not for a search without them
        folded = f.folded if f.folded is not None else fold(norm or "")
        snippet, marks = make_snippet(text or "", folded, len(title or ""), words)
    return Hit(rank, round(f.score, 6), f.article_id, f.day, title or "", park or "", source or "", snippet, marks)


def scan(con: duckdb.DuckDBPyConnection, word: str) -> set[int]:
    """Articles whose normalised text contains `word`, by reading every text: the baseline search
    must equal (ASCII letters compared without case, as search does)."""
    w = fold(normalize_query(word.strip()))
    rows = con.execute(f"SELECT article_id FROM articles WHERE contains({_text_expr(w)}, ?)", [w]).fetchall()
    return {r[0] for r in rows}


# ------------------------------------------------------------------------------------------------
# Filters

_YEAR = re.compile(r"^(\d{4})(?:\s*[-–~]\s*(\d{4}))?$")


def _filter_sql(con: duckdb.DuckDBPyConnection, park: Sequence[str], industry: Sequence[str],
                year: Sequence[str]) -> tuple[str, list]:
    """An `AND article_id IN (…)` clause for the filters, with the same meaning as the other views:
    a park named in the article, an industry mentioned in it, the year of its date."""
    if not (park or industry or year):
        return "", []
    from .queries import Filters, QueryError, resolve

    try:
        f = resolve(con, Filters(park=list(park), industry=list(industry), year=list(year)))
    except QueryError as exc:
        raise SearchError(str(exc)) from exc
    parts, params = [], []
    if f.park:
        parts.append("article_id IN (SELECT article_id FROM article_parks WHERE park IN (SELECT unnest(?::VARCHAR[])))")
        params.append(list(f.park))
    if f.industry:
        parts.append("article_id IN (SELECT article_id FROM industry_mentions "
                     "WHERE industry IN (SELECT unnest(?::VARCHAR[])))")
        params.append(list(f.industry))
    if year:
        years: list[int] = []
        for y in year:
            m = _YEAR.match(str(y).strip())
            if not m:
                raise SearchError(f"bad year {y!r}: use YYYY or YYYY-YYYY")
            years += range(int(m[1]), int(m[2] or m[1]) + 1)
        parts.append("year(date) IN (SELECT unnest(?::INTEGER[]))")
        params.append(years)
    return f" AND article_id IN (SELECT article_id FROM articles WHERE {' AND '.join(parts)})", params


# ------------------------------------------------------------------------------------------------
# Planning and scoring

_ASCII_LETTER = re.compile(r"[a-z]")
_SPACE = re.compile(r"\s")


def _text_expr(folded_word: str, col: str = "norm") -> str:
    """The column as search compares it: folded only when the word has ASCII letters (cheaper)."""
    if _ASCII_LETTER.search(folded_word):
        return f"translate({col}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    return col


# The article's columns of a posting (the same in every posting of an article).
_DOC, _A_DOC = posting_doc_columns(), posting_doc_columns("a")
_ANY_DOC = ", ".join(f"any_value({c}) AS {c}" for c in POSTING_DOC_COLUMNS)


@dataclass(slots=True)
class _Plan:
    term: Term
    keys: list[int]  # pair keys whose postings are intersected for candidates
    rng: tuple[int, int] | None  # or the key range of one character, summed per article
    df: int  # articles holding the keys: the word's document frequency, or a bound of it
    # The saturation idf f (K1 + 1) / (f + K1) written as c1 - c2 / (f + K1): f appears once, which
    # halves the SQL expression (DuckDB's cost per statement grows with its expressions).
    c1: float = 0.0
    c2: float = 0.0

    @property
    def scan(self) -> bool:
        """No key at all: only reading the texts can answer it."""
        return not self.keys and self.rng is None

    @property
    def exact(self) -> bool:
        return self.term.exact and not self.scan

    def postings(self, n: str = "") -> str:
        """SQL for (sdoc, article_id, date, dl, tf{n}, ttf{n}) of the articles holding the keys; the
        counts bound the word's. Flat (no nested SELECT where it can be helped): DuckDB's binding and
        planning, not the reading, are most of what a search's statement costs."""
        if self.rng is not None:
            return (f"SELECT sdoc, {_ANY_DOC}, sum(tf)::INTEGER AS tf{n}, sum(ttf)::INTEGER AS ttf{n} FROM search_postings "
                    f"WHERE g BETWEEN {self.rng[0]} AND {self.rng[1]} GROUP BY sdoc")
        if len(self.keys) == 1:
            return f"SELECT sdoc, {_DOC}, tf AS tf{n}, ttf AS ttf{n} FROM search_postings WHERE g = {self.keys[0]}"
        # A join of the keys' postings, each key read by its own zone-map lookup (IN would scan more).
        return (f"SELECT a.sdoc, {_A_DOC}, least(a.tf, b.tf) AS tf{n}, least(a.ttf, b.ttf) AS ttf{n} "
                f"FROM search_postings a JOIN search_postings b ON a.sdoc = b.sdoc "
                f"WHERE a.g = {self.keys[0]} AND b.g = {self.keys[1]}")


@dataclass(slots=True)
class _Found:
    key: tuple  # (score, date ordinal, -article_id): larger is better
    article_id: int
    score: float
    day: date | None
    row: tuple | None = None  # the _TEXT columns once read
    folded: str | None = None  # fold(norm), once computed


def _count(text: str, word: str) -> int:
    """Occurrences of word in text, overlapping ones too (as the index counts pairs)."""
    n, i = 0, text.find(word)
    while i >= 0:
        n += 1
        i = text.find(word, i + 1)
    return n


def _order_key(score: float, day: date | None, article_id: int) -> tuple:
    """Best first when sorted descending: score, then the newer, then the lower id. Scores are
    rounded so that one summed in another order by DuckDB ties with Python's."""
    return (round(score, 9), day.toordinal() if day else -1, -article_id)


@dataclass(slots=True)
class _Stats:
    n: int  # live articles
    avgdl: float
    pending: int
    frozen: bool  # a read-only connection: nothing can change while it is open
    dead: int = 0  # replaced articles whose postings wait for a full merge
    df: dict[int, int] = field(default_factory=dict)
    both: dict[tuple[int, int], int] = field(default_factory=dict)  # articles holding two keys


_STATS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _stats(con: duckdb.DuckDBPyConnection) -> _Stats:
    """Article count, mean length and pending count; kept for the life of a read-only connection."""
    known = _STATS.get(con)
    if known is not None:
        return known
    try:
        n, avgdl, pending, mode, dead = con.execute(
            """SELECT count(*), avg(dl), (SELECT count(*) FROM search_pending), current_setting('access_mode'),
                      (SELECT count(*) FROM search_docs WHERE NOT live)
               FROM search_docs WHERE live""").fetchone()
    except duckdb.CatalogException as exc:
        raise SearchError("this database has no search index yet; run `parks ingest` once to build it") from exc
    stats = _Stats(int(n), float(avgdl or 1.0) or 1.0, int(pending), mode == "read_only", dead=int(dead))
    if stats.frozen:
        _STATS[con] = stats
    return stats


def _counted(con: duckdb.DuckDBPyConnection, stats: _Stats, known: dict, wanted: list,
             count_sql: Callable[[Any], str]) -> dict:
    """`known` with the counts of `wanted` added, all asked in one statement; remembered in `known`
    on a read-only connection, where they cannot change."""
    if not wanted:
        return known
    found = con.execute(f"SELECT {', '.join(map(count_sql, wanted))}").fetchone()
    counts = {**known, **dict(zip(wanted, map(int, found), strict=True))}
    if stats.frozen and len(known) < 100_000:
        known.update(counts)
    return counts


def _ranked(t: Term, df: dict[int, int]) -> list[int]:
    """The term's keys, rarest first."""
    return sorted(t.keys, key=lambda k: (df.get(k, 0), k))


# What a hit needs from its article, read only for the articles shown (and the ones checked).
# Not the date: the candidates bring it, and every column read through the index costs time.
_TEXT = "norm, title, park, source, text"


class _Engine:
    """One search in a few statements: key counts (and pair counts) unless known, candidates best bound
    first, texts.

    DuckDB spends a few milliseconds planning each statement, so there are few and they are plain."""

    def __init__(self, con: duckdb.DuckDBPyConnection, q: Query, where: str, params: list) -> None:
        self.con, self.q, self.where, self.params = con, q, where, params
        terms = list(dict.fromkeys(q.terms + q.exclude))
        stats = _stats(con)
        # Postings of replaced articles stay until a full merge; they must not count.
        self.alive = alive = " AND sdoc NOT IN (SELECT sdoc FROM search_docs WHERE NOT live)" if stats.dead else ""
        # Key counts: the number of articles holding each pair (by the range of pairs that start with
        # it for a lone character).
        wanted = [k for k in dict.fromkeys(k for t in terms for k in t.keys) if k not in stats.df]
        wanted += [-c for t in terms if (c := t.char) is not None and -c not in stats.df]
        df = _counted(con, stats, stats.df, wanted, lambda k: (
            f"(SELECT count(*) FROM search_postings WHERE g = {k}{alive})" if k > 0 else
            "(SELECT count(DISTINCT sdoc) FROM search_postings WHERE g BETWEEN {} AND {}{})".format(*char_range(-k), alive)))
        # Articles holding both of a longer word's two rarest keys, when the first is common enough
        # for the join between them to cost something (see _plan).
        pairs = [r for t in terms if len(r := tuple(_ranked(t, df)[:2])) == 2
                 and df.get(r[0], 0) >= SOLO_MIN_DF and r not in stats.both]
        both = _counted(con, stats, stats.both, list(dict.fromkeys(pairs)), lambda r: (
            f"(SELECT count(*) FROM (SELECT sdoc FROM search_postings WHERE g = {r[0]}{alive}) "
            f"JOIN (SELECT sdoc FROM search_postings WHERE g = {r[1]}) USING (sdoc))"))
        self.n, self.avgdl, self.pending = stats.n, stats.avgdl, stats.pending
        self.nb_slope = B / self.avgdl
        self.plans = {t: self._plan(t, df, both) for t in terms}

    def _plan(self, t: Term, df: dict[int, int], both: dict[tuple[int, int], int]) -> _Plan:
        if t.keys:
            ranked = _ranked(t, df)
            first = df.get(ranked[0], 0)
            # The second key narrows the candidates at the cost of a join; without it the first
            # key's counts still bound the word's, so it is dropped when it would barely narrow.
            solo = t.exact or first == 0 or both.get(tuple(ranked[:2]), 0) >= SOLO_SHARE * first
            chosen = ranked[:1] if solo else ranked[:2]
            p = _Plan(t, chosen, None, min(df.get(k, 0) for k in chosen))
        elif (c := t.char) is not None:
            p = _Plan(t, [], char_range(c), df.get(-c, 0))
        else:
            p = _Plan(t, [], None, self.n)
        d = min(p.df, self.n)
        idf = math.log(1 + (self.n - d + 0.5) / (d + 0.5))
        p.c1, p.c2 = idf * (K1 + 1), idf * K1 * (K1 + 1)
        return p

    def run(self, limit: int | None) -> list[_Found]:
        """The best `limit` hits (None: all), best first, each with its text read."""
        if any(self.plans[t].scan for t in self.q.terms):
            found = self._by_text(pending_only=False)
        else:
            found = self._by_text(pending_only=True) if self.pending else []
            found += self._by_index(limit, found)
        found.sort(key=lambda f: f.key, reverse=True)
        found = found if limit is None else found[:limit]
        missing = [f for f in found if f.row is None]
        for i in range(0, len(missing), TEXT_BATCH):
            chunk = missing[i:i + TEXT_BATCH]
            rows = self._texts([f.article_id for f in chunk], check=False)
            for f in chunk:
                f.row = rows[f.article_id][1:]
        return [f for f in found if f.row is not None]

    def exact_score(self, text: str, tlen: int, dl: int) -> float | None:
        """The score of an article from its folded text; None when it does not match."""
        q = self.q
        if not all(any(t.text in text for t in g) for g in q.groups):
            return None
        if any(t.text in text for t in q.exclude):
            return None
        nb = 1.0 / ((1 - B) + dl * self.nb_slope)  # the same arithmetic as the SQL, so that scores tie
        score = 0.0
        for t in q.terms:
            tf = _count(text, t.text)
            if tf:
                ttf = _count(text[:tlen + len(t.text) - 1], t.text)  # starting in the title, as the index counts
                f = ttf * (TITLE_WEIGHT - nb) + tf * nb
                p = self.plans[t]
                score += p.c1 - p.c2 / (f + K1)
        return score

    def _checked(self, aid: int, dl: int, day: date | None, row: tuple) -> _Found | None:
        """A hit from an article's _TEXT row after checking its text; None when it does not match."""
        norm, title = row[:2]
        folded = fold(norm or "")
        score = self.exact_score(folded, len(title or ""), dl)
        return None if score is None else _Found(_order_key(score, day, aid), aid, score, day, row, folded)

    def _match_sql(self, col: str) -> tuple[str, list]:
        """SQL that is true when the text in `col` matches the query (every group, no exclusion)."""
        conds, params = [], []
        for g in self.q.groups:
            conds.append("(" + " OR ".join(f"contains({_text_expr(t.text, col)}, ?)" for t in g) + ")")
            params += [t.text for t in g]
        for t in self.q.exclude:
            conds.append(f"NOT contains({_text_expr(t.text, col)}, ?)")
            params.append(t.text)
        return " AND ".join(conds), params

    def _texts(self, article_ids: list[int], check: bool) -> dict[int, tuple]:
        """article_id -> (ok, *_TEXT) for these articles; with `check`, only those that match come
        with their text (DuckDB checks the others without sending them over)."""
        ids = ", ".join(str(int(i)) for i in article_ids)  # ints: safe, and DuckDB prunes by them
        if not check:
            rows = self.con.execute(f"SELECT article_id, true, {_TEXT} FROM articles WHERE article_id IN ({ids})")
            return {r[0]: r[1:] for r in rows.fetchall()}
        match, params = self._match_sql("norm")
        cols = ", ".join(f"CASE WHEN ok THEN {c} END" for c in _TEXT.split(", "))
        rows = self.con.execute(f"""SELECT article_id, ok, {cols} FROM (
                                        SELECT article_id, {match} AS ok, {_TEXT} FROM articles
                                        WHERE article_id IN ({ids}))""", params).fetchall()
        return {r[0]: r[1:] for r in rows}

    # -- articles read in full: pending ones, or all of them for a word no key can find

    def _by_text(self, pending_only: bool) -> list[_Found]:
        match, params = self._match_sql("a.norm")
        scope = " AND d.sdoc IN (SELECT sdoc FROM search_pending)" if pending_only else ""
        cols = ", ".join(f"a.{c}" for c in _TEXT.split(", "))
        cur = self.con.execute(
            f"""SELECT article_id, d.dl, a.date, {cols} FROM search_docs d JOIN articles a USING (article_id)
                WHERE d.live{scope}{self.where} AND {match}""", self.params + params)
        out = []
        while rows := cur.fetchmany(TEXT_BATCH):
            out += [f for r in rows if (f := self._checked(r[0], r[1], r[2], r[3:])) is not None]
        return out

    # -- articles found through the index

    def _by_index(self, limit: int | None, known: list[_Found]) -> list[_Found]:
        """Candidates best bound first; stops once the limit-th best exact key beats the next bound."""
        sql = self._candidates_sql()
        if sql is None:
            return []
        top: list[tuple] = sorted(f.key for f in known)[-limit:] if limit is not None else []  # a min-heap
        out: list[_Found] = []
        loose = any(not self.plans[t].exact for t in self.q.terms) or bool(self.q.exclude)
        # Exact candidates come in their final order: one past the limit shows where to stop.
        batch = None if limit is None else 3 * limit + FIRST_BATCH if loose else limit + 1
        first = None if limit is None else limit + max(2, math.ceil(FIRST_TEXTS_MARGIN * limit))
        offset = seen = found = 0
        while True:
            page = f" LIMIT {batch} OFFSET {offset}" if batch is not None else ""
            rows = self.con.execute(sql + page, self.params).fetchall()
            texts = _LazyTexts(self, [r[0] for r in rows if r[3]], first)
            matched = 0
            for aid, day, ub, check, dl in rows:
                # Later candidates come in this order and score at most their bound: done when the
                # limit-th best so far beats this one's bound (ties included, as they sort alike).
                if limit is not None and len(top) >= limit and top[0] > _order_key(ub, day, aid):
                    return out
                if check:
                    ok, *row = texts.get(aid)
                    f = self._checked(aid, dl, day, tuple(row)) if ok else None
                    if f is None:
                        continue
                else:
                    f = _Found(_order_key(ub, day, aid), aid, ub, day)
                matched += 1
                out.append(f)
                if limit is not None:
                    if len(top) < limit:
                        heapq.heappush(top, f.key)
                    elif f.key > top[0]:
                        heapq.heapreplace(top, f.key)
            if batch is None or len(rows) < batch:
                return out
            offset += batch
            seen, found = seen + len(rows), found + matched
            # Enough for the limit at the share of candidates that matched so far, with room to spare.
            want = math.ceil(1.5 * max(limit - found, limit // 2 + 1) * seen / max(found, seen / 64))
            batch = min(64 * batch, max(2 * batch, want))

    def _candidates_sql(self) -> str | None:
        """Candidates with the bound of their score, best first: article_id, date, ub, chk, dl.

        The words of an OR are full-joined on the article, the groups joined with each other, so
        only articles holding every group are scored; one word alone is a single join."""
        q, plans = self.q, self.plans
        terms = [t for t in q.terms if plans[t].df > 0]
        index = {t: i for i, t in enumerate(terms)}
        groups = [[index[t] for t in g if t in index] for g in q.groups]
        if not terms or not all(groups):
            return None
        parts, check = [], []
        for i, t in enumerate(terms):
            p = plans[t]
            # W*ttf + (tf - ttf)*nb. For a longer word the least counts of its pairs bound tf and ttf
            # (an occurrence starting in the title ends there: a line break follows it), and
            # f grows with both as W > nb, so the bound of f comes from the bounds of the counts.
            f = f"ttf{i} * ({_real(TITLE_WEIGHT)} - nb) + tf{i} * nb"
            part = f"{_real(p.c1)} - {_real(p.c2)} / ({f} + {_real(K1)})"
            parts.append(part if len(terms) == 1 else f"coalesce({part}, {_real(0)})")
            if not p.exact:
                check.append(f"tf{i} IS NOT NULL")
        where = f"{self.alive}{self.where}"
        for t in q.exclude:
            p = plans[t]
            if p.scan:
                check.append("true")
            elif p.df == 0:
                continue
            elif p.exact:
                where += f" AND sdoc NOT IN (SELECT sdoc FROM ({p.postings()}))"
            else:
                check.append(f"sdoc IN (SELECT sdoc FROM ({p.postings()}))")
        if len(terms) == 1:
            joined = f"({plans[terms[0]].postings('0')}) j"
        else:
            subs, seen = [], set()
            for g in groups:
                # The article's columns come from the first group; an OR's words may each lack them.
                cols = [] if subs else [
                    f"{_coalesce([f'x{j}.{c}' for j in range(len(g))])} AS {c}" for c in POSTING_DOC_COLUMNS]
                cols += [f"x{j}.tf AS tf{i}, x{j}.ttf AS ttf{i}" for j, i in enumerate(g) if i not in seen]
                seen.update(g)
                sub, key = f"({plans[terms[g[0]]].postings()}) x0", "x0.sdoc"
                for j, i in enumerate(g[1:], start=1):
                    sub += f" FULL JOIN ({plans[terms[i]].postings()}) x{j} ON x{j}.sdoc = {key}"
                    key = _coalesce([key, f"x{j}.sdoc"])
                subs.append(f"(SELECT {key} AS sdoc{''.join(', ' + c for c in cols)} FROM {sub}) g{len(subs)}")
            joined = f"(SELECT * FROM {' JOIN '.join(x if n == 0 else x + ' USING (sdoc)' for n, x in enumerate(subs))}) j"
        nb = f"{_real(1)} / ({_real(1 - B)} + dl * {_real(self.nb_slope)})"  # body weight: length-normalised
        where = f" WHERE {where.removeprefix(' AND ')}" if where else ""
        return f"""
            SELECT article_id, date, {' + '.join(parts)} AS ub, {' OR '.join(check) or 'false'} AS chk, dl
            FROM (SELECT j.*, {nb} AS nb FROM {joined}{where})
            ORDER BY ub DESC, date DESC NULLS LAST, article_id"""


class _LazyTexts:
    """The checked texts of a page of candidates, read a slice at a time as the walk down the page
    reaches them: the walk usually stops long before the page ends, and reading an article's text
    is most of what a candidate costs. The first slice is `first` candidates (all: None), each next
    one twice as big."""

    def __init__(self, engine: _Engine, checks: list[int], first: int | None) -> None:
        self.engine, self.checks = engine, checks
        self.size = len(checks) if first is None else first
        self.read = 0
        self.rows: dict[int, tuple] = {}

    def get(self, article_id: int) -> tuple:
        while article_id not in self.rows and self.read < len(self.checks):
            chunk = self.checks[self.read:self.read + min(self.size, TEXT_BATCH)]
            # The first slice is small and mostly matches: sending its texts costs less than having
            # DuckDB check them (Python checks every text it scores); bigger slices are checked there.
            self.rows.update(self.engine._texts(chunk, check=self.read > 0))
            self.read += len(chunk)
            self.size *= 2
        return self.rows.get(article_id, (False,))


def _coalesce(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else f"coalesce({', '.join(exprs)})"


def _real(x: float) -> str:
    """A DOUBLE literal: DuckDB reads 1.25 as a DECIMAL and would cast it on every row, and a cast
    written out (1.25::DOUBLE) costs binding time; with an exponent it is a DOUBLE as written."""
    text = repr(float(x))
    return text if "e" in text else f"{text}e0"


# ------------------------------------------------------------------------------------------------
# Snippets


def make_snippet(text: str, folded: str, tlen: int, words: list[str],
                 width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """About `width` characters of `text` around the window where most query words occur together
    (the body before the title), whitespace runs shown as one space, and the matched spans."""
    body = tlen
    while body < len(text) and text[body].isspace():
        body += 1
    spans = _spans(folded, words, body) or _spans(folded, words, 0)
    lo = body if body < len(text) else 0
    if spans:
        a, b = _best_window(spans, width)
        lo = min(lo, a)
        start = max(lo, a - max(0, width - (b - a)) // 2)
    else:
        start = lo
    end = min(len(text), start + width)
    start = max(lo, min(start, end - width))
    return _render(text, start, end, lo, [(s, e) for s, e, _ in spans if s < end and e > start])


def _spans(folded: str, words: list[str], start: int, most: int = 400) -> list[tuple[int, int, int]]:
    out = []
    for w_i, w in enumerate(words):
        i = folded.find(w, start)
        while i >= 0 and len(out) < most:
            out.append((i, i + len(w), w_i))
            i = folded.find(w, i + len(w))
    return sorted(out)


def _best_window(spans: list[tuple[int, int, int]], width: int) -> tuple[int, int]:
    """The covered range of the window (starting at a match) that holds the most distinct words, then
    the most matches; the earliest such window wins. One pass: the window's words are counted as it
    slides (a text can hold hundreds of matches)."""
    counts: dict[int, int] = {}
    best, best_val = (0, 0), (-1, -1)
    j = -1
    for i, (s, _, w) in enumerate(spans):
        if i:
            gone = spans[i - 1][2]
            counts[gone] -= 1
            if not counts[gone]:
                del counts[gone]
        if j < i:
            j = i
            counts[w] = counts.get(w, 0) + 1
        while j + 1 < len(spans) and spans[j + 1][1] <= s + width:
            j += 1
            counts[spans[j][2]] = counts.get(spans[j][2], 0) + 1
        val = (len(counts), j - i + 1)
        if val > best_val:
            best_val, best = val, (i, j)
    i, j = best
    return spans[i][0], max(e for _, e, _ in spans[i:j + 1])


def _render(text: str, start: int, end: int, lo: int, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    lead = "…" if start > lo else ""
    seg = text[start:end]
    if _SPACE.search(seg) is None:  # most snippets: shown as written, offsets shifted by the lead
        out, pos = lead + seg, range(len(lead), len(lead) + len(seg) + 1)
    else:
        out, pos = _collapse_spaces(seg, lead)
    n = len(out)
    if end < len(text):
        out += "…"
    marks: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        a, b = pos[max(s, start) - start], min(pos[min(e, end) - start], n)
        if b <= a:
            continue
        if marks and a <= marks[-1][1]:
            marks[-1] = (marks[-1][0], max(marks[-1][1], b))
        else:
            marks.append((a, b))
    return out, marks


def _collapse_spaces(seg: str, lead: str) -> tuple[str, list[int]]:
    """`lead` + seg with each whitespace run as one space (none at the end), and where each
    character of seg (and its end) lands in it."""
    out: list[str] = [lead] if lead else []
    pos: list[int] = []
    n = len(lead)
    prev_space = True
    for ch in seg:
        pos.append(n)
        if ch.isspace():
            if prev_space:
                continue
            ch, prev_space = " ", True
        else:
            prev_space = False
        out.append(ch)
        n += 1
    pos.append(n)
    return "".join(out).rstrip(" "), pos
