"""`compare`: the clusters side by side, as Rich tables, JSON or CSV."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bmnav.render import json_text
from bmnav.render.console import esc

if TYPE_CHECKING:
    from rich.table import Table

    from bmnav.domain.comparison import ClusterSummary, Comparison, Count, Distinction, Spread

#: How many of the most common revenue models, technologies and patterns the table shows.
TOP = 3


def _spread(s: Spread | None) -> str:
    if s is None:
        return "-"
    if s.n == 1:
        return f"{s.mean:.2f} (1 case)"
    return f"{s.mean:.2f} ({s.min:.2f}-{s.max:.2f})"


def _counts(items: list[Count]) -> str:
    return "\n".join(f"{esc(c.value)} ({c.count})" for c in items[:TOP]) or "-"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return esc(value)


def _distinction(d: Distinction, mark: str) -> str:
    colour = "green" if mark == "+" else "red"
    return f"[{colour}]{mark}[/{colour}] {esc(d.fact)} = {_value(d.value)} ({d.weight:+g} vs {d.others:+.1f})"


#: The narrowest column a cluster gets; a narrower terminal splits the table.
MIN_COLUMN = 24
LABEL_COLUMN = 16


def render(result: Comparison, width: int = 80) -> list[Table | str]:
    """Rich tables: one column per cluster, one row per
    aspect. As many clusters side by side as fit in `width`; the rest in
    further tables."""
    from dataclasses import replace

    per_table = max(1, (width - LABEL_COLUMN) // (MIN_COLUMN + 3))
    chunks = [result.clusters[i : i + per_table] for i in range(0, len(result.clusters), per_table)]
    tables = [_table(replace(result, clusters=chunk)) for chunk in chunks]
    against = "the other clusters compared" if result.against == "compared" else "all other clusters"
    note = (
        f"* focal role; (int.) internal role. Openness and ecosystem size: mean (range) over the cases. "
        f"Evidence: weight here vs mean weight in {against}."
    )
    return [*tables, note]


def _table(result: Comparison) -> Table:
    """One column per cluster, one row per aspect; a row empty for every cluster is left out."""
    from rich.table import Table

    table = Table(show_lines=True)  # the cluster columns shrink evenly
    table.add_column("", style="bold", no_wrap=True)
    for c in result.clusters:
        table.add_column(f"{esc(c.short)}\n{c.section or ''}", overflow="fold", ratio=1)
    for label, cell in _ASPECTS:
        cells = [cell(c) for c in result.clusters]
        if any(x != "-" for x in cells):
            table.add_row(label, *cells)
    return table


def _changes(c: ClusterSummary) -> str:
    from bmnav.domain.model import QUESTIONS

    return "\n".join(f"{q} {'[green]yes[/green]' if c.changes.get(q) else '[dim]no[/dim]'}" for q in QUESTIONS)


def _roles(c: ClusterSummary) -> str:
    return (
        "\n".join(
            esc(r["name"]) + (" *" if r["id"] == c.focal_role else "") + ("" if r["external"] else " (int.)")
            for r in c.roles
        )
        or "-"
    )


def _role_changes(c: ClusterSummary) -> str:
    from bmnav.domain.model import QUESTIONS

    return (
        "\n".join(
            f"{esc(r['role'])} ({esc(r['case'])}): " + (" ".join(q for q in QUESTIONS if r.get(q)) or "none")
            for r in c.role_changes
        )
        or "-"
    )


def _evidence(c: ClusterSummary) -> str:
    lines = [_distinction(d, "+") for d in c.distinguishing] + [_distinction(d, "-") for d in c.distinguishing_against]
    return "\n".join(lines) or "-"


#: The rows of the comparison: a label and the cell of one cluster.
_ASPECTS: list[tuple[str, Callable[[ClusterSummary], str]]] = [
    ("Stage", lambda c: f"{c.stage} {esc(c.stage_name or '')}".strip() if c.stage else "-"),
    ("Definition", lambda c: esc(c.definition)),
    ("Changes", _changes),
    ("Archetype\nroles", _roles),
    ("Cases", lambda c: f"{len(c.cases)}" + (f" (+{len(c.also_cases)} also)" if c.also_cases else "")),
    ("Openness", lambda c: _spread(c.openness)),
    ("Ecosystem\nsize", lambda c: _spread(c.ecosystem_size)),
    ("Revenue", lambda c: _counts(c.revenue)),
    ("Technologies", lambda c: _counts(c.technologies)),
    ("Patterns", lambda c: _counts(c.patterns)),
    ("Changes\nper role", _role_changes),
    ("Distinguishing\nevidence", _evidence),
]


def render_csv(result: Comparison) -> str:
    from bmnav.render.export import to_csv

    rows = result.rows()
    return to_csv(rows, list(rows[0])) if rows else ""


def _json(result: Comparison) -> str:
    return json_text(result.as_dict())


RENDERERS = {"compare": {"text": render, "json": _json, "csv": render_csv}}
