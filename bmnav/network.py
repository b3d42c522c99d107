"""A case's value network as a graph, and the structural facts read off it.

Nodes are roles (type, actor, external, count); edges are flows (kind, what,
amount). `structure()` computes the features that the classifier's evidence
model and the metrics refer to by name (`network.<feature>` in clusters.yaml).
networkx is imported here and only here, inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Case

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


def _customers(case: Case) -> set[str]:
    """Roles that buy from the network: typed as customers, or receiving a
    good, service or usage right and paying money."""
    roles = {r.id: r for r in case.roles}
    out = {r.id for r in case.roles if r.type in CUSTOMER_TYPES}
    flows = case.flows
    for rid, r in roles.items():
        if rid == case.focal or not r.external:
            continue
        gets = any(f.target == rid and f.kind in PHYSICAL_KINDS for f in flows)
        pays = any(f.source == rid and f.kind == "money" for f in flows)
        supplies = any(f.source == rid and f.kind in ("goods",) for f in flows)
        if gets and pays and not supplies:
            out.add(rid)
    return out


def structure(case: Case) -> dict[str, Any]:
    """Structural features of the value network, by name.

    Booleans and numbers only, so the evidence model can test them. Every
    feature is computed from roles and flows; none looks at names of
    companies.
    """
    roles = case.roles
    flows = case.flows
    focal = case.focal
    if not roles:
        return {"has_network": False}
    by_id = {r.id: r for r in roles}
    external = {r.id for r in roles if r.external}
    customers = _customers(case)
    organisations = sum(r.count for r in roles)
    focal_type = by_id[focal].type if focal in by_id else None

    def flows_between(a: str | None, b: str | None, kinds: tuple[str, ...]) -> bool:
        return any(f.source == a and f.target == b and f.kind in kinds for f in flows)

    neighbours = {f.target for f in flows if f.source == focal} | {f.source for f in flows if f.target == focal}
    # two-sided: an external supplier side and an external buyer side, both
    # connected to the focal role, with value passing from one to the other
    two_sided = False
    for s in external & neighbours:
        for b in (external & neighbours) - {s}:
            direct = flows_between(s, b, PHYSICAL_KINDS)
            via = flows_between(s, focal, (*PHYSICAL_KINDS, "data")) and flows_between(focal, b, PHYSICAL_KINDS)
            brokered = (
                via
                and flows_between(focal, s, ("money",))
                and flows_between(b, focal, ("money",))
                and by_id[s].count > 1
                and b in customers
            )
            if direct or brokered:
                two_sided = True
    data_sources = {f.source for f in flows if f.target == focal and f.kind == "data" and f.source in external}
    data_targets = {f.target for f in flows if f.source == focal and f.kind == "data" and f.target in external}
    source_orgs = sum(by_id[s].count for s in data_sources)
    data_hub = source_orgs >= 2 and bool(data_targets - data_sources)
    focal_gives_goods = any(f.source == focal and f.kind == "goods" for f in flows)
    # roles that pass goods on to others: data they get are production orders, not a data product
    producers = {f.source for f in flows if f.kind == "goods"}
    data_users = data_targets - producers
    # a neutral data intermediary: data in from several external organisations, out to external
    # roles that use the data itself, and no goods of the focal's own
    neutral_data_intermediary = source_orgs >= 2 and bool(data_users) and not focal_gives_goods
    data_sold = any(t in data_users and flows_between(t, focal, ("money",)) for t in data_targets)
    # orders pulled by customers: a customer's input reaches the focal, which passes data on to a
    # producer that delivers goods to that customer
    pull_production = any(
        flows_between(c, focal, ("data", "intangible"))
        and any(flows_between(focal, p, ("data",)) and flows_between(p, c, ("goods",)) for p in producers - {focal})
        for c in customers
    )
    usage_rights = any(f.kind == "usage-right" for f in flows)
    owner_roles = {r.id for r in roles if r.type in ("owner", "finance-company")}
    user_roles = {r.id for r in roles if r.type in ("product-user",)}
    owner_user_split = bool(owner_roles and user_roles and owner_roles.isdisjoint(user_roles)) or usage_rights
    suppliers_internal = all(
        not by_id[f.source].external
        for f in flows
        if f.target == focal and f.kind in VALUE_KINDS and f.source in by_id and f.source not in customers
    )
    non_customer_external = [r for r in roles if r.external and r.id not in customers]
    customer_input = any(
        f.source in customers and f.target == focal and f.kind in ("data", "intangible") for f in flows
    )
    designers = any(r.type == "designer" for r in roles)
    pays_focal = any(f.target == focal and f.kind == "money" for f in flows)
    return {
        "has_network": True,
        "roles": len(roles),
        "organisations": organisations,
        "external_share": len(external) / len(roles),
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
        "focal_sells_goods": any(f.source == focal and f.kind == "goods" and f.target in customers for f in flows),
        "customers": len(customers),
        "focal_paid": pays_focal,
        "data_flows": sum(1 for f in flows if f.kind == "data"),
    }
