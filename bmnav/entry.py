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


def help_cache_path() -> os.PathLike[str] | None:
    """Where the rendered top-level help is kept, or None with caching off."""
    import hashlib
    import shutil

    from bmnav import cache
    from bmnav._version import __version__
    from bmnav.fastcheck import cache_dir

    if not cache.enabled():
        return None
    width = shutil.get_terminal_size().columns
    stamp = f"{__version__}|{program_name()}|{width}|{cache._code_stamp()}"
    return cache_dir() / f"help-{hashlib.sha256(stamp.encode()).hexdigest()[:20]}.txt"


def main() -> None:
    """Console-script entry point."""
    if sys.argv[1:] in (["--help"], ["-h"]):
        path = help_cache_path()
        if path is not None:
            try:
                with open(path, encoding="utf-8") as fh:
                    sys.stdout.write(fh.read())
                return
            except OSError:
                pass
    from bmnav.cli import main as run

    run()
