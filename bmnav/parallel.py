"""Check many files, on all cores when there are enough of them to pay for it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .loading import Limits
from .model import Vocabulary

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400

_state: dict[str, Any] = {}

#: Wraps a stream of results given its length, e.g. to draw a progress bar.
Track = Callable[[Iterable[Any], int], Iterable[Any]]


def _init(vocab: Vocabulary, profile: bool, limits: Limits, slim: bool = False) -> None:
    _state.update(vocab=vocab, profile=profile, limits=limits, slim=slim)
    gc.disable()  # a short-lived worker: see `no_gc`


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector off while files are checked.

    Checking allocates many small containers (YAML nodes, dicts, problems)
    that live until the run ends; each full collection walks all of them
    again, which made checking 1,000 files about twice as slow (measured:
    5.1 s with the collector on, 2.1 s with it off, one core). The data
    holds no reference cycles; anything cyclic is collected once it is back on.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check(path: Path, vocab: Vocabulary, profile: bool, limits: Limits, slim: bool = False) -> Any:
    from .loading import Loaded
    from .validation import check_file

    c = check_file(path, vocab, profile=profile, limits=limits)
    c.loaded._root = None  # the node tree is composed again if a location is asked for later
    if slim:
        # only what validate needs later: the problems and the id (for id-unique); a
        # location asked for later reads the file again. Sending every file's data and
        # text back from the workers made 10,000 files cost more than ten times 1,000.
        data = c.loaded.data
        slim_data = {"id": data["id"]} if isinstance(data, dict) and isinstance(data.get("id"), str) else None
        c.loaded = Loaded(c.loaded.path, None, data=slim_data)
    return c


def _work(path: Path) -> Any:
    return _check(path, _state["vocab"], _state["profile"], _state["limits"], _state["slim"])  # node trees stay behind


def map_files(
    files: Sequence[Path],
    vocab: Vocabulary,
    *,
    profile: bool,
    limits: Limits,
    jobs: int | None = None,
    slim: bool = False,
    track: Track | None = None,
) -> list[Any]:
    """`check_file` of every file, in order; with `slim`, each result keeps only
    its problems and the file's id (what `validate` needs), not data and text.
    `track(results, total)` may wrap the stream of results (a progress bar)."""
    cores = jobs if jobs is not None else (os.cpu_count() or 1)
    if cores <= 1 or len(files) < PARALLEL_THRESHOLD:
        with no_gc():
            results: Iterable[Any] = (_check(f, vocab, profile, limits, slim) for f in files)
            return list(track(results, len(files)) if track else results)
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    chunk = max(16, len(files) // (cores * 4))
    with no_gc(), ctx.Pool(cores, initializer=_init, initargs=(vocab, profile, limits, slim)) as pool:
        stream = pool.imap(_work, files, chunksize=chunk)
        return list(track(stream, len(files)) if track else stream)
