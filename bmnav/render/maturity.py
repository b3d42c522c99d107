"""`maturity`: the corpus's maturity stages, or one case's evolution, as Rich tables and text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmnav.render import json_text
from bmnav.render.console import esc

if TYPE_CHECKING:
    from rich.table import Table

    from bmnav.domain.evolution import CaseMaturity, Distribution, MaturityOverview, Phase

BAR = "█"


def _bar(n: float, top: float, width: int = 16) -> str:
    if top <= 0 or n <= 0:
        return ""
    return BAR * max(1, round(width * n / top))


def _cluster_names(ids: list[str], clusters: dict[str, dict[str, Any]]) -> str:
    return ", ".join(esc(clusters.get(c, {}).get("short") or c) for c in ids) or "-"


def text(result: CaseMaturity | MaturityOverview, *, clusters: dict[str, dict[str, Any]]) -> list[Any]:
    """One case's maturity, or the overview of the corpus."""
    from bmnav.domain.evolution import CaseMaturity

    if isinstance(result, CaseMaturity):
        return render_case(result, clusters)
    return render_overview(result, clusters)


def render_overview(result: MaturityOverview, clusters: dict[str, dict[str, Any]]) -> list[Any]:
    """Every case's stage, the stages of the model, and stages by country and by size."""
    from rich.table import Table

    parts: list[Any] = []
    cases = Table(title="Maturity stage of every case", title_justify="left")
    for col in ("Case", "Country", "Size", "Clusters", "Stage"):
        cases.add_column(col, overflow="fold")
    for row in result.cases:
        clusters_text = _cluster_names([c for c in [row.cluster, *row.also] if c], clusters)
        stage = f"{row.stage} {BAR * row.stage}" if row.stage else "-"
        note = f" ({row.phases} phases)" if row.phases else ""
        cases.add_row(esc(row.case) + note, row.country or "-", row.company_size or "-", clusters_text, stage)
    parts.append(cases)

    top = max((result.count(s.stage) for s in result.stages), default=0)
    model = Table(title="Stages of the maturity model (§3.2)", title_justify="left")
    for col in ("Stage", "Name", "Clusters", "Cases", ""):
        model.add_column(col, overflow="fold")
    for s in result.stages:
        n = result.count(s.stage)
        model.add_row(str(s.stage), esc(s.name), _cluster_names(s.clusters, clusters), str(n), _bar(n, top))
    parts.append(model)

    numbers = [s.stage for s in result.stages]
    for title, key, rows in (
        ("Stages by country", "Country", result.by_country),
        ("Stages by company size (§4.1 i: maturity varies with company size)", "Size", result.by_company_size),
    ):
        parts.append(_distribution_table(title, key, rows, numbers))
    return parts


def _distribution_table(title: str, key: str, rows: list[Distribution], numbers: list[int]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(key)
    table.add_column("Cases", justify="right")
    for n in numbers:
        table.add_column(f"Stage {n}")
    table.add_column("Mean stage")
    top = max((v for d in rows for v in d.stages.values()), default=0)
    for d in rows:
        cells = [f"{d.stages.get(n, 0)} {_bar(d.stages.get(n, 0), top, 10)}".rstrip() for n in numbers]
        mean = f"{d.mean_stage:.2f} {_bar(d.mean_stage, max(numbers or [1]), 9)}" if d.mean_stage else "-"
        table.add_row(esc(d.group), str(d.cases), *cells, mean)
    return table


def render_case(result: CaseMaturity, clusters: dict[str, dict[str, Any]]) -> list[Any]:
    """One case's maturity: its timeline and forces, the current and next
    stage, the report's next steps and the constraining forces to address first."""
    who = f" - {esc(result.company)}" if result.company else ""
    kind = "profile" if result.profile else "case"
    parts: list[Any] = [f"[bold]{esc(result.name)}[/bold] ({kind} {esc(result.case)}){who}"]
    parts += _timeline(result, clusters) if result.timeline else ["No history (maturity.history) recorded."]
    parts += _current(result, clusters)
    parts += _next(result, clusters)
    parts += _forces_first(result)
    return parts


def _timeline(result: CaseMaturity, clusters: dict[str, dict[str, Any]]) -> list[Any]:
    """The phases as a table, then the forces of each phase that has any."""
    from rich.table import Table

    tl = Table(title="Evolution", title_justify="left")
    for col in ("Phase", "Period", "Clusters", "Stage", "Summary"):
        tl.add_column(col, overflow="fold")
    for p in result.timeline:
        tl.add_row(
            str(p.phase),
            esc(p.period or "-"),
            _cluster_names(p.clusters, clusters),
            str(p.stage or "-"),
            esc(p.summary or ""),
        )
    parts: list[Any] = [tl]
    for i, p in enumerate(result.timeline):
        if any(v for cats in p.forces.values() for v in cats.values()):
            before = result.timeline[i - 1] if i else None
            parts.append(_forces(p, before, clusters))
    return parts


def _forces(p: Phase, before: Phase | None, clusters: dict[str, dict[str, Any]]) -> Table:
    """The forces enabling and constraining one phase, as the report's Tables 3-5."""
    from rich.table import Table

    from bmnav.domain.evolution import FORCE_LABELS

    names = _cluster_names(p.clusters, clusters)
    if before is None:
        title = f"Phase {p.phase}: forces impacting on the establishment of {names}"
    else:
        title = f"Phase {p.phase}: forces urging the change from {_cluster_names(before.clusters, clusters)} to {names}"
    forces = Table(title=title, title_justify="left", expand=True)
    forces.add_column("")
    forces.add_column("Force enabling change", style="green", overflow="fold")
    forces.add_column("Force constraining change", style="red", overflow="fold")
    for cat, label in FORCE_LABELS.items():
        forces.add_row(
            label,
            esc("; ".join(p.forces["enabling"][cat]) or "-"),
            esc("; ".join(p.forces["constraining"][cat]) or "-"),
        )
    return forces


def _current(result: CaseMaturity, clusters: dict[str, dict[str, Any]]) -> list[str]:
    """The current stage and where it comes from, and how bmnav classified the case."""
    if result.stage:
        source = {
            "override": "set in maturity.stage",
            "cluster": f"the stage of its cluster {result.clusters[0] if result.clusters else ''}".rstrip(),
            "history": "the clusters of its latest phase",
            "classified": "classified by bmnav classify",
        }.get(result.stage_source or "", result.stage_source or "")
        parts = [f"[bold]Current stage:[/bold] {result.stage.stage} {esc(result.stage.name)} ({esc(source)})"]
    else:
        parts = ["[bold]Current stage:[/bold] unknown (no cluster, no history, nothing to classify)"]
    ranking = (result.classification or {}).get("ranking") or []
    if ranking and isinstance(ranking[0], dict):
        top = ranking[0]
        score = top.get("score")
        conf = top.get("confidence") or (result.classification or {}).get("confidence")
        bits = (f"score {score:.2f}" if isinstance(score, float) else "", f"confidence {conf}" if conf else "")
        detail = ", ".join(x for x in bits if x)
        parts.append(f"Classified as {_cluster_names([str(top.get('cluster'))], clusters)} ({esc(detail)})")
    return parts


def _next(result: CaseMaturity, clusters: dict[str, dict[str, Any]]) -> list[str]:
    """The next stage, its path and alternatives, and the report's recommendations as next steps."""
    parts = []
    if result.next:
        parts.append(
            f"[bold]Next stage:[/bold] {result.next.stage} {esc(result.next.name)}: "
            f"{_cluster_names(result.next.clusters, clusters)}"
        )
        if result.next.description:
            parts.append(f"  {esc(result.next.description.strip())}")
        if result.next_note:
            parts.append(f"  [dim]Path: {esc(result.next_note)}[/dim]")
        if result.alternatives:
            parts.append(f"  Alternatives on the report's path: {_cluster_names(result.alternatives, clusters)}")
    elif result.stage:
        parts.append("[bold]Next stage:[/bold] none; this is the last stage of the report's maturity model")
    recommendations = (result.classification or {}).get("recommendations") or []
    if recommendations:
        parts.append("[bold]Next steps (the report's recommendations, §4; conditions are bmnav's):[/bold]")
        for rec in recommendations[:4]:
            to = f", to {rec['addressee']}" if rec.get("addressee") else ""
            parts.append(f"  - {esc(rec.get('title'))} [dim]({esc((rec.get('section') or '') + to)})[/dim]")
    return parts


def _forces_first(result: CaseMaturity) -> list[str]:
    """A note on duplicated tables of the source, then the constraining forces to address first."""
    from bmnav.domain.evolution import FORCE_LABELS

    parts = []
    for earlier, later in result.duplicated_tables:
        n = len(result.duplicated_forces)
        parts.append(
            f"[yellow]Note:[/yellow] the forces of phase {later} are identical to those of phase {earlier} "
            "(in the report, Tables 4 and 5 are the same; likely an error in the source). "
            f"The rows are shown as printed but not ranked as forces to address first "
            f"({n} row{'s' if n != 1 else ''})."
        )
    if result.address_first:
        parts.append("[bold]Constraining forces to address first:[/bold]")
        for i, a in enumerate(result.address_first, 1):
            held = ", ".join(str(n) for n in a.phases)
            parts.append(
                f"  {i}. {esc(a.text)} [dim]({FORCE_LABELS[a.category].lower()}; constrained phase"
                f"{'s' if len(a.phases) != 1 else ''} {held})[/dim]"
            )
    return parts


def _json(result: CaseMaturity | MaturityOverview) -> str:
    return json_text(result.as_dict())


RENDERERS = {"maturity": {"text": text, "json": _json}}
