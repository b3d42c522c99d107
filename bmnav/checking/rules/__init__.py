"""Semantic rules: small named checks beyond the JSON Schema.

Each rule has a stable id, a default level, a scope and a docstring that
says what passes and what fails (docs/rules.md is generated from them).
Rules yield `Problem`s; they never print or raise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from bmnav.checking.problems import Level, Problem
from bmnav.domain.model import Vocabulary
from bmnav.storage.loading import JsonPath, Loaded


@dataclass
class Context:
    """What a rule sees of one file: its data, locations and the vocabulary."""

    loaded: Loaded
    data: dict[str, Any]
    vocab: Vocabulary
    kind: str = "usecase"
    profile: bool = False

    @property
    def path(self) -> str:
        return self.loaded.path

    def problem(self, rule_id: str, path: JsonPath, message: str, *, key: str | None = None) -> Problem:
        rule = RULES[rule_id]
        line, col = self.loaded.where(path, key)
        return Problem(self.path, line, col, rule.level, rule_id, message)


Check = Callable[[Context], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    scope: str  # usecase | clusters | patterns | run | load | schema
    doc: str
    check: Check | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else ""


RULES: dict[str, Rule] = {}


def register(rule_id: str, level: Level, scope: str, doc: str, check: Check | None = None) -> Rule:
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} registered twice")
    RULES[rule_id] = Rule(rule_id, level, scope, doc, check)
    return RULES[rule_id]


def rule(rule_id: str, level: Level = Level.ERROR, scope: str = "usecase") -> Callable[[Check], Check]:
    """Register a check function as a rule; its docstring is the rule's doc."""

    def wrap(func: Check) -> Check:
        register(rule_id, level, scope, func.__doc__ or "", func)
        return func

    return wrap


def rules_for(scope: str) -> list[Rule]:
    return [r for r in RULES.values() if r.scope == scope and r.check is not None]


def run_rules(ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    for r in rules_for(ctx.kind):
        problems.extend(r.check(ctx))  # type: ignore[misc]
    return problems


from bmnav.checking.rules import builtin, cases, evidence, model_files  # noqa: E402,F401  (registration)
