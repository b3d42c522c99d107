"""`bmnav evaluate`: stratified cross-validation, recall, confusion matrix and reliability."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bmnav.classifying.classify_eval import evaluate
from bmnav.storage.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_corpus_cross_validated() -> None:
    corpus = load_corpus()
    ev = evaluate(corpus)
    assert ev.total == sum(1 for c in corpus if c.cluster)
    assert ev.folds == 5
    assert sum(sum(row.values()) for row in ev.confusion.values()) == ev.total
    assert ev.correct == sum(ev.confusion[c][c] for c in ev.clusters)
    assert sum(r["n"] for r in ev.reliability) == ev.total
    assert ev.accuracy >= 0.9


def test_every_fold_is_fitted_without_its_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cross-validation, not the training fit: each case is scored by weights that never saw it."""
    from bmnav.classifying import fitting

    corpus = load_corpus()
    seen: list[int] = []
    real_fit = fitting.fit

    def spy(xs, ys, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(len(xs))
        return real_fit(xs, ys, *args, **kwargs)

    monkeypatch.setattr(fitting, "fit", spy)
    ev = evaluate(corpus, folds=4)
    assert len(seen) == 4
    assert sum(ev.total - n for n in seen) == ev.total  # each case held out exactly once


def test_evaluate_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("evaluate", "--format", "json")
    assert res.exit_code == 0, res
    d = json.loads(res.stdout)
    assert set(d) >= {"total", "correct", "accuracy", "confusion", "cases", "clusters"}
    assert d["total"] == sum(1 for c in load_corpus() if c.cluster)
    assert set(d["recall"]) == set(d["clusters"])
    assert d["method"].startswith("stratified 5-fold cross-validation")
    assert set(d["confusion"]) == set(d["clusters"])
    assert set(d["cases"][0]) >= {"case", "label", "predicted", "correct", "score", "confidence"}


def test_evaluate_text(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("evaluate")
    assert res.exit_code == 0, res
    total = sum(1 for c in load_corpus() if c.cluster)
    assert f"Stratified 5-fold cross-validation over {total} labelled cases" in res.stdout
    assert "Recall per cluster" in res.stdout
    assert "Reliability" in res.stdout
    assert "Confusion matrix" in res.stdout


def test_evaluate_own_corpus_and_min_accuracy(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "usecases").mkdir()
    for name in ("tire-as-a-service.yaml", "baowu-digital-virtual-factory.yaml"):
        shutil.copy(ROOT / "data" / "usecases" / name, tmp_path / "usecases" / name)
    # a case labelled against its own facts: an efficiency programme called a marketplace
    text = (ROOT / "data" / "usecases" / "baowu-digital-virtual-factory.yaml").read_text(encoding="utf-8")
    wrong = text.replace("id: baowu-digital-virtual-factory", "id: mislabelled").replace(
        "cluster: efficiency", "cluster: marketplace"
    )
    (tmp_path / "usecases" / "mislabelled.yaml").write_text(wrong, encoding="utf-8")
    res = run_cli("evaluate", "--data", str(tmp_path), "--format", "json")
    assert res.exit_code == 0, res
    d = json.loads(res.stdout)
    assert d["total"] == 3
    assert d["confusion"]["marketplace"]["efficiency"] == 1  # the mislabelled copy shows up as a miss
    assert d["confusion"]["as-a-service"]["as-a-service"] == 1
    low = run_cli("evaluate", "--data", str(tmp_path), "--min-accuracy", "0.9")
    assert low.exit_code == 1, low
    assert "Misclassified" in low.stdout


def test_evaluate_empty_corpus_exits_1(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "usecases").mkdir()
    res = run_cli("evaluate", "--data", str(tmp_path))
    assert res.exit_code == 1, res
    assert "no labelled cases" in res.stderr
