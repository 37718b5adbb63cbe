"""The `parks` dashboard: parks, industries, metrics, search and articles, all by keyboard.

Importing this module has no side effects; nothing touches the database until the app mounts.

Measuring it in-process (what benchmarks/ does), e.g. first paint and a sort::

    import asyncio, time
    from parks.tui.app import ParksApp

    async def measure(db_path):
        t0 = time.perf_counter()
        app = ParksApp(db_path)           # preload=False: no fetching ahead, no jieba (tests)
        async with app.run_test(size=(120, 40)) as pilot:
            table = app.pane().table      # the Parks tab's ViewTable
            while not table.row_count:    # first paint: the first tab has rows
                await asyncio.sleep(0.002)
            first_paint = time.perf_counter() - t0
            t1 = time.perf_counter()
            await pilot.press("right", "right", "right", "right_square_bracket")  # sort by a column
            sort_time = time.perf_counter() - t1   # pilot.press also waits for the screen to settle
        return first_paint, sort_time

Poll the table (`row_count`, `matched`, `data`) rather than timing `pilot.press`, whose idle
waits grow on a busy machine. `app.timings[tab]` is how long opening each tab took (seconds).
After the first paint a worker fetches the other tabs' first pages (`preload=True`) whenever the
user has left the database alone for `QUIET` seconds, giving way as soon as they ask for something;
and jieba is loaded in the background when the Search tab is first opened.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, TabbedContent, TabPane
from textual.worker import get_current_worker

from parks.store import details
from parks.store.db import StoreError

from .article import ArticleScreen, ArticleText
from .panes import (
    ArticlesPane,
    FilterInput,
    IndustriesPane,
    MetricsPane,
    ParksPane,
    SearchPane,
    StatusLine,
    ViewPane,
    focus_now,
)
from .screens import CompareScreen, DetailScreen, HelpScreen, IndustryScreen, ParkScreen
from .source import Interrupted, Source
from .table import ViewTable

T = TypeVar("T")
QUIET = 0.25  # seconds without a query asked for by the user before work is fetched ahead

TABS = [("parks", "Parks 园区", ParksPane), ("industries", "Industries 产业", IndustriesPane),
        ("metrics", "Metrics 指标", MetricsPane), ("search", "Search 搜索", SearchPane),
        ("articles", "Articles 文章", ArticlesPane)]


class ParksApp(App):
    """Browse, compare and search parks by keyboard."""

    CSS_PATH = "parks.tcss"
    TITLE = "parks"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(i), f"show_tab('{tab}')", label.split()[0], show=False,
                  tooltip=f"Switch to the {label.split()[0]} tab")
          for i, (tab, label, _) in enumerate(TABS, start=1)],
        # priority: handled as the key arrives, so what is typed right after `/` lands in the box
        Binding("slash", "focus_filter", "Filter", key_display="/", priority=True,
                tooltip="Focus the filter of the current tab (the query box on Search)"),
        Binding("c", "compare", "Compare", tooltip="Compare the marked parks side by side"),
        Binding("x", "clear_marks", "Unmark all", show=False, tooltip="Clear every park mark"),
        Binding("r", "reload", "Reload", show=False, tooltip="Reload from the database (after an ingest)"),
        Binding("question_mark", "keys", "Keys", key_display="?", tooltip="Show every key"),
        Binding("q", "quit", "Quit", tooltip="Quit the dashboard"),
    ]

    def __init__(self, db_path: Path | str, *, export_dir: Path | str | None = None, preload: bool = True,
                 watch: bool = True) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.source = Source(self.db_path)
        self.export_dir = Path(export_dir) if export_dir is not None else Path.cwd()
        self.preload = preload
        self.watch = watch
        self.marked: dict[str, None] = {}  # insertion-ordered set of marked parks
        self.timings: dict[str, float] = {}
        self.last_export: Path | None = None
        self._problem = ""
        self._change_noted = False
        self._warming = False

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="parks", id="tabs"):
            for tab, label, pane in TABS:
                with TabPane(label, id=tab):
                    yield pane(id=f"{tab}-pane")
        yield StatusLine(id="status", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._restyle)
        self._activate("parks")
        self.source.mark_loaded()
        self.set_interval(1.0, self.source.close_if_idle)
        if self.watch:
            self.set_interval(2.0, self._check_changed)
        self.call_after_refresh(self._settle)
        if self.preload:
            self.call_after_refresh(self._start_prefetch)

    def _settle(self) -> None:
        """After the first paint: what is in memory now (modules, styles, widgets) lives as long as
        the app, so the collector stops walking it. Without this a full collection walks every
        object Textual and DuckDB ever made, 50-250 ms in the middle of a key press."""
        gc.freeze()

    def _start_prefetch(self) -> None:
        """After the first paint, fetch the other tabs' first pages in a worker (DuckDB works off
        the interpreter lock), so switching to them later costs no query."""
        jobs = []
        for tab in ("articles", "metrics", "industries"):
            pane = self.pane(tab)
            try:
                job = pane.prefetch_job()
            except StoreError:
                continue
            if job is not None:
                pane.prefetching = True
                jobs.append((pane, pane.generation, job))
        if jobs:
            self._prefetch(jobs)

    @work(thread=True, exclusive=True, group="prefetch", exit_on_error=False)
    def _prefetch(self, jobs: list[tuple[ViewPane, int, Callable[[], Any]]]) -> None:
        """One job at a time, each at a quiet moment (`politely`); a job whose tab was opened meanwhile
        (it then loaded itself) is dropped."""
        for pane, generation, job in jobs:
            try:
                result = self.politely(job, wanted=lambda p=pane, g=generation: p.generation == g)
            except Exception:  # noqa: BLE001 - the tab loads (and reports) for itself when opened
                result = None
            if get_current_worker().is_cancelled:
                return
            if pane.generation == generation:
                self.call_from_thread(self._prefetched, pane, generation, result)

    def politely(self, job: Callable[[], T], wanted: Callable[[], bool] = lambda: True) -> T | None:
        """In a worker thread: run `job` once the user has left the database alone for QUIET seconds,
        again at the next quiet moment whenever they interrupt it by asking for something; None when
        it is no longer `wanted` or the worker was cancelled."""
        worker = get_current_worker()
        while not worker.is_cancelled and wanted():
            if not self.source.quiet(QUIET):
                time.sleep(0.02)
                continue
            try:
                with self.source.background():
                    return job()
            except Interrupted:
                continue
        return None

    def _prefetched(self, pane: ViewPane, generation: int, result: Any) -> None:
        pane.apply_prefetch(generation, result)

    def on_unmount(self) -> None:
        self.source.close()
        gc.unfreeze()  # what the app made can be collected again (tests run many apps in one process)

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Load the search segmenter after the first paint, so the first search does not wait for it."""
        try:
            from parks.store import search
        except ImportError:
            return
        preload = getattr(search, "preload", None)
        if preload is not None:
            preload()

    @property
    def main(self) -> Screen:
        """The screen of the tabs (detail pages and the article open over it)."""
        return self.screen_stack[0]

    @property
    def tabs(self) -> TabbedContent:
        return self.main.query_one("#tabs", TabbedContent)

    def pane(self, tab: str | None = None) -> ViewPane:
        return self.main.query_one(f"#{tab or self.tabs.active}-pane", ViewPane)

    def _activate(self, tab: str) -> None:
        pane = self.pane(tab)
        if tab == "search" and self.preload and not self._warming:
            self._warming = True
            self._warm_up()  # jieba holds the interpreter for a second: load it only when search is near
        started = time.perf_counter()
        pane.ensure_loaded()  # unless its first page arrived ahead
        self.timings[tab] = time.perf_counter() - started
        if not isinstance(self.focused, Input) or pane not in self.focused.ancestors:
            focus_now(pane.table)  # digits keep switching tabs; `/` goes to the filter (the query box on Search)
        self._show_status()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id == "tabs" and event.pane.id:
            self._activate(event.pane.id)

    # ----------------------------------------------------------------- status

    def _show_status(self) -> None:
        if not self.screen_stack:  # shutting down
            return
        pane = self.pane()
        note = getattr(pane, "note", "")
        marks = Text(f"{len(self.marked)} marked (c compares)") if self.marked else ""
        status = self.main.query_one("#status", StatusLine)
        status.show(pane.table, note or marks)

    async def on_event(self, event: events.Event) -> None:
        """A key still on its way when the app closes (it bubbles up from the focused widget in a few
        hops, slower while work runs in the background) has nothing left to act on: Textual would
        look for the screen's bindings and raise."""
        if isinstance(event, events.Key) and not self.screen_stack:
            return
        await super().on_event(event)

    def on_view_table_changed(self, event: ViewTable.Changed) -> None:
        self._show_status()

    def report_problem(self, exc: StoreError) -> None:
        """One clear notice for a database problem (a lock held by an ingest, a missing file)."""
        message = str(exc)
        if message != self._problem:
            self._problem = message
            self.notify(message + "\nPress r to try again.", title="Database", severity="error", timeout=10,
                        markup=False)

    def fetch(self, fn: Callable[[Any], T]) -> T | None:
        """Run a store function on the read-only connection; None (and a notice) when that fails."""
        try:
            result = self.source.run(fn)
        except StoreError as exc:
            self.report_problem(exc)
            return None
        self._problem = ""
        return result

    def _check_changed(self) -> None:
        if not self._change_noted and self.source.changed():
            self._change_noted = True
            self.notify("The database changed on disk. Press r to reload.", title="Database", timeout=8)

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Tab keys and the filter key belong to the tabs: hidden on detail pages."""
        if action == "focus_filter" and isinstance(self.focused, Input):
            return False  # typed into the box like any other character
        if action in ("show_tab", "focus_filter"):
            return not self._on_a_page()
        return True

    def _on_a_page(self) -> bool:
        """A detail page or article covers the tabs (the palette and the key list do not count)."""
        return any(isinstance(s, DetailScreen | ArticleScreen) for s in self.screen_stack)

    def action_show_tab(self, tab: str) -> None:
        if not self._on_a_page() and self.tabs.active != tab:
            self.tabs.active = tab
            self._activate(tab)  # at once (TabActivated comes a little later): the keyboard goes to the table

    def action_focus_filter(self) -> None:
        if not self._on_a_page():
            self.pane().focus_filter()

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()

    def action_keys(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.key_sections()))

    def action_reload(self) -> None:
        self.source.forget()
        self._problem = ""
        self._change_noted = False
        for tab, _, _ in TABS:
            self.pane(tab).stale = True
        active = self.tabs.active
        self.pane(active).reload()
        self.pane(active).stale = False
        for screen in self.screen_stack[1:]:
            if isinstance(screen, DetailScreen):
                screen.refill()
        self.source.mark_loaded()
        if not self._problem:
            self.notify("Reloaded from the database.", timeout=2)

    def action_compare(self) -> None:
        parks = list(self.marked)
        if len(parks) < 2:
            here = self._current_park()
            if here and here not in parks:
                parks.append(here)
        if len(parks) < 2:
            self.notify("Mark two or more parks with space (on the Parks or Metrics tab), then press c.",
                        title="Compare", severity="warning")
            return
        self.push_screen(CompareScreen(parks))

    def _current_park(self) -> str:
        focused = self.focused
        if isinstance(focused, ViewTable) and focused.mark_key and focused.current_row:
            return str(focused.current_row.get(focused.mark_key) or "")
        return ""

    def action_clear_marks(self) -> None:
        self.marked.clear()
        self._refresh_marks()

    def toggle_mark(self, park: str) -> None:
        if park in self.marked:
            del self.marked[park]
        else:
            self.marked[park] = None
        self._refresh_marks()

    def _refresh_marks(self) -> None:
        for screen in self.screen_stack:
            for table in screen.query(ViewTable):
                table.refresh_marks()
        self._show_status()

    def _restyle(self, _: object = None) -> None:
        for screen in self.screen_stack:
            for table in screen.query(ViewTable):
                table.restyle()
            for text in screen.query(ArticleText):
                text.refresh_styles()

    # ----------------------------------------------------------------- opening things

    def on_view_table_opened(self, event: ViewTable.Opened) -> None:
        row = event.row
        if "figure_id" in row:
            self.open_article(row["article_id"], row["figure_id"])
        elif "article_id" in row:
            self.open_article(row["article_id"])
        elif "industry" in row and "park" not in row:
            self.open_industry(row["industry"])
        elif "park" in row:
            self.open_park(row["park"])

    def open_park(self, park: str) -> None:
        detail = self.fetch(lambda con: details.park_detail(con, park))
        if detail is None:
            if not self._problem:
                self.notify(f"No details for {park}.", markup=False)
            return
        self.push_screen(ParkScreen(detail))

    def open_industry(self, industry: str) -> None:
        detail = self.fetch(lambda con: details.industry_detail(con, industry))
        if detail is not None:
            self.push_screen(IndustryScreen(detail))

    def open_article(self, article_id: int, figure_id: int | None = None) -> None:
        doc = self.fetch(lambda con: details.article(con, int(article_id)))
        if doc is None:
            if not self._problem:
                self.notify("That article is no longer in the database; press r to reload.", markup=False)
            return
        self.push_screen(ArticleScreen(doc, figure_id))

    # ----------------------------------------------------------------- export

    def export(self, table: ViewTable) -> None:
        """Write the table's whole view (filter and sort as shown) to a CSV file; the path is shown."""
        if table.rows_source is None:
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        name = table.noun if self.screen is self.screen_stack[0] else f"{table.id or 'detail'}"
        path = self.export_dir / f"parks-{name}-{stamp}.csv"
        n = 1
        while path.exists():
            n += 1
            path = self.export_dir / f"parks-{name}-{stamp}-{n}.csv"
        self._export(table, path)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, table: ViewTable, path: Path) -> None:
        from parks.output import Style, write

        columns = [c for c in table.cols if not c.key.startswith("_")]
        rows_source, sort, desc = table.rows_source, table.sort_key, table.sort_desc
        assert rows_source is not None
        try:
            total = rows_source.count(self.source)
            rows = rows_source.fetch(self.source, sort, desc, 0, max(total, 1))
        except StoreError as exc:
            self.call_from_thread(self.report_problem, exc)
            return

        def cells(r: dict) -> tuple:
            return tuple(r.get(c.key) if c.render is None else table._render_cell_text(c, r, 0).plain
                         for c in columns)

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as fh:
                n = write([c.label for c in columns], (cells(r) for r in rows), Style(format="csv"), fh,
                          {c.label for c in columns if c.numeric and c.render is None})
        except OSError as exc:
            self.call_from_thread(self.notify, f"Cannot write {path}: {exc.strerror}", title="Export",
                                  severity="error", markup=False)
            return
        self.last_export = path
        self.call_from_thread(self.notify, f"{n:,} rows → {path}", title="Exported", timeout=8, markup=False)

    # ----------------------------------------------------------------- keys

    def key_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Every key the dashboard declares, by where it works."""

        def rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
            out: dict[str, tuple[str, str]] = {}
            for b in bindings:
                if not isinstance(b, Binding):
                    continue
                key = b.key_display or self.get_key_display(b)
                what = b.tooltip or b.description
                if what in {v[1] for v in out.values()}:
                    continue
                out[key] = (key, what)
            return list(out.values())

        tab_keys = [("1 … 5", "Switch to Parks, Industries, Metrics, Search, Articles")]
        app_keys = [k for k in rows(self.BINDINGS) if not k[0].isdigit()]
        table_keys = rows(ViewTable.BINDINGS) + [
            ("↑ ↓ ← →", "Move the cursor (more rows load as you go)"),
            ("pgup pgdn", "Move a page up or down"),
            ("click header", "Sort by that column (again to reverse)")]
        return [
            ("Everywhere", tab_keys + app_keys + [("ctrl+p", "Command palette: every action with its key")]),
            ("Tables", table_keys),
            ("Filter and search boxes", rows(FilterInput.BINDINGS) + [("enter", "Apply now and go to the table")]),
            ("Metrics tab", rows(MetricsPane.BINDINGS)),
            ("Detail pages", rows(DetailScreen.BINDINGS) + [("tab", "Next table on the page")]),
            ("Article", rows(ArticleText.BINDINGS) + rows(ArticleScreen.BINDINGS)),
        ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every action available here, each with its key."""
        mine = list(self._binding_commands(screen))
        titles = {c.title for c in mine}
        yield from (c for c in super().get_system_commands(screen) if c.title not in titles)
        yield from mine

    def _binding_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """One command per action bound here, with all of its keys (`q`, `^q`)."""
        actions: dict[str, tuple[Binding, Any, list[str]]] = {}
        for active in screen.active_bindings.values():
            b = active.binding
            if not active.enabled or not b.description:
                continue
            display = b.key_display or self.get_key_display(b)
            if b.action not in actions:
                actions[b.action] = (b, active.node, [display])
                continue
            first, node, keys = actions[b.action]
            if display not in keys:
                keys.append(display)
            if first.system and not b.system:  # prefer the description the dashboard gives
                actions[b.action] = (b, active.node, keys)
        for action, (b, node, keys) in actions.items():
            help_ = "key " + ", ".join(sorted(keys, key=len)) + (f" · {b.tooltip}" if b.tooltip else "")
            yield SystemCommand(b.description, help_, self._runner(action, node))

    def _runner(self, action: str, node: Any) -> Callable[[], Any]:
        async def run() -> None:
            await self.run_action(action, node)

        return run

