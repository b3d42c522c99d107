"""The cache of checked files: reused when unchanged, never stale."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bmnav.checking.validation import validate
from bmnav.storage import cache

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "usecases" / "airbus-skywise.yaml"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "cases" / CASE.name
    target.parent.mkdir()
    shutil.copy(CASE, target)
    return target


def test_second_run_reuses_the_stored_result(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = _copy(tmp_path)
    assert validate([f]).exit_code() == 0
    stores = list(cache_dir.glob("checked-*.cache"))
    assert len(stores) == 1

    calls: list[Path] = []
    import bmnav.checking.parallel as parallel

    real = parallel.map_files

    def spy(files, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.extend(files)
        return real(files, *args, **kwargs)

    monkeypatch.setattr(parallel, "map_files", spy)
    assert validate([f]).exit_code() == 0
    assert calls == []  # nothing parsed again


def test_an_edit_of_the_same_size_and_mtime_is_seen(tmp_path: Path, cache_dir: Path) -> None:
    f = _copy(tmp_path)
    assert validate([f]).exit_code() == 0
    st = f.stat()
    text = f.read_text(encoding="utf-8")
    broken = text.replace("cluster: data-trustee", "cluster: data-trustex")
    assert len(broken) == len(text)
    f.write_text(broken, encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    report = validate([f])
    assert report.exit_code() == 1
    assert [p.rule for p in report.problems] == ["cluster-unknown"]


def test_cached_errors_are_reported_again_with_their_lines(tmp_path: Path, cache_dir: Path) -> None:
    f = _copy(tmp_path)
    f.write_text(f.read_text(encoding="utf-8").replace("company_size: large", "company_size: huge"), encoding="utf-8")
    first = validate([f])
    second = validate([f])
    assert [(p.rule, p.line) for p in first.problems] == [(p.rule, p.line) for p in second.problems]
    assert first.problems[0].rule == "invalid-value"


def test_no_cache_writes_nothing(tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BMNAV_NO_CACHE", "1")
    f = _copy(tmp_path)
    assert validate([f]).exit_code() == 0
    assert not list(cache_dir.glob("checked-*"))
    assert not cache.enabled()


def test_a_corrupt_store_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    f = _copy(tmp_path)
    validate([f])
    for store in cache_dir.glob("checked-*.cache"):
        store.write_bytes(b"\x00not marshal")
    assert validate([f]).exit_code() == 0


def test_duplicate_ids_found_from_cache_keep_their_line(tmp_path: Path, cache_dir: Path) -> None:
    f = _copy(tmp_path)
    other = f.parent / "copy-of-skywise.yaml"
    shutil.copy(f, other)
    validate([f.parent])
    report = validate([f.parent])
    dup = [p for p in report.problems if p.rule == "id-unique"]
    assert len(dup) == 1
    line = next(i for i, t in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if t.startswith("id:"))
    assert dup[0].line == line
