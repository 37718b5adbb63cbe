"""SVG snapshots of each dashboard tab at 120x40 on the sample corpus.

The database is built from the bundled sample corpus, so these change when extraction does:
review the new pictures, then `pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

pytest.importorskip("pytest_textual_snapshot")

from parks.store.db import connect  # noqa: E402
from parks.store.ingest import ingest  # noqa: E402
from parks.tui.app import ParksApp  # noqa: E402

SIZE = (120, 40)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("snapshots") / "sample.duckdb"
    con = connect(path, create=True)
    try:
        summary = ingest(con, [Path(str(resources.files("parks.sample_corpus")))])
    finally:
        con.close()
    assert not summary.failed and summary.articles > 0
    return path


def app(db: Path) -> ParksApp:
    return ParksApp(db, preload=False, watch=False)


def test_parks_tab(snap_compare, sample_db: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(sample_db), terminal_size=SIZE)


def test_industries_tab(snap_compare, sample_db: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(sample_db), press=["2"], terminal_size=SIZE)


def test_metrics_tab_with_a_chart(snap_compare, sample_db: Path) -> None:  # type: ignore[no-untyped-def]
    async def pick(pilot) -> None:  # type: ignore[no-untyped-def]
        # The tab's first page and the picker's choices load in threads: the picture is of the tab
        # once they are in, so it does not depend on which thread finished first.
        await pilot.press("3")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pilot.app.pane().pick("pv_capacity")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app(sample_db), run_before=pick, terminal_size=SIZE)


def test_search_tab(snap_compare, sample_db: Path) -> None:  # type: ignore[no-untyped-def]
    from parks.store import search

    if not hasattr(search, "search"):
        pytest.skip("full-text search is not in this build")

    async def query(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("4", "slash", *"光伏", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app(sample_db), run_before=query, terminal_size=SIZE)


def test_articles_tab(snap_compare, sample_db: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app(sample_db), press=["5"], terminal_size=SIZE)
