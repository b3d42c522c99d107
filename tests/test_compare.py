"""`bmnav compare` and `bmnav.domain.comparison.compare`: the clusters side by side."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

import pytest

from bmnav.checking.problems import BmnavError
from bmnav.domain.comparison import Comparison, compare, distinguishing, evidence_weights
from bmnav.storage.corpus import Corpus, load_corpus

SIX = ["efficiency", "smart-product-as-a-service", "marketplace", "data-trustee", "mass-customisation", "as-a-service"]


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def everything(corpus: Corpus) -> Comparison:
    return compare(corpus)


# --- library -----------------------------------------------------------------


def test_all_six_by_default(everything: Comparison) -> None:
    assert [c.id for c in everything.clusters] == SIX
    assert everything.against == "compared"


def test_stage_and_change_pattern(everything: Comparison) -> None:
    by_id = {c.id: c for c in everything.clusters}
    assert by_id["efficiency"].stage == 1 and by_id["mass-customisation"].stage == 3
    assert by_id["efficiency"].change_pattern == "how value"
    assert by_id["marketplace"].change_pattern == "who what how value"
    assert by_id["efficiency"].stage_name == "Efficiency"


def test_archetype_roles(everything: Comparison) -> None:
    eff = everything.clusters[0]
    assert eff.focal_role == "central-platform"
    assert [r["id"] for r in eff.roles] == ["central-platform", "production-bases", "customers"]
    assert [r["external"] for r in eff.roles] == [False, False, True]


def test_member_cases_and_their_counts(everything: Comparison, corpus: Corpus) -> None:
    by_id = {c.id: c for c in everything.clusters}
    assert sorted(by_id["data-trustee"].cases) == sorted(c.id for c in corpus if c.cluster == "data-trustee")
    assert "haier-cosmoplat" in by_id["efficiency"].also_cases
    assert sum(len(c.cases) for c in everything.clusters) == len(corpus)


def test_positions_mean_and_range_come_from_positions(everything: Comparison, corpus: Corpus) -> None:
    from bmnav.domain.positions import position

    dt = next(c for c in everything.clusters if c.id == "data-trustee")
    values = [position(corpus.get(cid), corpus).openness for cid in dt.cases]
    assert dt.openness is not None
    assert dt.openness.n == len(values)
    assert dt.openness.mean == pytest.approx(sum(values) / len(values))
    assert (dt.openness.min, dt.openness.max) == (min(values), max(values))
    assert dt.ecosystem_size is not None and 0 <= dt.ecosystem_size.min <= dt.ecosystem_size.max <= 1


def test_most_common_revenue_technologies_patterns(everything: Comparison, corpus: Corpus) -> None:
    aas = next(c for c in everything.clusters if c.id == "as-a-service")
    members = [corpus.get(cid) for cid in aas.cases]
    top = aas.revenue[0]
    assert top.value == "pay-per-use"
    assert top.count == sum(1 for m in members if "pay-per-use" in (m.offering.get("revenue") or []))
    assert all(top.count >= c.count for c in aas.revenue)
    assert [c.count for c in aas.technologies] == sorted((c.count for c in aas.technologies), reverse=True)
    assert "rent-instead-of-buy" in [c.value for c in aas.patterns]


def test_distinguishing_evidence_uses_the_classifier_model(everything: Comparison) -> None:
    mc = next(c for c in everything.clusters if c.id == "mass-customisation")
    first = mc.distinguishing[0]
    assert (first.fact, first.value, first.weight) == ("offering.customer_involvement", "co-design", 3.0)
    assert first.difference > 0
    assert all(d.difference < 0 for d in mc.distinguishing_against)


def test_distinguishing_is_against_the_compared_clusters(corpus: Corpus) -> None:
    weights = evidence_weights(corpus)
    pro, con = distinguishing(weights, "marketplace", ["efficiency"])
    assert pro[0].fact == "network.focal_type" and pro[0].value == "marketplace-provider"
    # efficiency weighs `offering.access = internal` +2.5, marketplace -2.0
    assert ("offering.access", "internal", -2.0, 2.5) in [(d.fact, d.value, d.weight, d.others) for d in con]


def test_some_clusters_by_name_or_id(corpus: Corpus) -> None:
    result = compare(corpus, ["Mass Customisation", "data-trustee", "efficiency"])
    assert [c.id for c in result.clusters] == ["mass-customisation", "data-trustee", "efficiency"]


def test_one_cluster_is_compared_with_all_others(corpus: Corpus) -> None:
    assert compare(corpus, ["marketplace"]).against == "all"


def test_bad_name_did_you_mean(corpus: Corpus) -> None:
    with pytest.raises(BmnavError, match='did you mean "marketplace"'):
        compare(corpus, ["marketplce"])


# --- CLI -------------------------------------------------------------------------


def test_cli_all(run_cli: Callable[..., Any]) -> None:
    r = run_cli("compare")
    assert r.exit_code == 0, r
    for short in ("Efficiency", "Smart product service", "Marketplace", "Data trustee", "Mass customisation"):
        assert short in r.stdout
    for row in ("Definition", "Changes", "Archetype", "Openness", "Ecosystem", "Revenue", "Technologies", "Patterns"):
        assert row in r.stdout
    assert max(len(line) for line in r.stdout.splitlines() if line.startswith(("┃", "│"))) <= 100  # fits


def test_cli_some_by_name(run_cli: Callable[..., Any]) -> None:
    r = run_cli("compare", "Marketplace", "data-trustee", "--format", "json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    assert [c["id"] for c in doc["clusters"]] == ["marketplace", "data-trustee"]


def test_cli_bad_name(run_cli: Callable[..., Any]) -> None:
    r = run_cli("compare", "efficiency", "marketplce")
    assert r.exit_code == 1, r
    assert 'did you mean "marketplace"' in r.stderr
    assert r.stdout == ""


def test_cli_json_shape(run_cli: Callable[..., Any]) -> None:
    r = run_cli("compare", "--format", "json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    assert set(doc) == {"against", "clusters"}
    assert [c["id"] for c in doc["clusters"]] == SIX
    first = doc["clusters"][0]
    assert list(first) == [
        "id",
        "name",
        "short",
        "section",
        "stage",
        "stage_name",
        "definition",
        "changes",
        "change_pattern",
        "changes_note",
        "archetype",
        "cases",
        "case_count",
        "also_cases",
        "openness",
        "ecosystem_size",
        "revenue",
        "technologies",
        "patterns",
        "distinguishing",
        "distinguishing_against",
        "role_changes",
    ]
    assert first["changes"] == {"who": False, "what": False, "how": True, "value": True}
    assert set(first["openness"]) == {"mean", "min", "max", "n"}
    assert set(first["revenue"][0]) == {"value", "count"}
    assert set(first["distinguishing"][0]) == {"fact", "is", "weight", "others", "difference", "why"}


def test_cli_csv(run_cli: Callable[..., Any]) -> None:
    r = run_cli("compare", "efficiency", "as-a-service", "--origin", "report", "--format", "csv")
    assert r.exit_code == 0, r
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [row["id"] for row in rows] == ["efficiency", "as-a-service"]
    assert rows[0]["changes_who"] == "false" and rows[0]["changes_how"] == "true"
    assert rows[0]["stage"] == "1"
    assert rows[1]["revenue"].startswith("pay-per-use (2)")
    assert float(rows[1]["openness_min"]) <= float(rows[1]["openness_mean"]) <= float(rows[1]["openness_max"])


def test_compare_shows_the_changes_recorded_per_role(corpus: Corpus, run_cli: Callable[..., Any]) -> None:
    """Issue 15: how the model changes for customers vs suppliers (§2.3) and trustee vs
    manufacturer (§2.4), from the cases' per-role `changes`, in JSON and in the table."""
    result = compare(corpus, ["marketplace", "data-trustee"], origin="report")
    recorded = {
        (case.id, r.id): r.changes for case in corpus if case.origin == "report" for r in case.roles if r.changes
    }
    got = {(r["case"], r["role"]): r for c in result.clusters for r in c.role_changes}
    expected = {k for k in recorded if corpus.get(k[0]).cluster in ("marketplace", "data-trustee")}
    assert set(got) == expected and expected
    for key, row in got.items():
        assert {q: row[q] for q in ("who", "what", "how", "value")} == {
            q: recorded[key].get(q) for q in ("who", "what", "how", "value")
        }
    r = run_cli("compare", "marketplace", "data-trustee", "--origin", "report")
    assert r.exit_code == 0, r
    assert "Changes" in r.stdout and "per role" in r.stdout
    assert "(tuv-sud-data-trust-center):" in r.stdout
    d = json.loads(run_cli("compare", "marketplace", "--origin", "report", "--format", "json").stdout)
    assert d["clusters"][0]["role_changes"]
