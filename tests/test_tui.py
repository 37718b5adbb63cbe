"""The dashboard driven by keyboard (and mouse) through Textual's pilot, on a small deterministic database."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual import events  # noqa: E402
from textual.command import CommandPalette  # noqa: E402
from tui_fixtures import MARKUP_TITLES, build, drive, screen_text, to_column  # noqa: E402

from parks.store import details, queries  # noqa: E402
from parks.store.db import connect  # noqa: E402
from parks.tui.app import ParksApp  # noqa: E402
from parks.tui.article import ArticleScreen, ArticleText, wrap  # noqa: E402
from parks.tui.chart import BarChart, bar_text  # noqa: E402
from parks.tui.format import fit, number, quantity  # noqa: E402
from parks.tui.panes import FilterInput, MetricsPane  # noqa: E402
from parks.tui.screens import CompareScreen, HelpScreen, IndustryScreen, ParkScreen  # noqa: E402
from parks.tui.table import FIRST, ViewTable, pinyin_order  # noqa: E402


@pytest.fixture(scope="session")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("tui") / "parks.duckdb")




def table(app: ParksApp) -> ViewTable:
    focused = app.focused
    return focused if isinstance(focused, ViewTable) else app.pane().table


def column_values(t: ViewTable, key: str) -> list:
    return [r.get(key) for r in t.data]




# ------------------------------------------------------------------------------------ tabs and keys


def test_number_keys_switch_tabs_and_each_tab_loads(db: Path) -> None:
    seen = {}

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        for key, tab in zip("23451", ["industries", "metrics", "search", "articles", "parks"], strict=True):
            await pilot.press(key)
            await pilot.pause()
            assert app.tabs.active == tab
            assert isinstance(app.focused, ViewTable) and app.pane(tab).table is app.focused
            seen[tab] = str(app.query_one("#status").render())

    drive(db, steps)
    assert seen["parks"].startswith("Showing 8 of 8 parks")
    assert seen["industries"].startswith("Showing ") and "industries" in seen["industries"]
    assert "of 120 figures" in seen["metrics"]
    assert "of 40 articles" in seen["articles"]
    assert "hits" in seen["search"]


def test_slash_focuses_the_filter_and_escape_leaves_it(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        for key in "12345":
            await pilot.press(key, "slash")
            assert isinstance(app.focused, FilterInput)
            assert app.pane() in app.focused.ancestors
            await pilot.press("escape")
            assert isinstance(app.focused, ViewTable)

    drive(db, steps)


def test_keys_typed_right_after_slash_land_in_the_box_and_slash_types_there(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        # one burst, as a fast typist or a paste delivers it: nothing may go to the table
        for key in ["5", "slash", "2", "0", "2", "1", "slash", "x"]:
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await pilot.pause()
        assert isinstance(app.focused, FilterInput) and app.focused.value == "2021/x"

    drive(db, steps)


def test_digits_typed_into_a_filter_do_not_switch_tabs(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3", "slash", "2", "0", "2", "3", "enter")
        await pilot.pause()
        assert app.tabs.active == "metrics"
        t = app.pane().table
        assert t.filter_text == "2023" and 0 < t.matched < t.total
        assert isinstance(app.focused, ViewTable)

    drive(db, steps)


def test_filter_narrows_rows_in_the_database_and_shows_in_the_status(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("slash", *"上海", "enter")
        await pilot.pause()
        t = app.pane().table
        assert t.matched == 2 and t.total == 8
        assert {r["province"] for r in t.data} == {"上海市"}
        status = str(app.query_one("#status").render())
        assert status.startswith("Showing 2 of 8 parks") and "上海" in status
        await pilot.press("slash", "ctrl+u", *"信息技术", "enter")  # an industry name finds parks too
        await pilot.pause()
        assert 0 < t.matched <= t.total
        await pilot.press("slash", "ctrl+u", *"no such park", "enter")
        await pilot.pause()
        assert t.matched == 0 and t.data == []

    drive(db, steps)


def test_filter_applies_while_typing_after_a_pause(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("slash", *"江苏")
        await pilot.pause(0.6)
        assert app.pane().table.matched == 2
        assert isinstance(app.focused, FilterInput)  # typing keeps the focus in the box

    drive(db, steps)


def test_square_brackets_sort_by_the_column_under_the_cursor(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        t = table(app)
        await to_column(pilot, t, "value")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        values = column_values(t, "value")
        assert values == sorted(values, reverse=True) and t.sort_key == "value" and t.sort_desc
        assert "Value ▼" in str(t.ordered_columns[t.cursor_column].label)
        assert "sorted by Value ▼" in str(app.query_one("#status").render())
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert column_values(t, "value") == sorted(values)
        await to_column(pilot, t, "park")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        parks = column_values(t, "park")
        assert parks == [parks[i] for i in pinyin_order(parks)]  # Chinese sorts by pinyin, in DuckDB

    drive(db, steps)


def test_clicking_a_header_sorts_and_clicking_again_reverses(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        t = table(app)
        x = 1 + 2 + 1  # the mark column and its padding, then into "Park"
        await pilot.click(t, offset=(x, 0))
        await pilot.pause()
        assert t.sort_key == "park" and not t.sort_desc
        first = column_values(t, "park")
        await pilot.click(t, offset=(x, 0))
        await pilot.pause()
        assert t.sort_desc and column_values(t, "park") == first[::-1]
        assert "▼" in str(t.ordered_columns[1].label)

    drive(db, steps)


def test_enter_opens_a_park_with_figures_industries_companies_and_articles(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        park = table(app).current_row["park"]
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ParkScreen) and screen.detail.park == park
        figures = screen.query_one("#park-figures", ViewTable)
        assert figures.matched == len(screen.detail.figures) > 0
        assert screen.query_one("#park-industries", ViewTable).matched > 0
        assert screen.query_one("#park-companies", ViewTable).matched > 0
        assert screen.query_one("#park-articles", ViewTable).matched > 0
        text = screen_text(app)
        assert park in text and "Figures 指标" in text and "Industries 产业" in text
        # grouped by metric: a metric's name is written once, on the first row of its group
        names = [r["metric_name"] for r in figures.data]
        shown = [figures.get_cell_at((i, 0)).plain for i in range(len(names))]
        assert shown.count(names[0]) == 1 and len(set(names)) == sum(1 for s in shown if s)
        await pilot.press("enter")  # a figure opens its article
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0] and isinstance(app.focused, ViewTable)

    drive(db, steps)


def test_industry_detail_lists_its_parks_and_opens_them(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("2")
        await pilot.pause()
        row = table(app).current_row
        assert row["articles"] > 0  # sorted by articles, most first
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, IndustryScreen) and app.screen.detail.industry == row["industry"]
        parks = app.screen.query_one("#industry-parks", ViewTable)
        assert parks.matched >= row["parks"] > 0  # every park named with it, the subject parks counted
        first = parks.current_row["park"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ParkScreen) and app.screen.detail.park == first

    drive(db, steps)


def test_enter_on_a_figure_opens_its_article_scrolled_to_it(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        await pilot.pause()
        row = table(app).current_row
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.doc.article_id == row["article_id"]
        text = screen.query_one(ArticleText)
        figure = text.selected_figure()
        assert figure is not None and figure.figure_id == row["figure_id"]
        assert text.text[figure.start:figure.end] and text.text[figure.start:figure.end] in figure.quote
        line = text.line_of(figure.start)
        assert text.scroll_offset.y <= line < text.scroll_offset.y + text.scrollable_content_region.height
        status = str(screen.query_one("#figure-line").render())
        assert f"Figure {text.current + 1}/{len(screen.doc.figures)}" in status
        await pilot.press("n")
        assert text.current == (screen.doc.figures.index(figure) + 1) % len(screen.doc.figures)
        await pilot.press("p", "p")
        assert text.current == (screen.doc.figures.index(figure) - 1) % len(screen.doc.figures)

    drive(db, steps)


def test_long_article_scrolls_to_a_late_figure(tmp_path: Path) -> None:
    path = build(tmp_path / "long.duckdb", articles=3, markup=False)
    con = connect(path)
    aid = 1
    text = con.execute("SELECT text FROM articles WHERE article_id = ?", [aid]).fetchone()[0]
    filler = "\n\n".join(f"第{i}段：园区持续优化营商环境，推动产业链上下游协同发展。" for i in range(80))
    number_text = "999.5亿元"
    tail = f"\n\n最后，园区营业收入达到{number_text}。"
    new = text + "\n\n" + filler + tail
    start = new.index(number_text)
    con.execute("UPDATE articles SET text = ?, norm = ? WHERE article_id = ?", [new, new, aid])
    con.execute("INSERT INTO figures (figure_id, article_id, park, metric, value, unit, qualifier, period, basis, status,"
                " quote, start_pos, end_pos, number_text) VALUES (999, ?, '中关村', 'revenue', 999.5, '亿元', '=', '2023',"
                " 'level', 'actual', ?, ?, ?, ?)", [aid, tail.strip(), start, start + len(number_text), number_text])
    con.close()

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        app.open_article(aid, 999)
        await pilot.pause()
        t = app.screen.query_one(ArticleText)
        line = t.line_of(start)
        assert line > 40 and t.scroll_offset.y > 0
        assert t.scroll_offset.y <= line < t.scroll_offset.y + t.scrollable_content_region.height
        assert number_text in screen_text(app)

    drive(path, steps, size=(80, 24))


def test_metric_picker_narrows_the_table_and_draws_a_chart(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        chart = app.query_one(BarChart)
        assert not chart.display
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        pane = app.pane()
        assert pane.metric
        t = pane.table
        assert t.matched > 0 and {r["metric"] for r in t.data} == {pane.metric}
        assert chart.display and chart.bars
        con = connect(db, read_only=True)
        try:
            unit, bars = details.metric_chart(con, pane.metric)
        finally:
            con.close()
        assert [b.park for b in chart.bars] == [b.park for b in bars]
        assert len({b.park for b in chart.bars}) == len(chart.bars)  # one bar per park
        values = [b.value for b in chart.bars]
        assert values == sorted(values, reverse=True)
        text = screen_text(app)
        assert "█" in text and chart.bars[0].park in text
        pane.pick("")
        await pilot.pause()
        assert not chart.display and t.matched == t.total

    drive(db, steps)


def test_a_metric_picked_before_the_pickers_choices_arrive_is_shown(db: Path) -> None:
    """The choices load in a thread; a pick that comes first (a script, a fast key) must not fail."""
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        pane = app.pane()
        pane.choices = []  # as if the thread had not delivered them yet
        pane.query_one("#metric-picker").set_options([])
        pane.pick("pv_capacity")
        await pilot.pause()
        assert pane.choices and pane.query_one("#metric-picker").value == "pv_capacity"
        assert {r["metric"] for r in pane.table.data} == {"pv_capacity"}
        pane.pick("no_such_metric")  # not listed: the table narrows to nothing, the picker stays
        await pilot.pause()
        assert pane.table.matched == 0

    drive(db, steps)


def test_space_marks_parks_and_c_compares_them(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        t = table(app)
        first = t.current_row["park"]
        await pilot.press("space", "down", "space")
        second = t.current_row["park"]
        assert list(app.marked) == [first, second]
        assert t.get_cell_at((0, 0)).plain == "●" and t.get_cell_at((2, 0)).plain == " "
        assert "2 marked" in str(app.query_one("#status").render())
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen) and screen.parks == [first, second]
        cmp = screen.query_one(ViewTable)
        assert [c.label for c in cmp.shown][-2:] == [first, second]
        assert cmp.matched > 0 and all(r[first] or r[second] for r in cmp.data)
        await pilot.press("escape", "space")  # unmark the second
        assert list(app.marked) == [first]

    drive(db, steps)


def test_compare_flags_conflicting_figures_and_opens_them(db: Path) -> None:
    con = connect(db, read_only=True)
    try:
        res = queries.run(con, queries.compare(["中关村", "张江高新区"]))
        rows = [dict(zip(res.columns, r, strict=True)) for r in res.rows]
    finally:
        con.close()
    conflicted = [r for r in rows if r["conflicts"]]
    assert conflicted, "the fixture has two different figures for one park, metric and period"

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        app.toggle_mark("中关村")
        app.toggle_mark("张江高新区")
        await pilot.press("c")
        await pilot.pause()
        cmp = app.screen.query_one(ViewTable)
        assert cmp.matched == len(rows)
        row = conflicted[0]
        park = row["conflicts"].split("|")[0]
        index = next(i for i, r in enumerate(cmp.data)
                     if (r["metric"], r["basis"], r["period"]) == (row["metric"], row["basis"], row["period"]))
        column = next(i for i, c in enumerate(cmp.shown) if c.key == park)
        assert cmp.get_cell_at((index, column)).plain.endswith("≠")
        cmp.move_cursor(row=index, column=column)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        figure = app.screen.query_one(ArticleText).selected_figure()
        assert figure.park == park and figure.metric == row["metric"] and figure.period == row["period"]

    drive(db, steps)


def test_compare_with_fewer_than_two_parks_explains(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("2", "c")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        assert any("Mark two or more parks" in str(n.message) for n in app._notifications)

    drive(db, steps)


def test_e_exports_the_view_as_filtered_and_sorted(db: Path, tmp_path: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3", "slash", *"gdp", "enter")
        await pilot.pause()
        t = table(app)
        await to_column(pilot, t, "value")
        await pilot.press("right_square_bracket", "e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.last_export is not None
        assert any(str(app.last_export) in str(n.message) for n in app._notifications)
        matched.append(t.matched)

    matched: list[int] = []
    app = drive(db, steps, export_dir=tmp_path)
    path = app.last_export
    assert path is not None and path.parent == tmp_path and path.suffix == ".csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Park 园区", "Metric 指标", "Value"]
    assert len(body) == matched[0] > 0 and all("亿元" in r[2] for r in body)
    values = [float(r[2].split()[-2].replace(",", "")) for r in body]
    assert values == sorted(values, reverse=True)


def test_y_copies_the_cell_and_Y_the_row(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        t = table(app)
        row = t.current_row
        await pilot.press("y")
        assert app.clipboard == row["park"]
        await pilot.press("Y")
        assert app.clipboard.split("\t")[0] == row["park"] and row["province"] in app.clipboard.split("\t")

    drive(db, steps)


def test_question_mark_lists_every_declared_key(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        listed = {what for _, keys in app.screen.sections for _, what in keys}
        for b in ViewTable.BINDINGS + ParksApp.BINDINGS + ArticleText.BINDINGS + MetricsPane.BINDINGS:
            if b.show and not b.key.isdigit():  # type: ignore[union-attr]
                assert (b.tooltip or b.description) in listed, b  # type: ignore[union-attr]
        for key in ("1 … 5", "ctrl+p", "[", "]", "space", "esc", "Sort by the column under the cursor"):
            assert key in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

    drive(db, steps, size=(120, 60))


def test_command_palette_lists_actions_with_their_keys_and_runs_them(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for title, key in [("Sort ▼", "key ]"), ("Sort ▲", "key ["), ("Compare", "key c"), ("Export", "key e"),
                           ("Keys", "key ?"), ("Quit", "key q"), ("Filter", "key /"), ("Mark", "key space")]:
            assert title in commands and commands[title].startswith(key), (title, commands.get(title))
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Industries")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.tabs.active == "industries"

    drive(db, steps)


def test_q_quits(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("q")
        await pilot.pause()

    app = drive(db, steps)
    assert app.return_code == 0 and not app.is_running


# ------------------------------------------------------------------------------------ quality


def test_markup_like_article_text_is_shown_as_written(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("5", "slash", *"不是标记", "enter")
        await pilot.pause()
        assert MARKUP_TITLES[1] in screen_text(app)
        await pilot.press("slash", "ctrl+u", *"[/亿元]", "enter")  # markup in the filter is just text too
        await pilot.pause()
        assert table(app).matched == 1 and MARKUP_TITLES[0] in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        text = screen_text(app)
        assert text.count(MARKUP_TITLES[0]) >= 2  # the header and the article text
        await pilot.press("y")
        assert app.clipboard  # copying the quote works on such text

    drive(db, steps)


def test_control_characters_in_text_cannot_reach_the_terminal(tmp_path: Path) -> None:
    path = build(tmp_path / "ctl.duckdb", articles=3, markup=False)
    con = connect(path)
    con.execute("UPDATE articles SET title = 'evil\x1b[31mred\x07' WHERE article_id = 1")
    con.close()

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("5")
        await pilot.pause()
        text = screen_text(app)
        assert "\x1b[31m" not in text and "evil␛[31mred␇" in text

    drive(path, steps)


def test_narrow_terminal_fits_every_tab_without_splitting_characters(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        for key in "12345":
            await pilot.press(key)
            await pilot.pause()
            t = app.pane().table
            assert t.virtual_size.width <= t.size.width, (key, t.virtual_size, t.size)
            for line in screen_text(app).splitlines():
                assert "\ufffd" not in line

    drive(db, steps, size=(80, 24))


def test_wider_terminal_shows_more_columns(db: Path) -> None:
    widths = {}

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        await pilot.pause()
        widths[app.size.width] = [c.key for c in app.pane().table.shown]

    drive(db, steps, size=(80, 24))
    drive(db, steps, size=(180, 24))
    assert set(widths[80]) < set(widths[180]) and "quote" in widths[180]


def test_paging_fetches_more_rows_as_the_cursor_nears_the_end(tmp_path: Path) -> None:
    path = build(tmp_path / "big.duckdb", articles=250, markup=False)  # 750 figures

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3")
        await pilot.pause()
        t = table(app)
        assert t.matched == 750 and len(t.data) == FIRST
        await to_column(pilot, t, "value")
        await pilot.press("right_square_bracket")  # many equal values would break OFFSET paging without a tie-break
        for _ in range(8):
            await pilot.press("end")
            await pilot.pause()
        assert len(t.data) == t.matched == 750
        ids = [r["figure_id"] for r in t.data]
        assert len(set(ids)) == 750
        values = [r["value"] for r in t.data]
        assert values == sorted(values, reverse=True)
        assert t.row_count == 750

    drive(path, steps)


def test_paging_keeps_equal_sort_values_in_a_stable_order(tmp_path: Path) -> None:
    path = build(tmp_path / "ties.duckdb", articles=250, markup=False)
    con = connect(path, read_only=True)
    try:
        q = details.figures_tab()
        ids = []
        for offset in range(0, 800, 100):
            page = queries.run(con, q, sort="status", limit=100, offset=offset)
            ids += [dict(zip(page.columns, r, strict=True))["figure_id"] for r in page.rows]
    finally:
        con.close()
    assert len(ids) == len(set(ids)) == 750


def test_r_reloads_after_the_database_changed(tmp_path: Path) -> None:
    path = build(tmp_path / "grow.duckdb", articles=8, markup=False)

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("5")
        await pilot.pause()
        assert app.pane().table.matched == 8
        app.source.close()  # what the idle timer does; a writer can now take the file
        con = connect(path)
        con.execute("INSERT INTO documents (doc_id, path, name) VALUES (99, '/x.txt', 'x.txt')")
        con.execute("INSERT INTO articles (article_id, doc_id, seq, title, text, norm, chars, park)"
                    " VALUES (99, 99, 0, '新的文章', '新的文章', '新的文章', 4, '中关村')")
        con.execute("CHECKPOINT")
        con.close()
        os.utime(path, None)
        app._check_changed()
        await pilot.pause()
        assert any("changed on disk" in str(n.message) for n in app._notifications)
        await pilot.press("r")
        await pilot.pause()
        assert app.pane().table.matched == 9 and app.pane().table.total == 9
        assert "新的文章" in screen_text(app)

    drive(path, steps)


def test_connection_is_released_when_idle(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        assert app.source.is_open
        app.source.idle_seconds = 0.0
        await pilot.pause(1.3)
        assert not app.source.is_open
        await pilot.press("2")  # reopens on demand
        await pilot.pause()
        assert app.pane().table.matched > 0

    drive(db, steps)


def test_a_database_locked_by_a_writer_gives_one_clear_notice(tmp_path: Path) -> None:
    path = build(tmp_path / "locked.duckdb", articles=4, markup=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"

        async def steps(app, pilot):  # type: ignore[no-untyped-def]
            await pilot.press("2", "1", "3")
            await pilot.pause()
            errors = [n for n in app._notifications if n.severity == "error"]
            assert len(errors) == 1 and "in use" in str(errors[0].message)
            assert "press r" in str(app.query_one("#status").render()).lower()
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(10)
            await pilot.press("r")
            await pilot.pause()
            assert app.pane().table.matched == 12

        drive(path, steps)
    finally:
        if holder.poll() is None:
            holder.kill()


def test_search_without_a_search_function_degrades_gracefully(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from parks.store import search as search_module

    monkeypatch.delattr(search_module, "search", raising=False)

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("4", "slash", *"光伏", "enter")
        await pilot.pause()
        assert "not available" in str(app.query_one("#status").render())
        assert app.pane().table.matched == 0

    drive(db, steps)


class FakeHit:
    def __init__(self, rank: int, article_id: int, title: str, snippet: str, marks: list[tuple[int, int]]) -> None:
        self.rank, self.score, self.article_id, self.title = rank, 1.0 / rank, article_id, title
        self.date, self.park, self.source, self.snippet, self.marks = None, "中关村", "x.txt", snippet, marks


def test_search_shows_ranked_hits_with_marks_and_opens_the_article(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from parks.store import search as search_module

    calls = []

    def fake_search(con, query, *, park=(), industry=(), year=(), limit=20):  # type: ignore[no-untyped-def]
        calls.append((query, limit))
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 40
        return [FakeHit(1, 2, MARKUP_TITLES[1], "…园区[red]光伏装机…", [(6, 8)]), FakeHit(2, 3, "第二", "光伏", [(0, 2)])]

    monkeypatch.setattr(search_module, "search", fake_search, raising=False)

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("4", "slash", *"光伏", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        t = app.pane().table
        assert calls and calls[0][0] == "光伏"
        assert [r["rank"] for r in t.data] == [1, 2]
        snippet = next(i for i, c in enumerate(t.shown) if c.key == "snippet")
        cell = t.get_cell_at((0, snippet))
        assert cell.plain == "…园区[red]光伏装机…"
        assert [(s.start, s.end) for s in cell.spans if s.style] == [(6, 8)]
        assert "…园区[red]光伏装机…" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen) and app.screen.doc.article_id == 2

    drive(db, steps)


def test_theme_change_keeps_everything_readable(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("3", "enter")
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
        assert "Figure" in screen_text(app)

    drive(db, steps)


# ------------------------------------------------------------------------------------ pure helpers


def test_wrap_measures_cells_and_keeps_offsets() -> None:
    text = "园区光伏装机容量达到120兆瓦，同比增长12%。\n\nGDP grew quickly in 2023 and beyond."
    lines = wrap(text, 10)
    assert "".join(text[s:e] for s, e in lines).replace("\n", "") == text.replace("\n", "")
    from rich.cells import cell_len

    assert all(cell_len(text[s:e]) <= 10 for s, e in lines)
    assert not any(text[s:e].startswith(("，", "。")) for s, e in lines)
    assert "quickly" in [w for s, e in lines for w in text[s:e].split()]  # latin words stay whole


def test_number_and_quantity_formats() -> None:
    assert number(1200.0) == "1,200" and number(3.5) == "3.5" and number(0.12345) == "0.1235"
    assert number(None) == "" and number(float("nan")) == ""
    assert quantity(120, None, "MW", ">=") == "≥ 120 MW"
    assert quantity(3, 5, "亿元", "~") == "约 3–5 亿元"
    assert quantity(12.5, None, "%", "=") == "12.5%"


def test_fit_never_splits_a_wide_character() -> None:
    from rich.cells import cell_len

    for width in range(1, 12):
        out = fit("天津滨海高新区管委会", width)
        assert cell_len(out) <= width and "\ufffd" not in out


def test_bar_text_lengths() -> None:
    assert bar_text(1.0, 10) == "█" * 10
    assert bar_text(0.0, 10) == ""
    assert len(bar_text(0.55, 10)) == 6


def test_other_tabs_are_fetched_ahead_after_the_first_paint(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from parks.store import search as search_module

    loads: list[int] = []
    monkeypatch.setattr(search_module, "preload", lambda: loads.append(1), raising=False)

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await app.workers.wait_for_complete()
        await pilot.pause()
        for tab in ("industries", "metrics", "articles"):
            pane = app.pane(tab)
            assert not pane.stale and not pane.prefetching and pane.table.row_count > 0, tab
        assert app.pane("metrics").choices  # the metric picker is filled too
        assert not loads  # jieba waits for the Search tab
        await pilot.press("5")
        await pilot.pause()
        assert "of 40 articles" in str(app.query_one("#status").render())
        await pilot.press("4")
        await app.workers.wait_for_complete()
        assert loads == [1]

    drive(db, steps, preload=True)


def test_a_filter_typed_while_a_tab_is_fetched_ahead_wins(db: Path) -> None:
    con = connect(db, read_only=True)
    try:
        expected = queries.count(con, details.articles_tab("中关村"))
    finally:
        con.close()

    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("5", "slash", *"中关村", "enter")  # possibly before the worker is done
        await app.workers.wait_for_complete()
        await pilot.pause()
        t = app.pane().table
        assert t.filter_text == "中关村" and t.matched == expected == len(t.data)
        assert 0 < expected < 40 and any("中关村" not in r["title"] for r in t.data)  # found by a park mentioned

    drive(db, steps, preload=True)


def test_marking_a_park_on_a_detail_page_shows_on_the_tabs(db: Path) -> None:
    async def steps(app, pilot):  # type: ignore[no-untyped-def]
        await pilot.press("2", "enter")
        await pilot.pause()
        assert isinstance(app.screen, IndustryScreen)
        park = app.focused.current_row["park"]
        await pilot.press("space")
        assert list(app.marked) == [park]
        await pilot.press("escape", "1")
        await pilot.pause()
        assert "1 marked" in str(app.query_one("#status").render())
        t = app.pane().table
        index = next(i for i, r in enumerate(t.data) if r["park"] == park)
        assert t.get_cell_at((index, 0)).plain == "●"

    drive(db, steps)
