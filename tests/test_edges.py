"""The edges (issue 13, "Low: the edges"): signals during a write, targets
checked late or twice, symbolic links, races, and standard streams the
environment broke.

- Ctrl-C, SIGTERM or SIGHUP during an atomic write leave no temporary file.
- `new` refuses an existing target before its questions; `report` refuses
  `--html` and `--md` naming one file; a dangling symbolic link counts as an
  existing file; the name is taken exclusively, so a file that appears at
  the last moment is never clobbered.
- A closed, full or ASCII-only stdout or stderr, or a closed stdin under
  `new`/`classify --interactive`, is one line on stderr and exit code 2:
  never 3, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bmnav.checking.problems import BmnavError
from bmnav.cli import app
from bmnav.storage import files
from bmnav.storage.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "usecases" / "tire-as-a-service.yaml"
PROFILE = ROOT / "examples" / "acme-profile.yaml"
ENV = {"BMNAV_NO_CACHE": "1", "NO_COLOR": "1", "COLUMNS": "120"}


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BMNAV_NO_CACHE", "1")
    monkeypatch.setenv("BMNAV_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.delenv("BMNAV_DATA", raising=False)


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=ENV, input=input)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".cache")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BMNAV_", "PYTHONIOENCODING"))}
    env.update(
        NO_COLOR="1",
        COLUMNS="100",
        BMNAV_CACHE_DIR=str(tmp_path / ".cache"),
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    )
    env.update(extra)
    return env


def _shell(tmp_path: Path, command: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python -m bmnav ...` with shell redirections, as a user types them."""
    return subprocess.run(
        ["/bin/sh", "-c", command.replace("BMNAV", f"'{sys.executable}' -m bmnav")],
        cwd=tmp_path,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- signals during an atomic write -------------------------------------------------


def test_ctrl_c_during_write_removes_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("precious\n")

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "replacement\n", force=True)
    monkeypatch.undo()
    assert _listing(tmp_path) == ["keep.txt"]
    assert target.read_text() == "precious\n"


#: A script that runs the real entry point with a signal sent to itself in
#: the middle of the atomic write (after the content, before the rename).
_SIGNAL_SCRIPT = """
import os, signal, sys
import bmnav.storage.files as f
real = os.fsync
sig = getattr(signal, sys.argv[1])
def fsync(fd):
    os.kill(os.getpid(), sig)
    real(fd)
f.os.fsync = fsync
sys.argv = ["bmnav", *sys.argv[2:]]
from bmnav.entry import main
main()
"""


@pytest.mark.parametrize(("name", "code"), [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)])
@pytest.mark.parametrize("force", [False, True])
def test_signal_during_write_leaves_no_temporary_file(tmp_path: Path, name: str, code: int, force: bool) -> None:
    out = tmp_path / "report.md"
    if force:
        out.write_text("the old report\n")
    args = ["report", "tire-as-a-service", "--md", str(out), *(["--force"] if force else [])]
    result = subprocess.run(
        [sys.executable, "-c", _SIGNAL_SCRIPT, name, *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr
    assert _listing(tmp_path) == (["report.md"] if force else [])
    if force:
        assert out.read_text() == "the old report\n"


def test_write_leaves_signal_handlers_as_they_were(tmp_path: Path) -> None:
    def mine(signum: int, frame: object) -> None:
        pass

    old = signal.signal(signal.SIGTERM, mine)
    try:
        write_atomic(tmp_path / "a.txt", "a\n")
        assert signal.getsignal(signal.SIGTERM) is mine
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        write_atomic(tmp_path / "b.txt", "b\n")
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGTERM, old)


# --- the target: checked early, once, and taken exclusively -------------------------


def test_new_refuses_an_existing_file_before_the_first_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "acme-pumping.yaml").write_text("the user's case\n")
    code, output = invoke("new", "acme-pumping", input="")
    assert code == 1, output
    assert "acme-pumping.yaml already exists; use --force" in output
    assert "Name of the use case" not in output  # not a single question asked
    assert (tmp_path / "acme-pumping.yaml").read_text() == "the user's case\n"


def test_new_into_corpus_refuses_before_the_first_question(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "data", corpus)
    before = (corpus / "usecases" / "tire-as-a-service.yaml").read_bytes()
    code, output = invoke("new", "tire-as-a-service", "--into-corpus", "--data", str(corpus), input="")
    assert code == 1, output
    assert "tire-as-a-service.yaml already exists; use --force" in output
    assert "Name of the use case" not in output
    assert (corpus / "usecases" / "tire-as-a-service.yaml").read_bytes() == before


def test_new_asks_again_for_an_id_whose_file_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "acme-pumping.yaml").write_text("the user's case\n")
    answers = "Acme pumping\nacme-pumping\n"  # the id's file exists: asked again; input then ends
    code, output = invoke("new", input=answers)
    assert "acme-pumping.yaml already exists; use --force to overwrite it, or choose another id" in output
    assert output.count("Case id (kebab-case") == 2
    assert "The focal company" not in output.split("or choose another id")[0]
    assert code == 1
    assert (tmp_path / "acme-pumping.yaml").read_text() == "the user's case\n"


def test_report_refuses_html_and_md_naming_one_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "sub")
    pairs = [
        (tmp_path / "r.out", tmp_path / "r.out"),
        (tmp_path / "r.out", tmp_path / "sub" / ".." / "r.out"),
        (tmp_path / "sub" / "r.out", tmp_path / "link" / "r.out"),
    ]
    for html, md in pairs:
        code, output = invoke("report", "tire-as-a-service", "--html", str(html), "--md", str(md))
        assert code == 2, output
        assert "name the same file" in output
        assert sorted(p.name for p in tmp_path.rglob("*") if p.name != ".cache") == ["link", "sub"]
    code, output = invoke(
        "report", "tire-as-a-service", "--html", str(tmp_path / "r.html"), "--md", str(tmp_path / "r.md")
    )
    assert code == 0, output


@pytest.mark.parametrize("writer", ["write_atomic", "report --md", "new"])
def test_dangling_symbolic_link_is_not_replaced_without_force(
    writer: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "acme-pumps.yaml"
    link.symlink_to(elsewhere / "gone.yaml")

    def run(*extra: str) -> tuple[int, str]:
        if writer == "write_atomic":
            try:
                write_atomic(link, "new\n", force=bool(extra))
            except BmnavError as exc:
                return 1, exc.message
            return 0, ""
        if writer == "report --md":
            return invoke("report", "tire-as-a-service", "--md", str(link), *extra)
        return invoke("new", "--from-profile", str(PROFILE), "--yes", *extra)

    code, output = run()
    assert code == 1, output
    assert "symbolic link" in output and "--force" in output
    assert link.is_symlink() and not link.exists()
    assert _listing(elsewhere) == []
    code, output = run("--force")
    assert code == 0, output
    assert not link.is_symlink() and link.is_file()  # the link itself is replaced ...
    assert _listing(elsewhere) == []  # ... never written through


def _competitor(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Another run creates `target` at the last moment: just before this one
    gives its finished file the name (rename or link)."""

    def racing(real: object) -> object:
        def call(src: str, dst: str | os.PathLike[str], *args: object, **kwargs: object) -> object:
            if Path(dst) == target and not os.path.lexists(target):
                target.write_text("the other run's case\n")
            return real(src, dst, *args, **kwargs)  # type: ignore[operator]

        return call

    monkeypatch.setattr(os, "replace", racing(os.replace))
    monkeypatch.setattr(os, "link", racing(os.link))


def test_write_atomic_never_clobbers_a_file_that_appears_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "case.yaml"
    _competitor(monkeypatch, target)
    with pytest.raises(BmnavError, match="already exists"):
        write_atomic(target, "this run's case\n")
    monkeypatch.undo()
    assert target.read_text() == "the other run's case\n"
    assert _listing(tmp_path) == ["case.yaml"]


def test_two_new_runs_racing_for_one_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "acme-pumps.yaml"
    _competitor(monkeypatch, out)
    code, output = invoke("new", "--from-profile", str(PROFILE), "--yes", "--output", str(out))
    monkeypatch.undo()
    assert code == 1, output
    assert "already exists" in output
    assert out.read_text() == "the other run's case\n"
    assert _listing(tmp_path) == ["acme-pumps.yaml"]


def test_exclusive_create_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system without hard links: an O_EXCL placeholder takes the name."""

    def no_links(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_atomic(tmp_path / "a.txt", "first\n")
    assert (tmp_path / "a.txt").read_text() == "first\n"
    with pytest.raises(BmnavError, match="already exists"):
        files._create_exclusively(str(tmp_path / "a.txt"), tmp_path / "a.txt")
    monkeypatch.undo()
    assert _listing(tmp_path) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text() == "first\n"


# --- standard streams the environment broke ------------------------------------------


def _one_line_error(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    assert result.stderr.strip().splitlines()[-1:] == [result.stderr.strip()], result.stderr  # one line
    assert text in result.stderr, result.stderr


@pytest.mark.parametrize("cache", ["on", "off"])
def test_help_to_a_full_disk(tmp_path: Path, cache: str) -> None:
    extra = {"BMNAV_NO_CACHE": "1"} if cache == "off" else {}
    for _ in range(2):  # with the cache on: rendered, then served from the cache
        result = _shell(tmp_path, "BMNAV --help > /dev/full", **extra)
        _one_line_error(result, 2, "error: cannot write to standard output: No space left on device")


@pytest.mark.parametrize(
    "command",
    [
        f"BMNAV validate {CASE} > /dev/full",
        f"BMNAV validate {CASE} --format json > /dev/full",
        "BMNAV --version > /dev/full",
        "BMNAV show tire-as-a-service > /dev/full",
    ],
)
def test_output_to_a_full_disk(tmp_path: Path, command: str) -> None:
    _one_line_error(_shell(tmp_path, command), 2, "cannot write to standard output: No space left on device")


@pytest.mark.parametrize("command", ["BMNAV --help >&-", f"BMNAV validate {CASE} >&-", "BMNAV list --format json >&-"])
def test_stdout_closed(tmp_path: Path, command: str) -> None:
    _one_line_error(_shell(tmp_path, command), 2, "error: cannot write to standard output: it is closed")


def test_stderr_closed(tmp_path: Path) -> None:
    """Nothing to say on stderr: the run is unaffected. Something to say:
    exit 2 (the message has nowhere to go)."""
    result = _shell(tmp_path, "BMNAV --help 2>&-")
    assert result.returncode == 0 and "Usage:" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: X\n")
    result = _shell(tmp_path, f"BMNAV validate {bad} 2>&-")  # validate's findings go to stdout
    assert result.returncode == 1 and "[required-field]" in result.stdout
    result = _shell(tmp_path, f"BMNAV report tire-as-a-service --md {tmp_path / 'r.md'} 2>&-")
    assert result.returncode == 2 and "Traceback" not in result.stdout
    result = _shell(tmp_path, f"BMNAV validate {CASE} > /dev/full 2>&-")
    assert (result.returncode, result.stdout, result.stderr) == (2, "", "")


@pytest.mark.parametrize("command", ["BMNAV --help", "BMNAV show haier-cosmoplat", "BMNAV list --format json"])
def test_ascii_only_output(tmp_path: Path, command: str) -> None:
    result = _shell(tmp_path, command, PYTHONIOENCODING="ascii")
    _one_line_error(result, 2, "error: cannot write to standard output: its encoding ascii cannot show")
    assert "set PYTHONIOENCODING=utf-8" in result.stderr
    result = _shell(tmp_path, command, PYTHONIOENCODING="ascii:replace")  # the way out the message names
    assert result.returncode == 0, result


@pytest.mark.parametrize(
    ("command", "prompt"),
    [("BMNAV new acme-pumping <&-", "Name of the use case"), ("BMNAV classify --interactive <&-", "1/10")],
)
def test_stdin_closed_under_questions(tmp_path: Path, command: str, prompt: str) -> None:
    result = _shell(tmp_path, command)
    _one_line_error(result, 2, "error: cannot read standard input: it is closed")
    assert prompt not in result.stderr  # stops before the first question
    assert _listing(tmp_path) == []


def test_stdin_closed_is_no_trouble_without_questions(tmp_path: Path) -> None:
    result = _shell(tmp_path, f"BMNAV new --from-profile {PROFILE} --yes <&-")
    assert result.returncode == 0, result
    assert (tmp_path / "acme-pumps.yaml").is_file()


def test_broken_pipe_stays_quiet(tmp_path: Path) -> None:
    result = _shell(tmp_path, "BMNAV export --format json | head -c 1")
    assert result.stdout == "[" and result.stderr == "", result


def test_edges_are_documented() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("### The edges", 1)[1].split("\n## ", 1)[0]
    for words in ("SIGTERM", "/dev/full", "PYTHONIOENCODING", "exit code 2", "symbolic link", "--html", "new"):
        assert words in section, words
