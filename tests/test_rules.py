"""The rule registry and the semantic rules, as `(line, rule)` pairs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bmnav.checking.problems import Level
from bmnav.checking.rules import RULES, Context, run_rules
from bmnav.checking.validation import load_vocabulary
from bmnav.storage.loading import load_text
from bmnav.storage.resources import data_dir

GOOD = (Path(__file__).parent / "cases" / "valid" / "minimal-marketplace.yaml").read_text(encoding="utf-8")
VOCAB, _ = load_vocabulary(data_dir(None))


# --- the registry ------------------------------------------------------------------


def test_rule_ids_are_kebab_case_and_match_their_key() -> None:
    for key, rule in RULES.items():
        assert key == rule.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id), rule.id


def test_every_rule_has_a_level_and_a_known_scope() -> None:
    for rule in RULES.values():
        assert isinstance(rule.level, Level)
        assert rule.scope in {"load", "schema", "usecase", "clusters", "patterns", "run"}, rule


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_docstring_with_pass_and_fail(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.summary.strip(), f"{rule_id}: no docstring"
    assert "PASS" in rule.doc, f"{rule_id}: no PASS example"
    assert "FAIL" in rule.doc, f"{rule_id}: no FAIL example"


def test_the_contracts_rules_are_registered() -> None:
    contract = {
        "id-unique",
        "id-matches-filename",
        "cluster-unknown",
        "pattern-unknown",
        "role-type-unknown",
        "focal-role-missing",
        "flow-endpoint-missing",
        "role-id-duplicate",
        "duplicate-key",
        "yaml11-coercion",
        "reciprocity",
    }
    assert contract <= set(RULES)
    assert RULES["reciprocity"].level is Level.WARNING
    assert all(RULES[r].level is Level.ERROR for r in contract - {"reciprocity"})


def test_registering_an_id_twice_fails() -> None:
    from bmnav.checking.rules import register

    with pytest.raises(ValueError, match="twice"):
        register("reciprocity", Level.WARNING, "usecase", "again")


def test_id_unique_is_registered_without_importing_validation() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bmnav.checking.rules as r; "
        "assert 'bmnav.checking.validation' not in sys.modules; print('id-unique' in r.RULES)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_each_schema_rule_is_written_down_where_it_is_raised() -> None:
    """The schema's rule ids and texts live in bmnav/checking/schema.py, which raises them;
    bmnav/checking/rules/builtin.py only puts them in the registry and names none itself."""
    import ast

    from bmnav.checking.schema import SCHEMA_RULES

    root = Path(__file__).resolve().parents[1] / "bmnav"
    schema_code = ast.parse((root / "checking" / "schema.py").read_text(encoding="utf-8"))
    raised = {
        c.args[3].value
        for c in ast.walk(schema_code)
        if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "error"
        if len(c.args) > 3 and isinstance(c.args[3], ast.Constant)
    }
    # and through `_At.problem(rule, message)`, which words a jsonschema error where it points
    raised |= {
        c.args[0].value
        for c in ast.walk(schema_code)
        if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "problem"
        if c.args and isinstance(c.args[0], ast.Constant)
    }
    assert raised == set(SCHEMA_RULES)
    # the ids builtin.py writes down: keys of its tables and first arguments of `register`
    builtin = ast.parse((root / "checking" / "rules" / "builtin.py").read_text(encoding="utf-8"))
    tables = [d for d in ast.walk(builtin) if isinstance(d, ast.Dict)]
    named = {k.value for d in tables for k in d.keys if isinstance(k, ast.Constant)}
    named |= {
        c.args[0].value
        for c in ast.walk(builtin)
        if isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "register"
        if isinstance(c.args[0], ast.Constant)
    }
    assert "path-not-found" in named and "id-unique" in named
    assert not named & set(SCHEMA_RULES)
    assert {r.id for r in RULES.values() if r.scope == "schema"} == set(SCHEMA_RULES)


# --- the rules, one by one ---------------------------------------------------------


def check(text: str, path: str = "case.yaml", *, profile: bool = False) -> list[tuple[int, str]]:
    loaded = load_text(text, path)
    assert loaded.problems == [], loaded.problems
    ctx = Context(loaded, loaded.data, VOCAB, "usecase", profile)
    return sorted((p.line, p.rule) for p in run_rules(ctx))


def edit(**changes: str) -> str:
    text = GOOD
    for old, new in changes.items():
        old = old.replace("__", " ")
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, needle: str) -> int:
    return next(i for i, t in enumerate(text.splitlines(), 1) if needle in t)


def test_the_good_case_passes_every_rule() -> None:
    assert check(GOOD, "minimal-marketplace.yaml") == []


def test_id_matches_filename() -> None:
    assert check(GOOD, "other.yaml") == [(2, "id-matches-filename")]
    assert check(GOOD, "other.yaml", profile=True) == []


@pytest.mark.parametrize(
    ("old", "new", "needle", "rule"),
    [
        ("cluster: marketplace", "cluster: data-trust", "cluster:", "cluster-unknown"),
        ("cluster: marketplace", "cluster: marketplace\nalso: [marketplace]", "also:", "also-repeats-cluster"),
        ("cluster: marketplace", "cluster: marketplace\nalso: [efficency]", "also:", "cluster-unknown"),
        ("cluster: marketplace", "cluster: marketplace\npatterns: [pay-per-usage]", "patterns:", "pattern-unknown"),
        ("type: supplier", "type: suplier", "type: suplier", "role-type-unknown"),
        ("focal: platform", "focal: platfrom", "focal:", "focal-role-missing"),
        ("external: false", "external: true", "external: true", "focal-role-external"),
        ("{from: supplier, to: platform", "{from: suplier, to: platform", "from: suplier", "flow-endpoint-missing"),
    ],
)
def test_one_rule_each(old: str, new: str, needle: str, rule: str) -> None:
    text = GOOD.replace(old, new, 1)
    assert check(text, "minimal-marketplace.yaml") == [(line_of(text, needle), rule)]


def test_history_clusters_are_checked() -> None:
    text = GOOD + "maturity:\n  history:\n    - phase: 1\n      clusters: [eficiency]\n"
    assert check(text, "minimal-marketplace.yaml") == [(len(text.splitlines()), "cluster-unknown")]


def test_pattern_aliases_are_known() -> None:
    alias = next(iter(VOCAB.pattern_aliases), None)
    assert alias is not None, "patterns.yaml should list aliases (e.g. digitization)"
    text = GOOD.replace("cluster: marketplace", f"cluster: marketplace\npatterns: [{alias}]")
    assert check(text, "minimal-marketplace.yaml") == []


def test_role_id_duplicate_names_the_first() -> None:
    text = (
        GOOD.replace("- id: supplier", "- id: buyer")
        .replace("from: supplier", "from: buyer")
        .replace("to: supplier", "to: buyer")
    )
    loaded = load_text(text, "minimal-marketplace.yaml")
    [p] = run_rules(Context(loaded, loaded.data, VOCAB))
    assert (p.rule, p.line) == ("role-id-duplicate", 21)
    assert "first at line 18" in p.message


def test_flow_self_loop_is_a_warning() -> None:
    text = GOOD.rstrip("\n") + "\n    - {from: buyer, to: buyer, kind: data}\n"
    assert check(text, "minimal-marketplace.yaml") == [(len(text.splitlines()), "flow-self-loop")]


def test_reciprocity_receiving_without_giving() -> None:
    text = GOOD.replace("    - {from: buyer, to: platform, kind: money, what: Commission per order}\n", "")
    assert check(text, "minimal-marketplace.yaml") == [(line_of(text, "- id: buyer"), "reciprocity")]


def test_reciprocity_paying_without_receiving() -> None:
    text = GOOD.replace("    - {from: platform, to: buyer, kind: service, what: Matching}\n", "")
    assert check(text, "minimal-marketplace.yaml") == [(line_of(text, "- id: buyer"), "reciprocity")]


def test_reciprocity_accepts_an_intangible_return() -> None:
    text = GOOD.replace("kind: money, what: Commission per order", "kind: intangible, what: Consent")
    assert check(text, "minimal-marketplace.yaml") == []


def test_reciprocity_giving_without_receiving_is_fine() -> None:
    text = GOOD.replace("    - {from: platform, to: supplier, kind: intangible, what: Access to customers}\n", "")
    assert check(text, "minimal-marketplace.yaml") == []


def test_rules_survive_wrong_types() -> None:
    """The schema reports wrong types; rules must not crash on them."""
    for text in (
        "id: 5\nname: x\nnetwork: [1, 2]\n",
        "id: x\nname: y\nnetwork: {roles: {a: 1}, flows: 7, focal: [1]}\n",
        "id: x\nname: y\nalso: marketplace\npatterns: 3\nnetwork: {roles: [1, {id: 3}], flows: [1, {from: 2}]}\n",
        "id: x\nname: y\nmaturity: {history: [1, {clusters: 5}]}\n",
    ):
        check(text, "x.yaml")
