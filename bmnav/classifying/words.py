"""Whole words and stems: how bmnav finds a phrase in English, German or Chinese text.

English and German text is cut into words and each word is reduced to its
Snowball stem (the `snowballstemmer` package), so "rents", "rented" and
"renting" all meet the phrase "rent", while "Customers" no longer meets
"custom": a phrase matches whole words only. The few stems that Snowball
conflates across meanings (English "customer" and "custom") are kept apart
by the exceptions in `data/facts.yaml` (`stem_exceptions`). A German
one-word phrase also matches as a part of a compound ("Wartungsvertrag"
holds "Vertrag"). Chinese has no spaces: a Chinese phrase matches anywhere.

German verbs need a little more than Snowball gives: it keeps the "-t" of
"kauft", "verkauft" and "gekauft", which "kaufen" (stem "kauf") lacks. A
German word's key is therefore its Snowball stem less a final "-t"/"-et",
and a word shaped like a participle ("gekauft", "ausgewählt": the `ge` after
an optional separable particle, listed in `data/facts.yaml` under
`german_particles`) also carries the key of the word without that `ge`.
Separable verbs ("sucht die Partner aus") are joined in `bmnav.classifying.textscope`.

Clauses matter for negation and for "today" against "plan": `clauses()`
cuts text at sentence ends, semicolons, commas and contrast words ("but",
"sondern", "而是"), so "does not buy the machine, it rents it" negates the
buying only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

#: A word: letters (Chinese characters excluded: they have no word boundaries and are
#: matched as substrings, so "C2M定制" still holds the Latin word "m") or a number.
_LETTERS = r"[^\W\d_\u3400-\u9fff]+"
_WORD = re.compile(_LETTERS + r"(?:['’]" + _LETTERS + r")?|\d+(?:[.,]\d+)*", re.UNICODE)
#: Snowball's German stemmer folds umlauts and ß (eigentümer -> eigentum); a compound part is
#: looked for in the word folded the same way.
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_UMLAUTS = frozenset("äöüÄÖÜ")
_CJK = re.compile(r"[\u3400-\u9fff]")
#: Clause boundaries: punctuation in any of the three languages, and a dash between
#: spaces ("no new money — the payoff is less scrap": the "no" stays on its side).
_CLAUSE_PUNCT = re.compile(r"[.;:!?。；：！？\n]+|[,，、]\s*|\s[—–-]+\s|——")


def normalise(text: str, *, lower: bool = True) -> str:
    """NFKC, lower case (unless `lower=False`), typographic apostrophes and whitespace made plain."""
    text = unicodedata.normalize("NFKC", text)
    text = (text.lower() if lower else text).replace("’", "'")
    return re.sub(r"[ \t\r]+", " ", text)


def without_accents(text: str) -> str:
    """Latin letters without their accents ("Kōbe" -> "Kobe"), each letter kept in its
    place; letters that do not fold to one plain letter stay as they are, and so do
    German umlauts ("Gerät" must not become the town of Gera)."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if len(base) == 1 and base.isascii() and ch not in _UMLAUTS else ch)
    return "".join(out)


def fold(word: str) -> str:
    """A German word with umlauts and ß folded as the Snowball stemmer folds them."""
    return word.translate(_FOLD)


def is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Any:
    import snowballstemmer  # type: ignore[import-untyped]  # lazy: 10-60 ms, paid only when text is read

    return snowballstemmer.stemmer({"de": "german"}.get(lang, "english"))


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, dict[str, str]]:
    from bmnav.storage.datafiles import facts_data

    raw = facts_data().get("stem_exceptions") or {}
    return {str(lang): {str(k): str(v) for k, v in (m or {}).items()} for lang, m in raw.items()}


@lru_cache(maxsize=1)
def german_particles() -> tuple[str, ...]:
    """Separable verb particles ("aus", "an", "ein" ...), longest first (data/facts.yaml)."""
    from bmnav.storage.datafiles import facts_data

    raw = facts_data().get("german_particles") or []
    return tuple(sorted({str(w).lower() for w in raw}, key=len, reverse=True))


@lru_cache(maxsize=1)
def german_no_compound() -> tuple[str, ...]:
    """Word beginnings that look like a compound but are none ("vereinbar": agree, no
    "Verein"), folded (data/facts.yaml `german_no_compound`)."""
    from bmnav.storage.datafiles import facts_data

    return tuple(fold(str(w).lower()) for w in facts_data().get("german_no_compound") or [])


def may_hold_parts(word: str) -> bool:
    """Whether a German word may be searched for compound parts: not one that only looks
    like a compound (`german_no_compound`)."""
    return not fold(word).startswith(german_no_compound())


@lru_cache(maxsize=65536)
def snowball(word: str, lang: str) -> str:
    """The Snowball stem of one lower-case word (with the stem exceptions)."""
    fixed = _exceptions().get(lang, {})
    for prefix, kept in fixed.items():
        if word.startswith(prefix):
            return kept
    return str(_stemmer(lang).stemWord(word))


def _untee(key: str) -> str:
    """A German stem less the "-et"/"-t" of the third person and the participle."""
    if key.endswith("et") and len(key) >= 5:
        return key[:-2]
    if key.endswith("t") and len(key) >= 5 and not key.endswith("st"):
        return key[:-1]
    return key


_PARTICIPLE_END = re.compile(r"(?:t|te|tem|ten|ter|tes)$")


def _without_ge(word: str) -> str | None:
    """A participle-shaped German word without its "ge" ("ausgewählt" -> "auswählt"), else None."""
    if not _PARTICIPLE_END.search(word):
        return None
    for particle in (*german_particles(), ""):
        head = particle + "ge"
        if word.startswith(head) and len(word) - len(head) >= 4:
            return particle + word[len(head) :]
    return None


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The matching key of one lower-case word: its Snowball stem, and for German
    less the verb ending "-t" (so "kauft" and "kaufen" meet)."""
    if lang != "de":
        return snowball(word, lang)
    return _untee(snowball(word, lang))


@lru_cache(maxsize=65536)
def keys(word: str, lang: str) -> tuple[str, ...]:
    """Every key a word of the text answers to: its own, and for a German
    participle also that of the word without "ge" ("gespart" meets "sparen")."""
    own = stem(word, lang)
    bare = _without_ge(word) if lang == "de" else None
    if bare is None:
        return (own,)
    other = stem(bare, lang)
    return (own,) if other == own else (own, other)


class Token(NamedTuple):
    """A word of the notes with its matching key and offsets (a named tuple: a note of
    100,000 characters makes some 15,000 of them, and a frozen dataclass took 1.1 µs
    each to make against 0.4 µs)."""

    word: str
    stem: str
    start: int
    end: int
    #: the other keys the word answers to (a participle without "ge", a separable verb joined)
    alts: tuple[str, ...] = ()

    def meets(self, key: str) -> bool:
        return key == self.stem or key in self.alts


def tokens(text: str, lang: str) -> list[Token]:
    """The words of normalised text with their keys and offsets."""
    out = []
    for m in _WORD.finditer(text):
        own, *alts = keys(m.group(), lang)
        out.append(Token(m.group(), own, m.start(), m.end(), tuple(alts)))
    return out


@dataclass(frozen=True)
class Phrase:
    """A lexicon phrase prepared for matching."""

    text: str
    stems: tuple[str, ...]
    cjk: bool
    #: the plain Snowball stem of a one-word phrase, looked for inside German compounds
    base: str = ""


@lru_cache(maxsize=8192)
def phrase(text: str, lang: str) -> Phrase:
    norm = normalise(text).strip()
    if is_cjk(norm):
        return Phrase(norm, (), True)
    found = [m.group() for m in _WORD.finditer(norm)]
    # a participle in a phrase is keyed without its "ge", as the text's participles also are
    stems = tuple(stem((_without_ge(w) if lang == "de" else None) or w, lang) for w in found)
    return Phrase(norm, stems, False, snowball(found[0], lang) if len(found) == 1 else "")


def by_key(toks: list[Token]) -> dict[str, list[int]]:
    """The positions of the tokens each key meets (`Token.meets`), in order: for `find`."""
    index: dict[str, list[int]] = {}
    for i, t in enumerate(toks):
        for key in dict.fromkeys((t.stem, *t.alts)):
            index.setdefault(key, []).append(i)
    return index


def find(
    text: str, toks: list[Token], p: Phrase, lang: str, index: dict[str, list[int]] | None = None
) -> list[tuple[int, int]]:
    """(start, end) of every whole-word (or stem) match of a phrase in the text.

    Given the tokens' `index` (`by_key`), only the tokens its first word
    meets are tried, not every token (the same matches, in the same order)."""
    if p.cjk:
        return [(m.start(), m.end()) for m in re.finditer(re.escape(p.text), text)]
    n = len(p.stems)
    if n == 0:
        return []
    out: list[tuple[int, int]] = []
    # a German one-word phrase as part of a compound: its stem in the folded word, or
    # the phrase as written in the word ("daten" in "Lieferdaten", whose stem "dat" is short)
    compound = lang == "de" and n == 1 and max(len(p.base), len(p.text)) >= 4
    if index is not None and not compound:
        for i in index.get(p.stems[0], ()):
            if i + n <= len(toks) and all(toks[i + j].meets(p.stems[j]) for j in range(1, n)):
                out.append((toks[i].start, toks[i + n - 1].end))
        return out
    for i in range(len(toks) - n + 1):
        if all(toks[i + j].meets(p.stems[j]) for j in range(n)):
            out.append((toks[i].start, toks[i + n - 1].end))
        elif (
            compound
            and ((len(p.base) >= 4 and p.base in fold(toks[i].word)) or p.text in toks[i].word)
            and may_hold_parts(toks[i].word)
        ):
            out.append((toks[i].start, toks[i].end))
    return out


def clauses(text: str, contrast: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of each clause: split at punctuation and at contrast words."""
    words = sorted({normalise(w) for w in contrast if w}, key=len, reverse=True)
    cjk = [re.escape(w) for w in words if is_cjk(w)]
    latin = [re.escape(w) for w in words if not is_cjk(w)]
    parts = [_CLAUSE_PUNCT.pattern]
    if latin:
        parts.append(r"\b(?:" + "|".join(latin) + r")\b")
    if cjk:
        parts.append("|".join(cjk))
    cut = re.compile("|".join(parts))
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in cut.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = max(pos, m.end())
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def contains_any(text: str, phrases: Iterable[str], lang: str) -> list[str]:
    """The phrases (as given) that occur in the text as whole words or stems."""
    norm = normalise(text)
    toks = tokens(norm, lang)
    index = by_key(toks)
    return [w for w in phrases if find(norm, toks, phrase(str(w), lang), lang, index)]


def contains_some(text: str, phrases: Iterable[str], lang: str) -> bool:
    """Whether any of the phrases occurs in the text (`contains_any`, stopping at the first)."""
    norm = normalise(text)
    toks = tokens(norm, lang)
    index = by_key(toks)
    return any(find(norm, toks, phrase(str(w), lang), lang, index) for w in phrases)
