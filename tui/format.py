"""Turning stored values into terminal text: always `Text`, never markup, always measured in cells.

Article text can contain anything (`[red]`, `单位[/亿元]`, escape characters); it reaches widgets
only through `plain()`, which makes it printable and wraps it in a `Text` that Rich never parses.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from parks.output import printable

QUALIFIERS = {"=": "", "~": "约", "≈": "约", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}
STATUS_ZH = {"actual": "实际", "target": "目标", "forecast": "预计"}


def plain(value: object, style: str | Style = "") -> Text:
    """A cell's text as written: one line, no markup, no control characters."""
    text = "" if value is None else str(value)
    text = printable(text.replace("\r", " ").replace("\n", " "))
    return Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")


def number(value: float | int | None) -> str:
    """Grouped thousands, at most four significant decimals, no float noise (3.0 -> 3)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, int) or float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    v = float(value)
    if abs(v) >= 1000:
        return f"{v:,.1f}".rstrip("0").rstrip(".")
    decimals = min(6, max(1, 3 - math.floor(math.log10(abs(v)))))  # four significant digits
    return f"{v:.{decimals}f}".rstrip("0").rstrip(".") or "0"


def quantity(value: float | None, value_max: float | None, unit: str | None, qualifier: str | None) -> str:
    """`≥ 1,200 亿元`, `3–5 MW`, `约 40 %`: a figure as a reader would write it."""
    if value is None:
        return ""
    q = QUALIFIERS.get(qualifier or "=", qualifier or "")
    body = number(value)
    if value_max is not None and value_max != value:
        body += "–" + number(value_max)
    unit = unit or ""
    sep = "" if unit in ("%", "") else " "
    return f"{q + ' ' if q else ''}{body}{sep}{unit}"


def day(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def fit(text: str, width: int) -> str:
    """Cut `text` to at most `width` cells with an ellipsis, never halving a wide character."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def marked(snippet: str, marks: list[tuple[int, int]], style: str | Style) -> Text:
    """A search snippet with its matched spans styled (spans are offsets into `snippet`)."""
    t = plain(snippet)
    n = len(t.plain)
    for start, end in marks:
        s, e = max(0, int(start)), min(n, int(end))
        if s < e:
            t.stylize(style, s, e)
    return t
