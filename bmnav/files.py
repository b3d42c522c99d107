"""Writing output files safely: atomically, and never over a file by accident.

Every command that writes a file (`--svg`, `--output`, ...) goes through
`write_atomic`, so a half-written file never replaces a good one and an
existing file is only overwritten when the user asked for it with `--force`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from bmnav.problems import BmnavError

__all__ = ["check_writable", "write_atomic"]


def check_writable(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Check, before any work is done, that `path` may be written.

    Raises `BmnavError` when the folder does not exist, when `path` is a
    folder, or when the file exists and `force` is false. Returns the path.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise BmnavError(f"{target} is a folder; give a file name to write to")
    if not folder.exists():
        raise BmnavError(f"cannot write {target}: the folder {folder} does not exist (create it first)")
    if not folder.is_dir():
        raise BmnavError(f"cannot write {target}: {folder} is not a folder")
    if target.exists() and not force:
        raise BmnavError(f"{target} already exists; use --force to overwrite it")
    return target


def write_atomic(
    path: str | os.PathLike[str],
    text: str | bytes,
    *,
    force: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """Write `text` to `path` atomically and return the path.

    The content goes to a temporary file in the same folder, which then
    replaces `path` with `os.replace`, so readers see either the old file or
    the complete new one. An existing file is refused unless `force` is true;
    a missing folder is an error (it is not created). Text is written with
    `encoding` and "\\n" line endings; bytes are written as they are.

    Raises `BmnavError` with a message fit for the user.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(d / "a.txt", "hi\\n").read_text()
    'hi\\n'
    """
    target = check_writable(path, force=force)
    folder = target.parent if str(target.parent) else Path(".")
    data = text.encode(encoding, "replace") if isinstance(text, str) else text  # a bad file name: U+FFFD
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BmnavError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            # mkstemp creates 0600; give the file the usual permissions.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if not force and target.exists():  # appeared while we were writing
            raise BmnavError(f"{target} already exists; use --force to overwrite it")
        os.replace(tmp, target)
    except BmnavError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise BmnavError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
