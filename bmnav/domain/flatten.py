"""The corpus flattened into tables for pandas, R and spreadsheets (`bmnav export`).

Three tables, each a list of flat records with a fixed column order
(documented in docs/export.md):

* `case_rows`: one row per case: identity, cluster and stage, position,
  offering facts, what changed, technologies and patterns, network metrics.
* `role_rows`: one row per role of every case (a long table of the networks).
* `flow_rows`: one row per flow of every case.

Values stay typed (lists, booleans, numbers, None) so that JSON keeps them;
`to_csv` joins lists with ";" and writes booleans as true/false and None as
an empty cell. Everything is deterministic: cases sorted by id, roles and
flows in file order.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from bmnav.domain.model import HEAD_KEYS, QUESTIONS, Case, role_basics
from bmnav.domain.network import FLOW_KINDS

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus, Recorder

__all__ = [
    "CASE_COLUMNS",
    "FLOW_COLUMNS",
    "FORMATS",
    "ROLE_COLUMNS",
    "TABLES",
    "case_row",
    "case_rows",
    "flow_rows",
    "role_rows",
    "rows",
]

FORMATS = ("csv", "json", "jsonl")
TABLES = ("cases", "roles", "flows")

#: where a case lies on the map, and how far its estimated counts could move it
POSITION_COLUMNS: tuple[str, ...] = (
    "openness",
    "ecosystem_size",
    "position_manual",
    "computed_openness",
    "computed_ecosystem_size",
    "openness_low",
    "openness_high",
    "ecosystem_size_low",
    "ecosystem_size_high",
    "rests_on_estimates",
    "participating_organisations",
)
CASE_COLUMNS: tuple[str, ...] = (
    *HEAD_KEYS,
    "cluster_name",
    "also",
    "stage",
    *POSITION_COLUMNS,
    "people",
    "access",
    "revenue",
    "ownership",
    "customer_involvement",
    "data_sharing",
    *(f"changed_{q}" for q in QUESTIONS),
    "technologies",
    "other_technologies",
    "patterns",
    "focal",
    "roles",
    "organisations",
    "external_roles",
    "external_share",
    "flows",
    *(f"flows_{k.replace('-', '_')}" for k in FLOW_KINDS),
    "orchestrator",
    "broker",
    "two_sided",
    "data_hubs",
    "owner_user_separated",
    "unbalanced_roles",
    "connected",
    "focal_net_value",
    "currency",
    "section",
    "sources",
    "path",
)
ROLE_COLUMNS: tuple[str, ...] = (
    "case",
    "cluster",
    "role",
    "name",
    "type",
    "actor",
    "external",
    "count",
    "count_basis",
    "count_low",
    "count_high",
    "counts",
    "focal",
    "orchestrator",
    "broker",
    "betweenness",
    "gives",
    "receives",
    "balanced",
    "money_in",
    "money_out",
    "net_value",
)
FLOW_COLUMNS: tuple[str, ...] = (
    "case",
    "cluster",
    "index",
    "from",
    "to",
    "kind",
    "what",
    "amount",
    "currency",
    "from_type",
    "to_type",
    "from_external",
    "to_external",
)
COLUMNS = {"cases": CASE_COLUMNS, "roles": ROLE_COLUMNS, "flows": FLOW_COLUMNS}


def _sorted(cases: Iterable[Case], sort: bool) -> Iterable[Case]:
    return sorted(cases, key=lambda c: c.id) if sort else cases


def case_row(case: Case, corpus: Corpus | None = None) -> dict[str, Any]:
    """One flat record of a case, with the keys of `CASE_COLUMNS` in order."""
    from bmnav.checking.problems import BmnavError
    from bmnav.domain.metrics import metrics
    from bmnav.domain.positions import position

    d = case.data
    clusters = corpus.clusters if corpus is not None else {}
    offering = case.offering
    changes = d.get("changes") or {}
    try:
        pos = position(case, corpus)
    except BmnavError:
        pos = None
    has_roles = bool((d.get("network") or {}).get("roles"))  # `case.roles` would build every role to say so
    m = (corpus.derived("metrics", case, metrics) if corpus is not None else metrics(case)) if has_roles else None
    row: dict[str, Any] = {
        **case.identity(),
        "cluster": case.cluster,
        "cluster_name": (clusters.get(case.cluster or "") or {}).get("name"),
        "also": case.also,
        "stage": _stage(case, clusters),
        **_position_fields(pos),
        "people": m["people"] if m else 0,
        **{k: offering.get(k) for k in ("access", "ownership", "customer_involvement", "data_sharing")},
        "revenue": list(offering.get("revenue") or []),
        **{f"changed_{q}": changes.get(q) for q in QUESTIONS},
        "technologies": case.technologies,
        "other_technologies": list(d.get("other_technologies") or []),
        "patterns": case.patterns,
        "focal": case.focal,
        **_metric_fields(m, case.focal),
        "currency": case.currency,
        "section": case.section,
        "sources": [str(s.get("title")) for s in d.get("sources") or [] if isinstance(s, dict)],
        "path": _relative(case.path, corpus),
    }
    return {k: row[k] for k in CASE_COLUMNS}


def _position_fields(pos: Any) -> dict[str, Any]:
    """A case's place on the map and its ranges, rounded; all None when it has none."""
    if pos is None:
        return dict.fromkeys(POSITION_COLUMNS)
    return {
        "openness": _r(pos.openness),
        "ecosystem_size": _r(pos.ecosystem_size),
        "position_manual": pos.manual,
        "computed_openness": _r(pos.computed_openness),
        "computed_ecosystem_size": _r(pos.computed_ecosystem_size),
        "openness_low": _r(pos.openness_range[0]),
        "openness_high": _r(pos.openness_range[1]),
        "ecosystem_size_low": _r(pos.ecosystem_size_range[0]),
        "ecosystem_size_high": _r(pos.ecosystem_size_range[1]),
        "rests_on_estimates": pos.rests_on_estimates,
        "participating_organisations": pos.organisations,
    }


def _metric_fields(m: dict[str, Any] | None, focal: str | None) -> dict[str, Any]:
    """The network's counts and roles from its metrics; counts 0 and the rest empty without a network."""
    net = (m or {}).get("net_value") or {}
    return {
        "roles": m["roles"] if m else 0,
        "organisations": m["organisations"] if m else 0,
        "external_roles": m["external_roles"] if m else 0,
        "external_share": m["external_share"] if m else None,
        "flows": m["flows"] if m else 0,
        **{f"flows_{k.replace('-', '_')}": (m["flows_by_kind"].get(k, 0) if m else 0) for k in FLOW_KINDS},
        "orchestrator": m["orchestrator"] if m else None,
        "broker": m["broker"] if m else None,
        "two_sided": m["two_sided"] if m else None,
        "data_hubs": m["data_hubs"] if m else [],
        "owner_user_separated": m["owner_user"]["separated"] if m else None,
        "unbalanced_roles": m["unbalanced"] if m else [],
        "connected": m["connected"] if m else None,
        "focal_net_value": net.get(focal or "", {}).get("net") if net else None,
    }


def _relative(path: str | None, corpus: Corpus | None) -> str | None:
    """The case file's path relative to the corpus folder (machine-independent), else as it is."""
    if path is None or corpus is None:
        return path
    from pathlib import PurePath

    try:
        return PurePath(_real(path)).relative_to(_real_folder(os.getcwd(), str(corpus.datadir.root))).as_posix()
    except ValueError:
        return path


def _real(path: str) -> str:
    """`Path(path).resolve()`, with the folder resolved once for all its files
    (resolving every path of a 10,000-case export took seconds)."""
    folder, name = os.path.split(path)
    real = os.path.join(_real_folder(os.getcwd(), folder or "."), name)
    return os.path.realpath(real) if os.path.islink(real) else real


@functools.lru_cache(maxsize=256)
def _real_folder(cwd: str, folder: str) -> str:
    """A folder's real path (`cwd` is part of the key: a relative folder depends on it)."""
    return os.path.realpath(os.path.join(cwd, folder))


def _stage(case: Case, clusters: dict[str, dict[str, Any]]) -> int | None:
    override = (case.data.get("maturity") or {}).get("stage")
    if isinstance(override, int):
        return override
    stage = (clusters.get(case.cluster or "") or {}).get("stage")
    return int(stage) if isinstance(stage, int) else None


def _r(x: float) -> float:
    return round(x, 4)


def case_rows(cases: Iterable[Case], corpus: Corpus | None = None, *, sort: bool = True) -> Iterator[dict[str, Any]]:
    """`case_row` of every case, sorted by id (`sort=False`: in the order given,
    one case at a time, so that a progress bar can follow)."""
    for case in _sorted(cases, sort):
        yield case_row(case, corpus)


def role_rows(cases: Iterable[Case], corpus: Corpus | None = None, *, sort: bool = True) -> Iterator[dict[str, Any]]:
    """One record per role of every case (cases sorted by id, roles in file order)."""
    from bmnav.domain.metrics import metrics
    from bmnav.domain.positions import count_span

    for case in _sorted(cases, sort):
        if not case.roles:
            continue
        m = metrics(case)
        net = m.get("net_value") or {}
        for r in case.roles:
            rec = m["reciprocity"].get(r.id, {})
            nv = net.get(r.id) if net else None
            span = count_span(r.count, r.count_basis, r.count_range)
            yield {
                "case": case.id,
                "cluster": case.cluster,
                "role": r.id,
                **role_basics(r),
                "count_low": span[0] if span else None,
                "count_high": span[1] if span else None,
                "counts": r.counts,
                "focal": r.id == case.focal,
                "orchestrator": r.id == m["orchestrator"],
                "broker": r.id == m["broker"],
                "betweenness": m["betweenness"].get(r.id, 0.0),
                "gives": sorted(rec.get("gives", {})),
                "receives": sorted(rec.get("receives", {})),
                "balanced": rec.get("balanced", True),
                "money_in": nv["in"] if nv else None,
                "money_out": nv["out"] if nv else None,
                "net_value": nv["net"] if nv else None,
            }


def flow_rows(cases: Iterable[Case], corpus: Corpus | None = None, *, sort: bool = True) -> Iterator[dict[str, Any]]:
    """One record per flow of every case (cases sorted by id, flows in file order;
    `index` is the flow's position in the case file, from 0)."""
    for case in _sorted(cases, sort):
        roles = {r.id: r for r in case.roles}
        for i, f in enumerate(case.flows):
            src, dst = roles.get(f.source), roles.get(f.target)
            yield {
                "case": case.id,
                "cluster": case.cluster,
                "index": i,
                "from": f.source,
                "to": f.target,
                "kind": f.kind,
                "what": f.what,
                "amount": f.amount,
                "currency": case.currency,
                "from_type": src.type if src else None,
                "to_type": dst.type if dst else None,
                "from_external": src.external if src else None,
                "to_external": dst.external if dst else None,
            }


def rows(
    table: str, cases: Iterable[Case], corpus: Corpus | None = None, *, sort: bool = True
) -> Iterator[dict[str, Any]]:
    """The records of `table` ("cases", "roles" or "flows"), cases sorted by id
    unless `sort` is false. Raises ValueError for another table."""
    if table == "cases":
        return case_rows(cases, corpus, sort=sort)
    if table == "roles":
        return role_rows(cases, corpus, sort=sort)
    if table == "flows":
        return flow_rows(cases, corpus, sort=sort)
    raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def export_kind(table: str) -> str:
    """The name of the record `table_rows` keeps of each case for `table`."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")
    return f"export-{table}"


def export_records(table: str) -> dict[str, Recorder]:
    """What `table_rows` needs of every case, for `load_corpus(records=...)`."""
    return {export_kind(table): functools.partial(_export_entry, table)}


def _export_entry(table: str, corpus: Corpus) -> Callable[[Case], list[Any]]:
    """A case's rows of `table`, with what `select_cases` filters them by
    (id, cluster, also, origin): a list, as the cache keeps it."""

    def entry(case: Case) -> list[Any]:
        return [case.id, case.cluster, list(case.also), case.origin, list(rows(table, [case], corpus, sort=False))]

    return entry


def _export_entry_from(kept: Any) -> list[Any] | None:
    """A kept entry as `_export_entry` gave it, or None when of another shape."""
    if not (isinstance(kept, list) and len(kept) == 5 and isinstance(kept[0], str)):
        return None
    if not (isinstance(kept[2], list) and isinstance(kept[4], list) and all(isinstance(r, dict) for r in kept[4])):
        return None
    return kept


def table_rows(
    corpus: Corpus, table: str, *, cluster: str | None = None, origin: str | None = None
) -> list[dict[str, Any]]:
    """`rows(table, select_cases(corpus, cluster=..., origin=...), corpus)`: the
    records of `table` for the cases of this cluster (or `also` cluster) and
    origin, cases sorted by id.

    Each case's rows are kept in the cache (`Corpus.per_case`), so a repeated
    export, or one whose corpus was read with `export_records(table)`, does
    not read the cases."""
    kind = export_kind(table)
    cid = corpus.resolve_cluster(cluster) if cluster else None
    out: list[dict[str, Any]] = []
    entries = corpus.per_case(kind, _export_entry(table, corpus), _export_entry_from)
    for _, case_cluster, also, case_origin, case_rows in sorted(entries, key=lambda e: str(e[0])):
        if cid and case_cluster != cid and cid not in also:
            continue
        if origin and case_origin != origin:
            continue
        out.extend(case_rows)
    return out
