"""bmnav: a business model navigator for digital (Industrie 4.0) business models.

The public API is importable from here; each name loads its module on first
use, so that `import bmnav` stays cheap::

    import bmnav
    corpus = bmnav.load_corpus()
    report = bmnav.validate(["data/usecases"])
    result = bmnav.classify(bmnav.load_profile("examples/acme.yaml"), corpus)

Every name here differs from every submodule's name: importing a submodule
sets it as an attribute of the package, so a function called like a module
would be replaced by it (`bmnav.domain.metrics` is the module, its summary of a case
is `bmnav.network_metrics`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from bmnav._version import __version__

_API = {
    "validate": ("bmnav.checking.validation", "validate"),
    "load_corpus": ("bmnav.storage.corpus", "load_corpus"),
    "load_case": ("bmnav.storage.corpus", "load_case"),
    "load_file": ("bmnav.storage.loading", "load_file"),
    "Corpus": ("bmnav.storage.corpus", "Corpus"),
    "Case": ("bmnav.domain.model", "Case"),
    "Report": ("bmnav.checking.problems", "Report"),
    "Problem": ("bmnav.checking.problems", "Problem"),
    "BmnavError": ("bmnav.checking.problems", "BmnavError"),
    "build_graph": ("bmnav.domain.network", "build_graph"),
    "graph": ("bmnav.domain.network", "build_graph"),
    "structure": ("bmnav.domain.network", "structure"),
    "classify": ("bmnav.classifying.classifier", "classify"),
    "load_profile": ("bmnav.classifying.classifier", "load_profile"),
    "classify_text": ("bmnav.classifying.textclassify", "classify_text"),
    "classify_text_file": ("bmnav.classifying.textclassify", "classify_text_file"),
    "position": ("bmnav.domain.positions", "position"),
    "network_metrics": ("bmnav.domain.metrics", "metrics"),
    "compare": ("bmnav.domain.comparison", "compare"),
    "diff": ("bmnav.domain.diffs", "diff"),
    "maturity": ("bmnav.domain.evolution", "maturity"),
    "build_report": ("bmnav.render.report", "build_report"),
    "card": ("bmnav.domain.cards", "card"),
    "evaluate": ("bmnav.classifying.classify_eval", "evaluate"),
    "json_schema": ("bmnav.checking.schema", "json_schema"),
    "export_rows": ("bmnav.domain.flatten", "rows"),
    "write_case": ("bmnav.domain.newcase", "write_case"),
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
