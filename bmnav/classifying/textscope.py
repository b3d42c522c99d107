"""Notes prepared for reading: words, clauses, negations and today-versus-plan.

Both readers of free text (`bmnav.classifying.textfacts` for facts, `bmnav.classifying.textcues` for the
clusters' vocabulary) find phrases the same way, through `bmnav.classifying.words`: whole
words or Snowball stems in English and German, a German one-word phrase also as
part of a compound, a Chinese phrase anywhere. The clause a phrase stands in
decides two more things, both set by word lists in data/lexicon.yaml:

- negation: a negation word of the same clause (before the phrase in English
  and Chinese, anywhere in the clause in German, where "nicht" follows the
  verb) negates the phrase; words inside the phrase itself do not count, nor
  does a negation word within a listed exception ("not only", "不断", "未来");
- time: a clause marked as today ("today", "bisher", "目前") or as the plan
  ("plan", "künftig", "计划"), with the mark lasting to the end of its sentence
  (or, for a heading such as "Plan:" alone on a line, to the next blank line);
  a sentence that says an idea was looked at and dropped ("dropped the idea",
  "verworfen", "放弃了这个想法") is marked as dropped as a whole: it states no
  model, neither today's nor the plan's; so is a clause that says how things
  were until a past year ("Until 2021 it sold its robots outright", "Bis 2021
  verkaufte …", "2020年以前…"): the model it names has ended.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from bmnav.classifying import words

TODAY, PLAN, DROPPED = "today", "plan", "dropped"
#: where a clause's sentence ends: a new sentence starts with no time mark
_SENTENCE_END = re.compile(r"[.!?。！？\n]")
#: a year in a `time.ended` pattern: the model ended then only if the year has passed
_YEAR = re.compile(r"(?:19|20)\d\d")
#: what no relative clause joins across: a sentence end, a semicolon or a colon
_NOT_RELATIVE = re.compile(r"[.!?。！？\n;:；：]")
#: a marker followed by a colon and a line end is a heading for the lines below
_HEADING_END = re.compile(r"[ \t]*[:：][ \t]*\n")


def _lists(value: Any) -> dict[str, list[str]]:
    """`{lang: [words]}` from the lexicon, tolerant of missing parts."""
    if not isinstance(value, dict):
        return {}
    return {str(lang): [str(w) for w in (ws or [])] for lang, ws in value.items()}


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    kind: str  # "neg", "today" or "plan"
    lang: str


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
#: a German finite verb as a clause's last word: lower case, ending in -t or -en ("regelt", "auswählen")
_FINITE = re.compile(r"[a-zäöüß]{3,}(?:t|en)")


def _wrap_gap(text: str, i: int) -> bool:
    """Whether `text[i]` is a space between two Chinese characters."""
    return (
        text[i] == " "
        and 0 < i < len(text) - 1
        and bool(_CJK_CHAR.match(text[i - 1]))
        and bool(_CJK_CHAR.match(text[i + 1]))
    )


def _occurrences(text: str, part: str) -> list[int]:
    """Where `part` starts in `text` (a plain search: no regular expression to compile)."""
    out, at = [], text.find(part)
    while at >= 0:
        out.append(at)
        at = text.find(part, at + len(part))
    return out


class _Index:
    """The words of a note indexed for many phrases: positions by stem, and the words
    joined (as written, and folded as Snowball folds German) to find compound parts."""

    def __init__(self, toks: list[words.Token]) -> None:
        self.by_stem: dict[str, list[int]] = {}
        self.by_word: dict[str, list[int]] = {}  # as written: for "=word" phrases
        for i, t in enumerate(toks):
            for key in (t.stem, *t.alts):
                self.by_stem.setdefault(key, []).append(i)
            self.by_word.setdefault(t.word, []).append(i)
        self._joined = {False: self._join([t.word for t in toks]), True: self._join([words.fold(t.word) for t in toks])}

    @staticmethod
    def _join(ws: list[str]) -> tuple[str, list[int]]:
        starts, pos = [], 0
        for w in ws:
            starts.append(pos)
            pos += len(w) + 1
        return " ".join(ws), starts

    def containing(self, part: str, *, folded: bool) -> set[int]:
        """Indexes of the words that contain `part`."""
        text, starts = self._joined[folded]
        return {bisect_right(starts, at) - 1 for at in _occurrences(text, part)}


#: a line that ends a statement: punctuation (any script) or a colon before it
_LINE_CLOSED = re.compile(r"[.;:!?。；：！？,，、)）\]]\s*$")
#: a line that opens an item of its own: a bullet or a number
_LINE_ITEM = re.compile(r"^\s*(?:[-*•·–—>]|\d+[.)])\s")
#: lines shorter than this are items or headings, not wrapped prose
WRAPPED_LINE = 40


def _unwrap(text: str) -> str:
    """Notes with their soft line breaks made spaces (same length, same offsets). Notes are
    often wrapped at a fixed width, so a sentence runs on over several lines; a line break
    is then no end of a clause. It stays one after a closed line (punctuation, a colon),
    before a bullet or number, at a blank line, and after a short line (a heading, an item)."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines[:-1]):
        nxt = lines[i + 1]
        soft = (
            len(line.strip()) >= WRAPPED_LINE
            and bool(nxt.strip())
            and not _LINE_CLOSED.search(line)
            and not _LINE_ITEM.match(nxt)
        )
        out.append(line + (" " if soft else "\n"))
    out.append(lines[-1])
    return "".join(out)


#: "und"/"oder" before a lower-case word that is no article or pronoun: in German a second
#: verb follows ("kaufen dieselben Bretter und wirken am Ablauf nicht mit"), and a "nicht"
#: after it negates that verb only, as an English "no" after the phrase does not reach back
_NEW_VERB = re.compile(
    r"\b(?:und|oder|sowie)\s+(?!(?:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|kein|keine|keinen|"
    r"keinem|keiner|ihre|ihren|ihrem|ihr|seine|seinen|seinem|sein|unsere|zu|auch|nicht|nur|so|wie|mit|an|in|im|auf|"
    r"für|von|aus|bei|nach|über|unter|vor|zum|zur|dessen|deren|diese|diesen|dieser|dieses|alle|allen|andere|anderen)\b)"
    r"[a-zäöüß]"
)

#: German relative words that are also articles ("die Airline betreibt …")
_ARTICLES = frozenset({"der", "die", "das", "den", "dem"})


class Reading:
    """One note, normalised, with its clauses, negation words and time marks."""

    def __init__(self, text: str, lexicon: dict[str, Any]) -> None:
        self.norm = _unwrap(words.normalise(text))
        #: the text as written but for the case (same offsets as `norm`): German nouns are capitalised
        self._cased = words.normalise(text, lower=False)
        if len(self._cased) != len(self.norm):
            self._cased = self.norm
        #: German phrases are looked for only in German notes: stemmed and folded, they
        #: would meet English words ("händler" / "handling", "stillst" / "still")
        from bmnav.classifying.textfacts import detect_language

        self.language = detect_language(text)
        #: the same text on one line (same offsets), for phrases and regular expressions
        self.flat = self.norm.replace("\n", " ")
        self._joined: tuple[str, list[int]] | None = None
        self._tokens: dict[str, list[words.Token]] = {}
        self._indexes: dict[str, _Index] = {}
        contrast = [w for ws in _lists(lexicon.get("contrast")).values() for w in ws]
        self.clauses = words.clauses(self.norm, contrast) or [(0, len(self.norm))]
        self.clauses = self._lists_joined(_lists(lexicon.get("enumeration")))
        self._ends = [e for _, e in self.clauses]
        self.scope = {str(k): str(v) for k, v in (lexicon.get("negation_scope") or {}).items()}
        self.relative = {words.normalise(w) for ws in _lists(lexicon.get("relative")).values() for w in ws}
        #: finite verbs that close a German relative clause (`relative_end`)
        self.relative_end = {words.normalise(w) for ws in _lists(lexicon.get("relative_end")).values() for w in ws}
        self.not_verbs = {words.normalise(w) for ws in _lists(lexicon.get("relative_end_not")).values() for w in ws}
        self.negations = self._cues(_lists(lexicon.get("negations")), _lists(lexicon.get("not_negations")), "neg")
        #: negation words that act on the phrase just before them ("owns no wagons")
        self.after = self._cues(_lists(lexicon.get("negation_after")), {}, "neg")
        time = lexicon.get("time") or {}
        not_marks = _lists(time.get("not_markers"))
        marks = self._cues(_lists(time.get(TODAY)), not_marks, TODAY) + self._cues(
            _lists(time.get(PLAN)), not_marks, PLAN
        )
        self.when = self._time(marks)
        dropped = self._cues(_lists(time.get(DROPPED)), {}, DROPPED)
        if dropped:
            self.when = self._dropped(dropped)
        for i in self._ended(_lists(time.get("ended"))):
            self.when[i] = DROPPED

    def _lists_joined(self, joiners: dict[str, list[str]]) -> list[tuple[int, int]]:
        """Clauses with the tail of an enumeration put back ("no hardware is sold, rented
        or leased": the "no" reaches all three): a clause after a comma of at most four
        words (six Chinese characters) holding one of the lexicon's `enumeration` words
        joins the one before."""
        latin = {words.normalise(w) for ws in joiners.values() for w in ws if not words.is_cjk(w)}
        cjk = [words.normalise(w) for ws in joiners.values() for w in ws if words.is_cjk(w)]
        out: list[tuple[int, int]] = []
        for start, end in self.clauses:
            text = self.norm[start:end].strip()
            gap = self.norm[out[-1][1] : start] if out else ""
            if words.is_cjk(text):  # no spaces: at most six characters ("或出租")
                short = len(text) <= 6 and any(w in text for w in cjk)
            else:
                short = len(text.split()) <= 4 and bool(set(text.split()) & latin)
            if out and short and gap.strip() in {",", "，", "、"}:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
        return out

    # ------------------------------------------------------------ finding phrases

    def tokens(self, lang: str) -> list[words.Token]:
        key = "de" if lang == "de" else "en"
        if key not in self._tokens:
            toks = words.tokens(self.flat, key)
            self._tokens[key] = self._separable(toks) if key == "de" else toks
        return self._tokens[key]

    def _separable(self, toks: list[words.Token]) -> list[words.Token]:
        """German separable verbs: a particle that ends its clause ("sucht die Partner
        selbst aus") joins the words before it, so each also answers to the joined verb
        ("aussucht"); which word is the verb is not known, and a wrong join meets nothing."""
        particles = set(words.german_particles())
        out = list(toks)
        starts = [t.start for t in toks]
        for start, end in self.clauses:
            lo, hi = bisect_right(starts, start - 1), bisect_right(starts, end - 1)
            if hi - lo < 2 or toks[hi - 1].word not in particles:
                continue
            particle = toks[hi - 1].word
            for i in range(lo, min(hi - 1, lo + 12)):
                t = out[i]
                if i > lo and self._cased[t.start : t.start + 1].isupper():
                    continue  # a German noun (capitalised inside its clause) is no verb
                joined = words.stem(particle + t.word, "de")
                out[i] = words.Token(t.word, t.stem, t.start, t.end, (*t.alts, joined))
        return out

    def find(self, phrase: str, lang: str, *, compound: bool = True) -> list[tuple[int, int]]:
        """Spans of a phrase of the lexicon's `lang` list (Latin words of the Chinese list as
        English): `bmnav.classifying.words.find`, with the notes' words indexed once for the many phrases.
        `compound=False`: whole words only (negation and time words: "weder" is no part
        of "entweder", nor "soll" of "Sollwert")."""
        key = "de" if lang == "de" else "en"
        if key == "de" and self.language != "de":
            return []
        if phrase.startswith("="):  # "=owns": the word as written, not its stem ("own" is no owning)
            return self._exact(phrase[1:], key)
        p = words.phrase(phrase, key)
        if p.cjk:
            text, at_flat = self._cjk_joined()
            return [(at_flat[at], at_flat[at + len(p.text) - 1] + 1) for at in _occurrences(text, p.text)]
        if not p.stems:
            return []
        toks = self.tokens(key)
        index = self._index(key)
        n = len(p.stems)
        hits = {
            i
            for i in index.by_stem.get(p.stems[0], [])
            if i + n <= len(toks) and all(toks[i + j].meets(p.stems[j]) for j in range(1, n))
        }
        out = [(toks[i].start, toks[i + n - 1].end) for i in hits]
        if compound and key == "de" and n == 1 and max(len(p.base), len(p.text)) >= 4:
            parts = index.containing(p.text, folded=False)
            if len(p.base) >= 4:
                parts |= index.containing(p.base, folded=True)
            out += [(toks[i].start, toks[i].end) for i in parts - hits if words.may_hold_parts(toks[i].word)]
        return sorted(out)

    def _cjk_joined(self) -> tuple[str, list[int]]:
        """The text without the spaces a wrapped line leaves between two Chinese characters
        ("由人工 智能模型"), and where each of its characters stands in `flat`."""
        if self._joined is None:
            flat = self.flat
            keep = [i for i in range(len(flat)) if not _wrap_gap(flat, i)]
            self._joined = ("".join(flat[i] for i in keep) if len(keep) < len(flat) else flat, keep)
        return self._joined

    def _exact(self, phrase: str, key: str) -> list[tuple[int, int]]:
        """Spans of the words as written, looked up by the first word (one pass over
        the note's words per phrase made long notes slow: 100,000 characters of German
        took 11 s)."""
        want = [t.word for t in words.tokens(words.normalise(phrase), key)]
        if not want:
            return []
        toks = self.tokens(key)
        n = len(want)
        return [
            (toks[i].start, toks[i + n - 1].end)
            for i in self._index(key).by_word.get(want[0], [])
            if i + n <= len(toks) and all(toks[i + j].word == want[j] for j in range(1, n))
        ]

    def _index(self, key: str) -> _Index:
        if key not in self._indexes:
            self._indexes[key] = _Index(self.tokens(key))
        return self._indexes[key]

    # ------------------------------------------------------------ clauses

    def clause_of(self, pos: int) -> int:
        """Index of the clause holding `pos` (a position between clauses: the next one)."""
        return min(bisect_right(self._ends, pos), len(self.clauses) - 1)

    def windows(self) -> list[tuple[int, int]]:
        """Stretches in which the words of an `all:` set may stand: each clause, and a
        clause joined with a relative clause that follows it ("nur wenige Partner, die
        das Unternehmen auswählt"; the relative words: the lexicon's `relative`)."""
        out = list(self.clauses)
        for (s1, e1), (s2, e2) in pairwise(self.clauses):
            head = self.flat[s2:e2].split()
            # "die" before a capitalised noun is an article ("die Airline betreibt"), not a relative
            after = self._cased[s2:e2].split()[1:2]
            # ("welcher Händler … sehen darf" is a clause of its own: only the article reads so)
            article = bool(head) and head[0] in _ARTICLES
            # ... unless the clause ends on a finite verb ("Lieferanten, die Canaverdes Audit bestanden haben")
            noun = self.language == "de" and article and bool(after) and after[0][:1].isupper()
            noun = noun and head[-1] not in self.relative_end and not self._ends_on_verb(s2, e2)
            # after ";" or ":" a "welche …" opens a clause of its own
            joined = not _NOT_RELATIVE.search(self.norm[e1:s2])
            if head and head[0] in self.relative and not noun and joined:
                out.append((s1, e2))
        return out

    def _ends_on_verb(self, start: int, end: int) -> bool:
        """Whether a German clause ends on a finite verb in lower case ("die Tempo und Menge
        selbst regelt"): a relative clause, its verb last, though an article-like "die"
        opens it; a main clause ("Die Airline betreibt eine Plattform") ends otherwise.
        Words that end so without being verbs are the lexicon's `relative_end_not`."""
        cased = self._cased[start:end].split(",")[0].split()  # "…, und meldet …" was joined on
        last = cased[-1].strip(".;:!?)") if len(cased) >= 3 else ""
        return bool(_FINITE.fullmatch(last)) and last not in self.not_verbs

    def negated(self, own: tuple[tuple[int, int], ...]) -> bool:
        """Whether a negation word of the clause of `own` (the phrase's words) negates it."""
        first = min(s for s, _ in own)
        last = max(s for s, _ in own)  # an `all:` set: a negation before its last word counts
        start, end = self.clauses[self.clause_of(first)]
        tail = max(e for _, e in own)
        for cue in self.negations:
            if not (start <= cue.start < end) or any(s <= cue.start < e for s, e in own):
                continue
            if cue.end <= last:
                return True
            if self.scope.get(cue.lang) == "clause" and not (
                cue.start >= tail and _NEW_VERB.search(self._cased, tail, cue.start)
            ):
                return True
        # "owns no wagons": the negation word follows the phrase's last word directly
        return any(cue.start > tail and not self.flat[tail : cue.start].strip() for cue in self.after)

    def text_without(self, marks: set[str]) -> str | None:
        """The notes (same offsets, case kept) with the clauses marked with one of `marks`
        blanked, or None when no clause is: today's words for the text cues."""
        cut = [span for span, when in zip(self.clauses, self.when, strict=True) if when in marks]
        if not cut:
            return None
        chars = list(self._cased)
        for start, end in cut:
            chars[start:end] = " " * (end - start)
        return "".join(chars)

    def when_at(self, pos: int) -> str | None:
        """ "today", "plan" or None for the clause holding `pos`."""
        return self.when[self.clause_of(pos)]

    def _cues(self, lists: dict[str, list[str]], exceptions: dict[str, list[str]], kind: str) -> list[_Cue]:
        """Where the words of `lists` stand, less those inside one of the `exceptions`."""
        skip = [span for lang, ws in exceptions.items() for w in ws for span in self.find(w, lang)]
        out = []
        for lang, ws in lists.items():
            for w in ws:
                for s, e in self.find(w, lang, compound=False):
                    if not any(a <= s and e <= b for a, b in skip):
                        out.append(_Cue(s, e, kind, lang))
        return sorted(out, key=lambda c: c.start)

    def _ended(self, patterns: dict[str, list[str]]) -> set[int]:
        """Clauses that say how things were until a past year (`time.ended`, regular
        expressions): that model is over, whatever the clause goes on to name. A clause that
        holds the time phrase alone ("2022年以前，公司…出售…") passes it to the next."""
        this_year = date.today().year
        out: set[int] = set()
        for pattern in (p for ps in patterns.values() for p in ps):
            for m in re.finditer(pattern, self.flat):
                year = _YEAR.search(m.group())
                if year is None or int(year.group()) <= this_year:
                    at = self.clause_of(m.start())
                    start, end = self.clauses[at]
                    alone = len(self.flat[start:end].strip()) <= len(m.group()) + 2
                    out.update((at, at + 1) if alone and at + 1 < len(self.clauses) else (at,))
        return out

    def _dropped(self, cues: list[_Cue]) -> list[str | None]:
        """The time marks with every clause of a sentence that names a dropped idea marked
        as dropped, the clauses before the cue too ("looked at billing per metre, but
        dropped the idea"). Sentence ends and clause starts are found by bisection, so a
        long note with many such cues stays linear."""
        when = list(self.when)
        stops = list(_SENTENCE_END.finditer(self.norm))
        stop_starts, stop_ends = [m.start() for m in stops], [m.end() for m in stops]
        clause_starts = [start for start, _ in self.clauses]
        sentences = set()
        for cue in cues:
            k = bisect_right(stop_ends, cue.start)
            j = bisect_left(stop_starts, cue.end)
            sentences.add((stop_ends[k - 1] if k else 0, stop_starts[j] if j < len(stops) else len(self.norm)))
        for low, high in sentences:
            for i in range(bisect_left(clause_starts, low), bisect_left(clause_starts, high)):
                when[i] = DROPPED
        return when

    def _time(self, marks: list[_Cue]) -> list[str | None]:
        """The time mark of every clause: set by a marker, kept to the end of its sentence."""
        when: list[str | None] = []
        mode: str | None = None
        heading = False
        for i, (start, end) in enumerate(self.clauses):
            if i:
                gap = self.norm[self.clauses[i - 1][1] : start]
                if "\n\n" in gap or (_SENTENCE_END.search(gap) and not heading):
                    mode, heading = None, False
            inside = [m for m in marks if start <= m.start < end]
            if inside:
                mode = inside[-1].kind
                # a marker alone in its sentence ("Plan:" as a heading) marks the lines below
                rest = self.flat[start:end]
                for m in inside:
                    rest = rest.replace(self.flat[m.start : m.end], " ")
                heading = not re.search(r"\w", rest) and bool(_HEADING_END.match(self.norm, end))
            when.append(mode)
        return when
