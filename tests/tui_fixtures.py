"""A small, deterministic database for the dashboard tests, written row by row (no parsers needed).

Articles are built from sentences whose figure offsets are known, so tests can check that the
article view highlights exactly the number a figure came from. Titles include markup-like text.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from parks.store.db import connect
from parks.store.ingest_util import bulk_insert
from parks.store.reference import refresh_reference

PARKS = ["中关村", "张江高新区", "无锡高新区", "肇庆高新区", "苏州工业园区", "厦门火炬高新区",
         "天津滨海高新区", "紫竹高新区"]
# metric id, Chinese name as written, unit as written, canonical unit, multiplier to the canonical unit
METRICS = [
    ("gdp", "地区生产总值", "亿元", "亿元", 1.0),
    ("pv_capacity", "光伏装机容量", "兆瓦", "MW", 1.0),
    ("hightech_enterprises", "高新技术企业", "家", "家", 1.0),
    ("rd_intensity", "研发投入强度", "%", "%", 1.0),
    ("revenue", "营业收入", "亿元", "亿元", 1.0),
]
INDUSTRIES = [("sei_1", "新一代信息技术"), ("sei_2", "高端装备制造"), ("sei_3", "新材料")]
COMPANIES = ["华光新能源有限公司", "远航电池科技股份有限公司", "青松智造有限公司"]
MARKUP_TITLES = ["单位[/亿元]口径调整说明", "[red]红色[/red]不是标记[b]"]


class _Table:
    def __init__(self) -> None:
        self.cols: list[list] = []

    def add(self, *row: object) -> None:
        if not self.cols:
            self.cols = [[] for _ in row]
        for col, v in zip(self.cols, row, strict=True):
            col.append(v)


def build(path: Path, articles: int = 40, seed: int = 7, markup: bool = True) -> Path:
    """Write a parks database with `articles` articles to `path` and close it."""
    rng = random.Random(seed)
    con = connect(path, create=True)
    refresh_reference(con)
    t = {name: _Table() for name in ("documents", "articles", "blocks", "article_parks", "park_mentions",
                                     "industry_mentions", "company_mentions", "figures")}
    fid = 1
    for aid in range(1, articles + 1):
        park = PARKS[(aid - 1) % len(PARKS)]
        other = PARKS[aid % len(PARKS)]
        day = date(2021, 1, 4) + timedelta(days=7 * aid)
        if markup and aid <= len(MARKUP_TITLES):
            title = MARKUP_TITLES[aid - 1]
        else:
            title = f"{park}推进绿色低碳发展（{aid}）"
        parts: list[str] = [title, "\n\n"]
        pos = len(title) + 2
        figs = []
        mentions = []
        for k in range(3):
            # article len(PARKS)+1 repeats article 1's first figure (same park) with another value
            key = 1 if aid == len(PARKS) + 1 else aid
            metric, name, unit_w, unit, mult = METRICS[(key + k) % len(METRICS)]
            year = 2020 + (key + k) % 4
            value = round(rng.uniform(1, 900), 1) if unit != "%" else round(rng.uniform(1, 9), 2)
            lead = f"{year}年，"
            sentence_start = pos
            mentions.append((pos + len(lead), pos + len(lead) + len(park)))
            head = f"{lead}{park}{name}达到"
            num = f"{value:g}{unit_w}"
            tail = "，同比增长12%。" if k == 1 else "。"
            start = pos + len(head)
            figs.append((fid, aid, park, metric, value * mult, None, unit, "=" if k else ">=", str(year), False,
                         "level", "actual" if k < 2 else "target", "", head + num + tail, start,
                         start + len(num), num))
            fid += 1
            parts += [head, num, tail]
            pos += len(head) + len(num) + len(tail)
            assert sentence_start < start
        ind_id, ind_name = INDUSTRIES[aid % len(INDUSTRIES)]
        company = COMPANIES[aid % len(COMPANIES)]
        extra = f"\n\n园区聚焦{ind_name}产业，{company}落户{other}。"
        ind_start = pos + len("\n\n园区聚焦")
        comp_start = ind_start + len(ind_name) + len("产业，")
        other_start = comp_start + len(company) + 2
        parts.append(extra)
        text = "".join(parts)
        assert text[ind_start: ind_start + len(ind_name)] == ind_name
        assert text[other_start: other_start + len(other)] == other
        for f in figs:
            assert text[f[14]: f[15]] == f[16]
        doc_id = aid
        t["documents"].add(doc_id, f"/pages/{day.isoformat()}_{aid:03d}.txt", f"{day.isoformat()}_{aid:03d}.txt",
                           f"hash{aid}", "utf-8", "txt", len(text.encode()), day, False,
                           datetime(2024, 1, 1), "")
        t["articles"].add(aid, doc_id, 0, title, "绿色发展" if aid % 2 else "", "本报记者", "", text, text,
                          len(text), day, False, park, f"/pages/{day.isoformat()}_{aid:03d}.txt")
        t["blocks"].add(aid, 0, "title", 0, len(title))
        t["blocks"].add(aid, 1, "body", len(title) + 2, len(text))
        t["article_parks"].add(aid, park, 3, True, 0)
        t["article_parks"].add(aid, other, 1, False, 1)
        for s, e in mentions:
            t["park_mentions"].add(aid, park, s, e, park, True, "")
        t["park_mentions"].add(aid, other, other_start, other_start + len(other), other, True, "")
        t["industry_mentions"].add(aid, ind_id, ind_start, ind_start + len(ind_name), ind_name)
        t["company_mentions"].add(aid, company, park, comp_start, comp_start + len(company), company)
        for f in figs:
            t["figures"].add(*f[:16], f[16])
    con.execute("BEGIN")
    for name, table in t.items():
        bulk_insert(con, name, table.cols)
    con.execute("COMMIT")
    con.close()
    return path


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """The current screen as plain text, the way a terminal shows it (for asserting what is visible)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


SIZE = (120, 40)


def drive(db: Path, steps: Callable[..., Awaitable[None]], size: tuple[int, int] = SIZE,
          **kwargs: object):  # type: ignore[no-untyped-def]
    """Run the app headless, let `steps(app, pilot)` press keys and check; returns the app afterwards."""
    from parks.tui.app import ParksApp

    kwargs.setdefault("preload", False)
    app = ParksApp(db, **kwargs)  # type: ignore[arg-type]

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(app, pilot)

    asyncio.run(go())
    return app


async def to_column(pilot, t, key: str) -> None:  # type: ignore[no-untyped-def]
    """Move the cursor of table `t` to the column `key`."""
    target = next(i for i, c in enumerate(t.shown) if c.key == key) + (1 if t.mark_key else 0)
    while t.cursor_column < target:
        await pilot.press("right")
    while t.cursor_column > target:
        await pilot.press("left")
