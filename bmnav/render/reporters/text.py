"""A readable report grouped by file, with a summary line.

Plain text with Rich markup; the CLI's console decides about colour (none
in a pipe or with NO_COLOR).
"""

from __future__ import annotations

from bmnav.checking.problems import Report
from bmnav.render.safe_text import one_line


def _escape(text: str) -> str:
    """A file name or message as one line of literal text: a newline in a
    value must not start a line of its own (a forged `::warning` in a CI log),
    and Rich's markup escape keeps a `[tag]` or a trailing backslash inert."""
    from bmnav.render.console import esc

    return esc(one_line(text))


def render(report: Report, strict: bool = False) -> str:
    out: list[str] = []
    for path, problems in report.by_file():
        if not problems:
            continue
        out.append(f"[bold]{_escape(path)}[/bold]")
        for p in problems:
            colour = "red" if p.level.value == "error" else "yellow"
            where = f"{p.line}:{p.column}" if p.line else "-"
            out.append(
                f"  {where:>7}  [{colour}]{p.level.value:<7}[/{colour}] {_escape(p.message)}  [dim]\\[{p.rule}][/dim]"
            )
        out.append("")
    files = len(report.files)
    verdict = "[green]ok[/green]" if report.ok(strict=strict) else "[red]failed[/red]"
    strict_note = " (--strict: warnings count as errors)" if strict and report.warnings else ""
    out.append(
        f"{verdict}: {files} file{'s' if files != 1 else ''} checked, "
        f"{report.errors} error{'s' if report.errors != 1 else ''}, "
        f"{report.warnings} warning{'s' if report.warnings != 1 else ''}{strict_note}"
    )
    return "\n".join(out) + "\n"
