"""Rules for the model files: clusters.yaml and patterns.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bmnav.checking.problems import Problem
from bmnav.checking.rules import Context, rule
from bmnav.checking.suggest import did_you_mean


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _duplicates(ctx: Context, section: str, what: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for i, item in enumerate(_list(ctx.data.get(section))):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        if item["id"] in first:
            line = ctx.loaded.where([section, first[item["id"]], "id"])[0]
            yield ctx.problem(
                "model-id-duplicate",
                [section, i, "id"],
                f'{what} id "{item["id"]}" is defined twice (first at line {line})',
            )
        else:
            first[item["id"]] = i


@rule("model-id-duplicate", scope="clusters")
def cluster_ids_unique(ctx: Context) -> Iterator[Problem]:
    """Cluster and role-type ids are each defined once in clusters.yaml.

    PASS: six clusters with six ids. FAIL: two clusters with `id: marketplace`.
    """
    yield from _duplicates(ctx, "clusters", "cluster")
    yield from _duplicates(ctx, "role_types", "role type")


@rule("model-reference-unknown", scope="clusters")
def cluster_references(ctx: Context) -> Iterator[Problem]:
    """Archetype roles use known role types, archetype flows join archetype
    roles, and stages and patterns name known clusters and patterns.

    PASS: an archetype role `type: data-trustee` listed under `role_types`.
    FAIL: an archetype flow `to: broker` when the archetype has no role `broker`.
    """
    role_types = {str(r.get("id")) for r in _list(ctx.data.get("role_types")) if isinstance(r, dict)}
    cluster_ids = {str(c.get("id")) for c in _list(ctx.data.get("clusters")) if isinstance(c, dict)}
    patterns = set(ctx.vocab.patterns) | set(ctx.vocab.pattern_aliases)
    for ci, cluster in enumerate(_list(ctx.data.get("clusters"))):
        if not isinstance(cluster, dict):
            continue
        arch: dict[str, Any] = cluster["archetype"] if isinstance(cluster.get("archetype"), dict) else {}
        roles = [r for r in _list(arch.get("roles")) if isinstance(r, dict)]
        ids = [r.get("id") for r in roles]
        for ri, r in enumerate(roles):
            if r.get("type") not in role_types:
                yield ctx.problem(
                    "model-reference-unknown",
                    ["clusters", ci, "archetype", "roles", ri, "type"],
                    f'unknown role type "{r.get("type")}"{did_you_mean(str(r.get("type")), role_types)}',
                )
        for fi, f in enumerate(_list(arch.get("flows"))):
            for end in ("from", "to"):
                if isinstance(f, dict) and f.get(end) not in ids:
                    yield ctx.problem(
                        "model-reference-unknown",
                        ["clusters", ci, "archetype", "flows", fi, end],
                        f'archetype flow {end} "{f.get(end)}" is not an archetype role',
                    )
        if arch.get("focal") is not None and arch.get("focal") not in ids:
            yield ctx.problem(
                "model-reference-unknown",
                ["clusters", ci, "archetype", "focal"],
                f'archetype focal role "{arch.get("focal")}" is not an archetype role',
            )
        if patterns:
            for pi, pid in enumerate(_list(cluster.get("patterns"))):
                if pid not in patterns:
                    yield ctx.problem(
                        "model-reference-unknown",
                        ["clusters", ci, "patterns", pi],
                        f'unknown pattern "{pid}"{did_you_mean(str(pid), patterns)}',
                    )
    for si, stage in enumerate(_list(ctx.data.get("stages"))):
        for ci, cid in enumerate(_list(stage.get("clusters") if isinstance(stage, dict) else None)):
            if cid not in cluster_ids:
                yield ctx.problem(
                    "model-reference-unknown",
                    ["stages", si, "clusters", ci],
                    f'unknown cluster "{cid}"{did_you_mean(str(cid), cluster_ids)}',
                )


@rule("pattern-model", scope="patterns")
def patterns_consistent(ctx: Context) -> Iterator[Problem]:
    """Pattern ids and aliases are defined once and name known clusters.

    PASS: `id: pay-per-use`, `clusters: [as-a-service]`.
    FAIL: a second `id: pay-per-use`, or `clusters: [as-service]`.
    """
    seen: dict[str, int] = {}
    clusters = ctx.vocab.clusters
    for i, p in enumerate(_list(ctx.data.get("patterns"))):
        if not isinstance(p, dict):
            continue
        names = [p.get("id"), *_list(p.get("aliases"))]
        for n in names:
            if isinstance(n, str) and n in seen:
                yield ctx.problem(
                    "pattern-model",
                    ["patterns", i, "id"],
                    f'pattern id or alias "{n}" is used twice (first at line '
                    f"{ctx.loaded.where(['patterns', seen[n], 'id'])[0]})",
                )
            elif isinstance(n, str):
                seen[n] = i
        if clusters:
            for ci, cid in enumerate(_list(p.get("clusters"))):
                if cid not in clusters:
                    yield ctx.problem(
                        "pattern-model",
                        ["patterns", i, "clusters", ci],
                        f'unknown cluster "{cid}"{did_you_mean(str(cid), clusters)}',
                    )
