"""Benchmarks for parks: a corpus generator and a harness that measures ingest, search, start-up and
the dashboard at scale. Run from the repository root with `python -m benchmarks --help`.

Not installed and not part of the test suite's time; tests/test_benchmarks.py checks only that the
generator is deterministic and that the JSON report has every key.
"""
