"""Reading case files out of git: `REV:path` revisions and a file's history.

git runs as a subprocess with a list argv (never a shell), so a file name
with spaces, quotes, `$` or a leading dash is passed as one argument and
never interpreted. What git prints is read up to the loader's size limit,
like a file on disk.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bmnav.checking.problems import BmnavError
from bmnav.storage.limits import Limits

#: A revision reference `REV:path` (`HEAD~1:usecases/x.yaml`, `:usecases/x.yaml` for
#: the index). Case ids are kebab-case, so a `:` never appears in one.
_REVISION = re.compile(r"^(?P<rev>[^:]*):(?P<path>.+)$")


def split_revision(ref: str) -> tuple[str, str] | None:
    """`(rev, path)` for `REV:path` when no file of that name exists, else None."""
    if os.path.lexists(ref):
        return None
    m = _REVISION.match(ref)
    if not m:
        return None
    return m["rev"], m["path"]


def _git() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise BmnavError(
            "git is not installed or not on PATH; `REV:path` and `bmnav log` read files through git", exit_code=2
        )
    return exe


def _env() -> dict[str, str]:
    # no pager, no prompts, and a fixed language, so git's messages can be shown as they are
    # literal pathspecs: a file named `*.yaml` or `:(glob)x` means that file only
    return {**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_LITERAL_PATHSPECS": "1"}


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "git failed"


def run_git(args: list[str], *, cwd: str | Path | None = None, limit: int | None = None) -> bytes:
    """git's standard output for `args` (a list: no shell). At most `limit`
    bytes are read; more raises `BmnavError` (exit 2) instead of filling memory.
    A git error raises `BmnavError` with git's own first line."""
    with subprocess.Popen(
        [_git(), *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        raw = proc.stdout.read(limit + 1) if limit is not None else proc.stdout.read()
        if limit is not None and len(raw) > limit:
            proc.kill()
            proc.communicate()
            raise BmnavError(
                f"git show printed more than {limit:,} bytes; case files are a few kilobytes "
                "(raise the limit with BMNAV_MAX_FILE_SIZE if this is intended)",
                exit_code=2,
            )
        stderr = proc.stderr.read()
        proc.wait()
    if proc.returncode != 0:
        raise BmnavError(f"git {args[0]}: {_first_line(stderr)}", exit_code=2)
    return raw


def show(rev: str, path: str, *, cwd: str | Path | None = None, limits: Limits | None = None) -> bytes:
    """The bytes of `path` at revision `rev` (`git show REV:path`), within the
    loader's size limit. As in git, `path` is relative to the repository's top
    unless it starts with `./`."""
    limits = limits or Limits.from_env()
    if rev.startswith("-"):
        raise BmnavError(
            f'"{rev}" is not a revision (it starts with "-"); write REV:path, e.g. HEAD~1:{path}', exit_code=2
        )
    # --no-textconv: the blob as committed, whatever filters the repository configures
    try:
        return run_git(["show", "--no-textconv", "--end-of-options", f"{rev}:{path}"], cwd=cwd, limit=limits.max_bytes)
    except BmnavError as exc:
        raise BmnavError(f"{rev}:{path}: {exc.message}", exit_code=2) from None


@dataclass(frozen=True)
class Revision:
    """One commit that touched a file, with the file's path at that commit."""

    commit: str
    author: str
    date: str
    subject: str
    status: str  # A added, M modified, D deleted, R renamed (git's letters)
    path: str  # relative to the repository's top
    old_path: str = ""  # the name before, when renamed (R) or copied (C)

    @property
    def short(self) -> str:
        return self.commit[:7]


def toplevel(cwd: str | Path | None = None) -> Path:
    """The top folder of the repository that holds `cwd`."""
    return Path(run_git(["rev-parse", "--show-toplevel"], cwd=cwd).decode("utf-8", "surrogateescape").strip())


def history(path: str | Path, *, cwd: str | Path | None = None) -> list[Revision]:
    """The commits that changed `path`, oldest first, following renames.

    Two reads, so that no free text is parsed together with file names: the
    commits with their file status (NUL-separated, safe for any file name),
    then author, date and subject per commit (one line each: none of them
    can hold a newline)."""
    args = ["log", "--follow", "--no-color", "--", str(path)]
    raw = run_git([*args[:-2], "--format=%H", "--name-status", "-z", *args[-2:]], cwd=cwd)
    tokens = [*raw.decode("utf-8", "surrogateescape").split("\x00"), "", "", ""]
    changes: list[tuple[str, str, str, str]] = []
    i = 0
    while i < len(tokens):
        commit = tokens[i].strip("\n")
        if not commit:
            i += 1
            continue
        status = tokens[i + 1].strip("\n")
        if status[:1] in ("R", "C"):  # renamed or copied: old path, new path
            changes.append((commit, status[:1], tokens[i + 3], tokens[i + 2]))
            i += 4
        else:
            changes.append((commit, status[:1], tokens[i + 2], ""))
            i += 3
    meta: dict[str, list[str]] = {}
    lines = run_git([*args[:-2], "--format=%H%x00%an%x00%ad%x00%s", "--date=short", *args[-2:]], cwd=cwd)
    for line in lines.decode("utf-8", "replace").splitlines():
        commit, *rest = line.split("\0", 3)
        meta[commit] = rest
    revisions = []
    for commit, status, file_path, old_path in changes:
        author, date, subject = ([*meta.get(commit, []), "", "", ""])[:3]
        revisions.append(Revision(commit, author, date, subject, status or "M", file_path, old_path))
    revisions.reverse()
    return revisions
