"""The measurements, each independent: a piece that is missing or broken yields None and a note on
stderr, never an exception, so the harness can be re-run as the pipeline's parts land.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

MiB = 2**20
REPO = Path(__file__).resolve().parent.parent

# Single words, common and rare, park names, then two-word ANDs.
SINGLE_WORDS = ["光伏", "储能", "新能源汽车", "专精特新", "孵化", "营商环境", "集成电路", "人工智能", "碳中和",
                "氢能", "生物医药", "研发投入", "高新技术企业", "钙钛矿", "量子信息", "脑机接口"]
PARK_NAMES = ["西安高新区", "苏州工业园区", "中关村", "厦门火炬高新区", "合肥高新区"]
TWO_WORDS = ["光伏 储能", "专精特新 孵化", "西安高新区 碳中和", "营商环境 人才", "新能源汽车 动力电池"]
QUERIES = SINGLE_WORDS + PARK_NAMES + TWO_WORDS

# Every key of the JSON report (None when not measured); tests check the report has them all.
KEYS = ["articles", "files", "mb", "gen_s", "ingest_s", "ingest_mb_per_s", "ingest_ms_per_article",
        "ingest_jobs2_s", "ingest_jobs2_mb_per_s", "jobs2_speedup", "cpu_parallelism", "jieba_mb_per_s", "ingest_vs_jieba",
        "db_mb", "peak_rss_mb", "peak_rss_jobs2_mb", "search_p50_ms", "search_p95_ms", "scan_p50_ms",
        "search_speedup", "search_mismatches", "cli_cold_s", "python_cold_s", "cli_vs_python",
        "tui_first_paint_s", "tui_sort_ms", "tui_filter_ms", "cores", "date", "notes"]


def parsers_compiled() -> bool:
    """Whether the parsers run compiled by mypyc here (setup.py): ingest is about 15% slower without."""
    import importlib.machinery
    import importlib.util

    spec = importlib.util.find_spec("parks.parsers.figures")
    return bool(spec and spec.origin and spec.origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)))


def note(report: dict, message: str) -> None:
    """A measurement that could not be taken: said on stderr and kept in the report."""
    print(f"benchmarks: {message}", file=sys.stderr, flush=True)
    report.setdefault("notes", []).append(message)


def venv_bin(name: str) -> str:
    """An executable next to the running interpreter (the project's venv), else on PATH."""
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else (shutil.which(name) or name)


@dataclass(slots=True)
class WorkerResult:
    data: dict | None
    error: str = ""
    seconds: float = 0.0
    stderr_tail: list[str] = field(default_factory=list)


def run_worker(task: str, args: dict, timeout: float | None = None) -> WorkerResult:
    """Run benchmarks.worker TASK in a fresh interpreter; its last stdout line is JSON."""
    cmd = [sys.executable, "-m", "benchmarks.worker", task, json.dumps(args, ensure_ascii=False)]
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return WorkerResult(None, f"timed out after {timeout:.0f} s", time.perf_counter() - started)
    seconds = time.perf_counter() - started
    tail = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()][-12:]
    lines = [ln for ln in proc.stdout.strip().splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        reason = tail[-1] if tail else f"exit status {proc.returncode}"
        return WorkerResult(None, reason, seconds, tail)
    try:
        return WorkerResult(json.loads(lines[-1]), "", seconds, tail)
    except ValueError:
        return WorkerResult(None, "worker printed no JSON", seconds, tail)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


# ---------------------------------------------------------------------------------------------


def measure_ingest(report: dict, corpus: Path, db: Path, mb: float, jobs: int, timeout: float,
                   profile: str = "") -> bool:
    """Ingest into a fresh `db`; True when it worked (the database can be used afterwards)."""
    r = run_worker("ingest", {"db": str(db), "corpus": str(corpus), "jobs": jobs, "profile": profile}, timeout)
    if r.data is None:
        note(report, f"ingest --jobs {jobs} failed: {r.error}")
        return False
    d = r.data
    if d["failed"]:
        note(report, f"ingest --jobs {jobs}: {d['failed']} file(s) failed, e.g. {'; '.join(d['failures'][:2])}")
    if not d["ingested"]:
        note(report, f"ingest --jobs {jobs} stored no document")
        return False
    if jobs == 1:
        report.update(ingest_s=d["seconds"], ingest_mb_per_s=mb / d["seconds"], db_mb=d["db_mb"],
                      ingest_cpu_s=d["cpu_s"], ingest_cpu_mb_per_s=mb / d["cpu_s"] if d["cpu_s"] else None,
                      ingest_ms_per_article=1000 * d["seconds"] / max(1, d["articles"]),
                      peak_rss_mb=max(d["rss_self_mb"], d["rss_children_mb"]),
                      articles_stored=d["articles"], figures_stored=d["figures"],
                      peak_rss_phases_mb=d.get("rss_phases_mb"))
    else:
        report.update(ingest_jobs2_s=d["seconds"], ingest_jobs2_mb_per_s=mb / d["seconds"], ingest_jobs2_cpu_s=d["cpu_s"],
                      peak_rss_jobs2_mb=d["rss_self_mb"] + jobs * d["rss_children_mb"])
        report["jobs2_speedup"] = _ratio(report.get("ingest_jobs2_mb_per_s"), report.get("ingest_mb_per_s"))
    return True


def measure_parallelism(report: dict) -> None:
    r = run_worker("parallelism", {"procs": 2}, 120)
    if r.data is None:
        note(report, f"parallelism check failed: {r.error}")
        return
    report["cpu_parallelism"] = r.data["speedup"]
    if r.data["speedup"] < 1.5:
        note(report, f"two processes run only {r.data['speedup']:.2f}x as fast as one right now (another process "
                     "holds a core?), so jobs2_speedup cannot reach 1.5 in this run")


def measure_jieba(report: dict, corpus: Path, max_mb: float, timeout: float) -> None:
    r = run_worker("jieba", {"corpus": str(corpus), "max_mb": max_mb}, timeout)
    if r.data is None:
        note(report, f"jieba baseline failed: {r.error}")
        return
    report["jieba_mb_per_s"] = r.data["mb_per_s"]
    report["jieba_cpu_mb_per_s"] = r.data["mb"] / r.data["cpu_s"] if r.data["cpu_s"] else None
    report["jieba_sample_mb"] = r.data["mb"]


PROBE_MB = 3.0  # jieba's sample just before and just after the one-job ingest


def jieba_probe(report: dict, corpus: Path, timeout: float) -> float | None:
    """jieba's CPU throughput on a small even sample, taken right beside the ingest: a shared
    machine's speed drifts over the minutes between the ingest and the full jieba run (bare jieba
    measured 0.71 and 0.99 MiB/s two hours apart on the same day), which the ratio must not."""
    r = run_worker("jieba", {"corpus": str(corpus), "max_mb": PROBE_MB}, timeout)
    if r.data is None or not r.data["cpu_s"]:
        note(report, f"jieba probe failed: {r.error}")
        return None
    return r.data["mb"] / r.data["cpu_s"]


def bracket_jieba(report: dict, before: float, after: float | None) -> None:
    """The ingest against jieba measured just before and just after it (their mean, CPU time)."""
    if after is None:
        return
    mean = (before + after) / 2
    report.update(jieba_before_cpu_mb_per_s=before, jieba_after_cpu_mb_per_s=after, jieba_around_cpu_mb_per_s=mean,
                  ingest_vs_jieba_around_cpu=_ratio(report.get("ingest_cpu_mb_per_s"), mean))
    if abs(before - after) > 0.1 * mean:
        note(report, f"the machine's speed drifted during the ingest: jieba ran at {before:.2f} MiB/s "
                     f"before it and {after:.2f} after")


def measure_search(report: dict, db: Path, rounds: int, timeout: float) -> None:
    r = run_worker("search", {"db": str(db), "queries": QUERIES, "rounds": rounds}, timeout)
    if r.data is None:
        note(report, f"search failed: {r.error}")
        return
    d = r.data
    for n in d.pop("notes", []):
        note(report, n)
    report.update({k: v for k, v in d.items()})
    report["search_speedup"] = _ratio(d.get("scan_p50_ms"), d.get("search_p50_ms"))
    if d.get("search_mismatches"):
        note(report, f"search and scan differ for: {', '.join(d['search_mismatches'])}")


def _cold(cmd: list[str], runs: int) -> tuple[float | None, str]:
    """Median wall time of `runs` fresh processes (after one untimed run that warms the file cache)."""
    times: list[float] = []
    for i in range(runs + 1):
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines()
            return None, lines[-1] if lines else f"exit status {proc.returncode}"
        if i:
            times.append(elapsed)
    return statistics.median(times), ""


def measure_cold(report: dict, db: Path | None, runs: int) -> None:
    py, err = _cold([venv_bin("python"), "-c", "import duckdb, click"], runs)
    report["python_cold_s"] = py
    if py is None:
        note(report, f"python cold start failed: {err}")
    if db is None:
        note(report, "cli cold start not measured: no database")
        return
    cli, err = _cold([venv_bin("parks"), "--db", str(db), "query", "parks", "--format", "csv"], runs)
    report["cli_cold_s"] = cli
    if cli is None:
        note(report, f"`parks query parks --format csv` failed: {err}")
    report["cli_vs_python"] = _ratio(cli, py)


def measure_tui(report: dict, db: Path, sort_key: str, timeout: float) -> None:
    r = run_worker("tui", {"db": str(db), "sort_key": sort_key}, timeout)
    if r.data is None:
        note(report, f"dashboard not measured: {r.error}")
        return
    for n in r.data.pop("notes", []):
        note(report, f"dashboard: {n}")
    report.update({k: v for k, v in r.data.items() if k.startswith("tui_")})
