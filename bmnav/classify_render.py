"""Rendering of classification and evaluation results: Rich renderables and JSON.

Computing lives in `bmnav.classifier` and `bmnav.classify_eval`; this module
only turns their results into text, with `bmnav.terminal`'s tables (Rich's
layout cost more than the whole classification; issue 7).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bmnav.terminal import Styled, Table, markup

if TYPE_CHECKING:
    from bmnav.classifier import ClassificationResult
    from bmnav.classify_eval import Evaluation

BAR_WIDTH = 30


def bar(score: float, width: int = BAR_WIDTH) -> str:
    """A text bar for a score in 0..1: full blocks, then a light fill."""
    n = max(0, min(width, round(score * width)))
    return "█" * n + "░" * (width - n)


def _esc(text: Any) -> str:
    return str(text).replace("[", "\\[")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v)
    return str(v)


def to_json(result: ClassificationResult, *, indent: int | None = 2) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=indent)


def render_text(result: ClassificationResult) -> list[Any]:
    """The renderables of one classification, in reading order."""
    parts: list[Any] = []
    first = result.ranking[0]
    head = Styled()
    head.append(f"{result.name or result.profile}", "bold")
    if result.path:
        head.append(f"  ({result.path})", "dim")
    parts.append(head)
    also = f"; also {', '.join(result.also)}" if result.also else ""
    if result.confidence == "insufficient":
        parts.append(
            markup(
                "Cluster: [bold]not enough facts[/bold]: nothing known speaks for or against any cluster; "
                "answer some of the questions below"
            )
        )
    else:
        parts.append(
            markup(
                f"Cluster: [bold]{_esc(first.name)}[/bold] ({first.cluster}), confidence "
                f"[bold]{result.confidence}[/bold]{_esc(also)}; {round(result.coverage * 100)}% of the facts known"
            )
        )
    chart = Table(title="Clusters, ranked", title_justify="left", show_edge=False, box=None, pad_edge=False)
    chart.add_column("cluster")
    chart.add_column("score", justify="right")
    chart.add_column("")
    chart.add_column("confidence")
    for r in result.ranking:
        chart.add_row(r.cluster, f"{r.score:.2f}", bar(r.score), r.confidence)
    parts.append(chart)

    for r in (
        [first]
        + [x for x in result.ranking[1:] if x.cluster in result.also]
        + ([] if result.also else result.ranking[1:2])
    ):
        ev = Table(title=f"Evidence: {r.name}", title_justify="left")
        ev.add_column("", width=7)
        ev.add_column("fact", no_wrap=True)
        ev.add_column("value", overflow="fold")
        ev.add_column("weight", justify="right")
        ev.add_column("why", min_width=24)
        for side, items in (("for", r.evidence_for), ("against", r.evidence_against)):
            for e in items:
                ev.add_row(side, e["fact"], _esc(_value(e.get("value"))), f"{e['weight']:+.1f}", _esc(e["why"]))
        if not r.evidence_for and not r.evidence_against:
            ev.add_row("", "(no evidence either way)", "", "", "")
        parts.append(ev)

    if result.extracted is not None:
        src = Table(title=f"Facts read from the text ({result.extracted['language']})", title_justify="left")
        src.add_column("fact")
        src.add_column("value")
        src.add_column("from the words")
        for s in result.extracted["sources"]:
            mark = " (overruled)" if s.get("overruled") else ""
            mark += " (weak cue)" if s.get("weak") else ""
            mark += "".join(f" ({when})" for when in s.get("when") or [])  # today / plan
            src.add_row(s["fact"], _esc(_value(s["value"])) + mark, _esc("; ".join(s["words"])))
        parts.append(src)
        if result.extracted.get("roles"):
            named = "; ".join(f"{r['type']} ({', '.join(r['words'])})" for r in result.extracted["roles"])
            parts.append(Styled.plain(f"Roles named: {named}"))

    sim = Table(title="Most similar cases of the corpus", title_justify="left")
    sim.add_column("case (cluster)", no_wrap=True)
    sim.add_column("similarity", justify="right")
    sim.add_column("report")
    sim.add_column("shares", overflow="fold")
    for s in result.similar:
        shares = s["shared"][:5] + ([f"+{len(s['shared']) - 5} more"] if len(s["shared"]) > 5 else [])
        case = Styled.plain(s["case"]).append(f"\n({s['cluster']})" if s["cluster"] else "", "dim")
        sim.add_row(case, f"{s['similarity']:.2f}", s["section"] or "", _esc("; ".join(shares)))
    parts.append(sim)

    if result.missing_facts:
        mf = Table(title="Missing facts that would most change the answer", title_justify="left")
        mf.add_column("fact")
        mf.add_column("impact", justify="right")
        mf.add_column("could make it")
        mf.add_column("ask")
        for m in result.missing_facts:
            mf.add_row(m["fact"], f"{m['impact']:.2f}", ", ".join(m["could_change_to"]) or "-", _esc(m["question"]))
        parts.append(mf)

    mat = result.maturity
    line = f"Maturity: stage {mat['stage']} ({_esc(mat['name'])})"
    if mat.get("next"):
        line += f"; next: stage {mat['next']} ({_esc(mat['next_name'])}: {', '.join(mat['next_clusters'])})"
    else:
        line += "; the last stage of the report's model"
    parts.append(markup(line))
    if result.position:
        parts.append(
            Styled.plain(
                f"Position: openness {result.position['openness']:.2f}, "
                f"ecosystem size {result.position['ecosystem_size']:.2f}"
            )
        )
    if result.recommendations:
        rec = Table(
            title="Recommendations of the report (§4) that apply (conditions are bmnav's)", title_justify="left"
        )
        rec.add_column("§")
        rec.add_column("recommendation")
        rec.add_column("because")
        for x in result.recommendations:
            rec.add_row(x["section"], _esc(recommendation_text(x)), _esc(x["because"]))
        parts.append(rec)
    return parts


def recommendation_text(x: dict[str, Any]) -> str:
    """A recommendation as printed: the report's text to its addressee, then bmnav's company reading."""
    addressee = x.get("addressee")
    whom = {"government": "governments", "company": "companies", "both": "governments and companies"}
    to = f" (the report, to {whom.get(str(addressee), addressee)})" if addressee else ""
    text = f"{x['title']}{to}: {x['text']}"
    if x.get("company_reading"):
        text += f" bmnav's reading for a company: {x['company_reading']}"
    return text


def row(result: ClassificationResult) -> dict[str, Any]:
    """One line of a batch run."""
    first = result.ranking[0]
    return {
        "path": result.path,
        "profile": result.profile,
        "cluster": first.cluster,
        "score": round(first.score, 4),
        "confidence": result.confidence,
        "also": result.also,
        "similar": result.similar[0]["case"] if result.similar else None,
        "stage": result.maturity["stage"],
    }


def _name(path: str | None) -> str:
    from pathlib import Path

    return Path(path).name if path else ""


def render_rows(rows: Iterable[dict[str, Any]]) -> Table:
    t = Table(title="Classification", title_justify="left")
    t.add_column("file", no_wrap=True, max_width=28, overflow="ellipsis")
    t.add_column("cluster", no_wrap=True)
    t.add_column("score", justify="right", no_wrap=True)
    t.add_column("confidence", no_wrap=True)
    t.add_column("also")
    t.add_column("most similar")
    for r in rows:
        if r.get("error"):
            t.add_row(_esc(_name(r["path"])), "[red]error[/red]", "", "", "", _esc(r["error"]))
            continue
        t.add_row(
            _esc(_name(r["path"])),
            r["cluster"],
            f"{r['score']:.2f}",
            r["confidence"],
            ", ".join(r["also"]),
            r["similar"] or "",
        )
    return t


def render_evaluation(ev: Evaluation) -> list[Any]:
    parts: list[Any] = [
        Styled.plain(
            f"Stratified {ev.folds}-fold cross-validation over {ev.total} labelled cases of {ev.data} "
            f"(weights refitted without each fold): {ev.correct} right first, accuracy {ev.accuracy:.0%}"
        )
    ]
    recall = Table(title="Recall per cluster (held-out answers)", title_justify="left")
    recall.add_column("cluster")
    recall.add_column("recall", justify="right")
    recall.add_column("n", justify="right")
    for c, r in ev.recall().items():
        recall.add_row(c, "-" if r is None else f"{r:.2f}", str(sum(ev.confusion[c].values())))
    parts.append(recall)
    t = Table(title="Confusion matrix (rows: label, columns: predicted)", title_justify="left")
    t.add_column("label")
    for c in ev.clusters:
        t.add_column(ev.short.get(c, c), justify="right")
    t.add_column("n", justify="right")
    for label in ev.clusters:
        cells = [str(ev.confusion[label][p]) if ev.confusion[label][p] else "." for p in ev.clusters]
        t.add_row(label, *cells, str(sum(ev.confusion[label].values())))
    parts.append(t)
    rel = Table(title="Reliability: predicted against observed, by top score", title_justify="left")
    for col in ("score", "n", "predicted", "observed"):
        rel.add_column(col, justify="right")
    for row in ev.reliability:
        if row["n"]:
            rel.add_row(row["bin"], str(row["n"]), f"{row['predicted']:.2f}", f"{row['observed']:.2f}")
    parts.append(rel)
    wrong = [c for c in ev.cases if not c["correct"]]
    if wrong:
        w = Table(title="Misclassified", title_justify="left")
        for col in ("case", "label", "predicted", "score", "confidence"):
            w.add_column(col)
        for case in wrong:
            w.add_row(case["case"], case["label"], case["predicted"], f"{case['score']:.2f}", case["confidence"])
        parts.append(w)
    return parts
