"""Damaged cache files are ignored and rebuilt: no crash, no exit 3, the answers of a run without cache.

The harness is benchmarks/cache_fuzz.py; this runs its small sample (every
cache file truncated, two bytes changed, junk, a 5-byte marshal header that
asks for 2 GiB, a folder in its place). `python benchmarks/cache_fuzz.py`
changes every byte of every file (see docs/security.md for the figures).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _harness():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("cache_fuzz", ROOT / "benchmarks" / "cache_fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("cache_fuzz", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_damaged_cache_files_change_nothing(tmp_path: Path) -> None:
    out = _harness().fuzz(tmp_path, level="tiny")
    assert out.mutations >= 40
    assert out.crashes == []
    assert out.exit3 == []
    assert out.disagreements == []
