"""`bmnav export`: the whole corpus flattened for pandas, R and spreadsheets."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from bmnav.cli.console import err, fail, write
from bmnav.cli.list_cmd import Origin
from bmnav.cli.options import DataOpt, ForceOpt

COMMAND = "export"
ORDER = 75


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv (lists joined with ;), json (an array) or jsonl (one object a line)."),
    ] = ExportFormat.csv,
    roles: Annotated[bool, typer.Option("--roles", help="One row per role of every case (a long table).")] = False,
    flows: Annotated[bool, typer.Option("--flows", help="One row per flow of every case (a long table).")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically), not stdout."),
    ] = None,
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", metavar="C", help="Only cases of this cluster (id or name).")
    ] = None,
    origin: Annotated[
        Origin | None,
        typer.Option("--origin", help="Only cases from the report, from public sources or a client's own."),
    ] = None,
    force: ForceOpt = False,
    data: DataOpt = None,
) -> None:
    """Export the corpus as a table: one row per case, or per role or flow.

    A case row has the case's identity, cluster and maturity stage, its
    position (openness, ecosystem size, whether it is manual), the offering
    facts, what changed, technologies and patterns, and the network metrics
    (roles, organisations, external share, flows by kind, orchestrator ...).
    The columns and their order are fixed and documented in docs/export.md.

    \b
    Exit codes:
      0  exported
      1  case files of the corpus had errors (the others are exported), or
         --output refused (file exists without --force, missing folder)
      2  usage error (such as --roles with --flows)

    \b
    Examples:
      bmnav export > cases.csv
      bmnav export --format json | jq '.[] | {id, openness}'
      bmnav export --roles --format jsonl > roles.jsonl
      bmnav export --flows -o flows.csv
      python -c "import pandas as pd; print(pd.read_csv('cases.csv').groupby('cluster').openness.mean())"
    """
    from bmnav.cli.console import finish
    from bmnav.domain.flatten import export_records, table_rows
    from bmnav.render import render
    from bmnav.storage.corpus import load_corpus

    if roles and flows:
        raise fail("give --roles or --flows, not both (they are two different tables)", 2)
    if output is not None:
        from bmnav.storage.files import check_writable

        check_writable(output, force=force)
    table = "roles" if roles else "flows" if flows else "cases"
    # each case's rows are computed where its file is read (or kept from an earlier run)
    corpus = load_corpus(data, records=export_records(table))
    records = table_rows(corpus, table, cluster=cluster, origin=origin.value if origin else None)
    text = render("export", fmt.value, records, table=table)
    if output is not None:
        from bmnav.storage.files import write_atomic

        written = write_atomic(output, text, force=force)
        err().print(f"wrote {len(records)} {table[:-1]} row{'s' if len(records) != 1 else ''} to {written}")
    else:
        write(text)
    finish(corpus)
