"""`benchmarks/startup.py` runs from a clone alone and reports every command
with its ratio and goal (its figures are not checked: no test times anything)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_startup_script_runs_from_the_clone(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "startup.py"), "--repeats", "1", "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads(out.read_text(encoding="utf-8"))["results"]
    commands = [r["command"] for r in results]
    assert commands[0] == "python -c 'import typer'" and results[0]["ratio"] == 1.0
    goals = {r["command"]: r["goal"] for r in results}
    assert goals["bmnav --help"] == 1.3 and goals["bmnav classify PROFILE"] == 2.5
    assert all(isinstance(r["met"], bool) for r in results if r["goal"])
    assert "| `bmnav classify PROFILE` |" in proc.stdout
