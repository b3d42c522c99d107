"""`bmnav report`: a self-contained HTML or Markdown report on a case or profile."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .console import err, fail, write
from .options import DataOpt, ForceOpt

COMMAND = "report"
ORDER = 80


def complete_case(incomplete: str) -> list[str]:
    """Shell completion of case ids of the active corpus (file names are the shell's own)."""
    from bmnav.problems import BmnavError
    from bmnav.resources import data_dir

    try:
        stems = [p.stem for p in data_dir().case_files()]
    except BmnavError:
        return []
    return [s for s in stems if s.startswith(incomplete)]


class ReportOutput(str, Enum):
    markdown = "markdown"
    json = "json"


def report(
    case: Annotated[
        str,
        typer.Argument(
            metavar="CASE|PROFILE", help="A case id, or a case or profile file.", autocompletion=complete_case
        ),
    ],
    html: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Write the report as one self-contained HTML file.")
    ] = None,
    md: Annotated[Path | None, typer.Option("--md", metavar="FILE", help="Write the report as Markdown.")] = None,
    force: ForceOpt = False,
    fmt: Annotated[
        ReportOutput,
        typer.Option(
            "--format",
            "-f",
            help="Without --html/--md: print the report as markdown or its data as json. With them: json "
            "prints what was written.",
        ),
    ] = ReportOutput.markdown,
    data: DataOpt = None,
) -> None:
    """Write a report a consultant can hand to a client.

    Sections: the case card (the four questions, what changed, the offering),
    the value network drawn as a picture with its roles, flows and metrics,
    the position map among the corpus cases, the classification with its
    evidence, missing facts and similar cases, and the maturity path with
    the next stage and the report's recommendations. The HTML file has its
    CSS and SVG pictures inline: no scripts, no external files. Files are
    written atomically and never over an existing file without --force.

    \b
    Exit codes:
      0  written (or printed)
      1  unknown case id, a file with errors, or a refused write (the file
         exists without --force, a missing folder)
      2  usage error (such as --html and --md naming the same file)

    \b
    Examples:
      bmnav report haier-cosmoplat --html haier.html
      bmnav report client.yaml --html client.html --md client.md
      bmnav report client.yaml > client.md
      bmnav report tire-as-a-service --format json | jq .classification.cluster
    """
    from bmnav.corpus import load_corpus
    from bmnav.files import check_writable, same_file, write_atomic
    from bmnav.report import build_report, render_html, render_markdown

    if html is not None and md is not None and same_file(html, md):
        raise fail(f"--html {html} and --md {md} name the same file; give two different files", 2)
    for target in (html, md):
        if target is not None:
            check_writable(target, force=force)  # refuse before any work
    corpus = load_corpus(data)
    subject = corpus.resolve(case)
    result = build_report(subject, corpus)
    written: dict[str, str] = {}
    if html is not None:
        written["html"] = str(write_atomic(html, render_html(result, corpus), force=force))
    if md is not None:
        written["md"] = str(write_atomic(md, render_markdown(result, corpus), force=force))
    if written:
        if fmt is ReportOutput.json:
            write(json.dumps({"case": result["id"], "written": written}, indent=2, ensure_ascii=False) + "\n")
        for path in written.values():
            err().print(f"wrote {path}".replace("[", "\\["))
        return
    if fmt is ReportOutput.json:
        write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        write(render_markdown(result, corpus))
