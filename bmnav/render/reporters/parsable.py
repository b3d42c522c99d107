"""`path:line:col: level [rule] message`, one problem a line, for editors and grep."""

from __future__ import annotations

from bmnav.checking.problems import Report
from bmnav.render.safe_text import one_line


def render(report: Report, strict: bool = False) -> str:
    """One problem a line, always: newlines and control characters in a file
    name or message are shown as escapes (see `bmnav.render.safe_text.one_line`)."""
    lines = [one_line(f"{p.path}:{p.line}:{p.column}: {p.level.value} [{p.rule}] {p.message}") for p in report.sorted()]
    return "\n".join(lines) + ("\n" if lines else "")
