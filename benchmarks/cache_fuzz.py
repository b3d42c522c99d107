#!/usr/bin/env python3
"""Fuzz bmnav's cache folder: damage its files and compare every answer with a run without cache.

Usage (from the repository root):

    python benchmarks/cache_fuzz.py              # every byte of each file's first 100 changed, cuts, junk, ...
    python benchmarks/cache_fuzz.py --quick      # a sample
    python benchmarks/cache_fuzz.py --tiny       # the few that tests/test_cache_fuzz.py tries

A warm cache is made by `validate` (a folder with a valid and an invalid
case), `classify` (a profile), `show` (a case) and `--help`. Then, one at a
time, a cache file is truncated, has one byte changed, is replaced by junk,
by a 5-byte marshal header that asks for 2 GiB, by an empty file, a folder
or a symbolic link; the commands run again in this process (Typer's test
runner) and their exit code and output are compared with those of
`BMNAV_NO_CACHE=1`. The warm cache is restored before each mutation.
It prints the number of mutations, crashes (an exception or exit code 3)
and disagreements, and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASE = ROOT / "data" / "usecases" / "airbus-skywise.yaml"
MISSING = ROOT / "tests" / "hostile" / "cache" / "missing-six-fields.yaml"
PROFILE = ROOT / "tests" / "profiles" / "catena-x.yaml"
HEADER_2GIB = (ROOT / "tests" / "hostile" / "cache" / "marshal-2gib-header.bin").read_bytes()

Mutation = tuple[str, Callable[[Path], None]]


@dataclass
class Outcome:
    mutations: int = 0
    crashes: list[str] = field(default_factory=list)
    exit3: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)


def _reset() -> None:
    """Forget what this process remembers of the cache folder."""
    from bmnav.storage import cache, corpus_index

    for memo in ("_keys", "_warned"):  # (absent in older versions, which the script also runs on)
        getattr(cache, memo, {}).clear()
    corpus_index._stores.clear()


def _help() -> tuple[int, str]:
    """`bmnav --help` as bmnav.entry runs it: from the cache, else rendered (and stored)."""
    from bmnav import entry
    from bmnav.cli import _print_cached_help

    text = entry.cached_help()
    if text is not None:
        return 0, text
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        stored = _print_cached_help()
    if stored:
        return 0, out.getvalue()
    import typer

    from bmnav.cli import build_app

    command = typer.main.get_command(build_app())  # rendered as _print_cached_help does, without a cache
    with command.make_context(entry.program_name(), ["--help"], resilient_parsing=True) as ctx:
        return 0, command.get_help(ctx) + "\n"


def _commands(work: Path) -> list[tuple[str, list[str]]]:
    return [
        ("validate", ["validate", "--format", "json", str(work / "cases")]),
        ("classify", ["classify", str(work / "profile.yaml"), "--format", "json"]),
        ("show", ["show", str(work / "cases" / CASE.name), "--format", "json"]),
    ]


def run_all(work: Path) -> dict[str, tuple[int, str]]:
    """Exit code and output of each command (and of `--help`)."""
    from typer.testing import CliRunner

    from bmnav.cli import app

    _reset()
    results = {}
    runner = CliRunner()
    for name, args in _commands(work):
        result = runner.invoke(app, args, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        results[name] = (result.exit_code, result.stdout)
    results["--help"] = _help()
    return results


def mutations(path: Path, rng: random.Random, *, level: str) -> Iterator[Mutation]:
    """Damage for one file: `full` changes every byte and cuts at every length,
    `quick` a sample, `tiny` (the pytest run) a few."""
    size = path.stat().st_size
    if level == "full":  # every byte of the header and the start, a sample of the rest
        cuts = sorted({*range(min(size, 100)), *rng.sample(range(size), min(size, 20))})
        spots = sorted({*range(min(size, 100)), *rng.sample(range(size), min(size, 60))})
    elif level == "quick":
        cuts, spots = sorted({0, 1, 15, size // 2, size - 1}), sorted({0, 3, 20, 70, size // 2})
    else:
        cuts, spots = [size // 2], sorted({20, size // 2})
    for n in cuts:
        yield f"truncate to {n}", partial(_truncate, n=n)
    for i in spots:
        if 0 <= i < size:
            x = rng.randrange(1, 256)
            yield f"byte {i} xor {x}", partial(_flip, i=i, x=x)
    for k in range({"full": 20, "quick": 3}.get(level, 1)):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5000)))
        yield f"junk {k}", partial(_write, data=junk)
    yield "5-byte marshal header asking for 2 GiB", partial(_write, data=HEADER_2GIB)
    yield "a folder", _folder
    if level != "tiny":
        yield "a symbolic link to another cache file", _link


def _write(p: Path, data: bytes) -> None:
    p.write_bytes(data)


def _truncate(p: Path, n: int) -> None:
    with p.open("r+b") as fh:
        fh.truncate(n)


def _flip(p: Path, i: int, x: int) -> None:
    raw = bytearray(p.read_bytes())
    raw[i] ^= x
    p.write_bytes(bytes(raw))


def _folder(p: Path) -> None:
    p.unlink()
    (p / "sub").mkdir(parents=True)


def _link(p: Path) -> None:
    other = sorted(q for q in p.parent.iterdir() if q != p and q.is_file())[0]
    p.unlink()
    p.symlink_to(other.name)


@contextlib.contextmanager
def environment(work: Path) -> Iterator[Path]:
    """A case folder, a profile and a private cache folder in `work`; the environment set for them."""
    (work / "cases").mkdir()
    shutil.copy(CASE, work / "cases" / CASE.name)
    shutil.copy(MISSING, work / "cases" / MISSING.name)
    shutil.copy(PROFILE, work / "profile.yaml")
    folder = work / "cache"
    saved = {k: os.environ.get(k) for k in ("BMNAV_CACHE_DIR", "BMNAV_NO_CACHE", "BMNAV_DATA", "COLUMNS", "NO_COLOR")}
    os.environ.update(BMNAV_CACHE_DIR=str(folder), COLUMNS="100", NO_COLOR="1")
    os.environ.pop("BMNAV_NO_CACHE", None)
    os.environ.pop("BMNAV_DATA", None)
    try:
        yield folder
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def fuzz(work: Path, *, level: str, seed: int = 13) -> Outcome:
    rng = random.Random(seed)
    outcome = Outcome()
    with environment(work) as folder:
        os.environ["BMNAV_NO_CACHE"] = "1"
        cold = run_all(work)
        os.environ.pop("BMNAV_NO_CACHE")
        assert run_all(work) == cold  # writes the cache
        assert run_all(work) == cold  # from the cache
        warm = work / "warm"
        shutil.copytree(folder, warm, symlinks=True)
        names = sorted(p.name for p in warm.iterdir())
        for name in names:
            for label, mutate in list(mutations(warm / name, rng, level=level)):
                shutil.rmtree(folder)
                shutil.copytree(warm, folder, symlinks=True)
                mutate(folder / name)
                outcome.mutations += 1
                what = f"{name}: {label}"
                try:
                    got = run_all(work)
                except Exception as exc:  # counted and reported
                    outcome.crashes.append(f"{what}: {type(exc).__name__}: {exc}")
                    continue
                if any(code == 3 for code, _ in got.values()):
                    outcome.exit3.append(what)
                if got != cold:
                    outcome.disagreements.append(what)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a sample of mutations, not every byte")
    parser.add_argument("--tiny", action="store_true", help="the few mutations tests/test_cache_fuzz.py tries")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bmnav-cache-fuzz-") as tmp:
        level = "tiny" if args.tiny else "quick" if args.quick else "full"
        out = fuzz(Path(tmp), level=level, seed=args.seed)
    print(
        f"mutations: {out.mutations}  crashes: {len(out.crashes)}  exit 3: {len(out.exit3)}  "
        f"disagreements with --no-cache: {len(out.disagreements)}  ({time.perf_counter() - start:.0f} s)"
    )
    for line in (out.crashes + out.exit3 + out.disagreements)[:20]:
        print("  " + line)
    return 1 if out.crashes or out.exit3 or out.disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
