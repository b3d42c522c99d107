#!/usr/bin/env python3
"""How bmnav's corpus commands scale from 1,000 to 10,000 cases: a Markdown table.

Usage (from the repository root; the standard library and bmnav's own
dependencies are all it needs):

    python benchmarks/scale.py                       # 1,000 and 10,000 cases
    python benchmarks/scale.py --sizes 1000 --repeats 1
    python benchmarks/scale.py --only list,export-csv --timeout 120
    python benchmarks/scale.py --only validate,list-json,position-json --sizes 10000

It writes synthetic corpora with benchmarks/gen_corpus.py into a temporary
folder and runs every corpus command on each, in fresh processes:

- *cold*: with an empty cache folder (the first run after a change to every
  file, or on a new machine), once;
- *warm*: the median of `--repeats` runs after that, nothing changed;
- *peak memory*: the largest resident size of any of those runs (from
  `os.wait4`, per process).

The last columns compare each command's cold run with cold validate's, and
10,000 with 1,000 cases (warm; cold for evaluate, which has no cache). No
time is asserted in the test suite: the goals of issue 17 are checked by
reading the table (docs/benchmarks.md, "10,000 cases").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEN = ROOT / "benchmarks" / "gen_corpus.py"
PROFILE = ROOT / "examples" / "acme-profile.yaml"

#: name -> arguments after `bmnav` (the corpus is given with --data).
COMMANDS: dict[str, list[str]] = {
    "validate": ["validate"],
    "list": ["list"],
    "position": ["position"],
    "compare": ["compare"],
    "maturity": ["maturity"],
    "export-csv": ["export", "--format", "csv"],
    "classify": ["classify", str(PROFILE)],
    "evaluate": ["evaluate"],
    # the same with --format json: the corpus work without the terminal table of 10,000 rows
    "list-json": ["list", "--format", "json"],
    "position-json": ["position", "--format", "json"],
    "compare-json": ["compare", "--format", "json"],
    "maturity-json": ["maturity", "--format", "json"],
}
#: Run by default (the --format json variants only with --only).
DEFAULT = ["validate", "list", "position", "compare", "maturity", "export-csv", "classify", "evaluate"]
#: Commands without a cache of their own: measured once, cold.
ONCE = {"evaluate"}


@dataclass
class Row:
    name: str
    size: int
    cold: float | None = None
    warm: list[float] = field(default_factory=list)
    peak_kb: int = 0
    status: str = ""

    @property
    def warm_median(self) -> float | None:
        return statistics.median(self.warm) if self.warm else None


def environment(cache: Path, pycache: Path) -> dict[str, str]:
    """The same environment for every run: our checkout first on the path, a
    private byte-code folder (compiled once, as an installed wheel is), this
    cache folder, plain output."""
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "BMNAV_NO_CACHE", "BMNAV_DATA"):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["BMNAV_CACHE_DIR"] = str(cache)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    return env


def run(cmd: list[str], env: dict[str, str], timeout: float) -> tuple[float, int, int]:
    """Wall-clock seconds, exit status and peak resident KB of one process
    (`os.wait4` reports the rusage of that child only)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=sink, env=env, cwd=ROOT)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            return float("inf"), -9, int(usage.ru_maxrss)
        time.sleep(0.005)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, int(usage.ru_maxrss)


def generate(where: Path, n: int) -> Path:
    data = where / f"c{n}"
    subprocess.run([sys.executable, str(GEN), str(data / "usecases"), str(n)], check=True, capture_output=True)
    return data


def measure(name: str, data: Path, n: int, tmp: Path, repeats: int, timeout: float) -> Row:
    row = Row(name, n)
    pycache = tmp / "pycache"
    cache = tmp / f"cache-{name}-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    env = environment(cache, pycache)
    cmd = [sys.executable, "-m", "bmnav", *COMMANDS[name], "--data", str(data)]
    cold, status, kb = run(cmd, env, timeout)
    row.cold, row.peak_kb, row.status = cold, kb, str(status)
    if name in ONCE or status == -9:
        return row
    for _ in range(repeats):
        t, status, kb = run(cmd, env, timeout)
        row.warm.append(t)
        row.peak_kb = max(row.peak_kb, kb)
    shutil.rmtree(cache, ignore_errors=True)
    return row


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds == float("inf"):
        return "timeout"
    return f"{seconds:.2f} s"


def table(rows: list[Row], sizes: list[int]) -> str:
    by = {(r.name, r.size): r for r in rows}
    big, small = max(sizes), min(sizes)
    head = ["command"]
    for n in sizes:
        head += [f"{n:,} cold", f"{n:,} warm"]
    head += [f"peak MB ({big:,})", f"cold − cold validate ({big:,})", f"{small:,} → {big:,}"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    names = [n for n in COMMANDS if any((n, s) in by for s in sizes)]
    for name in names:
        cells = [name]
        for n in sizes:
            r = by.get((name, n))
            cells += [fmt(r.cold) if r else "—", fmt(r.warm_median) if r else "—"]
        r_big, r_small, v_big = by.get((name, big)), by.get((name, small)), by.get(("validate", big))
        cells.append(f"{r_big.peak_kb / 1024:.0f}" if r_big else "—")
        if r_big and v_big and r_big.cold is not None and v_big.cold is not None:
            cells.append(f"{r_big.cold - v_big.cold:+.2f} s")
        else:
            cells.append("—")
        cells.append(_ratio(r_small, r_big) if big != small else "—")
        lines.append("| " + " | ".join(cells) + " |")
    failed = [r for r in rows if r.status not in ("0", "")]
    for r in failed:
        lines.append(f"\n(exit status {r.status} for {r.name} at {r.size:,} cases)")
    return "\n".join(lines)


def _ratio(small: Row | None, big: Row | None) -> str:
    if not small or not big:
        return "—"
    a = small.warm_median if small.warm else small.cold
    b = big.warm_median if big.warm else big.cold
    if not a or not b or b == float("inf"):
        return "—"
    return f"{b / a:.1f}×"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated (default 1000,10000)")
    ap.add_argument("--repeats", type=int, default=3, help="warm runs per command (the median is shown)")
    ap.add_argument("--only", default="", help=f"commands to run, comma-separated, of: {', '.join(COMMANDS)}")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds before one run is stopped")
    ap.add_argument("--keep", type=Path, help="generate the corpora here and keep them (default: a temporary folder)")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    names = [n for n in args.only.split(",") if n] or DEFAULT
    unknown = set(names) - set(COMMANDS)
    if unknown:
        ap.error(f"unknown command(s): {', '.join(sorted(unknown))}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bmnav-scale-") as tmp_name:
        tmp = Path(tmp_name)
        where = args.keep or tmp
        # compile bmnav's byte code once, untimed, so that no measured run pays for it
        warm_up = environment(tmp / "cache-warm-up", tmp / "pycache")
        subprocess.run([sys.executable, "-m", "bmnav", "--version"], env=warm_up, capture_output=True, check=False)
        subprocess.run([sys.executable, "-m", "bmnav", "list"], env=warm_up, capture_output=True, check=False)
        for n in sizes:
            data = where / f"c{n}"
            if not (data / "usecases").is_dir():
                data = generate(where, n)
            for name in names:
                row = measure(name, data, n, tmp, args.repeats, args.timeout)
                print(
                    f"{name} {n}: cold {fmt(row.cold)}, warm {fmt(row.warm_median)}, "
                    f"{row.peak_kb / 1024:.0f} MB, exit {row.status}",
                    file=sys.stderr,
                    flush=True,
                )
                rows.append(row)
    print(table(rows, sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
