"""Network analytics of one case: size, openness facts, orchestrator, reciprocity, net value.

`metrics(case)` returns a plain dict (JSON-ready, keys documented in
docs/networks.md) so that the case card, `--format json` and a notebook use
the same numbers. networkx is imported inside the functions that need it.
"""

from __future__ import annotations

from typing import Any

from bmnav.domain.model import Case, Flow, Role
from bmnav.domain.network import FLOW_KINDS, shared_graph, structure

__all__ = ["PATH_KINDS", "metrics", "net_value", "orchestrator", "reciprocity", "report_orchestrator"]

#: The flows along which the orchestrator is sought (the report's value chain).
PATH_KINDS = ("goods", "service", "data")
#: What a role can give back that counts in the reciprocity check (e3value).
GIVE_BACK_KINDS = ("goods", "service", "data", "usage-right", "money", "intangible")
RECEIVED_VALUE_KINDS = ("goods", "service", "data", "usage-right")


#: Exact betweenness runs one search from every role over all flows, which is
#: quadratic; beyond this many steps (roles x (roles + flows)) it is estimated
#: from a sample of sources, fixed by a seed so every run gives the same result.
EXACT_BETWEENNESS_STEPS = 500_000


def _betweenness(g: Any) -> dict[str, float]:
    """Normalised betweenness of every node: exact for a case of ordinary size,
    estimated from a seeded sample of sources for one with thousands of roles."""
    import networkx as nx

    steps = g.number_of_nodes() + g.number_of_edges()
    k = None
    if g.number_of_nodes() * steps > EXACT_BETWEENNESS_STEPS:
        k = max(1, min(g.number_of_nodes(), EXACT_BETWEENNESS_STEPS // steps))
    return dict(nx.betweenness_centrality(g, k=k, normalized=True, seed=0))


def orchestrator(case: Case) -> tuple[str | None, dict[str, float]]:
    """The broker: the role through which most goods, service and data paths pass.

    This is not the report's orchestrator (the service provider,
    `report_orchestrator`); `metrics()` returns it as `broker`.

    Betweenness centrality (normalised) on the directed graph of goods,
    service and data flows. Ties, and a network with no path through any
    role, go to the role with the most such flows, then to the focal role,
    then by id. Returns `(role id or None, betweenness by role id)`.
    """
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(sorted(r.id for r in case.roles))
    degree: dict[str, int] = dict.fromkeys(g.nodes, 0)
    for f in case.flows:
        if f.kind in PATH_KINDS and f.source in g and f.target in g and f.source != f.target:
            g.add_edge(f.source, f.target)
            degree[f.source] += 1
            degree[f.target] += 1
    if not g.number_of_nodes():
        return None, {}
    between = {n: float(v) for n, v in sorted(_betweenness(g).items())}
    focal = case.focal

    def rank(n: str) -> tuple[float, int, int, str]:
        return (-round(between[n], 9), -degree[n], 0 if n == focal else 1, n)

    best = min(g.nodes, key=rank)
    if between[best] == 0 and degree[best] == 0:
        return None, between
    return best, between


def report_orchestrator(case: Case) -> str | None:
    """The role the case's data names as orchestrating the service, or None.

    The report (§2.6, Table 2) calls the service provider the role that
    "orchestrates the service" and "orchestrates both the physical activities
    and the data flow". So the orchestrator is read from the case: the role
    of type `service-provider` (the focal one first). Cases without such a
    role have none in the report's sense; the betweenness measure is the
    `broker` instead.
    """
    # only in the §2.6 network (a product user is served): elsewhere a service-provider
    # role is a party that uses the network's data, not the one that orchestrates it
    if not any(r.type == "product-user" for r in case.roles):
        return None
    providers = [r.id for r in case.roles if r.type == "service-provider"]
    if not providers:
        return None
    return case.focal if case.focal in providers else providers[0]


def reciprocity(case: Case) -> dict[str, dict[str, Any]]:
    """What each role gives and receives, by kind, and whether it is balanced.

    As e3value checks it: a role that receives goods, services, data or usage
    rights must give something back (an intangible flow counts), and a role
    that pays must receive something. Each entry has `gives` and `receives`
    (kind -> list of `what`), `balanced` and, when not balanced, `issue`.
    """
    out: dict[str, dict[str, Any]] = {}
    # one pass over the flows, then one per role (`case.flows` builds a new
    # list on each use, and a loop over the flows per role is quadratic)
    gives_by: dict[str, dict[str, list[str]]] = {}
    receives_by: dict[str, dict[str, list[str]]] = {}
    for f in case.flows:
        gives_by.setdefault(f.source, {}).setdefault(f.kind, []).append(f.what or "")
        receives_by.setdefault(f.target, {}).setdefault(f.kind, []).append(f.what or "")
    for r in sorted(case.roles, key=lambda r: r.id):
        gives = gives_by.get(r.id, {})
        receives = receives_by.get(r.id, {})
        gets_value = any(k in receives for k in RECEIVED_VALUE_KINDS)
        gives_back = any(k in gives for k in GIVE_BACK_KINDS)
        pays = "money" in gives
        gets_anything = any(k in receives for k in (*RECEIVED_VALUE_KINDS, "intangible"))
        issue = None
        if gets_value and not gives_back:
            issue = "receives value and gives nothing back"
        elif pays and not gets_anything:
            issue = "pays and receives nothing"
        entry: dict[str, Any] = {
            "gives": {k: gives[k] for k in sorted(gives)},
            "receives": {k: receives[k] for k in sorted(receives)},
            "balanced": issue is None,
        }
        if issue:
            entry["issue"] = issue
        out[r.id] = entry
    return out


def net_value(case: Case) -> dict[str, dict[str, float]] | None:
    """Net yearly value per role from the flows' `amount`s, or None without amounts.

    As e3value's net value flow: `in` is the money a role receives, `out`
    the money it pays, `net = in - out`, all per year in the case's
    currency. Only money flows with an `amount` count; roles without any
    such flow appear with zeros.
    """
    money = [f for f in case.flows if f.kind == "money" and f.amount is not None]
    if not money:
        return None
    got: dict[str, float] = {}
    paid: dict[str, float] = {}
    for f in money:
        got[f.target] = got.get(f.target, 0.0) + (f.amount or 0.0)
        paid[f.source] = paid.get(f.source, 0.0) + (f.amount or 0.0)
    out: dict[str, dict[str, float]] = {}
    for r in sorted(case.roles, key=lambda r: r.id):
        g, p = got.get(r.id, 0.0), paid.get(r.id, 0.0)
        out[r.id] = {"in": g, "out": p, "net": g - p}
    return out


def _data_hubs(case: Case) -> list[str]:
    """Roles that collect data from two or more organisations and pass data on
    (pooled, analysed or to further users)."""
    roles = case.roles
    by_id = {r.id: r for r in roles}
    sources: dict[str, set[str]] = {}
    targets: dict[str, set[str]] = {}
    for f in case.flows:
        if f.kind == "data" and f.source in by_id and f.target in by_id:
            sources.setdefault(f.target, set()).add(f.source)
            targets.setdefault(f.source, set()).add(f.target)
    hubs = [r.id for r in roles if targets.get(r.id) and sum(by_id[s].count for s in sources.get(r.id, ())) >= 2]
    return sorted(hubs)


def _owner_user(case: Case, roles: list[Role], flows: list[Flow]) -> dict[str, Any]:
    owners = sorted(r.id for r in roles if r.type in ("owner", "finance-company"))
    users = sorted(r.id for r in roles if r.type == "product-user")
    granted = sorted({(f.source, f.target) for f in flows if f.kind == "usage-right"})
    separated = bool(owners and users and set(owners).isdisjoint(users)) or bool(granted)
    return {
        "separated": separated,
        "owners": owners,
        "users": users,
        "usage_rights": [{"from": a, "to": b} for a, b in granted],
    }


def metrics(case: Case) -> dict[str, Any]:
    """The network metrics of a case as a JSON-ready dict.

    Keys: `roles`, `organisations` (roles counting organisations), `people`
    (roles counting people), `external_roles`, `external_share`, `flows`,
    `flows_by_kind`, `orchestrator` (the report's: the service provider,
    from the case's data), `broker` (most betweenness on goods, service and
    data flows), `betweenness`, `two_sided`,
    `data_hubs`, `owner_user`, `reciprocity`, `unbalanced`, `net_value`
    (None without amounts) and `currency`.
    """
    case = case.snapshot()  # each measure below reads the roles and flows again
    roles = case.roles
    flows = case.flows
    graph = shared_graph(case)  # (read only: the snapshot shares it with the features)
    feats = structure(case)
    orch, between = orchestrator(case)
    rec = reciprocity(case)
    by_kind = dict.fromkeys(FLOW_KINDS, 0)
    for f in flows:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    external = [r for r in roles if r.external]
    return {
        "roles": len(roles),
        "organisations": sum(r.count for r in roles if not r.people),
        "people": sum(r.count for r in roles if r.people),
        "estimated_counts": sorted(r.id for r in roles if r.count_basis == "estimate"),
        "external_roles": len(external),
        "external_share": round(len(external) / len(roles), 4) if roles else 0.0,
        "flows": len(flows),
        "flows_by_kind": by_kind,
        "focal": case.focal,
        "orchestrator": report_orchestrator(case),
        "broker": orch,
        "betweenness": {k: round(v, 4) for k, v in between.items()},
        "two_sided": bool(feats.get("two_sided", False)),
        "data_hubs": _data_hubs(case),
        "owner_user": _owner_user(case, roles, flows),
        "reciprocity": rec,
        "unbalanced": sorted(k for k, v in rec.items() if not v["balanced"]),
        "connected": bool(graph.number_of_nodes()) and _weakly_connected(graph),
        "net_value": net_value(case),
        "currency": case.currency,
    }


def _weakly_connected(graph: Any) -> bool:
    import networkx as nx

    return bool(nx.is_weakly_connected(graph))
