"""Facts from a consultant's free-text notes, in English, German or Chinese.

The keyword lexicon is data (`data/lexicon.yaml`): for each fact value, the
phrases that suggest it. `extract(text, lexicon)` returns the facts in the
classifier's fact language plus, for every fact, the words it came from,
so a consultant can see (and correct) what bmnav read into the notes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bmnav.checking.problems import BmnavError
from bmnav.classifying import words
from bmnav.classifying.classify_facts import fact_specs
from bmnav.classifying.textscope import DROPPED, PLAN, TODAY, Reading

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
    #: (characters read, characters in the notes) when the notes were longer than `MAX_NOTE_CHARS`
    truncated: tuple[int, int] | None = None
    #: fact -> its value as of today (None: only the plan names it), for the facts a plan names
    timed: dict[str, Any] = field(default_factory=dict, repr=False)
    #: the notes without the plan's clauses, for today's text cues (None: no plan)
    today_text: str | None = field(default=None, repr=False)

    @property
    def today(self) -> dict[str, Any] | None:
        """The facts as the notes describe the company now, where a plan changes them
        (None when no plan does): `facts` is the model analysed, the plan's."""
        now = {k: self.timed.get(k, v) for k, v in self.facts.items()}
        now = {k: v for k, v in now.items() if v is not None}
        return now if now != self.facts else None

    @property
    def current(self) -> dict[str, Any]:
        """The facts as of today: `today` where a plan changes them, else `facts`."""
        today = self.today
        return self.facts if today is None else today

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "language": self.language,
            "facts": self.facts,
            "sources": self.sources,
            "roles": self.roles,
            "weak": self.weak,
        }
        if self.truncated is not None:
            d["truncated"] = {"read": self.truncated[0], "total": self.truncated[1]}
        today = self.today
        if today is not None:
            d["today"] = {"facts": today}
        return d


#: Notes are read up to this many characters (about 15,000 words); the rest is left
#: out and the answer says so. Stemming every word of a 2 MB file would take minutes.
MAX_NOTE_CHARS = 100_000


def load_lexicon(path: str | Path | None = None, *, data: str | Path | None = None) -> dict[str, Any]:
    """The keyword lexicon: `path` if given, else data/lexicon.yaml of the data folder
    `data` when it has one, else the bundled one."""
    from bmnav.storage.datafiles import data_file

    p = Path(path) if path is not None else data_file("lexicon.yaml", data)
    return _load_lexicon(str(p))


@lru_cache(maxsize=8)
def _load_lexicon(path: str) -> dict[str, Any]:
    from bmnav.storage.loading import load_file

    loaded = load_file(Path(path))
    if any(p.level.value == "error" for p in loaded.problems) or not isinstance(loaded.data, dict):
        raise BmnavError(f"{path}: the keyword lexicon cannot be read", problems=loaded.problems)
    return loaded.data


#: the CJK unified ideographs that make a note Chinese
_CJK = re.compile("[\u4e00-\u9fff]")


def detect_language(text: str) -> str:
    """'zh' when the notes are mostly Chinese, 'de' when they look German, else 'en'."""
    cjk = len(_CJK.findall(text))
    letters = sum(map(str.isalpha, text))  # (counted in C: this runs for every case a corpus command reads)
    if letters and cjk / letters > 0.3:
        return "zh"
    low = f" {text.lower()} "
    german = sum(low.count(w) for w in (" der ", " die ", " das ", " und ", " nicht ", " mit ", " für ", " ist "))
    german += sum(low.count(ch) for ch in "äöüß")
    english = sum(low.count(w) for w in (" the ", " and ", " with ", " for ", " is ", " of "))
    return "de" if german > english else "en"


@lru_cache(maxsize=1024)
def _spaced(pattern: str) -> str:
    """A Chinese pattern whose word characters (`\\w`) also take a space: Chinese notes set
    Latin names and numbers apart with spaces ("只在各家客户与 Formwerk 之间"), and such a
    name is one word of the sentence like any other."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            pair = pattern[i : i + 2]
            out.append(("\\w " if in_class else "[\\w ]") if pair == "\\w" else pair)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class and pattern[i - 1] != "[" and pattern[i - 2 : i] != "[^":
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


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
    #: the spans of the words that made the match (one for a phrase or pattern,
    #: one per word for an `all:` set)
    own: tuple[tuple[int, int], ...]
    weak: bool
    #: the value when the match is negated (the entry's `negated:`), else the fact is dropped
    negated: Any = None
    #: a generic cue (the entry's `backoff: true`): read only for a fact no other entry gave
    backoff: bool = False
    #: values of the same fact that make this one void (the entry's `not_with`)
    not_with: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return min(s for s, _ in self.own)

    @property
    def size(self) -> int:
        return sum(e - s for s, e in self.own)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


#: the languages an `all: {any: ...}` set is tried in, each with its own concept words
LANGUAGES = ("en", "de", "zh")


def _alternatives(item: Any, lang: str, concepts: dict[str, Any]) -> list[str]:
    """The phrases one item of an `all:` set stands for: "a|b" is either word, and
    "@name" every word of the concept `name` (the lexicon's `concepts`) in `lang`."""
    out: list[str] = []
    for alt in str(item).split("|"):
        alt = alt.strip()
        if alt.startswith("@"):
            out += [str(w) for w in ((concepts.get(alt[1:]) or {}).get(lang) or [])]
        elif alt:
            out.append(alt)
    return out


def _item_spans(reading: Reading, item: Any, lang: str, concepts: dict[str, Any]) -> list[tuple[int, int]]:
    """Where one item of a set stands in the notes: the spans of its phrases, less those of
    a concept's word inside a phrase of the concept's `void` list ("nur" in "nicht nur",
    "只" in "只要": no "only" there)."""
    spans = sorted(span for alt in _alternatives(item, lang, concepts) for span in reading.find(alt, lang))
    void = [
        v
        for alt in str(item).split("|")
        if alt.strip().startswith("@")
        for phrase in ((concepts.get(alt.strip()[1:]) or {}).get("void") or {}).get(lang) or []
        for v in reading.find(str(phrase), lang)
    ]
    return [sp for sp in spans if not any(v[0] <= sp[0] and sp[1] <= v[1] for v in void)] if void else spans


def _all_sets(
    reading: Reading,
    sets: list[Any],
    lang: str,
    concepts: dict[str, Any] | None = None,
    unless: list[Any] | None = None,
    near: list[Any] | None = None,
) -> list[tuple[tuple[int, int], ...]]:
    """Matches of `all:` sets: every item in one clause (or a clause and its relative
    clause), in any order, and no word of `unless` in that stretch besides them, nor a
    word of `near` (`unless_near`) within `NEAR_CHARS` of one of them."""
    concepts = concepts or {}
    barred = sorted(span for item in unless or [] for span in _item_spans(reading, item, lang, concepts))
    starts = [b[0] for b in barred]
    close = [span for item in near or [] for span in _item_spans(reading, item, lang, concepts)]
    out = []
    for group in sets:
        found = [_item_spans(reading, item, lang, concepts) for item in (group if isinstance(group, list) else [group])]
        if not all(found):
            continue
        windows = reading.windows()
        wset = set(windows)
        heads = [[sp[0] for sp in spans] for spans in found]
        for start, end in windows:
            own = _set_in(found, heads, start, end)
            # a barred phrase counts unless it is one of the set's own words ("its own" bars "own");
            # it bars the set in every stretch that holds the set's words, so a relative clause
            # is read with the clause it belongs to ("a partner bank, which buys the pumps")
            if own is None or _near(reading, own, close):
                continue
            if not any(_holds_barred(w, own, barred, starts) for w in _windows_holding(reading, own, wset)):
                out.append(tuple(sorted(own)))
    return sorted(set(out))


def _set_in(
    found: list[list[tuple[int, int]]], heads: list[list[int]], start: int, end: int
) -> list[tuple[int, int]] | None:
    """One word of each item of a set inside the stretch [start, end), no word standing
    for two items ("käufer" also meets "kaufen"), or None. Each item's words are found by
    bisection (long notes stay linear), the items with fewest words first: "readings" is
    a data word and also meets "read", which must not take it from the data word."""
    own: list[tuple[int, int]] = []
    ranges = [(bisect_left(h, start), bisect_left(h, end)) for h in heads]
    for k in sorted(range(len(found)), key=lambda k: ranges[k][1] - ranges[k][0]):
        lo, hi = ranges[k]
        inside = [sp for sp in found[k][lo:hi] if not any(_overlap(sp, o) for o in own)]
        if not inside:
            return None
        own.append(inside[0])
    return own


#: how close (in characters) a word of an entry's `unless_near` must stand to bar its set
NEAR_CHARS = 20


def _near(reading: Reading, own: list[tuple[int, int]], close: list[tuple[int, int]]) -> bool:
    """Whether a span of `close` (other than the set's own words) stands within `NEAR_CHARS`
    of one of the set's words, in its clause: "family-owned", "owner of its data" qualify the
    owning word itself, while "owns no wagons and does not analyse the data" leaves it alone."""
    return any(
        c not in own
        and max(c[0] - o[1], o[0] - c[1], 0) <= NEAR_CHARS
        and reading.clause_of(c[0]) == reading.clause_of(o[0])
        for c in close
        for o in own
    )


def _windows_holding(reading: Reading, own: list[tuple[int, int]], wset: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches (`Reading.windows`) that hold all of `own`: its clause, and the clause
    joined with the relative clause before or after it."""
    first, last = min(o[0] for o in own), max(o[0] for o in own)
    c = reading.clause_of(first)
    cl = reading.clauses
    cands = [cl[c]]
    if c > 0:
        cands.append((cl[c - 1][0], cl[c][1]))
    if c + 1 < len(cl):
        cands.append((cl[c][0], cl[c + 1][1]))
    return [w for w in cands if w in wset and w[0] <= first and last < w[1]]


def _holds_barred(
    window: tuple[int, int], own: list[tuple[int, int]], barred: list[tuple[int, int]], starts: list[int]
) -> bool:
    """Whether a barred phrase other than the set's own words stands in the window."""
    i = bisect_left(starts, window[0])
    while i < len(barred) and barred[i][0] < window[1]:
        if barred[i] not in own:
            return True
        i += 1
    return False


#: words that open a note but name no company ("The client …", "Heute …", "目前…")
_NOT_NAMES = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "this",
        "that",
        "its",
        "their",
        "today",
        "currently",
        "in",
        "since",
        "for",
        "client",
        "customer",
        "company",
        "firm",
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "einer",
        "unser",
        "unsere",
        "heute",
        "bisher",
        "seit",
        "im",
        "in",
        "kunde",
        "firma",
        "unternehmen",
        "ag",
        "se",
        "kg",
        "gmbh",
        "co",
        "co.",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "plc",
        "llc",
        "sa",
        "spa",
        "s.p.a.",
        "nv",
        "bv",
        "ab",
        "oy",
        "as",
        "&",
        "und",
        "and",
        "corporation",
        "corp",
        "group",
        "gruppe",
        "holding",
        "holdings",
        "international",
        "global",
        "digital",
        "genossenschaft",
        "termin",
        "gespräch",
        "besuch",
        "visit",
        "meeting",
        "call",
        "notes",
        "notiz",
        "notizen",
    ]
)
#: generic endings of a Chinese company name ("满帮集团" is also called "满帮")
_ZH_NAME_ENDINGS = ("有限公司", "股份", "集团", "公司", "科技", "技术", "网")
_ZH_NAME = re.compile(r"^([\u4e00-\u9fff]{2,12}?)(?:是|[，,。（(\s：:])")
#: a Chinese name with its Latin one in brackets, after a place ("格克贝哈的斯瓦特科普斯空气服务公司（Swartkops …）")
_ZH_NAME_BRACKETED = re.compile(r"([\u4e00-\u9fff，,、]{2,24})[（(][A-Za-z]")
#: a legal name that opens the note, its brand in brackets ("合肥维天运通信息科技股份有限公司（路歌）")
_ZH_BRAND = re.compile(r"^[\u4e00-\u9fff]{4,30}[（(]([\u4e00-\u9fff]{2,8})[)）]")
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9\-.]*")
#: two to four capitalised Latin words in a row: a company's name in the opening line
_LATIN_RUN = re.compile(r"(?<![\w-])(?:[A-ZÀ-Þ][\w\-&]*[ ]){1,3}[A-ZÀ-Þ][\w\-&]*(?![\w-])")


def focal_names(text: str) -> list[str]:
    """The company the notes are about, as its name opens them ("Kranwerk Ostrau, a large
    crane builder …", "Torneria Lasamo是…", "百行征信，深圳"): lower-cased words that the
    lexicon's `@focal` concept and a pattern's `{focal}` stand for. Consultants name the
    client first; later sentences use the name where a rule needs "the company"
    ("the data are shared only between Ostrau and the bank", "归Elmshagen所有")."""
    first = text.strip().split("\n", 1)[0][:160]
    names = _chinese_names(first)
    # each word of the Latin name (later sentences shorten it: "Kranwerk Ostrau" ... "Ostrau"),
    # less a word the note also writes in lower case: a common noun there ("El-Mex Propeller
    # Works" ... "the shipowner ... owns the propeller")
    names += [
        w.lower()
        for w in _latin_name(first)
        if w.lower() not in _NOT_NAMES
        and (len(w) >= 3 or w.isupper())
        and not re.search(rf"(?<![\w-]){re.escape(w.lower())}(?![\w-])", text)
    ]
    return [n for n in dict.fromkeys(names) if n.strip()]  # an empty name would match anywhere


def _chinese_names(first: str) -> list[str]:
    """The Chinese name that opens the note, or that stands before its Latin one in
    brackets after a place ("格克贝哈的斯瓦特科普斯空气服务公司（Swartkops …）"), with the
    shorter forms later sentences use, and the brand the opening gives in brackets after
    a long legal name ("合肥维天运通信息科技股份有限公司（路歌）" … "路歌不拥有车辆")."""
    brand = _ZH_BRAND.match(first)
    zh = _ZH_NAME.match(first) or _ZH_NAME_BRACKETED.search(first)
    if not zh:
        return [brand.group(1)] if brand else []
    name = re.split("[的是，,、]", zh.group(1))[-1].strip()
    if len(name) < 2:  # "韩国仁川的 Haneul 重工": the Chinese run was the place only
        return [brand.group(1)] if brand else []
    names, short = [name], name
    for ending in _ZH_NAME_ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            short = name[: -len(ending)]
            names.append(short)
            break
    if len(name) >= 4:  # later sentences shorten it ("伦茨印刷设备公司" … "归伦茨所有")
        names.append(name[:2])
    if zh.re is _ZH_NAME_BRACKETED:  # a transliterated name: its heads ("斯瓦特科普斯空气服务" … "归斯瓦特科普斯所有")
        names += [short[:n] for n in range(3, len(short))]
    return names + ([brand.group(1)] if brand else [])


def _latin_name(first: str) -> list[str]:
    """The run of capitalised Latin words that opens the note (in Chinese: its first Latin
    run); a German note may open with its verb's object ("Druckluft … liefert die Swartkops
    Air Services"), so a one-word opening takes the first run of two or more as well."""
    run: list[str] = []
    prev = 0
    for m in _LATIN_NAME.finditer(first):
        word, gap, prev = m.group(0).rstrip("."), first[prev : m.start()].strip(), m.end()
        capital = any(ch.isupper() for ch in word)
        if run:
            if gap not in {"", "&", "-"} or not capital or len(run) >= 4:
                break
            run.append(word)
        elif gap and not words.is_cjk(gap):
            break
        elif word.lower() not in _NOT_NAMES:
            if not capital:
                break
            run.append(word)
    if len(run) < 2:
        later = (m.group(0).split() for m in _LATIN_RUN.finditer(first))
        run += next((ws for ws in later if ws[0].lower() not in _NOT_NAMES), [])
    return run


def _with_focal(concepts: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """The lexicon's concepts plus `focal`: the company's name in every language."""
    latin = ["=" + n for n in names if not words.is_cjk(n)]
    cjk = [n for n in names if words.is_cjk(n)]
    return {**concepts, "focal": {"en": latin, "de": latin, "zh": cjk + latin}}


def _focal_pattern(pattern: str, names: list[str]) -> str:
    """A lexicon pattern with `{focal}` replaced by the company's names (or by what never
    matches when the notes name none)."""
    if "{focal}" not in pattern:
        return pattern
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return pattern.replace("{focal}", f"(?:{alt})" if alt else "(?!)")


def _barred(reading: Reading, unless: list[Any] | None, concepts: dict[str, Any]) -> set[int]:
    """Clauses that hold a word of an entry's `unless` list, in any language."""
    return {
        reading.clause_of(span[0])
        for item in unless or []
        for lang in LANGUAGES
        for span in _item_spans(reading, item, lang, concepts)
    }


def _candidates(reading: Reading, lexicon: dict[str, Any], names: list[str] | None = None) -> list[_Match]:
    """Every match of every phrase (`words`), co-occurring set (`all`) and regular
    expression (`patterns`), largest first. An entry's `unless` bars its phrases and
    patterns in a clause that holds one of its words, as it bars its `all` sets."""
    out: list[_Match] = []
    names = names or []
    concepts = _with_focal(lexicon.get("concepts") or {}, names)
    for entry in lexicon.get("facts") or []:
        fact, value, weak, neg = str(entry["fact"]), entry.get("is"), bool(entry.get("weak")), entry.get("negated")
        back = bool(entry.get("backoff"))
        void = tuple(str(v) for v in entry.get("not_with") or [])
        found: list[tuple[int, int]] = []
        for lang, ws in (entry.get("words") or {}).items():
            for w in ws or []:
                found += reading.find(str(w), str(lang))
        for lang, patterns in (entry.get("patterns") or {}).items():
            for pattern in patterns or []:
                regex = _compiled(_focal_pattern(_spaced(str(pattern)) if lang == "zh" else str(pattern), names))
                found += [(m.start(), m.end()) for m in regex.finditer(reading.flat) if m.end() > m.start()]
        barred = _barred(reading, entry.get("unless"), concepts) if entry.get("unless") and found else set()
        kept = [span for span in found if reading.clause_of(span[0]) not in barred]
        out += [_Match(fact, value, (span,), weak, neg, back, void) for span in kept]
        for lang, sets in (entry.get("all") or {}).items():
            for one in LANGUAGES if lang == "any" else (str(lang),):
                sets_found = _all_sets(
                    reading, list(sets or []), one, concepts, entry.get("unless"), entry.get("unless_near")
                )
                out += [_Match(fact, value, own, weak, neg, back, void) for own in sets_found]
    # largest first, so a long match hides its parts (stable: lexicon order among equals)
    out.sort(key=lambda m: -m.size)
    return _yielding_last(out)


def _yielding_last(matches: list[_Match]) -> list[_Match]:
    """The matches, those that yield to a value another match reads in the same words
    (`not_with`) moved last: "40% of the measured saving on each monthly power bill" is a
    share of the savings, though the saving's own words run longer."""
    by_value: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for m in matches:
        by_value.setdefault((m.fact, str(m.value)), []).extend(m.own)
    reach = {key: _reach(spans) for key, spans in by_value.items()}

    def yields(m: _Match) -> bool:
        return any(_reaches(reach.get((m.fact, v)), s) for v in m.not_with for s in m.own)

    flags = [bool(m.not_with) and yields(m) for m in matches]
    return [m for m, f in zip(matches, flags, strict=True) if not f] + [
        m for m, f in zip(matches, flags, strict=True) if f
    ]


def _reach(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The spans' starts in order and the furthest end reached up to each: with them an
    overlap is found by bisection (the spans may overlap one another)."""
    spans = sorted(spans)
    ends: list[int] = []
    for _, end in spans:
        ends.append(max(end, ends[-1]) if ends else end)
    return [start for start, _ in spans], ends


def _reaches(reach: tuple[list[int], list[int]] | None, span: tuple[int, int]) -> bool:
    """Whether one of the spans behind `reach` overlaps `span`."""
    if reach is None:
        return False
    starts, ends = reach
    k = bisect_left(starts, span[1])  # the spans that start before `span` ends
    return k > 0 and ends[k - 1] > span[0]


@dataclass
class _Hit:
    """One reading of a fact value: the words and the time mark of their clause."""

    words: str
    when: str | None
    #: read from a negated phrase ("does not co-design" -> none): a weaker statement
    #: than a value said outright, so it counts half when values compete
    negated: bool = False
    #: values of the fact beside which this reading does not count (`_Match.not_with`)
    not_with: tuple[str, ...] = ()

    @property
    def weight(self) -> float:
        return 0.5 if self.negated else 1.0


def _collect(reading: Reading, matches: list[_Match], skip: set[str]) -> dict[str, dict[Any, list[_Hit]]]:
    """fact -> value -> its hits; facts in `skip` are left out."""
    hits: dict[str, dict[Any, list[_Hit]]] = {}
    #: per fact, the spans already read (disjoint, by start): found by bisection, so long notes stay linear
    taken: dict[str, list[tuple[int, int]]] = {}
    for m in matches:
        if m.fact in skip or reading.when_at(m.start) == DROPPED:  # an idea dropped states no model
            continue
        # one stretch of text counts once per fact
        if any(_taken(taken.get(m.fact, []), span) for span in m.own):
            continue
        neg = reading.negated(m.own)
        if neg and isinstance(m.value, bool):
            value_eff: Any = not m.value
        elif neg and m.negated is not None:
            value_eff = m.negated
        elif neg:
            continue
        else:
            value_eff = m.value
        for span in m.own:
            insort(taken.setdefault(m.fact, []), span)
        found = " … ".join(reading.flat[s:e] for s, e in m.own)
        hit = _Hit(("not " if neg else "") + found, reading.when_at(m.start), neg, m.not_with)
        hits.setdefault(m.fact, {}).setdefault(value_eff, []).append(hit)
    return hits


def _taken(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    """Whether `span` overlaps one of the disjoint `spans` (sorted by start)."""
    i = bisect_left(spans, span)
    return any(_overlap(spans[j], span) for j in (i - 1, i) if 0 <= j < len(spans))


def _drop_void(hits: dict[str, dict[Any, list[_Hit]]]) -> None:
    """Leave out a value whose every reading is void beside another value of the fact
    (`not_with`: "buyers buy the parts" is no sale of a marketplace that takes a commission).
    A value only the plan names voids no reading of today: customers who buy outright now
    are a sale even where a commission is planned for next year."""
    for by_value in hits.values():
        for value in list(by_value):
            if all(h.not_with and _voiding(by_value, value, h) & set(h.not_with) for h in by_value[value]):
                del by_value[value]


def _voiding(by_value: dict[Any, list[_Hit]], value: Any, hit: _Hit) -> set[str]:
    """The other values of the fact said of the same time as `hit` (or not only of the plan)."""
    return {
        str(v) for v, hits in by_value.items() if v != value and (hit.when == PLAN or any(h.when != PLAN for h in hits))
    }


def _resolve(kind: str, by_value: dict[Any, list[_Hit]]) -> list[Any]:
    """The value(s) kept for a fact. The plan's values are the business model analysed:
    a one-valued fact the plan names takes the plan's most frequent value; a list fact
    named by the plan and by today drops the values that only today's clauses gave."""
    planned = {v: sum(h.weight for h in hits if h.when == PLAN) for v, hits in by_value.items()}
    if kind == "set":
        values = sorted(by_value, key=str)
        if any(planned.values()) and any(h.when == TODAY for hits in by_value.values() for h in hits):
            values = [v for v in values if any(h.when != TODAY for h in by_value[v])]
        return values
    if any(planned.values()):
        return [max(by_value, key=lambda v: planned[v])]
    return [max(by_value.items(), key=lambda kv: sum(h.weight for h in kv[1]))[0]]


def _set_aside(facts: dict[str, Any], sources: list[dict[str, Any]], timed: dict[str, Any], rules: Any) -> None:
    """The lexicon's `set_aside` rules, read over the whole note: where its facts match a
    rule's `when`, the facts of its `drop` are left out and their readings shown as
    overruled, with the rule's `why` (a data intermediary's note naming who owns the
    things its data comes from)."""
    for rule in rules or []:
        when = rule.get("when") or {}
        if not when or any(facts.get(fact) != value for fact, value in when.items()):
            continue
        drop = set(rule.get("drop") or [])
        for fact in drop:
            facts.pop(fact, None)
            timed.pop(fact, None)
        for source in sources:
            if source["fact"] in drop:
                source["overruled"] = True
                source["why"] = str(rule.get("why") or "")


def _as_of_today(kind: str, by_value: dict[Any, list[_Hit]]) -> Any:
    """The fact's value from the clauses not marked as the plan (None when only the plan
    names it): what the company does now, shown beside the plan's model."""
    now = {v: [h for h in hits if h.when != PLAN] for v, hits in by_value.items()}
    now = {v: hits for v, hits in now.items() if hits}
    if not now:
        return None
    if kind == "set":
        return sorted(now, key=str)
    return max(now.items(), key=lambda kv: sum(h.weight for h in kv[1]))[0]


def _source(fact: str, value: Any, hits: list[_Hit], **extra: Any) -> dict[str, Any]:
    source: dict[str, Any] = {"fact": fact, "value": value, "words": sorted({h.words for h in hits})}
    when = sorted({h.when for h in hits if h.when})
    if when:
        source["when"] = when
    return {**source, **extra}


def extract(text: str, lexicon: dict[str, Any] | None = None, *, data: str | Path | None = None) -> TextFacts:
    """Read facts out of free text with the keyword lexicon (of the data folder `data`
    unless one is given).

    Phrases match whole words or stems (German compounds and Chinese as parts,
    `bmnav.classifying.words`); a negation in the phrase's clause flips a true/false fact
    and drops other facts. A fact with one value takes the value found most
    often, or the plan's value when clauses marked as the plan name it; list
    facts (revenue, technologies, patterns) collect every value found, less
    those only today's clauses gave when the plan names the fact too.
    Entries marked `backoff: true` are generic cues, read only for facts the
    other entries left unknown. Entries marked `weak: true` are weaker cues: they are read only when the
    other entries found fewer than `fallback.min_facts` facts, and only for
    facts still unknown; `TextFacts.weak` names the facts they gave.
    """
    lexicon = lexicon if lexicon is not None else load_lexicon(data=data)
    specs = fact_specs()
    reading = Reading(text, lexicon)
    matches = _candidates(reading, lexicon, focal_names(text))
    hits = _collect(reading, [m for m in matches if not m.weak and not m.backoff], set())
    # generic cues ("data ... shared") only where nothing more specific spoke
    hits.update(_collect(reading, [m for m in matches if not m.weak and m.backoff], set(hits)))
    _drop_void(hits)
    weak_facts: set[str] = set()
    min_facts = int((lexicon.get("fallback") or {}).get("min_facts", 1))
    if len(set(hits) - {"company_size"}) < min_facts:
        weak_hits = _collect(reading, [m for m in matches if m.weak], set(hits))
        weak_facts = set(weak_hits)
        hits.update(weak_hits)
    facts: dict[str, Any] = {}
    timed: dict[str, Any] = {}
    sources: list[dict[str, Any]] = []
    for fact, by_value in hits.items():
        kind = specs[fact].kind if fact in specs else "one"
        chosen = _resolve(kind, by_value)
        facts[fact] = chosen if kind == "set" else chosen[0]
        if any(h.when == PLAN for fact_hits in by_value.values() for h in fact_hits):
            timed[fact] = _as_of_today(kind, by_value)
        extra = {"weak": True} if fact in weak_facts else {}
        for v, fact_hits in by_value.items():
            more = extra if v in chosen else {"overruled": True, **extra}
            sources.append(_source(fact, v, fact_hits, **more))
    _set_aside(facts, sources, timed, lexicon.get("set_aside"))
    _size_from_headcount(reading, lexicon, facts, sources)
    country = _country(reading, lexicon)
    if country is not None:
        facts["country"] = country[0]
        sources.append({"fact": "country", "value": country[0], "words": [country[1]]})
    sources.sort(key=lambda s: (s["fact"], str(s["value"])))
    roles = _roles(reading, lexicon, data)
    found = TextFacts(facts, sources, roles, detect_language(text), sorted(weak_facts), timed=timed)
    if timed:
        found.today_text = reading.text_without({PLAN})
    return found


#: the country is read from the notes' opening only: later a note names markets and partners
COUNTRY_WINDOW = 300


def _country(reading: Reading, lexicon: dict[str, Any]) -> tuple[str, str] | None:
    """(ISO code, the words) of the first country the notes' opening names (the lexicon's
    `countries`: names and adjectives per language; `places`: cities and regions), or None.
    Where two names start at one place the longer counts ("印度尼西亚" is not "印度")."""
    found = _places_in(reading, lexicon)
    if not found:  # "Kōbe", "Tōkyō": the opening once more with its accents folded ("Kobe")
        head = reading.flat[: COUNTRY_WINDOW + 64]
        plain = words.without_accents(head)
        if plain != head:
            found = _places_in(Reading(plain, lexicon), lexicon)
    if not found:
        return None
    first = min(found)
    return first[2], first[3]


def _places_in(reading: Reading, lexicon: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    """(start, -length, code, words) of every country name or place in the notes' opening."""
    found: list[tuple[int, int, str, str]] = []
    head = reading.flat[: COUNTRY_WINDOW + 64]
    for code, lang, word, compound in _country_words(lexicon):
        if word.lstrip("=")[:4] not in head:  # a name the opening cannot hold: not looked up (thousands are)
            continue
        for start, end in reading.find(word, lang, compound=compound):
            if start < COUNTRY_WINDOW:
                found.append((start, start - end, str(code), reading.flat[start:end]))
    return found


def _country_words(lexicon: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(code, language, word, compound) of every country name and place (the hand-made
    `places`, then the `world_places` made from GeoNames: `bmnav.classifying.gazetteer`).
    A place's `any` names are written alike in English and German and looked for in both;
    places match whole words only ("Bern" is no part of "übernehmen")."""
    out = [
        (str(code), str(lang), str(w), True)
        for code, by_lang in (lexicon.get("countries") or {}).items()
        for lang, ws in (by_lang or {}).items()
        for w in ws or []
    ]
    hand_made = [(code, by_lang, "") for code, by_lang in (lexicon.get("places") or {}).items()]
    # the generated names as written, not by stem: "kitchen" is no "Kitchener"
    world = [(code, by_lang, "=") for code, by_lang in (lexicon.get("world_places") or {}).items()]
    for code, by_lang, mark in hand_made + world:
        for lang, ws in (by_lang or {}).items():
            for one in ("en", "de") if lang == "any" else (str(lang),):
                names = [str(w) for w in ws or []]
                if one == "de":
                    names += [d for w in names for d in _german_demonyms(w)]
                out += [(str(code), one, w if words.is_cjk(w) else mark + w, False) for w in names]
    return out


def _german_demonyms(place: str) -> list[str]:
    """The German adjective of a one-word place ("Valencianer Unternehmen", "ein Stuttgarter
    Zulieferer", "Lyoner Firma"): the name plus "er", or "ner" after a final vowel; and its
    genitive ("Nairobis"). A place the notes name so is as good as its name."""
    if " " in place or words.is_cjk(place) or len(place) < 4:
        return []
    genitive = [] if place[-1] in "sxzß" else [place + "s"]  # "vor den Toren Nairobis"
    return [place + ("ner" if place[-1] in "aeiou" else "er"), *genitive]


#: a number as notes write it: "12,000", "12.000", "12 000", "1.2" (with 万), "180"
_NUMBER = r"(\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+|\d+(?:[.,]\d+)?)\s?(万|千|thousand|tausend)?"


def _alternation(ws: list[str], *, prefix: bool) -> str:
    """A regular expression for any of the words (longest first); Latin words as whole
    words or, with `prefix`, as the start of a word ("employee" finds "employees")."""
    parts = []
    for w in sorted({words.normalise(str(x)).strip() for x in ws if str(x).strip()}, key=len, reverse=True):
        esc = re.escape(w)
        if words.is_cjk(w) or not w[:1].isalnum():
            parts.append(esc)
        else:
            parts.append(rf"\b{esc}" + (r"[\w\-]*" if prefix else r"\b"))
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


@lru_cache(maxsize=8)
def _headcount_patterns(spec: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(number then a staff word, a staff word then the number) for a lexicon's `headcount`."""
    import json

    raw = json.loads(spec)
    after = _alternation([w for ws in (raw.get("after") or {}).values() for w in ws or []], prefix=True)
    before = _alternation([w for ws in (raw.get("before") or {}).values() for w in ws or []], prefix=False)
    about = _alternation([w for ws in (raw.get("about") or {}).values() for w in ws or []], prefix=False)
    first = re.compile(rf"(?<!\d)(?<!\d[.,]){_NUMBER}[\s\-]?(?:名|位)?{after}")
    second = re.compile(rf"{before}[\s:：]{{0,2}}(?:{about}\s?){{0,2}}(?<!\d)(?<!\d[.,]){_NUMBER}(?![\d])")
    return first, second


def _count(number: str, unit: str | None) -> float:
    """The value of a headcount as written: thousands separators or a decimal before 万."""
    plain = number.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", plain) and not unit:
        value = float(re.sub(r"[.,]", "", plain))
    else:
        value = float(plain.replace(",", "."))
    return value * {"万": 10_000, "千": 1_000, "thousand": 1_000, "tausend": 1_000}.get(unit or "", 1)


def _headcount(reading: Reading, lexicon: dict[str, Any]) -> tuple[float, str] | None:
    """(staff, the words) of the first headcount the notes give, or None."""
    import json

    spec = lexicon.get("headcount")
    if not isinstance(spec, dict):
        return None
    found = []
    text = _arabic_numerals(reading.flat)
    for regex in _headcount_patterns(json.dumps(spec, sort_keys=True, default=str)):
        # no negation test: a German "nicht" anywhere in the clause ("hat 60 Mitarbeiter und
        # verkauft ihre Anlagen nicht") is about the verb, never about the headcount
        found += [(m.start(), _count(m.group(1), m.group(2)), m.group(0).strip()) for m in regex.finditer(text)]
    if not found:
        return None
    _, staff, text = min(found)
    return staff, text


#: a number in Chinese numerals before a staff word ("员工约两万人", "一百八十名员工")
_CN_HEADCOUNT = re.compile(
    r"([零〇一二两三四五六七八九十百千万]{1,8})(\s?(?:多)?\s?(?:名|位)?\s?(?:员工|职工|雇员|工人|人))"
)


def _arabic_numerals(text: str) -> str:
    """The text with a headcount in Chinese numerals written in digits ("两万人" -> "20000人",
    by cn2an); imported only for such text, as it costs about 0.1 s to load. A numeral
    cn2an cannot read ("数万") stays as written."""
    if not _CN_HEADCOUNT.search(text):
        return text
    import warnings

    import cn2an  # type: ignore[import-untyped]

    def digits(m: re.Match[str]) -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return f"{int(cn2an.cn2an(m.group(1), 'smart'))}{m.group(2)}"
            except (ValueError, KeyError, IndexError, TypeError):
                return m.group(0)

    return _CN_HEADCOUNT.sub(digits, text)


def _size_from_headcount(
    reading: Reading, lexicon: dict[str, Any], facts: dict[str, Any], sources: list[dict[str, Any]]
) -> None:
    """A stated headcount decides `company_size` (below `headcount.sme_below`: sme); size
    words that say otherwise are shown as overruled."""
    head = _headcount(reading, lexicon)
    if head is None:
        return
    staff, text = head
    size = "sme" if staff < float((lexicon.get("headcount") or {}).get("sme_below", 250)) else "large"
    facts["company_size"] = size
    same = None
    for source in sources:
        if source["fact"] == "company_size" and source["value"] != size:
            source["overruled"] = True
        elif source["fact"] == "company_size":
            source.pop("overruled", None)
            same = source
    if same is None:
        sources.append({"fact": "company_size", "value": size, "words": [text], "headcount": int(staff)})
    else:
        same["words"] = sorted({*same["words"], text})
        same["headcount"] = int(staff)


@lru_cache(maxsize=4)
def _role_words(clusters_yaml: str) -> dict[str, frozenset[tuple[str, str]]]:
    """English names and aliases of the role types in clusters.yaml."""
    from bmnav.storage.loading import load_file

    loaded = load_file(Path(clusters_yaml))
    doc = loaded.data if isinstance(loaded.data, dict) else {}
    words: dict[str, set[tuple[str, str]]] = {}
    for rt in doc.get("role_types") or []:
        if not isinstance(rt, dict):
            continue
        for w in [rt.get("name"), *(rt.get("aliases") or [])]:
            if w:
                words.setdefault(str(rt["id"]), set()).add(("en", str(w)))
    return {rid: frozenset(ws) for rid, ws in words.items()}


def _roles(reading: Reading, lexicon: dict[str, Any], data: str | Path | None = None) -> list[dict[str, Any]]:
    """Role types the notes name (from clusters.yaml names and aliases plus the lexicon's roles)."""
    from bmnav.storage.datafiles import data_file

    words = {rid: set(ws) for rid, ws in _role_words(str(data_file("clusters.yaml", data))).items()}
    for rid, by_lang in (lexicon.get("roles") or {}).items():
        for lang, ws in (by_lang or {}).items():
            for w in ws or []:
                words.setdefault(str(rid), set()).add((str(lang), str(w)))
    out = []
    for rid, ws in sorted(words.items()):
        found = sorted({w for lang, w in ws if reading.find(w, lang)})
        if found:
            out.append({"type": rid, "words": found})
    return out


def facts_from_text(text: str, lexicon: dict[str, Any] | None = None, *, data: str | Path | None = None) -> TextFacts:
    """`extract` plus the text cues, or a `BmnavError` naming the facts needed when
    the text yields none. `data` is the data folder whose lexicon.yaml, textcues.yaml
    and clusters.yaml are read when it has them (else the bundled ones)."""
    if not text or not text.strip():
        raise BmnavError(_needed_message("the text is empty"), exit_code=1)
    total = len(text)
    if total > MAX_NOTE_CHARS:  # notes, not books: keeps the work per file bounded (docs/security.md)
        cut = text.rfind("\n", 0, MAX_NOTE_CHARS)
        text = text[: cut if cut > MAX_NOTE_CHARS // 2 else MAX_NOTE_CHARS]
    lexicon = lexicon if lexicon is not None else load_lexicon(data=data)
    found = extract(text, lexicon, data=data)
    if len(text) < total:
        found.truncated = (len(text), total)
    # the text cues (data/textcues.yaml): a second, more general signal
    from bmnav.classifying.textcues import CUE_FACT, add_cues

    add_cues(found.facts, found.sources, text, lexicon, data=data)
    if found.timed and found.today_text is not None:  # today's cues: the plan's words left out
        probe = {k: v for k, v in found.facts.items() if k != CUE_FACT}
        add_cues(probe, [], found.today_text, lexicon, data=data)
        found.timed[CUE_FACT] = probe.get(CUE_FACT)
    if not set(found.facts) - {"country"}:  # a country alone says nothing of the business model
        raise BmnavError(_needed_message("no facts found in the text"), exit_code=1)
    return found


def _needed_message(reason: str) -> str:
    lines = [f"{reason}; describe the company in English, German or Chinese and mention at least one of:"]
    lines += [f"  - {name}: {what}" for name, what in NEEDED]
    lines.append('for example: "Customers pay per hour of use; the manufacturer remains the owner of the machines."')
    return "\n".join(lines)
