"""`classify` and `evaluate` output: Rich renderables for the terminal, JSON and batch rows.

Computing lives in `bmnav.classifying.classifier` and `bmnav.classifying.classify_eval`; this module
only turns their results into text. Rich is imported inside the functions
that draw, so JSON output never loads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bmnav.domain.labels import Labels
from bmnav.render.console import esc as _esc
from bmnav.render.console import para as _para
from bmnav.render.console import styled
from bmnav.render.tables import ColumnSpec, compact_table, keep_words

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from bmnav.classifying.classifier import ClassificationResult
    from bmnav.classifying.classify_eval import Evaluation

BAR_WIDTH = 30


def bar(score: float, width: int = BAR_WIDTH) -> str:
    """A text bar for a score in 0..1: full blocks, then a light fill."""
    n = max(0, min(width, round(score * width)))
    return "█" * n + "░" * (width - n)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v)
    return str(v)


def to_json(result: ClassificationResult, *, indent: int | None = 2) -> str:
    return json.dumps(result.as_dict(), ensure_ascii=False, indent=indent)


#: Below this many columns the tables become stacked blocks (one item per block).
STACK_BELOW = 100
#: Evidence items shown per side for a client; --verbose shows them all.
EVIDENCE_SHOWN = 5


def _block(head: str, body: list[str], width: int, *, style: str = "") -> Text:
    """A stacked item: a bold first line, then its details indented below it."""
    out = styled(_para(head, width, first="  ", indent="      "), style)
    for line in body:
        if line:
            out.append(styled("\n" + _para(line, width, indent="      ")))
    return out


def _evidence_rows(r: Any, labels: Labels, verbose: bool) -> tuple[list[tuple[str, dict[str, Any]]], str]:
    """The evidence items to show (the strongest few per side unless verbose) and a note on what was left out."""
    shown: list[tuple[str, dict[str, Any]]] = []
    notes = []
    for side, items in (("for", r.evidence_for), ("against", r.evidence_against)):
        ranked = sorted(items, key=lambda e: -abs(float(e["weight"])))
        keep = ranked if verbose else ranked[:EVIDENCE_SHOWN]
        shown += [(side, e) for e in keep]
        if len(keep) < len(ranked):
            notes.append(f"the strongest {len(keep)} of {len(ranked)} items {side}")
    note = f"Showing {' and '.join(notes)}; --verbose shows all." if notes else ""
    return shown, note


@dataclass
class _View:
    """How one classification is shown: plain words or internal keys, and the width."""

    labels: Labels
    verbose: bool
    width: int

    @property
    def stacked(self) -> bool:
        return self.width < STACK_BELOW

    def fact(self, key: str) -> str:
        return key if self.verbose else self.labels.label(key)

    def value(self, key: str, v: Any) -> str:
        return _value(v) if self.verbose else self.labels.value(key, v)

    def shared(self, item: str) -> str:
        return item if self.verbose else self.labels.shared(item)


def render_text(
    result: ClassificationResult,
    *,
    labels: Labels | None = None,
    verbose: bool = False,
    width: int = 120,
) -> list[Any]:
    """The renderables of one classification, in reading order.

    Facts read as plain words (`labels`); `verbose` shows the internal keys
    and every evidence item. Below `STACK_BELOW` columns every table is a list
    of blocks, so that no id, number or word is broken across lines. Empty
    sections and columns are left out.
    """
    view = _View(labels or Labels(), verbose, width)
    return [
        *_headline(result, view),
        _ranking(result, view),
        *_evidence(result, view),
        *_extracted(result, view),
        *_similar(result, view),
        *_missing(result, view),
        *_maturity_and_position(result, view),
        *_recommendations(result, view),
    ]


def _headline(result: ClassificationResult, view: _View) -> list[Any]:
    first = result.ranking[0]
    head = styled(f"{result.name or result.profile}", "bold")
    if result.path:
        head.append(styled(f"  ({result.path})", "dim"))
    also = f"; also {', '.join(view.labels.cluster(a) for a in result.also)}" if result.also else ""
    if result.confidence == "insufficient":
        text = (
            "Cluster: not enough facts: nothing known speaks for or against any cluster; "
            "answer some of the questions below"
        )
        return [head, styled(_para(text, view.width))]
    text = (
        f"Cluster: {first.name} ({first.cluster}), confidence {result.confidence}{also}; "
        f"{round(result.coverage * 100)}% of the facts known"
    )
    return [head, styled(_para(text, view.width), "bold")]


def _ranking(result: ClassificationResult, view: _View) -> Table:
    from rich.table import Table

    bar_width = BAR_WIDTH if not view.stacked else max(10, min(BAR_WIDTH, view.width - 48))
    chart = Table(title="Clusters, ranked", title_justify="left", show_edge=False, box=None, pad_edge=False)
    chart.add_column("cluster", no_wrap=True)
    chart.add_column("score", justify="right", no_wrap=True)
    chart.add_column("", no_wrap=True)
    chart.add_column("confidence", no_wrap=True)
    for r in result.ranking:
        chart.add_row(r.cluster, f"{r.score:.2f}", bar(r.score, bar_width), r.confidence)
    return chart


def _evidence(result: ClassificationResult, view: _View) -> list[Any]:
    """An evidence section for the first cluster and each hybrid (or the
    runner-up); a cluster with no evidence either way gets one line."""
    first = result.ranking[0]
    parts: list[Any] = []
    others = [x for x in result.ranking[1:] if x.cluster in result.also] or ([] if result.also else result.ranking[1:2])
    for r in [first, *others]:
        items, note = _evidence_rows(r, view.labels, view.verbose)
        title = f"Evidence: {r.name}"
        if not items:
            parts.append(styled(_para(f"{title}: no evidence either way", view.width), "bold"))
            continue
        stated = [(side, e) for side, e in items if e.get("value") is not None]
        parts += _evidence_blocks(title, stated, view) if view.stacked else [_evidence_table(title, stated, view)]
        unstated = [view.fact(e["fact"]) for _, e in items if e.get("value") is None]
        if unstated:
            parts.append(styled(_para(f"Not stated: {', '.join(unstated)}", view.width)))
        if note:
            parts.append(styled(_para(note, view.width), "dim"))
    return parts


def _evidence_blocks(title: str, items: list[tuple[str, dict[str, Any]]], view: _View) -> list[Any]:
    parts: list[Any] = [styled(_para(title, view.width), "bold")]
    for side, e in items:
        sign = "+" if side == "for" else "-"
        fact, value = view.fact(e["fact"]), view.value(e["fact"], e.get("value"))
        head = f"{sign}{abs(float(e['weight'])):.1f} {side}: {fact}: {value}"
        parts.append(_block(head, [str(e["why"])], view.width))
    return parts


def _evidence_table(title: str, items: list[tuple[str, dict[str, Any]]], view: _View) -> Table | Text:
    from rich.table import Table

    if not items:  # every item was a fact not stated: only the line that lists them
        return styled(title, "bold")
    ev = Table(title=title, title_justify="left")
    ev.add_column("", width=7)
    ev.add_column("fact", min_width=16)
    ev.add_column("value", min_width=12)
    ev.add_column("weight", justify="right", no_wrap=True)
    ev.add_column("why", min_width=24)
    for side, e in items:
        ev.add_row(
            side,
            _esc(view.fact(e["fact"])),
            _esc(view.value(e["fact"], e.get("value"))),
            f"{e['weight']:+.1f}",
            _esc(e["why"]),
        )
    return keep_words(ev)


def _extracted(result: ClassificationResult, view: _View) -> list[Any]:
    """The facts read from free text, with the words they were read from."""
    if result.extracted is None:
        return []
    parts: list[Any] = []
    title = f"Facts read from the text ({result.extracted['language']})"
    cut = result.extracted.get("truncated")
    if cut:
        parts.append(styled(f"Only the first {cut['read']:,} of {cut['total']:,} characters were read.", "dim"))
    rows = []
    for s in result.extracted["sources"]:
        mark = " (overruled)" if s.get("overruled") else ""
        mark += " (weak cue)" if s.get("weak") else ""
        mark += "".join(f" ({when})" for when in s.get("when") or [])  # today / plan
        rows.append((view.fact(s["fact"]), view.value(s["fact"], s["value"]) + mark, "; ".join(s["words"])))
    if rows and view.stacked:
        parts.append(styled(_para(title, view.width), "bold"))
        parts += [_block(f"{a}: {b}", [f"from the words: {c}"], view.width) for a, b, c in rows]
    elif rows:
        parts.append(
            compact_table(
                title,
                [("fact", {}), ("value", {}), ("from the words", {})],
                [[_esc(a), _esc(b), _esc(c)] for a, b, c in rows],
            )
        )
    if result.extracted.get("roles"):
        named = "; ".join(f"{r['type']} ({', '.join(r['words'])})" for r in result.extracted["roles"])
        parts.append(styled(_para(f"Roles named: {named}", view.width)))
    return parts + _today(result.extracted.get("today"), view)


def _today(today: dict[str, Any] | None, view: _View) -> list[Any]:
    """Where the company stands now, when the notes' plan changes the model (the answer above
    is the plan's)."""
    if not today:
        return []
    where = (
        f"{view.labels.cluster(today['cluster'])} ({today['cluster']}), confidence {today['confidence']}"
        if today["cluster"]
        else "not enough facts"
    )
    text = f"Today, without the plan: {where}. The answer above is the model the plan describes."
    return [styled(_para(text, view.width))]


def _similar(result: ClassificationResult, view: _View) -> list[Any]:
    """The most similar corpus cases and what they share (left out when there are none)."""
    if not result.similar:
        return []
    n_shares = 5 if view.verbose else 3
    sim_rows = []
    for s in result.similar:
        more = len(s["shared"]) - n_shares
        listed = [view.shared(x) for x in s["shared"][:n_shares]] + ([f"+{more} more"] if more > 0 else [])
        sim_rows.append((s, "; ".join(listed)))
    title = "Most similar cases of the corpus"
    if view.stacked:
        parts: list[Any] = [styled(title, "bold")]
        for s, joined in sim_rows:
            where = f", {s['section']}" if s["section"] else ""
            cl = f" ({s['cluster']}{where})" if s["cluster"] else ""
            shares = [f"shares: {joined}"] if joined else []
            parts.append(_block(f"{s['case']}{cl}: similarity {s['similarity']:.2f}", shares, view.width))
        return parts
    rows = []
    for s, joined in sim_rows:
        case = styled(s["case"]).append(styled(f"\n({s['cluster']})" if s["cluster"] else "", "dim"))
        rows.append([case, f"{s['similarity']:.2f}", s["section"] or "", _esc(joined)])
    columns: list[ColumnSpec] = [
        ("case (cluster)", {"no_wrap": True}),
        ("similarity", {"justify": "right", "no_wrap": True}),
        ("report", {"no_wrap": True}),
        ("shares", {}),
    ]
    return [compact_table(title, columns, rows)]


def _missing(result: ClassificationResult, view: _View) -> list[Any]:
    """The missing facts that would most change the answer, with the question to ask."""
    if not result.missing_facts:
        return []
    title = "Missing facts that would most change the answer"
    if view.stacked:
        parts: list[Any] = [styled(title, "bold")]
        for m in result.missing_facts:
            could = ", ".join(m["could_change_to"]) or "-"
            head = f"{view.fact(m['fact'])} (impact {m['impact']:.2f}, could make it {could})"
            parts.append(_block(head, [m["question"]], view.width))
        return parts
    columns = [
        ("fact", {}),
        ("impact", {"justify": "right", "no_wrap": True}),
        ("could make it", {}),
        ("ask", {}),
    ]
    rows = [
        [_esc(view.fact(m["fact"])), f"{m['impact']:.2f}", ", ".join(m["could_change_to"]) or "-", _esc(m["question"])]
        for m in result.missing_facts
    ]
    return [compact_table(title, columns, rows)]


def _maturity_and_position(result: ClassificationResult, view: _View) -> list[Any]:
    mat = result.maturity
    line = f"Maturity: stage {mat['stage']} ({mat['name']})"
    if mat.get("next"):
        line += f"; next: stage {mat['next']} ({mat['next_name']}: {', '.join(mat['next_clusters'])})"
    else:
        line += "; the last stage of the report's model"
    parts: list[Any] = [styled(_para(line, view.width))]
    if result.position:
        size = result.position.get("ecosystem_size")
        size_text = "unknown (no value network)" if size is None else f"{size:.2f}"
        text = f"Position: openness {result.position['openness']:.2f}, ecosystem size {size_text}"
        parts.append(styled(_para(text, view.width)))
    return parts


def _recommendations(result: ClassificationResult, view: _View) -> list[Any]:
    if not result.recommendations:
        return []
    title = "Recommendations of the report (§4) that apply (conditions are bmnav's)"
    recs = [
        (x["section"], recommendation_text(x), x["because"] if view.verbose else view.labels.because(x["because"]))
        for x in result.recommendations
    ]
    if view.stacked:
        parts: list[Any] = [styled(title, "bold")]
        parts += [_block(f"{sec} {text}", [f"because: {why}"], view.width) for sec, text, why in recs]
        return parts
    columns: list[ColumnSpec] = [("§", {"no_wrap": True}), ("recommendation", {"ratio": 3}), ("because", {"ratio": 1})]
    rows = [[sec, _esc(text), _esc(why)] for sec, text, why in recs]
    return [compact_table(title, columns, rows, expand=True)]  # expand: the ratios share the width


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
    """The table of a batch run: one row per profile file."""
    from rich.table import Table

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
    """`bmnav evaluate`: the accuracy line and the recall, confusion, reliability and error tables."""
    from rich.table import Table

    parts: list[Any] = [
        styled(
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


def _json(result: ClassificationResult, *, indent: int | None = 2) -> str:
    return to_json(result, indent=indent) + "\n"


RENDERERS = {
    "classify": {"text": render_text, "json": _json},
    "classify-rows": {"text": render_rows},
    "evaluate": {"text": render_evaluation},
}
