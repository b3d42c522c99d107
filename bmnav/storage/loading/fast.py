"""The fast path: plain documents composed by libyaml and built without recursion.

Most case files are small and plain: no anchors, aliases or tags. For them
the node tree from libyaml's composer is turned into data here, in a loop
that reports duplicate and non-string keys exactly as `StrictLoader` does and
notices nesting beyond the limit, and values that repeat in every file (true,
counts, years) are built once. `screening` decides which files may take it.
"""

from __future__ import annotations

from typing import Any

import yaml

from bmnav.checking.problems import Problem
from bmnav.storage.loading.safe_loader import BaseLoader, StrictLoader, duplicate_key, non_string_key

#: Files up to this size with no `&`, `*` or `!` cannot nest deeper than
#: libyaml handles safely nor expand aliases, so they skip the event screen.
FAST_PATH_BYTES = 16_384


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SCALAR_NODE = yaml.ScalarNode
_MAPPING_NODE = yaml.MappingNode
#: First characters of plain scalars that YAML's implicit resolvers may turn
#: into something other than a string (bool, int, float, null, timestamp, merge).
_MAYBE_TYPED = frozenset("yYnNtTfFoO-+0123456789.<~=")


class QuickComposer(BaseLoader):  # type: ignore[misc,valid-type]
    """libyaml's composer with quicker answers to its calls back into Python.

    The safe loader registers no path resolvers, so the tag of a node depends
    only on its kind and, for a plain scalar, its text; and the resolver's
    bookkeeping of the path (called twice for every node) does nothing.
    """

    # Called as `descend_resolver(parent, index)` and `ascend_resolver()`; with no
    # path resolvers they do nothing, so builtins that take the same arguments and
    # cost almost nothing stand in for them (a type is not bound as a method).
    descend_resolver = slice  # type: ignore[assignment]
    ascend_resolver = tuple  # type: ignore[assignment]

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _SCALAR_NODE:
            if not implicit[0]:
                return _STR  # quoted (or tagged `!`): always a string
            if value and value[0] not in _MAYBE_TYPED:
                return _STR
            # a plain scalar's tag depends on its text only: remember the short ones
            # (true, false, counts, years), which repeat in every file
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(value) <= 32 and len(_RESOLVED) < 4096:
                    _RESOLVED[value] = tag
            return tag
        if kind is _MAPPING_NODE:
            return _MAP
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


_RESOLVED: dict[str, str] = {}


_scalars = yaml.constructor.SafeConstructor()
_SCALAR_BUILDERS = StrictLoader.yaml_constructors  # scalar builders, bad values guarded
#: Tags whose values are immutable and depend on the text only (true, 1, 2019, null),
#: so that a value, once built, is reused: they repeat in every file.
_MEMO_TAGS = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:null"})
_BUILT: dict[tuple[str, str], Any] = {}
#: A stack entry: a node still to read, the list or dict it fills, and its depth.
_Todo = tuple[yaml.Node, Any, int]


def _scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value; may raise for a bad value (2001-13-45), which is never remembered."""
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag in _MEMO_TAGS:
        key = (tag, node.value)
        if key in _BUILT:
            return _BUILT[key]
        value = _SCALAR_BUILDERS[tag](_scalars, node)
        if len(_BUILT) < 4096 and len(node.value) <= 32:
            _BUILT[key] = value
        return value
    build = _SCALAR_BUILDERS.get(tag)
    return build(_scalars, node) if build is not None else node.value


def construct(root: yaml.Node, path: str, max_depth: int) -> tuple[Any, list[Problem], bool]:
    """Plain data from a composed node tree, without recursion.

    For documents without anchors, aliases or tags (the fast path): reports
    duplicate and non-string keys like `StrictLoader`, and whether the nesting
    exceeds `max_depth`.
    """
    problems: list[Problem] = []
    if isinstance(root, yaml.ScalarNode):
        return _scalar(root), problems, False
    top: Any = {} if isinstance(root, yaml.MappingNode) else []
    stack: list[_Todo] = [(root, top, 1)]
    while stack:
        node, target, depth = stack.pop()
        if depth > max_depth:
            return None, problems, True
        if node.__class__ is _MAPPING_NODE:
            _fill_mapping(node, target, depth, stack, path, problems)
        else:
            _fill_sequence(node, target, depth, stack)
    return top, problems, False


def _child(node: yaml.Node) -> Any:
    """An empty dict or list for a collection node, to be filled later."""
    return {} if node.__class__ is _MAPPING_NODE else []


def _fill_sequence(node: yaml.Node, target: list[Any], depth: int, stack: list[_Todo]) -> None:
    """Append a sequence's scalars to `target`; its collections go on the stack."""
    append = target.append
    for item in node.value:
        if item.__class__ is _SCALAR_NODE:
            append(item.value if item.tag == _STR else _scalar(item))
        else:
            child = _child(item)
            append(child)
            stack.append((item, child, depth + 1))


def _fill_mapping(
    node: yaml.Node, target: dict[str, Any], depth: int, stack: list[_Todo], path: str, problems: list[Problem]
) -> None:
    """Fill `target` from a mapping, reporting duplicate and non-string keys."""
    seen: dict[str, yaml.Node] = {}
    for key_node, value_node in node.value:
        if key_node.__class__ is _SCALAR_NODE:
            key = key_node.value if key_node.tag == _STR else _scalar(key_node)
        else:
            key = None
        if not isinstance(key, str):
            key, problem = non_string_key(path, key_node, key)
            problems.append(problem)
        if key in seen:
            problems.append(duplicate_key(path, key_node, key, seen[key]))
        else:
            seen[key] = key_node
        if value_node.__class__ is _SCALAR_NODE:
            target[key] = value_node.value if value_node.tag == _STR else _scalar(value_node)
        else:
            child = _child(value_node)
            target[key] = child
            stack.append((value_node, child, depth + 1))
