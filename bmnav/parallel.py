"""Check many files, on all cores when there are enough of them to pay for it."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .loading import Limits
from .model import Vocabulary

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400

_state: dict[str, Any] = {}


def _init(vocab: Vocabulary, profile: bool, limits: Limits) -> None:
    _state.update(vocab=vocab, profile=profile, limits=limits)


def _work(path: Path) -> Any:
    from .validation import check_file

    c = check_file(path, _state["vocab"], profile=_state["profile"], limits=_state["limits"])
    c.loaded._root = None  # node trees do not cross process boundaries
    return c


def map_files(
    files: Sequence[Path], vocab: Vocabulary, *, profile: bool, limits: Limits, jobs: int | None = None
) -> list[Any]:
    from .validation import check_file

    cores = jobs if jobs is not None else (os.cpu_count() or 1)
    if cores <= 1 or len(files) < PARALLEL_THRESHOLD:
        return [check_file(f, vocab, profile=profile, limits=limits) for f in files]
    import multiprocessing as mp

    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    chunk = max(16, len(files) // (cores * 4))
    with ctx.Pool(cores, initializer=_init, initargs=(vocab, profile, limits)) as pool:
        return list(pool.imap(_work, files, chunksize=chunk))
