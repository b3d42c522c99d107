"""bmnav's modules import one another without cycles.

A cycle makes the order of imports matter (a name can be missing while its
module is half loaded) and hides which module builds on which. The graph is
read from the source with `ast`: the imports a module runs when it is loaded,
those under `if TYPE_CHECKING:` included (mypy follows them). An import of a
module's own package is not an edge: Python loads the package first anyway,
and a package that imports its submodules to register them is the usual form.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parents[1] / "bmnav"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _load_time(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements run when the module is loaded (not those in functions)."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            yield from _load_time(node.body)
            yield from _load_time(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _load_time(block)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The module names an import may load: the module itself and, for
    `from X import y`, X.y in case y is a submodule."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    return [source, *(f"{source}.{alias.name}" for alias in node.names)]


def import_graph(*, load_time_only: bool = True) -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = (
            _load_time(tree.body)
            if load_time_only
            else (n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)))
        )
        for node in nodes:
            for target in _targets(node, name, path.name == "__init__.py"):
                if target in modules and target != name and not name.startswith(target + "."):
                    graph.add_edge(name, target)
    return graph


def test_the_graph_is_read_from_the_source() -> None:
    graph = import_graph()
    assert graph.has_edge("bmnav.checking.validation", "bmnav.checking.parallel")
    assert graph.has_edge("bmnav.checking.rules", "bmnav.checking.rules.cases")  # a package registering its parts
    assert not graph.has_edge("bmnav.checking.rules.cases", "bmnav.checking.rules")  # its own package: no edge
    assert graph.has_edge("bmnav.checking.schema", "bmnav.storage.loading")


def test_no_module_imports_itself_back_when_loaded() -> None:
    cycles = sorted(nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_the_pool_knows_nothing_of_validation() -> None:
    """bmnav.checking.parallel runs a function it is given: it imports no module of
    bmnav's that checks files, not even inside a function."""
    graph = import_graph(load_time_only=False)
    assert set(graph.successors("bmnav.checking.parallel")) <= {"bmnav.storage.collector"}
    assert not nx.has_path(graph, "bmnav.checking.parallel", "bmnav.checking.validation")


def _folder(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in _FOLDERS) else "(top)"


_FOLDERS = ("storage", "checking", "domain", "classifying", "render", "cli")


def test_the_folders_keep_their_direction() -> None:
    """docs/architecture.md: the command line sits on top and the render layer under
    it; no module below imports either, even inside a function (lazy imports count)."""
    graph = import_graph(load_time_only=False)
    wrong = [
        (a, b)
        for a, b in graph.edges
        if (_folder(b) == "cli" and _folder(a) not in ("cli", "(top)"))
        or (_folder(b) == "render" and _folder(a) not in ("render", "cli", "(top)"))
    ]
    assert not wrong, wrong
    assert {_folder(m) for m in graph.nodes} == {*_FOLDERS, "(top)"}
