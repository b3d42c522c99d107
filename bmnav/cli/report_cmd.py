"""`bmnav report`: a self-contained HTML or Markdown report on a case or profile."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmnav.cli.console import err, fail, write
from bmnav.cli.options import DataOpt, ForceOpt

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus

COMMAND = "report"
ORDER = 80


def complete_case(incomplete: str) -> list[str]:
    """Shell completion of case ids of the active corpus (file names are the shell's own)."""
    from bmnav.checking.problems import BmnavError
    from bmnav.storage.resources import data_dir

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
    md: Annotated[
        Path | None,
        typer.Option(
            "--md",
            metavar="FILE",
            help="Write the report as Markdown, with the position map as FILE's name + -map.svg beside it; "
            "--md - prints it.",
        ),
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", metavar="FILE", help="Print the HTML report to PDF with a headless Chromium."),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The report's title (default: the case's name).")] = None,
    author: Annotated[str | None, typer.Option("--author", help="Who prepared the report.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The report's date, as it should read.")] = None,
    notes: Annotated[
        Path | None,
        typer.Option(
            "--notes", metavar="FILE", help="The consultant's own text (Markdown; HTML in it is shown, not run)."
        ),
    ] = None,
    omit: Annotated[
        list[str] | None,
        typer.Option(
            "--omit",
            metavar="PART",
            help="Leave out a section or part (repeat it): card, network, position, classification, maturity, "
            "sources, evidence, missing, similar, recommendations.",
        ),
    ] = None,
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

    Without --html, --md or --pdf the Markdown goes to stdout, but never to
    a terminal (give `--md -` for that).

    \b
    Exit codes:
      0  written (or printed)
      1  unknown case id, a file with errors, a refused write (the file
         exists without --force, a missing folder), no Chromium for --pdf
      2  usage error (such as --html and --md naming the same file, an
         unknown --omit, or the report to a terminal without --md -)

    \b
    Examples:
      bmnav report haier-cosmoplat --html haier.html
      bmnav report client.yaml --html client.html --md client.md
      bmnav report client.yaml > client.md
      bmnav report client.yaml --pdf client.pdf --title "Digital business model review" \\
          --author "A. Consultant" --date 2024-05-01 --notes notes.md --omit evidence
      bmnav report tire-as-a-service --format json | jq .classification.cluster
    """
    from bmnav.render import json_text, render
    from bmnav.render.report import build_report
    from bmnav.storage.corpus import load_corpus

    md_out = md is not None and str(md) == "-"
    if md_out:
        md = None
    targets = _targets(html, md, pdf, omit, force=force, printing=md_out or fmt is not ReportOutput.markdown)
    notes_text = _read_notes(notes) if notes is not None else None
    options = {"title": title, "author": author, "date": date, "notes": notes_text, "omit": tuple(omit or ())}
    corpus = load_corpus(data)
    result = build_report(corpus.resolve(case), corpus)
    written = _write_files(result, corpus, targets, options, force=force)
    if written:
        if fmt is ReportOutput.json:
            write(json_text({"case": result["id"], "written": written}))
        for path in written.values():
            err().print(f"wrote {path}".replace("[", "\\["))
        return
    if fmt is ReportOutput.json:
        write(json_text(result))
    else:
        write(render("report", "markdown", result, corpus=corpus, **options))


def _targets(
    html: Path | None, md: Path | None, pdf: Path | None, omit: list[str] | None, *, force: bool, printing: bool
) -> dict[str, Path]:
    """The files to write (html, md and its map beside it, pdf), refused before any
    work: an unknown part to omit, two options naming one file, a file that exists
    without --force, or Markdown meant for a terminal (`printing`: --md - or JSON asked for)."""
    import sys

    from bmnav.render.report import OMITTABLE
    from bmnav.storage.files import check_writable, same_file

    bad = [p for p in omit or [] if p not in OMITTABLE]
    if bad:
        raise fail(f"--omit {bad[0]}: not a part of the report; give one of {', '.join(OMITTABLE)}", 2)
    targets = {k: v for k, v in (("html", html), ("md", md), ("pdf", pdf)) if v is not None}
    if md is not None:
        targets["map"] = md.with_name(md.stem + "-map.svg")
    names = list(targets.items())
    for i, (k1, p1) in enumerate(names):
        for k2, p2 in names[i + 1 :]:
            if same_file(p1, p2):
                raise fail(f"--{k1} {p1} and --{k2} {p2} name the same file; give two different files", 2)
    if not targets and not printing and sys.stdout.isatty():
        raise fail(
            "a report is not for the terminal: give --html FILE, --md FILE or --pdf FILE (or --md - to print it)", 2
        )
    for target in targets.values():
        check_writable(target, force=force)
    return targets


def _write_files(
    result: dict[str, Any], corpus: Corpus, targets: dict[str, Path], options: dict[str, Any], *, force: bool
) -> dict[str, str]:
    """Write each target (atomically, never over a file without --force); what was written, by kind."""
    from bmnav.render import render
    from bmnav.storage.files import write_atomic

    written: dict[str, str] = {}
    if "pdf" in targets:
        from bmnav.render.browser import print_pdf

        html_text = render("report", "html", result, corpus=corpus, **options)
        written["pdf"] = str(write_atomic(targets["pdf"], print_pdf(html_text), force=force))
    if "html" in targets:
        html_text = render("report", "html", result, corpus=corpus, **options)
        written["html"] = str(write_atomic(targets["html"], html_text, force=force))
    if "md" in targets:
        from bmnav.render.report import map_svg

        map_file = targets["map"]
        written["map"] = str(write_atomic(map_file, map_svg(result, corpus), force=force))
        text = render("report", "markdown", result, corpus=corpus, map_file=map_file.name, **options)
        written["md"] = str(write_atomic(targets["md"], text, force=force))
    return written


def _read_notes(path: Path) -> str:
    """The notes file as text, through the loader's reader (size limit, no FIFO or device)."""
    from bmnav.checking.problems import BmnavError
    from bmnav.storage.loading import Limits, read_bytes

    raw, problem = read_bytes(path, Limits.from_env())
    if problem is not None or raw is None:
        raise BmnavError(f"{path}: cannot read the notes ({problem.message if problem else 'unreadable'})", exit_code=1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BmnavError(f"{path}: cannot read the notes ({exc}); save it as UTF-8", exit_code=1) from None
