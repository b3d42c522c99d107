"""`bmnav maturity` and `bmnav.domain.evolution`: stages of the corpus, a case's evolution."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bmnav.domain.evolution import CaseMaturity, MaturityOverview, maturity, overview
from bmnav.storage.corpus import Corpus, load_corpus

FIX = Path(__file__).parent / "fixtures" / "diff"
PROFILE = str(FIX / "client-profile.yaml")

#: The report's Tables 3-5 (§3.2): (enabling, constraining) by force category.
TABLE_3 = {
    "key_trends": ("Development of management", "Level of manufacturing"),
    "industry": ("Increase of efficiency", "Low management level of manufacturing"),
    "market": ("Need for lower price", "High cost of upgrading"),
    "macroeconomic": ("Increased cost of human labour", "Operation cost of factory is high"),
}
TABLE_4 = {
    "key_trends": ("Diverse needs of customer", "High inventory"),
    "industry": ("Technology of intelligent manufacturing", "System integration"),
    "market": ("Local consumer increase", "Reliance on foreign suppliers"),
    "macroeconomic": ("Sino-US trade war", "Environmental protection requirements"),
}
TABLE_5 = TABLE_4  # the report prints the same labels in Table 5


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


# --- library -----------------------------------------------------------------


def test_haier_three_phases(corpus: Corpus) -> None:
    m = maturity(corpus.get("haier-cosmoplat"), corpus)
    assert isinstance(m, CaseMaturity)
    assert [(p.phase, p.clusters, p.stage) for p in m.timeline] == [
        (1, ["efficiency"], 1),
        (2, ["marketplace", "data-trustee"], 2),
        (3, ["mass-customisation"], 3),
    ]
    assert m.timeline[2].period == "2017-"


@pytest.mark.parametrize(("phase", "table"), [(1, TABLE_3), (2, TABLE_4), (3, TABLE_5)])
def test_haier_forces_are_tables_3_to_5(corpus: Corpus, phase: int, table: dict[str, tuple[str, str]]) -> None:
    m = maturity(corpus.get("haier-cosmoplat"), corpus)
    p = m.timeline[phase - 1]
    for category, (enabling, constraining) in table.items():
        assert p.forces["enabling"][category] == [enabling]
        assert p.forces["constraining"][category] == [constraining]


def test_haier_current_and_next_stage(corpus: Corpus) -> None:
    m = maturity(corpus.get("haier-cosmoplat"), corpus)
    assert m.stage is not None and m.stage.stage == 3
    assert m.stage_source == "cluster"
    assert m.next is None  # mass customisation is the last stage
    # Tables 4 and 5 of the report are identical, so phase 3's constraining rows only repeat phase 2's:
    # they are kept (as printed) but not ranked as persistent forces to address first
    assert m.address_first == []
    assert [(a.category, a.text, a.phases, a.duplicated) for a in m.duplicated_forces] == [
        ("key_trends", "High inventory", [2, 3], True),
        ("industry", "System integration", [2, 3], True),
        ("market", "Reliance on foreign suppliers", [2, 3], True),
        ("macroeconomic", "Environmental protection requirements", [2, 3], True),
    ]


def test_case_without_history_gets_the_next_stage_clusters(corpus: Corpus) -> None:
    m = maturity(corpus.get("baowu-digital-virtual-factory"), corpus)
    assert m.timeline == [] and m.address_first == []
    assert m.stage is not None and m.stage.stage == 1
    assert m.next is not None and m.next.stage == 2
    assert set(m.next.clusters) == {"smart-product-as-a-service", "marketplace", "data-trustee", "as-a-service"}


def test_overview(corpus: Corpus) -> None:
    o = maturity(None, corpus)
    assert isinstance(o, MaturityOverview)
    assert len(o.cases) == len(corpus)
    stages = {c.case: c.stage for c in o.cases}
    assert stages["haier-cosmoplat"] == 3 and stages["baowu-digital-virtual-factory"] == 1
    by_size = {d.group: d for d in o.by_company_size}
    assert set(by_size) == {"large", "sme"}
    assert sum(d.cases for d in o.by_company_size) == len(corpus)
    assert sum(d.cases for d in o.by_country) == len(corpus)
    cn = next(d for d in o.by_country if d.group == "CN")
    chinese = [c for c in o.cases if corpus.get(c.case).data.get("country") == "CN"]
    assert cn.stages == {s: n for s in (1, 2, 3) if (n := sum(1 for c in chinese if c.stage == s))}


def test_overview_counts_follow_the_data(corpus: Corpus) -> None:
    o = overview(corpus)
    for s in o.stages:
        assert o.count(s.stage) == sum(1 for c in corpus if corpus.clusters[c.cluster or ""]["stage"] == s.stage)


# --- CLI -------------------------------------------------------------------------


def test_cli_overview_tables_with_bars(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity")
    assert r.exit_code == 0, r
    for title in ("Maturity stage of every case", "Stages by country", "Stages by company size"):
        assert title in r.stdout
    assert "█" in r.stdout
    assert "haier-cosmoplat" in r.stdout


def test_cli_overview_json(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity", "--format", "json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    assert list(doc) == ["cases", "stages", "by_country", "by_company_size"]
    assert set(doc["cases"][0]) == {
        "case",
        "name",
        "company",
        "country",
        "company_size",
        "cluster",
        "also",
        "stage",
        "stage_source",
        "phases",
    }
    assert [s["stage"] for s in doc["stages"]] == [1, 2, 3]
    assert set(doc["stages"][0]) == {
        "stage",
        "name",
        "clusters",
        "description",
        "report_name",
        "report_clusters",
        "cases",
    }
    assert set(doc["by_company_size"][0]) == {"company_size", "cases", "stages", "mean_stage"}
    assert set(doc["by_country"][0]) == {"country", "cases", "stages", "mean_stage"}
    assert set(doc["by_country"][0]["stages"]) == {"1", "2", "3"}


def test_cli_haier_timeline_and_forces(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity", "haier-cosmoplat", env={"COLUMNS": "140"})  # no force label wrapped
    assert r.exit_code == 0, r
    out = r.stdout
    assert "Evolution" in out
    assert "Phase 1: forces impacting on the establishment of Efficiency" in out
    assert "Phase 2: forces urging the change from Efficiency to Marketplace, Data trustee" in out
    assert "Phase 3: forces urging the change from Marketplace, Data trustee to Mass customisation" in out
    for label in ("Force enabling change", "Force constraining change", "Key trends", "Macroeconomic force"):
        assert label in out
    for enabling, constraining in [*TABLE_3.values(), *TABLE_4.values()]:
        assert enabling in out and constraining in out
    assert "Current stage: 3 Mass customisation" in out
    assert "Next stage: none" in out
    # Table 5 repeats Table 4: flagged, and its rows are not ranked
    assert "Tables 4 and 5 are the same" in out
    assert "Constraining forces to address first" not in out


def test_cli_haier_json(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity", "haier-cosmoplat", "--format", "json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    assert set(doc) == {
        "case",
        "name",
        "company",
        "profile",
        "clusters",
        "stage",
        "stage_name",
        "stage_source",
        "timeline",
        "next",
        "next_basis",
        "next_note",
        "alternatives",
        "address_first",
        "duplicated_tables",
        "duplicated_forces",
        "classification",
    }
    assert doc["stage"] == 3 and doc["next"] is None and doc["classification"] is None
    assert [p["clusters"] for p in doc["timeline"]] == [
        ["efficiency"],
        ["marketplace", "data-trustee"],
        ["mass-customisation"],
    ]
    phase1 = doc["timeline"][0]
    assert set(phase1) == {"phase", "period", "clusters", "stage", "summary", "forces"}
    assert phase1["forces"]["enabling"]["macroeconomic"] == ["Increased cost of human labour"]
    assert phase1["forces"]["constraining"]["market"] == ["High cost of upgrading"]
    assert doc["address_first"] == []
    assert doc["duplicated_tables"] == [[2, 3]]
    assert doc["duplicated_forces"][0] == {
        "category": "key_trends",
        "text": "High inventory",
        "phases": [2, 3],
        "duplicated": True,
    }


def test_cli_case_file_works_like_its_id(run_cli: Callable[..., Any]) -> None:
    by_id = run_cli("maturity", "haier-cosmoplat", "--format", "json")
    by_file = run_cli("maturity", "data/usecases/haier-cosmoplat.yaml", "--format", "json")
    assert by_id.exit_code == by_file.exit_code == 0
    assert json.loads(by_id.stdout)["timeline"] == json.loads(by_file.stdout)["timeline"]


def test_cli_profile_without_history(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity", PROFILE)
    assert r.exit_code == 0, r
    assert "No history" in r.stdout
    assert "Current stage: 2 Data in operation and platforms (classified by bmnav classify)" in r.stdout
    assert "Next stage: 3 Mass customisation" in r.stdout


def test_cli_profile_json_uses_the_classifier(run_cli: Callable[..., Any], corpus: Corpus) -> None:
    from bmnav.classifying.classifier import classify

    r = run_cli("maturity", PROFILE, "--format", "json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    expected = classify(corpus.resolve(PROFILE), corpus)
    assert doc["profile"] is True and doc["timeline"] == []
    assert doc["stage"] == expected.maturity["stage"] and doc["stage_source"] == "classified"
    assert doc["next"]["stage"] == 3 and doc["next"]["clusters"] == ["mass-customisation"]
    assert doc["classification"]["cluster"] == expected.cluster
    assert set(doc["classification"]) == {"cluster", "confidence", "ranking", "also", "maturity", "recommendations"}


def test_cli_unknown_case_did_you_mean(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity", "haier-cosmplat")
    assert r.exit_code == 1, r
    assert 'did you mean "haier-cosmoplat"' in r.stderr


def test_cli_file_with_errors_shows_lines(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity", str(FIX / "tire-broken.yaml"))
    assert r.exit_code == 1, r
    assert "tire-broken.yaml:6:15: error [invalid-value]" in r.stderr
