"""Issue 16 (researcher): bmnav reads cases out of git.

Every test works on a REAL git repository made in tmp_path, with a fixed
author, committer and date, and with no user or system git configuration.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "diff"
CASE = "usecases/tire-as-a-service.yaml"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Researcher",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_AUTHOR_DATE": "2024-03-01T12:00:00+00:00",
    "GIT_COMMITTER_NAME": "Ada Researcher",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_COMMITTER_DATE": "2024-03-01T12:00:00+00:00",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env={**os.environ, **GIT_ENV}
    ).stdout


def commit(repo: Path, message: str, date: str | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = date
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=env)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with tire-v1 committed, then tire-v2 committed over it."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    folder = tmp_path / "cases"
    (folder / "usecases").mkdir(parents=True)
    git(folder, "init", "-q", "-b", "main")
    shutil.copy(FIXTURES / "tire-v1.yaml", folder / CASE)
    commit(folder, "Tire as a service, first version", "2024-03-01T12:00:00+00:00")
    shutil.copy(FIXTURES / "tire-v2.yaml", folder / CASE)
    commit(folder, "Add the finance partner", "2024-04-02T12:00:00+00:00")
    return folder


def bmnav(*args: str, cwd: Path, stdin: bytes | None = None, shell_line: str | None = None, **env: str):  # type: ignore[no-untyped-def]
    """The real CLI in a subprocess (git and the shell see a real program)."""
    full_env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100", **env}
    full_env.pop("BMNAV_DATA", None)
    cmd = ["bash", "-c", shell_line] if shell_line is not None else [sys.executable, "-m", "bmnav", *args]
    return subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, env=full_env)


PY_BMNAV = f"{sys.executable} -m bmnav"


def _fields(out: bytes) -> list[str]:
    return [f["path"] for f in json.loads(out)["fields"]]


# --- REV:path, -, process substitution ---------------------------------------------


def test_a_revision_is_read_through_git(repo: Path) -> None:
    result = bmnav("diff", f"HEAD~1:{CASE}", CASE, "--format", "json", cwd=repo)
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert doc["a"]["ref"] == f"HEAD~1:{CASE}" and doc["a"]["id"] == "tire-as-a-service"
    direct = bmnav("diff", str(FIXTURES / "tire-v1.yaml"), str(FIXTURES / "tire-v2.yaml"), "-f", "json", cwd=repo)
    assert _fields(result.stdout) == _fields(direct.stdout) == ["year", "offering.access", "maturity.stage"]
    assert doc["roles"] == json.loads(direct.stdout)["roles"]


def test_two_revisions_and_the_index(repo: Path) -> None:
    assert bmnav("diff", f"HEAD~1:{CASE}", f"HEAD:{CASE}", "--stat", cwd=repo).returncode == 1
    # `:path` is the staged version, as in git; unchanged since HEAD
    same = bmnav("diff", f":{CASE}", f"HEAD:{CASE}", cwd=repo)
    assert same.returncode == 0, same.stderr
    assert b"identical (no semantic difference)" in same.stdout


def test_a_revision_path_relative_to_the_current_folder(repo: Path) -> None:
    result = bmnav("diff", "HEAD~1:./tire-as-a-service.yaml", "tire-as-a-service.yaml", "--stat", cwd=repo / "usecases")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(
        b"HEAD~1:./tire-as-a-service.yaml -> tire-as-a-service.yaml\n  fields     3 changed"
    )


def test_standard_input_is_a_side(repo: Path) -> None:
    old = git(repo, "show", f"HEAD~1:{CASE}").encode()
    result = bmnav("diff", "-", CASE, "--format", "json", cwd=repo, stdin=old)
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["a"] == {"ref": "-", "id": "tire-as-a-service", "path": "<stdin>"}
    assert _fields(result.stdout) == ["year", "offering.access", "maturity.stage"]


def test_standard_input_in_process(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    old = git(repo, "show", f"HEAD~1:{CASE}")
    result = run_cli("diff", "-", CASE, "--stat", cwd=repo, input=old)
    assert result.exit_code == 1, result
    assert result.stdout.startswith("- -> usecases/tire-as-a-service.yaml\n")


def test_process_substitution_is_read(repo: Path) -> None:
    result = bmnav(cwd=repo, shell_line=f"{PY_BMNAV} diff --stat <(git show HEAD~1:{CASE}) {CASE}")
    assert result.returncode == 1, result.stderr
    assert b"  fields     3 changed\n" in result.stdout
    assert b"not a regular file" not in result.stderr


def test_process_substitution_on_both_sides_identical(repo: Path) -> None:
    result = bmnav(cwd=repo, shell_line=f"{PY_BMNAV} diff <(git show HEAD:{CASE}) <(cat {CASE})")
    assert result.returncode == 0, result.stderr


def test_both_sides_from_standard_input_is_trouble(repo: Path) -> None:
    result = bmnav("diff", "-", "-", cwd=repo, stdin=b"")
    assert result.returncode == 2
    assert b"only one side can be read from standard input" in result.stderr


def test_an_unknown_revision_says_what_git_said(repo: Path) -> None:
    result = bmnav("diff", f"HEAD~9:{CASE}", CASE, cwd=repo)
    assert result.returncode == 2
    assert f"HEAD~9:{CASE}: git show: fatal: invalid object name 'HEAD~9'".encode() in result.stderr


def test_a_path_missing_at_a_revision(repo: Path) -> None:
    result = bmnav("diff", "HEAD~1:usecases/nope.yaml", CASE, cwd=repo)
    assert result.returncode == 2
    assert b"does not exist in 'HEAD~1'" in result.stderr


def test_a_revision_that_looks_like_an_option_is_refused(repo: Path) -> None:
    result = bmnav("diff", "--", f"--output=/tmp/x:{CASE}", CASE, cwd=repo)
    assert result.returncode == 2
    assert b'is not a revision (it starts with "-")' in result.stderr


def test_the_size_limit_applies_to_git_and_stdin(repo: Path) -> None:
    # a limit above the model files (clusters.yaml is about 50 kB), below the big revision
    big = (FIXTURES / "tire-v1.yaml").read_text(encoding="utf-8") + "# padding\n" * 8000
    (repo / "usecases" / "big.yaml").write_text(big, encoding="utf-8")
    commit(repo, "big")
    limit = "70000"
    by_git = bmnav("diff", "HEAD:usecases/big.yaml", CASE, cwd=repo, BMNAV_MAX_FILE_SIZE=limit)
    assert by_git.returncode == 2 and b"more than 70,000 bytes" in by_git.stderr, by_git.stderr
    by_stdin = bmnav("diff", "-", CASE, cwd=repo, stdin=big.encode(), BMNAV_MAX_FILE_SIZE=limit)
    assert by_stdin.returncode == 2 and b"over the limit of 70,000" in by_stdin.stderr, by_stdin.stderr
    by_pipe = bmnav(cwd=repo, shell_line=f"{PY_BMNAV} diff <(cat usecases/big.yaml) {CASE}", BMNAV_MAX_FILE_SIZE=limit)
    assert by_pipe.returncode == 2 and b"over the limit of 70,000" in by_pipe.stderr, by_pipe.stderr


def test_a_broken_revision_shows_the_problems(repo: Path) -> None:
    shutil.copy(FIXTURES / "tire-broken.yaml", repo / CASE)
    commit(repo, "broken")
    shutil.copy(FIXTURES / "tire-v2.yaml", repo / CASE)
    result = bmnav("diff", f"HEAD:{CASE}", CASE, cwd=repo)
    assert result.returncode == 2
    assert f"HEAD:{CASE}:".encode() in result.stderr and b"error" in result.stderr


def test_a_hostile_file_name_is_one_argument(repo: Path) -> None:
    name = "usecases/it's $(touch pwned) ; -x *.yaml"
    shutil.copy(FIXTURES / "tire-v1.yaml", repo / name)
    commit(repo, "hostile name")
    shutil.copy(FIXTURES / "tire-v2.yaml", repo / name)
    result = bmnav("diff", f"HEAD:{name}", name, "--stat", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert not (repo / "pwned").exists() and not (repo / "usecases" / "pwned").exists()


# --- git's own tools keep working ----------------------------------------------------


def test_git_external_diff(repo: Path) -> None:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    env["GIT_EXTERNAL_DIFF"] = f"{PY_BMNAV} diff --stat"
    result = subprocess.run(["git", "diff", "HEAD~1", "--", CASE], cwd=repo, capture_output=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"usecases/tire-as-a-service.yaml (a) -> usecases/tire-as-a-service.yaml (b)\n")
    assert b"  fields     3 changed\n" in result.stdout


def test_git_difftool(repo: Path) -> None:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    result = subprocess.run(
        ["git", "difftool", "-y", "-x", f"{PY_BMNAV} diff --stat", "HEAD~1", "--", CASE],
        cwd=repo,
        capture_output=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert b"  fields     3 changed\n" in result.stdout


# --- bmnav log -------------------------------------------------------------------


def _history_repo(repo: Path) -> None:
    """Two more commits on top of the fixture: a broken one and a rename."""
    shutil.copy(FIXTURES / "tire-broken.yaml", repo / CASE)
    commit(repo, "Half-done edit", "2024-05-03T12:00:00+00:00")
    text = (FIXTURES / "tire-v2.yaml").read_text(encoding="utf-8")
    (repo / CASE).write_text(text.replace("cluster: as-a-service", "cluster: smart-product-as-a-service"))
    commit(repo, "Reclassify", "2024-06-04T12:00:00+00:00")
    git(repo, "mv", CASE, "usecases/tires.yaml")
    commit(repo, "Rename", "2024-07-05T12:00:00+00:00")


def test_log_shows_each_commit_by_meaning(repo: Path) -> None:
    _history_repo(repo)
    result = bmnav("log", "usecases/tires.yaml", "--reverse", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    commits = json.loads(result.stdout)["commits"]
    assert [(c["subject"], c["date"], c["status"], c["author"]) for c in commits] == [
        ("Tire as a service, first version", "2024-03-01", "A", "Ada Researcher"),
        ("Add the finance partner", "2024-04-02", "M", "Ada Researcher"),
        ("Half-done edit", "2024-05-03", "M", "Ada Researcher"),
        ("Reclassify", "2024-06-04", "M", "Ada Researcher"),
        ("Rename", "2024-07-05", "R", "Ada Researcher"),
    ]
    first, partner, broken, reclassify, rename = commits
    assert first["diff"]["a"]["ref"] == "/dev/null" and first["diff"]["b"]["id"] == "tire-as-a-service"
    assert [r["id"] for r in partner["diff"]["roles"]["added"]] == ["finance-partner"]
    assert partner["diff"]["stat"]["flows"] == {"added": 3, "removed": 3, "changed": 1}
    assert broken["diff"] is None and broken["error"] and broken["problems"]
    # the broken commit is skipped: the next one is compared with the last good one
    assert reclassify["diff"]["a"]["ref"].endswith(f":{CASE}")
    assert reclassify["diff"]["a"]["ref"].startswith(partner["commit"][:7])
    assert [f for f in reclassify["diff"]["fields"] if f["path"] == "cluster"] == [
        {"path": "cluster", "change": "changed", "old": "as-a-service", "new": "smart-product-as-a-service"}
    ]
    assert (rename["path"], rename["old_path"], rename["diff"]["identical"]) == ("usecases/tires.yaml", CASE, True)


def test_log_text_reads_like_git_log(repo: Path) -> None:
    _history_repo(repo)
    result = bmnav("log", "usecases/tires.yaml", cwd=repo)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    blocks = text.split("\n\n")
    assert blocks[0].splitlines()[1:] == ["    Rename", f"  renamed from {CASE}"]
    assert blocks[1].splitlines()[1:] == ["    Reclassify", "  cluster: as-a-service -> smart-product-as-a-service"]
    assert "  cannot be read as a case:" in blocks[2]
    partner = blocks[3].splitlines()
    assert partner[0].startswith("commit ") and partner[0].endswith(f" 2024-04-02 Ada Researcher  {CASE}")
    assert "  offering.access: closed -> open" in partner
    assert "  technologies: +ai -big-data" in partner
    roles = partner.index("  roles")
    assert partner[roles + 1 : roles + 4] == [
        "    + finance-partner (finance-company)",
        "    - software-cloud-provider (iot-solution-provider)",
        "    ~ fleet-operator: name Product user -> Product user (fleet), count 500 -> 800",
    ]
    assert "    + finance-partner -> owner (money): Financing of the tire fleet" in partner
    assert any(line.startswith("  position: openness 0.48 -> 0.92") for line in partner)
    assert blocks[4].splitlines()[2].startswith("  new case: ")


def test_log_follows_only_the_named_file_even_with_glob_characters(repo: Path) -> None:
    name = "usecases/*.yaml"
    shutil.copy(ROOT / "tests" / "cases" / "valid" / "minimal-marketplace.yaml", repo / name)
    commit(repo, "A file literally named *.yaml")
    shutil.copy(FIXTURES / "tire-v1.yaml", repo / CASE)
    commit(repo, "Another file that the glob would match")
    result = bmnav("log", name, "-f", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert [c["subject"] for c in json.loads(result.stdout)["commits"]] == ["A file literally named *.yaml"]


def test_log_outside_git_is_trouble(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("id: x\n")
    result = bmnav("log", "x.yaml", cwd=tmp_path, GIT_CEILING_DIRECTORIES=str(tmp_path.parent))
    assert result.returncode == 2
    assert b"not a git repository" in result.stderr


def test_log_of_an_uncommitted_file_is_trouble(repo: Path) -> None:
    (repo / "usecases" / "new.yaml").write_text("id: new\n")
    result = bmnav("log", "usecases/new.yaml", cwd=repo)
    assert result.returncode == 2
    assert b"git has no commit of this file" in result.stderr


def test_case_history_in_python(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.domain.history import case_history
    from bmnav.storage.corpus import load_corpus

    monkeypatch.chdir(repo)
    steps = case_history(CASE, load_corpus())
    assert [s.revision.subject for s in steps] == ["Tire as a service, first version", "Add the finance partner"]
    assert steps[1].diff is not None and steps[1].diff.exit_code == 1


def _transcript(page: str, command: str) -> str:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    block = text.split(f"```console\n$ {command}\n", 1)[1].split("```", 1)[0]
    return block


def _no_hashes(text: str) -> str:
    import re

    return re.sub(r"^commit [0-9a-f]{7} ", "commit ####### ", text, flags=re.M)


def test_the_docs_show_the_real_log_and_diff_output(repo: Path) -> None:
    log = bmnav("log", CASE, cwd=repo)
    assert _no_hashes(log.stdout.decode()) == _no_hashes(_transcript("diff.md", f"bmnav log {CASE}"))
    command = f"bmnav diff HEAD~1:{CASE} {CASE} --stat"
    stat = bmnav(*command.split()[1:], cwd=repo)
    assert stat.stdout.decode() == _transcript("diff.md", command)
