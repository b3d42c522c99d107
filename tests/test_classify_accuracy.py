"""Accuracy on the held-out test set in tests/profiles/ (companies not in the corpus).

Targets from issue 4: the right cluster first for at least 9 profiles in 10,
and for at least 3 notes in 4 from free text alone. docs/method.md reports
the measured numbers; `python -m pytest tests/test_classify_accuracy.py -s`
prints every miss.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bmnav.checking.problems import BmnavError
from bmnav.classifying.classifier import classify, classify_facts, load_profile
from bmnav.classifying.textfacts import facts_from_text
from bmnav.storage.corpus import Corpus, load_corpus

PROFILES = Path(__file__).resolve().parent / "profiles"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def _labelled_profiles() -> list[tuple[Path, str]]:
    return _labelled_profiles_in(PROFILES)


def test_the_test_set_is_big_enough_and_unlabelled(corpus: Corpus) -> None:
    profiles = _labelled_profiles()
    assert len(profiles) >= 20
    notes = yaml.safe_load((PROFILES / "notes" / "labels.yaml").read_text(encoding="utf-8"))["notes"]
    assert len(notes) >= 12
    assert {name[:2] for name in notes} == {"en", "de", "zh"}
    corpus_companies = {str(c.company).lower() for c in corpus}
    for path, label in profiles:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "cluster" not in data, path.name
        assert data["id"] not in corpus.cases, path.name
        assert str(data.get("company", "")).lower() not in corpus_companies, path.name
        assert label in corpus.clusters, path.name


def test_profiles_accuracy(corpus: Corpus) -> None:
    misses = []
    profiles = _labelled_profiles()
    for path, label in profiles:
        result = classify(load_profile(path, corpus), corpus)
        if result.cluster != label:
            misses.append(f"{path.name}: {label} -> {result.cluster} ({result.confidence})")
    accuracy = 1 - len(misses) / len(profiles)
    print(f"\nprofiles: {len(profiles) - len(misses)}/{len(profiles)} = {accuracy:.0%}", *misses, sep="\n  ")
    assert accuracy >= 0.9, misses


def test_free_text_accuracy(corpus: Corpus) -> None:
    notes = yaml.safe_load((PROFILES / "notes" / "labels.yaml").read_text(encoding="utf-8"))["notes"]
    misses = []
    for name, entry in notes.items():
        found = facts_from_text((PROFILES / "notes" / name).read_text(encoding="utf-8"))
        result = classify_facts(found.facts, corpus, name=name)
        if result.cluster != entry["label"]:
            misses.append(f"{name}: {entry['label']} -> {result.cluster}")
    accuracy = 1 - len(misses) / len(notes)
    print(f"\nnotes: {len(notes) - len(misses)}/{len(notes)} = {accuracy:.0%}", *misses, sep="\n  ")
    assert accuracy >= 0.75, misses


# ---------------------------------------------------------------- the blind sets
# tests/profiles/blind/ and tests/profiles/notes_blind/ were written before the
# lexicon and the text extractor were read, and split before any tuning (each
# file says its `half`); docs/method.md tells how each half was used.
# `PYTHONPATH=. python benchmarks/blind_accuracy.py` prints the figures per half
# and language.

BLIND = PROFILES / "blind"
NOTES_BLIND = PROFILES / "notes_blind"


def _blind_profiles() -> list[tuple[Path, str, str]]:
    out = []
    for path, label in _labelled_profiles_in(BLIND):
        half = re.search(r"^# half: (\S+)", path.read_text(encoding="utf-8"), re.M)
        assert half, f"{path.name} has no `# half:` comment"
        out.append((path, label, half.group(1)))
    return out


def _labelled_profiles_in(folder: Path) -> list[tuple[Path, str]]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        label = re.search(r"^# label: (\S+)", text, re.M)
        assert label, f"{path.name} has no `# label:` comment"
        assert re.search(r"^# reason: \S", text, re.M), f"{path.name} has no `# reason:` comment"
        out.append((path, label.group(1)))
    return out


def _blind_notes() -> dict[str, dict[str, str]]:
    notes: dict[str, dict[str, str]] = yaml.safe_load((NOTES_BLIND / "labels.yaml").read_text(encoding="utf-8"))[
        "notes"
    ]
    return notes


def _profile_accuracy(corpus: Corpus, halves: set[str]) -> tuple[float, list[str], int]:
    chosen = [(p, label) for p, label, half in _blind_profiles() if half in halves]
    misses = []
    for path, label in chosen:
        result = classify(load_profile(path, corpus), corpus)
        if result.cluster != label:
            misses.append(f"{path.name}: {label} -> {result.cluster} ({result.confidence})")
    return 1 - len(misses) / len(chosen), misses, len(chosen)


def _note_accuracy(corpus: Corpus, halves: set[str]) -> tuple[float, list[str], int]:
    chosen = {name: entry for name, entry in _blind_notes().items() if entry["half"] in halves}
    misses = []
    for name, entry in chosen.items():
        try:
            found = facts_from_text((NOTES_BLIND / name).read_text(encoding="utf-8"))
            got = classify_facts(found.facts, corpus, name=name).cluster
        except BmnavError:
            got = "error: no facts"
        if got != entry["label"]:
            misses.append(f"{name}: {entry['label']} -> {got}")
    return 1 - len(misses) / len(chosen), misses, len(chosen)


def test_the_blind_sets_are_big_enough_split_and_unlabelled(corpus: Corpus) -> None:
    notes = _blind_notes()
    assert len(notes) >= 36
    for lang in ("en", "de", "zh"):
        assert sum(name.startswith(f"{lang}-") for name in notes) >= 12, lang
    assert {e["label"] for e in notes.values()} == set(corpus.clusters)
    assert {e["half"] for e in notes.values()} == {"tuning", "held-out", "tuning-2", "tuning-3", "fresh"}
    for name, entry in notes.items():
        assert (NOTES_BLIND / name).is_file(), name
        assert entry["label"] in corpus.clusters and entry.get("reason"), name
        number = int(name.split("-")[1])
        if entry["half"] in ("tuning", "held-out"):  # the split fixed before tuning: odd tune, even held out
            assert entry["half"] == ("tuning" if number % 2 else "held-out"), name
    profiles = _blind_profiles()
    assert len(profiles) >= 15
    assert {label for _, label, _ in profiles} == set(corpus.clusters)
    corpus_companies = {str(c.company).lower() for c in corpus}
    for path, label, half in profiles:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "cluster" not in data and data["id"] == path.stem, path.name
        assert str(data.get("company", "")).lower() not in corpus_companies, path.name
        assert label in corpus.clusters and half in ("tuning", "held-out", "fresh"), path.name


def test_blind_profiles_held_out_accuracy(corpus: Corpus) -> None:
    """Issue 4's target, 9 profiles in 10, on the profiles never tuned on."""
    accuracy, misses, n = _profile_accuracy(corpus, {"held-out", "fresh"})
    print(f"\nblind profiles, held-out and fresh: {accuracy:.0%} of {n}", *misses, sep="\n  ")
    assert accuracy >= 0.9, misses


def test_blind_notes_held_out_accuracy(corpus: Corpus) -> None:
    """Issue 4's target, 3 notes in 4, on the held-out half (optimistic: see docs/method.md)."""
    accuracy, misses, n = _note_accuracy(corpus, {"held-out"})
    print(f"\nblind notes, held-out half: {accuracy:.0%} of {n}", *misses, sep="\n  ")
    assert accuracy >= 0.75, misses


def test_blind_notes_tuning_halves_stay_right(corpus: Corpus) -> None:
    """A regression guard for the lexicon: the notes it was tuned on."""
    accuracy, misses, n = _note_accuracy(corpus, {"tuning", "tuning-2", "tuning-3"})
    print(f"\nblind notes, tuning halves: {accuracy:.0%} of {n}", *misses, sep="\n  ")
    assert accuracy >= 0.9, misses


def test_blind_notes_fresh_floor(corpus: Corpus) -> None:
    """The fresh notes, measured once and never tuned on: 6 of 12 when written, 8 of 12 with the
    text cues (data/textcues.yaml, measured once after they were built)."""
    accuracy, misses, n = _note_accuracy(corpus, {"fresh"})
    print(f"\nblind notes, fresh: {accuracy:.0%} of {n}", *misses, sep="\n  ")
    assert accuracy >= 8 / 12 - 1e-9, misses
