"""The value network of a case as text for other tools: DOT, Mermaid, GraphML, JSON.

Every format is deterministic: nodes sorted by role id, edges by
(source, target, kind, what, flow index), so the output diffs cleanly and
golden tests stay byte-stable. GraphML and JSON use networkx's own writers;
DOT is written here (pydot/pygraphviz are not dependencies), as is Mermaid.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bmnav.checking.problems import BmnavError
from bmnav.domain.model import Case
from bmnav.render.safe_text import for_mermaid, for_terminal, for_xml

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FORMATS", "KIND_COLOURS", "export", "export_graph", "sorted_graph"]

FORMATS = ("dot", "mermaid", "graphml", "json")

#: One colour per flow kind, shared by DOT, Mermaid and the SVG map legend style.
KIND_COLOURS = {
    "goods": "#1f77b4",
    "service": "#2ca02c",
    "data": "#9467bd",
    "money": "#d62728",
    "usage-right": "#ff7f0e",
    "intangible": "#7f7f7f",
}


def sorted_graph(case: Case) -> nx.MultiDiGraph:
    """`network.build_graph(case)` rebuilt with nodes and edges in sorted order.

    Edge keys stay the flow's index in the case file, so an edge can be
    traced back to its line.
    """
    import networkx as nx

    from bmnav.domain.network import shared_graph

    g = shared_graph(case)  # read only
    h = nx.MultiDiGraph()
    h.graph.update({k: ("" if v is None else v) for k, v in sorted(g.graph.items())})
    for n in sorted(g.nodes):
        h.add_node(n, **dict(sorted(g.nodes[n].items())))
    edges = sorted(
        g.edges(keys=True, data=True),
        key=lambda e: (e[0], e[1], str(e[3].get("kind")), str(e[3].get("what")), e[2]),
    )
    for u, v, k, d in edges:
        h.add_edge(u, v, key=k, **dict(sorted(d.items())))
    return h


def export(graph: nx.MultiDiGraph, fmt: str) -> str:
    """Serialise a value-network graph (as from `sorted_graph`) in `fmt`.

    Raises `BmnavError` for an unknown format.

    >>> from bmnav.domain.model import Case
    >>> c = Case({"id": "x", "network": {"focal": "a", "roles": [{"id": "a"}]}})
    >>> print(export(sorted_graph(c), "mermaid").splitlines()[0])
    flowchart LR
    """
    if fmt == "dot":
        return _dot(graph)
    if fmt == "mermaid":
        return _mermaid(graph)
    if fmt == "graphml":
        return _graphml(graph)
    if fmt == "json":
        return _json(graph)
    raise BmnavError(f'unknown graph format "{fmt}"; choose one of {", ".join(FORMATS)}')


def export_graph(case: Case, fmt: str) -> str:
    """The value network of `case` in `fmt` (dot, mermaid, graphml or json)."""
    return export(sorted_graph(case), fmt)


def _graphml(graph: nx.MultiDiGraph) -> str:
    import networkx as nx

    # characters XML forbids (from any text of the case) would make the file unreadable;
    # a graph without them (almost every one) is written as it is
    if not _needs_xml_escapes(graph):
        return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
    safe = nx.MultiDiGraph()
    safe.graph.update({k: _xml_value(v) for k, v in graph.graph.items()})
    names = {n: for_xml(str(n)) for n in graph.nodes}
    for n, d in graph.nodes(data=True):
        safe.add_node(names[n], **{k: _xml_value(v) for k, v in d.items()})
    for u, v, k, d in graph.edges(keys=True, data=True):
        safe.add_edge(names[u], names[v], key=k, **{a: _xml_value(b) for a, b in d.items()})
    return "\n".join(nx.generate_graphml(safe, prettyprint=True)) + "\n"


def _needs_xml_escapes(graph: nx.MultiDiGraph) -> bool:
    texts = [*graph.graph.values(), *graph.nodes]
    texts += [v for _, d in graph.nodes(data=True) for v in d.values()]
    texts += [v for _, _, d in graph.edges(data=True) for v in d.values()]
    return any(isinstance(t, str) and for_xml(t) is not t for t in texts)


def _xml_value(value: Any) -> Any:
    return for_xml(value) if isinstance(value, str) else value


def _json(graph: nx.MultiDiGraph) -> str:
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _dot_quote(value: Any) -> str:
    # controls shown as escapes first (DOT goes to a terminal), then DOT's own quoting
    text = for_terminal(str(value)).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _label(d: dict[str, Any]) -> str:
    what = str(d.get("what") or "")
    kind = str(d.get("kind") or "")
    text = f"{kind}: {what}" if what else kind
    if d.get("amount") is not None:
        text += f" ({d['amount']:,.0f})"
    return text


def _node_label(n: str, d: dict[str, Any]) -> str:
    name = str(d.get("name") or n)
    actor = str(d.get("actor") or "")
    count = int(d.get("count") or 1)
    label = name
    if actor and actor != name:
        label += f"\n{actor}"
    if count > 1:
        label += f"\n×{count:,}"
    return label


def _dot(graph: nx.MultiDiGraph) -> str:
    lines = [f"digraph {_dot_quote(graph.graph.get('id') or 'network')} {{"]
    if graph.graph.get("name"):
        lines.append(f"  label={_dot_quote(graph.graph['name'])};")
    lines.append("  rankdir=LR;")
    lines.append('  node [shape=box, style="rounded", fontname="Helvetica"];')
    lines.append('  edge [fontname="Helvetica", fontsize=10];')
    for n, d in graph.nodes(data=True):
        attrs = [f"label={_dot_quote(_node_label(n, d))}"]
        styles = ["rounded"]
        if d.get("focal"):
            styles.append("bold")
        if not d.get("external", True):
            styles.append("filled")
            attrs.append('fillcolor="#eeeeee"')
        attrs.append(f"style={_dot_quote(','.join(styles))}")
        if d.get("type"):
            attrs.append(f"tooltip={_dot_quote(d['type'])}")
        lines.append(f"  {_dot_quote(n)} [{', '.join(attrs)}];")
    for u, v, _k, d in graph.edges(keys=True, data=True):
        colour = KIND_COLOURS.get(str(d.get("kind")), "#000000")
        style = ', style="dashed"' if d.get("kind") in ("money", "intangible") else ""
        lines.append(
            f"  {_dot_quote(u)} -> {_dot_quote(v)} "
            f"[label={_dot_quote(_label(d))}, color={_dot_quote(colour)}, fontcolor={_dot_quote(colour)}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """A label: each of its lines made safe (no quote, directive or HTML of the
    case's text survives), joined with Mermaid's own line break."""
    return "<br/>".join(for_mermaid(part) for part in text.split("\n"))


def _mermaid(graph: nx.MultiDiGraph) -> str:
    ids = {n: f"n{i}" for i, n in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    if graph.graph.get("name"):
        # a comment ends at a newline, so the name is made one line, without `%%{init}%%`
        lines.insert(0, f"%% {for_mermaid(str(graph.graph['name']))} ({for_mermaid(str(graph.graph.get('id', '')))})")
    for n, d in graph.nodes(data=True):
        label = _mermaid_text(_node_label(n, d))
        shape = f'(["{label}"])' if not d.get("external", True) else f'["{label}"]'
        lines.append(f"  {ids[n]}{shape}")
    link_styles = []
    for i, (u, v, _k, d) in enumerate(graph.edges(keys=True, data=True)):
        arrow = "-.->" if d.get("kind") in ("money", "intangible") else "-->"
        lines.append(f'  {ids[u]} {arrow}|"{_mermaid_text(_label(d))}"| {ids[v]}')
        colour = KIND_COLOURS.get(str(d.get("kind")))
        if colour:
            link_styles.append(f"  linkStyle {i} stroke:{colour}")
    lines.extend(link_styles)
    lines.append("  classDef focal stroke-width:3px")
    lines.append("  classDef internal fill:#eeeeee")
    focal = [ids[n] for n, d in graph.nodes(data=True) if d.get("focal")]
    internal = [ids[n] for n, d in graph.nodes(data=True) if not d.get("external", True)]
    if internal:
        lines.append(f"  class {','.join(internal)} internal")
    if focal:
        lines.append(f"  class {','.join(focal)} focal")
    return "\n".join(lines) + "\n"


RENDERERS = {
    "graph": {fmt: (lambda case, fmt=fmt: export_graph(case, fmt)) for fmt in ("dot", "mermaid", "graphml", "json")},
}
