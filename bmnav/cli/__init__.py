"""The Typer application: it parses arguments and renders; the work is in the library.

Each command lives in its own module `bmnav/cli/<name>_cmd.py`, which sets
`COMMAND = "<name>"` and `ORDER` (its place in `--help`) and defines a
function of the same name. Command modules import nothing heavy at module
level, so `bmnav --help` stays fast (a test checks that jsonschema and
networkx are not imported).
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from typing import Annotated

import typer

from bmnav._version import __version__

from . import console
from .console import handle_errors

app = typer.Typer(
    name="bmnav",
    help="bmnav: a business model navigator for digital (Industrie 4.0) business models.\n\n"
    "Classify a company among the six clusters of the Sino-German expert group's report, "
    "and validate, compare, position and diff value-network case files.",
    epilog="Run 'bmnav COMMAND --help' for a command's options and examples.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bmnav {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write bmnav's cache of checked files.")
    ] = False,
) -> None:
    """bmnav: a business model navigator for digital business models."""
    console.state["debug"] = debug
    if no_cache:
        import os

        os.environ["BMNAV_NO_CACHE"] = "1"


def _register() -> None:
    """Add every `*_cmd` module's command, in `ORDER`."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.endswith("_cmd"):
            module = import_module(f"{__name__}.{info.name}")
            name = module.COMMAND
            found.append((getattr(module, "ORDER", 100), name, getattr(module, name.replace("-", "_"))))
    for _, name, func in sorted(found, key=lambda t: (t[0], t[1])):
        app.command(name)(handle_errors(func))  # type: ignore[type-var]


_register()


def main() -> None:
    """Console-script entry point.

    A run of one command builds only that command's click object: typer
    builds every registered command on each run, which cost as much as
    importing typer itself (issue 7). `--help`, no command, an unknown
    command and shell completion use the whole app.
    """
    import sys

    args = sys.argv[1:]
    if args in (["--help"], ["-h"]) and _print_cached_help():
        return
    (_only_command(args) or app)()


def _print_cached_help() -> bool:
    """Print the top-level help, rendered once and then kept in the cache.

    Rendering it makes typer build all the commands, which costs about as
    much as importing typer (issue 7). The text depends only on bmnav's code
    (the cache key covers every module), the program name and the terminal
    width, so a stored copy is never stale. False when it cannot be used.
    """
    import hashlib
    import os
    import shutil
    import sys

    from bmnav import cache
    from bmnav.fastcheck import cache_dir

    if not cache.enabled():
        return False
    from typer._click.utils import _detect_program_name

    prog = _detect_program_name()
    width = shutil.get_terminal_size().columns
    key = hashlib.sha256(f"{__version__}|{prog}|{width}|{cache._code_stamp()}".encode()).hexdigest()[:20]
    path = cache_dir() / f"help-{key}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        command = typer.main.get_command(app)
        with command.make_context(prog, ["--help"], resilient_parsing=True) as ctx:
            text = command.get_help(ctx) + "\n"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    sys.stdout.write(text)
    return True


def _only_command(args: list[str]) -> typer.Typer | None:
    """A copy of `app` with only the command named in `args`, or None."""
    import copy
    import os

    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None
    name = next((a for a in args if not a.startswith("-")), None)
    chosen = [c for c in app.registered_commands if c.name == name]
    if name is None or len(chosen) != 1:
        return None
    slim = copy.copy(app)
    slim.registered_commands = chosen
    return slim
