"""Facts that tell apart what the report tells apart, read off a case's data.

The report separates clusters by distinctions that no single field of the
data contract holds: operating data from a connected product (§2.2, §2.6)
against order or specification data from a customer (§2.5); an item made
individually per order (§2.5); who owns the asset in use (§2.2 the buyer,
§2.6 the service provider or a financier); a focal company that produces
against one that brokers (§2.3). `derived(case)` reads them off the
structured data (offering, roles and their types, flows) and, where the
structure is silent, off the words of the summary, the business model and
the flow descriptions (the word lists are data: `data/facts.yaml`).
docs/method.md defines each fact and names its report section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bmnav.domain.model import Case

#: The derived facts, with what they mean (shown by `bmnav classify` and docs/method.md).
DERIVED: dict[str, str] = {
    "network.customer_operating_data": "customers' products send operating data (a connected product, §2.2/§2.6)",
    "network.customer_order_data": "customers send orders or specifications, not operating data (§2.5)",
    "network.connected_product": "the product is connected: sensors, telematics or an IoT partner carry its data",
    "network.order_to_delivery": "a customer's order or input reaches production and the goods go back to it",
    "network.focal_produces": "the focal company (or its own units) makes the goods the customers get",
    "network.focal_brokers": "the focal company passes on what outside suppliers make, for a fee (§2.3)",
    "offering.made_to_order": "each item is made individually for the customer's order (§2.5)",
}
#: `offering.asset_owner`: who owns the asset in use (§2.2 buyer; §2.6 provider or financier).
ASSET_OWNERS = ("customer", "provider", "financier", "none")

_PHYSICAL = ("goods", "service", "usage-right")


def _text_of(case: Case) -> str:
    data = case.data
    bm = data.get("business_model") or {}
    parts = [data.get("summary"), data.get("name")]
    if isinstance(bm, dict):
        parts += [bm.get(k) for k in ("what", "how", "who")]
    return " ".join(str(p) for p in parts if isinstance(p, str))[:MAX_TEXT_CHARS]


def _words(kind: str, text: str, facts: dict[str, Any]) -> bool:
    from bmnav.classifying.textfacts import detect_language
    from bmnav.classifying.words import contains_some

    if not text.strip():
        return False
    lang = detect_language(text)
    lists = (facts.get("words") or {}).get(kind) or {}
    return contains_some(text, [str(w) for w in lists.get(lang) or []], lang) or (
        lang != "en" and contains_some(text, [str(w) for w in lists.get("en") or []], "en")
    )


#: Flow descriptions read for order or operating words, at most (a hostile file may hold
#: tens of thousands); real cases have a handful of customer data flows.
MAX_WORDED_FLOWS = 200
#: Characters of the summary and business model read for words (as for free-text notes).
MAX_TEXT_CHARS = 100_000


def _customer_side(case: Case, groups: dict[str, set[str]], flows: list[Any]) -> set[str]:
    """Customer roles: by type, or outside roles that get goods, services or usage
    rights and pay money without sending goods (one pass over the flows)."""
    gets: set[str] = set()
    sends: dict[str, set[str]] = {}
    for f in flows:
        if f.kind in _PHYSICAL:
            gets.add(f.target)
        sends.setdefault(f.source, set()).add(f.kind)
    out = {r.id for r in case.roles if r.type in groups["customers"]}
    for r in case.roles:
        if r.id == case.focal or not r.external:
            continue
        kinds = sends.get(r.id, set())
        if r.id in gets and "money" in kinds and "goods" not in kinds:
            out.add(r.id)
    return out


def _groups(facts: dict[str, Any]) -> dict[str, set[str]]:
    raw = facts.get("role_types") or {}
    return {k: {str(t) for t in raw.get(k) or []} for k in ("producers", "connectivity", "financiers", "customers")}


def _worded(kind: str, flows: list[Any], facts: dict[str, Any]) -> set[int]:
    """Indexes (into `flows`) of the flows whose description has words of `kind`."""
    memo: dict[str, bool] = {}
    out: set[int] = set()
    for i, f in enumerate(flows[:MAX_WORDED_FLOWS]):
        what = f.what or ""
        if what not in memo:
            memo[what] = _words(kind, what, facts)
        if memo[what]:
            out.add(i)
    return out


def _network_facts(case: Case, facts: dict[str, Any]) -> dict[str, bool]:
    groups = _groups(facts)
    types = {r.id: r.type for r in case.roles}
    internal = {r.id for r in case.roles if not r.external} | {case.focal}
    flows = list(case.flows)
    customers = _customer_side(case, groups, flows)
    tech = set(case.data.get("technologies") or [])
    customer_data = [f for f in flows if f.source in customers and f.kind in ("data", "intangible")]
    by_order = _worded("order", customer_data, facts)
    by_operating = {i for i in _worded("operating", customer_data, facts) if customer_data[i].kind == "data"}
    connectivity = any(t in groups["connectivity"] for t in types.values())
    connected_tech = bool(tech & {str(t) for t in facts.get("connected_technologies") or []})
    goods_to = {g.target for g in flows if g.kind == "goods"}
    to_delivery = any(f.target in internal and f.source in goods_to for f in customer_data)
    unclassified = [
        f for i, f in enumerate(customer_data) if i not in by_order and i not in by_operating and f.kind == "data"
    ]
    operating = bool(by_operating) or (bool(unclassified) and (connectivity or connected_tech) and not to_delivery)
    order = bool(by_order) or (bool(unclassified) and to_delivery and not (connectivity or connected_tech))
    produces = (types.get(case.focal or "") or "") in groups["producers"] or any(
        f.kind == "goods" and f.source in internal and f.target in customers for f in flows
    )
    outside_supply = any(
        f.kind in ("goods", "service")
        and f.source not in internal
        and f.source not in customers
        and (f.target in customers or f.target == case.focal)
        for f in flows
    )
    focal_paid = any(f.kind == "money" and f.target == case.focal for f in flows)
    return {
        "network.customer_operating_data": operating,
        "network.customer_order_data": order,
        "network.connected_product": connectivity or (connected_tech and operating),
        "network.order_to_delivery": to_delivery,
        "network.focal_produces": produces,
        "network.focal_brokers": outside_supply and focal_paid and not produces,
    }


def _asset_owner(case: Case, facts: dict[str, Any]) -> str | None:
    groups = _groups(facts)
    ownership = (case.offering or {}).get("ownership")
    financier = any(r.type in groups["financiers"] and r.id != case.focal and r.external for r in case.roles)
    if ownership == "buyer":
        return "customer"
    if ownership == "third-party":
        return "financier"
    if ownership == "provider":
        financiers = {r.id for r in case.roles if r.type in groups["financiers"]}
        supplies = financier and any(f.kind in ("usage-right", "goods") and f.source in financiers for f in case.flows)
        return "financier" if supplies else "provider"
    if ownership == "not-applicable":
        return "none"
    return None


def derived(case: Case, data_dir: str | Path | None = None) -> dict[str, Any]:
    """The derived facts of a case or profile (unknown ones absent)."""
    from bmnav.storage.datafiles import facts_data

    case = case.snapshot()  # roles and flows built once
    facts = facts_data(data_dir)
    out: dict[str, Any] = {}
    if case.roles and case.flows:
        out.update(_network_facts(case, facts))
    owner = _asset_owner(case, facts)
    if owner is not None:
        out["offering.asset_owner"] = owner
    involvement = (case.offering or {}).get("customer_involvement")
    worded = _words("made_to_order", _text_of(case), facts)
    ordered = bool(out.get("network.order_to_delivery"))
    shaped = involvement in ("configure", "co-design")
    if (shaped and (worded or ordered)) or (worded and (ordered or out.get("network.focal_produces"))):
        out["offering.made_to_order"] = True
    elif involvement == "none" or (involvement is None and case.roles and not worded):
        out["offering.made_to_order"] = False
    return out
