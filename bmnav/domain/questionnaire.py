"""A short questionnaire that builds a profile to classify.

About ten questions, each with its allowed answers and "don't know"
(Enter or ``-``); ``?`` shows the allowed answers with what each means, as
in `bmnav new` (the meanings are data: data/meanings.yaml). The questions
and answer parsing are plain data and functions; the asking is
done through an `ask(prompt) -> str` function the caller passes in (the CLI
uses `typer.prompt`, tests feed answers), so the questionnaire is testable
without a terminal. `save_profile` writes a valid profile YAML atomically.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bmnav.classifying.classify_facts import ACCESS, DATA_SHARING, INVOLVEMENT, OWNERSHIP, REVENUE, SIZES, TECHNOLOGIES

#: Answers meaning "don't know" (the question is left out of the profile).
DONT_KNOW = ("", "-", "skip", "don't know", "dont know", "dk", "unknown")
#: The answer that shows the allowed answers and their meanings (as in `bmnav new`).
EXPLAIN = "?"


@dataclass(frozen=True)
class Question:
    key: str  # where the answer goes: "name", "offering.access", "changes", ...
    text: str
    choices: tuple[str, ...] = ()  # empty: free text
    multiple: bool = False
    required: bool = False

    def prompt(self) -> str:
        if not self.choices:
            return self.text + ("" if self.required else " (Enter: don't know)")
        how = "one or more, comma-separated" if self.multiple else "one"
        return f"{self.text}\n  [{how} of: {', '.join(self.choices)}; ? explains; Enter or -: don't know]"

    def explain(self, meanings: dict[str, str]) -> str:
        """What `?` shows: each allowed answer with its meaning, one a line."""
        if not self.choices:
            return "any text" + ("" if self.required else "; Enter or -: don't know")
        lines = ["one or more of these, comma-separated:" if self.multiple else "one of these:"]
        lines += [f"  {c}: {meanings[c]}" if meanings.get(c) else f"  {c}" for c in self.choices]
        lines.append("  (Enter or -: don't know)")
        return "\n".join(lines)


QUESTIONS: tuple[Question, ...] = (
    Question("name", "Name of the company or offering", required=True),
    Question("company_size", "Company size", SIZES),
    Question("industry", "Industry"),
    Question(
        "offering.access",
        "Who may take part as supplier or partner: only own units, selected partners, anyone?",
        ACCESS,
    ),
    Question("offering.revenue", "How does it earn money with the offering?", REVENUE, multiple=True),
    Question("offering.ownership", "Who owns the machine or product the customer uses?", OWNERSHIP),
    Question("offering.customer_involvement", "How far do customers shape the product?", INVOLVEMENT),
    Question("offering.data_sharing", "With whom is data shared?", DATA_SHARING),
    Question(
        "changes", "Which parts of the business model changed?", ("who", "what", "how", "value", "none"), multiple=True
    ),
    Question("technologies", "Which technologies carry the model?", TECHNOLOGIES, multiple=True),
)


class InvalidAnswer(ValueError):
    """An answer outside the allowed choices; the message says what is allowed."""


def parse_answer(question: Question, raw: str) -> Any:
    """The answer as data, None for "don't know"; raises `InvalidAnswer`."""
    text = raw.strip()
    if text.lower() in DONT_KNOW:
        if question.required:
            raise InvalidAnswer("an answer is needed here")
        return None
    if not question.choices:
        return text
    parts = [p.strip().lower() for p in re.split(r"[,\s]+", text) if p.strip()] if question.multiple else [text.lower()]
    bad = [p for p in parts if p not in question.choices]
    if bad:
        from bmnav.checking.suggest import did_you_mean

        raise InvalidAnswer(
            f'"{bad[0]}" is not an allowed answer{did_you_mean(bad[0], question.choices)}; '
            f"answer with {', '.join(question.choices)}; ? explains them; Enter or - for don't know"
        )
    if question.multiple:
        return list(dict.fromkeys(parts))
    return parts[0]


def slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s or "profile"


def build_profile(answers: dict[str, Any]) -> dict[str, Any]:
    """A profile (contract format, no `cluster`) from the answers; unknown answers are left out."""
    name = str(answers["name"])
    profile: dict[str, Any] = {"id": slug(name), "name": name}
    for key in ("company_size", "industry"):
        if answers.get(key) is not None:
            profile[key] = answers[key]
    offering = {k.split(".", 1)[1]: v for k, v in answers.items() if k.startswith("offering.") and v is not None}
    if offering:
        profile["offering"] = offering
    if answers.get("changes") is not None:
        changed = set(answers["changes"]) - {"none"}
        profile["changes"] = {q: q in changed for q in ("who", "what", "how", "value")}
    if answers.get("technologies") is not None:
        profile["technologies"] = answers["technologies"]
    return profile


def run(
    ask: Callable[[str], str],
    tell: Callable[[str], None] = lambda _: None,
    meanings: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Ask every question through `ask`, re-asking after an invalid answer or `?`
    (which shows `meanings`, by default the bundled data's), and return the profile."""
    if meanings is None:
        from bmnav.domain.labels import labels_for

        meanings = labels_for().meanings
    answers: dict[str, Any] = {}
    for i, q in enumerate(QUESTIONS, 1):
        while True:
            raw = ask(f"{i}/{len(QUESTIONS)} {q.prompt()}")
            if raw.strip() == EXPLAIN:
                tell(q.explain(meanings.get(q.key, {})))
                continue
            try:
                answers[q.key] = parse_answer(q, raw)
                break
            except InvalidAnswer as exc:
                tell(f"  {exc}")
    return build_profile(answers)


def profile_yaml(profile: dict[str, Any], schema_ref: str) -> str:
    """The profile as YAML with the yaml-language-server modeline."""
    import yaml

    body = yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, default_flow_style=False)
    head = f"# yaml-language-server: $schema={schema_ref}\n"
    return head + f"# A profile to classify (written by `bmnav classify --interactive`).\n{body}"


def save_profile(profile: dict[str, Any], path: str | Path, *, force: bool = False) -> Path:
    """Write the profile atomically (temp file + `os.replace`, via `bmnav.storage.files`); an existing
    file is kept unless `force`."""
    from bmnav.domain.newcase import schema_ref
    from bmnav.storage.files import check_writable, write_atomic

    target = check_writable(path, force=force)
    parent = target.parent if str(target.parent) else Path(".")
    # a saved profile schema (only id and name required) fits a profile best
    return write_atomic(target, profile_yaml(profile, schema_ref(parent, ("profile", "usecase"))), force=force)
