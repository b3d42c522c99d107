"""The cyclic garbage collector, paused where bmnav makes many objects that
live until the run ends (start-up, reading stores, checking files): each
full collection would walk them all again and find nothing to free."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["no_gc", "pause_gc_for_startup", "resume_gc_after_startup"]


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a store is read or files are
    checked: both make many small containers that live until the run ends,
    and each full collection would walk them all again (checking 1,000 files
    on one core took 5.1 s with the collector on, 2.1 s with it off). The
    data holds no reference cycles; anything cyclic is collected once it is
    back on. It lives apart from the
    loaders so that reading a cache imports no YAML reader."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: Whether `pause_gc_for_startup` turned the collector off (and it is not back on yet).
_PAUSED_FOR_STARTUP = [False]


def pause_gc_for_startup(was_enabled: bool | None = None) -> None:
    """The collector off while the command line starts: importing Typer, Rich
    and bmnav's modules makes tens of thousands of objects that live as long
    as the run and hold no garbage, and the collections that looked at them
    cost about 7 ms of a 150 ms `bmnav classify`. `resume_gc_after_startup`
    turns it back on when a command starts its work. `was_enabled`: whether
    it was on before the caller turned it off itself (before importing this)."""
    on = gc.isenabled() if was_enabled is None else was_enabled
    gc.disable()
    _PAUSED_FOR_STARTUP[0] = on


def resume_gc_after_startup() -> None:
    """The collector back on, if `pause_gc_for_startup` turned it off, with
    the objects made so far frozen (`gc.freeze`: left out of later
    collections, since they live until the run ends); else nothing."""
    if _PAUSED_FOR_STARTUP[0]:
        _PAUSED_FOR_STARTUP[0] = False
        gc.freeze()
        gc.enable()
