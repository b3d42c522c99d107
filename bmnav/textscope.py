"""Notes prepared for reading: words, clauses, negations and today-versus-plan.

Both readers of free text (`bmnav.textfacts` for facts, `bmnav.textcues` for the
clusters' vocabulary) find phrases the same way, through `bmnav.words`: whole
words or Snowball stems in English and German, a German one-word phrase also as
part of a compound, a Chinese phrase anywhere. The clause a phrase stands in
decides two more things, both set by word lists in data/lexicon.yaml:

- negation: a negation word of the same clause (before the phrase in English
  and Chinese, anywhere in the clause in German, where "nicht" follows the
  verb) negates the phrase; words inside the phrase itself do not count, nor
  does a negation word within a listed exception ("not only", "不断", "未来");
- time: a clause marked as today ("today", "bisher", "目前") or as the plan
  ("plan", "künftig", "计划"), with the mark lasting to the end of its sentence
  (or, for a heading such as "Plan:" alone on a line, to the next blank line).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from bmnav import words

TODAY, PLAN = "today", "plan"
#: where a clause's sentence ends: a new sentence starts with no time mark
_SENTENCE_END = re.compile(r"[.!?。！？\n]")
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
        for i, t in enumerate(toks):
            self.by_stem.setdefault(t.stem, []).append(i)
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


class Reading:
    """One note, normalised, with its clauses, negation words and time marks."""

    def __init__(self, text: str, lexicon: dict[str, Any]) -> None:
        self.norm = words.normalise(text)
        #: German phrases are looked for only in German notes: stemmed and folded, they
        #: would meet English words ("händler" / "handling", "stillst" / "still")
        from bmnav.textfacts import detect_language

        self.language = detect_language(text)
        #: the same text on one line (same offsets), for phrases and regular expressions
        self.flat = self.norm.replace("\n", " ")
        self._tokens: dict[str, list[words.Token]] = {}
        self._indexes: dict[str, _Index] = {}
        contrast = [w for ws in _lists(lexicon.get("contrast")).values() for w in ws]
        self.clauses = words.clauses(self.norm, contrast) or [(0, len(self.norm))]
        self._ends = [e for _, e in self.clauses]
        self.scope = {str(k): str(v) for k, v in (lexicon.get("negation_scope") or {}).items()}
        self.negations = self._cues(_lists(lexicon.get("negations")), _lists(lexicon.get("not_negations")), "neg")
        time = lexicon.get("time") or {}
        not_marks = _lists(time.get("not_markers"))
        marks = self._cues(_lists(time.get(TODAY)), not_marks, TODAY) + self._cues(
            _lists(time.get(PLAN)), not_marks, PLAN
        )
        self.when = self._time(marks)

    # ------------------------------------------------------------ finding phrases

    def tokens(self, lang: str) -> list[words.Token]:
        key = "de" if lang == "de" else "en"
        if key not in self._tokens:
            self._tokens[key] = words.tokens(self.flat, key)
        return self._tokens[key]

    def find(self, phrase: str, lang: str) -> list[tuple[int, int]]:
        """Spans of a phrase of the lexicon's `lang` list (Latin words of the Chinese list as
        English): `bmnav.words.find`, with the notes' words indexed once for the many phrases."""
        key = "de" if lang == "de" else "en"
        if key == "de" and self.language != "de":
            return []
        p = words.phrase(phrase, key)
        if p.cjk:
            return [(at, at + len(p.text)) for at in _occurrences(self.flat, p.text)]
        if not p.stems:
            return []
        toks = self.tokens(key)
        index = self._index(key)
        n = len(p.stems)
        hits = {
            i
            for i in index.by_stem.get(p.stems[0], [])
            if i + n <= len(toks) and all(toks[i + j].stem == p.stems[j] for j in range(1, n))
        }
        out = [(toks[i].start, toks[i + n - 1].end) for i in hits]
        if key == "de" and n == 1 and max(len(p.stems[0]), len(p.text)) >= 4:
            parts = index.containing(p.text, folded=False)
            if len(p.stems[0]) >= 4:
                parts |= index.containing(p.stems[0], folded=True)
            out += [(toks[i].start, toks[i].end) for i in parts - hits]
        return sorted(out)

    def _index(self, key: str) -> _Index:
        if key not in self._indexes:
            self._indexes[key] = _Index(self.tokens(key))
        return self._indexes[key]

    # ------------------------------------------------------------ clauses

    def clause_of(self, pos: int) -> int:
        """Index of the clause holding `pos` (a position between clauses: the next one)."""
        return min(bisect_right(self._ends, pos), len(self.clauses) - 1)

    def negated(self, own: tuple[tuple[int, int], ...]) -> bool:
        """Whether a negation word of the clause of `own` (the phrase's words) negates it."""
        first = min(s for s, _ in own)
        last = max(s for s, _ in own)  # an `all:` set: a negation before its last word counts
        start, end = self.clauses[self.clause_of(first)]
        for cue in self.negations:
            if not (start <= cue.start < end) or any(s <= cue.start < e for s, e in own):
                continue
            if self.scope.get(cue.lang) == "clause" or cue.end <= last:
                return True
        return False

    def when_at(self, pos: int) -> str | None:
        """ "today", "plan" or None for the clause holding `pos`."""
        return self.when[self.clause_of(pos)]

    def _cues(self, lists: dict[str, list[str]], exceptions: dict[str, list[str]], kind: str) -> list[_Cue]:
        """Where the words of `lists` stand, less those inside one of the `exceptions`."""
        skip = [span for lang, ws in exceptions.items() for w in ws for span in self.find(w, lang)]
        out = []
        for lang, ws in lists.items():
            for w in ws:
                for s, e in self.find(w, lang):
                    if not any(a <= s and e <= b for a, b in skip):
                        out.append(_Cue(s, e, kind, lang))
        return sorted(out, key=lambda c: c.start)

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
