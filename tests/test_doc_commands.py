"""Every command shown in README.md and docs/*.md runs as written (issue 16).

The ```console, ```sh and ```bash blocks are read; each command line (after
a `$ ` prompt in a console block, every non-comment line otherwise) runs in
bash, in a temporary copy of the repository with its own HOME, with `bmnav`
on PATH. Commands of one page run in order in one folder, so a file written
by one command is there for the next, as for a reader. A command passes
when its exit status is the expected one (0 unless EXPECTED_EXIT says
otherwise) and, in a console transcript, when it prints the transcript's
first output line. Commands that cannot run here are in NOT_RUN, each with
the reason; a new command that is neither runnable nor listed fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p.name not in ("cli.md", "rules.md"))]
#: The first word of a line that is a command (other lines of a block are a script's text or a synopsis).
PROGRAMS = (
    *("bmnav", "mkdir", "printf", "python", "pip", "git", "twine", "head"),
    *("GIT_EXTERNAL_DIFF=", "HYPOTHESIS_PROFILE="),
)

#: Commands that are shown but not run here, and why. Keep the reasons true.
NOT_RUN: dict[str, str] = {
    # installing needs the network (PyPI, GitHub); CI runs the install and the test command itself
    "pip install . && bmnav classify examples/acme-profile.yaml": "installs into the environment (CI runs it)",
    'pip install ".[test]" && python -m pytest': "the test suite itself (CI runs it)",
    'pip install "bmnav @ git+https://github.com/OWNER/bmnav@COMMIT_SHA"': "needs the network and a real OWNER",
    "pip install build twine": "installs into the environment",
    "python -m build": "tests/test_release.py builds with --no-isolation",
    "twine check --strict dist/*": "tests/test_release.py runs it on the built files",
    "python -m pytest tests/test_corpus.py": "a test module, run by the suite itself",
    "HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz_cases.py -p no:cacheprovider": "hours of fuzzing",
    "HYPOTHESIS_PROFILE=long BMNAV_FUZZ_EXAMPLES=100000 python -m pytest tests/test_fuzz_cases.py -x": "hours",
    # the benchmarks take minutes; tests/test_bench_corpus.py runs their generator from the clone
    "python benchmarks/bench.py": "3 to 6 minutes",
    "python benchmarks/bench.py --quick": "about a minute, and it measures time",
    "python benchmarks/bench.py --out results.json --gen benchmarks/gen_corpus.py": "minutes",
    "python benchmarks/worst_shapes.py": "about 90 runs of up to 10 s each",
    "python benchmarks/worst_shapes.py --markdown --out worst.json": "about 90 runs of up to 10 s each",
    "python benchmarks/worst_shapes.py --shape ring --shape notes --out results.json": "minutes",
    "python benchmarks/worst_shapes.py --size 650000": "a few minutes",
    # git workflows: tests/test_git_native.py runs them against a real repository with history
    "git difftool -y -x 'bmnav diff' HEAD~1 -- data/usecases/": "needs history (tests/test_git_native.py)",
    "git difftool -y -x 'bmnav diff --stat' main -- data/usecases/haier-cosmoplat.yaml": "needs history",
    "git difftool -y -t bmnav HEAD~1 -- data/usecases/tire-as-a-service.yaml": "needs history and a difftool config",
    "GIT_EXTERNAL_DIFF='bmnav diff' git diff HEAD~1 -- data/usecases/": "needs history (tests/test_git_native.py)",
    "GIT_EXTERNAL_DIFF='bmnav diff --stat' git log -p --ext-diff -- data/usecases/haier-cosmoplat.yaml": "history",
    "bmnav diff HEAD~1:usecases/tire-as-a-service.yaml usecases/tire-as-a-service.yaml --stat": "needs history",
    "git show main:usecases/x.yaml | bmnav diff - usecases/x.yaml": "needs history (tests/test_git_native.py)",
    "bmnav diff <(git show v1:usecases/x.yaml) <(git show v2:usecases/x.yaml)": "needs tags v1 and v2",
    "bmnav log usecases/tire-as-a-service.yaml": "needs history (tests/test_git_native.py runs this transcript)",
    # interactive: they ask questions (tests/test_new.py answers them)
    "bmnav new": "interactive",
    "bmnav new acme-pumping": "interactive",
    "bmnav new acme-pumping --into-corpus --data ~/cases": "interactive",
    "bmnav --install-completion": "changes the shell's start-up file; --show-completion below is run",
    # placeholders a reader replaces
    "bmnav validate data/usecases/<new-id>.yaml": "<new-id> is a placeholder",
}

#: Benchmark scripts that run for minutes (the speed goals are read off their
#: tables, never asserted in tests): shown with any options, never run here.
SLOW_SCRIPTS: dict[str, str] = {
    "python benchmarks/scale.py": "minutes: corpora of 1,000 and 10,000 cases, every command cold and warm",
    "python benchmarks/startup.py": "about a minute of timed runs (it measures time)",
}

#: What a reader types at the prompts of an interactive command (as the transcripts show).
ANSWERS: dict[str, str] = {
    "bmnav new --from-profile nordlicht.yaml": "Interview with Nordlicht Sensorik, March 2026\nhttps://example.com/nordlicht\n\n\n",
    "bmnav new --from-profile client.yaml": "\n" * 8,  # Enter: take every proposal
}

#: Commands whose documented outcome is not exit 0.
EXPECTED_EXIT: dict[str, int] = {
    "bmnav validate tests/cases/invalid/readme-example.yaml": 1,
    "bmnav validate --format parsable tests/cases/invalid/readme-example.yaml": 1,
    "bmnav validate --format github tests/cases/invalid/readme-example.yaml": 1,
    "bmnav validate --format json tests/cases/invalid/focal-role-external.yaml nothere.yaml": 1,
    "bmnav diff telekom-data-intelligence-hub nordlicht.yaml --stat": 1,  # the cases differ
}


@dataclass(frozen=True)
class Command:
    page: str
    line: str
    first_output: str | None  # a console transcript's first output line


def _strip_comment(line: str) -> str:
    # a ` # ...` comment after the command (never inside the quoted texts used in the docs)
    return re.sub(r"\s+#\s.*$", "", line).strip()


def _is_synopsis(line: str) -> bool:
    return "[--" in line or "..." in line or re.search(r"\bA B\b", line) is not None


def _commands(page: Path) -> list[Command]:
    found = []
    text = page.read_text(encoding="utf-8")
    for lang, body in re.findall(r"```(console|sh|bash)\n(.*?)```", text, flags=re.S):
        lines = body.replace("\\\n", " ").splitlines()
        for i, raw in enumerate(lines):
            line = raw.strip()
            if lang == "console":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
                nxt = lines[i + 1] if i + 1 < len(lines) and not lines[i + 1].startswith("$ ") else None
            else:
                nxt = None
            line = _strip_comment(line)
            if not line or line.startswith("#") or not line.startswith(PROGRAMS):
                continue
            if _is_synopsis(line) or "<Tab>" in line:
                continue
            found.append(Command(page.name, line, nxt))
    return found


def _files_shown(page: Path) -> dict[str, str]:
    """Files a page shows in full: "`name.yaml`:" then a yaml block."""
    text = page.read_text(encoding="utf-8")
    return dict(re.findall(r"`([\w.-]+\.yaml)`:\s*\n\s*```yaml\n(.*?)```", text, flags=re.S))


def _workspace(tmp_path: Path, page: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the repository, the files the page assumes, and an environment
    with `bmnav` on PATH and its own HOME."""
    work = tmp_path / "repo"
    shutil.copytree(
        ROOT, work, ignore=shutil.ignore_patterns(".git", ".ci", "*.pyc", "__pycache__", ".*_cache", "out", "venv")
    )
    home = tmp_path / "home"
    home.mkdir()
    valid = (ROOT / "tests" / "cases" / "valid" / "minimal-marketplace.yaml").read_text(encoding="utf-8")
    # the files a reader has at hand in the examples: a profile, a new case, a folder of cases
    shutil.copy(ROOT / "examples" / "acme-profile.yaml", work / "client.yaml")
    shutil.copy(ROOT / "tests" / "fixtures" / "diff" / "client-profile.yaml", work / "client-profile.yaml")
    (work / "new-case.yaml").write_text(valid.replace("id: minimal-marketplace", "id: new-case"), encoding="utf-8")
    for folder in (work / "usecases", home / "our-cases" / "usecases"):
        folder.mkdir(parents=True)
        (folder / "minimal-marketplace.yaml").write_text(valid, encoding="utf-8")
    for name, text in _files_shown(page).items():
        (work / name).write_text(text, encoding="utf-8")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "bmnav"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m bmnav "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(work),
        "HOME": str(home),
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": "100",
    }
    env.pop("BMNAV_DATA", None)
    return work, env


ALL = [c for page in PAGES for c in _commands(page)]


def test_every_command_is_run_or_listed_with_a_reason() -> None:
    assert len(ALL) > 40, "the extraction found too few commands"
    shown = {c.line for c in ALL}
    assert set(NOT_RUN) <= shown, f"NOT_RUN lists commands no page shows: {sorted(set(NOT_RUN) - shown)}"
    assert set(SLOW_SCRIPTS) <= {c.line.split(" --")[0] for c in ALL}, "SLOW_SCRIPTS lists a script no page shows"
    assert set(EXPECTED_EXIT) <= shown, sorted(set(EXPECTED_EXIT) - shown)


@pytest.mark.parametrize("page", [p for p in PAGES if any(c.page == p.name for c in ALL)], ids=lambda p: p.name)
def test_the_commands_of_a_page_run_as_written(page: Path, tmp_path: Path) -> None:
    work, env = _workspace(tmp_path, page)
    failures = []
    for cmd in (c for c in ALL if c.page == page.name):
        if cmd.line in NOT_RUN or cmd.line.split(" --")[0] in SLOW_SCRIPTS:
            continue
        proc = subprocess.run(
            ["bash", "-c", cmd.line],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            input=ANSWERS.get(cmd.line, ""),
        )
        want = EXPECTED_EXIT.get(cmd.line, 0)
        if proc.returncode != want:
            failures.append(f"`{cmd.line}` exited {proc.returncode}, not {want}: {proc.stderr.strip()[-400:]}")
        elif cmd.first_output and cmd.first_output.strip() not in proc.stdout + proc.stderr:
            failures.append(f"`{cmd.line}` no longer prints {cmd.first_output.strip()!r}")
    assert not failures, f"{page.name}:\n" + "\n".join(failures)


def test_python_snippets_read_only_files_their_page_writes() -> None:
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        written = set(re.findall(r">\s*([\w.-]+\.(?:csv|jsonl|json))", text))
        for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
            for name in re.findall(r"read_(?:csv|json)\(\"([\w.-]+)\"", block):
                assert name in written, f"{page.name}: the snippet reads {name}, which no command there writes"


def test_relative_links_stay_inside_the_repository() -> None:
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            resolved = (page.parent / target).resolve()
            assert ROOT in resolved.parents or resolved == ROOT, f"{page.name} links outside the repository: {target}"
            assert resolved.exists(), f"{page.name} links to a missing file: {target}"
