"""`bmnav log`: a case's git history, each commit's semantic changes."""

from __future__ import annotations

from typing import Annotated

import typer

from bmnav.cli.console import fail, out, write
from bmnav.cli.options import DataOpt, TextJson

COMMAND = "log"
ORDER = 56


def log(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A case file in a git repository.", show_default=False)],
    reverse: Annotated[bool, typer.Option("--reverse", help="Oldest commit first (default: newest first).")] = False,
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="text or json (docs/diff.md).")] = TextJson.text,
    data: DataOpt = None,
) -> None:
    """Walk a case's git history and show what each commit changed by
    meaning: cluster, facts, roles, flows, the four questions, position and
    maturity stage (renames are followed).

    \b
    Exit codes:
      0  the history was shown (a revision that is not a valid case is shown with its problems)
      2  trouble: not in a git repository, no commit of the file, git not installed

    \b
    Examples:
      bmnav log data/usecases/tire-as-a-service.yaml
      bmnav log usecases/x.yaml --reverse
      bmnav log usecases/x.yaml --format json
    """
    from bmnav.checking.problems import BmnavError
    from bmnav.domain.history import case_history
    from bmnav.storage.corpus import load_corpus

    try:
        steps = case_history(file, load_corpus(data))
    except BmnavError as exc:
        raise fail(exc.message, 2, exc.problems) from None
    ordered = steps if reverse else list(reversed(steps))
    from bmnav.render import render

    if fmt is TextJson.json:
        write(render("log", "json", ordered, path=file))
    else:
        out().print(render("log", "text", ordered), end="")
