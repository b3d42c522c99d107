#!/usr/bin/env python3
"""Measure bmnav against its peers on the same files, and write the results as JSON.

Usage (from the repository root, with bmnav and check-jsonschema installed):

    python benchmarks/bench.py                 # all measurements
    python benchmarks/bench.py --quick         # fewer repeats, for a smoke run
    python benchmarks/bench.py --out results.json

It generates corpora with benchmarks/gen_corpus.py (or --gen PATH) into
benchmarks/out/, then measures (each a median of repeated runs, in a fresh
process, wall-clock):

1. `bmnav validate` against check-jsonschema given bmnav's own schema on the
   same 1,000 files, cold (no cache) and warm; and checks that both give the
   same verdict per file on schema errors (some files are given one);
2. start-up of `bmnav --help`, `bmnav validate FILE`, `bmnav classify PROFILE`
   and `bmnav show CASE` against `python -c "import typer"`;
3. how validate time grows from 1,000 to 10,000 files;
4. `bmnav classify` with a 10,000-case corpus given by `--data`, first and
   later runs.

No timing is asserted anywhere in the test suite; this script is run by hand
and its results are recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
DEFAULT_GEN = ROOT / "benchmarks" / "gen_corpus.py"  # the repository's own: a clone is enough
BMNAV = [sys.executable, "-m", "bmnav"]

#: Schema errors planted in every SCHEMA_EVERY-th file, cycling through these.
SCHEMA_DEFECTS = [
    ("company_size: ", "company_size: medium  # "),
    ("country: ", "country: 49  # "),
    ("summary: ", "summery: "),
]
SCHEMA_EVERY = 25


#: Byte code for every run goes here (set in main): a checkout run with
#: PYTHONDONTWRITEBYTECODE would otherwise compile bmnav's modules from source
#: on every run, which an installed wheel never does. The baseline `python -c
#: "import typer"` runs with the same environment.
PYCACHE: Path | None = None


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if PYCACHE is not None:
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def run(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int, str]:
    """Run a command (from the repository root, so `python -m bmnav` finds a checkout)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env or base_env(), cwd=cwd or ROOT, check=False)
    return time.perf_counter() - start, proc.returncode, proc.stdout


def median_time(
    cmd: list[str], repeats: int, *, env: dict[str, str] | None = None, before: Any = None, warm: bool = True
) -> float:
    """The median wall-clock time of `repeats` runs (after one untimed run, unless `warm` is False)."""
    if warm and before is None:
        run(cmd, env=env)
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        t, _, _ = run(cmd, env=env)
        times.append(t)
    return statistics.median(times)


def generate(gen: Path, out: Path, n: int, *, plant_schema_errors: bool = False) -> list[Path]:
    if out.exists():
        shutil.rmtree(out)
    subprocess.run([sys.executable, str(gen), str(out), str(n)], check=True, capture_output=True)
    files = sorted(out.glob("*.yaml"))
    if plant_schema_errors:
        for i, f in enumerate(files):
            if i % SCHEMA_EVERY == 0:
                old, new = SCHEMA_DEFECTS[(i // SCHEMA_EVERY) % len(SCHEMA_DEFECTS)]
                text = f.read_text(encoding="utf-8")
                f.write_text(text.replace(old, new, 1), encoding="utf-8")
    return files


def bmnav_env(cache: Path | None) -> dict[str, str]:
    env = base_env()
    env.pop("BMNAV_DATA", None)
    env["NO_COLOR"] = "1"
    if cache is None:
        env["BMNAV_NO_CACHE"] = "1"
    else:
        env["BMNAV_CACHE_DIR"] = str(cache)
        env.pop("BMNAV_NO_CACHE", None)
    return env


def schema_verdicts(files: list[Path], schema: Path, cache_root: Path) -> dict[str, Any]:
    """Per-file verdicts on schema errors from both tools, and whether they agree."""
    schema_rules = {
        "required-field",
        "unknown-field",
        "invalid-value",
        "wrong-type",
        "yaml11-coercion",
        "bad-format",
        "out-of-range",
        "empty-value",
        "duplicate-item",
        "schema",
    }
    _, _, out = run([*BMNAV, "validate", "--format", "json", *map(str, files)], env=bmnav_env(None))
    report = json.loads(out)
    ours = {Path(f["path"]).name: any(p["rule"] in schema_rules for p in f["problems"]) for f in report["files"]}
    problems = [p for f in report["files"] for p in f["problems"]]
    unlocated = [p for p in problems if not (p["line"] >= 1 and p["column"] >= 1)]
    _, _, out = run(
        ["check-jsonschema", "--schemafile", str(schema), "-o", "json", *map(str, files)],
        env={**base_env(), "XDG_CACHE_HOME": str(cache_root)},
    )
    theirs_doc = json.loads(out)
    bad = {Path(e["filename"]).name for e in theirs_doc.get("errors", [])}
    bad |= {Path(e["filename"]).name for e in theirs_doc.get("parse_errors", [])}
    theirs = {f.name: f.name in bad for f in files}
    disagree = sorted(n for n in theirs if ours.get(n) != theirs[n])
    return {
        "files": len(files),
        "with_schema_errors_bmnav": sum(ours.values()),
        "with_schema_errors_check_jsonschema": sum(theirs.values()),
        "disagreements": disagree,
        "bmnav_problems": len(problems),
        "bmnav_problems_without_line_and_column": len(unlocated),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="path of gen_corpus.py")
    parser.add_argument("--out", type=Path, default=OUT / "results.json", help="where to write the JSON results")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    if not args.gen.exists():
        print(f"gen_corpus.py not found at {args.gen}; pass --gen PATH", file=sys.stderr)
        return 2
    if shutil.which("check-jsonschema") is None:
        print("check-jsonschema is not installed: pip install check-jsonschema", file=sys.stderr)
        return 2
    global PYCACHE
    reps = 3 if args.quick else 7
    startup_reps = 7 if args.quick else 21
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bmnav-bench-"))
    PYCACHE = work / "pycache"
    results: dict[str, Any] = {"machine": machine_info(), "repeats": reps, "startup_repeats": startup_reps}

    # 1. validate vs check-jsonschema on the same 1,000 files
    files_1k = generate(args.gen, OUT / "c1000", 1000, plant_schema_errors=True)
    schema = OUT / "usecase.schema.json"
    schema.write_text(run([*BMNAV, "schema", "usecase"])[2], encoding="utf-8")
    cache = work / "cache"

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    cjs_cache = work / "cjs"
    cjs = median_time(
        ["check-jsonschema", "--schemafile", str(schema), *map(str, files_1k)],
        max(3, reps // 2),
        env={**base_env(), "XDG_CACHE_HOME": str(cjs_cache)},
    )
    cmd = [*BMNAV, "validate", "--format", "parsable", str(OUT / "c1000")]
    cold = median_time(cmd, reps, env=bmnav_env(None))
    cold_cache_fill = median_time(cmd, reps, env=bmnav_env(cache), before=clear_cache)
    run(cmd, env=bmnav_env(cache))
    warm = median_time(cmd, reps, env=bmnav_env(cache))
    one_core = median_time([*cmd, "--jobs", "1"], reps, env=bmnav_env(None))
    results["validate_1000"] = {
        "check_jsonschema_s": cjs,
        "bmnav_cold_s": cold,
        "bmnav_cold_one_core_s": one_core,
        "bmnav_cold_filling_cache_s": cold_cache_fill,
        "bmnav_warm_s": warm,
        "speedup_cold": cjs / cold,
        "speedup_warm": cjs / warm,
        "verdicts": schema_verdicts(files_1k, schema, cjs_cache),
    }

    # 2. start-up
    case = "tire-as-a-service"
    profile = ROOT / "examples" / "acme-profile.yaml"
    startup: dict[str, Any] = {
        "import_typer_s": median_time([sys.executable, "-c", "import typer"], startup_reps, env=base_env()),
        "help_s": median_time([*BMNAV, "--help"], startup_reps, env=bmnav_env(cache)),
        "validate_file_s": median_time(
            [*BMNAV, "validate", str(ROOT / "data" / "usecases" / f"{case}.yaml")], startup_reps, env=bmnav_env(cache)
        ),
        "show_s": median_time([*BMNAV, "show", case], startup_reps, env=bmnav_env(cache)),
    }
    if profile.exists():
        startup["classify_s"] = median_time([*BMNAV, "classify", str(profile)], startup_reps, env=bmnav_env(cache))
    base = startup["import_typer_s"]
    startup["ratios"] = {k.removesuffix("_s"): v / base for k, v in startup.items() if k.endswith("_s")}
    results["startup"] = startup

    # 3. growth from 1,000 to 10,000 files
    files_10k = generate(args.gen, OUT / "c10000" / "usecases", 10000)
    cmd10 = [*BMNAV, "validate", "--format", "parsable", str(OUT / "c10000" / "usecases")]
    cmd1 = [*BMNAV, "validate", "--format", "parsable", str(OUT / "c1000")]
    t1 = median_time(cmd1, reps, env=bmnav_env(None))
    t10 = median_time(cmd10, max(3, reps // 2), env=bmnav_env(None))
    results["scaling"] = {"files": [len(files_1k), len(files_10k)], "cold_s": [t1, t10], "ratio": t10 / t1}

    # 4. classify against a 10,000-case corpus
    if profile.exists():
        ccmd = [*BMNAV, "classify", "--data", str(OUT / "c10000"), str(profile), "--format", "json"]
        first = median_time(ccmd, 1 if args.quick else 3, env=bmnav_env(cache), before=clear_cache)
        run(ccmd, env=bmnav_env(cache))
        later = median_time(ccmd, reps, env=bmnav_env(cache))
        results["classify_10000"] = {"first_run_s": first, "later_runs_s": later}

    results["machine"]["load_average_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_summary(results)
    print(f"\nresults written to {args.out}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def machine_info() -> dict[str, Any]:
    def version(mod: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(mod)
        except Exception:
            return "not installed"

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    bmnav_version = run([*BMNAV, "--version"])[2].strip()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "bmnav": bmnav_version,
        "packages": {
            m: version(m)
            for m in (
                "bmnav",
                "typer",
                "rich",
                "PyYAML",
                "jsonschema",
                "networkx",
                "fastjsonschema",
                "check-jsonschema",
            )
        },
        "date": time.strftime("%Y-%m-%d"),
    }


def print_summary(r: dict[str, Any]) -> None:
    v = r["validate_1000"]
    print("validate, 1,000 files (median seconds)")
    print(f"  check-jsonschema        {v['check_jsonschema_s']:.3f}")
    print(f"  bmnav cold (no cache)   {v['bmnav_cold_s']:.3f}   {v['speedup_cold']:.1f}x faster")
    print(f"  bmnav cold, one core    {v['bmnav_cold_one_core_s']:.3f}")
    print(f"  bmnav warm (cache)      {v['bmnav_warm_s']:.3f}   {v['speedup_warm']:.1f}x faster")
    print(
        f"  verdict disagreements   {len(v['verdicts']['disagreements'])} "
        f"(schema errors: bmnav {v['verdicts']['with_schema_errors_bmnav']}, "
        f"check-jsonschema {v['verdicts']['with_schema_errors_check_jsonschema']})"
    )
    print(
        f"  bmnav problems          {v['verdicts']['bmnav_problems']}, "
        f"without line and column: {v['verdicts']['bmnav_problems_without_line_and_column']}"
    )
    s = r["startup"]
    print("start-up (median seconds, ratio to `python -c 'import typer'`)")
    for k, ratio in s["ratios"].items():
        print(f"  {k:<16} {s[k + '_s']:.3f}  {ratio:.2f}x")
    sc = r["scaling"]
    print(
        f"scaling: {sc['files'][0]} files {sc['cold_s'][0]:.3f}s, {sc['files'][1]} files {sc['cold_s'][1]:.3f}s, "
        f"ratio {sc['ratio']:.2f}"
    )
    if "classify_10000" in r:
        c = r["classify_10000"]
        print(f"classify with a 10,000-case corpus: first {c['first_run_s']:.3f}s, later {c['later_runs_s']:.3f}s")


if __name__ == "__main__":
    raise SystemExit(main())
