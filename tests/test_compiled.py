"""The parsers compiled by mypyc give the same results as their .py files, and a .py edited after
the compile is never silently ignored in a source checkout."""

from __future__ import annotations

import ast
import importlib.machinery
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parks.parsers import compiled

ROOT = Path(__file__).resolve().parents[1]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]

# A digest of every parse of the sample corpus, and where figures.py was loaded from.
DIGEST = """
import hashlib
from pathlib import Path
from parks.parsers import figures
from parks.parsers.pipeline import parse_path
h = hashlib.sha256()
for p in sorted(Path(%r).iterdir()):
    h.update(repr(parse_path(str(p), None, None)).encode())
print(h.hexdigest(), Path(figures.__file__).name)
"""


def _digest(pure: bool) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PARKS_PURE_PYTHON"}
    if pure:
        env["PARKS_PURE_PYTHON"] = "1"
    out = subprocess.run([sys.executable, "-c", DIGEST % str(ROOT / "sample_corpus")], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return out[0], out[1]


def test_the_compiled_parsers_read_the_sample_corpus_exactly_as_the_source_does() -> None:
    compiled_digest, loaded = _digest(pure=False)
    if not loaded.endswith(SUFFIX):
        pytest.skip("the parsers are installed as plain Python here (no mypyc or no C compiler)")
    source_digest, loaded_pure = _digest(pure=True)
    assert loaded_pure == "figures.py"
    assert compiled_digest == source_digest


def _checkout(tmp_path: Path, built_after_edit: bool) -> Path:
    folder = tmp_path / "parsers"
    folder.mkdir()
    (tmp_path / "setup.py").write_text("", encoding="utf-8")
    for name in compiled.COMPILED:
        (folder / f"{name}.py").write_text("", encoding="utf-8")
        (folder / f"{name}{SUFFIX}").write_bytes(b"")
    edited = folder / "figures.py"
    ext = folder / f"figures{SUFFIX}"
    old, new = (edited, ext) if built_after_edit else (ext, edited)
    os.utime(old, (1_000_000, 1_000_000))
    os.utime(new, (2_000_000, 2_000_000))
    return folder


def test_a_module_edited_after_the_compile_is_reported_stale(tmp_path: Path) -> None:
    assert compiled.stale_modules(_checkout(tmp_path, built_after_edit=False)) == ["figures"]


def test_a_fresh_compile_is_not_stale(tmp_path: Path) -> None:
    assert compiled.stale_modules(_checkout(tmp_path, built_after_edit=True)) == []


def test_an_installed_package_is_never_judged_by_its_files_times(tmp_path: Path) -> None:
    folder = _checkout(tmp_path, built_after_edit=False)
    (tmp_path / "setup.py").unlink()  # site-packages/parks has no setup.py beside parsers/
    assert compiled.stale_modules(folder) == []


def test_the_source_finder_serves_only_the_compiled_modules(tmp_path: Path) -> None:
    finder = compiled._SourceFirst(tmp_path)
    spec = finder.find_spec("parks.parsers.figures")
    assert spec is not None and spec.origin == str(tmp_path / "figures.py")
    assert finder.find_spec("parks.parsers.pipeline") is None
    assert finder.find_spec("figures") is None



def _written_inits() -> list[tuple[str, ast.ClassDef, ast.FunctionDef]]:
    """Dataclasses of the compiled modules whose __init__ is written out (parsers/compiled.py says
    why), read from the source: a compiled class shows no signature."""
    found = []
    for name in compiled.COMPILED:
        tree = ast.parse((compiled.HERE / f"{name}.py").read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any("dataclass" in ast.unparse(d) for d in node.decorator_list):
                init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
                if init is not None:
                    found.append((f"{name}.{node.name}", node, init))
    return found


def test_the_hot_records_write_their_init_out() -> None:
    names = {name.split(".")[1] for name, _, _ in _written_inits()}
    assert {"Keyword", "Choice", "Quantity", "GenericRef", "_Anchor", "_Time", "_Draft", "_Unit"} <= names


@pytest.mark.parametrize(("name", "cls", "init"), _written_inits(), ids=[n for n, _, _ in _written_inits()])
def test_a_written_init_takes_the_fields_in_order_with_their_defaults(name: str, cls: ast.ClassDef,
                                                                     init: ast.FunctionDef) -> None:
    """A field added to the class but not to its __init__, or a default changed in one place only,
    would make the record differ from the one @dataclass builds; every field is also assigned."""
    fields = [(f.target.id, ast.unparse(f.value) if f.value else None) for f in cls.body
              if isinstance(f, ast.AnnAssign) and isinstance(f.target, ast.Name)]
    args = init.args.args[1:]
    defaults = [None] * (len(args) - len(init.args.defaults)) + [ast.unparse(d) for d in init.args.defaults]
    assert [(a.arg, d) for a, d in zip(args, defaults, strict=True)] == fields
    assigned = ast.unparse(init)
    for field_name, _ in fields:
        assert f"self.{field_name} = {field_name}" in assigned or f"(self, '{field_name}', {field_name})" in assigned


def test_the_parser_modules_type_check_as_mypyc_needs(tmp_path: Path) -> None:
    """mypyc type-checks every parser module before it compiles; on an error the install quietly
    falls back to plain Python (setup.py), about 15% slower. So the check runs here, on the parser
    modules staged as setup.py stages them, with the same options."""
    api = pytest.importorskip("mypy.api")
    root = tmp_path / "stage"
    files = [str(path) for path in compiled.stage(root)]
    cwd = os.getcwd()
    os.chdir(root)
    try:
        out, err, status = api.run([*compiled.MYPYC_OPTIONS, "--cache-dir", str(tmp_path / ".mypy_cache"), *files])
    finally:
        os.chdir(cwd)
    assert status == 0, out + err
