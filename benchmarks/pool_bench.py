#!/usr/bin/env python3
"""Time checking a folder of case files cold, on all cores and on one.

Usage (from the repository root, bmnav importable):

    python benchmarks/pool_bench.py FOLDER [--repeats 7] [--jobs 0]

FOLDER holds the case files (1,000 for the figures in docs/benchmarks.md; any
generator of valid case files will do). Every run is a fresh process with the
cache off, so each one is cold; two numbers are taken per run, as the median
(min-max) over the repeats:

- `validate`: `bmnav.validate([FOLDER], jobs=...)` inside the process, i.e.
  the checking of the files, without start-up;
- `process`: the whole `python -m bmnav validate FOLDER` command, wall-clock.

`--jobs 0` (the default) leaves the number of workers to bmnav (all cores);
`--jobs 1` checks in one process. Nothing here depends on bmnav's internals,
so the same script measures an old checkout and a new one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_IN_PROCESS = """
import json, sys, time
import bmnav
from bmnav.checking.validation import validate
folder, jobs = sys.argv[1], int(sys.argv[2]) or None
start = time.perf_counter()
report = validate([folder], jobs=jobs)
print(json.dumps({"seconds": time.perf_counter() - start, "exit": report.exit_code()}))
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, BMNAV_NO_CACHE="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def in_process(folder: Path, jobs: int) -> float:
    """Seconds `validate` took inside a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", _IN_PROCESS, str(folder), str(jobs)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=ROOT,
        check=True,
    )
    return float(json.loads(out.stdout)["seconds"])


def whole_command(folder: Path, jobs: int) -> float:
    """Wall-clock seconds of `python -m bmnav validate FOLDER`."""
    cmd = [sys.executable, "-m", "bmnav", "validate", str(folder)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=_env(), cwd=ROOT, check=False)
    return time.perf_counter() - start


def summary(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    return f"{statistics.median(ms):.0f} ms ({ms[0]:.0f}-{ms[-1]:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=0, help="0: bmnav's choice (all cores)")
    args = parser.parse_args()
    files = len(list(args.folder.glob("*.yaml")))
    in_proc = [in_process(args.folder, args.jobs) for _ in range(args.repeats)]
    whole = [whole_command(args.folder, args.jobs) for _ in range(args.repeats)]
    print(f"{files} files, jobs={args.jobs or 'all'} ({os.cpu_count()} cores), {args.repeats} runs each, cold")
    print(f"  validate: {summary(in_proc)}")
    print(f"  process:  {summary(whole)}")


if __name__ == "__main__":
    main()
