"""Facts from a consultant's free-text notes, in English, German or Chinese.

The keyword lexicon is data (`data/lexicon.yaml`): for each fact value, the
phrases that suggest it. `extract(text, lexicon)` returns the facts in the
classifier's fact language plus, for every fact, the words it came from,
so a consultant can see (and correct) what bmnav read into the notes.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bmnav.classify_facts import fact_specs
from bmnav.problems import BmnavError

#: Facts the notes should mention at least one of (named in the "no facts" message).
NEEDED = (
    ("offering.access", "who may take part: only the company's own units, selected partners, or anyone"),
    ("offering.revenue", "how it earns money: sale, subscription, pay-per-use, leasing, commission, fees, data sales"),
    ("offering.ownership", "who owns the machine or product the customer uses"),
    ("offering.customer_involvement", "whether customers configure or co-design the product"),
    ("offering.data_sharing", "with whom data is shared: nobody, inside the company, one partner, many companies"),
    ("network", "the roles (suppliers, buyers, owners, data users) and what flows between them"),
)


@dataclass
class TextFacts:
    """What the notes said: facts, their sources, the roles named, the language."""

    facts: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    language: str = "en"
    #: facts read from weaker cues only (the lexicon's `weak: true` entries): lower the confidence
    weak: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "facts": self.facts,
            "sources": self.sources,
            "roles": self.roles,
            "weak": self.weak,
        }


def load_lexicon(path: str | Path | None = None) -> dict[str, Any]:
    """The keyword lexicon (the bundled data/lexicon.yaml unless a path is given)."""
    from bmnav.loading import load_file
    from bmnav.resources import bundled_data_dir

    p = Path(path) if path is not None else bundled_data_dir() / "lexicon.yaml"
    loaded = load_file(p)
    if not isinstance(loaded.data, dict):
        raise BmnavError(f"{p}: the keyword lexicon cannot be read", problems=loaded.problems)
    return loaded.data


def detect_language(text: str) -> str:
    """'zh' when the notes are mostly Chinese, 'de' when they look German, else 'en'."""
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    letters = sum(1 for ch in text if ch.isalpha())
    if letters and cjk / letters > 0.3:
        return "zh"
    low = f" {text.lower()} "
    german = sum(low.count(w) for w in (" der ", " die ", " das ", " und ", " nicht ", " mit ", " für ", " ist "))
    german += sum(low.count(ch) for ch in "äöüß")
    english = sum(low.count(w) for w in (" the ", " and ", " with ", " for ", " is ", " of "))
    return "de" if german > english else "en"


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[ \t\r\n]+", " ", text.replace("’", "'"))


def _is_cjk(word: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in word)


def _find(text: str, phrase: str, lang: str) -> list[int]:
    """Start offsets of a phrase: English (and Latin-letter phrases of the Chinese
    list, such as "app") at a word start; German and Chinese anywhere."""
    phrase = _normalise(phrase)
    if not phrase:
        return list(range(len(text) + 1))  # (as re.finditer of an empty pattern)
    word_start = lang in ("en", "zh") and not _is_cjk(phrase)
    # str.find, not a regular expression: the look-behind kept re from its fast
    # literal search, which made a 2 MB text take minutes over the whole lexicon
    out: list[int] = []
    i = text.find(phrase)
    while i != -1:
        if word_start and i and text[i - 1] in _WORD_CHARS:
            i = text.find(phrase, i + 1)
            continue
        out.append(i)
        i = text.find(phrase, i + len(phrase))  # matches do not overlap, as with re.finditer
    return out


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789äöüß")


def _latin_negations(negations: dict[str, list[str]]) -> set[str]:
    return {str(n).lower() for lang in ("en", "de") for n in negations.get(lang, [])}


def _negated(text: str, start: int, negations: dict[str, list[str]], latin: set[str] | None = None) -> bool:
    before = text[max(0, start - 40) : start]
    zh_before = before[-3:]
    if any(n in zh_before for n in negations.get("zh", [])):
        return True
    words = re.findall(r"[a-zäöüß']+", before)[-3:]
    latin = latin if latin is not None else _latin_negations(negations)
    return any(w in latin for w in words)


def _sentence_clip(text: str, start: int, length: int) -> str:
    return text[start : start + length]


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    """A lexicon regular expression, compiled once (case-insensitive; the text is lower-cased)."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise BmnavError(
            f"keyword lexicon: the pattern {pattern!r} is not a valid regular expression ({exc})"
        ) from None


@dataclass(frozen=True)
class _Match:
    fact: str
    value: Any
    start: int
    end: int
    weak: bool


def _candidates(norm: str, lexicon: dict[str, Any]) -> list[_Match]:
    """Every match of every phrase (`words`) and regular expression (`patterns`), longest first."""
    out: list[_Match] = []
    for entry in lexicon.get("facts") or []:
        fact, value, weak = str(entry["fact"]), entry.get("is"), bool(entry.get("weak"))
        for lang, words in (entry.get("words") or {}).items():
            for w in words or []:
                size = len(_normalise(str(w)))
                out += [_Match(fact, value, s, s + size, weak) for s in _find(norm, str(w), str(lang))]
        for patterns in (entry.get("patterns") or {}).values():
            for pattern in patterns or []:
                out += [
                    _Match(fact, value, m.start(), m.end(), weak)
                    for m in _compiled(str(pattern)).finditer(norm)
                    if m.end() > m.start()
                ]
    # longest first, so a long match hides its parts (stable: lexicon order among equals)
    out.sort(key=lambda m: -(m.end - m.start))
    return out


def _collect(
    norm: str, matches: list[_Match], negations: dict[str, list[str]], skip: set[str]
) -> dict[str, dict[Any, list[str]]]:
    """fact -> value -> the words it came from; facts in `skip` are left out."""
    hits: dict[str, dict[Any, list[str]]] = {}
    # per fact, the stretches taken so far, disjoint and sorted by start: a new
    # match is checked against its neighbour only, not against every earlier one
    latin = _latin_negations(negations)  # (once, not once per match)
    starts: dict[str, list[int]] = {}
    ends: dict[str, list[int]] = {}
    for m in matches:
        if m.fact in skip:
            continue
        # one stretch of text counts once per fact
        fact_starts, fact_ends = starts.setdefault(m.fact, []), ends.setdefault(m.fact, [])
        before = bisect.bisect_left(fact_starts, m.end) - 1  # the last stretch starting before m ends
        if before >= 0 and fact_ends[before] > m.start:
            continue
        neg = _negated(norm, m.start, negations, latin)
        if neg and isinstance(m.value, bool):
            value_eff: Any = not m.value
        elif neg:
            continue
        else:
            value_eff = m.value
        at = bisect.bisect_left(fact_starts, m.start)
        fact_starts.insert(at, m.start)
        fact_ends.insert(at, m.end)
        found = _sentence_clip(norm, m.start, m.end - m.start)
        hits.setdefault(m.fact, {}).setdefault(value_eff, []).append(("not " if neg else "") + found)
    return hits


def extract(text: str, lexicon: dict[str, Any] | None = None) -> TextFacts:
    """Read facts out of free text with the keyword lexicon.

    A fact with one value takes the value found most often; list facts
    (revenue, technologies, patterns) collect every value found; a negation
    shortly before a phrase flips a true/false fact and drops other facts.
    Entries marked `weak: true` are weaker cues: they are read only when the
    other entries found fewer than `fallback.min_facts` facts, and only for
    facts still unknown; `TextFacts.weak` names the facts they gave.
    """
    lexicon = lexicon if lexicon is not None else load_lexicon()
    specs = fact_specs()
    norm = _normalise(text)
    negations = lexicon.get("negations") or {}
    matches = _candidates(norm, lexicon)
    hits = _collect(norm, [m for m in matches if not m.weak], negations, set())
    weak_facts: set[str] = set()
    min_facts = int((lexicon.get("fallback") or {}).get("min_facts", 1))
    if len(set(hits) - {"company_size"}) < min_facts:
        weak_hits = _collect(norm, [m for m in matches if m.weak], negations, set(hits))
        weak_facts = set(weak_hits)
        hits.update(weak_hits)
    facts: dict[str, Any] = {}
    sources: list[dict[str, Any]] = []
    for fact, by_value in hits.items():
        kind = specs[fact].kind if fact in specs else "one"
        if kind == "set":
            values = sorted(by_value, key=str)
            facts[fact] = values
            chosen = values
        else:
            best = max(by_value.items(), key=lambda kv: len(kv[1]))[0]
            facts[fact] = best
            chosen = [best]
        extra = {"weak": True} if fact in weak_facts else {}
        for v in chosen:
            sources.append({"fact": fact, "value": v, "words": sorted(set(by_value[v])), **extra})
        for v, words in by_value.items():
            if v not in chosen:
                sources.append({"fact": fact, "value": v, "words": sorted(set(words)), "overruled": True, **extra})
    sources.sort(key=lambda s: (s["fact"], str(s["value"])))
    return TextFacts(facts, sources, _roles(norm, lexicon), detect_language(text), sorted(weak_facts))


def _roles(norm: str, lexicon: dict[str, Any]) -> list[dict[str, Any]]:
    """Role types the notes name (from clusters.yaml names and aliases plus the lexicon's roles)."""
    from bmnav.loading import load_file
    from bmnav.resources import bundled_data_dir

    words: dict[str, set[tuple[str, str]]] = {}
    loaded = load_file(bundled_data_dir() / "clusters.yaml")
    data = loaded.data if isinstance(loaded.data, dict) else {}
    for rt in data.get("role_types") or []:
        if not isinstance(rt, dict):
            continue
        for w in [rt.get("name"), *(rt.get("aliases") or [])]:
            if w:
                words.setdefault(str(rt["id"]), set()).add(("en", str(w)))
    for rid, by_lang in (lexicon.get("roles") or {}).items():
        for lang, ws in (by_lang or {}).items():
            for w in ws or []:
                words.setdefault(str(rid), set()).add((str(lang), str(w)))
    out = []
    for rid, ws in sorted(words.items()):
        found = sorted({w for lang, w in ws if _find(norm, w, lang)})
        if found:
            out.append({"type": rid, "words": found})
    return out


def facts_from_text(text: str, lexicon: dict[str, Any] | None = None) -> TextFacts:
    """`extract`, or a `BmnavError` naming the facts needed when the text yields none."""
    if not text or not text.strip():
        raise BmnavError(_needed_message("the text is empty"), exit_code=1)
    found = extract(text, lexicon)
    # the text cues (data/textcues.yaml): a second, more general signal
    from bmnav.textcues import add_cues

    add_cues(found.facts, found.sources, text, (lexicon or load_lexicon()).get("negations"))
    if not found.facts:
        raise BmnavError(_needed_message("no facts found in the text"), exit_code=1)
    return found


def _needed_message(reason: str) -> str:
    lines = [f"{reason}; describe the company in English, German or Chinese and mention at least one of:"]
    lines += [f"  - {name}: {what}" for name, what in NEEDED]
    lines.append('for example: "Customers pay per hour of use; the manufacturer remains the owner of the machines."')
    return "\n".join(lines)
