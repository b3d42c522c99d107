"""`bmnav evaluate`: cross-validated accuracy of the classifier on a labelled corpus."""

from __future__ import annotations

from typing import Annotated

import typer

from bmnav.cli.console import out, write
from bmnav.cli.options import DataOpt, TextJson

COMMAND = "evaluate"
ORDER = 60


def evaluate(
    fmt: Annotated[
        TextJson, typer.Option("--format", "-f", help="text (accuracy, recall, confusion matrix) or json.")
    ] = TextJson.text,
    folds: Annotated[int, typer.Option("--folds", min=2, max=20, help="How many folds (stratified by cluster).")] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the split into folds.")] = 0,
    min_accuracy: Annotated[
        float | None,
        typer.Option("--min-accuracy", min=0.0, max=1.0, metavar="X", help="Exit 1 when the accuracy is below X."),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Stratified cross-validation over a labelled corpus: top-1 accuracy, recall per
    cluster, confusion matrix and reliability of the scores.

    The corpus is split into folds with every cluster spread evenly; the
    weights are fitted afresh without each fold and its cases classified with
    them, so every figure is a held-out answer, never the training fit. With
    --data a researcher evaluates the model on their own corpus (and its own
    clusters.yaml, if the folder has one).

    \b
    Exit codes:
      0  evaluated (and, with --min-accuracy, at or above it)
      1  accuracy below --min-accuracy, or the corpus could not be read
      2  usage error

    \b
    Examples:
      bmnav evaluate
      bmnav evaluate --data ~/cases --format json
    """
    from bmnav.checking.problems import BmnavError
    from bmnav.classifying.classifier import SUMMARY_RECORDS
    from bmnav.classifying.classify_eval import evaluate as run
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus(data, records=SUMMARY_RECORDS)  # each case's facts computed where it is read
    ev = run(corpus, folds=folds, seed=seed)
    if not ev.total:
        raise BmnavError(f"no labelled cases (with `cluster`) in {corpus.datadir.usecases}", exit_code=1)
    from bmnav.render import json_text, render, show

    if fmt is TextJson.json:
        write(json_text(ev.as_dict()))
    else:
        show(render("evaluate", "text", ev), out())
    if min_accuracy is not None and ev.accuracy < min_accuracy:
        raise typer.Exit(1)
