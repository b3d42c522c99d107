"""The cache behind `load_corpus()`, and cached network features.

Reading and checking 10,000 case files takes seconds; a command that runs
again on the same files should not pay for that twice. `cached_load()` (what
`bmnav.storage.corpus.load_corpus()` calls) keeps the corpus in three stores in the
user's cache folder (JSON with a keyed hash, see `bmnav.storage.cache`): the ids,
model files and problems; the parsed cases; and the summaries `classify`
needs of each case (id, name, company, cluster, report section, facts). The
cases and the summaries are read only when a command asks for them, so
`classify` never reads the cases and `list` never computes facts.

The stores are never stale: their names are a digest of everything they
depend on (bmnav's version and code, the schemas, clusters.yaml,
patterns.yaml, the lexicon, the limits and the source of the code that
computes facts), and they record the content hash of every case file, so a
changed, added or removed case file makes them miss and the corpus is read
again. They hold data only and are checked on reading; a damaged one is
ignored. `BMNAV_NO_CACHE=1` or `bmnav --no-cache` turns them off.

`ProfileCache` keeps the parsed and checked profiles of `bmnav classify
PROFILE` that loaded without errors, by their content, so a later run on
an unchanged profile imports neither PyYAML nor the schema checks.

`network_features()` and `cached_metrics()` keep what networkx computes for
one network (the structural features the classifier tests, the metrics of
`bmnav show`) keyed by a digest of the network's content, so a later run on
the same profile or case does not import networkx at all.
"""

from __future__ import annotations

import atexit
import copy
import functools
import hashlib
import json
import marshal
import os
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from bmnav.checking.problems import Level, Problem
from bmnav.domain.model import Case, Vocabulary
from bmnav.storage import cache
from bmnav.storage.collector import no_gc
from bmnav.storage.corpus import SUMMARY, Corpus, LazyCases, Recorder, load_case, read_corpus, read_model
from bmnav.storage.limits import Limits
from bmnav.storage.resources import DataDir, bundled_data_dir, data_dir

#: Bump when the layout of the stores changes.
INDEX_FORMAT = 1
_HERE = Path(__file__).resolve().parents[1]
#: The code a summary's facts, a network's features and its metrics come from.
_FACT_SOURCES = ("classifying/classify_facts.py", "domain/network.py", "domain/model.py")
_METRIC_SOURCES = ("domain/metrics.py", "domain/network.py", "domain/model.py")


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


def _case_stats(dd: DataDir, listed: list[str] | None = None) -> dict[str, str] | None:
    """Abs path -> content hash of every case file (as `DataDir.case_file_names`
    lists them, into `listed` too), or None when one cannot be read."""
    out: dict[str, str] = {}
    try:
        files = dd.case_file_names()  # subfolders too: the same files as load_corpus reads
    except OSError:
        return {}
    if listed is not None:
        listed[:] = files
    absolute = os.path.isabs(str(dd.usecases))
    for f in files:
        path = f if absolute else os.path.abspath(f)
        digest = cache.file_digest(path)
        if digest is None:
            return None
        out[path] = digest
    return out


def _index_name(dd: DataDir, limits: Limits, kind: str = "corpus") -> str:
    from bmnav.storage.datafiles import data_file

    key = cache.run_key(
        f"{kind}-index",
        INDEX_FORMAT,
        os.path.abspath(dd.usecases),
        dd.clusters,
        dd.patterns,
        bundled_data_dir() / "lexicon.yaml",
        data_file("facts.yaml", dd.root),  # the derived facts' words (bmnav.classifying.derived_facts)
        limits,  # run_key also covers bmnav's own code (cache._code_stamp)
        *_sources(_FACT_SOURCES),
    )
    return f"{kind}-{key}{cache.SUFFIX}"


def _problem_rows(problems: list[Problem]) -> list[list[Any]]:
    return [[p.path, p.line, p.column, p.level.value, p.rule, p.message] for p in problems]


def cached_load(
    data: str | Path | None = None, *, limits: Limits | None = None, records: Mapping[str, Recorder] | None = None
) -> Corpus:
    """`load_corpus()` with the cache (call that): the corpus from the stores
    when every case file has the content it had when they were written, else
    read and checked, and stored for the next run.

    Three stores, each recording the content hash of every case file: `corpus-*`
    (the ids, the model files and every problem), `cases-*` (the parsed cases,
    read only when a command asks for a case) and `facts-*` (the summaries
    `classify` needs, computed on first use). A store that is missing, damaged
    or of another shape is ignored and the files are read again.

    When the files are read, `records` (see `load_corpus`) are computed by the
    worker processes that read and check them (`_read_fresh`).
    """
    limits = limits or Limits.from_env()
    dd = data_dir(data)
    files: list[str] = []
    stats = _case_stats(dd, files) if cache.enabled() else None
    if stats is None:  # no cache, or a case file that cannot be hashed: read it all
        return read_corpus(data, limits=limits)
    names = {kind: _index_name(dd, limits, kind) for kind in ("corpus", "cases", "facts")}
    head = _read_store(names["corpus"], stats, "ids")
    hit = _from_head(head, dd, names, stats, data, limits) if head is not None else None
    if hit is not None:
        return hit
    with no_gc():  # (many small results: no collection walks them)
        return _read_fresh(data, dd, files, names, stats, limits, records or {})


class _Read(NamedTuple):
    """What a worker sends back for one case file: never the parsed case itself."""

    path: str
    id: dict[str, Any] | None  # {"id": ...} for `id-unique`
    ok: bool  # read without errors: a case of the corpus (unless its id is taken)
    problems: list[Problem]
    blob: bytes | None  # [path, data] as JSON for the cases store; None: not a case, or not plain data
    records: dict[str, Any]  # kind -> the record (plain data, as the store keeps it)
    digest: str | None  # the file's content hash once it was read


def _read_one(path: Path, *, vocab: Vocabulary, limits: Limits, recorders: dict[str, Callable[[Case], Any]]) -> _Read:
    """Read and check one case file (as `validate` does) and compute its records."""
    from bmnav.checking.validation import _id_only, check_file

    checked = check_file(path, vocab, profile=False, limits=limits)
    data = checked.loaded.data
    ok = isinstance(data, dict) and not any(p.level is Level.ERROR for p in checked.problems)
    blob, records = None, {}
    if ok:
        # one snapshot for all the records: its roles, flows, graph and position are worked out once
        case = Case(data, checked.loaded.path).snapshot()
        blob = cache.faithful([case.path, data])
        for kind, compute in recorders.items():
            try:
                plain = cache.plain_copy(compute(case))
            except Exception:  # left out: computed from the case if asked for (and failing there, as before)
                continue
            if plain is not None:
                records[kind] = plain[1]
    digest = cache.file_digest(path)
    return _Read(checked.loaded.path, _id_only(data), ok, checked.problems, blob, records, digest)


def _read_fresh(
    data: str | Path | None,
    dd: DataDir,
    files: list[str],
    names: dict[str, str],
    stats: dict[str, str],
    limits: Limits,
    records: Mapping[str, Recorder],
) -> Corpus:
    """`read_corpus`, with each case's records computed where it is read.

    The workers send back each file's problems, its case as JSON text (written
    into the cases store as it is) and its records; this process never holds
    all the parsed cases at once (they are read back from the store when a
    command asks for one). The same cases and problems as `read_corpus`, in
    the same order (`tests/test_work_once.py`)."""
    from bmnav.checking import parallel
    from bmnav.checking.validation import Checked, unique_ids
    from bmnav.storage.loading import Loaded

    vocab, problems, clusters_doc, patterns_doc = read_model(dd, limits)
    shell = Corpus({}, vocab, clusters_doc, patterns_doc, dd)  # no cases: a record comes from its case alone
    recorders = {kind: make(shell) for kind, make in records.items()}
    work = partial(_read_one, vocab=vocab, limits=limits, recorders=recorders)
    # the files `stats` hashed, as `DataDir.case_files` listed them (listed again when that
    # failed or found none: a folder that cannot be listed fails here, as `read_corpus` does)
    read = parallel.map_files([Path(f) for f in files] or dd.case_files(), work)
    dup = unique_ids([Checked(Loaded(r.path, None, data=r.id), "usecase", r.problems) for r in read])
    bad_paths = {p.path for p in dup}
    for r in read:
        problems += r.problems
    problems += dup
    # nothing changed while the files were read (else nothing is stored: the next run reads them again)
    unchanged = len(read) == len(stats) and all(stats.get(os.path.abspath(r.path)) == r.digest for r in read)
    kept = [r for r in read if r.ok and r.id is not None and r.path not in bad_paths]
    del read[:]  # only the kept cases' parts from here on
    ids = [str(r.id["id"]) for r in kept if r.id is not None]
    blobs = [r.blob for r in kept if r.blob is not None]
    plain = len(blobs) == len(kept)  # every case JSON can hold as it is: the store can be written
    written = plain and unchanged and _write_blobs(names["cases"], stats, blobs)

    def stored() -> dict[str, Case] | None:  # (None: not plain data, or the store is already gone)
        return _cases_of(blobs, ids) if plain and not written else _read_cases(names["cases"], stats, ids)

    memos = _memos(dd, limits, stats)
    model = (vocab, clusters_doc, patterns_doc, problems)
    corpus = _lazy_corpus(data, dd, names, stats, limits, ids, stored, model, memo=memos)
    if written:
        blobs = []  # read back from the store when asked for
    _keep_records(corpus, memos, kept, records, names["facts"], stats)
    if unchanged:
        _write(names["corpus"], {**_head(stats, corpus), "ids": ids}, "corpus")
    return corpus


def _cases_of(blobs: list[bytes], ids: list[str]) -> dict[str, Case]:
    """The cases from the JSON the workers sent (when the store could not be written)."""
    cases: dict[str, Case] = {}
    for blob, case_id in zip(blobs, ids, strict=True):
        path, case_data = json.loads(blob)
        cases[case_id] = Case(case_data, path)
    return cases


def _keep_records(
    corpus: Corpus,
    memos: Callable[[str], CaseMemo],
    kept: list[_Read],
    records: Mapping[str, Recorder],
    facts: str,
    stats: dict[str, str],
) -> None:
    """The records the workers computed, in the corpus's stores (`Corpus.per_case`
    finds them there). A kind some case has no record of is left to be computed
    from the cases when asked for."""
    for kind in records:
        values = {str(r.id["id"]): r.records[kind] for r in kept if r.id is not None and kind in r.records}
        if len(values) != len(kept):
            continue
        if kind == SUMMARY:
            rows = list(values.values())
            vars(corpus)["_summaries"] = rows
            _write(facts, {"format": INDEX_FORMAT, "files": stats, "summaries": rows}, "facts")
        else:
            memos(kind).fill(values)


def _write_blobs(name: str, stats: dict[str, str], blobs: list[bytes]) -> bool:
    """The cases store, from each case's JSON as the workers wrote it."""
    files = cache.faithful(stats)
    if files is None:
        return False
    payload = b'{"format":%d,"files":%s,"cases":[%s]}' % (INDEX_FORMAT, files, b",".join(blobs))
    if not cache.write_blob(name, payload):
        return False
    _prune("cases")
    return True


def _head(stats: dict[str, str], corpus: Corpus) -> dict[str, Any]:
    return {
        "format": INDEX_FORMAT,
        "files": stats,
        "clusters_doc": corpus.clusters_doc,
        "patterns_doc": corpus.patterns_doc,
        "problems": _problem_rows(corpus.problems),
    }


def _from_head(
    payload: dict[str, Any],
    dd: DataDir,
    names: dict[str, str],
    stats: dict[str, str],
    data: str | Path | None,
    limits: Limits,
) -> Corpus | None:
    """The corpus the head store describes, its cases read on first use."""
    try:
        ids = payload["ids"]
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            return None
        clusters_doc, patterns_doc = payload["clusters_doc"], payload["patterns_doc"]
        problems = _problems(payload["problems"])
        vocab = Vocabulary.from_data(clusters_doc, patterns_doc)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None

    model = (vocab, clusters_doc, patterns_doc, problems)
    stored = partial(_read_cases, names["cases"], stats, ids)
    return _lazy_corpus(data, dd, names, stats, limits, ids, stored, model, memo=_memos(dd, limits, stats), cached=True)


def _lazy_corpus(
    data: str | Path | None,
    dd: DataDir,
    names: dict[str, str],
    stats: dict[str, str],
    limits: Limits,
    ids: list[str],
    stored: Callable[[], dict[str, Case] | None],
    model: tuple[Vocabulary, dict[str, Any], dict[str, Any], list[Problem]],
    *,
    memo: Callable[[str], CaseMemo],
    cached: bool = False,
) -> Corpus:
    """A corpus whose cases are read on first use: from `stored()`, or, when that
    gives None (the store gone or damaged), from the files again (the same corpus,
    unless they changed; their problems replace the ones kept). `cached`: it came
    from the stores, not from reading the files."""
    vocab, clusters_doc, patterns_doc, problems = model

    def read_cases() -> dict[str, Case]:
        cases = stored()
        if cases is None:
            fresh = read_corpus(data, limits=limits)
            problems[:] = fresh.problems
            return dict(fresh.cases)
        return cases

    return Corpus(
        cases=LazyCases(ids, read_cases),
        vocab=vocab,
        clusters_doc=clusters_doc,
        patterns_doc=patterns_doc,
        datadir=dd,
        problems=problems,
        summarize=partial(_summaries, names["facts"], stats),
        from_cache=cached,
        memo=memo,
    )


def _read_cases(name: str, stats: dict[str, str], ids: list[str]) -> dict[str, Case] | None:
    """The parsed cases of the store, when it was written for these files and
    holds exactly the cases the head store lists, in order."""
    payload = cache.load(name)
    if not isinstance(payload, dict) or payload.get("format") != INDEX_FORMAT or payload.get("files") != stats:
        return None
    rows = payload.get("cases")
    if not isinstance(rows, list) or len(rows) != len(ids):
        return None
    cases: dict[str, Case] = {}
    for row, case_id in zip(rows, ids, strict=True):
        if not (isinstance(row, list) and len(row) == 2 and isinstance(row[0], str) and isinstance(row[1], dict)):
            return None
        if row[1].get("id") != case_id:
            return None
        cases[case_id] = Case(row[1], row[0])
    return cases


def _summaries(name: str, stats: dict[str, str], corpus: Corpus) -> list[dict[str, Any]]:
    """The classification summaries of the corpus: from the `facts-*` store
    when it was written for these files, else computed and stored."""
    from bmnav.classifying.classify_facts import facts_of

    payload = cache.load(name)
    if isinstance(payload, dict) and payload.get("format") == INDEX_FORMAT and payload.get("files") == stats:
        rows = payload.get("summaries")
        if isinstance(rows, list) and [r.get("case") if isinstance(r, dict) else None for r in rows] == list(
            corpus.cases
        ):
            return rows
    with no_gc():
        rows = [summary(case, facts_of(case, data_dir=corpus.datadir.root)) for case in corpus]
    _write(name, {"format": INDEX_FORMAT, "files": stats, "summaries": rows}, "facts")
    return rows


class CaseMemo:
    """Values computed from the cases of one corpus (`Corpus.derived`), by case
    id, in a store (`memo.KIND-*`) named like the corpus stores plus the kind and
    recording the content hash of every case file, so that it holds only
    values of these very files. Read once, written when the process ends
    (`atexit`) if a value was added."""

    def __init__(self, kind: str, name: str, stats: dict[str, str]) -> None:
        self.kind = kind
        self.name = name
        self.stats = stats
        self.dirty = False
        self.where = cache.folder()
        payload = cache.load(name)
        values = payload.get("values") if isinstance(payload, dict) and payload.get("files") == stats else None
        self.values: dict[str, Any] = values if isinstance(values, dict) else {}

    def get(self, case_id: str) -> Any | None:
        return self.values.get(case_id)

    def fill(self, values: dict[str, Any]) -> None:
        """Values by case id that are plain data already (copies made where they were computed)."""
        self.values.update(values)
        if values and not self.dirty:
            self.dirty = True
            atexit.register(self.save)

    def put(self, case_id: str, value: Any) -> None:
        plain = cache.plain_copy(value)  # plain data only; a copy, so later changes never reach the store
        if plain is None:
            return
        self.values[case_id] = plain[1]
        if not self.dirty:
            self.dirty = True
            atexit.register(self.save)

    def save(self) -> None:
        # only into the folder it was read from (a test or a caller may have moved the cache since)
        if self.dirty and cache.folder() == self.where:
            self.dirty = False
            # every value is plain data already (a copy read back from JSON, see `put` and
            # `fill`), so it is written without checking that it reads back equal once more
            payload = {"format": INDEX_FORMAT, "files": self.stats, "values": self.values}
            try:
                blob = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
            except (ValueError, TypeError, RecursionError):
                return
            if cache.write_blob(self.name, blob):
                _prune(self.kind)


def _memos(dd: DataDir, limits: Limits, stats: dict[str, str]) -> Callable[[str], CaseMemo]:
    """kind -> its `CaseMemo` for this corpus, each read at most once per process."""
    opened: dict[str, CaseMemo] = {}

    def memo(kind: str) -> CaseMemo:
        if kind not in opened:
            store = f"memo.{kind}"  # no "-": `cache.prune` reads the run key after the first one
            opened[kind] = CaseMemo(store, _index_name(dd, limits, store), stats)
        return opened[kind]

    return memo


def _read_store(name: str, stats: dict[str, str], *keys: str) -> dict[str, Any] | None:
    """A store's payload when it was written for exactly these case files
    (and holds `keys`). The store is only ever what bmnav wrote (see
    `bmnav.storage.cache.read_blob`); its shape is checked all the same."""
    payload = cache.load(name)
    if not isinstance(payload, dict) or payload.get("format") != INDEX_FORMAT or payload.get("files") != stats:
        return None
    if not all(k in payload for k in ("clusters_doc", "patterns_doc", "problems", *keys)):
        return None
    return payload


def _problems(rows: list[list[Any]]) -> list[Problem]:
    return [Problem(p, line, col, Level(level), rule, msg) for p, line, col, level, rule, msg in rows]


def _write(name: str, payload: Any, kind: str) -> None:
    """Write a store atomically; keep the newest few of its kind. A store
    that cannot be written (read-only home, data JSON cannot hold as it is)
    only costs time."""
    if cache.dump(name, payload):
        _prune(kind)


def _prune(kind: str) -> None:
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
    """`bmnav.domain.network.structure(case)`, from the cache when this network was seen before."""
    from bmnav.domain.network import structure

    if not cache.enabled() or not case.roles:
        return structure(case)
    value: dict[str, Any] = _store("features", _FACT_SOURCES).get_or_compute(
        network_digest(case), lambda: structure(case)
    )
    return value


#: The code a profile's facts come from (its derived facts read words through these).
_PROFILE_FACT_SOURCES = (
    *_FACT_SOURCES,
    *("classifying/derived_facts.py", "classifying/words.py", "classifying/textfacts.py", "classifying/textscope.py"),
)
#: The data files of a data folder that a profile's facts depend on.
_FACT_DATA = ("clusters.yaml", "facts.yaml", "lexicon.yaml", "textcues.yaml", "model.yaml")


def profile_facts(case: Case, data_dir: str | Path | None = None) -> dict[str, Any]:
    """`facts_of(case)`, kept in the cache by the profile's content and the data
    files it is read with, so that classifying the same profile again neither
    builds its network nor loads a stemmer (network features: `network_features`)."""
    from bmnav.classifying.classify_facts import facts_of

    def compute() -> dict[str, Any]:
        return facts_of(case, features=network_features, data_dir=data_dir)

    if not cache.enabled():
        return compute()
    digest = _content_digest([case.data, _fact_data_digest(data_dir)])
    value: dict[str, Any] = _store("profile-facts", _PROFILE_FACT_SOURCES).get_or_compute(digest, compute)
    return copy.deepcopy(value)  # a caller's changes never reach the store


@functools.cache
def _fact_data_digest(data_dir: str | Path | None) -> str:
    """The data files a profile's facts depend on, read once per process (a batch
    of profiles is read with the same files)."""
    folders = {bundled_data_dir(), *([Path(data_dir)] if data_dir is not None else [])}
    files = (f for d in sorted(folders) for f in (d / n for n in _FACT_DATA))
    return _content_digest([(f.name, f.read_bytes()) for f in files if f.is_file()])


def cached_metrics(case: Case) -> dict[str, Any]:
    """`bmnav.domain.metrics.metrics(case)`, from the cache when this network was seen before."""
    from bmnav.domain.metrics import metrics

    if not cache.enabled():
        return metrics(case)
    value: dict[str, Any] = _store("metrics", _METRIC_SOURCES).get_or_compute(
        network_digest(case, case.currency), lambda: metrics(case)
    )
    return value
