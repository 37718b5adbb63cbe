"""Build hook: the parsers' busiest modules are compiled to C with mypyc when the machine can.

Why: ingest is pure-Python parsing (regular expressions, sets, small dataclasses) and most of its
time is the interpreter's own overhead. mypyc (the compiler mypy itself is shipped with) turns the
annotated modules into C extensions that give the same results, about 15% faster ingest. The
.py files stay installed beside them, and everything still works without a compiler: when mypyc
or a C compiler is missing, or PARKS_PURE_PYTHON=1 is set, the package is installed as plain
Python (a note on stderr says so; pip shows it with -v).

mypyc names a module by its folder, and ours live in `parsers/` but are imported as
`parks.parsers`: the sources are staged under build/mypyc-src/parks/parsers for it.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
# Which modules are compiled, with which options, staged how: parsers/compiled.py (read, not
# imported: the package is not importable while it is being built).
_BUILD = runpy.run_path(str(HERE / "parsers" / "compiled.py"))
STAGE = Path("build") / "mypyc-src"


def _say(message: str) -> None:
    print(f"parks build: {message}", file=sys.stderr)


def _stage() -> list[str]:
    """The compiled modules' sources, staged under STAGE as parks/parsers (see parsers/compiled.py)."""
    return [str(STAGE / path) for path in _BUILD["stage"](HERE / STAGE)]


def compiled_extensions() -> list:
    if os.environ.get("PARKS_PURE_PYTHON"):
        _say("PARKS_PURE_PYTHON is set: installing the parsers as plain Python")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _say("mypyc is not available: installing the parsers as plain Python")
        return []
    try:
        return mypycify([*_BUILD["MYPYC_OPTIONS"], *_stage()], opt_level="3", group_name="parks_parsers")
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - a failed compile must still leave an installable package
        why = "its errors are above" if isinstance(exc, SystemExit) else str(exc)  # mypy exits on type errors
        _say(f"mypyc could not compile the parsers ({why}): installing them as plain Python")
        return []


class OptionalBuildExt(build_ext):
    """Builds the compiled parsers, or none of them: a machine without a C compiler installs plain
    Python rather than failing (a partial build would mix compiled and stale modules)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - compiler errors come in many types
            _say(f"the C compiler failed ({exc}): installing the parsers as plain Python")
            for ext in self.extensions:
                Path(self.get_ext_fullpath(ext.name)).unlink(missing_ok=True)
            self.extensions = []


setup(ext_modules=compiled_extensions(), cmdclass={"build_ext": OptionalBuildExt})
