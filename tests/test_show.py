"""`bmnav show`: the case card in text and JSON, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "networks"


def test_show_text_card(run_cli) -> None:
    r = run_cli("show", "tire-as-a-service")
    assert r.exit_code == 0, r
    out = r.stdout
    for heading in (
        "Business model: the four questions",
        "What changed",
        "Offering",
        "Roles",
        "Flows (by kind)",
        "Metrics",
        "Reciprocity",
        "Position:",
        "Sources",
    ):
        assert heading in out, heading
    for label in ("Who: customers", "What: value proposition", "How: value chain", "Value: revenue mechanism"):
        assert label in out
    assert "service-provider (focal)" in out
    assert "usage-right (1)" in out and "money (6)" in out
    assert "orchestrator" in out and "no amounts on the money flows" in out
    assert "§2.6" in out


def test_show_json_keys(run_cli) -> None:
    r = run_cli("show", "airbus-skywise", "--format", "json")
    assert r.exit_code == 0, r
    card = json.loads(r.stdout)
    assert {
        "id",
        "name",
        "company",
        "cluster",
        "business_model",
        "changes",
        "offering",
        "roles",
        "flows",
        "metrics",
        "position",
        "sources",
    } <= set(card)
    assert set(card["business_model"]) == {"who", "what", "how", "value"}
    assert set(card["changes"]) == {"who", "what", "how", "value"}
    kinds = ["goods", "service", "data", "money", "usage-right", "intangible"]
    assert list(card["flows"]) == [k for k in kinds if k in card["flows"]]
    assert sum(len(v) for v in card["flows"].values()) == card["metrics"]["flows"]
    assert card["metrics"]["broker"] == "skywise"
    assert card["metrics"]["orchestrator"] is None  # no service provider: the report names none for §2.4
    assert card["position"]["manual"] is False
    assert 0 <= card["position"]["openness"] <= 1


def test_show_file_with_amounts_has_net_value(run_cli) -> None:
    r = run_cli("show", str(FIXTURES / "known-network.yaml"), "--format", "json")
    assert r.exit_code == 0, r
    card = json.loads(r.stdout)
    assert card["metrics"]["net_value"]["platform"] == {"in": 1150.0, "out": 600.0, "net": 550.0}
    text = run_cli("show", str(FIXTURES / "known-network.yaml"))
    assert text.exit_code == 0, text
    assert "Net/yr (EUR)" in text.stdout and "+550" in text.stdout and "-1,000" in text.stdout
    assert "freeloader: receives value and gives nothing back" in text.stdout


def test_show_manual_position_is_flagged(run_cli) -> None:
    r = run_cli("show", str(FIXTURES / "manual-position.yaml"))
    assert r.exit_code == 0, r
    assert "manual, set in the case" in r.stdout


def test_show_profile(run_cli) -> None:
    r = run_cli("show", str(FIXTURES / "profile-open.yaml"), "--format", "json")
    assert r.exit_code == 0, r
    card = json.loads(r.stdout)
    assert card["cluster"] is None and card["position"]["profile"] is True


def test_show_unknown_case(run_cli) -> None:
    r = run_cli("show", "tire-as-a-servic")
    assert r.exit_code == 1, r
    assert 'did you mean "tire-as-a-service"' in r.stderr
    assert r.stdout == ""


def test_show_dangling_reference(run_cli) -> None:
    r = run_cli("show", str(FIXTURES / "dangling-reference.yaml"))
    assert r.exit_code == 1, r
    assert "flow-endpoint-missing" in r.stderr and "ghost" in r.stderr
    assert "Traceback" not in r.stderr


def test_show_missing_file(run_cli, tmp_path: Path) -> None:
    r = run_cli("show", str(tmp_path / "none.yaml"))
    assert r.exit_code == 1, r
    assert "Traceback" not in r.stderr
