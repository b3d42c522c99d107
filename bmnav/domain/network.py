"""A case's value network as a graph, and the structural facts read off it.

Nodes are roles (type, actor, external, count); edges are flows (kind, what,
amount). `structure()` computes the features that the classifier's evidence
model and the metrics refer to by name (`network.<feature>` in clusters.yaml).
networkx is imported here and only here, inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmnav.domain.model import Case

if TYPE_CHECKING:
    import networkx as nx

#: Every flow kind of the data contract, in its order.
FLOW_KINDS = ("goods", "service", "data", "money", "usage-right", "intangible")
#: Flow kinds that carry value other than money (what e3value calls value objects).
VALUE_KINDS = ("goods", "service", "data", "usage-right")
PHYSICAL_KINDS = ("goods", "service", "usage-right")
CUSTOMER_TYPES = ("customer", "product-user", "data-consumer")
PLATFORM_TYPES = ("platform-provider", "marketplace-provider", "data-trustee")


def build_graph(case: Case) -> nx.MultiDiGraph:
    """The value network as a networkx MultiDiGraph (one edge per flow).

    >>> g = build_graph(case)              # doctest: +SKIP
    >>> g.nodes["service-provider"]["external"]
    False
    """
    import networkx as nx

    g = nx.MultiDiGraph(id=case.id, name=case.name, focal=case.focal, currency=case.currency)
    for r in case.roles:
        g.add_node(
            r.id,
            name=r.name,
            type=r.type or "",
            actor=r.actor or "",
            external=r.external,
            count=r.count,
            focal=r.id == case.focal,
        )
    for i, f in enumerate(case.flows):
        if f.source in g and f.target in g:
            attrs: dict[str, Any] = {"kind": f.kind, "what": f.what or ""}
            if f.amount is not None:
                attrs["amount"] = f.amount
            g.add_edge(f.source, f.target, key=i, **attrs)
    return g


def _customers(g: nx.MultiDiGraph, focal: str | None) -> set[str]:
    """Roles that buy from the network: typed as customers, or receiving a
    good, service or usage right and paying money."""
    out = {n for n, t in g.nodes(data="type") if t in CUSTOMER_TYPES}
    # one pass over the flows (a view of each role's edges costs more than its flows)
    gets: set[str] = set()
    sent: dict[str, set[str]] = {}
    for u, v, k in g.edges(data="kind"):
        if k in PHYSICAL_KINDS:
            gets.add(v)
        sent.setdefault(u, set()).add(k)
    for n, external in g.nodes(data="external"):
        if n == focal or not external:
            continue
        kinds = sent.get(n, set())
        if n in gets and "money" in kinds and "goods" not in kinds:
            out.add(n)
    return out


def shared_graph(case: Case) -> nx.MultiDiGraph:
    """`build_graph(case)` for callers that only read the graph: a snapshot
    (`Case.snapshot`) builds it once, however many measures ask for it."""
    return case.remember("network.graph", lambda: build_graph(case))


def structure(case: Case, graph: nx.MultiDiGraph | None = None) -> dict[str, Any]:
    """Structural features of the value network, by name.

    Booleans and numbers only, so the evidence model can test them. Every
    feature is computed from the networkx role graph (`build_graph`: roles
    are nodes, flows are edges); none looks at names of companies. A caller
    that has built the graph already passes it as `graph`; without one, a
    snapshot computes the features once and hands out copies.
    """
    if not case.roles:
        return {"has_network": False}
    if graph is not None:
        return _structure(case, graph)
    return dict(case.remember("network.structure", lambda: _structure(case, shared_graph(case))))


class _Focal:
    """The focal role's side of the graph, which every structural question asks about:
    the kinds of the flows between it and each other role (both ways; a hub has
    thousands of such pairs), and its flows in and out."""

    def __init__(self, g: nx.MultiDiGraph, focal: str | None) -> None:
        self.g = g
        self.id = focal
        self.kinds: dict[tuple[str, str], set[str]] = {}
        if focal is not None:
            for u, v, k in (*g.out_edges(focal, data="kind"), *g.in_edges(focal, data="kind")):
                self.kinds.setdefault((u, v), set()).add(k)

    def flows(self, a: str | None, b: str | None, kinds: tuple[str, ...]) -> bool:
        """Whether a flow of these kinds goes from a to b (one of them the focal role)."""
        if a is None or b is None:
            return False
        return not self.kinds.get((a, b), set()).isdisjoint(kinds)

    def sent(self, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        """(source, target) of the focal role's outgoing flows of these kinds."""
        if self.id is None:
            return []
        return [(u, v) for u, v, k in self.g.out_edges(self.id, data="kind") if k in kinds]

    def received(self, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        """(source, target) of the flows of these kinds into the focal role."""
        if self.id is None:
            return []
        return [(u, v) for u, v, k in self.g.in_edges(self.id, data="kind") if k in kinds]

    def neighbours(self) -> set[str]:
        if self.id is None:
            return set()
        return set(self.g.successors(self.id)) | set(self.g.predecessors(self.id))


def _structure(case: Case, g: nx.MultiDiGraph) -> dict[str, Any]:
    focal = _Focal(g, case.focal if case.focal in g else None)
    nodes = g.nodes
    external = {n for n, ext in nodes(data="external") if ext}
    customers = _customers(g, focal.id)
    focal_type = (nodes[focal.id]["type"] or None) if focal.id is not None else None
    edges = [(u, v, k) for u, v, k in g.edges(data="kind")]
    types = dict(nodes(data="type"))
    customer_input = any(u in customers for u, _ in focal.received(("data", "intangible")))
    designers = "designer" in types.values()
    data = _data_facts(g, focal, external, customers, edges)
    return {
        "has_network": True,
        "roles": g.number_of_nodes(),
        "organisations": sum(c for _, c in nodes(data="count")),
        "external_share": len(external) / g.number_of_nodes(),
        "focal_type": focal_type,
        "platform_focal": focal_type in PLATFORM_TYPES,
        "two_sided": _two_sided(g, focal, external, customers, edges),
        "data_hub": data["data_hub"],
        "neutral_data_intermediary": data["neutral_data_intermediary"],
        **_ownership_facts(types, edges),
        "all_internal": not (external - customers),
        "internal_suppliers_only": all(u not in external for u, _ in focal.received(VALUE_KINDS) if u not in customers),
        "customer_feedback": customer_input,
        "designers": designers,
        "customer_codesign": customer_input and designers,
        "pull_production": _pull_production(g, focal, customers, edges),
        "data_exchange": data["data_exchange"],
        "data_sold": data["data_sold"],
        "focal_sells_goods": any(v in customers for _, v in focal.sent(("goods",))),
        "customers": len(customers),
        "focal_paid": bool(focal.received(("money",))),
        "data_flows": sum(1 for _, _, k in edges if k == "data"),
    }


def _two_sided(g: nx.MultiDiGraph, focal: _Focal, external: set[str], customers: set[str], edges: list[Any]) -> bool:
    """An external supplier side and an external buyer side, both connected to the
    focal role, with value passing from one to the other (in linear time: a hub with
    thousands of neighbours must not try every pair)."""
    sides = external & focal.neighbours()
    # direct: a physical flow from one such side to another
    if any(u in sides and v in sides and u != v and k in PHYSICAL_KINDS for u, v, k in edges):
        return True
    # brokered: a supplier side s (sends value or data to the focal, is paid by it, many
    # organisations) and a distinct buyer side b (gets value from the focal, pays it, a customer)
    f, count = focal.id, g.nodes
    supply = {
        s
        for s in sides
        if focal.flows(s, f, (*PHYSICAL_KINDS, "data")) and focal.flows(f, s, ("money",)) and count[s]["count"] > 1
    }
    buy = {b for b in sides if focal.flows(f, b, PHYSICAL_KINDS) and focal.flows(b, f, ("money",)) and b in customers}
    return bool(supply and buy and not (len(supply) == len(buy) == 1 and supply == buy))


def _data_facts(
    g: nx.MultiDiGraph, focal: _Focal, external: set[str], customers: set[str], edges: list[Any]
) -> dict[str, bool]:
    """Whether data from several outside organisations pass through the focal role, to
    whom, and whether someone pays for them."""
    data_sources = {u for u, _ in focal.received(("data",)) if u in external}
    data_targets = {v for _, v in focal.sent(("data",)) if v in external}
    source_orgs = sum(g.nodes[s]["count"] for s in data_sources)
    # roles that pass goods on to others: data they get are production orders, not a data product
    data_users = data_targets - {u for u, _, k in edges if k == "goods"}
    return {
        "data_hub": source_orgs >= 2 and bool(data_targets - data_sources),
        # a neutral data intermediary: data in from several external organisations, out to
        # external roles that use the data itself, and no goods of the focal's own
        "neutral_data_intermediary": source_orgs >= 2 and bool(data_users) and not focal.sent(("goods",)),
        "data_exchange": source_orgs >= 2 and bool(data_targets),
        "data_sold": any(t in data_users and focal.flows(t, focal.id, ("money",)) for t in data_targets),
    }


def _ownership_facts(types: dict[str, Any], edges: list[Any]) -> dict[str, bool]:
    """Whether usage rights flow, and whether the asset's owner and its user are different roles."""
    usage_rights = any(k == "usage-right" for _, _, k in edges)
    owners = {n for n, t in types.items() if t in ("owner", "finance-company")}
    users = {n for n, t in types.items() if t in ("product-user",)}
    return {
        "owner_user_split": bool(owners and users and owners.isdisjoint(users)) or usage_rights,
        "usage_rights": usage_rights,
    }


def _pull_production(g: nx.MultiDiGraph, focal: _Focal, customers: set[str], edges: list[Any]) -> bool:
    """Orders pulled by customers: a customer's input reaches the focal role, which passes
    data on to a producer that delivers goods to that customer."""
    producers = {u for u, _, k in edges if k == "goods"}
    ordered = {p for p in producers - {focal.id} if focal.flows(focal.id, p, ("data",))}
    return any(
        focal.flows(c, focal.id, ("data", "intangible"))
        and any(u in ordered and k == "goods" for u, _, k in g.in_edges(c, data="kind"))
        for c in customers
    )
