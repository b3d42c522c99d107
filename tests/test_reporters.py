"""Each `--format`, exactly: the same run rendered four ways, plus escaping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bmnav.checking.problems import Level, Problem, Report
from bmnav.render.reporters import REPORTERS, github, json_format, parsable, text

GOOD = (Path(__file__).parent / "cases" / "valid" / "minimal-marketplace.yaml").read_text(encoding="utf-8")


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """cases/bad.yaml (three errors), cases/good.yaml, cases/warn.yaml (one warning)."""
    folder = tmp_path / "cases"
    folder.mkdir()

    def base(cid: str) -> str:
        return GOOD.replace("id: minimal-marketplace", f"id: {cid}")

    (folder / "bad.yaml").write_text(
        base("bad").replace("focal: platform", "focal: platfrom").replace("company:", "compnay:"),
        encoding="utf-8",
    )
    (folder / "good.yaml").write_text(base("good"), encoding="utf-8")
    (folder / "warn.yaml").write_text(base("warn").replace("external: false", "external: true"), encoding="utf-8")
    return tmp_path


MISSING = "(top level): the required field `company` is missing; add `company:`"
UNKNOWN = '(top level): unknown field `compnay` (did you mean "company"?)'
FOCAL = 'the focal role "platfrom" is not among the roles (did you mean "platform"?); roles: platform, buyer, supplier'
EXTERNAL = "the focal role is the company itself and always internal; set `external: false` or remove the line"


def test_registry_offers_the_four_formats() -> None:
    assert list(REPORTERS) == ["text", "json", "github", "parsable"]


def test_text(cases: Path, run_cli) -> None:
    result = run_cli("validate", "cases", cwd=cases)
    assert result.exit_code == 1, result
    assert result.stdout == (
        "cases/bad.yaml\n"
        f"      2:1  error   {MISSING}  [required-field]\n"
        f"      4:1  error   {UNKNOWN}  [unknown-field]\n"
        f"    12:10  error   {FOCAL}  [focal-role-missing]\n"
        "\n"
        "cases/warn.yaml\n"
        f"    17:17  warning {EXTERNAL}  [focal-role-external]\n"
        "\n"
        "failed: 3 files checked, 3 errors, 1 warning\n"
    )
    assert result.stderr == ""


def test_text_clean_run(cases: Path, run_cli) -> None:
    result = run_cli("validate", "cases/good.yaml", cwd=cases)
    assert (result.exit_code, result.stdout) == (0, "ok: 1 file checked, 0 errors, 0 warnings\n"), result


def test_parsable(cases: Path, run_cli) -> None:
    result = run_cli("validate", "--format", "parsable", "cases", cwd=cases)
    assert result.exit_code == 1, result
    assert result.stdout == (
        f"cases/bad.yaml:2:1: error [required-field] {MISSING}\n"
        f"cases/bad.yaml:4:1: error [unknown-field] {UNKNOWN}\n"
        f"cases/bad.yaml:12:10: error [focal-role-missing] {FOCAL}\n"
        f"cases/warn.yaml:17:17: warning [focal-role-external] {EXTERNAL}\n"
    )


def test_github(cases: Path, run_cli) -> None:
    result = run_cli("validate", "--format", "github", "cases", cwd=cases)
    assert result.exit_code == 1, result
    assert result.stdout == (
        f"::error file=cases/bad.yaml,line=2,col=1,title=bmnav required-field::{MISSING}\n"
        f"::error file=cases/bad.yaml,line=4,col=1,title=bmnav unknown-field::{UNKNOWN}\n"
        f"::error file=cases/bad.yaml,line=12,col=10,title=bmnav focal-role-missing::{FOCAL}\n"
        f"::warning file=cases/warn.yaml,line=17,col=17,title=bmnav focal-role-external::{EXTERNAL}\n"
    )


def test_github_strict_turns_warnings_into_errors(cases: Path, run_cli) -> None:
    result = run_cli("validate", "--format", "github", "--strict", "cases/warn.yaml", cwd=cases)
    assert result.exit_code == 1, result
    assert result.stdout == (
        f"::error file=cases/warn.yaml,line=17,col=17,title=bmnav focal-role-external::{EXTERNAL}\n"
    )


def _problem(path: str, line: int, col: int, level: str, rule: str, message: str) -> dict[str, object]:
    return {"path": path, "line": line, "column": col, "level": level, "rule": rule, "message": message}


def test_json(cases: Path, run_cli) -> None:
    result = run_cli("validate", "--format", "json", "cases", cwd=cases)
    assert result.exit_code == 1, result
    bad = [
        _problem("cases/bad.yaml", 2, 1, "error", "required-field", MISSING),
        _problem("cases/bad.yaml", 4, 1, "error", "unknown-field", UNKNOWN),
        _problem("cases/bad.yaml", 12, 10, "error", "focal-role-missing", FOCAL),
    ]
    warn = [_problem("cases/warn.yaml", 17, 17, "warning", "focal-role-external", EXTERNAL)]
    assert json.loads(result.stdout) == {
        "version": 1,
        "ok": False,
        "strict": False,
        "exit_code": 1,
        "summary": {"files": 3, "errors": 3, "warnings": 1},
        "files": [
            {"path": "cases/bad.yaml", "ok": False, "problems": bad},
            {"path": "cases/good.yaml", "ok": True, "problems": []},
            {"path": "cases/warn.yaml", "ok": True, "problems": warn},
        ],
        "problems": bad + warn,
    }
    assert result.stdout.startswith('{\n  "version": 1,\n  "ok": false,')  # indented, stable key order


def test_json_strict(cases: Path, run_cli) -> None:
    result = run_cli("validate", "--format", "json", "--strict", "cases/warn.yaml", cwd=cases)
    doc = json.loads(result.stdout)
    assert (result.exit_code, doc["ok"], doc["strict"], doc["exit_code"]) == (1, False, True, 1), result
    assert doc["files"][0]["ok"] is False


def test_json_of_a_clean_run(cases: Path, run_cli) -> None:
    doc = json.loads(run_cli("validate", "-f", "json", "cases/good.yaml", cwd=cases).stdout)
    assert doc["ok"] is True and doc["exit_code"] == 0 and doc["problems"] == []


# --- unit tests on a hand-made report -------------------------------------------------


def report(*problems: Problem, files: list[str] | None = None) -> Report:
    r = Report(files=files if files is not None else sorted({p.path for p in problems}))
    r.extend(problems)
    return r


def test_github_escapes_messages_and_properties() -> None:
    p = Problem("odd:name,1.yaml", 3, 4, Level.ERROR, "yaml-syntax", "100% wrong\r\nsee: a, b")
    assert github.render(report(p)) == (
        "::error file=odd%3Aname%2C1.yaml,line=3,col=4,title=bmnav yaml-syntax::100%25 wrong%0D%0Asee: a, b\n"
    )


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("%", "%25", "%25"),
        ("\r", "%0D", "%0D"),
        ("\n", "%0A", "%0A"),
        (":", ":", "%3A"),
        (",", ",", "%2C"),
        ("%0A", "%250A", "%250A"),  # an already escaped-looking text stays literal
        ("plain", "plain", "plain"),
    ],
)
def test_github_escape_functions(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_problems_without_a_line() -> None:
    p = Problem("gone.yaml", 0, 0, Level.ERROR, "path-not-found", "no such file or folder; check the path")
    r = report(p)
    assert github.render(r) == (
        "::error file=gone.yaml,title=bmnav path-not-found::no such file or folder; check the path\n"
    )
    assert parsable.render(r) == "gone.yaml:0:0: error [path-not-found] no such file or folder; check the path\n"
    assert "        -  [red]error  [/red] no such file or folder" in text.render(r)
    assert json_format.as_dict(r)["problems"] == [
        _problem("gone.yaml", 0, 0, "error", "path-not-found", "no such file or folder; check the path")
    ]


def test_text_escapes_rich_markup_in_paths_and_messages(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "[bold]"
    folder.mkdir()
    (folder / "x.yaml").write_text(
        GOOD.replace("id: minimal-marketplace", "id: x").replace("focal: platform", 'focal: "[red]"'), encoding="utf-8"
    )
    result = run_cli("validate", "[bold]", cwd=tmp_path)
    assert result.exit_code == 1, result
    assert "[bold]/x.yaml\n" in result.stdout
    assert '"[red]"' in result.stdout


def test_empty_reports() -> None:
    r = report(files=["a.yaml"])
    assert parsable.render(r) == "" and github.render(r) == ""
    assert text.render(r) == "[green]ok[/green]: 1 file checked, 0 errors, 0 warnings\n"
    assert json.loads(json_format.render(r))["summary"] == {"files": 1, "errors": 0, "warnings": 0}


def test_same_problem_twice_is_reported_once() -> None:
    p = Problem("a.yaml", 1, 1, Level.ERROR, "id-unique", "x")
    r = report(p, p)
    assert r.errors == 1
    assert parsable.render(r) == "a.yaml:1:1: error [id-unique] x\n"
