"""`bmnav list`: the cases of the corpus, filtered by cluster, country and size."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from bmnav.cli.console import finish, out, write
from bmnav.cli.options import DataFormat, DataOpt

COMMAND = "list"
ORDER = 5


class Size(str, Enum):
    sme = "sme"
    large = "large"


class Origin(str, Enum):
    """Where a case comes from (data contract v1.1)."""

    report = "report"
    public_sources = "public-sources"
    client = "client"


def list_(
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", metavar="C", help="Only cases of this cluster (id or name).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", metavar="CC", help="Only cases from this country (ISO code).")
    ] = None,
    size: Annotated[Size | None, typer.Option("--size", help="Only cases of SMEs or of large companies.")] = None,
    origin: Annotated[
        Origin | None,
        typer.Option(
            "--origin",
            help="Only cases from the report, from public sources (the reference corpus) or a client's own.",
        ),
    ] = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="text (a table), json or csv.")] = DataFormat.text,
    data: DataOpt = None,
) -> None:
    """List the cases of the corpus.

    --cluster matches a case's main cluster and the clusters it combines
    (`also`). With no case matching, text output says so and JSON is [].

    \b
    Exit codes:
      0  listed (also when nothing matched)
      1  unknown cluster, or some case files of the corpus have errors
         (the valid cases are still listed)
      2  usage error

    \b
    Examples:
      bmnav list
      bmnav list --cluster data-trustee --format json
      bmnav list --country CN --size large
      bmnav list --origin report                # the report's own ten cases
    """
    from bmnav.domain.cards import LIST_RECORDS, list_rows
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus(data, records=LIST_RECORDS)
    rows = list_rows(
        corpus,
        cluster=cluster,
        country=country,
        size=size.value if size else None,
        origin=origin.value if origin else None,
    )
    from bmnav.render import render, show

    if fmt is DataFormat.text:
        console = out()
        show(render("list", "text", rows, width=console.width), console)
    else:
        write(render("list", fmt.value, rows))
    finish(corpus)


#: The command function: named like the command, as the CLI registry expects.
list = list_
