"""`bmnav classify`: place a company among the six clusters, and say why."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmnav.cli.console import err, fail, out, print_problems, write
from bmnav.cli.options import DataOpt, ForceOpt, TextJson

if TYPE_CHECKING:
    from bmnav.classifying.classifier import ClassificationResult

COMMAND = "classify"
ORDER = 10


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml") and not q.name.startswith("."))
        else:
            files.append(p)
    return files


def classify(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Profile files (a case without `cluster`) or folders of them. One file: the full report; "
            "several: one row each.",
            show_default=False,
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", "-t", help="Free-text notes (English, German or Chinese) to read facts from."),
    ] = None,
    text_file: Annotated[
        Path | None, typer.Option("--text-file", metavar="FILE", help="Read the free-text notes from a file.")
    ] = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Answer about ten questions to build the profile (? explains the answers; Enter or -: don't know).",
        ),
    ] = False,
    save: Annotated[
        Path | None,
        typer.Option("--save", metavar="FILE", help="With --interactive: write the answers as a profile file."),
    ] = None,
    force: ForceOpt = False,
    fmt: Annotated[
        TextJson,
        typer.Option(
            "--format", "-f", help="text (bar chart and tables) or json (one object; JSON lines for several)."
        ),
    ] = TextJson.text,
    top: Annotated[int, typer.Option("--top", min=0, max=20, help="How many similar corpus cases to show.")] = 3,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Text: show the internal fact keys and every evidence item (by default the strongest five per side, "
            "in plain words).",
        ),
    ] = False,
    data: DataOpt = None,
) -> None:
    """Classify a company among the report's six digital business model clusters.

    Gives a score per cluster (the six sum to 1), a confidence, the evidence
    for and against, hybrids (`also`), the missing facts that would most change
    the answer, the most similar corpus cases, the maturity stage and the
    recommendations of the report that apply.

    \b
    Exit codes:
      0  classified
      1  bad input: schema errors in a profile, no facts in the text, refused --save
      2  usage error (no input, or two kinds of input at once), or a standard
         stream unusable (such as stdin closed under --interactive)
      3  internal error (a bug in bmnav; rerun with --debug)

    \b
    Examples:
      bmnav classify examples/acme-profile.yaml
      bmnav classify examples/ --format json          # JSON lines, one per profile
      bmnav classify --text "Customers pay per hour; we stay the owner of the machines."
      bmnav classify --text-file examples/notes-de.txt
      bmnav classify --interactive --save client.yaml
    """
    _check_modes(paths, text, text_file, interactive, save, force)
    # speed: the corpus cases' summaries come from a cached index (never stale),
    # a profile's network features from a cache keyed by its content
    from bmnav.classifying.classifier import SUMMARY_RECORDS
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus(data, records=SUMMARY_RECORDS)  # each case's summary computed where it is read
    show = functools.partial(_show, corpus=corpus, fmt=fmt, verbose=verbose)
    if interactive:
        show(_interview(corpus, save=save, force=force, top=top))
    elif text is not None or text_file is not None:
        show(_from_text(corpus, text, text_file, data=data, top=top))
    else:
        _from_files(corpus, paths or [], show=show, fmt=fmt, top=top)


def _check_modes(
    paths: list[Path] | None,
    text: str | None,
    text_file: Path | None,
    interactive: bool,
    save: Path | None,
    force: bool,
) -> None:
    """Exactly one kind of input; --save only with --interactive (refused before any question)."""
    modes = sum([bool(paths), text is not None or text_file is not None, interactive])
    if modes == 0:
        raise fail("give a profile file or folder, --text, --text-file or --interactive (see --help)", 2)
    if modes > 1 or (text is not None and text_file is not None):
        raise fail("give only one kind of input: files, --text, --text-file or --interactive", 2)
    if save is not None and not interactive:
        raise fail("--save writes the answers of --interactive; add --interactive", 2)
    if save is not None:
        from bmnav.storage.files import check_writable

        check_writable(save, force=force)  # refuse before asking ten questions


def _show(result: ClassificationResult, *, corpus: Any, fmt: TextJson, verbose: bool) -> None:
    """One classification, in full, on stdout."""
    from bmnav.render import render, show

    if fmt is TextJson.json:
        write(render("classify", "json", result))
        return
    from bmnav.domain.labels import labels_for

    console = out()
    show(render("classify", "text", result, labels=labels_for(corpus), verbose=verbose, width=console.width), console)


def _interview(corpus: Any, *, save: Path | None, force: bool, top: int) -> ClassificationResult:
    """Ask the questions on stderr, save the answers if asked to, and classify them."""
    from bmnav.classifying.classifier import classify as run
    from bmnav.domain import questionnaire
    from bmnav.domain.labels import labels_for
    from bmnav.domain.model import Case
    from bmnav.render.console import esc
    from bmnav.storage.stdio import require_input

    require_input()  # a closed stdin stops before the first question

    def ask(prompt: str) -> str:
        return str(typer.prompt(prompt, default="", show_default=False, err=True))

    profile = questionnaire.run(ask, tell=lambda msg: err().print(esc(msg)), meanings=labels_for(corpus).meanings)
    if save is not None:
        written = questionnaire.save_profile(profile, save, force=force)
        err().print(f"saved the profile to {esc(written)}")
    return run(Case(profile, str(save) if save else None), corpus, top=top)


def _from_text(
    corpus: Any, text: str | None, text_file: Path | None, *, data: str | None, top: int
) -> ClassificationResult:
    from bmnav.classifying.textclassify import classify_text, classify_text_file

    if text_file is not None:
        return classify_text_file(text_file, corpus, data=data, top=top)
    return classify_text(text or "", corpus, data=data, top=top)


def _from_files(
    corpus: Any, paths: list[Path], *, show: Callable[[ClassificationResult], None], fmt: TextJson, top: int
) -> None:
    """One file: its full classification; several (or a folder): one row each,
    the files with errors reported and the run going on (exit 1 at the end)."""
    from bmnav.checking.problems import BmnavError
    from bmnav.classifying.classifier import classify as run
    from bmnav.classifying.classifier import load_profile
    from bmnav.render import render
    from bmnav.render.classify import row
    from bmnav.render.console import esc
    from bmnav.storage.corpus_index import ProfileCache, profile_facts

    files = _expand(paths)
    if not files:
        raise BmnavError("no profile files (*.yaml, *.yml) found in the folder(s) given", exit_code=1)
    if len(files) == 1 and not any(p.is_dir() for p in paths):
        profile = load_profile(files[0], corpus)
        show(run(profile, corpus, top=top, facts=profile_facts(profile, corpus.datadir.root)))
        return
    rows = []
    profiles = ProfileCache()  # one store for all the files, written once at the end
    for f in files:
        try:
            profile = load_profile(f, corpus, profiles=profiles)
            result = run(profile, corpus, top=top, facts=profile_facts(profile, corpus.datadir.root))
        except BmnavError as exc:
            print_problems(exc.problems)
            err().print(f"[red]error:[/red] {esc(exc.message)}")
            rows.append({"path": str(f), "error": exc.message})
            continue
        if fmt is TextJson.json:
            write(render("classify", "json", result, indent=None))
        rows.append(row(result))
    profiles.save()
    if fmt is TextJson.text:
        out().print(render("classify-rows", "text", rows))
    if any(r.get("error") for r in rows):
        raise typer.Exit(1)
