"""`bmnav.validate(paths)`: check case files and model files, return a Report.

The pipeline is load -> schema -> rules, file by file, so one bad file never
stops the others; corpus-wide checks (unique ids) run once at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from . import parallel, schema
from .loading import Limits, Loaded, load_file
from .model import Vocabulary
from .parallel import Track
from .problems import Level, Problem, Report, error
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
    return Checked(loaded, kind, problems)


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


def check_files(
    files: Sequence[Path],
    vocab: Vocabulary,
    *,
    profile: bool,
    limits: Limits,
    jobs: int | None = None,
    slim: bool = False,
    track: Track | None = None,
) -> list[Checked]:
    """`check_file` of every file, in order, on all cores for many files (see
    `parallel.map_files`); with `slim`, each result keeps only its problems and
    the file's id (what `validate` needs), not data and text."""
    work = partial(_check_one, vocab=vocab, profile=profile, limits=limits, slim=slim)
    return parallel.map_files(files, work, jobs=jobs, track=track)


def _check_one(path: Path, *, vocab: Vocabulary, profile: bool, limits: Limits, slim: bool) -> Checked:
    c = check_file(path, vocab, profile=profile, limits=limits)
    c.loaded._root = None  # the node tree is composed again if a location is asked for later
    if slim:
        # a location asked for later reads the file again. Sending every file's data and
        # text back from the workers made 10,000 files cost more than ten times 1,000.
        c.loaded = Loaded(c.loaded.path, None, data=_id_only(c.loaded.data))
    return c


def unique_ids(checked: Sequence[Checked]) -> list[Problem]:
    """`id-unique`: the second file with an id already seen is an error."""
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for c in checked:
        data = c.loaded.data
        if c.kind != "usecase" or not isinstance(data, dict) or not isinstance(data.get("id"), str):
            continue
        cid = data["id"]
        if cid in first:
            loaded = c.loaded if c.loaded.text is not None else load_file(c.loaded.path)
            line, col = loaded.where(["id"])
            problems.append(
                error(
                    c.loaded.path,
                    line,
                    col,
                    "id-unique",
                    f'id "{cid}" is already used by {first[cid]}; give each case its own id',
                )
            )
        else:
            first[cid] = c.loaded.path
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

    if not cache.enabled() or not files:
        return check_files(files, vocab, profile=profile, limits=limits, jobs=jobs, slim=True, track=track)
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
    todo = [f for _, f in misses]
    fresh = check_files(todo, vocab, profile=profile, limits=limits, jobs=jobs, slim=True, track=track)
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
