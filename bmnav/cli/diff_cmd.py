"""`bmnav diff`: a semantic diff of two cases, or two revisions of one case."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from bmnav.cli.console import err, fail, out, print_problems, write
from bmnav.cli.options import DataOpt, TextJson

COMMAND = "diff"
ORDER = 55

#: diff(1)'s exit code for trouble (unknown id, unreadable or invalid file).
TROUBLE = 2


class RoleKey(str, Enum):
    """How `bmnav diff` matches roles."""

    id = "id"
    type = "type"


def diff(
    refs: Annotated[
        list[str],
        typer.Argument(
            metavar="A B",
            help="Two cases (A old, B new), each a case id, a file, REV:path (a file at a git revision, "
            "read with git show), - (standard input) or a pipe such as <(git show HEAD~1:x.yaml). Seven "
            "arguments, as git passes them to GIT_EXTERNAL_DIFF (path old-file old-hex old-mode new-file "
            "new-hex new-mode), are also accepted.",
            show_default=False,
        ),
    ],
    stat: Annotated[bool, typer.Option("--stat", help="Show only a summary of the changes.")] = False,
    by: Annotated[
        RoleKey,
        typer.Option("--by", help="Match roles by id, or by type (two cases of one archetype, e.g. Table 2)."),
    ] = RoleKey.id,
    fmt: Annotated[
        TextJson, typer.Option("--format", "-f", help="text (coloured, + and -) or json (docs/diff.md).")
    ] = TextJson.text,
    data: DataOpt = None,
) -> None:
    """Show the semantic difference of two cases: fields, sets, roles, flows,
    the four questions word by word, and the derived classification,
    position and maturity stage.

    \b
    Exit codes (as diff(1)):
      0  no semantic difference (also: a file diffed with itself)
      1  the cases differ (0 when called by git as GIT_EXTERNAL_DIFF)
      2  trouble: unknown case id, unreadable file or a file with errors

    \b
    Examples:
      bmnav diff tire-as-a-service my-copy.yaml
      bmnav diff HEAD~1:usecases/x.yaml usecases/x.yaml
      git show main:usecases/x.yaml | bmnav diff - usecases/x.yaml
      bmnav diff old/haier.yaml new/haier.yaml --stat
      bmnav diff a.yaml b.yaml --format json
      git difftool -x 'bmnav diff' HEAD~1 -- data/usecases/haier-cosmoplat.yaml
    """
    from bmnav.checking.problems import BmnavError
    from bmnav.domain.diffs import STDIN, load_side, same_file
    from bmnav.domain.diffs import diff as run
    from bmnav.render import render
    from bmnav.render.console import esc
    from bmnav.storage.corpus import load_corpus

    git_external = len(refs) == 7
    if git_external:
        name, a_ref, b_ref = refs[0], refs[1], refs[4]
    elif len(refs) == 2:
        name, (a_ref, b_ref) = None, refs
    else:
        raise fail(f"give two cases to compare (A B), not {len(refs)}", TROUBLE)
    try:
        corpus = load_corpus(data)
    except BmnavError as exc:
        raise fail(exc.message, TROUBLE, exc.problems) from None
    if a_ref == b_ref == STDIN:
        raise fail("only one side can be read from standard input (-)", TROUBLE)
    if same_file(a_ref, b_ref):  # a file with itself: identical, never an error
        try:
            a = b = load_side(a_ref, corpus)
        except BmnavError as exc:
            print_problems(exc.problems)
            err().print(f"note: both sides are the same file, so there is no difference; {esc(exc.message)}")
            raise typer.Exit(0) from None
    else:
        a = load_side(a_ref, corpus)
        b = load_side(b_ref, corpus)
    result = run(
        a,
        b,
        corpus,
        a_ref=f"{name} (a)" if name else a_ref,
        b_ref=f"{name} (b)" if name else b_ref,
        by=by.value,
    )
    if fmt is TextJson.json:
        write(render("diff", "json", result, stat=stat))
    else:
        out().print(render("diff", "text", result, stat=stat), end="")
    # git treats a non-zero exit of GIT_EXTERNAL_DIFF as a failure (unless diff.trustExitCode)
    raise typer.Exit(0 if git_external else result.exit_code)
