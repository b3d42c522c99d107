"""`log`: a case's git history, each commit's semantic changes, as text or JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmnav.render import json_text
from bmnav.render.console import esc
from bmnav.render.diff import show_value as _val  # one way to print a changed value, in diff and in log

if TYPE_CHECKING:
    from bmnav.domain.diffs import AttrChange, DiffResult
    from bmnav.domain.history import Step


def _created(d: DiffResult) -> list[str]:
    new = {f.path: f.new for f in d.fields}
    roles, flows = len(d.roles.added), len(d.flows.added)
    return [
        f"  new case: {esc(new.get('name') or d.b.id)}, cluster {esc(_val(new.get('cluster')))}, "
        f"{roles} role{'s' if roles != 1 else ''}, {flows} flow{'s' if flows != 1 else ''}"
    ]


def _role(r: dict[str, Any]) -> str:
    return f"{r.get('id')} ({r.get('type')})" if r.get("type") else str(r.get("id"))


def _flow(f: dict[str, Any]) -> str:
    return f"{f.get('from')} -> {f.get('to')} ({f.get('kind')})" + (f": {f['what']}" if f.get("what") else "")


def _attrs(changes: list[AttrChange]) -> str:
    return ", ".join(f"{c.field} {_val(c.old)} -> {_val(c.new)}" for c in changes)


def _changes(d: DiffResult) -> list[str]:
    """The changes of one commit, one line per kind: cluster first, then the
    facts (fields and sets), roles, flows, the four questions and the derived
    position and maturity stage."""
    lines = []
    fields = sorted(d.fields, key=lambda f: f.path != "cluster")
    for f in fields:
        lines.append(f"  {esc(f.path)}: {esc(_val(f.old))} -> {esc(_val(f.new))}")
    for s in d.lists:
        items = [f"+{_val(v)}" for v in s.added] + [f"-{_val(v)}" for v in s.removed]
        lines.append(f"  {esc(s.path)}: {esc(' '.join(items))}")
    if d.roles:
        lines.append("  roles")
        lines += [f"    + {esc(_role(r))}" for r in d.roles.added]
        lines += [f"    - {esc(_role(r))}" for r in d.roles.removed]
        lines += [f"    ~ {esc(rid)}: {esc(_attrs(cs))}" for rid, cs in d.roles.changed]
    if d.flows:
        lines.append("  flows")
        lines += [f"    + {esc(_flow(f))}" for f in d.flows.added]
        lines += [f"    - {esc(_flow(f))}" for f in d.flows.removed]
        lines += [f"    ~ {esc(f'{a} -> {b} ({k})')}: {esc(_attrs(cs))}" for (a, b, k), cs in d.flows.changed]
    for q in d.questions:
        lines.append(f"  {q.question}: reworded (+{q.added_words} -{q.removed_words} words)")
    pos = d.derived.get("position")
    if pos is not None and pos.changed and pos.old and pos.new:
        lines.append(
            f"  position: openness {pos.old['openness']:.2f} -> {pos.new['openness']:.2f}, "
            f"ecosystem size {pos.old['ecosystem_size']:.2f} -> {pos.new['ecosystem_size']:.2f}"
        )
    mat = d.derived.get("maturity")
    if mat is not None and mat.changed and mat.old and mat.new:
        lines.append(f"  maturity stage: {_val(mat.old.get('stage'))} -> {_val(mat.new.get('stage'))}")
    return lines or ["  no semantic change (only comments, order or layout)"]


def render(steps: list[Step]) -> str:
    """The history as text, like `git log` with the semantic diff as the body."""
    blocks = []
    for step in steps:
        r = step.revision
        head = [
            f"[bold]commit {r.short}[/bold] {esc(r.date)} {esc(r.author)}  {esc(r.path)}",
            f"    {esc(r.subject)}",
        ]
        if step.diff is None:
            body = [f"  [red]cannot be read as a case:[/red] {esc(step.error)}"]
            body += [f"    {esc(p.line)}:{esc(p.column)} {esc(p.message)} \\[{p.rule}]" for p in step.problems]
        elif r.status == "D":
            body = ["  deleted"]
        elif step.diff.a.ref == "/dev/null":
            body = _created(step.diff)
        else:
            body = _changes(step.diff)
            if r.old_path:
                moved = f"  {'renamed' if r.status == 'R' else 'copied'} from {esc(r.old_path)}"
                body = [moved] if body[0].startswith("  no semantic change") else [moved, *body]
        blocks.append("\n".join(head + body))
    return "\n\n".join(blocks) + "\n"


def _json(steps: list[Step], *, path: str) -> str:
    return json_text({"path": path, "commits": [s.as_dict() for s in steps]})


RENDERERS = {"log": {"text": render, "json": _json}}
