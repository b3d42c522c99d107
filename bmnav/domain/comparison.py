"""The clusters side by side.

`compare(corpus, clusters)` gathers, for each cluster: its definition,
maturity stage, the who/what/how/value change pattern, the archetype's roles,
its member cases, the mean and range of their openness and ecosystem size
(computed by `bmnav.domain.positions.position`), the most common revenue models,
technologies and patterns among them, and what distinguishes the cluster
from the others: the evidence of the classifier's model
(`bmnav.classifying.classifier.Model`, clusters.yaml `evidence`) whose weights differ most.

Evidence items test a fact against one value or a list of values; to compare
them across clusters each item is split into `(fact, value)` pairs and a
cluster's weight for a pair is the sum of its items that match it. The
distinguishing pairs of a cluster are those of its own evidence whose weight
differs most from the mean weight of the same pair in the other clusters
compared (all other clusters of the model when only one is compared).

Pure data; `as_dict()` is the JSON shape and `rows()` the CSV rows
(docs/compare.md).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bmnav.checking.problems import BmnavError
from bmnav.domain.model import QUESTIONS, Case

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus, Recorder

#: How many distinguishing evidence pairs each cluster shows.
DISTINGUISHING = 3


@dataclass(frozen=True)
class Spread:
    """Mean and range of a number over the member cases."""

    mean: float
    min: float
    max: float
    n: int

    def as_dict(self) -> dict[str, Any]:
        return {"mean": round(self.mean, 4), "min": round(self.min, 4), "max": round(self.max, 4), "n": self.n}


@dataclass(frozen=True)
class Count:
    value: str
    count: int

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count}


@dataclass(frozen=True)
class Distinction:
    """An evidence pair whose weight in this cluster differs from the others'."""

    fact: str
    value: Any
    weight: float
    others: float
    why: str

    @property
    def difference(self) -> float:
        return self.weight - self.others

    def as_dict(self) -> dict[str, Any]:
        return {
            "fact": self.fact,
            "is": self.value,
            "weight": round(self.weight, 4),
            "others": round(self.others, 4),
            "difference": round(self.difference, 4),
            "why": self.why,
        }


@dataclass
class ClusterSummary:
    """One column of the comparison."""

    id: str
    name: str
    short: str
    section: str | None
    stage: int | None
    stage_name: str | None
    definition: str
    changes: dict[str, bool | None]
    changes_note: str | None
    focal_role: str | None
    roles: list[dict[str, Any]]
    cases: list[str]
    also_cases: list[str]
    openness: Spread | None
    ecosystem_size: Spread | None
    revenue: list[Count] = field(default_factory=list)
    technologies: list[Count] = field(default_factory=list)
    patterns: list[Count] = field(default_factory=list)
    distinguishing: list[Distinction] = field(default_factory=list)
    distinguishing_against: list[Distinction] = field(default_factory=list)
    #: per role of the member cases that record it (contract 1.1 `changes`; §2.3, §2.4)
    role_changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def change_pattern(self) -> str:
        """The questions that change, e.g. "how value" (efficiency)."""
        return " ".join(q for q in QUESTIONS if self.changes.get(q)) or "none"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "short": self.short,
            "section": self.section,
            "stage": self.stage,
            "stage_name": self.stage_name,
            "definition": self.definition,
            "changes": dict(self.changes),
            "change_pattern": self.change_pattern,
            "changes_note": self.changes_note,
            "archetype": {"focal": self.focal_role, "roles": list(self.roles)},
            "cases": list(self.cases),
            "case_count": len(self.cases),
            "also_cases": list(self.also_cases),
            "openness": self.openness.as_dict() if self.openness else None,
            "ecosystem_size": self.ecosystem_size.as_dict() if self.ecosystem_size else None,
            "revenue": [c.as_dict() for c in self.revenue],
            "technologies": [c.as_dict() for c in self.technologies],
            "patterns": [c.as_dict() for c in self.patterns],
            "distinguishing": [d.as_dict() for d in self.distinguishing],
            "distinguishing_against": [d.as_dict() for d in self.distinguishing_against],
            "role_changes": [dict(r) for r in self.role_changes],
        }


@dataclass
class Comparison:
    """The compared clusters, in the order asked for (model order by default)."""

    clusters: list[ClusterSummary]
    #: "compared" when distinctions are against the other compared clusters,
    #: "all" when against every other cluster of the model
    against: str

    def as_dict(self) -> dict[str, Any]:
        return {"against": self.against, "clusters": [c.as_dict() for c in self.clusters]}

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per cluster, for CSV."""

        def counts(items: list[Count]) -> str:
            return "; ".join(f"{c.value} ({c.count})" for c in items)

        def spread(s: Spread | None, key: str) -> float | str:
            return "" if s is None else round(getattr(s, key), 4)

        out = []
        for c in self.clusters:
            out.append(
                {
                    "id": c.id,
                    "name": c.name,
                    "section": c.section or "",
                    "stage": c.stage if c.stage is not None else "",
                    "definition": c.definition,
                    **{f"changes_{q}": _flag(c.changes.get(q)) for q in QUESTIONS},
                    "archetype_focal": c.focal_role or "",
                    "archetype_roles": "; ".join(str(r.get("name") or r.get("id")) for r in c.roles),
                    "case_count": len(c.cases),
                    "cases": "; ".join(c.cases),
                    "also_cases": "; ".join(c.also_cases),
                    "openness_mean": spread(c.openness, "mean"),
                    "openness_min": spread(c.openness, "min"),
                    "openness_max": spread(c.openness, "max"),
                    "ecosystem_size_mean": spread(c.ecosystem_size, "mean"),
                    "ecosystem_size_min": spread(c.ecosystem_size, "min"),
                    "ecosystem_size_max": spread(c.ecosystem_size, "max"),
                    "revenue": counts(c.revenue),
                    "technologies": counts(c.technologies),
                    "patterns": counts(c.patterns),
                    "distinguishing": "; ".join(
                        f"{d.fact}={_value_text(d.value)} ({d.weight:+g} vs {d.others:+.2f})" for d in c.distinguishing
                    ),
                    "distinguishing_against": "; ".join(
                        f"{d.fact}={_value_text(d.value)} ({d.weight:+g} vs {d.others:+.2f})"
                        for d in c.distinguishing_against
                    ),
                }
            )
        return out


def _flag(value: bool | None) -> str:
    return "" if value is None else str(value).lower()


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _spread(values: list[float]) -> Spread | None:
    if not values:
        return None
    return Spread(sum(values) / len(values), min(values), max(values), len(values))


def _common(lists: list[list[str]]) -> list[Count]:
    counter = Counter(v for items in lists for v in dict.fromkeys(items))
    return [Count(v, n) for v, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def _positions(members: list[dict[str, Any]]) -> tuple[Spread | None, Spread | None]:
    placed = [m["position"] for m in members if m["position"] is not None]
    return _spread([p[0] for p in placed]), _spread([p[1] for p in placed])


#: What `compare` reads of each case (`_record`), in this order.
RECORD_KEYS = ("id", "origin", "cluster", "also", "position", "revenue", "technologies", "patterns", "role_changes")


def _record(corpus: Corpus) -> Callable[[Case], dict[str, Any]]:
    """What `compare` needs of one case, as plain data the cache can keep
    (`Corpus.per_case`): a repeated comparison reads these, not the cases."""
    from bmnav.domain.positions import constants_from, placement

    constants = constants_from(corpus)

    def record(case: Case) -> dict[str, Any]:
        try:
            placed: list[float] | None = list(placement(case, constants))
        except BmnavError:  # a case without offering facts or network has no position
            placed = None
        return {
            "id": case.id,
            "origin": case.origin,
            "cluster": case.cluster,
            "also": list(case.also),
            "position": placed,
            "revenue": list(case.offering.get("revenue") or []),
            "technologies": list(case.technologies),
            "patterns": list(case.patterns),
            "role_changes": _role_changes(case),
        }

    return record


#: The record `compare` reads of each case (`Corpus.per_case`).
COMPARE_RECORD = "compare"
#: What `compare` needs of every case, for `load_corpus(records=...)`.
COMPARE_RECORDS: dict[str, Recorder] = {COMPARE_RECORD: _record}


def _record_from(kept: Any) -> dict[str, Any] | None:
    """A kept record, or None when it is not of `_record`'s shape."""
    if not isinstance(kept, dict) or tuple(kept) != RECORD_KEYS or not isinstance(kept["id"], str):
        return None
    lists = ("also", "revenue", "technologies", "patterns", "role_changes")
    if not all(isinstance(kept[k], list) for k in lists):
        return None
    if kept["position"] is not None and not (isinstance(kept["position"], list) and len(kept["position"]) == 2):
        return None
    return kept


def evidence_weights(corpus: Corpus) -> dict[str, dict[tuple[str, str], tuple[float, Any, str]]]:
    """Per cluster, the weight of every `(fact, value)` pair of its evidence
    (items listing several values split into one pair each), with the value
    and the `why` of the heaviest item. Keys are `(fact, canonical value)`.

    The report-based evidence of clusters.yaml, not the fitted weights of
    data/model.yaml: a comparison of clusters cites what the report says."""
    from bmnav.classifying.classifier import Model

    model = Model.from_corpus(corpus, fitted=False)
    out: dict[str, dict[tuple[str, str], tuple[float, Any, str]]] = {}
    for cid, items in model.evidence.items():
        pairs: dict[tuple[str, str], tuple[float, Any, str]] = {}
        for e in items:
            values = e.expected if isinstance(e.expected, list) else [e.expected]
            for v in values:
                key = (e.fact, json.dumps(v, sort_keys=True))
                weight, _, why = pairs.get(key, (0.0, v, ""))
                heavier = abs(e.weight) > abs(weight)
                pairs[key] = (weight + e.weight, v, e.why if heavier or not why else why)
        out[cid] = pairs
    return out


def distinguishing(
    weights: dict[str, dict[tuple[str, str], tuple[float, Any, str]]],
    cluster: str,
    others: list[str],
    *,
    top: int = DISTINGUISHING,
) -> tuple[list[Distinction], list[Distinction]]:
    """The evidence pairs of `cluster` whose weight differs most from the mean
    weight of the same pair in `others` (a missing pair weighs 0): the `top`
    that speak most for this cluster compared with the others (largest
    positive difference), and the `top - 1` that speak most against it."""
    mine = weights.get(cluster, {})
    result = []
    for key, (weight, value, why) in mine.items():
        if not weight:
            continue
        rest = [weights.get(o, {}).get(key, (0.0, None, ""))[0] for o in others]
        mean = sum(rest) / len(rest) if rest else 0.0
        result.append(Distinction(key[0], value, weight, mean, why))
    result.sort(key=lambda d: (-d.difference, -d.weight, d.fact, json.dumps(d.value)))
    pro = [d for d in result if d.difference > 0][:top]
    con = [d for d in reversed(result) if d.difference < 0][: max(0, top - 1)]
    return pro, con


def _role_changes(case: Case) -> list[dict[str, Any]]:
    """How the business model changed for each role, where the case records it."""
    return [
        {"case": case.id, "role": r.id, "type": r.type, **{q: r.changes.get(q) for q in QUESTIONS}}
        for r in case.roles
        if r.changes
    ]


def compare(corpus: Corpus, clusters: list[str] | None = None, *, origin: str | None = None) -> Comparison:
    """The clusters (ids or names; all of the model by default) side by side.

    `origin` (report | public-sources | client) keeps only the cases of that origin.

    Unknown clusters raise `BmnavError` with a "did you mean".

    >>> c = compare(corpus, ["efficiency", "Marketplace"])   # doctest: +SKIP
    >>> [s.change_pattern for s in c.clusters]
    ['how value', 'who what how value']
    """
    ids = [corpus.resolve_cluster(ref) for ref in clusters] if clusters else corpus.cluster_ids()
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise BmnavError("the model has no clusters to compare")
    weights = evidence_weights(corpus)
    against = "compared" if len(ids) > 1 else "all"
    stage_names = {
        int(s["stage"]): str(s.get("name") or "")
        for s in (corpus.clusters_doc.get("stages") or [])
        if isinstance(s, dict) and isinstance(s.get("stage"), int)
    }
    records = corpus.per_case(COMPARE_RECORD, _record(corpus), _record_from)
    cases = sorted((r for r in records if origin is None or r["origin"] == origin), key=lambda r: str(r["id"]))
    summaries = []
    for cid in ids:
        others = [o for o in (ids if against == "compared" else corpus.cluster_ids()) if o != cid]
        pro, con = distinguishing(weights, cid, others)
        summaries.append(_summary(corpus.clusters[cid], cid, cases, stage_names, pro, con))
    return Comparison(summaries, against)


def _summary(
    c: dict[str, Any],
    cid: str,
    cases: list[dict[str, Any]],
    stage_names: dict[int, str],
    pro: list[Distinction],
    con: list[Distinction],
) -> ClusterSummary:
    """One cluster's column: its definition and archetype from the model, the rest from its cases."""
    members = [case for case in cases if case["cluster"] == cid]
    openness, size = _positions(members)
    changes = c.get("changes") or {}
    archetype = c.get("archetype") or {}
    stage = c.get("stage") if isinstance(c.get("stage"), int) else None
    return ClusterSummary(
        id=cid,
        name=str(c.get("name") or cid),
        short=str(c.get("short") or c.get("name") or cid),
        section=f"§{c['section']}" if c.get("section") else None,
        stage=stage,
        stage_name=stage_names.get(stage) if stage is not None else None,
        definition=" ".join(str(c.get("definition") or "").split()),
        changes={q: changes.get(q) for q in QUESTIONS},
        changes_note=" ".join(str(changes["note"]).split()) if changes.get("note") else None,
        focal_role=archetype.get("focal"),
        roles=[
            {
                "id": r.get("id"),
                "name": r.get("name") or r.get("id"),
                "type": r.get("type"),
                "external": bool(r.get("external", True)),
            }
            for r in archetype.get("roles") or []
            if isinstance(r, dict)
        ],
        cases=[case["id"] for case in members],
        also_cases=[case["id"] for case in cases if cid in case["also"]],
        openness=openness,
        ecosystem_size=size,
        revenue=_common([case["revenue"] for case in members]),
        technologies=_common([case["technologies"] for case in members]),
        patterns=_common([case["patterns"] for case in members]),
        role_changes=[dict(r) for case in members for r in case["role_changes"]],
        distinguishing=pro,
        distinguishing_against=con,
    )
