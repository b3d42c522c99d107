"""The `bmnav` console script and `python -m bmnav`.

`bmnav --help` is printed from the cache when a copy rendered by this very
code (same modules, program name and terminal width) is there, before typer
is even imported; everything else goes to the Typer application.
"""

from __future__ import annotations

import os
import sys


def program_name() -> str:
    """How the program was called, as click names it in help texts."""
    main = sys.modules.get("__main__")
    package = getattr(main, "__package__", None)
    if package:
        return f"python -m {package.removesuffix('.__main__')}"
    return os.path.basename(sys.argv[0]) or "bmnav"


def help_cache_name() -> str | None:
    """The cache entry of the rendered top-level help, or None with caching off."""
    import hashlib
    import shutil

    from bmnav._version import __version__
    from bmnav.storage import cache

    if not cache.enabled():
        return None
    width = shutil.get_terminal_size().columns
    stamp = f"{__version__}|{program_name()}|{width}|{cache._code_stamp()}"
    return f"help-{hashlib.sha256(stamp.encode()).hexdigest()[:20]}{cache.SUFFIX}"


def cached_help() -> str | None:
    """The stored help text, if the cache holds an intact copy (see `bmnav.storage.cache.read_blob`)."""
    from bmnav.storage import cache

    name = help_cache_name()
    blob = cache.read_blob(name) if name is not None else None
    if blob is None:
        return None
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError:
        return None


def main() -> None:
    """Console-script entry point.

    A standard stream that fails (closed, full, unable to encode) ends the
    run with one line on stderr and exit code 2 (`bmnav.storage.stdio`), wherever
    it fails: in a command, in click's help and usage output, or when the
    output still buffered is flushed at the end.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()  # first of all (see pause_gc_for_startup); back on when the command starts
    from bmnav.storage import stdio
    from bmnav.storage.collector import pause_gc_for_startup

    pause_gc_for_startup(was_enabled=enabled)
    stdio.protect()
    try:
        _run()
    except SystemExit as exc:
        code = 0 if exc.code is None else exc.code
    except stdio.StreamError as exc:
        stdio.report(exc)
        code = stdio.EXIT_CODE
    except BrokenPipeError:  # the reader went away (`| head`), as in the commands
        code = 0
    else:
        code = 0
    sys.exit(stdio.exit_code(code) if isinstance(code, int) else code)


def _run() -> None:
    if sys.argv[1:] in (["--help"], ["-h"]):
        text = cached_help()
        if text is not None:
            sys.stdout.write(text)
            return
    from bmnav.cli import main as run

    run()
