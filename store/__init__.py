"""The DuckDB store: schema, ingest and the queries every view shares."""
