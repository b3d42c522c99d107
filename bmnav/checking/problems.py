"""One record for every finding, whatever produced it.

Loaders, the schema check and the semantic rules all return `Problem`s
instead of raising or printing, so that reporters can render them in any
format and one bad file never stops the others from being checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum


class Level(str, Enum):
    """How serious a finding is; warnings only fail a run under `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """A finding with a location: `path:line:col`, a rule id and a message.

    `line` and `column` are 1-based; 0 means "no location in the file"
    (for example a file that cannot be read at all). Problems sort by
    location, then rule and message; two findings are the same only when
    all of these agree.
    """

    path: str
    line: int
    column: int
    level: Level = field(compare=False)
    rule: str
    message: str

    @property
    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "level": self.level.value,
            "rule": self.rule,
            "message": self.message,
        }


def error(path: str, line: int, column: int, rule: str, message: str) -> Problem:
    return Problem(path, line, column, Level.ERROR, rule, message)


class BmnavError(Exception):
    """A problem that stops one operation (an unknown case id, a refused
    write); the CLI prints it as a message and exits non-zero, never as a
    traceback."""

    def __init__(self, message: str, *, problems: Iterable[Problem] = (), exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.exit_code = exit_code


@dataclass
class Report:
    """The result of a validation run: every file checked and every problem."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems))

    def by_file(self) -> Iterator[tuple[str, list[Problem]]]:
        groups: dict[str, list[Problem]] = {f: [] for f in self.files}
        for p in self.sorted():
            groups.setdefault(p.path, []).append(p)
        yield from groups.items()

    @property
    def errors(self) -> int:
        return sum(1 for p in set(self.problems) if p.level is Level.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in set(self.problems) if p.level is Level.WARNING)

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean (warnings allowed), 1 when errors were found (or warnings under strict)."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def ok(self, *, strict: bool = False) -> bool:
        return self.exit_code(strict=strict) == 0
