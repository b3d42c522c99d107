"""`bmnav diff` and `bmnav.domain.diffs.diff`: the semantic diff of two cases.

The revisions are real files in tests/fixtures/diff/: tire-v1.yaml is the
bundled Tire as a Service case, tire-v1-reordered.yaml the same case in
another order (identical), tire-v2.yaml a later revision with every kind of
change, tire-broken.yaml a revision with errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bmnav.domain.diffs import DiffResult, diff, load_side, word_diff
from bmnav.domain.model import Case
from bmnav.storage.corpus import Corpus, load_corpus

FIX = Path(__file__).parent / "fixtures" / "diff"
V1 = str(FIX / "tire-v1.yaml")
V1_REORDERED = str(FIX / "tire-v1-reordered.yaml")
V2 = str(FIX / "tire-v2.yaml")
BROKEN = str(FIX / "tire-broken.yaml")
PROFILE = str(FIX / "client-profile.yaml")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="module")
def v1_v2(corpus: Corpus) -> DiffResult:
    return diff(load_side(V1, corpus), load_side(V2, corpus), corpus)


# --- identical: exit 0 -------------------------------------------------------


def test_file_with_itself_is_identical(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1, V1)
    assert r.exit_code == 0, r
    assert "identical" in r.stdout


def test_corpus_id_against_its_copy_is_identical(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    # a copy of the bundled case as it is now (the fixtures are a frozen revision history)
    bundled = Path(__file__).resolve().parents[1] / "data" / "usecases" / "tire-as-a-service.yaml"
    copy = tmp_path / "tire-as-a-service.yaml"
    copy.write_bytes(bundled.read_bytes())
    r = run_cli("diff", "tire-as-a-service", str(copy))
    assert r.exit_code == 0, r


def test_order_defaults_and_reflowed_text_are_no_change(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1, V1_REORDERED, "--format", "json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    assert doc["identical"] is True
    assert doc["fields"] == [] and doc["lists"] == [] and doc["questions"] == []
    assert doc["roles"] == {"added": [], "removed": [], "changed": []}
    assert doc["flows"] == {"added": [], "removed": [], "changed": []}
    assert not any(d["changed"] for d in doc["derived"].values())


def test_broken_file_with_itself_is_exit_0_with_its_problems_shown(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", BROKEN, BROKEN)
    assert r.exit_code == 0, r
    assert "tire-broken.yaml:6:15" in r.stderr


# --- different: exit 1 --------------------------------------------------------


def test_changed_scalar_fields(v1_v2: DiffResult) -> None:
    fields = {f.path: (f.old, f.new, f.change) for f in v1_v2.fields}
    assert fields["offering.access"] == ("closed", "open", "changed")
    assert fields["year"] == (2019, 2021, "changed")
    assert fields["maturity.stage"] == (None, 3, "added")


def test_lists_are_sets(v1_v2: DiffResult) -> None:
    lists = {s.path: (s.added, s.removed) for s in v1_v2.lists}
    # [iiot-platform, cloud, big-data] -> [ai, cloud, iiot-platform]: reordering is no change
    assert lists == {"technologies": (["ai"], ["big-data"])}


def test_roles_matched_by_id(v1_v2: DiffResult) -> None:
    assert [r["id"] for r in v1_v2.roles.added] == ["finance-partner"]
    assert [r["id"] for r in v1_v2.roles.removed] == ["software-cloud-provider"]
    changed = {rid: {c.field: (c.old, c.new) for c in cs} for rid, cs in v1_v2.roles.changed}
    assert changed == {"fleet-operator": {"name": ("Product user", "Product user (fleet)"), "count": (500, 800)}}


def test_flows_matched_by_from_to_kind(v1_v2: DiffResult) -> None:
    added = {(f["from"], f["to"], f["kind"]) for f in v1_v2.flows.added}
    removed = {(f["from"], f["to"], f["kind"]) for f in v1_v2.flows.removed}
    assert added == {
        ("telematics-provider", "service-provider", "data"),
        ("finance-partner", "owner", "money"),
        ("owner", "finance-partner", "money"),
    }
    assert removed == {
        ("telematics-provider", "software-cloud-provider", "data"),
        ("software-cloud-provider", "service-provider", "data"),
        ("service-provider", "software-cloud-provider", "money"),
    }
    assert len(v1_v2.flows.changed) == 1
    key, changes = v1_v2.flows.changed[0]
    assert key == ("fleet-operator", "service-provider", "money")
    assert {c.field: (c.old, c.new) for c in changes} == {
        "what": ("Usage-based fee per kilometre", "Usage-based fee per kilometre driven"),
        "amount": (None, 2400000.0),
    }


def test_questions_word_by_word(v1_v2: DiffResult) -> None:
    questions = {q.question: q for q in v1_v2.questions}
    assert set(questions) == {"who", "value"}
    who = [(w.op, w.text) for w in questions["who"].words]
    assert who == [
        ("equal", "Fleet operators of trucks"),
        ("insert", "and buses"),
        ("equal", "that want to outsource tire management"),
    ]
    value = [(w.op, w.text) for w in questions["value"].words if w.op != "equal"]
    assert value == [
        ("delete", "kilometre)"),
        ("insert", "kilometre driven)"),
        ("delete", "IoT partners"),
        ("insert", "its finance partner"),
    ]


def test_word_diff_of_a_new_question() -> None:
    assert [(w.op, w.text) for w in word_diff(None, "Fleet operators")] == [("insert", "Fleet operators")]


def test_derived_changes(v1_v2: DiffResult) -> None:
    d = v1_v2.derived
    assert set(d) == {"classification", "position", "maturity"}
    assert d["maturity"].old == {"stage": 2, "source": "cluster"}
    assert d["maturity"].new == {"stage": 3, "source": "override"}
    assert d["position"].changed
    assert d["position"].new["openness"] > d["position"].old["openness"]  # closed -> open
    assert d["classification"].old[0]["cluster"] == "as-a-service"
    assert len(d["classification"].new) == 6


def test_derived_classification_follows_the_classifier(corpus: Corpus) -> None:
    from bmnav.classifying.classifier import classify
    from bmnav.domain.positions import position

    b = load_side(V2, corpus)
    result = diff(load_side(V1, corpus), b, corpus)
    ranking = classify(b, corpus).ranking
    assert result.derived["classification"].new == [{"cluster": r.cluster, "score": round(r.score, 4)} for r in ranking]
    assert result.derived["position"].new["openness"] == round(position(b, corpus).openness, 4)


def test_text_output_with_plus_and_minus(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1, V2)
    assert r.exit_code == 1, r
    out = r.stdout
    assert "--- a: " in out and "+++ b: " in out
    assert "  offering.access\n    - closed\n    + open\n" in out
    assert "  technologies\n    - big-data\n    + ai\n" in out
    assert "  + finance-partner: Finance company" in out
    assert "  - software-cloud-provider: IoT solution provider" in out
    assert "  ~ fleet-operator\n    - name: Product user\n    + name: Product user (fleet)\n" in out
    assert "who: Fleet operators of trucks {+and buses+} that want to outsource tire management" in out
    assert "[-IoT partners-] {+its finance partner+}" in out
    assert "  maturity stage\n    - 2 (cluster)\n    + 3 (override)\n" in out
    assert "\x1b[" not in out  # NO_COLOR: no escape codes


def test_stat(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1, V2, "--stat")
    assert r.exit_code == 1, r
    assert r.stdout.splitlines()[1:] == [
        "  fields     3 changed",
        "  lists      1 changed (+1 -1)",
        "  roles      +1 -1 ~1",
        "  flows      +3 -3 ~1",
        "  questions  2 changed (+7 -3 words)",
        "  derived    maturity, position",  # both revisions classify alike under the fitted model
    ]


def test_stat_json(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1, V2, "--stat", "--format", "json")
    assert r.exit_code == 1, r
    doc = json.loads(r.stdout)
    assert set(doc) == {"a", "b", "identical", "stat"}
    assert doc["stat"]["roles"] == {"added": 1, "removed": 1, "changed": 1}


def test_json_shape(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1, V2, "--format", "json")
    assert r.exit_code == 1, r
    doc = json.loads(r.stdout)
    assert list(doc) == ["a", "b", "identical", "stat", "fields", "lists", "roles", "flows", "questions", "derived"]
    assert doc["a"] == {"ref": V1, "id": "tire-as-a-service", "path": V1}
    assert doc["identical"] is False
    assert set(doc["stat"]) == {"fields", "lists", "roles", "flows", "questions", "derived"}
    assert {"path": "offering.access", "change": "changed", "old": "closed", "new": "open"} in doc["fields"]
    assert {"path": "technologies", "added": ["ai"], "removed": ["big-data"]} in doc["lists"]
    assert set(doc["roles"]) == {"added", "removed", "changed"}
    assert doc["roles"]["changed"][0]["id"] == "fleet-operator"
    assert set(doc["roles"]["changed"][0]["changes"][0]) == {"field", "old", "new"}
    flow = doc["flows"]["changed"][0]
    assert set(flow) == {"from", "to", "kind", "changes"}
    q = doc["questions"][0]
    assert set(q) == {"question", "old", "new", "words"}
    assert set(q["words"][0]) == {"op", "text"}
    assert set(doc["derived"]) == {"classification", "position", "maturity"}
    for part in doc["derived"].values():
        assert set(part) == {"changed", "old", "new"}
    assert set(doc["derived"]["position"]["new"]) == {"openness", "ecosystem_size", "manual"}


def test_profiles_diff_like_cases(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    changed = tmp_path / "client-profile.yaml"
    changed.write_text(Path(PROFILE).read_text().replace("access: closed", "access: open"), encoding="utf-8")
    r = run_cli("diff", PROFILE, str(changed), "--format", "json")
    assert r.exit_code == 1, r
    doc = json.loads(r.stdout)
    assert doc["fields"] == [{"path": "offering.access", "change": "changed", "old": "closed", "new": "open"}]
    assert doc["derived"]["maturity"]["old"] == {"stage": 2, "source": "classified"}


# --- trouble: exit 2 -----------------------------------------------------------


def test_unknown_id_gets_did_you_mean_and_exit_2(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", "tire-as-a-servce", V1)
    assert r.exit_code == 2, r
    assert 'did you mean "tire-as-a-service"' in r.stderr


def test_file_with_errors_gets_validate_errors_with_lines_and_exit_2(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1, BROKEN)
    assert r.exit_code == 2, r
    assert "tire-broken.yaml:6:15: error [invalid-value]" in r.stderr
    assert "tire-broken.yaml:18:36: error [flow-endpoint-missing]" in r.stderr
    assert r.stdout == ""


def test_missing_file_is_trouble(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    r = run_cli("diff", V1, str(tmp_path / "nope.yaml"))
    assert r.exit_code == 2, r


def test_wrong_number_of_arguments_is_trouble(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", V1)
    assert r.exit_code == 2, r


# --- git -------------------------------------------------------------------------


def test_git_external_diff_seven_arguments(run_cli: Callable[..., Any]) -> None:
    """GIT_EXTERNAL_DIFF passes: path old-file old-hex old-mode new-file new-hex new-mode."""
    r = run_cli("diff", "data/usecases/tire-as-a-service.yaml", V1, "abc", "100644", V2, "def", "100644", "--stat")
    assert r.exit_code == 0, r  # git treats a non-zero exit of an external diff as a failure
    assert r.stdout.startswith("data/usecases/tire-as-a-service.yaml (a) -> data/usecases/tire-as-a-service.yaml (b)")


def test_git_external_diff_added_file(run_cli: Callable[..., Any]) -> None:
    r = run_cli("diff", "new.yaml", "/dev/null", ".", ".", V1, "abc", "100644", "--format", "json")
    assert r.exit_code == 0, r
    doc = json.loads(r.stdout)
    assert {"path": "id", "change": "added", "old": None, "new": "tire-as-a-service"} in doc["fields"]
    assert len(doc["roles"]["added"]) == 7


# --- library --------------------------------------------------------------------


def test_history_phases_matched_by_number(corpus: Corpus) -> None:
    haier = corpus.get("haier-cosmoplat")
    data = json.loads(json.dumps(haier.data))
    history = data["maturity"]["history"]
    history[2]["forces"]["constraining"]["market"] = "Reliance on imported chips"
    history[1]["clusters"] = ["data-trustee", "marketplace"]  # order only
    del history[0]
    result = diff(haier, Case(data, "haier-v2.yaml"), corpus)
    fields = {f.path: (f.old, f.new) for f in result.fields}
    assert fields["maturity.history[phase=3].forces.constraining.market"] == (
        "Reliance on foreign suppliers",
        "Reliance on imported chips",
    )
    assert fields["maturity.history[phase=1]"][1] is None
    assert not [s for s in result.lists if s.path.startswith("maturity.history[phase=2]")]


def test_boolean_is_not_a_number(corpus: Corpus) -> None:
    a = Case({"id": "x", "changes": {"who": True}})
    b = Case({"id": "x", "changes": {"who": 1}})
    assert [f.path for f in diff(a, b, corpus).fields] == ["changes.who"]
