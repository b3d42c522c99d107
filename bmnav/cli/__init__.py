"""The Typer application: it parses arguments and renders; the work is in the library.

Command modules import nothing heavy at module level, so `bmnav --help`
stays fast (a test checks that jsonschema and networkx are not imported).
"""

from __future__ import annotations

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
) -> None:
    """bmnav: a business model navigator for digital business models."""
    console.state["debug"] = debug


def _register() -> None:
    from . import schema_cmd, validate_cmd

    commands = [
        ("validate", validate_cmd.validate),
        ("schema", schema_cmd.schema),
    ]
    for name, func in commands:
        app.command(name)(handle_errors(func))  # type: ignore[type-var]


_register()


def main() -> None:
    """Console-script entry point."""
    app()
