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

from bmnav.checking.problems import BmnavError, Level, Problem
from bmnav.classifying.classify_facts import ACCESS, DATA_SHARING, INVOLVEMENT, OWNERSHIP, REVENUE, SIZES, TECHNOLOGIES
from bmnav.domain.model import HEAD_KEYS, QUESTIONS, Vocabulary
from bmnav.domain.network import FLOW_KINDS

if TYPE_CHECKING:
    from bmnav.domain.labels import Labels
    from bmnav.domain.model import Case
    from bmnav.storage.corpus import Corpus

__all__ = [
    "CASE_KEYS",
    "SKIP",
    "InterviewStopped",
    "InvalidAnswer",
    "Question",
    "case_text",
    "check_case",
    "draft_name",
    "interview",
    "order_case",
    "parse_answer",
    "parse_flow_line",
    "profile_start",
    "propose_cluster",
    "schema_ref",
    "slug",
    "value_meanings",
    "write_case",
    "write_draft",
]

#: Answers that leave an optional question unanswered.
SKIP = ("", "skip", "-")
#: The answer that shows a question's allowed values and what each means.
LIST = "?"
#: Top-level keys in the order of the data contract (docs/format.md).
CASE_KEYS = (
    *HEAD_KEYS,
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
    meanings: tuple[tuple[str, str], ...] = ()  # (value, what it means) for `?`

    def prompt(self) -> str:
        """The text shown when asking (allowed values, or how to skip)."""
        text = self.text
        if self.choices:
            how = "one or more, comma-separated" if self.multiple else "one"
            if len(self.choices) <= 12:
                text += f" [{how} of: {', '.join(self.choices)}]"
            else:
                text += f" [{how} of {len(self.choices)} ids]"
            text += " (? explains)"
        if not self.required and self.hint:
            text += " (skip: leave out)" if self.default is not None else " (Enter or skip: leave out)"
        return text

    def explain(self) -> str:
        """What `?` shows: every allowed value with its meaning, one a line."""
        if not self.choices:
            return self.allowed()
        meanings = dict(self.meanings)
        lines = ["one or more of these, comma-separated:" if self.multiple else "one of these:"]
        lines += [f"  {c}: {meanings[c]}" if meanings.get(c) else f"  {c}" for c in self.choices]
        if not self.required and self.hint:
            lines.append("  (Enter or skip: leave out)" if self.default is None else "  (skip: leave out)")
        return "\n".join(lines)

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


def _items(question: Question, text: str) -> list[str]:
    """The items of an answer: a list answer split at commas (or spaces between ids)."""
    if not question.multiple:
        return [text.strip()]
    aliases = {a.lower() for a, _ in question.aliases}
    parts: list[str] = []
    for p in re.split(r"[,;]+", text):
        p = p.strip()
        known = p in question.choices or p.lower() in aliases
        parts += [p] if known or " " not in p else p.split()
    return [p for p in parts if p]


def _one_choice(question: Question, part: str) -> str:
    """One item as an allowed value (an alias or another case maps to it); raises `InvalidAnswer`."""
    aliases = {a.lower(): v for a, v in question.aliases}
    low = part.lower()
    value = part if part in question.choices else aliases.get(low)
    if value is None:
        value = next((c for c in question.choices if c.lower() == low), None)
    if value is None:
        from bmnav.checking.suggest import did_you_mean

        hint = did_you_mean(part, list(question.choices) + [a for a, _ in question.aliases])
        listing = question.allowed() if len(question.choices) <= 12 else "? explains the allowed values"
        raise InvalidAnswer(f'"{part}" is not allowed here{hint}; {listing}')
    return value


def _choice(question: Question, text: str) -> Any:
    values = [_one_choice(question, part) for part in _items(question, text)]
    if question.multiple:
        return list(dict.fromkeys(values))
    return values[0]


Ask = Callable[[Question], str]
Tell = Callable[[str], None]


def ask_one(question: Question, ask: Ask, tell: Tell) -> Any:
    """Ask until the answer is valid; return it as data (None when skipped).

    `?` shows the allowed values with their meanings and asks again. In a
    list, only a bad item is asked again (Enter drops it); the good ones stay.
    """
    while True:
        raw = ask(question)
        if raw.strip() == LIST:
            tell(question.explain())
            continue
        if question.multiple and question.choices and raw.strip().lower() not in SKIP:
            return _list_answer(question, raw, ask, tell)
        try:
            return parse_answer(question, raw)
        except InvalidAnswer as exc:
            tell(f"  {exc}")


def _list_answer(question: Question, raw: str, ask: Ask, tell: Tell) -> list[str] | None:
    """A list answer item by item: each bad item is asked again on its own."""
    values: list[str] = []
    for part in _items(question, raw):
        try:
            values.append(_one_choice(question, part))
            continue
        except InvalidAnswer as exc:
            tell(f"  {exc}")
        instead = replace(
            question,
            text=f'Instead of "{part}" (Enter: drop it)',
            multiple=False,
            required=False,
            default=None,
            hint=False,
        )
        value = ask_one(instead, ask, tell)
        if value is not None:
            values.append(value)
    if not values and question.required:
        tell(f"  an answer is needed here; {question.allowed()}")
        return ask_one(question, ask, tell)  # type: ignore[no-any-return]
    return list(dict.fromkeys(values)) or None


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
    """The facts every case needs, then the optional ones about the company (the cluster comes last)."""
    return [
        Question("name", "Name of the use case (such as 'Pumping as a service')", required=True),
        Question("id", "Case id (kebab-case; the file is ID.yaml)", "slug", required=True),
        Question("company", "The focal company analysed", required=True),
        Question("country", "Country of the company (ISO code such as DE or CN)", "country", required=True),
        Question("company_size", "Company size", choices=SIZES, required=True),
        Question("industry", "Industry"),
        Question("year", "Year the description refers to", "year"),
        Question("summary", "Summary: one paragraph in your own words", required=True),
        Question("sources.title", "Source: title of the document the case is based on", required=True),
        Question("sources.url", "Source: URL", "url"),
    ]


def cluster_questions(vocab: Vocabulary) -> list[Question]:
    """The cluster and the further clusters, asked after the facts (so a proposal can be made)."""
    return [
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
    ]


def value_meanings(vocab: Vocabulary, labels: Labels | None = None) -> dict[str, dict[str, str]]:
    """What each allowed value means, by question key, for `?`.

    The facts' meanings come from data/meanings.yaml (the texts of
    docs/format.md); clusters, patterns and role types are
    explained by their own data files.
    """
    from bmnav.domain.labels import labels_for

    labels = labels or labels_for()
    out = {key: dict(texts) for key, texts in labels.meanings.items()}
    out["flow.kind"] = out.pop("network.flows.kind", {})
    clusters = {cid: _gist(c.get("name"), c.get("definition")) for cid, c in vocab.clusters.items()}
    out["cluster"] = out["also"] = clusters
    out["patterns"] = {pid: _gist(p.get("name"), p.get("description")) for pid, p in vocab.patterns.items()}
    out["role.type"] = {rid: _gist(r.get("name"), r.get("description")) for rid, r in vocab.role_types.items()}
    return out


def _gist(name: Any, text: Any) -> str:
    """ "Name: first sentence of its description" (what `?` shows for an id)."""
    first = re.split(r"(?<=[.!?])\s", str(text or "").strip(), maxsplit=1)[0]
    return f"{name}: {first}" if name and first else str(name or first)


def explained(question: Question, meanings: dict[str, dict[str, str]] | None) -> Question:
    """The question with the meanings of its values (for `?`)."""
    texts = (meanings or {}).get(question.key)
    return replace(question, meanings=tuple(texts.items())) if texts else question


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


class InterviewStopped(Exception):
    """Input ended (Ctrl-D) or was interrupted (Ctrl-C) mid-interview; `data`
    holds the answers so far, for a draft."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__("the interview was stopped")
        self.data = data


def _network(
    ask: Ask,
    tell: Tell,
    vocab: Vocabulary,
    company: str | None,
    net: dict[str, Any],
    meanings: dict[str, dict[str, str]] | None = None,
) -> None:
    """Roles, then flows between them, filled into `net` as they are answered
    (so a draft keeps them); `net` stays empty when the focal role is skipped."""
    role_types = tuple(vocab.role_types)
    tell("The value network: the roles (the focal company's first), then the flows between them.")
    focal = ask_one(Question("network.focal", "Id of the role the company plays (such as acme)", "slug"), ask, tell)
    if focal is None:
        return
    roles: list[dict[str, Any]] = []
    net.update(focal=focal, roles=roles)
    role_id: str | None = focal
    while role_id is not None:
        is_focal = role_id == focal
        role: dict[str, Any] = {"id": role_id}
        roles.append(role)
        role["name"] = ask_one(Question("role.name", f"Name of role {role_id}", required=True), ask, tell)
        type_q = explained(Question("role.type", f"Type of role {role_id}", choices=role_types), meanings)
        rtype = ask_one(type_q, ask, tell)
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
        taken = {r["id"] for r in roles}
        while True:
            role_id = ask_one(
                Question("role.id", "Id of another role (Enter: no more roles)", "slug", hint=False), ask, tell
            )
            if role_id is None or role_id not in taken:
                break
            tell(f'  there is already a role "{role_id}"; give another id')
    ids = tuple(r["id"] for r in roles)
    if len(ids) > 1:
        _flows(ask, tell, ids, net, meanings)


#: A flow on one line: "from -> to : kind : what" (the what is optional).
_FLOW_LINE = re.compile(
    r"^\s*(?P<src>[^\s:>-][^:>]*?)\s*->\s*(?P<dst>[^:]+?)\s*:\s*(?P<kind>[^:]+?)\s*(?::\s*(?P<what>.*?))?\s*$"
)


def parse_flow_line(line: str, ids: tuple[str, ...]) -> dict[str, Any]:
    """A flow from the compact form ``from -> to : kind : what``; raises `InvalidAnswer`.

    >>> parse_flow_line("plants -> acme : money : Fee per cubic metre", ("acme", "plants"))
    {'from': 'plants', 'to': 'acme', 'kind': 'money', 'what': 'Fee per cubic metre'}
    """
    match = _FLOW_LINE.match(line)
    if not match:
        raise InvalidAnswer(f'"{line.strip()}" is not a flow; write it as: from -> to : kind : what')
    source = _one_choice(Question("flow.from", "from", choices=ids), match["src"])
    target = _one_choice(Question("flow.to", "to", choices=tuple(i for i in ids if i != source)), match["dst"])
    kind = _one_choice(Question("flow.kind", "kind", choices=FLOW_KINDS), match["kind"])
    flow: dict[str, Any] = {"from": source, "to": target, "kind": kind}
    if match["what"]:
        flow["what"] = match["what"]
    return flow


def _flows(
    ask: Ask, tell: Tell, ids: tuple[str, ...], net: dict[str, Any], meanings: dict[str, dict[str, str]] | None
) -> None:
    """The flows, each as a line `from -> to : kind : what` or asked field by field."""
    flows: list[dict[str, Any]] = []
    first = Question(
        "flow.from",
        "A flow: from -> to : kind : what, or just the role it comes from (Enter: no more flows)",
        choices=ids,
        hint=False,
    )
    while True:
        raw = ask(first)
        if "->" in raw:
            try:
                flows.append(parse_flow_line(raw, ids))
            except InvalidAnswer as exc:
                tell(f"  {exc}")
            net["flows"] = flows
            continue
        if raw.strip() == LIST:
            tell(first.explain() + "\n  or a whole flow on one line: from -> to : kind : what")
            continue
        try:
            source = parse_answer(first, raw)
        except InvalidAnswer as exc:
            tell(f"  {exc}")
            continue
        if source is None:
            break
        to_q = Question("flow.to", f"... from {source} to role", choices=tuple(i for i in ids if i != source))
        target = ask_one(replace(to_q, required=True), ask, tell)
        kind_q = explained(Question("flow.kind", "... of kind", choices=FLOW_KINDS, required=True), meanings)
        kind = ask_one(kind_q, ask, tell)
        flow: dict[str, Any] = {"from": source, "to": target, "kind": kind}
        what = ask_one(Question("flow.what", "... carrying what"), ask, tell)
        if what:
            flow["what"] = what
        flows.append(flow)
        net["flows"] = flows
    if not flows:
        net.pop("flows", None)


Proposal = tuple[dict[str, str], str]


def propose_cluster(data: dict[str, Any], corpus: Corpus) -> Proposal:
    """The classifier's cluster for the answers so far, as default answers
    and a sentence saying it and its confidence.

    With too few facts ("insufficient") there is no default: the sentence
    says so and the user chooses.
    """
    from bmnav.classifying.classifier import INSUFFICIENT, classify
    from bmnav.domain.model import Case

    facts = {k: v for k, v in data.items() if k not in ("cluster", "also")}
    result = classify(Case(facts), corpus)
    if result.confidence == INSUFFICIENT:
        return {}, "The answers so far are too few to propose a cluster; choose one (? explains them)."
    top = result.ranking[0]
    defaults = {"cluster": result.cluster}
    also = ""
    if result.also:
        defaults["also"] = ", ".join(result.also)
        also = f"; also {', '.join(result.also)}"
    return defaults, (
        f"For these answers the classifier proposes {top.cluster} "
        f"(score {top.score:.2f}, confidence {result.confidence}{also}); Enter takes it."
    )


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
    propose: Callable[[dict[str, Any]], Proposal] | None = None,
    meanings: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Ask for a new case and return its data (in the contract's key order).

    The facts come first, the cluster last: `propose` (such as
    `propose_cluster` with the corpus) turns the answers so far into a
    default cluster, unless `defaults` already has one. `start` holds facts
    already known (a profile's): with `full=False` only the required facts
    still missing are asked, and the cluster; with `full=True` (a case from
    scratch) every question is asked, optional ones can be skipped.
    `case_id` fixes the id; `taken_ids` are ids the new case must not reuse.
    `check_id` says why an answered id cannot be used (such as: its file
    exists), or None; the id is then asked again, so the user learns it
    before the other questions. `meanings` (from `value_meanings`) is what
    `?` shows. Ctrl-D or Ctrl-C (EOFError, KeyboardInterrupt from `ask`)
    raises `InterviewStopped` carrying the answers so far.
    """
    data: dict[str, Any] = dict(start or {})
    try:
        _interview(
            ask,
            tell,
            data,
            vocab,
            case_id,
            start,
            dict(defaults or {}),
            set(taken_ids),
            full,
            check_id,
            propose,
            meanings,
        )
    except (EOFError, KeyboardInterrupt):
        raise InterviewStopped(order_case(_pruned(data))) from None
    return order_case(data)


def _pruned(data: dict[str, Any]) -> dict[str, Any]:
    """The answers without empty parts (a network whose focal role was not yet answered)."""
    return {k: v for k, v in data.items() if v not in (None, {}, [])}


def _interview(
    ask: Ask,
    tell: Tell,
    data: dict[str, Any],
    vocab: Vocabulary,
    case_id: str | None,
    start: dict[str, Any] | None,
    defaults: dict[str, str],
    taken: set[str],
    full: bool,
    check_id: Callable[[str], str | None] | None,
    propose: Callable[[dict[str, Any]], Proposal] | None,
    meanings: dict[str, dict[str, str]] | None,
) -> None:
    asked: set[str] = set()
    if case_id is not None:
        data["id"] = case_id
    for q in identity_questions(vocab):
        if q.key == "id" and case_id is not None:
            continue
        asked_anyway = not full and q.key == "sources.url" and "sources.title" in asked
        if _has(data, q.key) and not asked_anyway:
            continue
        if not full and not q.required and not asked_anyway:
            continue
        default = defaults.get(q.key)
        if q.key == "id" and default is None and data.get("name"):
            default = slug(str(data["name"]))
        q = explained(replace(q, default=default), meanings)
        while True:
            value = ask_one(q, ask, tell)
            if q.key == "id" and value in taken:
                tell(f'  the corpus already has a case "{value}"; choose another id')
                continue
            refused = check_id(value) if q.key == "id" and check_id is not None else None
            if refused is not None:
                tell(f"  {refused}")
                continue
            break
        asked.add(q.key)
        _set(data, q.key, value)
    if full:
        for q in model_questions(vocab):
            if not _has(data, q.key):
                _set(data, q.key, ask_one(explained(q, meanings), ask, tell))
        if not data.get("network"):
            net: dict[str, Any] = {}
            data["network"] = net
            _network(ask, tell, vocab, data.get("company"), net, meanings)
            if not net:
                del data["network"]
    _ask_cluster(ask, tell, data, vocab, defaults, propose, meanings)


def _ask_cluster(
    ask: Ask,
    tell: Tell,
    data: dict[str, Any],
    vocab: Vocabulary,
    defaults: dict[str, str],
    propose: Callable[[dict[str, Any]], Proposal] | None,
    meanings: dict[str, dict[str, str]] | None,
) -> None:
    """The cluster and further clusters, last, with the classifier's proposal as the default."""
    if "cluster" not in defaults and propose is not None:
        proposed, message = propose(data)
        defaults = {**defaults, **proposed}
        tell(message)
    for q in cluster_questions(vocab):
        default = defaults.get(q.key)
        if q.key == "also" and default is None and data.get("also"):
            default = ", ".join(data["also"])
        value = ask_one(explained(replace(q, default=default), meanings), ask, tell)
        if q.key == "also":
            data.pop("also", None)
            if value and data.get("cluster") in value:
                value = [v for v in value if v != data.get("cluster")]
        _set(data, q.key, value)


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
    from bmnav.classifying.classifier import classify

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
    from bmnav.storage.resources import schema_path

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
    from bmnav.checking.validation import check_loaded
    from bmnav.storage.loading import load_text

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
    from bmnav.storage.files import check_writable, write_atomic

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


def draft_name(data: dict[str, Any]) -> str:
    """The draft's file name: ``<id>.draft.yaml`` (the id, or one made from the name, or new-case)."""
    cid = data.get("id") or (slug(str(data["name"])) if data.get("name") else "new-case")
    return f"{cid}.draft.yaml"


def write_draft(data: dict[str, Any], path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write unfinished answers atomically, unchecked (a draft need not be valid).

    Never over an existing file unless `force` (raises `BmnavError`).
    """
    import yaml

    from bmnav.storage.files import check_writable, write_atomic

    target = check_writable(path, force=force)
    body = yaml.safe_dump(order_case(data), sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    head = (
        "# A draft written by `bmnav new` when its input ended: finish it in an editor,\n"
        "# rename it to ID.yaml and check it with `bmnav validate`.\n"
    )
    return write_atomic(target, head + body, force=force)
