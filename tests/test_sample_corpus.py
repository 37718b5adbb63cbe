"""The bundled sample corpus keeps its promises: enough pages, every format and encoding the reader
handles, at least 15 parks and every metric group, and an annotation that agrees with the pages.

The pages are read from the installed package data, as the first run reads them.
"""

from __future__ import annotations

import csv
import importlib.util
from importlib import resources
from pathlib import Path

import pytest

from parks.parsers.dates import find_date
from parks.parsers.normalize import to_simplified
from parks.parsers.reader import format_of, read_source

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED_METRICS = ROOT.parent / "shared" / "taxonomy" / "metrics.csv"
CORPUS = Path(str(resources.files("parks.sample_corpus")))


def pages() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if format_of(p) and p.stem.upper() != "README")


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_at_least_ten_pages_of_several_articles() -> None:
    found = pages()
    assert len(found) >= 10
    titles = rows(DATA / "sample_articles.csv")
    per_page = {p.name: sum(r["file"] == p.name for r in titles) for p in found}
    assert all(n >= 2 for n in per_page.values()), per_page


def test_every_encoding_and_format_is_represented() -> None:
    sources = [read_source(p) for p in pages()]
    assert "gb18030" in {s.encoding for s in sources}
    assert {"txt", "md", "html"} <= {s.format for s in sources}
    traditional = [s for s in sources if sum(a != b for a, b in zip(s.text, to_simplified(s.text), strict=True)) > 100]
    assert traditional, "no page written in traditional characters"
    dated_md = [s for s in sources if s.format == "md" and find_date(s.text)[0] and not find_date(s.text)[1]]
    assert dated_md, "no Markdown page carrying its own date"


def test_at_least_15_parks_and_every_metric_group() -> None:
    gold = [r for r in rows(DATA / "sample_gold.csv") if r["scope"] == "gold"]
    assert len({r["park"] for r in gold if r["park"]}) >= 15
    for taxonomy in (ROOT / "parsers" / "data" / "metrics.csv", SHARED_METRICS):
        if not taxonomy.is_file():
            continue
        group = {r["id"]: r["group"] for r in rows(taxonomy)}
        covered = {group[r["metric"]] for r in gold if r["metric"] in group}
        assert covered == set(group.values()), f"{taxonomy}: {set(group.values()) - covered} not covered"


def test_the_annotation_agrees_with_the_pages(capsys: pytest.CaptureFixture[str]) -> None:
    """tests/data/check_sample_gold.py: every gold snippet, park and title occurs in its page."""
    spec = importlib.util.spec_from_file_location("check_sample_gold", DATA / "check_sample_gold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main() == 0, capsys.readouterr().out
