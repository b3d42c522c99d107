"""Issue 15: what bmnav derives stays faithful to the report, and bmnav's own choices say so.

Each test quotes the line of the report (../shared/seeds/000_0f0c9de2d74cf27d.txt)
that the correction rests on.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bmnav.domain.evolution import maturity, next_advice
from bmnav.domain.metrics import metrics
from bmnav.domain.positions import position
from bmnav.storage.corpus import Corpus, load_corpus

ROOT = Path(__file__).resolve().parents[1]
CASES = sorted((ROOT / "data" / "usecases").glob("*.yaml"))
CLUSTERS = yaml.safe_load((ROOT / "data" / "clusters.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(None)


def report_cases(corpus: Corpus) -> list[Any]:
    return [c for c in corpus if c.origin == "report"]


# --- orchestrator -------------------------------------------------------------


@pytest.mark.parametrize(
    ("case_id", "orchestrator"),
    [
        # Table 2: "Service provider (orchestrates the service) | Service provider (Michelin Solutions) |
        # Equipment manufacturer (Bosch)"
        ("tire-as-a-service", "service-provider"),
        ("bosch-equipment-as-a-service", "service-provider"),
        # §2.1 names no orchestrator for Baowu's internal network
        ("baowu-digital-virtual-factory", None),
    ],
)
def test_orchestrator_is_the_reports_service_provider(corpus: Corpus, case_id: str, orchestrator: str | None) -> None:
    m = metrics(corpus.get(case_id))
    assert m["orchestrator"] == orchestrator
    assert "broker" in m  # the betweenness measure keeps its own, honest name


def test_show_names_broker_apart_from_orchestrator(run_cli: Callable[..., Any]) -> None:
    r = run_cli("show", "tire-as-a-service")
    assert r.exit_code == 0
    assert "orchestrator            service-provider" in r.stdout
    assert "§2.6, Table 2" in r.stdout
    assert "broker" in r.stdout


def test_export_roles_marks_the_reports_orchestrator(run_cli: Callable[..., Any]) -> None:
    r = run_cli("export", "--roles", "--origin", "report")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    orchestrators = {(x["case"], x["role"]) for x in rows if x["orchestrator"] == "true"}
    assert orchestrators == {
        ("bosch-equipment-as-a-service", "service-provider"),
        ("tire-as-a-service", "service-provider"),
    }
    assert {"broker", "count_basis", "count_low", "count_high", "counts"} <= set(rows[0])


# --- maturity -------------------------------------------------------------------


def test_stages_keep_the_reports_haier_path_apart() -> None:
    # §3.2: "Next, this section shifts its focus from efficiency to the combination of marketplace and data trustee"
    stage2 = next(s for s in CLUSTERS["stages"] if s["stage"] == 2)
    assert stage2["report_clusters"] == ["marketplace", "data-trustee"]
    assert "smart-product-as-a-service" in stage2["clusters"]
    assert "bmnav" in stage2["basis"]


def test_next_step_says_which_path_it_follows(corpus: Corpus) -> None:
    basis, note, alternatives = next_advice(corpus, ["as-a-service"], 2)
    assert basis == "bmnav"
    assert "no basis" in (note or "")
    assert alternatives == ["marketplace", "data-trustee"]
    assert next_advice(corpus, ["marketplace"], 2)[0] == "report"


def test_tables_4_and_5_are_flagged_and_not_ranked(corpus: Corpus) -> None:
    # Table 4 and Table 5 both read: "Key trends | Diverse needs of customer | High inventory"
    m = maturity(corpus.get("haier-cosmoplat"), corpus)
    assert m.duplicated_tables == [[2, 3]]
    assert m.address_first == []
    assert next(a.text for a in m.duplicated_forces) == "High inventory"
    d = m.as_dict()
    assert d["duplicated_tables"] == [[2, 3]]


def test_maturity_cli_prints_the_duplication(run_cli: Callable[..., Any]) -> None:
    r = run_cli("maturity", "haier-cosmoplat")
    assert "Tables 4 and 5 are the same" in r.stdout
    assert "Constraining forces to address first" not in r.stdout


# --- recommendations -------------------------------------------------------------


def _rec(rid: str) -> dict[str, Any]:
    return next(r for r in CLUSTERS["recommendations"] if r["id"] == rid)


def test_every_recommendation_keeps_its_addressee() -> None:
    assert all(r.get("addressee") in ("government", "company", "both") for r in CLUSTERS["recommendations"])


@pytest.mark.parametrize(
    ("rid", "quote"),
    [
        ("competition-law-review", "Competition laws in both countries should be reviewed"),
        ("funding-for-upgrades", "exploring and launching new funding schemes"),
        ("concrete-digital-goals", "Both countries should formulate more concrete ambitions"),
        ("online-matchmaking", "provide an accessible online"),
    ],
)
def test_policy_recommendations_stay_addressed_to_governments(rid: str, quote: str) -> None:
    # §4.1 iii: "Overall, competition laws in both countries should be reviewed to enable cooperation ..."
    rec = _rec(rid)
    assert rec["addressee"] == "government"
    assert quote in " ".join(rec["text"].split())
    assert rec.get("company_reading")  # the company advice is kept apart, as bmnav's reading


@pytest.mark.parametrize(
    "rid",
    [
        "technology-closes-capability-gaps",  # §4.1 iv "Use technology to close capability gaps"
        "data-professions",  # "Provide clarity on data professions of the future and workflow"
        "digital-skills-framework",  # "A framework for the development of future digital skills sets"
        "sme-sub-expert-group",  # "Create a sub-expert group ... exclusively for SME"
        "sme-awareness",  # "Pro-active communication activities/campaigns to raise awareness among SME"
        "joint-development-foundations",  # "the US enables the establishment of Joint Development Foundations"
        "sino-german-cooperation",  # §4.2 "continue to strengthen cooperation between the two countries"
    ],
)
def test_missing_recommendations_are_added(rid: str) -> None:
    assert _rec(rid)["section"].startswith("4.")


def test_classify_labels_the_company_reading(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "id: p\nname: P\ncompany_size: sme\noffering: {access: open, data_sharing: multilateral}\n", encoding="utf-8"
    )
    r = run_cli("classify", str(profile), "--format", "json")
    recs = {x["id"]: x for x in json.loads(r.stdout)["recommendations"]}
    assert recs["competition-law-review"]["addressee"] == "government"
    assert recs["competition-law-review"]["company_reading"]


# --- as a service, evidence reasons ------------------------------------------------


def test_as_a_service_note_credits_the_service_provider() -> None:
    # §2.6: "The service provider commissions all workshop services" and "He orchestrates both the physical
    # activities and the data flow."
    note = " ".join(next(c for c in CLUSTERS["clusters"] if c["id"] == "as-a-service")["changes"]["note"].split())
    assert "the manufacturer now sells mainly" not in note
    assert "service provider commissions the workshops and orchestrates" in note


def test_sme_evidence_says_only_what_4_1_i_says() -> None:
    # §4.1 i: "Larger companies have higher levels of adoption of technology-led process and service innovation."
    whys = [e["why"] for c in CLUSTERS["clusters"] for e in c.get("evidence", [])]
    assert not any("SMEs usually start at stage 1" in w for w in whys)
    assert any("Larger companies adopt" in w for w in whys)


# --- uncited facts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case_id", "absent"),
    [
        ("3yourmind-marketplace", "Berlin"),  # §2.3 "3YOURMIND is a start-up"
        ("baowu-digital-virtual-factory", "Baowu Steel group"),
        ("tire-as-a-service", "Fleet operators of trucks"),
        ("haier-cosmoplat", "public company information"),
    ],
)
def test_uncited_facts_are_gone_or_marked(case_id: str, absent: str) -> None:
    assert absent not in (ROOT / "data" / "usecases" / f"{case_id}.yaml").read_text(encoding="utf-8")


def test_inferences_are_marked_as_the_authors() -> None:
    # §2.6: "It also gives the user access to additional financial and warranty services." (not from whom)
    for case_id in ("munich-re-accident-data-trustee", "bosch-equipment-as-a-service", "haier-cosmoplat"):
        assert "author's inference" in (ROOT / "data" / "usecases" / f"{case_id}.yaml").read_text(encoding="utf-8")


# --- provenance of counts ---------------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_stated_count_has_a_basis(path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for role in doc["network"]["roles"]:
        if "count" in role:
            assert role.get("count_basis") in ("report", "source", "estimate"), role["id"]


def test_show_marks_estimates_and_people(run_cli: Callable[..., Any]) -> None:
    r = run_cli("show", "haier-cosmoplat")
    assert "~5,000,000" in r.stdout and "people" in r.stdout
    assert "rests on estimates" in r.stdout


def test_people_are_counted_apart(corpus: Corpus) -> None:
    # §2.5: "customers can ... immediately access millions of global design resources and hundreds of companies"
    p = position(corpus.get("haier-cosmoplat"), corpus)
    assert p.people == 6_000_000
    assert p.organisations == 522  # platform + Tongyi + 300 + 200 + 20


def test_position_shows_how_far_it_can_move(corpus: Corpus, run_cli: Callable[..., Any]) -> None:
    p = position(corpus.get("haier-cosmoplat"), corpus)
    low, high = p.ecosystem_size_range
    assert low < p.ecosystem_size < high
    assert p.rests_on_estimates
    r = run_cli("position", "--origin", "report", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(report_cases(corpus))
    assert {"openness_low", "openness_high", "ecosystem_size_low", "ecosystem_size_high"} <= set(rows[0])
    j = json.loads(run_cli("position", "haier-cosmoplat", "--format", "json").stdout)
    assert j[0]["ecosystem_size_range"][0] < j[0]["ecosystem_size_range"][1]


def test_svg_draws_ranges(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    run_cli("position", "--origin", "report", "--svg", str(out))
    assert 'data-range="haier-cosmoplat"' in out.read_text(encoding="utf-8")


# --- openness against the report's own words ---------------------------------------------


def test_open_marketplace_is_more_open_than_any_closed_or_internal_case(corpus: Corpus) -> None:
    # §2.3: "3YOURMIND is positioning itself as an open additive manufacturing marketplace provider."
    ours = position(corpus.get("3yourmind-marketplace"), corpus).openness
    for case in report_cases(corpus):
        if case.offering.get("access") in ("closed", "internal"):
            assert position(case, corpus).openness < ours, case.id


def test_closed_network_has_no_open_side(corpus: Corpus) -> None:
    # §2.3: "closed marketplaces are subject to a pre-selection of suppliers by the marketplace provider"
    p = position(corpus.get("bosch-equipment-as-a-service"), corpus)
    assert p.components["open_sides"] == 0.0


def test_own_plants_only_is_the_least_open(corpus: Corpus) -> None:
    # §2.1: Baowu "connected their production bases across China with the newly established digital virtual factory"
    baowu = position(corpus.get("baowu-digital-virtual-factory"), corpus).openness
    assert all(
        position(c, corpus).openness > baowu for c in report_cases(corpus) if c.id != "baowu-digital-virtual-factory"
    )


# --- origin filter, per-role changes, small wrongs ------------------------------------------


@pytest.mark.parametrize("command", [("export", "--format", "json"), ("position", "--format", "json")])
def test_origin_filter(run_cli: Callable[..., Any], corpus: Corpus, command: tuple[str, ...]) -> None:
    r = run_cli(*command, "--origin", "report")
    assert r.exit_code == 0
    assert len(json.loads(r.stdout)) == len(report_cases(corpus))


def test_compare_origin_filter(run_cli: Callable[..., Any]) -> None:
    r = run_cli("compare", "as-a-service", "--origin", "report", "--format", "json")
    assert r.exit_code == 0
    cases = json.loads(r.stdout)["clusters"][0]["cases"]
    assert sorted(cases) == ["bosch-equipment-as-a-service", "tire-as-a-service"]


def test_per_role_changes_are_shown(run_cli: Callable[..., Any]) -> None:
    # §2.6: "The service provider becomes the manufacturer's main customer."
    card = json.loads(run_cli("show", "tire-as-a-service", "--format", "json").stdout)
    roles = {r["id"]: r for r in card["roles"]}
    assert roles["tire-manufacturer"]["changes"] == {"who": True}
    assert "What changed, per role" in run_cli("show", "tire-as-a-service").stdout


def test_card_small_wrongs(run_cli: Callable[..., Any]) -> None:
    out = run_cli("show", "tuv-sud-data-trust-center").stdout
    assert "users: )" not in out and "; users: " not in out.split("owner/user")[1].split("\n")[0] + "x"
    baowu = run_cli("show", "baowu-digital-virtual-factory").stdout
    assert "1 organisations" not in baowu
    bosch = run_cli("show", "bosch-equipment-as-a-service").stdout
    # §2.3: "A marketplace coordinates supply and demand to facilitate transactions (two-sided market)"
    assert "two-sided               yes" not in bosch


def test_no_answers_say_not_enough_facts(corpus: Corpus) -> None:
    from bmnav.classifying.classifier import classify
    from bmnav.domain.model import Case
    from bmnav.render.classify import render_text

    # with no answers, no cluster may be named as the headline (all six would score 0.17)
    result = classify(Case({"id": "empty", "name": "Empty"}), corpus)
    assert result.confidence == "insufficient"
    assert "not enough facts" in render_text(result)[1].plain


def test_diff_by_type_gives_table_2_row_by_row(run_cli: Callable[..., Any]) -> None:
    # Table 2: "Roles | Practical example 1 — Tire as a Service | Practical example 2 — Equipment as a Service"
    r = run_cli("diff", "tire-as-a-service", "bosch-equipment-as-a-service", "--by", "type", "--format", "json")
    roles = json.loads(r.stdout)["roles"]
    assert roles["added"] == [] and roles["removed"] == []
    assert [c["id"] for c in roles["changed"]] == [
        "product-user",
        "service-provider",
        "product-manufacturer",
        "maintenance-network",
        "owner",
        "iot-hardware-integrator",
        "iot-solution-provider",
    ]
    by_id = json.loads(run_cli("diff", "tire-as-a-service", "bosch-equipment-as-a-service", "--format", "json").stdout)
    assert len(by_id["roles"]["added"]) == 5 and len(by_id["roles"]["removed"]) == 5
