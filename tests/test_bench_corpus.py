"""The benchmarks run from a clone alone: their corpus generator is in benchmarks/.

(No timing here: the benchmarks themselves are run by hand, docs/benchmarks.md.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEN = ROOT / "benchmarks" / "gen_corpus.py"


def _generate(folder: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(GEN), str(folder), *args], check=True, capture_output=True, timeout=120)


def test_bench_uses_the_generator_inside_the_repository() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert bench.DEFAULT_GEN == GEN and GEN.is_file()
    assert ROOT in bench.DEFAULT_GEN.resolve().parents


def test_generated_cases_are_valid(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _generate(tmp_path / "usecases", "12")
    assert len(list((tmp_path / "usecases").glob("*.yaml"))) == 12
    result = run_cli("validate", "--strict", "-f", "parsable", "--data", str(tmp_path))
    assert (result.exit_code, result.stdout) == (0, ""), result


def test_every_kth_case_has_one_defect(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _generate(tmp_path, "9", "--bad-every", "4")
    result = run_cli("validate", "-f", "parsable", str(tmp_path))
    found = sorted(
        (Path(line.split(":")[0]).name, line.split("[")[1].split("]")[0]) for line in result.stdout.splitlines()
    )
    assert found == [
        ("synthetic-000003.yaml", "flow-endpoint-missing"),
        ("synthetic-000007.yaml", "flow-endpoint-missing"),
    ], result


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    _generate(tmp_path / "a", "5", "--seed", "7")
    _generate(tmp_path / "b", "5", "--seed", "7")
    _generate(tmp_path / "c", "5", "--seed", "8")
    read = lambda d: [p.read_bytes() for p in sorted((tmp_path / d).iterdir())]  # noqa: E731
    assert read("a") == read("b") != read("c")


def test_the_records_benchmark_times_every_corpus_command() -> None:
    """benchmarks/records.py runs from a clone and names each command whose cold run
    computes records (its times are read by hand: nothing is asserted of them)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "records.py"), "--cases", "24", "--repeats", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "24 generated cases, best of 1, ms per case"
    named = [line.split(":")[0].strip() for line in lines[1:]]
    assert named == [
        "read and check a file (validate)",
        "keep a case for the stores (JSON copy, content hash)",
        *(f"{c} records" for c in ("list", "position", "compare", "export", "classify")),
        f"the +1 s of a cold run at 10,000 cases on {os.cpu_count() or 1} workers",
    ]
