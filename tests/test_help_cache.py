"""`bmnav --help` is rendered once and then served from the cache, unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _help(tmp_path: Path, *, columns: int, cache: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("BMNAV_NO_CACHE",)}
    env.update(BMNAV_CACHE_DIR=str(tmp_path / "cache"), COLUMNS=str(columns), PYTHONPATH=str(ROOT))
    if not cache:
        env["BMNAV_NO_CACHE"] = "1"
    proc = subprocess.run(
        [sys.executable, "-m", "bmnav", "--help"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_cached_help_equals_the_rendered_help(tmp_path: Path) -> None:
    rendered = _help(tmp_path, columns=100, cache=False)
    first = _help(tmp_path, columns=100, cache=True)
    stored = list((tmp_path / "cache").glob("help-*.cache"))
    second = _help(tmp_path, columns=100, cache=True)
    assert rendered == first == second
    assert len(stored) == 1
    magic, _mac, text = stored[0].read_bytes().split(b"\n", 2)  # a header with a keyed hash, then the text
    assert magic == b"bmnav-cache-1" and text.decode("utf-8") == rendered
    assert "Commands:" in rendered and "classify" in rendered


def test_the_terminal_width_has_its_own_entry(tmp_path: Path) -> None:
    wide = _help(tmp_path, columns=120, cache=True)
    narrow = _help(tmp_path, columns=60, cache=True)
    assert narrow == _help(tmp_path, columns=60, cache=False)
    assert wide == _help(tmp_path, columns=120, cache=False)
    assert len(list((tmp_path / "cache").glob("help-*.cache"))) == 2


def test_a_tampered_entry_is_not_served_after_the_code_changes(tmp_path: Path) -> None:
    _help(tmp_path, columns=100, cache=True)
    [entry] = (tmp_path / "cache").glob("help-*.cache")
    entry.write_text("stale\n", encoding="utf-8")
    # the key covers bmnav's modules: touching one makes a new entry
    module = ROOT / "bmnav" / "_version.py"
    st = module.stat()
    try:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        assert _help(tmp_path, columns=100, cache=True) == _help(tmp_path, columns=100, cache=False)
    finally:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_validate_draws_a_progress_bar_only_in_a_terminal(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The bar wraps the stream of checked files; with stderr not a terminal it is never drawn."""
    from bmnav.checking.validation import validate
    from bmnav.cli import console

    seen: list[int] = []

    def track(results, total):  # type: ignore[no-untyped-def]
        seen.append(total)
        return results

    monkeypatch.setenv("BMNAV_NO_CACHE", "1")  # so that every file is checked now
    cases = ROOT / "data" / "usecases"
    report = validate([cases], track=track)
    assert report.exit_code() == 0
    assert seen == [len(list(cases.glob("*.yaml")))]
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("BMNAV_PROGRESS", "1")
    assert console.show_progress(1000) is False  # pytest's stderr is not a terminal
