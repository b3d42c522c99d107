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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bmnav.checking.problems import BmnavError
from bmnav.domain.model import Case, Role

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus, Recorder

__all__ = ["COMPONENTS", "DEFAULTS", "Position", "constants_from", "placement", "position", "positions"]

#: The openness components, in the order they are shown.
COMPONENTS = ("access", "external_share", "data_reach", "open_sides")

DEFAULTS: dict[str, Any] = {
    "openness": {
        "weights": {"access": 0.4, "external_share": 0.2, "data_reach": 0.2, "open_sides": 0.2},
        "access": {"internal": 0.0, "closed": 0.4, "open": 1.0},
        "data_sharing": {"none": 0.0, "internal": 0.2, "bilateral": 0.6, "multilateral": 1.0},
        "open_sides_full": 4,
        # the report's open / closed distinction (§2.3) decides the band the openness lies in
        "access_bands": {"internal": [0.0, 0.33], "closed": [0.34, 0.66], "open": [0.67, 1.0]},
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
    #: [low, high] of the computed openness and size over the estimated counts' spans
    openness_range: tuple[float, float] = (0.0, 0.0)
    ecosystem_size_range: tuple[float, float] = (0.0, 0.0)
    #: roles whose count is an estimate; empty when the position rests on no guess
    estimated_roles: list[str] = field(default_factory=list)
    #: people (consumers, end users) counted apart from the organisations
    people: int = 0

    @property
    def rests_on_estimates(self) -> bool:
        """True when an estimated count moves the computed position."""
        return self.openness_range[0] != self.openness_range[1] or (
            self.ecosystem_size_range[0] != self.ecosystem_size_range[1]
        )

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
            "people": self.people,
            "openness_range": [round(x, 4) for x in self.openness_range],
            "ecosystem_size_range": [round(x, 4) for x in self.ecosystem_size_range] if self.size_known else None,
            "rests_on_estimates": self.rests_on_estimates,
            "estimated_roles": list(self.estimated_roles),
        }
        for name in COMPONENTS:
            value = self.components.get(name)
            d[name] = None if value is None else round(value, 4)
        for name in COMPONENTS:
            d[f"{name}_contribution"] = round(self.contributions.get(name, 0.0), 4)
        # (copies: a snapshot of the case shares this position with every caller)
        d["facts"] = {k: list(v) if isinstance(v, list) else v for k, v in self.facts.items()}
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


#: A role's count as a computation uses it (its own, or one end of its span: `count_at`).
Counter = Callable[[Role], int]


def _own_count(role: Role) -> int:
    return role.count


def count_at(end: int) -> Counter:
    """Each role's count at the low (0) or high (1) end of its span (`count_span`),
    or its own count when it is no estimate."""

    def count(role: Role) -> int:
        span = count_span(role.count, role.count_basis, role.count_range)
        return role.count if span is None else span[end]

    return count


def _external_sides(case: Case, count: Counter = _own_count) -> set[str]:
    """Kinds of outside organisation that take part as a group of many.

    Only in a network the report would call open: §2.3 says a closed
    marketplace pre-selects its suppliers, so no side of a `closed` (or
    `internal`) network is one that anyone may join. Roles that count
    people are not organisations and do not make a side.
    """
    if case.offering.get("access") in ("closed", "internal"):
        return set()
    return {r.type or r.id for r in case.roles if r.external and count(r) > 1 and not r.people}


def participants(case: Case, kinds: Iterable[str], count: Counter = _own_count) -> dict[str, int]:
    """How many organisations each role adds to the ecosystem.

    The focal role stands for the focal company (1, with all internal roles
    folded into it); an external role adds its `count` when it sends or
    receives a flow of one of `kinds`, else 0. A role that counts people
    (`counts: people`) adds 0 here: people are counted apart (`people()`).
    `count` gives the count to use (an end of an estimate's span: `count_at`).
    """
    kinds = set(kinds)
    # the roles at either end of such a flow, in one pass (not one per role)
    linked = {end for f in case.flows if f.kind in kinds for end in (f.source, f.target)}
    out: dict[str, int] = {}
    focal = case.focal
    for r in case.roles:
        if not r.external:
            out[r.id] = 1 if r.id == focal else 0
        elif not r.people and r.id in linked:
            out[r.id] = count(r)
        else:
            out[r.id] = 0
    if out and focal not in out:  # no focal role named: the company still counts once
        first_internal = next((r.id for r in case.roles if not r.external), None)
        if first_internal:
            out[first_internal] = 1
    return out


def people(case: Case) -> int:
    """The people (consumers, end users) the case's roles count, apart from organisations."""
    return sum(r.count for r in case.roles if r.people)


#: An estimated count without a `count_range` may lie this many times below or above it.
DEFAULT_SPREAD = 10


def count_span(count: int, basis: str | None, given: tuple[int, int] | None) -> tuple[int, int] | None:
    """The [low, high] a role's count may lie in, or None when the count is not a guess.

    A `count_range` is used as written; an `estimate` (or a count > 1 whose
    basis is not said) without one spreads `DEFAULT_SPREAD` times either way.
    Counts the report or a cited source states have no span.
    """
    if given is not None:
        return given
    if basis in ("report", "source"):
        return None
    if basis is None and count <= 1:
        return None
    return (max(1, round(count / DEFAULT_SPREAD)), max(1, count * DEFAULT_SPREAD))


def estimated_roles(case: Case) -> list[str]:
    """Ids of the roles whose count is an estimate (or of unknown basis) and could move the position."""
    return [r.id for r in case.roles if count_span(r.count, r.count_basis, r.count_range) is not None]


def _compute(case: Case, k: Mapping[str, Any], count: Counter = _own_count) -> tuple[float, float, dict[str, Any]]:
    """Openness, ecosystem size and the parts they were computed from, with
    each role's count as `count` gives it (at an end of the estimates' spans,
    the case itself unchanged: no copy of it per end)."""
    case = case.snapshot()  # (roles and flows are read by several facts below)
    openness, parts = _openness(case, k["openness"], count)
    ek = k["ecosystem"]
    participating = participants(case, ek["participating_kinds"], count)
    organisations = max(1, sum(participating.values()))
    reference = max(2.0, float(ek["reference_organisations"]))
    size = _clip(math.log10(organisations) / math.log10(reference))
    return openness, size, {**parts, "participants": participating, "organisations": organisations}


def _openness(case: Case, ok: Mapping[str, Any], count: Counter) -> tuple[float, dict[str, Any]]:
    """The weighted mean of the openness components, placed in the band of the
    case's access model when the constants give one; with its facts, components,
    weights and contributions."""
    offering = case.offering
    roles = case.roles
    access = offering.get("access")
    facts: dict[str, Any] = {
        "access": access,
        "data_sharing": offering.get("data_sharing"),
        "roles": len(roles),
        "external_roles": sum(1 for r in roles if r.external),
        "open_sides": sorted(_external_sides(case, count)),
    }
    components: dict[str, float | None] = {
        "access": _lookup(ok["access"], access),
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
    band = (ok.get("access_bands") or {}).get(access) if access else None
    if isinstance(band, (list, tuple)) and len(band) == 2:
        openness, contributions = _in_band(float(band[0]), float(band[1]), weights, components)
    return openness, {"facts": facts, "components": components, "weights": weights, "contributions": contributions}


def _in_band(
    low: float, high: float, weights: dict[str, float], components: Mapping[str, float | None]
) -> tuple[float, dict[str, float]]:
    """The report's open / closed distinction (§2.3) decides the band; the other
    components place the case in it. The openness and each component's share."""
    rest = {n: w for n, w in weights.items() if n != "access"}
    share = sum(rest.values())
    within = sum(rest[n] * float(components[n] or 0.0) for n in rest) / share if share else 0.5
    openness = _clip(low + (high - low) * within)
    if not share:
        return openness, {"access": openness}
    return openness, {"access": low, **{n: (high - low) * rest[n] * float(components[n] or 0.0) / share for n in rest}}


def position(case: Case, corpus_or_constants: Corpus | Mapping[str, Any] | None = None) -> Position:
    """Compute where `case` sits on the openness / ecosystem-size map.

    Given a corpus, the position of one of its cases is kept in the cache
    (`Corpus.derived`): placing 10,000 cases again costs a lookup each.

    `corpus_or_constants` is a `Corpus` (its clusters.yaml `position:`
    constants are used), such a mapping, or None for `DEFAULTS`.

    The ranges say how far the computed position moves when every estimated
    role count goes to the low and then the high end of its span
    (`count_span`).

    Raises `BmnavError` when the case has neither offering facts nor a
    network, so that no openness can be computed.

    >>> from bmnav.domain.model import Case
    >>> c = Case({"id": "x", "offering": {"access": "open", "data_sharing": "multilateral"}})
    >>> round(position(c).openness, 2)
    1.0
    """
    if corpus_or_constants is not None and not isinstance(corpus_or_constants, Mapping):
        corpus = corpus_or_constants
        return corpus.derived(POSITION, case, lambda c: _position(c, corpus), _plain_position, _from_plain)
    return _position(case, corpus_or_constants)


def placement(case: Case, corpus_or_constants: Corpus | Mapping[str, Any] | None = None) -> tuple[float, float]:
    """(openness, ecosystem size) as `position` shows them, without the ranges
    and parts: what a comparison of clusters needs of a case, at a third of
    the cost. Raises `BmnavError` where `position` does."""
    openness, size, _ = _compute(case, constants_from(corpus_or_constants))
    manual = case.data.get("position")
    if isinstance(manual, Mapping) and "openness" in manual and "ecosystem_size" in manual:
        return float(manual["openness"]), float(manual["ecosystem_size"])
    return openness, size


def positions_of(corpus: Corpus, ids: list[str]) -> list[Position]:
    """`position` of each case of the corpus with these ids, in this order;
    a position kept in the cache is used without reading the case (and with
    the garbage collector off: 10,000 new positions set off collections that
    walked the whole store read before them, three quarters of the time)."""
    from bmnav.storage.collector import no_gc

    with no_gc():
        return [
            corpus.derived_by_id(POSITION, case_id, lambda c: _position(c, corpus), _plain_position, _from_plain)
            for case_id in ids
        ]


#: The record `position` and `positions_of` keep of each case (`Corpus.derived`).
POSITION = "position"
#: What `positions_of` needs of every case, for `load_corpus(records=...)`.
POSITION_RECORDS: dict[str, Recorder] = {POSITION: lambda corpus: lambda c: _plain_position(_position(c, corpus))}


def _plain_position(p: Position) -> dict[str, Any]:
    """A position as the record the cache keeps: its fields by name, the ranges
    as lists (the JSON shape). Only one level deep: the record is copied
    through JSON before it is kept (`cache.plain_copy`), and `asdict`'s
    deep copy of every field was most of the cost of a record."""
    d = {name: getattr(p, name) for name in _FIELD_ORDER}
    d["openness_range"], d["ecosystem_size_range"] = list(p.openness_range), list(p.ecosystem_size_range)
    return d


#: The fields of a `Position`, in order, as a kept record must have them.
_FIELD_ORDER = tuple(Position.__dataclass_fields__)
_FIELDS = frozenset(_FIELD_ORDER)


def _from_plain(d: dict[str, Any]) -> Position:
    """A kept record back as a `Position`, without the dataclass's `__init__`:
    a frozen dataclass sets each of its 20 fields through `object.__setattr__`,
    which cost most of the time of reading 10,000 positions. The record has
    been read back from JSON (plain data); one of another shape is refused
    (KeyError), and then the position is computed again."""
    if d.keys() != _FIELDS:
        raise KeyError("not a position record")
    lo_open, hi_open = d["openness_range"]
    lo_size, hi_size = d["ecosystem_size_range"]
    p = object.__new__(Position)
    p.__dict__.update(d)
    p.__dict__["openness_range"], p.__dict__["ecosystem_size_range"] = (lo_open, hi_open), (lo_size, hi_size)
    return p


def _position(case: Case, corpus_or_constants: Corpus | Mapping[str, Any] | None) -> Position:
    k = constants_from(corpus_or_constants)
    # a snapshot is placed once per set of constants (a report asks three times)
    return case.remember(("positions.position", repr(k)), lambda: _placed_with(case, k))


def _placed_with(case: Case, k: dict[str, Any]) -> Position:
    case = case.snapshot()  # its flows are shared with the copies at either end of the counts
    openness, size, parts = _compute(case, k)
    estimated = estimated_roles(case)
    opens, sizes = [openness], [size]
    if estimated:
        for end in (0, 1):
            o, s, _ = _compute(case, k, count_at(end))
            opens.append(o)
            sizes.append(s)

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
        organisations=parts["organisations"],
        components=parts["components"],
        weights=parts["weights"],
        contributions=parts["contributions"],
        participants=parts["participants"],
        facts=parts["facts"],
        profile=case.is_profile,
        note=str(note) if note else None,
        openness_range=(min(opens), max(opens)),
        ecosystem_size_range=(min(sizes), max(sizes)),
        estimated_roles=estimated,
        people=people(case),
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
