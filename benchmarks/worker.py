"""One measurement in a fresh process: `python -m benchmarks.worker TASK JSON-ARGS`.

Each task prints one JSON object on its last stdout line. Running every heavy measurement in its
own process keeps them independent (a crash, a missing module or a memory peak in one cannot
affect another) and lets peak memory be read per measurement with getrusage.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

MiB = 2**20


def _maxrss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children: less noisy than wall time when the
    machine is shared."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def page_files(corpus: Path) -> Iterator[Path]:
    """The page files of a generated corpus, in a stable order."""
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        yield from sorted(folder.glob("*.txt"))


# ---------------------------------------------------------------------------------------------


class _RssPhases:
    """Peak resident memory per phase of an ingest, sampled from /proc every 50 ms: the document
    loop, what follows the last document (index fold, summaries), and closing the database."""

    def __init__(self) -> None:
        import threading

        self.phase = "loop"
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            try:
                with open("/proc/self/status", encoding="ascii") as fh:
                    kb = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))
            except (OSError, StopIteration, ValueError):
                return
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), kb / 1024)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return self.peaks


def task_ingest(db: str, corpus: str, jobs: int, profile: str = "") -> dict:
    """Ingest the corpus into a fresh database with `jobs` parsing processes."""
    from parks.store.db import connect
    from parks.store.ingest import ingest

    Path(db).unlink(missing_ok=True)
    con = connect(Path(db), create=True)
    failures: list[str] = []
    rss = _RssPhases()
    seen = [0, -1]  # documents handled, documents found

    def on_event(kind: str, path: str, detail: str) -> None:
        if kind == "found":
            seen[1] = int(detail)
        elif kind in ("done", "skipped", "failed"):
            seen[0] += 1
            if seen[0] == seen[1]:
                rss.phase = "finish"
        if kind == "failed" and len(failures) < 5:
            failures.append(f"{path}: {detail}")

    cpu0 = _cpu_s()
    started = time.perf_counter()
    if profile:
        import cProfile

        prof = cProfile.Profile()
        summary = prof.runcall(ingest, con, [Path(corpus)], jobs=jobs, on_event=on_event)
        prof.dump_stats(profile)
    else:
        summary = ingest(con, [Path(corpus)], jobs=jobs, on_event=on_event)
    ingest_s = time.perf_counter() - started
    rss.phase = "close"
    con.close()  # the final checkpoint is part of what a user waits for
    total_s = time.perf_counter() - started
    return {
        "seconds": total_s,
        "cpu_s": _cpu_s() - cpu0,
        "ingest_call_s": ingest_s,
        "files": summary.files,
        "ingested": summary.ingested,
        "articles": summary.articles,
        "figures": summary.figures,
        "failed": len(summary.failed),
        "failures": failures,
        "bytes": summary.bytes,
        "db_mb": os.path.getsize(db) / MiB,
        "rss_self_mb": _maxrss_mb(resource.RUSAGE_SELF),
        "rss_children_mb": _maxrss_mb(resource.RUSAGE_CHILDREN),
        "rss_phases_mb": rss.stop(),
    }


def task_jieba(corpus: str, max_mb: float) -> dict:
    """Bare `jieba.lcut` over the text of the page files (dictionary load excluded)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    files = list(page_files(Path(corpus)))
    total = sum(f.stat().st_size for f in files)
    step = max(1, round(total / (max_mb * MiB))) if max_mb else 1
    chosen = files[::step]  # an even sample through the corpus when it is large
    seconds, cpu, size, tokens = 0.0, 0.0, 0, 0
    for f in chosen:
        text = f.read_text(encoding="utf-8")
        started, cpu0 = time.perf_counter(), time.process_time()
        words = jieba.lcut(text)
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu0
        size += len(text.encode("utf-8"))
        tokens += len(words)
    return {"seconds": seconds, "cpu_s": cpu, "mb": size / MiB, "mb_per_s": size / MiB / seconds if seconds else None,
            "sampled": step > 1, "tokens": tokens, "rss_self_mb": _maxrss_mb(resource.RUSAGE_SELF)}


def _hit_id(hit: object) -> int:
    for attr in ("article_id", "id"):
        if hasattr(hit, attr):
            return int(getattr(hit, attr))
    if isinstance(hit, dict):
        return int(hit["article_id"])
    return int(hit[0])  # type: ignore[index]


def _timed(fn: Callable[[], object], rounds: int) -> tuple[list[float], object]:
    out: list[float] = []
    result = None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        out.append((time.perf_counter() - started) * 1000)
    return out, result


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def task_search(db: str, queries: list[str], rounds: int) -> dict:
    """search() on a warm read-only connection; scan()/contains() on the single words."""
    import duckdb

    from parks.store import search as s

    con = duckdb.connect(db, read_only=True)
    notes: list[str] = []
    result: dict = {}
    search_fn = getattr(s, "search", None)
    if search_fn is None:
        notes.append("parks.store.search.search is missing")
    scan_fn = getattr(s, "scan", None)
    if scan_fn is None:
        notes.append("parks.store.search.scan is missing; scanning with contains(norm, ?)")

        def scan_fn(con: duckdb.DuckDBPyConnection, word: str) -> set[int]:
            rows = con.execute("SELECT article_id FROM articles WHERE contains(norm, ?)", [word]).fetchall()
            return {r[0] for r in rows}

    singles = [q for q in queries if " " not in q.strip()]
    if search_fn is not None:
        for q in queries:  # warm-up: caches, lazily loaded dictionaries
            search_fn(con, q)
        times: list[float] = []
        per_query: dict[str, float] = {}
        for q in queries:
            t, _ = _timed(lambda q=q: search_fn(con, q), rounds)
            times += t
            per_query[q] = statistics.median(t)
        result.update(search_p50_ms=_percentile(times, 50), search_p95_ms=_percentile(times, 95),
                      search_max_ms=max(times), search_per_query_ms=per_query)
    scan_times: list[float] = []
    mismatches: dict[str, dict] = {}
    hits: dict[str, int] = {}
    for w in singles:
        t, ids = _timed(lambda w=w: scan_fn(con, w), max(1, rounds // 2))
        scan_times += t
        ids = set(ids)  # type: ignore[arg-type]
        hits[w] = len(ids)
        if search_fn is not None:
            found = {_hit_id(h) for h in search_fn(con, w, limit=10**9)}
            if found != ids:
                mismatches[w] = {"scan": len(ids), "search": len(found), "only_scan": len(ids - found),
                                 "only_search": len(found - ids)}
    result.update(scan_p50_ms=_percentile(scan_times, 50), scan_hits=hits,
                  search_mismatches=mismatches if search_fn is not None else None, notes=notes)
    con.close()
    return result


# ---------------------------------------------------------------------------------------------
# The dashboard, in-process with Textual's pilot


def _shown(widget) -> bool:  # type: ignore[no-untyped-def]
    node = widget
    while node is not None:
        if not getattr(node, "display", True):
            return False
        node = node.parent
    return True


def _table(app, rows: bool = True):  # type: ignore[no-untyped-def]
    """The table on view: the focused one, else the first shown (with rows, unless `rows` is False)."""
    from textual.widgets import DataTable

    focused = app.focused
    if isinstance(focused, DataTable) and (focused.row_count or not rows):
        return focused
    for t in app.query(DataTable):
        if (t.row_count > 0 or not rows) and _shown(t):
            return t
    return None


def _snapshot(app) -> tuple:  # type: ignore[no-untyped-def]
    """Which table is on view, how many rows it has and its first rows (an empty result counts)."""
    t = _table(app) or _table(app, rows=False)
    if t is None:
        return ()
    rows = min(t.row_count, 5)
    # `matched` (rows matching the filter, where the table pages) tells a filter that keeps the first rows.
    return (id(t), t.row_count, getattr(t, "matched", None),
            tuple(tuple(str(c) for c in t.get_row_at(i)) for i in range(rows)))


_APP = None  # the app being measured: polling stops when it has crashed


async def _until(cond: Callable[[], object], timeout: float, step: float = 0.002):  # type: ignore[no-untyped-def]
    """Poll `cond` while the app runs; plain sleeps, because the pilot's pauses wait for the
    whole machine to go idle, which on a shared machine adds seconds that are not the app's."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        value = cond()
        if value:
            return value
        if _APP is not None and getattr(_APP, "_exception", None) is not None:
            return None
        await asyncio.sleep(step)
    return None


def _send_key(app, key: str) -> None:  # type: ignore[no-untyped-def]
    """A key press as the terminal driver delivers it (what Pilot.press sends, without its waits)."""
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)


def _bindings(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """key -> action for the focused widget, its screen and the app (nearest wins)."""
    found: dict[str, str] = {}
    for node in [app.focused, app.screen, app]:
        for b in getattr(node, "BINDINGS", []) if node is not None else []:
            key, action = (b.key, b.action) if hasattr(b, "action") else (b[0], b[1])
            found.setdefault(key.split(",")[0], action)
    return found


def _keys_for(app, word: str) -> list[str]:  # type: ignore[no-untyped-def]
    found = _bindings(app)
    # Descending first: a default order is usually ascending, so it reorders.
    return sorted((k for k, a in found.items() if word in a), key=lambda k: "True" not in found[k])


async def _timed_change(app, keys: list[str], timeout: float = 30.0) -> tuple[float | None, str]:  # type: ignore[no-untyped-def]
    """Milliseconds from a key press to a visible change of the table (the first key that changes it)."""
    for key in keys:
        before = _snapshot(app)
        t0 = time.perf_counter()
        _send_key(app, key)
        if await _until(lambda before=before: _snapshot(app) not in (before, ()), timeout):
            return (time.perf_counter() - t0) * 1000, key
    return None, ""


async def _measure_tui(db: str, sort_key: str, filter_word: str, timeout: float) -> dict:
    started = time.perf_counter()
    from parks.tui.app import ParksApp

    imported = time.perf_counter()
    global _APP
    app = _APP = ParksApp(db_path=Path(db))
    out: dict = {"tui_import_s": imported - started, "notes": []}
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await _drive(app, out, started, sort_key, filter_word, timeout)
            await asyncio.sleep(0.2)  # let what the last key started finish before the app exits
            del pilot
    except Exception as exc:  # noqa: BLE001 - a crash is a finding, not the end of the report
        out["notes"].append(f"the dashboard raised {type(exc).__name__}: {exc}")
    return out


async def _drive(app, out: dict, started: float, sort_key: str, filter_word: str,  # type: ignore[no-untyped-def]
                 timeout: float) -> None:
    table = await _until(lambda: _table(app), timeout)
    if table is None:
        problem = getattr(app, "_problem", "")
        out["notes"].append(f"no table was populated within {timeout:.0f} s" + (f": {problem}" if problem else ""))
        return
    out["tui_first_paint_s"] = time.perf_counter() - started
    out["tui_first_rows"] = table.row_count
    ms, key = await _timed_change(app, [sort_key] if sort_key else _keys_for(app, "sort"))
    out["tui_first_sort_ms"] = ms
    for tab, prefix in (("articles", "tui"), ("metrics", "tui_figures")):
        await _tab(app, out, tab, prefix, sort_key, filter_word)


async def _tab(app, out: dict, tab: str, prefix: str, sort_key: str, filter_word: str) -> None:  # type: ignore[no-untyped-def]
    keys = _keys_for(app, f"show_tab('{tab}')")
    if not keys:
        out["notes"].append(f"no key shows the {tab} tab")
        return
    first = _table(app, rows=False)
    t0 = time.perf_counter()
    _send_key(app, keys[0])
    table = await _until(lambda: (t := _table(app)) is not None and t is not first and t, 60.0)
    if not table:
        out["notes"].append(f"the {tab} tab showed no rows within 60 s")
        return
    out[f"{prefix}_tab_ms"] = (time.perf_counter() - t0) * 1000
    out[f"{prefix}_rows"] = table.row_count
    _send_key(app, "right")  # sort by the second column: the first is often the default sort
    await asyncio.sleep(0.05)
    sort_keys = [sort_key] if sort_key else _keys_for(app, "sort")
    ms, key = await _timed_change(app, sort_keys)
    out[f"{prefix}_sort_ms"] = ms
    if ms is None:
        out["notes"].append(f"{tab}: pressing {', '.join(sort_keys) or '(no sort key)'} did not change the table")
    focus = _keys_for(app, "focus_filter")
    if not focus:
        out["notes"].append("no key focuses a filter")
        return
    _send_key(app, focus[0])
    await asyncio.sleep(0.1)
    before = _snapshot(app)
    t0 = time.perf_counter()
    for ch in filter_word:  # typed, then Enter at once: Enter cancels the typing debounce and filters
        _send_key(app, ch)
    _send_key(app, "enter")
    changed = await _until(lambda: _snapshot(app) not in (before, ()), 30.0)
    ms = (time.perf_counter() - t0) * 1000 if changed else None
    out[f"{prefix}_filter_ms"] = ms
    if ms is None:
        out["notes"].append(f"{tab}: filtering by {filter_word!r} did not change the table")
    _send_key(app, "escape")
    await asyncio.sleep(0.05)


def task_tui(db: str, sort_key: str = "", filter_word: str = "光伏", timeout: float = 60.0) -> dict:
    out = asyncio.run(_measure_tui(db, sort_key, filter_word, timeout))
    out["rss_self_mb"] = _maxrss_mb(resource.RUSAGE_SELF)
    return out


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def task_parallelism(procs: int = 2, n: int = 4_000_000) -> dict:
    """How much faster `procs` processes finish `procs` equal pure-Python loops than one process
    doing them in turn: the ceiling for `ingest --jobs` on this machine right now (on a shared
    machine, another busy process takes a core and this falls towards 1)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(procs) as pool:
        list(pool.map(_burn, [1000] * procs))  # start the workers first
        started = time.perf_counter()
        for _ in range(procs):
            _burn(n)
        serial = time.perf_counter() - started
        started = time.perf_counter()
        list(pool.map(_burn, [n] * procs))
        parallel = time.perf_counter() - started
    return {"serial_s": serial, "parallel_s": parallel, "speedup": serial / parallel}


TASKS: dict[str, Callable[..., dict]] = {"ingest": task_ingest, "jieba": task_jieba, "search": task_search,
                                         "tui": task_tui, "parallelism": task_parallelism}


def main() -> None:
    task, args = sys.argv[1], json.loads(sys.argv[2])
    result = TASKS[task](**args)
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
