"""Content checks for the bundled corpus (data/).

These tests read the YAML files directly, so they guard the data itself
(report facts, cross references, the Table 2 mapping, Haier's maturity phases)
independently of the validator in bmnav/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parents[1]
DATA = ROOT / "data"
CASE_FILES = sorted((DATA / "usecases").glob("*.yaml"))


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8-sig") as handle:
        return yaml.safe_load(handle)


CLUSTERS = _load(DATA / "clusters.yaml")
PATTERNS = _load(DATA / "patterns.yaml")
CASES = {path.stem: _load(path) for path in CASE_FILES}

CLUSTER_IDS = {c["id"] for c in CLUSTERS["clusters"]}
ROLE_TYPES = {r["id"] for r in CLUSTERS["role_types"]}
PATTERN_IDS = {p["id"] for p in PATTERNS["patterns"]}

FORCE_CATEGORIES = {"key_trends", "industry", "market", "macroeconomic"}


# --- clusters.yaml ---------------------------------------------------------


def test_six_report_clusters_with_their_stages() -> None:
    stages = {c["id"]: (c["section"], c["stage"]) for c in CLUSTERS["clusters"]}
    assert stages == {
        "efficiency": ("2.1", 1),
        "smart-product-as-a-service": ("2.2", 2),
        "marketplace": ("2.3", 2),
        "data-trustee": ("2.4", 2),
        "mass-customisation": ("2.5", 3),
        "as-a-service": ("2.6", 2),
    }


def test_stages_partition_the_clusters() -> None:
    listed = [cid for stage in CLUSTERS["stages"] for cid in stage["clusters"]]
    assert sorted(listed) == sorted(CLUSTER_IDS)
    by_id = {c["id"]: c["stage"] for c in CLUSTERS["clusters"]}
    for stage in CLUSTERS["stages"]:
        assert all(by_id[cid] == stage["stage"] for cid in stage["clusters"])


def test_efficiency_changes_only_how_and_value() -> None:
    (efficiency,) = [c for c in CLUSTERS["clusters"] if c["id"] == "efficiency"]
    changes = {k: v for k, v in efficiency["changes"].items() if k != "note"}
    assert changes == {"who": False, "what": False, "how": True, "value": True}


def test_table2_role_types_exist() -> None:
    table2 = {
        "product-user",
        "service-provider",
        "product-manufacturer",
        "maintenance-network",
        "owner",
        "iot-hardware-integrator",
        "iot-solution-provider",
    }
    assert table2 <= ROLE_TYPES


@pytest.mark.parametrize("cluster", CLUSTERS["clusters"], ids=lambda c: c["id"])
def test_archetype_is_consistent(cluster: dict[str, Any]) -> None:
    archetype = cluster["archetype"]
    roles = {r["id"] for r in archetype["roles"]}
    assert archetype["focal"] in roles
    assert {r["type"] for r in archetype["roles"]} <= ROLE_TYPES
    for flow in archetype["flows"]:
        assert flow["from"] in roles and flow["to"] in roles
    assert set(cluster["patterns"]) <= PATTERN_IDS


def test_recommendation_conditions_use_known_keys() -> None:
    allowed = {"company_size", "data_sharing", "access", "stage", "cluster", "always"}
    for rec in CLUSTERS["recommendations"]:
        when = rec["when"]
        assert when and set(when) <= allowed, rec["id"]
        assert set(when.get("cluster", [])) <= CLUSTER_IDS, rec["id"]
        assert when.get("company_size", "sme") in {"sme", "large"}, rec["id"]


# --- patterns.yaml ---------------------------------------------------------


def test_exactly_55_unique_patterns_with_descriptions() -> None:
    ids = [p["id"] for p in PATTERNS["patterns"]]
    assert len(ids) == 55
    assert len(set(ids)) == 55
    assert all(p["description"].strip() for p in PATTERNS["patterns"])
    assert [p["number"] for p in PATTERNS["patterns"]] == list(range(1, 56))


def test_pattern_aliases_do_not_shadow_ids() -> None:
    aliases = [a for p in PATTERNS["patterns"] for a in p.get("aliases", [])]
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & PATTERN_IDS


def test_pattern_clusters_mirror_cluster_patterns() -> None:
    from_clusters = {(pid, c["id"]) for c in CLUSTERS["clusters"] for pid in c.get("patterns", [])}
    from_patterns = {(p["id"], cid) for p in PATTERNS["patterns"] for cid in p.get("clusters", [])}
    assert from_clusters == from_patterns


# --- use cases -------------------------------------------------------------


def test_every_cluster_has_a_case() -> None:
    covered = {case["cluster"] for case in CASES.values()}
    assert covered == CLUSTER_IDS


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_references_exist(path: Path) -> None:
    case = CASES[path.stem]
    assert case["id"] == path.stem
    assert case["cluster"] in CLUSTER_IDS
    assert set(case.get("also", [])) <= CLUSTER_IDS
    assert case["cluster"] not in case.get("also", [])
    assert set(case.get("patterns", [])) <= PATTERN_IDS
    roles = case["network"]["roles"]
    role_ids = [r["id"] for r in roles]
    assert len(role_ids) == len(set(role_ids))
    assert case["network"]["focal"] in role_ids
    for role in roles:
        assert role["type"] in ROLE_TYPES, role["id"]
    for flow in case["network"].get("flows", []):
        assert flow["from"] in role_ids and flow["to"] in role_ids, flow


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_cites_the_report(path: Path) -> None:
    titles = [s["title"] for s in CASES[path.stem]["sources"]]
    assert any(t.startswith("Value Networks as the Foundation") and "§" in t for t in titles)


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_starts_with_schema_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/usecase.schema.json"


def _actors(case_id: str) -> dict[str, str]:
    roles = CASES[case_id]["network"]["roles"]
    mapping = {r["type"]: r["actor"] for r in roles}
    assert len(mapping) == len(roles) == 7, "one role per Table 2 row"
    return mapping


def test_tire_as_a_service_matches_table2() -> None:
    assert _actors("tire-as-a-service") == {
        "product-user": "Fleet operator",
        "service-provider": "Service provider (Michelin Solutions)",
        "product-manufacturer": "Tire manufacturer (Michelin, Continental)",
        "maintenance-network": "(Manufacturer's or external) maintenance network",
        "owner": "Service provider (Michelin Solutions)",
        "iot-hardware-integrator": "Telematics provider",
        "iot-solution-provider": "Software firm + cloud provider",
    }
    assert CASES["tire-as-a-service"]["network"]["focal"] == "service-provider"


def test_equipment_as_a_service_matches_table2() -> None:
    assert _actors("bosch-equipment-as-a-service") == {
        "product-user": "Producer",
        "service-provider": "Equipment manufacturer (Bosch)",
        "product-manufacturer": "Equipment manufacturer (Bosch)",
        "maintenance-network": ("Equipment manufacturer (Bosch) or external maintenance service providers"),
        "owner": "Finance company (Munich Re)",
        "iot-hardware-integrator": "IoT platform provider (Bosch and others)",
        "iot-solution-provider": "IoT platform provider (Bosch and others)",
    }
    network = CASES["bosch-equipment-as-a-service"]["network"]
    (focal,) = [r for r in network["roles"] if r["id"] == network["focal"]]
    assert focal["type"] == "service-provider"


@pytest.mark.parametrize(
    ("case_id", "internal"),
    [
        ("tire-as-a-service", {"service-provider", "owner"}),
        ("bosch-equipment-as-a-service", {"service-provider", "product-manufacturer"}),
    ],
)
def test_roles_of_the_focal_company_are_internal(case_id: str, internal: set[str]) -> None:
    """Rows played by the focal company alone are internal; shared rows stay external."""
    roles = CASES[case_id]["network"]["roles"]
    assert {r["type"] for r in roles if r.get("external", True) is False} == internal


def test_haier_maturity_phases() -> None:
    history = CASES["haier-cosmoplat"]["maturity"]["history"]
    assert [p["phase"] for p in history] == [1, 2, 3]
    assert [p["clusters"] for p in history] == [
        ["efficiency"],
        ["marketplace", "data-trustee"],
        ["mass-customisation"],
    ]
    for phase in history:
        for side in ("enabling", "constraining"):
            assert set(phase["forces"][side]) == FORCE_CATEGORIES, (phase["phase"], side)


def test_haier_phase1_forces_are_table3() -> None:
    forces = CASES["haier-cosmoplat"]["maturity"]["history"][0]["forces"]
    assert forces == {
        "enabling": {
            "key_trends": "Development of management",
            "industry": "Increase of efficiency",
            "market": "Need for lower price",
            "macroeconomic": "Increased cost of human labour",
        },
        "constraining": {
            "key_trends": "Level of manufacturing",
            "industry": "Low management level of manufacturing",
            "market": "High cost of upgrading",
            "macroeconomic": "Operation cost of factory is high",
        },
    }


def test_haier_has_the_largest_ecosystem() -> None:
    def size(case: dict[str, Any]) -> int:
        return sum(r.get("count", 1) for r in case["network"]["roles"])

    # among the report's own cases (the reference corpus holds larger ones); people and organisations together
    largest = max((c for c in CASES.values() if c.get("origin") == "report"), key=size)
    assert largest["id"] == "haier-cosmoplat"


def test_estimated_counts_are_marked() -> None:
    """Every count says where it comes from in data (`count_basis`, contract v1.1), not in a
    YAML comment that no output shows (see docs/corpus.md)."""
    for path in CASE_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("count:"):
                assert "# estimate" not in stripped, f"{path.name}: {stripped}"
        for role in yaml.safe_load(path.read_text(encoding="utf-8"))["network"]["roles"]:
            if "count" in role:
                assert role.get("count_basis") in ("report", "source", "estimate"), f"{path.name}: {role['id']}"
