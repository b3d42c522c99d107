"""The two consoles (results on stdout, diagnostics on stderr) and error exits.

`bmnav.render.console` decides about colour: none in a pipe, none with
NO_COLOR or TERM=dumb. Rich is imported only when something is printed.
`finish` is the common end of a command that worked on a corpus.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from bmnav.checking.problems import BmnavError, Problem
from bmnav.storage.stdio import StreamError

if TYPE_CHECKING:
    from bmnav.render.console import Console
    from bmnav.storage.corpus import Corpus

F = TypeVar("F", bound=Callable[..., Any])

#: Exit code for an unexpected internal error (a bug in bmnav), distinct
#: from 1 (problems found) and 2 (usage error).
INTERNAL_ERROR = 3

state = {"debug": False}


def out() -> Console:
    from bmnav.render.console import Console

    return Console()


def err() -> Console:
    from bmnav.render.console import Console

    return Console(stderr=True)


def write(text: str) -> None:
    """Write machine-readable output to stdout as it is (but always valid
    UTF-8: see `bmnav.render.console.printable`)."""
    from bmnav.render.console import printable

    sys.stdout.write(printable(text))
    sys.stdout.flush()


#: Runs over fewer items than this never show a progress bar (they are quick).
PROGRESS_MIN_ITEMS = 25

T = TypeVar("T")


def show_progress(total: int | None, *, min_items: int = PROGRESS_MIN_ITEMS) -> bool:
    """Whether a run over `total` items should show a progress bar on stderr.

    Only in a terminal: never when stderr is a pipe or a file, never with
    NO_COLOR set or TERM=dumb, never for short runs (`total` below
    `min_items`). BMNAV_PROGRESS=0 turns bars off, =1 on (still only in a terminal).
    """
    import os

    setting = os.environ.get("BMNAV_PROGRESS", "")
    if setting == "0" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return False
    return setting == "1" or (total is not None and total >= min_items)


def progress(
    items: Iterable[T], description: str, *, total: int | None = None, min_items: int = PROGRESS_MIN_ITEMS
) -> Iterator[T]:
    """Iterate over `items`, with a transient progress bar on stderr when the
    run is long and stderr is a terminal (see `show_progress`); otherwise just
    iterate. Usage: `for case in progress(cases, "exporting"): ...`."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    if not show_progress(total, min_items=min_items):
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        yield from bar.track(items, total=total, description=description)


def _literal(text: str) -> str:
    """`text` as one line with no markup: a value in it can neither start a
    line of its own nor style (or hide) what follows."""
    from bmnav.render.console import esc
    from bmnav.render.safe_text import one_line

    return esc(one_line(text))


def print_problems(problems: Iterable[Problem]) -> None:
    console = err()
    for p in sorted(problems):
        colour = "red" if p.level.value == "error" else "yellow"
        console.print(
            f"{_literal(p.location)}: [{colour}]{p.level.value}[/{colour}] \\[{p.rule}] {_literal(p.message)}"
        )


def fail(message: str, code: int = 1, problems: Iterable[Problem] = ()) -> typer.Exit:
    print_problems(problems)
    err().print(f"[red]error:[/red] {_literal(message)}")
    return typer.Exit(code)


def finish(corpus: Corpus) -> None:
    """After a command has worked on the valid cases: if some case files of the
    corpus had errors, print them on stderr and exit 1."""
    if corpus.errors:
        print_problems(corpus.errors)
        files = len({p.path for p in corpus.errors})
        err().print(
            f"[red]error:[/red] {files} case file{'s' if files != 1 else ''} of the corpus "
            "had errors and were left out; run `bmnav validate`"
        )
        raise typer.Exit(1)


def handle_errors(func: F) -> F:
    """Turn library errors into a message and exit code, and any other
    exception into a short report (the traceback only with --debug)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from bmnav.storage.collector import resume_gc_after_startup

        resume_gc_after_startup()  # (turned off by bmnav.entry while Typer and the command loaded)
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BmnavError as exc:
            raise fail(exc.message, exc.exit_code, exc.problems) from None
        except KeyboardInterrupt:
            err().print("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except StreamError as exc:  # the environment's fault (bmnav.storage.stdio), not a bug
            from bmnav.storage.stdio import EXIT_CODE, report

            report(exc)
            raise typer.Exit(EXIT_CODE) from None
        except Exception as exc:  # the last line of defence: never a bare traceback
            if state["debug"]:
                import traceback

                traceback.print_exc()
            console = err()
            console.print(f"[red]internal error:[/red] {_literal(f'{type(exc).__name__}: {exc}'[:480])}")
            console.print(
                "This is a bug in bmnav. Please report it with the command you ran and the "
                "output of the same command with --debug (bmnav --debug ...)."
            )
            raise typer.Exit(INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]
