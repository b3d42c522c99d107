"""`bmnav maturity`: the corpus's maturity stages, or one case's evolution."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .console import out, write
from .options import DataOpt, TextJson

if TYPE_CHECKING:
    from bmnav.evolution import CaseMaturity, Distribution, MaturityOverview
    from bmnav.terminal import Table

COMMAND = "maturity"
ORDER = 58

BAR = "█"


def _esc(text: Any) -> str:
    return str(text).replace("[", "\\[")


def _bar(n: float, top: float, width: int = 16) -> str:
    if top <= 0 or n <= 0:
        return ""
    return BAR * max(1, round(width * n / top))


def _cluster_names(ids: list[str], clusters: dict[str, dict[str, Any]]) -> str:
    return ", ".join(_esc(clusters.get(c, {}).get("short") or c) for c in ids) or "-"


def render_overview(result: MaturityOverview, clusters: dict[str, dict[str, Any]]) -> list[Table | str]:
    """Tables (of `bmnav.terminal`) and text for the corpus overview."""
    from bmnav.terminal import Table

    parts: list[Table | str] = []
    cases = Table(title="Maturity stage of every case", title_justify="left", keep_words=False)
    for col in ("Case", "Country", "Size", "Clusters", "Stage"):
        cases.add_column(col, overflow="fold")
    for row in result.cases:
        clusters_text = _cluster_names([c for c in [row.cluster, *row.also] if c], clusters)
        stage = f"{row.stage} {BAR * row.stage}" if row.stage else "-"
        note = f" ({row.phases} phases)" if row.phases else ""
        cases.add_row(_esc(row.case) + note, row.country or "-", row.company_size or "-", clusters_text, stage)
    parts.append(cases)

    top = max((result.count(s.stage) for s in result.stages), default=0)
    model = Table(title="Stages of the maturity model (§3.2)", title_justify="left", keep_words=False)
    for col in ("Stage", "Name", "Clusters", "Cases", ""):
        model.add_column(col, overflow="fold")
    for s in result.stages:
        n = result.count(s.stage)
        model.add_row(str(s.stage), _esc(s.name), _cluster_names(s.clusters, clusters), str(n), _bar(n, top))
    parts.append(model)

    numbers = [s.stage for s in result.stages]
    for title, key, rows in (
        ("Stages by country", "Country", result.by_country),
        ("Stages by company size (§4.1 i: maturity varies with company size)", "Size", result.by_company_size),
    ):
        parts.append(_distribution_table(title, key, rows, numbers))
    return parts


def _distribution_table(title: str, key: str, rows: list[Distribution], numbers: list[int]) -> Table:
    from bmnav.terminal import Table

    table = Table(title=title, title_justify="left", keep_words=False)
    table.add_column(key)
    table.add_column("Cases", justify="right")
    for n in numbers:
        table.add_column(f"Stage {n}")
    table.add_column("Mean stage")
    top = max((v for d in rows for v in d.stages.values()), default=0)
    for d in rows:
        cells = [f"{d.stages.get(n, 0)} {_bar(d.stages.get(n, 0), top, 10)}".rstrip() for n in numbers]
        mean = f"{d.mean_stage:.2f} {_bar(d.mean_stage, max(numbers or [1]), 9)}" if d.mean_stage else "-"
        table.add_row(_esc(d.group), str(d.cases), *cells, mean)
    return table


def render_case(result: CaseMaturity, clusters: dict[str, dict[str, Any]]) -> list[Table | str]:
    """Tables (of `bmnav.terminal`) and text for one case's maturity."""
    from bmnav.evolution import FORCE_LABELS
    from bmnav.terminal import Table

    parts: list[Table | str] = []
    who = f" - {_esc(result.company)}" if result.company else ""
    kind = "profile" if result.profile else "case"
    parts.append(f"[bold]{_esc(result.name)}[/bold] ({kind} {_esc(result.case)}){who}")
    if result.timeline:
        tl = Table(title="Evolution", title_justify="left", keep_words=False)
        for col in ("Phase", "Period", "Clusters", "Stage", "Summary"):
            tl.add_column(col, overflow="fold")
        for p in result.timeline:
            tl.add_row(
                str(p.phase),
                _esc(p.period or "-"),
                _cluster_names(p.clusters, clusters),
                str(p.stage or "-"),
                _esc(p.summary or ""),
            )
        parts.append(tl)
        for i, p in enumerate(result.timeline):
            if not any(v for cats in p.forces.values() for v in cats.values()):
                continue
            names = _cluster_names(p.clusters, clusters)
            if i == 0:
                title = f"Phase {p.phase}: forces impacting on the establishment of {names}"
            else:
                before = _cluster_names(result.timeline[i - 1].clusters, clusters)
                title = f"Phase {p.phase}: forces urging the change from {before} to {names}"
            forces = Table(title=title, title_justify="left", expand=True, keep_words=False)
            forces.add_column("")
            forces.add_column("Force enabling change", style="green", overflow="fold")
            forces.add_column("Force constraining change", style="red", overflow="fold")
            for cat, label in FORCE_LABELS.items():
                forces.add_row(
                    label,
                    _esc("; ".join(p.forces["enabling"][cat]) or "-"),
                    _esc("; ".join(p.forces["constraining"][cat]) or "-"),
                )
            parts.append(forces)
    else:
        parts.append("No history (maturity.history) recorded.")

    if result.stage:
        source = {
            "override": "set in maturity.stage",
            "cluster": f"the stage of its cluster {result.clusters[0] if result.clusters else ''}".rstrip(),
            "history": "the clusters of its latest phase",
            "classified": "classified by bmnav classify",
        }.get(result.stage_source or "", result.stage_source or "")
        parts.append(f"[bold]Current stage:[/bold] {result.stage.stage} {_esc(result.stage.name)} ({_esc(source)})")
    else:
        parts.append("[bold]Current stage:[/bold] unknown (no cluster, no history, nothing to classify)")
    if result.classification:
        ranking = result.classification.get("ranking") or []
        if ranking and isinstance(ranking[0], dict):
            top = ranking[0]
            score = top.get("score")
            conf = top.get("confidence") or result.classification.get("confidence")
            bits = (f"score {score:.2f}" if isinstance(score, float) else "", f"confidence {conf}" if conf else "")
            detail = ", ".join(x for x in bits if x)
            parts.append(f"Classified as {_cluster_names([str(top.get('cluster'))], clusters)} ({_esc(detail)})")
    if result.next:
        parts.append(
            f"[bold]Next stage:[/bold] {result.next.stage} {_esc(result.next.name)}: "
            f"{_cluster_names(result.next.clusters, clusters)}"
        )
        if result.next.description:
            parts.append(f"  {_esc(result.next.description.strip())}")
        if result.next_note:
            parts.append(f"  [dim]Path: {_esc(result.next_note)}[/dim]")
        if result.alternatives:
            parts.append(f"  Alternatives on the report's path: {_cluster_names(result.alternatives, clusters)}")
    elif result.stage:
        parts.append("[bold]Next stage:[/bold] none; this is the last stage of the report's maturity model")
    recommendations = (result.classification or {}).get("recommendations") or []
    if recommendations:
        parts.append("[bold]Next steps (the report's recommendations, §4; conditions are bmnav's):[/bold]")
        for rec in recommendations[:4]:
            to = f", to {rec['addressee']}" if rec.get("addressee") else ""
            parts.append(f"  - {_esc(rec.get('title'))} [dim]({_esc((rec.get('section') or '') + to)})[/dim]")
    for earlier, later in result.duplicated_tables:
        parts.append(
            f"[yellow]Note:[/yellow] the forces of phase {later} are identical to those of phase {earlier} "
            "(in the report, Tables 4 and 5 are the same; likely an error in the source). "
            f"The rows are shown as printed but not ranked as forces to address first "
            f"({len(result.duplicated_forces)} row{'s' if len(result.duplicated_forces) != 1 else ''})."
        )
    if result.address_first:
        parts.append("[bold]Constraining forces to address first:[/bold]")
        for i, a in enumerate(result.address_first, 1):
            held = ", ".join(str(n) for n in a.phases)
            parts.append(
                f"  {i}. {_esc(a.text)} [dim]({FORCE_LABELS[a.category].lower()}; constrained phase"
                f"{'s' if len(a.phases) != 1 else ''} {held})[/dim]"
            )
    return parts


def maturity(
    case: Annotated[
        str | None,
        typer.Argument(
            metavar="[CASE|FILE]",
            help="A case id or a case/profile file; default: the overview of the whole corpus.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="text (tables with bars) or json.")] = TextJson.text,
    data: DataOpt = None,
) -> None:
    """Trace how business models mature (the report's §3.2 maturity model).

    Without CASE: every case's stage and clusters, and the distribution of
    stages by country and by company size. With CASE: its evolution as a
    timeline, the forces enabling and constraining each phase (key trends,
    industry, market, macroeconomic, as the report's Tables 3-5), the
    current stage, the clusters of the next stage and the constraining forces
    to address first. A profile without history gets its classified stage.

    \b
    Exit codes:
      0  shown
      1  unknown case id, or a file with errors (shown with their lines)
      2  usage error

    \b
    Examples:
      bmnav maturity
      bmnav maturity haier-cosmoplat
      bmnav maturity client-profile.yaml --format json
    """
    from bmnav.corpus import load_corpus
    from bmnav.evolution import maturity as run

    corpus = load_corpus(data)
    target = corpus.resolve(case) if case is not None else None
    result = run(target, corpus)
    if fmt is TextJson.json:
        write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return
    from bmnav.evolution import CaseMaturity

    console = out()
    parts = (
        render_case(result, corpus.clusters)
        if isinstance(result, CaseMaturity)
        else render_overview(result, corpus.clusters)
    )
    for part in parts:
        console.print(part)
