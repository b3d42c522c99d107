"""`bmnav new`: write a new case file from a guided prompt (or from a saved profile)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bmnav.cli.console import err, fail, write
from bmnav.cli.options import DataOpt, ForceOpt, TextJson
from bmnav.render.console import esc

if TYPE_CHECKING:
    from bmnav.checking.problems import Problem
    from bmnav.domain.newcase import Question
    from bmnav.storage.corpus import Corpus

COMMAND = "new"
ORDER = 70


def _save_draft(answers: dict[str, object], output: Path | None, force: bool) -> typer.Exit:
    """Keep the answers of a stopped interview as `<id>.draft.yaml` (beside --output, else
    here: a draft in the corpus would be read as a broken case); the exit says where."""
    from bmnav.checking.problems import BmnavError
    from bmnav.domain.newcase import draft_name, write_draft

    if not answers:
        return fail("input ended before the first answer; nothing to save", 1)
    name = draft_name(answers)
    path = output.with_name(name) if output is not None else Path(name)
    try:
        written = write_draft(answers, path, force=force)
    except BmnavError as exc:
        return fail(f"input ended; the answers so far were not saved: {exc.message}", 1)
    return fail(
        f"input ended; the answers so far are saved in {written} (finish it in an editor, "
        f"rename it to ID.yaml and run `bmnav validate`)",
        1,
    )


def new(
    case_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="Id of the new case (kebab-case); asked when left out.", show_default=False
        ),
    ] = None,
    from_profile: Annotated[
        Path | None,
        typer.Option(
            "--from-profile",
            metavar="FILE",
            help="Start from a saved profile (such as from `bmnav classify --interactive --save`): only the "
            "facts a case needs and the profile lacks are asked, and the cluster, proposing the classifier's.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Where to write the case; default: ID.yaml here."),
    ] = None,
    into_corpus: Annotated[
        bool,
        typer.Option("--into-corpus", help="Write to the active corpus's usecases/ folder (see --data) instead."),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Take every proposed answer without asking; fail if a needed fact has none."),
    ] = False,
    force: ForceOpt = False,
    fmt: Annotated[
        TextJson, typer.Option("--format", "-f", help="text (a message) or json (what was written), on stdout.")
    ] = TextJson.text,
    data: DataOpt = None,
) -> None:
    """Write a new case file from a guided prompt, valid on its first save.

    The facts come first, the cluster last, proposing the classifier's
    answer for the facts given. Each question offers its allowed values;
    ? shows them with their meanings; an invalid answer is asked again (in
    a list, only the bad item); optional questions are left out with Enter
    or "skip". A flow can be one line: from -> to : kind : what. Ctrl-D or
    Ctrl-C saves the answers so far as ID.draft.yaml. The case is checked like `bmnav validate` before it is written,
    and an invalid case is not written. The file starts with the
    yaml-language-server modeline, so editors complete and check it. Prompts
    go to stderr, so stdout carries only the result. The target is checked
    before the first question, or as soon as the id is answered (an existing
    file asks for another id, unless --force), and is created exclusively.

    \b
    Exit codes:
      0  written
      1  not written: the case would be invalid, the file exists (use --force),
         the folder is missing, the profile has errors, or input ended
         (the answers so far saved as ID.draft.yaml)
      2  usage error (such as --output with a name other than ID.yaml), or a
         standard stream unusable (such as stdin closed without --yes)

    \b
    Examples:
      bmnav new acme-pumping                         # asks, writes ./acme-pumping.yaml
      bmnav new --from-profile acme-profile.yaml     # a classified profile becomes a case
      bmnav new client-case --from-profile client.yaml --yes -o cases/client-case.yaml
      bmnav new acme-pumping --into-corpus --data ~/cases
    """
    from bmnav.domain.newcase import InterviewStopped, interview, propose_cluster, value_meanings, write_case
    from bmnav.storage.corpus import load_corpus

    _check_arguments(case_id, output, into_corpus)
    target = functools.partial(_target_for, data=data, output=output, into_corpus=into_corpus)
    if output is not None:
        from bmnav.storage.files import check_writable

        check_writable(output, force=force)  # refuse before asking questions

    corpus = load_corpus(data)
    console = err()
    defaults: dict[str, str] = {"id": output.stem} if output is not None and case_id is None else {}
    start = _start_from_profile(from_profile, corpus, defaults) if from_profile is not None else None
    _check_target_before_asking(case_id if case_id is not None else (start or {}).get("id"), target, output, force)
    if not yes:
        from bmnav.storage.stdio import require_input

        require_input()  # a closed stdin stops before the first question
    from bmnav.domain.labels import labels_for

    try:
        case = interview(
            _asker(yes),
            lambda msg: console.print(esc(msg)),
            vocab=corpus.vocab,
            case_id=case_id,
            start=start,
            defaults=defaults,
            taken_ids=list(corpus.cases) if into_corpus else [],
            full=from_profile is None,
            check_id=None if output is not None else functools.partial(_id_refused, target=target, force=force),
            propose=lambda answers: propose_cluster(answers, corpus),
            meanings=value_meanings(corpus.vocab, labels_for(corpus)),
        )
    except InterviewStopped as stop:
        raise _save_draft(stop.data, output, force) from None
    written, problems = write_case(case, target(str(case["id"])), vocab=corpus.vocab, force=force)
    _report(case, written, problems, fmt)


def _check_arguments(case_id: str | None, output: Path | None, into_corpus: bool) -> None:
    """Usage errors found before anything is read or asked (exit 2)."""
    from bmnav.domain.newcase import InvalidAnswer, parse_answer
    from bmnav.domain.newcase import Question as Q

    if output is not None and into_corpus:
        raise fail("give either --output or --into-corpus, not both", 2)
    if case_id is not None:
        try:
            parse_answer(Q("id", "id", "slug", required=True), case_id)
        except InvalidAnswer as exc:
            raise fail(f"ID: {exc}", 2) from None
    if output is not None and case_id is not None and output.suffix in (".yaml", ".yml") and output.stem != case_id:
        raise fail(f"the file of case {case_id} must be named {case_id}.yaml (the id equals the file name)", 2)
    if output is not None and output.suffix not in (".yaml", ".yml"):
        raise fail(f"{output}: a case file ends in .yaml or .yml", 2)


def _target_for(cid: str, *, data: str | None, output: Path | None, into_corpus: bool) -> Path:
    """Where the case `cid` is written: --output, the corpus's usecases/ folder, or ID.yaml here."""
    if into_corpus:
        from bmnav.storage.resources import data_dir

        return data_dir(data).usecases / f"{cid}.yaml"
    return output if output is not None else Path(f"{cid}.yaml")


def _start_from_profile(from_profile: Path, corpus: Corpus, defaults: dict[str, str]) -> dict[str, object]:
    """The answers a saved profile already gives; the classifier's proposal
    goes into `defaults` and is told on stderr."""
    from bmnav.classifying.classifier import load_profile
    from bmnav.domain.newcase import profile_start

    start, proposed, result = profile_start(load_profile(from_profile, corpus), corpus)
    defaults.update(proposed)
    defaults.setdefault("sources.title", f"Own analysis (profile {from_profile.name})")
    if result is not None:
        top = result["ranking"][0]
        also = f"; also {', '.join(result['also'])}" if result["also"] else ""
        err().print(
            esc(
                f"{from_profile}: the classifier proposes {top['cluster']} "
                f"(score {top['score']:.2f}, confidence {result['confidence']}{also})"
            )
        )
    return start


def _check_target_before_asking(
    known_id: object, target: Callable[[str], Path], output: Path | None, force: bool
) -> None:
    """Refuse before the first question: the target when the id is known, else
    its folder now (and the file as soon as the id is answered, `_id_refused`)."""
    from bmnav.storage.files import check_folder, check_writable

    if isinstance(known_id, str) and output is None:
        check_writable(target(known_id), force=force)
    else:
        check_folder(target("new-case"))


def _id_refused(cid: str, *, target: Callable[[str], Path], force: bool) -> str | None:
    """Why the answered id cannot be written (the file exists), or None."""
    from bmnav.checking.problems import BmnavError
    from bmnav.storage.files import check_writable

    try:
        check_writable(target(cid), force=force)
    except BmnavError as exc:
        return f"{exc.message}, or choose another id"
    return None


def _asker(yes: bool) -> Callable[[Question], str]:
    """The prompt on stderr, or with --yes each question's proposed answer."""
    from bmnav.checking.problems import BmnavError

    def ask(q: Question) -> str:
        if yes:
            if q.default is not None:
                return q.default
            if q.required:
                raise BmnavError(f'--yes: no answer for "{q.key}" ({q.text}); run without --yes to be asked')
            return ""
        try:
            return str(typer.prompt(q.prompt(), default=q.default or "", show_default=bool(q.default), err=True))
        except typer.Abort:  # Ctrl-D or Ctrl-C at the prompt
            raise EOFError from None

    return ask


def _report(case: dict[str, Any], written: Path, problems: list[Problem], fmt: TextJson) -> None:
    """The warnings of the written case on stderr, then what was written."""
    from bmnav.cli.console import print_problems
    from bmnav.render import json_text

    print_problems(problems)  # warnings only (errors stop the write)
    if fmt is TextJson.json:
        warnings = [p.as_dict() for p in problems]
        write(json_text({"path": str(written), "id": case["id"], "cluster": case.get("cluster"), "warnings": warnings}))
    else:
        err().print(esc(f"wrote {written}; check it with `bmnav validate {written}`"))
