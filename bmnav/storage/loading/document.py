"""A loaded file (`Loaded`): its data, its problems and, asked for, where a
JSON path is in the file, so that schema and rule problems get a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from bmnav.checking.problems import Problem
from bmnav.storage.collector import no_gc
from bmnav.storage.loading.safe_loader import BaseLoader

PathItem = str | int
JsonPath = Sequence[PathItem]


@dataclass
class Loaded:
    """A loaded file: its data (None when it could not be read) and problems.

    The node tree used to give schema errors a line is composed only when
    asked for, so that valid files never pay for it.
    """

    path: str
    text: str | None
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    _root: yaml.Node | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(p.level.value == "error" for p in self.problems)

    def _tree(self) -> yaml.Node | None:
        if self._root is None and self.text is not None:
            try:
                with no_gc():
                    self._root = yaml.compose(self.text, Loader=BaseLoader)  # type: ignore[no-any-return]
            except yaml.YAMLError:
                return None
        return self._root

    def node(self, path: JsonPath) -> yaml.Node | None:
        """The YAML node at a JSON path, or the deepest node found on the way."""
        node = self._tree()
        for item in path:
            child = _child(node, item)
            if child is None:
                break
            node = child
        return node

    def key_node(self, path: JsonPath, key: str) -> yaml.Node | None:
        """The key node `key` in the mapping at `path` (for unknown keys)."""
        parent = self.node(path)
        if isinstance(parent, yaml.MappingNode):
            for k, _ in parent.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    return k
        return parent

    def where(self, path: JsonPath, key: str | None = None) -> tuple[int, int]:
        """1-based (line, column) of a path (or of a key inside it); (1, 1) if unknown."""
        node = self.key_node(path, key) if key is not None else self.node(path)
        if node is None:
            return (1, 1)
        return node.start_mark.line + 1, node.start_mark.column + 1

    def exact(self, path: JsonPath) -> yaml.Node | None:
        """The node at exactly `path`, or None when the path is not in the file."""
        node = self._tree()
        for item in path:
            node = _child(node, item)
            if node is None:
                return None
        return node


def _child(node: yaml.Node | None, item: PathItem) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(item):
                return v  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(item, int):
        return node.value[item] if 0 <= item < len(node.value) else None
    return None
