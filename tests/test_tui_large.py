"""The dashboard on views too large to hold: background work gives way, tables page, sort and filter in DuckDB."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("textual")

from tui_fixtures import build, drive, to_column  # noqa: E402

from parks.store import details, keyed, queries  # noqa: E402
from parks.store.db import connect  # noqa: E402
from parks.tui import views  # noqa: E402
from parks.tui.source import Interrupted, Source  # noqa: E402
from parks.tui.table import FIRST, ViewTable, pinyin_order  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("large") / "parks.duckdb", markup=False)






# ------------------------------------------------------------------------------ background work


@pytest.mark.parametrize("from_a_worker", [False, True])
def test_a_query_the_user_waits_for_interrupts_background_queries(db: Path, from_a_worker: bool) -> None:
    """From the main thread (a sort, a filter) or a worker of its own (a search, an export)."""
    source = Source(db)
    outcome: list[object] = []

    def slow() -> None:
        try:
            with source.background():
                source.run(lambda con: con.execute("SELECT sum(i) FROM range(20000000000) t(i)").fetchall())
            outcome.append("finished")
        except Interrupted as exc:
            outcome.append(exc)

    worker = threading.Thread(target=slow)
    worker.start()
    deadline = time.monotonic() + 10
    while not source._running_background and time.monotonic() < deadline:
        time.sleep(0.005)
    assert source._running_background, "the background query never started"
    time.sleep(0.3)  # registered just before DuckDB starts it: an interrupt before that start is lost
    counted: list[int] = []

    def count() -> None:
        counted.append(source.run(lambda con: con.execute("SELECT count(*) FROM articles").fetchone()[0]))

    if from_a_worker:
        user = threading.Thread(target=count)
        user.start()
        user.join(10)
    else:
        count()
    assert counted == [40]
    worker.join(10)
    assert not worker.is_alive() and len(outcome) == 1 and isinstance(outcome[0], Interrupted)
    assert not source.quiet(5.0) and source.quiet(0.0)
    source.close()


def test_queries_of_other_threads_that_are_not_background_run_to_the_end(db: Path) -> None:
    source = Source(db)
    result: list[int] = []
    started = threading.Event()

    def export_like() -> None:
        def fn(con):  # type: ignore[no-untyped-def]
            started.set()
            return con.execute("SELECT count(*) FROM range(30000000)").fetchone()[0]

        result.append(source.run(fn))

    worker = threading.Thread(target=export_like)
    worker.start()
    started.wait(10)
    source.run(lambda con: con.execute("SELECT 1").fetchone())
    worker.join(30)
    assert result == [30000000]
    source.close()


def test_a_tab_opened_before_its_page_was_fetched_ahead_loads_at_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import parks.tui.app as app_module

    monkeypatch.setattr(app_module, "QUIET", 3600.0)  # the worker never finds a quiet moment

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        assert app.pane("articles").prefetching
        await pilot.press("5")
        await pilot.pause()
        t = app.pane("articles").table
        assert not app.pane("articles").prefetching and t.matched == 40 and t.row_count == 40
        assert any(w.group == "prefetch" and not w.is_finished for w in app.workers)  # still waiting

    started = time.monotonic()
    drive(db, steps, preload=True)
    assert time.monotonic() - started < 30  # quitting stops the waiting worker


def test_work_fetched_ahead_waits_for_a_quiet_moment_and_survives_interruptions(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        for key in "1212":  # every tab switch asks the database for something
            await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()
        for tab in ("articles", "metrics"):
            pane = app.pane(tab)
            assert not pane.stale and not pane.prefetching and pane.table.row_count > 0, tab

    drive(db, steps, preload=True)


# ------------------------------------------------------------------------------ paging by key


def _indexed(path: Path) -> Path:
    """`path` with the search index built (what an ingest leaves), and one figure whose quote has Latin letters."""
    from parks.store.search import rebuild

    con = connect(path)
    try:
        con.execute("UPDATE articles SET text = text || '园区GDP增速居前。', norm = norm || '园区GDP增速居前。' "
                    "WHERE article_id = 5")
        con.execute("""INSERT INTO figures (figure_id, article_id, park, metric, value, unit, qualifier, period,
                                            period_inferred, basis, status, industry, quote, start_pos, end_pos,
                                            number_text)
                       VALUES (9001, 5, '无锡高新区', 'gdp', 8.5, '%', '=', '2021', false, 'yoy', 'actual', '',
                               '园区GDP增速居前。', 0, 1, '8.5%')""")
        rebuild(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _indexed(build(tmp_path_factory.mktemp("indexed") / "parks.duckdb", markup=False))


def _ids(con, keys, desc: bool) -> list:  # type: ignore[no-untyped-def]
    return keyed.key_page(con, keys, desc=desc)[1]


@pytest.mark.parametrize("sort", [c.sort_key for c in views.FIGURE_COLS if c.sort_key] + ["date", ""])
def test_figures_sorted_by_key_come_in_the_order_of_the_whole_view(indexed: Path, sort: str) -> None:
    con = connect(indexed, read_only=True)
    try:
        rows = views.figures_rows("")
        for desc in (False, True) if sort else (False,):  # no sort: the key ascending
            keys = keyed.figure_keys(con, "", "", sort)
            assert keys is not None
            expected = [r["figure_id"] for r in details.page(con, details.figures_tab(), sort=sort, desc=desc,
                                                              ranked=sort in rows.ranked, key="figure_id")]
            assert _ids(con, keys, desc) == expected, (sort, desc)
    finally:
        con.close()


@pytest.mark.parametrize("sort", [c.sort_key for c in views.ARTICLE_COLS if c.sort_key] + [""])
def test_articles_sorted_by_key_come_in_the_order_of_the_whole_view(indexed: Path, sort: str) -> None:
    con = connect(indexed, read_only=True)
    try:
        rows = views.articles_rows("")
        for text in ("", "高新区", "2021-0"):
            for desc in (False, True) if sort else (False,):
                keys = keyed.article_keys(text, sort)
                assert keys is not None
                expected = [r["article_id"] for r in details.page(con, details.articles_tab(text), sort=sort,
                                                                   desc=desc, ranked=sort in rows.ranked,
                                                                   key="article_id")]
                assert _ids(con, keys, desc) == expected and expected, (sort, text, desc)
    finally:
        con.close()


def test_pages_by_key_cover_the_view_once_and_count_the_filter(indexed: Path) -> None:
    con = connect(indexed, read_only=True)
    try:
        keys = keyed.figure_keys(con, "高新区 亿元", "", "status")
        assert keys is not None and keys.filtered
        n, first = keyed.key_page(con, keys, limit=7, with_count=True)
        seen = list(first)
        while True:
            _, more = keyed.key_page(con, keys, offset=len(seen), limit=7)
            if not more:
                break
            seen += more
        assert n == len(seen) == len(set(seen)) == keyed.count(con, keys) > 7
        assert keyed.key_page(con, keys, offset=10_000, limit=7, with_count=True) == (n, [])
        rows = keyed.rows_by_key(con, details.figures_tab(), "figure_id", seen[:5], ["park", "unit"])
        assert [r["figure_id"] for r in rows] == seen[:5] and set(rows[0]) == {"figure_id", "park", "unit"}
    finally:
        con.close()


# ------------------------------------------------------------------------------ the figures filter


def test_the_figures_filter_finds_words_of_the_quote(indexed: Path) -> None:
    con = connect(indexed, read_only=True)
    try:
        quotes = dict(con.execute("SELECT figure_id, quote FROM figures").fetchall())
        for word in ("同比增长", "gdp增速", "GdP增速"):  # in no short field (the metric gdp is)
            assert _ids(con, keyed.figure_keys(con, word, "", ""), False) == []  # not written in quotes
            keys = keyed.figure_keys(con, f'"{word}"', "", "")
            assert keys is not None and "search_postings" in keys.rows  # narrowed by the search index
            found = set(_ids(con, keys, False))
            assert found == {i for i, q in quotes.items() if word.lower() in q.lower()} and found, word
    finally:
        con.close()


@pytest.mark.parametrize("text", ['"同比增长"', '"增"', '"gdp"', '"Gdp 居前"', '"%"', '2022 "2022"', '中关村 “光伏”',
                                  '"达到" 亿元', '"。"', '"no-such-word"', '"光伏装机"', '"target"', "中关村 光伏"])
def test_the_search_index_only_narrows_where_quotes_are_read(indexed: Path, text: str) -> None:
    """With the index or by reading every quote, the same figures (the index is only a shortcut)."""
    con = connect(indexed, read_only=True)
    try:
        by_index = keyed.figure_keys(con, text, "", "")
        by_scan = keyed.figure_keys(None, text, "", "")
        assert by_index is not None and by_scan is not None
        whole = {r["figure_id"] for r in details.rows(queries.run(con, details.figures_tab(text)))}
        assert set(_ids(con, by_index, False)) == set(_ids(con, by_scan, False)) == whole
    finally:
        con.close()


def test_without_a_search_index_the_quotes_are_read(db: Path) -> None:
    con = connect(db, read_only=True)
    try:
        keys = keyed.figure_keys(con, '"同比增长"', "", "")
        assert keys is not None and "search_postings" not in keys.rows
        assert len(_ids(con, keys, False)) == 40  # one sentence in three says 同比增长
    finally:
        con.close()


def test_quoted_words_of_the_filter_box() -> None:
    assert keyed.quoted_terms('光伏 "装机" “GDP” "两个 词" " 「年」') == [
        ("光伏", False), ("装机", True), ("gdp", True), ("两个", True), ("词", True), ("年", True)]


def test_quote_marks_on_the_articles_tab_change_nothing(indexed: Path) -> None:
    con = connect(indexed, read_only=True)
    try:
        plain, quoted = (_ids(con, keyed.article_keys(text, "date"), True) for text in ("高新区", '"高新区"'))
        assert plain == quoted and plain
    finally:
        con.close()


def test_a_plain_filter_leaves_the_quotes_unread(indexed: Path) -> None:
    con = connect(indexed, read_only=True)
    try:
        keys = keyed.figure_keys(con, "光伏 gdp", "", "")
        assert keys is not None and "quote" not in keys.rows
    finally:
        con.close()


def test_metrics_tab_filter_matches_quote_text_and_says_so(indexed: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3", "slash", *'"增速居前"', "enter")
        await pilot.pause()
        t = app.pane().table
        assert t.matched == 1 and [r["figure_id"] for r in t.data] == [9001]
        assert "Showing 1 of 121 figures" in str(app.query_one("#status").render())

    drive(indexed, steps)


# ------------------------------------------------------------------------------ the table


def test_paging_past_the_first_window_of_a_filtered_sorted_table(tmp_path: Path) -> None:
    path = build(tmp_path / "big.duckdb", articles=250, markup=False)  # 750 figures

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3", "slash", *"高新区", "enter")
        await pilot.pause()
        t = app.pane().table
        assert FIRST < t.matched < 750 and len(t.data) == FIRST
        await to_column(pilot, t, "park")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        for _ in range(8):
            await pilot.press("end")
            await pilot.pause()
        ids = [r["figure_id"] for r in t.data]
        assert len(ids) == len(set(ids)) == t.matched == t.row_count
        parks = [r["park"] for r in t.data]
        assert all("高新区" in p for p in parks)
        assert parks == [parks[i] for i in pinyin_order(parks)][::-1]  # ▼: pinyin order, reversed

    drive(path, steps)


def test_sorting_a_long_table_puts_the_cursor_on_the_first_row_of_the_same_column(tmp_path: Path) -> None:
    path = build(tmp_path / "big.duckdb", articles=250, markup=False)

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("5")
        await pilot.pause()
        t = app.pane().table
        await to_column(pilot, t, "title")
        column = t.cursor_column
        for _ in range(3):
            await pilot.press("pagedown")
        await pilot.pause()
        assert t.cursor_row > 30 and t.scroll_y > 0
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert (t.cursor_row, t.cursor_column) == (0, column) and t.scroll_y == 0
        assert t.current_row == t.data[0] and t.sort_key == "title"

    drive(path, steps)


def test_cells_are_drawn_exactly_as_rich_draws_them() -> None:
    """The table's own cell drawing (ViewTable._render_cell) against DataTable's (Rich's render_lines)."""
    from rich.segment import Segment
    from rich.text import Text
    from textual.app import App
    from textual.widgets import DataTable

    cells = [Text("光伏装机", no_wrap=True, overflow="ellipsis"), Text("12.5 亿元", justify="right"),
             Text("(no park)", style="dim italic"), Text("actual", style="italic", justify="right"),
             Text(""), Text("", style="bold", justify="left"), Text("中关村", justify="center"),
             Text.assemble(("2023", "bold"), "年 ", ("≠", "reverse"), justify="right"),
             Text("trailing  ", justify="right"), Text("[red]not markup[/]"), Text("宽字符宽字符"),
             None, Text("two\nlines"), Text("much too long for the column, so Rich does the work")]
    widths = [12, 12, 12, 12, 6, 6, 10, 12, 12, 20, 14, 6, 10, 8]

    class Tables(App):
        def compose(self):  # type: ignore[no-untyped-def]
            yield ViewTable([], noun="rows")

    async def go() -> None:
        app = Tables()
        async with app.run_test(size=(200, 10)):
            t = app.query_one(ViewTable)
            for i, w in enumerate(widths):
                t.add_column(f"c{i}", width=w, key=f"c{i}")
            t.add_row(*cells)
            t.add_row(*reversed(cells))
            for focused in (False, True):
                t.show_cursor = focused
                for row in range(2):
                    for column in range(len(cells)):
                        for cursor in (False, True):
                            style = t.rich_style
                            width = t.ordered_columns[column].get_render_width(t)
                            t._clear_caches()
                            mine = t._render_cell(row, column, style, width, cursor=cursor)
                            t._clear_caches()
                            rich = DataTable._render_cell(t, row, column, style, width, cursor=cursor)
                            assert [list(Segment.simplify(line)) for line in mine] == \
                                   [list(Segment.simplify(line)) for line in rich], (row, column, cursor)

    asyncio.run(go())


def test_the_metric_picker_fills_after_the_table_and_at_once_when_reached(db: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Select

    import parks.tui.app as app_module

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        pane = app.pane("metrics")
        assert pane.table.row_count > 0 and not pane.choices  # the table did not wait for the picker
        assert any(w.group == "choices" and not w.is_finished for w in app.workers)
        app.set_focus(app.query_one("#metric-picker", Select))  # a click or tab gets there first
        await pilot.pause()
        assert pane.choices and len(app.query_one("#metric-picker", Select)._options) > 1

    monkeypatch.setattr(app_module, "QUIET", 3600.0)
    drive(db, steps)
    monkeypatch.setattr(app_module, "QUIET", 0.0)

    async def later(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.pane("metrics").choices

    drive(db, later)


def test_a_key_still_on_its_way_when_the_app_closes_is_dropped(db: Path) -> None:
    from textual import events

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("5")

    app = drive(db, steps)
    key = events.Key("x", "x")
    key.set_sender(app)
    asyncio.run(app.on_event(key))  # after the screens are gone: Textual itself would raise ScreenStackError
