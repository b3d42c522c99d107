"""Issue 16, consultant: narrow terminals, plain language, the report a client reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ACME = str(ROOT / "examples" / "acme-profile.yaml")
CLUSTERS = ["as-a-service", "smart-product-as-a-service", "marketplace", "efficiency", "mass-customisation"]


# ------------------------------------------------------------------ labels in data


def test_every_fact_and_value_has_a_label_in_data() -> None:
    from bmnav.classify_facts import fact_specs
    from bmnav.labels import labels_for

    labels = labels_for()
    for name, spec in fact_specs().items():
        assert labels.label(name) != name, f"no label for {name} in data/facts.yaml"
        if spec.kind != "bool" and name not in ("patterns", "network.focal_type"):
            for v in spec.values:
                assert labels.value(name, v) != "", (name, v)
                assert name in labels.facts and str(v) in labels.facts[name]["values"], f"no text for {name}={v}"


def test_labels_is_a_new_top_level_key_of_facts_yaml() -> None:
    doc = yaml.safe_load((ROOT / "data" / "facts.yaml").read_text(encoding="utf-8"))
    assert {"version", "stem_exceptions", "role_types", "words", "labels"} <= set(doc)
    assert doc["labels"]["facts"]["offering.ownership"]["label"] == "Who owns the asset in use"


def test_labels_read_shared_facts_and_reasons() -> None:
    from bmnav.labels import labels_for

    labels = labels_for()
    assert labels.shared("offering.ownership=provider") == "Who owns the asset in use: the provider"
    assert labels.shared("network.owner_user_split=true") == "Owner and user of the product differ"
    assert labels.because("data_sharing=bilateral") == "With whom data is shared: single partners, one at a time"
    assert labels.because("always") == "applies to every company"
    assert labels.value("offering.access", None) == "not stated"
    assert labels.label("some.new_fact") == "some.new_fact"  # unknown facts fall back to their key


# ------------------------------------------------------------------ classify at 80 and 200 columns


def _classify(run_cli, columns: str, *extra: str) -> str:  # type: ignore[no-untyped-def]
    res = run_cli("classify", ACME, *extra, env={"COLUMNS": columns})
    assert res.exit_code == 0, res
    return str(res.stdout)


def test_classify_at_80_columns_is_stacked_and_breaks_no_word(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = _classify(run_cli, "80")
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "┃" not in text and "│" not in text  # no table: one evidence item per block
    words = set(text.split())
    for cid in CLUSTERS:
        assert cid in words, cid  # cluster ids whole
    assert "daikin-baridi-baridi-cooling" in words
    assert "confidence" in words
    # every line break falls between words: no line ends or starts inside one
    assert not [ln for ln in lines if re.search(r"[a-z]-$", ln)]
    assert "  +2.0 for: Who owns the asset in use: the provider" in lines


def test_classify_at_200_columns_keeps_tables(run_cli) -> None:  # type: ignore[no-untyped-def]
    text = _classify(run_cli, "200")
    assert "┃         ┃ fact " in text
    assert "│ for     │ Who owns the asset in use " in text


@pytest.mark.parametrize("columns", ["80", "200"])
def test_classify_speaks_plain_language_and_keys_only_with_verbose(run_cli, columns: str) -> None:  # type: ignore[no-untyped-def]
    plain = _classify(run_cli, columns)
    assert not re.search(r"\b(offering|network|changes)\.[a-z]", plain) and "company_size" not in plain
    assert "Showing the strongest 5 of 7 items for; --verbose shows all." in plain
    verbose = _classify(run_cli, columns, "--verbose")
    assert "offering.ownership" in verbose and "network.owner_user_split" in verbose
    assert "Showing the strongest" not in verbose
    assert "changes.what" in verbose  # the seventh, weakest item


def test_classify_json_keeps_internal_keys(run_cli) -> None:  # type: ignore[no-untyped-def]
    import json

    res = run_cli("classify", ACME, "--format", "json")
    facts = {e["fact"] for e in json.loads(res.stdout)["ranking"][0]["evidence"]["for"]}
    assert "offering.ownership" in facts
