"""Every command's `--format json` prints exactly the data of its library call.

Library first: a command parses its arguments, calls a plain function and
prints what it returns. Each command that prints JSON (found from the app's
own options, so a new one cannot be forgotten) is run here in-process on real
bundled files, and its parsed output is compared with the matching call of
the Python API (`bmnav.*`; `list` and `log` with their modules' functions).
A command that adds, drops or computes a field differently from the library
fails here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer

import bmnav
from bmnav.cli import app

ROOT = Path(__file__).resolve().parents[1]
USECASES = ROOT / "data" / "usecases"
PROFILE = ROOT / "examples" / "acme-profile.yaml"
CASE = "tire-as-a-service"
OTHER = "bosch-equipment-as-a-service"

#: The commands this module compares, each with the test that does it.
COVERED = {
    "validate": "test_validate",
    "classify": "test_classify_a_profile",
    "show": "test_show",
    "position": "test_position",
    "graph": "test_graph",
    "compare": "test_compare",
    "diff": "test_diff",
    "log": "test_log",
    "maturity": "test_maturity_of_a_case",
    "evaluate": "test_evaluate",
    "new": "test_new",
    "export": "test_export",
    "report": "test_report",
    "list": "test_list",
    "schema": "test_schema",
}


@pytest.fixture(scope="module")
def corpus() -> bmnav.Corpus:
    return bmnav.load_corpus()


def as_json(value: Any) -> Any:
    """`value` as it reads after a JSON round trip (tuples as lists, keys as text)."""
    return json.loads(json.dumps(value, ensure_ascii=False))


def printed(run_cli: Callable[..., Any], *args: str, cwd: Path | None = None, ok: tuple[int, ...] = (0,)) -> Any:
    """The JSON a command printed on stdout, parsed."""
    result = run_cli(*args, cwd=cwd)
    assert result.exit_code in ok, result
    return json.loads(result.stdout)


def json_commands() -> set[str]:
    """The commands whose `--format` offers json (or jsonl), read from the app."""
    group: Any = typer.main.get_command(app)
    found = set()
    for name, command in group.commands.items():
        for param in command.params:
            choices = {str(c) for c in getattr(param.type, "choices", ())}
            if "--format" in getattr(param, "opts", []) and {"json", "jsonl"} & choices:
                found.add(name)
    return found


def test_every_command_with_json_output_is_compared() -> None:
    """A command that gains `--format json` must get its comparison here."""
    commands = json_commands()
    assert {"show", "evaluate", "validate", "classify"} <= commands  # the reading of the app works
    assert commands | {"schema"} == set(COVERED), "add the new command to COVERED and compare it below"
    names = {n for n in globals() if n.startswith("test_")}
    assert set(COVERED.values()) <= names


def test_validate(run_cli: Callable[..., Any]) -> None:
    from bmnav.render.reporters.json_format import as_dict

    folders = [str(ROOT / "tests" / "cases" / "valid"), str(ROOT / "tests" / "cases" / "invalid")]
    got = printed(run_cli, "validate", *folders, "--format", "json", ok=(1,))
    want = as_dict(bmnav.validate(folders))
    assert got["problems"], "the invalid cases must give problems to compare"
    assert got == as_json(want)


def test_validate_strict_on_the_corpus(run_cli: Callable[..., Any]) -> None:
    from bmnav.render.reporters.json_format import as_dict

    got = printed(run_cli, "validate", "--strict", "--format", "json", ok=(0, 1))
    assert got == as_json(as_dict(bmnav.validate(), strict=True))


def test_classify_a_profile(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "classify", str(PROFILE), "--format", "json")
    want = bmnav.classify(bmnav.load_profile(PROFILE, corpus), corpus).as_dict()
    assert got == as_json(want)


def test_classify_text_and_a_notes_file(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    text = "Customers pay per hour; we stay the owner of the machines and share the data with them."
    got = printed(run_cli, "classify", "--text", text, "--format", "json")
    assert got == as_json(bmnav.classify_text(text, corpus).as_dict())
    notes = ROOT / "examples" / "notes-de.txt"
    got = printed(run_cli, "classify", "--text-file", str(notes), "--format", "json")
    assert got == as_json(bmnav.classify_text_file(notes, corpus).as_dict())


def test_classify_a_folder_gives_one_line_per_profile(
    run_cli: Callable[..., Any], corpus: bmnav.Corpus, tmp_path: Path
) -> None:
    profiles = sorted((ROOT / "tests" / "profiles").glob("*.yaml"))[:3]
    for p in profiles:
        shutil.copy(p, tmp_path / p.name)
    result = run_cli("classify", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result
    got = [json.loads(line) for line in result.stdout.splitlines()]
    want = [bmnav.classify(bmnav.load_profile(tmp_path / p.name, corpus), corpus).as_dict() for p in profiles]
    assert got == as_json(want)


def test_show(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "show", CASE, "--format", "json")
    assert got == as_json(bmnav.card(corpus.get(CASE), corpus))
    got = printed(run_cli, "show", str(PROFILE), "--format", "json")
    assert got == as_json(bmnav.card(bmnav.load_profile(PROFILE, corpus), corpus))


def test_position(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "position", "--format", "json")
    assert got == as_json([bmnav.position(c, corpus).as_dict() for c in sorted(corpus, key=lambda c: c.id)])
    got = printed(run_cli, "position", CASE, "--profile", str(PROFILE), "--format", "json")
    profile = bmnav.load_profile(PROFILE, corpus)
    assert got == as_json(
        [bmnav.position(corpus.get(CASE), corpus).as_dict(), bmnav.position(profile, corpus).as_dict()]
    )


def test_graph(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    """The JSON graph holds the roles and flows of `bmnav.build_graph` (in a sorted order)."""
    got = printed(run_cli, "graph", CASE, "--format", "json")
    g = bmnav.build_graph(corpus.get(CASE))
    assert sorted(got["nodes"], key=lambda n: n["id"]) == as_json(
        sorted(({"id": n, **d} for n, d in g.nodes(data=True)), key=lambda n: n["id"])
    )

    def edge_key(e: dict[str, Any]) -> str:
        return json.dumps(e, sort_keys=True)

    want_edges = [{"source": u, "target": v, "key": k, **d} for u, v, k, d in g.edges(keys=True, data=True)]
    assert sorted(got["edges"], key=edge_key) == sorted(as_json(want_edges), key=edge_key)


def test_compare(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "compare", "--format", "json")
    assert got == as_json(bmnav.compare(corpus).as_dict())
    got = printed(run_cli, "compare", "marketplace", "data-trustee", "--origin", "report", "--format", "json")
    assert got == as_json(bmnav.compare(corpus, ["marketplace", "data-trustee"], origin="report").as_dict())


def test_diff(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "diff", CASE, OTHER, "--format", "json", ok=(1,))
    want = bmnav.diff(corpus.get(CASE), corpus.get(OTHER), corpus, a_ref=CASE, b_ref=OTHER)
    assert got == as_json(want.as_dict())
    got = printed(run_cli, "diff", CASE, OTHER, "--by", "type", "--stat", "--format", "json", ok=(1,))
    want = bmnav.diff(corpus.get(CASE), corpus.get(OTHER), corpus, a_ref=CASE, b_ref=OTHER, by="type")
    assert got == as_json(want.as_dict(stat_only=True))


def test_log(
    run_cli: Callable[..., Any], corpus: bmnav.Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundled case committed twice in a repository of its own: both commits, newest first."""
    from bmnav.domain.history import case_history

    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A"}
    env.update({"GIT_COMMITTER_EMAIL": "a@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "usecases").mkdir()
    target = tmp_path / "usecases" / f"{CASE}.yaml"

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    shutil.copy(USECASES / f"{CASE}.yaml", target)
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    target.write_text(target.read_text(encoding="utf-8").replace("access: closed", "access: open"), encoding="utf-8")
    git("commit", "-q", "-am", "open it")
    rel = f"usecases/{CASE}.yaml"
    got = printed(run_cli, "log", rel, "--format", "json", cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    steps = case_history(rel, corpus)
    assert len(steps) == 2
    assert got == as_json({"path": rel, "commits": [s.as_dict() for s in reversed(steps)]})


def test_maturity_of_a_case(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "maturity", "haier-cosmoplat", "--format", "json")
    assert got == as_json(bmnav.maturity(corpus.get("haier-cosmoplat"), corpus).as_dict())
    got = printed(run_cli, "maturity", str(PROFILE), "--format", "json")
    assert got == as_json(bmnav.maturity(bmnav.load_profile(PROFILE, corpus), corpus).as_dict())


def test_maturity_of_the_corpus(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "maturity", "--format", "json")
    assert got == as_json(bmnav.maturity(None, corpus).as_dict())


def test_evaluate(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "evaluate", "--folds", "2", "--seed", "3", "--format", "json")
    assert got == as_json(bmnav.evaluate(corpus, folds=2, seed=3).as_dict())


def test_new(run_cli: Callable[..., Any], corpus: bmnav.Corpus, tmp_path: Path) -> None:
    """`new --from-profile --yes` says what it wrote as `bmnav.write_case` says it for the same case."""
    got = printed(
        run_cli, "new", "acme-case", "--from-profile", str(PROFILE), "--yes", "-o", "acme-case.yaml",
        "--format", "json", cwd=tmp_path,
    )  # fmt: skip
    import yaml

    data = yaml.safe_load((tmp_path / "acme-case.yaml").read_text(encoding="utf-8"))
    (tmp_path / "again").mkdir()
    path, warnings = bmnav.write_case(data, tmp_path / "again" / "acme-case.yaml", vocab=corpus.vocab)
    # the same file, but for the modeline's relative path to the schema
    again = (tmp_path / "again" / "acme-case.yaml").read_text(encoding="utf-8").split("\n", 1)
    assert again[1] == (tmp_path / "acme-case.yaml").read_text(encoding="utf-8").split("\n", 1)[1]
    want = {"path": "acme-case.yaml", "id": data["id"], "cluster": data.get("cluster"), "warnings": []}
    want["warnings"] = [{**w.as_dict(), "path": "acme-case.yaml"} for w in warnings]
    assert path.name == "acme-case.yaml"
    assert got == as_json(want)


@pytest.mark.parametrize(("flag", "table"), [(None, "cases"), ("--roles", "roles"), ("--flows", "flows")])
def test_export(run_cli: Callable[..., Any], corpus: bmnav.Corpus, flag: str | None, table: str) -> None:
    cases = sorted(corpus, key=lambda c: c.id)
    got = printed(run_cli, "export", *([flag] if flag else []), "--format", "json")
    assert got == as_json(list(bmnav.export_rows(table, cases, corpus)))


def test_export_json_lines(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    result = run_cli("export", "--cluster", "marketplace", "--format", "jsonl")
    assert result.exit_code == 0, result
    cases = [c for c in sorted(corpus, key=lambda c: c.id) if "marketplace" in (c.cluster, *c.also)]
    got = [json.loads(line) for line in result.stdout.splitlines()]
    assert got == as_json(list(bmnav.export_rows("cases", cases, corpus)))


def test_report(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    got = printed(run_cli, "report", CASE, "--format", "json")
    assert got == as_json(bmnav.build_report(corpus.get(CASE), corpus))
    got = printed(run_cli, "report", str(PROFILE), "--format", "json")
    assert got == as_json(bmnav.build_report(bmnav.load_profile(PROFILE, corpus), corpus))


def test_list(run_cli: Callable[..., Any], corpus: bmnav.Corpus) -> None:
    from bmnav.domain.cards import case_row, select_cases

    got = printed(run_cli, "list", "--format", "json")
    assert got == as_json([case_row(c) for c in select_cases(corpus)])
    got = printed(run_cli, "list", "--cluster", "data-trustee", "--size", "large", "--format", "json")
    assert got == as_json([case_row(c) for c in select_cases(corpus, cluster="data-trustee", size="large")])
    assert got, "the filter must leave cases to compare"


@pytest.mark.parametrize("name", ["usecase", "profile", "clusters", "patterns"])
def test_schema(run_cli: Callable[..., Any], name: str) -> None:
    """`bmnav schema` always prints JSON: the document `bmnav.json_schema` returns."""
    got = printed(run_cli, "schema", name)
    assert got == as_json(bmnav.json_schema(name))


def test_json_schema_is_a_copy_and_knows_its_names() -> None:
    doc = bmnav.json_schema("profile")
    doc["required"] = ["changed"]
    assert bmnav.json_schema("profile")["required"] == ["id", "name"]
    with pytest.raises(ValueError, match="usecase, profile, clusters, patterns"):
        bmnav.json_schema("cases")
