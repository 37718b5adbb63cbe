"""Run `parks --db DB ingest CORPUS` and SIGKILL this very process at a chosen point.

    python crash_at.py MODULE:FUNCTION N DB CORPUS [INGEST OPTIONS...]

The function is wrapped so that its N-th call runs and then the process kills itself with
SIGKILL (no cleanup, no atexit, no rollback: the same as `kill -9` from outside, but at a point
chosen exactly, e.g. inside a document transaction before its COMMIT, or between the search
index's fold and its commit). With CRASH_SIGNAL=INT in the environment it sends SIGINT to its
whole process group instead: Ctrl-C on a terminal, at a chosen point (start it in a session of
its own). Ingest options default to --quiet.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys


def main() -> None:
    target, nth, db, corpus = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    options = sys.argv[5:] or ["--quiet"]
    ctrl_c = os.environ.get("CRASH_SIGNAL") == "INT"
    if ctrl_c:
        # As in a terminal's foreground job: a test run started in the background (`cmd &` in a
        # script) inherits SIGINT ignored, and Ctrl-C would then never reach the ingest.
        signal.signal(signal.SIGINT, signal.default_int_handler)
    module_name, func_name = target.split(":")
    module = importlib.import_module(module_name)
    real = getattr(module, func_name)
    calls = 0

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        result = real(*args, **kwargs)
        calls += 1
        if calls == nth and ctrl_c:
            os.killpg(os.getpgid(0), signal.SIGINT)
        elif calls >= nth and not ctrl_c:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, func_name, wrapper)
    from parks.main import cli

    cli(["--db", db, "ingest", corpus, *options], prog_name="parks")


if __name__ == "__main__":
    main()
