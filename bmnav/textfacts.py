"""Facts from a consultant's free-text notes, in English, German or Chinese.

The keyword lexicon is data (`data/lexicon.yaml`): for each fact value, the
phrases that suggest it. `extract(text, lexicon)` returns the facts in the
classifier's fact language plus, for every fact, the words it came from,
so a consultant can see (and correct) what bmnav read into the notes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
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

    def as_dict(self) -> dict[str, Any]:
        return {"language": self.language, "facts": self.facts, "sources": self.sources, "roles": self.roles}


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
    """Start offsets of a phrase: English at a word start, German and Chinese anywhere."""
    phrase = _normalise(phrase)
    if lang == "en" and not _is_cjk(phrase):
        return [m.start() for m in re.finditer(r"(?<![a-z0-9äöüß])" + re.escape(phrase), text)]
    return [m.start() for m in re.finditer(re.escape(phrase), text)]


def _negated(text: str, start: int, negations: dict[str, list[str]]) -> bool:
    before = text[max(0, start - 40) : start]
    zh_before = before[-3:]
    if any(n in zh_before for n in negations.get("zh", [])):
        return True
    words = re.findall(r"[a-zäöüß']+", before)[-3:]
    latin = {str(n).lower() for lang in ("en", "de") for n in negations.get(lang, [])}
    return any(w in latin for w in words)


def _sentence_clip(text: str, start: int, length: int) -> str:
    return text[start : start + length]


def extract(text: str, lexicon: dict[str, Any] | None = None) -> TextFacts:
    """Read facts out of free text with the keyword lexicon.

    A fact with one value takes the value found most often; list facts
    (revenue, technologies, patterns) collect every value found; a negation
    shortly before a phrase flips a true/false fact and drops other facts.
    """
    lexicon = lexicon if lexicon is not None else load_lexicon()
    specs = fact_specs()
    norm = _normalise(text)
    negations = lexicon.get("negations") or {}
    # fact -> value -> matched phrases (longest phrases first, so a long match hides its parts)
    hits: dict[str, dict[Any, list[str]]] = {}
    taken: list[tuple[str, int, int]] = []
    entries = []
    for entry in lexicon.get("facts") or []:
        for lang, words in (entry.get("words") or {}).items():
            for w in words or []:
                entries.append((len(str(w)), str(entry["fact"]), entry.get("is"), str(lang), str(w)))
    entries.sort(key=lambda e: -e[0])
    for _, fact, value, lang, word in entries:
        for start in _find(norm, word, lang):
            end = start + len(_normalise(word))
            # one stretch of text counts once per fact
            if any(f == fact and s < end and start < e for f, s, e in taken):
                continue
            neg = _negated(norm, start, negations)
            if neg and isinstance(value, bool):
                value_eff: Any = not value
            elif neg:
                continue
            else:
                value_eff = value
            taken.append((fact, start, end))
            found = _sentence_clip(norm, start, end - start)
            hits.setdefault(fact, {}).setdefault(value_eff, []).append(("not " if neg else "") + found)
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
        for v in chosen:
            sources.append({"fact": fact, "value": v, "words": sorted(set(by_value[v]))})
        for v, words in by_value.items():
            if v not in chosen:
                sources.append({"fact": fact, "value": v, "words": sorted(set(words)), "overruled": True})
    sources.sort(key=lambda s: (s["fact"], str(s["value"])))
    return TextFacts(facts, sources, _roles(norm, lexicon), detect_language(text))


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
    if not found.facts:
        raise BmnavError(_needed_message("no facts found in the text"), exit_code=1)
    return found


def _needed_message(reason: str) -> str:
    lines = [f"{reason}; describe the company in English, German or Chinese and mention at least one of:"]
    lines += [f"  - {name}: {what}" for name, what in NEEDED]
    lines.append('for example: "Customers pay per hour of use; the manufacturer remains the owner of the machines."')
    return "\n".join(lines)
