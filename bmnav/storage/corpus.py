"""The active corpus: its cases, the cluster model and the pattern list.

`load_corpus()` is the one way to get a corpus, for every command and the
Python API. It reads and checks every case file; cases with errors are left
out and their problems kept in `Corpus.problems`, so a command can work on
the rest and still report them (and exit non-zero). With `cache=True` (the
default) it is served from bmnav's cache when no case file changed (by
content), see `bmnav.storage.corpus_index`: the same cases, problems and model files.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bmnav.checking.problems import BmnavError, Level, Problem
from bmnav.checking.suggest import did_you_mean
from bmnav.domain.model import Case, Vocabulary
from bmnav.storage.resources import DataDir, data_dir

if TYPE_CHECKING:
    from bmnav.storage.limits import Limits
    from bmnav.storage.loading import Loaded

T = TypeVar("T")


class CaseMemo(Protocol):
    """Values computed from the cases of a corpus, by case id (`bmnav.storage.corpus_index.CaseMemo`)."""

    def get(self, case_id: str) -> Any | None: ...

    def put(self, case_id: str, value: Any) -> None: ...


class LazyCases(Mapping[str, Case]):
    """Cases by id whose data is read on first use.

    Served from the cache, a command that needs only the ids (or only the
    classification summaries) never reads the parsed cases; `read` returns
    them all, in corpus order, when a case is first asked for."""

    def __init__(self, ids: list[str], read: Callable[[], dict[str, Case]]) -> None:
        self._ids = ids
        self._known = set(ids)
        self._read = read
        self._cases: dict[str, Case] | None = None

    @property
    def loaded(self) -> bool:
        """Whether the cases have been read."""
        return self._cases is not None

    def _all(self) -> dict[str, Case]:
        if self._cases is None:
            self._cases = self._read()
        return self._cases

    def __getitem__(self, case_id: str) -> Case:
        return self._all()[case_id]

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._known if self._cases is None else case_id in self._cases

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids if self._cases is None else self._cases)

    def __len__(self) -> int:
        return len(self._ids) if self._cases is None else len(self._cases)

    def values(self):  # type: ignore[no-untyped-def, override]
        return self._all().values()

    def items(self):  # type: ignore[no-untyped-def, override]
        return self._all().items()


#: Computes (or reads from the cache) the classification summaries of a corpus.
Summarize = Callable[["Corpus"], list[dict[str, Any]]]

#: Given a corpus, the function that computes what a command needs of each of its
#: cases (`Corpus.per_case`, `Corpus.derived`): plain data, the same for a case
#: whatever else the corpus holds, so that it can be computed where the case is read.
Recorder = Callable[["Corpus"], Callable[[Case], Any]]
#: The kind of record that is a case's classification summary (`Corpus.summaries`).
SUMMARY = "summary"


@dataclass
class Corpus:
    """Cases by id, with the model (clusters.yaml, patterns.yaml) they use.

    `summaries` is what `bmnav classify` needs of each case (see
    `bmnav.storage.corpus_index.summary`) when the loader can give it more cheaply
    than the cases (from the cache); None otherwise, and the classifier
    computes it. `from_cache` says whether the corpus was served from the cache.
    """

    cases: Mapping[str, Case]
    vocab: Vocabulary
    clusters_doc: dict[str, Any]
    patterns_doc: dict[str, Any]
    datadir: DataDir
    problems: list[Problem] = field(default_factory=list)
    summarize: Summarize | None = field(default=None, repr=False, compare=False)
    from_cache: bool = False
    #: kind -> the store of values computed from the cases (see `derived`); None: not kept
    memo: Callable[[str], CaseMemo] | None = field(default=None, repr=False, compare=False)

    def derived(
        self,
        kind: str,
        case: Case,
        compute: Callable[[Case], T],
        encode: Callable[[T], Any] = lambda v: v,
        decode: Callable[[Any], T] = lambda v: v,
    ) -> T:
        """`compute(case)`, kept in the cache for a case of this corpus (by id,
        under the content hashes of the case files), so that a later run on
        the same files does not compute it again.

        Only a case object of this corpus is looked up (a profile or a file
        given by path is always computed), and a kept value that does not
        decode is computed again. The cases of a corpus are read-only data."""
        if self.memo is None or case.id not in self.cases or self.cases[case.id] is not case:
            return compute(case)
        store = self.memo(kind)
        kept = store.get(case.id)
        if kept is not None:
            try:
                return decode(kept)
            except (TypeError, ValueError, KeyError, AttributeError):
                pass
        value = compute(case)
        store.put(case.id, encode(value))
        return value

    def derived_by_id(
        self,
        kind: str,
        case_id: str,
        compute: Callable[[Case], T],
        encode: Callable[[T], Any] = lambda v: v,
        decode: Callable[[Any], T] = lambda v: v,
    ) -> T:
        """`derived` for the case with this id, looked up in the cache before
        the case is read: when the value is kept, the cases are not read."""
        if self.memo is not None and case_id in self.cases:
            kept = self.memo(kind).get(case_id)
            if kept is not None:
                try:
                    return decode(kept)
                except (TypeError, ValueError, KeyError, AttributeError):
                    pass
        return self.derived(kind, self.get(case_id), compute, encode, decode)

    def per_case(
        self, kind: str, compute: Callable[[Case], T], decode: Callable[[Any], T | None] = lambda v: v
    ) -> list[T]:
        """`compute(case)` for every case, in corpus order, kept in the cache
        like `derived`. When every case's value is kept (and decodes), the
        cases themselves are never read: a warm `list` of 10,000 cases reads
        10,000 small records instead of 10,000 parsed case files.

        `decode` turns a kept value back into a result, or None when it is
        not of the expected shape (then every value is computed again)."""
        if self.memo is not None and isinstance(self.cases, LazyCases) and not self.cases.loaded:
            store = self.memo(kind)
            kept = [store.get(case_id) for case_id in self.cases]
            if all(v is not None for v in kept):
                values = [decode(v) for v in kept]
                if all(v is not None for v in values):
                    return values  # type: ignore[return-value]
        if self.memo is None:
            return [compute(case) for case in self]
        store = self.memo(kind)
        out = []
        for case in self:
            value = compute(case)
            store.put(case.id, value)
            out.append(value)
        return out

    @property
    def summaries(self) -> list[dict[str, Any]] | None:
        if self.summarize is None:
            return None
        memo: list[dict[str, Any]] | None = vars(self).get("_summaries")
        if memo is None:
            memo = vars(self)["_summaries"] = self.summarize(self)
        return memo

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.ERROR]

    def __len__(self) -> int:
        return len(self.cases)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.cases.values())

    @property
    def clusters(self) -> dict[str, dict[str, Any]]:
        return self.vocab.clusters

    def cluster_ids(self) -> list[str]:
        return list(self.vocab.clusters)

    def get(self, case_id: str) -> Case:
        """The case with this id, or an error with a "did you mean"."""
        if case_id in self.cases:
            return self.cases[case_id]
        hint = did_you_mean(case_id, self.cases)
        raise BmnavError(f'no case "{case_id}" in the corpus{hint}; `bmnav list` shows the ids', exit_code=1)

    def resolve_cluster(self, ref: str) -> str:
        """A cluster id from an id or a name (case-insensitive), or an error with a hint."""
        if ref in self.vocab.clusters:
            return ref
        low = ref.strip().lower()
        for cid, c in self.vocab.clusters.items():
            if low in (str(c.get("name", "")).lower(), str(c.get("short", "")).lower(), cid.lower()):
                return cid
        names = list(self.vocab.clusters) + [str(c.get("name")) for c in self.vocab.clusters.values()]
        raise BmnavError(
            f'unknown cluster "{ref}"{did_you_mean(ref, names)}; clusters: {", ".join(self.vocab.clusters)}',
            exit_code=1,
        )

    def resolve(self, ref: str | Path, *, profile: bool | None = None, ignore: Collection[str] = ()) -> Case:
        """A case from a corpus id or from a file path (checked like `validate`;
        problems of the rules in `ignore` are left out)."""
        p = Path(ref)
        if str(ref) in self.cases and not p.is_file():
            return self.cases[str(ref)]
        if p.suffix in (".yaml", ".yml") or p.exists() or "/" in str(ref):
            return load_case(p, self.vocab, profile=profile, ignore=ignore)
        return self.get(str(ref))


def load_case(
    path: str | Path,
    vocab: Vocabulary,
    *,
    profile: bool | None = None,
    limits: Limits | None = None,
    ignore: Collection[str] = (),
) -> Case:
    """Load and check one case or profile file; errors raise `BmnavError`
    carrying validate's problems (with lines). `profile=None` decides by
    whether the file has a `cluster`. Problems of the rules in `ignore` are
    dropped (`bmnav diff` ignores `id-matches-filename` for revisions)."""
    # the YAML reader and the checks only here: a run served from the caches needs neither
    from bmnav.storage.collector import no_gc
    from bmnav.storage.loading import load_file

    # the file's node tree (a million objects for 2 MB) is only read by the checks and
    # freed when they end: with the collector off meanwhile, no collection walks it
    with no_gc():
        return case_from_loaded(load_file(path, limits=limits), vocab, profile=profile, ignore=ignore)


def case_from_loaded(
    loaded: Loaded, vocab: Vocabulary, *, profile: bool | None = None, ignore: Collection[str] = ()
) -> Case:
    """A case from YAML already read (a file, a pipe, or `git show`), checked
    like `validate`; errors raise `BmnavError` carrying the problems."""
    from bmnav.checking.validation import check_loaded

    path = loaded.path
    if loaded.data is None or not isinstance(loaded.data, dict):
        raise BmnavError(f"{path}: cannot be read as a case file", problems=loaded.problems)
    is_profile = profile if profile is not None else "cluster" not in loaded.data
    checked = check_loaded(loaded, "usecase", vocab, profile=is_profile)
    checked.problems[:] = [p for p in checked.problems if p.rule not in ignore]
    errors = [p for p in checked.problems if p.level is Level.ERROR]
    if errors:
        n = len(errors)
        see = (
            f"see `bmnav validate {'--profile ' if is_profile else ''}{path}`"
            if Path(path).is_file()
            else "the problems are listed above"
        )
        raise BmnavError(f"{path}: {n} error{'s' if n != 1 else ''}; fix them ({see})", problems=checked.problems)
    return Case(loaded.data, str(path))


def load_corpus(
    data: str | Path | None = None,
    *,
    cache: bool = True,
    limits: Limits | None = None,
    records: Mapping[str, Recorder] | None = None,
) -> Corpus:
    """The active corpus (`--data`, `BMNAV_DATA` or the bundled one).

    With `cache` (and the cache not turned off by `--no-cache` or
    `BMNAV_NO_CACHE`), from the cache when every case file has the content it
    had when the corpus was stored; else read and checked (and stored).

    `records` names what the caller will ask of every case (kind -> `Recorder`,
    the kinds of `Corpus.per_case` and `Corpus.derived`). When the files have to
    be read, these are computed by the processes that read and check them, one
    case at a time, and only they come back: the parsed cases never all sit in
    this process (see `bmnav.storage.corpus_index`). Without the cache, they
    are computed from the cases when asked for, as without `records`."""
    if cache:
        from bmnav.storage.corpus_index import cached_load

        return cached_load(data, limits=limits, records=records)
    return read_corpus(data, limits=limits)


def read_model(dd: DataDir, limits: Limits | None) -> tuple[Vocabulary, list[Problem], dict[str, Any], dict[str, Any]]:
    """The vocabulary, the model files' problems and the clusters and patterns
    documents of a data folder; raises when a model file has errors (every
    corpus command needs them whole)."""
    from bmnav.checking.validation import load_vocabulary

    vocab, model_checked = load_vocabulary(dd, limits=limits)
    problems: list[Problem] = [p for c in model_checked for p in c.problems]
    if any(p.level is Level.ERROR for p in problems):
        raise BmnavError(f"the model files of {dd.root} have errors; run `bmnav validate`", problems=problems)
    clusters_doc = model_checked[0].loaded.data if isinstance(model_checked[0].loaded.data, dict) else {}
    patterns_doc = model_checked[1].loaded.data if isinstance(model_checked[1].loaded.data, dict) else {}
    return vocab, problems, clusters_doc, patterns_doc


def read_corpus(data: str | Path | None = None, *, limits: Limits | None = None) -> Corpus:
    """Read and check every file of the corpus (no cache): `load_corpus(cache=False)`."""
    from bmnav.checking.validation import check_files, unique_ids
    from bmnav.storage.limits import Limits

    dd = data_dir(data)
    vocab, problems, clusters_doc, patterns_doc = read_model(dd, limits)
    checked = check_files(dd.case_files(), vocab, profile=False, limits=limits or Limits.from_env(), keep_text=False)
    dup = unique_ids(checked)
    bad_paths = {p.path for p in dup}
    cases: dict[str, Case] = {}
    for c in checked:
        problems += c.problems
        if any(p.level is Level.ERROR for p in c.problems) or c.loaded.path in bad_paths:
            continue
        cases[c.loaded.data["id"]] = Case(c.loaded.data, c.loaded.path)
    problems += dup
    return Corpus(cases, vocab, clusters_doc, patterns_doc, dd, problems)
