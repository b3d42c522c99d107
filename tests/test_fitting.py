"""The weight fit: the same Adam steps as a plain loop over the cases, and an early stop."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from typing import Any

import pytest

from bmnav.classifying import fitting


def _data(n: int = 60, seed: int = 3) -> tuple[list[list[str]], list[str], list[str], dict[str, dict[str, float]]]:
    rng = random.Random(seed)
    clusters = ["a", "b", "c"]
    feats = [f"f{i}={v}" for i in range(8) for v in ("x", "y", "z")]
    ys = [rng.choice(clusters) for _ in range(n)]
    xs = [sorted(set(rng.sample(feats, 6)) | {f"hint={y}"}) for y in ys]
    prior = {"a": {"f0=x": 1.0, "hint=a": 0.5}, "b": {"f1=y": -0.5}}
    return xs, ys, clusters, prior


def _plain_loop(
    xs: list[list[str]], ys: list[str], cl: list[str], prior: dict[str, dict[str, float]], steps: int
) -> Any:
    """The fit as it was first written: one Python loop over the cases per step."""
    feats = sorted({f for x in xs for f in x} | {f for p in prior.values() for f in p})
    w = {c: {f: prior.get(c, {}).get(f, 0.0) for f in feats} for c in cl}
    b = dict.fromkeys(cl, 0.0)
    m: dict[tuple[str, str], float] = defaultdict(float)
    v: dict[tuple[str, str], float] = defaultdict(float)

    def adam(target: dict[str, float], key: str, g: float, slot: tuple[str, str], step: int) -> None:
        m[slot] = 0.9 * m[slot] + (1 - 0.9) * g
        v[slot] = 0.999 * v[slot] + (1 - 0.999) * g * g
        target[key] -= 0.05 * (m[slot] / (1 - 0.9**step)) / (math.sqrt(v[slot] / (1 - 0.999**step)) + 1e-8)

    for step in range(1, steps + 1):
        gw: dict[str, dict[str, float]] = {c: defaultdict(float) for c in cl}
        gb = dict.fromkeys(cl, 0.0)
        for x, y in zip(xs, ys, strict=True):
            p = fitting.softmax({c: b[c] + sum(w[c][f] for f in x) for c in cl})
            for c in cl:
                d = p[c] - (1.0 if c == y else 0.0)
                gb[c] += d
                for f in x:
                    gw[c][f] += d
        for c in cl:
            for f in feats:
                adam(w[c], f, gw[c].get(f, 0.0) + 1.0 * (w[c][f] - prior.get(c, {}).get(f, 0.0)), (c, f), step)
            adam(b, c, gb[c] + 0.1 * b[c], (c, ""), step)
    return b, w


def test_the_fit_is_the_plain_loop_to_the_last_bit() -> None:
    xs, ys, clusters, prior = _data()
    bias, w = _plain_loop(xs, ys, clusters, prior, steps=40)
    got = fitting.fit(xs, ys, clusters, prior, steps=40)
    assert got.bias == bias
    assert got.w == w


def test_a_tolerance_stops_the_fit_early() -> None:
    xs, ys, clusters, prior = _data()
    # every step moves some weight by about the rate (0.05) at first: a tolerance above it stops after one
    assert fitting.fit(xs, ys, clusters, prior, tol=1.0).w == fitting.fit(xs, ys, clusters, prior, steps=1).w
    loose = fitting.fit(xs, ys, clusters, prior, tol=0.01)
    full = fitting.fit(xs, ys, clusters, prior)
    assert loose.w != full.w
    assert max(abs(loose.w[c][f] - full.w[c][f]) for c in clusters for f in full.w[c]) < 0.5


def test_evaluate_fits_its_folds_with_the_tolerance(monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.classifying import classify_eval
    from bmnav.storage.corpus import load_corpus

    seen: list[float | None] = []
    real = fitting.fit

    def spy(*args: Any, **kwargs: Any) -> fitting.Weights:
        seen.append(kwargs.get("tol"))
        return real(*args, **kwargs)

    monkeypatch.setattr(fitting, "fit", spy)
    ev = classify_eval.evaluate(load_corpus(cache=False))
    assert seen == [classify_eval.FIT_TOLERANCE] * ev.folds
    assert ev.correct == ev.total  # the bundled corpus: every held-out answer right, as with the full fit
