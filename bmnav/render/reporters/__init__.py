"""Renderers for a validation Report, chosen by `--format`.

Each reporter turns a Report into text; none of them decides the exit code
or touches the file system.
"""

from __future__ import annotations

from collections.abc import Callable

from bmnav.checking.problems import Report
from bmnav.render.reporters import github, json_format, parsable, text

Renderer = Callable[[Report, bool], str]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_format.render,
    "github": github.render,
    "parsable": parsable.render,
}
