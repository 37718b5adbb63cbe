"""What each table shows: its columns (labels, widths, formats) and where its rows come from.

Only presentation lives here; the SQL is in `parks.store.details` / `parks.store.queries`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from rich.text import Text

from parks.store import details, keyed

from .format import day, number, plain, quantity
from .table import Col, ListRows, QueryRows, Row


def _value(r: Row) -> Text:
    return plain(quantity(r.get("value"), r.get("value_max"), r.get("unit"), r.get("qualifier")))


def _day(r: Row) -> str:
    return day(r.get("date"))


def _status(r: Row) -> Text:
    status = r.get("status") or ""
    return plain(status, style="" if status == "actual" else "italic")


# ------------------------------------------------------------------------------------------ tabs


def _listed(key: str) -> Callable[[Row], str]:
    """A `|`-joined list shown the way Chinese lists are written."""
    return lambda r: (r.get(key) or "").replace("|", "、")


def _file(r: Row) -> str:
    return PurePath(r.get("source") or "").name


def _park(r: Row) -> Text:
    park = r.get("park") or ""
    return plain(park) if park else Text("(no park)", style="dim italic")


PARK_COLS = [
    Col("park", "Park 园区", min=6, max=16),
    Col("province", "Province", min=6, max=10),
    Col("kind", "Kind", min=6, max=12, drop=2),
    Col("articles", "Articles", numeric=True),
    Col("metrics", "Metrics", numeric=True),
    Col("figures", "Figures", numeric=True, drop=3),
    Col("top_industries", "Top industries 主要产业", min=20, max=60, flex=1, render=_listed("top_industries")),
]

INDUSTRY_COLS = [
    Col("name_zh", "Industry 产业", min=8, max=20),
    Col("name_en", "English", min=12, max=40, flex=1, drop=3),
    Col("parks", "Parks", numeric=True),
    Col("articles", "Articles", numeric=True),
    Col("mentions", "Mentions", numeric=True, drop=2),
    Col("top_parks", "Top parks 主要园区", min=16, max=48, flex=1, drop=1, render=_listed("top_parks")),
    Col("level", "Level", max=10, drop=4),
]

FIGURE_COLS = [
    Col("park", "Park 园区", min=6, max=14, render=_park),
    Col("name_zh", "Metric 指标", min=6, max=14),
    Col("value", "Value", min=8, max=18, numeric=True, render=_value),
    Col("period", "Period", min=6, max=12),
    Col("basis", "Basis", min=5, max=10, drop=3),
    Col("status", "Status", min=6, max=8, render=_status, drop=1),
    Col("source", "Source", min=12, max=32, flex=1, drop=2, render=_file),
    Col("quote", "Quote 原文", min=24, max=80, flex=2, drop=4),
]

ARTICLE_COLS = [
    Col("date", "Date", min=10, max=10, render=_day),
    Col("title", "Title 标题", min=12, max=48, flex=2),
    Col("park", "Park 园区", min=6, max=14),
    Col("kicker", "Column 栏目", min=8, max=16, drop=2),
    Col("file", "Source", min=12, max=32, flex=1, drop=1),
]

SEARCH_COLS = [
    Col("rank", "#", min=3, max=4, numeric=True),
    Col("title", "Title 标题", min=10, max=36, flex=1),
    Col("park", "Park 园区", min=6, max=14),
    Col("date", "Date", min=10, max=10, render=_day, drop=1),
    Col("snippet", "Snippet 摘要", min=16, max=200, flex=2, render=lambda r: r["_snippet"], sort=""),
]


# read for every figure row: its ids (to open it) and what the value cell is made of
FIGURE_FIELDS = ["figure_id", "article_id", "start", "end", "park", "metric", "name_zh", "value", "value_max", "unit",
                 "qualifier", "period", "basis", "status", "source", "date"]


def parks_rows(text: str) -> QueryRows:
    return QueryRows(lambda: details.parks_tab(text), lambda: details.parks_tab(""),
                     snapshot=(details.PARKS_SNAPSHOT, details.parks_source))


def industries_rows(text: str) -> QueryRows:
    return QueryRows(lambda: details.industries_tab(text), lambda: details.industries_tab(""),
                     snapshot=(details.INDUSTRIES_SNAPSHOT, details.industries_source))


def figures_rows(text: str, metric: str = "") -> QueryRows:
    return QueryRows(lambda: details.figures_tab(text, metric), lambda: details.figures_tab("", ""), key="figure_id",
                     fields=FIGURE_FIELDS, ranked=["park", "name_zh", "period", "basis", "status", "source", "unit", "industry"],
                     keys=lambda con, sort: keyed.figure_keys(con, text, metric, sort),
                     all_keys=lambda con, sort: keyed.figure_keys(con, "", "", sort))


def articles_rows(text: str) -> QueryRows:
    return QueryRows(lambda: details.articles_tab(text), lambda: details.articles_tab(""), key="article_id",
                     fields=["article_id", "date", "title", "park", "file"], ranked=["park", "kicker", "file"],
                     keys=lambda con, sort: keyed.article_keys(text, sort),
                     all_keys=lambda con, sort: keyed.article_keys("", sort))


# ------------------------------------------------------------------------------------------ details

PARK_FIGURE_COLS = [
    Col("metric_name", "Metric 指标", min=6, max=14, group=True),
    Col("value", "Value", min=8, max=18, numeric=True, render=_value),
    Col("period", "Period", min=6, max=12),
    Col("status", "Status", min=6, max=8, render=_status),
    Col("basis", "Basis", min=5, max=10, drop=2),
    Col("date", "Article date", min=10, max=12, render=_day, drop=3),
    Col("quote", "Quote 原文", min=16, max=80, flex=1, drop=1),
]

NAME_COUNT_COLS = [
    Col("name", "Name", min=6, max=30, flex=1),
    Col("articles", "Articles", numeric=True),
]

DETAIL_ARTICLE_COLS = [
    Col("date", "Date", min=10, max=10, render=_day),
    Col("title", "Title 标题", min=12, max=60, flex=2),
    Col("park", "Park 园区", min=6, max=14, drop=2),
    Col("figures", "Figures", numeric=True, drop=1),
    Col("source", "Source", min=12, max=32, flex=1, drop=3),
]

INDUSTRY_PARK_COLS = [
    Col("park", "Park 园区", min=6, max=20, flex=1),
    Col("articles", "Articles", numeric=True),
    Col("mentions", "Mentions", numeric=True),
    Col("subject", "Subject", min=7, render=lambda r: "yes" if r.get("subject") else ""),
]


def figure_row(f: details.FigureRow) -> Row:
    return {"figure_id": f.figure_id, "article_id": f.article_id, "start_pos": f.start, "end_pos": f.end,
            "metric": f.metric, "metric_name": f.metric_name, "group": f.metric_group, "value": f.value,
            "value_max": f.value_max, "unit": f.unit, "qualifier": f.qualifier, "period": f.period,
            "basis": f.basis, "status": f.status, "quote": f.quote, "date": f.date, "source": f.source,
            "park": f.park}


def article_row(a: details.ArticleRow) -> Row:
    return {"article_id": a.article_id, "date": a.date, "title": a.title, "park": a.park, "source": a.source,
            "figures": a.figures}


def park_detail_rows(d: details.ParkDetail) -> dict[str, ListRows]:
    return {
        "figures": ListRows([figure_row(f) for f in d.figures]),
        "industries": ListRows([{"industry": i, "name": n, "articles": c} for i, n, c in d.industries]),
        "companies": ListRows([{"name": n, "articles": c} for n, c in d.companies]),
        "articles": ListRows([article_row(a) for a in d.articles]),
    }


def industry_detail_rows(d: details.IndustryDetail) -> dict[str, ListRows]:
    return {
        "parks": ListRows([{"park": p, "articles": a, "mentions": m, "subject": s} for p, a, m, s in d.parks]),
        "articles": ListRows([article_row(a) for a in d.articles]),
    }


# ------------------------------------------------------------------------------------------ compare

CONFLICT = "≠"


def compare_view(parks: list[str]) -> tuple[list[Col], QueryRows]:
    """`queries.compare`: one row per metric (and industry, basis, period), one column per park."""

    def cell(park: str) -> Callable[[Row], Text]:
        def render(r: Row) -> Text:
            value = r.get(park)
            if not value:
                return Text("–", style="dim")
            t = plain(value)
            if park in (r.get("conflicts") or "").split("|"):
                t.append(f" {CONFLICT}", style="bold")
            return t

        return render

    cols = [Col("name_zh", "Metric 指标", min=6, max=16, group=True), Col("industry", "Industry", min=8, max=16, drop=2),
            Col("basis", "Basis", min=5, max=12, drop=1), Col("period", "Period", min=6, max=14)]
    cols += [Col(p, p, min=8, max=28, flex=1, numeric=True, render=cell(p)) for p in parks]
    query = details.queries.compare(parks)
    return cols, QueryRows(lambda: query, lambda: query, ranked=["name_zh", "industry", "basis", "period"])


def search_row(hit: object, mark_style: str) -> Row:
    from .format import marked

    g = hit.__getattribute__
    return {"rank": g("rank"), "score": g("score"), "article_id": g("article_id"), "date": g("date"),
            "title": g("title"), "park": g("park"), "source": g("source"), "snippet": g("snippet"),
            "_snippet": marked(g("snippet") or "", list(g("marks") or []), mark_style)}


__all__ = ["number"]
