"""`bmnav validate`: check case files, profiles and model files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bmnav.cli.console import out, progress, write
from bmnav.cli.options import DataOpt, ReportFormat

COMMAND = "validate"
ORDER = 20


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files and folders to check (folders are searched for *.yaml and *.yml). "
            "Default: the active corpus with its clusters.yaml and patterns.yaml.",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        bool,
        typer.Option(
            "--profile",
            help="Check the files as profiles to classify: `cluster` optional, "
            "everything but `id` and `name` optional.",
        ),
    ] = False,
    fmt: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (grouped by file), json (stable shape), "
            "github (workflow annotations) or parsable (path:line:col).",
        ),
    ] = ReportFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    data: DataOpt = None,
    max_file_size: Annotated[
        int | None, typer.Option("--max-file-size", metavar="BYTES", help="Largest file read (default 2 MiB).")
    ] = None,
    max_depth: Annotated[
        int | None, typer.Option("--max-depth", metavar="N", help="Deepest nesting accepted (default 64).")
    ] = None,
    max_nodes: Annotated[
        int | None, typer.Option("--max-nodes", metavar="N", help="Most nodes after alias expansion (default 100000).")
    ] = None,
    max_aliases: Annotated[
        int | None, typer.Option("--max-aliases", metavar="N", help="Most aliases (*name) in one file (default 1000).")
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", metavar="N", help="Worker processes (default: all cores for large runs)."),
    ] = None,
) -> None:
    """Check case files against the schema and the rules of the data contract.

    Every problem has a rule id, a level and a path:line:col. One bad file
    never stops the others from being checked.

    \b
    Exit codes:
      0  no errors (warnings allowed, unless --strict)
      1  errors found (or warnings, with --strict)
      2  usage error (bad option, missing --data folder), or stdout or stderr
         unusable (closed, full, or an encoding that cannot show the output)
      3  internal error (a bug in bmnav; rerun with --debug)

    \b
    Examples:
      bmnav validate                          # the active corpus
      bmnav validate data/usecases/new.yaml --strict
      bmnav validate --profile client.yaml
      bmnav validate cases/ --format github   # annotations in GitHub Actions
    """
    from dataclasses import replace

    from bmnav.checking.validation import validate as run
    from bmnav.render.reporters import REPORTERS
    from bmnav.storage.loading import Limits

    limits = Limits.from_env()
    for field, value in (
        ("max_bytes", max_file_size),
        ("max_depth", max_depth),
        ("max_nodes", max_nodes),
        ("max_aliases", max_aliases),
    ):
        if value is not None:
            limits = replace(limits, **{field: value})
    report = run(
        paths or None,
        profile=profile,
        data=data,
        limits=limits,
        jobs=jobs,
        track=lambda results, total: progress(results, "checking files", total=total),
    )
    rendered = REPORTERS[fmt.value](report, strict)
    if fmt is ReportFormat.text:
        out().print(rendered, end="")
    else:
        write(rendered)
    raise typer.Exit(report.exit_code(strict=strict))
