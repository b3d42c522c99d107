"""bmnav: a business model navigator for digital (Industrie 4.0) business models.

The public API is importable from here; heavy modules load on first use so
that `import bmnav` stays cheap::

    import bmnav
    report = bmnav.validate(["data/usecases"])
    corpus = bmnav.load_corpus()
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__

_API = {
    "validate": ("bmnav.validate", "validate"),
    "Report": ("bmnav.problems", "Report"),
    "Problem": ("bmnav.problems", "Problem"),
    "BmnavError": ("bmnav.problems", "BmnavError"),
    "Case": ("bmnav.model", "Case"),
    "load_file": ("bmnav.loading", "load_file"),
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        module, attr = _API[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bmnav' has no attribute {name!r}")
