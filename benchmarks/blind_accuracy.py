#!/usr/bin/env python3
"""Accuracy of `bmnav classify` on the blind test sets, per half and per language.

Usage (from the repository root):

    PYTHONPATH=. python benchmarks/blind_accuracy.py                  # figures, tuning misses
    PYTHONPATH=. python benchmarks/blind_accuracy.py --show-held-out  # and the held-out misses
    PYTHONPATH=. python benchmarks/blind_accuracy.py --json           # the figures as JSON

The blind sets were written before the lexicon and the text extractor were
read: tests/profiles/blind/ (profiles in the contract format, each with
`# label:`, `# reason:` and `# half:` comments) and tests/profiles/notes_blind/
(free-text notes in English, German and Chinese, labelled in labels.yaml).
Each set is split into a tuning half and a held-out half; only the tuning
half's misses may be looked at while changing the lexicon or the model.
The older sets (tests/profiles/*.yaml and tests/profiles/notes/) are reported too, and
tests/profiles/notes_final/ (36 notes written before the text cues of data/textcues.yaml,
half `final`: never tuned on; its misses are listed only with --show-held-out).
docs/method.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

from bmnav.classifier import classify, classify_facts, load_profile
from bmnav.corpus import Corpus, load_corpus
from bmnav.problems import BmnavError
from bmnav.textfacts import facts_from_text

PROFILES = Path(__file__).resolve().parent.parent / "tests" / "profiles"


def profile_rows(folder: Path, corpus: Corpus) -> list[dict[str, str]]:
    """One row per labelled profile in `folder`: name, half, label, predicted."""
    rows = []
    for path in sorted(folder.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        label = re.search(r"^# label: (\S+)", text, re.M)
        half = re.search(r"^# half: (\S+)", text, re.M)
        assert label, path
        try:
            got = classify(load_profile(path, corpus), corpus).cluster
        except BmnavError as exc:
            got = f"error: {exc}".splitlines()[0]
        rows.append(
            {
                "name": path.name,
                "half": half.group(1) if half else "all",
                "lang": "profile",
                "label": label.group(1),
                "got": got,
            }
        )
    return rows


def note_rows(folder: Path, corpus: Corpus) -> list[dict[str, str]]:
    """One row per labelled free-text note in `folder` (labels.yaml)."""
    notes = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))["notes"]
    rows = []
    for name, entry in notes.items():
        try:
            found = facts_from_text((folder / name).read_text(encoding="utf-8"))
            got = classify_facts(found.facts, corpus, name=name).cluster
        except BmnavError as exc:
            got = f"error: {exc}".splitlines()[0]
        rows.append(
            {"name": name, "half": entry.get("half", "all"), "lang": name[:2], "label": entry["label"], "got": got}
        )
    return rows


def summarise(rows: list[dict[str, str]]) -> dict[str, str]:
    """`right/total` per half, per half and language, and overall."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        ok = int(row["got"] == row["label"])
        keys = {"all", row["half"], f"{row['half']}/{row['lang']}"}
        for key in keys:
            counts[key][0] += ok
            counts[key][1] += 1
    return {key: f"{right}/{total}" for key, (right, total) in sorted(counts.items())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--show-held-out",
        action="store_true",
        help="also list the misses of the held-out half and of the final notes"
        " (only once tuning is over: looking at them spoils the set)",
    )
    args = parser.parse_args(argv)
    corpus = load_corpus()
    sets = {
        "blind profiles": profile_rows(PROFILES / "blind", corpus),
        "blind notes": note_rows(PROFILES / "notes_blind", corpus),
        "older profiles": profile_rows(PROFILES, corpus),
        "older notes": note_rows(PROFILES / "notes", corpus),
        "final notes": note_rows(PROFILES / "notes_final", corpus),
    }
    figures = {name: summarise(rows) for name, rows in sets.items()}
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for name, rows in sets.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures[name].items()))
        for row in rows:
            if row["got"] != row["label"] and (row["half"] not in ("held-out", "final") or args.show_held_out):
                print(f"  miss [{row['half']}] {row['name']}: {row['label']} -> {row['got']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
