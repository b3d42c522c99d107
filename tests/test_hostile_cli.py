"""No tracebacks and nothing lost (issue 8).

- Any unexpected exception becomes a short message that says how to report
  it, exit code 3; the traceback only with `bmnav --debug`.
- Every command that writes a file writes atomically, refuses to overwrite
  without --force, and never writes into the corpus unless asked to.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bmnav.checking.problems import BmnavError
from bmnav.cli import app
from bmnav.cli.console import INTERNAL_ERROR
from bmnav.storage.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "data" / "usecases" / "tire-as-a-service.yaml"
OTHER = ROOT / "data" / "usecases" / "airbus-skywise.yaml"
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


# --- no tracebacks ------------------------------------------------------------------


class Injected(RuntimeError):
    pass


def _boom(*args: object, **kwargs: object) -> None:
    raise Injected("injected failure " + "x" * 5000)


#: command line, and a library function it calls that is made to fail
INJECTIONS = [
    (["validate", str(CASE)], "bmnav.checking.validation", "validate"),
    (["validate", str(CASE)], "bmnav.checking.schema", "check"),
    (["validate", str(CASE)], "bmnav.storage.loading.loader", "load_text"),
    (["classify", str(CASE)], "bmnav.classifying.classifier", "load_profile"),
    (["show", str(CASE)], "bmnav.domain.cards", "card"),
    (["diff", str(CASE), str(OTHER)], "bmnav.domain.diffs", "diff"),
    (["position", str(CASE)], "bmnav.domain.positions", "position"),
    (["graph", str(CASE)], "bmnav.render.exports", "export_graph"),
    (["list"], "bmnav.storage.corpus", "load_corpus"),
]


@pytest.mark.parametrize(("args", "module", "name"), INJECTIONS, ids=lambda v: str(v) if isinstance(v, str) else None)
def test_unexpected_exception_is_a_short_message(
    args: list[str], module: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(f"{module}.{name}", _boom)
    code, output = invoke(*args)
    assert code == INTERNAL_ERROR == 3
    assert "internal error" in output and "Injected" in output
    assert "report" in output and "--debug" in output
    assert "Traceback" not in output
    assert len(output) < 1500  # the 5000-character message is cut short

    code, output = invoke("--debug", *args)
    assert code == INTERNAL_ERROR
    assert "Traceback" in output and "Injected" in output


def test_keyboard_interrupt_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("bmnav.checking.validation.validate", interrupt)
    code, output = invoke("validate", str(CASE))
    assert code == 130 and "Traceback" not in output


def test_library_error_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise BmnavError("a clean refusal", exit_code=1)

    monkeypatch.setattr("bmnav.checking.validation.validate", refuse)
    code, output = invoke("validate", str(CASE))
    assert code == 1 and "a clean refusal" in output and "Traceback" not in output


def _run_with_injection(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point (`bmnav.entry:main`) in a fresh interpreter, with
    `bmnav.checking.validation.validate` made to fail."""
    code = (
        "import sys, bmnav.checking.validation as v\n"
        "def boom(*a, **k): raise ZeroDivisionError('injected')\n"
        "v.validate = boom\n"
        "from bmnav.cli import main\n"
        "sys.argv = ['bmnav', *sys.argv[1:]]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BMNAV_")}
    env.update(ENV, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_entry_point_exit_code_3_without_traceback(tmp_path: Path) -> None:
    result = _run_with_injection(tmp_path, "validate", str(CASE))
    assert result.returncode == 3
    assert "internal error: ZeroDivisionError: injected" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    result = _run_with_injection(tmp_path, "--debug", "validate", str(CASE))
    assert result.returncode == 3
    assert "Traceback (most recent call last)" in result.stderr


@pytest.mark.parametrize("command", ["validate", "classify"])
def test_exit_code_3_is_documented_in_help(command: str) -> None:
    code, output = invoke(command, "--help")
    assert code == 0
    assert "3  internal error" in output


def test_exit_code_3_is_documented_in_security_doc() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert "exit code 3" in text.lower() or "| 3 |" in text


# --- nothing lost: atomic writes ----------------------------------------------------


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_atomic_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "first\n")
    with pytest.raises(BmnavError, match="--force"):
        write_atomic(target, "second\n")
    assert target.read_text() == "first\n"
    write_atomic(target, "third\n", force=True)
    assert target.read_text() == "third\n"
    assert _listing(tmp_path) == ["out.txt"]


def test_write_atomic_missing_folder_and_folder_target(tmp_path: Path) -> None:
    with pytest.raises(BmnavError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "out.txt", "x")
    assert not (tmp_path / "missing").exists()
    with pytest.raises(BmnavError, match="folder"):
        write_atomic(tmp_path, "x", force=True)


@pytest.mark.parametrize("failing", ["fsync", "replace", "write"])
def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    """A crash half-way (disk full, power cut simulated by an OSError) leaves
    the old file as it was and no temporary file behind."""
    target = tmp_path / "keep.txt"
    target.write_text("precious\n")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if failing == "write":
        monkeypatch.setattr(os, "fdopen", lambda fd, mode: _FailingHandle(fd))
    else:
        monkeypatch.setattr(os, failing, fail)
    with pytest.raises(BmnavError, match="cannot write"):
        write_atomic(target, "replacement\n", force=True)
    monkeypatch.undo()
    assert target.read_text() == "precious\n"
    assert _listing(tmp_path) == ["keep.txt"]


class _FailingHandle:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __enter__(self) -> _FailingHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def write(self, data: bytes) -> int:
        raise OSError(28, "No space left on device")


def test_write_atomic_never_leaves_a_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers see the old or the new content, never a mix: the content goes
    to a temporary file in the same folder and is renamed over the target."""
    target = tmp_path / "t.txt"
    target.write_text("old\n")
    seen: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((Path(src).parent.name, Path(target).read_text()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(target, "new\n", force=True)
    assert seen == [(tmp_path.name, "old\n")]
    assert target.read_text() == "new\n"


# --- nothing lost: the commands that write ---------------------------------------------

PROFILE = ROOT / "examples" / "acme-profile.yaml"
#: command -> (arguments given the output file, the output file's name)
WRITERS = {
    "graph --output": (lambda out: ["graph", "tire-as-a-service", "--output", str(out)], "net.dot"),
    "position --svg": (lambda out: ["position", "--svg", str(out)], "map.svg"),
    "export --output": (lambda out: ["export", "--output", str(out)], "cases.csv"),
    "report --html": (lambda out: ["report", "tire-as-a-service", "--html", str(out)], "r.html"),
    "report --md": (lambda out: ["report", "tire-as-a-service", "--md", str(out)], "r.md"),
    "new --output": (
        lambda out: ["new", "--from-profile", str(PROFILE), "--yes", "--output", str(out)],
        "acme-pumps.yaml",
    ),
}


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_command_refuses_to_overwrite_without_force(writer: str, tmp_path: Path) -> None:
    args, name = WRITERS[writer]
    out = tmp_path / name
    out.write_text("the user's work\n")
    code, output = invoke(*args(out))
    assert code == 1, output
    assert "--force" in output and "Traceback" not in output
    assert out.read_text() == "the user's work\n"
    code, output = invoke(*args(out), "--force")
    assert code == 0, output
    assert out.read_text() != "the user's work\n"
    beside = [f"{Path(name).stem}-map.svg"] if writer == "report --md" else []  # the Markdown's map
    assert [n for n in _listing(tmp_path) if n != ".cache"] == sorted([name, *beside])  # no temporary file left


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_command_writes_a_new_file_and_reports_a_missing_folder(writer: str, tmp_path: Path) -> None:
    args, name = WRITERS[writer]
    out = tmp_path / name
    code, output = invoke(*args(out))
    assert code == 0, output
    assert out.stat().st_size > 0
    code, output = invoke(*args(tmp_path / "no" / "such" / name))
    assert code == 1 and "does not exist" in output and "Traceback" not in output
    assert not (tmp_path / "no").exists()


def test_new_writes_into_the_corpus_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "data", corpus)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = _snapshot(corpus)
    code, output = invoke("new", "--from-profile", str(PROFILE), "--yes", "--data", str(corpus))
    assert code == 0, output
    assert (work / "acme-pumps.yaml").is_file()
    assert _snapshot(corpus) == before
    code, output = invoke("new", "--from-profile", str(PROFILE), "--yes", "--into-corpus", "--data", str(corpus))
    assert code == 0, output
    assert set(_snapshot(corpus)) - set(before) == {"usecases/acme-pumps.yaml"}
    code, output = invoke("new", "--from-profile", str(PROFILE), "--yes", "--into-corpus", "--data", str(corpus))
    assert code == 1 and "--force" in output


def test_classify_save_refuses_before_asking(tmp_path: Path) -> None:
    answers = "Acme\n" + "\n" * 30
    out = tmp_path / "acme.yaml"
    code, output = invoke("classify", "--interactive", "--save", str(out), input=answers)
    assert code == 0, output
    saved = out.read_text(encoding="utf-8")
    assert "id: acme" in saved
    out.write_text("the user's profile\n")
    code, output = invoke("classify", "--interactive", "--save", str(out), input=answers)
    assert code == 1 and "--force" in output
    assert out.read_text() == "the user's profile\n"
    code, output = invoke("classify", "--interactive", "--save", str(out), "--force", input=answers)
    assert code == 0 and "id: acme" in out.read_text(encoding="utf-8")


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_no_command_writes_into_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "data", corpus)
    before = _snapshot(corpus)
    monkeypatch.chdir(corpus)  # even with the corpus as the working folder
    case = "tire-as-a-service"
    case_file = str(corpus / "usecases" / f"{case}.yaml")
    commands = [
        ["validate", "--data", str(corpus)],
        ["validate", str(corpus)],
        ["list", "--data", str(corpus)],
        ["show", case, "--data", str(corpus)],
        ["show", case_file, "--data", str(corpus)],
        ["classify", case_file, "--data", str(corpus)],
        ["diff", case_file, str(corpus / "usecases" / "airbus-skywise.yaml"), "--data", str(corpus)],
        ["position", "--data", str(corpus)],
        ["graph", case, "--data", str(corpus)],
        ["compare", "--data", str(corpus)],
        ["maturity", "--data", str(corpus)],
        ["evaluate", "--data", str(corpus)],
        ["export", "--data", str(corpus)],
        ["report", case, "--data", str(corpus)],
    ]
    for args in commands:
        code, output = invoke(*args)
        assert code in (0, 1), (args, output[-2000:])
        assert "internal error" not in output
    assert _snapshot(corpus) == before


@pytest.mark.parametrize("kind", ["fifo", "device", "too-large", "latin1"])
def test_classify_text_file_is_read_within_limits(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--text-file` reads notes through the loader's reader: a FIFO or a
    device is never opened (it would block or never end), the size limit
    holds, and another encoding is a message."""
    notes = tmp_path / "notes.txt"
    if kind == "fifo":
        os.mkfifo(notes)
    elif kind == "device":
        notes = Path(os.devnull)
    elif kind == "too-large":
        monkeypatch.setenv("BMNAV_MAX_FILE_SIZE", "200000")  # above clusters.yaml, which is read too
        notes.write_text("Customers pay per hour. " * 10_000)
    else:
        notes.write_bytes("Kunden zahlen pro Stunde für die Maschine.".encode("latin-1"))
    code, output = invoke("classify", "--text-file", str(notes))
    assert code == 1, output
    assert "cannot read the notes" in output and "Traceback" not in output


@pytest.mark.parametrize(
    ("command", "codes"),
    [("show", {1}), ("classify", {1}), ("graph", {1}), ("report", {1}), ("maturity", {1}), ("diff", {2})],
)
def test_every_reading_command_honours_the_size_limit(
    command: str, codes: set[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limits are read from the environment by every command, not only
    by `validate` (whose options set them too)."""
    big = tmp_path / "tire-as-a-service.yaml"
    big.write_text(CASE.read_text(encoding="utf-8") + ("# padding\n" * 15_000), encoding="utf-8")
    code, output = invoke(*([command, str(big)] if command != "diff" else [command, str(CASE), str(big)]))
    assert code in (0, 1), output  # within the default limit: a normal answer
    monkeypatch.setenv("BMNAV_MAX_FILE_SIZE", "100000")  # above clusters.yaml, below the padded case
    code, output = invoke(*([command, str(big)] if command != "diff" else [command, str(CASE), str(big)]))
    assert code in codes, output
    assert "file-too-large" in output or "over the limit" in output
    assert "Traceback" not in output
