"""bmnav's cache folder and the stores in it: data only, checked, never trusted alone.

Where: `$BMNAV_CACHE_DIR`, else `$XDG_CACHE_HOME/bmnav`, else `~/.cache/bmnav`;
`BMNAV_NO_CACHE=1` or `--no-cache` turns it off. A folder that other users
can write to (or that sits in such a folder) is refused, as ssh refuses its
files, with one line on stderr; with no home folder there is no cache. bmnav
creates the cache folder itself (mode 0700) and nothing else outside it
(only `~/.cache` in an existing home).

What: every file in it is JSON after a header with a keyed hash (BLAKE2b,
with a random key kept in the folder, mode 0600) over its name and payload.
A file that is not ours, not a regular file, too large, damaged or written
under another key is ignored and written again: reading it can neither run
code nor allocate more than its size. Nothing in the cache is ever executed.

Checked files: entries are keyed by the file's absolute path and the hash of
its content (read again on every reuse), under a run key that covers
everything else a result depends on: bmnav's version and code, the schemas,
the vocabulary files and the limits. So a result is never served for a file
whose bytes differ, whatever its size and timestamps say.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path
from typing import Any

from bmnav._version import __version__
from bmnav.storage.collector import no_gc

#: Bump when the layout of entries changes.
FORMAT = 3
_KEEP = 4  # stores kept per kind; older ones are pruned
#: The first bytes of every file bmnav writes to its cache (then a hex MAC and a newline).
MAGIC = b"bmnav-cache-1\n"
#: A cache file larger than this is not read (the largest real store, the parsed
#: cases of a 10,000-case corpus, is some tens of MB).
MAX_STORE_BYTES = 512 * 1024 * 1024
#: A checked file larger than this is not hashed for the cache (it is checked every time).
MAX_HASHED_BYTES = 64 * 1024 * 1024
SUFFIX = ".cache"
_KEY_NAME = "key"
_warned: set[str] = set()
_keys: dict[str, bytes | None] = {}


def cache_dir() -> Path | None:
    """Where the cache folder is, or None when there is no home to put it in.

    `~` is taken from `$HOME` only: with no `$HOME`, or a `$HOME` that does
    not exist, there is no cache (rather than a lookup that fails or a
    folder created somewhere unexpected)."""
    own = os.environ.get("BMNAV_CACHE_DIR")
    if own:
        return Path(os.path.abspath(own))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "bmnav"
    home = os.environ.get("HOME")
    if not home or not os.path.isabs(home) or not os.path.isdir(home):
        return None
    return Path(home) / ".cache" / "bmnav"


def enabled() -> bool:
    """True when caching is on and a cache folder can be trusted."""
    return folder() is not None


def folder() -> Path | None:
    """The cache folder to use, or None: caching off, no home, or a folder
    other users can write to (said once per process on stderr)."""
    if os.environ.get("BMNAV_NO_CACHE", "") not in ("", "0"):
        return None
    path = cache_dir()
    if path is None:
        return None
    reason = untrusted(path)
    if reason is None:
        return path
    if str(path) not in _warned:
        _warned.add(str(path))
        sys.stderr.write(
            f"bmnav: not using the cache folder {path}: {reason}; "
            "running without a cache (fix its permissions or set BMNAV_CACHE_DIR)\n"
        )
    return None


def _writable_by_others(st: os.stat_result) -> bool:
    return bool(st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def untrusted(path: Path) -> str | None:
    """Why `path` may not be used as a cache folder, or None when it may.

    The folder (when it exists) must be a folder of this user that nobody
    else can write to; every folder above it must belong to this user or to
    root and be writable by nobody else unless it is sticky (like /tmp), so
    that no one else can swap it for another."""
    if not hasattr(os, "geteuid"):
        return None  # no POSIX owners (Windows): nothing to check
    uid = os.geteuid()
    real = Path(os.path.realpath(path))
    for i, p in enumerate((real, *real.parents)):
        try:
            st = os.stat(p)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"{p} cannot be examined ({exc.strerror})"
        if i == 0 and not stat.S_ISDIR(st.st_mode):
            return "it is not a folder"
        if i == 0 and st.st_uid != uid:
            return f"it belongs to another user (uid {st.st_uid})"
        if i == 0 and _writable_by_others(st):
            return f"other users can write to it (mode {stat.S_IMODE(st.st_mode):04o})"
        if i > 0 and st.st_uid not in (uid, 0):
            return f"{p} above it belongs to another user (uid {st.st_uid})"
        if i > 0 and _writable_by_others(st) and not st.st_mode & stat.S_ISVTX:
            return f"other users can write to {p} above it (mode {stat.S_IMODE(st.st_mode):04o})"
    return None


def _make_folder(path: Path) -> bool:
    """Create the cache folder (mode 0700) if needed; only its parent must
    exist (or be `~/.cache` in an existing home)."""
    if path.is_dir():
        return True
    home = os.environ.get("HOME")
    parent = path.parent
    try:
        if not os.environ.get("BMNAV_CACHE_DIR") and home and parent == Path(home) / ".cache" and not parent.exists():
            os.mkdir(parent, 0o700)
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    return path.is_dir() and untrusted(path) is None


def _own_regular(fd: int, *, private: bool = False) -> os.stat_result | None:
    """The stat of an open file when it is a regular file of this user that
    others cannot write (nor read, with `private`)."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        return None
    if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or _writable_by_others(st)):
        return None
    if private and hasattr(os, "geteuid") and st.st_mode & 0o077:
        return None
    return st


def _open_read(path: Path) -> int:
    """A descriptor to read `path`: never follows a final symbolic link, never blocks on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    return os.open(path, flags)


def _read_limited(fd: int, size: int) -> bytes:
    chunks = []
    left = size + 1
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_private(target: Path, blob: bytes) -> None:
    """Write `blob` to a new file (mode 0600) and rename it over `target`."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _key(where: Path, *, create: bool) -> bytes | None:
    """The folder's secret key for the MACs, made on first write (32 random bytes, mode 0600)."""
    known = _keys.get(str(where))
    if known is not None:
        return known
    path = where / _KEY_NAME
    key: bytes | None = None
    try:
        fd = _open_read(path)
        try:
            st = _own_regular(fd, private=True)
            if st is not None and st.st_size == 32:
                key = _read_limited(fd, 32)
        finally:
            os.close(fd)
    except OSError:
        key = None
    if key is None or len(key) != 32:
        if not create:
            return None
        key = os.urandom(32)
        try:
            if not _make_folder(where):
                return None
            _write_private(path, key)
        except OSError:
            return None
    _keys[str(where)] = key
    return key


def _mac(key: bytes, name: str, payload: bytes) -> bytes:
    h = hashlib.blake2b(key=key, digest_size=32)
    h.update(name.encode("utf-8", "surrogateescape") + b"\0")
    h.update(payload)
    return h.hexdigest().encode()


def read_blob(name: str) -> bytes | None:
    """The payload of cache file `name`, or None when it is missing, not a
    regular file of this user, too large, damaged or not written by this
    cache folder's key."""
    where = folder()
    if where is None:
        return None
    try:
        fd = _open_read(where / name)
    except OSError:
        return None
    try:
        st = _own_regular(fd)
        if st is None or st.st_size > MAX_STORE_BYTES:
            return None
        raw = _read_limited(fd, st.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)
    head = len(MAGIC) + 65
    if len(raw) < head or not raw.startswith(MAGIC) or raw[head - 1 : head] != b"\n":
        return None
    key = _key(where, create=False)
    if key is None:
        return None
    import hmac

    payload = raw[head:]
    return payload if hmac.compare_digest(raw[len(MAGIC) : head - 1], _mac(key, name, payload)) else None


def write_blob(name: str, payload: bytes) -> bool:
    """Store `payload` as cache file `name`; False when it cannot be written
    (a cache that cannot be written only costs time)."""
    where = folder()
    if where is None:
        return False
    try:
        if not _make_folder(where):
            return False
        key = _key(where, create=True)
        if key is None:
            return False
        _write_private(where / name, MAGIC + _mac(key, name, payload) + b"\n" + payload)
    except OSError:
        return False
    return True


def load(name: str) -> Any | None:
    """The JSON value stored as `name`, or None (see `read_blob`)."""
    blob = read_blob(name)
    if blob is None:
        return None
    import json

    try:
        with no_gc():
            return json.loads(blob)
    except (ValueError, RecursionError):
        return None


def plain_copy(value: Any) -> tuple[bytes, Any] | None:
    """`value` as JSON and a deep copy read back from it, when the copy is
    equal (plain data: dicts with text keys, lists, text, numbers, booleans,
    None); None otherwise, and then it is not cached."""
    import json

    try:
        blob = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
        copy = json.loads(blob)
        if copy != value:
            return None
    except (ValueError, TypeError, RecursionError, OverflowError):
        return None
    return blob.encode("ascii"), copy


def faithful(value: Any) -> bytes | None:
    """`value` as JSON when it reads back equal (see `plain_copy`), else None."""
    plain = plain_copy(value)
    return plain[0] if plain is not None else None


def dump(name: str, value: Any) -> bool:
    """Store a JSON value as `name`; False when it is not plain data or cannot be written."""
    blob = faithful(value)
    return blob is not None and write_blob(name, blob)


def file_digest(path: str | os.PathLike[str]) -> str | None:
    """A hash of a file's content, or None when it is not a regular file that
    can be read (a FIFO is never waited on) or is too large to hash."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_HASHED_BYTES:
            return None
        data = _read_limited(fd, st.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) > st.st_size:
        return None  # grew while read
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def run_key(*parts: Any) -> str:
    """A digest of everything a cached result depends on besides the file."""
    from bmnav.storage.resources import schemas_dir

    h = hashlib.sha256(f"{FORMAT}|{__version__}".encode())
    for schema in sorted(schemas_dir().glob("*.json")):
        h.update(schema.read_bytes())
    h.update(_code_stamp().encode())
    for part in parts:
        if isinstance(part, Path):
            try:
                h.update(part.read_bytes())
            except OSError:
                h.update(b"<missing>")
        else:
            h.update(repr(part).encode())
    return h.hexdigest()[:20]


_stamps: dict[str, str] = {}


def _code_stamp() -> str:
    """Size and mtime of bmnav's own modules, so that an edited checkout
    (not only a new version) never reuses results of the old code.

    Computed once per process (a run keys three or four stores; each stamp
    stats every module): the code that runs is the code loaded at start."""
    package = Path(__file__).resolve().parents[1]
    stamp = _stamps.get(str(package))
    if stamp is None:
        stamp = _stamps[str(package)] = _module_stamp(package)
    return stamp


def _module_stamp(package: Path) -> str:
    parts = []
    for module in sorted(package.rglob("*.py")):
        try:
            st = module.stat()
        except OSError:
            continue
        parts.append(f"{module.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


class Store:
    """Entries (abs path -> [content hash, payload]) in one file per folder.

    A store is split by the folder of the files (a shard each), so that
    checking one file reads only its folder's entries, not those of every
    large collection checked before. `get` hashes the file and serves an
    entry only for the same content; `put` keeps a result only when the file
    still has the content `get` saw (it did not change while it was checked).
    """

    def __init__(self, kind: str, key: str):
        self.kind = kind
        self.key = key
        self._shards: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._seen: dict[str, str | None] = {}

    @staticmethod
    def _shard(abspath: str) -> str:
        return hashlib.sha256(os.path.dirname(abspath).encode("utf-8", "surrogateescape")).hexdigest()[:12]

    def shard_name(self, shard: str) -> str:
        return f"{self.kind}-{self.key}-{shard}{SUFFIX}"

    def _entries(self, shard: str) -> dict[str, Any]:
        entries = self._shards.get(shard)
        if entries is None:
            loaded = load(self.shard_name(shard))
            entries = loaded if isinstance(loaded, dict) else {}
            self._shards[shard] = entries
        return entries

    def get(self, path: str | os.PathLike[str]) -> Any | None:
        """The payload for `path` if it was stored for the file's present content."""
        name = os.path.abspath(path)
        digest = self._seen[name] = file_digest(name)
        entry = self._entries(self._shard(name)).get(name)
        if digest is None or not isinstance(entry, list) or len(entry) != 2 or entry[0] != digest:
            return None
        return entry[1]

    def put(self, path: str | os.PathLike[str], payload: Any) -> None:
        """Keep `payload` for the content `get` saw, if the file still has it
        and the payload is plain data."""
        name = os.path.abspath(path)
        before = self._seen.get(name)
        if before is None or file_digest(name) != before:
            return
        plain = plain_copy(payload)  # a copy: later changes by the caller never reach the store
        if plain is None:
            return
        shard = self._shard(name)
        self._entries(shard)[name] = [before, plain[1]]
        self._dirty.add(shard)

    def save(self) -> None:
        if not self._dirty:
            return
        for shard in sorted(self._dirty):
            dump(self.shard_name(shard), self._shards[shard])
        self._dirty.clear()
        where = folder()
        if where is not None:
            prune(where, self.kind)


def prune(where: Path, kind: str, keep: int = _KEEP) -> None:
    """Keep the files of the `keep` most recently written run keys of a kind
    (`kind-RUNKEY[-SHARD].cache`); drop the files of older bmnav versions
    (marshal stores, generated schema code)."""
    newest: dict[str, float] = {}
    files = []
    try:
        listing = list(os.scandir(where))
    except OSError:
        return
    for entry in listing:
        n = entry.name
        if n.endswith(".marshal") or n.startswith("schema-") or (n.startswith("help-") and n.endswith(".txt")):
            _unlink(entry.path)
            continue
        if not n.startswith(kind + "-") or not n.endswith(SUFFIX):
            continue
        parts = n[: -len(SUFFIX)].split("-")
        try:
            mtime = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        files.append((parts[1], entry.path))
        newest[parts[1]] = max(mtime, newest.get(parts[1], 0.0))
    kept = set(sorted(newest, key=lambda k: newest[k])[-keep:])
    for run, p in files:
        if run not in kept:
            _unlink(p)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
