"""GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`).

Messages escape `%`, CR and LF; property values also escape `:` and `,`,
as the workflow-command syntax requires. Other control characters (ESC, bidi
overrides) are shown as escapes, as in every human-readable output.
"""

from __future__ import annotations

from bmnav.checking.problems import Report
from bmnav.render.safe_text import for_terminal


def escape_data(text: str) -> str:
    return for_terminal(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, strict: bool = False) -> str:
    out = []
    for p in report.sorted():
        level = "error" if p.level.value == "error" or strict else "warning"
        props = [f"file={escape_property(p.path)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.column}"]
        props.append(f"title={escape_property('bmnav ' + p.rule)}")
        out.append(f"::{level} {','.join(props)}::{escape_data(p.message)}")
    return "\n".join(out) + ("\n" if out else "")
