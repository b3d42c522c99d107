"""Rules for use-case files and profiles (the contract's "Rules beyond the JSON Schema")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bmnav.checking.problems import Level, Problem
from bmnav.checking.rules import Context, rule
from bmnav.checking.suggest import did_you_mean

GIVING_KINDS = ("goods", "service", "data", "usage-right")
#: A rule gives a "did you mean" for this many problems per file, no more: each
#: hint compares the id with every candidate, so a file with thousands of bad
#: ids and thousands of roles would otherwise take quadratic time.
HINTS_PER_RULE = 5
#: A message lists at most this many role ids.
LISTED_IDS = 20


def _network(ctx: Context) -> dict[str, Any]:
    net = ctx.data.get("network")
    return net if isinstance(net, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _role_ids(ctx: Context) -> list[str]:
    return [str(r.get("id")) for r in _items(_network(ctx).get("roles")) if isinstance(r, dict) and "id" in r]


def _listed(ids: list[str]) -> str:
    """The first ids, and how many more, for a message of bounded length."""
    if not ids:
        return "(none)"
    more = len(ids) - LISTED_IDS
    return ", ".join(ids[:LISTED_IDS]) + (f" and {more} more" if more > 0 else "")


@rule("id-matches-filename")
def id_matches_filename(ctx: Context) -> Iterator[Problem]:
    """A corpus case's `id` equals its file name without the extension.

    PASS: `data/usecases/airbus-skywise.yaml` with `id: airbus-skywise`.
    FAIL: the same file with `id: skywise`. Profiles (`--profile`) are exempt.
    """
    cid = ctx.data.get("id")
    if ctx.profile or not isinstance(cid, str) or ctx.path.startswith("<"):
        return
    stem = Path(ctx.path).stem
    if cid != stem:
        yield ctx.problem(
            "id-matches-filename",
            ["id"],
            f'id "{cid}" differs from the file name "{stem}"; rename the file to '
            f"{cid}{Path(ctx.path).suffix} or set `id: {stem}`",
        )


@rule("cluster-unknown")
def cluster_unknown(ctx: Context) -> Iterator[Problem]:
    """`cluster`, every id in `also` and in `maturity.history[].clusters` exist in clusters.yaml.

    PASS: `cluster: data-trustee`. FAIL: `cluster: data-trust` (did you mean "data-trustee"?).
    """
    known = ctx.vocab.clusters
    places: list[tuple[list[Any], Any]] = []
    if isinstance(ctx.data.get("cluster"), str):
        places.append((["cluster"], ctx.data["cluster"]))
    places += [(["also", i], c) for i, c in enumerate(_items(ctx.data.get("also")))]
    maturity: dict[str, Any] = ctx.data["maturity"] if isinstance(ctx.data.get("maturity"), dict) else {}
    for i, phase in enumerate(_items(maturity.get("history"))):
        if isinstance(phase, dict):
            places += [
                (["maturity", "history", i, "clusters", j], c) for j, c in enumerate(_items(phase.get("clusters")))
            ]
    for path, cid in places:
        if isinstance(cid, str) and cid not in known:
            yield ctx.problem(
                "cluster-unknown",
                path,
                f'unknown cluster "{cid}"{did_you_mean(cid, known)}; known clusters: {", ".join(known)}',
            )


@rule("also-repeats-cluster", Level.WARNING)
def also_repeats_cluster(ctx: Context) -> Iterator[Problem]:
    """`also` lists further clusters, so it should not repeat `cluster`.

    PASS: `cluster: mass-customisation`, `also: [marketplace]`.
    FAIL (warning): `cluster: marketplace`, `also: [marketplace]`.
    """
    for i, c in enumerate(_items(ctx.data.get("also"))):
        if c == ctx.data.get("cluster"):
            yield ctx.problem(
                "also-repeats-cluster", ["also", i], f'"{c}" is already the case\'s cluster; remove it from `also`'
            )


@rule("pattern-unknown")
def pattern_unknown(ctx: Context) -> Iterator[Problem]:
    """Every id in `patterns` is a pattern (or an alias) in patterns.yaml.

    PASS: `patterns: [pay-per-use]`. FAIL: `patterns: [pay-per-usage]`.
    """
    patterns, aliases = ctx.vocab.patterns, ctx.vocab.pattern_aliases
    for i, pid in enumerate(_items(ctx.data.get("patterns"))):
        if isinstance(pid, str) and pid not in patterns and pid not in aliases:
            known = set(patterns) | set(aliases)  # (only for the hint: most files have no unknown pattern)
            yield ctx.problem(
                "pattern-unknown",
                ["patterns", i],
                f'unknown pattern "{pid}"{did_you_mean(pid, known)}; '
                "see `bmnav schema patterns` or data/patterns.yaml for the 55 ids",
            )


@rule("role-type-unknown")
def role_type_unknown(ctx: Context) -> Iterator[Problem]:
    """Every role `type` is a role type listed in clusters.yaml.

    PASS: `type: data-trustee`. FAIL: `type: trustee` (did you mean "data-trustee"?).
    """
    known = ctx.vocab.role_types
    for i, role in enumerate(_items(_network(ctx).get("roles"))):
        if isinstance(role, dict) and isinstance(role.get("type"), str) and role["type"] not in known:
            yield ctx.problem(
                "role-type-unknown",
                ["network", "roles", i, "type"],
                f'unknown role type "{role["type"]}"{_role_type_hint(role["type"], known)}; '
                f"use one of: {', '.join(known)} (described in clusters.yaml), or leave `type` out",
            )


def _role_type_hint(word: str, known: dict[str, dict[str, Any]]) -> str:
    """' (did you mean "x"?)' from a role type's id, name or aliases (`bank` is
    an alias of `finance-company`), so a plain word finds the contract's id."""
    low = word.strip().lower().replace("_", " ").replace("-", " ")
    for rid, entry in known.items():
        names = [entry.get("name"), *_items(entry.get("aliases"))]
        if any(isinstance(n, str) and n.lower().replace("-", " ") == low for n in names):
            return f' (did you mean "{rid}"?)'
    return did_you_mean(word, known)


@rule("role-id-duplicate")
def role_id_duplicate(ctx: Context) -> Iterator[Problem]:
    """Role ids are unique within a case.

    PASS: roles `oem` and `data-trustee`. FAIL: two roles with `id: oem`.
    """
    first: dict[str, int] = {}
    for i, role in enumerate(_items(_network(ctx).get("roles"))):
        if not isinstance(role, dict) or not isinstance(role.get("id"), str):
            continue
        rid = role["id"]
        if rid in first:
            line = ctx.loaded.where(["network", "roles", first[rid], "id"])[0]
            yield ctx.problem(
                "role-id-duplicate",
                ["network", "roles", i, "id"],
                f'role id "{rid}" is used twice (first at line {line}); give each role its own id',
            )
        else:
            first[rid] = i


@rule("focal-role-missing")
def focal_role_missing(ctx: Context) -> Iterator[Problem]:
    """`network.focal` names a role of the case.

    PASS: `focal: service-provider` with a role `id: service-provider`.
    FAIL: `focal: provider` when no role has that id.
    """
    focal = _network(ctx).get("focal")
    ids = _role_ids(ctx)
    if isinstance(focal, str) and focal not in set(ids):
        yield ctx.problem(
            "focal-role-missing",
            ["network", "focal"],
            f'the focal role "{focal}" is not among the roles{did_you_mean(focal, ids)}; roles: {_listed(ids)}',
        )


@rule("focal-role-external", Level.WARNING)
def focal_role_external(ctx: Context) -> Iterator[Problem]:
    """The focal role is played by the company itself, so it is never external.

    PASS: the focal role without `external`, or with `external: false`.
    FAIL (warning): the focal role with `external: true` (bmnav treats it as internal).
    """
    focal = _network(ctx).get("focal")
    for i, role in enumerate(_items(_network(ctx).get("roles"))):
        if isinstance(role, dict) and role.get("id") == focal and role.get("external") is True:
            yield ctx.problem(
                "focal-role-external",
                ["network", "roles", i, "external"],
                "the focal role is the company itself and always internal; set `external: false` or remove the line",
            )


@rule("flow-endpoint-missing")
def flow_endpoint_missing(ctx: Context) -> Iterator[Problem]:
    """Every flow's `from` and `to` name a role of the case.

    PASS: `{from: oem, to: data-trustee, kind: data}` with both roles defined.
    FAIL: `{from: oem, to: insurer, kind: data}` when no role `insurer` exists.
    """
    ids = set(_role_ids(ctx))
    hints = HINTS_PER_RULE
    for i, flow in enumerate(_items(_network(ctx).get("flows"))):
        if not isinstance(flow, dict):
            continue
        for end in ("from", "to"):
            rid = flow.get(end)
            if isinstance(rid, str) and rid not in ids:
                hint = did_you_mean(rid, ids) if hints > 0 else ""
                hints -= 1
                yield ctx.problem(
                    "flow-endpoint-missing",
                    ["network", "flows", i, end],
                    f'flow {i + 1} goes {end} "{rid}", which is not a role of this case{hint}; '
                    "add the role or fix the id",
                )


@rule("flow-self-loop", Level.WARNING)
def flow_self_loop(ctx: Context) -> Iterator[Problem]:
    """A flow goes from one role to another; a flow from a role to itself says nothing.

    PASS: `{from: oem, to: data-trustee, kind: data}`. FAIL (warning): `{from: oem, to: oem, kind: data}`.
    """
    for i, flow in enumerate(_items(_network(ctx).get("flows"))):
        if isinstance(flow, dict) and flow.get("from") is not None and flow.get("from") == flow.get("to"):
            yield ctx.problem(
                "flow-self-loop",
                ["network", "flows", i],
                f'flow {i + 1} goes from "{flow["from"]}" to itself; point it at another role',
            )


@rule("reciprocity", Level.WARNING)
def reciprocity(ctx: Context) -> Iterator[Problem]:
    """Economic reciprocity, as e3value checks it: value received is paid back.

    A role that receives goods, services, data or usage rights and gives
    nothing back (an `intangible` flow counts), or that pays and receives
    nothing, gets a warning.
    PASS: the fleet operator receives tyres (service) and pays a fee (money).
    FAIL (warning): a supplier that is paid but delivers nothing.
    """
    flows = [f for f in _items(_network(ctx).get("flows")) if isinstance(f, dict)]
    if not flows:
        return
    # the kinds each role id receives and gives, in one pass over the flows
    # (not one per role); a role id is a text, so only text ends can match it
    # (as sets: a role id repeated thousands of times must not copy a list per role)
    received: dict[str, set[str]] = {}
    given: dict[str, set[str]] = {}
    for f in flows:
        source, target = f.get("from"), f.get("to")
        if source == target:
            continue
        kind = f.get("kind")
        kind = kind if isinstance(kind, str) else repr(kind)  # (a broken file's kind may be a list)
        if isinstance(target, str):
            received.setdefault(target, set()).add(kind)
        if isinstance(source, str):
            given.setdefault(source, set()).add(kind)
    for i, role in enumerate(_items(_network(ctx).get("roles"))):
        if not isinstance(role, dict) or not isinstance(role.get("id"), str):
            continue
        rid = role["id"]
        gets = received.get(rid, set())
        gives = given.get(rid, set())
        valued = sorted(k for k in gets if k in GIVING_KINDS)
        if valued and not gives:
            yield ctx.problem(
                "reciprocity",
                ["network", "roles", i],
                f'role "{rid}" receives {", ".join(valued)} but gives nothing back; '
                "add the flow it returns (money, data or an intangible such as consent)",
            )
        elif "money" in gives and not gets:
            yield ctx.problem(
                "reciprocity",
                ["network", "roles", i],
                f'role "{rid}" pays but receives nothing; add what it gets for the money',
            )
