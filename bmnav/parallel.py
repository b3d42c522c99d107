"""Check many files, on all cores when there are enough of them to pay for it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .cache import no_gc  # the collector off while checking: 5.1 s -> 2.1 s for 1,000 files, one core
from .loading import Limits, Loaded
from .model import Vocabulary
from .validation import check_file

#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
#: The most files handed to a worker at a time.
CHUNK = 32

_state: dict[str, Any] = {}

#: Wraps a stream of results given its length, e.g. to draw a progress bar.
Track = Callable[[Iterable[Any], int], Iterable[Any]]


def _init(vocab: Vocabulary, profile: bool, limits: Limits, slim: bool = False) -> None:
    _state.update(vocab=vocab, profile=profile, limits=limits, slim=slim)
    gc.disable()  # a short-lived worker: see `no_gc`


def _check(path: Path, vocab: Vocabulary, profile: bool, limits: Limits, slim: bool = False) -> Any:
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
    # small chunks, so that no worker is left with a long last chunk while the
    # others are done (a chunk of 125 files left one idle for up to ~80 ms)
    chunk = max(8, min(CHUNK, len(files) // (cores * 8)))
    if hasattr(os, "fork"):
        with no_gc():
            stream = _forked(files, cores, chunk, lambda f: _check(f, vocab, profile, limits, slim))
            return list(track(stream, len(files)) if track else stream)
    import multiprocessing as mp  # pragma: no cover - platforms without fork

    with no_gc(), mp.get_context().Pool(cores, initializer=_init, initargs=(vocab, profile, limits, slim)) as pool:
        stream = pool.imap(_work, files, chunksize=chunk)
        return list(track(stream, len(files)) if track else stream)


def _forked(files: Sequence[Path], cores: int, chunk: int, check: Callable[[Path], Any]) -> Iterator[Any]:
    """`check(f)` for every file, in order, from `cores` forked worker processes.

    Leaner than a `multiprocessing` pool, whose threads and queues cost the
    parent about 50 ms of CPU for 1,000 files on a 2-core machine, taken
    from the workers. The start of every chunk of files waits in a pipe
    (4 bytes each: a pipe hands out small reads whole, so each worker takes
    the next chunk when it is ready); each worker sends its results back,
    pickled, through a pipe of its own. An exception in a worker is raised
    here; a worker that dies is an error, not a hang. The workers are
    forked at once, before the caller iterates (and, say, starts a progress
    bar's thread); the results are read as the returned iterator is consumed.
    """
    tokens = b"".join(start.to_bytes(4, "little") for start in range(0, len(files), chunk))
    tasks_r, tasks_w = os.pipe()
    sent = os.write(tasks_w, tokens[:_PIPE_ATOMIC])  # the first chunks: a worker can start at once
    workers: dict[int, int] = {}  # result pipe -> pid
    try:
        for _ in range(cores):
            result_r, result_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the worker (coverage does not follow forks)
                code = 1
                try:
                    os.close(tasks_w)
                    os.close(result_r)
                    code = _serve(files, chunk, check, tasks_r, result_w)
                finally:
                    os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
            os.close(result_w)
            workers[result_r] = pid
    except BaseException:
        os.close(tasks_r)
        _stop(workers, tasks_w, finished=False)
        raise
    os.close(tasks_r)
    return _collect(len(files), chunk, tokens, sent, tasks_w, workers)


def _collect(n: int, chunk: int, tokens: bytes, sent: int, tasks_w: int, workers: dict[int, int]) -> Iterator[Any]:
    """The workers' results in order, handing out the rest of the chunks meanwhile."""
    import pickle
    import selectors

    finished = False
    sel = selectors.DefaultSelector()
    try:
        for fd in workers:
            sel.register(fd, selectors.EVENT_READ, bytearray())
        if sent < len(tokens):
            os.set_blocking(tasks_w, False)
            sel.register(tasks_w, selectors.EVENT_WRITE)
        else:
            os.close(tasks_w)
            tasks_w = -1
        done: dict[int, list[Any]] = {}
        ready = 0  # the start of the next chunk to hand on
        while ready < n:
            if not any(key.events & selectors.EVENT_READ for key in sel.get_map().values()):
                raise RuntimeError("a worker process stopped before checking all files; run again with --jobs 1")
            for key, _ in sel.select():
                if key.fd == tasks_w:
                    try:
                        sent += os.write(tasks_w, tokens[sent : sent + _PIPE_ATOMIC])
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:  # every worker has stopped: reported above
                        sent = len(tokens)
                    if sent >= len(tokens):
                        sel.unregister(tasks_w)
                        os.close(tasks_w)
                        tasks_w = -1
                    continue
                data = os.read(key.fd, 1 << 16)
                if not data:
                    sel.unregister(key.fd)
                    continue
                buffer: bytearray = key.data
                buffer += data
                while len(buffer) >= 8:
                    size = int.from_bytes(buffer[:8], "little")
                    if len(buffer) < 8 + size:
                        break
                    start, ok, results = pickle.loads(buffer[8 : 8 + size])
                    del buffer[: 8 + size]
                    if not ok:
                        raise results
                    done[start] = results
            while ready in done:
                yield from done.pop(ready)
                ready += chunk
        finished = True
    finally:
        sel.close()
        _stop(workers, tasks_w, finished=finished)


def _stop(workers: dict[int, int], tasks_w: int, *, finished: bool) -> None:
    """Close the pipes and reap the workers: they end by themselves once every
    chunk is handed out; when the run stopped early, they are stopped."""
    import signal

    if tasks_w >= 0:
        os.close(tasks_w)  # a worker waiting for a chunk sees the end
    for fd, pid in workers.items():
        os.close(fd)
        try:
            if not finished:
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ChildProcessError, ProcessLookupError):  # pragma: no cover - gone already
            pass


#: Writes to a pipe up to this size are never split (POSIX guarantees at least 512 bytes).
_PIPE_ATOMIC = 512


def _serve(files: Sequence[Path], chunk: int, check: Callable[[Path], Any], tasks: int, out: int) -> int:
    """A worker's loop: check the chunks it takes from `tasks`, send the results to `out`."""
    import pickle

    while True:
        token = os.read(tasks, 4)
        if len(token) < 4:
            return 0  # no chunks left
        start = int.from_bytes(token, "little")
        try:
            record = pickle.dumps((start, True, [check(f) for f in files[start : start + chunk]]), protocol=5)
        except Exception as exc:
            try:
                record = pickle.dumps((start, False, exc), protocol=5)
            except Exception:
                record = pickle.dumps((start, False, RuntimeError(f"{type(exc).__name__}: {exc}")), protocol=5)
        view = memoryview(len(record).to_bytes(8, "little") + record)
        while view:
            view = view[os.write(out, view) :]
