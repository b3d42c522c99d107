"""The CLI's surface: --version, --help with an example on every command,
`python -m bmnav`, and a --help that stays light (no jsonschema, no networkx)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import bmnav
from bmnav.cli import app

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(c.name for c in app.registered_commands if c.name)


def test_the_foundation_commands_exist() -> None:
    assert {"validate", "schema"} <= set(COMMANDS)


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str, run_cli) -> None:
    result = run_cli(flag)
    assert (result.exit_code, result.stdout) == (0, f"bmnav {bmnav.__version__}\n"), result


def test_version_is_the_packages() -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed: str | None = version("bmnav")
    except PackageNotFoundError:
        installed = None  # run from a checkout: the build reads the version from _version.py
    if installed is not None and Path(bmnav.__file__).resolve().parent.parent == ROOT:
        assert installed == bmnav.__version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'path = "bmnav/_version.py"' in pyproject


def test_top_level_help_lists_every_command(run_cli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0, result
    for name in COMMANDS:
        assert f"  {name} " in result.stdout, name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str, run_cli) -> None:
    result = run_cli(name, "--help")
    assert result.exit_code == 0, result
    assert result.stdout.startswith(f"Usage: bmnav {name} "), result
    assert "Example" in result.stdout, f"bmnav {name} --help shows no example"
    assert f"bmnav {name}" in result.stdout.split("Example", 1)[1], "the example does not run the command"


@pytest.mark.parametrize("name", COMMANDS)
def test_short_help_flag(name: str, run_cli) -> None:
    assert run_cli(name, "-h").exit_code == 0


def test_validate_help_documents_exit_codes_and_formats(run_cli) -> None:
    out = run_cli("validate", "--help").stdout
    for needle in ("Exit codes", "0  no errors", "1  errors found", "2  usage error", "--strict", "--format"):
        assert needle in out, needle
    for fmt in ("text", "json", "github", "parsable"):
        assert fmt in out


def test_unknown_command_is_a_usage_error(run_cli) -> None:
    result = run_cli("valdate")
    assert result.exit_code == 2, result
    assert "No such command" in result.stderr


def _python(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_python_dash_m_bmnav() -> None:
    proc = _python("-m", "bmnav", "--version")
    assert (proc.returncode, proc.stdout) == (0, f"bmnav {bmnav.__version__}\n"), proc
    proc = _python("-m", "bmnav", "validate", "--format", "json")
    assert proc.returncode == 0, proc
    assert json.loads(proc.stdout)["ok"] is True


HEAVY = ("jsonschema", "networkx", "fastjsonschema")
CHECK_IMPORTS = """
import sys
sys.argv = ["bmnav", *{args!r}]
from bmnav.cli import app
try:
    app()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("HEAVY=" + ",".join(heavy), "CODE=" + str(code))
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], *([name, "--help"] for name in COMMANDS)], ids=str)
def test_help_does_not_import_heavy_dependencies(args: list[str]) -> None:
    proc = _python("-c", CHECK_IMPORTS.format(args=args, heavy=HEAVY))
    assert proc.returncode == 0, proc
    assert proc.stdout.strip().endswith("HEAVY= CODE=0"), proc.stdout[-500:]


def test_importing_bmnav_is_light() -> None:
    code = f"import sys, bmnav, bmnav.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    proc = _python("-c", code)
    assert proc.stdout.strip() == "[]", proc
