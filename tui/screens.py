"""Detail pages (a park, an industry), the comparison of marked parks, and the key list."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, Static

from parks.store import details

from . import views
from .format import plain
from .panes import StatusLine
from .table import ViewTable


class DetailScreen(Screen):
    """A page over the tabs: Escape goes back; the status line follows the focused table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", "Back", tooltip="Close this page and return to the previous one"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="detail")

    def head(self, title: str, meta: str) -> ComposeResult:
        with Vertical(classes="detail-head"):
            yield Static(plain(title, style="bold"), classes="detail-title")
            yield Static(plain(meta), classes="detail-meta")

    def fill(self, prefix: str, tables: dict) -> None:
        """Give each of the page's tables (`#prefix-key`) its fresh rows, keeping the cursor."""
        for key, rows in tables.items():
            table = self.query_one(f"#{prefix}-{key}", ViewTable)
            table.rows_source = rows
            table.reload(keep_cursor=True)

    def tail(self) -> ComposeResult:
        yield StatusLine(classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for table in self.query(ViewTable):
            table.loaded or table.reload()
        first = self.query(ViewTable).first()
        first.focus()
        self._status(first)

    def on_view_table_changed(self, event: ViewTable.Changed) -> None:
        event.stop()
        if event.table is self.focused or not isinstance(self.focused, ViewTable):
            self._status(event.table)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, ViewTable):
            self._status(event.widget)

    def _status(self, table: ViewTable) -> None:
        self.query_one(StatusLine).show(table)

    def refill(self) -> None:
        """Fetch this page's data again (after `r`)."""


class ParkScreen(DetailScreen):
    """A park: its figures grouped by metric, its industries, companies and articles."""

    def __init__(self, detail: details.ParkDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        d = self.detail
        title = d.park if not d.official_name or d.official_name == d.park else f"{d.park}  {d.official_name}"
        meta = " · ".join(x for x in [d.kind, d.province, d.city if d.city != d.province.rstrip("省市") else "",
                                      f"approved {d.approved_year}" if d.approved_year else "",
                                      "" if d.listed else "not in the gazetteer",
                                      f"{len(d.articles):,} articles", f"{len(d.figures):,} figures"] if x)
        rows = views.park_detail_rows(d)
        yield from self.head(title, meta)
        with Horizontal(classes="detail-body"):
            with Vertical(classes="detail-main"):
                yield Label("Figures 指标 — by metric", classes="section")
                yield ViewTable(views.PARK_FIGURE_COLS, noun="figures", rows=rows["figures"], sort="metric_name",
                                id="park-figures")
            with Vertical(classes="detail-side"):
                yield Label("Industries 产业", classes="section")
                yield ViewTable(views.NAME_COUNT_COLS, noun="industries", rows=rows["industries"],
                                id="park-industries")
                yield Label("Companies 企业", classes="section")
                yield ViewTable(views.NAME_COUNT_COLS, noun="companies", rows=rows["companies"],
                                id="park-companies")
        yield Label("Articles 文章", classes="section")
        yield ViewTable(views.DETAIL_ARTICLE_COLS, noun="articles", rows=rows["articles"], id="park-articles",
                        classes="detail-articles")
        yield from self.tail()

    def on_mount(self) -> None:
        # figures come grouped by metric from the store; the table keeps that order until re-sorted
        figures = self.query_one("#park-figures", ViewTable)
        figures.default_sort = ("", False)
        figures.sort_key = ""
        super().on_mount()

    def refill(self) -> None:
        fresh = self.app.fetch(lambda con: details.park_detail(con, self.detail.park))  # type: ignore[attr-defined]
        if fresh is None:
            return
        self.detail = fresh
        self.fill("park", views.park_detail_rows(fresh))


class IndustryScreen(DetailScreen):
    """An industry: the parks whose articles mention it, and those articles."""

    def __init__(self, detail: details.IndustryDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        d = self.detail
        meta = " · ".join(x for x in [d.name_en, d.level, d.industry, f"{len(d.parks):,} parks",
                                      f"{len(d.articles):,} articles"] if x)
        rows = views.industry_detail_rows(d)
        yield from self.head(d.name_zh or d.industry, meta)
        yield Label("Parks with this industry 园区", classes="section")
        yield ViewTable(views.INDUSTRY_PARK_COLS, noun="parks", rows=rows["parks"], sort="articles", desc=True,
                        mark_key="park", id="industry-parks")
        yield Label("Articles 文章", classes="section")
        yield ViewTable(views.DETAIL_ARTICLE_COLS, noun="articles", rows=rows["articles"], id="industry-articles",
                        classes="detail-articles")
        yield from self.tail()

    def refill(self) -> None:
        fresh = self.app.fetch(lambda con: details.industry_detail(con, self.detail.industry))  # type: ignore[attr-defined]
        if fresh is None:
            return
        self.detail = fresh
        self.fill("industry", views.industry_detail_rows(fresh))


class CompareScreen(DetailScreen):
    """Marked parks side by side, as `parks query compare` shows them; ≠ marks disagreeing figures."""

    def __init__(self, parks: list[str]) -> None:
        super().__init__()
        self.parks = parks

    def compose(self) -> ComposeResult:
        meta = (f"{views.CONFLICT}: other figures of that park for the same period disagree · "
                "(target) and (forecast) are not actuals · Enter opens the figure's article")
        cols, rows = views.compare_view(self.parks)
        yield from self.head("Compare 对比: " + "  vs  ".join(self.parks), meta)
        yield ViewTable(cols, noun="rows", rows=rows, id="compare-table")
        yield from self.tail()

    def on_view_table_opened(self, event: ViewTable.Opened) -> None:
        event.stop()
        row, park = event.row, event.column
        if park not in self.parks or not row.get(park):
            self.app.bell()
            return
        found = self.app.fetch(lambda con: details.compare_figure(  # type: ignore[attr-defined]
            con, park, row["metric"], row.get("industry") or "", row.get("basis") or "", row.get("period") or ""))
        if found is not None:
            self.app.open_article(*found)  # type: ignore[attr-defined]

    def refill(self) -> None:
        table = self.query_one(ViewTable)
        table.rows_source = views.compare_view(self.parks)[1]
        table.reload(keep_cursor=True)


class HelpScreen(ModalScreen):
    """Every key, generated from the bindings the widgets declare (so it cannot go stale)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", tooltip="Close the key list"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for title, keys in self.sections:
            table.add_row(Text(title, style="underline"), Text(""))
            for key, what in keys:
                table.add_row(Text(key), Text(what))
            table.add_row(Text(""), Text(""))
        with VerticalScroll(id="help-box"):
            yield Static(Text("Keys 快捷键", style="bold"), classes="detail-title")
            yield Static(table)
            yield Static(Text("Escape or ? closes this list · ctrl+p finds any action by name", style="dim"))
