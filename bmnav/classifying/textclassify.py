"""Classify free-text notes: the one path that `bmnav classify --text/--text-file`
and the library share, so both give the same result for the same notes.

`classify_text` reads the facts (`bmnav.classifying.textfacts.facts_from_text`, with the
lexicon and text cues of the data folder), classifies them, lowers the
confidence when only weaker cues spoke, and attaches what was read
(`extracted`). `classify_text_file` adds the reading of a notes file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmnav.checking.problems import BmnavError

if TYPE_CHECKING:
    from bmnav.classifying.classifier import ClassificationResult
    from bmnav.storage.corpus import Corpus
    from bmnav.storage.loading import Limits


def _corpus_and_data(corpus: Corpus | None, data: str | Path | None) -> tuple[Corpus, str | Path | None]:
    """The corpus to compare with and the data folder of its model files."""
    if corpus is None:
        from bmnav.storage.corpus import load_corpus

        corpus = load_corpus(data)
    if data is None and not corpus.datadir.bundled:
        data = corpus.datadir.root
    return corpus, data


def classify_text(
    text: str,
    corpus: Corpus | None = None,
    *,
    data: str | Path | None = None,
    top: int = 3,
    name: str = "notes",
    path: str | None = None,
) -> ClassificationResult:
    """Classify notes in English, German or Chinese.

    `data` is a data folder (as `--data`): its corpus, and its lexicon.yaml,
    textcues.yaml, clusters.yaml and model files where it has them. With
    `corpus` given and `data` not, the corpus's own folder is used. Raises
    `BmnavError` (exit code 1) naming the facts needed when the notes give none.
    """
    from bmnav.classifying.classifier import classify_facts
    from bmnav.classifying.textfacts import facts_from_text

    corpus, data = _corpus_and_data(corpus, data)
    found = facts_from_text(text, data=data)
    result = classify_facts(found.facts, corpus, top=top, name=name)
    if found.weak:  # read from weaker cues only (the lexicon's `weak: true` entries)
        result.confidence = result.ranking[0].confidence = "low"
    result.extracted = found.as_dict()
    today = found.today
    if today is not None:  # a plan changes the model: say where the company stands now
        result.extracted["today"] = _today(today, corpus, weak=bool(found.weak))
    result.path = path
    return result


def _today(facts: dict[str, Any], corpus: Corpus, *, weak: bool) -> dict[str, Any]:
    """Today's facts and the cluster they give, beside the plan's (the answer)."""
    from bmnav.classifying.classifier import INSUFFICIENT, classify_facts

    now = classify_facts(facts, corpus, top=1)
    confidence = "low" if weak and now.confidence != INSUFFICIENT else now.confidence
    cluster = None if confidence == INSUFFICIENT else now.cluster
    return {"facts": facts, "cluster": cluster, "confidence": confidence, "score": now.ranking[0].score}


def read_notes(path: str | Path, limits: Limits | None = None) -> str:
    """The text of a notes file: within the size limit, never a FIFO or device, UTF-8."""
    from bmnav.storage.loading import Limits, read_bytes

    raw, problem = read_bytes(Path(path), limits or Limits.from_env())
    if problem is not None or raw is None:
        reason = problem.message if problem is not None else "unreadable"
        raise BmnavError(f"{path}: cannot read the notes ({reason})", exit_code=1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BmnavError(f"{path}: cannot read the notes ({exc}); save it as UTF-8", exit_code=1) from None


def classify_text_file(
    path: str | Path,
    corpus: Corpus | None = None,
    *,
    data: str | Path | None = None,
    top: int = 3,
    limits: Limits | None = None,
) -> ClassificationResult:
    """`classify_text` on a notes file, named after the file (its stem) with its path."""
    notes = read_notes(path, limits)
    return classify_text(notes, corpus, data=data, top=top, name=Path(path).stem, path=str(path))
