"""The JSON Schemas: valid draft 2020-12, versioned, printed by `bmnav schema`,
and their errors mapped back to YAML lines with messages that say the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bmnav.checking import schema
from bmnav.storage.loading import load_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILES = sorted((ROOT / "schemas").glob("*.schema.json"))
CASES = ROOT / "tests" / "cases"


def test_the_schemas_exist() -> None:
    # profile.schema.json is usecase.schema.json with only id and name required (tests/test_consultant.py)
    assert [p.name for p in SCHEMA_FILES] == [
        "clusters.schema.json",
        "patterns.schema.json",
        "profile.schema.json",
        "usecase.schema.json",
    ]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_is_valid_against_the_2020_12_metaschema(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_has_an_id_and_a_version(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["$id"].startswith("urn:bmnav:schema:")
    assert doc["$id"].endswith(":1")
    assert doc["version"].count(".") == 2


def _closed(node: Any, where: str = "$") -> list[str]:
    """Every object schema with `properties` must set additionalProperties: false."""
    bad: list[str] = []
    if isinstance(node, dict):
        if "properties" in node and node.get("additionalProperties") is not False:
            bad.append(where)
        for k, v in node.items():
            bad += _closed(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            bad += _closed(v, f"{where}[{i}]")
    return bad


def test_usecase_schema_is_closed_at_every_level() -> None:
    assert _closed(schema.load_schema("usecase")) == []


@pytest.mark.parametrize("name", ["usecase", "profile", "clusters", "patterns"])
def test_bmnav_schema_prints_it(name: str, run_cli) -> None:
    result = run_cli("schema", name)
    assert result.exit_code == 0, result
    doc = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(doc)
    if name == "profile":
        assert doc["required"] == ["id", "name"]
        assert doc["$id"] == "urn:bmnav:schema:profile:1"
    assert doc == json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_bmnav_schema_defaults_to_the_usecase_schema(run_cli) -> None:
    result = run_cli("schema")
    assert (result.exit_code, json.loads(result.stdout)["$id"]) == (0, "urn:bmnav:schema:usecase:1"), result


def test_bmnav_schema_rejects_an_unknown_name(run_cli) -> None:
    result = run_cli("schema", "usecases")
    assert result.exit_code == 2, result
    assert "usecase" in result.stderr


@pytest.mark.parametrize(
    ("data", "name"),
    [("clusters.yaml", "clusters"), ("patterns.yaml", "patterns")]
    + [(f"usecases/{p.name}", "usecase") for p in sorted((ROOT / "data" / "usecases").glob("*.yaml"))],
)
def test_bundled_data_satisfies_its_schema(data: str, name: str) -> None:
    doc = yaml.safe_load((ROOT / "data" / data).read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema.load_schema(name)).iter_errors(doc)]
    assert errors == []


def _fixture_docs() -> list[Path]:
    paths = list((CASES / "valid").glob("*.y*ml"))
    paths += [p for p in (CASES / "invalid").glob("*.yaml") if p.is_file()]
    # only documents that load as a mapping reach the schema check at all
    return sorted(p for p in paths if isinstance(load_text(p.read_bytes(), str(p)).data, dict))


@pytest.mark.parametrize("path", _fixture_docs(), ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("profile", [False, True], ids=["case", "profile"])
def test_fast_path_and_reference_agree(path: Path, profile: bool) -> None:
    """fastjsonschema decides "valid" alone, so it must never disagree with jsonschema."""
    loaded = load_text(path.read_bytes(), str(path))
    reference = jsonschema.Draft202012Validator(schema.schema_for("usecase", profile=profile))
    assert schema.is_valid(loaded.data, "usecase", profile=profile) == reference.is_valid(loaded.data)


def problems(text: str, *, profile: bool = False) -> list[tuple[int, int, str]]:
    loaded = load_text(text, "case.yaml")
    assert loaded.problems == []
    return sorted((p.line, p.column, p.rule) for p in schema.check(loaded, "usecase", profile=profile))


CASE = (CASES / "valid" / "minimal-marketplace.yaml").read_text(encoding="utf-8")


def test_a_valid_case_has_no_schema_problems() -> None:
    assert problems(CASE) == []


def test_nested_errors_point_at_their_node() -> None:
    text = CASE.replace("kind: service, what: Matching", "kind: services, what: Matching")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "kind: services" in t)
    [(found, col, rule)] = problems(text)
    assert (found, rule) == (line, "invalid-value")
    assert col == text.splitlines()[line - 1].index("services") + 1


def test_unknown_key_is_located_at_the_key_with_a_suggestion() -> None:
    text = CASE.replace("      external: false", "      externl: false")
    line = text.splitlines().index("      externl: false") + 1
    loaded = load_text(text, "case.yaml")
    [p] = schema.check(loaded, "usecase")
    assert (p.rule, p.line, p.column) == ("unknown-field", line, 7)
    assert 'did you mean "external"?' in p.message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("country: NO", 'YAML reads NO as the boolean false, but a text is required; write it in quotes: "NO"'),
        ("country: no", 'write it in quotes: "no"'),
        ("company: yes", 'YAML reads yes as the boolean true, but a text is required; write it in quotes: "yes"'),
        ("company: on", 'write it in quotes: "on"'),
        ("company: off", "YAML reads off as the boolean false"),
        ("industry: 1.5", 'YAML reads 1.5 as a number, but a text is required; write it in quotes: "1.5"'),
        ("industry: 2019", 'YAML reads 2019 as a whole number, but a text is required; write it in quotes: "2019"'),
        ("industry: 2020-01-01", "YAML reads 2020-01-01 as a date, but a text is required"),
        ('year: "2019"', "'2019' is quoted, so YAML reads it as a text; a whole number is required: remove the quotes"),
    ],
)
def test_yaml11_surprises_are_explained_with_the_fix(line: str, message: str) -> None:
    key = line.split(":")[0]
    lines = [t for t in CASE.splitlines() if not t.startswith(f"{key}:")]
    lines.insert(3, line)
    loaded = load_text("\n".join(lines) + "\n", "case.yaml")
    [p] = schema.check(loaded, "usecase")
    assert (p.rule, p.line) == ("yaml11-coercion", 4)
    assert message in p.message


def test_a_quoted_no_is_a_text() -> None:
    assert problems(CASE.replace('country: "DE"', 'country: "NO"')) == []


def test_profile_needs_only_id_and_name() -> None:
    assert problems("id: acme\nname: ACME\n", profile=True) == []
    assert [r for _, _, r in problems("id: acme\n", profile=True)] == ["required-field"]
    [p] = schema.check(load_text("id: acme\nname: ACME\n", "case.yaml"), "usecase")
    assert (p.rule, p.line, p.column) == ("required-field", 1, 1)
    for key in ("company", "country", "company_size", "cluster", "summary", "sources"):
        assert f"`{key}`" in p.message


def test_missing_cluster_suggests_profile() -> None:
    text = "\n".join(t for t in CASE.splitlines() if not t.startswith("cluster:")) + "\n"
    [p] = schema.check(load_text(text, "case.yaml"), "usecase")
    assert p.rule == "required-field" and "--profile" in p.message


def test_messages_never_print_a_whole_instance() -> None:
    big = "[" + ", ".join(f'"item-{i}"' for i in range(2000)) + "]"
    loaded = load_text(CASE.replace("company_size: sme", f"company_size: sme\nother_technologies: {{a: {big}}}"), "c")
    [p] = schema.check(loaded, "usecase")
    assert p.rule == "wrong-type" and len(p.message) < 200


def test_unknown_keyword_falls_back_to_the_schema_rule() -> None:
    """`schema` is the fallback for keywords bmnav's schemas do not use (no fixture can reach it)."""
    loaded = load_text("id: x\n", "case.yaml")
    [err] = jsonschema.Draft202012Validator({"properties": {"id": {"const": "y"}}}).iter_errors(loaded.data)
    [p] = schema._problems(err, loaded, "usecase", False)
    assert (p.rule, p.line, p.column, p.level.value) == ("schema", 1, 5, "error")
    assert p.message.startswith("id: ")
