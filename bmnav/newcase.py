"""Write a new case file from answers to a guided interview (`bmnav new`).

The interview is data and plain functions: `Question`s with their allowed
answers, `parse_answer()` that turns a typed answer into data (or raises
`InvalidAnswer` with a message saying what is allowed), and `interview()`
that asks them through an `ask(question) -> str` function passed in (the CLI
uses `typer.prompt`, tests and notebooks feed answers). `profile_start()`
turns a saved profile into a head start, with the classifier's top cluster
as the default cluster. `write_case()` checks the finished case with
validate's schema and rules and refuses to write an invalid one; the file
starts with the yaml-language-server modeline, so editors complete and check
it, and is written atomically.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bmnav.classify_facts import ACCESS, DATA_SHARING, INVOLVEMENT, OWNERSHIP, REVENUE, SIZES, TECHNOLOGIES
from bmnav.model import QUESTIONS, Vocabulary
from bmnav.network import FLOW_KINDS
from bmnav.problems import BmnavError, Level, Problem

if TYPE_CHECKING:
    from bmnav.corpus import Corpus
    from bmnav.model import Case

__all__ = [
    "CASE_KEYS",
    "SKIP",
    "InvalidAnswer",
    "Question",
    "case_text",
    "check_case",
    "interview",
    "order_case",
    "parse_answer",
    "profile_start",
    "schema_ref",
    "slug",
    "write_case",
]

#: Answers that leave an optional question unanswered.
SKIP = ("", "skip", "-")
#: The answer that lists a question's allowed values.
LIST = "?"
#: Top-level keys in the order of the data contract (docs/format.md).
CASE_KEYS = (
    "id",
    "name",
    "company",
    "country",
    "company_size",
    "industry",
    "year",
    "cluster",
    "also",
    "summary",
    "currency",
    "sources",
    "business_model",
    "changes",
    "offering",
    "technologies",
    "other_technologies",
    "patterns",
    "network",
    "maturity",
    "position",
)
OFFERING_KEYS = ("access", "revenue", "ownership", "customer_involvement", "data_sharing")
_URL = re.compile(r"^(https?|ftp)://\S+$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_YES = ("y", "yes", "true", "1", "j", "ja")
_NO = ("n", "no", "false", "0", "nein")


class InvalidAnswer(ValueError):
    """An answer that is not allowed; the message says what is."""


@dataclass(frozen=True)
class Question:
    """One question of the interview.

    `check` is how the answer is read: ``text``, ``slug``, ``country``,
    ``year``, ``count``, ``bool``, ``url`` or ``choice`` (one of `choices`,
    or several with `multiple`). An optional question is left out with
    Enter, ``skip`` or ``-``; ``?`` lists the allowed values.
    """

    key: str
    text: str
    check: str = "text"
    choices: tuple[str, ...] = ()
    multiple: bool = False
    required: bool = False
    default: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, value) pairs also accepted
    hint: bool = True  # show how to skip

    def prompt(self) -> str:
        """The text shown when asking (allowed values, or how to skip)."""
        text = self.text
        if self.choices:
            how = "one or more, comma-separated" if self.multiple else "one"
            if len(self.choices) <= 12:
                text += f" [{how} of: {', '.join(self.choices)}]"
            else:
                text += f" [{how} of {len(self.choices)} ids; ? lists them]"
        if not self.required and self.hint:
            text += " (skip: leave out)" if self.default is not None else " (Enter or skip: leave out)"
        return text

    def allowed(self) -> str:
        """The allowed values as a sentence."""
        if self.choices:
            return "allowed: " + ", ".join(self.choices)
        return {
            "slug": "use lower-case letters, digits and hyphens (kebab-case), such as acme-pumps",
            "country": "give an ISO 3166-1 alpha-2 code such as DE, CN or FR",
            "year": "give a year such as 2021",
            "count": "give a whole number of 1 or more",
            "bool": "answer yes or no",
            "url": "give a URL starting with http://, https:// or ftp://",
        }.get(self.check, "any text")


def slug(text: str) -> str:
    """A kebab-case id from a name: ``slug("Acme Pumps GmbH") == "acme-pumps-gmbh"``."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:120].strip("-") or "case"


def parse_answer(question: Question, raw: str) -> Any:
    """The answer as data, or None when an optional question is skipped.

    Raises `InvalidAnswer` (with what is allowed) for anything else.

    >>> parse_answer(Question("country", "Country", check="country", required=True), "de")
    'DE'
    """
    text = raw.strip()
    if text.lower() in SKIP:
        if question.default is not None and text == "":
            text = question.default
        elif question.required:
            raise InvalidAnswer(f"an answer is needed here; {question.allowed()}")
        else:
            return None
    if text == LIST:
        raise InvalidAnswer(question.allowed())
    check = question.check
    if check == "choice" or question.choices:
        return _choice(question, text)
    if check == "slug":
        if not _SLUG.match(text) or len(text) > 120:
            raise InvalidAnswer(f'"{text}" is not a valid id; {question.allowed()} (for example "{slug(text)}")')
        return text
    if check == "country":
        code = text.upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise InvalidAnswer(f'"{text}" is not a country code; {question.allowed()}')
        return code
    if check == "year":
        if not re.fullmatch(r"\d{4}", text) or not 1800 <= int(text) <= 2200:
            raise InvalidAnswer(f'"{text}" is not a year; {question.allowed()}')
        return int(text)
    if check == "count":
        if not re.fullmatch(r"\d+", text.replace(",", "").replace("_", "")) or int(text.replace(",", "")) < 1:
            raise InvalidAnswer(f'"{text}" is not a count; {question.allowed()}')
        return int(text.replace(",", "").replace("_", ""))
    if check == "bool":
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise InvalidAnswer(f'"{text}" is not yes or no; {question.allowed()}')
    if check == "url":
        if not _URL.match(text):
            raise InvalidAnswer(f'"{text}" is not a URL; {question.allowed()}')
        return text
    return text


def _choice(question: Question, text: str) -> Any:
    aliases = {a.lower(): v for a, v in question.aliases}
    if question.multiple:
        parts: list[str] = []
        for p in re.split(r"[,;]+", text):
            p = p.strip()
            known = p in question.choices or p.lower() in aliases
            parts += [p] if known or " " not in p else p.split()
        parts = [p for p in parts if p]
    else:
        parts = [text.strip()]
    values: list[str] = []
    for part in parts:
        low = part.lower()
        value = part if part in question.choices else aliases.get(low)
        if value is None:
            value = next((c for c in question.choices if c.lower() == low), None)
        if value is None:
            from bmnav.suggest import did_you_mean

            hint = did_you_mean(part, list(question.choices) + [a for a, _ in question.aliases])
            listing = question.allowed() if len(question.choices) <= 12 else "? lists the allowed values"
            raise InvalidAnswer(f'"{part}" is not allowed here{hint}; {listing}')
        values.append(value)
    if question.multiple:
        return list(dict.fromkeys(values))
    return values[0]


Ask = Callable[[Question], str]
Tell = Callable[[str], None]


def ask_one(question: Question, ask: Ask, tell: Tell) -> Any:
    """Ask until the answer is valid; return it as data (None when skipped)."""
    while True:
        raw = ask(question)
        try:
            return parse_answer(question, raw)
        except InvalidAnswer as exc:
            tell(f"  {exc}")


# ------------------------------------------------------------------ the questions


def _cluster_aliases(vocab: Vocabulary) -> tuple[tuple[str, str], ...]:
    pairs = []
    for cid, c in vocab.clusters.items():
        for key in ("name", "short"):
            if c.get(key):
                pairs.append((str(c[key]), cid))
    return tuple(pairs)


def _pattern_aliases(vocab: Vocabulary) -> tuple[tuple[str, str], ...]:
    pairs = list(vocab.pattern_aliases.items())
    pairs += [(str(p.get("name")), pid) for pid, p in vocab.patterns.items() if p.get("name")]
    return tuple(pairs)


def identity_questions(vocab: Vocabulary) -> list[Question]:
    """The facts every case needs, then the optional ones about the company."""
    return [
        Question("name", "Name of the use case (such as 'Pumping as a service')", required=True),
        Question("id", "Case id (kebab-case; the file is ID.yaml)", "slug", required=True),
        Question("company", "The focal company analysed", required=True),
        Question("country", "Country of the company (ISO code such as DE or CN)", "country", required=True),
        Question("company_size", "Company size", choices=SIZES, required=True),
        Question("industry", "Industry"),
        Question("year", "Year the description refers to", "year"),
        Question(
            "cluster",
            "Cluster (id or name)",
            choices=tuple(vocab.clusters),
            required=True,
            aliases=_cluster_aliases(vocab),
        ),
        Question(
            "also",
            "Further clusters the case combines",
            choices=tuple(vocab.clusters),
            multiple=True,
            aliases=_cluster_aliases(vocab),
        ),
        Question("summary", "Summary: one paragraph in your own words", required=True),
        Question("sources.title", "Source: title of the document the case is based on", required=True),
        Question("sources.url", "Source: URL", "url"),
    ]


def model_questions(vocab: Vocabulary) -> list[Question]:
    """The four questions, what changed, the offering facts, technologies and patterns."""
    labels = {
        "who": "Who: the target customers",
        "what": "What: the value proposition",
        "how": "How: the value chain",
        "value": "Value: the revenue mechanism",
    }
    qs = [Question(f"business_model.{q}", labels[q]) for q in QUESTIONS]
    qs.append(Question("changes", "Which of the four changed", choices=(*QUESTIONS, "none"), multiple=True))
    qs += [
        Question(
            "offering.access",
            "Who may take part as supplier or partner (only own units, selected partners, anyone)",
            choices=ACCESS,
        ),
        Question("offering.revenue", "How does it earn money", choices=REVENUE, multiple=True),
        Question("offering.ownership", "Who owns the asset the customer uses", choices=OWNERSHIP),
        Question("offering.customer_involvement", "How far do customers shape the product", choices=INVOLVEMENT),
        Question("offering.data_sharing", "With whom is data shared", choices=DATA_SHARING),
        Question("technologies", "Technologies that carry the model", choices=TECHNOLOGIES, multiple=True),
        Question(
            "patterns",
            "Business model patterns (St. Gallen navigator ids)",
            choices=tuple(vocab.patterns),
            multiple=True,
            aliases=_pattern_aliases(vocab),
        ),
    ]
    return qs


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        return
    if key == "changes":
        changed = set(value) - {"none"}
        data["changes"] = {q: q in changed for q in QUESTIONS}
        return
    if key.startswith("sources."):
        sources = data.setdefault("sources", [{}])
        sources[0][key.split(".", 1)[1]] = value
        return
    if "." in key:
        head, tail = key.split(".", 1)
        data.setdefault(head, {})[tail] = value
        return
    data[key] = value


def _has(data: dict[str, Any], key: str) -> bool:
    if key.startswith("sources."):
        sources = data.get("sources") or []
        return bool(sources) and (key != "sources.url" or any("url" in s for s in sources))
    if "." in key:
        head, tail = key.split(".", 1)
        return isinstance(data.get(head), dict) and data[head].get(tail) is not None
    return data.get(key) not in (None, [], {})


def _network(ask: Ask, tell: Tell, vocab: Vocabulary, company: str | None) -> dict[str, Any] | None:
    """Roles, then flows between them; None when the focal role is skipped."""
    role_types = tuple(vocab.role_types)
    tell("The value network: the roles (the focal company's first), then the flows between them.")
    focal = ask_one(Question("network.focal", "Id of the role the company plays (such as acme)", "slug"), ask, tell)
    if focal is None:
        return None
    roles: list[dict[str, Any]] = []
    role_id: str | None = focal
    while role_id is not None:
        is_focal = role_id == focal
        role: dict[str, Any] = {"id": role_id}
        role["name"] = ask_one(Question("role.name", f"Name of role {role_id}", required=True), ask, tell)
        rtype = ask_one(Question("role.type", f"Type of role {role_id}", choices=role_types), ask, tell)
        if rtype:
            role["type"] = rtype
        actor_default = company if is_focal else None
        actor = ask_one(Question("role.actor", f"Who plays {role_id}", default=actor_default), ask, tell)
        if actor:
            role["actor"] = actor
        if is_focal:
            role["external"] = False
        else:
            external = ask_one(
                Question("role.external", f"Is {role_id} outside the company (yes/no)", "bool", default="yes"),
                ask,
                tell,
            )
            if external is False:
                role["external"] = False
            count = ask_one(
                Question("role.count", f"About how many organisations play {role_id}", "count", default="1"),
                ask,
                tell,
            )
            if count and count != 1:
                role["count"] = count
        roles.append(role)
        taken = {r["id"] for r in roles}
        while True:
            role_id = ask_one(
                Question("role.id", "Id of another role (Enter: no more roles)", "slug", hint=False), ask, tell
            )
            if role_id is None or role_id not in taken:
                break
            tell(f'  there is already a role "{role_id}"; give another id')
    ids = tuple(r["id"] for r in roles)
    flows: list[dict[str, Any]] = []
    if len(ids) > 1:
        while True:
            source = ask_one(
                Question("flow.from", "A flow from role (Enter: no more flows)", choices=ids, hint=False), ask, tell
            )
            if source is None:
                break
            target = ask_one(
                Question(
                    "flow.to", f"... from {source} to role", choices=tuple(i for i in ids if i != source), required=True
                ),
                ask,
                tell,
            )
            kind = ask_one(Question("flow.kind", "... of kind", choices=FLOW_KINDS, required=True), ask, tell)
            flow: dict[str, Any] = {"from": source, "to": target, "kind": kind}
            what = ask_one(Question("flow.what", "... carrying what"), ask, tell)
            if what:
                flow["what"] = what
            flows.append(flow)
    net: dict[str, Any] = {"focal": focal, "roles": roles}
    if flows:
        net["flows"] = flows
    return net


def interview(
    ask: Ask,
    tell: Tell = lambda _: None,
    *,
    vocab: Vocabulary,
    case_id: str | None = None,
    start: dict[str, Any] | None = None,
    defaults: dict[str, str] | None = None,
    taken_ids: Iterable[str] = (),
    full: bool = True,
    check_id: Callable[[str], str | None] | None = None,
) -> dict[str, Any]:
    """Ask for a new case and return its data (in the contract's key order).

    `start` holds facts already known (a profile's): with `full=False` only
    the required facts still missing are asked, and the cluster; with
    `full=True` (a case from scratch) every question is asked, optional ones
    can be skipped. `defaults` proposes answers by key (such as the
    classifier's cluster); `case_id` fixes the id; `taken_ids` are ids the
    new case must not reuse. `check_id` says why an answered id cannot be
    used (such as: its file exists), or None; the id is then asked again, so
    the user learns it before the other questions, not after them.
    """
    data: dict[str, Any] = dict(start or {})
    defaults = dict(defaults or {})
    taken = set(taken_ids)
    asked: set[str] = set()
    if case_id is not None:
        data["id"] = case_id
    for q in identity_questions(vocab):
        if q.key == "id" and case_id is not None:
            continue
        asked_anyway = not full and (
            q.key in ("cluster", "also") or (q.key == "sources.url" and "sources.title" in asked)
        )
        if _has(data, q.key) and not asked_anyway:
            continue
        if not full and not q.required and not asked_anyway:
            continue
        default = defaults.get(q.key)
        if q.key == "id" and default is None and data.get("name"):
            default = slug(str(data["name"]))
        if q.key == "also" and default is None and data.get("also"):
            default = ", ".join(data["also"])
        q = replace(q, default=default)
        while True:
            value = ask_one(q, ask, tell)
            if q.key == "id" and value in taken:
                tell(f'  the corpus already has a case "{value}"; choose another id')
                continue
            refused = check_id(value) if q.key == "id" and check_id is not None else None
            if refused is not None:
                tell(f"  {refused}")
                continue
            if q.key == "also" and value and data.get("cluster") in value:
                value = [v for v in value if v != data.get("cluster")]
            break
        if q.key == "also":
            data.pop("also", None)
        asked.add(q.key)
        _set(data, q.key, value)
    if full:
        for q in model_questions(vocab):
            if not _has(data, q.key):
                _set(data, q.key, ask_one(q, ask, tell))
        if not data.get("network"):
            net = _network(ask, tell, vocab, data.get("company"))
            if net is not None:
                data["network"] = net
    return order_case(data)


def order_case(data: dict[str, Any]) -> dict[str, Any]:
    """The case with its keys in the contract's order (unknown keys last)."""
    out = {k: data[k] for k in CASE_KEYS if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    if isinstance(out.get("offering"), dict):
        off = out["offering"]
        out["offering"] = {**{k: off[k] for k in OFFERING_KEYS if k in off}, **off}
    return out


def profile_start(profile: Case, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str], dict[str, Any] | None]:
    """A profile as the start of a case: (its data, default answers, the classification).

    The default cluster is the classifier's top cluster, and `also` its
    hybrids; the classification's JSON form is returned for the CLI to show.
    """
    from bmnav.classifier import classify

    data = dict(profile.data)
    data.pop("cluster", None)
    result = classify(profile, corpus)
    defaults = {"cluster": result.cluster}
    if result.also:
        defaults["also"] = ", ".join(result.also)
    return data, defaults, result.as_dict()


# ------------------------------------------------------------------ writing


#: How far up from a case's folder `schema_ref` looks for a saved schema.
SCHEMA_SEARCH_DEPTH = 4


def schema_ref(folder: str | os.PathLike[str], names: tuple[str, ...] = ("usecase",)) -> str:
    """The schema path for the yaml-language-server modeline of a file written
    to `folder`, relative to it (POSIX form).

    A schema saved beside the cases is preferred, as the README tells users
    to do (`bmnav schema > usecase.schema.json`): `NAME.schema.json` or
    `schemas/NAME.schema.json` in the folder or up to four folders above
    it, for each of `names` in turn. It moves with the corpus and works on a
    colleague's machine. Only without one does the modeline point into the
    installed package, which breaks when that installation moves.
    """
    from bmnav.resources import schema_path

    start = Path(folder).resolve()
    for name in names:
        for place in [start, *start.parents][: SCHEMA_SEARCH_DEPTH + 1]:
            for candidate in (place / f"{name}.schema.json", place / "schemas" / f"{name}.schema.json"):
                if candidate.is_file():
                    return _relative(candidate, start)
    installed = schema_path(names[0])  # the installed profile schema for a profile (issue 16)
    return _relative(installed if installed.is_file() else schema_path("usecase"), start)


def _relative(target: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(target, start)).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


def case_text(data: dict[str, Any], ref: str) -> str:
    """The case as YAML, with the yaml-language-server modeline as its first line."""
    import yaml

    body = yaml.safe_dump(order_case(data), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return f"# yaml-language-server: $schema={ref}\n# Written by `bmnav new`; check it with `bmnav validate`.\n{body}"


def check_case(text: str, path: str, vocab: Vocabulary) -> list[Problem]:
    """Validate's problems (schema and rules) of a case given as text, as if it were the file `path`."""
    from bmnav.loading import load_text
    from bmnav.validation import check_loaded

    loaded = load_text(text, path)
    if not isinstance(loaded.data, dict):
        return list(loaded.problems)
    return check_loaded(loaded, "usecase", vocab, profile=False).problems


def write_case(
    data: dict[str, Any], path: str | os.PathLike[str], *, vocab: Vocabulary, force: bool = False
) -> tuple[Path, list[Problem]]:
    """Check the case and write it atomically to `path`; return (path, warnings).

    Raises `BmnavError` carrying the problems when the case is invalid (the
    file is then not written), when `path` exists and `force` is false, or
    when its folder does not exist.
    """
    from bmnav.files import check_writable, write_atomic

    target = check_writable(path, force=force)
    folder = target.parent if str(target.parent) else Path(".")
    text = case_text(data, schema_ref(folder))
    problems = check_case(text, str(target), vocab)
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors:
        n = len(errors)
        raise BmnavError(
            f"{target} not written: the case has {n} error{'s' if n != 1 else ''}", problems=problems, exit_code=1
        )
    return write_atomic(target, text, force=force), problems
