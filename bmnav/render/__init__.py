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
    """JSON as every command writes it: UTF-8 text, not ASCII escapes, one final newline.

    The standard library writes indented JSON in Python, not C (its C encoder
    has no indent), one generator step per value: 0.4 s for the positions of
    10,000 cases. `_indented` writes the same text a third faster for plain
    data (the types `json.dumps` takes as they are); any other value goes to
    `json.dumps`, as before."""
    if indent is not None and indent >= 0:
        out: list[str] = []
        try:
            _indented(data, "\n", " " * indent, out)
        except (_NotPlain, RecursionError):
            pass
        else:
            return "".join(out) + "\n"
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


class _NotPlain(Exception):
    """A value `_indented` leaves to `json.dumps` (a subclass, a key that is not text, another type)."""


_enc: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]
_INF = float("inf")


def _float_text(x: float) -> str:
    """A float as `json.dumps` writes it (NaN and the infinities by their JavaScript names)."""
    if x != x:
        return "NaN"
    if x == _INF:
        return "Infinity"
    if x == -_INF:
        return "-Infinity"
    return float.__repr__(x)


def _indented(value: Any, newline: str, step: str, out: list[str]) -> None:
    """`json.dumps(value, indent=len(step), ensure_ascii=False)` in pieces,
    scalars of dicts and lists written in their parent's loop (a call per
    value is what makes the standard encoder slow)."""
    kind = type(value)
    if kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + step
        sep = "{" + inner
        nxt = "," + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            t = type(item)
            if t is str:
                out.append(sep + _enc(key) + ": " + _enc(item))
            elif t is int:
                out.append(sep + _enc(key) + ": " + int.__repr__(item))
            elif t is float:
                out.append(sep + _enc(key) + ": " + _float_text(item))
            elif item is None:
                out.append(sep + _enc(key) + ": null")
            elif item is True:
                out.append(sep + _enc(key) + ": true")
            elif item is False:
                out.append(sep + _enc(key) + ": false")
            else:
                out.append(sep + _enc(key) + ": ")
                _indented(item, inner, step, out)
            sep = nxt
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + step
        sep = "[" + inner
        nxt = "," + inner
        for item in value:
            t = type(item)
            if t is str:
                out.append(sep + _enc(item))
            elif t is int:
                out.append(sep + int.__repr__(item))
            elif t is float:
                out.append(sep + _float_text(item))
            else:
                out.append(sep)
                _indented(item, inner, step, out)
            sep = nxt
        out.append(newline + "]")
    elif kind is str:
        out.append(_enc(value))
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        out.append(_float_text(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    else:
        raise _NotPlain


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
