"""A cache of checked files, so unchanged files are not parsed again.

Entries are keyed by the file's absolute path and its (size, mtime, ctime,
inode) — ctime changes on every write and cannot be set back by tools such
as `touch -d` — under a run key that covers everything else a result depends
on: bmnav's version, the schemas, the vocabulary files and the limits. So a
result is never served stale. The store uses `marshal` (plain data only:
nothing in it can run code) and lives in the user's cache folder
(`$BMNAV_CACHE_DIR`, else `$XDG_CACHE_HOME/bmnav`, else `~/.cache/bmnav`);
`BMNAV_NO_CACHE=1` or `--no-cache` turns it off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bmnav._version import __version__
from bmnav.fastcheck import cache_dir

#: Bump when the layout of entries changes.
FORMAT = 1
_KEEP = 4  # stores kept per kind; older ones are pruned

StatKey = tuple[int, int, int, int]


def enabled() -> bool:
    return os.environ.get("BMNAV_NO_CACHE", "") in ("", "0")


def stat_key(path: Path) -> StatKey | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def run_key(*parts: Any) -> str:
    """A digest of everything a cached result depends on besides the file."""
    from bmnav.resources import schemas_dir

    h = hashlib.sha256(f"{FORMAT}|{__version__}".encode())
    for schema in sorted(schemas_dir().glob("*.json")):
        h.update(schema.read_bytes())
    for part in parts:
        if isinstance(part, Path):
            try:
                h.update(part.read_bytes())
            except OSError:
                h.update(b"<missing>")
        else:
            h.update(repr(part).encode())
    return h.hexdigest()[:20]


class Store:
    """One marshal file of entries: abs path -> (stat key, payload)."""

    def __init__(self, kind: str, key: str):
        self.path = cache_dir() / f"{kind}-{key}.marshal"
        self.kind = kind
        self.entries: dict[str, tuple[StatKey, Any]] = {}
        self.dirty = False
        try:
            with self.path.open("rb") as fh:
                loaded = marshal.load(fh)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            self.entries = {}

    def get(self, path: Path) -> Any | None:
        """The payload for `path` if the file is unchanged since it was stored."""
        entry = self.entries.get(os.path.abspath(path))
        if entry is None:
            return None
        key = stat_key(path)
        return entry[1] if key is not None and tuple(entry[0]) == key else None

    def put(self, path: Path, key: StatKey | None, payload: Any) -> None:
        if key is None:
            return
        self.entries[os.path.abspath(path)] = (key, payload)
        self.dirty = True

    def save(self, keep_paths: Iterable[str] | None = None) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                marshal.dump(self.entries, fh)
            os.replace(tmp, self.path)
            olds = sorted(self.path.parent.glob(f"{self.kind}-*.marshal"), key=lambda p: p.stat().st_mtime)
            for old in olds[:-_KEEP]:
                old.unlink(missing_ok=True)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs time
