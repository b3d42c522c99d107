"""Symmetric coverage of the free-text lexicon (issue 14): whatever the reader can read in
one language it must be able to read in the other two. The audit is driven by the data
(data/lexicon.yaml), so a new concept, entry, country or place with words in one language
only fails here, naming what is missing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
LEXICON: dict[str, Any] = yaml.safe_load((ROOT / "data" / "lexicon.yaml").read_text(encoding="utf-8"))
LANGS = ("en", "de", "zh")


def _langs(by_lang: Any) -> set[str]:
    """The languages a `{lang: [words]}` mapping has words for."""
    return {str(lang) for lang, ws in (by_lang or {}).items() if ws}


def _entry_langs(entry: dict[str, Any]) -> set[str]:
    """The languages an entry reads in: its words, patterns and `all` sets (`any`: all three)."""
    out = _langs(entry.get("words")) | _langs(entry.get("patterns")) | _langs(entry.get("all"))
    return set(LANGS) if "any" in out else out


def test_every_concept_has_words_in_every_language() -> None:
    missing = {name: sorted(set(LANGS) - _langs(ws)) for name, ws in LEXICON["concepts"].items()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_every_entry_reads_in_every_language() -> None:
    missing = [
        f"{e['fact']}={e.get('is')}: {sorted(set(LANGS) - _entry_langs(e))}"
        for e in LEXICON["facts"]
        if _entry_langs(e) and set(LANGS) - _entry_langs(e)
    ]
    assert missing == []


def test_every_concept_a_rule_names_exists() -> None:
    """ "@name" of an unknown concept matches nothing, silently: in every language alike."""
    named = {
        m.group(1)
        for e in LEXICON["facts"]
        for item in re.findall(r"@[\w]+", yaml.safe_dump({"all": e.get("all"), "unless": e.get("unless")}))
        for m in [re.match(r"@(\w+)", item)]
        if m
    }
    assert named - set(LEXICON["concepts"]) - {"focal"} == set()


@pytest.mark.parametrize("section", ["countries", "places"])
def test_every_country_and_place_is_named_in_every_language(section: str) -> None:
    """A place's `any` names are written alike in English and German."""
    missing = {}
    for code, by_lang in LEXICON[section].items():
        have = _langs(by_lang)
        if "any" in have:
            have |= {"en", "de"}
        if set(LANGS) - have:
            missing[code] = sorted(set(LANGS) - have)
    assert missing == {}


def test_the_word_lists_of_the_reader_cover_every_language() -> None:
    """Negation, contrast, time marks and the headcount's words: one missing language
    would make a whole kind of statement unreadable there."""
    lists = {
        "negations": LEXICON["negations"],
        "contrast": LEXICON["contrast"],
        "time.today": LEXICON["time"]["today"],
        "time.plan": LEXICON["time"]["plan"],
        "headcount.after": LEXICON["headcount"]["after"],
        "headcount.before": LEXICON["headcount"]["before"],
        "headcount.about": LEXICON["headcount"]["about"],
        "enumeration": LEXICON["enumeration"],
    }
    assert {k: sorted(set(LANGS) - _langs(v)) for k, v in lists.items() if set(LANGS) - _langs(v)} == {}
