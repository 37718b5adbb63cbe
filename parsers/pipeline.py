"""From a file to a ParsedDocument: the parsers' whole job, with no database in sight.

This is what `parks ingest --jobs N` runs in worker processes, so it takes and returns plain,
picklable records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .model import Article, Block, ParsedArticle, ParsedDocument, SourceText
from .parks import unlisted_parks
from .reader import ReadError, read_source


@dataclass(slots=True)
class Failure:
    """A file that could not be parsed, and why (for the user)."""

    path: str
    reason: str


def parse_path(path: str, default_date: date | None = None, known_hash: str | None = None) -> ParsedDocument | Failure:
    """Parse one file; every problem becomes a Failure naming the file."""
    try:
        source = read_source(Path(path))
    except ReadError as exc:
        return Failure(path, str(exc))
    if known_hash is not None and source.content_hash == known_hash:
        return ParsedDocument(source=source, articles=[])  # unchanged: the caller skips it
    try:
        return parse_source(source, default_date)
    except RecursionError:
        return Failure(path, "is nested too deeply to parse")
    except MemoryError:
        return Failure(path, "is too large to parse in memory")


def parse_source(source: SourceText, default_date: date | None = None) -> ParsedDocument:
    from .dates import find_date
    from .normalize import normalize
    from .splitter import split_page

    page_date, inferred = _page_date(source, default_date, find_date)
    articles = split_page(source.text, source.format, source.html_title)
    warnings = list(source.warnings)
    if not articles:
        articles = [_whole_page(source.text)]
        warnings.append("no article structure found; the page is stored as one untitled article")
    parsed = []
    for article in articles:
        article.norm = normalize(article.text)
        article.date, article.date_inferred = page_date, inferred
        parsed.append(parse_article(article, page_date, inferred))
    doc = ParsedDocument(source=source, articles=parsed, date=page_date, date_inferred=inferred,
                         warnings=warnings)
    doc.unlisted_parks = unlisted_parks([m for pa in parsed for m in pa.parks])
    return doc


def _whole_page(text: str) -> Article:
    """A page the splitter finds no article in (one long heading, a bare line) is not dropped."""
    body = text.strip().lstrip("#").strip()
    return Article(seq=0, title="", text=body, norm=body, blocks=[Block("body", 0, len(body))])


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
