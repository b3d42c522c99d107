"""The classifier's data files beside clusters.yaml: `facts.yaml` (the words and
role types behind the derived facts) and `model.yaml` (the fitted weights).

Each is read from the active data folder when it has one, else from the
bundled data, so `--data DIR` reaches every part of the model.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from bmnav.checking.problems import BmnavError


def data_file(name: str, data_dir: str | Path | None = None) -> Path:
    """`name` in the data folder if it is there, else the bundled copy."""
    from bmnav.storage.resources import bundled_data_dir

    if data_dir is not None and (Path(data_dir) / name).is_file():
        return Path(data_dir) / name
    return bundled_data_dir() / name


@lru_cache(maxsize=16)
def _read(path: str) -> dict[str, Any]:
    """The file's mapping; a later run with the same content reads it from the
    cache as JSON (keyed by the content's hash), without PyYAML."""
    from bmnav.storage import cache

    digest = cache.file_digest(path) if cache.enabled() else None
    name = f"datafile-{digest}.cache" if digest else None
    if name is not None:
        hit = cache.load(name)
        if isinstance(hit, dict):
            return hit
    data = _parse(path)
    if name is not None:
        cache.dump(name, data)
    return data


def _parse(path: str) -> dict[str, Any]:
    from bmnav.storage.loading import load_file

    loaded = load_file(path)
    if any(p.level.value == "error" for p in loaded.problems) or not isinstance(loaded.data, dict):
        raise BmnavError(f"{path}: the classifier's data file cannot be read", problems=loaded.problems)
    return loaded.data


def facts_data(data_dir: str | Path | None = None) -> dict[str, Any]:
    """data/facts.yaml: word lists and role-type groups of the derived facts."""
    return _read(str(data_file("facts.yaml", data_dir)))


def meanings_data(data_dir: str | Path | None = None) -> dict[str, Any]:
    """data/meanings.yaml: what each allowed value means (shown by `?` at a prompt)."""
    return _read(str(data_file("meanings.yaml", data_dir)))


def model_data(data_dir: str | Path | None = None) -> dict[str, Any] | None:
    """data/model.yaml (the fitted model), or None when there is none."""
    path = data_file("model.yaml", data_dir)
    return _read(str(path)) if path.is_file() else None
