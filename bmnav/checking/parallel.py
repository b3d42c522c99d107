"""Run one function over many files, on all cores when there are enough files to pay for it.

The work is done by the standard library's `concurrent.futures.ProcessPoolExecutor`
with forked workers (the caller's function and data reach them by the fork, not by
pickling; only the results are pickled on the way back). What it does when things
go wrong, and so what `map_files` does:

- the function raises in a worker: the same exception is raised here (its
  worker-side traceback chained as its cause), and the run stops;
- a worker dies (killed, `os._exit`, out of memory): the pool is marked broken
  and every result still awaited fails at once, so the run stops with a
  `RuntimeError` rather than waiting for results that will never come;
- the run stops early for any reason: chunks not yet started are cancelled and
  the workers are joined before the error goes on, so no process is left behind.

Where `fork` is not available (Windows, or an interpreter without it), the files
are checked in this one process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from bmnav.storage.collector import no_gc  # the collector off while checking: 5.1 s -> 2.1 s for 1,000 files, one core

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
#: The most files handed to a worker at a time.
CHUNK = 32

#: Wraps a stream of results given its length, e.g. to draw a progress bar.
Track = Callable[[Iterable[Any], int], Iterable[Any]]

T = TypeVar("T")
R = TypeVar("R")

#: The function a worker applies, set once per worker by `_install`.
_work: Callable[[Any], Any] | None = None


def _install(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work
    gc.disable()  # a short-lived worker: see `no_gc`


def _run(item: Any) -> Any:
    assert _work is not None, "a worker without its function"
    return _work(item)


def can_fork() -> bool:
    """True where worker processes can be forked (the pool is used only then)."""
    return hasattr(os, "fork")


def map_files(
    files: Sequence[T],
    work: Callable[[T], R],
    *,
    jobs: int | None = None,
    track: Track | None = None,
) -> list[R]:
    """`work(f)` for every file, in order, on `jobs` worker processes (default:
    all cores) when there are at least `PARALLEL_THRESHOLD` files, else here.
    `track(results, total)` may wrap the stream of results (a progress bar)."""
    cores = jobs if jobs is not None else (os.cpu_count() or 1)
    with no_gc():
        if cores <= 1 or len(files) < PARALLEL_THRESHOLD or not can_fork():
            results: Iterable[R] = map(work, files)
            return list(track(results, len(files)) if track else results)
        # small chunks, so that no worker is left with a long last chunk while the
        # others are done (a chunk of 125 files left one idle for up to ~80 ms)
        chunk = max(8, min(CHUNK, len(files) // (cores * 8)))
        # imported here: they cost a command that checks few files ~80 ms of start-up
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        # the workers are forked here, before the caller's `track` starts any thread
        pool = ProcessPoolExecutor(
            cores, mp_context=multiprocessing.get_context("fork"), initializer=_install, initargs=(work,)
        )
        try:
            stream = pool.map(_run, files, chunksize=chunk)
            return list(track(stream, len(files)) if track else stream)
        except BrokenProcessPool as exc:
            raise RuntimeError("a worker process stopped before checking all files; run again with --jobs 1") from exc
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
