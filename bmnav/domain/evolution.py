"""How business models mature: a case's evolution and the corpus overview.

The report's maturity model (§3.2, the Haier deep dive) has three stages:
efficiency (1); analysis of data in operation plus marketplace or data
trustee (2); mass customisation (3). The stages and their clusters are data
(`stages` and `clusters[].stage` in clusters.yaml).

`maturity(case, corpus)` traces one case: its timeline (phase, period,
clusters), the forces enabling and constraining each change (key trends,
industry, market and macroeconomic force, as the report's Tables 3-5), its
current stage, the clusters of the next stage and the constraining forces to
address first. A profile without a cluster gets its stage from the
classifier. `maturity(None, corpus)` (or `overview(corpus)`) summarises the
whole corpus: every case's stage and the distribution of stages by country
and by company size (the report's first finding, §4.1 i: maturity varies with
company size).

Pure functions over the data; no printing. Every result has `as_dict()`, a
JSON-able form documented in docs/maturity.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from bmnav.domain.model import FORCE_CATEGORIES, Case

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus, Recorder

#: Readable labels of the force categories, as in the report's tables.
FORCE_LABELS = {
    "key_trends": "Key trends",
    "industry": "Industry force",
    "market": "Market force",
    "macroeconomic": "Macroeconomic force",
}
FORCE_KINDS = ("enabling", "constraining")


def _as_list(value: Any) -> list[str]:
    """A force value is a text or a list of texts (the contract allows both)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    return [text] if text else []


@dataclass
class Phase:
    """One phase of a case's business-model evolution."""

    phase: int
    period: str | None
    clusters: list[str]
    stage: int | None
    summary: str | None
    #: forces[kind][category] -> texts, every kind and category present
    forces: dict[str, dict[str, list[str]]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "period": self.period,
            "clusters": list(self.clusters),
            "stage": self.stage,
            "summary": self.summary,
            "forces": {k: {c: list(v) for c, v in cats.items()} for k, cats in self.forces.items()},
        }


@dataclass
class AddressFirst:
    """A constraining force of the current phase, with the phases it held back."""

    category: str
    text: str
    phases: list[int]
    #: the row repeats in a phase whose whole force table equals an earlier phase's (a likely
    #: error in the source, as the report's Tables 4 and 5); such rows are not ranked
    duplicated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "text": self.text,
            "phases": list(self.phases),
            "duplicated": self.duplicated,
        }


@dataclass
class Stage:
    """A stage of the maturity model with its clusters."""

    stage: int
    name: str
    clusters: list[str]
    description: str | None = None
    #: the clusters the report's own path (§3.2, Haier) puts here; `clusters` is bmnav's generalisation
    report_clusters: list[str] = field(default_factory=list)
    report_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "name": self.name,
            "clusters": list(self.clusters),
            "description": self.description,
            "report_name": self.report_name,
            "report_clusters": list(self.report_clusters),
        }


@dataclass
class CaseMaturity:
    """The maturity of one case or profile."""

    case: str
    name: str
    company: str | None
    profile: bool
    clusters: list[str]
    stage: Stage | None
    #: where the stage comes from: override (maturity.stage), cluster,
    #: history (last phase of a profile) or classified (the classifier)
    stage_source: str | None
    timeline: list[Phase]
    next: Stage | None
    address_first: list[AddressFirst]
    #: the classifier's result (JSON form) for a profile, else None
    classification: dict[str, Any] | None = None
    #: which path the next-stage advice follows: "report" (§3.2, Haier) or "bmnav" (its generalisation)
    next_basis: str | None = None
    next_note: str | None = None
    #: clusters the report's path offers instead, where it gives no basis for `next`
    alternatives: list[str] = field(default_factory=list)
    #: pairs of phases whose force tables are identical (e.g. the report's Tables 4 and 5)
    duplicated_tables: list[list[int]] = field(default_factory=list)
    #: constraining rows of the last phase left out of `address_first` because they repeat a duplicated table
    duplicated_forces: list[AddressFirst] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "name": self.name,
            "company": self.company,
            "profile": self.profile,
            "clusters": list(self.clusters),
            "stage": self.stage.stage if self.stage else None,
            "stage_name": self.stage.name if self.stage else None,
            "stage_source": self.stage_source,
            "timeline": [p.as_dict() for p in self.timeline],
            "next": self.next.as_dict() if self.next else None,
            "next_basis": self.next_basis,
            "next_note": self.next_note,
            "alternatives": list(self.alternatives),
            "address_first": [a.as_dict() for a in self.address_first],
            "duplicated_tables": [list(p) for p in self.duplicated_tables],
            "duplicated_forces": [a.as_dict() for a in self.duplicated_forces],
            "classification": self.classification,
        }


@dataclass
class CaseStage:
    """One row of the overview."""

    case: str
    name: str
    company: str | None
    country: str | None
    company_size: str | None
    cluster: str | None
    also: list[str]
    stage: int | None
    stage_source: str | None
    phases: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "name": self.name,
            "company": self.company,
            "country": self.country,
            "company_size": self.company_size,
            "cluster": self.cluster,
            "also": list(self.also),
            "stage": self.stage,
            "stage_source": self.stage_source,
            "phases": self.phases,
        }


@dataclass
class Distribution:
    """How the cases of one group (a country, a company size) spread over the stages."""

    group: str
    cases: int
    stages: dict[int, int]
    mean_stage: float | None

    def as_dict(self, key: str) -> dict[str, Any]:
        return {
            key: self.group,
            "cases": self.cases,
            "stages": {str(s): n for s, n in sorted(self.stages.items())},
            "mean_stage": self.mean_stage,
        }


@dataclass
class MaturityOverview:
    """Every case's stage, and the stage distribution by country and company size."""

    cases: list[CaseStage]
    stages: list[Stage]
    by_country: list[Distribution] = field(default_factory=list)
    by_company_size: list[Distribution] = field(default_factory=list)

    def count(self, stage: int) -> int:
        return sum(1 for c in self.cases if c.stage == stage)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cases": [c.as_dict() for c in self.cases],
            "stages": [{**s.as_dict(), "cases": self.count(s.stage)} for s in self.stages],
            "by_country": [d.as_dict("country") for d in self.by_country],
            "by_company_size": [d.as_dict("company_size") for d in self.by_company_size],
        }


# --- the stage model ------------------------------------------------------------


def stages(corpus: Corpus) -> list[Stage]:
    """The maturity stages of the model (clusters.yaml `stages`), in order."""
    listed = corpus.clusters_doc.get("stages") if isinstance(corpus.clusters_doc, dict) else None
    result: list[Stage] = []
    if isinstance(listed, list) and listed:
        for s in listed:
            if isinstance(s, dict) and isinstance(s.get("stage"), int):
                result.append(
                    Stage(
                        int(s["stage"]),
                        str(s.get("name") or f"Stage {s['stage']}"),
                        [str(c) for c in s.get("clusters") or []],
                        s.get("description"),
                        [str(c) for c in s.get("report_clusters") or []],
                        str(s["report_name"]) if s.get("report_name") else None,
                    )
                )
    else:  # a corpus whose clusters.yaml has no `stages`: group the clusters by their stage
        by_stage: dict[int, list[str]] = {}
        for cid, c in corpus.clusters.items():
            if isinstance(c.get("stage"), int):
                by_stage.setdefault(int(c["stage"]), []).append(cid)
        result = [Stage(s, f"Stage {s}", cids) for s, cids in by_stage.items()]
    return sorted(result, key=lambda s: s.stage)


def _stage(corpus: Corpus, number: int | None) -> Stage | None:
    if number is None:
        return None
    for s in stages(corpus):
        if s.stage == number:
            return s
    return Stage(number, f"Stage {number}", [])


def cluster_stage(corpus: Corpus, cluster: str | None) -> int | None:
    """The maturity stage of a cluster, or None for an unknown one."""
    if not cluster:
        return None
    stage = corpus.clusters.get(cluster, {}).get("stage")
    return int(stage) if isinstance(stage, int) else None


def next_stage(corpus: Corpus, stage: int | None) -> Stage | None:
    """The stage after `stage`, or None at the last stage."""
    if stage is None:
        return None
    later = [s for s in stages(corpus) if s.stage > stage]
    return later[0] if later else None


# --- one case ---------------------------------------------------------------


def timeline(case: Case, corpus: Corpus) -> list[Phase]:
    """The case's phases (maturity.history), ordered by phase number."""
    history = (case.data.get("maturity") or {}).get("history") or []
    phases: list[Phase] = []
    for item in history:
        if not isinstance(item, dict) or not isinstance(item.get("phase"), int):
            continue
        clusters = [str(c) for c in item.get("clusters") or []]
        found = [s for s in (cluster_stage(corpus, c) for c in clusters) if s is not None]
        raw = item.get("forces") or {}
        forces = {
            kind: {cat: _as_list((raw.get(kind) or {}).get(cat)) for cat in FORCE_CATEGORIES} for kind in FORCE_KINDS
        }
        phases.append(
            Phase(
                phase=int(item["phase"]),
                period=str(item["period"]) if item.get("period") is not None else None,
                clusters=clusters,
                stage=max(found) if found else None,
                summary=item.get("summary"),
                forces=forces,
            )
        )
    return sorted(phases, key=lambda p: p.phase)


def duplicated_tables(phases: list[Phase]) -> list[list[int]]:
    """Pairs [earlier, later] of phases whose whole force tables are identical.

    Two phases that describe different changes cannot have the same eight
    forces by chance; the report's Tables 4 and 5 are such a pair, most likely
    an error in the source. bmnav keeps the rows as printed but flags the pair.
    """
    pairs = []
    for i, later in enumerate(phases):
        if not any(t for cats in later.forces.values() for t in cats.values()):
            continue
        for earlier in phases[:i]:
            if earlier.forces == later.forces:
                pairs.append([earlier.phase, later.phase])
                break
    return pairs


def address_first(phases: list[Phase]) -> list[AddressFirst]:
    """The constraining forces of the latest phase, the most persistent first.

    A force that already constrained earlier phases has held the business
    model back longest, so it comes first; then the report's order of the
    categories (key trends, industry, market, macroeconomic). Rows of a
    phase whose table duplicates an earlier one are marked `duplicated` and
    left out: their persistence is an artefact of the copy
    (`duplicated_rows` lists them).
    """
    return [a for a in _constraints(phases) if not a.duplicated]


def duplicated_rows(phases: list[Phase]) -> list[AddressFirst]:
    """The latest phase's constraining rows that only repeat a duplicated table."""
    return [a for a in _constraints(phases) if a.duplicated]


def _constraints(phases: list[Phase]) -> list[AddressFirst]:
    if not phases:
        return []
    copies = {later for _, later in duplicated_tables(phases)}
    last = phases[-1]
    items: list[AddressFirst] = []
    for cat in FORCE_CATEGORIES:
        for text in last.forces["constraining"][cat]:
            held = [p.phase for p in phases if text in p.forces["constraining"][cat]]
            items.append(AddressFirst(cat, text, held, duplicated=last.phase in copies))
    order = {cat: i for i, cat in enumerate(FORCE_CATEGORIES)}
    return sorted(items, key=lambda a: (-len(a.phases), order[a.category]))


def next_advice(corpus: Corpus, clusters: list[str], stage_no: int | None) -> tuple[str | None, str | None, list[str]]:
    """Which path the next-stage advice follows, why, and the report's alternatives.

    The report's maturity model is Haier's path (§3.2). A case whose cluster
    lies on it (`report_clusters` of its stage) follows the report; any other
    case is placed by bmnav's generalisation, and the report's own clusters of
    the stage are given as alternatives.
    """
    if stage_no is None:
        return None, None, []
    cur = _stage(corpus, stage_no)
    nxt = next_stage(corpus, stage_no)
    if cur is None or nxt is None or not cur.report_clusters:
        return None, None, []
    on_path = [c for c in clusters if c in cur.report_clusters]
    if on_path:
        note = (
            f"follows the report's maturity path (§3.2, Haier): {cur.report_name or cur.name} "
            f"→ {nxt.report_name or nxt.name}"
        )
        return "report", note, []
    alternatives = [c for c in cur.report_clusters if c not in clusters]
    note = (
        "bmnav's generalisation: the report's path (§3.2, one company, Haier) runs through "
        f"{', '.join(cur.report_clusters)} at this stage and gives no basis for where "
        f"{', '.join(clusters) or 'this case'} leads; the report's own stage-"
        f"{cur.stage} models are the alternatives"
    )
    return "bmnav", note, alternatives


def _classification(case: Case, corpus: Corpus) -> dict[str, Any]:
    """The parts of the classifier's result (its JSON form) that place a
    profile: cluster, confidence, ranking, hybrids, maturity and the
    report's recommendations (§4) that apply to it."""
    from bmnav.classifying.classifier import classify

    full = classify(case, corpus).as_dict()
    return {
        "cluster": full.get("cluster"),
        "confidence": full.get("confidence"),
        "ranking": [
            {"cluster": r.get("cluster"), "score": r.get("score"), "confidence": r.get("confidence")}
            for r in full.get("ranking") or []
        ],
        "also": list(full.get("also") or []),
        "maturity": full.get("maturity"),
        "recommendations": list(full.get("recommendations") or []),
    }


def _classified_stage(classification: dict[str, Any] | None) -> int | None:
    if not classification:
        return None
    mat = classification.get("maturity")
    if isinstance(mat, dict) and isinstance(mat.get("stage"), int):
        return int(mat["stage"])
    return None


def case_stage(case: Case, corpus: Corpus, *, classify: bool = True) -> tuple[int | None, str | None]:
    """The case's current stage and where it comes from.

    In order: an explicit `maturity.stage` (override); the stage of the
    case's `cluster`; for a profile, the clusters of its latest phase
    (history); else the classifier's stage (classified).
    """
    override = (case.data.get("maturity") or {}).get("stage")
    if isinstance(override, int):
        return override, "override"
    by_cluster = cluster_stage(corpus, case.cluster)
    if by_cluster is not None:
        return by_cluster, "cluster"
    phases = timeline(case, corpus)
    if phases and phases[-1].stage is not None:
        return phases[-1].stage, "history"
    if classify:
        stage = _classified_stage(_classification(case, corpus))
        if stage is not None:
            return stage, "classified"
    return None, None


def trace(case: Case, corpus: Corpus) -> CaseMaturity:
    """The maturity of one case or profile (see the module docstring)."""
    phases = timeline(case, corpus)
    classification = _classification(case, corpus) if case.is_profile else None
    stage_no, source = case_stage(case, corpus, classify=False)
    if stage_no is None and classification is not None:
        stage_no = _classified_stage(classification)
        source = "classified" if stage_no is not None else None
    clusters: list[str] = [c for c in [case.cluster, *case.also] if c]
    if not clusters and phases:
        clusters = list(phases[-1].clusters)
    if not clusters and classification:
        top = [r.get("cluster") for r in classification.get("ranking") or [] if isinstance(r, dict)]
        clusters = [str(c) for c in top[:1] if c] + [str(c) for c in classification.get("also") or []]
    basis, note, alternatives = next_advice(corpus, clusters, stage_no)
    return CaseMaturity(
        case=case.id,
        name=case.name,
        company=case.company,
        profile=case.is_profile,
        clusters=clusters,
        stage=_stage(corpus, stage_no),
        stage_source=source,
        timeline=phases,
        next=next_stage(corpus, stage_no),
        address_first=address_first(phases),
        classification=classification,
        next_basis=basis,
        next_note=note,
        alternatives=alternatives,
        duplicated_tables=duplicated_tables(phases),
        duplicated_forces=duplicated_rows(phases),
    )


# --- the corpus ---------------------------------------------------------------


def _distribution(rows: list[CaseStage], key: str, numbers: list[int]) -> list[Distribution]:
    groups: dict[str, list[CaseStage]] = {}
    for r in rows:
        groups.setdefault(str(getattr(r, key) or "unknown"), []).append(r)
    result = []
    for group, members in groups.items():
        staged = [m.stage for m in members if m.stage is not None]
        result.append(
            Distribution(
                group=group,
                cases=len(members),
                stages={n: Counter(staged).get(n, 0) for n in sorted({*numbers, *staged})},
                mean_stage=round(sum(staged) / len(staged), 2) if staged else None,
            )
        )
    return sorted(result, key=lambda d: (-d.cases, d.group))


def _stage_row(case: Case, corpus: Corpus) -> CaseStage:
    """One case's row of the overview."""
    stage, source = case_stage(case, corpus, classify=False)
    return CaseStage(
        case=case.id,
        name=case.name,
        company=case.company,
        country=case.data.get("country"),
        company_size=case.data.get("company_size"),
        cluster=case.cluster,
        also=case.also,
        stage=stage,
        stage_source=source,
        phases=len(timeline(case, corpus)),
    )


#: The keys of `CaseStage.as_dict`, in order (a kept row of another shape is computed again).
_STAGE_KEYS: tuple[str, ...] = ("case", "name", "company", "country", "company_size", "cluster", "also", "stage")
_STAGE_KEYS += ("stage_source", "phases")


def _stage_row_from(kept: Any) -> dict[str, Any] | None:
    """A kept overview row (a fresh copy), or None when of another shape."""
    if not isinstance(kept, dict) or tuple(kept) != _STAGE_KEYS or not isinstance(kept["case"], str):
        return None
    if not isinstance(kept["also"], list) or not isinstance(kept["phases"], int):
        return None
    return {**kept, "also": list(kept["also"])}


def _stage_row_dict(corpus: Corpus) -> Callable[[Case], dict[str, Any]]:
    return lambda case: _stage_row(case, corpus).as_dict()


#: The record `overview` reads of each case (`Corpus.per_case`).
STAGE_ROW = "maturity-row"
#: What `overview` needs of every case, for `load_corpus(records=...)`.
OVERVIEW_RECORDS: dict[str, Recorder] = {STAGE_ROW: _stage_row_dict}


def overview(corpus: Corpus) -> MaturityOverview:
    """Every case's stage and clusters, and the stage distribution by country
    and by company size."""
    kept = corpus.per_case(STAGE_ROW, _stage_row_dict(corpus), _stage_row_from)
    rows = sorted((CaseStage(**r) for r in kept), key=lambda r: r.case)
    model = stages(corpus)
    numbers = [s.stage for s in model]
    return MaturityOverview(
        cases=rows,
        stages=model,
        by_country=_distribution(rows, "country", numbers),
        by_company_size=_distribution(rows, "company_size", numbers),
    )


@overload
def maturity(case: Case, corpus: Corpus) -> CaseMaturity: ...
@overload
def maturity(case: None, corpus: Corpus) -> MaturityOverview: ...
def maturity(case: Case | None, corpus: Corpus) -> CaseMaturity | MaturityOverview:
    """One case's maturity (`trace`), or the corpus overview when `case` is None.

    >>> m = maturity(corpus.get("haier-cosmoplat"), corpus)   # doctest: +SKIP
    >>> [p.clusters for p in m.timeline]
    [['efficiency'], ['marketplace', 'data-trustee'], ['mass-customisation']]
    """
    if case is None:
        return overview(corpus)
    return trace(case, corpus)
