"""A horizontal bar chart of one metric across parks, drawn with eighth-block characters."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from parks.store.details import Bar

from .format import fit, number, plain

_EIGHTHS = " ▏▎▍▌▋▊▉"


def bar_text(fraction: float, width: int) -> str:
    """A bar `fraction` (0..1) of `width` cells long, to an eighth of a cell."""
    eighths = max(0, round(max(0.0, min(1.0, fraction)) * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


class BarChart(Widget):
    """The latest actual figure of one metric per park, largest first, all in one unit."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"chart--bar", "chart--label", "chart--title", "chart--value"}
    bars: reactive[list[Bar]] = reactive(list, layout=True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.title = ""
        self.unit = ""

    def show(self, title: str, unit: str, bars: list[Bar]) -> None:
        self.title, self.unit = title, unit
        self.bars = list(bars)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self.bars) + 2

    def render(self) -> Text:
        width = max(10, self.size.width)
        title_style = self.get_component_rich_style("chart--title", partial=True)
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(fit(f"{self.title} ({self.unit})" if self.unit else self.title, width), style=title_style)
        out.append("\n")
        if not self.bars:
            out.append("No actual figures of this metric yet.", style="dim")
            return out
        values = [number(b.value) for b in self.bars]
        label_w = min(14, max(cell_len(b.park) for b in self.bars))
        value_w = max(cell_len(v) for v in values)
        bar_w = max(4, width - label_w - value_w - 3)
        top = max((b.value for b in self.bars), default=0) or 1
        label_style = self.get_component_rich_style("chart--label", partial=True)
        bar_style = self.get_component_rich_style("chart--bar", partial=True)
        value_style = self.get_component_rich_style("chart--value", partial=True)
        for b, v in zip(self.bars, values, strict=True):
            name = fit(b.park, label_w)
            out.append("\n")
            out.append_text(plain(name + " " * (label_w - cell_len(name)), style=label_style))
            out.append(" ")
            bar = bar_text(max(b.value, 0) / top, bar_w)
            out.append(bar, style=bar_style)
            out.append(" " * (bar_w - len(bar) + 1))
            out.append(v.rjust(value_w), style=value_style)
        return out
