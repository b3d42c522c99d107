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
from bmnav.cli import console
from bmnav.cli.console import handle_errors


def _new_app() -> typer.Typer:
    return typer.Typer(
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


def _command_modules(only: str | None = None) -> list[str]:
    names = sorted(i.name for i in pkgutil.iter_modules(__path__) if i.name.endswith("_cmd"))
    if only is not None:
        wanted = f"{only.replace('-', '_')}_cmd"
        names = [n for n in names if n == wanted]
    return names


def build_app(only: str | None = None) -> typer.Typer:
    """The application with every command, or with only the command `only`
    (so that a run imports and builds just the command it runs)."""
    application = _new_app()
    application.callback()(main_callback)
    found = []
    for module_name in _command_modules(only):
        module = import_module(f"{__name__}.{module_name}")
        name = module.COMMAND
        found.append((getattr(module, "ORDER", 100), name, getattr(module, name.replace("-", "_"))))
    for _, name, func in sorted(found, key=lambda t: (t[0], t[1])):
        application.command(name)(handle_errors(func))  # type: ignore[type-var]
    return application


_full_app: typer.Typer | None = None


def __getattr__(name: str) -> typer.Typer:
    """`bmnav.cli.app`, the application with every command, built on first use."""
    global _full_app
    if name == "app":
        if _full_app is None:
            _full_app = build_app()
        return _full_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point (called through `bmnav.entry`).

    A run of one command imports and builds only that command: typer builds
    every registered command on each run, which cost as much as importing
    typer itself (issue 7). `--help`, no command, an unknown command and
    shell completion use the whole app.
    """
    import sys

    args = sys.argv[1:]
    if args in (["--help"], ["-h"]) and _print_cached_help():
        return
    (_only_command(args) or build_app())()


def _only_command(args: list[str]) -> typer.Typer | None:
    """An app with only the command named in `args`, or None."""
    import os

    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return None
    name = next((a for a in args if not a.startswith("-")), None)
    if name is None or not _command_modules(name):
        return None
    return build_app(name)


def _print_cached_help() -> bool:
    """Render the top-level help and keep it in the cache for `bmnav.entry`.

    Rendering it makes typer build all the commands, which costs about as
    much as importing typer (issue 7). The text depends only on bmnav's code
    (the key covers every module), the program name and the terminal width,
    so a stored copy is never stale. False when caching is off.
    """
    import sys

    from bmnav.entry import help_cache_name, program_name
    from bmnav.storage import cache

    name = help_cache_name()
    if name is None:
        return False
    command = typer.main.get_command(build_app())
    with command.make_context(program_name(), ["--help"], resilient_parsing=True) as ctx:
        text = command.get_help(ctx) + "\n"
    where = cache.folder()
    if where is not None and cache.write_blob(name, text.encode("utf-8", "surrogateescape")):
        cache.prune(where, "help", keep=8)
    sys.stdout.write(text)
    return True
