"""Rule for the evidence model of `bmnav classify` in clusters.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bmnav.checking.problems import Problem
from bmnav.checking.rules import Context, rule
from bmnav.checking.suggest import did_you_mean
from bmnav.classifying.classify_facts import fact_specs


@rule("evidence-fact-known", scope="clusters")
def evidence_facts_known(ctx: Context) -> Iterator[Problem]:
    """Every evidence item names a fact of the classifier's fact language and
    tests it against values that fact can have.

    PASS: `{fact: offering.access, is: open, weight: 1}`.
    FAIL: `{fact: offering.acess, is: open, weight: 1}` (did you mean "offering.access"?) or
    `{fact: offering.access, is: public, weight: 1}` (did you mean "open"?).
    """
    specs = fact_specs(ctx.vocab)
    # role types defined in this very file count too (the vocabulary may be the bundled one)
    role_types = {str(r.get("id")) for r in ctx.data.get("role_types") or [] if isinstance(r, dict)}
    clusters = ctx.data.get("clusters")
    for ci, cluster in enumerate(clusters if isinstance(clusters, list) else []):
        if not isinstance(cluster, dict) or not isinstance(cluster.get("evidence"), list):
            continue
        for ei, item in enumerate(cluster["evidence"]):
            if not isinstance(item, dict) or not isinstance(item.get("fact"), str):
                continue
            where: list[str | int] = ["clusters", ci, "evidence", ei]
            spec = specs.get(item["fact"])
            if spec is None:
                yield ctx.problem(
                    "evidence-fact-known",
                    [*where, "fact"],
                    f'unknown fact "{item["fact"]}"{did_you_mean(item["fact"], specs)}; '
                    "docs/method.md lists the fact language",
                )
                continue
            allowed: set[Any] = set(spec.values)
            if spec.name == "network.focal_type":
                allowed |= role_types
            if spec.name == "patterns":
                allowed |= set(ctx.vocab.pattern_aliases)
            raw = item.get("is")
            values: list[Any] = raw if isinstance(raw, list) else [raw]
            for vi, value in enumerate(values):
                if value in allowed and (spec.kind == "bool") == isinstance(value, bool):
                    continue
                path: list[str | int] = [*where, "is", vi] if isinstance(raw, list) else [*where, "is"]
                shown = [str(v).lower() if isinstance(v, bool) else str(v) for v in spec.values]
                hint = did_you_mean(str(value), shown) if allowed else ""
                choices = ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
                yield ctx.problem(
                    "evidence-fact-known",
                    path,
                    f'"{value}" is not a value of fact {spec.name}{hint}; allowed: {choices}',
                )
