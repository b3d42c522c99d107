"""The classifier as a library: scores, confidence, evidence, hybrids, missing facts, similar cases."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import pytest

from bmnav.checking.problems import BmnavError
from bmnav.classifying.classifier import ClassificationResult, Model, classify, classify_facts, load_profile, scores
from bmnav.classifying.classify_facts import fact_specs, facts_of
from bmnav.domain.model import Case
from bmnav.storage.corpus import Corpus, load_corpus

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "classify"
EXAMPLE = ROOT / "examples" / "acme-profile.yaml"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def acme(corpus: Corpus) -> Case:
    return load_profile(EXAMPLE, corpus)


def test_scores_sum_to_one_for_every_cluster(corpus: Corpus, acme: Case) -> None:
    result = classify(acme, corpus)
    assert [r.cluster for r in result.ranking] == sorted(
        (r.cluster for r in result.ranking), key=lambda c: -next(x.score for x in result.ranking if x.cluster == c)
    )
    assert {r.cluster for r in result.ranking} == set(corpus.cluster_ids())
    assert math.isclose(sum(r.score for r in result.ranking), 1.0, abs_tol=1e-9)
    assert all(0.0 <= r.score <= 1.0 for r in result.ranking)


def test_no_facts_names_no_cluster(corpus: Corpus) -> None:
    """With nothing known the scores are the fitted intercepts alone: "not enough facts" (issue 15)."""
    result = classify_facts({}, corpus, name="empty")
    assert math.isclose(sum(r.score for r in result.ranking), 1.0)
    assert result.confidence == "insufficient"
    assert {r.confidence for r in result.ranking} == {"insufficient"}
    assert result.as_dict()["cluster"] is None
    assert result.coverage == 0.0


def test_example_is_as_a_service_with_evidence(corpus: Corpus, acme: Case) -> None:
    result = classify(acme, corpus)
    first = result.ranking[0]
    assert first.cluster == "as-a-service"
    assert result.confidence == "high"
    facts = {e["fact"] for e in first.evidence_for}
    assert {"offering.ownership", "offering.revenue", "network.owner_user_split"} <= facts
    assert all(e["weight"] > 0 and e["why"] for e in first.evidence_for)
    # the runner-up shows what speaks against it
    assert any(e["weight"] < 0 for r in result.ranking[1:] for e in r.evidence_against)


def test_confidence_drops_when_facts_are_removed(corpus: Corpus, acme: Case) -> None:
    full = classify(acme, corpus)
    data = copy.deepcopy(acme.data)
    for key in ("network", "patterns", "technologies", "changes"):
        data.pop(key)
    data["offering"] = {"revenue": ["pay-per-use"]}
    thin = classify(Case(data), corpus)
    order = ["low", "medium", "high"]
    assert thin.coverage < full.coverage
    assert order.index(thin.confidence) < order.index(full.confidence)
    assert thin.ranking[0].score < full.ranking[0].score


def test_missing_facts_ranked_by_impact(corpus: Corpus) -> None:
    result = classify(load_profile(FIX / "thin-profile.yaml", corpus), corpus)
    missing = result.missing_facts
    assert missing, "a one-fact profile must have missing facts"
    assert all(set(m) == {"fact", "impact", "could_change_to", "question"} for m in missing)
    names = [m["fact"] for m in missing]
    assert "offering.ownership" not in names  # it is known
    assert "network" in names  # no network at all: one entry for it
    flips = [m for m in missing if m["could_change_to"]]
    rest = [m for m in missing if not m["could_change_to"]]
    assert missing == flips + rest
    assert [m["impact"] for m in flips] == sorted((m["impact"] for m in flips), reverse=True)


def test_fully_described_case_has_no_missing_facts(corpus: Corpus) -> None:
    case = corpus.get("tire-as-a-service")
    assert classify(case, corpus).missing_facts == []


def test_hybrid_is_reported_under_also(corpus: Corpus) -> None:
    result = classify(load_profile(FIX / "hybrid-profile.yaml", corpus), corpus)
    assert result.cluster == "data-trustee"
    assert result.also == ["marketplace"]
    assert result.ranking[1].cluster == "marketplace"
    assert result.ranking[1].confidence in ("medium", "low")


def test_similar_cases_exclude_the_case_itself(corpus: Corpus) -> None:
    case = corpus.get("telekom-data-intelligence-hub")
    result = classify(case, corpus, exclude=case.id)
    assert len(result.similar) == 3
    assert case.id not in [s["case"] for s in result.similar]
    first = result.similar[0]
    assert set(first) >= {"case", "similarity", "shared", "section", "cluster"}
    assert 0.0 <= first["similarity"] <= 1.0
    assert first["section"] == "§2.4"
    assert [s["similarity"] for s in result.similar] == sorted((s["similarity"] for s in result.similar), reverse=True)


def test_maturity_and_next_stage(corpus: Corpus, acme: Case) -> None:
    result = classify(acme, corpus)
    assert result.maturity["stage"] == 2
    assert result.maturity["next"] == 3
    assert result.maturity["next_clusters"] == ["mass-customisation"]
    eff = classify_facts({"offering.access": "internal", "offering.revenue": ["cost-saving"]}, corpus)
    assert eff.cluster == "efficiency"
    assert (eff.maturity["stage"], eff.maturity["next"]) == (1, 2)


def test_recommendations_follow_size_and_data_sharing(corpus: Corpus, acme: Case) -> None:
    ids = [r["id"] for r in classify(acme, corpus).recommendations]
    assert "sme-orientation" in ids  # company_size: sme
    assert "clarify-data-rights" in ids  # data_sharing: bilateral
    assert "competition-law-review" not in ids  # only for multilateral sharing
    large = classify(corpus.get("tuv-sud-data-trust-center"), corpus)
    large_ids = [r["id"] for r in large.recommendations]
    assert "sme-orientation" not in large_ids
    assert {"competition-law-review", "price-your-data"} <= set(large_ids)


def test_position_is_included(corpus: Corpus, acme: Case) -> None:
    pos = classify(acme, corpus).position
    assert pos is not None
    assert 0.0 <= pos["openness"] <= 1.0 and 0.0 <= pos["ecosystem_size"] <= 1.0
    # too thin to place: no position, but still a classification
    assert classify(load_profile(FIX / "thin-profile.yaml", corpus), corpus).position is None


def test_json_shape(corpus: Corpus, acme: Case) -> None:
    d = classify(acme, corpus).as_dict()
    assert {"ranking", "also", "missing_facts", "similar", "maturity", "position", "confidence", "cluster"} <= set(d)
    assert set(d["ranking"][0]) >= {"cluster", "score", "confidence", "evidence"}
    assert set(d["ranking"][0]["evidence"]) == {"for", "against"}
    assert set(d["maturity"]) >= {"stage", "next"}
    assert set(d["position"]) >= {"openness", "ecosystem_size"}


def test_profile_with_schema_errors_raises_with_lines(corpus: Corpus) -> None:
    with pytest.raises(BmnavError) as info:
        load_profile(FIX / "bad-profile.yaml", corpus)
    lines = {(p.line, p.rule) for p in info.value.problems}
    assert (4, "invalid-value") in lines
    assert any(line == 6 for line, _ in lines)


def test_cluster_label_is_not_used(corpus: Corpus) -> None:
    case = corpus.get("foxconn-beacon")
    relabelled = Case({**case.data, "cluster": "efficiency"})
    assert classify(relabelled, corpus).cluster == classify(case, corpus).cluster


def test_evidence_names_no_company_or_case_id(corpus: Corpus) -> None:
    """The model must generalise: no evidence item may mention a corpus company or case id."""
    words: set[str] = set()
    for case in corpus:
        words.add(case.id.lower())
        words |= {w.lower() for w in str(case.company or "").replace(",", " ").split() if len(w) > 3}
    words -= {"gmbh", "group", "industrial", "internet", "solutions", "data", "center", "company", "ltd."}
    # words of company names that are also plain English: Tylko's legal name ("Custom sp. z o.o."),
    # "India Urban Data Exchange programme", "Huawei Cloud"
    words -= {"custom", "programme", "supply", "technologies", "smart", "exchange", "digital", "marketplace", "cloud"}
    words -= {"services", "production", "products"}
    model = Model.from_corpus(corpus)
    for cid, items in model.evidence.items():
        for e in items:
            text = f"{e.expected} {e.why}".lower()  # fact names are the contract's, not companies'
            assert not [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)], (cid, e)


def test_every_evidence_fact_is_in_the_fact_language(corpus: Corpus) -> None:
    specs = fact_specs(corpus.vocab)
    model = Model.from_corpus(corpus)
    assert all(e.fact in specs for items in model.evidence.values() for e in items)
    assert all(items for items in model.evidence.values()), "every cluster needs evidence"


def test_facts_of_reads_network_features(corpus: Corpus) -> None:
    facts = facts_of(corpus.get("munich-re-accident-data-trustee"))
    assert facts["network.neutral_data_intermediary"] is True
    assert facts["network.focal_type"] == "data-trustee"
    assert "changes.who" not in facts  # unknown, not false


def test_scores_change_with_a_single_fact(corpus: Corpus) -> None:
    model = Model.from_corpus(corpus)
    base = scores({}, model)
    co = scores({"offering.customer_involvement": "co-design"}, model)
    assert co["mass-customisation"] > base["mass-customisation"]
    assert isinstance(classify_facts({}, corpus), ClassificationResult)


def test_evidence_rule_flags_unknown_facts_and_values(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "data" / "clusters.yaml").read_text(encoding="utf-8")
    text = text.replace("{fact: offering.access, is: internal,", "{fact: offering.acess, is: internal,", 1)
    text = text.replace("{fact: offering.access, is: open,", "{fact: offering.access, is: opne,", 1)
    (tmp_path / "usecases").mkdir()
    (tmp_path / "clusters.yaml").write_text(text, encoding="utf-8")
    res = run_cli("validate", "--data", str(tmp_path), "--format", "parsable")
    assert res.exit_code == 1, res
    assert 'unknown fact "offering.acess" (did you mean "offering.access"?)' in res.stdout
    assert '"opne" is not a value of fact offering.access (did you mean "open"?)' in res.stdout
    assert "[evidence-fact-known]" in res.stdout or "(evidence-fact-known)" in res.stdout
