"""The data of a case card (`bmnav show`): everything about one case in one dict.

`card(case, corpus)` gathers the four business-model questions, the grid of
what changed, the offering facts, roles, flows grouped by kind, metrics,
position and sources into a JSON-ready dict. The CLI renders it with Rich;
`--format json` prints it as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bmnav.domain.model import QUESTIONS, Case, role_basics
from bmnav.domain.network import FLOW_KINDS

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus, Recorder

__all__ = ["OFFERING_FACTS", "QUESTION_LABELS", "card", "case_row", "list_rows", "select_cases"]

QUESTION_LABELS = {
    "who": "Who: customers",
    "what": "What: value proposition",
    "how": "How: value chain",
    "value": "Value: revenue mechanism",
}
OFFERING_FACTS = ("access", "revenue", "ownership", "customer_involvement", "data_sharing")


def card(
    case: Case, corpus: Corpus | None = None, *, metrics_of: Callable[[Case], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The case card of `case` as a dict (keys in docs/networks.md).

    `corpus` supplies cluster names and the position constants; without it
    the defaults are used. `metrics_of` computes the metrics (default:
    `bmnav.domain.metrics.metrics`; `bmnav show` passes the cached
    `bmnav.storage.corpus_index.cached_metrics`).
    """
    from bmnav.domain.metrics import metrics
    from bmnav.domain.positions import position

    case = case.snapshot()  # roles and flows are used by every part of the card
    d = case.data
    clusters = corpus.clusters if corpus is not None else {}
    cluster = case.cluster
    bm = d.get("business_model") or {}
    changes = d.get("changes") or {}
    roles = case.roles
    flows = case.flows
    names = {r.id: r.name for r in roles}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for i, f in enumerate(flows):
        item: dict[str, Any] = {"index": i, "from": f.source, "to": f.target, "what": f.what}
        if f.amount is not None:
            item["amount"] = f.amount
        item["from_name"] = names.get(f.source, f.source)
        item["to_name"] = names.get(f.target, f.target)
        grouped.setdefault(f.kind, []).append(item)
    order = [k for k in FLOW_KINDS if k in grouped] + sorted(k for k in grouped if k not in FLOW_KINDS)
    try:
        pos: dict[str, Any] | None = position(case, corpus).as_dict()
    except Exception as exc:  # a profile without facts has no position; the card still shows
        pos = {"error": str(exc)}
    return {
        **case.identity(),
        "cluster": cluster,
        "cluster_name": (clusters.get(cluster) or {}).get("name") if cluster else None,
        "also": case.also,
        "summary": d.get("summary"),
        "business_model": {q: bm.get(q) for q in QUESTIONS},
        "changes": {q: changes.get(q) for q in QUESTIONS},
        "offering": {k: case.offering.get(k) for k in OFFERING_FACTS},
        "technologies": case.technologies,
        "other_technologies": list(d.get("other_technologies") or []),
        "patterns": case.patterns,
        "roles": [
            {
                "id": r.id,
                **role_basics(r),
                "count_range": list(r.count_range) if r.count_range else None,
                "counts": r.counts,
                "changes": dict(r.changes) if r.changes else None,
                "focal": r.id == case.focal,
            }
            for r in roles
        ],
        "flows": {k: grouped[k] for k in order},
        "metrics": (metrics_of or metrics)(case),
        "position": pos,
        "sources": [dict(s) for s in d.get("sources") or []],
        "path": case.path,
    }


def select_cases(
    corpus: Corpus,
    *,
    cluster: str | None = None,
    country: str | None = None,
    size: str | None = None,
    origin: str | None = None,
) -> list[Case]:
    """The corpus's cases matching every filter given, sorted by id.

    `cluster` matches a case's cluster or one of its `also` clusters (an id
    or a name); `country` is compared case-insensitively; `origin` is the
    contract's report | public-sources | client.
    """
    cid = corpus.resolve_cluster(cluster) if cluster else None
    chosen = []
    for case in sorted(corpus, key=lambda c: c.id):
        if cid and case.cluster != cid and cid not in case.also:
            continue
        if country and str(case.data.get("country", "")).upper() != country.strip().upper():
            continue
        if size and case.data.get("company_size") != size:
            continue
        if origin and case.origin != origin:
            continue
        chosen.append(case)
    return chosen


#: The keys of a `case_row`, in order (a kept row of another shape is computed again).
ROW_KEYS: tuple[str, ...] = ("id", "name", "company", "country", "company_size", "industry", "year", "cluster")
ROW_KEYS += ("also", "origin", "roles", "flows", "path")


def list_rows(
    corpus: Corpus,
    *,
    cluster: str | None = None,
    country: str | None = None,
    size: str | None = None,
    origin: str | None = None,
) -> list[dict[str, Any]]:
    """`case_row` of every case `select_cases` chooses, in its order (by id).

    The rows and the country each is filtered by are kept in the cache per
    case (`Corpus.per_case`), so a repeated `list` does not read the cases."""
    cid = corpus.resolve_cluster(cluster) if cluster else None
    want = country.strip().upper() if country else None
    chosen = []
    for row, country_key in sorted(corpus.per_case(LIST_ROW, _list_entry, _list_entry_from), key=_by_id):
        if cid and row["cluster"] != cid and cid not in row["also"]:
            continue
        if want and country_key != want:
            continue
        if size and row["company_size"] != size:
            continue
        if origin and row["origin"] != origin:
            continue
        chosen.append(row)
    return chosen


def _by_id(entry: list[Any]) -> str:
    return str(entry[0]["id"])


def _list_entry(case: Case) -> list[Any]:
    """A case's row and the country `select_cases` compares (as it reads it):
    a list, as the cache keeps it."""
    return [case_row(case), str(case.data.get("country", "")).upper()]


#: The record `list_rows` reads of each case (`Corpus.per_case`).
LIST_ROW = "list-row"
#: What `list_rows` needs of every case, for `load_corpus(records=...)`.
LIST_RECORDS: dict[str, Recorder] = {LIST_ROW: lambda corpus: _list_entry}


def _list_entry_from(kept: Any) -> list[Any] | None:
    """A kept entry as `_list_entry` gave it (a fresh copy), or None when of another shape."""
    if not (isinstance(kept, list) and len(kept) == 2 and isinstance(kept[0], dict) and isinstance(kept[1], str)):
        return None
    row = kept[0]
    if tuple(row) != ROW_KEYS or not isinstance(row["also"], list) or not isinstance(row["id"], str):
        return None
    return [{**row, "also": list(row["also"])}, kept[1]]


def case_row(case: Case) -> dict[str, Any]:
    """One line of `bmnav list`: the case's identifying facts."""
    network = case.data.get("network") or {}
    return {
        **case.identity(),
        "cluster": case.cluster,
        "also": case.also,
        "origin": case.origin,
        # counted from the data: building every Role and Flow cost more than the rest of `list`
        "roles": len(network.get("roles") or []),
        "flows": len(network.get("flows") or []),
        "path": case.path,
    }
