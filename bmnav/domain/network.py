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


def _structure(case: Case, g: nx.MultiDiGraph) -> dict[str, Any]:
    focal = case.focal if case.focal in g else None
    nodes = g.nodes
    external = {n for n, ext in nodes(data="external") if ext}
    customers = _customers(g, focal)
    organisations = sum(c for _, c in nodes(data="count"))
    focal_type = (nodes[focal]["type"] or None) if focal is not None else None
    edges = [(u, v, k) for u, v, k in g.edges(data="kind")]

    # the kinds of the flows between the focal role and each other role, both ways: every
    # question below is about such a pair, and a hub has thousands of them
    focal_kinds: dict[tuple[str, str], set[str]] = {}
    if focal is not None:
        for u, v, k in (*g.out_edges(focal, data="kind"), *g.in_edges(focal, data="kind")):
            focal_kinds.setdefault((u, v), set()).add(k)

    def flows_between(a: str | None, b: str | None, kinds: tuple[str, ...]) -> bool:
        """Whether a flow of these kinds goes from a to b (one of them the focal role)."""
        if a is None or b is None:
            return False
        return not focal_kinds.get((a, b), set()).isdisjoint(kinds)

    def sent(kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        """(source, target) of the focal role's outgoing flows of these kinds."""
        return [(u, v) for u, v, k in g.out_edges(focal, data="kind") if k in kinds] if focal is not None else []

    def received(kinds: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(u, v) for u, v, k in g.in_edges(focal, data="kind") if k in kinds] if focal is not None else []

    neighbours = set(g.successors(focal)) | set(g.predecessors(focal)) if focal is not None else set()
    # two-sided: an external supplier side and an external buyer side, both
    # connected to the focal role, with value passing from one to the other
    # (in linear time: a hub with thousands of neighbours must not try every pair)
    sides = external & neighbours
    # direct: a physical flow from one such side to another
    two_sided = any(u in sides and v in sides and u != v and k in PHYSICAL_KINDS for u, v, k in edges)
    # brokered: a supplier side s (sends value or data to the focal, is paid by it, many
    # organisations) and a distinct buyer side b (gets value from the focal, pays it, a customer)
    supply = {
        s
        for s in sides
        if flows_between(s, focal, (*PHYSICAL_KINDS, "data"))
        and flows_between(focal, s, ("money",))
        and nodes[s]["count"] > 1
    }
    buy = {
        b
        for b in sides
        if flows_between(focal, b, PHYSICAL_KINDS) and flows_between(b, focal, ("money",)) and b in customers
    }
    if supply and buy and not (len(supply) == len(buy) == 1 and supply == buy):
        two_sided = True
    data_sources = {u for u, _ in received(("data",)) if u in external}
    data_targets = {v for _, v in sent(("data",)) if v in external}
    source_orgs = sum(nodes[s]["count"] for s in data_sources)
    data_hub = source_orgs >= 2 and bool(data_targets - data_sources)
    focal_gives_goods = bool(sent(("goods",)))
    # roles that pass goods on to others: data they get are production orders, not a data product
    producers = {u for u, _, k in edges if k == "goods"}
    data_users = data_targets - producers
    # a neutral data intermediary: data in from several external organisations, out to external
    # roles that use the data itself, and no goods of the focal's own
    neutral_data_intermediary = source_orgs >= 2 and bool(data_users) and not focal_gives_goods
    data_sold = any(t in data_users and flows_between(t, focal, ("money",)) for t in data_targets)
    # orders pulled by customers: a customer's input reaches the focal, which passes data on to a
    # producer that delivers goods to that customer
    ordered = {p for p in producers - {focal} if flows_between(focal, p, ("data",))}
    pull_production = any(
        flows_between(c, focal, ("data", "intangible"))
        and any(u in ordered and k == "goods" for u, _, k in g.in_edges(c, data="kind"))
        for c in customers
    )
    usage_rights = any(k == "usage-right" for _, _, k in edges)
    types = dict(nodes(data="type"))
    owner_roles = {n for n, t in types.items() if t in ("owner", "finance-company")}
    user_roles = {n for n, t in types.items() if t in ("product-user",)}
    owner_user_split = bool(owner_roles and user_roles and owner_roles.isdisjoint(user_roles)) or usage_rights
    suppliers_internal = all(u not in external for u, _ in received(VALUE_KINDS) if u not in customers)
    non_customer_external = external - customers
    customer_input = any(u in customers for u, _ in received(("data", "intangible")))
    designers = "designer" in types.values()
    return {
        "has_network": True,
        "roles": g.number_of_nodes(),
        "organisations": organisations,
        "external_share": len(external) / g.number_of_nodes(),
        "focal_type": focal_type,
        "platform_focal": focal_type in PLATFORM_TYPES,
        "two_sided": two_sided,
        "data_hub": data_hub,
        "neutral_data_intermediary": neutral_data_intermediary,
        "owner_user_split": owner_user_split,
        "usage_rights": usage_rights,
        "all_internal": not non_customer_external,
        "internal_suppliers_only": suppliers_internal,
        "customer_feedback": customer_input,
        "designers": designers,
        "customer_codesign": customer_input and designers,
        "pull_production": pull_production,
        "data_exchange": source_orgs >= 2 and bool(data_targets),
        "data_sold": data_sold,
        "focal_sells_goods": any(v in customers for _, v in sent(("goods",))),
        "customers": len(customers),
        "focal_paid": bool(received(("money",))),
        "data_flows": sum(1 for _, _, k in edges if k == "data"),
    }
