"""Where ingest spends its time: `python -m benchmarks.profile [--articles 2000] [--stats FILE]`.

Profiles a one-job ingest of a generated corpus with cProfile (in a worker process), then prints
the own time per module (what each parser and the store cost), the top functions by own time, and
the project's functions by cumulative time. With --stats it only reports on an existing dump.
"""

from __future__ import annotations

import argparse
import pstats
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from . import measure as m
from .generator import ensure_corpus


def _module(filename: str) -> str:
    p = Path(filename)
    parts = p.parts
    for root in ("parsers", "store", "cli", "tui", "benchmarks"):
        if root in parts and "site-packages" not in parts:
            return f"{root}/{p.name}"
    if "site-packages" in parts:
        i = parts.index("site-packages")
        return parts[i + 1] if i + 1 < len(parts) else p.name
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins"
    return "stdlib/" + p.name


def report(stats_file: str, top: int = 25) -> str:
    st = pstats.Stats(stats_file)
    total = st.total_tt  # type: ignore[attr-defined]
    per_module: dict[str, float] = defaultdict(float)
    funcs = []
    for (filename, line, name), (_cc, nc, tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        per_module[_module(filename)] += tt
        funcs.append((tt, ct, nc, f"{_module(filename)}:{line}:{name}"))
    out = [f"total {total:.2f} s (profiled; cProfile adds overhead to Python-heavy code)", "",
           "own time by module:"]
    for mod, tt in sorted(per_module.items(), key=lambda kv: -kv[1])[:top]:
        out.append(f"  {tt:8.2f} s {100 * tt / total:5.1f}%  {mod}")
    out += ["", "top functions by own time:"]
    for tt, ct, nc, name in sorted(funcs, reverse=True)[:top]:
        out.append(f"  {tt:8.2f} s own {ct:8.2f} s cum {nc:>9} calls  {name}")
    out += ["", "project functions by cumulative time:"]
    ours = [f for f in funcs if f[3].split("/")[0] in ("parsers", "store")]
    for tt, ct, nc, name in sorted(ours, key=lambda f: -f[1])[:top]:
        out.append(f"  {ct:8.2f} s cum {100 * ct / total:5.1f}% {tt:8.2f} s own {nc:>9} calls  {name}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, help="Corpus folder (reused when it holds the same corpus).")
    ap.add_argument("--stats", help="Report on this cProfile dump instead of profiling afresh.")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    if args.stats:
        if not Path(args.stats).is_file():
            print(f"--stats {args.stats}: no such cProfile dump", file=sys.stderr)
            return 1
        print(report(args.stats, args.top))
        return 0
    if m.parsers_compiled():
        print("the parsers are compiled by mypyc: cProfile cannot look inside them; "
              "PARKS_PURE_PYTHON=1 profiles their Python source", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="parks-prof-") as tmp:
        corpus = args.out or Path(tmp) / "corpus"
        stats, _ = ensure_corpus(corpus, args.articles, args.seed)
        dump = Path(tmp) / "ingest.prof"
        rep: dict = {}
        ok = m.measure_ingest(rep, corpus, Path(tmp) / "prof.duckdb", stats.bytes / m.MiB, 1, 3600, str(dump))
        if not ok or not dump.exists():
            print("ingest failed; nothing to profile", file=sys.stderr)
            return 1
        print(f"{args.articles} articles, {stats.bytes / m.MiB:.1f} MiB, ingest {rep['ingest_s']:.1f} s under cProfile")
        print(report(str(dump), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
