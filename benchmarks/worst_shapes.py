#!/usr/bin/env python3
"""Time every command on the worst file shapes that fit in bmnav's default limits.

Usage (from the repository root):

    python benchmarks/worst_shapes.py                  # all shapes, all commands
    python benchmarks/worst_shapes.py --shape ring     # one shape
    python benchmarks/worst_shapes.py --size 650000    # smaller files, for a smoke run
    python benchmarks/worst_shapes.py --timeout 60 --out results.json

It writes, into a temporary folder, case files just under the default size
limit (2 MB) built to make a naive implementation quadratic:

- `roles-missing`: thousands of roles and flows whose ends name roles that
  do not exist, each one letter off a real id (so every "did you mean" looks hard);
- `ring`: thousands of roles joined in a ring of flows (a valid case);
- `star`: one hub role with a flow to and from every other role (valid);
- `many-flows`: a few roles and tens of thousands of flows (valid);
- `dup-roles`: thousands of roles sharing a few ids;
- `long-text`: a valid case whose summary and four answers are long texts;
- `notes.txt`: 2 MB of prose for `classify --text-file`.

Then it runs each command that reads such a file (validate, show, graph in
every format, diff against a small case, against itself and against another
2 MB shape, position, maturity, classify, report, and list, export and
compare over a corpus holding the file) in a fresh process with a timeout, and
prints the wall-clock seconds of each run, the CPU seconds it used (user and
system, its worker processes included; a fairer figure on a busy machine),
its peak memory (the largest resident set of the process or a worker, in MB)
and its exit status. The goal is under 10 seconds of CPU time for every run
on a 2-core machine; it exits 1 when a run reaches it or times out.
`--markdown` ends with a table of every run. No timing is asserted in the
test suite; the results of a run are recorded in docs/security.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BMNAV = [sys.executable, "-m", "bmnav"]
BASE_CASE = ROOT / "data" / "usecases" / "tire-as-a-service.yaml"
DEFAULT_SIZE = 2 * 1024 * 1024 - 64 * 1024  # just under the 2 MB default limit
GOAL_SECONDS = 10.0  # of CPU time, per run
KINDS = ("goods", "service", "data", "money", "usage-right", "intangible")


def _header(case_id: str) -> str:
    """The base case up to its network, with the id changed; the network is appended."""
    text = BASE_CASE.read_text(encoding="utf-8")
    head = text.split("\nnetwork:", 1)[0]
    return head.replace("id: tire-as-a-service", f"id: {case_id}", 1) + "\n"


def _fill(
    case_id: str, size: int, role: Callable[[int], str], flow: Callable[[int], str], *, close: bool = False
) -> str:
    """A case file of about `size` bytes: as many roles and flows as fit, half of each
    (with `close`, the last flow goes back to the first role, closing a ring)."""
    head = _header(case_id) + "network:\n  focal: r0\n  roles:\n"
    roles: list[str] = []
    flows: list[str] = []
    used = len(head) + 20
    i = 0
    while used < size:
        r, f = role(i), flow(i)
        roles.append(r)
        flows.append(f)
        used += len(r) + len(f) + 2
        i += 1
    if close:
        flows[-1] = f"    - {{from: r{i - 1}, to: r0, kind: money}}"
    return head + "\n".join(roles) + "\n  flows:\n" + "\n".join(flows) + "\n"


def roles_missing(size: int) -> str:
    return _fill(
        "roles-missing",
        size,
        lambda i: f"    - {{id: r{i}, name: Role {i}}}",
        lambda i: f"    - {{from: x{i}, to: q{i}, kind: data}}",
    )


def ring(size: int) -> str:
    return _fill(
        "ring",
        size,
        lambda i: f"    - {{id: r{i}, name: Role {i}}}",
        lambda i: f"    - {{from: r{i}, to: r{i + 1}, kind: {KINDS[i % len(KINDS)]}}}",
        close=True,
    )


def star(size: int) -> str:
    return _fill(
        "star",
        size,
        lambda i: f"    - {{id: r{i}, name: Role {i}}}",
        lambda i: (
            f"    - {{from: r{i // 2 if i % 2 else 0}, to: r{0 if i % 2 else i // 2 + 1}, kind: {KINDS[i % 4]}}}"
            if i
            else "    - {from: r0, to: r1, kind: money}"
        ),
    )


def many_flows(size: int) -> str:
    head = _header("many-flows") + "network:\n  focal: r0\n  roles:\n"
    head += "".join(f"    - {{id: r{i}, name: Role {i}}}\n" for i in range(6)) + "  flows:\n"
    lines = []
    used = len(head)
    i = 0
    while used < size:
        line = f"    - {{from: r{i % 6}, to: r{(i + 1 + i // 6) % 6 or 1}, kind: {KINDS[i % 6]}, amount: {i}}}"
        lines.append(line)
        used += len(line) + 1
        i += 1
    return head + "\n".join(lines) + "\n"


def dup_roles(size: int) -> str:
    return _fill(
        "dup-roles",
        size,
        lambda i: f"    - {{id: r{i % 7}, name: Role {i}}}",
        lambda i: f"    - {{from: r{i % 7}, to: r{(i + 1) % 7}, kind: data}}",
    )


WORDS = [
    "platform",
    "data",
    "usage",
    "fee",
    "pay",
    "per",
    "use",
    "marketplace",
    "machines",
    "sensors",
    "cloud",
    "partners",
    "customers",
    "service",
    "provider",
    "orchestrates",
    "fleet",
    "operators",
    "subscription",
    "open",
    "ecosystem",
    "trustee",
    "sharing",
]


def _prose(n_bytes: int, seed: int = 0) -> str:
    out: list[str] = []
    used = 0
    i = seed
    while used < n_bytes:
        w = WORDS[(i * 7 + i // 13) % len(WORDS)]
        out.append(w)
        used += len(w) + 1
        i += 1
        if i % 17 == 0:
            out[-1] += "."
    return " ".join(out)


def long_text(size: int) -> str:
    text = BASE_CASE.read_text(encoding="utf-8").replace("id: tire-as-a-service", "id: long-text", 1)
    budget = (size - len(text)) // 5 - 200
    for key in ("who", "what", "how", "value"):
        text = text.replace(f"\n  {key}: ", f"\n  {key}: {_prose(budget, hash(key) % 97)} ", 1)
    return text.replace("\nsummary: >-\n", f"\nsummary: >-\n  {_prose(budget, 5)}\n", 1)


SHAPES: dict[str, Callable[[int], str]] = {
    "roles-missing": roles_missing,
    "ring": ring,
    "star": star,
    "many-flows": many_flows,
    "dup-roles": dup_roles,
    "long-text": long_text,
}
#: Shapes that are valid cases: the commands that need a valid case run on them.
VALID = ("ring", "star", "many-flows", "long-text")
#: Each valid shape is also compared with another 2 MB shape by `diff` (both sides
#: large, and every role and flow changed: the diff's worst case).
PARTNER = {"ring": "star", "star": "ring", "many-flows": "long-text", "long-text": "many-flows"}


def commands(
    shape: str, path: Path, other: Path, corpus: Path, out: Path, partner: Path | None = None
) -> list[list[str]]:
    """The runs for one shape: validate always, the rest only on valid cases
    (`partner`: another 2 MB case to diff against)."""
    runs = [["validate", str(path)], ["validate", "--format", "parsable", str(path)]]
    if shape not in VALID:
        return runs
    runs += [
        ["show", str(path)],
        ["show", "--format", "json", str(path)],
        *(["graph", "--format", fmt, str(path)] for fmt in ("dot", "mermaid", "graphml", "json")),
        ["diff", str(path), str(other)],
        ["diff", str(path), str(path)],
        *([["diff", str(path), str(partner)]] if partner is not None else []),
        ["position", "--force", "--svg", str(out / f"{shape}.svg"), str(path)],
        ["maturity", str(path)],
        ["classify", str(path)],
        ["report", "--force", "--html", str(out / f"{shape}.html"), str(path)],
        ["report", "--force", "--md", str(out / f"{shape}.md"), str(path)],
        ["list", "--data", str(corpus)],
        ["export", "--data", str(corpus), "--format", "csv"],
        ["export", "--data", str(corpus), "--format", "csv", "--roles"],
        ["export", "--data", str(corpus), "--format", "csv", "--flows"],
        ["compare", "--data", str(corpus)],
    ]
    return runs


def run(args: list[str], timeout: float) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BMNAV_")}
    env.update(NO_COLOR="1", BMNAV_NO_CACHE="1", COLUMNS="120")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        # a session of its own, so that a timeout stops the workers it started too
        proc = subprocess.Popen([*BMNAV, *args], stdout=out, stderr=errors, env=env, cwd=ROOT, start_new_session=True)
        stopped: list[bool] = []

        def stop() -> None:
            stopped.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended just now
                stopped.clear()

        timer = threading.Timer(timeout, stop)
        timer.start()
        # wait4 gives this run's own usage (its reaped workers included): CPU time and peak memory
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    code: int | str = "timeout" if stopped else proc.returncode
    err = stderr.strip().splitlines()[-1:] if code not in (0, 1, "timeout") else []
    return {
        "args": args,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
        "exit": code,
        "stderr": err,
    }


def markdown_table(results: list[dict[str, Any]], work: Path) -> str:
    """One row per run: command (generated files by name), shape, CPU s, wall s, peak MB."""
    rows = ["| command | shape | CPU s | wall s | peak MB |", "| --- | --- | ---: | ---: | ---: |"]
    for r in results:
        shown = " ".join(a if not a.startswith(str(work)) else Path(a).name for a in r["args"])
        cpu = "timeout" if r["exit"] == "timeout" else f"{r['cpu_seconds']:.2f}"
        rows.append(f"| `{shown}` | {r['shape']} | {cpu} | {r['seconds']:.2f} | {r['peak_mb']:.0f} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", choices=[*SHAPES, "notes"], action="append", help="only these shapes")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="bytes per generated file")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is stopped")
    parser.add_argument("--out", type=Path, help="also write the results here as JSON")
    parser.add_argument("--markdown", action="store_true", help="end with a Markdown table of every run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bmnav-worst-"))
    results: list[dict[str, Any]] = []
    try:
        other = work / "other.yaml"
        shutil.copy(BASE_CASE, other)
        partners = work / "partners"  # the other 2 MB shape each valid one is diffed against
        partners.mkdir()
        for shape in args.shape or [*SHAPES, "notes"]:
            if shape == "notes":
                notes = work / "notes.txt"
                notes.write_text(_prose(args.size), encoding="utf-8")
                runs = [
                    ["classify", "--text-file", str(notes)],
                    ["classify", "--format", "json", "--text-file", str(notes)],
                ]
                size = notes.stat().st_size
            else:
                corpus = work / f"corpus-{shape}"
                (corpus / "usecases").mkdir(parents=True)
                path = corpus / "usecases" / f"{shape}.yaml"
                path.write_text(SHAPES[shape](args.size), encoding="utf-8")
                shutil.copy(BASE_CASE, corpus / "usecases" / BASE_CASE.name)
                size = path.stat().st_size
                partner = None
                if shape in PARTNER:
                    partner = partners / f"{PARTNER[shape]}.yaml"
                    partner.write_text(SHAPES[PARTNER[shape]](args.size), encoding="utf-8")
                runs = commands(shape, path, other, corpus, work, partner)
            for cmd in runs:
                res = run(cmd, args.timeout)
                res.update(shape=shape, bytes=size)
                results.append(res)
                shown = " ".join(a if not a.startswith(str(work)) else Path(a).name for a in cmd)
                print(
                    f"{res['seconds']:7.2f} s {res['cpu_seconds']:7.2f} s {res['peak_mb']:7.1f} MB  "
                    f"exit {res['exit']!s:7}  {shape:14} {shown}",
                    flush=True,
                )
                for line in res["stderr"]:
                    print(f"{'':34}{line[:150]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    # the goal is in CPU seconds: on a machine shared with other jobs the wall clock says more about them
    slow = [r for r in results if r["exit"] == "timeout" or r["cpu_seconds"] >= GOAL_SECONDS]
    print(
        f"\n{len(results)} runs, {len(slow)} at or over {GOAL_SECONDS:g} s of CPU time; slowest "
        f"{max(r['cpu_seconds'] for r in results):.2f} s CPU, {max(r['seconds'] for r in results):.2f} s wall, "
        f"most memory {max(r['peak_mb'] for r in results):.0f} MB"
    )
    if args.markdown:
        print("\n" + markdown_table(results, work))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())
