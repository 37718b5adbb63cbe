"""Packaging: one import package, dependencies that are really used, data files that really ship.

These read pyproject.toml and the source tree rather than build a wheel, so they run in a second;
`.ci/run` installs the project for real.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# Distribution names whose import name is not the name with - turned into _.
IMPORT_NAMES = {"pytest-textual-snapshot": "pytest_textual_snapshot"}
LOCAL = {"parks", "benchmarks", "tests", "query_fixtures", "tui_fixtures"}


def dist_name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower()


def import_name(dist: str) -> str:
    return IMPORT_NAMES.get(dist, dist.replace("-", "_"))


def top_level_imports(folders: list[Path]) -> set[str]:
    """Absolute imports of every .py file under `folders` (first component only)."""
    found: set[str] = set()
    for folder in folders:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found


def installed_folders() -> list[Path]:
    return [ROOT / folder for folder in SETUPTOOLS["package-dir"].values()]


def test_every_installed_package_is_under_parks() -> None:
    assert all(p == "parks" or p.startswith("parks.") for p in SETUPTOOLS["packages"])
    for package, folder in SETUPTOOLS["package-dir"].items():
        assert package.startswith("parks") and (ROOT / folder).is_dir(), package


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    """A dependency nobody imports only costs the user an install (and its files in site-packages)."""
    used = top_level_imports(installed_folders())
    unused = [d for d in map(dist_name, PYPROJECT["project"]["dependencies"]) if import_name(d) not in used]
    assert unused == []


def test_every_dependency_says_why() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    block = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    lines = [line for line in block.splitlines() if line.strip().startswith('"')]
    assert lines and all("#" in line for line in lines), [line for line in lines if "#" not in line]


def test_what_the_tests_import_is_installed_by_the_test_extra() -> None:
    declared = {import_name(dist_name(r)) for r in PYPROJECT["project"]["dependencies"]
                + PYPROJECT["project"]["optional-dependencies"]["test"]}
    third_party = top_level_imports([ROOT / "tests"]) - set(sys.stdlib_module_names) - LOCAL
    assert third_party - declared == set()
    assert {"pytest", "hypothesis"} <= declared


def package_folder(package: str) -> Path:
    """Where setuptools takes `package` from: its longest package-dir prefix, then its own names."""
    mapping = SETUPTOOLS["package-dir"]
    prefix = max((p for p in mapping if package == p or package.startswith(p + ".")), key=len)
    rest = package[len(prefix):].strip(".")
    return ROOT / mapping[prefix] / Path(*rest.split(".")) if rest else ROOT / mapping[prefix]


def test_data_files_are_package_data() -> None:
    """Every data file of a package matches its package-data patterns, so it ships in a
    non-editable install (the sample corpus must be there for the first run). Compiled parsers
    (.so, .pyd) are build products, not data."""
    patterns = SETUPTOOLS["package-data"]
    missing = [f"{package}: {path.relative_to(folder)}" for package in SETUPTOOLS["packages"]
               for folder in [package_folder(package)] for path in folder.rglob("*")
               if path.is_file() and path.suffix not in {".py", ".pyc", ".so", ".pyd"} and "__pycache__" not in path.parts
               and not any(fnmatch.fnmatch(str(path.relative_to(folder)), pat)
                           for pat in patterns.get(package, []))]
    assert missing == []
