"""The five tabs: a filter box above a paged table, plus the metric picker/chart and the search box."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Select, Static
from textual.worker import Worker, WorkerState

from parks.store import details
from parks.store.db import StoreError

from . import views
from .chart import BarChart
from .table import ListRows, Rows, ViewTable

DEBOUNCE = 0.25


def focus_now(widget: Widget) -> None:
    """Focus at once, not after the events already queued (`Widget.focus` waits for them): keys
    typed right after `/` must land in the box, not in the table."""
    if widget.focusable:
        widget.screen.set_focus(widget)
    else:
        widget.focus()


class FilterInput(Input):
    """A one-line filter; Escape hands the keyboard back to the table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave input", tooltip="Leave the input and return to the table"),
        Binding("down", "leave", "To the table", show=False),
    ]

    def action_leave(self) -> None:
        pane = next((a for a in self.ancestors if isinstance(a, ViewPane)), None)
        if pane is not None:
            focus_now(pane.table)
        else:
            self.screen.focus_next()


class StatusLine(Static):
    """What is shown: `Showing 1,240 of 98,311 figures · filter “光伏” · sorted by value ▼`."""

    def show(self, table: ViewTable | None, extra: Text | str = "") -> None:
        out = table.status() if table is not None else Text()
        if extra:
            out.append(" · ")
            out.append_text(extra if isinstance(extra, Text) else Text(extra))
        self.update(out)


class ViewPane(Vertical):
    """One tab: a filter above a table. Subclasses say which columns and rows."""

    noun = "rows"
    placeholder = "Filter…"
    columns: ClassVar[list] = []
    sort: tuple[str, bool] = ("", False)
    mark_key = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.filter_text = ""
        self.stale = True
        self.generation = 0  # bumped by every load: a prefetch started before one is not applied
        self.prefetching = False  # a worker is to fetch this tab's first page ahead (opening it loads it at once)
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="bar"):
            yield FilterInput(placeholder=self.placeholder, compact=True, classes="filter")
            yield from self.compose_bar()
        yield from self.compose_body()

    def compose_bar(self) -> ComposeResult:
        yield from ()

    def compose_body(self) -> ComposeResult:
        yield ViewTable(self.columns, noun=self.noun, sort=self.sort[0], desc=self.sort[1],
                        mark_key=self.mark_key, classes="main-table")

    @property
    def table(self) -> ViewTable:
        return self.query_one(ViewTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one(FilterInput)

    def rows(self) -> Rows | None:
        raise NotImplementedError

    def ensure_loaded(self) -> None:
        """Opening the tab: load it now unless its first page already arrived ahead (a page still
        being fetched ahead is dropped: the worker waits for quiet moments, the user does not)."""
        if self.stale:
            self.load()

    def load(self) -> None:
        self.generation += 1  # a page fetched ahead before now is dropped
        self.prefetching = False
        rows = self.rows()
        if rows is None:
            return
        if not self.stale and self.table.loaded and not self.table.problem and hasattr(rows, "known_total"):
            rows.known_total(self.table.total)  # same data, another filter: the unfiltered count stands
        self.stale = not self.table.set_rows(rows, self.filter_text)

    def prefetch_job(self) -> Callable[[], Any] | None:
        """On the main thread: what a worker can fetch ahead for this tab (its first page)."""
        rows = self.rows()
        if rows is None or not self.stale:
            return None
        table = self.table
        table.rows_source, table.filter_text = rows, self.filter_text
        table.prepare_prefetch()
        return table.prefetch

    def apply_prefetch(self, generation: int, result: Any) -> None:
        """The worker's page, or None when it failed (then an open tab loads itself)."""
        self.prefetching = False
        if not self.stale or generation != self.generation:
            return
        if result is None:
            if self.display and self.is_on_screen:
                self.load()
            return
        matched, total, data = result
        self.table.show(data, matched=matched, total=total)
        self.stale = False

    def reload(self) -> None:
        """After `r`: the same filter and sort, fresh rows, the cursor where it was."""
        self.generation += 1
        self.prefetching = False
        rows = self.rows()
        if rows is not None:
            self.table.rows_source = rows
            self.table.filter_text = self.filter_text
            self.stale = not self.table.reload(keep_cursor=True)

    def focus_filter(self) -> None:
        focus_now(self.filter_input)

    @on(Input.Changed, ".filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, lambda: self.apply_filter(event.value))

    @on(Input.Submitted, ".filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        self.apply_filter(event.value)
        focus_now(self.table)

    def apply_filter(self, text: str) -> None:
        text = text.strip()
        if text == self.filter_text and not self.stale:
            return
        self.filter_text = text
        self.load()


class ParksPane(ViewPane):
    noun = "parks"
    placeholder = "Filter parks by name, province, kind or industry…   (/)"
    columns = views.PARK_COLS
    sort = ("articles", True)
    mark_key = "park"

    def rows(self) -> Rows:
        return views.parks_rows(self.filter_text)


class IndustriesPane(ViewPane):
    noun = "industries"
    placeholder = "Filter industries by name (中文 or English)…   (/)"
    columns = views.INDUSTRY_COLS
    sort = ("articles", True)

    def rows(self) -> Rows:
        return views.industries_rows(self.filter_text)


class ArticlesPane(ViewPane):
    noun = "articles"
    placeholder = "Filter articles by title, park, date or source…   (/)"
    columns = views.ARTICLE_COLS
    sort = ("date", True)

    def rows(self) -> Rows:
        return views.articles_rows(self.filter_text)


class MetricsPane(ViewPane):
    """Every figure; picking a metric narrows the table and draws it across parks."""

    noun = "figures"
    placeholder = 'Filter by park, metric, period, status; "word" searches quotes too   (/)'
    columns = views.FIGURE_COLS
    sort = ("date", True)
    mark_key = "park"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "pick_metric", "Metric", tooltip="Pick one metric: narrows the table and shows a chart"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.metric = ""
        self.choices: list[details.MetricChoice] = []

    def compose_bar(self) -> ComposeResult:
        yield Select[str]([], prompt="All metrics 全部指标", compact=True, id="metric-picker")

    def compose_body(self) -> ComposeResult:
        with Horizontal(classes="body"):
            yield from super().compose_body()
            yield BarChart(id="chart", classes="hidden")

    def rows(self) -> Rows:
        return views.figures_rows(self.filter_text, self.metric)

    def load(self) -> None:
        super().load()
        if not self.choices:
            self._fetch_choices()  # the picker fills in a moment; the table does not wait for it
        self._update_chart()

    @work(thread=True, exclusive=True, group="choices", exit_on_error=False)
    def _fetch_choices(self) -> None:
        source = self.app.source  # type: ignore[attr-defined]
        try:
            choices = self.app.politely(lambda: source.run(details.metric_choices))  # type: ignore[attr-defined]
        except StoreError:
            return  # the picker loads (and reports) for itself when opened
        if choices is not None:
            self.app.call_from_thread(self._got_choices, choices)

    def _got_choices(self, choices: list[details.MetricChoice]) -> None:
        if not self.choices:
            self._set_choices(choices)

    def reload(self) -> None:
        self._load_choices()
        super().reload()
        self._update_chart()

    def prefetch_job(self) -> Callable[[], Any] | None:
        job = super().prefetch_job()
        if job is None:
            return None
        source = self.app.source  # type: ignore[attr-defined]
        return lambda: (source.run(details.metric_choices), job())

    def apply_prefetch(self, generation: int, result: Any) -> None:
        choices, page = result if result is not None else (None, None)
        if choices is not None and self.stale and generation == self.generation and not self.choices:
            self._set_choices(choices)
        super().apply_prefetch(generation, page)

    def _load_choices(self) -> None:
        try:
            choices = self.app.source.run(details.metric_choices)  # type: ignore[attr-defined]
        except StoreError as exc:
            self.app.report_problem(exc)  # type: ignore[attr-defined]
            return
        self._set_choices(choices)

    def _set_choices(self, choices: list[details.MetricChoice]) -> None:
        self.choices = choices
        picker = self.query_one("#metric-picker", Select)
        with self.prevent(Select.Changed):
            picker.set_options((f"{c.name_zh} · {c.name_en} ({c.figures:,})", c.metric) for c in self.choices)
            if self.metric in {c.metric for c in self.choices}:
                picker.value = self.metric

    def pick(self, metric: str) -> None:
        """Narrow to `metric` ("" for all); the chart appears beside the table."""
        self.generation += 1
        self.metric = metric
        if metric and not self.choices:
            self._load_choices()  # picked before the picker's choices arrived (they load in a thread)
        picker = self.query_one("#metric-picker", Select)
        with self.prevent(Select.Changed):
            if not metric:
                picker.value = getattr(Select, "NULL", getattr(Select, "BLANK", None))
            elif metric in {c.metric for c in self.choices}:  # the picker refuses a value it does not list
                picker.value = metric
        super().load()
        self._update_chart()

    @on(Select.Changed, "#metric-picker")
    def _picked(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value
        self.pick(value if isinstance(value, str) else "")
        focus_now(self.table)

    def _update_chart(self) -> None:
        chart = self.query_one(BarChart)
        if not self.metric:
            chart.add_class("hidden")
            return
        try:
            unit, bars = self.app.source.run(lambda con: details.metric_chart(con, self.metric))  # type: ignore[attr-defined]
        except StoreError as exc:
            self.app.report_problem(exc)  # type: ignore[attr-defined]
            return
        choice = next((c for c in self.choices if c.metric == self.metric), None)
        title = f"{choice.name_zh} · latest actual per park" if choice else self.metric
        chart.show(title, unit, bars)
        chart.remove_class("hidden")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The picker reached before its choices arrived (a click, tab): it gets them now."""
        if not self.choices and event.widget.id == "metric-picker":
            self._load_choices()

    def action_pick_metric(self) -> None:
        if not self.choices:
            self._load_choices()
        picker = self.query_one("#metric-picker", Select)
        focus_now(picker)
        picker.action_show_overlay()


class SearchPane(ViewPane):
    """Ranked full-text hits; runs in a worker so segmentation never blocks the keyboard."""

    noun = "hits"
    placeholder = "Search articles (press Enter)…   e.g. 光伏 装机"
    columns = views.SEARCH_COLS
    sort = ("", False)
    LIMIT = 200

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.note = ""

    def rows(self) -> Rows | None:
        return None

    def ensure_loaded(self) -> None:
        if self.stale:
            self.stale = False
            self.table.filter_label = "query"
            self.table.set_rows(ListRows([]), "")
            self.note = "" if self._search_fn() else "search is not available in this build"

    def reload(self) -> None:
        if self.filter_text:
            self.run_search(self.filter_text)

    def apply_filter(self, text: str) -> None:
        text = text.strip()
        if text == self.filter_text:
            return
        self.filter_text = text
        if not text:
            self.table.set_rows(ListRows([]), "")
            return
        self.run_search(text)

    @on(Input.Changed, ".filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()  # search on Enter (or after a pause), not on every key
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.6, lambda: self.apply_filter(event.value))

    @staticmethod
    def _search_fn() -> Any:
        try:
            from parks.store import search as search_module
        except ImportError:
            return None
        return getattr(search_module, "search", None)

    def run_search(self, text: str) -> None:
        fn = self._search_fn()
        if fn is None:
            self.note = "search is not available in this build"
            self.table.set_rows(ListRows([]), text)
            self.app.notify("Full-text search is not available yet in this build.", title="Search",
                            severity="warning", markup=False)
            return
        self.note = "searching…"
        self.table.changed()
        self._search(fn, text)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, fn: Any, text: str) -> tuple[str, list]:
        import inspect

        kwargs: dict[str, Any] = {"limit": self.LIMIT}
        if "relax" in inspect.signature(fn).parameters:
            kwargs["relax"] = True  # nothing as written: try the words jieba finds in it
        with self.app.source.connection() as con:  # type: ignore[attr-defined]
            return text, list(fn(con, text, **kwargs))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "search":
            return
        if event.state == WorkerState.SUCCESS:
            text, hits = event.worker.result
            if text != self.filter_text:
                return
            style = self.table.get_component_rich_style("view--hit", partial=True)
            self.note = ""
            self.table.set_rows(ListRows([views.search_row(h, style) for h in hits]), text)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, StoreError):
                self.note = "search failed"
                self.app.report_problem(error)  # type: ignore[attr-defined]
            elif type(error).__name__ in ("QuerySyntaxError", "SearchError"):  # a message for the user
                self.note = str(error)
                self.table.set_rows(ListRows([]), self.filter_text)
            else:
                self.note = "search failed"
                self.app.notify(f"Search failed: {error}", title="Search", severity="error", markup=False)
            self.table.changed()
