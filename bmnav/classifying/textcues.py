"""Text cues: a second, more general signal for `bmnav classify --text`.

The facts of `bmnav.classifying.textfacts` need wording the lexicon knows; the cues need
only a cluster's vocabulary. `data/textcues.yaml` lists, per cluster and
language, weighted words and stems drawn from the report's concepts (never
company names). `cue_scores` sums the weights of the cues a note contains
(English at a word start, German and Chinese anywhere, so stems match their
endings and German compounds; a cue right after a negation does not count).
`add_cues` stores the result in the facts as `text.cue`, and the classifier
turns it into points and one evidence item per cluster (`cue_points`,
`cue_evidence`) weighted by `classify.text_cue_weight` in data/clusters.yaml.
Profiles never carry `text.cue`, so their scores are unchanged.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from bmnav.checking.problems import BmnavError
from bmnav.classifying.classify_facts import CUE_FACT as CUE_FACT
from bmnav.classifying.textscope import Reading


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    from bmnav.storage.loading import load_file

    loaded = load_file(Path(path))
    if not isinstance(loaded.data, dict) or not isinstance(loaded.data.get("clusters"), dict):
        raise BmnavError(f"{path}: the text cues cannot be read", problems=loaded.problems)
    return loaded.data


def load_cues(path: str | Path | None = None, *, data: str | Path | None = None) -> dict[str, Any]:
    """The text cues: `path` if given, else data/textcues.yaml of the data folder `data`
    when it has one, else the bundled one."""
    from bmnav.storage.datafiles import data_file

    return _load(str(Path(path) if path is not None else data_file("textcues.yaml", data)))


def _is_cjk(word: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in word)


def cue_scores(
    text: str,
    cues: dict[str, Any] | None = None,
    lexicon: dict[str, Any] | None = None,
    *,
    negations: dict[str, list[str]] | None = None,
    data: str | Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Per cluster with at least one cue: `{"score": summed weights, "words": cues found}`.

    Cues match as the lexicon's phrases do (`bmnav.classifying.textscope`): whole words or
    stems, German compound parts, Chinese anywhere. Each cue counts once; a
    stretch of text counts once per cluster (the longest, then heaviest cue
    wins); a cue negated in its clause does not count. The negation and contrast
    words come from `lexicon` (or just `negations`, each before the cue).
    """
    cues = cues if cues is not None else load_cues(data=data)
    if lexicon is None:
        lexicon = {"negations": negations or {}}
    reading = Reading(text, lexicon)
    masked = _masked(reading, cues.get("not_cues") or {})
    out: dict[str, dict[str, Any]] = {}
    for cid, by_lang in (cues.get("clusters") or {}).items():
        found: list[tuple[int, int, float, str]] = []
        for lang, ws in (by_lang or {}).items():
            for cue, weight in (ws or {}).items():
                word = str(cue).rstrip("$")  # "$" (a word end) is what every cue now means
                spans = [
                    sp
                    for sp in reading.find(word, str(lang))
                    if not reading.negated((sp,)) and not any(s <= sp[0] and sp[1] <= e for s, e in masked)
                ]
                if spans:
                    found.append((spans[0][0], spans[0][1], float(weight), word))
        found.sort(key=lambda f: (-(f[1] - f[0]), -f[2]))
        taken: list[tuple[int, int]] = []
        score, words_found = 0.0, []
        for start, end, weight, cue in found:
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            score += weight
            words_found.append(cue)
        if words_found:
            out[str(cid)] = {"score": round(score, 2), "words": sorted(words_found)}
    return out


def _masked(reading: Reading, not_cues: dict[str, Any]) -> list[tuple[int, int]]:
    """Spans of the `not_cues` phrases: wording that holds a cue but means something else
    ("zahlt pro Auftrag" is a price per order, no paying per use)."""
    return [sp for lang, ws in not_cues.items() for w in ws or [] for sp in reading.find(str(w), str(lang))]


# ---------------------------------------------------------------- prototype similarity


def _grams(text: str) -> dict[str, int]:
    """Character 3- and 4-grams of the normalised text (Chinese also 2-grams), with counts."""
    norm = f" {_normalise(text)} "
    counts: Counter[str] = Counter()
    if _is_cjk(norm):  # 2-grams only for Chinese, and only where there is Chinese
        counts.update(g for g in (norm[i : i + 2] for i in range(len(norm) - 1)) if _is_cjk(g))
    for n in (3, 4):  # (Counter counts in C; keys keep their first-seen order, as before)
        counts.update(norm[i : i + n] for i in range(len(norm) - n + 1))
    return dict(counts)


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def prototype_texts(data_dir: str | Path | None = None) -> dict[str, str]:
    """Per cluster a prototype text: its definition, notes and evidence reasons
    (data/clusters.yaml), its cue words (data/textcues.yaml) and the summaries
    and business-model texts of the corpus cases labelled with it, with every
    company name, case name and case id taken out."""
    from bmnav.storage.datafiles import data_file
    from bmnav.storage.loading import load_file
    from bmnav.storage.resources import bundled_data_dir

    root = Path(data_dir) if data_dir is not None else bundled_data_dir()
    doc = load_file(data_file("clusters.yaml", data_dir)).data
    texts: dict[str, list[str]] = {}
    for c in (doc.get("clusters") if isinstance(doc, dict) else None) or []:
        cid = str(c.get("id"))
        parts = [
            str(c.get("definition", "")),
            *_texts(c.get("changes")),
            *_texts((c.get("archetype") or {}).get("note")),
        ]
        parts += [
            str(e.get("why", "")) for e in c.get("evidence") or [] if isinstance(e, dict) and e.get("weight", 0) > 0
        ]
        texts[cid] = parts
    for cid, by_lang in (load_cues(data=data_dir).get("clusters") or {}).items():
        texts.setdefault(str(cid), []).extend(str(w) for words in (by_lang or {}).values() for w in words or {})
    # ordinary words: those of the definitions, the evidence reasons and the cues (the
    # notes and archetypes name the report's example companies, so they do not count)
    generic = {
        t
        for c in (doc.get("clusters") if isinstance(doc, dict) else None) or []
        for part in [str(c.get("definition", "")), *_texts([e.get("why") for e in c.get("evidence") or []])]
        for t in re.split(r"[^\w]+", _normalise(part))
    }
    cues = load_cues(data=data_dir)
    for by_lang in (cues.get("clusters") or {}).values():
        generic |= {t for words in (by_lang or {}).values() for w in words or {} for t in re.split(r"[^\w]+", str(w))}
    generic |= {_normalise(str(w)) for w in cues.get("generic_words") or []}  # listed in textcues.yaml
    names: set[str] = set()
    for path in sorted((root / "usecases").glob("*.yaml")):
        case = load_file(path).data
        if not isinstance(case, dict) or str(case.get("cluster")) not in texts:
            continue
        for field in ("id", "name", "company"):
            names |= {t for t in re.split(r"[^\w]+", str(case.get(field, "")).lower()) if len(t) > 2}
        for role in ((case.get("network") or {}).get("roles") or []) if isinstance(case.get("network"), dict) else []:
            for field in ("id", "actor"):
                names |= {t for t in re.split(r"[^\w]+", str(role.get(field, "")).lower()) if len(t) > 2}
        texts[str(case["cluster"])] += [str(case.get("summary", "")), *_texts(case.get("business_model"))]
    # a word of the clusters' own texts or cues is an ordinary word, not a name
    names -= generic
    pattern = (
        re.compile(r"\b(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")\b") if names else None
    )
    return {
        cid: pattern.sub(" ", _normalise(" ".join(v))) if pattern else _normalise(" ".join(v))
        for cid, v in texts.items()
    }


@lru_cache(maxsize=2)
def _index(data_dir: str | None = None) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """IDF of the n-grams over the prototypes, and each prototype's unit TF-IDF vector."""
    grams = {cid: _grams(t) for cid, t in prototype_texts(data_dir).items()}
    n = len(grams)
    df: dict[str, int] = {}
    for g in grams.values():
        for k in g:
            df[k] = df.get(k, 0) + 1
    idf = {k: math.log((1 + n) / (1 + d)) + 1.0 for k, d in df.items()}
    return idf, {cid: _unit(g, idf) for cid, g in grams.items()}


def _unit(grams: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    vec = {k: (1 + math.log(c)) * idf[k] for k, c in grams.items() if k in idf}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


def text_similarity(text: str, data: str | Path | None = None) -> dict[str, float]:
    """Cosine similarity (character n-gram TF-IDF) of the text to each cluster's prototype
    (built from the data folder `data`, else the bundled data)."""
    idf, protos = _index(str(data) if data is not None else None)
    vec = _unit(_grams(text), idf)
    return {cid: round(sum(w * p.get(k, 0.0) for k, w in vec.items()), 4) for cid, p in protos.items()}


def add_cues(
    facts: dict[str, Any],
    sources: list[dict[str, Any]],
    text: str,
    lexicon: dict[str, Any] | None = None,
    *,
    data: str | Path | None = None,
) -> None:
    """Store the note's cue scores as the fact `text.cue` and list their words among the sources."""
    cues = load_cues(data=data)
    found = cue_scores(text, cues, lexicon if lexicon is not None else {}, data=data)
    # alone (no fact read), the cues must add up to `min_score` for some cluster
    if not found or (not facts and max(h["score"] for h in found.values()) < float(cues.get("min_score", 0))):
        return
    for cid, sim in text_similarity(text, data).items():
        found.setdefault(cid, {"score": 0.0, "words": []})["similarity"] = sim
    facts[CUE_FACT] = found
    for cid, hit in sorted(found.items()):
        if hit["words"]:
            sources.append({"fact": CUE_FACT, "value": cid, "words": hit["words"]})


def cue_points(facts: dict[str, Any], constants: dict[str, Any]) -> dict[str, float]:
    """Points per cluster from the `text.cue` fact: weight x min(score, cap)."""
    found = facts.get(CUE_FACT)
    if not isinstance(found, dict):
        return {}
    weight = float(constants.get("text_cue_weight", 0.0))
    cap = float(constants.get("text_cue_cap", 1e9))
    sim_weight = float(constants.get("text_similarity_weight", 0.0))
    return {
        str(cid): weight * min(float(hit.get("score", 0.0)), cap) + sim_weight * float(hit.get("similarity", 0.0))
        for cid, hit in found.items()
        if isinstance(hit, dict)
    }


def cue_evidence(facts: dict[str, Any], cid: str, constants: dict[str, Any]) -> dict[str, Any] | None:
    """The evidence item of the text cues for one cluster (None when no cue fired)."""
    pts = cue_points(facts, constants).get(cid, 0.0)
    if pts <= 0:
        return None
    hit = facts[CUE_FACT][cid]
    shown = list(hit.get("words") or [])
    if "similarity" in hit:
        shown.append(f"similarity {float(hit['similarity']):.2f}")
    return {
        "fact": CUE_FACT,
        "is": cid,
        "weight": round(pts, 2),
        "why": "Words of this cluster's vocabulary in the notes (data/textcues.yaml) and the notes'"
        " character n-gram similarity to the cluster's prototype text.",
        "value": shown,
    }
