"""Where a case sits on the report's map: openness against ecosystem size.

The report (§2, Figure 5) places its use-case clusters by hand on two axes,
the degree of openness and the size of the ecosystem. bmnav computes both
from the case file, so that every number can be traced back:

* `openness` (0 closed .. 1 open) is a weighted mean of four components,
  each between 0 and 1: the access model (`offering.access`), the share of
  external roles, the reach of data sharing (`offering.data_sharing`) and who
  may join (the number of open sides: kinds of outside organisation that
  take part as a group of many rather than as one picked partner). A missing
  fact is left out and the other weights are scaled up.
* `ecosystem_size` (0 one firm .. 1 the largest ecosystems) is
  `log10(n) / log10(reference)`, capped at 1, where `n` counts the
  organisations taking part: the focal company once (its internal units are
  not separate organisations) plus the `count` of every external role that
  exchanges more than goods for money with the network (data, a service, a
  usage right or intangible value). Buyers or suppliers that only trade goods
  for money are the linear chain the report contrasts with an ecosystem.

The constants live under `position:` in data/clusters.yaml; `DEFAULTS` is
used when a corpus has none. A `position` written in a case overrides the
computed one and the result is flagged `manual`. docs/method.md has the
formula with a worked example.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Case
from .problems import BmnavError

if TYPE_CHECKING:
    from .corpus import Corpus

__all__ = ["COMPONENTS", "DEFAULTS", "Position", "constants_from", "position", "positions"]

#: The openness components, in the order they are shown.
COMPONENTS = ("access", "external_share", "data_reach", "open_sides")

DEFAULTS: dict[str, Any] = {
    "openness": {
        "weights": {"access": 0.4, "external_share": 0.2, "data_reach": 0.2, "open_sides": 0.2},
        "access": {"internal": 0.0, "closed": 0.4, "open": 1.0},
        "data_sharing": {"none": 0.0, "internal": 0.2, "bilateral": 0.6, "multilateral": 1.0},
        "open_sides_full": 4,
    },
    "ecosystem": {
        "reference_organisations": 10_000_000,
        "participating_kinds": ["data", "service", "usage-right", "intangible"],
    },
}


@dataclass(frozen=True)
class Position:
    """A case's place on the map and how it was reached.

    `contributions` holds each openness component's weighted share (they add
    up to the computed openness); `components` the raw 0..1 values; `weights`
    the weights actually used (after leaving out missing facts).
    `organisations` is the number of organisations taking part and
    `participants` how many each role contributed to it.
    """

    case: str
    name: str
    cluster: str | None
    openness: float
    ecosystem_size: float
    manual: bool
    computed_openness: float
    computed_ecosystem_size: float
    organisations: int
    components: dict[str, float | None] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    contributions: dict[str, float] = field(default_factory=dict)
    participants: dict[str, int] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    profile: bool = False
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: one flat record per case (see docs/networks.md)."""
        d: dict[str, Any] = {
            "case": self.case,
            "name": self.name,
            "cluster": self.cluster,
            "profile": self.profile,
            "openness": round(self.openness, 4),
            "ecosystem_size": round(self.ecosystem_size, 4) if self.size_known else None,
            "manual": self.manual,
            "computed_openness": round(self.computed_openness, 4),
            "computed_ecosystem_size": round(self.computed_ecosystem_size, 4) if self.size_known else None,
            "organisations": self.organisations if self.size_known else None,
        }
        for name in COMPONENTS:
            value = self.components.get(name)
            d[name] = None if value is None else round(value, 4)
        for name in COMPONENTS:
            d[f"{name}_contribution"] = round(self.contributions.get(name, 0.0), 4)
        d["facts"] = dict(self.facts)
        d["participants"] = dict(self.participants)
        if self.note:
            d["note"] = self.note
        return d

    @property
    def size_known(self) -> bool:
        """Whether the ecosystem size is known: without a value network it is
        unknown, not zero (a profile of offering facts alone is no one-firm
        ecosystem), unless it was set by hand."""
        return self.manual or self.facts.get("roles") != 0


def constants_from(source: Corpus | Mapping[str, Any] | None) -> dict[str, Any]:
    """The position constants: from a corpus's clusters.yaml, from a mapping
    shaped like its `position:` key, or the defaults. Keys missing from the
    source fall back to `DEFAULTS` one level deep."""
    given: Mapping[str, Any] | None
    if source is None:
        given = None
    elif isinstance(source, Mapping):
        given = source
    else:
        given = (source.clusters_doc or {}).get("position")
    merged: dict[str, Any] = {k: dict(v) for k, v in DEFAULTS.items()}
    for section, values in (given or {}).items():
        if isinstance(values, Mapping) and isinstance(merged.get(section), dict):
            merged[section].update(values)
        else:
            merged[section] = values
    return merged


def _external_sides(case: Case) -> set[str]:
    return {r.type or r.id for r in case.roles if r.external and r.count > 1}


def participants(case: Case, kinds: Iterable[str]) -> dict[str, int]:
    """How many organisations each role adds to the ecosystem.

    The focal role stands for the focal company (1, with all internal roles
    folded into it); an external role adds its `count` when it sends or
    receives a flow of one of `kinds`, else 0.
    """
    kinds = set(kinds)
    flows = case.flows
    out: dict[str, int] = {}
    focal = case.focal
    for r in case.roles:
        if not r.external:
            out[r.id] = 1 if r.id == focal else 0
        elif any(f.kind in kinds and r.id in (f.source, f.target) for f in flows):
            out[r.id] = r.count
        else:
            out[r.id] = 0
    if out and focal not in out:  # no focal role named: the company still counts once
        first_internal = next((r.id for r in case.roles if not r.external), None)
        if first_internal:
            out[first_internal] = 1
    return out


def position(case: Case, corpus_or_constants: Corpus | Mapping[str, Any] | None = None) -> Position:
    """Compute where `case` sits on the openness / ecosystem-size map.

    `corpus_or_constants` is a `Corpus` (its clusters.yaml `position:`
    constants are used), such a mapping, or None for `DEFAULTS`.

    Raises `BmnavError` when the case has neither offering facts nor a
    network, so that no openness can be computed.

    >>> from bmnav.model import Case
    >>> c = Case({"id": "x", "offering": {"access": "open", "data_sharing": "multilateral"}})
    >>> round(position(c).openness, 2)
    1.0
    """
    k = constants_from(corpus_or_constants)
    ok = k["openness"]
    offering = case.offering
    roles = case.roles
    facts: dict[str, Any] = {
        "access": offering.get("access"),
        "data_sharing": offering.get("data_sharing"),
        "roles": len(roles),
        "external_roles": sum(1 for r in roles if r.external),
        "open_sides": sorted(_external_sides(case)),
    }
    components: dict[str, float | None] = {
        "access": _lookup(ok["access"], offering.get("access")),
        "external_share": (facts["external_roles"] / len(roles)) if roles else None,
        "data_reach": _lookup(ok["data_sharing"], offering.get("data_sharing")),
        "open_sides": min(1.0, len(facts["open_sides"]) / float(ok["open_sides_full"])) if roles else None,
    }
    weights = {n: float(ok["weights"].get(n, 0.0)) for n in COMPONENTS if components[n] is not None}
    total = sum(weights.values())
    if total <= 0:
        raise BmnavError(
            f"{case.id or case.path}: cannot compute a position: give `offering.access`, "
            "`offering.data_sharing` or a `network`"
        )
    weights = {n: w / total for n, w in weights.items()}
    contributions = {n: weights[n] * float(components[n] or 0.0) for n in weights}
    openness = _clip(sum(contributions.values()))

    ek = k["ecosystem"]
    parts = participants(case, ek["participating_kinds"])
    organisations = max(1, sum(parts.values()))
    reference = max(2.0, float(ek["reference_organisations"]))
    size = _clip(math.log10(organisations) / math.log10(reference))

    manual = case.data.get("position")
    if isinstance(manual, Mapping) and "openness" in manual and "ecosystem_size" in manual:
        shown_open, shown_size, is_manual = float(manual["openness"]), float(manual["ecosystem_size"]), True
        note = manual.get("note")
    else:
        shown_open, shown_size, is_manual, note = openness, size, False, None
    return Position(
        case=case.id,
        name=case.name,
        cluster=case.cluster,
        openness=shown_open,
        ecosystem_size=shown_size,
        manual=is_manual,
        computed_openness=openness,
        computed_ecosystem_size=size,
        organisations=organisations,
        components=components,
        weights=weights,
        contributions=contributions,
        participants=parts,
        facts=facts,
        profile=case.is_profile,
        note=str(note) if note else None,
    )


def positions(cases: Iterable[Case], corpus_or_constants: Corpus | Mapping[str, Any] | None = None) -> list[Position]:
    """`position()` of every case, in the order given."""
    k = constants_from(corpus_or_constants)
    return [position(c, k) for c in cases]


def centroids(items: Iterable[Position]) -> dict[str, tuple[float, float]]:
    """The mean (openness, ecosystem_size) of each cluster's cases, by cluster id."""
    groups: dict[str, list[Position]] = {}
    for p in items:
        if p.cluster and not p.profile:
            groups.setdefault(p.cluster, []).append(p)
    return {
        cid: (sum(p.openness for p in ps) / len(ps), sum(p.ecosystem_size for p in ps) / len(ps))
        for cid, ps in sorted(groups.items())
    }


def _lookup(table: Mapping[str, Any], key: Any) -> float | None:
    if key is None or key not in table:
        return None
    return float(table[key])


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))
