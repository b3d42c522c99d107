"""The bounds that protect against hostile files (see docs/security.md).

Kept apart from `bmnav.storage.loading` (which imports PyYAML) so that a run served
from the caches can build the cache keys, which include the limits, without
importing the YAML reader (issue 7). `bmnav.storage.loading` re-exports both names.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


#: The deepest nesting accepted even when --max-depth asks for more.
HARD_MAX_DEPTH = 200


@dataclass(frozen=True)
class Limits:
    """Bounds that protect against hostile files; each can be raised by an
    option or an environment variable (see docs/security.md)."""

    max_bytes: int = 2 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 100_000
    max_aliases: int = 1_000

    def __post_init__(self) -> None:
        # Deeper than this, libyaml's composer (a segmentation fault at some
        # tens of thousands) and Python's recursion in repr, deepcopy and
        # jsonschema (a RecursionError at a few thousand) fail, so no option
        # can raise the depth beyond it.
        if self.max_depth > HARD_MAX_DEPTH:
            object.__setattr__(self, "max_depth", HARD_MAX_DEPTH)

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(
            max_bytes=_env_int("BMNAV_MAX_FILE_SIZE", d.max_bytes),
            max_depth=_env_int("BMNAV_MAX_DEPTH", d.max_depth),
            max_nodes=_env_int("BMNAV_MAX_NODES", d.max_nodes),
            max_aliases=_env_int("BMNAV_MAX_ALIASES", d.max_aliases),
        )
