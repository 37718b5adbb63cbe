"""Run `parks --db DB ingest CORPUS` and SIGKILL this very process at a chosen point.

    python crash_at.py MODULE:FUNCTION N DB CORPUS

The function is wrapped so that its N-th call runs and then the process kills itself with
SIGKILL (no cleanup, no atexit, no rollback: the same as `kill -9` from outside, but at a point
chosen exactly, e.g. inside a document transaction before its COMMIT, or between the search
index's fold and its commit).
"""

from __future__ import annotations

import importlib
import os
import signal
import sys


def main() -> None:
    target, nth, db, corpus = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    module_name, func_name = target.split(":")
    module = importlib.import_module(module_name)
    real = getattr(module, func_name)
    calls = 0

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        result = real(*args, **kwargs)
        calls += 1
        if calls >= nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, func_name, wrapper)
    from parks.main import cli

    cli(["--db", db, "ingest", corpus, "--quiet"], prog_name="parks")


if __name__ == "__main__":
    main()
