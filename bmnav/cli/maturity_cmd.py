"""`bmnav maturity`: the corpus's maturity stages, or one case's evolution."""

from __future__ import annotations

from typing import Annotated

import typer

from bmnav.cli.console import out, write
from bmnav.cli.options import DataOpt, TextJson

COMMAND = "maturity"
ORDER = 58


def maturity(
    case: Annotated[
        str | None,
        typer.Argument(
            metavar="[CASE|FILE]",
            help="A case id or a case/profile file; default: the overview of the whole corpus.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="text (tables with bars) or json.")] = TextJson.text,
    data: DataOpt = None,
) -> None:
    """Trace how business models mature (the report's §3.2 maturity model).

    Without CASE: every case's stage and clusters, and the distribution of
    stages by country and by company size. With CASE: its evolution as a
    timeline, the forces enabling and constraining each phase (key trends,
    industry, market, macroeconomic, as the report's Tables 3-5), the
    current stage, the clusters of the next stage and the constraining forces
    to address first. A profile without history gets its classified stage.

    \b
    Exit codes:
      0  shown
      1  unknown case id, or a file with errors (shown with their lines)
      2  usage error

    \b
    Examples:
      bmnav maturity
      bmnav maturity haier-cosmoplat
      bmnav maturity client-profile.yaml --format json
    """
    from bmnav.domain.evolution import OVERVIEW_RECORDS
    from bmnav.domain.evolution import maturity as run
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus(data, records=OVERVIEW_RECORDS if case is None else None)
    target = corpus.resolve(case) if case is not None else None
    result = run(target, corpus)
    from bmnav.render import render, show

    if fmt is TextJson.json:
        write(render("maturity", "json", result))
    else:
        show(render("maturity", "text", result, clusters=corpus.clusters), out())
