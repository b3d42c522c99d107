"""The render layer: every command's output, chosen by format.

One module per command turns the library's result into output; none of them
computes, reads files or decides an exit code. Each module has a `RENDERERS`
table from command to format (`text`, `json`, `csv`, ...) to a function of the result,
as `bmnav.render.reporters` has for `validate`; `render` dispatches to it. A `text`
renderer returns Rich renderables (or markup strings) that `show` prints;
the other formats return a string.

Rich is imported only inside the functions that draw text, so neither
`import bmnav` nor `--help` nor a JSON run loads it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from importlib import import_module
from typing import Any

__all__ = ["MODULES", "json_text", "render", "renderer", "show"]

#: command -> the module of `bmnav.render` holding its renderers.
MODULES = {
    "classify": "classify",
    "classify-rows": "classify",
    "evaluate": "classify",
    "show": "card",
    "maturity": "maturity",
    "diff": "diff",
    "compare": "compare",
    "list": "listing",
    "position": "position",
    "log": "log",
    "graph": "exports",
    "export": "export",
    "report": "report",
}


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON as every command writes it: UTF-8 text, not ASCII escapes, one final newline."""
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def renderer(command: str, fmt: str) -> Callable[..., Any]:
    """The function that renders `command`'s result as `fmt`."""
    module = import_module(f"{__name__}.{MODULES[command]}")
    table: dict[str, Callable[..., Any]] = module.RENDERERS[command]
    try:
        return table[fmt]
    except KeyError:
        raise ValueError(f"{command} has no {fmt} output (it has {', '.join(table)})") from None


def render(command: str, fmt: str, result: Any, **options: Any) -> Any:
    """`command`'s `result` as `fmt`: renderables for `text`, a string otherwise."""
    return renderer(command, fmt)(result, **options)


def show(parts: Iterable[Any] | Any, console: Any = None, **print_options: Any) -> None:
    """Print renderables (one or a list) on `console` (default: stdout's)."""
    if console is None:
        from bmnav.render.console import Console

        console = Console()
    for part in parts if isinstance(parts, list) else [parts]:
        console.print(part, **print_options)
