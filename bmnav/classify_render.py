"""Rendering of classification and evaluation results: Rich renderables and JSON.

Computing lives in `bmnav.classifier` and `bmnav.classify_eval`; this module
only turns their results into text, with `bmnav.terminal`'s tables (Rich's
layout cost more than the whole classification; issue 7).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bmnav.labels import Labels
from bmnav.terminal import Styled, Table

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


#: Below this many columns the tables become stacked blocks (one item per block).
STACK_BELOW = 100
#: Evidence items shown per side for a client; --verbose shows them all.
EVIDENCE_SHOWN = 5


def _para(text: str, width: int, *, indent: str = "", first: str = "") -> str:
    """`text` wrapped at spaces to `width` columns; ids, numbers and words are never broken."""
    import textwrap

    return "\n".join(
        textwrap.wrap(
            text,
            max(20, width),
            initial_indent=first or indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    ) or (first or indent)


def _block(head: str, body: list[str], width: int, *, style: str = "") -> Styled:
    """A stacked item: a bold first line, then its details indented below it."""
    out = Styled().append(_para(head, width, first="  ", indent="      "), style)
    for line in body:
        if line:
            out.append("\n" + _para(line, width, indent="      "))
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
    of blocks, so that no id, number or word is broken across lines.
    """
    labels = labels or Labels()
    stacked = width < STACK_BELOW
    parts: list[Any] = []
    first = result.ranking[0]

    def fact(key: str) -> str:
        return key if verbose else labels.label(key)

    def value(key: str, v: Any) -> str:
        return _value(v) if verbose else labels.value(key, v)

    def shared(item: str) -> str:
        return item if verbose else labels.shared(item)

    head = Styled()
    head.append(f"{result.name or result.profile}", "bold")
    if result.path:
        head.append(f"  ({result.path})", "dim")
    parts.append(head)
    also = f"; also {', '.join(labels.cluster(a) for a in result.also)}" if result.also else ""
    if result.confidence == "insufficient":
        parts.append(
            Styled().append(
                _para(
                    "Cluster: not enough facts: nothing known speaks for or against any cluster; "
                    "answer some of the questions below",
                    width,
                ),
            )
        )
    else:
        parts.append(
            Styled.plain(
                _para(
                    f"Cluster: {first.name} ({first.cluster}), confidence {result.confidence}{also}; "
                    f"{round(result.coverage * 100)}% of the facts known",
                    width,
                ),
                "bold",
            )
        )
    bar_width = BAR_WIDTH if not stacked else max(10, min(BAR_WIDTH, width - 48))
    chart = Table(title="Clusters, ranked", title_justify="left", show_edge=False, box=None, pad_edge=False)
    chart.add_column("cluster", no_wrap=True)
    chart.add_column("score", justify="right", no_wrap=True)
    chart.add_column("", no_wrap=True)
    chart.add_column("confidence", no_wrap=True)
    for r in result.ranking:
        chart.add_row(r.cluster, f"{r.score:.2f}", bar(r.score, bar_width), r.confidence)
    parts.append(chart)

    for r in (
        [first]
        + [x for x in result.ranking[1:] if x.cluster in result.also]
        + ([] if result.also else result.ranking[1:2])
    ):
        items, note = _evidence_rows(r, labels, verbose)
        title = f"Evidence: {r.name}"
        if stacked:
            parts.append(Styled.plain(_para(title, width), "bold"))
            for side, e in items:
                sign = "+" if side == "for" else "-"
                head_line = (
                    f"{sign}{abs(float(e['weight'])):.1f} {side}: {fact(e['fact'])}: {value(e['fact'], e.get('value'))}"
                )
                parts.append(_block(head_line, [str(e["why"])], width))
            if not items:
                parts.append(Styled.plain("(no evidence either way)"))
        else:
            ev = Table(title=title, title_justify="left")
            ev.add_column("", width=7)
            ev.add_column("fact", min_width=16)
            ev.add_column("value", min_width=12)
            ev.add_column("weight", justify="right", no_wrap=True)
            ev.add_column("why", min_width=24)
            for side, e in items:
                ev.add_row(
                    side,
                    _esc(fact(e["fact"])),
                    _esc(value(e["fact"], e.get("value"))),
                    f"{e['weight']:+.1f}",
                    _esc(e["why"]),
                )
            if not items:
                ev.add_row("", "(no evidence either way)", "", "", "")
            parts.append(ev)
        if note:
            parts.append(Styled.plain(_para(note, width), "dim"))

    if result.extracted is not None:
        title = f"Facts read from the text ({result.extracted['language']})"
        cut = result.extracted.get("truncated")
        if cut:
            parts.append(
                Styled.plain(f"Only the first {cut['read']:,} of {cut['total']:,} characters were read.", "dim")
            )
        rows = []
        for s in result.extracted["sources"]:
            mark = " (overruled)" if s.get("overruled") else ""
            mark += " (weak cue)" if s.get("weak") else ""
            mark += "".join(f" ({when})" for when in s.get("when") or [])  # today / plan
            rows.append((fact(s["fact"]), value(s["fact"], s["value"]) + mark, "; ".join(s["words"])))
        if stacked:
            parts.append(Styled.plain(_para(title, width), "bold"))
            parts += [_block(f"{a}: {b}", [f"from the words: {c}"], width) for a, b, c in rows]
        else:
            src = Table(title=title, title_justify="left")
            src.add_column("fact")
            src.add_column("value")
            src.add_column("from the words")
            for a, b, c in rows:
                src.add_row(_esc(a), _esc(b), _esc(c))
            parts.append(src)
        if result.extracted.get("roles"):
            named = "; ".join(f"{r['type']} ({', '.join(r['words'])})" for r in result.extracted["roles"])
            parts.append(Styled.plain(_para(f"Roles named: {named}", width)))

    n_shares = 5 if verbose else 3
    sim_rows = []
    for s in result.similar:
        more = len(s["shared"]) - n_shares
        listed = [shared(x) for x in s["shared"][:n_shares]] + ([f"+{more} more"] if more > 0 else [])
        sim_rows.append((s, "; ".join(listed)))
    if stacked:
        parts.append(Styled.plain("Most similar cases of the corpus", "bold"))
        for s, joined in sim_rows:
            where = f", {s['section']}" if s["section"] else ""
            cl = f" ({s['cluster']}{where})" if s["cluster"] else ""
            parts.append(_block(f"{s['case']}{cl}: similarity {s['similarity']:.2f}", [f"shares: {joined}"], width))
    else:
        sim = Table(title="Most similar cases of the corpus", title_justify="left")
        sim.add_column("case (cluster)", no_wrap=True)
        sim.add_column("similarity", justify="right", no_wrap=True)
        if any(s["section"] for s, _ in sim_rows):
            sim.add_column("report", no_wrap=True)
        sim.add_column("shares")
        for s, joined in sim_rows:
            case = Styled.plain(s["case"]).append(f"\n({s['cluster']})" if s["cluster"] else "", "dim")
            cells: list[Any] = [case, f"{s['similarity']:.2f}"]
            if len(sim.columns) == 4:
                cells.append(s["section"] or "")
            sim.add_row(*cells, _esc(joined))
        parts.append(sim)

    if result.missing_facts:
        title = "Missing facts that would most change the answer"
        if stacked:
            parts.append(Styled.plain(title, "bold"))
            for m in result.missing_facts:
                could = ", ".join(m["could_change_to"]) or "-"
                parts.append(
                    _block(
                        f"{fact(m['fact'])} (impact {m['impact']:.2f}, could make it {could})", [m["question"]], width
                    )
                )
        else:
            mf = Table(title=title, title_justify="left")
            mf.add_column("fact")
            mf.add_column("impact", justify="right", no_wrap=True)
            mf.add_column("could make it")
            mf.add_column("ask")
            for m in result.missing_facts:
                mf.add_row(
                    _esc(fact(m["fact"])),
                    f"{m['impact']:.2f}",
                    ", ".join(m["could_change_to"]) or "-",
                    _esc(m["question"]),
                )
            parts.append(mf)

    mat = result.maturity
    line = f"Maturity: stage {mat['stage']} ({mat['name']})"
    if mat.get("next"):
        line += f"; next: stage {mat['next']} ({mat['next_name']}: {', '.join(mat['next_clusters'])})"
    else:
        line += "; the last stage of the report's model"
    parts.append(Styled.plain(_para(line, width)))
    if result.position:
        size = result.position.get("ecosystem_size")
        size_text = "unknown (no value network)" if size is None else f"{size:.2f}"
        parts.append(
            Styled.plain(
                _para(f"Position: openness {result.position['openness']:.2f}, ecosystem size {size_text}", width)
            )
        )
    if result.recommendations:
        title = "Recommendations of the report (§4) that apply (conditions are bmnav's)"
        recs = [
            (x["section"], recommendation_text(x), x["because"] if verbose else labels.because(x["because"]))
            for x in result.recommendations
        ]
        if stacked:
            parts.append(Styled.plain(title, "bold"))
            parts += [_block(f"{sec} {text}", [f"because: {why}"], width) for sec, text, why in recs]
        else:
            rec = Table(title=title, title_justify="left")
            rec.add_column("§", no_wrap=True)
            rec.add_column("recommendation", ratio=3)
            rec.add_column("because", ratio=1)
            for sec, text, why in recs:
                rec.add_row(sec, _esc(text), _esc(why))
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
