"""Place a company among the six clusters, say how sure that is, and why.

The model is data: each cluster in `data/clusters.yaml` lists `evidence`
items `{fact, is, weight, why}`, and the top-level `classify:` key holds the
constants. A profile's known facts (`bmnav.classifying.classify_facts.facts_of`) switch
evidence items on; a cluster's points are the sum of the weights of its
matching items, and the scores are a softmax of the points, so the six sum
to 1. Unknown facts switch nothing on: they lower the confidence and are
ranked as missing facts by how much knowing them could change the answer.

Plain functions over plain data; no printing, no Rich (see
`bmnav.render.classify`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmnav.classifying.classify_facts import CUE_FACT, FactSpec, fact_specs, facts_of, matches
from bmnav.domain.model import Case
from bmnav.storage.corpus import Corpus

if TYPE_CHECKING:
    from bmnav.storage.corpus_index import ProfileCache

DEFAULTS: dict[str, Any] = {
    "temperature": 1.5,
    "hybrid_margin": 0.2,
    "also_min_score": 0.15,
    # without a fitted model (data/model.yaml): thresholds on the top score
    "thresholds": {"high": 0.8, "medium": 0.5},
    "coverage_weights": {},
    "similarity_weights": {},
    "missing_facts": 5,
}


#: The confidence when no known fact speaks for or against any cluster.
INSUFFICIENT = "insufficient"


def _model_file(corpus: Corpus) -> dict[str, Any] | None:
    """data/model.yaml of the data folder, or the bundled one when the folder
    uses the bundled clusters.yaml; None for a folder with its own clusters.yaml
    and no model of its own (its evidence is then used as written)."""
    from bmnav.storage.datafiles import model_data
    from bmnav.storage.resources import bundled_data_dir

    root = corpus.datadir.root
    if (root / "model.yaml").is_file():
        return model_data(root)
    if corpus.datadir.clusters.resolve() != (bundled_data_dir() / "clusters.yaml").resolve():
        return None
    return model_data()


@dataclass(frozen=True)
class Evidence:
    fact: str
    expected: Any
    weight: float
    why: str
    source: str = ""

    def as_dict(self, value: Any = None) -> dict[str, Any]:
        d = {"fact": self.fact, "is": self.expected, "weight": self.weight, "why": self.why}
        if self.source:
            d["source"] = self.source
        if value is not None:
            d["value"] = value
        return d


@dataclass
class Model:
    """The evidence model and constants read from clusters.yaml."""

    clusters: dict[str, dict[str, Any]]
    evidence: dict[str, list[Evidence]]
    specs: dict[str, FactSpec]
    constants: dict[str, Any]
    stages: list[dict[str, Any]]
    recommendations: list[dict[str, Any]]

    @classmethod
    def from_corpus(cls, corpus: Corpus, *, fitted: bool = True) -> Model:
        """The fitted model (data/model.yaml) when one belongs to this data, else
        the report-based evidence of clusters.yaml as it is (`fitted=False`)."""
        doc = corpus.clusters_doc or {}
        constants = {**DEFAULTS, **(doc.get("classify") or {})}
        fit = _model_file(corpus) if fitted else None
        if fit is not None:
            evidence = cls.from_doc(corpus, fit).evidence
            constants["temperature"] = float(fit.get("temperature", 1.0))
            constants["prior_strength"] = float((fit.get("trained_on") or {}).get("prior_strength", 1.0))
            constants["thresholds"] = dict(fit.get("confidence") or {})
            constants["intercepts"] = {str(k): float(v) for k, v in (fit.get("intercepts") or {}).items()}
            text = fit.get("text") or {}
            if text:
                constants["text_temperature"] = float(text.get("temperature", 1.0))
                if text.get("confidence"):
                    constants["text_thresholds"] = dict(text["confidence"])
                scale = float(text.get("cue_scale", 1.0))
                for key in ("text_cue_weight", "text_similarity_weight"):
                    constants[key] = float(constants.get(key, 0.0)) * scale
        else:
            evidence = {
                cid: [
                    Evidence(str(e["fact"]), e.get("is"), float(e["weight"]), str(e.get("why", "")), "report")
                    for e in c.get("evidence") or []
                ]
                for cid, c in corpus.clusters.items()
            }
        return cls(
            dict(corpus.clusters),
            evidence,
            fact_specs(corpus.vocab),
            constants,
            list(doc.get("stages") or []),
            list(doc.get("recommendations") or []),
        )

    @classmethod
    def from_doc(cls, corpus: Corpus, doc: dict[str, Any]) -> Model:
        """A model whose evidence is the `evidence:` of a model file (data/model.yaml)."""
        evidence = {
            cid: [
                Evidence(
                    str(e["fact"]), e.get("is"), float(e["weight"]), str(e.get("why", "")), str(e.get("source", ""))
                )
                for e in (doc.get("evidence") or {}).get(cid) or []
            ]
            for cid in corpus.clusters
        }
        return cls(dict(corpus.clusters), evidence, fact_specs(corpus.vocab), dict(DEFAULTS), [], [])

    def groups(self) -> dict[str, float]:
        """Fact groups used for coverage, with their weights."""
        weights = dict(self.constants.get("coverage_weights") or {})
        if weights:
            return {str(k): float(v) for k, v in weights.items()}
        return {spec.group: 1.0 for spec in self.specs.values()}


@dataclass
class ClusterScore:
    cluster: str
    name: str
    score: float
    points: float
    confidence: str
    evidence_for: list[dict[str, Any]] = field(default_factory=list)
    evidence_against: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "cluster": self.cluster,
            "name": self.name,
            "score": round(self.score, 4),
            "points": round(self.points, 3),
            "confidence": self.confidence,
            "evidence": {"for": self.evidence_for, "against": self.evidence_against},
        }


@dataclass
class ClassificationResult:
    """What `classify` returns; `as_dict()` is the documented JSON shape."""

    profile: str
    name: str
    ranking: list[ClusterScore]
    confidence: str
    coverage: float
    also: list[str]
    missing_facts: list[dict[str, Any]]
    similar: list[dict[str, Any]]
    maturity: dict[str, Any]
    recommendations: list[dict[str, Any]]
    facts: dict[str, Any]
    position: dict[str, Any] | None = None
    extracted: dict[str, Any] | None = None
    path: str | None = None

    @property
    def cluster(self) -> str:
        return self.ranking[0].cluster

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "profile": self.profile,
            "name": self.name,
            "path": self.path,
            "cluster": None if self.confidence == INSUFFICIENT else self.cluster,
            "confidence": self.confidence,
            "coverage": round(self.coverage, 3),
            "ranking": [r.as_dict() for r in self.ranking],
            "also": self.also,
            "missing_facts": self.missing_facts,
            "similar": self.similar,
            "maturity": self.maturity,
            "recommendations": self.recommendations,
            "facts": self.facts,
            "position": self.position,
        }
        if self.extracted is not None:
            d["extracted"] = self.extracted
        return d


# ---------------------------------------------------------------- scoring


def points(facts: dict[str, Any], model: Model) -> dict[str, float]:
    """Summed weights of the matching evidence, per cluster."""
    out: dict[str, float] = {}
    intercepts = model.constants.get("intercepts") or {}
    for cid, items in model.evidence.items():
        total = float(intercepts.get(cid, 0.0))
        for e in items:
            if (
                e.fact in facts
                and e.fact in model.specs
                and matches(facts[e.fact], model.specs[e.fact].kind, e.expected)
            ):
                total += e.weight
        out[cid] = total
    if CUE_FACT in facts:  # free text only: the reader's modules load only then
        from bmnav.classifying.textcues import cue_points

        for cid, extra in cue_points(facts, model.constants).items():
            if cid in out:
                out[cid] += extra
    return out


def softmax(pts: dict[str, float], temperature: float) -> dict[str, float]:
    t = temperature if temperature > 0 else 1.0
    top = max(pts.values()) if pts else 0.0
    exp = {k: math.exp((v - top) / t) for k, v in pts.items()}
    total = sum(exp.values()) or 1.0
    return {k: v / total for k, v in exp.items()}


def scores(facts: dict[str, Any], model: Model) -> dict[str, float]:
    """Per cluster a score in 0..1; the scores sum to 1. Notes (facts with text
    cues) have their own temperature, fitted on labelled notes."""
    key = "text_temperature" if CUE_FACT in facts and "text_temperature" in model.constants else "temperature"
    return softmax(points(facts, model), float(model.constants[key]))


def coverage(facts: dict[str, Any], model: Model) -> float:
    """Weighted share of the fact groups that are known."""
    groups = model.groups()
    known = {model.specs[f].group if f in model.specs else f for f in facts}
    total = sum(groups.values()) or 1.0
    return sum(w for g, w in groups.items() if g in known) / total


def _ranked(sc: dict[str, float]) -> list[str]:
    return sorted(sc, key=lambda c: (-sc[c], c))


def _level(score: float, constants: dict[str, Any], *, text: bool = False) -> str:
    """high / medium / low from a cluster's calibrated score alone, so the labels
    follow the scores (thresholds: data/model.yaml, read off cross-validation;
    notes, `text=True`, have their own, read off the notes' held-out answers)."""
    thresholds = (constants.get("text_thresholds") if text else None) or constants.get("thresholds")
    thresholds = thresholds or DEFAULTS["thresholds"]
    if score >= float(thresholds.get("high", 1.0)):
        return "high"
    if score >= float(thresholds.get("medium", 1.0)):
        return "medium"
    return "low"


def informed(facts: dict[str, Any], model: Model) -> bool:
    """Does any evidence item (or the text cues) speak to these facts? If not,
    the scores are the intercepts alone and no cluster can be named."""
    if facts.get(CUE_FACT):
        return True
    return any(
        e.fact in facts and e.fact in model.specs and matches(facts[e.fact], model.specs[e.fact].kind, e.expected)
        for items in model.evidence.values()
        for e in items
    )


def _evidence(facts: dict[str, Any], model: Model, cid: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    pro: list[dict[str, Any]] = []
    con: list[dict[str, Any]] = []
    for e in model.evidence.get(cid, []):
        if e.fact in facts and e.fact in model.specs and matches(facts[e.fact], model.specs[e.fact].kind, e.expected):
            value = facts[e.fact]
            if isinstance(value, list):  # show only the listed values that matched
                wanted = e.expected if isinstance(e.expected, list) else [e.expected]
                value = [v for v in value if v in wanted]
            (pro if e.weight > 0 else con).append(e.as_dict(value))
    if CUE_FACT in facts:
        from bmnav.classifying.textcues import cue_evidence

        cue = cue_evidence(facts, cid, model.constants)
        if cue is not None:
            pro.append(cue)
    pro.sort(key=lambda d: -d["weight"])
    con.sort(key=lambda d: d["weight"])
    return pro, con


def _hypotheticals(spec: FactSpec) -> list[Any]:
    if spec.kind == "set":
        return [[v] for v in spec.values]
    return list(spec.values)


def missing_facts(facts: dict[str, Any], model: Model, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Unknown facts ranked by how far knowing them could move the answer.

    For each unknown fact that some evidence tests, every possible value is
    tried; `impact` is the largest change of the margin between the current
    first and second cluster, and `could_change_to` lists the clusters that
    some value would put first. The text cues are left out: they are read
    already, and the questions are about the facts.
    """
    facts = {k: v for k, v in facts.items() if k != CUE_FACT}
    sc = scores(facts, model)
    order = _ranked(sc)
    first, second = order[0], order[1] if len(order) > 1 else order[0]
    margin = sc[first] - sc[second]
    used = {e.fact for items in model.evidence.values() for e in items}
    out: list[dict[str, Any]] = []
    for name in sorted(used - set(facts)):
        spec = model.specs.get(name)
        if spec is None:
            continue
        swing = 0.0
        flips: set[str] = set()
        for value in _hypotheticals(spec):
            alt = scores({**facts, name: value}, model)
            swing = max(swing, abs((alt[first] - alt[second]) - margin))
            top = _ranked(alt)[0]
            if top != first:
                flips.add(top)
        if swing > 0.005:
            out.append(
                {
                    "fact": name,
                    "impact": round(swing, 3),
                    "could_change_to": sorted(flips),
                    "question": spec.question,
                }
            )
    out.sort(key=lambda d: (not d["could_change_to"], -d["impact"], d["fact"]))
    if not any(f.startswith("network.") and f != "network.focal_type" for f in facts):
        # no network known at all: one entry for it, as roles and flows are described together
        net = [d for d in out if d["fact"].startswith("network.") and d["fact"] != "network.focal_type"]
        if net:
            merged = {
                "fact": "network",
                "impact": max(d["impact"] for d in net),
                "could_change_to": sorted({c for d in net for c in d["could_change_to"]}),
                "question": "What are the roles of the value network and what flows between them "
                "(suppliers, buyers, owners, data users; goods, data, money)?",
            }
            out = [d for d in out if d not in net] + [merged]
            out.sort(key=lambda d: (not d["could_change_to"], -d["impact"], d["fact"]))
    n = int(model.constants.get("missing_facts", 5)) if limit is None else limit
    return out[:n]


# ---------------------------------------------------------------- similar cases


def _fact_similarity(a: Any, b: Any) -> float:
    if isinstance(a, list) or isinstance(b, list):
        sa = set(a if isinstance(a, list) else [a])
        sb = set(b if isinstance(b, list) else [b])
        if not sa and not sb:
            return 1.0
        return len(sa & sb) / len(sa | sb) if sa | sb else 0.0
    return 1.0 if a == b else 0.0


def _plan(facts: dict[str, Any], model: Model) -> list[tuple[float, str, list[str]]]:
    """(weight, group, fact names) of the groups the facts know, weighted above 0."""
    weights = {str(k): float(v) for k, v in (model.constants.get("similarity_weights") or {}).items()}
    groups: dict[str, list[str]] = {}
    for name in facts:
        spec = model.specs.get(name)
        if spec is None:
            continue
        groups.setdefault(spec.group, []).append(name)
    return [(weights.get(g, 1.0), g, names) for g, names in groups.items() if weights.get(g, 1.0) > 0]


_ABSENT = object()


def _scorer(plan: list[tuple[float, str, list[str]]], facts: dict[str, Any]) -> Callable[[dict[str, Any]], float]:
    """A function of another fact set giving its similarity to `facts`
    (the same value as `_fact_similarity` summed per group; prepared once,
    applied to every corpus case)."""
    prepared = [
        (w, len(names), [(n, facts[n], set(facts[n]) if isinstance(facts[n], list) else None) for n in names])
        for w, _, names in plan
    ]
    total = sum(w for w, _, _ in prepared)

    def score(other: dict[str, Any]) -> float:
        if not total:
            return 0.0
        got = 0.0
        for w, n, items in prepared:
            part = 0.0
            for name, a, sa in items:
                b = other.get(name, _ABSENT)
                if b is _ABSENT:
                    continue
                if sa is None and not isinstance(b, list):
                    if a == b:
                        part += 1.0
                    continue
                left = sa if sa is not None else {a}
                right = set(b) if isinstance(b, list) else {b}
                union = len(left | right)
                part += len(left & right) / union if union else 1.0
            got += w * part / n
        return got / total

    return score


def _shared(plan: list[tuple[float, str, list[str]]], facts: dict[str, Any], other: dict[str, Any]) -> list[str]:
    shared: list[str] = []
    for _, group, names in plan:
        for name in names:
            if name not in other:
                continue
            if isinstance(facts[name], list):
                common = sorted(set(facts[name]) & set(other[name] if isinstance(other[name], list) else []))
                if common:
                    shared.append(f"{name}: {', '.join(common)}")
            elif _fact_similarity(facts[name], other[name]) == 1.0:
                if group != "network":
                    shared.append(f"{name}={_show(facts[name])}")
                elif facts[name] is True:
                    shared.append(name)
    return shared


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def corpus_summaries(corpus: Corpus) -> list[dict[str, Any]]:
    """{case, name, company, cluster, section, facts} of every corpus case.

    From the index when the corpus came from `bmnav.storage.corpus_index`; otherwise
    computed, and memoised on the corpus (leave-one-out classifies every case
    against all the others, so each case's facts are computed once).
    """
    summaries: list[dict[str, Any]] | None = getattr(corpus, "summaries", None)
    if summaries is not None:
        return summaries
    memo: dict[str, tuple[Case, dict[str, Any]]] = vars(corpus).setdefault("_summaries_memo", {})
    out = []
    for case in corpus:
        hit = memo.get(case.id)
        if hit is None or hit[0] is not case:
            hit = (
                case,
                {
                    "case": case.id,
                    "name": case.name,
                    "company": case.company,
                    "cluster": case.cluster,
                    "section": case.section,
                    "facts": facts_of(case, data_dir=corpus.datadir.root),
                },
            )
            memo[case.id] = hit
        out.append(hit[1])
    return out


def similar_cases(
    facts: dict[str, Any], corpus: Corpus, model: Model, *, top: int = 3, exclude: str | None = None
) -> list[dict[str, Any]]:
    """The `top` corpus cases most like these facts (a case never resembles itself)."""
    plan = _plan(facts, model)
    score = _scorer(plan, facts)
    scored = [
        (round(score(s["facts"]), 3), s) for s in corpus_summaries(corpus) if exclude is None or s["case"] != exclude
    ]
    best = heapq.nsmallest(top, scored, key=lambda t: (-t[0], t[1]["case"])) if top > 0 else []
    return [
        {
            "case": s["case"],
            "name": s["name"],
            "company": s["company"],
            "cluster": s["cluster"],
            "similarity": sim,
            "shared": _shared(plan, facts, s["facts"]),
            "section": s["section"],
        }
        for sim, s in best
    ]


# ---------------------------------------------------------------- maturity, recommendations


def maturity(case: Case | None, cluster: str, model: Model) -> dict[str, Any]:
    """The maturity stage (the profile's own, else its cluster's) and the next stage."""
    override = ((case.data.get("maturity") or {}).get("stage")) if case is not None else None
    stage = int(override) if isinstance(override, int) else int(model.clusters[cluster].get("stage", 1))
    by_stage = {int(s["stage"]): s for s in model.stages if isinstance(s, dict) and "stage" in s}
    cur = by_stage.get(stage, {})
    nxt = by_stage.get(stage + 1)
    return {
        "stage": stage,
        "name": cur.get("name"),
        "from": "profile" if isinstance(override, int) else "cluster",
        "next": int(nxt["stage"]) if nxt else None,
        "next_name": nxt.get("name") if nxt else None,
        "next_clusters": list(nxt.get("clusters") or []) if nxt else [],
    }


def recommendations(facts: dict[str, Any], clusters: list[str], stage: int, model: Model) -> list[dict[str, Any]]:
    """The §4 recommendations whose `when` holds for this profile (every condition must hold)."""
    context: dict[str, Any] = {
        "company_size": facts.get("company_size"),
        "stage": stage,
        "cluster": clusters,
        "data_sharing": facts.get("offering.data_sharing"),
        "access": facts.get("offering.access"),
        "ownership": facts.get("offering.ownership"),
        "customer_involvement": facts.get("offering.customer_involvement"),
    }
    out = []
    for rec in model.recommendations:
        when = rec.get("when") or {}
        if not isinstance(when, dict):
            continue
        because = []
        ok = True
        for key, expected in when.items():
            if key == "always":
                ok = ok and bool(expected)
                continue
            wanted = expected if isinstance(expected, list) else [expected]
            have = context.get(key)
            hit = any(v in wanted for v in have) if isinstance(have, list) else have in wanted
            if not hit:
                ok = False
                break
            shown = [h for h in have if h in wanted] if isinstance(have, list) else have
            because.append(f"{key}={shown[0] if isinstance(shown, list) else shown}")
        if ok:
            out.append(
                {
                    "id": rec.get("id"),
                    "section": f"§{rec.get('section')}",
                    "title": rec.get("title"),
                    "text": " ".join(str(rec.get("text", "")).split()),
                    # whom the report addresses; advice for a company derived from a policy
                    # recommendation is bmnav's reading, not the report's
                    "addressee": rec.get("addressee"),
                    "company_reading": " ".join(str(rec["company_reading"]).split())
                    if rec.get("company_reading")
                    else None,
                    "because": ", ".join(because) or "always",
                }
            )
    # specific advice first, the general advice after it
    out.sort(key=lambda r: r["because"] == "always")
    return out


def _position(case: Case | None, corpus: Corpus) -> dict[str, Any] | None:
    """The profile's place on the report's map (`bmnav.domain.positions`), or None without a case file."""
    if case is None:
        return None
    from bmnav.checking.problems import BmnavError
    from bmnav.domain.positions import position

    try:
        pos = position(case, corpus)
    except BmnavError:  # too few facts to place it; the classification still stands
        return None
    size = round(pos.ecosystem_size, 3) if pos.size_known else None  # unknown without a network, not zero
    return {"openness": round(pos.openness, 3), "ecosystem_size": size, "manual": pos.manual}


# ---------------------------------------------------------------- the public API


def classify_facts(
    facts: dict[str, Any],
    corpus: Corpus,
    *,
    case: Case | None = None,
    top: int = 3,
    exclude: str | None = None,
    name: str = "",
    model: Model | None = None,
) -> ClassificationResult:
    """Classify a set of known facts (from a profile, free text or the questionnaire)."""
    model = model or Model.from_corpus(corpus)
    sc = scores(facts, model)
    pts = points(facts, model)
    order = _ranked(sc)
    cov = coverage(facts, model)
    first = order[0]
    text = CUE_FACT in facts
    overall = _level(sc[first], model.constants, text=text) if informed(facts, model) else INSUFFICIENT
    also = [
        c
        for c in order[1:]
        if sc[first] - sc[c] <= float(model.constants["hybrid_margin"])
        and sc[c] >= float(model.constants["also_min_score"])
    ]
    ranking = []
    for i, cid in enumerate(order):
        pro, con = _evidence(facts, model, cid)
        conf = (
            overall
            if i == 0
            else _level(sc[cid], model.constants, text=text)
            if overall != INSUFFICIENT
            else INSUFFICIENT
        )
        ranking.append(ClusterScore(cid, str(model.clusters[cid].get("name", cid)), sc[cid], pts[cid], conf, pro, con))
    mat = maturity(case, first, model)
    return ClassificationResult(
        profile=case.id if case is not None else name,
        name=case.name if case is not None else name,
        ranking=ranking,
        confidence=overall,
        coverage=cov,
        also=also,
        missing_facts=missing_facts(facts, model),
        similar=similar_cases(facts, corpus, model, top=top, exclude=exclude),
        maturity=mat,
        recommendations=recommendations(facts, [first, *also], int(mat["stage"]), model),
        facts=facts,
        position=_position(case, corpus),
        path=case.path if case is not None else None,
    )


def classify(
    profile: Case,
    corpus: Corpus,
    *,
    top: int = 3,
    exclude: str | None = None,
    model: Model | None = None,
    facts: dict[str, Any] | None = None,
) -> ClassificationResult:
    """Classify a case or profile among the clusters of the corpus's model.

    Its `cluster`, if any, is ignored; `exclude` leaves a corpus case out of
    the similar cases (leave-one-out). `facts` are the profile's facts when
    already known (`bmnav classify` takes its network features from a cache);
    by default `facts_of(profile)`.
    """
    known = facts if facts is not None else facts_of(profile, data_dir=corpus.datadir.root)
    return classify_facts(known, corpus, case=profile, top=top, exclude=exclude, model=model)


def load_profile(path: str | Path, corpus: Corpus | None = None, *, profiles: ProfileCache | None = None) -> Case:
    """Read and check a profile file (`cluster` optional); schema errors raise
    `BmnavError` with validate's problems and lines.

    A profile that loads without errors is kept in the cache
    (`bmnav.storage.corpus_index.ProfileCache`, never stale, off with `BMNAV_NO_CACHE`),
    so reading it again needs neither PyYAML nor the schema checks; one with
    errors is always read and checked afresh. `profiles` shares one store
    over many files (the caller saves it); by default each call saves its own.
    """
    from bmnav.storage.corpus_index import ProfileCache

    if corpus is None:
        from bmnav.storage.corpus import load_corpus

        corpus = load_corpus()
    if profiles is not None:
        return profiles.load(path, corpus.vocab)
    own = ProfileCache()
    profile = own.load(path, corpus.vocab)
    own.save()
    return profile
