"""Writing output files safely: atomically, and never over a file by accident.

Every command that writes a file (`--svg`, `--output`, ...) goes through
`write_atomic`, so a half-written file never replaces a good one and an
existing file is only overwritten when the user asked for it with `--force`.
Without `--force` the file is created exclusively (a hard link, which fails
when the name exists), so two runs racing for the same name never clobber
each other; Ctrl-C, SIGTERM or SIGHUP during a write remove the temporary
file before bmnav exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from bmnav.checking.problems import BmnavError

__all__ = ["check_folder", "check_writable", "same_file", "write_atomic"]


def check_folder(path: str | os.PathLike[str]) -> Path:
    """Check that the folder `path` would be written into exists; return `path`.

    For a command that learns the file name later (`bmnav new` asks for the
    id) but must not ask its questions in vain.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise BmnavError(f"cannot write {target}: the folder {folder} does not exist (create it first)")
    if not folder.is_dir():
        raise BmnavError(f"cannot write {target}: {folder} is not a folder")
    return target


def _exists_message(target: Path) -> str:
    if target.is_symlink() and not target.exists():
        return (
            f"{target} already exists as a symbolic link to {os.readlink(target)}, which does not exist; "
            "use --force to replace the link"
        )
    return f"{target} already exists; use --force to overwrite it"


def check_writable(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Check, before any work is done, that `path` may be written.

    Raises `BmnavError` when the folder does not exist, when `path` is a
    folder, or when something of that name exists (a dangling symbolic link
    included) and `force` is false. Returns the path.
    """
    target = Path(path)
    if target.is_dir():
        raise BmnavError(f"{target} is a folder; give a file name to write to")
    check_folder(target)
    if os.path.lexists(target) and not force:
        raise BmnavError(_exists_message(target))
    return target


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether `a` and `b` name the same file (through links, `..`, or as
    two names of one existing file)."""
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:  # one of them does not exist yet
        pass
    return os.path.realpath(a) == os.path.realpath(b)


#: Signals that end the process: while a temporary file exists they raise
#: SystemExit(128 + signal) instead, so that it is removed on the way out.
_FATAL = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_BLOCKED = {signal.SIGINT, *_FATAL}


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """Make SIGTERM and SIGHUP unwind the stack (Ctrl-C already does), where
    they would otherwise end the process on the spot. Only in the main thread
    (the only one Python lets set handlers), and never over a handler or an
    ignore someone else installed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, object] = {}
    for sig in _FATAL:
        if signal.getsignal(sig) is signal.SIG_DFL:
            previous[sig] = signal.signal(sig, _exit_on_signal)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


def _mask(how: int) -> None:
    """Block or unblock the signals that interrupt a write (POSIX only), so
    none lands between creating the temporary file and knowing its name."""
    if hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread():
        signal.pthread_sigmask(how, _BLOCKED)


def _create_exclusively(tmp: str, target: Path) -> None:
    """Give the finished `tmp` the name `target`, failing if that name exists.

    A hard link fails atomically on an existing name (a dangling link
    included); a file system without hard links gets an empty placeholder
    created with O_EXCL, which the content then replaces.
    """
    try:
        os.link(tmp, target, follow_symlinks=False)
        return
    except FileExistsError:
        raise BmnavError(_exists_message(target)) from None
    except OSError:
        pass
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BmnavError(_exists_message(target)) from None
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def write_atomic(
    path: str | os.PathLike[str],
    text: str | bytes,
    *,
    force: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """Write `text` to `path` atomically and return the path.

    The content goes to a temporary file in the same folder, which then
    takes the name `path`, so readers see either the old file or the
    complete new one. Without `force` the name is taken only if nothing has
    it (checked and taken in one step); with `force` the file replaces what
    is there (`os.replace`: a symbolic link is replaced, not written
    through). A missing folder is an error (it is not created). Text is
    written with `encoding` and "\\n" line endings; bytes are written as
    they are. The temporary file is removed on every way out: an error,
    Ctrl-C, SIGTERM or SIGHUP.

    Raises `BmnavError` with a message fit for the user.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a.txt", "hi\\n").read_text()
    'hi\\n'
    """
    target = check_writable(path, force=force)
    folder = target.parent if str(target.parent) else Path(".")
    data = text.encode(encoding, "replace") if isinstance(text, str) else text  # a bad file name: U+FFFD
    with _signals_unwind():
        tmp: str | None = None
        _mask(signal.SIG_BLOCK)
        try:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            finally:
                _mask(signal.SIG_UNBLOCK)
            _fill(fd, tmp, data)
            if force:
                os.replace(tmp, target)
                tmp = None
            else:
                _create_exclusively(tmp, target)
        except OSError as exc:
            raise BmnavError(f"cannot write {target}: {exc.strerror or exc}") from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
    return target


def _fill(fd: int, tmp: str, data: bytes) -> None:
    """Write `data` to the open temporary file and give it the usual permissions."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    with contextlib.suppress(OSError):
        # mkstemp creates 0600; give the file the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
