"""From a file to a ParsedDocument: the parsers' whole job, with no database in sight.

This is what `parks ingest --jobs N` runs in worker processes, so it takes and returns plain,
picklable records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path

from .model import Article, ParsedArticle, ParsedDocument, SourceText, StreamedDocument, UnlistedPark
from .parks import unlisted_parks
from .reader import ReadError, read_source


@dataclass(slots=True)
class Failure:
    """A file that could not be parsed, and why (for the user)."""

    path: str
    reason: str


class Unparsable(Exception):
    """Raised while a StreamedDocument's articles are read: the page cannot be parsed (for the user)."""


def parse_path(path: str, default_date: date | None = None, known_hash: str | None = None) -> ParsedDocument | Failure:
    """Parse one file; every problem becomes a Failure naming the file."""
    doc = stream_path(path, default_date, known_hash)
    if not isinstance(doc, StreamedDocument):
        return doc
    try:
        return _held(doc)
    except Unparsable as exc:
        return Failure(path, str(exc))


def stream_path(path: str, default_date: date | None = None,
                known_hash: str | None = None) -> StreamedDocument | ParsedDocument | Failure:
    """Like `parse_path`, for a page too big to hold parsed whole; reading its articles can raise
    Unparsable. An unchanged file (`known_hash`) comes back as a ParsedDocument without articles."""
    try:
        source = read_source(Path(path))
    except ReadError as exc:
        return Failure(path, str(exc))
    if known_hash is not None and source.content_hash == known_hash:
        return ParsedDocument(source=source, articles=[])  # the caller skips it
    try:
        return stream_source(source, default_date)
    except Unparsable as exc:
        return Failure(path, str(exc))


def parse_source(source: SourceText, default_date: date | None = None) -> ParsedDocument:
    return _held(stream_source(source, default_date))


def _held(streamed: StreamedDocument) -> ParsedDocument:
    """Every article parsed and kept: what a worker process hands back."""
    parsed = list(streamed.articles)
    return ParsedDocument(source=streamed.source, articles=parsed, date=streamed.date,
                          date_inferred=streamed.date_inferred, unlisted_parks=streamed.unlisted_parks,
                          warnings=streamed.warnings)


def stream_source(source: SourceText, default_date: date | None = None) -> StreamedDocument:
    from .dates import find_date
    from .splitter import iter_articles, untitled

    warnings = list(source.warnings)
    with _unparsable():
        page_date, inferred = _page_date(source, default_date, find_date)
        articles = iter_articles(source.text, source.format, source.html_title)
        first = next(articles, None)
    if first is None:
        first = untitled(source.text)
        warnings.append("no article structure found; the page is stored as one untitled article")
    doc = StreamedDocument(source=source, articles=iter(()), date=page_date, date_inferred=inferred,
                           warnings=warnings)
    doc.articles = _parse_each(chain([first], articles), doc)
    return doc


def _parse_each(articles: Iterator[Article], doc: StreamedDocument) -> Iterator[ParsedArticle]:
    """Parse the articles in order, letting go of each one's records once it has been handed on."""
    from .normalize import normalize

    unlisted: dict[str, UnlistedPark] = {}
    while True:
        with _unparsable():
            article = next(articles, None)
            if article is None:
                return
            if not article.norm or len(article.norm) != len(article.text):  # the splitter's, when it could
                article.norm = normalize(article.text)
            article.date, article.date_inferred = doc.date, doc.date_inferred
            parsed = parse_article(article, doc.date, doc.date_inferred)
        for park in unlisted_parks(parsed.parks):
            if park.name not in unlisted:
                unlisted[park.name] = park
                doc.unlisted_parks.append(park)
        doc.article_count += 1
        doc.figure_count += len(parsed.figures)
        yield parsed


@contextmanager
def _unparsable() -> Iterator[None]:
    try:
        yield
    except RecursionError:
        raise Unparsable("is nested too deeply to parse") from None
    except MemoryError:
        raise Unparsable("is too large to parse in memory") from None


def parse_article(article, page_date: date | None, inferred: bool) -> ParsedArticle:  # type: ignore[no-untyped-def]
    from .companies import find_companies
    from .figures import extract_figures
    from .industries import find_industries
    from .parks import find_parks, subject_parks

    mentions = find_parks(article.norm)
    subjects = subject_parks(article, mentions)
    subject = subjects[0] if subjects else ""
    industries = find_industries(article.norm, mentions)
    return ParsedArticle(
        article=article,
        subjects=subjects,
        parks=mentions,
        industries=industries,
        companies=find_companies(article.norm, mentions, subject),
        figures=extract_figures(article, mentions, subject, page_date, inferred, industries=industries),
    )


_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")


def _page_date(source: SourceText, default: date | None, find_date) -> tuple[date | None, bool]:  # type: ignore[no-untyped-def]
    """The file's own date wins, then the user's --date, then a date inferred from the text."""
    meta = _ISO.search(source.meta_date or "")
    if meta:
        try:
            return date(int(meta[1]), int(meta[2]), int(meta[3])), False
        except ValueError:
            pass
    found, inferred = find_date(source.text, source.path, source.format)
    if found is not None and not inferred:
        return found, False
    if default is not None:
        return default, False
    return found, found is not None
