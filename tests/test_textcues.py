"""Text cues (data/textcues.yaml, bmnav/classifying/textcues.py): the second, more general free-text signal."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bmnav.checking.problems import BmnavError
from bmnav.classifying.classifier import classify, classify_facts, load_profile
from bmnav.classifying.textcues import CUE_FACT, cue_scores, load_cues, prototype_texts, text_similarity
from bmnav.classifying.textfacts import facts_from_text
from bmnav.storage.corpus import Corpus, load_corpus

ROOT = Path(__file__).resolve().parent.parent
NOTES_FINAL = ROOT / "tests" / "profiles" / "notes_final"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


def test_english_stems_german_compounds_and_chinese_substrings() -> None:
    en = cue_scores("Every pair is customised; customers choose the colour.")
    assert "customise" in en["mass-customisation"]["words"]  # the cue as written, met by its stem
    de = cue_scores("Der Verband ist Datentreuhänder und betreibt einen Datenraum.")
    assert {"treuhänd", "datenraum"} <= set(de["data-trustee"]["words"])
    zh = cue_scores("平台撮合买家和卖家，收取佣金。")
    assert {"撮合", "佣金"} <= set(zh["marketplace"]["words"])


def test_operating_something_is_no_cue_of_as_a_service() -> None:
    """After round 18: "betreibt" (operates) is said of every pool, portal and plant, and no
    English or Chinese cue matched it; a model of use still reads ("Betreibermodell")."""
    operated = cue_scores("Der Verband betreibt einen Datenraum für Versicherer.")
    assert "as-a-service" not in operated
    # nor "betrieben", whose stem is every "Betrieb" (a plant, a business)
    assert "as-a-service" not in cue_scores(
        "Die Plattform wird von einem Verein betrieben; jeder Betrieb kann mitmachen."
    )
    assert "betreibermodell" in cue_scores("Die Anlagen laufen im Betreibermodell.")["as-a-service"]["words"]


def test_word_end_marker_and_negation() -> None:
    # "custom$" and "app$" must end at a word end: not "customers", not "approach"
    assert cue_scores("Our customers like the approach.") == {}
    assert "app" in cue_scores("Farmers use the app.")["smart-product-as-a-service"]["words"]
    # a cue right after a negation does not count
    assert "marketplace" not in cue_scores("This is not a marketplace.", negations={"en": ["not"]})


def test_cues_are_data_without_company_names(corpus: Corpus) -> None:
    cues = load_cues()
    assert set(cues["clusters"]) == set(corpus.clusters)
    for cid, by_lang in cues["clusters"].items():
        assert set(by_lang) == {"en", "de", "zh"}, cid
    words = {str(w).lower() for by_lang in cues["clusters"].values() for ws in by_lang.values() for w in ws}
    names = {str(c.company).lower() for c in corpus} | {c.id for c in corpus}
    assert not words & names
    protos = prototype_texts()
    for case in corpus:  # the companies' names (their first word: BAOWU, Haier, Foxconn, ...) are taken out
        token = str(case.company).lower().split()[0]
        if len(token) < 4 or token in ("custom", "international"):
            # "de" (De Lage Landen), "ald", "custom" (Tylko's legal name), "international"
            # (International Air Transport Association): common words
            continue
        assert all(token not in re.split(r"[^\w]+", t) for t in protos.values()), token


def test_similarity_is_a_cosine_per_cluster(corpus: Corpus) -> None:
    sim = text_similarity("A neutral trustee pools anonymised data of many companies.")
    assert set(sim) == set(corpus.clusters)
    assert all(0.0 <= v <= 1.0 for v in sim.values())
    assert max(sim, key=lambda c: sim[c]) == "data-trustee"


def test_cues_become_explained_evidence_for_text_only(corpus: Corpus) -> None:
    found = facts_from_text("Customers design their own furniture online; each piece is made to measure.")
    assert "mass-customisation" in found.facts[CUE_FACT]
    assert any(s["fact"] == CUE_FACT and s["value"] == "mass-customisation" for s in found.sources)
    result = classify_facts(found.facts, corpus, name="notes")
    assert result.cluster == "mass-customisation"
    cue = next(e for e in result.ranking[0].evidence_for if e["fact"] == CUE_FACT)
    assert "made to measure" in cue["value"] and cue["weight"] > 0
    # the missing facts are still the questions about facts, not hidden by the cue points
    assert all(m["fact"] != CUE_FACT for m in result.missing_facts)
    # profiles carry no text cues: their evidence has none
    profile = classify(load_profile(ROOT / "tests" / "profiles" / "nike-by-you.yaml", corpus), corpus)
    assert all(e["fact"] != CUE_FACT for r in profile.ranking for e in r.evidence_for)


def test_meaningless_text_still_names_the_facts_needed() -> None:
    with pytest.raises(BmnavError, match="no facts found"):
        facts_from_text("Lorem ipsum dolor sit amet, the weather was nice and the coffee was good.")


def _final_notes() -> dict[str, dict[str, str]]:
    notes: dict[str, dict[str, str]] = yaml.safe_load((NOTES_FINAL / "labels.yaml").read_text(encoding="utf-8"))[
        "notes"
    ]
    return notes


def test_the_final_set_is_balanced(corpus: Corpus) -> None:
    notes = _final_notes()
    assert len(notes) == 36
    assert Counter(name[:2] for name in notes) == {"en": 12, "de": 12, "zh": 12}
    assert Counter(e["label"] for e in notes.values()) == dict.fromkeys(corpus.clusters, 6)
    for name, entry in notes.items():
        assert (NOTES_FINAL / name).is_file(), name
        assert entry["half"] == "final" and entry.get("reason"), name


def test_final_notes_accuracy(corpus: Corpus) -> None:
    """Issue 4's free-text target, 3 in 4, on the final blind notes (written before the text cues,
    measured once before (29 of 36) and once after (36 of 36); never tuned on; see docs/method.md)."""
    misses = []
    notes = _final_notes()
    for name, entry in notes.items():
        try:
            found = facts_from_text((NOTES_FINAL / name).read_text(encoding="utf-8"))
            got = classify_facts(found.facts, corpus, name=name).cluster
        except BmnavError:
            got = "error: no facts"
        if got != entry["label"]:
            misses.append(f"{name}: {entry['label']} -> {got}")
    accuracy = 1 - len(misses) / len(notes)
    print(f"\nfinal notes: {accuracy:.0%} of {len(notes)}", *misses, sep="\n  ")
    assert accuracy >= 0.75, misses


def test_generic_words_are_data_that_a_data_folder_replaces(tmp_path: Path) -> None:
    """textcues.yaml `generic_words`: words kept in the prototypes although a case's
    name has them; a `--data` folder's own textcues.yaml decides them for its runs."""

    def words(protos: dict[str, str]) -> set[str]:
        return {w for t in protos.values() for w in re.split(r"[^\w]+", t)}

    bundled = words(prototype_texts())
    assert "tire" in bundled and "haier" not in bundled  # "tire" is listed; Haier is a company
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    doc = yaml.safe_load((data / "textcues.yaml").read_text(encoding="utf-8"))
    assert "tire" in doc["generic_words"]
    doc["generic_words"] = [w for w in doc["generic_words"] if w != "tire"] + ["haier"]
    (data / "textcues.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    own = words(prototype_texts(data))
    assert "haier" in own and "tire" not in own


def test_after_round_19_false_compound_parts_and_not_cues() -> None:
    """ "vereinbarten" holds no "Verein" (data/facts.yaml `german_no_compound`); "zahlt pro
    Auftrag" is a price per order, no cue of paying per use (data/textcues.yaml
    `not_cues`); a customer's non-core business is §2.6's outsourcing."""
    agreed = cue_scores("Der Kunde zahlt die Teile zu vereinbarten Preisen.")
    assert "data-trustee" not in agreed
    assert "verein" in cue_scores("Getragen wird der Verein von Landwirten.")["data-trustee"]["words"]
    assert "as-a-service" not in cue_scores("Der Kunde zahlt pro Auftrag.")
    assert "zahlt pro" in cue_scores("Der Kunde zahlt pro Tonne.")["as-a-service"]["words"]
    for text in (
        "Fasteners are not part of the core business for the customer.",
        "Kleinteile sind für ihn kein Kerngeschäft.",
        "紧固件管理不属于核心业务。",
    ):
        assert "as-a-service" in cue_scores(text), text
