"""Plain-language labels for facts and their values (`labels:` in data/facts.yaml).

Value meanings (what `?` shows at a prompt) come from data/meanings.yaml.
A client reads "Who owns the asset in use: the provider", not
`offering.ownership=provider`. The terminal, the HTML and the Markdown report
all take their words from here, so they say the same thing; JSON and
`--verbose` keep the internal keys. Patterns and role types are named by
their own data files (patterns.yaml, clusters.yaml). A fact or value without
a label is shown by its key, so a new fact in the model never breaks output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus

__all__ = ["Labels", "labels_for"]


@dataclass
class Labels:
    """Fact labels and value texts, with the names of patterns and role types."""

    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    booleans: dict[str, str] = field(default_factory=lambda: {"true": "yes", "false": "no"})
    patterns: dict[str, str] = field(default_factory=dict)
    role_types: dict[str, str] = field(default_factory=dict)
    clusters: dict[str, str] = field(default_factory=dict)
    meanings: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_data(
        cls,
        facts_doc: dict[str, Any] | None,
        *,
        patterns: dict[str, str] | None = None,
        role_types: dict[str, str] | None = None,
        clusters: dict[str, str] | None = None,
        meanings_doc: dict[str, Any] | None = None,
    ) -> Labels:
        section = (facts_doc or {}).get("labels")
        section = section if isinstance(section, dict) else {}
        facts: dict[str, Any] = section["facts"] if isinstance(section.get("facts"), dict) else {}
        booleans: dict[str, Any] = section["booleans"] if isinstance(section.get("booleans"), dict) else {}
        given = (meanings_doc or {}).get("meanings")
        meanings: dict[str, Any] = given if isinstance(given, dict) else {}
        return cls(
            facts={str(k): v for k, v in facts.items() if isinstance(v, dict)},
            booleans={"true": "yes", "false": "no", **{str(k): str(v) for k, v in booleans.items()}},
            patterns=dict(patterns or {}),
            role_types=dict(role_types or {}),
            clusters=dict(clusters or {}),
            meanings={
                str(k): {str(v): str(t) for v, t in m.items()} for k, m in meanings.items() if isinstance(m, dict)
            },
        )

    def label(self, fact: str) -> str:
        """The fact's label: "Who owns the asset in use" for `offering.ownership`."""
        entry = self.facts.get(fact) or {}
        text = entry.get("label")
        return str(text) if text else fact

    def one(self, fact: str, value: Any) -> str:
        """One value's text (a list item of a set fact is one value)."""
        if isinstance(value, bool):
            return self.booleans["true" if value else "false"]
        key = str(value)
        values = (self.facts.get(fact) or {}).get("values")
        if isinstance(values, dict) and key in values:
            return str(values[key])
        if fact == "patterns" and key in self.patterns:
            return self.patterns[key]
        if fact == "network.focal_type" and key in self.role_types:
            return self.role_types[key].lower()
        return key

    def meaning(self, fact: str, value: str) -> str | None:
        """What a value means, as docs/format.md defines it (None when the data has no text)."""
        return (self.meanings.get(fact) or {}).get(value)

    def value(self, fact: str, value: Any) -> str:
        """The value's text; a list joins its items' texts."""
        if value is None:
            return "not stated"
        if isinstance(value, (list, tuple)):
            return ", ".join(self.one(fact, v) for v in value)
        return self.one(fact, value)

    def statement(self, fact: str, value: Any) -> str:
        """ "label: value" (a yes/no fact whose value is yes reads as the label alone)."""
        if value is True and fact in self.facts:
            return self.label(fact)
        return f"{self.label(fact)}: {self.value(fact, value)}"

    def shared(self, item: str) -> str:
        """A similar case's shared fact as the classifier writes it ("key=value" or "key: value")."""
        match = re.match(r"^([a-z_.]+)(=|: )(.*)$", item)
        if not match:
            return item
        fact, _, raw = match.groups()
        value: Any = {"true": True, "false": False}.get(raw, raw)
        return self.statement(fact, value)

    def because(self, text: str) -> str:
        """A recommendation's reason ("company_size=sme", "stage=2", "always") in words."""
        if text == "always":
            return "applies to every company"
        parts = []
        for piece in text.split(";"):
            piece = piece.strip()
            fact, sep, raw = piece.partition("=")
            if not sep:
                parts.append(piece)
                continue
            key = fact if fact in self.facts else f"offering.{fact}" if f"offering.{fact}" in self.facts else fact
            parts.append(self.statement(key, raw))
        return "; ".join(parts)

    def cluster(self, cid: str) -> str:
        return self.clusters.get(cid, cid)


def labels_for(corpus: Corpus | None = None, data_dir: str | Path | None = None) -> Labels:
    """The labels of the active data folder, with its patterns' and role types' names."""
    from bmnav.storage.datafiles import facts_data, meanings_data

    root = data_dir
    if root is None and corpus is not None and not corpus.datadir.bundled:
        root = corpus.datadir.root
    vocab = corpus.vocab if corpus is not None else None
    return Labels.from_data(
        facts_data(root),
        patterns={k: str(v.get("name") or k) for k, v in vocab.patterns.items()} if vocab else None,
        role_types={k: str(v.get("name") or k) for k, v in vocab.role_types.items()} if vocab else None,
        clusters={k: str(v.get("short") or v.get("name") or k) for k, v in vocab.clusters.items()} if vocab else None,
        meanings_doc=meanings_data(root),
    )
