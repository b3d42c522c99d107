"""'Did you mean' hints for misspelt keys, ids and enum values."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable

#: difflib compares the word with every candidate; beyond this many (a file
#: with thousands of roles), only the likeliest are compared: those that
#: share the word's first character and are nearest to it in length.
MAX_CANDIDATES = 500


def closest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate most like `word`, or None when nothing is close."""
    pool = sorted({str(c) for c in candidates})
    if len(pool) > MAX_CANDIDATES:
        w = str(word)
        pool = sorted(heapq.nsmallest(MAX_CANDIDATES, pool, key=lambda c: (c[:1] != w[:1], abs(len(c) - len(w)))))
    matches = difflib.get_close_matches(str(word), pool, n=1, cutoff=cutoff)
    if matches:
        return matches[0]
    lowered = str(word).lower()
    for c in pool:
        if c.lower() == lowered or c.lower().replace("_", "-") == lowered.replace("_", "-"):
            return c
    return None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean "x"?)' or '' — ready to append to a message."""
    match = closest(word, candidates)
    return f' (did you mean "{match}"?)' if match and match != word else ""
