"""Loading the shipped reference data (gazetteer, industries, metrics) into the store.

Done at every ingest so that a user who extends a data file sees the change after the next run,
while parks found in the text (listed = false) are kept unless the gazetteer now knows them.
"""

from __future__ import annotations

import duckdb

from ..parsers.data import gazetteer_rows, read_csv
from .db import rollback
from .ingest_util import bulk_insert


def refresh_reference(con: duckdb.DuckDBPyConnection) -> None:
    parks = [p for p in gazetteer_rows() if not p.get("parent")]  # areas inside a park are not parks
    industries = read_csv("industries.csv")
    metrics = read_csv("metrics.csv")
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM parks WHERE listed")
        names = [p["canonical"] for p in parks]
        aliases = [a for p in parks for a in (p.get("aliases") or "").split("|") if a]
        con.execute("DELETE FROM parks WHERE park IN (SELECT unnest(?::VARCHAR[]))", [names + aliases])
        bulk_insert(con, "parks", [
            names, [p["official_name"] for p in parks], [p["kind"] for p in parks],
            [p["province"] for p in parks], [p["city"] for p in parks],
            [int(p["approved_year"]) if (p.get("approved_year") or "").isdigit() else None for p in parks],
            [p.get("aliases", "") for p in parks], [True] * len(parks),
        ])
        con.execute("DELETE FROM industries")
        bulk_insert(con, "industries", [[r[k] for r in industries] for k in ("id", "name_zh", "name_en", "level", "synonyms")])
        con.execute("DELETE FROM metrics")
        bulk_insert(con, "metrics", [[r[k] for r in metrics] for k in ("id", "name_zh", "name_en", "unit", "group")])
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
