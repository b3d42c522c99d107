"""`bmnav diff`: a semantic diff of two cases, or two revisions of one case."""

from __future__ import annotations

import json
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .console import err, fail, out, print_problems, write
from .options import DataOpt, TextJson

if TYPE_CHECKING:
    from bmnav.diffs import AttrChange, DiffResult

COMMAND = "diff"
ORDER = 55

#: diff(1)'s exit code for trouble (unknown id, unreadable or invalid file).
TROUBLE = 2


def _esc(value: Any) -> str:
    return str(value).replace("[", "\\[")


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _minus(text: str) -> str:
    return f"[red]- {_esc(text)}[/red]"


def _plus(text: str) -> str:
    return f"[green]+ {_esc(text)}[/green]"


def _role_line(r: dict[str, Any]) -> str:
    bits = [str(r.get("type") or "")]
    if "actor" in r:
        bits.append(str(r["actor"]))
    if r.get("external") is False:
        bits.append("internal")
    if r.get("count", 1) != 1:
        bits.append(f"count {r['count']}")
    extra = ", ".join(b for b in bits if b)
    return f"{r.get('id')}: {r.get('name') or r.get('id')}" + (f" ({extra})" if extra else "")


def _flow_line(f: dict[str, Any]) -> str:
    what = f" {f['what']}" if f.get("what") else ""
    amount = f" [{_show(f['amount'])}]" if f.get("amount") is not None else ""
    return f"{f.get('from')} -> {f.get('to')} ({f.get('kind')}){what}{amount}"


def _attr_lines(changes: list[AttrChange]) -> list[str]:
    lines = []
    for c in changes:
        if c.old is not None:
            lines.append(f"    {_minus(f'{c.field}: {_show(c.old)}')}")
        if c.new is not None:
            lines.append(f"    {_plus(f'{c.field}: {_show(c.new)}')}")
    return lines


def _ranking_line(ranking: list[dict[str, Any]] | None) -> str:
    if not ranking:
        return "(not computed)"
    return "  ".join(f"{i}. {r['cluster']} {r['score']:.3f}" for i, r in enumerate(ranking[:3], 1))


def render(result: DiffResult) -> str:
    """The diff as Rich markup: - old lines in red, + new lines in green,
    deleted words [-like this-] and inserted words {+like this+}."""
    lines = [
        f"[bold]--- a: {_esc(result.a.ref)}[/bold]"
        + (f" ({_esc(result.a.id)})" if result.a.id and result.a.id != result.a.ref else ""),
        f"[bold]+++ b: {_esc(result.b.ref)}[/bold]"
        + (f" ({_esc(result.b.id)})" if result.b.id and result.b.id != result.b.ref else ""),
    ]
    if result.identical:
        lines.append("identical (no semantic difference)")
        return "\n".join(lines) + "\n"
    if result.fields:
        lines.append("[bold cyan]fields[/bold cyan]")
        for f in result.fields:
            lines.append(f"  {_esc(f.path)}")
            if f.old is not None:
                lines.append("    " + _minus(_show(f.old)))
            if f.new is not None:
                lines.append("    " + _plus(_show(f.new)))
    if result.lists:
        lines.append("[bold cyan]lists[/bold cyan] (as sets)")
        for s in result.lists:
            lines.append(f"  {_esc(s.path)}")
            lines += ["    " + _minus(_show(v)) for v in s.removed]
            lines += ["    " + _plus(_show(v)) for v in s.added]
    if result.roles:
        lines.append("[bold cyan]roles[/bold cyan] (matched by id)")
        lines += ["  " + _minus(_role_line(r)) for r in result.roles.removed]
        lines += ["  " + _plus(_role_line(r)) for r in result.roles.added]
        for rid, changes in result.roles.changed:
            lines.append(f"  ~ {_esc(rid)}")
            lines += _attr_lines(changes)
    if result.flows:
        lines.append("[bold cyan]flows[/bold cyan] (matched by from, to, kind)")
        lines += ["  " + _minus(_flow_line(f)) for f in result.flows.removed]
        lines += ["  " + _plus(_flow_line(f)) for f in result.flows.added]
        for (src, dst, kind), changes in result.flows.changed:
            lines.append(f"  ~ {_esc(src)} -> {_esc(dst)} ({_esc(kind)})")
            lines += _attr_lines(changes)
    if result.questions:
        lines.append("[bold cyan]business model[/bold cyan] (word by word)")
        for q in result.questions:
            words = []
            for w in q.words:
                if w.op == "equal":
                    words.append(_esc(w.text))
                elif w.op == "delete":
                    words.append(f"[red]\\[-{_esc(w.text)}-][/red]")
                else:
                    words.append(f"[green]{{+{_esc(w.text)}+}}[/green]")
            lines.append(f"  {q.question}: " + " ".join(words))
    changed = {k: d for k, d in result.derived.items() if d.changed}
    if changed:
        lines.append("[bold cyan]derived[/bold cyan]")
        if "classification" in changed:
            d = changed["classification"]
            lines.append("  classification ranking")
            lines.append("    " + _minus(_ranking_line(d.old)))
            lines.append("    " + _plus(_ranking_line(d.new)))
        if "position" in changed:
            d = changed["position"]
            lines.append("  position")
            for side, mark in ((d.old, _minus), (d.new, _plus)):
                text = (
                    f"openness {side['openness']:.2f}, ecosystem size {side['ecosystem_size']:.2f}"
                    + (" (manual)" if side.get("manual") else "")
                    if side
                    else "(not computed)"
                )
                lines.append("    " + mark(text))
        if "maturity" in changed:
            d = changed["maturity"]
            lines.append("  maturity stage")
            for side, mark in ((d.old, _minus), (d.new, _plus)):
                text = f"{side['stage']} ({side['source']})" if side and side.get("stage") else "(unknown)"
                lines.append("    " + mark(text))
    return "\n".join(lines) + "\n"


def render_stat(result: DiffResult) -> str:
    """A short summary of the changes, like `git diff --stat`."""
    s = result.stat()
    if result.identical:
        return f"{_esc(result.a.ref)} -> {_esc(result.b.ref)}: identical\n"
    rows = [
        ("fields", f"{s['fields']} changed"),
        (
            "lists",
            f"{s['lists']['changed']} changed "
            f"([green]+{s['lists']['added']}[/green] [red]-{s['lists']['removed']}[/red])",
        ),
        (
            "roles",
            f"[green]+{s['roles']['added']}[/green] [red]-{s['roles']['removed']}[/red] ~{s['roles']['changed']}",
        ),
        (
            "flows",
            f"[green]+{s['flows']['added']}[/green] [red]-{s['flows']['removed']}[/red] ~{s['flows']['changed']}",
        ),
        (
            "questions",
            f"{s['questions']['changed']} changed ([green]+{s['questions']['words_added']}[/green] "
            f"[red]-{s['questions']['words_removed']}[/red] words)",
        ),
        ("derived", ", ".join(s["derived"]) or "unchanged"),
    ]
    head = f"{_esc(result.a.ref)} -> {_esc(result.b.ref)}"
    return head + "\n" + "\n".join(f"  {name:<10} {text}" for name, text in rows) + "\n"


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
    from bmnav.corpus import load_corpus
    from bmnav.diffs import STDIN, load_side, same_file
    from bmnav.diffs import diff as run
    from bmnav.problems import BmnavError

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
            err().print(f"note: both sides are the same file, so there is no difference; {_esc(exc.message)}")
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
        write(json.dumps(result.as_dict(stat_only=stat), indent=2, ensure_ascii=False) + "\n")
    else:
        out().print(render_stat(result) if stat else render(result), end="")
    # git treats a non-zero exit of GIT_EXTERNAL_DIFF as a failure (unless diff.trustExitCode)
    raise typer.Exit(0 if git_external else result.exit_code)
