"""Conventions every command keeps: `--format json` with valid JSON, no colour
and no progress bars in a pipe or with NO_COLOR, help text for each."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from bmnav.cli import app, console

ROOT = Path(__file__).resolve().parents[1]
PROFILE = str(ROOT / "examples" / "acme-profile.yaml")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

#: For each command: arguments that make it print JSON with `--format json`
#: (run in a temporary folder), and whether its JSON is JSON lines.
JSON_RUNS: dict[str, tuple[list[str], bool]] = {
    "list": ([], False),
    "classify": ([PROFILE], False),
    "validate": ([], False),
    "position": ([], False),
    "show": (["tire-as-a-service"], False),
    "graph": (["tire-as-a-service"], False),
    "compare": ([], False),
    "diff": (["tire-as-a-service", "tire-as-a-service"], False),
    "maturity": ([], False),
    # the history of a bundled case in bmnav's own repository (CI runs in a checkout)
    "log": ([str(ROOT / "data" / "usecases" / "tire-as-a-service.yaml")], False),
    "evaluate": ([], False),
    "new": (["--from-profile", PROFILE, "--yes"], False),
    "export": ([], False),
    "report": (["tire-as-a-service"], False),
}
#: Commands without `--format json`, and why.
EXCEPTIONS = {
    "schema": "it prints a JSON Schema, always JSON",
}
#: Text runs checked for colour codes (the default format of each command).
TEXT_RUNS: dict[str, list[str]] = {
    **{name: args for name, (args, _) in JSON_RUNS.items()},
    "schema": [],
    "diff": ["tire-as-a-service", "bosch-equipment-as-a-service"],  # coloured + and - in a terminal
}


def registered() -> list[str]:
    return sorted(str(c.name) for c in app.registered_commands)


def test_every_command_is_covered():
    assert sorted([*JSON_RUNS, *EXCEPTIONS]) == registered()


@pytest.mark.parametrize("name", sorted(JSON_RUNS))
def test_format_json_prints_valid_json(run_cli, tmp_path, name):
    args, lines = JSON_RUNS[name]
    result = run_cli(name, *args, "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result
    if lines:
        for line in result.stdout.splitlines():
            json.loads(line)
    else:
        json.loads(result.stdout)
    assert not ANSI.search(result.stdout + result.stderr)


@pytest.mark.parametrize("name", sorted(EXCEPTIONS))
def test_exceptions_print_json_anyway(run_cli, name):
    result = run_cli(name)
    assert result.exit_code == 0, result
    json.loads(result.stdout)


@pytest.mark.parametrize("name", sorted(TEXT_RUNS))
@pytest.mark.parametrize("no_color", [True, False])
def test_no_colour_in_a_pipe_or_with_no_color(run_cli, tmp_path, monkeypatch, name, no_color):
    if not no_color:  # CliRunner's output is not a terminal: a pipe
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("TERM", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)
    result = run_cli(name, *TEXT_RUNS[name], cwd=tmp_path)
    assert result.exit_code in (0, 1), result  # diff of two different cases exits 1
    assert not ANSI.search(result.stdout), result
    assert not ANSI.search(result.stderr), result


@pytest.mark.parametrize("name", registered())
def test_every_command_has_help_with_exit_codes_or_examples(run_cli, name):
    result = run_cli(name, "--help")
    assert result.exit_code == 0, result
    assert "Usage:" in result.stdout
    command = next(c for c in app.registered_commands if c.name == name)
    assert (command.callback.__doc__ or "").strip(), f"{name} has no help text"


def test_shell_completion_is_offered_and_documented(run_cli):
    result = run_cli("--help")
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout
    doc = (ROOT / "docs" / "completion.md").read_text(encoding="utf-8")
    assert "bmnav --install-completion" in doc


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("tty", "env", "total", "shown"),
    [
        (True, {}, 100, True),
        (True, {}, 3, False),  # a short run
        (False, {}, 100, False),  # a pipe
        (True, {"NO_COLOR": "1"}, 100, False),
        (True, {"TERM": "dumb"}, 100, False),
        (True, {"BMNAV_PROGRESS": "0"}, 100, False),
        (True, {"BMNAV_PROGRESS": "1"}, 3, True),
    ],
)
def test_progress_bar_only_for_long_runs_in_a_terminal(monkeypatch, tty, env, total, shown):
    for name in ("NO_COLOR", "TERM", "BMNAV_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stderr", _Stream(tty))
    assert console.show_progress(total) is shown


def test_progress_yields_every_item_in_a_pipe():
    assert list(console.progress(range(30), "counting")) == list(range(30))


def test_progress_yields_every_item_with_a_bar(monkeypatch):
    import io

    for name in ("NO_COLOR", "TERM", "BMNAV_PROGRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stderr", _Stream(True))
    monkeypatch.setattr(console, "err", lambda: __import__("rich.console").console.Console(file=io.StringIO()))
    assert list(console.progress(list(range(30)), "counting")) == list(range(30))


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "tire-as-a-service", "bosch-equipment-as-a-service"],
        ["classify", PROFILE],
        ["export", "--roles"],
    ],
)
def test_no_colour_and_no_progress_in_a_real_pipe(args):
    """A real subprocess whose stdout and stderr are pipes, without NO_COLOR."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "BMNAV_PROGRESS")}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bmnav", *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    assert not ANSI.search(done.stdout + done.stderr)
    assert "━" not in done.stderr  # no progress bar
