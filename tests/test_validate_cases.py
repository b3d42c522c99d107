"""Example-file tests: drop a file into tests/cases/ and it becomes a test.

- `tests/cases/valid/<name>.yaml` (or `.yml`) must pass `bmnav validate`: exit 0, no output.
- `tests/cases/invalid/<name>.expected` holds the exact `bmnav validate --format parsable`
  output for the input `<name>.yaml` (or the folder `<name>/`), run from
  `tests/cases/invalid/`; the run must exit 1.
- `<name>.args`, when present, holds the arguments after `validate --format parsable`
  instead of the default `<name>.yaml` (for `--strict`, `--profile` or a limit).
- A few inputs cannot live in git (a FIFO, a symbolic-link loop); `MADE_AT_RUN_TIME`
  creates them in a temporary folder.

Every rule id in `bmnav.checking.rules.RULES` must appear in at least one `.expected` file.
Regenerate a golden after a deliberate message change with
`BMNAV_UPDATE_GOLDEN=1 python -m pytest tests/test_validate_cases.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from bmnav.checking.rules import RULES

CASES = Path(__file__).parent / "cases"
VALID = CASES / "valid"
INVALID = CASES / "invalid"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning) \[(?P<rule>[a-z0-9-]+)\] .+$")


def _fifo(folder: Path) -> None:
    os.mkfifo(folder / "path-unreadable.yaml")


def _loop(folder: Path) -> None:
    (folder / "symlink-loop.yaml").symlink_to("symlink-loop.yaml")


#: Inputs git cannot store; each maker creates `<name>.yaml` in the folder it is given.
MADE_AT_RUN_TIME: dict[str, Callable[[Path], None]] = {
    "path-unreadable": _fifo,
    "symlink-loop": _loop,
}

#: Rule ids no input file can trigger, with the test that covers them instead.
NO_FIXTURE_POSSIBLE = {
    # the fallback for schema keywords the bundled schemas do not use
    "schema": "tests/test_schema.py::test_unknown_keyword_falls_back_to_the_schema_rule",
}


def _valid_names() -> list[str]:
    return sorted(p.name for p in VALID.iterdir() if p.suffix in (".yaml", ".yml"))


def _invalid_names() -> list[str]:
    return sorted(p.stem for p in INVALID.glob("*.expected"))


def _args(folder: Path, name: str, default: str) -> list[str]:
    args_file = folder / f"{name}.args"
    if args_file.exists():
        return shlex.split(args_file.read_text(encoding="utf-8"))
    return [default]


@pytest.mark.parametrize("name", _valid_names())
def test_valid_case(name: str, run_cli) -> None:
    stem = Path(name).stem
    result = run_cli("validate", "--format", "parsable", "--strict", *_args(VALID, stem, name), cwd=VALID)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", ""), result


@pytest.mark.parametrize("name", _invalid_names())
def test_invalid_case(name: str, run_cli, tmp_path: Path) -> None:
    expected_file = INVALID / f"{name}.expected"
    cwd = INVALID
    if name in MADE_AT_RUN_TIME:
        MADE_AT_RUN_TIME[name](tmp_path)
        cwd = tmp_path
    default = name if (INVALID / name).is_dir() else f"{name}.yaml"
    result = run_cli("validate", "--format", "parsable", *_args(INVALID, name, default), cwd=cwd)
    if os.environ.get("BMNAV_UPDATE_GOLDEN"):
        expected_file.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == expected_file.read_text(encoding="utf-8"), result
    assert (result.exit_code, result.stderr) == (1, ""), result


@pytest.mark.parametrize("name", _invalid_names())
def test_expected_files_are_well_formed(name: str) -> None:
    """Each golden names a registered rule, with a line, and the rule's own level."""
    lines = (INVALID / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    assert lines, f"{name}.expected is empty"
    for line in lines:
        m = LINE.match(line)
        assert m, f"not in path:line:col: level [rule] message form: {line!r}"
        assert m["rule"] in RULES, line
        assert m["level"] == RULES[m["rule"]].level.value, line
    rules = {LINE.match(line)["rule"] for line in lines}  # type: ignore[index]
    base = re.sub(r"-(binary|include|block|scalar|on-off|tab|zero-bytes|utf16)$", "", name)
    if base in RULES:
        assert base in rules, f"{name}.expected does not report the rule its name promises"


def _covered() -> dict[str, list[tuple[str, int]]]:
    covered: dict[str, list[tuple[str, int]]] = {}
    for name in _invalid_names():
        for line in (INVALID / f"{name}.expected").read_text(encoding="utf-8").splitlines():
            m = LINE.match(line)
            if m:
                covered.setdefault(m["rule"], []).append((name, int(m["line"])))
    return covered


def test_every_rule_has_an_invalid_fixture() -> None:
    covered = _covered()
    missing = sorted(set(RULES) - set(covered) - set(NO_FIXTURE_POSSIBLE))
    assert not missing, f"rules without a fixture in tests/cases/invalid/: {missing}"
    stale = sorted(set(NO_FIXTURE_POSSIBLE) & set(covered))
    assert not stale, f"these rules have fixtures now; remove them from NO_FIXTURE_POSSIBLE: {stale}"


def test_rules_found_in_a_file_have_a_line() -> None:
    """Every rule except those about the path itself points into the file."""
    path_level = {"path-not-found", "path-unreadable", "symlink-loop", "file-too-large"}
    for rule, where in _covered().items():
        if rule in path_level:
            assert all(line == 0 for _, line in where), (rule, where)
        else:
            assert all(line >= 1 for _, line in where), (rule, where)


def test_no_fixture_runs_code() -> None:
    """The `!!python/object/apply:os.system` fixture must not have created its marker."""
    assert not (INVALID / "bmnav-was-here").exists()
    assert not Path("bmnav-was-here").exists()
