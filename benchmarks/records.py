#!/usr/bin/env python3
"""What each corpus command adds per case to reading and checking: its records.

Usage (from the repository root):

    python benchmarks/records.py                 # 1,500 generated cases
    python benchmarks/records.py --cases 300 --repeats 1

A cold corpus command reads and checks every case file, as `validate` does,
and has the pool workers compute the records it needs of each case
(`load_corpus(data, records=...)`, docs/architecture.md). This script writes
generated cases (benchmarks/gen_corpus.py), reads and checks them once, and
then times each command's records alone, per case, in this process, the way
a worker computes them: a fresh snapshot of each case, the garbage collector
off, every record copied through JSON as the cache keeps it. The best of
`--repeats` runs is shown, with the time to read and check a file for
scale, and what keeping a case for the stores costs (every cold corpus
command does it, whatever its records). Divide by the number of workers to
see what a cold run at 10,000 cases adds; the last line says how much a case
may cost, keeping and records together, for a cold run to stay within one
second of a cold `validate` (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bmnav.checking.validation import check_file  # noqa: E402
from bmnav.classifying.classifier import SUMMARY_RECORDS  # noqa: E402
from bmnav.domain.cards import LIST_RECORDS  # noqa: E402
from bmnav.domain.comparison import COMPARE_RECORDS  # noqa: E402
from bmnav.domain.flatten import export_records  # noqa: E402
from bmnav.domain.model import Case  # noqa: E402
from bmnav.domain.positions import POSITION_RECORDS  # noqa: E402
from bmnav.storage import cache  # noqa: E402
from bmnav.storage.corpus import Corpus, read_model  # noqa: E402
from bmnav.storage.limits import Limits  # noqa: E402
from bmnav.storage.resources import data_dir  # noqa: E402

#: command -> the records its cold run has the workers compute
COMMANDS = {
    "list": LIST_RECORDS,
    "position": POSITION_RECORDS,  # (position also reads the list records)
    "compare": COMPARE_RECORDS,
    "export": export_records("cases"),
    "classify": SUMMARY_RECORDS,
}


def best_ms(run: Callable[[], object], n: int, repeats: int) -> float:
    """The best of `repeats` runs, in milliseconds per case."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best / n * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1500)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        gen = [sys.executable, str(ROOT / "benchmarks" / "gen_corpus.py"), f"{tmp}/usecases", str(args.cases)]
        subprocess.run(gen, check=True, capture_output=True)
        dd = data_dir(tmp)
        limits = Limits.from_env()
        vocab, _, clusters_doc, patterns_doc = read_model(dd, limits)
        shell = Corpus({}, vocab, clusters_doc, patterns_doc, dd)  # as the workers have it: no cases
        files = [Path(f) for f in sorted(dd.case_files())]
        loaded = [check_file(f, vocab, profile=False, limits=limits).loaded for f in files]
        gc.disable()
        n = len(files)
        print(f"{n} generated cases, best of {args.repeats}, ms per case")
        check = best_ms(lambda: [check_file(f, vocab, profile=False, limits=limits) for f in files], n, args.repeats)
        print(f"  read and check a file (validate): {check:.3f}")
        keep = best_ms(lambda: _keep(loaded), n, args.repeats)
        print(f"  keep a case for the stores (JSON copy, content hash): {keep:.3f}")
        for command, records in COMMANDS.items():
            makers = [make(shell) for make in records.values()]

            def run(makers: list[Callable[[Case], Any]] = makers, items: list[Any] = loaded) -> None:
                for item in items:
                    case = Case(item.data, item.path).snapshot()
                    for compute in makers:
                        cache.plain_copy(compute(case))

            run(items=loaded[:20])  # (imports such as networkx's are not the records' cost)
            print(f"  {command} records: {best_ms(run, n, args.repeats):.3f}")
        workers = os.cpu_count() or 1
        print(f"the +1 s of a cold run at 10,000 cases on {workers} workers: {1000 * workers / 10_000:.3f} ms a case")
    return 0


def _keep(items: list[Any]) -> None:
    """What every cold corpus command adds to checking a file, whatever its records:
    the case as JSON for the cases store (checked to read back equal) and the
    file's content hash (`corpus_index._read_one`)."""
    for item in items:
        cache.faithful([item.path, item.data])
        cache.file_digest(item.path)


if __name__ == "__main__":
    raise SystemExit(main())
