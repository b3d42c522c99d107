"""`load_text` and `load_file`: the loader's front door, which sends each
document through the rooms it needs.

Bytes are decoded (`reading`); a file that could be hostile (large, or with
`&`, `*` or `!`) is screened first (`screening`); a plain document takes the
quick composer (`fast`), anything else the strict safe loader
(`safe_loader`). Problems are returned, never raised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bmnav.checking.problems import Problem, error
from bmnav.storage.collector import no_gc
from bmnav.storage.limits import Limits
from bmnav.storage.loading.document import Loaded
from bmnav.storage.loading.fast import FAST_PATH_BYTES, QuickComposer, construct
from bmnav.storage.loading.reading import decode, line_col, read_bytes, too_large
from bmnav.storage.loading.safe_loader import StrictLoader, syntax_problem
from bmnav.storage.loading.screening import screen, screen_plain

#: What a reading step returns when a problem ends the reading of the file.
_STOP: Any = object()


def load_file(path: str | Path, *, limits: Limits | None = None, expect_mapping: bool = True) -> Loaded:
    """Load a YAML file; never raises for a bad or missing file."""
    limits = limits or Limits.from_env()
    raw, problem = read_bytes(Path(path), limits)
    if problem is not None:
        return Loaded(str(path), None, problems=[problem])
    assert raw is not None
    return load_text(raw, str(path), limits=limits, expect_mapping=expect_mapping)


def load_text(
    text: str | bytes, path: str = "<string>", *, limits: Limits | None = None, expect_mapping: bool = True
) -> Loaded:
    """Load one YAML document from text or bytes; problems are returned, not raised."""
    limits = limits or Limits.from_env()
    decoded, problem = _as_text(text, path, limits)
    if problem is not None or decoded is None:
        return Loaded(path, None, problems=[problem] if problem is not None else [])
    loaded = Loaded(path, decoded)
    if not decoded or decoded.isspace():  # (as `not text.strip()`, without copying the text)
        loaded.problems.append(
            error(path, 1, 1, "empty-file", "the file is empty: a case needs at least `id` and `name`")
        )
        return loaded
    data = _parse(loaded, decoded, limits)
    if data is not _STOP:
        _accept(loaded, data, decoded, expect_mapping)
    return loaded


def _as_text(text: str | bytes, path: str, limits: Limits) -> tuple[str | None, Problem | None]:
    """The document as text within the size limit: bytes decoded as UTF-8, a
    byte-order mark dropped, or the problem that stops the reading."""
    if isinstance(text, bytes):
        if len(text) > limits.max_bytes:
            return None, too_large(path, len(text), limits)
        decoded, problem = decode(text, path)
        if problem is not None:
            return None, problem
        assert decoded is not None
        text = decoded
    else:
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:  # lone surrogates cannot come from a file, only from a caller
            line, col = line_col(text, exc.start)
            return None, error(path, line, col, "encoding", "the text holds a lone surrogate, which is not UTF-8")
    if len(text) > limits.max_bytes:
        return None, too_large(path, len(text.encode("utf-8", "replace")), limits)
    return text, None


def _parse(loaded: Loaded, text: str, limits: Limits) -> Any:
    """The document's data (None for an empty one), or `_STOP` with the problem
    that ends the reading added to `loaded`."""
    path = loaded.path
    risky = len(text) > FAST_PATH_BYTES or "&" in text or "*" in text or "!" in text
    # a risky file that the screen found plain (a large one, or an `&` in a text) is
    # read by the quick composer too; anything else it holds goes to the full loader
    quick = not risky
    if risky:
        problem, quick = screen_plain(text, path, limits)
        if problem is not None:
            loaded.problems.append(problem)
            loaded.text = None  # never compose a hostile document later
            return _STOP
    read = _read_quick(loaded, text, limits, risky) if quick else None
    data, too_deep = read if read is not None else (_read_full(loaded, text, limits), False)
    if too_deep:
        # the event screen finds where (a small file: it costs little)
        loaded.problems.append(
            screen(text, path, limits)
            or error(path, 1, 1, "nesting-too-deep", f"collections are nested more than {limits.max_depth} levels deep")
        )
        loaded.text = None
        return _STOP
    return data


def _read_quick(loaded: Loaded, text: str, limits: Limits, risky: bool) -> tuple[Any, bool] | None:
    """(data, nested too deep?) by the quick composer; `_STOP` as data after a
    syntax error; None when the full loader must read a risky file instead."""
    composer = QuickComposer(text)
    try:
        # the collector off while the tree is built (see `collector.no_gc`): for 2 MB, its
        # collections walking the growing tree took two thirds of the reading time
        with no_gc():
            root = composer.get_single_node()
            if root is None:
                return None, False
            loaded._root = root
            data, key_problems, too_deep = construct(root, loaded.path, limits.max_depth)
        loaded.problems.extend(key_problems)
        return data, too_deep
    except yaml.YAMLError as exc:  # a syntax error, or a value such as 2001-13-45 (see safe_loader)
        if not risky:
            loaded.problems.append(syntax_problem(exc, loaded.path, text, limits.max_depth))
            return _STOP, False
        # the full loader reports it, as it always has (it may meet another bad value first)
        loaded._root = None
        return None
    finally:
        composer.dispose()


def _read_full(loaded: Loaded, text: str, limits: Limits) -> Any:
    """The data by the strict safe loader (screened already; it handles anchors,
    aliases and merges), or `_STOP` after a syntax error."""
    loader = StrictLoader(text)
    loader.bmnav_path = loaded.path
    try:
        with no_gc():
            data = loader.get_single_data()
    except yaml.YAMLError as exc:
        loaded.problems.append(syntax_problem(exc, loaded.path, text, limits.max_depth))
        return _STOP
    except RecursionError:  # pragma: no cover - the screen should prevent it
        loaded.problems.append(error(loaded.path, 1, 1, "nesting-too-deep", "the file is nested too deeply"))
        loaded.text = None
        return _STOP
    finally:
        loader.dispose()
    loaded.problems.extend(loader.bmnav_problems)
    return data


def _accept(loaded: Loaded, data: Any, text: str, expect_mapping: bool) -> None:
    """Keep the data, or say why it is not a case: empty, only comments, not a mapping."""
    path = loaded.path
    if data is None:
        if _only_comments(text):
            message = "the file holds only comments: a case needs at least `id` and `name`"
            loaded.problems.append(error(path, 1, 1, "empty-file", message))
        else:
            message = "the document is null; a case file is one mapping of keys such as `id:` and `name:`"
            loaded.problems.append(error(path, 1, 1, "not-a-mapping", message))
        return
    if expect_mapping and not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        line, col = loaded.where(())
        loaded.problems.append(
            error(
                path,
                line,
                col,
                "not-a-mapping",
                f"the document is {kind}; a case file is one mapping of keys "
                "such as `id:` and `name:` at the top level",
            )
        )
        return
    loaded.data = data


def _only_comments(text: str) -> bool:
    for line in text.splitlines():
        s = line.strip()
        if s and not s.startswith("#") and s not in ("---", "..."):
            return False
    return True
