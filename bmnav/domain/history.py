"""A case's git history read by meaning: what each commit changed.

`case_history(path, corpus)` walks the commits that touched a case file
(following renames), reads the file at each commit with `git show`, and
diffs each revision against the one before with `bmnav.domain.diffs.diff`. A
revision that cannot be read as a case (a syntax error that was fixed
later) is kept with its problems, and the next good revision is compared
with the last good one, so one bad commit never hides the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmnav.checking.problems import BmnavError, Problem
from bmnav.domain.model import Case
from bmnav.storage import gitread

if TYPE_CHECKING:
    from bmnav.domain.diffs import DiffResult
    from bmnav.storage.corpus import Corpus


@dataclass
class Step:
    """One commit of the history and what it changed in the case."""

    revision: gitread.Revision
    diff: DiffResult | None = None
    #: why this revision could not be read as a case (then `diff` is None)
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        r = self.revision
        return {
            "commit": r.commit,
            "author": r.author,
            "date": r.date,
            "subject": r.subject,
            "status": r.status,
            "path": r.path,
            "old_path": r.old_path or None,
            "error": self.error,
            "problems": [p.as_dict() for p in self.problems],
            "diff": self.diff.as_dict() if self.diff is not None else None,
        }


def _case_at(rev: gitread.Revision, corpus: Corpus, top: Path) -> Case:
    from bmnav.domain.diffs import REVISION_IGNORES
    from bmnav.storage.loading import load_text

    if rev.status == "D":  # deleted in this commit: nothing is left of the case
        return Case({}, f"{rev.short}:{rev.path}")
    from bmnav.storage.corpus import case_from_loaded

    raw = gitread.show(rev.commit, rev.path, cwd=top)
    loaded = load_text(raw, f"{rev.short}:{rev.path}")
    return case_from_loaded(loaded, corpus.vocab, ignore=REVISION_IGNORES)


def case_history(path: str | Path, corpus: Corpus) -> list[Step]:
    """Every commit that changed the case file at `path`, oldest first, each
    with its semantic diff against the previous readable revision (the first
    against an empty case). Raises `BmnavError` (exit 2) when `path` is not in
    a git repository or git has no commit of it."""
    from bmnav.domain.diffs import diff

    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise BmnavError(
            f"{path}: no such folder {folder}; give the path of a case file in a git repository", exit_code=2
        )
    top = gitread.toplevel(folder)
    revisions = gitread.history(p.name, cwd=folder)
    if not revisions:
        raise BmnavError(f"{path}: git has no commit of this file; commit it first (git add, git commit)", exit_code=2)
    steps: list[Step] = []
    before = Case({}, "/dev/null")
    for rev in revisions:
        step = Step(rev)
        try:
            after = _case_at(rev, corpus, top)
        except BmnavError as exc:
            step.error, step.problems = exc.message, list(exc.problems)
            steps.append(step)
            continue
        step.diff = diff(before, after, corpus, a_ref=before.path or "/dev/null", b_ref=after.path or rev.path)
        before = after
        steps.append(step)
    return steps
