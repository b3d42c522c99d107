"""benchmarks/parallel_misses.py: the tool that shows where parallel notes read differently."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROUND5 = ROOT / "tests" / "reference" / "round5" / "parallel"


def _main() -> object:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import parallel_misses
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return parallel_misses


def test_sets_whose_roles_are_mappings_are_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Round 5's sets state `network.roles`, a list of mappings: sorting it raised TypeError.
    By default only the facts the reader reads count (the roles are not among them)."""
    src = ROUND5 / "01-klarform-glassworks.yaml"
    shutil.copy(src, tmp_path / src.name)
    tool = _main()
    assert tool.main([str(tmp_path)]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    # company_size, country, access, revenue, ownership, data_sharing, technologies
    assert out.startswith("facts 7  ")
    assert "network.roles" not in out
    assert tool.main([str(tmp_path), "--all-facts"]) == 0  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert out.startswith("facts 9  ")  # plus industry and network.roles
    assert "network.roles" in out


def test_a_list_of_mappings_compares_in_any_order() -> None:
    tool = _main()
    a = [{"id": "plants", "count": 2}, {"id": "buyers", "count": 5}]
    assert tool.norm(a) == tool.norm(list(reversed(a)))  # type: ignore[attr-defined]
    assert tool.norm(["b", "a"]) == ("a", "b")  # type: ignore[attr-defined]
