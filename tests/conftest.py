"""Shared fixtures. Keep this file small and additive: several test modules use it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class CliResult:
    """What a CLI run produced; `repr` shows everything, so a failed
    assertion explains itself."""

    exit_code: int
    stdout: str
    stderr: str
    args: Sequence[str]

    def __repr__(self) -> str:
        return (
            f"\n$ bmnav {' '.join(self.args)}\n--- exit code: {self.exit_code}\n"
            f"--- stdout:\n{self.stdout}--- stderr:\n{self.stderr}---"
        )


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., CliResult]]:
    """Run `bmnav ARGS` in-process: `run_cli("validate", "x.yaml", cwd=tmp_path)`.

    Rich output is plain and 100 columns wide; `BMNAV_DATA` is cleared unless
    passed in `env`.
    """
    from bmnav.cli import app

    monkeypatch.delenv("BMNAV_DATA", raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")

    def run(
        *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
    ) -> CliResult:
        runner = CliRunner()
        old = Path.cwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            result = runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)
        finally:
            os.chdir(old)
        return CliResult(result.exit_code, result.stdout, result.stderr, args)

    yield run


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep bmnav's caches out of the user's home during tests."""
    old = os.environ.get("BMNAV_CACHE_DIR")
    os.environ["BMNAV_CACHE_DIR"] = str(tmp_path_factory.mktemp("bmnav-cache"))
    yield
    if old is None:
        os.environ.pop("BMNAV_CACHE_DIR", None)
    else:
        os.environ["BMNAV_CACHE_DIR"] = old


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of its own, caching on, no BMNAV_DATA."""
    d = tmp_path / "cache"
    monkeypatch.setenv("BMNAV_CACHE_DIR", str(d))
    monkeypatch.delenv("BMNAV_NO_CACHE", raising=False)
    monkeypatch.delenv("BMNAV_DATA", raising=False)
    return d
