"""The dashboard on views too large to hold: background work gives way, tables page, sort and filter in DuckDB."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

pytest.importorskip("textual")

from tui_fixtures import build  # noqa: E402

from parks.tui.app import ParksApp  # noqa: E402
from parks.tui.source import Interrupted, Source  # noqa: E402

SIZE = (120, 40)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("large") / "parks.duckdb", markup=False)


def drive(db: Path, steps: Callable[[ParksApp, object], Awaitable[None]], size: tuple[int, int] = SIZE,
          **kwargs: object) -> ParksApp:
    kwargs.setdefault("preload", False)
    app = ParksApp(db, **kwargs)  # type: ignore[arg-type]

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await steps(app, pilot)

    asyncio.run(go())
    return app


# ------------------------------------------------------------------------------ background work


def test_a_query_on_the_main_thread_interrupts_background_queries(db: Path) -> None:
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
    assert source.run(lambda con: con.execute("SELECT count(*) FROM articles").fetchone()[0]) == 40
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
