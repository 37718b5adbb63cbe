"""Which parser modules setup.py compiles with mypyc, and a guard for source checkouts.

An editable install (`pip install -e .`) leaves each compiled module's C extension beside its .py,
and Python imports the extension first: a .py edited afterwards would be silently ignored. So in a
source checkout, when any compiled module is older than its .py, all of them are imported from
their .py instead (slower, same results), with a note on stderr until the next install. An
installed package is never touched: its files' times say nothing about their contents.

The records these modules make by the thousand (Keyword, Quantity, _Anchor, _Unit …) write their
`__init__` out although they are dataclasses: mypyc compiles only the methods written in a class,
and the `__init__` that @dataclass generates runs as interpreted Python, 6 to 15 times slower to
call (a frozen one sets each field through object.__setattr__, which mypyc compiles to a plain
store). Together they were about 6% of a compiled parse's instructions (cachegrind).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

# Where ingest spends its time (python -m benchmarks.profile); setup.py reads this list.
COMPILED = ("figures", "numbers", "parks", "splitter", "metrics", "lexicon", "companies", "industries", "dates", "units",
            "gazetteer")
PACKAGE = "parks.parsers"
HERE = Path(__file__).resolve().parent
MYPYC_OPTIONS = ("--ignore-missing-imports",)  # what setup.py passes to mypyc before the module paths


def stage(root: Path) -> list[Path]:
    """Copy every parser module to root/parks/parsers and return the compiled ones' paths relative
    to root: mypyc names a module by its folders, and ours live in `parsers/` but are imported as
    `parks.parsers`. setup.py compiles from there; tests/test_compiled.py type-checks there."""
    import shutil

    target = root / "parks" / "parsers"
    shutil.rmtree(root, ignore_errors=True)
    target.mkdir(parents=True)
    (target.parent / "__init__.py").write_text("", encoding="utf-8")
    for src in HERE.glob("*.py"):
        shutil.copy2(src, target / src.name)
    return [Path("parks") / "parsers" / f"{name}.py" for name in COMPILED]


def stale_modules(folder: Path = HERE) -> list[str]:
    """The compiled modules whose .py changed after their extension was built (source checkouts only)."""
    if not (folder.parent / "setup.py").is_file():
        return []
    stale = []
    for name in COMPILED:
        built = [p for s in importlib.machinery.EXTENSION_SUFFIXES if (p := folder / f"{name}{s}").is_file()]
        source = folder / f"{name}.py"
        if built and source.is_file() and source.stat().st_mtime > max(p.stat().st_mtime for p in built):
            stale.append(name)
    return stale


class _SourceFirst:
    """A meta path finder that imports the compiled modules from their .py files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != PACKAGE or name not in COMPILED:
            return None
        return importlib.util.spec_from_file_location(fullname, self.folder / f"{name}.py")


def use_sources_if_stale() -> None:
    """Also with PARKS_PURE_PYTHON=1 in the environment (quietly): to compare, or to rule mypyc out."""
    forced = bool(os.environ.get("PARKS_PURE_PYTHON"))
    stale = [] if forced else stale_modules()
    if (forced or stale) and not any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst(HERE))
    if stale:
        print(f"parks: parsers/{stale[0]}.py changed after it was compiled; the parsers run as plain Python "
              "(slower) until `pip install -e .` is run again", file=sys.stderr)
