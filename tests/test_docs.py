"""Documentation that cannot drift: generated pages, enum tables, examples,
the README's commands and the console transcripts in the docs."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from bmnav import docgen
from bmnav.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
FORMAT = (DOCS / "format.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name for c in app.registered_commands if c.name)


# --- generated pages ----------------------------------------------------------------


@pytest.mark.parametrize("target", sorted(docgen.TARGETS))
def test_generated_page_is_up_to_date(target: str) -> None:
    where, make = docgen.TARGETS[target]
    committed = (ROOT / where).read_text(encoding="utf-8")
    assert committed == make(), f"{where} is out of date: run `python -m bmnav.docgen all` and commit it"


def test_docgen_check_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert docgen.main(["rules", "--check"]) == 1  # missing page
    assert docgen.main(["rules"]) == 0
    assert docgen.main(["rules", "--check"]) == 0
    (tmp_path / "docs" / "rules.md").write_text("stale\n", encoding="utf-8")
    assert docgen.main(["rules", "--check"]) == 1


def test_rules_page_lists_every_rule() -> None:
    from bmnav.checking.rules import RULES

    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    for rule_id in RULES:
        assert f"### `{rule_id}`" in page


# --- format.md against the schema ------------------------------------------------------


def _schema_enums() -> dict[str, list[str]]:
    schema = json.loads((ROOT / "schemas" / "usecase.schema.json").read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}

    def resolve(node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        return node

    def walk(node: Any, path: str) -> None:
        node = resolve(node)
        if not isinstance(node, dict):
            return
        if "enum" in node:
            found[path] = list(node["enum"])
        for key, child in node.get("properties", {}).items():
            walk(child, f"{path}.{key}" if path else key)
        if "items" in node:
            walk(node["items"], path + ("[]" if path.endswith("flows") else ""))
        for alt in node.get("oneOf", []) + node.get("anyOf", []):
            walk(alt, path)

    walk(schema, "")
    return found


def _doc_enums() -> dict[str, list[str]]:
    section = FORMAT.split("## Allowed values", 1)[1].split("\n## ", 1)[0]
    found: dict[str, list[str]] = {}
    for block in section.split("\n### ")[1:]:
        title = re.match(r"`([^`]+)`", block)
        assert title, block[:80]
        rows = re.findall(r"^\| `([^`]+)` \|", block, flags=re.M)
        found[title.group(1)] = rows
    return found


def test_format_md_enum_tables_equal_the_schema_enums() -> None:
    schema, docs = _schema_enums(), _doc_enums()
    assert set(docs) == set(schema), "format.md's tables and the schema's enums name different fields"
    for field, values in schema.items():
        assert docs[field] == values, f"format.md lists other values for {field}"


def test_format_md_field_table_names_every_top_level_field() -> None:
    schema = json.loads((ROOT / "schemas" / "usecase.schema.json").read_text(encoding="utf-8"))
    table = FORMAT.split("## Fields", 1)[1].split("\n### ", 1)[0]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.M)
    assert listed == list(schema["properties"])
    required = re.search(r"Required in a corpus case: (.+?)\.", FORMAT, flags=re.S)
    assert required and re.findall(r"`([a-z_]+)`", required.group(1)) == schema["required"]


def test_format_md_example_is_a_valid_case(run_cli, tmp_path: Path) -> None:
    block = FORMAT.split("## A small complete case", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    cid = yaml.safe_load(block)["id"]
    (tmp_path / f"{cid}.yaml").write_text(block, encoding="utf-8")
    result = run_cli("validate", "--strict", f"{cid}.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result


# --- transcripts in README.md and docs/validate.md ------------------------------------


def _transcripts() -> list[tuple[str, str, str]]:
    found = []
    for name in ("README.md", "docs/validate.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
            command, _, output = block.partition("\n")
            assert command.startswith("$ bmnav "), block[:80]
            found.append((name, command[2:], output))
    return found


@pytest.mark.parametrize(("page", "command", "output"), _transcripts(), ids=lambda v: str(v)[:60])
def test_console_transcripts_are_real(page: str, command: str, output: str, run_cli) -> None:
    args = shlex.split(command)[1:]
    result = run_cli(*args, cwd=ROOT)
    assert result.stdout == output, f"{page}: the output of `{command}` changed; paste the new one"


def test_readme_shows_a_real_broken_file() -> None:
    assert any(page == "README.md" and "error" in out for page, _, out in _transcripts())


# --- README -----------------------------------------------------------------------------


def _setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", section, flags=re.S)]


def test_readme_has_exactly_two_setup_commands_near_the_top() -> None:
    commands = _setup_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands)
    assert commands[0].startswith("pip install .") and "bmnav " in commands[0]
    assert "[test]" in commands[1] and "pytest" in commands[1]
    assert README.index("## Set up") < 2000


def test_readme_test_command_is_the_one_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    ci_lines = [line.strip() for line in ci.splitlines() if "pytest" in line and not line.lstrip().startswith("#")]
    assert ci_lines == [_setup_commands()[1]]


def test_ci_validates_the_bundled_corpus() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^bmnav validate\b", ci, flags=re.M)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_beyond_the_generated_reference(name: str) -> None:
    pages = [README] + [p.read_text(encoding="utf-8") for p in DOCS.glob("*.md") if p.name != "cli.md"]
    assert any(f"bmnav {name}" in page for page in pages), f"`bmnav {name}` appears in no page but docs/cli.md"


def test_readme_links_every_doc_page_and_every_link_works() -> None:
    links = set(re.findall(r"\]\((docs/[^)#]+\.md)(?:#[^)]*)?\)", README))
    pages = {f"docs/{p.name}" for p in DOCS.glob("*.md")}
    assert links <= pages, f"README links to missing pages: {sorted(links - pages)}"
    mine = {"docs/format.md", "docs/rules.md", "docs/validate.md", "docs/cli.md"}
    assert mine <= links


def test_doc_pages_link_to_existing_pages() -> None:
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([a-z0-9_-]+\.md)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (DOCS / target).exists(), f"{page.name} links to missing {target}"


def test_readme_shows_pre_commit_and_github_actions_usage() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "bmnav-validate"]
    assert hook["require_serial"] is True
    assert hook["entry"].startswith("bmnav validate")
    assert "id: bmnav-validate" in README
    assert 'pip install "bmnav @ git+https://github.com/OWNER/bmnav@COMMIT_SHA"' in README  # not on PyPI yet
    assert "bmnav validate --format github" in README


def test_readme_documents_exit_codes_and_strict() -> None:
    for needle in ("| `0` |", "| `1` |", "| `2` |", "--strict"):
        assert needle in README, needle


def test_readme_shows_the_schema_modeline() -> None:
    assert "# yaml-language-server: $schema=" in README
    assert "bmnav schema > usecase.schema.json" in README


def test_bundled_cases_carry_the_modeline() -> None:
    for case in sorted((ROOT / "data" / "usecases").glob("*.yaml")):
        first = case.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/usecase.schema.json", case.name


# --- the fitted model's figures ---------------------------------------------------------


def test_the_reliability_table_and_threshold_in_method_md_are_the_fitted_models() -> None:
    """docs/method.md states the reliability of data/model.yaml; a refit must bring it along."""
    method = (DOCS / "method.md").read_text(encoding="utf-8")
    model = yaml.safe_load((ROOT / "data" / "model.yaml").read_text(encoding="utf-8"))
    profiles = model["cross_validation"]["reliability"]
    notes = model["text"]["cross_validation"]["reliability"]
    for p, n in zip(profiles, notes, strict=True):
        row = (
            f"| {p['bin']} | {p['n']} | {p['predicted']:.2f} | {p['observed']:.2f} "
            f"| {n['n']} | {n['predicted']:.2f} | {n['observed']:.2f} |"
        )
        assert row in method, row
    high = model["text"]["cross_validation"]["high"]
    threshold = model["text"]["confidence"]["high"]
    assert f"threshold sits at {threshold}: {high['right']} of the {high['answers']} held-out answers" in method
