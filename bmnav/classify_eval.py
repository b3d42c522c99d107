"""Leave-one-out evaluation of the classifier on a labelled corpus.

Each case is classified as if it were a new profile: its `cluster` label is
not looked at (the evidence model never reads labels), and it is left out of
the similar cases, so nothing it says about itself can leak into its own
answer. Plain data in, plain data out; `bmnav.classify_render` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bmnav.classifier import Model, classify
from bmnav.corpus import Corpus


@dataclass
class Evaluation:
    data: str
    clusters: list[str]
    short: dict[str, str]
    cases: list[dict[str, Any]] = field(default_factory=list)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def correct(self) -> int:
        return sum(1 for c in self.cases if c["correct"])

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "data": self.data,
            "total": self.total,
            "correct": self.correct,
            "accuracy": round(self.accuracy, 4),
            "clusters": self.clusters,
            "confusion": self.confusion,
            "cases": self.cases,
        }


def evaluate(corpus: Corpus) -> Evaluation:
    """Classify every labelled case of the corpus leave-one-out; accuracy and confusion matrix."""
    model = Model.from_corpus(corpus)
    clusters = corpus.cluster_ids()
    ev = Evaluation(
        str(corpus.datadir.root),
        clusters,
        {c: str(corpus.clusters[c].get("short") or c) for c in clusters},
        confusion={a: dict.fromkeys(clusters, 0) for a in clusters},
    )
    for case in corpus:
        label = case.cluster
        if label is None or label not in ev.confusion:
            continue
        result = classify(case, corpus, exclude=case.id, model=model)
        predicted = result.cluster
        ev.confusion[label][predicted] += 1
        ev.cases.append(
            {
                "case": case.id,
                "label": label,
                "predicted": predicted,
                "correct": predicted == label,
                "score": round(result.ranking[0].score, 4),
                "confidence": result.confidence,
                "also": result.also,
            }
        )
    return ev
