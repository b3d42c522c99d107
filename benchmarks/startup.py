#!/usr/bin/env python3
"""Start-up time of bmnav's quick commands against `python -c "import typer"`.

Usage (from a clone, with bmnav's dependencies installed; nothing else needed):

    python benchmarks/startup.py                # 21 repeats
    python benchmarks/startup.py --repeats 41   # steadier medians on a busy machine
    python benchmarks/startup.py --json startup.json

Each command runs in a fresh interpreter, from the repository root (so
`python -m bmnav` is this checkout), with its own byte-code folder and
bmnav cache in a temporary directory. One untimed round first fills both, as
an installed bmnav would have them; then the commands take turns, round by
round, so that a burst of load on a shared machine hits all of them alike.
The figures are medians of wall-clock time; the ratio is to the median of
`python -c "import typer"` (Python's own start-up plus Typer, which every
bmnav command pays).

The goals (issue 17): `bmnav classify PROFILE` at most 2.5x and `bmnav --help`
at most 1.3x the baseline. No test times anything; this script is run by hand
and its results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "acme-profile.yaml"
BMNAV = [sys.executable, "-m", "bmnav"]

#: (name, command, goal as a ratio to the baseline or None)
COMMANDS: list[tuple[str, list[str], float | None]] = [
    ("python -c 'import typer'", [sys.executable, "-c", "import typer"], None),
    ("bmnav --help", [*BMNAV, "--help"], 1.3),
    ("bmnav classify PROFILE", [*BMNAV, "classify", str(PROFILE)], 2.5),
    ("bmnav classify PROFILE --format json", [*BMNAV, "classify", str(PROFILE), "--format", "json"], None),
    ("bmnav show CASE", [*BMNAV, "show", "tire-as-a-service"], None),
]


def environment(tmp: Path) -> dict[str, str]:
    """The environment of every run: byte code and bmnav's cache in `tmp`, no colour, 100 columns."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BMNAV_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(tmp / "pycache"),
        BMNAV_CACHE_DIR=str(tmp / "cache"),
        NO_COLOR="1",
        COLUMNS="100",
    )
    return env


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-500:]}")
    return elapsed


def measure(repeats: int) -> dict[str, list[float]]:
    """Wall-clock times of every command, `repeats` rounds after one untimed round."""
    times: dict[str, list[float]] = {name: [] for name, _, _ in COMMANDS}
    with tempfile.TemporaryDirectory(prefix="bmnav-startup-") as tmp:
        env = environment(Path(tmp))
        for _, cmd, _ in COMMANDS:  # fill the byte-code folder and the caches
            timed(cmd, env)
        for _ in range(repeats):
            for name, cmd, _ in COMMANDS:
                times[name].append(timed(cmd, env))
    return times


def report(times: dict[str, list[float]]) -> list[dict[str, object]]:
    base = statistics.median(times[COMMANDS[0][0]])
    rows = []
    for name, _, goal in COMMANDS:
        median = statistics.median(times[name])
        ratio = median / base
        rows.append(
            {
                "command": name,
                "median_s": round(median, 4),
                "min_s": round(min(times[name]), 4),
                "ratio": round(ratio, 2),
                "goal": goal,
                "met": None if goal is None else ratio <= goal,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=21, help="timed rounds (default 21)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows = report(measure(args.repeats))
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; {args.repeats} rounds")
    print("| command | median (s) | fastest (s) | ratio to import typer | goal | met |")
    print("|---|---:|---:|---:|---|---|")
    for r in rows:
        goal = f"≤ {r['goal']}×" if r["goal"] else ""
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        print(f"| `{r['command']}` | {r['median_s']:.3f} | {r['min_s']:.3f} | {r['ratio']:.2f}× | {goal} | {met} |")
    if args.json is not None:
        args.json.write_text(json.dumps({"repeats": args.repeats, "results": rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
