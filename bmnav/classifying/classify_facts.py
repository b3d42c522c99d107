"""The fact language of the classifier: fact names, their values, and the facts of a case.

A *fact* is a named property of a company that the evidence model in
`data/clusters.yaml` can test, such as `offering.access` or
`network.two_sided`. `facts_of(case)` reads them off a case or profile; a
fact that is not in the dictionary it returns is *unknown* (it lowers the
confidence and may show up among the missing facts), which is different
from a fact that is known to be false or empty.

Kinds:

- ``one``: one value out of a list (``offering.access: open``); an evidence
  item's ``is`` is a value or a list of values (any of them).
- ``set``: a list of values (``offering.revenue``, ``technologies``,
  ``patterns``); ``is`` matches when the list contains any of the given values.
- ``bool``: true or false (``changes.who``, ``network.two_sided``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bmnav.classifying.derived_facts import ASSET_OWNERS, DERIVED
from bmnav.domain.model import QUESTIONS, Case, Vocabulary

#: The fact name under which the cue scores of free text travel with the other
#: facts (`bmnav.classifying.textcues`); a profile read from a file never has it.
CUE_FACT = "text.cue"

ACCESS = ("internal", "closed", "open")
REVENUE = (
    "one-off-sale",
    "subscription",
    "pay-per-use",
    "leasing",
    "commission",
    "platform-fee",
    "service-fee",
    "data-sales",
    "revenue-share",
    "cost-saving",
)
OWNERSHIP = ("buyer", "provider", "third-party", "not-applicable")
INVOLVEMENT = ("none", "configure", "co-design")
DATA_SHARING = ("none", "internal", "bilateral", "multilateral")
TECHNOLOGIES = (
    "cps",
    "cloud",
    "edge",
    "iiot-platform",
    "digital-twin",
    "software-defined-manufacturing",
    "big-data",
    "ai",
)
SIZES = ("sme", "large")

#: Structural features of `bmnav.domain.network.structure()` the evidence model may test, with their meaning.
NETWORK_FEATURES: dict[str, str] = {
    "two_sided": "external suppliers and external buyers served through the focal role",
    "neutral_data_intermediary": "data flows in from several external organisations and out to others who use it",
    "data_hub": "data flows in from several external organisations and out to further roles",
    "data_exchange": "several external organisations send data to the focal role, which sends data back out",
    "data_sold": "an outside role pays the focal role for data",
    "owner_user_split": "the asset's owner is not its user (leasing, usage rights)",
    "usage_rights": "a usage right is granted instead of selling the asset",
    "all_internal": "apart from customers, every role belongs to the focal company",
    "internal_suppliers_only": "everything the focal role receives comes from its own units",
    "customer_feedback": "customers send data or ideas to the focal role",
    "customer_codesign": "customers send ideas to the focal role and designers take part",
    "designers": "designers or design resources are a role of the network",
    "pull_production": "customer input reaches producers as orders, which deliver to the customer",
    "platform_focal": "the focal role is a platform, marketplace or data trustee",
    "focal_sells_goods": "the focal role delivers goods to customers itself",
    "focal_paid": "some role pays the focal role",
}


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: str  # one | set | bool
    values: tuple[Any, ...]
    question: str

    @property
    def group(self) -> str:
        """The coverage group: `changes.*` and `network.*` count as one fact each."""
        head = self.name.split(".")[0]
        return head if head in ("changes", "network") else self.name


def fact_specs(vocab: Vocabulary | None = None) -> dict[str, FactSpec]:
    """Every fact the evidence model may refer to, with its possible values."""
    role_types = tuple(sorted(vocab.role_types)) if vocab else ()
    patterns = tuple(sorted(vocab.patterns)) if vocab else ()
    specs = [
        FactSpec("offering.access", "one", ACCESS, "Who may take part as supplier or partner?"),
        FactSpec("offering.revenue", "set", REVENUE, "How does the company earn money with the offering?"),
        FactSpec("offering.ownership", "one", OWNERSHIP, "Who owns the physical asset the customer uses?"),
        FactSpec("offering.customer_involvement", "one", INVOLVEMENT, "How far do customers shape the product?"),
        FactSpec("offering.data_sharing", "one", DATA_SHARING, "With whom is data shared?"),
        FactSpec("technologies", "set", TECHNOLOGIES, "Which Industrie 4.0 technologies carry the model?"),
        FactSpec("patterns", "set", patterns, "Which business model patterns does it use?"),
        FactSpec("company_size", "one", SIZES, "Is the company an SME or a large company?"),
    ]
    specs += [
        FactSpec(f"changes.{q}", "bool", (True, False), f"Did the `{q}` of the business model change?")
        for q in QUESTIONS
    ]
    specs += [
        FactSpec(f"network.{k}", "bool", (True, False), f"Does the value network show this: {v}?")
        for k, v in NETWORK_FEATURES.items()
    ]
    specs.append(
        FactSpec("network.focal_type", "one", role_types, "Which role type does the company play in its network?")
    )
    specs += [
        FactSpec(name, "bool", (True, False), f"Is this so: {meaning}?")
        for name, meaning in DERIVED.items()
        if name.startswith("network.")
    ]
    specs += [
        FactSpec("offering.made_to_order", "bool", (True, False), f"Is this so: {DERIVED['offering.made_to_order']}?"),
        FactSpec(
            "offering.asset_owner", "one", ASSET_OWNERS, "Who owns the asset in use: customer, provider, financier?"
        ),
    ]
    return {s.name: s for s in specs}


def facts_of(
    case: Case, *, features: Callable[[Case], dict[str, Any]] | None = None, data_dir: str | Path | None = None
) -> dict[str, Any]:
    """The known facts of a case or profile, by fact name (unknown facts are absent).

    `features` computes the network's structural features (default:
    `bmnav.domain.network.structure`; `bmnav.storage.corpus_index.network_features` serves
    them from the cache)."""
    if features is None:
        # a snapshot reads its facts once per data folder (a report on a profile
        # classifies it twice: for the ranking and for its maturity); copies go out
        known = case.remember(("classify_facts.facts_of", str(data_dir)), lambda: _facts_of(case, None, data_dir))
        return {k: list(v) if isinstance(v, list) else v for k, v in known.items()}
    return _facts_of(case, features, data_dir)


def _facts_of(
    case: Case, features: Callable[[Case], dict[str, Any]] | None, data_dir: str | Path | None
) -> dict[str, Any]:
    from bmnav.domain.network import structure

    case = case.snapshot()  # roles and flows built once: they are read many times below
    data = case.data
    facts: dict[str, Any] = {}
    offering = case.offering
    for key in ("access", "ownership", "customer_involvement", "data_sharing"):
        if offering.get(key) is not None:
            facts[f"offering.{key}"] = offering[key]
    if offering.get("revenue") is not None:
        rev = offering["revenue"]
        facts["offering.revenue"] = list(rev) if isinstance(rev, list) else [rev]
    if data.get("technologies") is not None:
        facts["technologies"] = list(data["technologies"])
    if data.get("patterns") is not None:
        facts["patterns"] = list(data["patterns"])
    if data.get("company_size") is not None:
        facts["company_size"] = data["company_size"]
    changes = data.get("changes") or {}
    for q in QUESTIONS:
        if isinstance(changes.get(q), bool):
            facts[f"changes.{q}"] = changes[q]
    if case.roles and case.flows:
        feats = (features or structure)(case)
        for k in NETWORK_FEATURES:
            if k in feats:
                facts[f"network.{k}"] = bool(feats[k])
        if feats.get("focal_type"):
            facts["network.focal_type"] = feats["focal_type"]
        # the offering says the asset is not the user's: a network drawn without a
        # usage-right flow does not contradict that (the lexicon reads both from
        # the same words, "remains the owner", so free text agrees)
        if offering.get("ownership") in ("provider", "third-party"):
            facts["network.owner_user_split"] = True
    elif case.focal:
        focal = next((r for r in case.roles if r.id == case.focal), None)
        if focal is not None and focal.type:
            facts["network.focal_type"] = focal.type
    from bmnav.classifying.derived_facts import derived

    facts.update(derived(case, data_dir))
    return facts


def matches(value: Any, spec_kind: str, expected: Any) -> bool:
    """Does a known fact value satisfy an evidence item's `is`?"""
    wanted = expected if isinstance(expected, list) else [expected]
    if spec_kind == "set":
        have = value if isinstance(value, list) else [value]
        return any(w in have for w in wanted)
    return value in wanted
