"""Standard streams the environment broke: closed, full, or unable to encode.

A closed stdout, a full disk behind `> file`, `PYTHONIOENCODING=ascii` or a
closed stdin under `bmnav new` are faults of the caller's setup, not bugs in
bmnav. `protect()` (called first by the entry point) makes every failure of
a standard stream raise `StreamError`, which the CLI turns into one line on
stderr and exit code 2 instead of an "internal error" (exit 3) or a
traceback. It also keeps closed descriptors 0-2 pointing at the null device,
so a file bmnav opens can never take their place and receive stray output.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

__all__ = ["EXIT_CODE", "StreamError", "exit_code", "protect", "report", "require_input"]

#: Exit code for a standard stream that cannot be used (like a usage error,
#: the run could not be done as asked; never 3, which means a bug).
EXIT_CODE = 2

_NAMES = {0: "standard input", 1: "standard output", 2: "standard error"}


class StreamError(Exception):
    """A standard stream cannot be read or written; `message` says why, in ASCII."""

    def __init__(self, stream: str, reason: str) -> None:
        verb = "read" if stream == _NAMES[0] else "write to"
        self.message = f"cannot {verb} {stream}: {reason}"
        super().__init__(self.message)


#: The first failure of the run, and whether it has been shown.
_state: dict[str, Any] = {"failure": None, "reported": False}


def _null_onto(fd: int) -> None:
    """Point descriptor `fd` at the null device (a closed one, or one that failed)."""
    null = os.open(os.devnull, os.O_RDWR)
    if null != fd:
        os.dup2(null, fd)
        os.close(null)


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def _reason(stream: io.TextIOWrapper, exc: BaseException) -> str:
    if isinstance(exc, UnicodeEncodeError):
        char = exc.object[exc.start : exc.end][:1]
        encoding = stream.encoding
        return (
            f"its encoding {encoding} cannot show {char!a} (U+{ord(char):04X}); set PYTHONIOENCODING=utf-8, "
            f"or PYTHONIOENCODING={encoding}:replace to accept lossy output"
        )
    if isinstance(exc, OSError):
        return str(exc.strerror or exc).encode("ascii", "replace").decode()
    return "it is closed"


class _Guarded(io.TextIOWrapper):
    """A standard stream whose failures raise `StreamError`.

    `closed_at_start` marks a stream whose descriptor was closed when bmnav
    started: it stands on the null device and refuses to be used.
    """

    label = ""
    closed_at_start = False

    def _failed(self, exc: BaseException) -> BaseException:
        if isinstance(exc, (OSError, ValueError)) and not isinstance(exc, UnicodeError):
            # Later writes and the flush at exit go nowhere instead of failing again.
            try:
                _null_onto(self.fileno())
            except (OSError, ValueError):
                pass
        if isinstance(exc, BrokenPipeError):  # the reader went away (`| head`): not an error
            return exc
        error = StreamError(self.label, _reason(self, exc))
        if _state["failure"] is None:
            _state["failure"] = error
        return error

    def write(self, s: str) -> int:
        if self.closed_at_start and s:
            raise self._failed(ValueError("closed"))
        try:
            return super().write(s)
        except (OSError, ValueError, UnicodeEncodeError) as exc:
            raise self._failed(exc) from None

    def flush(self) -> None:
        try:
            super().flush()
        except (OSError, ValueError) as exc:
            raise self._failed(exc) from None

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if self.closed_at_start:
            raise self._failed(ValueError("closed"))
        return super().readline(-1 if size is None else size)

    def read(self, size: int | None = -1) -> str:
        if self.closed_at_start:
            raise self._failed(ValueError("closed"))
        return super().read(size)


def _guard(fd: int, current: Any) -> _Guarded | None:
    closed = current is None or not _is_open(fd)
    if fd == 0 and not closed:  # an open stdin needs no guard
        return None
    if closed:
        _null_onto(fd)
        stream = _Guarded(
            open(fd, "rb" if fd == 0 else "wb", closefd=False),  # noqa: SIM115 (lives as long as the process)
            encoding="utf-8",
            errors="strict",
            newline="\n",
        )
    elif type(current) is io.TextIOWrapper and not current.closed:
        current.flush()
        stream = _Guarded(
            current.buffer,
            encoding=current.encoding,
            errors=current.errors,
            newline=None if os.name == "nt" else "\n",
            line_buffering=current.line_buffering,
            write_through=current.write_through,
        )
    else:  # replaced by a test harness or an embedding program: leave it alone
        return None
    stream.label = _NAMES[fd]
    stream.closed_at_start = closed
    return stream


def protect() -> None:
    """Guard stdin, stdout and stderr for this process (once; the process's
    own streams only, never ones a test harness put in their place)."""
    for fd, attr in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        current = getattr(sys, attr)
        if isinstance(current, _Guarded):
            continue
        if current is not None and current is not getattr(sys, f"__{attr}__"):
            continue
        stream = _guard(fd, current)
        if stream is not None:
            setattr(sys, attr, stream)


def require_input() -> None:
    """Raise `StreamError` when stdin was closed when bmnav started, so a
    command that asks questions stops before the first one."""
    if getattr(sys.stdin, "closed_at_start", False) or sys.stdin is None:
        raise StreamError(_NAMES[0], "it is closed (answer in a terminal or pipe the answers in)")


def report(error: StreamError) -> None:
    """Show `error` on stderr, once per run (silently skipped when stderr is the broken stream)."""
    if _state["reported"]:
        return
    _state["reported"] = True
    if _state["failure"] is None:
        _state["failure"] = error
    try:
        if sys.stderr is not None:
            sys.stderr.write(f"error: {error.message}\n")
            sys.stderr.flush()
    except (StreamError, OSError, ValueError):
        pass


def exit_code(code: int) -> int:
    """The exit code of the run: `code`, unless a standard stream failed.

    Flushes stdout and stderr first, so output still buffered meets the
    same check (a full disk shows only then).
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except StreamError as exc:
            report(exc)
        except (OSError, ValueError):
            pass
    failure = _state["failure"]
    if failure is None:
        return code
    report(failure)
    return EXIT_CODE
