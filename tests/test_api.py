"""The Python API: docs/api.md's code runs as written, and the public names exist and are typed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bmnav

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "api.md"


def blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_the_doc_has_a_walk_through():
    assert len(blocks()) >= 8


def test_docs_api_code_runs(tmp_path, monkeypatch, capsys):
    """Every ```python block of docs/api.md, in order, in one namespace (like a notebook)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BMNAV_DATA", raising=False)
    namespace: dict[str, object] = {"__name__": "__docs_api__"}
    for i, code in enumerate(blocks(), 1):
        try:
            exec(compile(code, f"docs/api.md block {i}", "exec"), namespace)
        except Exception as exc:  # pragma: no cover - the message says which block broke
            pytest.fail(f"docs/api.md block {i} failed: {type(exc).__name__}: {exc}\n{code}")
    printed = capsys.readouterr().out
    assert "cases" in printed
    assert list(tmp_path.iterdir()) == []  # the walk-through writes only into its own temporary folder


@pytest.mark.parametrize(
    "name",
    [
        "load_corpus",
        "validate",
        "classify",
        "position",
        "compare",
        "diff",
        "maturity",
        "build_graph",
        "network_metrics",
        "export_rows",
        "build_report",
        "write_case",
        "card",
        "evaluate",
        "json_schema",
    ],
)
def test_public_names_are_documented_and_typed(name):
    func = getattr(bmnav, name)
    assert callable(func)
    assert func.__doc__, f"bmnav.{name} has no docstring"
    hints = func.__annotations__
    assert "return" in hints, f"bmnav.{name} has no return type"
    assert f"bmnav.{name}(" in DOC.read_text(encoding="utf-8")


def test_api_names_stay_functions_after_importing_every_module():
    """No API name is also a submodule's name: importing a submodule (as other
    modules do) sets it on the package and would replace the function."""
    import importlib
    import pkgutil
    import types

    submodules = {info.name for info in pkgutil.iter_modules(bmnav.__path__)}
    assert not submodules & set(bmnav._API)
    for name in submodules - {"__main__", "docgen"}:
        importlib.import_module(f"bmnav.{name}")
    for name, (module, attr) in bmnav._API.items():
        value = getattr(bmnav, name)
        assert not isinstance(value, types.ModuleType), name
        assert value is getattr(importlib.import_module(module), attr)


def test_a_submodule_imported_by_name_is_the_module():
    """`import bmnav.domain.metrics as m` gives the module, whether or not the API was used first."""
    code = (
        "import bmnav; bmnav.network_metrics; import bmnav.domain.metrics as m; "
        "assert callable(m.reciprocity) and m.metrics is bmnav.network_metrics; "
        "from bmnav.domain import metrics; assert metrics is m"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
    import bmnav.domain.metrics as m

    assert m.reciprocity.__module__ == "bmnav.domain.metrics"


def test_py_typed_ships():
    assert (ROOT / "bmnav" / "py.typed").is_file()


def test_import_bmnav_stays_light():
    code = (
        "import bmnav, sys; bmnav.__version__; "
        "assert not {'networkx', 'jsonschema', 'bmnav.render.report', 'bmnav.domain.flatten'} & set(sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)
