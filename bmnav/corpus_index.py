"""A cached index of the corpus for classification, and cached network features.

`bmnav classify` needs, of every corpus case, only what the similar-cases
list shows: its id, name, company, cluster, report section and facts. Reading
and checking 10,000 case files for that takes many seconds, so
`indexed_corpus()` keeps those summaries (and the parsed model files) in one
store in the user's cache folder (JSON with a keyed hash, see `bmnav.cache`),
and reads them back in a fraction of a second when nothing changed.

The store is never stale: its name is a digest of everything a summary
depends on (bmnav's version, the schemas, clusters.yaml, patterns.yaml, the
lexicon, the limits and the source of the code that computes facts), and it
records the content hash of every case file, so a changed, added or removed
case file makes it miss and the corpus is read again.
`BMNAV_NO_CACHE=1` or `bmnav --no-cache` turns it off.

`ProfileCache` keeps the parsed and checked profiles of `bmnav classify
PROFILE` that loaded without errors, by their content, so a later run on
an unchanged profile imports neither PyYAML nor the schema checks.

`network_features()` and `cached_metrics()` keep what networkx computes for
one network (the structural features the classifier tests, the metrics of
`bmnav show`) keyed by a digest of the network's content, so a later run on
the same profile or case does not import networkx at all.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from bmnav import cache
from bmnav.cache import no_gc
from bmnav.corpus import Corpus, load_case, load_corpus
from bmnav.limits import Limits
from bmnav.model import Case, Vocabulary
from bmnav.problems import Level, Problem
from bmnav.resources import DataDir, bundled_data_dir, data_dir

#: Bump when the layout of the stores changes.
INDEX_FORMAT = 1
_HERE = Path(__file__).resolve().parent
#: The code a summary's facts, a network's features and its metrics come from.
_FACT_SOURCES = ("classify_facts.py", "network.py", "model.py")
_METRIC_SOURCES = ("metrics.py", "network.py", "model.py")


@dataclass
class IndexedCorpus(Corpus):
    """A corpus with a summary of every case, for `similar_cases`.

    Served from the index, `cases` is empty (no case file was read) and
    `complete` is False; the summaries, model files, vocabulary and problems
    are those a full `load_corpus()` gives. `full()` returns the complete
    corpus when a command needs the cases themselves.
    """

    summaries: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = True
    limits: Limits | None = None

    def __len__(self) -> int:
        return len(self.summaries) if not self.complete else len(self.cases)

    def full(self) -> Corpus:
        if self.complete:
            return self
        return load_corpus(self.datadir.root if not self.datadir.bundled else None, limits=self.limits)


def summary(case: Case, facts: dict[str, Any]) -> dict[str, Any]:
    """What the similar-cases list needs of a corpus case (plain data only)."""
    return {
        "case": case.id,
        "name": case.name,
        "company": case.company,
        "cluster": case.cluster,
        "section": case.section,
        "facts": facts,
    }


def _sources(names: tuple[str, ...]) -> list[Path]:
    return [_HERE / n for n in names]


def _case_stats(dd: DataDir) -> dict[str, str] | None:
    """Abs path -> content hash of every case file (as `DataDir.case_files`
    lists them), or None when one cannot be read."""
    out: dict[str, str] = {}
    try:
        files = dd.case_files()  # subfolders too: the same files as load_corpus reads
    except OSError:
        return {}
    for f in files:
        path = os.path.abspath(f)
        digest = cache.file_digest(path)
        if digest is None:
            return None
        out[path] = digest
    return out


def _index_name(dd: DataDir, limits: Limits, kind: str = "corpus") -> str:
    from bmnav.datafiles import data_file

    key = cache.run_key(
        f"{kind}-index",
        INDEX_FORMAT,
        os.path.abspath(dd.usecases),
        dd.clusters,
        dd.patterns,
        bundled_data_dir() / "lexicon.yaml",
        data_file("facts.yaml", dd.root),  # the derived facts' words (bmnav.derived_facts)
        limits,  # run_key also covers bmnav's own code (cache._code_stamp)
        *_sources(_FACT_SOURCES),
    )
    return f"{kind}-{key}{cache.SUFFIX}"


def _problem_rows(problems: list[Problem]) -> list[list[Any]]:
    return [[p.path, p.line, p.column, p.level.value, p.rule, p.message] for p in problems]


def indexed_corpus(data: str | Path | None = None, *, limits: Limits | None = None) -> IndexedCorpus:
    """The active corpus for classification, from the index when it is current.

    On a miss the corpus is read with `load_corpus()` (errors raise as there),
    the summaries are computed and the index is written for the next run.
    """
    from bmnav.classify_facts import facts_of

    limits = limits or Limits.from_env()
    dd = data_dir(data)
    use_cache = cache.enabled()
    path = _index_name(dd, limits) if use_cache else None
    stats = _case_stats(dd) if use_cache else None
    if path is not None and stats is not None:
        hit = _read_index(path, stats, dd)
        if hit is not None:
            hit.limits = limits
            return hit
    corpus = load_corpus(data, limits=limits)
    with no_gc():
        summaries = [summary(case, facts_of(case, data_dir=corpus.datadir.root)) for case in corpus]
    indexed = IndexedCorpus(
        **{f.name: getattr(corpus, f.name) for f in fields(Corpus)}, summaries=summaries, complete=True, limits=limits
    )
    if path is not None and stats is not None and _case_stats(dd) == stats:  # nothing changed while reading
        payload = {
            "format": INDEX_FORMAT,
            "files": stats,
            "summaries": summaries,
            "clusters_doc": corpus.clusters_doc,
            "patterns_doc": corpus.patterns_doc,
            "problems": _problem_rows(corpus.problems),
        }
        _write(path, payload, "corpus")
    return indexed


def _read_store(name: str, stats: dict[str, str], *keys: str) -> dict[str, Any] | None:
    """A store's payload when it was written for exactly these case files
    (and holds `keys`). The store is only ever what bmnav wrote (see
    `bmnav.cache.read_blob`); its shape is checked all the same."""
    payload = cache.load(name)
    if not isinstance(payload, dict) or payload.get("format") != INDEX_FORMAT or payload.get("files") != stats:
        return None
    if not all(k in payload for k in ("clusters_doc", "patterns_doc", "problems", *keys)):
        return None
    return payload


def _read_index(name: str, stats: dict[str, str], dd: DataDir) -> IndexedCorpus | None:
    payload = _read_store(name, stats, "summaries")
    if payload is None:
        return None
    try:
        clusters_doc = payload["clusters_doc"]
        patterns_doc = payload["patterns_doc"]
        return IndexedCorpus(
            cases={},
            vocab=Vocabulary.from_data(clusters_doc, patterns_doc),
            clusters_doc=clusters_doc,
            patterns_doc=patterns_doc,
            datadir=dd,
            problems=_problems(payload["problems"]),
            summaries=payload["summaries"],
            complete=False,
        )
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def _problems(rows: list[list[Any]]) -> list[Problem]:
    return [Problem(p, line, col, Level(level), rule, msg) for p, line, col, level, rule, msg in rows]


def cached_corpus(data: str | Path | None = None, *, limits: Limits | None = None) -> Corpus:
    """`load_corpus()`, served from a cache of the parsed and checked case
    files when none of them (nor the model files, schemas or limits) changed.

    Used by `bmnav show`, which needs every case's data. Keyed and checked
    like the index of `indexed_corpus()`; off with `BMNAV_NO_CACHE`.
    """
    limits = limits or Limits.from_env()
    dd = data_dir(data)
    if not cache.enabled():
        return load_corpus(data, limits=limits)
    path = _index_name(dd, limits, "cases")
    stats = _case_stats(dd)
    payload = _read_store(path, stats, "cases") if stats is not None else None
    if payload is not None:
        try:
            clusters_doc, patterns_doc = payload["clusters_doc"], payload["patterns_doc"]
            return Corpus(
                cases={d["id"]: Case(d, p) for p, d in payload["cases"]},
                vocab=Vocabulary.from_data(clusters_doc, patterns_doc),
                clusters_doc=clusters_doc,
                patterns_doc=patterns_doc,
                datadir=dd,
                problems=_problems(payload["problems"]),
            )
        except (TypeError, ValueError, KeyError, AttributeError):
            pass  # not a store this code wrote: read the corpus
    corpus = load_corpus(data, limits=limits)
    if stats is not None and _case_stats(dd) == stats:  # nothing changed while reading
        _write(
            path,
            {
                "format": INDEX_FORMAT,
                "files": stats,
                "cases": [[case.path, case.data] for case in corpus],
                "clusters_doc": corpus.clusters_doc,
                "patterns_doc": corpus.patterns_doc,
                "problems": _problem_rows(corpus.problems),
            },
            "cases",
        )
    return corpus


def _write(name: str, payload: Any, kind: str) -> None:
    """Write a store atomically; keep the newest few of its kind. A store
    that cannot be written (read-only home, data JSON cannot hold as it is)
    only costs time."""
    if cache.dump(name, payload):
        where = cache.folder()
        if where is not None:
            cache.prune(where, kind)


# ---------------------------------------------------------------- profiles


def _content_digest(value: Any) -> str:
    """A digest of plain data (marshal version 0: no references nor interning
    flags, so equal data gives equal bytes), or of its repr."""
    try:
        blob = b"m" + marshal.dumps(value, 0)
    except ValueError:
        blob = b"r" + repr(value).encode()
    return hashlib.sha256(blob).hexdigest()


def _copy(value: Any) -> Any:
    """A deep copy of plain data (so a caller's changes never reach the store)."""
    return json.loads(json.dumps(value))


class ProfileCache:
    """Profiles that loaded without errors, parsed and checked (store `profile-*`).

    `load(path, vocab)` is `load_case(path, vocab, profile=True)`, served from
    the store when the file's content is the same (by its hash),
    checked against the same vocabulary (by content) and under the same run
    key (bmnav's version and code, the schemas, the limits). A profile with
    errors is never kept: it is read and checked again on every run, so its
    problems are reported exactly as before, with file, line and column.
    Off with `BMNAV_NO_CACHE`; `save()` writes what was added.
    """

    def __init__(self, *, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self.store = (
            cache.Store("profile", cache.run_key("profile", INDEX_FORMAT, self.limits)) if cache.enabled() else None
        )
        self._vocab: tuple[Vocabulary, str] | None = None

    def _vocab_key(self, vocab: Vocabulary) -> str:
        if self._vocab is None or self._vocab[0] is not vocab:
            parts = (vocab.clusters, vocab.role_types, vocab.patterns, vocab.pattern_aliases)
            self._vocab = (vocab, _content_digest(parts))
        return self._vocab[1]

    def load(self, path: str | Path, vocab: Vocabulary) -> Case:
        if self.store is None:
            return load_case(path, vocab, profile=True, limits=self.limits)
        p = Path(path)
        vocab_key = self._vocab_key(vocab)
        hit = self.store.get(p)
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == vocab_key and isinstance(hit[1], dict):
            return Case(_copy(hit[1]), str(path))
        case = load_case(path, vocab, profile=True, limits=self.limits)  # errors raise: nothing is kept
        # kept only when the file still has the content hashed above and the data is plain
        self.store.put(p, [vocab_key, case.data])
        return case

    def save(self) -> None:
        if self.store is not None:
            self.store.save()


# ---------------------------------------------------------------- one network at a time


class _DigestStore:
    """A small store: content digest -> computed value, under a run key."""

    def __init__(self, kind: str, sources: tuple[str, ...]):
        self.kind = kind
        self.name = f"{kind}-{cache.run_key(kind, INDEX_FORMAT, *_sources(sources))}{cache.SUFFIX}"
        self.path = (cache.folder() or Path()) / self.name
        self.entries: dict[str, Any] = {}
        if self.path in _stores:
            return  # already read in this process; `_store` returns that one
        loaded = cache.load(self.name)
        if isinstance(loaded, dict):
            self.entries = loaded

    def get_or_compute(self, digest: str, compute: Callable[[], Any]) -> Any:
        if digest in self.entries and isinstance(self.entries[digest], dict):
            return self.entries[digest]
        value = compute()
        if cache.faithful(value) is None:
            return value  # not plain data: computed again next time
        if len(self.entries) >= 512:  # a cache of recent networks, not an archive
            self.entries.clear()
        self.entries[digest] = value
        _write(self.name, self.entries, self.kind)
        return value


_stores: dict[Path, _DigestStore] = {}


def _store(kind: str, sources: tuple[str, ...]) -> _DigestStore:
    """The store of this kind for the current cache folder, read once per process."""
    store = _DigestStore(kind, sources)
    return _stores.setdefault(store.path, store)


def network_digest(case: Case, *extra: Any) -> str:
    """A digest of the parts of a case its network features depend on."""
    return hashlib.sha256(repr((case.data.get("network"), *extra)).encode()).hexdigest()


def network_features(case: Case) -> dict[str, Any]:
    """`bmnav.network.structure(case)`, from the cache when this network was seen before."""
    from bmnav.network import structure

    if not cache.enabled() or not case.roles:
        return structure(case)
    value: dict[str, Any] = _store("features", _FACT_SOURCES).get_or_compute(
        network_digest(case), lambda: structure(case)
    )
    return value


def profile_facts(case: Case, data_dir: str | Path | None = None) -> dict[str, Any]:
    """`facts_of(case)` with the network features from the cache (see `network_features`)."""
    from bmnav.classify_facts import facts_of

    return facts_of(case, features=network_features, data_dir=data_dir)


def cached_metrics(case: Case) -> dict[str, Any]:
    """`bmnav.metrics.metrics(case)`, from the cache when this network was seen before."""
    from bmnav.metrics import metrics

    if not cache.enabled():
        return metrics(case)
    value: dict[str, Any] = _store("metrics", _METRIC_SOURCES).get_or_compute(
        network_digest(case, case.currency), lambda: metrics(case)
    )
    return value
