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

import gc
import hashlib
import marshal
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bmnav._version import __version__
from bmnav.fastcheck import cache_dir

#: Bump when the layout of entries changes.
FORMAT = 2
_KEEP = 4  # stores kept per kind; older ones are pruned

StatKey = tuple[int, int, int, int]


def enabled() -> bool:
    return os.environ.get("BMNAV_NO_CACHE", "") in ("", "0")


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a store is read or files are
    checked: both make many small containers that live until the run ends,
    and each full collection would walk them all again (checking 1,000 files
    on one core took 5.1 s with the collector on, 2.1 s with it off). The
    data holds no reference cycles; anything cyclic is collected once it is
    back on. It lives here so that reading a cache imports no YAML reader."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
    package = Path(__file__).resolve().parent
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
    """Entries (abs path -> (stat key, payload)) in one marshal file per folder.

    A store is split by the folder of the files (a shard each), so that
    checking one file reads only its folder's entries, not those of every
    large collection checked before (10,000 entries took ~20 ms to read).
    """

    def __init__(self, kind: str, key: str):
        self.kind = kind
        self.key = key
        self.folder = cache_dir()
        self._shards: dict[str, dict[str, tuple[StatKey, Any]]] = {}
        self._dirty: set[str] = set()

    @staticmethod
    def _shard(abspath: str) -> str:
        return hashlib.sha256(os.path.dirname(abspath).encode()).hexdigest()[:12]

    def shard_path(self, shard: str) -> Path:
        return self.folder / f"{self.kind}-{self.key}-{shard}.marshal"

    def _entries(self, shard: str) -> dict[str, tuple[StatKey, Any]]:
        entries = self._shards.get(shard)
        if entries is None:
            entries = {}
            try:
                with no_gc(), self.shard_path(shard).open("rb") as fh:
                    loaded = marshal.load(fh)
                if isinstance(loaded, dict):
                    entries = loaded
            except (OSError, EOFError, ValueError, TypeError):
                entries = {}
            self._shards[shard] = entries
        return entries

    def get(self, path: Path) -> Any | None:
        """The payload for `path` if the file is unchanged since it was stored."""
        name = os.path.abspath(path)
        entry = self._entries(self._shard(name)).get(name)
        if entry is None:
            return None
        key = stat_key(path)
        return entry[1] if key is not None and tuple(entry[0]) == key else None

    def put(self, path: Path, key: StatKey | None, payload: Any) -> None:
        if key is None:
            return
        name = os.path.abspath(path)
        shard = self._shard(name)
        self._entries(shard)[name] = (key, payload)
        self._dirty.add(shard)

    @property
    def dirty(self) -> bool:
        return bool(self._dirty)

    def save(self, keep_paths: Iterable[str] | None = None) -> None:
        if not self._dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for shard in sorted(self._dirty):
                target = self.shard_path(shard)
                tmp = target.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    marshal.dump(self._shards[shard], fh)
                os.replace(tmp, target)
            self._dirty.clear()
            _prune(self.folder, self.kind)
        except (OSError, ValueError):
            pass  # a cache that cannot be written only costs time


def _prune(folder: Path, kind: str) -> None:
    """Keep the shards of the `_KEEP` most recently written run keys of a kind."""
    newest: dict[str, float] = {}
    files = []
    for p in folder.glob(f"{kind}-*.marshal"):
        parts = p.stem.split("-")
        if len(parts) < 3:
            p.unlink(missing_ok=True)  # a store of the older, unsharded layout
            continue
        try:
            mtime = p.stat().st_mtime
        except OSError:
            continue
        files.append((parts[-2], p))
        newest[parts[-2]] = max(mtime, newest.get(parts[-2], 0.0))
    keep = set(sorted(newest, key=lambda k: newest[k])[-_KEEP:])
    for key, p in files:
        if key not in keep:
            p.unlink(missing_ok=True)
