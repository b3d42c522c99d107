"""Where the bundled data and schemas are, and which data folder is active.

In an installed wheel `data/` and `schemas/` live inside the package (found
in the package's folder, as importlib.resources would find them); in a source
checkout they are the top-level folders beside the package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bmnav.checking.problems import BmnavError

_CHECKOUT = Path(__file__).resolve().parents[2]
#: The package's folder, as Python imported it (what `importlib.resources.files("bmnav")`
#: gives for a package on the file system; importing importlib.resources and its
#: readers cost a few ms of every run).
_PACKAGE = Path(__file__).parent.parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _CHECKOUT / name


def bundled_data_dir() -> Path:
    return _bundled("data")


def schemas_dir() -> Path:
    return _bundled("schemas")


def schema_path(name: str) -> Path:
    return schemas_dir() / f"{name}.schema.json"


@dataclass(frozen=True)
class DataDir:
    """The active corpus: its cases folder and the model files it uses."""

    root: Path
    usecases: Path
    clusters: Path
    patterns: Path
    bundled: bool

    def case_files(self) -> list[Path]:
        """Every case file under usecases/, subfolders included, in the order
        `bmnav validate usecases/` checks them (so `validate --data .` and the
        folder form cover the same files). Hidden files and folders are skipped,
        and a folder linked back into the walk is walked once."""
        return [Path(name) for name in self.case_file_names()]

    def case_file_names(self) -> list[str]:
        """`case_files` as strings: a warm run hashes 10,000 files by name, and
        making a `Path` of each took a fifth of a warm `classify`."""
        if not self.usecases.is_dir():
            return []
        found: list[str] = []
        seen: set[str] = set()
        for root, dirs, names in os.walk(self.usecases, followlinks=True):
            real = os.path.realpath(root)
            if real in seen:
                dirs[:] = []
                continue
            seen.add(real)
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [
                os.path.join(root, n) for n in sorted(names) if n.endswith((".yaml", ".yml")) and not n.startswith(".")
            ]
        return found


def data_dir(option: str | Path | None = None) -> DataDir:
    """Resolve `--data DIR`, then `BMNAV_DATA`, then the bundled corpus.

    A custom folder must hold `usecases/`; its own `clusters.yaml` and
    `patterns.yaml` are used when present, the bundled ones otherwise.
    """
    chosen = option if option not in (None, "") else os.environ.get("BMNAV_DATA") or None
    bundled = bundled_data_dir()
    if chosen is None:
        return DataDir(bundled, bundled / "usecases", bundled / "clusters.yaml", bundled / "patterns.yaml", True)
    root = Path(chosen).expanduser()
    if not root.is_dir():
        raise BmnavError(
            f"data folder {root} does not exist (from --data or BMNAV_DATA); give a folder that holds usecases/",
            exit_code=2,
        )
    usecases = root / "usecases"
    if not usecases.is_dir():
        raise BmnavError(f"data folder {root} has no usecases/ folder; put the case files in {usecases}/", exit_code=2)
    clusters = root / "clusters.yaml"
    patterns = root / "patterns.yaml"
    return DataDir(
        root,
        usecases,
        clusters if clusters.is_file() else bundled / "clusters.yaml",
        patterns if patterns.is_file() else bundled / "patterns.yaml",
        False,
    )
