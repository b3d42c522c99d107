"""`path:line:col: level [rule] message`, one problem a line, for editors and grep."""

from __future__ import annotations

from bmnav.problems import Report


def render(report: Report, strict: bool = False) -> str:
    lines = [f"{p.path}:{p.line}:{p.column}: {p.level.value} [{p.rule}] {p.message}" for p in report.sorted()]
    return "\n".join(lines) + ("\n" if lines else "")
