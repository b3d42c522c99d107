"""Network metrics on a hand-made network whose answers are worked out by hand
(see the comment at the top of tests/fixtures/networks/known-network.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bmnav.domain.metrics import metrics, net_value, orchestrator, reciprocity
from bmnav.domain.model import Case
from bmnav.storage.corpus import load_case, load_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "networks"


@pytest.fixture(scope="module")
def known() -> Case:
    corpus = load_corpus()
    return load_case(FIXTURES / "known-network.yaml", corpus.vocab)


def test_counts(known: Case) -> None:
    m = metrics(known)
    assert m["roles"] == 6
    assert m["organisations"] == 1 + 2 + 10 + 1 + 1 + 1
    assert m["external_roles"] == 5
    assert m["external_share"] == pytest.approx(5 / 6, abs=1e-4)
    assert m["flows"] == 9
    assert m["flows_by_kind"] == {
        "goods": 2,
        "service": 1,
        "data": 2,
        "money": 4,
        "usage-right": 0,
        "intangible": 0,
    }
    assert m["currency"] == "EUR"
    assert m["focal"] == "platform"
    assert m["connected"] is True


def test_orchestrator_by_betweenness(known: Case) -> None:
    best, between = orchestrator(known)
    assert best == "platform"
    # 5 of the 5 * 4 ordered pairs of the other roles have their shortest path through the platform
    assert between["platform"] == pytest.approx(5 / 20)
    assert all(v == 0 for k, v in between.items() if k != "platform")
    assert metrics(known)["broker"] == "platform"
    # the report's orchestrator is the service provider (§2.6, Table 2); this network has none
    assert metrics(known)["orchestrator"] is None


def test_orchestrator_ignores_money_paths() -> None:
    # money passes through "bank", goods pass through "shop": the shop orchestrates
    case = Case(
        {
            "id": "t",
            "network": {
                "focal": "shop",
                "roles": [{"id": r} for r in ("maker", "shop", "buyer", "bank")],
                "flows": [
                    {"from": "maker", "to": "shop", "kind": "goods"},
                    {"from": "shop", "to": "buyer", "kind": "goods"},
                    {"from": "buyer", "to": "bank", "kind": "money"},
                    {"from": "bank", "to": "maker", "kind": "money"},
                ],
            },
        }
    )
    assert orchestrator(case)[0] == "shop"


def test_reciprocity_per_role(known: Case) -> None:
    rec = reciprocity(known)
    assert rec["freeloader"]["balanced"] is False
    assert rec["freeloader"]["issue"] == "receives value and gives nothing back"
    assert rec["freeloader"]["receives"] == {"service": ["Free trial"]}
    assert rec["freeloader"]["gives"] == {}
    assert rec["sponsor"]["balanced"] is False
    assert rec["sponsor"]["issue"] == "pays and receives nothing"
    assert rec["makers"] == {"gives": {"goods": ["Parts"]}, "receives": {"money": ["Purchase price"]}, "balanced": True}
    assert rec["platform"]["gives"] == {
        "data": ["Order statistics"],
        "goods": ["Parts"],
        "money": ["Purchase price"],
        "service": ["Free trial"],
    }
    assert metrics(known)["unbalanced"] == ["freeloader", "sponsor"]


def test_net_value(known: Case) -> None:
    net = net_value(known)
    assert net is not None
    assert {k: v["net"] for k, v in net.items()} == {
        "analyst": -100,
        "buyers": -1000,
        "freeloader": 0,
        "makers": 600,
        "platform": 550,
        "sponsor": -50,
    }
    assert net["platform"] == {"in": 1150, "out": 600, "net": 550}


def test_net_value_none_without_amounts() -> None:
    corpus = load_corpus()
    assert metrics(corpus.get("tire-as-a-service"))["net_value"] is None


def test_data_hubs_and_owner_user(known: Case) -> None:
    m = metrics(known)
    assert m["data_hubs"] == ["platform"]
    assert m["owner_user"]["separated"] is False
    tire = metrics(load_corpus().get("tire-as-a-service"))
    assert tire["owner_user"]["separated"] is True
    assert tire["owner_user"]["usage_rights"] == [{"from": "owner", "to": "fleet-operator"}]


def test_metrics_are_json_ready(known: Case) -> None:
    text = json.dumps(metrics(known), sort_keys=True)
    assert json.loads(text)["broker"] == "platform"


def test_every_bundled_case_has_metrics() -> None:
    corpus = load_corpus()
    for case in corpus:
        m = metrics(case)
        assert m["roles"] == len(case.roles)
        assert m["broker"] in {r.id for r in case.roles}
        assert m["orchestrator"] is None or m["orchestrator"] in {r.id for r in case.roles}
        if case.origin == "report":  # reciprocity is a warning; contributed cases may carry one
            assert m["unbalanced"] == [], case.id
