#!/usr/bin/env python3
"""Where parallel notes (the same facts in en, de, zh) read differently: per fact and language.

Usage (from the repository root):

    python benchmarks/parallel_misses.py DIR [DIR ...] [--only odd|even] [--list] [--all-facts]

DIR is a folder of parallel sets (tests/reference/parallel, tests/fixtures/parallel_fresh, ...).
For each stated fact it counts, per language, whether the reader gave the stated value,
another value, or nothing; --list prints every miss with the value read.

Only the facts the free-text reader reads are counted (the offering's fields, the
technologies, the company size, the country), as in blind_accuracy.py's parallel figure:
three empty readings of a set's industry or roles would agree without reading anything.
--all-facts counts every stated fact (roles, a list of mappings, compare as sorted JSON).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from bmnav.checking.problems import BmnavError  # noqa: E402
from bmnav.classifying.textfacts import facts_from_text  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from blind_accuracy import as_coded  # noqa: E402

LANGS = ("en", "de", "zh")


def flatten(facts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in facts.items():
        if key in ("offering", "network"):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def read_from_text(fact: str) -> bool:
    """Whether the free-text reader reads this fact (blind_accuracy.read_from_text)."""
    return fact.startswith("offering.") or fact in ("technologies", "company_size", "country")


def norm(value: Any) -> Any:
    """A value comparable across languages: a list in sorted order, whatever it holds
    (a set's roles are a list of mappings, which do not sort by themselves)."""
    if isinstance(value, list):
        return tuple(sorted(json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v for v in value))
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def sets(folders: list[Path], only: str | None) -> list[Path]:
    paths = []
    for folder in folders:
        for i, path in enumerate(sorted(folder.glob("*.yaml")), 1):
            if (only == "odd" and i % 2 == 0) or (only == "even" and i % 2 == 1):
                continue
            paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--only", choices=["odd", "even"])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--all-facts", action="store_true", help="also count facts the reader does not read")
    args = parser.parse_args(argv)
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    total = same = right = 0
    for path in sets(args.folders, args.only):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        truth = flatten(doc["facts"])
        got = {}
        for lang in LANGS:
            try:
                got[lang] = as_coded(facts_from_text(doc[lang]), path.parent)
            except BmnavError:
                got[lang] = {}
        for fact, value in truth.items():
            if not (args.all_facts or read_from_text(fact)):
                continue
            values = {lang: norm(got[lang].get(fact)) for lang in LANGS}
            total += 1
            same += len(set(values.values())) == 1
            right += all(v == norm(value) for v in values.values())
            for lang, v in values.items():
                kind = "right" if v == norm(value) else ("missing" if v is None else "wrong")
                tally[fact][f"{lang}-{kind}"] += 1
                if kind != "right" and args.list:
                    print(f"{path.parent.name}/{path.stem} {lang} {fact}: want {norm(value)} got {v}")
    if not total:
        print("no stated facts in these folders")
        return 0
    print(f"facts {total}  same in all three {same / total:.3f}  right in all three {right / total:.3f}")
    for fact, c in sorted(tally.items()):
        row = "  ".join(
            f"{lang}: {c[lang + '-right']}/{c[lang + '-right'] + c[lang + '-wrong'] + c[lang + '-missing']}"
            f" (wrong {c[lang + '-wrong']}, none {c[lang + '-missing']})"
            for lang in LANGS
        )
        print(f"{fact:32} {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
