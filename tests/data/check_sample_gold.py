#!/usr/bin/env python3
"""Consistency check for the hand-made annotation of `sample_corpus/` (a tool, not a test).

Run from the project root:  .venv/bin/python tests/data/check_sample_gold.py

It decodes every page with the encoding it was written in (and checks that the GB18030 and
Big5 pages are really not UTF-8), converts the traditional-character pages to simplified with
OpenCC, and then checks that

* sample_gold.csv, sample_parks.csv and sample_articles.csv parse and have the expected columns;
* every `file` names an existing page;
* every gold snippet occurs in the decoded (simplified) text of its file;
* values, units, qualifiers, periods, bases and statuses use the documented vocabulary;
* every park is a canonical gazetteer name or one of the unlisted parks we wrote on purpose;
* every article title occurs in its page, and every page is 3,000-12,000 characters long.

Being written to be read: when the annotation changes, run it and fix what it prints.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "sample_corpus"
DATA = Path(__file__).resolve().parent
GAZETTEER = ROOT / "parsers" / "data" / "parks.csv"
METRICS = ROOT / "parsers" / "data" / "metrics.csv"

# The encoding each page was saved in; pages not listed are UTF-8.
ENCODINGS = {"20220415_optics_valley.txt": "gb18030", "tw_parks_big5.txt": "big5"}
# Pages written in traditional characters: compared after traditional -> simplified conversion.
TRADITIONAL = {"tw_parks_traditional.txt", "tw_parks_big5.txt"}
# Parks deliberately written that are not in the gazetteer.
UNLISTED = {"南乐经济技术开发区", "信丰工业园区", "宜宾临港经济技术开发区"}

GOLD_COLUMNS = ["file", "scope", "park", "metric", "value", "value_max", "unit", "qualifier",
                "period", "basis", "status", "industry", "snippet"]
QUALIFIERS = {"=", "~", ">", ">=", "<", "<="}
BASES = re.compile(r"^(level|yoy|change|since:\d{4})$")
STATUSES = {"actual", "target", "forecast"}
PERIOD = re.compile(r"^(\d{4}|\d{4}Q[1-4]|\d{4}H[12]|\d{4}-\d{2}|\d{4}-\d{2}\.\.\d{2})?$")


def page_text(name: str, problems: list[str]) -> str:
    raw = (CORPUS / name).read_bytes()
    enc = ENCODINGS.get(name, "utf-8")
    if enc != "utf-8":
        try:
            raw.decode("utf-8")
            problems.append(f"{name}: meant to be {enc} but is valid UTF-8")
        except UnicodeDecodeError:
            pass
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        problems.append(f"{name}: does not decode as {enc}: {exc}")
        return ""
    if name in TRADITIONAL:
        import opencc  # a project dependency

        text = opencc.OpenCC("t2s").convert(text)
    return text


def visible_length(name: str, text: str) -> int:
    if name.endswith((".html", ".htm")):
        text = re.sub(r"(?is)<(script|style|nav|footer)\b.*?</\1>", "", text)
        text = re.sub(r"(?s)<[^>]+>", "", text)
    return len(re.sub(r"\s+", "", text))


def read_csv(path: Path, columns: list[str], problems: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != columns:
            problems.append(f"{path.name}: columns {reader.fieldnames} != {columns}")
        return list(reader)


def main() -> int:
    problems: list[str] = []
    pages = sorted(p.name for p in CORPUS.iterdir()
                   if p.suffix in {".txt", ".md", ".html", ".htm"} and p.name != "README.md")
    texts = {name: page_text(name, problems) for name in pages}
    for name, text in texts.items():
        n = visible_length(name, text)
        if not 3000 <= n <= 12000:
            problems.append(f"{name}: {n} non-space characters, outside 3,000-12,000")

    canon = {r["canonical"] for r in csv.DictReader(GAZETTEER.open(encoding="utf-8"))}
    metrics = {r["id"] for r in csv.DictReader(METRICS.open(encoding="utf-8"))}

    gold = read_csv(DATA / "sample_gold.csv", GOLD_COLUMNS, problems)
    for i, g in enumerate(gold, start=2):
        where = f"sample_gold.csv:{i}"
        if g["file"] not in texts:
            problems.append(f"{where}: unknown file {g['file']}")
            continue
        if g["snippet"] not in texts[g["file"]]:
            problems.append(f"{where}: snippet not in {g['file']}: {g['snippet']}")
        if g["scope"] not in {"gold", "allowed"}:
            problems.append(f"{where}: scope {g['scope']}")
        if g["park"] not in canon | UNLISTED:
            problems.append(f"{where}: park {g['park']} is neither canonical nor a known unlisted park")
        if g["metric"] not in metrics:
            problems.append(f"{where}: metric {g['metric']}")
        try:
            float(g["value"])
            if g["value_max"]:
                float(g["value_max"])
        except ValueError:
            problems.append(f"{where}: value {g['value']!r} / {g['value_max']!r}")
        if g["qualifier"] not in QUALIFIERS:
            problems.append(f"{where}: qualifier {g['qualifier']}")
        if not BASES.match(g["basis"]):
            problems.append(f"{where}: basis {g['basis']}")
        if g["status"] not in STATUSES:
            problems.append(f"{where}: status {g['status']}")
        if not PERIOD.match(g["period"]):
            problems.append(f"{where}: period {g['period']}")
        if g["basis"] in {"yoy"} and g["unit"] not in {"%", "倍"}:
            problems.append(f"{where}: a yoy row should be in % or 倍")

    parks = read_csv(DATA / "sample_parks.csv", ["file", "park", "role"], problems)
    for i, r in enumerate(parks, start=2):
        if r["file"] not in texts:
            problems.append(f"sample_parks.csv:{i}: unknown file {r['file']}")
        if r["role"] not in {"subject", "mentioned"}:
            problems.append(f"sample_parks.csv:{i}: role {r['role']}")
        if r["park"] not in canon | UNLISTED:
            problems.append(f"sample_parks.csv:{i}: park {r['park']}")
    subjects = {(r["file"], r["park"]) for r in parks}
    for g in gold:
        if g["scope"] == "gold" and (g["file"], g["park"]) not in subjects:
            problems.append(f"sample_parks.csv: gold rows for {g['park']} in {g['file']} but no parks row")
            subjects.add((g["file"], g["park"]))

    articles = read_csv(DATA / "sample_articles.csv", ["file", "park", "title"], problems)
    squash = re.compile(r"[\s#*]+")
    for i, a in enumerate(articles, start=2):
        if a["file"] not in texts:
            problems.append(f"sample_articles.csv:{i}: unknown file {a['file']}")
            continue
        title = a["title"]
        if a["file"] in TRADITIONAL:
            import opencc

            title = opencc.OpenCC("t2s").convert(title)
        if title and squash.sub("", title) not in squash.sub("", texts[a["file"]]):
            problems.append(f"sample_articles.csv:{i}: title not in page: {a['title']}")
        if a["park"] and a["park"] not in canon | UNLISTED:
            problems.append(f"sample_articles.csv:{i}: park {a['park']}")

    n_gold = sum(g["scope"] == "gold" for g in gold)
    print(f"{len(pages)} pages, {len(gold)} annotated figures ({n_gold} gold), "
          f"{len({r['park'] for r in parks})} parks, {len(articles)} articles")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
