"""Stratified cross-validation of the classifier on a labelled corpus.

The cases are split into k folds with every cluster spread evenly over them;
for each fold the weights are fitted afresh on the other folds
(`bmnav.classifying.fitting`, the report-based evidence of clusters.yaml as the prior)
and the fold's cases are classified with them, so no case is ever scored by
weights that saw its label. The figures are these held-out answers: top-1,
per-cluster recall, a confusion matrix and a reliability table, never the
fit on the training cases. Plain data in and out; `bmnav.render.classify`
prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bmnav.classifying import fitting
from bmnav.classifying.classifier import Model, _level, corpus_summaries
from bmnav.storage.corpus import Corpus

#: Each fold's fit stops once no weight moves more than this in a step (see
#: `fitting.fit`): the held-out answers of the bundled corpus are those of
#: the full 400 steps, and a 10,000-case corpus is evaluated in a minute.
FIT_TOLERANCE = 3e-3


@dataclass
class Evaluation:
    data: str
    clusters: list[str]
    short: dict[str, str]
    folds: int = 5
    cases: list[dict[str, Any]] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    reliability: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def correct(self) -> int:
        return sum(1 for c in self.cases if c["correct"])

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def recall(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for c in self.clusters:
            n = sum(self.confusion[c].values())
            out[c] = round(self.confusion[c][c] / n, 4) if n else None
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "method": f"stratified {self.folds}-fold cross-validation, weights refitted per fold",
            "total": self.total,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "recall": self.recall(),
            "clusters": self.clusters,
            "confusion": self.confusion,
            "reliability": self.reliability,
            "cases": self.cases,
        }


def evaluate(corpus: Corpus, *, folds: int = 5, seed: int = 0) -> Evaluation:
    """Classify every labelled case with weights fitted on the other folds."""
    fitted = Model.from_corpus(corpus)
    prior_model = Model.from_corpus(corpus, fitted=False)
    clusters = corpus.cluster_ids()
    kinds = {n: s.kind for n, s in prior_model.specs.items()}
    # the ids, labels and facts from the corpus's summaries (in corpus order): from the
    # cache, or from the processes that read the files, so the cases are not read here
    labelled = [s for s in corpus_summaries(corpus) if s["cluster"] in clusters]
    xs = [fitting.indicators(s["facts"], kinds) for s in labelled]
    ys = [str(s["cluster"]) for s in labelled]
    prior = fitting.prior_from_evidence(prior_model.evidence, 1.5)
    strength = float(fitted.constants.get("prior_strength", 1.0))
    k = max(2, min(folds, len(labelled)))
    logits = (
        fitting.out_of_fold(xs, ys, clusters, prior, k=k, strength=strength, seed=seed, tol=FIT_TOLERANCE)
        if labelled
        else []
    )
    temperature = float(fitted.constants.get("temperature", 1.0))
    ev = Evaluation(
        str(corpus.datadir.root),
        clusters,
        {c: str(corpus.clusters[c].get("short") or c) for c in clusters},
        folds=k,
        confusion={a: dict.fromkeys(clusters, 0) for a in clusters},
    )
    tops: list[float] = []
    for summary, z, label in zip(labelled, logits, ys, strict=True):
        probs = fitting.softmax(z, temperature)
        predicted = max(clusters, key=lambda c: probs[c])  # ties: the first cluster in clusters.yaml
        ev.confusion[label][predicted] += 1
        tops.append(probs[predicted])
        ev.cases.append(
            {
                "case": summary["case"],
                "label": label,
                "predicted": predicted,
                "correct": predicted == label,
                "score": round(probs[predicted], 4),
                "confidence": _level(probs[predicted], fitted.constants),
            }
        )
    ev.reliability = fitting.reliability(tops, [c["correct"] for c in ev.cases], [0.0, 0.4, 0.6, 0.8, 0.9, 0.95, 1.0])
    return ev
