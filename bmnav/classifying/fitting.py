"""Fit the evidence weights to labelled cases, and measure them honestly.

The model is multinomial logistic regression over the known facts of a
case: each known fact value ("offering.ownership=provider") is an indicator,
each cluster has a weight per indicator plus an intercept, and the score of a
cluster is the softmax of its summed weights. The weights are pulled towards
a *prior*, the hand-written evidence of `data/clusters.yaml` (which cites
the report), by an L2 penalty, so where the labelled cases say little the
report's evidence stands. Fitting is plain Python (sparse gradient descent
with Adam): a few seconds for a few hundred cases, so `bmnav evaluate` can
refit in every fold of a cross-validation without extra libraries.

`python -m bmnav.classifying.fitting` (docs/method.md, "How the weights are fitted")
writes `data/model.yaml`; at run time the model is that data and a sum.
"""

from __future__ import annotations

import itertools
import math
import operator
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

#: Facts left out of fitting: the free-text cue signal is not a fact of a profile.
SKIP = ("text.cues",)


def indicators(facts: dict[str, Any], kinds: dict[str, str]) -> list[str]:
    """The "fact=value" indicators of a fact set (`kinds`: fact name -> one|set|bool)."""
    out: list[str] = []
    for name, value in facts.items():
        kind = kinds.get(name)
        if kind is None or name in SKIP:
            continue
        if kind == "bool":
            out.append(f"{name}={'true' if value else 'false'}")
        elif kind == "set":
            out += [f"{name}={v}" for v in (value if isinstance(value, list) else [value])]
        else:
            out.append(f"{name}={value}")
    return sorted(set(out))


def split_indicator(key: str) -> tuple[str, Any]:
    name, _, raw = key.partition("=")
    value: Any = {"true": True, "false": False}.get(raw, raw)
    return name, value


@dataclass
class Weights:
    """Per cluster an intercept and a weight per indicator (logit units)."""

    clusters: list[str]
    bias: dict[str, float]
    w: dict[str, dict[str, float]] = field(default_factory=dict)

    def logits(self, x: Iterable[str]) -> dict[str, float]:
        feats = list(x)
        return {c: self.bias[c] + sum(self.w[c].get(f, 0.0) for f in feats) for c in self.clusters}


def softmax(z: dict[str, float], temperature: float = 1.0) -> dict[str, float]:
    t = temperature if temperature > 0 else 1.0
    top = max(z.values())
    e = {k: math.exp((v - top) / t) for k, v in z.items()}
    s = sum(e.values())
    return {k: v / s for k, v in e.items()}


def fit(
    xs: Sequence[list[str]],
    ys: Sequence[str],
    clusters: Sequence[str],
    prior: dict[str, dict[str, float]],
    *,
    strength: float = 1.0,
    steps: int = 400,
    rate: float = 0.05,
    tol: float | None = None,
) -> Weights:
    """Regularised multinomial logistic regression, weights pulled towards `prior`.

    Minimises the summed cross-entropy plus `strength/2 * sum((w - prior)^2)`;
    intercepts get a light penalty towards 0. Adam on the full batch, for
    `steps` steps, or fewer when `tol` is given and no weight moved more than
    `tol` in a step.

    The indicators are numbered and each one's cases listed once, so that the
    sums run in `sum(map(...))` rather than in Python loops: the same
    additions in the same order as a plain loop over the cases (the same
    weights to the last bit), several times faster, which is what lets
    `bmnav evaluate` refit per fold on 10,000 cases.
    """
    cl = list(clusters)
    feats = sorted({f for x in xs for f in x} | {f for p in prior.values() for f in p})
    index = {f: j for j, f in enumerate(feats)}
    rows = [[index[f] for f in x] for x in xs]
    cols: list[list[int]] = [[] for _ in feats]
    for i, row in enumerate(rows):
        for j in row:
            cols[j].append(i)
    # each indicator's residuals picked at once (a tuple, in the order of `col`)
    picks = [operator.itemgetter(*col) if len(col) > 1 else None for col in cols]
    prefixes = _Prefixes(rows)
    pri = [[prior.get(c, {}).get(f, 0.0) for f in feats] for c in cl]
    w = [list(p) for p in pri]
    b = [0.0] * len(cl)
    truth = [[1.0 if y == c else 0.0 for y in ys] for c in cl]
    adam = _Adam(len(cl), len(feats), rate)
    for step in range(1, steps + 1):
        d = _residuals(prefixes, w, b, truth)
        moved = 0.0
        for k in range(len(cl)):
            dk, wk, pk = d[k], w[k], pri[k]
            grads = [
                sum(pick(dk) if pick else map(dk.__getitem__, col), 0.0) + strength * (wk[j] - pk[j])
                for j, (col, pick) in enumerate(zip(cols, picks, strict=True))
            ]
            moved = max(moved, adam.update(wk, grads, k, step))
        gb = [sum(dk, 0.0) + 0.1 * b[k] for k, dk in enumerate(d)]
        moved = max(moved, adam.update(b, gb, len(cl), step))
        if tol is not None and moved < tol:
            break
    fitted = {c: dict(zip(feats, w[k], strict=True)) for k, c in enumerate(cl)}
    return Weights(cl, dict(zip(cl, b, strict=True)), fitted)


class _Prefixes:
    """The cases' lists of indicators as a tree of their shared beginnings.

    A case's logit sums its indicators' weights from left to right, as
    `sum()` does; cases whose lists begin alike share those partial sums.
    Each node of the tree is one partial sum (its parent's plus one weight),
    so a cluster's logits cost one addition per node instead of one per
    indicator of every case: on 10,000 generated cases, 35,000 nodes against
    330,000 indicators. The additions are the same, in the same order, so the
    sums are the same to the last bit."""

    def __init__(self, rows: list[list[int]]) -> None:
        ids: dict[tuple[int, int], int] = {}  # (parent node, indicator) -> node; node 0 is the empty sum
        levels: list[list[tuple[int, int]]] = []
        self.leaf: list[int] = []
        for row in rows:
            node = 0
            for depth, j in enumerate(row):
                key = (node, j)
                found = ids.get(key)
                if found is None:
                    found = ids[key] = len(ids) + 1
                    if depth == len(levels):
                        levels.append([])
                    levels[depth].append(key)
                node = found
            self.leaf.append(node)
        # nodes numbered again level by level, so that each level's parents come before it
        order = {0: 0}
        for level in levels:
            for key in level:
                order[ids[key]] = len(order)
        self.leaf = [order[n] for n in self.leaf]
        self.levels = [([order[p] for p, _ in level], [j for _, j in level]) for level in levels]

    def sums(self, weights: list[float]) -> list[int | float]:
        """Each case's `sum(weights[j] for j in row)` (0 for an empty row)."""
        flat: list[int | float] = [0]
        for parents, feats in self.levels:
            flat.extend(list(map(operator.add, map(flat.__getitem__, parents), map(weights.__getitem__, feats))))
        return list(map(flat.__getitem__, self.leaf))


def _residuals(
    prefixes: _Prefixes, w: list[list[float]], b: list[float], truth: list[list[float]]
) -> list[list[float]]:
    """Per cluster and case, the softmax probability minus the label (the
    gradient of the cross-entropy), computed a cluster at a time with `map`:
    the arithmetic of `softmax()` in the same order."""
    logits = [list(map(operator.add, repeat(bk), prefixes.sums(wk))) for wk, bk in zip(w, b, strict=True)]
    tops = list(map(max, *logits)) if len(logits) > 1 else logits[0]
    exps = [list(map(math.exp, map(operator.sub, z, tops))) for z in logits]
    totals = exps[0]
    for e in exps[1:]:
        totals = list(map(operator.add, totals, e))
    return [list(map(operator.sub, map(operator.truediv, e, totals), t)) for e, t in zip(exps, truth, strict=True)]


class _Adam:
    """Adam's moments for a few vectors of weights (one per cluster, and the intercepts)."""

    beta1, beta2, eps = 0.9, 0.999, 1e-8

    def __init__(self, vectors: int, width: int, rate: float) -> None:
        self.rate = rate
        self.m = [[0.0] * width for _ in range(vectors)] + [[0.0] * vectors]
        self.v = [[0.0] * width for _ in range(vectors)] + [[0.0] * vectors]

    def update(self, target: list[float], grads: list[float], slot: int, step: int) -> float:
        """Move `target` one step; returns the largest move."""
        m, v = self.m[slot], self.v[slot]
        b1, b2, eps, rate = self.beta1, self.beta2, self.eps, self.rate
        c1, c2 = 1 - b1**step, 1 - b2**step
        moved = 0.0
        for j, g in enumerate(grads):
            m[j] = b1 * m[j] + (1 - b1) * g
            v[j] = b2 * v[j] + (1 - b2) * g * g
            delta = rate * (m[j] / c1) / (math.sqrt(v[j] / c2) + eps)
            target[j] -= delta
            moved = max(moved, abs(delta))
        return moved


def stratified_folds(ys: Sequence[str], k: int, seed: int = 0) -> list[list[int]]:
    """k folds of indices with each label spread evenly over them."""
    rng = random.Random(seed)
    by: dict[str, list[int]] = defaultdict(list)
    for i, y in enumerate(ys):
        by[y].append(i)
    folds: list[list[int]] = [[] for _ in range(k)]
    n = 0
    for y in sorted(by):
        idx = by[y]
        rng.shuffle(idx)
        for i in idx:
            folds[n % k].append(i)
            n += 1
    return [sorted(f) for f in folds]


def out_of_fold(
    xs: Sequence[list[str]],
    ys: Sequence[str],
    clusters: Sequence[str],
    prior: dict[str, dict[str, float]],
    *,
    k: int = 5,
    strength: float = 1.0,
    seed: int = 0,
    tol: float | None = None,
) -> list[dict[str, float]]:
    """Logits of each case from a model fitted without its fold (`tol`: see `fit`)."""
    out: list[dict[str, float]] = [{} for _ in xs]
    for fold in stratified_folds(ys, k, seed):
        held = set(fold)
        train = [i for i in range(len(xs)) if i not in held]
        model = fit([xs[i] for i in train], [ys[i] for i in train], clusters, prior, strength=strength, tol=tol)
        for i in fold:
            out[i] = model.logits(xs[i])
    return out


def nll(logits: Sequence[dict[str, float]], ys: Sequence[str], temperature: float) -> float:
    total = sum(math.log(max(softmax(z, temperature)[y], 1e-12)) for z, y in zip(logits, ys, strict=True))
    return -total / max(len(ys), 1)


def fit_temperature(logits: Sequence[dict[str, float]], ys: Sequence[str]) -> float:
    """The temperature that minimises the held-out negative log-likelihood (a grid, then a finer grid)."""
    grid = [0.25 * i for i in range(1, 41)]
    best = min(grid, key=lambda t: nll(logits, ys, t))
    fine = [best + 0.025 * i for i in range(-9, 10) if best + 0.025 * i > 0]
    chosen: float = min(fine, key=lambda t: nll(logits, ys, t))
    return round(chosen, 3)


def threshold_for(
    probs: Sequence[float], right: Sequence[bool], precision: float, minimum: int = 5, digits: int = 3
) -> float:
    """The lowest threshold (a multiple of 10**-digits) such that the answers at or above it,
    at least `minimum` of them, are right at least `precision` of the time (1.0 if none is).
    Every answer at or above a candidate counts, so ties and rounding cannot hide an error."""
    scale = 10**digits
    best = 1.0
    for t in sorted({math.floor(p * scale) / scale for p in probs}, reverse=True):
        inside = [ok for p, ok in zip(probs, right, strict=True) if p >= t]
        if len(inside) >= minimum and sum(inside) / len(inside) >= precision:
            best = t
    return best


def reliability(probs: Sequence[float], right: Sequence[bool], edges: Sequence[float]) -> list[dict[str, Any]]:
    """Predicted against observed accuracy per bin of the top probability."""
    rows = []
    for lo, hi in itertools.pairwise(edges):
        last = hi >= 1.0
        inside = [(p, r) for p, r in zip(probs, right, strict=True) if lo <= p < hi or (last and lo <= p)]
        if not inside:
            rows.append({"bin": f"{lo:.2f}-{hi:.2f}", "n": 0, "predicted": None, "observed": None})
            continue
        rows.append(
            {
                "bin": f"{lo:.2f}-{hi:.2f}",
                "n": len(inside),
                "predicted": round(sum(p for p, _ in inside) / len(inside), 3),
                "observed": round(sum(r for _, r in inside) / len(inside), 3),
            }
        )
    return rows


def counts(xs: Sequence[list[str]], ys: Sequence[str]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """How many cases per label, and per label how many show each indicator."""
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for x, y in zip(xs, ys, strict=True):
        per[y].update(x)
    return Counter(ys), per


# ---------------------------------------------------------------- the model file


def prior_from_evidence(evidence: dict[str, list[Any]], temperature: float) -> dict[str, dict[str, float]]:
    """The report-based evidence of clusters.yaml as prior weights in logit units."""
    prior: dict[str, dict[str, float]] = defaultdict(dict)
    for cid, items in evidence.items():
        for e in items:
            values = e.expected if isinstance(e.expected, list) else [e.expected]
            for v in values:
                key = f"{e.fact}={'true' if v is True else 'false' if v is False else v}"
                prior[cid][key] = prior[cid].get(key, 0.0) + e.weight / temperature
    return dict(prior)


def prior_why(evidence: dict[str, list[Any]]) -> dict[tuple[str, str], str]:
    """(cluster, indicator) -> the `why` of the clusters.yaml evidence it comes from."""
    out: dict[tuple[str, str], str] = {}
    for cid, items in evidence.items():
        for e in items:
            values = e.expected if isinstance(e.expected, list) else [e.expected]
            for v in values:
                out.setdefault((cid, f"{e.fact}={'true' if v is True else 'false' if v is False else v}"), e.why)
    return out


def evidence_items(
    weights: Weights,
    prior: dict[str, dict[str, float]],
    whys: dict[tuple[str, str], str],
    xs: Sequence[list[str]],
    ys: Sequence[str],
    *,
    floor: float = 0.05,
) -> dict[str, list[dict[str, Any]]]:
    """Per cluster the fitted weights as evidence items, each with its `why` and source."""
    total, per = counts(xs, ys)
    out: dict[str, list[dict[str, Any]]] = {}
    for c in weights.clusters:
        items = []
        others = sum(total.values()) - total[c]
        for key, w in sorted(weights.w[c].items(), key=lambda kv: -abs(kv[1])):
            if abs(w) < floor:
                continue
            fact, value = split_indicator(key)
            seen = per[c][key]
            elsewhere = sum(per[o][key] for o in weights.clusters if o != c)
            why = whys.get((c, key))
            source = "report" if why else "fit"
            if not why:
                why = (
                    f"bmnav's fit, not the report: seen in {seen} of {total[c]} training cases of this cluster "
                    f"and {elsewhere} of {others} others."
                )
            items.append(
                {
                    "fact": fact,
                    "is": value,
                    "weight": round(w, 3),
                    "prior": round(prior.get(c, {}).get(key, 0.0), 3),
                    "source": source,
                    "why": why,
                }
            )
        out[c] = items
    return out
