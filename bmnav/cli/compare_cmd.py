"""`bmnav compare`: the clusters side by side."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .console import out, write
from .list_cmd import Origin
from .options import DataFormat, DataOpt

if TYPE_CHECKING:
    from bmnav.comparison import Comparison, Count, Distinction, Spread
    from bmnav.terminal import Table

COMMAND = "compare"
ORDER = 50

#: How many of the most common revenue models, technologies and patterns the table shows.
TOP = 3


def _esc(value: Any) -> str:
    return str(value).replace("[", "\\[")


def _spread(s: Spread | None) -> str:
    if s is None:
        return "-"
    if s.n == 1:
        return f"{s.mean:.2f} (1 case)"
    return f"{s.mean:.2f} ({s.min:.2f}-{s.max:.2f})"


def _counts(items: list[Count]) -> str:
    return "\n".join(f"{_esc(c.value)} ({c.count})" for c in items[:TOP]) or "-"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _esc(value)


def _distinction(d: Distinction, mark: str) -> str:
    colour = "green" if mark == "+" else "red"
    return f"[{colour}]{mark}[/{colour}] {_esc(d.fact)} = {_value(d.value)} ({d.weight:+g} vs {d.others:+.1f})"


#: The narrowest column a cluster gets; a narrower terminal splits the table.
MIN_COLUMN = 24
LABEL_COLUMN = 16


def render(result: Comparison, width: int = 80) -> list[Table | str]:
    """Tables (of `bmnav.terminal`): one column per cluster, one row per
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
    from bmnav.model import QUESTIONS
    from bmnav.terminal import Table

    table = Table(show_lines=True, keep_words=False)  # the cluster columns shrink evenly
    table.add_column("", style="bold", no_wrap=True)
    for c in result.clusters:
        table.add_column(f"{_esc(c.short)}\n{c.section or ''}", overflow="fold", ratio=1)
    rows: list[tuple[str, list[str]]] = [
        ("Stage", [f"{c.stage} {_esc(c.stage_name or '')}".strip() if c.stage else "-" for c in result.clusters]),
        ("Definition", [_esc(c.definition) for c in result.clusters]),
        (
            "Changes",
            [
                "\n".join(f"{q} {'[green]yes[/green]' if c.changes.get(q) else '[dim]no[/dim]'}" for q in QUESTIONS)
                for c in result.clusters
            ],
        ),
        (
            "Archetype\nroles",
            [
                "\n".join(
                    _esc(r["name"]) + (" *" if r["id"] == c.focal_role else "") + ("" if r["external"] else " (int.)")
                    for r in c.roles
                )
                or "-"
                for c in result.clusters
            ],
        ),
        (
            "Cases",
            [f"{len(c.cases)}" + (f" (+{len(c.also_cases)} also)" if c.also_cases else "") for c in result.clusters],
        ),
        ("Openness", [_spread(c.openness) for c in result.clusters]),
        ("Ecosystem\nsize", [_spread(c.ecosystem_size) for c in result.clusters]),
        ("Revenue", [_counts(c.revenue) for c in result.clusters]),
        ("Technologies", [_counts(c.technologies) for c in result.clusters]),
        ("Patterns", [_counts(c.patterns) for c in result.clusters]),
        (
            "Changes\nper role",
            [
                "\n".join(
                    f"{_esc(r['role'])} ({_esc(r['case'])}): " + (" ".join(q for q in QUESTIONS if r.get(q)) or "none")
                    for r in c.role_changes
                )
                or "-"
                for c in result.clusters
            ],
        ),
        (
            "Distinguishing\nevidence",
            [
                "\n".join(
                    [_distinction(d, "+") for d in c.distinguishing]
                    + [_distinction(d, "-") for d in c.distinguishing_against]
                )
                or "-"
                for c in result.clusters
            ],
        ),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    return table


def render_csv(result: Comparison) -> str:

    from bmnav.flatten import to_csv

    rows = result.rows()
    return to_csv(rows, list(rows[0])) if rows else ""


def compare(
    clusters: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CLUSTER]...",
            help="Cluster ids or names (default: all six).",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        DataFormat, typer.Option("--format", "-f", help="text (a table side by side), json or csv.")
    ] = DataFormat.text,
    origin: Annotated[
        Origin | None,
        typer.Option("--origin", help="Only cases from the report, from public sources or a client's own."),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Compare clusters side by side.

    For each cluster: definition, maturity stage, the who/what/how/value
    change pattern, archetype roles, number of cases, mean and range of
    openness and ecosystem size, the most common revenue models,
    technologies and patterns of its cases, and the evidence whose weights
    set it apart from the others.

    \b
    Exit codes:
      0  shown
      1  unknown cluster (with a "did you mean")
      2  usage error

    \b
    Examples:
      bmnav compare
      bmnav compare marketplace data-trustee
      bmnav compare "Mass Customisation" efficiency --format json
      bmnav compare --format csv > clusters.csv
    """
    from bmnav.comparison import compare as run
    from bmnav.corpus import load_corpus

    result = run(load_corpus(data), clusters or None, origin=origin.value if origin else None)
    if fmt is DataFormat.json:
        write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
    elif fmt is DataFormat.csv:
        write(render_csv(result))
    else:
        console = out()
        for part in render(result, console.width):
            console.print(part)
