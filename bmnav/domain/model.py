"""Typed views of the data: cases, roles, flows and the cluster model.

Plain dataclasses over the validated YAML data; no I/O and no rendering, so
every command and a notebook can share them.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

T = TypeVar("T")

FORCE_CATEGORIES = ("key_trends", "industry", "market", "macroeconomic")
QUESTIONS = ("who", "what", "how", "value")
#: The contract's first top-level keys, in its order: which company, and its cluster.
#: A new case file (`newcase.CASE_KEYS`) and the export's case table
#: (`flatten.CASE_COLUMNS`) both begin with them.
HEAD_KEYS = ("id", "name", "company", "country", "company_size", "industry", "year", "cluster")


def role_basics(r: Role) -> dict[str, Any]:
    """What every listing of a role shows first, in this order (the case card and
    the export's roles table, `bmnav.domain.cards` and `bmnav.domain.flatten`)."""
    return {
        "name": r.name,
        "type": r.type,
        "actor": r.actor,
        "external": r.external,
        "count": r.count,
        "count_basis": r.count_basis,
    }


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    type: str | None = None
    actor: str | None = None
    external: bool = True
    count: int = 1
    #: contract v1.1 provenance of `count`: report | source | estimate, or None when not said
    count_basis: str | None = None
    #: [low, high] an estimated count may lie in (contract v1.1), or None
    count_range: tuple[int, int] | None = None
    #: what `count` counts: organisations (default) or people (end users, consumers)
    counts: str = "organisations"
    #: per-role change of the four questions (contract v1.1), where a source says it
    changes: dict[str, bool] | None = field(default=None, hash=False)

    @property
    def people(self) -> bool:
        """True when the role counts people (consumers, end users), not organisations."""
        return self.counts == "people"

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, focal: bool = False) -> Role:
        return cls(
            id=str(d["id"]),
            name=str(d.get("name") or d["id"]),
            type=d.get("type"),
            actor=d.get("actor"),
            external=False if focal else bool(d.get("external", True)),
            count=int(d.get("count", 1)),
            count_basis=str(d["count_basis"]) if d.get("count_basis") is not None else None,
            count_range=_pair(d.get("count_range")),
            counts=str(d.get("counts") or "organisations"),
            changes=_changes(d.get("changes")),
        )


def _pair(value: Any) -> tuple[int, int] | None:
    """A `count_range` as (low, high), or None when absent or malformed (validate reports it)."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
        low, high = int(value[0]), int(value[1])
        return (min(low, high), max(low, high))
    return None


def _changes(value: Any) -> dict[str, bool] | None:
    """A role's `changes` mapping, keeping only the four questions."""
    if not isinstance(value, dict):
        return None
    return {q: bool(value[q]) for q in QUESTIONS if isinstance(value.get(q), bool)}


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    kind: str
    what: str | None = None
    amount: float | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Flow:
        amount = d.get("amount")
        return cls(
            str(d["from"]), str(d["to"]), str(d["kind"]), d.get("what"), float(amount) if amount is not None else None
        )


@dataclass
class Case:
    """One use case (or a profile, when `cluster` is None)."""

    data: dict[str, Any]
    path: str | None = None

    @property
    def id(self) -> str:
        return str(self.data.get("id", ""))

    @property
    def name(self) -> str:
        return str(self.data.get("name", self.id))

    @property
    def company(self) -> str | None:
        return self.data.get("company")

    @property
    def cluster(self) -> str | None:
        return self.data.get("cluster")

    @property
    def also(self) -> list[str]:
        return list(self.data.get("also") or [])

    @property
    def is_profile(self) -> bool:
        return self.cluster is None

    @property
    def offering(self) -> dict[str, Any]:
        return dict(self.data.get("offering") or {})

    @property
    def technologies(self) -> list[str]:
        return list(self.data.get("technologies") or [])

    @property
    def patterns(self) -> list[str]:
        return list(self.data.get("patterns") or [])

    @property
    def focal(self) -> str | None:
        return (self.data.get("network") or {}).get("focal")

    @property
    def roles(self) -> list[Role]:
        focal = self.focal
        return [
            Role.from_dict(r, focal=r.get("id") == focal) for r in (self.data.get("network") or {}).get("roles") or []
        ]

    @property
    def flows(self) -> list[Flow]:
        return [Flow.from_dict(f) for f in (self.data.get("network") or {}).get("flows") or []]

    def snapshot(self) -> Case:
        """This case with its roles and flows built once and kept: the
        properties build new lists on every use, which a computation that
        asks for them per role turns quadratic. For read-only use."""
        return self if isinstance(self, _Snapshot) else _Snapshot(self.data, self.path)

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, kept under `key` by a snapshot so that the graph, features
        and position a run needs several times are computed once per case; a
        plain case computes again every time, as its data may have changed."""
        return compute()

    def identity(self) -> dict[str, Any]:
        """The facts that name a case, in one order for lists, cards and exports."""
        d = self.data
        return {
            "id": self.id,
            "name": self.name,
            "company": self.company,
            "country": d.get("country"),
            "company_size": d.get("company_size"),
            "industry": d.get("industry"),
            "year": d.get("year"),
        }

    @property
    def origin(self) -> str | None:
        """Where the case comes from (contract v1.1): report, public-sources or client; None when not said."""
        value = self.data.get("origin")
        return str(value) if value is not None else None

    @property
    def currency(self) -> str:
        return str(self.data.get("currency") or "EUR")

    @property
    def section(self) -> str | None:
        """The report section cited first in `sources`, such as "§2.4"."""
        import re

        for src in self.data.get("sources") or []:
            text = f"{src.get('section', '')} {src.get('title', '')}"
            m = re.search(r"§\s*([0-9]+(?:\.[0-9]+)*)", text)
            if m:
                return f"§{m.group(1)}"
        return None


class _Snapshot(Case):
    """A Case whose roles and flows are built on first use and then kept."""

    @cached_property
    def roles(self) -> list[Role]:  # type: ignore[override]
        return Case.roles.fget(self)  # type: ignore[attr-defined,no-any-return]

    @cached_property
    def flows(self) -> list[Flow]:  # type: ignore[override]
        return Case.flows.fget(self)  # type: ignore[attr-defined,no-any-return]

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        memo: dict[Hashable, Any] = self.__dict__.setdefault("_remembered", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]  # type: ignore[no-any-return]


def _items(doc: Any, key: str) -> list[dict[str, Any]]:
    """The mappings listed under `key` of a model file, whatever else it holds."""
    items = doc.get(key) if isinstance(doc, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


@dataclass
class Vocabulary:
    """The ids a case may refer to: clusters, role types and patterns."""

    clusters: dict[str, dict[str, Any]] = field(default_factory=dict)
    role_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    patterns: dict[str, dict[str, Any]] = field(default_factory=dict)
    pattern_aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_data(cls, clusters: dict[str, Any] | None, patterns: dict[str, Any] | None) -> Vocabulary:
        clusters = clusters or {}
        patterns = patterns or {}
        vocab = cls(
            # only string ids: a malformed model file (reported by validate) must not break the run
            clusters={c["id"]: c for c in _items(clusters, "clusters") if isinstance(c.get("id"), str)},
            role_types={r["id"]: r for r in _items(clusters, "role_types") if isinstance(r.get("id"), str)},
            patterns={p["id"]: p for p in _items(patterns, "patterns") if isinstance(p.get("id"), str)},
        )
        for pid, p in vocab.patterns.items():
            aliases = p.get("aliases")
            for alias in aliases if isinstance(aliases, list) else []:
                vocab.pattern_aliases[str(alias)] = pid
        return vocab
