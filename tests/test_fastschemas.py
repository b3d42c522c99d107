"""The shipped fast schema checks (bmnav/checking/fastschemas/) are generated from the schemas, and agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from bmnav.checking import fastcheck


@pytest.mark.parametrize("variant", sorted(fastcheck.VARIANTS))
def test_the_generated_module_is_up_to_date(variant: str) -> None:
    committed = (fastcheck.PACKAGE / f"{variant}.py").read_text(encoding="utf-8")
    assert committed == fastcheck.module_text(variant), (
        f"bmnav/checking/fastschemas/{variant}.py is out of date: "
        "run `python -m bmnav.checking.fastcheck` and commit it"
    )


def test_check_mode_reports_a_stale_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fastcheck.main(["--check"]) == 0
    monkeypatch.setattr(fastcheck, "PACKAGE", tmp_path)
    assert fastcheck.main(["--check"]) == 1  # missing modules
    assert fastcheck.main([]) == 0
    assert fastcheck.main(["--check"]) == 0
    (tmp_path / "usecase.py").write_text("SCHEMA_DIGEST = 'old'\n", encoding="utf-8")
    assert fastcheck.main(["--check"]) == 1


def test_the_shipped_checks_are_used() -> None:
    from bmnav.checking import schema
    from bmnav.checking.fastschemas import clusters, patterns, profile, usecase

    schema._fast.cache_clear()
    assert schema._fast("usecase", False) is usecase.validate
    assert schema._fast("usecase", True) is profile.validate
    assert schema._fast("clusters", False) is clusters.validate
    assert schema._fast("patterns", False) is patterns.validate
