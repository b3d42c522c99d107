"""`bmnav compare`: the clusters side by side."""

from __future__ import annotations

from typing import Annotated

import typer

from bmnav.cli.console import out, write
from bmnav.cli.list_cmd import Origin
from bmnav.cli.options import DataFormat, DataOpt

COMMAND = "compare"
ORDER = 50


def compare(
    clusters: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CLUSTER]...",
            help="Cluster ids or names (default: all six).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        DataFormat, typer.Option("--format", "-f", help="text (a table side by side), json or csv.")
    ] = DataFormat.text,
    origin: Annotated[
        Origin | None,
        typer.Option("--origin", help="Only cases from the report, from public sources or a client's own."),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Compare clusters side by side.

    For each cluster: definition, maturity stage, the who/what/how/value
    change pattern, archetype roles, number of cases, mean and range of
    openness and ecosystem size, the most common revenue models,
    technologies and patterns of its cases, and the evidence whose weights
    set it apart from the others.

    \b
    Exit codes:
      0  shown
      1  unknown cluster (with a "did you mean")
      2  usage error

    \b
    Examples:
      bmnav compare
      bmnav compare marketplace data-trustee
      bmnav compare "Mass Customisation" efficiency --format json
      bmnav compare --format csv > clusters.csv
    """
    from bmnav.domain.comparison import COMPARE_RECORDS
    from bmnav.domain.comparison import compare as run
    from bmnav.storage.corpus import load_corpus

    result = run(load_corpus(data, records=COMPARE_RECORDS), clusters or None, origin=origin.value if origin else None)
    from bmnav.render import render, show

    if fmt is DataFormat.text:
        console = out()
        show(render("compare", "text", result, width=console.width), console)
    else:
        write(render("compare", fmt.value, result))
