"""`bmnav.validate(paths)`: check case files and model files, return a Report.

The pipeline is load -> schema -> rules, file by file, so one bad file never
stops the others; corpus-wide checks (unique ids) run once at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import schema
from .loading import Limits, Loaded, load_file
from .model import Vocabulary
from .problems import Level, Problem, Report, error

if TYPE_CHECKING:
    from .parallel import Track
from .resources import DataDir, data_dir
from .rules import Context, run_rules

MODEL_FILES = {
    "clusters.yaml": "clusters",
    "clusters.yml": "clusters",
    "patterns.yaml": "patterns",
    "patterns.yml": "patterns",
    # the free-text model of `classify --text`: checked as safe YAML, no schema
    "lexicon.yaml": "lexicon",
    "textcues.yaml": "lexicon",
    "facts.yaml": "lexicon",  # the derived facts of the classifier (bmnav/derived_facts.py)
}


def kind_of(path: Path) -> str:
    """usecase, clusters or patterns, by file name."""
    return MODEL_FILES.get(path.name, "usecase")


@dataclass
class Checked:
    """One file after loading, schema and rules."""

    loaded: Loaded
    kind: str
    problems: list[Problem]


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named and found under folders (`*.yaml`, `*.yml`), without
    following symbolic links into loops; unusable paths become problems."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for raw in paths:
        p = Path(raw)
        try:
            is_dir = p.is_dir()
            exists = p.exists() or p.is_symlink()
        except OSError as exc:
            problems.append(
                error(
                    str(p),
                    0,
                    0,
                    "symlink-loop" if exc.errno == 40 else "path-unreadable",
                    f"cannot use this path: {exc.strerror or exc}",
                )
            )
            continue
        if not exists:
            problems.append(error(str(p), 0, 0, "path-not-found", "no such file or folder; check the path"))
            continue
        if not is_dir:
            if p.is_symlink() and not p.exists():
                problems.append(_link_problem(p))
                continue
            files.append(p)
            continue
        visited: set[Path] = set()
        for root, dirs, names in os.walk(
            p,
            followlinks=True,
            onerror=lambda e: problems.append(
                error(str(e.filename), 0, 0, "path-unreadable", f"cannot read this folder: {e.strerror}")
            ),
        ):
            real = Path(root).resolve()
            if real in visited:
                problems.append(
                    error(root, 0, 0, "symlink-loop", "this folder links back to one already walked; it is skipped")
                )
                dirs[:] = []
                continue
            visited.add(real)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            folder = Path(root)
            for name in sorted(names):
                if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                    continue
                f = folder / name
                if f.is_symlink() and not f.exists():
                    problems.append(_link_problem(f))
                    continue
                files.append(f)
    unique: list[Path] = []
    for f in files:
        key = os.path.abspath(f)  # normalised already: equal as texts when equal as paths
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def _link_problem(p: Path) -> Problem:
    try:
        os.stat(p)
    except OSError as exc:
        if exc.errno == 40:
            return error(str(p), 0, 0, "symlink-loop", "this symbolic link loops back on itself; fix or remove it")
    return error(str(p), 0, 0, "path-not-found", "this symbolic link points to a file that does not exist")


def load_vocabulary(dd: DataDir, *, limits: Limits | None = None) -> tuple[Vocabulary, list[Checked]]:
    """The active clusters and patterns, checked, as a vocabulary.

    The parsed and checked model files are cached (keyed like the cache of
    checked files, by both files' content): every `load_corpus()` needs them
    and clusters.yaml is large enough to take the slower, screened loader."""
    from bmnav import cache

    store = None
    patterns_digest: str | None = None
    if cache.enabled():
        store = cache.Store("model", cache.run_key("model-files", limits or Limits.from_env()))
        hit = store.get(dd.clusters)
        patterns_digest = cache.file_digest(dd.patterns)
        if isinstance(hit, list) and len(hit) == 6 and hit[:2] == [str(dd.patterns), patterns_digest]:
            _, _, cdata, pdata, crows, prows = hit
            try:
                vocab = Vocabulary.from_data(cdata, pdata)
                return vocab, [
                    Checked(
                        Loaded(str(path), None, data=data),
                        kind,
                        [Problem(str(path), ln, col, Level(lv), rule, msg) for ln, col, lv, rule, msg in rows],
                    )
                    for path, data, kind, rows in (
                        (dd.clusters, cdata, "clusters", crows),
                        (dd.patterns, pdata, "patterns", prows),
                    )
                ]
            except (TypeError, ValueError, KeyError, AttributeError):
                pass  # not an entry this code wrote: check the files
    vocab, checked = _load_vocabulary(dd, limits=limits)
    if store is not None and not any(p.rule in _UNCACHEABLE for c in checked for p in c.problems):
        patterns_after = cache.file_digest(dd.patterns)
        rows = [[[p.line, p.column, p.level.value, p.rule, p.message] for p in c.problems] for c in checked]
        if patterns_after is not None and patterns_after == patterns_digest:  # unchanged while it was read
            store.put(
                dd.clusters,
                [str(dd.patterns), patterns_digest, checked[0].loaded.data, checked[1].loaded.data, *rows],
            )
            store.save()
    return vocab, checked


def _load_vocabulary(dd: DataDir, *, limits: Limits | None = None) -> tuple[Vocabulary, list[Checked]]:
    clusters = load_file(dd.clusters, limits=limits)
    patterns = load_file(dd.patterns, limits=limits)
    vocab = Vocabulary.from_data(clusters.data, patterns.data)
    return vocab, [check_loaded(clusters, "clusters", vocab), check_loaded(patterns, "patterns", vocab)]


def check_loaded(loaded: Loaded, kind: str, vocab: Vocabulary, *, profile: bool = False) -> Checked:
    """Schema and rules for a loaded file."""
    problems = list(loaded.problems)
    if loaded.data is not None and isinstance(loaded.data, dict):
        if kind in schema.SCHEMAS:
            problems += schema.check(loaded, kind, profile=profile)
        problems += _rules(Context(loaded, loaded.data, vocab, kind, profile), problems)
        problems = _one_per_mistake(problems)
    return Checked(loaded, kind, problems)


#: Rules that name an unknown id with a "did you mean" and the known ids; the
#: schema's form check at the same place says less about the same mistake.
_SAYS_MORE = {"cluster-unknown", "role-type-unknown", "pattern-unknown"}


def _one_per_mistake(problems: list[Problem]) -> list[Problem]:
    """Drop a `bad-format` error where an unknown-id rule reports the same value
    (`cluster: As a service` is one mistake, so one error)."""
    places = {(p.line, p.column) for p in problems if p.rule in _SAYS_MORE}
    if not places:
        return problems
    return [p for p in problems if not (p.rule == "bad-format" and (p.line, p.column) in places)]


def _rules(ctx: Context, found: list[Problem]) -> list[Problem]:
    """The semantic rules. They may assume the shapes the schema promises, so
    when the schema has found errors a rule that trips over the malformed
    data is left out (those errors already say what to fix); on a file
    without errors, a failing rule is a bug and propagates."""
    if not any(p.level is Level.ERROR for p in found):
        return run_rules(ctx)
    from .rules import rules_for

    problems: list[Problem] = []
    for r in rules_for(ctx.kind):
        try:
            problems.extend(r.check(ctx))  # type: ignore[misc]
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            continue
    return problems


def check_file(
    path: Path, vocab: Vocabulary, *, profile: bool = False, limits: Limits | None = None, kind: str | None = None
) -> Checked:
    return check_loaded(load_file(path, limits=limits), kind or kind_of(path), vocab, profile=profile)


def unique_ids(checked: Sequence[Checked]) -> list[Problem]:
    """`id-unique`: every file but one with an id already used is an error.

    The error goes on the copy that looks contributed, not on the case that
    was there first: the file named after its id keeps it, then the one
    nearest the top of usecases/, then the first in the walk. So a new
    `acme.yaml` (or `contrib/x.yaml`) that repeats `id: x` is the one reported."""
    by_id: dict[str, list[tuple[int, Checked]]] = {}
    for order, c in enumerate(checked):
        data = c.loaded.data
        if c.kind != "usecase" or not isinstance(data, dict) or not isinstance(data.get("id"), str):
            continue
        by_id.setdefault(data["id"], []).append((order, c))
    problems: list[Problem] = []
    for cid, group in by_id.items():
        if len(group) < 2:
            continue

        def owner_rank(item: tuple[int, Checked], cid: str = cid) -> tuple[int, int, int]:
            order, c = item
            path = Path(c.loaded.path)
            return (0 if path.stem == cid else 1, len(path.parts), order)

        ranked = sorted(group, key=owner_rank)
        owner = ranked[0][1].loaded.path
        for _, c in sorted(ranked[1:], key=lambda item: item[0]):
            loaded = c.loaded if c.loaded.text is not None else load_file(c.loaded.path)
            line, col = loaded.where(["id"])
            problems.append(
                error(
                    c.loaded.path,
                    line,
                    col,
                    "id-unique",
                    f'id "{cid}" is already used by {owner}; give this case its own id '
                    "(and a file name to match), or remove the copy",
                )
            )
    return problems


def validate(
    paths: Sequence[str | Path] | None = None,
    *,
    profile: bool = False,
    data: str | Path | None = None,
    limits: Limits | None = None,
    jobs: int | None = None,
    track: Track | None = None,
) -> Report:
    """Validate files and folders (or, with no paths, the active corpus and
    its clusters.yaml and patterns.yaml) and return a `Report`. `track`
    may wrap the stream of checked files (the CLI draws a progress bar).

    >>> report = validate()            # the bundled corpus
    >>> report.exit_code()
    0
    """
    limits = limits or Limits.from_env()
    dd = data_dir(data)
    report = Report()
    if not paths:
        # A custom data folder's own model files are checked; bundled ones it falls
        # back on are not (they ship checked, and bundled patterns.yaml names the
        # bundled clusters, which a folder with its own clusters.yaml may not have).
        model = [f for f in (dd.clusters, dd.patterns) if dd.bundled or f.parent == dd.root]
        files = [*model, *dd.case_files()]
        path_problems: list[Problem] = []
    else:
        files, path_problems = expand(paths)
    report.extend(path_problems)
    vocab, model_checked = _vocabulary_for_run(files, dd, limits)
    checked: list[Checked] = []
    by_path = {str(c.loaded.path): c for c in model_checked}
    case_files = []
    for f in files:
        if str(f) in by_path:
            checked.append(by_path[str(f)])
        else:
            case_files.append(f)
    checked += _check_many(case_files, vocab, profile=profile, limits=limits, jobs=jobs, track=track)
    for c in checked:
        report.files.append(c.loaded.path)
        report.extend(c.problems)
    report.files.extend(p.path for p in path_problems if p.path not in report.files)
    report.extend(unique_ids(checked))
    return report


def _vocabulary_for_run(files: Sequence[Path], dd: DataDir, limits: Limits) -> tuple[Vocabulary, list[Checked]]:
    """The run's own clusters/patterns files when it holds them, else the active ones.

    Only model files that are part of the run are reported on.
    """
    own = {kind_of(f): f for f in files if kind_of(f) != "usecase"}
    if not own:  # only case files: the active vocabulary, from the cache of model files
        from bmnav import cache

        if not cache.enabled():
            # nothing is stored, and the model files are not reported on: only
            # their vocabulary is needed, not their checks (about 30 ms a run)
            clusters = load_file(dd.clusters, limits=limits)
            patterns = load_file(dd.patterns, limits=limits)
            return Vocabulary.from_data(clusters.data, patterns.data), []
        return load_vocabulary(dd, limits=limits)[0], []
    clusters = load_file(own.get("clusters", dd.clusters), limits=limits)
    patterns = load_file(own.get("patterns", dd.patterns), limits=limits)
    vocab = Vocabulary.from_data(clusters.data, patterns.data)
    checked = []
    for kind, loaded in (("clusters", clusters), ("patterns", patterns)):
        if any(str(f) == loaded.path for f in files):
            checked.append(check_loaded(loaded, kind, vocab))
    return vocab, checked


def _check_many(
    files: Sequence[Path],
    vocab: Vocabulary,
    *,
    profile: bool,
    limits: Limits,
    jobs: int | None,
    track: Track | None = None,
) -> list[Checked]:
    """Check files, reusing cached results for files unchanged since a
    previous run with the same schemas, vocabulary and limits. (Cached
    results carry a file's problems and id, not its data.)"""
    from bmnav import cache
    from bmnav.parallel import map_files

    if not cache.enabled() or not files:
        return map_files(files, vocab, profile=profile, limits=limits, jobs=jobs, slim=True, track=track)
    key = cache.run_key(
        sorted(vocab.clusters),
        sorted(vocab.role_types),
        sorted(vocab.patterns),
        sorted(vocab.pattern_aliases.items()),
        profile,
        limits,
    )
    store = cache.Store("checked", key)
    results: dict[int, Checked] = {}
    misses: list[tuple[int, Path]] = []
    for i, f in enumerate(files):
        hit = _from_store(f, store.get(f))  # served only for the same content (see cache.Store)
        if hit is None:
            misses.append((i, f))
        else:
            results[i] = hit
    fresh = map_files([f for _, f in misses], vocab, profile=profile, limits=limits, jobs=jobs, slim=True, track=track)
    for (i, f), c in zip(misses, fresh, strict=True):
        results[i] = c
        if any(p.rule in _UNCACHEABLE for p in c.problems):
            continue
        rows = [[p.line, p.column, p.level.value, p.rule, p.message] for p in c.problems]
        # only what a run needs later: the problems and the id (for id-unique)
        store.put(f, [rows, _id_only(c.loaded.data)])
    store.save()
    return [results[i] for i in range(len(files))]


#: Problems about the file system are checked afresh every time.
_UNCACHEABLE = {"path-not-found", "path-unreadable", "symlink-loop"}


def _from_store(f: Path, payload: Any) -> Checked | None:
    """A stored result as a `Checked`, or None when there is none (or it is
    not of the shape this code writes)."""
    if not isinstance(payload, list) or len(payload) != 2:
        return None
    rows, data = payload
    try:
        problems = [Problem(str(f), line, col, Level(level), rule, msg) for line, col, level, rule, msg in rows]
    except (TypeError, ValueError):
        return None
    if data is not None and not (isinstance(data, dict) and isinstance(data.get("id"), str)):
        return None
    return Checked(Loaded(str(f), None, data=data), kind_of(f), problems)


def _id_only(data: Any) -> dict[str, Any] | None:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return {"id": data["id"]}
    return None
