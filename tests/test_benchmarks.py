"""The benchmark harness's own small checks: a deterministic generator and a complete JSON report.

The benchmarks themselves are not part of the suite's time; `PARKS_BENCH=1 pytest
tests/test_benchmarks.py` also runs the harness with --quick (what CI does when asked).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import generator  # noqa: E402
from benchmarks.__main__ import growth  # noqa: E402
from benchmarks.measure import KEYS  # noqa: E402


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*.txt")):
        h.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a = generator.generate(tmp_path / "a", 200, seed=7)
    b = generator.generate(tmp_path / "b", 200, seed=7)
    generator.generate(tmp_path / "c", 200, seed=8)
    assert a.articles == b.articles == 200
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_generated_pages_look_like_the_sample(tmp_path: Path) -> None:
    stats = generator.generate(tmp_path, 200, seed=1)
    files = sorted(tmp_path.rglob("*.txt"))
    assert len(files) == stats.files and sum(f.stat().st_size for f in files) == stats.bytes
    texts = [f.read_text(encoding="utf-8") for f in files]
    titles = sum(t.count("\n# ") + t.startswith("# ") + t.count("\n## ") for t in texts)
    assert titles >= 200  # every article has a heading (subheads come on top)
    assert not any("\ue000" <= ch <= "\ue0ff" for t in texts for ch in t)  # no placeholder left
    parks = {p.name for p in generator.load_parks()}
    named = {p for p in parks if any(p in t for t in texts)}
    assert len(named) >= 20  # parks vary


def test_vocabulary_grows_with_the_corpus(tmp_path: Path) -> None:
    small = generator.generate(tmp_path / "s", 100, seed=0)
    large = generator.generate(tmp_path / "l", 800, seed=0)
    assert small.companies < large.companies < 8 * small.companies  # grows, sub-linearly


def test_growth_tells_linear_from_sublinear() -> None:
    rows = [{"articles": 1000, "ingest_s": 2.0, "search_p50_ms": 2.0},
            {"articles": 10_000, "ingest_s": 20.5, "search_p50_ms": 4.0}]
    g = growth(rows)
    assert g["ingest_linear"] is True and g["search_sublinear"] is True
    rows[1]["search_p50_ms"] = 25.0
    assert growth(rows)["search_sublinear"] is False


def _harness(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def test_json_report_has_every_key(tmp_path: Path) -> None:
    proc = _harness("--articles", "200", "--json", "--skip", "jobs2,jieba,search,cli,tui",
                    "--out", str(tmp_path / "corpus"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(KEYS) <= set(report)
    assert report["articles"] == 200 and report["mb"] > 0
    assert report["jieba_mb_per_s"] is None  # skipped parts are null, not absent


@pytest.mark.skipif(os.environ.get("PARKS_BENCH") != "1", reason="set PARKS_BENCH=1 to run the quick benchmark")
def test_quick_benchmark_runs() -> None:
    proc = _harness("--quick", "--json", timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert set(KEYS) <= set(report)
    print(proc.stdout)
