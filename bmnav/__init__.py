"""bmnav: a business model navigator for digital (Industrie 4.0) business models.

The public API is importable from here; each name loads its module on first
use, so that `import bmnav` stays cheap::

    import bmnav
    corpus = bmnav.load_corpus()
    report = bmnav.validate(["data/usecases"])
    result = bmnav.classify(bmnav.load_profile("examples/acme.yaml"), corpus)

Every name here differs from every submodule's name: importing a submodule
sets it as an attribute of the package, so a function called like a module
would be replaced by it (`bmnav.metrics` is the module, its summary of a case
is `bmnav.network_metrics`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._version import __version__

_API = {
    "validate": ("bmnav.validation", "validate"),
    "load_corpus": ("bmnav.corpus", "load_corpus"),
    "load_case": ("bmnav.corpus", "load_case"),
    "load_file": ("bmnav.loading", "load_file"),
    "Corpus": ("bmnav.corpus", "Corpus"),
    "Case": ("bmnav.model", "Case"),
    "Report": ("bmnav.problems", "Report"),
    "Problem": ("bmnav.problems", "Problem"),
    "BmnavError": ("bmnav.problems", "BmnavError"),
    "build_graph": ("bmnav.network", "build_graph"),
    "graph": ("bmnav.network", "build_graph"),
    "structure": ("bmnav.network", "structure"),
    "classify": ("bmnav.classifier", "classify"),
    "load_profile": ("bmnav.classifier", "load_profile"),
    "classify_text": ("bmnav.textclassify", "classify_text"),
    "classify_text_file": ("bmnav.textclassify", "classify_text_file"),
    "position": ("bmnav.positions", "position"),
    "network_metrics": ("bmnav.metrics", "metrics"),
    "compare": ("bmnav.comparison", "compare"),
    "diff": ("bmnav.diffs", "diff"),
    "maturity": ("bmnav.evolution", "maturity"),
    "build_report": ("bmnav.report", "build_report"),
    "card": ("bmnav.cards", "card"),
    "evaluate": ("bmnav.classify_eval", "evaluate"),
    "json_schema": ("bmnav.schema", "json_schema"),
    "export_rows": ("bmnav.flatten", "rows"),
    "write_case": ("bmnav.newcase", "write_case"),
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        module, attr = _API[name]
        value = getattr(import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'bmnav' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
