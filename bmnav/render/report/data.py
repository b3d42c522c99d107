"""What goes into a report: one JSON-ready dict built from a case and the corpus.

The renderers (`html_doc`, `markdown_doc`) read only this dict and the corpus'
clusters and labels, so the JSON of `bmnav report --format json` is exactly
what the HTML and the Markdown show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bmnav.domain.model import Case

if TYPE_CHECKING:
    from bmnav.domain.labels import Labels
    from bmnav.storage.corpus import Corpus

#: The report's sections: (anchor id, heading), in order.
SECTIONS = (
    ("card", "The case"),
    ("network", "Value network"),
    ("position", "Position: openness and ecosystem size"),
    ("classification", "Classification"),
    ("maturity", "Maturity path"),
    ("sources", "Sources"),
)
#: What `--omit` may leave out: a whole section, or a part of one.
PARTS = ("evidence", "missing", "similar", "recommendations")
#: The consultant's notes (`--notes`): a section before the others, only when given.
NOTES = ("notes", "Notes")
OMITTABLE = (NOTES[0], *(sid for sid, _ in SECTIONS), *PARTS)
#: Evidence items shown per side; the JSON keeps them all.
EVIDENCE_SHOWN = 5
QUESTION_LABELS = {
    "who": "Who: customers",
    "what": "What: value proposition",
    "how": "How: value chain",
    "value": "Value: revenue mechanism",
}


def build_report(case: Case, corpus: Corpus) -> dict[str, Any]:
    """Everything the report shows, as a JSON-ready dict.

    Keys: `case` (the case card), `classification` (the classifier's result;
    a corpus case is classified with its own cluster ignored and itself left
    out of the similar cases), `recorded_cluster` (the case's own `cluster`,
    None for a profile), `maturity` (the maturity path), `position` (the
    case's position, or None when it has too few facts) and `map` (the
    positions of the corpus cases and this one).
    """
    from bmnav.classifying.classifier import classify
    from bmnav.domain.cards import card
    from bmnav.domain.evolution import maturity

    case = case.snapshot()  # the graph, facts and position, once for every section
    exclude = case.id if case.id in corpus.cases and not case.is_profile else None
    result = classify(case, corpus, exclude=exclude)
    own = _position_or_none(case, corpus)
    points = [p for other in sorted(corpus, key=lambda c: c.id) if other.id != case.id for p in _placed(other, corpus)]
    if own is not None:
        points.append(own)
    return {
        "id": case.id,
        "name": case.name,
        "profile": case.is_profile,
        "recorded_cluster": case.cluster,
        "case": card(case, corpus),
        "classification": result.as_dict(),
        "maturity": maturity(case, corpus).as_dict(),
        "position": own,
        "map": points,
    }


def _position_or_none(case: Case, corpus: Corpus) -> dict[str, Any] | None:
    """The case's position as a dict, or None when it has too few facts to place."""
    from bmnav.checking.problems import BmnavError
    from bmnav.domain.positions import position

    try:
        return position(case, corpus).as_dict()
    except BmnavError:
        return None


def _placed(case: Case, corpus: Corpus) -> list[dict[str, Any]]:
    """The case's position as a one-item list, or an empty one (for the map)."""
    own = _position_or_none(case, corpus)
    return [] if own is None else [own]


def case_from_report(report: dict[str, Any]) -> Case:
    """A case rebuilt from the report's card, so the network is drawn from the
    report alone (the card lists flows by kind; the file order is `index`)."""
    c = report["case"]
    flows = []
    for kind, items in (c.get("flows") or {}).items():
        for f in items:
            flow = {"from": f["from"], "to": f["to"], "kind": kind, "what": f.get("what")}
            if f.get("amount") is not None:
                flow["amount"] = f["amount"]
            flows.append((f["index"], flow))
    focal = next((r["id"] for r in c.get("roles") or [] if r.get("focal")), None)
    roles = [
        {k: r[k] for k in ("id", "name", "type", "actor", "external", "count") if r.get(k) is not None}
        for r in c.get("roles") or []
    ]
    data: dict[str, Any] = {"id": c["id"], "name": c["name"]}
    if roles:
        data["network"] = {"focal": focal, "roles": roles, "flows": [f for _, f in sorted(flows, key=lambda t: t[0])]}
    return Case(data, c.get("path"))


def evidence_shown(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The strongest items of one side of the evidence, at most `EVIDENCE_SHOWN`."""
    return sorted(items, key=lambda e: -abs(float(e["weight"])))[:EVIDENCE_SHOWN]


def cluster_name(clusters: dict[str, Any], cid: str | None) -> str:
    """A cluster's name for people ("" for none, the id for an unknown one)."""
    if not cid:
        return ""
    return str((clusters.get(cid) or {}).get("name", cid))


def plain(value: Any) -> str:
    """A value as words on one line: None as nothing, booleans as yes/no, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class View:
    """What each section's renderer reads: the report, the corpus' clusters and
    the words for facts, and the sections and parts the consultant left out."""

    report: dict[str, Any]
    clusters: dict[str, Any]
    labels: Labels
    omitted: frozenset[str]

    @classmethod
    def of(cls, report: dict[str, Any], corpus: Corpus, notes: str | None, omit: tuple[str, ...] | list[str]) -> View:
        """The view for one rendering; the notes section is left out when there are no notes."""
        from bmnav.domain.labels import labels_for

        omitted = set(omit) | ({"notes"} if not (notes or "").strip() else set())
        return cls(report, corpus.clusters, labels_for(corpus), frozenset(omitted))

    @property
    def card(self) -> dict[str, Any]:
        return self.report["case"]  # type: ignore[no-any-return]

    @property
    def cls(self) -> dict[str, Any]:
        return self.report["classification"]  # type: ignore[no-any-return]

    @property
    def mat(self) -> dict[str, Any]:
        return self.report["maturity"]  # type: ignore[no-any-return]

    def shows(self, part: str) -> bool:
        """Whether a section or part is in the report: not named by `--omit`, and
        not empty (a case without sources has no Sources section)."""
        if part == "sources" and not self.card.get("sources"):
            return False
        return part not in self.omitted
