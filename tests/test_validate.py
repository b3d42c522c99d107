"""`bmnav validate` and `bmnav.validate()`: paths, corpus, profiles, exit codes, data folders.

Exact output per format is in tests/test_reporters.py; one fixture per rule
is in tests/test_validate_cases.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import bmnav
from bmnav.checking.problems import Report

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
GOOD = (CASES / "valid" / "minimal-marketplace.yaml").read_text(encoding="utf-8")
BUNDLED_CASES = sorted(p.name for p in (ROOT / "data" / "usecases").glob("*.yaml"))


def case(cid: str, **replace: str) -> str:
    text = GOOD.replace("id: minimal-marketplace", f"id: {cid}")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def write(folder: Path, name: str, text: str | None = None) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(case(Path(name).stem) if text is None else text, encoding="utf-8")
    return path


def parsable(result) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    out = []
    for line in result.stdout.splitlines():
        where, _, rest = line.partition(": ")
        path, ln, _col = where.rsplit(":", 2)
        out.append((path, int(ln), rest.split("[")[1].split("]")[0]))
    return out


# --- the library ------------------------------------------------------------------


def test_validate_returns_a_report_for_the_bundled_corpus() -> None:
    report = bmnav.validate()
    assert isinstance(report, Report)
    assert report.problems == []
    assert report.exit_code() == 0 and report.exit_code(strict=True) == 0
    names = [Path(f).name for f in report.files]
    assert names[:2] == ["clusters.yaml", "patterns.yaml"]
    assert sorted(names[2:]) == BUNDLED_CASES


def test_validate_paths_returns_located_problems(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", case("bad", **{"cluster: marketplace": "cluster: marketplaces"}))
    report = bmnav.validate([bad])
    [p] = report.problems
    assert (p.path, p.line, p.column, p.rule, p.level.value) == (str(bad), 7, 10, "cluster-unknown", "error")
    assert report.exit_code() == 1


# --- paths --------------------------------------------------------------------------


def test_files_and_folders_recursing_into_yaml_and_yml(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "cases/a.yaml")
    write(tmp_path, "cases/deeper/b.yml")
    write(tmp_path, "cases/deeper/notes.txt", "not: yaml at all: [")
    write(tmp_path, "cases/.hidden.yaml", "broken: [")
    write(tmp_path, "cases/.git/c.yaml", "broken: [")
    write(tmp_path, "single.yaml")
    result = run_cli("validate", "cases", "single.yaml", cwd=tmp_path)
    assert result.exit_code == 0, result
    assert result.stdout == "ok: 3 files checked, 0 errors, 0 warnings\n"


def test_a_file_named_twice_is_checked_once(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "cases/a.yaml")
    result = run_cli("validate", "cases", "cases/a.yaml", "./cases/a.yaml", cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "ok: 1 file checked, 0 errors, 0 warnings\n"), result


def test_no_path_checks_the_active_corpus_with_its_model_files(run_cli) -> None:
    result = run_cli("validate", "--format", "json")
    assert result.exit_code == 0, result
    import json

    doc = json.loads(result.stdout)
    names = [Path(f["path"]).name for f in doc["files"]]
    assert "clusters.yaml" in names and "patterns.yaml" in names
    assert sorted(n for n in names if n not in ("clusters.yaml", "patterns.yaml")) == BUNDLED_CASES
    assert run_cli("validate", "--strict").exit_code == 0


def test_one_bad_file_never_stops_the_others(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "a-broken.yaml", "id: a-broken\nname: [\n")
    write(tmp_path, "b-binary.yaml", "id: b-binary\nname: !!binary aGVsbG8=\n")
    (tmp_path / "c-latin1.yaml").write_bytes("id: c\nname: Caf\xe9\n".encode("latin-1"))
    write(tmp_path, "d-bomb.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    write(tmp_path, "e-good.yaml")
    write(tmp_path, "f-bad.yaml", case("f-bad", **{"focal: platform": "focal: nobody"}))
    result = run_cli("validate", "--format", "parsable", ".", cwd=tmp_path)
    assert result.exit_code == 1, result
    found = parsable(result)
    assert [(p, r) for p, _, r in found] == [
        ("a-broken.yaml", "yaml-syntax"),
        ("b-binary.yaml", "tag-not-allowed"),
        ("c-latin1.yaml", "encoding"),
        ("d-bomb.yaml", "nesting-too-deep"),
        ("f-bad.yaml", "focal-role-missing"),
    ]
    text = run_cli("validate", ".", cwd=tmp_path)
    assert text.stdout.endswith("failed: 6 files checked, 5 errors, 0 warnings\n"), text


def test_missing_path_is_an_error_and_the_rest_is_checked(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "good.yaml")
    write(tmp_path, "bad.yaml", case("bad", **{"focal: platform": "focal: nobody"}))
    result = run_cli("validate", "-f", "parsable", "nothere.yaml", "good.yaml", "bad.yaml", "gone/", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert [(p, r) for p, _, r in parsable(result)] == [
        ("bad.yaml", "focal-role-missing"),
        ("gone", "path-not-found"),
        ("nothere.yaml", "path-not-found"),
    ]


def _unreadable(tmp_path: Path) -> Path:
    """A file this process cannot read: chmod 000, or a FIFO when running as root
    (root reads any file, and a FIFO would block a naive reader forever)."""
    path = tmp_path / "secret.yaml"
    path.write_text(case("secret"), encoding="utf-8")
    path.chmod(0)
    try:
        path.read_bytes()
    except PermissionError:
        return path
    path.chmod(0o600)
    path.unlink()
    os.mkfifo(path)
    return path


def test_unreadable_file_is_an_error_and_the_rest_is_checked(run_cli, tmp_path: Path) -> None:
    secret = _unreadable(tmp_path)
    write(tmp_path, "good.yaml")
    write(tmp_path, "warn.yaml", case("warn", **{"external: false": "external: true"}))
    try:
        result = run_cli("validate", "-f", "parsable", ".", cwd=tmp_path)
    finally:
        secret.chmod(0o600)
    assert result.exit_code == 1, result
    assert [(p, r) for p, _, r in parsable(result)] == [
        ("secret.yaml", "path-unreadable"),
        ("warn.yaml", "focal-role-external"),
    ]


def test_fifo_named_on_the_command_line_does_not_block(run_cli, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run_cli("validate", "-f", "parsable", "pipe.yaml", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert parsable(result) == [("pipe.yaml", 0, "path-unreadable")]


def test_symlink_loops_are_errors_and_the_rest_is_checked(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "cases/good.yaml")
    (tmp_path / "cases" / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "cases" / "b.yaml").symlink_to("a.yaml")
    (tmp_path / "cases" / "sub").mkdir()
    (tmp_path / "cases" / "sub" / "up").symlink_to("..")  # a folder linking to its parent
    write(tmp_path, "other.yaml")
    result = run_cli("validate", "-f", "parsable", "cases", "other.yaml", "cases/a.yaml", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert [(p, r) for p, _, r in parsable(result)] == [
        ("cases/a.yaml", "symlink-loop"),
        ("cases/b.yaml", "symlink-loop"),
        ("cases/sub/up", "symlink-loop"),
    ]
    assert "good" not in result.stdout and "other" not in result.stdout


def test_a_dangling_link_is_not_found(run_cli, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").symlink_to("missing.yaml")
    result = run_cli("validate", "-f", "parsable", "x.yaml", cwd=tmp_path)
    assert (result.exit_code, parsable(result)) == (1, [("x.yaml", 0, "path-not-found")]), result


def test_ids_are_unique_across_the_run(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "one/same.yaml")
    write(tmp_path, "two/same.yaml")
    result = run_cli("validate", "-f", "parsable", "one", "two", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert parsable(result) == [("two/same.yaml", 2, "id-unique")]
    assert "already used by one/same.yaml" in result.stdout


# --- profiles --------------------------------------------------------------------------


def test_profile_checks_only_id_and_name(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "acme.yaml", "id: acme\nname: ACME\noffering: {access: open}\n")
    assert run_cli("validate", "--profile", "acme.yaml", cwd=tmp_path).exit_code == 0
    result = run_cli("validate", "-f", "parsable", "acme.yaml", cwd=tmp_path)
    assert (result.exit_code, parsable(result)) == (1, [("acme.yaml", 1, "required-field")]), result
    assert "--profile" in result.stdout


def test_profile_still_checks_what_it_has(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "acme.yaml", "id: any-name\nname: ACME\ncountry: NO\ncluster: marketplce\n")
    result = run_cli("validate", "--profile", "-f", "parsable", "acme.yaml", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert parsable(result) == [("acme.yaml", 3, "yaml11-coercion"), ("acme.yaml", 4, "cluster-unknown")]


# --- did you mean ---------------------------------------------------------------------


def test_did_you_mean_for_a_typo_and_an_unknown_cluster(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "t.yaml", case("t", **{"company:": "compnay:", "cluster: marketplace": "cluster: market-place"}))
    result = run_cli("validate", "-f", "parsable", "t.yaml", cwd=tmp_path)
    assert 'unknown field `compnay` (did you mean "company"?)' in result.stdout, result
    assert 'unknown cluster "market-place" (did you mean "marketplace"?)' in result.stdout, result


# --- exit codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "strict", "code"),
    [
        ("good", False, 0),
        ("good", True, 0),
        ("warning", False, 0),
        ("warning", True, 1),
        ("error", False, 1),
        ("error", True, 1),
    ],
)
def test_exit_codes(name: str, strict: bool, code: int, run_cli, tmp_path: Path) -> None:
    texts = {
        "good": case(name),
        "warning": case(name, **{"external: false": "external: true"}),
        "error": case(name, **{"focal: platform": "focal: nobody"}),
    }
    write(tmp_path, f"{name}.yaml", texts[name])
    args = ["validate", f"{name}.yaml"] + (["--strict"] if strict else [])
    result = run_cli(*args, cwd=tmp_path)
    assert result.exit_code == code, result


def test_strict_is_noted_in_the_summary(run_cli, tmp_path: Path) -> None:
    write(tmp_path, "w.yaml", case("w", **{"external: false": "external: true"}))
    plain = run_cli("validate", "w.yaml", cwd=tmp_path)
    assert plain.stdout.endswith("ok: 1 file checked, 0 errors, 1 warning\n"), plain
    strict = run_cli("validate", "--strict", "w.yaml", cwd=tmp_path)
    assert strict.stdout.endswith(
        "failed: 1 file checked, 0 errors, 1 warning (--strict: warnings count as errors)\n"
    ), strict


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xml"],
        ["--no-such-option"],
        ["--max-depth", "many"],
        ["--data", "/nonexistent/folder"],
    ],
)
def test_usage_errors_exit_2(args: list[str], run_cli) -> None:
    result = run_cli("validate", *args)
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert result.stderr.strip()


def test_data_folder_without_usecases_exits_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("validate", "--data", str(tmp_path))
    assert result.exit_code == 2, result
    assert "usecases" in result.stderr


# --- --data DIR and BMNAV_DATA ------------------------------------------------------------

OWN_CLUSTERS = """\
version: 1
clusters:
  - id: guild
    name: Guild
    definition: Craft firms that share one digital order book.
    section: "9.1"
    stage: 1
    changes: {who: false, what: false, how: true, value: true}
role_types:
  - id: craftsman
    name: Craftsman
"""


def _own_corpus(root: Path) -> Path:
    write(
        root,
        "usecases/joinery.yaml",
        case("joinery", **{"cluster: marketplace": "cluster: guild"})
        .replace("type: marketplace-provider", "type: craftsman")
        .replace("      type: customer\n", "")
        .replace("      type: supplier\n", ""),
    )
    write(root, "clusters.yaml", OWN_CLUSTERS)
    return root


def test_data_option_uses_the_folders_cases_and_clusters(run_cli, tmp_path: Path) -> None:
    own = _own_corpus(tmp_path / "own")
    result = run_cli("validate", "--data", str(own), "-f", "json")
    assert result.exit_code == 0, result
    import json

    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert str(own / "clusters.yaml") in paths
    assert str(own / "usecases" / "joinery.yaml") in paths
    assert not any(p.endswith("patterns.yaml") for p in paths)  # it falls back on the bundled one, checked already
    assert not any("airbus" in p for p in paths)


def test_bmnav_data_variable_works_like_the_option(run_cli, tmp_path: Path) -> None:
    own = _own_corpus(tmp_path / "own")
    result = run_cli("validate", env={"BMNAV_DATA": str(own)})
    assert (result.exit_code, result.stdout) == (0, "ok: 2 files checked, 0 errors, 0 warnings\n"), result
    # a case of the custom corpus checked against the bundled clusters fails
    bundled = run_cli("validate", "-f", "parsable", str(own / "usecases" / "joinery.yaml"))
    assert bundled.exit_code == 1
    assert "[cluster-unknown]" in bundled.stdout and "[role-type-unknown]" in bundled.stdout
    # ...and passes with the corpus's clusters
    mine = run_cli("validate", str(own / "usecases" / "joinery.yaml"), env={"BMNAV_DATA": str(own)})
    assert mine.exit_code == 0, mine


def test_option_wins_over_the_variable(run_cli, tmp_path: Path) -> None:
    own = _own_corpus(tmp_path / "own")
    result = run_cli("validate", "--data", str(own), env={"BMNAV_DATA": str(tmp_path / "nothing")})
    assert result.exit_code == 0, result


def test_a_broken_custom_clusters_file_is_reported(run_cli, tmp_path: Path) -> None:
    own = _own_corpus(tmp_path / "own")
    (own / "clusters.yaml").write_text(OWN_CLUSTERS.replace("stage: 1", "stage: 7"), encoding="utf-8")
    result = run_cli("validate", "--data", str(own), "-f", "parsable")
    assert result.exit_code == 1, result
    assert parsable(result)[0][1:] == (7, "out-of-range")


def test_copy_of_the_bundled_corpus_validates(run_cli, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    result = run_cli("validate", "--data", str(tmp_path / "data"), "--strict")
    assert result.exit_code == 0, result


@pytest.mark.parametrize("cache", ["--no-cache", None])
def test_a_focal_role_without_external_is_not_warned_about(cache: str | None, run_cli, tmp_path: Path) -> None:
    """The schema's defaults (`external: true`) are not filled into the data
    the rules see: the file says nothing about `external`, so no warning."""
    omitted = tmp_path / "minimal-marketplace.yaml"
    omitted.write_text(GOOD.replace("      external: false\n", "", 1), encoding="utf-8")
    said = tmp_path / "said.yaml"
    said.write_text(GOOD.replace("id: minimal-marketplace", "id: said").replace("external: false", "external: true", 1))
    args = [a for a in (cache, "validate", "--format", "parsable", str(omitted), str(said)) if a]
    r = run_cli(*args)
    assert r.exit_code == 0, r
    assert "minimal-marketplace.yaml" not in r.stdout
    line = next(n for n, text in enumerate(said.read_text().splitlines(), 1) if "external: true" in text)
    assert f"said.yaml:{line}:" in r.stdout and "focal-role-external" in r.stdout
