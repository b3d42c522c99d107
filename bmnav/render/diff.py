"""`diff`: a semantic diff as coloured text (+ and -) or JSON; `log` shares its value printer."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bmnav.render import json_text
from bmnav.render.console import esc

if TYPE_CHECKING:
    from bmnav.domain.diffs import AttrChange, DiffResult


def show_value(value: Any) -> str:
    """A changed value as diff and log print it: none, true/false, whole numbers without .0, JSON for structures."""
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
    return f"[red]- {esc(text)}[/red]"


def _plus(text: str) -> str:
    return f"[green]+ {esc(text)}[/green]"


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
    amount = f" [{show_value(f['amount'])}]" if f.get("amount") is not None else ""
    return f"{f.get('from')} -> {f.get('to')} ({f.get('kind')}){what}{amount}"


def _attr_lines(changes: list[AttrChange]) -> list[str]:
    lines = []
    for c in changes:
        if c.old is not None:
            lines.append(f"    {_minus(f'{c.field}: {show_value(c.old)}')}")
        if c.new is not None:
            lines.append(f"    {_plus(f'{c.field}: {show_value(c.new)}')}")
    return lines


def _ranking_line(ranking: list[dict[str, Any]] | None) -> str:
    if not ranking:
        return "(not computed)"
    return "  ".join(f"{i}. {r['cluster']} {r['score']:.3f}" for i, r in enumerate(ranking[:3], 1))


def render(result: DiffResult) -> str:
    """The diff as Rich markup: - old lines in red, + new lines in green,
    deleted words [-like this-] and inserted words {+like this+}."""
    lines = [
        f"[bold]--- a: {esc(result.a.ref)}[/bold]"
        + (f" ({esc(result.a.id)})" if result.a.id and result.a.id != result.a.ref else ""),
        f"[bold]+++ b: {esc(result.b.ref)}[/bold]"
        + (f" ({esc(result.b.id)})" if result.b.id and result.b.id != result.b.ref else ""),
    ]
    if result.identical:
        lines.append("identical (no semantic difference)")
        return "\n".join(lines) + "\n"
    for section in (_fields, _lists, _roles, _flows, _questions, _derived):
        lines += section(result)
    return "\n".join(lines) + "\n"


def _fields(result: DiffResult) -> list[str]:
    lines = ["[bold cyan]fields[/bold cyan]"] if result.fields else []
    for f in result.fields:
        lines.append(f"  {esc(f.path)}")
        if f.old is not None:
            lines.append("    " + _minus(show_value(f.old)))
        if f.new is not None:
            lines.append("    " + _plus(show_value(f.new)))
    return lines


def _lists(result: DiffResult) -> list[str]:
    lines = ["[bold cyan]lists[/bold cyan] (as sets)"] if result.lists else []
    for s in result.lists:
        lines.append(f"  {esc(s.path)}")
        lines += ["    " + _minus(show_value(v)) for v in s.removed]
        lines += ["    " + _plus(show_value(v)) for v in s.added]
    return lines


def _roles(result: DiffResult) -> list[str]:
    if not result.roles:
        return []
    lines = ["[bold cyan]roles[/bold cyan] (matched by id)"]
    lines += ["  " + _minus(_role_line(r)) for r in result.roles.removed]
    lines += ["  " + _plus(_role_line(r)) for r in result.roles.added]
    for rid, changes in result.roles.changed:
        lines.append(f"  ~ {esc(rid)}")
        lines += _attr_lines(changes)
    return lines


def _flows(result: DiffResult) -> list[str]:
    if not result.flows:
        return []
    lines = ["[bold cyan]flows[/bold cyan] (matched by from, to, kind)"]
    lines += ["  " + _minus(_flow_line(f)) for f in result.flows.removed]
    lines += ["  " + _plus(_flow_line(f)) for f in result.flows.added]
    for (src, dst, kind), changes in result.flows.changed:
        lines.append(f"  ~ {esc(src)} -> {esc(dst)} ({esc(kind)})")
        lines += _attr_lines(changes)
    return lines


def _questions(result: DiffResult) -> list[str]:
    lines = ["[bold cyan]business model[/bold cyan] (word by word)"] if result.questions else []
    for q in result.questions:
        words = []
        for w in q.words:
            if w.op == "equal":
                words.append(esc(w.text))
            elif w.op == "delete":
                words.append(f"[red]\\[-{esc(w.text)}-][/red]")
            else:
                words.append(f"[green]{{+{esc(w.text)}+}}[/green]")
        lines.append(f"  {q.question}: " + " ".join(words))
    return lines


def _derived(result: DiffResult) -> list[str]:
    """The derived classification ranking, position and maturity stage, where they changed."""
    changed = {k: d for k, d in result.derived.items() if d.changed}
    if not changed:
        return []
    lines = ["[bold cyan]derived[/bold cyan]"]
    if "classification" in changed:
        d = changed["classification"]
        lines += ["  classification ranking", "    " + _minus(_ranking_line(d.old))]
        lines.append("    " + _plus(_ranking_line(d.new)))
    if "position" in changed:
        lines.append("  position")
        for side, mark in ((changed["position"].old, _minus), (changed["position"].new, _plus)):
            text = (
                f"openness {side['openness']:.2f}, ecosystem size {side['ecosystem_size']:.2f}"
                + (" (manual)" if side.get("manual") else "")
                if side
                else "(not computed)"
            )
            lines.append("    " + mark(text))
    if "maturity" in changed:
        lines.append("  maturity stage")
        for side, mark in ((changed["maturity"].old, _minus), (changed["maturity"].new, _plus)):
            text = f"{side['stage']} ({side['source']})" if side and side.get("stage") else "(unknown)"
            lines.append("    " + mark(text))
    return lines


def render_stat(result: DiffResult) -> str:
    """A short summary of the changes, like `git diff --stat`."""
    s = result.stat()
    if result.identical:
        return f"{esc(result.a.ref)} -> {esc(result.b.ref)}: identical\n"
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
    head = f"{esc(result.a.ref)} -> {esc(result.b.ref)}"
    return head + "\n" + "\n".join(f"  {name:<10} {text}" for name, text in rows) + "\n"


def text(result: DiffResult, *, stat: bool = False) -> str:
    """The whole diff, or with `stat` its summary (both as markup)."""
    return render_stat(result) if stat else render(result)


def _json(result: DiffResult, *, stat: bool = False) -> str:
    return json_text(result.as_dict(stat_only=stat))


RENDERERS = {"diff": {"text": text, "json": _json}}
