"""An article as written, its figures highlighted where they stand; provenance is one key away.

The text is wrapped here (by terminal cells, never halving a wide character) rather than by a
generic widget, so that the line holding any character offset is known: opening a figure scrolls
straight to the sentence it came from.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Static

from parks.output import printable
from parks.store.details import ArticleDoc, FigureRow

from .format import day, plain, quantity

_SENTENCE_END = "。！？!?；;\n"
_NO_LINE_START = "，。、；：？！）》」』”’,.;:?!)"


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) offsets of each screen line: paragraphs split at newlines, lines at `width` cells.

    Latin words stay whole when they fit on a line; CJK breaks anywhere except before closing
    punctuation, which stays at the end of the line before it.
    """
    width = max(2, width)
    lines: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        start, used, i, n = pos, 0, pos, pos + len(para)
        last_space = -1
        while i < n:
            ch = text[i]
            w = cell_len(ch)
            if used + w > width and i > start:
                brk = i
                if ch in _NO_LINE_START and i - 1 > start:
                    brk = i - 1
                elif ch.isascii() and ch.isalnum() and last_space > start:
                    brk = last_space + 1
                lines.append((start, brk))
                start, i, used, last_space = brk, brk, 0, -1
                continue
            if ch == " ":
                last_space = i
            used += w
            i += 1
        lines.append((start, n))
        pos = n + 1
    return lines


def sentence_start(text: str, offset: int) -> int:
    i = min(max(0, offset), len(text))
    while i > 0 and text[i - 1] not in _SENTENCE_END:
        i -= 1
    return i


class ArticleText(ScrollView, can_focus=True):
    """The article, wrapped to the widget's width; figures and recognised names highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "figure(1)", "Next figure", tooltip="Move to the next figure in the article"),
        Binding("p", "figure(-1)", "Previous figure", tooltip="Move to the previous figure in the article"),
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"article--figure", "article--current", "article--name",
                                             "article--title", "article--subhead"}

    class FigureChanged(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, doc: ArticleDoc, figure_id: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.doc = doc
        self.text = printable(doc.text)  # one character for one: offsets stay valid
        self.current = next((i for i, f in enumerate(doc.figures) if f.figure_id == figure_id), -1)
        self._lines: list[tuple[int, int]] = []
        self._styled = Text(self.text)
        self._width = 0

    def _style(self) -> Text:
        t = Text(self.text, end="")
        part = self.get_component_rich_style
        for kind, s, e in self.doc.blocks:
            if kind == "title":
                t.stylize(part("article--title", partial=True), s, e)
            elif kind == "subhead":
                t.stylize(part("article--subhead", partial=True), s, e)
        name = part("article--name", partial=True)
        for sp in self.doc.spans:
            t.stylize(name, sp.start, sp.end)
        figure, current = part("article--figure"), part("article--current")
        for i, f in enumerate(self.doc.figures):
            if 0 <= f.start < f.end <= len(self.text):
                t.stylize(current if i == self.current else figure, f.start, f.end)
        return t

    def _layout(self, width: int) -> None:
        self._width = width
        self._lines = wrap(self.text, width)
        self._styled = self._style()
        self.virtual_size = Size(width, len(self._lines))

    def refresh_styles(self) -> None:
        """Restyle after a theme change (the highlight colours come from the theme)."""
        self._styled = self._style()
        self.refresh()

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._layout(width)
            if self.current >= 0:
                self.call_after_refresh(self.show_figure, self.current)

    def on_mount(self) -> None:
        self._layout(max(10, self.scrollable_content_region.width or 80))

    def line_of(self, offset: int) -> int:
        for y, (s, e) in enumerate(self._lines):
            if s <= offset < e or (offset == e and s == e):
                return y
            if s > offset:
                return max(0, y - 1)
        return max(0, len(self._lines) - 1)

    def show_figure(self, index: int) -> None:
        """Scroll so the sentence of figure `index` sits near the top, and mark it current."""
        if not self.doc.figures:
            return
        self.current = index % len(self.doc.figures)
        self._styled = self._style()
        f = self.doc.figures[self.current]
        top = self.line_of(sentence_start(self.text, f.start))
        self.scroll_to(y=max(0, top - 1), animate=False)
        self.refresh()
        self.post_message(self.FigureChanged(self.current))

    def action_figure(self, step: int) -> None:
        if not self.doc.figures:
            self.app.bell()
            return
        self.show_figure(step if self.current < 0 and step > 0 else self.current + step)

    def render_line(self, y: int) -> Strip:
        index = y + int(self.scroll_offset.y)
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        s, e = self._lines[index]
        line = self._styled[s:e]
        segments = list(line.render(self.app.console))
        strip = Strip(segments, line.cell_len).apply_style(base)
        return strip.extend_cell_length(width, base).crop(0, width)

    def selected_figure(self) -> FigureRow | None:
        return self.doc.figures[self.current] if 0 <= self.current < len(self.doc.figures) else None


class ArticleScreen(Screen):
    """One article: title, date, parks, source, the text; `n`/`p` walk its figures."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.back", "Back", tooltip="Close the article"),
        Binding("y", "copy_quote", "Copy", show=False, tooltip="Copy the current figure's sentence (or the title)"),
    ]

    def __init__(self, doc: ArticleDoc, figure_id: int | None = None) -> None:
        super().__init__(classes="detail")
        self.doc = doc
        self.figure_id = figure_id

    def compose(self):  # type: ignore[no-untyped-def]
        d = self.doc
        with Vertical(classes="detail-head"):
            yield Static(plain(d.title or "(untitled)", style="bold"), classes="detail-title")
            meta = " · ".join(x for x in [day(d.date), d.park, "、".join(p for p in d.parks if p != d.park),
                                          PurePath(d.source).name, f"{len(d.figures)} figures"] if x)
            yield Static(plain(meta), classes="detail-meta")
        yield ArticleText(d, self.figure_id, id="article-text")
        yield Static(self._figure_line(), id="figure-line", classes="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        text = self.query_one(ArticleText)
        text.focus()
        if text.current >= 0:
            self.call_after_refresh(text.show_figure, text.current)

    def _figure_line(self, index: int | None = None) -> Text:
        figs = self.doc.figures
        if not figs:
            return Text("No figures were extracted from this article.", style="dim")
        text = self.query(ArticleText).first() if self.is_mounted else None
        i = index if index is not None else (text.current if text else -1)
        if i < 0:
            return Text(f"{len(figs)} figures highlighted · n / p: next / previous figure", style="dim")
        f = figs[i]
        out = Text(f"Figure {i + 1}/{len(figs)}: ")
        out.append_text(plain(f"{f.park or '?'} · {f.metric_name} "))
        out.append_text(plain(quantity(f.value, f.value_max, f.unit, f.qualifier), style="bold"))
        out.append_text(plain(f" · {f.period or 'no period'} · {f.status} · {f.basis}"))
        return out

    def on_article_text_figure_changed(self, event: ArticleText.FigureChanged) -> None:
        self.query_one("#figure-line", Static).update(self._figure_line(event.index))

    def action_copy_quote(self) -> None:
        f = self.query_one(ArticleText).selected_figure()
        text = f.quote if f else self.doc.title
        self.app.copy_to_clipboard(text)
        self.app.notify(text if len(text) < 60 else text[:59] + "…", title="Copied", markup=False, timeout=2)

