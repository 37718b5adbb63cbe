"""A DataTable that pages through a DuckDB query: sorted and filtered in the database, shown in windows.

Only the rows near the cursor are fetched (`FIRST`, then `PAGE` more as the cursor nears the end), so
a view of 100,000 figures opens as fast as a view of 100. Every cell is a `Text` (never markup),
and column widths are measured in terminal cells and fitted to the space available.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from parks.store.db import StoreError

from .format import day, number, plain
from .source import Source

Row = dict[str, Any]
FIRST = 120  # rows fetched when a view opens, sorts or filters: a few screens, drawn at once
PAGE = 300  # rows fetched each time the cursor nears the end of what is loaded
MARK = "●"


@dataclass(frozen=True, slots=True)
class Col:
    """A column as shown: where its value comes from, how wide it may be, how it sorts."""

    key: str
    label: str
    min: int = 4
    max: int = 24
    flex: int = 0  # > 0: takes a share of spare width and gives width back first when space is short
    numeric: bool = False
    render: Callable[[Row], str | Text] | None = None
    sort: str | None = None  # the result column to sort by; defaults to `key`; "" = not sortable
    group: bool = False  # repeated values (under the default sort) are left blank, so groups read as one
    drop: int = 0  # > 0: left out when the columns do not fit, highest first

    @property
    def sort_key(self) -> str:
        return self.key if self.sort is None else self.sort


class Rows(Protocol):
    """Where a table's rows come from: a DuckDB query (paged) or a list in memory."""

    def count(self, source: Source) -> int: ...
    def total(self, source: Source) -> int: ...
    def fetch(self, source: Source, sort: str, desc: bool, offset: int, limit: int,
              columns: Sequence[str] = ()) -> list[Row]: ...
    def first(self, source: Source, sort: str, desc: bool, limit: int,
              columns: Sequence[str] = ()) -> tuple[int, list[Row]]: ...


class ListRows:
    """Rows already in memory (detail pages, search hits); sorted in Python."""

    def __init__(self, rows: Sequence[Row], total: int | None = None) -> None:
        self.rows = list(rows)
        self._total = len(self.rows) if total is None else total

    def count(self, source: Source) -> int:
        return len(self.rows)

    def total(self, source: Source) -> int:
        return self._total

    def first(self, source: Source, sort: str, desc: bool, limit: int,
              columns: Sequence[str] = ()) -> tuple[int, list[Row]]:
        return len(self.rows), self.fetch(source, sort, desc, 0, limit, columns)

    def fetch(self, source: Source, sort: str, desc: bool, offset: int, limit: int,
              columns: Sequence[str] = ()) -> list[Row]:
        rows = self.rows
        if sort:
            present = [r for r in rows if r.get(sort) not in (None, "")]
            missing = [r for r in rows if r.get(sort) in (None, "")]
            if all(isinstance(r[sort], str) for r in present):
                order = pinyin_order([r[sort] for r in present])
                present = [present[i] for i in order]
                if desc:
                    present.reverse()
            else:
                try:
                    present = sorted(present, key=lambda r: r[sort], reverse=desc)
                except TypeError:
                    present = sorted(present, key=lambda r: str(r[sort]), reverse=desc)
            rows = present + missing
        return rows[offset: offset + limit]


def pinyin_order(strings: list[str]) -> list[int]:
    """Indexes of `strings` in Chinese (pinyin) order, by the same ICU collation the store sorts with."""
    if len(strings) < 2:
        return list(range(len(strings)))
    import duckdb

    rows = duckdb.execute(
        "SELECT i - 1 FROM (SELECT unnest($1) AS s, generate_subscripts($1, 1) AS i) ORDER BY s COLLATE zh, i",
        [strings]).fetchall()
    return [r[0] for r in rows]


KeysFor = Callable[[Any, str], Any]  # (connection, sort) -> store.keyed.Keys, or None for a sort it cannot do


class QueryRows:
    """Rows of a store query, counted, sorted and paged inside DuckDB.

    `ranked` columns are sorted by the pinyin rank of their distinct values (see `details.page`);
    with `snapshot` = (name, source query) the query runs on an in-memory copy of that view. A large
    view gives `keys` (its matching keys and sort values, see `store.keyed`) and `all_keys` (the same
    unfiltered): a page is then found by key and its rows read from `unfiltered` by key.
    """

    def __init__(self, build: Callable[[], Any], unfiltered: Callable[[], Any], *, key: str = "",
                 fields: Sequence[str] = (), ranked: Sequence[str] = (),
                 snapshot: tuple[str, Callable[[], Any]] | None = None,
                 keys: KeysFor | None = None, all_keys: KeysFor | None = None) -> None:
        self.build = build
        self.key = key
        self.fields = list(fields)  # always read (ids to open a row, what renderers use)
        self.unfiltered = unfiltered
        self.ranked = set(ranked)
        self.snapshot = snapshot
        self.keys = keys
        self.all_keys = all_keys or keys
        self._total: int | None = None

    def _run(self, source: Source, fn: Callable[[Any], Any]) -> Any:
        if self.snapshot is None:
            return source.run(fn)
        from parks.store.details import snapshot

        name, make = self.snapshot
        return source.run_memory(name, lambda con, mem: snapshot(con, mem, name, make()), fn)

    def known_total(self, total: int) -> None:
        self._total = total

    def count(self, source: Source) -> int:
        from parks.store import keyed
        from parks.store.queries import count

        if self.keys is not None:
            return self._run(source, lambda con: keyed.count(con, self.keys(con, "")))  # type: ignore[misc]
        return self._run(source, lambda con: count(con, self.build()))

    def total(self, source: Source) -> int:
        from parks.store import keyed
        from parks.store.queries import count

        if self._total is None:
            if self.all_keys is not None:
                self._total = self._run(source, lambda con: keyed.count(con, self.all_keys(con, "")))  # type: ignore[misc]
            else:
                self._total = self._run(source, lambda con: count(con, self.unfiltered()))
        return self._total

    def _wanted(self, columns: Sequence[str]) -> list[str]:
        return list(dict.fromkeys([*self.fields, *columns])) if columns and self.fields else []

    def _keyed(self, con: Any, sort: str, desc: bool, offset: int, limit: int, columns: Sequence[str],
               with_count: bool) -> tuple[int | None, list[Row]] | None:
        """(matched when `with_count`, the page) found by key; None when the keys cannot sort by `sort`."""
        from parks.store import keyed

        keys = self.keys(con, sort) if self.keys is not None else None
        if keys is None:
            return None
        matched, ids = keyed.key_page(con, keys, desc=desc, offset=offset, limit=limit, with_count=with_count)
        return matched, keyed.rows_by_key(con, self.unfiltered(), self.key, ids, self._wanted(columns))

    def _page(self, con: Any, sort: str, desc: bool, offset: int, limit: int, columns: Sequence[str]) -> list[Row]:
        from parks.store.details import page

        found = self._keyed(con, sort, desc, offset, limit, columns, with_count=False)
        if found is not None:
            return found[1]
        return page(con, self.build(), sort=sort, desc=desc, limit=limit, offset=offset,
                    ranked=sort in self.ranked, key=self.key, columns=self._wanted(columns))

    def fetch(self, source: Source, sort: str, desc: bool, offset: int, limit: int,
              columns: Sequence[str] = ()) -> list[Row]:
        """A page; with `columns` (and fields) only those are read, else every column."""
        return self._run(source, lambda con: self._page(con, sort, desc, offset, limit, columns))

    def first(self, source: Source, sort: str, desc: bool, limit: int,
              columns: Sequence[str] = ()) -> tuple[int, list[Row]]:
        """How many rows match and the first page, in one go (a filter is worked out once)."""
        from parks.store.queries import count

        def go(con: Any) -> tuple[int, list[Row]]:
            found = self._keyed(con, sort, desc, 0, limit, columns, with_count=True)
            if found is not None and found[0] is not None:
                return found[0], found[1]
            return count(con, self.build()), self._page(con, sort, desc, 0, limit, columns)

        return self._run(source, go)


class ViewTable(DataTable):
    """A sortable, paged, markable table of one view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the detail of the row (a figure opens its article)"),
        Binding("left_square_bracket", "sort(False)", "Sort ▲", key_display="[",
                tooltip="Sort by the column under the cursor, ascending"),
        Binding("right_square_bracket", "sort(True)", "Sort ▼", key_display="]",
                tooltip="Sort by the column under the cursor, descending"),
        Binding("space", "mark", "Mark", tooltip="Mark or unmark the row's park for comparison"),
        Binding("y", "copy_cell", "Copy cell", show=False, tooltip="Copy the cell under the cursor"),
        Binding("Y", "copy_row", "Copy row", show=False, tooltip="Copy the whole row, tab-separated"),
        Binding("e", "export", "Export", tooltip="Export the view as filtered and sorted to CSV"),
        Binding("home,g", "scroll_top", "First row", show=False, tooltip="Go to the first row"),
        Binding("end,G", "scroll_bottom", "Last row", show=False,
                tooltip="Go to the last loaded row (the next rows load as you arrive)"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"view--cursor-row", "view--mark", "view--dim", "view--hit",
                                             "view--conflict"}

    class Changed(Message):
        """What is shown changed: rows, filter or sort (for the status line)."""

        def __init__(self, table: ViewTable) -> None:
            super().__init__()
            self.table = table

    class Opened(Message):
        def __init__(self, table: ViewTable, row: Row, column: str) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.column = column

    def __init__(self, columns: Sequence[Col], *, noun: str, rows: Rows | None = None, sort: str = "",
                 desc: bool = False, mark_key: str = "", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="cell", zebra_stripes=False,
                         cursor_foreground_priority="renderable")
        self.cols = list(columns)
        self.noun = noun
        self.rows_source: Rows | None = rows
        self.default_sort = (sort, desc)
        self.sort_key, self.sort_desc = sort, desc
        self.mark_key = mark_key
        self.filter_text = ""
        self.filter_label = "filter"
        self.data: list[Row] = []
        self.matched = 0
        self.total = 0
        self.loaded = False
        self.problem = ""
        self._widths: list[int] = []
        self.shown: list[Col] = list(self.cols)
        self._cells: dict[tuple[int, str], Text] = {}  # rendered once per load, measured and drawn from here
        self._prefetch_columns: list[str] = []

    # ----------------------------------------------------------------- data

    @property
    def source(self) -> Source:
        return self.app.source  # type: ignore[attr-defined]

    def set_rows(self, rows: Rows, filter_text: str = "") -> bool:
        """Show `rows` from the top; False when the database could not be read."""
        self.rows_source = rows
        self.filter_text = filter_text
        return self.reload()

    def reload(self, keep_cursor: bool = False, recount: bool = True) -> bool:
        """Count and fetch the first page again (after a filter, sort or database change)."""
        if self.rows_source is None:
            return False
        cursor = self.cursor_coordinate
        want = max(FIRST, cursor.row + 1) if keep_cursor else FIRST
        try:
            if recount or not self.loaded:
                self.matched, data = self.rows_source.first(self.source, self.sort_key, self.sort_desc, want,
                                                            self._columns())
                self.total = self.rows_source.total(self.source)
            else:
                data = self.rows_source.fetch(self.source, self.sort_key, self.sort_desc, 0, want, self._columns())
        except StoreError as exc:
            self.problem = str(exc)
            self.app.report_problem(exc)  # type: ignore[attr-defined]
            self.changed()
            return False
        self.show(data, keep_cursor=keep_cursor, cursor=cursor)
        return True

    def show(self, data: list[Row], *, matched: int | None = None, total: int | None = None,
             keep_cursor: bool = False, cursor: Coordinate | None = None) -> None:
        """Put rows already fetched (by `reload`, or ahead of time in a worker) on screen."""
        cursor = cursor or self.cursor_coordinate
        if matched is not None:
            self.matched = matched
        if total is not None:
            self.total = total
        self.problem = ""
        self.data = data
        self._cells = {}
        self.loaded = True
        self._rebuild(Coordinate(cursor.row if keep_cursor else 0, cursor.column))
        self.changed()

    def prefetch(self) -> tuple[int, int, list[Row]]:
        """(matched, total, first page) as `reload` would fetch them; safe to call from a worker."""
        assert self.rows_source is not None
        source, rows = self.source, self.rows_source
        matched, data = rows.first(source, self.sort_key, self.sort_desc, FIRST, self._prefetch_columns)
        return matched, rows.total(source), data

    def _columns(self) -> list[str]:
        """What a page must hold: the columns that could fit at this width (long texts often do not)."""
        return [c.key for c in self._fit(sample=[])[0]]

    def prepare_prefetch(self) -> None:
        """Decide on the main thread what a prefetch in a worker will read."""
        self._prefetch_columns = self._columns()

    def changed(self) -> None:
        """Tell the status line. Posted from the table's own queue: a message built while a parent
        handles an event counts that parent as its sender and would stop bubbling there."""
        self.call_later(lambda: self.post_message(self.Changed(self)))

    def _more(self) -> None:
        """Fetch the next page when the cursor nears the end of what is loaded."""
        if self.rows_source is None or len(self.data) >= self.matched:
            return
        try:
            rows = self.rows_source.fetch(self.source, self.sort_key, self.sort_desc, len(self.data), PAGE,
                                          self._columns())
        except StoreError as exc:
            self.app.report_problem(exc)  # type: ignore[attr-defined]
            return
        if not rows:
            self.matched = len(self.data)
            return
        start = len(self.data)
        self.data.extend(rows)
        self._add_rows(start)
        self.changed()

    # ----------------------------------------------------------------- drawing

    def _cell(self, col: Col, index: int) -> Text:
        key = (index, col.key)
        text = self._cells.get(key)
        if text is None:
            text = self._cells[key] = self._render_cell_text(col, self.data[index], index)
        return text

    def _render_cell_text(self, col: Col, row: Row, index: int) -> Text:
        value = col.render(row) if col.render else row.get(col.key)
        if col.group and index > 0 and (self.sort_key, self.sort_desc) == self.default_sort:
            prev = self.data[index - 1]
            if prev.get(col.key) == row.get(col.key):
                return Text("")
        text = value if isinstance(value, Text) else plain(_shown(value))
        text.no_wrap = True
        text.overflow = "ellipsis"
        if col.numeric:
            text.justify = "right"
        return text

    def _mark_cell(self, row: Row) -> Text:
        if self.mark_key and row.get(self.mark_key) in self.app.marked:  # type: ignore[attr-defined]
            return Text(MARK, style=self.get_component_rich_style("view--mark", partial=True))
        return Text(" ")

    def _available(self) -> int:
        """Cells for the columns. A table on a tab not shown yet has no size: it will be as wide as the
        one on view (same layout), so it is fitted once, not again when it appears."""
        width = self.size.width
        if not width and self.is_attached:
            width = next((t.size.width for t in self.screen.query(ViewTable) if t.size.width), 0)
        return (width or self.app.size.width) - 1  # a thin scrollbar

    def _fit(self, sample: list[Row] | None = None) -> tuple[list[Col], list[int]]:
        """Columns that fit and their widths in cells: optional columns go first, then flex columns shrink.

        With `sample` = [] it is the most that could fit (every column at its header's width)."""
        available = self._available()
        sample = self.data[:PAGE] if sample is None else sample
        natural: dict[str, int] = {}
        for col in self.cols:
            w = cell_len(col.label) + 2
            for i in range(len(sample)):
                w = max(w, self._cell(col, i).cell_len)
            natural[col.key] = max(col.min, w)
        extra = 1 if self.mark_key else 0

        def padding(cols: list[Col]) -> int:
            return 2 * self.cell_padding * (len(cols) + extra) + extra

        def comfortable(cols: list[Col]) -> int:
            """Room for fixed columns at their natural width and flex columns at a third of theirs."""
            return padding(cols) + sum(max(c.min, min(natural[c.key], c.max) // 3) if c.flex
                                       else min(natural[c.key], c.max) for c in cols)

        shown = list(self.cols)
        for col in sorted((c for c in self.cols if c.drop), key=lambda c: -c.drop):
            if comfortable(shown) <= available:
                break
            shown.remove(col)
        widths = [min(natural[c.key], c.max) for c in shown]
        flex = [i for i, c in enumerate(shown) if c.flex]
        spare = available - padding(shown) - sum(widths)
        for group in (flex, [i for i, c in enumerate(shown) if not c.flex]):
            # shrink flex columns first, then the others, a cell at a time and in proportion
            while spare < 0 and group:
                i = max(group, key=lambda j: ((widths[j] - shown[j].min) / (shown[j].flex or 1), -j))
                if widths[i] <= shown[i].min:
                    break
                widths[i] -= 1
                spare += 1
        for i in flex:  # grow flex columns whose content is longer than their cap
            grow = min(spare, natural[shown[i].key] - widths[i])
            if grow > 0:
                widths[i] += grow
                spare -= grow
        return shown, widths

    def _header(self, col: Col) -> Text:
        arrow = ""
        if col.sort_key and col.sort_key == self.sort_key:
            arrow = " ▼" if self.sort_desc else " ▲"
        return Text(col.label + arrow, justify="right" if col.numeric else "left", no_wrap=True,
                    overflow="ellipsis")

    def _rebuild(self, cursor: Coordinate | None = None) -> None:
        cursor = cursor or self.cursor_coordinate
        scroll_x = self.scroll_x
        self.clear(columns=True)
        self.shown, self._widths = self._fit()
        if self.mark_key:
            self.add_column(Text(" "), width=1, key="__mark")
        for col, width in zip(self.shown, self._widths, strict=True):
            self.add_column(self._header(col), width=width, key=col.key)
        self._add_rows(0)
        if self.data:
            row = min(cursor.row, len(self.data) - 1)
            column = max(min(cursor.column, len(self.columns) - 1), 1 if self.mark_key else 0)
            self.move_cursor(row=row, column=column, animate=False, scroll=True)
            if cursor.row == 0:
                self.scroll_to(x=scroll_x, y=0, animate=False)

    def _add_rows(self, start: int) -> None:
        rows = []
        widths = self._widths
        for i in range(start, len(self.data)):
            row = self.data[i]
            cells = [clip(self._cell(c, i), w) for c, w in zip(self.shown, widths, strict=True)]
            if self.mark_key:
                cells.insert(0, self._mark_cell(row))
            rows.append(cells)
        self.add_rows(rows)

    def refresh_marks(self) -> None:
        if not self.mark_key or not self.data:
            return
        for i, row in enumerate(self.data):
            self.update_cell_at(Coordinate(i, 0), self._mark_cell(row))

    def restyle(self) -> None:
        """Redraw cells after a theme change (highlight styles come from the theme)."""
        if self.loaded:
            self._rebuild()

    def on_resize(self, event: events.Resize) -> None:
        if not self.loaded:
            return
        fit = self._fit()
        if self.data and any(c.key not in self.data[0] for c in fit[0]):
            self.reload(keep_cursor=True)  # wider: a column that was not read now fits
        elif fit != (self.shown, self._widths):
            self._rebuild()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> list[list[Segment]]:
        """A body cell drawn straight into segments: what DataTable gets from Rich's render_lines (the
        cell padded, justified and styled), about ten times cheaper. Every sort, filter or focus change
        redraws the visible cells, so this is most of the time a key takes on screen. Anything but a
        one-line Text that fits goes the general way."""
        if row_index < max(self.fixed_rows, 0) or column_index < max(self.fixed_columns, 0):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        key = (row_key, self._column_locations.get_key(column_index), base_style, cursor, hover,
               self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        cells = self._get_row_renderables(row_index).cells
        cell = cells[column_index] if column_index < len(cells) else None
        inner = width - 2 * self.cell_padding
        line = _fitted(cell, inner, self.app.console_options.justify) if row_key in self.rows else None
        if line is None or self.rows[row_key].height != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component, post = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        pre = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component
        console = self.app.console
        padding = " " * self.cell_padding
        segments = [Segment(padding, None)] if padding else []
        if line.spans:
            segments += line.render(console)
        elif line.plain:
            segments.append(Segment(line.plain, console.get_style(line.style, default=Style.null())
                                    if line.style else None))
        if inner > line.cell_len:
            segments.append(Segment(" " * (inner - line.cell_len), None))
        if padding:
            segments.append(Segment(padding, None))
        lines = [list(Segment.apply_style(segments, pre, post or None))]
        self._cell_render_cache[key] = lines
        return lines

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        style = super()._get_row_style(row_index, base_style)
        if row_index >= 0 and row_index == self.cursor_row and self.has_focus:
            style += self.get_component_rich_style("view--cursor-row")
        return style

    # ----------------------------------------------------------------- the cursor

    @property
    def current_row(self) -> Row | None:
        if 0 <= self.cursor_row < len(self.data):
            return self.data[self.cursor_row]
        return None

    @property
    def current_col(self) -> Col | None:
        index = self.cursor_column - (1 if self.mark_key else 0)
        if 0 <= index < len(self.shown):
            return self.shown[index]
        return None

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        if self.mark_key and new.column == 0 and len(self.columns) > 1:  # the mark column is not a stop
            self.cursor_coordinate = Coordinate(new.row, 1)
            return
        super().watch_cursor_coordinate(old, new)
        if new.row >= len(self.data) - FIRST // 3:
            self._more()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.data and new >= self.max_scroll_y - 5 and len(self.data) < self.matched:
            self._more()

    # ----------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark":
            return bool(self.mark_key)
        return True

    def on_focus(self) -> None:
        self.show_cursor = True

    def on_blur(self) -> None:
        self.show_cursor = False

    def action_open(self) -> None:
        row, col = self.current_row, self.current_col
        if row is not None:
            self.post_message(self.Opened(self, row, col.key if col else ""))

    def action_sort(self, desc: bool) -> None:
        col = self.current_col
        if col is None or not col.sort_key:
            self.app.bell()
            return
        self.sort_by(col.sort_key, desc)

    def sort_by(self, key: str, desc: bool) -> None:
        self.sort_key, self.sort_desc = key, desc
        column = self.cursor_column
        if self.reload(recount=False):
            self.move_cursor(row=0, column=column, animate=False)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        col = next((c for c in self.cols if c.key == event.column_key.value), None)
        if col is None or not col.sort_key:
            return
        desc = not self.sort_desc if col.sort_key == self.sort_key else col.numeric
        self.move_cursor(column=event.column_index, animate=False)
        self.sort_by(col.sort_key, desc)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        """A mouse click on the cursor cell opens it, like Enter."""
        event.stop()
        self.action_open()

    def action_mark(self) -> None:
        row = self.current_row
        if not self.mark_key or row is None or not row.get(self.mark_key):
            self.app.bell()
            return
        self.app.toggle_mark(str(row[self.mark_key]))  # type: ignore[attr-defined]

    def action_copy_cell(self) -> None:
        row, col = self.current_row, self.current_col
        if row is None or col is None:
            return
        self._copy(self._render_cell_text(col, row, 0).plain if col.render else _shown(row.get(col.key)))

    def action_copy_row(self) -> None:
        row = self.current_row
        if row is None:
            return
        self._copy("\t".join(self._render_cell_text(c, row, 0).plain for c in self.shown))

    def _copy(self, text: str) -> None:
        self.app.copy_to_clipboard(text)
        self.app.notify(text if len(text) < 60 else text[:59] + "…", title="Copied", markup=False, timeout=2)

    def action_export(self) -> None:
        self.app.export(self)  # type: ignore[attr-defined]

    # ----------------------------------------------------------------- status

    def status(self) -> Text:
        """`Showing 1,240 of 98,311 figures · filter “光伏” · sorted by value ▼`"""
        if self.problem:
            return Text(self.problem + " — press r to retry", style="bold")
        out = Text(f"Showing {self.matched:,} of {self.total:,} {self.noun}")
        if len(self.data) < self.matched:
            out.append(f" ({len(self.data):,} loaded)", style="dim")
        if self.filter_text:
            out.append(f" · {self.filter_label} “")
            out.append(plain(self.filter_text))
            out.append("”")
        if self.sort_key:
            label = next((c.label for c in self.cols if c.sort_key == self.sort_key), self.sort_key)
            out.append(f" · sorted by {label} {'▼' if self.sort_desc else '▲'}")
        return out


def _fitted(cell: object, width: int, justify: str | None) -> Text | None:
    """`cell` justified in `width` cells as Rich's Text.wrap leaves a line that fits (padding added
    by left, right and centre justification carries the text's own style); None when it does not fit
    in one line (then Rich does the work)."""
    if not isinstance(cell, Text) or width < 1 or cell.cell_len > width or "\n" in cell.plain or "\t" in cell.plain:
        return None
    how = cell.justify or justify or "default"
    if how in ("default", "full"):
        return cell
    line = cell.copy()
    if how == "left":
        line.truncate(width, overflow=cell.overflow or "fold", pad=True)
    elif how == "right":
        line.rstrip()
        line.pad_left(width - line.cell_len)
    elif how == "center":
        line.rstrip()
        line.pad_left((width - line.cell_len) // 2)
        line.pad_right(width - line.cell_len)
    else:
        return None
    return line


def clip(text: Text, width: int) -> Text:
    """`text` cut to `width` cells with the ellipsis right after the last whole character."""
    if text.cell_len <= width or width < 2:
        return text
    used = 0
    for i, ch in enumerate(text.plain):
        w = cell_len(ch)
        if used + w > width - 1:
            out = text[:i]
            out.append("…")
            return out
        used += w
    return text


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value)
    if hasattr(value, "isoformat"):
        return day(value)
    return str(value)
