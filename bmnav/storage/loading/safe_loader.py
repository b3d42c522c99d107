"""PyYAML's safe loader made strict, and what its errors mean for a person.

Only the safe loader is used (libyaml's when present), so no tag can build a
Python object. Duplicate and non-string keys are collected, not raised, so
every one in a file is reported; a value YAML cannot build (2001-13-45) and
every syntax error become a located problem with a hint how to fix it.
"""

from __future__ import annotations

from typing import Any

import yaml

from bmnav.checking.problems import Problem, error
from bmnav.storage.limits import HARD_MAX_DEPTH
from bmnav.storage.loading.reading import line_col

__all__ = [
    "LIBYAML_DEPTH",
    "BadScalar",
    "BaseLoader",
    "StrictLoader",
    "duplicate_key",
    "non_string_key",
    "syntax_problem",
    "too_deep",
]

try:  # the libyaml-accelerated classes, when PyYAML was built with them
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]


def non_string_key(path: str, key_node: yaml.Node, key: Any) -> tuple[str, Problem]:
    """The text a key that is not a string stands for, and the problem saying so."""
    raw = getattr(key_node, "value", key)
    hint = ""
    if not isinstance(key_node, yaml.ScalarNode):
        raw, hint = "(a list or mapping)", "; keys must be plain texts"
    elif not key_node.style:
        hint = f'; YAML reads {raw} as {type(key).__name__}, write it in quotes: "{raw}"'
        if key is None:
            raw, hint = "(empty or ~)", ": YAML reads it as null; give the key a name"
    line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
    return str(raw), error(path, line, col, "non-string-key", f"key {raw!s} is not a string{hint}")


def duplicate_key(path: str, key_node: yaml.Node, key: str, first: yaml.Node) -> Problem:
    """A key repeated in one mapping, reported at the repeat, naming the first."""
    return error(
        path,
        key_node.start_mark.line + 1,
        key_node.start_mark.column + 1,
        "duplicate-key",
        f'key "{key}" appears twice in this mapping (first at line {first.start_mark.line + 1}); '
        "YAML would silently keep the last one: remove or rename one of them",
    )


class StrictLoader(BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing duplicate and non-string keys.

    Duplicate keys are collected (not raised) so that every one in a file is
    reported, each at the repeated key with the line of the first.
    """

    bmnav_path = "<string>"

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.bmnav_problems: list[Problem] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        seen: dict[Any, yaml.Node] = {}
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                key, problem = non_string_key(self.bmnav_path, key_node, key)
                self.bmnav_problems.append(problem)
            if key in seen:
                self.bmnav_problems.append(duplicate_key(self.bmnav_path, key_node, key, seen[key]))
            else:
                seen[key] = key_node
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


class BadScalar(yaml.constructor.ConstructorError):
    """A plain scalar that YAML resolves to a type it then cannot build."""


def _guarded(tag: str) -> Any:
    """The safe constructor for `tag`, with ValueError (a date such as
    2001-13-45, an integer of more than 4300 digits) turned into a located
    error instead of an exception that escapes the loader."""
    base = yaml.constructor.SafeConstructor.yaml_constructors[tag]
    kind = {"int": "an integer", "float": "a number", "timestamp": "a date"}[tag.rsplit(":", 1)[-1]]

    def construct(loader: Any, node: yaml.Node) -> Any:
        try:
            return base(loader, node)
        except (ValueError, OverflowError) as exc:
            value = str(node.value)
            shown = value if len(value) <= 40 else value[:37] + "..."
            reason = str(exc).split(";")[0][:100]
            raise BadScalar(
                None,
                None,
                f"YAML reads {shown!r} as {kind} but it is not a valid one ({reason}); "
                f'if it is meant as text, write it in quotes: "{shown}"',
                node.start_mark,
            ) from None

    return construct


for _tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"):
    StrictLoader.add_constructor(_tag, _guarded(_tag))


#: What libyaml (0.2.5 and later, as in recent PyYAML wheels) says when it
#: refuses nesting beyond its own limit of 1,000 levels, above bmnav's cap.
LIBYAML_DEPTH = "maximum nesting depth"


def too_deep(path: str, line: int, col: int, limit: int) -> Problem:
    return error(
        path,
        line,
        col,
        "nesting-too-deep",
        f"collections are nested more than {limit} levels deep; "
        "a case file needs far fewer (raise the limit with --max-depth "
        f"or BMNAV_MAX_DEPTH, up to {HARD_MAX_DEPTH}, if this is intended)",
    )


def syntax_problem(
    exc: yaml.YAMLError, path: str, source: str | None = None, max_depth: int = HARD_MAX_DEPTH
) -> Problem:
    """The problem a YAML error stands for, at its line and column, with a hint."""
    mark: Any = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if LIBYAML_DEPTH in str(exc):
        return too_deep(path, line, col, max_depth)
    if isinstance(exc, yaml.reader.ReaderError):
        return _bad_character(exc, path, source, (line, col))
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}, {problem}" if context else str(problem)
    if isinstance(exc, BadScalar):
        return error(path, line, col, "yaml-syntax", str(problem))
    if isinstance(exc, yaml.constructor.ConstructorError) and "merging" in text:
        return error(
            path,
            line,
            col,
            "yaml-syntax",
            f"{text}; a `<<` merge key takes an alias of a mapping (or a list of them): "
            "fix it, or write the keys out instead",
        )
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in text:
        return error(
            path,
            line,
            col,
            "multiple-documents",
            "the file holds more than one YAML document; put each case in its own file and remove the extra '---'",
        )
    if isinstance(exc, yaml.constructor.ConstructorError):
        return error(path, line, col, "tag-not-allowed", f"{text}; bmnav files are plain data: remove the tag")
    return error(path, line, col, "yaml-syntax", f"YAML syntax error: {text}; {_syntax_hint(text, source, line, col)}")


def _bad_character(exc: yaml.reader.ReaderError, path: str, source: str | None, at: tuple[int, int]) -> Problem:
    """A character YAML refuses (a control character), located in the source when known."""
    line, col = at
    if source is not None and 0 <= exc.position <= len(source):
        line, col = line_col(source, exc.position)
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return error(
        path,
        line,
        col,
        "yaml-syntax",
        f"the character U+{ord(char):04X} is not allowed in a YAML file ({exc.reason}); remove it",
    )


def _syntax_hint(text: str, source: str | None, line: int, col: int) -> str:
    """How to fix a syntax error: tabs and undefined aliases get their own words."""
    lines = source.splitlines() if source is not None else []
    at = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
    if "'\\t'" in text or "\\t" in text or at == "\t":
        return "YAML does not allow tabs for indentation: use spaces"
    if "found undefined alias" in text:
        return "an *alias must refer to an &anchor defined earlier in the file"
    return "check the indentation, and quote values that contain ': ' or start with a special character"
