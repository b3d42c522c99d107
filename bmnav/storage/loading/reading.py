"""Reading a file's bytes and decoding them: the first room of the loader.

Nothing here parses YAML. A file is read only when it is a regular file within
the size limit (a FIFO or a device would block), and its bytes are decoded as
UTF-8 or refused with the line and column of the first bad byte.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import BinaryIO

from bmnav.checking.problems import Problem, error
from bmnav.storage.limits import Limits


def line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def bytes_line_col(data: bytes, index: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, index) + 1
    col = index - (data.rfind(b"\n", 0, index) + 1) + 1
    return line, col


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without BOM) or a located encoding problem."""
    boms = {
        b"\xff\xfe\x00\x00": "UTF-32",
        b"\x00\x00\xfe\xff": "UTF-32",
        b"\xff\xfe": "UTF-16",
        b"\xfe\xff": "UTF-16",
    }
    for bom, name in boms.items():
        if raw.startswith(bom):
            return None, error(
                path, 1, 1, "encoding", f"the file is encoded as {name}; bmnav reads UTF-8 only: save it as UTF-8"
            )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = bytes_line_col(raw, nul)
        looks_utf16 = raw[1::2].count(0) > len(raw) // 4 or raw[0::2].count(0) > len(raw) // 4
        hint = (
            "it looks like UTF-16 without a byte-order mark: save it as UTF-8"
            if looks_utf16
            else "remove the NUL character; a YAML text file cannot contain one"
        )
        return None, error(path, line, col, "nul-byte", f"the file contains a NUL byte: {hint}")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line, col = bytes_line_col(raw, exc.start)
        byte = raw[exc.start]
        guess = raw[exc.start : exc.start + 1].decode("latin-1")
        return None, error(
            path,
            line,
            col,
            "encoding",
            f"byte 0x{byte:02X} is not valid UTF-8 (in Latin-1 it would be {guess!r}); "
            "the file seems to use another encoding such as Latin-1 or Windows-1252: "
            "save it as UTF-8",
        )


def too_large(path: str, size: int, limits: Limits) -> Problem:
    return error(
        path,
        0,
        0,
        "file-too-large",
        f"the file is {size:,} bytes, over the limit of {limits.max_bytes:,}; case files "
        "are a few kilobytes (raise the limit with --max-file-size or BMNAV_MAX_FILE_SIZE)",
    )


def read_bytes(path: Path, limits: Limits) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or a problem that says why it cannot be read."""
    name = str(path)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            return None, error(name, 0, 0, "path-unreadable", "this is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            # a FIFO, socket or device would block or never end: never open one
            return None, error(
                name, 0, 0, "path-unreadable", "not a regular file (a pipe, socket or device); give a YAML file"
            )
        size = st.st_size
        if size > limits.max_bytes:
            return None, too_large(name, size, limits)
        with path.open("rb") as fh:
            # the size seen, and a byte more to notice a file that grew since; asking
            # for the whole limit at once allocated 2 MiB for every small file
            raw = fh.read(size + 1)
            if len(raw) > size:
                raw += fh.read(limits.max_bytes + 1 - len(raw))
    except FileNotFoundError:
        return None, error(name, 0, 0, "path-not-found", "no such file (was it removed or renamed?); check the path")
    except IsADirectoryError:
        return None, error(name, 0, 0, "path-unreadable", "this is a folder, not a file")
    except PermissionError:
        return None, error(
            name, 0, 0, "path-unreadable", "permission denied: make the file readable (chmod +r) or leave it out"
        )
    except OSError as exc:
        rule = "symlink-loop" if exc.errno == 40 else "path-unreadable"
        return None, error(name, 0, 0, rule, f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > limits.max_bytes:
        return None, too_large(name, len(raw), limits)
    return raw, None


def read_stream(stream: BinaryIO, name: str, limits: Limits) -> tuple[bytes | None, Problem | None]:
    """The bytes of a pipe or standard input, read up to the size limit (a
    stream has no size to check first); a longer stream is a problem."""
    try:
        raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        return None, error(name, 0, 0, "path-unreadable", f"cannot read: {exc.strerror or exc}")
    if len(raw) > limits.max_bytes:
        return None, too_large(name, len(raw), limits)
    return raw, None
