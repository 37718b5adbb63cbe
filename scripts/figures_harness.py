"""Dev tool: run the parsers on a folder of pages and write the metrics CSV that score.py reads.

    .venv/bin/python scripts/figures_harness.py ../shared/corpus -o /tmp/metrics.csv [--with-cityless]
    python ../shared/eval/score.py --extracted /tmp/metrics.csv

It runs the same parse as `parks ingest` (parsers.pipeline.parse_path) without a database, so the
figures extractor can be scored while the store and the CLI change. Rows without a park (a city's,
a province's or the country's figures) are left out unless --with-cityless, as the metrics query
of a park dashboard would.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from parks.parsers.pipeline import Failure, parse_path

COLUMNS = ["park", "metric", "value", "value_max", "unit", "qualifier", "period", "basis", "status", "industry",
           "source", "quote"]


def _num(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:.10g}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("-o", "--out", type=Path, default=Path("/tmp/figures_metrics.csv"))
    ap.add_argument("--with-cityless", action="store_true", help="keep figures whose park is ''")
    args = ap.parse_args()
    rows = []
    t0 = time.perf_counter()
    files = sorted(p for p in args.corpus.iterdir() if p.suffix.lower() in (".txt", ".md", ".html", ".htm") and p.name.lower() != "readme.md")
    for path in files:
        doc = parse_path(str(path))
        if isinstance(doc, Failure):
            print(f"{path.name}: {doc.reason}", file=sys.stderr)
            continue
        for pa in doc.articles:
            for f in pa.figures:
                if not f.park and not args.with_cityless:
                    continue
                rows.append({"park": f.park, "metric": f.metric, "value": _num(f.value), "value_max": _num(f.value_max),
                             "unit": f.unit, "qualifier": f.qualifier, "period": f.period, "basis": f.basis,
                             "status": f.status, "industry": f.industry, "source": str(path), "quote": f.quote})
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} rows from {len(files)} files in {time.perf_counter() - t0:.2f}s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
