"""`python -m benchmarks`: build a corpus, ingest it, measure, print a table (and JSON with --json).

Examples (from the repository root, with the project's venv):
  python -m benchmarks --quick --json            # 1,000 articles, under a minute on 2 cores
  python -m benchmarks --articles 100000 --out /tmp/corpus100k --db /tmp/bench100k.duckdb
  python -m benchmarks --scaling --quick         # 1k and 10k articles: how each cost grows
  python -m benchmarks --articles 2000 --profile /tmp/ingest.prof   # cProfile of the one-job ingest
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from . import measure as m
from .generator import ensure_corpus

PARTS = ["ingest", "jobs2", "jieba", "search", "cli", "tui"]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, help="Articles in the generated corpus [100000; 1000 with --quick].")
    ap.add_argument("--quick", action="store_true", help="A small corpus and fewer repetitions (< 1 min).")
    ap.add_argument("--json", action="store_true", help="End with one JSON object on the last line.")
    ap.add_argument("--scaling", action="store_true",
                    help="Run 1k, 10k and 100k articles (100k left out with --quick) and report growth.")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, help="Corpus folder, kept and reused when it holds the same corpus.")
    ap.add_argument("--db", type=Path, help="Keep the one-job database here (reused with --skip ingest); "
                    "with --scaling a folder for one database per size.")
    ap.add_argument("--skip", default="", help=f"Comma-separated parts to leave out: {','.join(PARTS)}.")
    ap.add_argument("--jieba-mb", type=float, default=40.0,
                    help="Time jieba on an even sample of at most this many MiB of the corpus [40; 0 = all].")
    ap.add_argument("--tui-sort-key", default="", help="Key that sorts the dashboard's table [from its bindings].")
    ap.add_argument("--profile", default="", help="Write a cProfile of the one-job ingest to this file.")
    ap.add_argument("--timeout", type=float, default=3 * 3600, help="Seconds before a measurement is abandoned.")
    args = ap.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(PARTS)
    if unknown:
        ap.error(f"unknown part(s) for --skip: {', '.join(sorted(unknown))}")
    if args.articles is None:
        args.articles = 1000 if args.quick else 100_000
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    return args


def run_size(args: argparse.Namespace, articles: int, work: Path) -> dict:
    """Every measurement on one corpus size; a failed part leaves its keys None."""
    report: dict = {k: None for k in m.KEYS}
    report.update(articles=articles, cores=os.cpu_count(), date=datetime.now().isoformat(timespec="seconds"),
                  notes=[], quick=args.quick, seed=args.seed, load_before=os.getloadavg()[0],
                  parsers_compiled=m.parsers_compiled())
    corpus = args.out if args.out and not args.scaling else (args.out or work) / f"corpus_{articles}"
    started = time.perf_counter()
    try:
        stats, reused = ensure_corpus(corpus, articles, args.seed)
    except (OSError, ValueError) as exc:
        m.note(report, f"cannot write the corpus: {exc}")
        return report
    report.update(files=stats.files, mb=stats.bytes / m.MiB, gen_s=None if reused else time.perf_counter() - started,
                  companies=stats.companies)
    _progress(f"{articles} articles: corpus {'reused' if reused else 'written'} at {corpus} "
              f"({stats.files} files, {stats.bytes / m.MiB:.1f} MiB)")
    mb, skip = report["mb"], args.skip
    if args.db and args.scaling:  # a folder that keeps one database per size
        args.db.mkdir(parents=True, exist_ok=True)
        db = args.db / f"bench_{articles}.duckdb"
    else:
        db = args.db or work / f"bench_{articles}.duckdb"
    have_db = db.exists() and "ingest" in skip
    if "ingest" not in skip:
        before = m.jieba_probe(report, corpus, args.timeout) if "jieba" not in skip else None
        _progress("ingest, one job …")
        have_db = m.measure_ingest(report, corpus, db, mb, 1, args.timeout, args.profile)
        if before is not None:
            m.bracket_jieba(report, before, m.jieba_probe(report, corpus, args.timeout))
    if "jobs2" not in skip:
        _progress("ingest, two jobs …")
        m.measure_parallelism(report)
        db2 = work / f"bench_{articles}_jobs2.duckdb"
        m.measure_ingest(report, corpus, db2, mb, 2, args.timeout)
        db2.unlink(missing_ok=True)
    if "jieba" not in skip:
        _progress("bare jieba …")
        m.measure_jieba(report, corpus, args.jieba_mb, args.timeout)
        report["ingest_vs_jieba"] = m._ratio(report["ingest_mb_per_s"], report["jieba_mb_per_s"])
        report["ingest_vs_jieba_cpu"] = m._ratio(report.get("ingest_cpu_mb_per_s"), report.get("jieba_cpu_mb_per_s"))
    if "cli" not in skip:
        _progress("cold starts …")
        m.measure_cold(report, db if have_db else None, 5 if args.quick else 7)
    if not have_db:
        m.note(report, "no database, so search and the dashboard were not measured")
        report["load_after"] = os.getloadavg()[0]
        return report
    if "search" not in skip:
        _progress("search …")
        m.measure_search(report, db, 3 if args.quick else 7, args.timeout)
    if "tui" not in skip:
        _progress("dashboard …")
        m.measure_tui(report, db, args.tui_sort_key, min(args.timeout, 600))
    report["load_after"] = os.getloadavg()[0]
    return report


def _progress(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------


ROWS = [
    ("articles", "articles", "{:,.0f}", ""),
    ("mb", "corpus", "{:.1f}", "MiB"),
    ("ingest_mb_per_s", "ingest, 1 job", "{:.2f}", "MiB/s"),
    ("ingest_ms_per_article", "ingest per article", "{:.2f}", "ms"),
    ("jieba_mb_per_s", "bare jieba.lcut", "{:.2f}", "MiB/s"),
    ("ingest_vs_jieba", "  ingest / jieba (target >= 0.7)", "{:.2f}", "x"),
    ("ingest_vs_jieba_cpu", "  the same in CPU time (less noisy)", "{:.2f}", "x"),
    ("jieba_around_cpu_mb_per_s", "jieba just before and after the ingest (CPU)", "{:.2f}", "MiB/s"),
    ("ingest_vs_jieba_around_cpu", "  ingest / that (CPU time, the same minutes)", "{:.2f}", "x"),
    ("ingest_jobs2_mb_per_s", "ingest, 2 jobs", "{:.2f}", "MiB/s"),
    ("jobs2_speedup", "  2 jobs / 1 job (target >= 1.5)", "{:.2f}", "x"),
    ("cpu_parallelism", "  2 processes / 1 on a plain loop (ceiling)", "{:.2f}", "x"),
    ("peak_rss_mb", "peak memory, 1 job (target < 1024)", "{:.0f}", "MiB"),
    ("peak_rss_jobs2_mb", "peak memory, 2 jobs (sum bound)", "{:.0f}", "MiB"),
    ("db_mb", "database file", "{:.0f}", "MiB"),
    ("search_p50_ms", "search p50 (target <= 20)", "{:.1f}", "ms"),
    ("search_p95_ms", "search p95 (target <= 100)", "{:.1f}", "ms"),
    ("scan_p50_ms", "contains() scan p50", "{:.1f}", "ms"),
    ("search_speedup", "  scan / search (target >= 20)", "{:.1f}", "x"),
    ("python_cold_s", "python -c 'import duckdb, click'", "{:.3f}", "s"),
    ("cli_cold_s", "parks query parks --format csv", "{:.3f}", "s"),
    ("cli_vs_python", "  cli / python (target <= 2.5)", "{:.2f}", "x"),
    ("tui_first_paint_s", "dashboard first paint (target <= 1.5)", "{:.2f}", "s"),
    ("tui_first_sort_ms", "  sort the first tab (parks)", "{:.0f}", "ms"),
    ("tui_tab_ms", "  open the articles tab", "{:.0f}", "ms"),
    ("tui_sort_ms", "  sort articles (target <= 200)", "{:.0f}", "ms"),
    ("tui_filter_ms", "  filter articles (target <= 200)", "{:.0f}", "ms"),
    ("tui_figures_tab_ms", "  open the metrics tab (all figures)", "{:.0f}", "ms"),
    ("tui_figures_sort_ms", "  sort figures", "{:.0f}", "ms"),
    ("tui_figures_filter_ms", "  filter figures", "{:.0f}", "ms"),
]


def table(report: dict) -> str:
    lines = [f"{report['articles']:,} articles, {report.get('cores')} cores, load average "
             f"{report.get('load_before') or 0:.1f} before and {report.get('load_after') or 0:.1f} after "
             "(above the core count, wall times are inflated; CPU-time ratios are steadier)"]
    for key, label, fmt, unit in ROWS:
        v = report.get(key)
        shown = "—" if v is None else fmt.format(v)
        lines.append(f"{label:<42} {shown:>12} {unit}")
    if report.get("search_mismatches"):
        lines.append(f"{'search != scan for':<42} {', '.join(report['search_mismatches'])}")
    return "\n".join(lines)


def growth(rows: list[dict]) -> dict:
    """Log-log slopes between the smallest and the largest size: 1 is linear, < 1 sub-linear."""
    def slope(key: str) -> float | None:
        pts = [(r["articles"], r[key]) for r in rows if r.get(key)]
        if len(pts) < 2 or pts[0][0] == pts[-1][0]:
            return None
        (n0, v0), (n1, v1) = pts[0], pts[-1]
        return math.log(v1 / v0) / math.log(n1 / n0)

    out = {f"{k}_slope": slope(k) for k in ("ingest_s", "search_p50_ms", "search_p95_ms", "scan_p50_ms",
                                            "cli_cold_s", "tui_first_paint_s", "tui_sort_ms", "tui_filter_ms",
                                            "peak_rss_mb")}
    s_ing, s_search = out["ingest_s_slope"], out["search_p50_ms_slope"]
    out["ingest_linear"] = None if s_ing is None else 0.85 <= s_ing <= 1.15
    out["search_sublinear"] = None if s_search is None else s_search < 0.9
    return out


def scaling_table(rows: list[dict]) -> str:
    keys = [("ingest_ms_per_article", "ingest ms/article"), ("ingest_mb_per_s", "ingest MiB/s"),
            ("search_p50_ms", "search p50 ms"), ("search_p95_ms", "search p95 ms"), ("scan_p50_ms", "scan p50 ms"),
            ("cli_cold_s", "cli cold s"), ("tui_first_paint_s", "first paint s"), ("tui_sort_ms", "sort ms"),
            ("tui_filter_ms", "filter ms"), ("tui_figures_sort_ms", "figures sort ms"),
            ("peak_rss_mb", "peak MiB")]
    head = f"{'':<20}" + "".join(f"{r['articles']:>12,}" for r in rows)
    body = [f"{label:<20}" + "".join(f"{'—' if r.get(k) is None else format(r[k], '.2f'):>12}" for r in rows)
            for k, label in keys]
    return "\n".join([head, *body])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="parks-bench-"))
    try:
        if args.scaling:
            sizes = [1000, 10_000] + ([] if args.quick else [100_000])
            rows = [run_size(args, n, work) for n in sizes]
            report = {**rows[-1], "scaling": rows, **growth(rows)}
            print(scaling_table(rows))
            print()
            print(json.dumps(growth(rows)))
        else:
            report = run_size(args, args.articles, work)
        print(table(report))
        if args.json:
            print(json.dumps(report, ensure_ascii=False, default=str))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
